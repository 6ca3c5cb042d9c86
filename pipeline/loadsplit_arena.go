package pipeline

import "github.com/nbtsniff/nbtsniff/internal/hugepage"

// splitArena is where the second reader's batches keep their items,
// RefFrames and segments (splitRead.batch), none of which holds a
// pointer: a mapping outside the Go heap, on huge pages where the system
// gives them (hugepage.Region), unmapped at the end of the load. In the
// Go heap, the 40 batches (some 30 MB) held until the reader came to
// them were 10,000 more page faults of fresh 4 KiB pages in the UI's
// load of the 1 GB mix (15,000-19,000 against 4,700-5,400), and, live
// while the collector ran, raised its heap goal: the UI's max RSS
// 135-146 MB against 93-97. Where there is no such mapping (not Linux),
// hugepage.Region gives Go memory, which carve's pointer-free arrays may
// live in as well.
type splitArena struct {
	mem   []byte // carved from off on
	off   int
	unmap func()
}

// newSplitArena maps an arena of n bytes, or returns nil.
func newSplitArena(n int) *splitArena {
	mem, unmap := hugepage.Region(n)
	if mem == nil {
		return nil
	}
	return &splitArena{mem: mem, unmap: unmap}
}

// release unmaps the arena: nothing may use what was carved from it.
func (a *splitArena) release() {
	if a != nil {
		a.unmap()
	}
}
