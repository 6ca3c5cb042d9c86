package dissect

// SMB2 and SMB3 ([MS-SMB2] §2.2.1 header, §2.2.41 transform header), as far
// as nbtsniff goes on TCP 139 and 445: the 64-byte header of a message, or
// the 52-byte header of an encrypted SMB3 message, is decoded and labelled;
// the command bodies after it are not. Its fields are in smb_fields.go.
//
// Byte order: little-endian, except ProtocolId, which is shown as tshark
// prints it (read big-endian: 0xfe534d42).
//
//	 0 ProtocolId(4)     4 StructureSize     6 CreditCharge
//	 8 Status(4) (a request's ChannelSequence, Reserved)
//	12 Command          14 CreditRequest/CreditResponse
//	16 Flags(4)         20 NextCommand(4)   24 MessageId(8)
//	32 AsyncId(8), or Reserved(4) and TreeId(4)
//	40 SessionId(8)     48 Signature(16)

import (
	"encoding/binary"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// SMB2 is the header of an SMB2/SMB3 message ([MS-SMB2] §2.2.1) or of an
// SMB3 transform ([MS-SMB2] §2.2.41), seen on TCP 139 or 445. nbtsniff
// recognises and labels these; it does not decode them further: Contents
// is the header, Payload what follows it.
type SMB2 struct {
	layers.BaseLayer
	// ProtocolID is 0xFE 'S' 'M' 'B' (SMB2Magic) or 0xFD 'S' 'M' 'B'
	// (SMB2TransformMagic), read big-endian as tshark prints it.
	ProtocolID    uint32
	Transform     bool
	HeaderLength  uint16 // StructureSize, 64
	CreditCharge  uint16
	Status        uint32 // a response's; in a request ChannelSequence and Reserved
	Command       uint16
	Credits       uint16 // CreditRequest or CreditResponse
	Flags         uint32
	NextCommand   uint32
	MessageID     uint64
	AsyncID       uint64 // when Flags has SMB2_FLAGS_ASYNC_COMMAND
	ProcessID     uint32
	TreeID        uint32
	SessionID     uint64
	Signature     []byte
	Nonce         []byte // transform
	MessageSize   uint32 // transform: OriginalMessageSize
	TransformFlag uint16 // transform: Flags/EncryptionAlgorithm
	Err           error
	data          []byte
	hdrLen        int
}

// SMB2 protocol identifiers, as the first four bytes read little-endian.
const (
	SMB2Magic          uint32 = 0xfe534d42
	SMB2TransformMagic uint32 = 0xfd534d42
	smb2HeaderLen             = 64
	smb2TransformLen          = 52
	smb2FlagsResponse  uint32 = 0x00000001
	smb2FlagsAsync     uint32 = 0x00000002
	smb2FlagsChained   uint32 = 0x00000004
	smb2FlagsSigned    uint32 = 0x00000008
	smb2FlagsPriority  uint32 = 0x00000070
	smb2FlagsDFS       uint32 = 0x10000000
	smb2FlagsReplay    uint32 = 0x20000000
)

var smb2CommandNames = [...]string{
	"Negotiate Protocol", "Session Setup", "Session Logoff", "Tree Connect", "Tree Disconnect",
	"Create", "Close", "Flush", "Read", "Write", "Lock", "Ioctl", "Cancel", "KeepAlive", "Find",
	"Notify", "GetInfo", "SetInfo", "Break",
}

// SMB2CommandName is Wireshark's name for an SMB2 command ("Negotiate
// Protocol", "unknown-0x13").
func SMB2CommandName(c uint16) string {
	if int(c) < len(smb2CommandNames) {
		return smb2CommandNames[c]
	}
	return string(appendSMB2CommandName(nil, c))
}

func appendSMB2CommandName(b []byte, c uint16) []byte {
	if int(c) < len(smb2CommandNames) {
		return append(b, smb2CommandNames[c]...)
	}
	if c < 256 {
		const hexU = "0123456789ABCDEF"
		b = append(b, "unknown-0x"...)
		return append(b, hexU[c>>4], hexU[c&0xf])
	}
	b = append(b, "Unknown ("...)
	b = strconv.AppendUint(b, uint64(c), 10)
	return append(b, ')')
}

// IsSMB2 reports whether data starts with an SMB2 or SMB3 transform
// protocol identifier.
func IsSMB2(data []byte) bool {
	if len(data) < 4 {
		return false
	}
	id := binary.BigEndian.Uint32(data)
	return id == SMB2Magic || id == SMB2TransformMagic
}

// LayerType is LayerTypeSMB2.
func (s *SMB2) LayerType() gopacket.LayerType { return LayerTypeSMB2 }

// CanDecode is LayerTypeSMB2.
func (s *SMB2) CanDecode() gopacket.LayerClass { return LayerTypeSMB2 }

// NextLayerType is zero: SMB2 bodies are not decoded.
func (s *SMB2) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// IsResponse reports SMB2_FLAGS_SERVER_TO_REDIR.
func (s *SMB2) IsResponse() bool { return !s.Transform && s.Flags&smb2FlagsResponse != 0 }

// DecodeFromBytes reads the 64-byte SMB2 header or the 52-byte transform
// header.
func (s *SMB2) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	s.reset(data)
	err := s.decode(data)
	s.Contents, s.Payload = data[:s.hdrLen], data[s.hdrLen:]
	return decoded(&s.Err, err, df)
}

func (s *SMB2) reset(data []byte) { *s = SMB2{data: data} }

func (s *SMB2) decode(data []byte) error {
	if len(data) < 4 {
		s.hdrLen = len(data)
		return Truncated("smb2", "protocol", 0, 4, len(data))
	}
	s.ProtocolID = binary.BigEndian.Uint32(data)
	switch s.ProtocolID {
	case SMB2Magic:
	case SMB2TransformMagic:
		s.Transform = true
		if len(data) < smb2TransformLen {
			s.hdrLen = 4
			return Truncated("smb2", "transform header", 0, smb2TransformLen, len(data))
		}
		s.hdrLen = smb2TransformLen
		s.Signature = data[4:20]
		s.Nonce = data[20:36]
		s.MessageSize = binary.LittleEndian.Uint32(data[36:])
		s.TransformFlag = binary.LittleEndian.Uint16(data[42:])
		s.SessionID = binary.LittleEndian.Uint64(data[44:])
		return nil
	default:
		s.hdrLen = 4
		return Malformed("smb2", "protocol", 0, "not \\xfeSMB or \\xfdSMB")
	}
	if len(data) < smb2HeaderLen {
		s.hdrLen = 4
		return Truncated("smb2", "header", 0, smb2HeaderLen, len(data))
	}
	s.hdrLen = smb2HeaderLen
	s.HeaderLength = binary.LittleEndian.Uint16(data[4:])
	s.CreditCharge = binary.LittleEndian.Uint16(data[6:])
	s.Status = binary.LittleEndian.Uint32(data[8:])
	s.Command = binary.LittleEndian.Uint16(data[12:])
	s.Credits = binary.LittleEndian.Uint16(data[14:])
	s.Flags = binary.LittleEndian.Uint32(data[16:])
	s.NextCommand = binary.LittleEndian.Uint32(data[20:])
	s.MessageID = binary.LittleEndian.Uint64(data[24:])
	if s.Flags&smb2FlagsAsync != 0 {
		s.AsyncID = binary.LittleEndian.Uint64(data[32:])
	} else {
		s.ProcessID = binary.LittleEndian.Uint32(data[32:])
		s.TreeID = binary.LittleEndian.Uint32(data[36:])
	}
	s.SessionID = binary.LittleEndian.Uint64(data[40:])
	s.Signature = data[48:64]
	return nil
}

// smb2FieldSet is every field SMB2.AppendTree may add below the protocol node:
// with none of them wanted, it adds that node only (see FieldSet).
var smb2FieldSet = NewFieldSet("smb2")

// AppendTree adds the "smb2" protocol with the header fields only.
func (s *SMB2) AppendTree(t *Tree) {
	depth := t.Depth()
	t.Open(fSMB2, 0, len(s.data))
	if !t.WantsSet(smb2FieldSet) {
		t.CloseTo(depth) // -T fields prints none of its fields
		return
	}
	if s.Transform && s.hdrLen == smb2TransformLen {
		t.OpenText("SMB2 Transform Header", 0, smb2TransformLen)
		t.Uint(fSMB2ProtocolID, 0, 4, uint64(s.ProtocolID))
		t.Bytes(fSMB2TransformSignature, 4, 16, s.Signature)
		t.Bytes(fSMB2TransformNonce, 20, 16, s.Nonce)
		t.Uint(fSMB2TransformMsgSize, 36, 4, uint64(s.MessageSize))
		t.Bytes(fSMB2TransformReserved, 40, 2, s.data[40:42])
		t.Uint(fSMB2TransformFlags, 42, 2, uint64(s.TransformFlag))
		t.Uint(fSMB2SesID, 44, 8, s.SessionID)
		t.Close()
	} else if s.hdrLen == smb2HeaderLen {
		t.OpenText("SMB2 Header", 0, smb2HeaderLen)
		t.Uint(fSMB2ProtocolID, 0, 4, uint64(s.ProtocolID))
		t.Uint(fSMB2HeaderLen, 4, 2, uint64(s.HeaderLength))
		t.Uint(fSMB2CreditCharge, 6, 2, uint64(s.CreditCharge))
		if s.IsResponse() {
			t.Uint(fSMB2NTStatus, 8, 4, uint64(s.Status))
		} else {
			// a request carries ChannelSequence and Reserved there
			t.Uint(fSMB2ChannelSequence, 8, 2, uint64(s.Status&0xffff))
			t.Bytes(fSMB2Reserved, 10, 2, s.data[10:12])
		}
		t.Uint(fSMB2Cmd, 12, 2, uint64(s.Command))
		if s.IsResponse() {
			t.Uint(fSMB2CreditsGranted, 14, 2, uint64(s.Credits))
		} else {
			t.Uint(fSMB2CreditsRequested, 14, 2, uint64(s.Credits))
		}
		t.Open(fSMB2Flags, 16, 4).U = uint64(s.Flags)
		t.Bool(fSMB2FlagsResponse, 16, 4, s.Flags&smb2FlagsResponse != 0)
		t.Bool(fSMB2FlagsAsync, 16, 4, s.Flags&smb2FlagsAsync != 0)
		t.Bool(fSMB2FlagsChained, 16, 4, s.Flags&smb2FlagsChained != 0)
		t.Bool(fSMB2FlagsSignature, 16, 4, s.Flags&smb2FlagsSigned != 0)
		t.Bool(fSMB2FlagsPriority, 16, 4, s.Flags&smb2FlagsPriority != 0)
		t.Bool(fSMB2FlagsDFS, 16, 4, s.Flags&smb2FlagsDFS != 0)
		t.Bool(fSMB2FlagsReplay, 16, 4, s.Flags&smb2FlagsReplay != 0)
		t.Close()
		t.Uint(fSMB2ChainOffset, 20, 4, uint64(s.NextCommand))
		t.Uint(fSMB2MsgID, 24, 8, s.MessageID)
		if s.Flags&smb2FlagsAsync != 0 {
			t.Uint(fSMB2AsyncID, 32, 8, s.AsyncID)
		} else {
			t.Uint(fSMB2PID, 32, 4, uint64(s.ProcessID))
			t.Uint(fSMB2TID, 36, 4, uint64(s.TreeID))
		}
		t.Uint(fSMB2SesID, 40, 8, s.SessionID)
		t.Bytes(fSMB2Signature, 48, 16, s.Signature)
		t.Close()
	} else if s.hdrLen >= 4 {
		t.Uint(fSMB2ProtocolID, 0, 4, uint64(s.ProtocolID))
	}
	if s.Err != nil {
		appendMalformed(t, s.Err, 0, len(s.data))
	}
	t.CloseTo(depth)
}

// AppendInfo appends "Negotiate Protocol Response", "Session Setup
// Response, Error: STATUS_MORE_PROCESSING_REQUIRED" (any non-zero status of
// a response, STATUS_PENDING included, as tshark) or "Encrypted SMB3".
// tshark adds what it reads of the body after that; nbtsniff does not.
func (s *SMB2) AppendInfo(b []byte) []byte {
	if s.Transform {
		return append(b, "Encrypted SMB3"...)
	}
	if s.hdrLen < smb2HeaderLen {
		return append(b, "SMB2"...)
	}
	b = appendSMB2CommandName(b, s.Command)
	b = appendReqResp(b, s.IsResponse())
	if s.IsResponse() && s.Status != StatusSuccess {
		b = append(b, ", Error: "...)
		b = appendNTStatus(b, s.Status)
	}
	return b
}
