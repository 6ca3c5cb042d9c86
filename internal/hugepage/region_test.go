package hugepage

import (
	"runtime"
	"testing"
	"unsafe"
)

// Region is n zeroed, writable bytes; on Linux outside the Go heap, from a
// 2 MiB boundary (its memory can be one huge page).
func TestRegion(t *testing.T) {
	for _, n := range []int{Size, 3 * Size / 2} {
		b, unmap := Region(n)
		if len(b) != n || cap(b) != n {
			t.Fatalf("Region(%d): len %d cap %d", n, len(b), cap(b))
		}
		if p := uintptr(unsafe.Pointer(unsafe.SliceData(b))); runtime.GOOS == "linux" && p%Size != 0 {
			t.Errorf("Region(%d) at %#x: not at a 2 MiB boundary", n, p)
		}
		for _, i := range []int{0, n / 2, n - 1} {
			if b[i] != 0 {
				t.Fatalf("Region(%d): byte %d is %d", n, i, b[i])
			}
			b[i] = 1
		}
		unmap()
	}
}
