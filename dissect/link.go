package dissect

import (
	"encoding/binary"
	"net"

	"github.com/gopacket/gopacket/layers"
)

// Fields of the layers below NBT: the frame itself, the link layer, IPv4,
// UDP and TCP, under tshark's names, so that -T fields and -Y can use
// frame.number, ip.src, udp.dstport, tcp.stream... as tshark does.
// Decoding these layers is gopacket's job; this file only describes them.
var (
	FieldFrame          = RegisterField(FieldInfo{Abbrev: "frame", Name: "Frame", Type: FTProtocol})
	FieldFrameNumber    = RegisterField(FieldInfo{Abbrev: "frame.number", Name: "Frame Number", Type: FTUint32, Base: BaseDec})
	FieldFrameTimeRel   = RegisterField(FieldInfo{Abbrev: "frame.time_relative", Name: "Time since reference or first frame", Type: FTRelTime})
	FieldFrameTime      = RegisterField(FieldInfo{Abbrev: "frame.time", Name: "Arrival Time", Type: FTAbsTime})
	FieldFrameTimeEpoch = RegisterField(FieldInfo{Abbrev: "frame.time_epoch", Name: "Epoch Time", Type: FTRelTime})
	FieldFrameTimeDelta = RegisterField(FieldInfo{Abbrev: "frame.time_delta", Name: "Time delta from previous captured frame", Type: FTRelTime})
	FieldFrameLen       = RegisterField(FieldInfo{Abbrev: "frame.len", Name: "Frame Length", Type: FTUint32, Base: BaseDec})
	FieldFrameCapLen    = RegisterField(FieldInfo{Abbrev: "frame.cap_len", Name: "Capture Length", Type: FTUint32, Base: BaseDec})
	FieldFrameIface     = RegisterField(FieldInfo{Abbrev: "frame.interface_id", Name: "Interface id", Type: FTUint32, Base: BaseDec})
	FieldFrameProtocols = RegisterField(FieldInfo{Abbrev: "frame.protocols", Name: "Protocols in frame", Type: FTString})
	FieldFrameSource    = RegisterField(FieldInfo{Abbrev: "nbtsniff.source", Name: "Capture source (segment)", Type: FTString})

	FieldEth        = RegisterField(FieldInfo{Abbrev: "eth", Name: "Ethernet II", Type: FTProtocol})
	FieldEthDst     = RegisterField(FieldInfo{Abbrev: "eth.dst", Name: "Destination", Type: FTEther})
	FieldEthSrc     = RegisterField(FieldInfo{Abbrev: "eth.src", Name: "Source", Type: FTEther})
	FieldEthType    = RegisterField(FieldInfo{Abbrev: "eth.type", Name: "Type", Type: FTUint16, Base: BaseHex})
	FieldEthLen     = RegisterField(FieldInfo{Abbrev: "eth.len", Name: "Length", Type: FTUint16, Base: BaseDec})
	FieldEthAddr    = RegisterField(FieldInfo{Abbrev: "eth.addr", Name: "Address", Type: FTEther})
	FieldEthDstOUI  = RegisterField(FieldInfo{Abbrev: "eth.dst.oui", Name: "Destination OUI", Type: FTUint24, Base: BaseDec})
	FieldEthSrcOUI  = RegisterField(FieldInfo{Abbrev: "eth.src.oui", Name: "Source OUI", Type: FTUint24, Base: BaseDec})
	FieldEthAddrOUI = RegisterField(FieldInfo{Abbrev: "eth.addr.oui", Name: "Address OUI", Type: FTUint24, Base: BaseDec})
	FieldEthDstLG   = RegisterField(FieldInfo{Abbrev: "eth.dst.lg", Name: "LG bit", Type: FTBoolean, Bits: 24})
	FieldEthDstIG   = RegisterField(FieldInfo{Abbrev: "eth.dst.ig", Name: "IG bit", Type: FTBoolean, Bits: 24})
	FieldEthSrcLG   = RegisterField(FieldInfo{Abbrev: "eth.src.lg", Name: "LG bit", Type: FTBoolean, Bits: 24})
	FieldEthSrcIG   = RegisterField(FieldInfo{Abbrev: "eth.src.ig", Name: "IG bit", Type: FTBoolean, Bits: 24})
	FieldEthLG      = RegisterField(FieldInfo{Abbrev: "eth.lg", Name: "LG bit", Type: FTBoolean, Bits: 24})
	FieldEthIG      = RegisterField(FieldInfo{Abbrev: "eth.ig", Name: "IG bit", Type: FTBoolean, Bits: 24})

	FieldVLAN         = RegisterField(FieldInfo{Abbrev: "vlan", Name: "802.1Q Virtual LAN", Type: FTProtocol})
	FieldVLANPriority = RegisterField(FieldInfo{Abbrev: "vlan.priority", Name: "Priority", Type: FTUint16, Base: BaseDec})
	FieldVLANID       = RegisterField(FieldInfo{Abbrev: "vlan.id", Name: "ID", Type: FTUint16, Base: BaseDec})
	FieldVLANEtype    = RegisterField(FieldInfo{Abbrev: "vlan.etype", Name: "Type", Type: FTUint16, Base: BaseHex})

	FieldSLL        = RegisterField(FieldInfo{Abbrev: "sll", Name: "Linux cooked capture", Type: FTProtocol})
	FieldSLLPktType = RegisterField(FieldInfo{Abbrev: "sll.pkttype", Name: "Packet type", Type: FTUint16, Base: BaseDec})
	FieldSLLSrcEth  = RegisterField(FieldInfo{Abbrev: "sll.src.eth", Name: "Source", Type: FTEther})
	FieldSLLEtype   = RegisterField(FieldInfo{Abbrev: "sll.etype", Name: "Protocol", Type: FTUint16, Base: BaseHex})
	FieldSLLIfindex = RegisterField(FieldInfo{Abbrev: "sll.ifindex", Name: "Interface index", Type: FTUint32, Base: BaseDec})

	FieldNull       = RegisterField(FieldInfo{Abbrev: "null", Name: "Null/Loopback", Type: FTProtocol})
	FieldNullFamily = RegisterField(FieldInfo{Abbrev: "null.family", Name: "Family", Type: FTUint32, Base: BaseDec})

	FieldGRE      = RegisterField(FieldInfo{Abbrev: "gre", Name: "Generic Routing Encapsulation", Type: FTProtocol})
	FieldGREProto = RegisterField(FieldInfo{Abbrev: "gre.proto", Name: "Protocol Type", Type: FTUint16, Base: BaseHex})
	FieldERSPAN   = RegisterField(FieldInfo{Abbrev: "erspan", Name: "Encapsulated Remote Switch Packet ANalysis", Type: FTProtocol})

	FieldIP         = RegisterField(FieldInfo{Abbrev: "ip", Name: "Internet Protocol Version 4", Type: FTProtocol})
	FieldIPVersion  = RegisterField(FieldInfo{Abbrev: "ip.version", Name: "Version", Type: FTUint8, Base: BaseDec})
	FieldIPHdrLen   = RegisterField(FieldInfo{Abbrev: "ip.hdr_len", Name: "Header Length", Type: FTUint8, Base: BaseDec})
	FieldIPLen      = RegisterField(FieldInfo{Abbrev: "ip.len", Name: "Total Length", Type: FTUint16, Base: BaseDec})
	FieldIPID       = RegisterField(FieldInfo{Abbrev: "ip.id", Name: "Identification", Type: FTUint16, Base: BaseHexDec})
	FieldIPDSField  = RegisterField(FieldInfo{Abbrev: "ip.dsfield", Name: "Differentiated Services Field", Type: FTUint8, Base: BaseHex})
	FieldIPDSCP     = RegisterField(FieldInfo{Abbrev: "ip.dsfield.dscp", Name: "Differentiated Services Codepoint", Type: FTUint8, Base: BaseDec})
	FieldIPECN      = RegisterField(FieldInfo{Abbrev: "ip.dsfield.ecn", Name: "Explicit Congestion Notification", Type: FTUint8, Base: BaseDec})
	FieldIPFlags    = RegisterField(FieldInfo{Abbrev: "ip.flags", Name: "Flags", Type: FTUint8, Base: BaseHex})
	FieldIPFlagRB   = RegisterField(FieldInfo{Abbrev: "ip.flags.rb", Name: "Reserved bit", Type: FTBoolean, Bits: 8})
	FieldIPFlagDF   = RegisterField(FieldInfo{Abbrev: "ip.flags.df", Name: "Don't fragment", Type: FTBoolean, Bits: 8})
	FieldIPFlagMF   = RegisterField(FieldInfo{Abbrev: "ip.flags.mf", Name: "More fragments", Type: FTBoolean, Bits: 8})
	FieldIPFragOff  = RegisterField(FieldInfo{Abbrev: "ip.frag_offset", Name: "Fragment Offset", Type: FTUint16, Base: BaseDec})
	FieldIPTTL      = RegisterField(FieldInfo{Abbrev: "ip.ttl", Name: "Time to Live", Type: FTUint8, Base: BaseDec})
	FieldIPProto    = RegisterField(FieldInfo{Abbrev: "ip.proto", Name: "Protocol", Type: FTUint8, Base: BaseDec})
	FieldIPChecksum = RegisterField(FieldInfo{Abbrev: "ip.checksum", Name: "Header Checksum", Type: FTUint16, Base: BaseHex})
	FieldIPSrc      = RegisterField(FieldInfo{Abbrev: "ip.src", Name: "Source Address", Type: FTIPv4})
	FieldIPDst      = RegisterField(FieldInfo{Abbrev: "ip.dst", Name: "Destination Address", Type: FTIPv4})
	FieldIPAddr     = RegisterField(FieldInfo{Abbrev: "ip.addr", Name: "Source or Destination Address", Type: FTIPv4})
	FieldIPChkStat  = RegisterField(FieldInfo{Abbrev: "ip.checksum.status", Name: "Header checksum status", Type: FTUint8, Base: BaseNone})
	FieldIPReasm    = RegisterField(FieldInfo{Abbrev: "ip.fragments", Name: "Reassembled IPv4 fragments", Type: FTNone})

	FieldUDP         = RegisterField(FieldInfo{Abbrev: "udp", Name: "User Datagram Protocol", Type: FTProtocol})
	FieldUDPSrcPort  = RegisterField(FieldInfo{Abbrev: "udp.srcport", Name: "Source Port", Type: FTUint16, Base: BaseDec})
	FieldUDPDstPort  = RegisterField(FieldInfo{Abbrev: "udp.dstport", Name: "Destination Port", Type: FTUint16, Base: BaseDec})
	FieldUDPPort     = RegisterField(FieldInfo{Abbrev: "udp.port", Name: "Source or Destination Port", Type: FTUint16, Base: BaseDec})
	FieldUDPLength   = RegisterField(FieldInfo{Abbrev: "udp.length", Name: "Length", Type: FTUint16, Base: BaseDec})
	FieldUDPChecksum = RegisterField(FieldInfo{Abbrev: "udp.checksum", Name: "Checksum", Type: FTUint16, Base: BaseHex})
	FieldUDPChkStat  = RegisterField(FieldInfo{Abbrev: "udp.checksum.status", Name: "Checksum Status", Type: FTUint8, Base: BaseNone})
	FieldUDPPayload  = RegisterField(FieldInfo{Abbrev: "udp.payload", Name: "UDP payload", Type: FTBytes})

	FieldTCP         = RegisterField(FieldInfo{Abbrev: "tcp", Name: "Transmission Control Protocol", Type: FTProtocol})
	FieldTCPSrcPort  = RegisterField(FieldInfo{Abbrev: "tcp.srcport", Name: "Source Port", Type: FTUint16, Base: BaseDec})
	FieldTCPDstPort  = RegisterField(FieldInfo{Abbrev: "tcp.dstport", Name: "Destination Port", Type: FTUint16, Base: BaseDec})
	FieldTCPPort     = RegisterField(FieldInfo{Abbrev: "tcp.port", Name: "Source or Destination Port", Type: FTUint16, Base: BaseDec})
	FieldTCPStream   = RegisterField(FieldInfo{Abbrev: "tcp.stream", Name: "Stream index", Type: FTUint32, Base: BaseDec})
	FieldTCPLen      = RegisterField(FieldInfo{Abbrev: "tcp.len", Name: "TCP Segment Len", Type: FTUint32, Base: BaseDec})
	FieldTCPSeq      = RegisterField(FieldInfo{Abbrev: "tcp.seq", Name: "Sequence Number", Type: FTUint32, Base: BaseDec})
	FieldTCPSeqRaw   = RegisterField(FieldInfo{Abbrev: "tcp.seq_raw", Name: "Sequence Number (raw)", Type: FTUint32, Base: BaseDec})
	FieldTCPNxtSeq   = RegisterField(FieldInfo{Abbrev: "tcp.nxtseq", Name: "Next Sequence Number", Type: FTUint32, Base: BaseDec})
	FieldTCPAck      = RegisterField(FieldInfo{Abbrev: "tcp.ack", Name: "Acknowledgment Number", Type: FTUint32, Base: BaseDec})
	FieldTCPAckRaw   = RegisterField(FieldInfo{Abbrev: "tcp.ack_raw", Name: "Acknowledgment number (raw)", Type: FTUint32, Base: BaseDec})
	FieldTCPHdrLen   = RegisterField(FieldInfo{Abbrev: "tcp.hdr_len", Name: "Header Length", Type: FTUint8, Base: BaseDec})
	FieldTCPFlags    = RegisterField(FieldInfo{Abbrev: "tcp.flags", Name: "Flags", Type: FTUint16, Base: BaseHex})
	FieldTCPWindow   = RegisterField(FieldInfo{Abbrev: "tcp.window_size_value", Name: "Window", Type: FTUint16, Base: BaseDec})
	FieldTCPChecksum = RegisterField(FieldInfo{Abbrev: "tcp.checksum", Name: "Checksum", Type: FTUint16, Base: BaseHex})
	FieldTCPChkStat  = RegisterField(FieldInfo{Abbrev: "tcp.checksum.status", Name: "Checksum Status", Type: FTUint8, Base: BaseNone})
	FieldTCPUrgent   = RegisterField(FieldInfo{Abbrev: "tcp.urgent_pointer", Name: "Urgent Pointer", Type: FTUint16, Base: BaseDec})
	FieldTCPFlagsStr = RegisterField(FieldInfo{Abbrev: "tcp.flags.str", Name: "TCP Flags", Type: FTString})
	FieldTCPPayload  = RegisterField(FieldInfo{Abbrev: "tcp.payload", Name: "TCP payload", Type: FTBytes})

	tcpFlagFields = [...]FieldID{
		RegisterField(FieldInfo{Abbrev: "tcp.flags.res", Name: "Reserved", Type: FTBoolean, Bits: 12}),
		RegisterField(FieldInfo{Abbrev: "tcp.flags.ae", Name: "Accurate ECN", Type: FTBoolean, Bits: 12}),
		RegisterField(FieldInfo{Abbrev: "tcp.flags.cwr", Name: "Congestion Window Reduced", Type: FTBoolean, Bits: 12}),
		RegisterField(FieldInfo{Abbrev: "tcp.flags.ece", Name: "ECN-Echo", Type: FTBoolean, Bits: 12}),
		RegisterField(FieldInfo{Abbrev: "tcp.flags.urg", Name: "Urgent", Type: FTBoolean, Bits: 12}),
		RegisterField(FieldInfo{Abbrev: "tcp.flags.ack", Name: "Acknowledgment", Type: FTBoolean, Bits: 12}),
		RegisterField(FieldInfo{Abbrev: "tcp.flags.push", Name: "Push", Type: FTBoolean, Bits: 12}),
		RegisterField(FieldInfo{Abbrev: "tcp.flags.reset", Name: "Reset", Type: FTBoolean, Bits: 12}),
		RegisterField(FieldInfo{Abbrev: "tcp.flags.syn", Name: "Syn", Type: FTBoolean, Bits: 12}),
		RegisterField(FieldInfo{Abbrev: "tcp.flags.fin", Name: "Fin", Type: FTBoolean, Bits: 12}),
	}
	tcpFlagMasks = [...]uint64{0xe00, 0x100, 0x80, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02, 0x01}

	FieldData     = RegisterField(FieldInfo{Abbrev: "data", Name: "Data", Type: FTProtocol})
	FieldDataData = RegisterField(FieldInfo{Abbrev: "data.data", Name: "Data", Type: FTBytes})
	FieldDataLen  = RegisterField(FieldInfo{Abbrev: "data.len", Name: "Length", Type: FTUint32, Base: BaseDec})

	FieldMalformed = RegisterField(FieldInfo{Abbrev: "_ws.malformed", Name: "Malformed Packet", Type: FTProtocol})
	FieldShort     = RegisterField(FieldInfo{Abbrev: "_ws.short", Name: "Packet size limited during capture", Type: FTProtocol})
	// FieldExpert is the text of each expert note on a spec violation
	// nbtsniff decoded past (Tree.Note): tshark's _ws.expert.message for
	// the notes tshark 4.0 does not make.
	FieldExpert = RegisterField(FieldInfo{Abbrev: "nbtsniff.expert", Name: "Expert note (decoded anyway)", Type: FTString})
)

// The fields each Append function may add below its protocol node (see
// FieldSet).
var (
	ethFields = NewFieldSet("eth")
	ipFields  = NewFieldSet("ip")
	udpFields = NewFieldSet("udp")
	tcpFields = NewFieldSet("tcp")
)

func init() {
	SetValues(FieldEthType, func(v uint64) string { return layers.EthernetType(v).String() })
	SetValues(FieldVLANEtype, func(v uint64) string { return layers.EthernetType(v).String() })
	SetValues(FieldSLLEtype, func(v uint64) string { return layers.EthernetType(v).String() })
	SetValues(FieldIPProto, func(v uint64) string { return layers.IPProtocol(v).String() })
	SetValues(FieldGREProto, func(v uint64) string { return layers.EthernetType(v).String() })
}

func ether(b []byte) []byte {
	if len(b) != 6 {
		return nil
	}
	return b
}

// AppendEthernet adds an Ethernet II header (14 bytes at the tree's Base).
// As a display-filter value the protocol covers the whole frame from its
// first byte, payload included (see ProtoSpan).
func AppendEthernet(t *Tree, e *layers.Ethernet) {
	if t.Off {
		return
	}
	h := t.Open(FieldEth, 0, 14)
	h.U = uint64(len(e.Contents) + len(e.Payload))
	ieee := IEEE8023(e)
	if ieee {
		h.Label = "IEEE 802.3 Ethernet"
	}
	if !t.WantsSet(ethFields) {
		t.Close() // -T fields prints none of its fields
		return
	}
	appendMAC(t, FieldEthDst, FieldEthDstOUI, FieldEthDstLG, FieldEthDstIG, 0, ether(e.DstMAC))
	appendMAC(t, FieldEthSrc, FieldEthSrcOUI, FieldEthSrcLG, FieldEthSrcIG, 6, ether(e.SrcMAC))
	switch {
	case ieee:
		t.Uint(FieldEthLen, 12, 2, uint64(e.Length))
	case e.EthernetType == layers.EthernetTypeLLC:
		// gopacket reads every value below 0x600 as a length.
		t.Uint(FieldEthType, 12, 2, uint64(e.Length))
	default:
		t.Uint(FieldEthType, 12, 2, uint64(e.EthernetType))
	}
	t.Close()
}

// appendMAC adds a MAC address and what tshark derives from it: the
// eth.addr, OUI, LG and IG fields (hidden here, as eth.addr is in
// Wireshark, so -V prints the address line alone).
func appendMAC(t *Tree, f, oui, lg, ig FieldID, off int, mac []byte) {
	t.Bytes(f, off, 6, mac)
	hide := func(n *Node) { n.Flags |= NodeHidden }
	t.Bytes(FieldEthAddr, off, 6, mac).Flags |= NodeHidden
	if len(mac) != 6 {
		return
	}
	o := uint64(mac[0])<<16 | uint64(mac[1])<<8 | uint64(mac[2])
	hide(t.Uint(oui, off, 3, o))
	hide(t.Uint(FieldEthAddrOUI, off, 3, o))
	hide(t.Bool(lg, off, 3, mac[0]&2 != 0))
	hide(t.Bool(FieldEthLG, off, 3, mac[0]&2 != 0))
	hide(t.Bool(ig, off, 3, mac[0]&1 != 0))
	hide(t.Bool(FieldEthIG, off, 3, mac[0]&1 != 0))
}

// IEEE8023 reports whether bytes 12-13 of an Ethernet header are an IEEE
// 802.3 length (an LLC header follows, as in NetBEUI and IPX frames) the
// way tshark reads them: 1 to 1500. 0 is a type (ETHERTYPE_UNK), and so
// is 1501 to 1535, which gopacket takes for lengths too.
func IEEE8023(e *layers.Ethernet) bool {
	return e.EthernetType == layers.EthernetTypeLLC && e.Length > 0 && e.Length <= 1500
}

// AppendDot1Q adds an 802.1Q tag (4 bytes).
func AppendDot1Q(t *Tree, d *layers.Dot1Q) {
	if t.Off {
		return
	}
	t.Open(FieldVLAN, 0, 4)
	t.Uint(FieldVLANPriority, 0, 2, uint64(d.Priority))
	t.Uint(FieldVLANID, 0, 2, uint64(d.VLANIdentifier))
	t.Uint(FieldVLANEtype, 2, 2, uint64(d.Type))
	t.Close()
}

// AppendLinuxSLL adds a Linux cooked capture v1 header (16 bytes).
func AppendLinuxSLL(t *Tree, s *layers.LinuxSLL) {
	if t.Off {
		return
	}
	t.Open(FieldSLL, 0, 16)
	t.Uint(FieldSLLPktType, 0, 2, uint64(s.PacketType))
	if s.AddrType == 1 && s.AddrLen == 6 {
		t.Bytes(FieldSLLSrcEth, 6, 6, ether(s.Addr))
	}
	t.Uint(FieldSLLEtype, 14, 2, uint64(s.EthernetType))
	t.Close()
}

// AppendLinuxSLL2 adds a Linux cooked capture v2 header (20 bytes).
func AppendLinuxSLL2(t *Tree, s *layers.LinuxSLL2) {
	if t.Off {
		return
	}
	t.Open(FieldSLL, 0, 20)
	t.Uint(FieldSLLEtype, 0, 2, uint64(s.ProtocolType))
	t.Uint(FieldSLLIfindex, 4, 4, uint64(s.InterfaceIndex))
	t.Uint(FieldSLLPktType, 10, 1, uint64(s.PacketType))
	if s.ARPHardwareType == 1 && s.AddrLength == 6 {
		t.Bytes(FieldSLLSrcEth, 12, 6, ether(s.Addr))
	}
	t.Close()
}

// AppendLoopback adds a BSD null/loopback header (4 bytes).
func AppendLoopback(t *Tree, l *layers.Loopback) {
	if t.Off {
		return
	}
	t.Open(FieldNull, 0, 4)
	t.Uint(FieldNullFamily, 0, 4, uint64(l.Family))
	t.Close()
}

// AppendGRE adds a GRE header.
func AppendGRE(t *Tree, g *layers.GRE) {
	if t.Off {
		return
	}
	t.Open(FieldGRE, 0, len(g.Contents))
	t.Uint(FieldGREProto, 2, 2, uint64(g.Protocol))
	t.Close()
}

func ip4(ip net.IP) [4]byte {
	var a [4]byte
	copy(a[:], ip.To4())
	return a
}

// AppendIPv4 adds an IPv4 header. reassembled is set when the header is
// that of a datagram rebuilt from fragments. As a display-filter value the
// protocol covers the datagram, header and payload, up to its total length.
func AppendIPv4(t *Tree, ip *layers.IPv4, reassembled bool) {
	if t.Off {
		return
	}
	hl := int(ip.IHL) * 4
	t.Open(FieldIP, 0, hl).U = uint64(len(ip.Contents) + len(ip.Payload))
	if !t.WantsSet(ipFields) {
		t.Close() // -T fields prints none of its fields
		return
	}
	t.Uint(FieldIPVersion, 0, 1, uint64(ip.Version))
	t.Uint(FieldIPHdrLen, 0, 1, uint64(hl))
	t.Open(FieldIPDSField, 1, 1).U = uint64(ip.TOS)
	t.Uint(FieldIPDSCP, 1, 1, uint64(ip.TOS>>2))
	t.Uint(FieldIPECN, 1, 1, uint64(ip.TOS&3))
	t.Close()
	t.Uint(FieldIPLen, 2, 2, uint64(ip.Length))
	t.Uint(FieldIPID, 4, 2, uint64(ip.Id))
	t.Open(FieldIPFlags, 6, 1).U = uint64(ip.Flags)
	t.Bool(FieldIPFlagRB, 6, 1, ip.Flags&layers.IPv4EvilBit != 0)
	t.Bool(FieldIPFlagDF, 6, 1, ip.Flags&layers.IPv4DontFragment != 0)
	t.Bool(FieldIPFlagMF, 6, 1, ip.Flags&layers.IPv4MoreFragments != 0)
	t.Close()
	t.Uint(FieldIPFragOff, 6, 2, uint64(ip.FragOffset))
	t.Uint(FieldIPTTL, 8, 1, uint64(ip.TTL))
	t.Uint(FieldIPProto, 9, 1, uint64(ip.Protocol))
	t.Uint(FieldIPChecksum, 10, 2, uint64(ip.Checksum))
	t.Uint(FieldIPChkStat, -1, 0, checksumUnverified).Flags |= NodeGenerated
	src, dst := ip4(ip.SrcIP), ip4(ip.DstIP)
	t.IPv4(FieldIPSrc, 12, src)
	t.IPv4(FieldIPAddr, 12, src).Flags |= NodeHidden
	t.IPv4(FieldIPDst, 16, dst)
	t.IPv4(FieldIPAddr, 16, dst).Flags |= NodeHidden
	if reassembled {
		t.Text("[IPv4 datagram reassembled from fragments]", -1, 0).Flags |= NodeGenerated
	}
	t.Close()
}

// checksumUnverified is tshark's checksum status when checksums are not
// checked (its default, and nbtsniff's only mode): 2, "Unverified".
const checksumUnverified = 2

// checksumNotPresent is tshark's status of a zero UDP checksum: 3, "Not
// present".
const checksumNotPresent = 3

// AppendUDP adds a UDP header; data is the datagram as IP carries it,
// from the UDP header on. As a display-filter value the protocol covers
// it, header and payload, and udp.payload is all of it after the header,
// as in tshark, even where udp.length says less.
func AppendUDP(t *Tree, u *layers.UDP, data []byte) {
	if t.Off {
		return
	}
	t.Open(FieldUDP, 0, 8).U = uint64(max(len(data), len(u.Contents)+len(u.Payload)))
	if !t.WantsSet(udpFields) {
		t.Close() // -T fields prints none of its fields
		return
	}
	t.Uint(FieldUDPSrcPort, 0, 2, uint64(u.SrcPort))
	t.Uint(FieldUDPDstPort, 2, 2, uint64(u.DstPort))
	t.Uint(FieldUDPPort, 0, 2, uint64(u.SrcPort)).Flags |= NodeGenerated
	t.Uint(FieldUDPPort, 2, 2, uint64(u.DstPort)).Flags |= NodeGenerated
	t.Uint(FieldUDPLength, 4, 2, uint64(u.Length))
	if u.Length < 8 {
		// tshark stops at a bad length (its expert note is the
		// engine's malformed node).
		t.Close()
		return
	}
	t.Uint(FieldUDPChecksum, 6, 2, uint64(u.Checksum))
	status := uint64(checksumUnverified)
	if u.Checksum == 0 {
		status = checksumNotPresent // an IPv4 sender may leave it out
	}
	t.Uint(FieldUDPChkStat, -1, 0, status).Flags |= NodeGenerated
	if len(data) > 8 {
		t.Bytes(FieldUDPPayload, 8, len(data)-8, data[8:]).Flags |= NodeHidden
	}
	t.Close()
}

// TCPSeq is what a TCP segment's numbers are relative to, as tshark shows
// them by default: Stream is tshark's tcp.stream index, Seq the sequence
// number relative to the first one seen in this direction, Ack the
// acknowledgment number relative to the first one seen in the other
// direction (the raw number when the ACK flag is clear, as tshark shows it).
type TCPSeq struct {
	Stream   int
	Seq, Ack uint32
}

// tcpFlagLetters are the letters of tcp.flags.str, most significant bit
// first (reserved, AE, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN).
const tcpFlagLetters = "RRRACEUAPRSF"

// AppendTCP adds a TCP header. As a display-filter value the protocol
// covers the segment, header and payload.
func AppendTCP(t *Tree, tc *layers.TCP, sq TCPSeq) {
	if t.Off {
		return
	}
	hl := int(tc.DataOffset) * 4
	t.Open(FieldTCP, 0, hl).U = uint64(len(tc.Contents) + len(tc.Payload))
	if !t.WantsSet(tcpFields) {
		t.Close() // -T fields prints none of its fields
		return
	}
	t.Uint(FieldTCPSrcPort, 0, 2, uint64(tc.SrcPort))
	t.Uint(FieldTCPDstPort, 2, 2, uint64(tc.DstPort))
	t.Uint(FieldTCPPort, 0, 2, uint64(tc.SrcPort)).Flags |= NodeGenerated
	t.Uint(FieldTCPPort, 2, 2, uint64(tc.DstPort)).Flags |= NodeGenerated
	t.Uint(FieldTCPStream, -1, 0, uint64(sq.Stream)).Flags |= NodeGenerated
	t.Uint(FieldTCPLen, -1, 0, uint64(len(tc.Payload))).Flags |= NodeGenerated
	t.Uint(FieldTCPSeq, 4, 4, uint64(sq.Seq))
	t.Uint(FieldTCPSeqRaw, 4, 4, uint64(tc.Seq))
	next := sq.Seq + uint32(len(tc.Payload))
	if tc.SYN {
		next++
	}
	if tc.FIN {
		next++
	}
	t.Uint(FieldTCPNxtSeq, -1, 0, uint64(next)).Flags |= NodeGenerated
	t.Uint(FieldTCPAck, 8, 4, uint64(sq.Ack))
	t.Uint(FieldTCPAckRaw, 8, 4, uint64(tc.Ack))
	t.Uint(FieldTCPHdrLen, 12, 1, uint64(hl))
	var flags uint64
	if len(tc.Contents) >= 14 {
		flags = uint64(binary.BigEndian.Uint16(tc.Contents[12:14]) & 0x0fff)
	}
	t.Open(FieldTCPFlags, 12, 2).U = flags
	for i, f := range tcpFlagFields {
		t.Bool(f, 12, 2, flags&tcpFlagMasks[i] != 0)
	}
	if t.Wants(FieldTCPFlagsStr) {
		b := t.Buf()
		for i := 11; i >= 0; i-- {
			if flags&(1<<uint(i)) != 0 {
				b = append(b, tcpFlagLetters[11-i])
			} else {
				b = append(b, "\u00b7"...)
			}
		}
		t.Bytes(FieldTCPFlagsStr, 12, 2, t.Keep(b)).Flags |= NodeGenerated
	}
	t.Close()
	t.Uint(FieldTCPWindow, 14, 2, uint64(tc.Window))
	t.Uint(FieldTCPChecksum, 16, 2, uint64(tc.Checksum))
	t.Uint(FieldTCPChkStat, -1, 0, checksumUnverified).Flags |= NodeGenerated
	t.Uint(FieldTCPUrgent, 18, 2, uint64(tc.Urgent))
	if len(tc.Payload) > 0 {
		t.Bytes(FieldTCPPayload, hl, len(tc.Payload), tc.Payload).Flags |= NodeHidden
	}
	t.Close()
}

// AppendData adds undecoded payload bytes.
func AppendData(t *Tree, b []byte) {
	if t.Off {
		return
	}
	t.Open(FieldData, 0, len(b))
	t.Bytes(FieldDataData, 0, len(b), b)
	t.Uint(FieldDataLen, -1, 0, uint64(len(b))).Flags |= NodeGenerated
	t.Close()
}
