//go:build !linux

package feed

// region is nothing where chunks are Go allocations.
type region struct{}

// slabCarver is nothing where chunks are Go allocations.
type slabCarver struct{}

// newChunk allocates a chunk of the slab of rows.
func (x *Index) newChunk() *chunkRef { return &chunkRef{rows: new(chunk)} }

// newCellChunk allocates a chunk of the slab of cells.
func (x *Index) newCellChunk() *cellChunkRef { return &cellChunkRef{cells: new(cellChunk)} }
