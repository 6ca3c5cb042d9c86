package feed

import (
	"sort"
	"time"
	"unsafe"
)

// Index is the frame list: one compact row per frame, what the packet list
// shows, with the variable-length columns in a shared byte arena. A row is
// a few dozen bytes; the decoded frame itself is not kept. Rows and arena
// are append-only, so a copy of an Index (its slice headers) stays valid
// while the Source appends to the original.
//
// An Index may hold a window of the latest frames only (a live capture:
// DropOldest): frames 1 to Oldest()-1 were counted but their rows are no
// longer held.
type Index struct {
	rows  []row
	arena []byte
	first time.Time
	base  int // frames before the first row held (DropOldest)
}

type row struct {
	time   int64 // capture time, Unix nanoseconds
	off    uint64
	number int32
	length int32
	source uint16
	srcN   uint8
	dstN   uint8
	protoN uint8
	errs   uint8
	infoN  uint16
}

// Row is one frame of the list. Added, the columns are cut to 255 bytes
// (Info to 65535) and Errs to 255; read back, the columns alias the
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

// Add appends the row of the next frame (frames come in order, from 1).
func (x *Index) Add(r *Row) {
	if len(x.rows) == 0 {
		x.first = r.Time
	}
	w := row{
		time:   r.Time.UnixNano(),
		off:    uint64(len(x.arena)),
		number: int32(r.Number),
		length: int32(r.Length),
		source: uint16(r.Source),
		srcN:   uint8(min(len(r.Src), 255)),
		dstN:   uint8(min(len(r.Dst), 255)),
		protoN: uint8(min(len(r.Proto), 255)),
		infoN:  uint16(min(len(r.Info), 65535)),
		errs:   uint8(min(r.Errs, 255)),
	}
	x.arena = append(x.arena, r.Src[:w.srcN]...)
	x.arena = append(x.arena, r.Dst[:w.dstN]...)
	x.arena = append(x.arena, r.Proto[:w.protoN]...)
	x.arena = append(x.arena, r.Info[:w.infoN]...)
	x.rows = append(x.rows, w)
}

// Len is the number of frames, those no longer held included.
func (x *Index) Len() int { return x.base + len(x.rows) }

// Oldest is the number of the oldest frame whose row is held (Len()+1
// when none is): the frames before it went to bound memory.
func (x *Index) Oldest() int { return x.base + 1 }

// Bytes is the memory the index holds.
func (x *Index) Bytes() int { return cap(x.rows)*int(unsafe.Sizeof(row{})) + cap(x.arena) }

// DropOldest returns the index without the rows of the oldest n frames
// it holds: a new Index (copies of x stay valid), the first frame's time
// kept.
func (x *Index) DropOldest(n int) Index {
	n = min(max(n, 0), len(x.rows))
	if n == len(x.rows) {
		return Index{first: x.first, base: x.base + n}
	}
	off := x.rows[n].off
	out := Index{first: x.first, base: x.base + n}
	out.rows = make([]row, len(x.rows)-n, 2*(len(x.rows)-n))
	copy(out.rows, x.rows[n:])
	for i := range out.rows {
		out.rows[i].off -= off
	}
	out.arena = make([]byte, len(x.arena)-int(off), 2*(len(x.arena)-int(off)))
	copy(out.arena, x.arena[off:])
	return out
}

// First is the capture time of the first frame.
func (x *Index) First() time.Time { return x.first }

// Row returns the row of frame number n (1-based), or false (also for a
// frame no longer held).
func (x *Index) Row(n int) (Row, bool) {
	if n <= x.base || n > x.Len() {
		return Row{}, false
	}
	w := &x.rows[n-1-x.base]
	a := x.arena[w.off:]
	r := Row{Number: int(w.number), Time: time.Unix(0, w.time).UTC(), Length: int(w.length), Source: int(w.source), Errs: int(w.errs)}
	i := int(w.srcN)
	r.Src = a[:i:i]
	r.Dst = a[i : i+int(w.dstN) : i+int(w.dstN)]
	i += int(w.dstN)
	r.Proto = a[i : i+int(w.protoN) : i+int(w.protoN)]
	i += int(w.protoN)
	r.Info = a[i : i+int(w.infoN) : i+int(w.infoN)]
	return r, true
}

// Time is the capture time of frame n (zero if there is none, or it is
// no longer held).
func (x *Index) Time(n int) time.Time {
	if n <= x.base || n > x.Len() {
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
