package feed

import (
	"encoding/binary"
	"sort"
	"time"
	"unsafe"
)

// Index is the frame list: one fixed-size record per frame in a slab
// (time, length, input, errors, and where its columns are), never the
// decoded frame. A frame's columns (source, destination, protocol, info)
// are either held as text in a shared byte arena (Add), or re-derived on
// demand by the Index's Summarizer from a Ref (AddRef): the frame read
// again from its file and decoded alone. Records and arena are
// append-only, so a copy of an Index (its slice headers) stays valid while
// the Source appends to the original.
//
// An Index may hold a window of the latest frames only (a live capture:
// DropOldest): frames 1 to Oldest()-1 were counted but their rows are no
// longer held.
type Index struct {
	rows  []row
	arena []byte
	first time.Time
	base  int // frames before the first row held (DropOldest)
	sum   Summarizer
}

// row is one frame: 40 bytes.
type row struct {
	time   int64  // capture time, Unix nanoseconds
	loc    int64  // Ref.Offset, or where the columns start in the arena (kind 0)
	aux    uint32 // Ref.Aux
	length int32  // on the wire
	capLen int32  // Ref.CapLen
	source uint16
	link   uint16 // Ref.Link
	errs   uint8
	kind   uint8 // 0: the columns are in the arena; else Ref.Kind
}

// textHeader is the lengths of a row's columns at the start of its text
// in the arena: source, destination and protocol (a byte each), info
// (two bytes, little-endian).
const textHeader = 5

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
	// Kind is the Summarizer's own (not 0): how to decode the frame.
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
	w := x.newRow(r)
	w.loc = int64(len(x.arena))
	srcN, dstN, protoN := min(len(r.Src), 255), min(len(r.Dst), 255), min(len(r.Proto), 255)
	infoN := min(len(r.Info), 65535)
	x.arena = append(x.arena, byte(srcN), byte(dstN), byte(protoN))
	x.arena = binary.LittleEndian.AppendUint16(x.arena, uint16(infoN))
	x.arena = append(x.arena, r.Src[:srcN]...)
	x.arena = append(x.arena, r.Dst[:dstN]...)
	x.arena = append(x.arena, r.Proto[:protoN]...)
	x.arena = append(x.arena, r.Info[:infoN]...)
	x.rows = append(x.rows, w)
}

// AddRef appends the row of the next frame, its columns re-derived on
// demand from ref (ref.Kind is not 0) by the Summarizer.
func (x *Index) AddRef(r *Row, ref Ref) {
	w := x.newRow(r)
	w.kind = max(ref.Kind, 1)
	w.loc, w.capLen, w.link, w.aux = ref.Offset, int32(ref.CapLen), ref.Link, ref.Aux
	x.rows = append(x.rows, w)
}

func (x *Index) newRow(r *Row) row {
	if len(x.rows) == 0 && x.base == 0 {
		x.first = r.Time
	}
	return row{
		time:   r.Time.UnixNano(),
		length: int32(r.Length),
		source: uint16(r.Source),
		errs:   uint8(min(r.Errs, 255)),
	}
}

// Len is the number of frames, those no longer held included.
func (x *Index) Len() int { return x.base + len(x.rows) }

// Oldest is the number of the oldest frame whose row is held (Len()+1
// when none is): the frames before it went to bound memory.
func (x *Index) Oldest() int { return x.base + 1 }

// Held reports whether the row of frame n is held.
func (x *Index) Held(n int) bool { return n > x.base && n <= x.Len() }

// Bytes is the memory the index holds.
func (x *Index) Bytes() int { return cap(x.rows)*int(unsafe.Sizeof(row{})) + cap(x.arena) }

// DropOldest returns the index without the rows of the oldest n frames
// it holds: a new Index (copies of x stay valid), the first frame's time
// kept.
func (x *Index) DropOldest(n int) Index {
	n = min(max(n, 0), len(x.rows))
	out := Index{first: x.first, base: x.base + n, sum: x.sum}
	if n == len(x.rows) {
		return out
	}
	off := int64(len(x.arena))
	for i := n; i < len(x.rows); i++ {
		if x.rows[i].kind == 0 {
			off = x.rows[i].loc
			break
		}
	}
	out.rows = make([]row, len(x.rows)-n, 2*(len(x.rows)-n))
	copy(out.rows, x.rows[n:])
	for i := range out.rows {
		if out.rows[i].kind == 0 {
			out.rows[i].loc -= off
		}
	}
	out.arena = make([]byte, len(x.arena)-int(off), 2*(len(x.arena)-int(off)))
	copy(out.arena, x.arena[off:])
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
	w := &x.rows[n-1-x.base]
	r := Row{Number: n, Time: time.Unix(0, w.time).UTC(), Length: int(w.length), Source: int(w.source), Errs: int(w.errs)}
	if w.kind != 0 {
		if x.sum != nil {
			x.sum.Columns(&r, Ref{Kind: w.kind, Offset: w.loc, CapLen: int(w.capLen), Link: w.link, Aux: w.aux})
		}
		return r, true
	}
	a := x.arena[w.loc:]
	srcN, dstN, protoN, infoN := int(a[0]), int(a[1]), int(a[2]), int(binary.LittleEndian.Uint16(a[3:]))
	i := textHeader
	cut := func(k int) []byte { b := a[i : i+k : i+k]; i += k; return b }
	r.Src, r.Dst, r.Proto, r.Info = cut(srcN), cut(dstN), cut(protoN), cut(infoN)
	return r, true
}

// Time is the capture time of frame n (zero if there is none, or it is
// no longer held).
func (x *Index) Time(n int) time.Time {
	if !x.Held(n) {
		return time.Time{}
	}
	return time.Unix(0, x.rows[n-1-x.base].time).UTC()
}

// FrameAt is the number of the last frame at or before t (0 if none; the
// last frame no longer held when t is before the oldest one held).
func (x *Index) FrameAt(t time.Time) int {
	ns := t.UnixNano()
	return x.base + sort.Search(len(x.rows), func(i int) bool { return x.rows[i].time > ns })
}
