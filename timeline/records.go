package timeline

import (
	"unsafe"

	"github.com/nbtsniff/nbtsniff/internal/hugepage"
)

// The records of the tracker's bounded tables (Browse List entries, hosts,
// addresses, bindings) are never freed one by one: a record forgotten is
// reused (popFree, recycle; the bindings start afresh), so the memory of
// a table grows up to its bound and stays. A flood of new hosts fills
// each table to its bound with records written once each, all fresh
// memory: every 4 KiB page of it a page fault at its first write (some
// 1.4 µs here), about 1,400 of the 2,000 faults of the tracker over
// 10,000 new hosts. So the records come from chunks (recSlab): small
// ones first, and once floodRecs records are made, chunks of the room
// left under the table's bound, up to floodBytes, whose memory is
// advised to use huge pages (hugepage.Advise) and handed out from a 2 MiB
// boundary on: a 2 MiB page is one fault (some 100 µs, clearing it)
// where 512 small pages were 512.

const (
	firstChunk = 64      // the records of a first chunk
	floodRecs  = 1024    // records made before chunks are sized for a flood
	floodBytes = 4 << 20 // a flood's chunk at most: it holds a whole 2 MiB page wherever it starts
)

// chunkLen is the records of the next chunk of records of size bytes,
// after made of them, for a table of bound records: 64, 64, 128, 256 and
// 512 (1,024 in all), then the rest of the bound, at most floodBytes at a
// time. Past the bound (records forgotten beyond what the free lists
// keep, then made again: a burst of expiries), one at a time, as records
// of their own: a chunk lives as long as any of its records, and one
// long-lived record must not hold a chunk of dead ones.
func chunkLen(made, bound, size int) int {
	switch {
	case made >= bound:
		return 1
	case made < floodRecs:
		return min(max(firstChunk, made), floodRecs-made, bound-made)
	}
	return min(bound-made, floodBytes/size)
}

// recChunkOf is a chunk of records of T and the order to hand them out.
type recChunkOf[T any] struct {
	recs  []T
	start int // the first record handed out; then to the end and from 0
}

// makeChunk is a chunk of n records of T or more. A chunk of a flood
// (half a huge page or more) is advised to use huge pages, and its first
// records handed out are those of its first whole 2 MiB page: a chunk of
// less than floodBytes gets room for its n records after that boundary,
// wherever the allocation starts (the room before it is handed out last,
// if ever).
func makeChunk[T any](n int) recChunkOf[T] {
	var zero T
	size := int(unsafe.Sizeof(zero))
	if n*size < hugepage.Size/2 {
		return recChunkOf[T]{recs: make([]T, n)}
	}
	if n*size < floodBytes {
		n += hugepage.Size/size + 1 // room to start at the boundary
	}
	c := make([]T, n)
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(c))), n*size)
	hugepage.Advise(b)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(c)))
	off := int((hugepage.Size - p%hugepage.Size) % hugepage.Size)
	return recChunkOf[T]{recs: c, start: (off + size - 1) / size}
}

// index is the index in recs of the i-th record to hand out.
func (c *recChunkOf[T]) index(i int) int {
	if i += c.start; i >= len(c.recs) {
		i -= len(c.recs)
	}
	return i
}

// recSlab hands out records of T from chunks (chunkLen, makeChunk).
type recSlab[T any] struct {
	cur  recChunkOf[T]
	used int // of cur
	made int
}

// add puts v in a new record and returns it; bound is the table's.
func (s *recSlab[T]) add(v T, bound int) *T {
	if s.used == len(s.cur.recs) {
		var zero T
		s.cur, s.used = makeChunk[T](chunkLen(s.made, bound, int(unsafe.Sizeof(zero)))), 0
	}
	s.used++
	s.made++
	i := s.cur.index(s.used - 1)
	s.cur.recs[i] = v // (through the slice: see hostSlab.newHost)
	return &s.cur.recs[i]
}

// hostRecs are the records a new host makes, one of each, in a flood:
// its host record, its address's and its binding's. They are handed out
// from the same chunks (hostSlab), each kind in turn: the three records
// of a new host share pages, and a flood's 4,096 of them (MaxHosts) fit
// in one 2 MiB page, where three chunks of their own would take three
// (or 1,400 small pages).
type hostRecs struct {
	host hostRec
	ip   ipRec
	bind binding
}

// hostSlab hands out host, address and binding records (hostRecs).
type hostSlab struct {
	chunks         []recChunkOf[hostRecs]
	made           int // records of the chunks
	host, ip, bind slabCursor
}

// slabCursor is where the next record of one kind is: chunk k, its i-th.
type slabCursor struct{ k, i int }

// next is where the next record of one kind goes: the records of a
// chunk and its index there.
func (s *hostSlab) next(c *slabCursor, bound int) ([]hostRecs, int) {
	for c.k < len(s.chunks) && c.i == len(s.chunks[c.k].recs) {
		c.k, c.i = c.k+1, 0
	}
	if c.k == len(s.chunks) {
		ch := makeChunk[hostRecs](chunkLen(s.made, bound, int(unsafe.Sizeof(hostRecs{}))))
		s.chunks = append(s.chunks, ch)
		s.made += len(ch.recs)
	}
	c.i++
	ch := &s.chunks[c.k]
	return ch.recs, ch.index(c.i - 1)
}

// newHost puts v in a new host record and returns it; likewise newIP and
// newBinding (a zero one). The record is written through its slice, not
// through a pointer, which the compiler checks for nil first by reading
// it (see popFree).
func (s *hostSlab) newHost(v hostRec, bound int) *hostRec {
	rs, i := s.next(&s.host, bound)
	rs[i].host = v
	return &rs[i].host
}

func (s *hostSlab) newIP(v ipRec, bound int) *ipRec {
	rs, i := s.next(&s.ip, bound)
	rs[i].ip = v
	return &rs[i].ip
}

func (s *hostSlab) newBinding(bound int) *binding {
	rs, i := s.next(&s.bind, bound)
	rs[i].bind = binding{}
	return &rs[i].bind
}

// resetBindings hands the binding records out again from the first (the
// bindings table starts afresh).
func (s *hostSlab) resetBindings() { s.bind = slabCursor{} }
