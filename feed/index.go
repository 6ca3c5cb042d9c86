package feed

import (
	"encoding/binary"
	"sort"
	"time"
	"unsafe"
)

// Index is the frame list: one fixed-size record of 24 bytes per frame
// (or, in a run of frames that follow each other in their file, 12 bytes
// a frame: runs.go) in a slab of fixed-size chunks (time, length, input, errors, and where
// its columns are), never the decoded frame. A frame's columns (source, destination, protocol, info)
// are either held as text in a shared byte arena (Add), or re-derived on
// demand by the Index's Summarizer from a Ref (AddRef): the frame read
// again from its file and decoded alone. Records and arena are
// append-only (a full chunk is never moved nor written again), so a copy
// of an Index (its slice headers) stays valid while the Source appends to
// the original.
//
// An Index may hold a window of the latest frames only (a live capture:
// DropOldest): frames 1 to Oldest()-1 were counted but their rows are no
// longer held.
type Index struct {
	chunks []*chunkRef // entries: rows, and the heads of runs (runs.go)
	ne     int         // entries written
	n      int         // rows held (frames), those of runs one each
	dir    []dirEntry  // per dirFrames rows held, the entry of the first (runs.go)
	cells  []*cellChunkRef
	nc     int      // cells written
	open   openRun  // the run being added to, not written yet
	arena  [][]byte // text rows, in chunks (whole: len is cap; never moved)
	tail   int      // bytes used in the last chunk
	used   int      // bytes of text held
	chunkB int      // bytes of the arena's chunks
	tags   []tag    // the (input, link type) pairs of the rows
	first  time.Time
	base   int // frames before the first row held (DropOldest)
	sum    Summarizer
	carve  slabCarver // where the next chunk comes from (slab_*.go)
}

// chunkRows is the number of rows of a chunk of the slab (192 KiB).
const chunkRows = 8192

type chunk [chunkRows]row

// chunkRef holds a chunk (newChunk: outside the Go heap where it can),
// and the region it was carved from, which lives as long as its chunks.
type chunkRef struct {
	rows *chunk
	reg  *region
}

// row is one frame: 24 bytes. A row with its text in the arena (kind 0)
// has its length, input and errors there; a row by reference (AddRef) has
// them in bits: its length is its captured length.
type row struct {
	time int64  // capture time, Unix nanoseconds
	loc  int64  // Ref.Offset, or where the row's text starts in the arena (kind 0)
	aux  uint32 // Ref.Aux
	bits uint32 // Ref.Kind (2 bits), errors (3 bits, at most 7), tag (8 bits), Ref.CapLen (19 bits)
}

// The fields of row.bits, from the top.
const (
	kindShift = 30
	errsShift = 27
	tagShift  = 19
	maxErrs   = 7
	maxTags   = 256
	maxCapLen = 1<<19 - 1
)

// tag is an input (Row.Source) and a link type (Ref.Link): a capture has
// few pairs, a row by reference names its pair.
type tag struct{ source, link uint16 }

func (w *row) kind() uint8 { return uint8(w.bits >> kindShift) }

// The arena's chunks: 4 KiB, then twice the one before up to 128 KiB, or
// the most text a row holds (textHeader, three columns of 255 bytes and
// an info of 65535) if more. A row's loc is its chunk and its place in it
// (under 128 KiB). Chunks are made as needed and never moved: no doubling
// array copied as it grows.
const (
	arenaShift      = 17
	arenaFirstShift = 12
	arenaFirst      = 1 << arenaFirstShift
)

// textHeader is the start of a row's text in the arena: the lengths of its
// source, destination and protocol columns (a byte each) and of its info
// (two bytes), its errors (a byte), input (two bytes) and length on the
// wire (four bytes), little-endian.
const textHeader = 12

// Row is one frame of the list. Added, the columns are cut to 255 bytes
// (Info to 65535) and Errs to 255; read back, the columns may alias the
// Index's arena and must not be modified.
type Row struct {
	Number int
	Time   time.Time
	Length int // on the wire
	Source int // the input (Packet.Source)
	Errs   int // decode errors on the frame
	// The columns as the list shows them, escaped.
	Src, Dst, Proto, Info []byte
}

// Ref is where a Summarizer finds a frame again to re-derive its columns.
type Ref struct {
	// Kind is the Summarizer's own (1 or 2): how to decode the frame.
	Kind uint8
	// Offset and CapLen are where the frame's bytes are in its input
	// (Row.Source), Link its link type.
	Offset int64
	CapLen int
	Link   uint16
	// Aux is one datum the frame's columns need that its bytes do not
	// hold (the relative TCP sequence number of a skipped segment).
	Aux uint32
}

// Summarizer re-derives the columns of frames added by reference. It is
// called from the UI's goroutine while the Source appends, for the rows
// on screen only.
type Summarizer interface {
	// Columns sets r's Src, Dst, Proto and Info (as Add takes them) for
	// the frame r is (Number, Time, Length, Source set), found at ref. On
	// an error (the file is gone), Info says so.
	Columns(r *Row, ref Ref)
}

// SetSummarizer sets what re-derives the columns of rows added with
// AddRef.
func (x *Index) SetSummarizer(s Summarizer) { x.sum = s }

// Add appends the row of the next frame (frames come in order, from 1),
// its columns held as text.
func (x *Index) Add(r *Row) {
	x.setFirst(r)
	srcN, dstN, protoN := min(len(r.Src), 255), min(len(r.Dst), 255), min(len(r.Proto), 255)
	infoN := min(len(r.Info), 65535)
	size := textHeader + srcN + dstN + protoN + infoN
	if len(x.arena) == 0 || len(x.arena[len(x.arena)-1])-x.tail < size {
		next := arenaFirst << min(len(x.arena), arenaShift-arenaFirstShift)
		x.arena, x.tail = append(x.arena, make([]byte, max(next, size))), 0
		x.chunkB += max(next, size)
	}
	k := len(x.arena) - 1
	w := row{time: r.Time.UnixNano(), loc: int64(k)<<arenaShift | int64(x.tail)}
	a := x.arena[k][x.tail:x.tail] // appended to in place
	a = append(a, byte(srcN), byte(dstN), byte(protoN))
	a = binary.LittleEndian.AppendUint16(a, uint16(infoN))
	a = append(a, byte(min(max(r.Errs, 0), 255)))
	a = binary.LittleEndian.AppendUint16(a, uint16(r.Source))
	a = binary.LittleEndian.AppendUint32(a, uint32(max(r.Length, 0)))
	a = append(a, r.Src[:srcN]...)
	a = append(a, r.Dst[:dstN]...)
	a = append(a, r.Proto[:protoN]...)
	a = append(a, r.Info[:infoN]...)
	x.tail += len(a)
	x.used += len(a)
	x.push(w)
}

// AddRef appends the row of the next frame, its columns re-derived on
// demand from ref by the Summarizer, and reports true; or, for a frame a
// row by reference cannot hold, nothing and false: a length on the wire
// that is not its captured length, a captured length over 512 KiB
// (capture.MaxRecordSize is 256 KiB), a Kind not 1 or 2, or a 257th pair
// of input and link type. The caller adds it as text then.
func (x *Index) AddRef(r *Row, ref Ref) bool {
	if !x.addRef(r.Time.UnixNano(), r.Length, r.Source, r.Errs, ref) {
		return false
	}
	if x.n == 1 && x.base == 0 {
		x.first = r.Time
	}
	return true
}

func (x *Index) addRef(unixNano int64, length, source, errs int, ref Ref) bool {
	t, ok := x.tagOf(tag{uint16(source), ref.Link})
	if !ok || length != ref.CapLen || ref.CapLen < 0 || ref.CapLen > maxCapLen || ref.Kind == 0 || ref.Kind > maxRefKind {
		return false
	}
	w := row{time: unixNano, loc: ref.Offset, aux: ref.Aux}
	w.bits = uint32(ref.Kind)<<kindShift | uint32(min(max(errs, 0), maxErrs))<<errsShift | uint32(t)<<tagShift | uint32(ref.CapLen)
	x.push(w)
	return true
}

func (x *Index) setFirst(r *Row) {
	if x.n == 0 && x.base == 0 {
		x.first = r.Time
	}
}

// tagOf is the index of t in tags, added if new and there is room (the
// last is tried first).
func (x *Index) tagOf(t tag) (int, bool) {
	if n := len(x.tags); n > 0 && x.tags[n-1] == t {
		return n - 1, true
	}
	for i, u := range x.tags {
		if u == t {
			return i, true
		}
	}
	if len(x.tags) == maxTags {
		return 0, false
	}
	x.tags = append(x.tags, t)
	return len(x.tags) - 1, true
}

// push appends the row of the next frame (after the run being added to,
// if any).
func (x *Index) push(w row) {
	x.closeRun()
	if x.n%dirFrames == 0 {
		x.dir = append(x.dir, dirEntry{entry: x.ne, first: x.n})
	}
	x.pushEntry(w)
	x.n++
}

// pushEntry appends an entry, in a new chunk when the last is full.
func (x *Index) pushEntry(w row) {
	if x.ne%chunkRows == 0 {
		x.chunks = append(x.chunks, x.newChunk())
	}
	x.chunks[x.ne/chunkRows].rows[x.ne%chunkRows] = w
	x.ne++
}

// entry is the e-th entry.
func (x *Index) entry(e int) *row { return &x.chunks[e/chunkRows].rows[e%chunkRows] }

// Len is the number of frames, those no longer held included.
func (x *Index) Len() int { return x.base + x.n }

// Oldest is the number of the oldest frame whose row is held (Len()+1
// when none is): the frames before it went to bound memory.
func (x *Index) Oldest() int { return x.base + 1 }

// Held reports whether the row of frame n is held.
func (x *Index) Held(n int) bool { return n > x.base && n <= x.Len() }

// Bytes is the memory the index holds: its rows, the arena, and the
// rest of the last chunk aside (at most 192 KiB, whatever the length).
func (x *Index) Bytes() int {
	return x.ne*int(unsafe.Sizeof(row{})) + x.nc*int(unsafe.Sizeof(cell{})) + cap(x.dir)*int(unsafe.Sizeof(dirEntry{})) +
		(cap(x.chunks)+cap(x.cells))*8 + x.chunkB + cap(x.arena)*24 + cap(x.tags)*int(unsafe.Sizeof(tag{})) + int(unsafe.Sizeof(openRun{}))
}

// DropOldest returns the index without the rows of the oldest n frames
// it holds: a new Index (copies of x stay valid), the first frame's time
// kept.
func (x *Index) DropOldest(n int) Index {
	n = min(max(n, 0), x.n)
	out := Index{first: x.first, base: x.base + n, sum: x.sum, tags: x.tags}
	if n == x.n {
		return out
	}
	for i := n; i < x.n; i++ {
		w := x.rowAt(i) // a run's frames become rows
		if w.kind() != 0 {
			out.push(w)
			continue
		}
		r := x.textRow(x.base+i+1, w) // its text copied into out's arena
		out.Add(&r)
	}
	return out
}

// First is the capture time of the first frame.
func (x *Index) First() time.Time { return x.first }

// Row returns the row of frame number n (1-based), or false (also for a
// frame no longer held). A row added by reference has its columns
// re-derived (the Summarizer reads and decodes the frame again).
func (x *Index) Row(n int) (Row, bool) {
	if !x.Held(n) {
		return Row{}, false
	}
	w := x.rowAt(n - 1 - x.base)
	r := Row{Number: n, Time: time.Unix(0, w.time).UTC()}
	if k := w.kind(); k != 0 {
		t := x.tags[w.bits>>tagShift&(maxTags-1)]
		capLen := int(w.bits & maxCapLen)
		r.Length, r.Source, r.Errs = capLen, int(t.source), int(w.bits>>errsShift&maxErrs)
		if x.sum != nil {
			x.sum.Columns(&r, Ref{Kind: k, Offset: w.loc, CapLen: capLen, Link: t.link, Aux: w.aux})
		}
		return r, true
	}
	return x.textRow(n, w), true
}

// textRow is the row of frame n, w, whose text is in the arena.
func (x *Index) textRow(n int, w row) Row {
	r := Row{Number: n, Time: time.Unix(0, w.time).UTC()}
	a := x.arena[w.loc>>arenaShift][w.loc&(1<<arenaShift-1):]
	srcN, dstN, protoN, infoN := int(a[0]), int(a[1]), int(a[2]), int(binary.LittleEndian.Uint16(a[3:]))
	r.Errs, r.Source, r.Length = int(a[5]), int(binary.LittleEndian.Uint16(a[6:])), int(binary.LittleEndian.Uint32(a[8:]))
	i := textHeader
	cut := func(k int) []byte { b := a[i : i+k : i+k]; i += k; return b }
	r.Src, r.Dst, r.Proto, r.Info = cut(srcN), cut(dstN), cut(protoN), cut(infoN)
	return r
}

// Time is the capture time of frame n (zero if there is none, or it is
// no longer held).
func (x *Index) Time(n int) time.Time {
	if !x.Held(n) {
		return time.Time{}
	}
	return time.Unix(0, x.rowAt(n-1-x.base).time).UTC()
}

// FrameAt is the number of the last frame at or before t (0 if none; the
// last frame no longer held when t is before the oldest one held).
func (x *Index) FrameAt(t time.Time) int {
	ns := t.UnixNano()
	return x.base + sort.Search(x.n, func(i int) bool { return x.rowAt(i).time > ns })
}
