//go:build linux

package feed

import (
	"runtime"
	"syscall"
	"unsafe"
)

// newChunk maps a chunk of the slab outside the Go heap: the rows hold no
// pointers, so the collector need not see them, and its heap goal (twice
// the live heap by default) does not grow with the index: a resident set
// of the rows plus a heap of everything else, not twice the rows. The
// mapping goes when the last Index holding the chunk does (AddCleanup).
// MAP_POPULATE faults its pages in at once (a chunk is filled anyway),
// cheaper than one fault a page. Where mapping fails, the chunk is an
// ordinary Go allocation.
func newChunk() *chunkRef {
	mem, err := syscall.Mmap(-1, 0, int(unsafe.Sizeof(chunk{})), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE|syscall.MAP_POPULATE)
	if err != nil {
		return &chunkRef{rows: new(chunk)}
	}
	c := &chunkRef{rows: (*chunk)(unsafe.Pointer(unsafe.SliceData(mem)))}
	runtime.AddCleanup(c, func(m []byte) { syscall.Munmap(m) }, mem)
	return c
}
