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
	f.Proto = ""
	f.Net = Net{TCPStream: -1}
}
