package dissect

// NetBIOS Frames (NBF), the NetBIOS protocol of NetBEUI, carried in IEEE
// 802.2 LLC frames to SAP 0xF0 (llc.go): IBM's "NetBIOS Frames Protocol"
// (LAN Technical Reference: 802.2 and NetBIOS APIs, SC30-3587, chapter 5)
// as tshark's packet-netbios.c decodes it. Byte order: little-endian.
//
// Every frame starts with a 14-byte header; the commands that name names
// add two 16-byte NetBIOS names (raw, not first-level encoded: RFC 1001
// §14 is NBT's), 44 bytes in all:
//
//	 0        2          4         5       6        8           10          12        13       28
//	+--------+----------+---------+-------+--------+-----------+-----------+---------+--------+------------+
//	| LENGTH | 0xEFFF   | COMMAND | DATA1 | DATA2  | XMIT_CORR | RESP_CORR | DEST_NUM| SRC_NUM|            |
//	|        |delimiter |         |       |        |           |           |     DEST_NAME (16)| SRC_NAME   |
//	+--------+----------+---------+-------+--------+-----------+-----------+------------------+------------+
//
// LENGTH is the header's length (14 or 44): user data follows it. Session
// frames (0x14-0x1F) put the remote and local session numbers at 12 and
// 13; name frames the destination name at 12 and the source name at 28.
// DATA1 holds flags, DATA2 a length or a session number, by command.
//
// Datagram (0x08) and Broadcast Datagram (0x09) carry the mailslot SMB a
// browser sends over NetBEUI; Data First Middle (0x15) and Data Only Last
// (0x16) the SMB messages of a session, a message possibly spread over
// several frames (the engine reassembles them). The name commands (Add
// Name Query, Name Query, Name Recognized...) are NetBEUI's name service.
//
// tshark tolerates one stray byte before the header (it looks for the
// delimiter at 2, then at 3): so does Offset.

import (
	"encoding/binary"
	"strconv"

	"github.com/gopacket/gopacket"
)

// NetBIOS is one NetBIOS Frames header. It is a gopacket DecodingLayer:
// DecodeFromBytes resets it, its slices alias the input, and decoding a
// well-formed frame allocates nothing.
type NetBIOS struct {
	// Offset is 1 when a stray byte precedes the header, else 0.
	Offset         int
	HeaderLength   uint16 // LENGTH: where the user data starts (after Offset)
	Delimiter      uint16
	Command        NetBIOSCommand
	Data1          uint8  // flags, a status, by command
	Data2          uint16 // a length, a session number, by command
	XmitCorrelator uint16
	RespCorrelator uint16
	// The names at 12 (destination, receiver, queried) and 28 (source,
	// sender), raw, and whether the command has them.
	DestName, SourceName       [16]byte
	HasDestName, HasSourceName bool
	// SenderMAC is set instead of the source name on a datagram whose
	// source name is ten zero bytes and a MAC address (tshark: "Weird.").
	SenderMAC                   []byte
	RemoteSession, LocalSession uint8 // session frames: bytes 12 and 13
	// Contents is the header (Offset + HeaderLength bytes); Payload the
	// user data of Datagram, Broadcast Datagram, Data First Middle and
	// Data Only Last, else empty.
	Contents []byte
	Payload  []byte
	Err      error

	hdr       int // header bytes decoded (after Offset): 0 (none), 5, 14, 28, 44
	badMarker bool
	data      []byte
}

// LayerType is LayerTypeNetBIOS.
func (n *NetBIOS) LayerType() gopacket.LayerType { return LayerTypeNetBIOS }

// CanDecode is LayerTypeNetBIOS.
func (n *NetBIOS) CanDecode() gopacket.LayerClass { return LayerTypeNetBIOS }

// LayerContents is the header.
func (n *NetBIOS) LayerContents() []byte { return n.Contents }

// LayerPayload is the user data.
func (n *NetBIOS) LayerPayload() []byte { return n.Payload }

// NextLayerType is LayerTypeSMB when the user data of a datagram or of a
// Data Only Last frame is an SMB1 message (tshark's heuristic), else
// gopacket.LayerTypePayload. A message spread over several frames is the
// engine's to reassemble.
func (n *NetBIOS) NextLayerType() gopacket.LayerType {
	if n.Err == nil && n.Command != NetBIOSDataFirstMiddle && IsSMB1(n.Payload) {
		return LayerTypeSMB
	}
	return gopacket.LayerTypePayload
}

// IsSMB1 reports whether b starts with the SMB1 protocol identifier
// (0xFF 'S' 'M' 'B'): what tshark's SMB heuristic on NetBIOS checks.
func IsSMB1(b []byte) bool {
	return len(b) >= 4 && b[0] == 0xFF && b[1] == 'S' && b[2] == 'M' && b[3] == 'B'
}

// SessionID is what tshark keys a session's fragments on: the remote
// session number in the high byte, the local one in the low.
func (n *NetBIOS) SessionID() uint16 { return uint16(n.RemoteSession)<<8 | uint16(n.LocalSession) }

// DecodeFromBytes decodes one NetBIOS Frames header. On error the fields
// decoded so far are kept, Err is set and returned.
func (n *NetBIOS) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	*n = NetBIOS{data: data}
	if len(data) < 4 {
		return n.fail(Truncated("netbios", "header", 0, 5, len(data)))
	}
	if binary.LittleEndian.Uint16(data[2:]) != netbiosDelimiter {
		if len(data) < 5 || binary.LittleEndian.Uint16(data[3:]) != netbiosDelimiter {
			n.badMarker = true
			return n.fail(Malformed("netbios", "delimiter", 2, "no 0xEFFF marker"))
		}
		n.Offset = 1
	}
	o := n.Offset
	n.HeaderLength = binary.LittleEndian.Uint16(data[o:])
	n.Delimiter = binary.LittleEndian.Uint16(data[o+2:])
	if len(data) < o+5 {
		return n.fail(Truncated("netbios", "command", o+4, o+5, len(data)))
	}
	n.Command = NetBIOSCommand(data[o+4])
	n.hdr = 5
	if n.Command > netbiosCmdLimit {
		n.Command = netbiosCmdLimit
	}
	// What the frame holds, field by field: a frame cut short keeps what
	// it has for the tree.
	b := data[o:]
	if len(b) >= 6 {
		n.Data1 = b[5]
	}
	if len(b) >= 8 {
		n.Data2 = binary.LittleEndian.Uint16(b[6:])
	}
	if len(b) >= 10 {
		n.XmitCorrelator = binary.LittleEndian.Uint16(b[8:])
	}
	if len(b) >= 12 {
		n.RespCorrelator = binary.LittleEndian.Uint16(b[10:])
	}
	if len(b) >= netbiosSessionLen {
		n.RemoteSession, n.LocalSession = b[12], b[13]
	}
	if len(b) >= 28 {
		copy(n.DestName[:], b[12:28])
	}
	if len(b) >= netbiosNameLen {
		copy(n.SourceName[:], b[28:44])
	}
	need := netbiosNeed(n.Command, uint8(n.Data2))
	if len(b) < need {
		return n.fail(Truncated("netbios", n.Command.String(), o, o+need, len(data)))
	}
	n.hdr = need
	if need >= 28 && !n.Command.Session() {
		n.HasDestName = n.Command != NetBIOSAddGroupNameQuery && n.Command != NetBIOSAddNameQuery && n.Command != NetBIOSDatagramBroadcast
	}
	if need >= netbiosNameLen {
		n.HasSourceName = true
		if (n.Command == NetBIOSDatagram || n.Command == NetBIOSDatagramBroadcast) && allZero(b[28:38]) {
			n.HasSourceName = false
			n.SenderMAC = b[38:44]
		}
		if n.Command == NetBIOSNameRecognized && (uint8(n.Data2) == 0 || uint8(n.Data2) == 0xFF) {
			n.HasSourceName = false
		}
	}
	end := o + int(n.HeaderLength)
	if end > len(data) {
		n.Contents = data
		if n.Command.Data() {
			return n.fail(Malformed("netbios", "length", o, "header length "+strconv.Itoa(int(n.HeaderLength))+" past the end of the frame ("+strconv.Itoa(len(data)-o)+" bytes)"))
		}
		return nil
	}
	n.Contents = data[:end]
	if n.Command.Data() {
		n.Payload = data[end:]
	}
	return nil
}

// infoNameOff is where the name of the info column is, for the commands
// whose info shows one (tshark reads it before anything else: a frame too
// short for it has no NetBIOS tree at all), else -1.
func (n *NetBIOS) infoNameOff() int {
	switch n.Command {
	case NetBIOSNameQuery:
		return 12
	case NetBIOSNameRecognized, NetBIOSAddNameQuery, NetBIOSAddGroupNameQuery:
		return 28
	}
	return -1
}

// hasTree reports whether tshark shows the layer: the command, and the
// info's name, could be read.
func (n *NetBIOS) hasTree() bool {
	if n.hdr < 5 {
		return false
	}
	off := n.infoNameOff()
	return off < 0 || n.Offset+off+16 <= len(n.data)
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func (n *NetBIOS) fail(err error) error {
	n.Err = err
	return err
}

// netbiosFields is every field AppendTree may add below the protocol node.
var netbiosFields = NewFieldSet("netbios")

// AppendTree adds the NetBIOS layer as tshark shows it, the command's
// fields in tshark's order.
func (n *NetBIOS) AppendTree(t *Tree) {
	if !n.hasTree() {
		if n.Err != nil {
			t.Expert("[Malformed: "+n.Err.Error()+"]", 0, len(n.data))
		}
		return
	}
	plen := n.Offset + int(n.HeaderLength)
	if plen > len(n.data) {
		plen = len(n.data)
	}
	t.Open(FieldNetBIOS, 0, plen)
	defer t.Close()
	if t.WantsSet(netbiosFields) {
		n.appendFields(t)
	}
	if n.Err != nil {
		t.Expert("[Malformed: "+n.Err.Error()+"]", 0, len(n.data))
	}
}

// netbiosTree adds a command's fields in tshark's order, each only when
// its bytes are there: on a frame cut short tshark stops at the first
// field it cannot read, and so does ok.
type netbiosTree struct {
	t    *Tree
	n    *NetBIOS
	o    int
	stop bool
}

// ok reports whether the field at o+off, l bytes long, can be added.
func (w *netbiosTree) ok(off, l int) bool {
	if w.stop || w.o+off+l > len(w.n.data) {
		w.stop = true
		return false
	}
	return true
}

func (w *netbiosTree) u8(f FieldID, off int) *Node {
	if !w.ok(off, 1) {
		return &w.t.sink
	}
	return w.t.Uint(f, w.o+off, 1, uint64(w.n.data[w.o+off]))
}

func (w *netbiosTree) u16(f FieldID, off int) *Node {
	if !w.ok(off, 2) {
		return &w.t.sink
	}
	return w.t.Uint(f, w.o+off, 2, uint64(binary.LittleEndian.Uint16(w.n.data[w.o+off:])))
}

func (w *netbiosTree) name(label string, off int) {
	if !w.ok(off, 16) {
		return
	}
	var raw [16]byte
	copy(raw[:], w.n.data[w.o+off:])
	AppendNetBIOSName(w.t, label, w.o+off, &raw)
}

// flags adds the DATA1 flags byte with the bits of bitFields (field, mask;
// a mask of 0x0E is the largest frame size, a value).
func (w *netbiosTree) flags(f FieldID, bits ...any) {
	if !w.ok(5, 1) {
		return
	}
	v := w.n.data[w.o+5]
	w.t.Open(f, w.o+5, 1).U = uint64(v)
	for i := 0; i+1 < len(bits); i += 2 {
		bf, mask := bits[i].(FieldID), bits[i+1].(int)
		if Field(bf).Type == FTBoolean {
			w.t.Bool(bf, w.o+5, 1, int(v)&mask != 0)
		} else {
			w.t.Uint(bf, w.o+5, 1, uint64(int(v)&mask>>1))
		}
	}
	w.t.Close()
}

func (w *netbiosTree) sessions() {
	w.u8(FieldNetBIOSRemoteSession, 12)
	w.u8(FieldNetBIOSLocalSession, 13)
}

func (n *NetBIOS) appendFields(t *Tree) {
	w := &netbiosTree{t: t, n: n, o: n.Offset}
	w.u16(FieldNetBIOSHdrLen, 0)
	w.u16(FieldNetBIOSDelimiter, 2)
	if !w.ok(4, 1) {
		return
	}
	t.Uint(FieldNetBIOSCommand, w.o+4, 1, uint64(n.Command))
	lsn := uint8(n.Data2)
	switch n.Command {
	case NetBIOSAddGroupNameQuery:
		w.u16(FieldNetBIOSRespCorrl, 10)
		w.name("Group name to add", 28)
	case NetBIOSAddNameQuery:
		w.u16(FieldNetBIOSRespCorrl, 10)
		w.name("Name to add", 28)
	case NetBIOSNameInConflict:
		w.name("Name In Conflict", 12)
		w.name("Sender's Name", 28)
	case NetBIOSStatusQuery:
		w.u8(FieldNetBIOSStatusRequest, 5)
		w.u16(FieldNetBIOSStatusBufferLen, 6)
		w.u16(FieldNetBIOSRespCorrl, 10)
		w.name("Receiver's Name", 12)
		w.name("Sender's Name", 28)
	case NetBIOSDatagram, NetBIOSDatagramBroadcast:
		if n.Command == NetBIOSDatagram {
			w.name("Receiver's Name", 12)
		}
		if !w.ok(28, 10) {
			return
		}
		switch {
		case n.SenderMAC == nil:
			w.name("Sender's Name", 28)
		case !w.ok(38, 6):
		case n.Command == NetBIOSDatagram:
			t.Bytes(FieldNetBIOSDatagramMAC, w.o+38, 6, n.SenderMAC)
		default:
			t.Bytes(FieldNetBIOSDatagramBcastMAC, w.o+38, 6, n.SenderMAC)
		}
	case NetBIOSNameQuery:
		w.u8(FieldNetBIOSLocalSessionNo, 6)
		w.u8(FieldNetBIOSCallNameType, 7)
		w.u16(FieldNetBIOSRespCorrl, 10)
		w.name("Query Name", 12)
		if lsn != 0 {
			w.name("Sender's Name", 28)
		}
	case NetBIOSAddNameResponse:
		w.u8(FieldNetBIOSStatus, 5)
		w.u16(FieldNetBIOSNameType, 6)
		w.u16(FieldNetBIOSXmitCorrl, 8)
		w.name("Name to be added", 12)
		w.name("Name to be added", 28)
	case NetBIOSNameRecognized:
		named := lsn != 0 && lsn != 0xFF
		if named {
			w.u8(FieldNetBIOSLocalSessionNo, 6)
		} else {
			w.u8(FieldNetBIOSStateOfName, 6)
		}
		w.u8(FieldNetBIOSCallNameType, 7)
		w.u16(FieldNetBIOSXmitCorrl, 8)
		if named {
			w.u16(FieldNetBIOSRespCorrl, 10)
		}
		w.name("Receiver's Name", 12)
		if named {
			w.name("Sender's Name", 28)
		}
	case NetBIOSStatusResponse:
		w.u8(FieldNetBIOSCallNameType, 7)
		w.u8(FieldNetBIOSStatusResponse, 5)
		if w.ok(6, 2) {
			t.Open(FieldNetBIOSData2, w.o+6, 2).U = uint64(n.Data2)
			t.Bool(FieldNetBIOSData2Frame, w.o+6, 2, n.Data2&0x8000 != 0)
			t.Bool(FieldNetBIOSData2User, w.o+6, 2, n.Data2&0x4000 != 0)
			t.Uint(FieldNetBIOSData2Status, w.o+6, 2, uint64(n.Data2&0x3FFF))
			t.Close()
		}
		w.u16(FieldNetBIOSXmitCorrl, 8)
		w.name("Receiver's Name", 12)
		w.name("Sender's Name", 28)
	case NetBIOSDataAck:
		w.u16(FieldNetBIOSXmitCorrl, 8)
		w.sessions()
	case NetBIOSDataFirstMiddle:
		w.flags(FieldNetBIOSFlags, FieldNetBIOSFlagsAck, 0x08, FieldNetBIOSFlagsAckExpected, 0x02, FieldNetBIOSFlagsRecvContReq, 0x01)
		w.u16(FieldNetBIOSResyncIndicator, 6)
		w.u16(FieldNetBIOSXmitCorrl, 8)
		w.u16(FieldNetBIOSRespCorrl, 10)
		w.sessions()
	case NetBIOSDataOnlyLast:
		w.flags(FieldNetBIOSFlags, FieldNetBIOSFlagsAck, 0x08, FieldNetBIOSFlagsAckWithData, 0x04, FieldNetBIOSFlagsAckExpected, 0x02)
		w.u16(FieldNetBIOSResyncIndicator, 6)
		w.u16(FieldNetBIOSXmitCorrl, 8)
		w.u16(FieldNetBIOSRespCorrl, 10)
		w.sessions()
	case NetBIOSSessionConfirm:
		w.flags(FieldNetBIOSFlags, FieldNetBIOSFlagsSendNoAck, 0x80, FieldNetBIOSVersion, 0x01)
		w.u16(FieldNetBIOSMaxDataRecvSize, 6)
		w.u16(FieldNetBIOSXmitCorrl, 8)
		w.u16(FieldNetBIOSRespCorrl, 10)
		w.sessions()
	case NetBIOSSessionEnd:
		w.u16(FieldNetBIOSTerminationIndicator, 6)
		w.sessions()
	case NetBIOSSessionInitialize:
		w.flags(FieldNetBIOSFlags, FieldNetBIOSFlagsSendNoAck, 0x80, FieldNetBIOSLargestFrame, 0x0E, FieldNetBIOSVersion, 0x01)
		w.u16(FieldNetBIOSMaxDataRecvSize, 6)
		w.u16(FieldNetBIOSRespCorrl, 10)
		w.u16(FieldNetBIOSXmitCorrl, 8)
		w.sessions()
	case NetBIOSNoReceive:
		w.flags(FieldNetBIOSNoReceiveFlags, FieldNetBIOSNoReceiveSendNoAck, 0x02)
		w.u16(FieldNetBIOSNumDataBytesAccepted, 6)
		w.sessions()
	case NetBIOSReceiveOutstanding:
		w.u16(FieldNetBIOSNumDataBytesAccepted, 6)
		w.sessions()
	case NetBIOSReceiveContinue:
		w.u16(FieldNetBIOSXmitCorrl, 8)
		w.sessions()
	case NetBIOSSessionAlive:
		w.sessions()
	case NetBIOSTerminateTrace, NetBIOSTerminateTraceLR, netbiosCmdLimit:
	default:
		t.Uint(FieldNetBIOSUnknownCommandData, w.o+5, max(len(n.data)-w.o-5, 0), 0).Flags |= NodeWarn
	}
}

// AppendNetBIOSName adds a raw 16-byte NetBIOS name at off as tshark's
// netbios_add_name does (NetBIOS Frames, NBIPX, NMPI): a heading "label:
// NAME<1d> (Local Master Browser)" over netbios.nb_name (the 15
// characters, non-printable ones as <xx>, trailing spaces dropped) and
// netbios.nb_name_type (the suffix).
func AppendNetBIOSName(t *Tree, label string, off int, raw *[16]byte) {
	if t.Off {
		return
	}
	if t.WantsText() {
		h := t.OpenText(label, off, 16)
		b := appendNetBIOSChars(t.Buf(), raw, 61)
		nameEnd := len(b)
		b = append(b, '<', hexdigits[raw[15]>>4], hexdigits[raw[15]&0xf], '>', ' ', '(')
		b = append(b, NameSuffixMeaning(raw[15], false)...)
		b = append(b, ')')
		b = t.Keep(b)
		h.S = b
		t.Bytes(FieldNetBIOSNBName, off, 15, b[:nameEnd:nameEnd])
	} else {
		t.OpenText(label, off, 16)
		if t.Wants(FieldNetBIOSNBName) {
			t.Bytes(FieldNetBIOSNBName, off, 15, t.Keep(appendNetBIOSChars(t.Buf(), raw, 61)))
		}
	}
	t.Uint(FieldNetBIOSNBNameType, off+15, 1, uint64(raw[15]))
	t.Close()
}

// appendNetBIOSName appends a raw name as tshark's info column shows it:
// "WORKGROUP<1d>".
func appendNetBIOSName(b []byte, raw *[16]byte) []byte {
	b = appendNetBIOSChars(b, raw, 61)
	return append(b, '<', hexdigits[raw[15]>>4], hexdigits[raw[15]&0xf], '>')
}

// InfoFromBelow reports whether tshark leaves the info column to the
// layer below (LLC's): the frame was too short to read the command, or
// the name the info shows, and no marker was missing.
func (n *NetBIOS) InfoFromBelow() bool { return !n.badMarker && !n.hasTree() }

// AppendInfo appends tshark's info: "Add Name Query - WFW_HOST_2<00>",
// "Name Query for WFW_HOST_2<20>", or the command's name.
func (n *NetBIOS) AppendInfo(b []byte) []byte {
	if n.badMarker {
		return append(b, "Bad packet, no 0xEFFF marker"...)
	}
	if !n.hasTree() {
		return b
	}
	b = n.Command.appendName(b)
	switch off := n.infoNameOff(); {
	case off == 12:
		b = append(b, " for "...)
		b = appendNetBIOSName(b, &n.DestName)
	case off == 28:
		b = append(b, " - "...)
		b = appendNetBIOSName(b, &n.SourceName)
	}
	return b
}

// appendName appends the command's name, "Unknown (0x20)" for one
// without, without allocating.
func (c NetBIOSCommand) appendName(b []byte) []byte {
	if c.known() {
		return append(b, c.String()...)
	}
	b = append(b, "Unknown (0x"...)
	return append(b, hexdigits[c>>4], hexdigits[c&0xf], ')')
}
