//go:build !linux

package feed

// newChunk allocates a chunk of the slab.
func newChunk() *chunkRef { return &chunkRef{rows: new(chunk)} }
