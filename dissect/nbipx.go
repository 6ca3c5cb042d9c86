package dissect

// NetBIOS over IPX, the two protocols of NWLink NetBIOS as tshark's
// packet-nbipx.c decodes them. Byte order: little-endian (the route list:
// big-endian network numbers).
//
// NBIPX, IPX socket 0x0455 (Novell's NetBIOS emulation, as Windows' NWLink
// speaks it). A packet sent as an IPX type 20 broadcast starts with the
// 32-byte list of the networks it crossed (eight network numbers, zero
// when unused); so does a 50-byte name packet of another IPX type. Then:
//
//	+---------------------+-------------+
//	| flags / conn. ctrl  | packet type |   then, by packet type:
//	+---------------------+-------------+
//	 1-5 Find name, Name recognized, Check name, Name in use, Deregister
//	     name: name type flags, then the NetBIOS name (16 bytes, raw)
//	 6-8 Session data, Session end, Session end ACK: connection control,
//	     then source and destination connection IDs, send sequence, total
//	     data length, offset, data length, receive sequence, bytes
//	     received (2 bytes each), then the data
//	 11  Directed datagram: connection control, receiver's and sender's
//	     names (16 bytes each), then the datagram: the mailslot SMB of a
//	     browser frame sent to one host
//
// NMPI (Name Management Protocol over IPX), sockets 0x0551 (name claims
// and queries) and 0x0553 (mailslot writes: the browser's broadcasts): the
// 32-byte route list, then
//
//	+--------+-----------+------------+----------------------+----------------------+
//	| opcode | name type | message ID | requested name (16)  | source name (16)     |
//	+--------+-----------+------------+----------------------+----------------------+
//
// 68 bytes; a Mailslot write (0xFC) is followed by the mailslot SMB.

import (
	"encoding/binary"

	"github.com/gopacket/gopacket"
)

// NBIPXPacketType is the NBIPX packet type byte.
type NBIPXPacketType uint8

// NBIPX packet types.
const (
	NBIPXFindName         NBIPXPacketType = 0x01
	NBIPXNameRecognized   NBIPXPacketType = 0x02
	NBIPXCheckName        NBIPXPacketType = 0x03
	NBIPXNameInUse        NBIPXPacketType = 0x04
	NBIPXDeregisterName   NBIPXPacketType = 0x05
	NBIPXSessionData      NBIPXPacketType = 0x06
	NBIPXSessionEnd       NBIPXPacketType = 0x07
	NBIPXSessionEndAck    NBIPXPacketType = 0x08
	NBIPXStatusQuery      NBIPXPacketType = 0x09
	NBIPXStatusResponse   NBIPXPacketType = 0x0A
	NBIPXDirectedDatagram NBIPXPacketType = 0x0B
	nbipxRoutesLen                        = 32
	nbipxNameLen                          = 18 // flags, type, name
	nbipxSessionLen                       = 18 // control, type, 8 words
	nbipxDatagramLen                      = 34 // control, type, two names
	nmpiLen                               = 68
	nbipxNameCarrierLen                   = 50 // a name packet with a route list, whatever its IPX type
)

// String returns tshark's name ("Find name"), or "Unknown".
func (p NBIPXPacketType) String() string {
	switch p {
	case NBIPXFindName:
		return "Find name"
	case NBIPXNameRecognized:
		return "Name recognized"
	case NBIPXCheckName:
		return "Check name"
	case NBIPXNameInUse:
		return "Name in use"
	case NBIPXDeregisterName:
		return "Deregister name"
	case NBIPXSessionData:
		return "Session data"
	case NBIPXSessionEnd:
		return "Session end"
	case NBIPXSessionEndAck:
		return "Session end ACK"
	case NBIPXStatusQuery:
		return "Status query"
	case NBIPXStatusResponse:
		return "Status response"
	case NBIPXDirectedDatagram:
		return "Directed datagram"
	}
	return "Unknown"
}

// isName reports whether the type carries one name (types 1-5).
func (p NBIPXPacketType) isName() bool { return p >= NBIPXFindName && p <= NBIPXDeregisterName }

// isSession reports whether the type is session traffic (types 6-8).
func (p NBIPXPacketType) isSession() bool { return p >= NBIPXSessionData && p <= NBIPXSessionEndAck }

// NMPIOpcode is the NMPI opcode.
type NMPIOpcode uint8

// NMPI opcodes.
const (
	NMPIClaimName       NMPIOpcode = 0xF1
	NMPIDeleteName      NMPIOpcode = 0xF2
	NMPIQueryName       NMPIOpcode = 0xF3
	NMPINameFound       NMPIOpcode = 0xF4
	NMPIMessengerHangup NMPIOpcode = 0xF5
	NMPIMailslotWrite   NMPIOpcode = 0xFC
	NMPIFindMailslot    NMPIOpcode = 0xFD
	NMPIMailslotFound   NMPIOpcode = 0xFE
)

// String returns tshark's name ("Mailslot write"), or "Unknown".
func (o NMPIOpcode) String() string {
	switch o {
	case NMPIClaimName:
		return "Claim name"
	case NMPIDeleteName:
		return "Delete name"
	case NMPIQueryName:
		return "Query name"
	case NMPINameFound:
		return "Name found"
	case NMPIMessengerHangup:
		return "Messenger hangup"
	case NMPIMailslotWrite:
		return "Mailslot write"
	case NMPIFindMailslot:
		return "Find mailslot name"
	case NMPIMailslotFound:
		return "Mailslot name found"
	}
	return "Unknown"
}

// Fields of NBIPX and NMPI, under tshark's names: tshark names both
// protocols' fields nmpi.* and files them under nbipx; their names are
// the netbios.nb_name and netbios.nb_name_type of netbios.go.
var (
	FieldNBIPX                    = RegisterField(FieldInfo{Abbrev: "nbipx", Name: "NetBIOS over IPX", Type: FTProtocol})
	FieldNMPI                     = RegisterField(FieldInfo{Abbrev: "nmpi", Name: "Name Management Protocol over IPX", Type: FTProtocol})
	FieldNBIPXPacketType          = WiresharkField("nmpi.packettype")
	FieldNBIPXNameFlags           = WiresharkField("nmpi.name_flags")
	FieldNBIPXNameFlagsGroup      = WiresharkField("nmpi.name_flags.group")
	FieldNBIPXNameFlagsInUse      = WiresharkField("nmpi.name_flags.in_use")
	FieldNBIPXNameFlagsRegistered = WiresharkField("nmpi.name_flags.registered")
	FieldNBIPXNameFlagsDuplicated = WiresharkField("nmpi.name_flags.duplicated")
	FieldNBIPXNameFlagsDeregd     = WiresharkField("nmpi.name_flags.deregistered")
	FieldNBIPXConnControl         = WiresharkField("nmpi.conn_control")
	FieldNBIPXConnSysPacket       = WiresharkField("nmpi.conn_control.sys_packet")
	FieldNBIPXConnAck             = WiresharkField("nmpi.conn_control.ack")
	FieldNBIPXConnAttention       = WiresharkField("nmpi.conn_control.attention")
	FieldNBIPXConnEndMsg          = WiresharkField("nmpi.conn_control.end_msg")
	FieldNBIPXConnResend          = WiresharkField("nmpi.conn_control.resend")
	FieldNBIPXSrcConnID           = WiresharkField("nmpi.session.src_conn_id")
	FieldNBIPXDstConnID           = WiresharkField("nmpi.session.dest_conn_id")
	FieldNBIPXSendSeq             = WiresharkField("nmpi.session.send_seq_number")
	FieldNBIPXTotalDataLen        = WiresharkField("nmpi.session.total_data_length")
	FieldNBIPXOffset              = WiresharkField("nmpi.session.offset")
	FieldNBIPXDataLen             = WiresharkField("nmpi.session.data_length")
	FieldNBIPXRecvSeq             = WiresharkField("nmpi.session.recv_seq_number")
	FieldNBIPXBytesReceived       = WiresharkField("nmpi.session.bytes_received")
	FieldNBIPXNetwork             = RegisterField(FieldInfo{Abbrev: "nmpi.ipx_network", Name: "IPX Network", Type: FTUint32, Base: BaseHex, Proto: "nbipx"})
	FieldNMPIOpcode               = WiresharkField("nmpi.opcode")
	FieldNMPINameType             = WiresharkField("nmpi.name_type")
	FieldNMPIMessageID            = WiresharkField("nmpi.messageid")
)

func init() {
	SetValues(FieldNBIPXPacketType, func(v uint64) string { return NBIPXPacketType(v).String() })
	SetValues(FieldNMPIOpcode, func(v uint64) string { return NMPIOpcode(v).String() })
	SetValues(FieldNMPINameType, func(v uint64) string {
		switch v {
		case 1:
			return "Machine"
		case 2:
			return "Workgroup"
		case 3:
			return "Browser"
		}
		return "Unknown"
	})
	tfs := func(yes, no string) func(uint64) string {
		return func(v uint64) string {
			if v != 0 {
				return yes
			}
			return no
		}
	}
	SetValues(FieldNBIPXNameFlagsGroup, tfs("Group name", "Unique name"))
	SetValues(FieldNBIPXNameFlagsInUse, tfs("Used", "Not used"))
	SetValues(FieldNBIPXNameFlagsRegistered, tfs("Yes", "No"))
	SetValues(FieldNBIPXNameFlagsDuplicated, tfs("Yes", "No"))
	SetValues(FieldNBIPXNameFlagsDeregd, tfs("Yes", "No"))
	SetValues(FieldNBIPXConnSysPacket, tfs("System packet", "Non-system packet"))
	SetValues(FieldNBIPXConnAck, tfs("Required", "Not required"))
	SetValues(FieldNBIPXConnAttention, tfs("Yes", "No"))
	SetValues(FieldNBIPXConnEndMsg, tfs("Yes", "No"))
	SetValues(FieldNBIPXConnResend, tfs("Yes", "No"))
}

// ipxRoutes is the 32-byte list of networks an IPX type 20 broadcast
// crossed.
type ipxRoutes struct {
	Routes    [8]uint32
	HasRoutes bool
}

func (r *ipxRoutes) decode(b []byte) {
	r.HasRoutes = true
	for i := range r.Routes {
		r.Routes[i] = binary.BigEndian.Uint32(b[4*i:])
	}
}

// append adds the networks that are not zero (tshark's add_routers).
func (r *ipxRoutes) append(t *Tree) {
	for i, n := range r.Routes {
		if n != 0 {
			t.Uint(FieldNBIPXNetwork, 4*i, 4, uint64(n))
		}
	}
}

// NBIPX is one NetBIOS over IPX packet (socket 0x0455). It is a gopacket
// DecodingLayer (see DecodeIPX for the IPX packet type it needs):
// DecodeFromBytes resets it, its slices alias the input, and decoding a
// well-formed packet allocates nothing.
type NBIPX struct {
	ipxRoutes
	// Flags is the name type flags (name packets) or the connection
	// control (session packets and datagrams).
	Flags      uint8
	PacketType NBIPXPacketType
	// Name is the name of a name packet.
	Name [16]byte
	// The words of a session packet.
	SrcConnID, DstConnID, SendSeq, TotalDataLength, DataOffset, DataLength, RecvSeq, BytesReceived uint16
	// The names of a directed datagram.
	ReceiverName, SenderName [16]byte
	// Contents is the header; Payload the session data or the datagram.
	Contents []byte
	Payload  []byte
	Err      error

	hdr  int // header bytes decoded
	data []byte
}

// LayerType is LayerTypeNBIPX.
func (p *NBIPX) LayerType() gopacket.LayerType { return LayerTypeNBIPX }

// CanDecode is LayerTypeNBIPX.
func (p *NBIPX) CanDecode() gopacket.LayerClass { return LayerTypeNBIPX }

// LayerContents is the header.
func (p *NBIPX) LayerContents() []byte { return p.Contents }

// LayerPayload is the session data or the datagram.
func (p *NBIPX) LayerPayload() []byte { return p.Payload }

// NextLayerType is LayerTypeSMB when the data is an SMB1 message.
func (p *NBIPX) NextLayerType() gopacket.LayerType {
	if p.Err == nil && IsSMB1(p.Payload) {
		return LayerTypeSMB
	}
	return gopacket.LayerTypePayload
}

// DecodeFromBytes decodes a packet as if its IPX type were not 20 (no
// route list unless it is a 50-byte name packet): DecodeIPX is the whole
// decode.
func (p *NBIPX) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	return p.DecodeIPX(data, IPXTypePEP)
}

// DecodeIPX decodes a packet that came in an IPX packet of type ipxType.
// On error the fields decoded so far are kept, Err is set and returned.
func (p *NBIPX) DecodeIPX(data []byte, ipxType IPXPacketType) error {
	*p = NBIPX{data: data}
	off := 0
	routes := ipxType == IPXTypeNetBIOSBroadcast
	if !routes && len(data) == nbipxNameCarrierLen && NBIPXPacketType(data[nbipxRoutesLen+1]).isName() {
		routes = true
	}
	if routes {
		if len(data) < nbipxRoutesLen {
			return p.fail(Truncated("nbipx", "route list", 0, nbipxRoutesLen, len(data)))
		}
		p.decode(data)
		off = nbipxRoutesLen
	}
	p.hdr = off
	if len(data) < off+2 {
		return p.fail(Truncated("nbipx", "packet type", off, off+2, len(data)))
	}
	p.Flags, p.PacketType = data[off], NBIPXPacketType(data[off+1])
	need, payload := 2, false
	switch {
	case p.PacketType.isName():
		need = nbipxNameLen
	case p.PacketType.isSession():
		need, payload = nbipxSessionLen, true
	case p.PacketType == NBIPXDirectedDatagram:
		need, payload = nbipxDatagramLen, true
	}
	p.hdr = off + 2
	if len(data) < off+need {
		return p.fail(Truncated("nbipx", p.PacketType.String(), off, off+need, len(data)))
	}
	b := data[off:]
	switch {
	case p.PacketType.isName():
		copy(p.Name[:], b[2:18])
	case p.PacketType.isSession():
		w := func(i int) uint16 { return binary.LittleEndian.Uint16(b[2+2*i:]) }
		p.SrcConnID, p.DstConnID, p.SendSeq, p.TotalDataLength = w(0), w(1), w(2), w(3)
		p.DataOffset, p.DataLength, p.RecvSeq, p.BytesReceived = w(4), w(5), w(6), w(7)
	case p.PacketType == NBIPXDirectedDatagram:
		copy(p.ReceiverName[:], b[2:18])
		copy(p.SenderName[:], b[18:34])
	}
	p.hdr = off + need
	p.Contents = data[:p.hdr]
	if payload {
		p.Payload = data[p.hdr:]
	}
	return nil
}

func (p *NBIPX) fail(err error) error {
	p.Err = err
	return err
}

// nbipxFields is every field the NBIPX and NMPI trees may add below their
// protocol nodes (their names are netbios fields).
var nbipxFields = NewFieldSet("nbipx", "netbios")

// AppendTree adds the NBIPX layer as tshark shows it.
func (p *NBIPX) AppendTree(t *Tree) {
	n := p.hdr
	if p.Err != nil {
		n = len(p.data)
	}
	t.Open(FieldNBIPX, 0, n)
	defer t.Close()
	if t.WantsSet(nbipxFields) {
		p.appendFields(t)
	}
	if p.Err != nil {
		t.Expert("[Malformed: "+p.Err.Error()+"]", 0, len(p.data))
	}
}

func (p *NBIPX) appendFields(t *Tree) {
	off := 0
	if p.HasRoutes {
		p.ipxRoutes.append(t)
		off = nbipxRoutesLen
	}
	if p.hdr < off+2 {
		return
	}
	switch {
	case p.PacketType.isName():
		if p.hdr < off+nbipxNameLen {
			return // tshark reads the name for the info first
		}
		t.Open(FieldNBIPXNameFlags, off, 1).U = uint64(p.Flags)
		t.Bool(FieldNBIPXNameFlagsGroup, off, 1, p.Flags&0x80 != 0)
		t.Bool(FieldNBIPXNameFlagsInUse, off, 1, p.Flags&0x40 != 0)
		t.Bool(FieldNBIPXNameFlagsRegistered, off, 1, p.Flags&0x04 != 0)
		t.Bool(FieldNBIPXNameFlagsDuplicated, off, 1, p.Flags&0x02 != 0)
		t.Bool(FieldNBIPXNameFlagsDeregd, off, 1, p.Flags&0x01 != 0)
		t.Close()
		t.Uint(FieldNBIPXPacketType, off+1, 1, uint64(p.PacketType))
		AppendNetBIOSName(t, "Name", off+2, &p.Name)
	case p.PacketType.isSession():
		appendConnControl(t, off, p.Flags)
		t.Uint(FieldNBIPXPacketType, off+1, 1, uint64(p.PacketType))
		if p.hdr < off+nbipxSessionLen {
			return
		}
		for i, f := range [...]FieldID{FieldNBIPXSrcConnID, FieldNBIPXDstConnID, FieldNBIPXSendSeq, FieldNBIPXTotalDataLen,
			FieldNBIPXOffset, FieldNBIPXDataLen, FieldNBIPXRecvSeq, FieldNBIPXBytesReceived} {
			v := [...]uint16{p.SrcConnID, p.DstConnID, p.SendSeq, p.TotalDataLength, p.DataOffset, p.DataLength, p.RecvSeq, p.BytesReceived}[i]
			t.Uint(f, off+2+2*i, 2, uint64(v))
		}
	case p.PacketType == NBIPXDirectedDatagram:
		appendConnControl(t, off, p.Flags)
		t.Uint(FieldNBIPXPacketType, off+1, 1, uint64(p.PacketType))
		if p.hdr < off+nbipxDatagramLen {
			return
		}
		AppendNetBIOSName(t, "Receiver's Name", off+2, &p.ReceiverName)
		AppendNetBIOSName(t, "Sender's Name", off+18, &p.SenderName)
	default:
		t.Uint(FieldNBIPXPacketType, off+1, 1, uint64(p.PacketType))
	}
}

// appendConnControl adds the connection control byte and its bits.
func appendConnControl(t *Tree, off int, c uint8) {
	t.Open(FieldNBIPXConnControl, off, 1).U = uint64(c)
	t.Bool(FieldNBIPXConnSysPacket, off, 1, c&0x80 != 0)
	t.Bool(FieldNBIPXConnAck, off, 1, c&0x40 != 0)
	t.Bool(FieldNBIPXConnAttention, off, 1, c&0x20 != 0)
	t.Bool(FieldNBIPXConnEndMsg, off, 1, c&0x10 != 0)
	t.Bool(FieldNBIPXConnResend, off, 1, c&0x08 != 0)
	t.Close()
}

// AppendInfo appends tshark's info: "Find name WORKGROUP<1d>", or the
// packet type's name.
func (p *NBIPX) AppendInfo(b []byte) []byte {
	off := 0
	if p.HasRoutes {
		off = nbipxRoutesLen
	}
	if p.hdr < off+2 {
		return b
	}
	if p.PacketType.isName() {
		if p.hdr < off+nbipxNameLen {
			return b // tshark could not read the name: no info
		}
		b = append(b, p.PacketType.String()...)
		b = append(b, ' ')
		return appendNetBIOSName(b, &p.Name)
	}
	return append(b, p.PacketType.String()...)
}

// NMPI is one Name Management Protocol over IPX packet (sockets 0x0551
// and 0x0553). It is a gopacket DecodingLayer: DecodeFromBytes resets it,
// its slices alias the input, and decoding a well-formed packet allocates
// nothing.
type NMPI struct {
	ipxRoutes
	Opcode    NMPIOpcode
	NameType  uint8 // 1 machine, 2 workgroup, 3 browser
	MessageID uint16
	// Name is the requested name (a mailslot write's destination);
	// SourceName the sender's.
	Name, SourceName [16]byte
	// Contents is the 68-byte packet; Payload the mailslot SMB of a
	// Mailslot write.
	Contents []byte
	Payload  []byte
	Err      error

	data []byte
}

// LayerType is LayerTypeNMPI.
func (m *NMPI) LayerType() gopacket.LayerType { return LayerTypeNMPI }

// CanDecode is LayerTypeNMPI.
func (m *NMPI) CanDecode() gopacket.LayerClass { return LayerTypeNMPI }

// LayerContents is the packet.
func (m *NMPI) LayerContents() []byte { return m.Contents }

// LayerPayload is the mailslot SMB of a Mailslot write.
func (m *NMPI) LayerPayload() []byte { return m.Payload }

// NextLayerType is LayerTypeSMB when a mailslot write carries SMB.
func (m *NMPI) NextLayerType() gopacket.LayerType {
	if m.Err == nil && IsSMB1(m.Payload) {
		return LayerTypeSMB
	}
	return gopacket.LayerTypePayload
}

// DecodeFromBytes decodes an NMPI packet. On error Err is set and
// returned.
func (m *NMPI) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	*m = NMPI{data: data}
	if len(data) < nmpiLen {
		return m.fail(Truncated("nmpi", "packet", 0, nmpiLen, len(data)))
	}
	m.decode(data)
	b := data[nbipxRoutesLen:]
	m.Opcode, m.NameType = NMPIOpcode(b[0]), b[1]
	m.MessageID = binary.LittleEndian.Uint16(b[2:])
	copy(m.Name[:], b[4:20])
	copy(m.SourceName[:], b[20:36])
	m.Contents = data[:nmpiLen]
	if m.Opcode == NMPIMailslotWrite {
		m.Payload = data[nmpiLen:]
	}
	return nil
}

func (m *NMPI) fail(err error) error {
	m.Err = err
	return err
}

// AppendTree adds the NMPI layer as tshark shows it.
func (m *NMPI) AppendTree(t *Tree) {
	t.Open(FieldNMPI, 0, min(nmpiLen, len(m.data)))
	defer t.Close()
	if m.Err != nil {
		t.Expert("[Malformed: "+m.Err.Error()+"]", 0, len(m.data))
		return
	}
	if !t.WantsSet(nbipxFields) {
		return
	}
	m.ipxRoutes.append(t)
	t.Uint(FieldNMPIOpcode, 32, 1, uint64(m.Opcode))
	t.Uint(FieldNMPINameType, 33, 1, uint64(m.NameType))
	t.Uint(FieldNMPIMessageID, 34, 2, uint64(m.MessageID))
	AppendNetBIOSName(t, "Requested name", 36, &m.Name)
	AppendNetBIOSName(t, "Source name", 52, &m.SourceName)
}

// AppendInfo appends tshark's info: "Claim name WFW_HOST_2<20>",
// "Mailslot write to WORKGROUP<00>" (the browser above replaces it).
func (m *NMPI) AppendInfo(b []byte) []byte {
	if m.Contents == nil {
		return b
	}
	switch m.Opcode {
	case NMPIClaimName, NMPIDeleteName, NMPIQueryName, NMPIFindMailslot:
		b = append(b, m.Opcode.String()...)
		b = append(b, ' ')
	case NMPINameFound:
		b = append(b, "Name "...)
	case NMPIMailslotFound:
		b = append(b, "Mailslot name "...)
	case NMPIMessengerHangup:
		b = append(b, "Messenger hangup on "...)
	case NMPIMailslotWrite:
		b = append(b, "Mailslot write to "...)
	default:
		b = append(b, "Unknown NMPI op 0x"...)
		b = append(b, hexdigits[m.Opcode>>4], hexdigits[m.Opcode&0xf])
		b = append(b, ": name "...)
	}
	b = appendNetBIOSName(b, &m.Name)
	switch m.Opcode {
	case NMPINameFound, NMPIMailslotFound:
		b = append(b, " found"...)
	}
	return b
}
