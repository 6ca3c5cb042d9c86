package engine

import (
	"bytes"
	"encoding/binary"
	"strconv"

	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/reassembly"
)

// NetBIOS over NetBEUI and over IPX: the transports Windows binds NetBIOS
// to besides TCP/IP, each its own browsing world (the browser draft's
// "prolific protocol bindings"). An Ethernet frame that is not IPv4 comes
// here (legacyEthernet) when it carries
//
//   - IEEE 802.2 LLC after an 802.3 length, straight or in an 802.1Q tag:
//     NetBIOS Frames to SAP 0xF0 (NetBEUI), IPX to SAP 0xE0 or in SNAP;
//   - IPX after an 802.3 length without LLC ("raw 802.3", checksum 0xFFFF);
//   - IPX in an Ethernet II frame, type 0x8137, straight or tagged;
//
// and then goes up as the NBT path does: a datagram's mailslot SMB to the
// browser and LAN Manager layers (nbtState.datagramSMB), a session's SMB
// messages to SMB, transactions and RAP (nbtState.sessionSMB) with the
// state of a connection of their own. Those states live in TCP shard 0,
// which takes every frame that is not IPv4 TCP (route.go), under
// connection indices of their own (legacyConnBase and up).

// etherTypeIPX is Novell's EtherType.
const etherTypeIPX = 0x8137

// Bounds of the NetBEUI and IPX state.
const (
	// maxLegacyConns bounds the sessions remembered (NetBEUI session
	// numbers, IPX socket pairs): when full, they are forgotten at once.
	maxLegacyConns = 4096
	// legacyConnBase numbers those sessions apart from the TCP
	// connections of shard 0.
	legacyConnBase = 1 << 30
	// maxNetBIOSPending bounds the NetBIOS messages being reassembled and
	// maxNetBIOSMessage the bytes of one.
	maxNetBIOSPending = 256
	maxNetBIOSMessage = 1 << 20
)

// legacyState holds the NetBEUI and IPX decoders and what they remember.
type legacyState struct {
	llc   dissect.LLC
	nb    dissect.NetBIOS
	ipx   dissect.IPX
	nbipx dissect.NBIPX
	nmpi  dissect.NMPI
	conn  reassembly.Conn
	msg   reassembly.NBSSMessage

	conns    map[legacyConnKey]int
	nextConn int
	frags    map[netbiosFragKey]*netbiosFrags
}

// legacyConnKey is one session, the same both ways: two endpoints (MAC
// address and NetBIOS session number, or IPX address and socket or
// connection ID), the lower one first.
type legacyConnKey struct {
	kind uint8 // 1 NetBEUI, 2 SMB over IPX, 3 NBIPX session
	a, b [12]byte
}

// netbiosFragKey is one direction of a NetBEUI session, as tshark keys
// its fragments (packet-netbios.c: addresses and session numbers).
type netbiosFragKey struct {
	src, dst [6]byte
	session  uint16
}

// netbiosFrags is a message whose Data First Middle frames came, waiting
// for its Data Only Last.
type netbiosFrags struct {
	frames []int
	sizes  []int
	data   []byte
}

// legacyEthernet decodes an Ethernet frame that carries NetBEUI or IPX
// (see above), payload being what follows the Ethernet header at off. It
// reports whether the frame was one: else the caller goes on.
//
// The timeline keeps the transports apart (timeline/transport.go): the
// typed messages of these frames (Frame.Msgs) start with the NetBIOS
// Frames header or the IPX header, which say the transport and carry the
// names an NBT datagram header would, and Frame.Net has the Ethernet
// addresses (a NetBEUI sender's identity).
func (e *Engine) legacyEthernet(f *dissect.Frame, payload []byte, off int) bool {
	ok := e.legacyLink(f, payload, off)
	if ok {
		f.Net.HasMAC = true
		copy(f.Net.SrcMAC[:], e.eth.SrcMAC)
		copy(f.Net.DstMAC[:], e.eth.DstMAC)
	}
	return ok
}

func (e *Engine) legacyLink(f *dissect.Frame, payload []byte, off int) bool {
	switch {
	case dissect.IEEE8023(&e.eth):
		if len(payload) >= 2 && payload[0] == 0xFF && payload[1] == 0xFF {
			e.relabelEthernet(f, "IEEE 802.3 Ethernet Raw")
			e.addProto("eth")
			e.ipxPacket(f, payload, off)
			return true
		}
		e.addProto("eth")
		e.llcFrame(f, payload, off)
		return true
	case e.eth.EthernetType == etherTypeIPX:
		e.addProto("eth:ethertype")
		e.ipxPacket(f, payload, off)
		return true
	case e.eth.EthernetType == layers.EthernetTypeDot1Q && len(payload) >= 4:
		inner := binary.BigEndian.Uint16(payload[2:])
		if inner > 1500 && inner != etherTypeIPX {
			return false
		}
		if inner == 0 || e.dot1q.DecodeFromBytes(payload, e) != nil {
			return false
		}
		e.addProto("eth:ethertype")
		t := &f.Tree
		t.Base = off
		if !f.Net.HasVLAN {
			f.Net.VLAN, f.Net.HasVLAN = e.dot1q.VLANIdentifier, true
		}
		off += len(e.dot1q.Contents)
		if inner == etherTypeIPX {
			dissect.AppendDot1Q(t, &e.dot1q)
			e.addProto("vlan:ethertype")
			e.ipxPacket(f, e.dot1q.Payload, off)
			return true
		}
		dissect.AppendDot1QLength(t, &e.dot1q)
		e.addProto("vlan")
		e.llcFrame(f, e.dot1q.Payload, off)
		return true
	}
	return false
}

// relabelEthernet gives the frame's Ethernet node tshark's heading.
func (e *Engine) relabelEthernet(f *dissect.Frame, label string) {
	nodes := f.Tree.Nodes
	for i := len(nodes) - 1; i >= 0; i-- {
		if nodes[i].Field == dissect.FieldEth {
			nodes[i].Label = label
			return
		}
	}
}

func (e *Engine) legacyState() *legacyState {
	if e.legacy == nil {
		e.legacy = &legacyState{conns: map[legacyConnKey]int{}, frags: map[netbiosFragKey]*netbiosFrags{}}
		e.legacy.msg.Conn = &e.legacy.conn
	}
	return e.legacy
}

// legacyShow adds a layer as nbtState.show does, its typed message
// included; proto "" leaves it out of frame.protocols, as tshark leaves
// NBIPX and NMPI out.
func (e *Engine) legacyShow(f *dissect.Frame, l dissect.Layer, err error, proto, column string) bool {
	if e.needs.tree {
		l.AppendTree(&f.Tree)
	}
	if proto != "" {
		e.addProto(proto)
	}
	f.Proto = column
	if e.needs.info {
		f.Info = l.AppendInfo(f.Info[:0])
	}
	if err != nil {
		e.noteErr(f, err)
		return false
	}
	f.Msgs = append(f.Msgs, l)
	return true
}

// llcFrame decodes an 802.2 LLC header and what it carries.
func (e *Engine) llcFrame(f *dissect.Frame, data []byte, off int) {
	st := e.legacyState()
	l := &st.llc
	f.Tree.Base = off
	if !e.legacyShow(f, l, l.DecodeFromBytes(data, e), "llc", "LLC") {
		return
	}
	poff := off + len(l.Contents)
	switch l.NextLayerType() {
	case dissect.LayerTypeNetBIOS:
		e.netbiosFrame(f, l.Payload, poff)
	case dissect.LayerTypeIPX:
		e.ipxPacket(f, l.Payload, poff)
	default:
		e.appendData(f, l.Payload, poff)
	}
}

// netbiosFrame decodes a NetBIOS Frames header and the user data of a
// datagram or of a session message.
func (e *Engine) netbiosFrame(f *dissect.Frame, data []byte, off int) {
	st := e.legacyState()
	nb := &st.nb
	f.Tree.Base = off
	below := len(f.Info)
	ok := e.legacyShow(f, nb, nb.DecodeFromBytes(data, e), "netbios", "NetBIOS")
	if nb.InfoFromBelow() && len(f.Info) == 0 {
		f.Info = f.Info[:below] // LLC's words, untouched: NetBIOS appended none
	}
	if !ok {
		return
	}
	poff := off + len(nb.Contents)
	switch nb.Command {
	case dissect.NetBIOSDatagram, dissect.NetBIOSDatagramBroadcast:
		e.legacyDatagram(f, nb.Payload, poff)
	case dissect.NetBIOSDataFirstMiddle, dissect.NetBIOSDataOnlyLast:
		e.netbiosData(f, nb, poff)
	}
}

// legacyDatagram decodes the user data of a datagram (NetBEUI Datagram,
// NBIPX Directed datagram, NMPI Mailslot write): the mailslot SMB of a
// browser frame, as tshark's heuristic finds it, or data.
func (e *Engine) legacyDatagram(f *dissect.Frame, data []byte, off int) {
	if !e.needs.upper {
		return
	}
	if dissect.IsSMB1(data) {
		e.nbt.datagramSMB(f, data, off)
		return
	}
	e.appendData(f, data, off)
}

// netbiosData decodes the user data of a NetBEUI session frame: a Data
// First Middle frame is kept until the Data Only Last that completes its
// message (shown as data meanwhile, as tshark does), which then goes up
// from its own data source.
func (e *Engine) netbiosData(f *dissect.Frame, nb *dissect.NetBIOS, off int) {
	st := e.legacyState()
	key := netbiosFragKey{session: nb.SessionID()}
	copy(key.src[:], e.eth.SrcMAC)
	copy(key.dst[:], e.eth.DstMAC)
	payload := nb.Payload
	fr := st.frags[key]
	if nb.Command == dissect.NetBIOSDataFirstMiddle {
		if fr == nil {
			if len(st.frags) >= maxNetBIOSPending {
				clear(st.frags)
			}
			fr = &netbiosFrags{}
			st.frags[key] = fr
		}
		if len(fr.data)+len(payload) > maxNetBIOSMessage {
			delete(st.frags, key)
			if f.Tree.WantsText() {
				f.Tree.Base = 0
				f.Tree.Expert("[NetBIOS: message over "+strconv.Itoa(maxNetBIOSMessage)+" bytes: reassembly given up]", -1, 0).Flags |= dissect.NodeWarn
			}
		} else {
			fr.frames = append(fr.frames, f.Number)
			fr.sizes = append(fr.sizes, len(payload))
			fr.data = append(fr.data, payload...)
		}
		e.appendData(f, payload, off)
		return
	}
	src := uint8(0)
	if fr != nil {
		delete(st.frags, key)
		fr.frames = append(fr.frames, f.Number)
		fr.sizes = append(fr.sizes, len(payload))
		fr.data = append(fr.data, payload...)
		payload = fr.data
		e.netbiosFragmentTree(f, fr)
		src = f.Tree.AddSource("Reassembled NetBIOS", payload)
		off = 0
	}
	if !e.needs.upper {
		return
	}
	if !dissect.IsSMB1(payload) {
		f.Tree.Src = src
		e.appendData(f, payload, off)
		f.Tree.Src = 0
		return
	}
	var k legacyConnKey
	k.kind = 1
	endpoint(&k.a, e.eth.SrcMAC, uint16(nb.LocalSession))
	endpoint(&k.b, e.eth.DstMAC, uint16(nb.RemoteSession))
	e.legacySMB(f, k, payload, src, off)
}

// netbiosFragmentTree lists the frames of a reassembled message, as
// tshark's show_fragment_seq_tree does (after the NetBIOS layer, as the
// other reassemblies of the engine show theirs).
func (e *Engine) netbiosFragmentTree(f *dissect.Frame, fr *netbiosFrags) {
	t := &f.Tree
	if !e.needs.tree {
		return
	}
	t.Base, t.Src = 0, 0
	h := t.Open(dissect.FieldNetBIOSFragments, -1, 0)
	h.Flags |= dissect.NodeGenerated
	if t.WantsText() {
		b := append(t.Buf(), '[')
		b = strconv.AppendInt(b, int64(len(fr.frames)), 10)
		b = append(b, " NetBIOS Fragments ("...)
		b = strconv.AppendInt(b, int64(len(fr.data)), 10)
		b = append(b, " bytes): "...)
		for i, n := range fr.frames {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, '#')
			b = strconv.AppendInt(b, int64(n), 10)
			b = append(b, '(')
			b = strconv.AppendInt(b, int64(fr.sizes[i]), 10)
			b = append(b, ')')
		}
		h.Label = string(append(b, ']'))
	}
	for _, n := range fr.frames {
		t.Uint(dissect.FieldNetBIOSFragment, -1, 0, uint64(n)).Flags |= dissect.NodeGenerated
	}
	t.Uint(dissect.FieldNetBIOSFragmentCount, -1, 0, uint64(len(fr.frames))).Flags |= dissect.NodeGenerated
	t.Uint(dissect.FieldNetBIOSReassembledLength, -1, 0, uint64(len(fr.data))).Flags |= dissect.NodeGenerated
	t.Close()
}

// ipxPacket decodes an IPX header and what its sockets say it carries.
func (e *Engine) ipxPacket(f *dissect.Frame, data []byte, off int) {
	st := e.legacyState()
	x := &st.ipx
	f.Tree.Base = off
	if !e.legacyShow(f, x, x.DecodeFromBytes(data, e), "ipx", x.Column()) {
		return
	}
	poff := off + len(x.Contents)
	payload := x.Payload
	switch x.Next() {
	case dissect.IPXNextNBIPX:
		p := &st.nbipx
		f.Tree.Base = poff
		if !e.legacyShow(f, p, p.DecodeIPX(payload, x.PacketType), "", "NBIPX") {
			return
		}
		doff := poff + len(p.Contents)
		switch {
		case p.PacketType == dissect.NBIPXDirectedDatagram:
			e.legacyDatagram(f, p.Payload, doff)
		case p.PacketType == dissect.NBIPXSessionData && dissect.IsSMB1(p.Payload) && e.needs.upper:
			var k legacyConnKey
			k.kind = 3
			endpoint(&k.a, x.SrcNode, p.SrcConnID)
			endpoint(&k.b, x.DstNode, p.DstConnID)
			e.legacySMB(f, k, p.Payload, 0, doff)
		case len(p.Payload) > 0 && e.needs.upper:
			e.appendData(f, p.Payload, doff)
		}
	case dissect.IPXNextNMPI:
		m := &st.nmpi
		f.Tree.Base = poff
		if !e.legacyShow(f, m, m.DecodeFromBytes(payload, e), "", "NMPI") {
			return
		}
		if m.Opcode == dissect.NMPIMailslotWrite && len(m.Payload) > 0 {
			e.legacyDatagram(f, m.Payload, poff+len(m.Contents))
		}
	case dissect.IPXNextSMB:
		if !e.needs.upper {
			return
		}
		if !dissect.IsSMB1(payload) {
			e.appendData(f, payload, poff)
			return
		}
		var k legacyConnKey
		k.kind = 2
		endpoint(&k.a, x.SrcNode, x.SrcSocket)
		endpoint(&k.b, x.DstNode, x.DstSocket)
		binary.BigEndian.PutUint32(k.a[8:], x.SrcNet)
		binary.BigEndian.PutUint32(k.b[8:], x.DstNet)
		e.legacySMB(f, k, payload, 0, poff)
	default:
		e.appendData(f, payload, poff)
	}
}

// endpoint writes a 6-byte address and a 2-byte number into a key half.
func endpoint(dst *[12]byte, addr []byte, n uint16) {
	copy(dst[:6], addr)
	binary.BigEndian.PutUint16(dst[6:], n)
}

// legacySMB decodes an SMB message of a NetBEUI or IPX session with the
// state of its connection: tree connects, transactions, RAP requests
// awaiting their reply.
func (e *Engine) legacySMB(f *dissect.Frame, k legacyConnKey, data []byte, src uint8, off int) {
	st := e.legacyState()
	if bytes.Compare(k.a[:], k.b[:]) > 0 {
		k.a, k.b = k.b, k.a
	}
	idx, ok := st.conns[k]
	if !ok {
		if len(st.conns) >= maxLegacyConns {
			clear(st.conns)
		}
		idx = legacyConnBase + st.nextConn
		st.nextConn = (st.nextConn + 1) % legacyConnBase
		st.conns[k] = idx
	}
	s := &e.nbt
	s.shard(0)
	s.nbssN, s.rapN, s.infoStart = 0, 0, 0
	s.nextNBSS()
	st.conn.Index = idx
	s.sessionSMB(f, &st.msg, data, src, off)
	f.Tree.Src = 0
	s.expireTrans(f)
}
