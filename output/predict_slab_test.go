package output

import (
	"bufio"
	"bytes"
	"testing"
	"unsafe"

	"github.com/nbtsniff/nbtsniff/internal/hugepage"
)

// The chunks of a section written ahead come from one block (hugeSlab)
// from its first 2 MiB boundary on, each of chunkSize room and none
// writing into the next, then one by one past the block; what the report
// writes of them is what was written, in order, whatever the sizes of the
// writes. A section too small for a huge page gets no block.
func TestAheadChunksSlab(t *testing.T) {
	var want []byte
	for i := 0; len(want) < 5<<20; i++ { // more than the block of 4 MiB made for 3 MiB
		want = append(want, "line "...)
		want = append(want, bytes.Repeat([]byte{byte('a' + i%26)}, i%700)...)
		want = append(want, '\n')
	}
	a := &aheadChunks{full: make(chan []byte, aheadChunksMax), free: make(chan []byte, aheadChunksMax)}
	a.hugeSlab(3 << 20)
	if len(a.slab) != 4<<20 {
		t.Fatalf("block of %d bytes for 3 MiB, want 4 MiB", len(a.slab))
	}
	var firsts []uintptr
	go func() {
		w := bufio.NewWriterSize(a, chunkSize)
		for p := want; len(p) > 0; {
			n := min(len(p), 1+len(p)%(3*chunkSize)) // writes smaller and larger than a chunk
			w.Write(p[:n])
			p = p[n:]
		}
		w.Flush()
		close(a.full)
	}()
	var got bytes.Buffer
	gw := bufio.NewWriter(&got)
	for c := range a.full {
		firsts = append(firsts, uintptr(unsafe.Pointer(unsafe.SliceData(c))))
		if cap(c) != chunkSize {
			t.Fatalf("chunk of %d room, want %d", cap(c), chunkSize)
		}
		gw.Write(c) // not handed back: every chunk is a new one
	}
	gw.Flush()
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("the chunks hold %d bytes differing from the %d written", got.Len(), len(want))
	}
	if firsts[0]%hugepage.Size != 0 {
		t.Errorf("first chunk at %#x: not at a 2 MiB boundary", firsts[0])
	}
	for i := 1; i < (4<<20)/chunkSize; i++ {
		if firsts[i] != firsts[i-1]+chunkSize {
			t.Fatalf("chunk %d at %#x, not after chunk %d at %#x in the block", i, firsts[i], i-1, firsts[i-1])
		}
	}
	small := &aheadChunks{}
	if small.hugeSlab(hugepage.Size/2 - 1); small.slab != nil {
		t.Errorf("a block of %d bytes for a section of less than half a huge page", len(small.slab))
	}
}
