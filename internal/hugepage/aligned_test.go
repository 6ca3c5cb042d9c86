package hugepage

import "testing"

// aligned keeps whole huge pages only, starting at the first boundary at
// or after the buffer's start.
func TestAligned(t *testing.T) {
	for _, c := range []struct {
		p            uintptr
		n, off, size int
	}{
		{0, Size, 0, Size},
		{0, Size - 1, 0, 0},
		{1, 2 * Size, Size - 1, Size},
		{Size - 4096, Size + 4096, 4096, Size},
		{Size - 4096, Size + 4095, 4096, 0},
		{3 * Size, 5*Size + 17, 0, 5 * Size},
		{5, 100, 0, 0},
	} {
		off, size := aligned(c.p, c.n)
		if off != c.off || size != c.size {
			t.Errorf("aligned(%#x, %d) = %d, %d; want %d, %d", c.p, c.n, off, size, c.off, c.size)
		}
		if size > 0 && ((c.p+uintptr(off))%Size != 0 || off+size > c.n) {
			t.Errorf("aligned(%#x, %d): %d+%d not whole pages inside", c.p, c.n, off, size)
		}
	}
}

// Advise takes any buffer, empty or not aligned, without failing.
func TestAdviseAnyBuffer(t *testing.T) {
	for _, n := range []int{0, 1, 4096, Size, 2*Size + 1} {
		b := make([]byte, n)
		Advise(b)
		for i := range b {
			if b[i] != 0 {
				t.Fatalf("Advise(%d bytes) changed byte %d", n, i)
			}
		}
	}
}
