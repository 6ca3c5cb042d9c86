package dissect

// Internetwork Packet eXchange (Novell, "IPX Router Specification" and
// NetWare LAN Analysis, Chappell and Hakes, ch. 5), the network layer of
// NWLink, over which Windows runs NetBIOS (NBIPX, nbipx.go), its name
// service and mailslots (NMPI, nbipx.go) and SMB itself. It comes in an
// Ethernet II frame (type 0x8137), in IEEE 802.2 LLC to SAP 0xE0 or in
// SNAP, or straight after an 802.3 length ("raw 802.3", recognised by the
// 0xFFFF checksum). Byte order: big-endian.
//
//	 0          2         4     5      6           10          16         18          22          28
//	+----------+---------+-----+------+-----------+-----------+----------+-----------+-----------+----------+
//	| checksum | length  | TC  | type | dst net   | dst node  | dst sock | src net   | src node  | src sock |
//	+----------+---------+-----+------+-----------+-----------+----------+-----------+-----------+----------+
//
// LENGTH counts the header (30 bytes) and the data; TC (transport control)
// counts the routers passed. Which protocol the data is for is said by the
// sockets, the lower one first, as tshark decides it (Socket).

import (
	"encoding/binary"
	"strconv"

	"github.com/gopacket/gopacket"
)

// ipxHeaderLen is the fixed IPX header.
const ipxHeaderLen = 30

// IPXPacketType is the packet type byte.
type IPXPacketType uint8

// IPX packet types.
const (
	IPXTypeUnknown          IPXPacketType = 0
	IPXTypeRIP              IPXPacketType = 1
	IPXTypeEcho             IPXPacketType = 2
	IPXTypeError            IPXPacketType = 3
	IPXTypePEP              IPXPacketType = 4 // packet exchange: most NetBIOS over IPX
	IPXTypeSPX              IPXPacketType = 5
	IPXTypeNCP              IPXPacketType = 17
	IPXTypeNetBIOSBroadcast IPXPacketType = 20 // type 20: propagated broadcast, with a route list
)

// String returns tshark's name ("NetBIOS Broadcast").
func (p IPXPacketType) String() string {
	switch {
	case p == IPXTypeUnknown:
		return "IPX"
	case p == IPXTypeRIP:
		return "RIP"
	case p == IPXTypeEcho:
		return "Echo"
	case p == IPXTypeError:
		return "Error"
	case p == IPXTypePEP:
		return "PEP"
	case p == IPXTypeSPX:
		return "SPX"
	case p == IPXTypeNCP:
		return "NCP"
	case p == IPXTypeNetBIOSBroadcast:
		return "NetBIOS Broadcast"
	case p >= 16 && p <= 31:
		return "Experimental Protocol"
	}
	return "Unknown"
}

// IPX sockets of NetBIOS and SMB over IPX (tshark's packet-ipx.h).
const (
	IPXSocketNetBIOS       = 0x0455 // NBIPX
	IPXSocketSMBServer     = 0x0550 // NWLink SMB Server: direct SMB
	IPXSocketSMBNameQuery  = 0x0551 // NMPI name claims and queries
	IPXSocketSMBRedirector = 0x0552 // direct SMB, the client's end
	IPXSocketSMBMailslot   = 0x0553 // NMPI mailslot writes: the browser
	IPXSocketSMBMessenger  = 0x0554
)

// ipxSocketName is tshark's name of a socket (ipx_socket_vals), "" when
// it has none.
func ipxSocketName(s uint16) string {
	switch s {
	case 0x0002:
		return "CISCO PING"
	case 0x0451:
		return "NCP"
	case 0x0452:
		return "SAP"
	case 0x0453:
		return "RIP"
	case IPXSocketNetBIOS:
		return "NetBIOS"
	case 0x0456:
		return "Diagnostic"
	case 0x0457:
		return "Serialization"
	case IPXSocketSMBServer:
		return "NWLink SMB Server"
	case IPXSocketSMBNameQuery:
		return "NWLink SMB Name Query"
	case IPXSocketSMBRedirector:
		return "NWLink SMB Redirector"
	case IPXSocketSMBMailslot:
		return "NWLink SMB Mailslot Datagram"
	case IPXSocketSMBMessenger:
		return "NWLink SMB Messenger"
	case 0x0555:
		return "NWLink SMB Browse"
	case 0x05FD:
		return "Attachmate Gateway"
	case 0x4001, 0x4003:
		return "IPX Message"
	case 0x4006:
		return "NetWare Directory Server"
	case 0x400C:
		return "HP LaserJet/QuickSilver"
	case 0x8104:
		return "NetWare 386"
	case 0x8522:
		return "ADSM"
	case 0x85BE:
		return "Cisco EIGRP for IPX"
	case 0x8F83:
		return "Powerchute UPS Monitoring"
	case 0x9001:
		return "NetWare Link Services Protocol"
	case 0x9004:
		return "IPX WAN"
	case 0x900F:
		return "SNMP Agent"
	case 0x9010:
		return "SNMP Sink"
	case 0x907B:
		return "SMS Testing and Development"
	case 0x9086:
		return "Novell PING"
	case 0x9091:
		return "TCP Tunnel"
	case 0x9092:
		return "UDP Tunnel"
	case 0xE885:
		return "NT Server-RPC/GW"
	}
	return ""
}

// IPXNext says which protocol an IPX packet's data is for.
type IPXNext uint8

// What IPX carries, as far as nbtsniff is concerned.
const (
	IPXNextData  IPXNext = iota // nothing tshark knows: data
	IPXNextOther                // a protocol tshark decodes and nbtsniff does not (RIP, SAP, NCP, SPX...)
	IPXNextNBIPX                // NetBIOS over IPX, socket 0x0455
	IPXNextNMPI                 // name management and mailslots, sockets 0x0551 and 0x0553
	IPXNextSMB                  // SMB straight over IPX, sockets 0x0550, 0x0552, 0x0554
)

// ipxSocketNext is what tshark's ipx.socket table holds for a socket.
func ipxSocketNext(s uint16) IPXNext {
	switch s {
	case IPXSocketNetBIOS:
		return IPXNextNBIPX
	case IPXSocketSMBNameQuery, IPXSocketSMBMailslot:
		return IPXNextNMPI
	case IPXSocketSMBServer, IPXSocketSMBRedirector, IPXSocketSMBMessenger:
		return IPXNextSMB
	case 0x0002, 0x0451, 0x0452, 0x0453, 0x0456, 0x0457, 0x4001, 0x4003, 0x8522, 0x85BE,
		0x9001, 0x9004, 0x900F, 0x9010, 0x9086, 0x9091, 0x9092:
		return IPXNextOther
	}
	return IPXNextData
}

// Fields of the IPX layer, under tshark's names. The network numbers are
// tshark's FT_IPXNET, printed as 0x%08x: nbtsniff keeps them as 32-bit
// hex integers.
var (
	FieldIPX          = RegisterField(FieldInfo{Abbrev: "ipx", Name: "Internetwork Packet eXchange", Type: FTProtocol})
	FieldIPXChecksum  = WiresharkField("ipx.checksum")
	FieldIPXSrc       = WiresharkField("ipx.src")
	FieldIPXDst       = WiresharkField("ipx.dst")
	FieldIPXAddr      = WiresharkField("ipx.addr")
	FieldIPXLen       = WiresharkField("ipx.len")
	FieldIPXHops      = WiresharkField("ipx.hops")
	FieldIPXType      = WiresharkField("ipx.packet_type")
	FieldIPXDstNet    = RegisterField(FieldInfo{Abbrev: "ipx.dst.net", Name: "Destination Network", Type: FTUint32, Base: BaseHex})
	FieldIPXDstNode   = WiresharkField("ipx.dst.node")
	FieldIPXDstSocket = WiresharkField("ipx.dst.socket")
	FieldIPXSrcNet    = RegisterField(FieldInfo{Abbrev: "ipx.src.net", Name: "Source Network", Type: FTUint32, Base: BaseHex})
	FieldIPXSrcNode   = WiresharkField("ipx.src.node")
	FieldIPXSrcSocket = WiresharkField("ipx.src.socket")
	FieldIPXNet       = RegisterField(FieldInfo{Abbrev: "ipx.net", Name: "Source or Destination Network", Type: FTUint32, Base: BaseHex})
	FieldIPXNode      = WiresharkField("ipx.node")
	FieldIPXSocket    = WiresharkField("ipx.socket")
)

func init() {
	SetValues(FieldIPXType, func(v uint64) string { return IPXPacketType(v).String() })
	socket := func(v uint64) string {
		if s := ipxSocketName(uint16(v)); s != "" {
			return s
		}
		return "Unknown"
	}
	SetValues(FieldIPXDstSocket, socket)
	SetValues(FieldIPXSrcSocket, socket)
	SetValues(FieldIPXSocket, socket)
}

// IPX is one IPX header. It is a gopacket DecodingLayer: DecodeFromBytes
// resets it, its slices alias the input, and decoding a well-formed header
// allocates nothing.
type IPX struct {
	Checksum   uint16
	Length     uint16 // header and data
	Hops       uint8  // transport control
	PacketType IPXPacketType
	DstNet     uint32
	DstNode    []byte // 6 bytes
	DstSocket  uint16
	SrcNet     uint32
	SrcNode    []byte // 6 bytes
	SrcSocket  uint16
	// Contents is the header; Payload the data, up to Length when the
	// frame holds more (Ethernet padding).
	Contents []byte
	Payload  []byte
	Err      error

	data []byte
}

// LayerType is LayerTypeIPX.
func (x *IPX) LayerType() gopacket.LayerType { return LayerTypeIPX }

// CanDecode is LayerTypeIPX.
func (x *IPX) CanDecode() gopacket.LayerClass { return LayerTypeIPX }

// LayerContents is the header.
func (x *IPX) LayerContents() []byte { return x.Contents }

// LayerPayload is the data.
func (x *IPX) LayerPayload() []byte { return x.Payload }

// NextLayerType follows Next.
func (x *IPX) NextLayerType() gopacket.LayerType {
	if x.Err != nil {
		return gopacket.LayerTypePayload
	}
	switch x.Next() {
	case IPXNextNBIPX:
		return LayerTypeNBIPX
	case IPXNextNMPI:
		return LayerTypeNMPI
	case IPXNextSMB:
		return LayerTypeSMB
	}
	return gopacket.LayerTypePayload
}

// Next says which protocol the data is for, the way tshark's packet-ipx.c
// chooses: the lower socket first, unless the higher one is the name
// query socket 0x0551 (NMPI packets go from 0x0550 to 0x0551); then the
// higher one; then the packet type (SPX, NCP).
func (x *IPX) Next() IPXNext {
	n, _ := x.dispatch()
	return n
}

// dispatch is Next and the socket that decided it (0 for none).
func (x *IPX) dispatch() (IPXNext, uint16) {
	first, second := x.SrcSocket, x.DstSocket
	if first > second {
		first, second = second, first
	}
	if second != IPXSocketSMBNameQuery {
		if n := ipxSocketNext(first); n != IPXNextData {
			return n, first
		}
	}
	if n := ipxSocketNext(second); n != IPXNextData {
		return n, second
	}
	if x.PacketType == IPXTypeSPX || x.PacketType == IPXTypeNCP {
		return IPXNextOther, 0
	}
	return IPXNextData, 0
}

// Sockets of the IPX routing protocols, whose packets nbtsniff names in
// the summary line as tshark does.
const (
	ipxSocketSAP = 0x0452
	ipxSocketRIP = 0x0453
)

// Column is the protocol column for a packet whose data nbtsniff does
// not decode: "IPX RIP" and "IPX SAP" as tshark says, else "IPX".
func (x *IPX) Column() string {
	if x.Err == nil && len(x.Payload) >= 2 {
		switch _, s := x.dispatch(); s {
		case ipxSocketRIP:
			return "IPX RIP"
		case ipxSocketSAP:
			return "IPX SAP"
		}
	}
	return "IPX"
}

// DecodeFromBytes decodes an IPX header. On error the fields decoded so
// far are kept, Err is set and returned.
func (x *IPX) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	*x = IPX{data: data}
	if len(data) < ipxHeaderLen {
		return x.fail(Truncated("ipx", "header", 0, ipxHeaderLen, len(data)))
	}
	x.Checksum = binary.BigEndian.Uint16(data[0:])
	x.Length = binary.BigEndian.Uint16(data[2:])
	x.Hops = data[4]
	x.PacketType = IPXPacketType(data[5])
	x.DstNet = binary.BigEndian.Uint32(data[6:])
	x.DstNode = data[10:16]
	x.DstSocket = binary.BigEndian.Uint16(data[16:])
	x.SrcNet = binary.BigEndian.Uint32(data[18:])
	x.SrcNode = data[22:28]
	x.SrcSocket = binary.BigEndian.Uint16(data[28:])
	x.Contents = data[:ipxHeaderLen]
	end := len(data)
	if int(x.Length) < end {
		end = int(x.Length) // tshark's set_actual_length: only ever shorter
	}
	if end < ipxHeaderLen {
		x.Payload = data[ipxHeaderLen:ipxHeaderLen]
		return x.fail(Malformed("ipx", "length", 2, "length "+strconv.Itoa(int(x.Length))+" is shorter than the header (30 bytes)"))
	}
	x.Payload = data[ipxHeaderLen:end]
	return nil
}

func (x *IPX) fail(err error) error {
	x.Err = err
	return err
}

// ipxFields is every field AppendTree may add below the protocol node.
var ipxFields = NewFieldSet("ipx")

// appendIPXAddr appends an IPX address as tshark prints it:
// "00000000.000c29310d01" (network, node).
func appendIPXAddr(b []byte, net uint32, node []byte) []byte {
	for s := 28; s >= 0; s -= 4 {
		b = append(b, hexdigits[net>>s&0xf])
	}
	b = append(b, '.')
	for _, c := range node {
		b = append(b, hexdigits[c>>4], hexdigits[c&0xf])
	}
	return b
}

// AppendTree adds the IPX layer as tshark shows it, its hidden address
// fields (ipx.src, ipx.dst, ipx.addr, ipx.net, ipx.node, ipx.socket)
// included for -T fields and filters.
//
// A header cut short is only a malformed note, with no IPX node: tshark
// reads the sockets before it adds the layer.
func (x *IPX) AppendTree(t *Tree) {
	if x.Contents == nil {
		if x.Err != nil {
			t.Expert("[Malformed: "+x.Err.Error()+"]", 0, len(x.data))
		}
		return
	}
	t.Open(FieldIPX, 0, ipxHeaderLen)
	defer t.Close()
	if t.WantsSet(ipxFields) {
		x.appendFields(t)
	}
	if x.Err != nil {
		t.Expert("[Malformed: "+x.Err.Error()+"]", 0, len(x.data))
	}
}

func (x *IPX) appendFields(t *Tree) {
	hide := func(n *Node) { n.Flags |= NodeHidden }
	if t.Wants(FieldIPXSrc) || t.Wants(FieldIPXDst) || t.Wants(FieldIPXAddr) {
		src := t.Keep(appendIPXAddr(t.Buf(), x.SrcNet, x.SrcNode))
		dst := t.Keep(appendIPXAddr(t.Buf(), x.DstNet, x.DstNode))
		hide(t.Bytes(FieldIPXSrc, 18, 0, src))
		hide(t.Bytes(FieldIPXAddr, 18, 0, src))
		hide(t.Bytes(FieldIPXDst, 6, 0, dst))
		hide(t.Bytes(FieldIPXAddr, 6, 0, dst))
	}
	t.Uint(FieldIPXChecksum, 0, 2, uint64(x.Checksum))
	t.Uint(FieldIPXLen, 2, 2, uint64(x.Length))
	t.Uint(FieldIPXHops, 4, 1, uint64(x.Hops))
	t.Uint(FieldIPXType, 5, 1, uint64(x.PacketType))
	t.Uint(FieldIPXDstNet, 6, 4, uint64(x.DstNet))
	hide(t.Uint(FieldIPXNet, 6, 4, uint64(x.DstNet)))
	t.Bytes(FieldIPXDstNode, 10, 6, x.DstNode)
	hide(t.Bytes(FieldIPXNode, 10, 6, x.DstNode))
	t.Uint(FieldIPXDstSocket, 16, 2, uint64(x.DstSocket))
	hide(t.Uint(FieldIPXSocket, 16, 2, uint64(x.DstSocket)))
	t.Uint(FieldIPXSrcNet, 18, 4, uint64(x.SrcNet))
	hide(t.Uint(FieldIPXNet, 18, 4, uint64(x.SrcNet)))
	t.Bytes(FieldIPXSrcNode, 22, 6, x.SrcNode)
	hide(t.Bytes(FieldIPXNode, 22, 6, x.SrcNode))
	t.Uint(FieldIPXSrcSocket, 28, 2, uint64(x.SrcSocket))
	hide(t.Uint(FieldIPXSocket, 28, 2, uint64(x.SrcSocket)))
}

// AppendInfo appends tshark's info for an IPX packet whose data nbtsniff
// does not decode: the RIP or SAP operation ("Request", "General
// Response"), else the destination socket, "Unknown (0x4444)".
func (x *IPX) AppendInfo(b []byte) []byte {
	if x.Contents == nil {
		return b
	}
	switch x.Column() {
	case "IPX RIP":
		switch binary.BigEndian.Uint16(x.Payload) {
		case 1:
			return append(b, "Request"...)
		case 2:
			return append(b, "Response"...)
		}
		return append(b, "Unknown"...)
	case "IPX SAP":
		switch binary.BigEndian.Uint16(x.Payload) {
		case 1:
			return append(b, "General Query"...)
		case 2:
			return append(b, "General Response"...)
		case 3:
			return append(b, "Nearest Query"...)
		case 4:
			return append(b, "Nearest Response"...)
		}
		return append(b, "Unknown Packet Type"...)
	}
	if s := ipxSocketName(x.DstSocket); s != "" {
		b = append(b, s...)
	} else {
		b = append(b, "Unknown"...)
	}
	b = append(b, " (0x"...)
	for s := 12; s >= 0; s -= 4 {
		b = append(b, hexdigits[x.DstSocket>>s&0xf])
	}
	return append(b, ')')
}

// AppendSrcAddr and AppendDstAddr append the packet's addresses as the
// summary line shows them ("00000000.000c29310d01").
func (x *IPX) AppendSrcAddr(b []byte) []byte { return appendIPXAddr(b, x.SrcNet, x.SrcNode) }

// AppendDstAddr: see AppendSrcAddr.
func (x *IPX) AppendDstAddr(b []byte) []byte { return appendIPXAddr(b, x.DstNet, x.DstNode) }
