package engine

// The layers below NBT: link (Ethernet, 802.1Q, Linux SLL and SLL2, BSD
// null, GRE and ERSPAN tunnels), IPv4 with fragment reassembly, UDP and
// TCP, each added to the frame's tree, then handed to nbt.go on the NBT
// ports or shown as data.

import (
	"encoding/binary"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
)

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
	e.decodeLinkAt(f, data, lt, 0)
}

// decodeLinkAt is decodeLink for data at offset off of the frame (the
// Ethernet frame inside a tunnel).
func (e *Engine) decodeLinkAt(f *dissect.Frame, data []byte, lt layers.LinkType, off int) {
	t := &f.Tree
	typ := linkFirst(lt)
	if typ == gopacket.LayerTypeZero {
		f.Proto = "Frame"
		f.Info = append(f.Info, "Unsupported link type "...)
		f.Info = strconv.AppendInt(f.Info, int64(lt), 10)
		return
	}
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
	if !e.decodeIPv4Header(data) {
		if err := e.ip.DecodeFromBytes(data, e); err != nil {
			e.malformed(f, "ip", err, off)
			return
		}
	}
	if f.Net.HasIP {
		// Tunnelled: the inner header wins for addressing, like tshark's
		// last ip.src occurrence.
	}
	ip := &e.ip
	shown := ip // the header the tree shows: this frame's
	reassembled := false
	if ip.Flags&layers.IPv4MoreFragments != 0 || ip.FragOffset != 0 {
		// The defragmenter rewrites the header it is given: the
		// fragment's own header is shown from a copy, also on the
		// fragment that completes the datagram (as tshark does).
		hdr := *ip
		shown = &hdr
		e.expireFragments(f.Time)
		whole, err := e.defrag.DefragIPv4WithTimestamp(ip, f.Time)
		if err != nil || whole == nil {
			ip = &hdr
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
	dissect.AppendIPv4(t, shown, reassembled)
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

// decodeEthernetIPv4 is decodeLink, when no tree is built, of an
// Ethernet frame with at most two 802.1Q tags that carries IPv4 (what
// the NBT-dense mix is made of): the link headers are read in place,
// not by gopacket's layers (their structs are not needed without a
// tree), the VLAN of the outer tag set as the layers set it, and the
// IPv4 packet decoded by decodeNBTUDP or decodeIPv4. Any other frame it
// leaves untouched and reports false: decodeLink then takes it.
func (e *Engine) decodeEthernetIPv4(f *dissect.Frame, data []byte) bool {
	if len(data) < 14 {
		return false
	}
	be := binary.BigEndian
	et, off := be.Uint16(data[12:]), 14
	for tags := 0; et == uint16(layers.EthernetTypeDot1Q); tags++ {
		if tags == 2 || len(data) < off+4 {
			return false
		}
		et, off = be.Uint16(data[off+2:]), off+4
	}
	if et != uint16(layers.EthernetTypeIPv4) {
		return false
	}
	e.decodeIPv4At(f, data, off)
	return true
}

// decodeIPv4At is decodeEthernetIPv4 of a frame whose IPv4 header starts
// at off (14, 18 or 22), after no tag but 802.1Q ones: the VLAN of the
// outer tag set, the packet decoded by decodeNBTUDP or decodeIPv4. A TCP
// shard from the reader (routed > 1: decideIPv4 gives one only to protocol
// 6) is a segment decodeNBTUDP would turn down: it goes to decodeIPv4.
// (The call's line within the function is the profile's: default.pgo
// inlines decodeNBTUDP here by it.)
func (e *Engine) decodeIPv4At(f *dissect.Frame, data []byte, off int) {
	if off > 14 {
		f.Net.VLAN, f.Net.HasVLAN = binary.BigEndian.Uint16(data[14:])&0x0fff, true
	}
	if e.routed > 1 || !e.decodeNBTUDP(f, data[off:], off) {
		f.Proto = "ETH" // the IPv4 header's error leaves it
		e.decodeIPv4(f, data[off:], off)
	}
}

// decodeNBTUDP is decodeIPv4 of the packet most of an NBT capture is
// made of, at offset off of the frame: IPv4 without options and
// unfragmented, carrying UDP to or from port 137 or 138 with a payload,
// the UDP datagram whole within the IPv4 total length, and that within
// the frame. It sets what gopacket's IPv4 and UDP decoders and
// decodeIPv4 would of such a packet (the addresses and ports, Proto) and
// hands the payload to the NBT decoders, without those layers' structs.
// Any other packet it leaves untouched and reports false.
func (e *Engine) decodeNBTUDP(f *dissect.Frame, ip []byte, off int) bool {
	be := binary.BigEndian
	// Version 4 and a 20-byte header (gopacket reads options from a
	// longer one); UDP; neither the MF flag nor a fragment offset.
	if len(ip) < 20+8 || ip[0] != 0x45 || ip[9] != uint8(layers.IPProtocolUDP) || be.Uint16(ip[6:])&0x3fff != 0 {
		return false
	}
	total := int(be.Uint16(ip[2:]))
	if total < 20+8 || total > len(ip) {
		return false // 0 (TSO), too small, or cut by the capture: gopacket's to tell
	}
	udp := ip[20:total]
	ulen := int(be.Uint16(udp[4:]))
	if ulen <= 8 || ulen > len(udp) {
		return false // no payload, a bad or jumbo length, or cut
	}
	sp, dp := be.Uint16(udp), be.Uint16(udp[2:])
	nbns := sp == dissect.PortNBNS || dp == dissect.PortNBNS
	if !nbns && sp != dissect.PortNBDGM && dp != dissect.PortNBDGM {
		return false
	}
	n := &f.Net
	n.HasIP, n.Src, n.Dst, n.IPProto = true, [4]byte(ip[12:16]), [4]byte(ip[16:20]), uint8(layers.IPProtocolUDP)
	n.SrcPort, n.DstPort = sp, dp
	f.Proto = "UDP"
	if nbns { // decodeUDP's order: NBNS first
		e.nbt.nbns(f, udp[8:ulen], off+20+8)
	} else {
		e.nbt.nbdgm(f, udp[8:ulen], off+20+8)
	}
	return true
}

// decodeIPv4Header is e.ip.DecodeFromBytes(data) of the usual header:
// 20 bytes, no options, the total length within data. It sets the same
// fields to the same values (the payload ends at the total length; the
// version is not checked), without the option walk and the checks that
// such a header passes, and reports true; any other header it leaves to
// gopacket (false, e.ip untouched).
func (e *Engine) decodeIPv4Header(data []byte) bool {
	if e.slowLink || len(data) < 20 || data[0]&0x0f != 5 {
		return false
	}
	be := binary.BigEndian
	length := int(be.Uint16(data[2:]))
	if length < 20 || length > len(data) {
		return false // 0 (TSO), too small, or cut: gopacket's to tell
	}
	data = data[:length]
	ip := &e.ip
	ip.Contents, ip.Payload = data[:20], data[20:]
	ip.Options, ip.Padding = ip.Options[:0], nil
	ff := be.Uint16(data[6:])
	ip.Version, ip.IHL, ip.TOS, ip.Length, ip.Id = data[0]>>4, 5, data[1], uint16(length), be.Uint16(data[4:])
	ip.Flags, ip.FragOffset = layers.IPv4Flag(ff>>13), ff&0x1fff
	ip.TTL, ip.Protocol, ip.Checksum = data[8], layers.IPProtocol(data[9]), be.Uint16(data[10:])
	ip.SrcIP, ip.DstIP = data[12:16], data[16:20]
	return true
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
		e.decodeLinkAt(f, data, layers.LinkTypeEthernet, off)
	}
}

func (e *Engine) setAddrs(f *dissect.Frame, ip *layers.IPv4) {
	f.Net.HasIP = true
	if len(ip.SrcIP) == 4 && len(ip.DstIP) == 4 { // as gopacket decodes them: To4 is the address itself
		f.Net.Src, f.Net.Dst = [4]byte(ip.SrcIP), [4]byte(ip.DstIP)
	} else {
		copy(f.Net.Src[:], ip.SrcIP.To4())
		copy(f.Net.Dst[:], ip.DstIP.To4())
	}
	f.Net.IPProto = uint8(ip.Protocol)
}

func (e *Engine) decodeUDP(f *dissect.Frame, data []byte, off int) {
	t := &f.Tree
	t.Base = off
	if err := e.udp.DecodeFromBytes(data, e); err != nil {
		e.malformed(f, "udp", err, off)
		return
	}
	dissect.AppendUDP(t, &e.udp, data)
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
	tc := &e.tcp
	if decodeTCPHeader(tc, data) {
		// The ports from the bytes: tc's two were just stored apart, and
		// read back as one word they stall.
		f.Net.SrcPort, f.Net.DstPort = binary.BigEndian.Uint16(data[0:2]), binary.BigEndian.Uint16(data[2:4])
	} else {
		if err := tc.DecodeFromBytes(data, e); err != nil {
			e.malformed(f, "tcp", err, off)
			return
		}
		f.Net.SrcPort, f.Net.DstPort = uint16(tc.SrcPort), uint16(tc.DstPort)
	}
	sh := e.nbt.shard(e.shardOf(f))
	sq := dissect.TCPSeq{Stream: -1, Seq: tc.Seq, Ack: tc.Ack}
	if e.needs.convs {
		var forgot bool
		sq, forgot = sh.convs.lookup(&f.Net, tc, f.Time)
		if forgot {
			e.forgotStream(f, sh.convs.max)
		}
	}
	rel := sq.Seq
	f.Net.TCPStream = sq.Stream
	if !t.Off { // (AppendTCP's own first test: spares the call)
		dissect.AppendTCP(t, tc, sq)
	}
	e.addProto("tcp")
	f.Proto = "TCP"
	if e.needs.info {
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
