//go:build linux

package feed

import (
	"runtime"
	"syscall"
	"unsafe"
)

// The slab's chunks are carved from regions mapped outside the Go heap:
// the rows hold no pointers, so the collector need not see them, and its
// heap goal (twice the live heap by default) does not grow with the
// index: a resident set of the rows plus a heap of everything else, not
// twice the rows. A region is regionChunks chunks (6 MiB), aligned on
// huge pages and advised to use them (MADV_HUGEPAGE): a page fault a 2
// MiB page, not a 4 KiB one. Writing fresh 4 KiB pages cost some 50 ns a
// row here, more than everything else the loader does with a skipped
// frame; on huge pages, 3. A chunk's pages are faulted in as they are
// written: faulting a whole chunk in when carved (MADV_POPULATE_WRITE)
// cost less alone, but beside the reader goroutine it slowed the reader's
// reads of the file by up to 2x in some runs (BenchmarkTUILoad: the load's
// CPU 0.52-0.69 s with it, 0.48-0.61 without). The mapping goes when the
// last chunk of the region does (AddCleanup on the region, which every
// chunk carved from it holds).
// Where mapping fails, the chunk is an ordinary Go allocation.
const (
	regionChunks = 32 // 32 × 192 KiB: three huge pages
	hugePage     = 2 << 20
	madvHugePage = 14 // MADV_HUGEPAGE
)

// region is a mapping the chunks are carved from.
type region struct{ mem []byte }

// slabCarver is where an Index carves its next chunk: the rest of its
// current region.
type slabCarver struct {
	rest []byte
	reg  *region
}

// newChunk carves the next chunk of the Index's slab of rows.
func (x *Index) newChunk() *chunkRef {
	b, reg := x.carve.chunk()
	if b == nil {
		return &chunkRef{rows: new(chunk)}
	}
	return &chunkRef{rows: (*chunk)(b), reg: reg}
}

// newCellChunk carves the next chunk of the Index's slab of cells.
func (x *Index) newCellChunk() *cellChunkRef {
	b, reg := x.carve.chunk()
	if b == nil {
		return &cellChunkRef{cells: new(cellChunk)}
	}
	return &cellChunkRef{cells: (*cellChunk)(b), reg: reg}
}

// chunk carves the memory of a chunk (nil where mapping fails), and says
// the region it belongs to.
func (c *slabCarver) chunk() (unsafe.Pointer, *region) {
	const size = int(unsafe.Sizeof(chunk{}))
	if len(c.rest) < size {
		mem, err := syscall.Mmap(-1, 0, regionChunks*size+hugePage, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
		if err != nil {
			return nil, nil
		}
		reg := &region{mem: mem}
		runtime.AddCleanup(reg, func(m []byte) { syscall.Munmap(m) }, mem)
		off := (hugePage - int(uintptr(unsafe.Pointer(unsafe.SliceData(mem))))%hugePage) % hugePage
		c.rest, c.reg = mem[off:off+regionChunks*size], reg
		_ = syscall.Madvise(c.rest, madvHugePage) // an advice: without huge pages, small ones
	}
	b := c.rest[:size:size]
	c.rest = c.rest[size:]
	return unsafe.Pointer(unsafe.SliceData(b)), c.reg
}

// A chunk of cells is carved as one of rows.
var _ [unsafe.Sizeof(chunk{}) - unsafe.Sizeof(cellChunk{})]struct{}
var _ [unsafe.Sizeof(cellChunk{}) - unsafe.Sizeof(chunk{})]struct{}
