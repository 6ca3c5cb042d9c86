package engine

import (
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
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
	// NoTree skips building the protocol tree (the typed messages, the
	// info column and the addresses are still filled): for consumers that
	// read only Msgs, such as the timeline, and no display filter.
	NoTree bool
	// WantFields, when not empty, keeps only the value nodes of these
	// fields in the tree, and the subtrees whose protocol they could name
	// (see dissect.Tree.Want): for -T fields without a display filter.
	WantFields []dissect.FieldID
	// NoInfo leaves the info column empty where a layer would have
	// written it (the engine's own notes on unsupported, fragmented or
	// other-port frames remain): for printers that do not print it and no
	// display filter, which could read it.
	NoInfo bool
	// DeferSessions leaves the session packets of TCP 139/445 undecoded:
	// they are recorded for another engine to decode (TakeSessions,
	// ApplySessions in session.go), so that the two run on two cores.
	DeferSessions bool
	// RecordCompletions keeps, for a second pass, which frame completed each
	// multi-message SMB transaction (Completions). Off, nothing is kept.
	RecordCompletions bool
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
	prev  time.Time
	begun bool

	eth      layers.Ethernet
	dot1q    layers.Dot1Q
	sll      layers.LinuxSLL
	sll2     layers.LinuxSLL2
	loop     layers.Loopback
	gre      layers.GRE
	erspan   layers.ERSPANII
	ip       layers.IPv4
	udp      layers.UDP
	tcp      layers.TCP
	defrag   *ip4defrag.IPv4Defragmenter
	protos   []byte
	upper    bool // decode what NBT carries (see upperNeeded)
	protosOn bool // build frame.protocols: no tree Want, or it wants that field
	convs    bool // follow TCP conversations: tcp.stream, tcp.seq, the info or the timeline need them
	cut      int  // bytes of the frame on the wire but not captured
	marked   bool // _ws.malformed or _ws.short added to the frame

	tcpNext int // the next tcp.stream, over all shards
	nbt     nbtState
	legacy  *legacyState // NetBEUI and IPX (netbeui.go), made when first needed

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
	e := &Engine{cfg: cfg, defrag: ip4defrag.NewIPv4Defragmenter(), upper: upperNeeded(cfg)}
	e.f.Net.TCPStream = -1
	e.f.Tree.Off = cfg.NoTree
	if len(cfg.WantFields) > 0 {
		want := make([]bool, dissect.NumFields())
		for _, id := range cfg.WantFields {
			if int(id) < len(want) {
				want[id] = true
			}
		}
		e.f.Tree.Want = want
	}
	e.protosOn = !cfg.NoTree && (e.f.Tree.Want == nil || e.f.Tree.Want[dissect.FieldFrameProtocols])
	w := e.f.Tree.Want
	e.convs = w == nil || !cfg.NoInfo || w[dissect.FieldTCPStream] || w[dissect.FieldTCPSeq]
	e.nbt.init(e)
	return e
}

// upperNeeded reports whether the layers NBT carries (SMB, SMB2,
// mailslot, browser, LAN Manager, RAP) are decoded: always, unless the
// engine keeps only WantFields, without the info column, and every one of
// them belongs to NBT or below (frame.protocols excepted, which names the
// layers above). Then the output is the same without them, and -T fields
// of nbns/nbdgm/nbss fields does not pay for SMB it does not print.
func upperNeeded(cfg Config) bool {
	if len(cfg.WantFields) == 0 || !cfg.NoInfo || cfg.NoTree {
		return true
	}
	for _, id := range cfg.WantFields {
		switch dissect.Field(id).Proto {
		case "nbns", "nbdgm", "nbss", "tcp", "udp", "ip", "vlan", "eth", "sll", "null", "gre":
		case "frame":
			if id == dissect.FieldFrameProtocols {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// Frames is the number of frames decoded so far.
func (e *Engine) Frames() int { return e.n }

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

// Decode decodes one frame. data must stay valid until the next call.
func (e *Engine) Decode(data []byte, ci gopacket.CaptureInfo, lt layers.LinkType, source int) *dissect.Frame {
	f := &e.f
	f.Reset()
	e.nbt.deferred, e.nbt.rec, e.nbt.recData = false, e.nbt.rec[:0], e.nbt.recData[:0]
	e.n++
	if !e.begun {
		e.first, e.begun = ci.Timestamp, true
	}
	f.Number = e.n
	f.Time = ci.Timestamp
	f.Rel = ci.Timestamp.Sub(e.first)
	f.Source = source
	f.SourceLabel = ""
	if source >= 0 && source < len(e.cfg.Labels) {
		f.SourceLabel = e.cfg.Labels[source]
	}
	f.Len = ci.Length
	f.CapLen = len(data)
	f.LinkType = lt
	f.Data = data
	e.protos = e.protos[:0]
	e.cut = max(ci.Length-len(data), 0)
	e.marked = false

	t := &f.Tree
	t.Open(dissect.FieldFrame, 0, len(data))
	var delta time.Duration
	if e.n > 1 {
		delta = ci.Timestamp.Sub(e.prev)
	}
	e.prev = ci.Timestamp
	if t.WantsSet(frameFields) {
		t.Uint(dissect.FieldFrameNumber, -1, 0, uint64(f.Number))
		t.Uint(dissect.FieldFrameIface, -1, 0, uint64(ci.InterfaceIndex))
		t.Uint(dissect.FieldFrameTime, -1, 0, uint64(ci.Timestamp.UnixNano()))
		t.Uint(dissect.FieldFrameTimeEpoch, -1, 0, uint64(ci.Timestamp.UnixNano()))
		t.Uint(dissect.FieldFrameTimeDelta, -1, 0, uint64(delta))
		t.Uint(dissect.FieldFrameTimeRel, -1, 0, uint64(f.Rel))
		t.Uint(dissect.FieldFrameLen, -1, 0, uint64(f.Len))
		t.Uint(dissect.FieldFrameCapLen, -1, 0, uint64(f.CapLen))
	}
	protoNode := len(t.Nodes)
	t.Bytes(dissect.FieldFrameProtocols, -1, 0, nil)
	if f.SourceLabel != "" {
		t.Bytes(dissect.FieldFrameSource, -1, 0, unsafeBytes(f.SourceLabel))
	}
	t.Close()

	e.decodeLink(f, data, lt)

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

// frameFields are the frame.* fields, for Tree.WantsSet.
var frameFields = dissect.NewFieldSet("frame")

// addProto adds a layer to frame.protocols, if anything shows it.
func (e *Engine) addProto(p string) {
	if e.protosOn {
		e.protos = append(append(e.protos, p...), ':')
	}
}

func linkFirst(lt layers.LinkType) gopacket.LayerType {
	switch lt {
	case layers.LinkTypeEthernet:
		return layers.LayerTypeEthernet
	case layers.LinkTypeLinuxSLL:
		return layers.LayerTypeLinuxSLL
	case layers.LinkTypeLinuxSLL2:
		return layers.LayerTypeLinuxSLL2
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		return layers.LayerTypeLoopback
	case layers.LinkTypeRaw, layers.LinkTypeIPv4, 12, 14: // DLT_RAW is 12 or 14 on some BSDs
		return layers.LayerTypeIPv4
	}
	return gopacket.LayerTypeZero
}

// decodeLink walks the layers below IP, then IPv4, UDP and TCP.
func (e *Engine) decodeLink(f *dissect.Frame, data []byte, lt layers.LinkType) {
	t := &f.Tree
	typ := linkFirst(lt)
	if typ == gopacket.LayerTypeZero {
		f.Proto = "Frame"
		f.Info = append(f.Info, "Unsupported link type "...)
		f.Info = strconv.AppendInt(f.Info, int64(lt), 10)
		return
	}
	off := 0
	for depth := 0; depth < 16; depth++ {
		t.Base = off
		var err error
		var contents, payload []byte
		var next gopacket.LayerType
		switch typ {
		case layers.LayerTypeEthernet:
			if err = e.eth.DecodeFromBytes(data, e); err == nil {
				dissect.AppendEthernet(t, &e.eth)
				contents, payload, next = e.eth.Contents, e.eth.Payload, e.eth.NextLayerType()
				f.Proto = "ETH"
				if e.legacyEthernet(f, payload, len(contents)) {
					return // NetBEUI and IPX (netbeui.go)
				}
				e.addProto("eth:ethertype")
			}
		case layers.LayerTypeDot1Q:
			if err = e.dot1q.DecodeFromBytes(data, e); err == nil {
				dissect.AppendDot1Q(t, &e.dot1q)
				e.addProto("vlan:ethertype")
				if !f.Net.HasVLAN {
					f.Net.VLAN, f.Net.HasVLAN = e.dot1q.VLANIdentifier, true
				}
				contents, payload, next = e.dot1q.Contents, e.dot1q.Payload, e.dot1q.NextLayerType()
			}
		case layers.LayerTypeLinuxSLL:
			if err = e.sll.DecodeFromBytes(data, e); err == nil {
				dissect.AppendLinuxSLL(t, &e.sll)
				e.addProto("sll:ethertype")
				contents, payload, next = e.sll.Contents, e.sll.Payload, e.sll.NextLayerType()
			}
		case layers.LayerTypeLinuxSLL2:
			if err = e.sll2.DecodeFromBytes(data, e); err == nil {
				dissect.AppendLinuxSLL2(t, &e.sll2)
				e.addProto("sll:ethertype")
				contents, payload, next = e.sll2.Contents, e.sll2.Payload, e.sll2.NextLayerType()
			}
		case layers.LayerTypeLoopback:
			if err = e.loop.DecodeFromBytes(data, e); err == nil {
				dissect.AppendLoopback(t, &e.loop)
				e.addProto("null")
				contents, payload, next = e.loop.Contents, e.loop.Payload, e.loop.NextLayerType()
			}
		case layers.LayerTypeGRE:
			if err = e.gre.DecodeFromBytes(data, e); err == nil {
				dissect.AppendGRE(t, &e.gre)
				e.addProto("gre")
				contents, payload, next = e.gre.Contents, e.gre.Payload, e.gre.NextLayerType()
			}
		case layers.LayerTypeERSPANII:
			if err = e.erspan.DecodeFromBytes(data, e); err == nil {
				t.Open(dissect.FieldERSPAN, 0, len(e.erspan.Contents))
				t.Close()
				e.addProto("erspan")
				contents, payload, next = e.erspan.Contents, e.erspan.Payload, e.erspan.NextLayerType()
			}
		case layers.LayerTypeIPv4:
			e.decodeIPv4(f, data, off)
			return
		default:
			e.appendData(f, data, off)
			return
		}
		if err != nil {
			e.malformed(f, "link", err, off)
			return
		}
		off += len(contents)
		data = payload
		typ = next
	}
}

// decodeIPv4 handles the IPv4 header, fragment reassembly, and dispatches
// to UDP or TCP.
func (e *Engine) decodeIPv4(f *dissect.Frame, data []byte, off int) {
	t := &f.Tree
	t.Base = off
	if err := e.ip.DecodeFromBytes(data, e); err != nil {
		e.malformed(f, "ip", err, off)
		return
	}
	if f.Net.HasIP {
		// Tunnelled: the inner header wins for addressing, like tshark's
		// last ip.src occurrence.
	}
	ip := &e.ip
	reassembled := false
	if ip.Flags&layers.IPv4MoreFragments != 0 || ip.FragOffset != 0 {
		whole, err := e.defrag.DefragIPv4WithTimestamp(ip, f.Time)
		if err != nil || whole == nil {
			dissect.AppendIPv4(t, ip, false)
			e.addProto("ip:data")
			f.Proto = "IPv4"
			f.Info = append(f.Info, "Fragmented IP protocol (proto="...)
			f.Info = append(f.Info, ip.Protocol.String()...)
			f.Info = append(f.Info, ", off="...)
			f.Info = strconv.AppendInt(f.Info, int64(ip.FragOffset)*8, 10)
			f.Info = append(f.Info, ')')
			if err != nil {
				e.malformed(f, "ip", err, off)
			}
			f.Net.Fragmented = true
			e.setAddrs(f, ip)
			return
		}
		ip = whole
		reassembled = true
	}
	dissect.AppendIPv4(t, ip, reassembled)
	e.addProto("ip")
	e.setAddrs(f, ip)
	f.Proto = "IPv4"
	payload := ip.Payload
	poff := off + int(ip.IHL)*4
	if reassembled {
		t.Src = t.AddSource("Reassembled IPv4", payload)
		poff = 0
	}
	switch ip.Protocol {
	case layers.IPProtocolUDP:
		e.decodeUDP(f, payload, poff)
	case layers.IPProtocolTCP:
		e.decodeTCP(f, payload, poff)
	case layers.IPProtocolGRE:
		// Tunnels (ERSPAN mirrors): keep going below.
		e.decodeLinkFrom(f, payload, poff, layers.LayerTypeGRE)
	default:
		f.Info = append(f.Info, ip.Protocol.String()...)
	}
}

// decodeLinkFrom continues the link walk at a given layer (for tunnels).
func (e *Engine) decodeLinkFrom(f *dissect.Frame, data []byte, off int, typ gopacket.LayerType) {
	if typ == layers.LayerTypeGRE {
		t := &f.Tree
		t.Base = off
		if err := e.gre.DecodeFromBytes(data, e); err != nil {
			e.malformed(f, "gre", err, off)
			return
		}
		dissect.AppendGRE(t, &e.gre)
		e.addProto("gre")
		next := e.gre.NextLayerType()
		off += len(e.gre.Contents)
		data = e.gre.Payload
		if next == layers.LayerTypeERSPANII {
			if err := e.erspan.DecodeFromBytes(data, e); err != nil {
				e.malformed(f, "erspan", err, off)
				return
			}
			t.Base = off
			t.Open(dissect.FieldERSPAN, 0, len(e.erspan.Contents))
			t.Close()
			e.addProto("erspan")
			off += len(e.erspan.Contents)
			data = e.erspan.Payload
			next = layers.LayerTypeEthernet
		}
		if next != layers.LayerTypeEthernet {
			e.appendData(f, data, off)
			return
		}
		f.Net.HasIP = false
		e.decodeLink(f, data, layers.LinkTypeEthernet)
		_ = off
	}
}

func (e *Engine) setAddrs(f *dissect.Frame, ip *layers.IPv4) {
	f.Net.HasIP = true
	copy(f.Net.Src[:], ip.SrcIP.To4())
	copy(f.Net.Dst[:], ip.DstIP.To4())
	f.Net.IPProto = uint8(ip.Protocol)
}

func (e *Engine) decodeUDP(f *dissect.Frame, data []byte, off int) {
	t := &f.Tree
	t.Base = off
	if err := e.udp.DecodeFromBytes(data, e); err != nil {
		e.malformed(f, "udp", err, off)
		return
	}
	dissect.AppendUDP(t, &e.udp)
	e.addProto("udp")
	f.Proto = "UDP"
	f.Net.SrcPort, f.Net.DstPort = uint16(e.udp.SrcPort), uint16(e.udp.DstPort)
	payload := e.udp.Payload
	poff := off + 8
	if e.udp.Length < 8 {
		// gopacket reads a length of 0 as a jumbogram (RFC 2675), which
		// IPv4 has not: the datagram is bad and nothing in it is decoded
		// (tshark: "[BAD UDP LENGTH 0 < 8]", an Error/Malformed note).
		e.udpPorts(f)
		n := strconv.Itoa(int(e.udp.Length))
		f.Info = append(f.Info, " [BAD UDP LENGTH "+n+" < 8]"...)
		e.malformed(f, "UDP", dissect.Malformed("udp", "length", 4, "bad length value "+n+" < 8"), off)
		return
	}
	switch {
	case len(payload) == 0:
		// An empty datagram to port 137 or 138 carries no NBT message.
		e.udpInfo(f, payload, poff)
	case isPort(&f.Net, dissect.PortNBNS):
		e.nbt.nbns(f, payload, poff)
	case isPort(&f.Net, dissect.PortNBDGM):
		e.nbt.nbdgm(f, payload, poff)
	default:
		e.udpInfo(f, payload, poff)
	}
}

// udpPorts starts the info column of a UDP datagram: "137 → 138".
func (e *Engine) udpPorts(f *dissect.Frame) {
	f.Info = strconv.AppendUint(f.Info, uint64(f.Net.SrcPort), 10)
	f.Info = append(f.Info, " → "...)
	f.Info = strconv.AppendUint(f.Info, uint64(f.Net.DstPort), 10)
}

// udpInfo shows a datagram that is not NBT as tshark does ("137 → 138
// Len=0"), with its payload as data.
func (e *Engine) udpInfo(f *dissect.Frame, payload []byte, poff int) {
	e.udpPorts(f)
	f.Info = append(f.Info, " Len="...)
	f.Info = strconv.AppendInt(f.Info, int64(len(payload)), 10)
	if len(payload) > 0 {
		e.appendData(f, payload, poff)
	}
}

func isPort(n *dissect.Net, p uint16) bool { return n.SrcPort == p || n.DstPort == p }

func (e *Engine) decodeTCP(f *dissect.Frame, data []byte, off int) {
	t := &f.Tree
	t.Base = off
	if err := e.tcp.DecodeFromBytes(data, e); err != nil {
		e.malformed(f, "tcp", err, off)
		return
	}
	tc := &e.tcp
	f.Net.SrcPort, f.Net.DstPort = uint16(tc.SrcPort), uint16(tc.DstPort)
	sh := e.nbt.shard(ShardOf(f.Data, f.LinkType))
	stream, rel := -1, tc.Seq
	if e.convs {
		stream, rel = sh.convs.lookup(&f.Net, tc, f.Time)
	}
	f.Net.TCPStream = stream
	dissect.AppendTCP(t, tc, stream, rel)
	e.addProto("tcp")
	f.Proto = "TCP"
	if !e.cfg.NoInfo {
		e.tcpInfo(f, tc, rel)
	}
	if isPort(&f.Net, dissect.PortNBSS) || isPort(&f.Net, dissect.PortSMB) {
		e.nbt.tcp(f, &e.ip, tc, off+int(tc.DataOffset)*4)
		return
	}
	if len(tc.Payload) > 0 {
		e.appendData(f, tc.Payload, off+int(tc.DataOffset)*4)
	}
}

func (e *Engine) tcpInfo(f *dissect.Frame, tc *layers.TCP, rel uint32) {
	b := f.Info
	b = strconv.AppendUint(b, uint64(tc.SrcPort), 10)
	b = append(b, " → "...)
	b = strconv.AppendUint(b, uint64(tc.DstPort), 10)
	b = append(b, " ["...)
	n := len(b)
	for _, fl := range [...]struct {
		on   bool
		name string
	}{{tc.FIN, "FIN"}, {tc.SYN, "SYN"}, {tc.RST, "RST"}, {tc.PSH, "PSH"}, {tc.ACK, "ACK"}, {tc.URG, "URG"}} {
		if fl.on {
			if len(b) > n {
				b = append(b, ", "...)
			}
			b = append(b, fl.name...)
		}
	}
	b = append(b, "] Seq="...)
	b = strconv.AppendUint(b, uint64(rel), 10)
	b = append(b, " Len="...)
	b = strconv.AppendInt(b, int64(len(tc.Payload)), 10)
	f.Info = b
}

func (e *Engine) appendData(f *dissect.Frame, data []byte, off int) {
	if len(data) == 0 {
		return
	}
	f.Tree.Base = off
	dissect.AppendData(&f.Tree, data)
	e.addProto("data")
}

// malformed records a decode error on the frame.
func (e *Engine) malformed(f *dissect.Frame, proto string, err error, off int) {
	t := &f.Tree
	t.Base = 0
	if f.Proto == "" {
		f.Proto = proto
	}
	if e.short(err) {
		t.Expert(shortNote(proto), -1, 0).Flags |= dissect.NodeWarn
		e.markShort(f, proto)
		return
	}
	f.Errs = append(f.Errs, err)
	t.Expert("[Malformed Packet: "+err.Error()+"]", -1, 0)
	e.markMalformed(f)
}

// short reports whether err is the end of the captured bytes of a frame
// the capture cut (snap length): the bytes it misses were on the wire,
// so the frame is not malformed (tshark's BoundsError, "Packet size
// limited during capture", against ReportedBoundsError, "Malformed
// Packet").
func (e *Engine) short(err error) bool {
	if e.cut == 0 || !errors.Is(err, dissect.ErrTruncated) {
		return false
	}
	var de *dissect.DecodeError
	if errors.As(err, &de) {
		if need, have, ok := de.Sizes(); ok {
			return need <= have+e.cut
		}
	}
	return true
}

// shortNote is tshark's note on a cut frame.
func shortNote(proto string) string {
	return "[Packet size limited during capture: " + strings.ToUpper(proto) + " truncated]"
}

// markShort ends a cut frame as tshark does: the note in the info column
// and a hidden _ws.short for filters and -T fields.
func (e *Engine) markShort(f *dissect.Frame, proto string) {
	if e.marked {
		return
	}
	e.marked = true
	if !e.cfg.NoInfo {
		f.Info = append(f.Info, "[Packet size limited during capture]"...)
	}
	f.Tree.Hidden(dissect.FieldShort, unsafeBytes(shortNote(proto)))
}

// markMalformed adds the hidden _ws.malformed node (for -Y _ws.malformed
// and -e _ws.malformed) and the protocol, once per frame.
func (e *Engine) markMalformed(f *dissect.Frame) {
	if e.marked {
		return
	}
	e.marked = true
	f.Tree.Hidden(dissect.FieldMalformed, nil)
	e.addProto("_ws.malformed")
}

// SetTruncated is part of gopacket.DecodeFeedback.
func (e *Engine) SetTruncated() {}

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

// tcpIndex numbers TCP conversations the way tshark's tcp.stream does (in
// order of first appearance, from a counter shared by the shards) and
// keeps the first sequence number seen per direction for relative sequence
// numbers. It is bounded: the least recently seen conversation is
// forgotten when full (an O(1) LRU list).
type tcpIndex struct {
	max        int
	next       *int
	convs      map[tcpKey]*tcpConv
	head, tail *tcpConv // most and least recently seen
}

type tcpKey struct {
	a, b         [4]byte
	aport, bport uint16
}

type tcpConv struct {
	key        tcpKey
	index      int
	isn        [2]uint32
	haveISN    [2]bool
	prev, next *tcpConv
}

func (x *tcpIndex) init(max int, next *int) {
	x.max, x.next = max, next
	x.convs = make(map[tcpKey]*tcpConv)
}

// key orders the endpoints so both directions map to one conversation;
// dir is 0 when the frame goes from a to b.
func tcpKeyOf(n *dissect.Net) (tcpKey, int) {
	k := tcpKey{a: n.Src, b: n.Dst, aport: n.SrcPort, bport: n.DstPort}
	if string(n.Src[:]) > string(n.Dst[:]) || (n.Src == n.Dst && n.SrcPort > n.DstPort) {
		return tcpKey{a: n.Dst, b: n.Src, aport: n.DstPort, bport: n.SrcPort}, 1
	}
	return k, 0
}

func (x *tcpIndex) lookup(n *dissect.Net, tc *layers.TCP, ts time.Time) (int, uint32) {
	k, dir := tcpKeyOf(n)
	c := x.convs[k]
	if c != nil && tc.SYN && !tc.ACK && c.haveISN[dir] && tc.Seq != c.isn[dir] {
		// A new SYN on a known 4-tuple starts a new conversation (port reuse).
		x.remove(c)
		c = nil
	}
	if c == nil {
		if len(x.convs) >= x.max && x.tail != nil {
			x.remove(x.tail)
		}
		c = &tcpConv{key: k, index: *x.next}
		*x.next++
		x.convs[k] = c
	} else {
		x.unlink(c)
	}
	x.pushFront(c)
	if !c.haveISN[dir] {
		// The SYN's sequence number is relative 0; a conversation picked
		// up mid-way starts at relative 1, as tshark shows it.
		c.isn[dir], c.haveISN[dir] = tc.Seq, true
		if !tc.SYN {
			c.isn[dir] = tc.Seq - 1
		}
	}
	return c.index, tc.Seq - c.isn[dir]
}

func (x *tcpIndex) remove(c *tcpConv) {
	x.unlink(c)
	delete(x.convs, c.key)
}

func (x *tcpIndex) unlink(c *tcpConv) {
	if c.prev != nil {
		c.prev.next = c.next
	} else if x.head == c {
		x.head = c.next
	}
	if c.next != nil {
		c.next.prev = c.prev
	} else if x.tail == c {
		x.tail = c.prev
	}
	c.prev, c.next = nil, nil
}

func (x *tcpIndex) pushFront(c *tcpConv) {
	c.next = x.head
	if x.head != nil {
		x.head.prev = c
	}
	x.head = c
	if x.tail == nil {
		x.tail = c
	}
}

var _ = binary.BigEndian

// noteErr records a decode error that a layer already showed in its tree
// (as "[Malformed: ...]"; on a frame the capture cut, that note becomes
// tshark's "[Packet size limited during capture: PROTO truncated]").
func (e *Engine) noteErr(f *dissect.Frame, err error) {
	if e.short(err) {
		proto := "frame"
		var de *dissect.DecodeError
		if errors.As(err, &de) {
			proto = de.Proto
		}
		nodes := f.Tree.Nodes
		for i := len(nodes) - 1; i >= 0; i-- {
			if n := &nodes[i]; n.Flags&dissect.NodeError != 0 && strings.HasPrefix(n.Label, "[Malformed: ") {
				n.Label = shortNote(proto)
				n.Flags = n.Flags&^dissect.NodeError | dissect.NodeWarn
				break
			}
		}
		e.markShort(f, proto)
		return
	}
	f.Errs = append(f.Errs, err)
	e.markMalformed(f)
}

// Close ends the capture: connections still open are flushed, so that
// their truncated packets are reported.
func (e *Engine) Close() { e.nbt.flush() }
