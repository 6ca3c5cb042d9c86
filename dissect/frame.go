package dissect

import (
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Frame is one captured frame as the engine decoded it: its capture
// metadata, the flat protocol tree of every layer, the summary columns and
// the typed messages found in it. The engine reuses one Frame; everything in
// it (Data, Tree, Msgs) is valid until the next frame is decoded.
type Frame struct {
	Number      int           // 1-based, in merged capture order (tshark's frame.number)
	Time        time.Time     // capture timestamp
	Rel         time.Duration // since the first frame
	Source      int           // index of the input (-r) it came from
	SourceLabel string        // that input's label (segment name)
	Len         int           // original length on the wire
	CapLen      int           // bytes captured
	LinkType    layers.LinkType
	Data        []byte
	Net         Net
	Tree        Tree
	Proto       string    // protocol column: the topmost protocol decoded
	Info        []byte    // info column; may hold raw wire bytes: printers escape
	Errs        []error   // decode errors on this frame (each also an Expert node)
	Msgs        []Message // typed NBT-and-above messages, in order, for the timeline
	// Bounds are the bounds of the engine's state this frame hit: what was
	// forgotten to stay within them (a connection evicted, a transaction
	// dropped). The timeline makes each a "limit" anomaly.
	Bounds []BoundHit

	arena []byte // CopyTo's backing store for the copied bytes
}

// Net is the addressing of a frame, for columns, filters and the timeline.
type Net struct {
	HasIP      bool
	Src, Dst   [4]byte
	IPProto    uint8 // 6 TCP, 17 UDP
	SrcPort    uint16
	DstPort    uint16
	VLAN       uint16
	HasVLAN    bool
	TCPStream  int // tshark's tcp.stream, -1 if not TCP
	Fragmented bool
}

// BoundHit is a bound of the state kept between frames, hit on a frame.
type BoundHit struct {
	// Bound names it as the README's reliability section does
	// ("MaxConns", "MaxStreams", "MaxFragments", "MaxTransactions",
	// "MaxRequests").
	Bound string
	// Err says what was forgotten: a *DecodeError wrapping ErrLimit.
	Err error
}

// Message is a decoded protocol message handed to the timeline: one of
// *NBNS, *NBDGM, *NBSS, *SMB, *Browser, *LANMANAnnounce, *RAPRequest,
// *RAPResponse. It points into the engine's reused decoders: copy what you
// keep.
type Message interface {
	LayerType() gopacket.LayerType
}

// Reset prepares the frame for reuse.
func (f *Frame) Reset() {
	f.Tree.Reset()
	f.Info = f.Info[:0]
	f.Errs = f.Errs[:0]
	f.Msgs = f.Msgs[:0]
	f.Bounds = f.Bounds[:0]
	f.Proto = ""
	f.Net = Net{TCPStream: -1}
}

// CopyTo makes dst a deep copy of f that stays valid after the engine has
// decoded the next frame, reusing dst's memory: the packet bytes, every
// node (with its value bytes), the data sources, the info column and the
// errors. Msgs is not copied, because the typed messages point into the
// engine's reused decoders: dst.Msgs is empty. This is how a frame is
// handed to another goroutine (the engine's session stage). It returns
// the number of bytes copied.
func (f *Frame) CopyTo(dst *Frame) int {
	n := len(f.Data)
	for i := range f.Tree.Nodes {
		n += len(f.Tree.Nodes[i].S)
	}
	for i := range f.Tree.Sources {
		n += len(f.Tree.Sources[i].Data)
	}
	// One allocation at most, sized before any copy, so the slices taken
	// from the arena are never moved by a later append. An arena grown
	// for a huge frame (a reassembled transaction) is not kept for small
	// ones.
	if c := cap(dst.arena); c < n || c > 256<<10 && c > 4*n {
		dst.arena = make([]byte, 0, n+n/4)
	}
	a := dst.arena[:0]
	take := func(b []byte) []byte {
		if b == nil {
			return nil
		}
		start := len(a)
		a = append(a, b...)
		return a[start:len(a):len(a)]
	}
	dst.Number, dst.Time, dst.Rel = f.Number, f.Time, f.Rel
	dst.Source, dst.SourceLabel = f.Source, f.SourceLabel
	dst.Len, dst.CapLen, dst.LinkType = f.Len, f.CapLen, f.LinkType
	dst.Net, dst.Proto = f.Net, f.Proto
	dst.Data = take(f.Data)
	dst.Info = append(dst.Info[:0], f.Info...)
	dst.Errs = append(dst.Errs[:0], f.Errs...)
	dst.Bounds = append(dst.Bounds[:0], f.Bounds...)
	dst.Msgs = dst.Msgs[:0]
	t, dt := &f.Tree, &dst.Tree
	dt.Nodes = append(dt.Nodes[:0], t.Nodes...)
	for i := range dt.Nodes {
		if s := dt.Nodes[i].S; len(s) > 0 {
			dt.Nodes[i].S = take(s)
		}
	}
	dt.Sources = append(dt.Sources[:0], t.Sources...)
	for i := range dt.Sources {
		dt.Sources[i].Data = take(dt.Sources[i].Data)
	}
	dt.Base, dt.Src, dt.Off, dt.Want = t.Base, t.Src, t.Off, t.Want
	// The copy can be decoded into further: its own scratch space, empty.
	if dt.grow > cap(dt.scratch) {
		dt.scratch = make([]byte, 0, dt.grow)
	}
	dt.scratch, dt.depth = dt.scratch[:0], 0
	dst.arena = a
	return n
}
