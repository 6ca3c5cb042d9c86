package dissect

// NetBIOS Datagram Service, UDP port 138 (RFC 1002 §4.4; RFC 1001 §17.1
// for the fragmentation rules). Byte order: big-endian (network order).
//
// Every datagram starts with the same 10 bytes (RFC 1002 §4.4.1):
//
//	                     1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|   MSG_TYPE    |     FLAGS     |           DGM_ID              |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                           SOURCE_IP                           |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|          SOURCE_PORT          |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// FLAGS (bit 0 is the most significant): bits 0-3 reserved, 4-5 SNT (the
// sender's node type), 6 F (first fragment), 7 M (more fragments follow).
//
// DIRECT_UNIQUE, DIRECT_GROUP and BROADCAST datagrams (§4.4.2) go on with
//
//	|          DGM_LENGTH           |         PACKET_OFFSET         |
//	|                  SOURCE_NAME, DESTINATION_NAME                 /
//	|                          USER_DATA                             /
//
// where DGM_LENGTH counts the bytes after PACKET_OFFSET (both names and
// the user data of this packet) and PACKET_OFFSET is where this packet's
// user data sits in the whole, possibly fragmented, datagram. The user data
// is normally an SMB_COM_TRANSACTION carrying a mailslot message.
//
// DATAGRAM ERROR (§4.4.3) adds one ERROR_CODE byte; DATAGRAM QUERY REQUEST
// and the POSITIVE and NEGATIVE QUERY RESPONSEs (§4.4.4, §4.4.5) add the
// DESTINATION_NAME only.

import (
	"encoding/binary"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// NBDGMType is MSG_TYPE (RFC 1002 §4.4.1).
type NBDGMType uint8

// Datagram message types.
const (
	NBDGMDirectUnique          NBDGMType = 0x10 // DIRECT_UNIQUE DATAGRAM, to a unique name
	NBDGMDirectGroup           NBDGMType = 0x11 // DIRECT_GROUP DATAGRAM, to a group name
	NBDGMBroadcast             NBDGMType = 0x12 // BROADCAST DATAGRAM, to every name
	NBDGMError                 NBDGMType = 0x13 // DATAGRAM ERROR (§4.4.3)
	NBDGMQueryRequest          NBDGMType = 0x14 // DATAGRAM QUERY REQUEST to an NBDD (§4.4.4)
	NBDGMPositiveQueryResponse NBDGMType = 0x15 // DATAGRAM POSITIVE QUERY RESPONSE (§4.4.5)
	NBDGMNegativeQueryResponse NBDGMType = 0x16 // DATAGRAM NEGATIVE QUERY RESPONSE (§4.4.5)
)

// String returns tshark's name for the type ("Direct_group datagram"), or
// "Unknown message type (0x1F)" as tshark words it.
func (t NBDGMType) String() string {
	switch t {
	case NBDGMDirectUnique:
		return "Direct_unique datagram"
	case NBDGMDirectGroup:
		return "Direct_group datagram"
	case NBDGMBroadcast:
		return "Broadcast datagram"
	case NBDGMError:
		return "Datagram error"
	case NBDGMQueryRequest:
		return "Datagram query request"
	case NBDGMPositiveQueryResponse:
		return "Datagram positive query response"
	case NBDGMNegativeQueryResponse:
		return "Datagram negative query response"
	}
	return string(t.appendString(nil))
}

func (t NBDGMType) appendString(b []byte) []byte {
	if t >= NBDGMDirectUnique && t <= NBDGMNegativeQueryResponse {
		return append(b, t.String()...)
	}
	const hexUpper = "0123456789ABCDEF"
	b = append(b, "Unknown message type (0x"...)
	return append(b, hexUpper[t>>4], hexUpper[t&0xf], ')')
}

// HasNames reports whether the type carries SOURCE_NAME, DESTINATION_NAME
// and user data (the three "datagram" types of §4.4.2).
func (t NBDGMType) HasNames() bool {
	return t == NBDGMDirectUnique || t == NBDGMDirectGroup || t == NBDGMBroadcast
}

// NBDGMFlags is the FLAGS byte (RFC 1002 §4.4.1).
type NBDGMFlags uint8

// Flag bits. The node type (SNT) is two bits: see NodeType.
const (
	NBDGMFlagMore     NBDGMFlags = 0x01 // M: more fragments follow
	NBDGMFlagFirst    NBDGMFlags = 0x02 // F: this is the first fragment
	NBDGMFlagSNTMask  NBDGMFlags = 0x0c // SNT: source end-node type
	NBDGMFlagReserved NBDGMFlags = 0xf0 // must be zero
)

// Has reports whether all bits of f2 are set.
func (f NBDGMFlags) Has(f2 NBDGMFlags) bool { return f&f2 == f2 }

// NodeType is the SNT field.
func (f NBDGMFlags) NodeType() NBDGMNodeType { return NBDGMNodeType(f&NBDGMFlagSNTMask) >> 2 }

// String lists the set bits and the node type: "F|B node".
func (f NBDGMFlags) String() string {
	var b []byte
	if f.Has(NBDGMFlagMore) {
		b = append(b, "M|"...)
	}
	if f.Has(NBDGMFlagFirst) {
		b = append(b, "F|"...)
	}
	if f&NBDGMFlagReserved != 0 {
		b = append(b, "reserved 0x"...)
		b = strconv.AppendUint(b, uint64(f&NBDGMFlagReserved), 16)
		b = append(b, '|')
	}
	b = append(b, f.NodeType().String()...)
	return string(b)
}

// NBDGMNodeType is SNT, the sending node's type (RFC 1002 §4.4.1).
type NBDGMNodeType uint8

// Node types.
const (
	NBDGMBNode NBDGMNodeType = 0 // broadcast node
	NBDGMPNode NBDGMNodeType = 1 // point-to-point node
	NBDGMMNode NBDGMNodeType = 2 // mixed node
	NBDGMNBDD  NBDGMNodeType = 3 // the NetBIOS datagram distribution server
)

// String returns tshark's words ("B node", "NBDD").
func (n NBDGMNodeType) String() string {
	switch n {
	case NBDGMBNode:
		return "B node"
	case NBDGMPNode:
		return "P node"
	case NBDGMMNode:
		return "M node"
	case NBDGMNBDD:
		return "NBDD"
	}
	return "Unknown"
}

// NBDGMErrorCode is the ERROR_CODE of a DATAGRAM ERROR (RFC 1002 §4.4.3).
type NBDGMErrorCode uint8

// Datagram error codes.
const (
	NBDGMDestinationNameNotPresent NBDGMErrorCode = 0x82
	NBDGMInvalidSourceNameFormat   NBDGMErrorCode = 0x83
	NBDGMInvalidDestNameFormat     NBDGMErrorCode = 0x84
)

// String returns tshark's words for the code.
func (e NBDGMErrorCode) String() string {
	switch e {
	case NBDGMDestinationNameNotPresent:
		return "Destination name not present"
	case NBDGMInvalidSourceNameFormat:
		return "Invalid source name format"
	case NBDGMInvalidDestNameFormat:
		return "Invalid destination name format"
	}
	return "Unknown"
}

// Fields of the NBDGM layer, under tshark's names.
var (
	FieldNBDGM                = RegisterField(FieldInfo{Abbrev: "nbdgm", Name: "NetBIOS Datagram Service", Type: FTProtocol})
	FieldNBDGMType            = WiresharkField("nbdgm.type")
	FieldNBDGMFlags           = WiresharkField("nbdgm.flags")
	FieldNBDGMNext            = WiresharkField("nbdgm.next")
	FieldNBDGMFirst           = WiresharkField("nbdgm.first")
	FieldNBDGMNodeType        = WiresharkField("nbdgm.node_type")
	FieldNBDGMDatagramID      = WiresharkField("nbdgm.dgram_id")
	FieldNBDGMSourceIP        = WiresharkField("nbdgm.src.ip")
	FieldNBDGMSourcePort      = WiresharkField("nbdgm.src.port")
	FieldNBDGMDatagramLength  = WiresharkField("nbdgm.dgram_len")
	FieldNBDGMPacketOffset    = WiresharkField("nbdgm.pkt_offset")
	FieldNBDGMErrorCode       = WiresharkField("nbdgm.error_code")
	FieldNBDGMSourceName      = WiresharkField("nbdgm.source_name")
	FieldNBDGMDestinationName = WiresharkField("nbdgm.destination_name")
)

func init() {
	SetValues(FieldNBDGMType, func(v uint64) string { return NBDGMType(v).String() })
	SetValues(FieldNBDGMNodeType, func(v uint64) string { return NBDGMNodeType(v).String() })
	SetValues(FieldNBDGMErrorCode, func(v uint64) string { return NBDGMErrorCode(v).String() })
	yesNo := func(v uint64) string { // tshark's tfs_yes_no
		if v != 0 {
			return "Yes"
		}
		return "No"
	}
	SetValues(FieldNBDGMNext, yesNo)
	SetValues(FieldNBDGMFirst, yesNo)
}

// Header sizes (RFC 1002 §4.4).
const (
	nbdgmBaseLen   = 10 // MSG_TYPE .. SOURCE_PORT
	nbdgmDirectLen = 14 // + DGM_LENGTH, PACKET_OFFSET
	nbdgmErrorLen  = 11 // + ERROR_CODE
)

// NBDGM is one NetBIOS datagram service packet (RFC 1002 §4.4). It is a
// gopacket DecodingLayer: DecodeFromBytes resets it, its slices alias the
// input, and decoding a well-formed packet allocates nothing.
//
// Contents is the header and names; Payload the user data of this packet
// (USER_DATA, bounded by DGM_LENGTH), for the SMB layer above or, when
// Fragmented, for the datagram reassembler.
type NBDGM struct {
	layers.BaseLayer
	Type       NBDGMType
	Flags      NBDGMFlags
	DatagramID uint16  // DGM_ID: with SourceIP and SourcePort, identifies the fragments of one datagram
	SourceIP   [4]byte // SOURCE_IP: the original sender, kept when an NBDD relays
	SourcePort uint16  // SOURCE_PORT
	// DatagramLength is DGM_LENGTH: the bytes after PacketOffset (both names
	// and this packet's user data). Direct and broadcast types only.
	DatagramLength uint16
	// LengthDisagrees: DGM_LENGTH is not the bytes after PacketOffset in
	// the UDP payload (the user data is taken to be those bytes).
	LengthDisagrees bool
	// PacketOffset is PACKET_OFFSET: the offset of this packet's user data
	// in the whole datagram (non-zero for the second and later fragments).
	PacketOffset uint16
	ErrorCode    NBDGMErrorCode // DATAGRAM ERROR only
	// SourceName is set for the direct and broadcast types; DestinationName
	// for those and for the query types. HasSourceName and
	// HasDestinationName say whether they were decoded.
	SourceName         Name
	DestinationName    Name
	HasSourceName      bool
	HasDestinationName bool
	// Err is the decode error, if any (also returned by DecodeFromBytes).
	Err error

	hdr            int // header bytes decoded: 0, 10, 11 or 14
	srcOff, srcLen int
	dstOff, dstLen int
	data           []byte
}

// LayerType is LayerTypeNBDGM.
func (d *NBDGM) LayerType() gopacket.LayerType { return LayerTypeNBDGM }

// CanDecode is LayerTypeNBDGM.
func (d *NBDGM) CanDecode() gopacket.LayerClass { return LayerTypeNBDGM }

// NextLayerType is LayerTypeSMB when the user data is an SMB1 message and
// this is the whole datagram (not a fragment), else gopacket.LayerTypePayload.
func (d *NBDGM) NextLayerType() gopacket.LayerType {
	if !d.Fragmented() && len(d.Payload) >= 4 && d.Payload[0] == 0xff && d.Payload[1] == 'S' && d.Payload[2] == 'M' && d.Payload[3] == 'B' {
		return LayerTypeSMB
	}
	return gopacket.LayerTypePayload
}

// Fragmented reports whether this packet is one fragment of a larger
// datagram (RFC 1001 §17.1.3): M set, or F clear, or a non-zero offset.
func (d *NBDGM) Fragmented() bool {
	return d.Type.HasNames() && (d.Flags.Has(NBDGMFlagMore) || !d.Flags.Has(NBDGMFlagFirst) || d.PacketOffset != 0)
}

// DecodeFromBytes decodes one datagram service packet. On error the fields
// decoded so far are kept, Err is set and returned.
func (d *NBDGM) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	d.reset(data)
	return decoded(&d.Err, d.decode(data), df)
}

func (d *NBDGM) decode(data []byte) error {
	if len(data) < nbdgmBaseLen {
		if len(data) > 0 {
			d.Type = NBDGMType(data[0])
		}
		if len(data) > 1 {
			d.Flags = NBDGMFlags(data[1])
		}
		return Truncated("nbdgm", "header", 0, nbdgmBaseLen, len(data))
	}
	d.Type = NBDGMType(data[0])
	d.Flags = NBDGMFlags(data[1])
	d.DatagramID = binary.BigEndian.Uint16(data[2:4])
	copy(d.SourceIP[:], data[4:8])
	d.SourcePort = binary.BigEndian.Uint16(data[8:10])
	d.hdr = nbdgmBaseLen
	d.Contents = data[:nbdgmBaseLen]

	switch {
	case d.Type.HasNames():
		return d.decodeDatagram(data)
	case d.Type == NBDGMError:
		if len(data) < nbdgmErrorLen {
			return Truncated("nbdgm", "error code", nbdgmBaseLen, nbdgmErrorLen, len(data))
		}
		d.ErrorCode = NBDGMErrorCode(data[10])
		d.hdr = nbdgmErrorLen
		d.Contents = data[:nbdgmErrorLen]
		return nil
	case d.Type >= NBDGMQueryRequest && d.Type <= NBDGMNegativeQueryResponse:
		next, err := d.decodeName(data, nbdgmBaseLen, &d.DestinationName, "destination name")
		if err != nil {
			return err
		}
		d.HasDestinationName = true
		d.dstOff, d.dstLen = nbdgmBaseLen, next-nbdgmBaseLen
		d.Contents = data[:next]
		return nil
	}
	return Malformed("nbdgm", "message type", 0, "unknown message type 0x"+strconv.FormatUint(uint64(d.Type), 16))
}

func (d *NBDGM) decodeDatagram(data []byte) error {
	if len(data) < nbdgmDirectLen {
		return Truncated("nbdgm", "datagram header", nbdgmBaseLen, nbdgmDirectLen, len(data))
	}
	d.DatagramLength = binary.BigEndian.Uint16(data[10:12])
	d.PacketOffset = binary.BigEndian.Uint16(data[12:14])
	d.hdr = nbdgmDirectLen
	d.Contents = data[:nbdgmDirectLen]

	off := nbdgmDirectLen
	next, err := d.decodeName(data, off, &d.SourceName, "source name")
	if err != nil {
		return err
	}
	d.HasSourceName = true
	d.srcOff, d.srcLen = off, next-off
	off = next
	next, err = d.decodeName(data, off, &d.DestinationName, "destination name")
	if err != nil {
		return err
	}
	d.HasDestinationName = true
	d.dstOff, d.dstLen = off, next-off
	off = next
	d.Contents = data[:off]

	// The user data is the rest of the UDP payload, whatever DGM_LENGTH
	// says, as tshark reads it (packet-nbt.c): implementations that count
	// the 14-byte header in it, or the names twice, are common, and the
	// SMB message after the names is all there. A DGM_LENGTH that
	// disagrees is an expert note (LengthDisagrees), not an error.
	end := nbdgmDirectLen + int(d.DatagramLength)
	d.Payload = data[off:]
	d.LengthDisagrees = end != len(data)
	if d.LengthDisagrees && d.Fragmented() && end >= off && end < len(data) {
		// A fragment's user data is placed by PACKET_OFFSET: bytes
		// after DGM_LENGTH are not the datagram's.
		d.Payload = data[off:end]
	}
	return nil
}

// decodeName reads one name. Label pointers are taken relative to the
// name's own first byte, as tshark does for datagrams (packet-nbt.c
// passes the name's offset as the message start).
func (d *NBDGM) decodeName(data []byte, off int, n *Name, what string) (int, error) {
	next, err := DecodeName("nbdgm", data[off:], 0, n)
	if err != nil {
		within(err, what, off)
		return 0, err
	}
	return off + next, nil
}

func (d *NBDGM) reset(data []byte) {
	d.Type, d.Flags, d.DatagramID, d.SourceIP, d.SourcePort = 0, 0, 0, [4]byte{}, 0
	d.DatagramLength, d.PacketOffset, d.ErrorCode, d.LengthDisagrees = 0, 0, 0, false
	d.HasSourceName, d.HasDestinationName = false, false
	d.SourceName.Encoded, d.SourceName.Scope = nil, nil
	d.DestinationName.Encoded, d.DestinationName.Scope = nil, nil
	d.BaseLayer, d.Err = layers.BaseLayer{}, nil
	d.hdr, d.srcOff, d.srcLen, d.dstOff, d.dstLen = 0, 0, 0, 0, 0
	d.data = data
}

// nbdgmFields is every field AppendTree may add below the protocol node:
// with none of them wanted, it adds that node only (see FieldSet).
var nbdgmFields = NewFieldSet("nbdgm")

// AppendTree adds the NBDGM layer as tshark shows it: offsets relative to
// the layer start (the caller sets t.Base).
func (d *NBDGM) AppendTree(t *Tree) {
	plen := len(d.Contents)
	if plen == 0 {
		plen = len(d.data)
	}
	t.Open(FieldNBDGM, 0, plen).U = uint64(len(d.data)) // the datagram as a filter value
	defer t.Close()
	if !t.WantsSet(nbdgmFields) {
		d.appendLengthNote(t)
		return // -T fields prints none of its fields
	}
	if len(d.data) > 0 {
		t.Uint(FieldNBDGMType, 0, 1, uint64(d.Type))
	}
	if len(d.data) > 1 {
		t.Open(FieldNBDGMFlags, 1, 1).U = uint64(d.Flags)
		t.Bool(FieldNBDGMNext, 1, 1, d.Flags.Has(NBDGMFlagMore))
		t.Bool(FieldNBDGMFirst, 1, 1, d.Flags.Has(NBDGMFlagFirst))
		t.Uint(FieldNBDGMNodeType, 1, 1, uint64(d.Flags.NodeType()))
		t.Close()
	}
	if d.hdr >= nbdgmBaseLen {
		t.Uint(FieldNBDGMDatagramID, 2, 2, uint64(d.DatagramID))
		t.IPv4(FieldNBDGMSourceIP, 4, d.SourceIP)
		t.Uint(FieldNBDGMSourcePort, 8, 2, uint64(d.SourcePort))
	}
	if d.hdr >= nbdgmDirectLen && d.Type.HasNames() {
		t.Uint(FieldNBDGMDatagramLength, 10, 2, uint64(d.DatagramLength))
		t.Uint(FieldNBDGMPacketOffset, 12, 2, uint64(d.PacketOffset))
	}
	if d.hdr >= nbdgmErrorLen && d.Type == NBDGMError {
		t.Uint(FieldNBDGMErrorCode, 10, 1, uint64(d.ErrorCode))
	}
	if d.HasSourceName && t.Wants(FieldNBDGMSourceName) {
		b := t.Keep(d.SourceName.AppendWithScope(t.Buf()))
		t.Bytes(FieldNBDGMSourceName, d.srcOff, d.srcLen, b)
	}
	if d.HasDestinationName && t.Wants(FieldNBDGMDestinationName) {
		b := t.Keep(d.DestinationName.AppendWithScope(t.Buf()))
		t.Bytes(FieldNBDGMDestinationName, d.dstOff, d.dstLen, b)
	}
	d.appendLengthNote(t)
	if d.Err != nil {
		off := errAt(d.Err, 0, len(d.data))
		appendMalformed(t, d.Err, off, len(d.data)-off)
	}
}

// appendLengthNote notes a DGM_LENGTH that disagrees with the UDP payload.
func (d *NBDGM) appendLengthNote(t *Tree) {
	if !d.LengthDisagrees || t.Off {
		return
	}
	have := len(d.data) - nbdgmDirectLen
	t.Note("Datagram length "+strconv.Itoa(int(d.DatagramLength))+" disagrees with the "+strconv.Itoa(have)+
		" bytes after the header: the user data is taken to be the rest of the UDP payload", 10, 2)
}

// AppendInfo appends tshark's info words for the packet alone
// ("Direct_group datagram"); the browser layer above usually replaces them.
func (d *NBDGM) AppendInfo(b []byte) []byte {
	if len(d.data) == 0 {
		return b
	}
	return d.Type.appendString(b)
}
