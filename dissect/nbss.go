package dissect

// NetBIOS Session Service, TCP port 139 (RFC 1002 §4.3), and the same
// 4-byte framing used by "direct hosted" SMB on TCP port 445 ([MS-SMB2]
// §2.1, [MS-CIFS] §2.1.1.2). Byte order: big-endian (network order).
//
// Every session packet starts with (RFC 1002 §4.3.1):
//
//	                     1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|      TYPE     |     FLAGS     |            LENGTH             |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// FLAGS bits 0-6 are reserved; bit 7 is E, the length extension, which
// adds 65536 to LENGTH (17-bit lengths, so at most 131071 bytes of body).
// On TCP 445 the FLAGS byte is the top byte of a 24-bit length.
//
// The body is, by TYPE:
//
//	0x00 SESSION MESSAGE            the user data (an SMB message)     §4.3.6
//	0x81 SESSION REQUEST            CALLED NAME, CALLING NAME          §4.3.2
//	0x82 POSITIVE SESSION RESPONSE  nothing                            §4.3.3
//	0x83 NEGATIVE SESSION RESPONSE  ERROR_CODE (1 byte)                §4.3.4
//	0x84 RETARGET SESSION RESPONSE  RETARGET_IP_ADDRESS, PORT (6)      §4.3.5
//	0x85 SESSION KEEP ALIVE         nothing                            §4.3.7

import (
	"encoding/binary"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// NBSSType is the TYPE of a session packet (RFC 1002 §4.3.1).
type NBSSType uint8

// Session packet types.
const (
	NBSSSessionMessage          NBSSType = 0x00
	NBSSSessionRequest          NBSSType = 0x81
	NBSSPositiveSessionResponse NBSSType = 0x82
	NBSSNegativeSessionResponse NBSSType = 0x83
	NBSSRetargetSessionResponse NBSSType = 0x84
	NBSSSessionKeepAlive        NBSSType = 0x85
)

// Known reports whether t is one of the six RFC 1002 types.
func (t NBSSType) Known() bool {
	return t == NBSSSessionMessage || (t >= NBSSSessionRequest && t <= NBSSSessionKeepAlive)
}

// String returns tshark's name for the type ("Session request"), or
// "Unknown (69)" as tshark words an unknown one.
func (t NBSSType) String() string { return string(t.appendString(nil)) }

func (t NBSSType) appendString(b []byte) []byte {
	switch t {
	case NBSSSessionMessage:
		return append(b, "Session message"...)
	case NBSSSessionRequest:
		return append(b, "Session request"...)
	case NBSSPositiveSessionResponse:
		return append(b, "Positive session response"...)
	case NBSSNegativeSessionResponse:
		return append(b, "Negative session response"...)
	case NBSSRetargetSessionResponse:
		return append(b, "Retarget session response"...)
	case NBSSSessionKeepAlive:
		return append(b, "Session keep-alive"...)
	}
	b = append(b, "Unknown ("...)
	return append(b, hexdigits[t>>4], hexdigits[t&0xf], ')')
}

// NBSSFlags is the FLAGS byte of RFC 1002 framing.
type NBSSFlags uint8

// Flag bits.
const (
	NBSSFlagExtend   NBSSFlags = 0x01 // E: add 65536 to LENGTH
	NBSSFlagReserved NBSSFlags = 0xfe // must be zero
)

// Has reports whether all bits of f2 are set.
func (f NBSSFlags) Has(f2 NBSSFlags) bool { return f&f2 == f2 }

// String lists the set bits: "E", "E|reserved 0x2", "".
func (f NBSSFlags) String() string {
	var b []byte
	if f.Has(NBSSFlagExtend) {
		b = append(b, 'E')
	}
	if f&NBSSFlagReserved != 0 {
		if len(b) > 0 {
			b = append(b, '|')
		}
		b = append(b, "reserved 0x"...)
		b = strconv.AppendUint(b, uint64(f&NBSSFlagReserved), 16)
	}
	return string(b)
}

// NBSSErrorCode is the ERROR_CODE of a NEGATIVE SESSION RESPONSE (RFC 1002
// §4.3.4).
type NBSSErrorCode uint8

// Negative session response codes.
const (
	NBSSNotListeningOnCalledName   NBSSErrorCode = 0x80
	NBSSNotListeningForCallingName NBSSErrorCode = 0x81
	NBSSCalledNameNotPresent       NBSSErrorCode = 0x82
	NBSSInsufficientResources      NBSSErrorCode = 0x83 // called name present, but insufficient resources
	NBSSUnspecifiedError           NBSSErrorCode = 0x8f
)

// String returns tshark's words ("Called name not present"), or
// "Unknown (7)" as tshark prints an unknown code.
func (e NBSSErrorCode) String() string { return string(e.appendString(nil)) }

func (e NBSSErrorCode) appendString(b []byte) []byte {
	switch e {
	case NBSSNotListeningOnCalledName:
		return append(b, "Not listening on called name"...)
	case NBSSNotListeningForCallingName:
		return append(b, "Not listening for calling name"...)
	case NBSSCalledNameNotPresent:
		return append(b, "Called name not present"...)
	case NBSSInsufficientResources:
		return append(b, "Called name present, but insufficient resources"...)
	case NBSSUnspecifiedError:
		return append(b, "Unspecified error"...)
	}
	b = append(b, "Unknown ("...)
	b = strconv.AppendUint(b, uint64(e), 16)
	return append(b, ')')
}

// Fields of the NBSS layer, under tshark's names.
var (
	FieldNBSS                  = RegisterField(FieldInfo{Abbrev: "nbss", Name: "NetBIOS Session Service", Type: FTProtocol})
	FieldNBSSType              = WiresharkField("nbss.type")
	FieldNBSSFlags             = WiresharkField("nbss.flags")
	FieldNBSSFlagsE            = WiresharkField("nbss.flags.e")
	FieldNBSSLength            = WiresharkField("nbss.length")
	FieldNBSSErrorCode         = WiresharkField("nbss.error_code")
	FieldNBSSRetargetIPAddress = WiresharkField("nbss.retarget_ip_address")
	FieldNBSSRetargetPort      = WiresharkField("nbss.retarget_port")
	FieldNBSSContinuationData  = WiresharkField("nbss.continuation_data")
	FieldNBSSCalledName        = WiresharkField("nbss.called_name")
	FieldNBSSCallingName       = WiresharkField("nbss.calling_name")
)

func init() {
	SetValues(FieldNBSSType, func(v uint64) string { return NBSSType(v).String() })
	SetValues(FieldNBSSErrorCode, func(v uint64) string { return NBSSErrorCode(v).String() })
	SetValues(FieldNBSSFlagsE, func(v uint64) string { // tshark's tfs_nbss_flags_e
		if v != 0 {
			return "Add 65536 to length"
		}
		return "Add 0 to length"
	})
}

// NBSSHeaderLen is the size of the session packet header.
const NBSSHeaderLen = 4

// NBSSMaxLength is the largest LENGTH RFC 1002 framing can say (17 bits).
const NBSSMaxLength = 0x1ffff

// NBSSDirectMaxLength is the largest length the 24-bit framing can say.
const NBSSDirectMaxLength = 0xffffff

// NBSSContinuationInfo is tshark's info column for TCP data that does not
// start with a plausible session packet header.
const NBSSContinuationInfo = "NBSS Continuation Message"

// NBSS is one NetBIOS session service packet (RFC 1002 §4.3), or one
// direct hosted SMB frame (TCP 445). DecodeFromBytes decodes the packet that
// starts at data[0]; bytes after its LENGTH are not looked at (the TCP
// reassembler frames the stream, see MessageLen). It is a gopacket
// DecodingLayer: slices alias the input and a well-formed packet decodes
// without allocating.
//
// Contents is the header and, except for a session message, the body;
// Payload is a session message's user data (the SMB message), which is
// shorter than Length when the capture ended early.
type NBSS struct {
	layers.BaseLayer
	// Direct and LongLength are inputs: set them before DecodeFromBytes,
	// which keeps them. Direct is TCP 445, direct hosted SMB ([MS-SMB2]
	// §2.1): no NetBIOS session, only session messages (and keep-alives).
	// LongLength reads the FLAGS byte as the top byte of a 24-bit length
	// and shows no flags, as tshark does for TCP 445 and for SMB on TCP 139
	// (see NBSSLongLengthAsTshark; the TCP reassembler sets it per message).
	Direct     bool
	LongLength bool

	Type  NBSSType
	Flags NBSSFlags // zero with LongLength
	// Length is the body length from the header, E bit included (or the
	// 24-bit length).
	Length uint32
	// CalledName and CallingName are the SESSION REQUEST names.
	CalledName, CallingName Name
	ErrorCode               NBSSErrorCode // NEGATIVE SESSION RESPONSE
	RetargetIP              [4]byte       // RETARGET SESSION RESPONSE
	RetargetPort            uint16        // RETARGET SESSION RESPONSE
	// Err is the decode error, if any (also returned by DecodeFromBytes).
	Err error

	hasCalled, hasCalling bool
	calledLen, callingLen int
	hasError, hasRetarget bool
	data                  []byte
}

// LayerType is LayerTypeNBSS.
func (s *NBSS) LayerType() gopacket.LayerType { return LayerTypeNBSS }

// CanDecode is LayerTypeNBSS.
func (s *NBSS) CanDecode() gopacket.LayerClass { return LayerTypeNBSS }

// NextLayerType is LayerTypeSMB or LayerTypeSMB2 for a session message
// carrying \xffSMB or \xfeSMB (\xfdSMB, an SMB3 transform header, counts as
// SMB2), else gopacket.LayerTypePayload.
func (s *NBSS) NextLayerType() gopacket.LayerType {
	if s.Type != NBSSSessionMessage || len(s.Payload) < 4 || s.Payload[1] != 'S' || s.Payload[2] != 'M' || s.Payload[3] != 'B' {
		return gopacket.LayerTypePayload
	}
	switch s.Payload[0] {
	case 0xff:
		return LayerTypeSMB
	case 0xfe, 0xfd:
		return LayerTypeSMB2
	}
	return gopacket.LayerTypePayload
}

// MessageLen is the whole packet's length, header included, as the header
// says (it may exceed the bytes decoded).
func (s *NBSS) MessageLen() int { return NBSSHeaderLen + int(s.Length) }

// DecodeFromBytes decodes the session packet at the start of data. On
// error the fields decoded so far are kept, Err is set and returned.
func (s *NBSS) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	s.reset(data)
	return decoded(&s.Err, s.decode(data), df)
}

func (s *NBSS) decode(data []byte) error {
	if len(data) < NBSSHeaderLen {
		if len(data) > 0 {
			s.Type = NBSSType(data[0])
		}
		return Truncated("nbss", "header", 0, NBSSHeaderLen, len(data))
	}
	s.Type = NBSSType(data[0])
	if !s.LongLength {
		s.Flags = NBSSFlags(data[1])
		s.Length = uint32(binary.BigEndian.Uint16(data[2:4]))
		if s.Flags.Has(NBSSFlagExtend) {
			s.Length += 0x10000
		}
	} else {
		s.Length = uint32(data[1])<<16 | uint32(binary.BigEndian.Uint16(data[2:4]))
	}
	end := NBSSHeaderLen + int(s.Length)
	body := data[NBSSHeaderLen:]
	if len(body) > int(s.Length) {
		body = body[:s.Length]
	}
	s.Contents = data[:NBSSHeaderLen]

	var err error
	switch s.Type {
	case NBSSSessionMessage:
		s.Payload = body
		if len(body) < int(s.Length) {
			err = Truncated("nbss", "session message", NBSSHeaderLen, end, len(data))
		}
	case NBSSSessionRequest:
		s.Contents = data[:NBSSHeaderLen+len(body)]
		err = s.decodeRequest(body)
		if err == nil && len(body) < int(s.Length) {
			err = Truncated("nbss", "session request", NBSSHeaderLen+len(body), end, len(data))
		}
	case NBSSPositiveSessionResponse, NBSSSessionKeepAlive:
		s.Contents = data[:NBSSHeaderLen+len(body)]
		if s.Length != 0 {
			err = Malformed("nbss", "length", 1, "length "+strconv.Itoa(int(s.Length))+", must be 0 for this type")
		}
	case NBSSNegativeSessionResponse:
		s.Contents = data[:NBSSHeaderLen+len(body)]
		if len(body) < 1 {
			err = s.bodyShort(1, len(data))
			break
		}
		s.ErrorCode = NBSSErrorCode(body[0])
		s.hasError = true
		if s.Length != 1 {
			err = Malformed("nbss", "length", 1, "length "+strconv.Itoa(int(s.Length))+", must be 1 for a negative session response")
		}
	case NBSSRetargetSessionResponse:
		s.Contents = data[:NBSSHeaderLen+len(body)]
		if len(body) < 6 {
			err = s.bodyShort(6, len(data))
			break
		}
		copy(s.RetargetIP[:], body[0:4])
		s.RetargetPort = binary.BigEndian.Uint16(body[4:6])
		s.hasRetarget = true
		if s.Length != 6 {
			err = Malformed("nbss", "length", 1, "length "+strconv.Itoa(int(s.Length))+", must be 6 for a retarget session response")
		}
	default:
		s.Contents = data[:NBSSHeaderLen+len(body)]
		err = Malformed("nbss", "type", 0, "unknown message type 0x"+strconv.FormatUint(uint64(s.Type), 16))
	}
	if err == nil && !s.LongLength && s.Flags&NBSSFlagReserved != 0 {
		err = Malformed("nbss", "flags", 1, "reserved flag bits set (0x"+strconv.FormatUint(uint64(s.Flags), 16)+")")
	}
	if err == nil && s.Direct && s.Type != NBSSSessionMessage && s.Type != NBSSSessionKeepAlive {
		err = Malformed("nbss", "type", 0, "type 0x"+strconv.FormatUint(uint64(s.Type), 16)+" is not used by direct hosted SMB")
	}
	return err
}

// bodyShort reports a body that is missing bytes: truncated when the
// capture ended before LENGTH, malformed when LENGTH itself is too small.
func (s *NBSS) bodyShort(need, have int) error {
	if int(s.Length) < need {
		return Malformed("nbss", "length", 1, "length "+strconv.Itoa(int(s.Length))+", need "+strconv.Itoa(need))
	}
	return Truncated("nbss", "body", NBSSHeaderLen, NBSSHeaderLen+need, have)
}

// decodeRequest reads CALLED NAME and CALLING NAME (RFC 1002 §4.3.2).
// Label pointers are relative to each name's first byte, as in tshark.
func (s *NBSS) decodeRequest(body []byte) error {
	next, err := DecodeName("nbss", body, 0, &s.CalledName)
	if err != nil {
		return s.nameErr(err, "called name", 0, len(body))
	}
	s.hasCalled, s.calledLen = true, next
	n2, err := DecodeName("nbss", body[next:], 0, &s.CallingName)
	if err != nil {
		return s.nameErr(err, "calling name", next, len(body))
	}
	s.hasCalling, s.callingLen = true, n2
	return nil
}

// nameErr re-homes an error of DecodeName in the packet: the name at off
// in a body of bodyLen bytes.
func (s *NBSS) nameErr(err error, field string, off, bodyLen int) error {
	de := within(err, field, NBSSHeaderLen+off)
	if de == nil {
		return err
	}
	// A name that runs past LENGTH while the capture has the bytes is a
	// lying length, not a short capture.
	if de.Err == ErrTruncated && bodyLen == int(s.Length) {
		de.Err = ErrMalformed
		de.Detail = "runs past the message length " + strconv.Itoa(int(s.Length))
	}
	return de
}

func (s *NBSS) reset(data []byte) {
	s.Type, s.Flags, s.Length = 0, 0, 0
	s.CalledName.Encoded, s.CalledName.Scope = nil, nil
	s.CallingName.Encoded, s.CallingName.Scope = nil, nil
	s.ErrorCode, s.RetargetPort = 0, 0
	s.RetargetIP = [4]byte{} // (alone: in the tuple it went through the stack)
	s.BaseLayer, s.Err = layers.BaseLayer{}, nil
	s.hasCalled, s.hasCalling, s.hasError, s.hasRetarget = false, false, false, false
	s.calledLen, s.callingLen = 0, 0
	s.data = data
}

// nbssFields is every field AppendTree may add below the protocol node:
// with none of them wanted, it adds that node only (see FieldSet).
var nbssFields = NewFieldSet("nbss")

// AppendTree adds the NBSS layer as tshark shows it (offsets relative to
// the packet's first byte; the caller sets t.Base and, for a reassembled
// message, t.Src). The header is type, flags and length, or type and
// length with LongLength; direct hosted SMB is labelled as such with a
// generated line (tshark has none).
func (s *NBSS) AppendTree(t *Tree) {
	plen := s.MessageLen()
	if plen > len(s.data) {
		plen = len(s.data)
	}
	t.Open(FieldNBSS, 0, plen)
	defer t.Close()
	if !t.WantsSet(nbssFields) {
		return // -T fields prints none of its fields
	}
	if s.Direct {
		t.Text("[Direct hosted SMB (TCP 445): 24-bit length, no NetBIOS session]", 0, min(NBSSHeaderLen, len(s.data))).Flags |= NodeGenerated
	}
	if len(s.data) == 0 {
		s.appendErr(t)
		return
	}
	t.Uint(FieldNBSSType, 0, 1, uint64(s.Type))
	if len(s.data) < NBSSHeaderLen {
		s.appendErr(t)
		return
	}
	if !s.LongLength {
		t.Open(FieldNBSSFlags, 1, 1).U = uint64(s.Flags)
		t.Bool(FieldNBSSFlagsE, 1, 1, s.Flags.Has(NBSSFlagExtend))
		t.Close()
	}
	t.Uint(FieldNBSSLength, 1, 3, uint64(s.Length))
	if s.hasCalled && t.Wants(FieldNBSSCalledName) {
		b := t.Keep(s.CalledName.AppendWithScope(t.Buf()))
		t.Bytes(FieldNBSSCalledName, NBSSHeaderLen, s.calledLen, b)
	}
	if s.hasCalling && t.Wants(FieldNBSSCallingName) {
		b := t.Keep(s.CallingName.AppendWithScope(t.Buf()))
		t.Bytes(FieldNBSSCallingName, NBSSHeaderLen+s.calledLen, s.callingLen, b)
	}
	if s.hasError {
		t.Uint(FieldNBSSErrorCode, NBSSHeaderLen, 1, uint64(s.ErrorCode))
	}
	if s.hasRetarget {
		t.IPv4(FieldNBSSRetargetIPAddress, NBSSHeaderLen, s.RetargetIP)
		t.Uint(FieldNBSSRetargetPort, NBSSHeaderLen+4, 2, uint64(s.RetargetPort))
	}
	s.appendErr(t)
}

func (s *NBSS) appendErr(t *Tree) {
	if s.Err != nil {
		off := errAt(s.Err, 0, len(s.data))
		appendMalformed(t, s.Err, off, len(s.data)-off)
	}
}

// AppendInfo appends the info words: "Session request, to FILESRV<20> from
// PC7<00>", "Negative session response, Called name not present",
// "Session message", "Retarget session response, to 10.0.0.5:139",
// "Session keep-alive". They are tshark's, except that tshark says nothing
// after "Retarget session response".
func (s *NBSS) AppendInfo(b []byte) []byte {
	if len(s.data) == 0 {
		return b
	}
	b = s.Type.appendString(b)
	switch {
	case s.hasCalled:
		b = append(b, ", to "...)
		b = s.CalledName.AppendWithScope(b)
		if s.hasCalling {
			b = append(b, " from "...)
			b = s.CallingName.AppendWithScope(b)
		}
	case s.hasError:
		b = append(b, ", "...)
		b = s.ErrorCode.appendString(b)
	case s.hasRetarget:
		b = append(b, ", to "...)
		for i, x := range s.RetargetIP {
			if i > 0 {
				b = append(b, '.')
			}
			b = strconv.AppendUint(b, uint64(x), 10)
		}
		b = append(b, ':')
		b = strconv.AppendUint(b, uint64(s.RetargetPort), 10)
	}
	return b
}

// AppendNBSSContinuation adds what tshark shows for TCP data on the
// session port that is not a plausible session packet header: an nbss
// layer holding nbss.continuation_data. Use NBSSContinuationInfo for the
// info column.
func AppendNBSSContinuation(t *Tree, data []byte) {
	if t.Off {
		return
	}
	t.Open(FieldNBSS, 0, len(data))
	t.Bytes(FieldNBSSContinuationData, 0, len(data), data)
	t.Close()
}

// NBSSUsesLongLength reports whether the packet starting at b has a 24-bit
// length: always on TCP 445 (direct), and on TCP 139 for a session message
// carrying SMB ("SMB" at bytes 5 to 7, packet-nbt.c's test), since SMB1
// Unix extensions and SMB2 multi-credit requests exceed 17 bits. For FLAGS
// 0 or 1 both readings agree.
func NBSSUsesLongLength(direct bool, b []byte) bool {
	// "SMB" at bytes 5 to 7 read as one word (the framer and the decoder
	// ask this several times a packet).
	return direct || (len(b) >= 8 && b[0] == 0 && binary.LittleEndian.Uint32(b[4:8])>>8 == 'S'|'M'<<8|'B'<<16)
}

// NBSSLongLengthAsTshark reports how tshark 4.0 shows a packet, for
// NBSS.LongLength: when the packet was reassembled from several TCP
// segments, or follows one that was in the same segment, tshark goes by the
// port alone (24-bit on 445); otherwise by the first packet of the segment,
// leader: 24-bit, no flags, when it is a session message carrying SMB, on
// 139 and 445 alike (so a lone keep-alive on 445 shows its flags).
func NBSSLongLengthAsTshark(direct, reassembled bool, leader []byte) bool {
	if reassembled {
		return direct
	}
	return NBSSUsesLongLength(false, leader)
}

// NBSSLength reads the body length from a 4-byte header: 24 bits when
// long, else 16 bits plus 65536 for the E flag. ok is false when b is
// shorter than the header.
func NBSSLength(b []byte, long bool) (length int, ok bool) {
	if len(b) < NBSSHeaderLen {
		return 0, false
	}
	if !long {
		l := int(binary.BigEndian.Uint16(b[2:4]))
		if b[1]&byte(NBSSFlagExtend) != 0 {
			l += 0x10000
		}
		return l, true
	}
	return int(b[1])<<16 | int(binary.BigEndian.Uint16(b[2:4])), true
}

// NBSSPlausible reports whether b starts with a plausible session packet
// header, with tshark's tests (packet-nbt.c dissect_nbss) for data that
// was not reassembled: a known type, no reserved flag bits, and a length
// that fits the type (session message: not 0; session request: 2 to 256;
// positive response and keep-alive: 0; negative response: 1; retarget: 6).
// Lengths are read as NBSSUsesLongLength says. b needs 4 bytes, 8 to
// recognise SMB.
//
// strict adds what a resynchronising reader wants before trusting a header
// found in the middle of data: a session message must carry \xffSMB,
// \xfeSMB or \xfdSMB; a session request must start with a 32-byte label;
// a negative response must carry a known error code.
func NBSSPlausible(b []byte, direct, strict bool) bool {
	if len(b) < NBSSHeaderLen {
		return false
	}
	long := NBSSUsesLongLength(direct, b)
	l, _ := NBSSLength(b, long)
	if !long && NBSSFlags(b[1])&NBSSFlagReserved != 0 {
		return false
	}
	switch NBSSType(b[0]) {
	case NBSSSessionMessage:
		if l == 0 {
			return false
		}
		if strict {
			return len(b) >= 8 && (b[4] == 0xff || b[4] == 0xfe || b[4] == 0xfd) && b[5] == 'S' && b[6] == 'M' && b[7] == 'B'
		}
	case NBSSSessionRequest:
		if l < 2 || l > 256 || direct {
			return false
		}
		if strict {
			return len(b) >= 5 && b[4] == 32
		}
	case NBSSPositiveSessionResponse:
		return l == 0 && !direct
	case NBSSNegativeSessionResponse:
		if l != 1 || direct {
			return false
		}
		if strict {
			if len(b) < 5 {
				return false
			}
			e := NBSSErrorCode(b[4])
			return (e >= NBSSNotListeningOnCalledName && e <= NBSSInsufficientResources) || e == NBSSUnspecifiedError
		}
	case NBSSRetargetSessionResponse:
		return l == 6 && !direct
	case NBSSSessionKeepAlive:
		return l == 0
	default:
		return false
	}
	return true
}
