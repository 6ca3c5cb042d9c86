//go:build !linux

package pipeline

// splitArena is nothing where the second reader's batches are Go
// allocations.
type splitArena struct {
	mem []byte
	off int
}

func newSplitArena(int) *splitArena { return nil }

func (a *splitArena) release() {}
