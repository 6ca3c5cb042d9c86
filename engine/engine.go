package engine

import (
	"time"
	"unsafe"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/ip4defrag"
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Config sets the engine's inputs and bounds.
type Config struct {
	// Labels names each input (its index is capture.Packet.Source): the
	// segment a frame was seen on.
	Labels []string
	// MaxTCPStreams bounds the TCP conversations tracked at once.
	MaxTCPStreams int
	// GiveUpTCPHoles treats a hole in a TCP stream as lost as soon as data
	// after it arrives, as tshark does with its default preferences, instead
	// of waiting for an out-of-order segment (see StreamLimits).
	GiveUpTCPHoles bool
	// Needs says what the consumer of the frames reads, and so what the
	// engine builds (NewNeeds; the zero Needs builds everything).
	Needs Needs
	// DeferSessions leaves the session packets of TCP 139/445 undecoded:
	// they are recorded for another engine to decode (TakeSessions,
	// ApplySessions in session.go), so that the two run on two cores.
	DeferSessions bool
}

// DefaultConfig returns sane bounds.
func DefaultConfig() Config {
	return Config{MaxTCPStreams: 4096}
}

// Engine is the per-frame pipeline: link layer, IPv4 (with fragment
// reassembly), UDP and TCP, then the NBT services and everything above
// them. It is fed frames in capture order and returns each decoded. It keeps
// bounded per-flow state and is driven only by capture timestamps.
//
// The returned *dissect.Frame and everything it points to are reused: they
// are valid until the next call to Decode.
type Engine struct {
	cfg   Config
	f     dissect.Frame
	n     int
	first time.Time
	// firstMono: first carries a monotonic clock reading (since); it was
	// worked out for firstOf, the first time since saw, whose seconds
	// and nanoseconds are firstSec and firstNsec.
	firstOf   time.Time
	firstMono bool
	firstSec  int64
	firstNsec int
	prev      time.Time
	begun     bool
	// routed: the shard of the frame being decoded, plus one, when its
	// reader gave it (DecodeNthRouted); 0: ShardOf finds it.
	routed int
	// ipAt: the offset of the frame's usual IPv4 header, when its reader
	// gave it (DecodeRoutedAt: an Ethernet frame, 802.1Q tags only); 0:
	// decode parses the link headers.
	ipAt int

	eth    layers.Ethernet
	dot1q  layers.Dot1Q
	sll    layers.LinuxSLL
	sll2   layers.LinuxSLL2
	loop   layers.Loopback
	gre    layers.GRE
	erspan layers.ERSPANII
	ip     layers.IPv4
	udp    layers.UDP
	tcp    layers.TCP
	defrag *ip4defrag.IPv4Defragmenter
	protos []byte
	needs  Needs // cfg.Needs, or everything
	// protoNode is the index of the frame.protocols node of the frame
	// being decoded.
	protoNode int
	cut       int  // bytes of the frame on the wire but not captured
	marked    bool // _ws.malformed or _ws.short added to the frame

	tcpNext int // the next tcp.stream, over all shards
	nbt     nbtState
	legacy  *legacyState // NetBEUI and IPX (netbeui.go), made when first needed

	hits      []BoundCount // bounds.go
	fragSwept time.Time    // when IPv4 fragments were last expired
	// forgot is the error of the last forgotStream, made for a shard of
	// forgotMax conversations: a flood of new conversations hits the
	// bound frame after frame with the same error (bounds.go).
	forgot    error
	forgotMax int

	// slowLink: every frame goes through gopacket's layers, none through
	// decodeNBTUDP (tests compare the two).
	slowLink bool

	// completions maps a transaction fragment's frame to the frame that
	// completed its transaction, learnt in a first pass (SetCompletions).
	completions map[int]int
}

// Completions returns, after a pass over a capture, the frame that
// completed each multi-message SMB transaction, keyed by the frames of its
// fragments. Give it to a fresh engine with SetCompletions for a second
// pass that can say "[Reassembled in frame N]" on every fragment.
func (e *Engine) Completions() map[int]int { return e.nbt.completed }

// SetCompletions installs what a first pass learnt (see Completions).
func (e *Engine) SetCompletions(m map[int]int) { e.completions = m }

// New makes an engine.
func New(cfg Config) *Engine {
	if cfg.MaxTCPStreams <= 0 {
		cfg.MaxTCPStreams = DefaultConfig().MaxTCPStreams
	}
	e := &Engine{cfg: cfg, defrag: ip4defrag.NewIPv4Defragmenter(), needs: cfg.Needs.orAll()}
	e.f.Net.TCPStream = -1
	e.f.Tree.Off = !e.needs.tree
	e.f.Tree.Want = e.needs.want
	e.nbt.init(e)
	return e
}

// Frames is the number of frames decoded so far.
func (e *Engine) Frames() int { return e.n }

// SetLabels names the inputs anew (Config.Labels), for a source whose
// inputs grow while it runs (a NATS subscriber's segments).
func (e *Engine) SetLabels(labels []string) { e.cfg.Labels = labels }

// DecodeNth decodes frame number n of a capture whose first frame was
// captured at first and the frame before this one at prev: the frame
// numbers, relative times and time deltas are the capture's, not this
// engine's. Several engines can then share one capture, each decoding the
// frames of its own flows (every frame of a flow, in order), and print
// what a single engine would.
func (e *Engine) DecodeNth(n int, first, prev time.Time, data []byte, ci gopacket.CaptureInfo, lt layers.LinkType, source int) *dissect.Frame {
	e.n, e.first, e.prev, e.begun = n-1, first, prev, true
	return e.Decode(data, ci, lt, source)
}

// Skipped is DecodeNth for a frame the reader found Skippable (and that
// it did not copy), when Needs.SkipOther: the frame's own fields only,
// as Decode makes them of such a frame, with capLen its captured length.
func (e *Engine) Skipped(n int, first, prev time.Time, capLen int, ci gopacket.CaptureInfo, lt layers.LinkType, source int) *dissect.Frame {
	e.n, e.first, e.prev, e.begun = n-1, first, prev, true
	f := e.begin(nil, capLen, &ci, lt, source)
	f.Proto = "Frame"
	return f
}

// SkippedFields lists the fields of the nodes a frame Skipped makes (or
// Decode makes of a Skippable frame, under Needs.SkipOther) may hold with
// these needs: the frame's own (begin) and the expert note of a frame
// whose original length is less than its captured length (frameLen).
// frame.number is listed only if every such frame holds it, once, with
// the frame's number: so a printer that shows no other of these fields
// can print such frames from their numbers alone.
func (n Needs) SkippedFields() []dissect.FieldID {
	n = n.orAll()
	fields := []dissect.FieldID{dissect.FieldFrame, dissect.FieldFrameIface, dissect.FieldFrameTime,
		dissect.FieldFrameTimeEpoch, dissect.FieldFrameTimeDelta, dissect.FieldFrameTimeRel, dissect.FieldFrameLen,
		dissect.FieldFrameCapLen, dissect.FieldFrameProtocols, dissect.FieldFrameSource,
		fExpert, fExpertMessage, fExpertSeverity, fExpertGroup, fLenLtCapLen, dissect.FieldMalformed}
	if n.tree && (n.want == nil || int(dissect.FieldFrameNumber) < len(n.want) && n.want[dissect.FieldFrameNumber]) {
		fields = append(fields, dissect.FieldFrameNumber)
	}
	return fields
}

// DecodeNthKept is DecodeNth for a frame its reader found not Skippable
// under the engine's Needs (Needs.Skippable of the whole frame, when
// Needs.SkipOther): Decode's own test of it, the same parse of the
// headers, is not made again (2-3% of a -T fields run on NBT-dense
// traffic, where every frame is tested).
func (e *Engine) DecodeNthKept(n int, first, prev time.Time, data []byte, ci gopacket.CaptureInfo, lt layers.LinkType, source int) *dissect.Frame {
	e.n, e.first, e.prev, e.begun = n-1, first, prev, true
	return e.decode(data, &ci, lt, source, false)
}

// DecodeNthRouted is DecodeNthKept for a frame whose reader also has its
// shard from Route (which is ShardOf's): a TCP segment's state is found
// without a third parse of its link and IPv4 headers (ShardOf, 0.4% of
// the NBT-dense mix's --report).
func (e *Engine) DecodeNthRouted(n int, first, prev time.Time, data []byte, ci gopacket.CaptureInfo, lt layers.LinkType, source, shard int) *dissect.Frame {
	return e.DecodeRouted(n, &first, &prev, data, &ci, lt, source, shard, 0)
}

// DecodeRouted is DecodeNthRouted given the capture's first time, the
// time of the frame before and the frame's capture info by reference:
// what the parallel engines call for every frame (the copies of these 15
// words through three calls were about 1% of the instructions of a
// --report run on NBT-dense traffic). They are only read. ipOff is
// Needs.SkipOrRoute's of the frame (0 if it gave none): without a tree,
// the engine starts at that IPv4 header, the Ethernet and 802.1Q headers
// not parsed again.
func (e *Engine) DecodeRouted(n int, first, prev *time.Time, data []byte, ci *gopacket.CaptureInfo, lt layers.LinkType, source, shard, ipOff int) *dissect.Frame {
	e.n, e.first, e.begun = n-1, *first, true
	if !e.f.Tree.Off { // without a tree nothing reads e.prev (begin)
		e.prev = *prev
	}
	e.routed, e.ipAt = shard+1, ipOff
	f := e.decode(data, ci, lt, source, false)
	e.routed, e.ipAt = 0, 0
	return f
}

// shardOf is ShardOf of frame f, the one its reader gave if it did.
func (e *Engine) shardOf(f *dissect.Frame) int {
	if e.routed > 0 {
		return e.routed - 1
	}
	return ShardOf(f.Data, f.LinkType)
}

// Decode decodes one frame. data must stay valid until the next call.
func (e *Engine) Decode(data []byte, ci gopacket.CaptureInfo, lt layers.LinkType, source int) *dissect.Frame {
	return e.decode(data, &ci, lt, source, true)
}

// decode is Decode; test: whether a Skippable frame is to be told apart
// (not when its reader found it is not one).
func (e *Engine) decode(data []byte, ci *gopacket.CaptureInfo, lt layers.LinkType, source int, test bool) *dissect.Frame {
	f := e.begin(data, len(data), ci, lt, source)
	if test && e.needs.skipOther && e.cut == 0 && skippable(data, lt, e.needs.sessions) {
		f.Proto = "Frame"
		return f
	}
	protoNode := e.protoNode
	t := &f.Tree
	switch {
	case t.Off && e.ipAt > 0 && !e.slowLink && lt == layers.LinkTypeEthernet && e.ipAt+20 <= len(data):
		e.decodeIPv4At(f, data, e.ipAt)
	case !t.Off || e.slowLink || lt != layers.LinkTypeEthernet || !e.decodeEthernetIPv4(f, data):
		e.decodeLink(f, data, lt)
	}

	if len(e.protos) > 0 && e.protos[len(e.protos)-1] == ':' {
		e.protos = e.protos[:len(e.protos)-1]
	}
	if protoNode < len(t.Nodes) && t.Nodes[protoNode].Field == dissect.FieldFrameProtocols {
		t.Nodes[protoNode].S = e.protos
	}
	if f.Proto == "" {
		f.Proto = "Frame"
	}
	return f
}

// since is t.Sub(e.first), the frame's time relative to the first frame,
// without Time.Sub's overflow test (which adds and compares two Times,
// about 1% of a --report run) when the difference cannot overflow. A
// capture time has no monotonic clock reading: Sub subtracts the seconds
// and nanoseconds then, as since does (with one, as a test's time.Now
// has, Sub is called).
func (e *Engine) since(t time.Time) time.Duration {
	// (begin has this test inlined.)
	if s := t.Unix() - e.firstSec; uint64(s+maxSinceSeconds-1) < 2*maxSinceSeconds-1 && e.first == e.firstOf && !e.firstMono {
		return time.Duration(s)*time.Second + time.Duration(t.Nanosecond()-e.firstNsec)
	}
	return e.sinceFirst(t)
}

// sinceFirst is since of a first time not seen before (or with a
// monotonic reading), or of a time too far from it.
func (e *Engine) sinceFirst(t time.Time) time.Duration {
	if e.first != e.firstOf {
		// Round(0) strips a monotonic reading: a call, so made once per
		// first time, not per frame (the engines of a parallel run are
		// given the capture's first time with each frame).
		e.firstOf, e.firstMono = e.first, e.first != e.first.Round(0)
		e.firstSec, e.firstNsec = e.first.Unix(), e.first.Nanosecond()
	}
	s := t.Unix() - e.firstSec
	if s <= -maxSinceSeconds || s >= maxSinceSeconds || e.firstMono {
		return t.Sub(e.first)
	}
	return time.Duration(s)*time.Second + time.Duration(t.Nanosecond()-e.firstNsec)
}

// maxSinceSeconds bounds the seconds since's own arithmetic takes: far
// below the 292 years a Duration holds.
const maxSinceSeconds = 1 << 32

// begin starts a frame of capLen captured bytes (data, or nil for a
// skipped frame): its number, times, lengths and the frame's own fields.
func (e *Engine) begin(data []byte, capLen int, ci *gopacket.CaptureInfo, lt layers.LinkType, source int) *dissect.Frame {
	f := &e.f
	f.Reset()
	e.nbt.deferred, e.nbt.rec, e.nbt.recData = false, e.nbt.rec[:0], e.nbt.recData[:0]
	e.n++
	if !e.begun {
		e.first, e.begun = ci.Timestamp, true
	}
	f.Number = e.n
	f.Time = ci.Timestamp
	// since, inlined (its call was about 35 instructions a frame)
	if s := ci.Timestamp.Unix() - e.firstSec; uint64(s+maxSinceSeconds-1) < 2*maxSinceSeconds-1 && e.first == e.firstOf && !e.firstMono {
		f.Rel = time.Duration(s)*time.Second + time.Duration(ci.Timestamp.Nanosecond()-e.firstNsec)
	} else {
		f.Rel = e.sinceFirst(ci.Timestamp)
	}
	f.Source = source
	f.SourceLabel = ""
	if source >= 0 && source < len(e.cfg.Labels) {
		f.SourceLabel = e.cfg.Labels[source]
	}
	f.Len = ci.Length
	f.CapLen = capLen
	f.LinkType = lt
	f.Data = data
	e.protos = e.protos[:0]
	e.cut = max(ci.Length-capLen, 0)
	e.marked = false

	t := &f.Tree
	if t.Off {
		// No tree (the timeline): the frame's own fields are not built,
		// and e.prev, which only they read, is not kept.
		e.protoNode = 0
		return f
	}
	t.Open(dissect.FieldFrame, 0, len(data))
	prev := e.prev
	e.prev = ci.Timestamp
	if t.WantsSet(frameFields) {
		var delta time.Duration
		if e.n > 1 {
			delta = ci.Timestamp.Sub(prev)
		}
		t.Uint(dissect.FieldFrameNumber, -1, 0, uint64(f.Number))
		// Merged inputs are numbered as mergecap -I none numbers them
		// (tshark on a merged file): the inputs one after the other.
		// Exact when every input before this one has one interface (a
		// pcap file, or a pcapng of one capture interface). A pcap record
		// of a single input has no interface (-1), as in tshark.
		if ci.InterfaceIndex >= 0 || f.Source > 0 {
			t.Uint(dissect.FieldFrameIface, -1, 0, uint64(max(ci.InterfaceIndex, 0)+max(f.Source, 0)))
		}
		t.Uint(dissect.FieldFrameTime, -1, 0, uint64(ci.Timestamp.UnixNano()))
		t.Uint(dissect.FieldFrameTimeEpoch, -1, 0, uint64(ci.Timestamp.UnixNano()))
		t.Uint(dissect.FieldFrameTimeDelta, -1, 0, uint64(delta))
		t.Uint(dissect.FieldFrameTimeRel, -1, 0, uint64(f.Rel))
		frameLen(t, f, true)
		t.Uint(dissect.FieldFrameCapLen, -1, 0, uint64(f.CapLen))
	} else if f.Len < f.CapLen && !t.Off {
		frameLen(t, f, false)
	}
	e.protoNode = len(t.Nodes)
	if e.needs.protocols { // else nothing keeps the node (Tree.Want)
		t.Bytes(dissect.FieldFrameProtocols, -1, 0, nil)
	}
	if f.SourceLabel != "" {
		t.Bytes(dissect.FieldFrameSource, -1, 0, unsafeBytes(f.SourceLabel))
	}
	t.Close()
	return f
}

// frameFields are the frame.* fields, for Tree.WantsSet.
var frameFields = dissect.NewFieldSet("frame")

// addProto adds a layer to frame.protocols, if anything shows it.
func (e *Engine) addProto(p string) {
	if e.needs.protocols {
		e.protos = append(append(e.protos, p...), ':')
	}
}

// offsetIn returns the offset of sub within base when sub is a subslice of
// base (zero-copy reassembly hands out such slices), or -1.
func offsetIn(base, sub []byte) int {
	if len(base) == 0 || len(sub) == 0 {
		return -1
	}
	b := uintptr(unsafe.Pointer(unsafe.SliceData(base)))
	s := uintptr(unsafe.Pointer(unsafe.SliceData(sub)))
	if s < b || s+uintptr(len(sub)) > b+uintptr(len(base)) {
		return -1
	}
	return int(s - b)
}

func unsafeBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// Close ends the capture: connections still open are flushed, so that
// their truncated packets are reported.
func (e *Engine) Close() { e.nbt.flush() }
