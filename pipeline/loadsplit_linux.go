//go:build linux

package pipeline

import (
	"syscall"
	"unsafe"
)

// splitArena is where the second reader's batches keep their items,
// RefFrames and segments (splitRead.batch), none of which holds a
// pointer: a mapping outside the Go heap, on huge pages where the system
// gives them, unmapped at the end of the load. In the Go heap, the
// 40 batches (some 30 MB) held until the reader came to them were 10,000
// more page faults of fresh 4 KiB pages in the UI's load of the 1 GB mix
// (15,000-19,000 against 4,700-5,400), and, live while the collector
// ran, raised its heap goal: the UI's max RSS 135-146 MB against 93-97.
type splitArena struct {
	mapped []byte // the whole mapping
	mem    []byte // its huge-page-aligned part, carved from off on
	off    int
}

const (
	hugePageSize = 2 << 20
	madvHugePage = 14 // MADV_HUGEPAGE
)

// newSplitArena maps an arena of n bytes, or returns nil.
func newSplitArena(n int) *splitArena {
	mem, err := syscall.Mmap(-1, 0, n+hugePageSize, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil
	}
	off := (hugePageSize - int(uintptr(unsafe.Pointer(unsafe.SliceData(mem))))%hugePageSize) % hugePageSize
	a := &splitArena{mapped: mem, mem: mem[off : off+n]}
	_ = syscall.Madvise(a.mem, madvHugePage) // an advice: without huge pages, small ones
	return a
}

// release unmaps the arena: nothing may use what was carved from it.
func (a *splitArena) release() {
	if a != nil {
		_ = syscall.Munmap(a.mapped)
	}
}
