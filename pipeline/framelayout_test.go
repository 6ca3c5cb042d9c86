package pipeline

import (
	"testing"
	"unsafe"
)

// TestParFrameLayout holds what the writer reads of every frame to two
// cache lines of the batch entry: the fields the engine writes for it
// and the frame's clock in the first (batches are page-aligned: their
// entries start on a line), the capture time in the second. A field
// moved past them, or the entry grown, fails here.
func TestParFrameLayout(t *testing.T) {
	var fr parFrame
	if n := unsafe.Sizeof(fr); n != 256 {
		t.Errorf("parFrame is %d bytes, want 256 (four cache lines)", n)
	}
	line := func(off, size uintptr) (uintptr, uintptr) { return off / 64, (off + size - 1) / 64 }
	for _, f := range []struct {
		name      string
		off, size uintptr
		want      uintptr
	}{
		{"obs", unsafe.Offsetof(fr.obs), unsafe.Sizeof(fr.obs), 0},
		{"notes", unsafe.Offsetof(fr.notes), unsafe.Sizeof(fr.notes), 0},
		{"clock", unsafe.Offsetof(fr.clock), unsafe.Sizeof(fr.clock), 0},
		{"keep", unsafe.Offsetof(fr.keep), unsafe.Sizeof(fr.keep), 0},
		{"outBy", unsafe.Offsetof(fr.outBy), unsafe.Sizeof(fr.outBy), 0},
		{"ci.Timestamp", unsafe.Offsetof(fr.ci) + unsafe.Offsetof(fr.ci.Timestamp), unsafe.Sizeof(fr.ci.Timestamp), 1},
	} {
		if first, last := line(f.off, f.size); first != f.want || last != f.want {
			t.Errorf("%s spans cache lines %d-%d of the entry, want %d", f.name, first, last, f.want)
		}
	}
	// The batch's entries: a large allocation, page-aligned, so the
	// entries' lines are their own.
	b := make([]parFrame, parBatchFrames)
	if p := uintptr(unsafe.Pointer(&b[0])); p%64 != 0 {
		t.Errorf("a batch's entries start at %#x, not on a cache line", p)
	}
}
