package feed

import (
	"sort"
	"time"
)

// Index is the frame list: one compact row per frame, what the packet list
// shows, with the variable-length columns in a shared byte arena. A row is
// a few dozen bytes; the decoded frame itself is not kept. Rows and arena
// are append-only, so a copy of an Index (its slice headers) stays valid
// while the Source appends to the original.
type Index struct {
	rows  []row
	arena []byte
	first time.Time
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

// Len is the number of frames.
func (x *Index) Len() int { return len(x.rows) }

// First is the capture time of the first frame.
func (x *Index) First() time.Time { return x.first }

// Row returns the row of frame number n (1-based), or false.
func (x *Index) Row(n int) (Row, bool) {
	if n < 1 || n > len(x.rows) {
		return Row{}, false
	}
	w := &x.rows[n-1]
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

// Time is the capture time of frame n (zero if there is none).
func (x *Index) Time(n int) time.Time {
	if n < 1 || n > len(x.rows) {
		return time.Time{}
	}
	return time.Unix(0, x.rows[n-1].time).UTC()
}

// FrameAt is the number of the last frame at or before t (0 if none).
func (x *Index) FrameAt(t time.Time) int {
	ns := t.UnixNano()
	return sort.Search(len(x.rows), func(i int) bool { return x.rows[i].time > ns })
}
