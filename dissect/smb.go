package dissect

// SMB1 ([MS-CIFS] §2.2.3.1 header, §2.2.3.2-3 parameter and data blocks,
// §2.2.4 commands; Hertel, Implementing CIFS §2.3-2.5), and recognition of
// SMB2/SMB3 headers ([MS-SMB2] §2.2.1, §2.2.41) on the same ports.
//
// Byte order: little-endian, every field.
//
// An SMB1 message is a fixed 32-byte header followed by one command block,
// or a chain of "AndX" command blocks:
//
//	 0               1               2               3
//	+-------+-------+-------+-------+-------+-------+-------+-------+
//	| 0xFF    'S'     'M'     'B'   |Command| Status (4: NT status, or|
//	+-------+-------+-------+-------+-------+-------+-------+-------+
//	|  ErrorClass, Reserved, ErrorCode) |Flags  |    Flags2     |PIDHigh
//	+-------+-------+-------+-------+-------+-------+-------+-------+
//	|       | SecurityFeatures (8: the signature)                   |
//	+-------+-------+-------+-------+-------+-------+-------+-------+
//	|       |   Reserved    |      TID      |    PIDLow     |  UID
//	+-------+-------+-------+-------+-------+-------+-------+-------+
//	|       |      MID      |
//	+-------+-------+-------+
//	offset 32: WordCount (1) | Words (2 × WordCount) | ByteCount (2) | Bytes
//
// An AndX command's first four word bytes are AndXCommand, AndXReserved and
// AndXOffset: the next command block starts AndXOffset bytes from the start
// of the header ([MS-CIFS] §2.2.3.4). Offsets everywhere in SMB (AndXOffset,
// the transaction ParameterOffset and DataOffset) count from the 0xFF of
// the header, and so do the offsets of the nodes this file emits.
//
// Strings ([MS-CIFS] §2.2.1.1) are OEM (read as ASCII, as tshark does:
// bytes 0x80-0xFF become U+FFFD) or, when Flags2 has SMB_FLAGS2_UNICODE,
// UTF-16LE aligned to an even offset from the header start by one pad byte.
// The ByteCount is the only truth for the size of the byte block: a string
// without its terminator ends at the end of the block, and anything the
// words place outside the block is an error.
//
// smb_cmds.go decodes, as far as tshark's fields need them, the bodies of
// Trans2 and NT Transact (counts, offsets, padding), Read AndX responses
// and Write AndX requests (padding and data); the subcommand parameters
// and data, and the DCE/RPC carried on pipes, are not decoded.
//
// Not decoded here: the bodies of the other commands outside the session
// set-up around a RAP call (they show WordCount, ByteCount and, for AndX
// commands, the chain), SMB signing, NTLMSSP and Kerberos beyond the message type and
// user that tshark puts in the info column, SMB over IPX/NetBEUI (the
// connectionless header layout), and everything after an SMB2 header.

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"unicode/utf8"

	"github.com/gopacket/gopacket"
)

// SMBCommand is the SMB1 command code ([MS-CIFS] §2.2.2.1). String gives
// Wireshark's name for it.
type SMBCommand uint8

// The commands nbtsniff decodes, and the other AndX commands whose chains it
// follows ([MS-CIFS] §2.2.2.1).
const (
	SMBComClose                 SMBCommand = 0x04
	SMBComLockingAndX           SMBCommand = 0x24
	SMBComTransaction           SMBCommand = 0x25
	SMBComTransactionSecondary  SMBCommand = 0x26
	SMBComEcho                  SMBCommand = 0x2b
	SMBComOpenAndX              SMBCommand = 0x2d
	SMBComReadAndX              SMBCommand = 0x2e
	SMBComWriteAndX             SMBCommand = 0x2f
	SMBComTransaction2          SMBCommand = 0x32
	SMBComTransaction2Secondary SMBCommand = 0x33
	SMBComTreeDisconnect        SMBCommand = 0x71
	SMBComNegotiate             SMBCommand = 0x72
	SMBComSessionSetupAndX      SMBCommand = 0x73
	SMBComLogoffAndX            SMBCommand = 0x74
	SMBComTreeConnectAndX       SMBCommand = 0x75
	SMBComNTTransact            SMBCommand = 0xa0
	SMBComNTTransactSecondary   SMBCommand = 0xa1
	SMBComNTCreateAndX          SMBCommand = 0xa2
	SMBComNoAndXCommand         SMBCommand = 0xff // end of an AndX chain
)

// String is Wireshark's name for the command ("Trans", "Session Setup
// AndX"), or "Unknown (0x36)".
func (c SMBCommand) String() string {
	if n := smbCommandNames[c]; n != "" {
		return n
	}
	return string(c.appendName(nil))
}

func (c SMBCommand) appendName(b []byte) []byte {
	if n := smbCommandNames[c]; n != "" {
		return append(b, n...)
	}
	b = append(b, "Unknown (0x"...)
	return append(b, hexdigits[c>>4], hexdigits[c&0xf], ')')
}

// IsAndX reports whether the command's words start with the AndX header
// ([MS-CIFS] §2.2.3.4).
func (c SMBCommand) IsAndX() bool {
	switch c {
	case SMBComLockingAndX, SMBComOpenAndX, SMBComReadAndX, SMBComWriteAndX,
		SMBComSessionSetupAndX, SMBComLogoffAndX, SMBComTreeConnectAndX, SMBComNTCreateAndX:
		return true
	}
	return false
}

// SMBFlags is the header's Flags byte ([MS-CIFS] §2.2.3.1).
type SMBFlags uint8

// SMB header Flags bits.
const (
	SMBFlagsLockAndReadOK      SMBFlags = 0x01
	SMBFlagsBufAvail           SMBFlags = 0x02
	SMBFlagsCaseInsensitive    SMBFlags = 0x08
	SMBFlagsCanonicalizedPaths SMBFlags = 0x10
	SMBFlagsOplock             SMBFlags = 0x20
	SMBFlagsOpbatch            SMBFlags = 0x40
	SMBFlagsReply              SMBFlags = 0x80
)

// Has reports whether all bits of x are set.
func (f SMBFlags) Has(x SMBFlags) bool { return f&x == x }

// flagName names one bit of a flags word, for its String method.
type flagName[T ~uint8 | ~uint16] struct {
	bit  T
	name string
}

// flagNames lists the names of the bits set in f, in table order, joined
// by ", " as tshark's flag lines do.
func flagNames[T ~uint8 | ~uint16](f T, names []flagName[T]) string {
	var b []byte
	for _, n := range names {
		if f&n.bit == n.bit {
			if len(b) > 0 {
				b = append(b, ", "...)
			}
			b = append(b, n.name...)
		}
	}
	return string(b)
}

var smbFlagsNames = [...]flagName[SMBFlags]{
	{SMBFlagsReply, "Request/Response"}, {SMBFlagsOpbatch, "Notify"}, {SMBFlagsOplock, "Oplocks"},
	{SMBFlagsCanonicalizedPaths, "Canonicalized Pathnames"}, {SMBFlagsCaseInsensitive, "Case Sensitivity"},
	{SMBFlagsBufAvail, "Receive Buffer Posted"}, {SMBFlagsLockAndReadOK, "Lock and Read"},
}

// String lists the set bits the way tshark's Flags line does
// ("Request/Response, Canonicalized Pathnames").
func (f SMBFlags) String() string { return flagNames(f, smbFlagsNames[:]) }

// SMBFlags2 is the header's Flags2 word ([MS-CIFS] §2.2.3.1).
type SMBFlags2 uint16

// SMB header Flags2 bits.
const (
	SMBFlags2LongNames        SMBFlags2 = 0x0001
	SMBFlags2EAs              SMBFlags2 = 0x0002
	SMBFlags2SMBSecuritySig   SMBFlags2 = 0x0004
	SMBFlags2Compressed       SMBFlags2 = 0x0008
	SMBFlags2SecuritySigReq   SMBFlags2 = 0x0010
	SMBFlags2IsLongName       SMBFlags2 = 0x0040
	SMBFlags2ReparsePath      SMBFlags2 = 0x0400
	SMBFlags2ExtendedSecurity SMBFlags2 = 0x0800
	SMBFlags2DFS              SMBFlags2 = 0x1000
	SMBFlags2PagingIO         SMBFlags2 = 0x2000
	SMBFlags2NTStatus         SMBFlags2 = 0x4000
	SMBFlags2Unicode          SMBFlags2 = 0x8000
)

// Has reports whether all bits of x are set.
func (f SMBFlags2) Has(x SMBFlags2) bool { return f&x == x }

var smbFlags2Names = [...]flagName[SMBFlags2]{
	{SMBFlags2Unicode, "Unicode Strings"}, {SMBFlags2NTStatus, "Error Code Type"},
	{SMBFlags2PagingIO, "Execute-only Reads"}, {SMBFlags2DFS, "Dfs"},
	{SMBFlags2ExtendedSecurity, "Extended Security Negotiation"}, {SMBFlags2ReparsePath, "Reparse Path"},
	{SMBFlags2IsLongName, "Long Names Used"}, {SMBFlags2SecuritySigReq, "Security Signatures Required"},
	{SMBFlags2Compressed, "Compressed"}, {SMBFlags2SMBSecuritySig, "Security Signatures"},
	{SMBFlags2EAs, "Extended Attributes"}, {SMBFlags2LongNames, "Long Names Allowed"},
}

// String lists the set bits the way tshark's Flags2 line does.
func (f SMBFlags2) String() string { return flagNames(f, smbFlags2Names[:]) }

// SMB error classes for DOS-style status ([MS-CIFS] §2.2.2.4).
const (
	SMBErrClassSuccess uint8 = 0x00
	SMBErrClassDOS     uint8 = 0x01 // ERRDOS
	SMBErrClassSRV     uint8 = 0x02 // ERRSRV
	SMBErrClassHRD     uint8 = 0x03 // ERRHRD
	SMBErrClassCMD     uint8 = 0xff // ERRCMD
)

// NT status codes that matter around a RAP call ([MS-ERREF] §2.3.1).
const (
	StatusSuccess                 uint32 = 0x00000000
	StatusMoreProcessingRequired  uint32 = 0xc0000016
	StatusBufferOverflow          uint32 = 0x80000005
	StatusAccessDenied            uint32 = 0xc0000022
	StatusLogonFailure            uint32 = 0xc000006d
	StatusBadNetworkName          uint32 = 0xc00000cc
	StatusNotSupported            uint32 = 0xc00000bb
	smbNTStatusSeverityMask       uint32 = 0xc0000000
	smbNTStatusSeverityError      uint32 = 0xc0000000
	smbCapUnicode                 uint32 = 0x00000004
	smbCapExtendedSecurity        uint32 = 0x80000000
	smbSessionSetupActionGuest    uint16 = 0x0001
	smbTreeConnectExtendedResp    uint16 = 0x0008
	smbTreeConnectDisconnectTID   uint16 = 0x0001
	smbTreeConnectExtendedSig     uint16 = 0x0004
	smbSecurityModeUser           uint16 = 0x0001
	smbSecurityModeEncrypt        uint16 = 0x0002
	smbSecurityModeSignatures     uint16 = 0x0004
	smbSecurityModeSignaturesReq  uint16 = 0x0008
	smbRawModeRead                uint16 = 0x0001
	smbRawModeWrite               uint16 = 0x0002
	smbDialectBufferFormat        uint8  = 0x02
	smbNTLMSSPNegotiate           uint32 = 1
	smbNTLMSSPChallenge           uint32 = 2
	smbNTLMSSPAuth                uint32 = 3
	smbNTLMSSPNegotiateUnicode    uint32 = 0x00000001
	smbFiletimeUnixEpochDelta100n uint64 = 116444736000000000
)

// NTStatusName is Wireshark's name for an NT status ("STATUS_ACCESS_DENIED"),
// or "" when it has none.
func NTStatusName(code uint32) string {
	lo, hi := 0, len(ntStatusNames)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ntStatusNames[m].code < code {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(ntStatusNames) && ntStatusNames[lo].code == code {
		return ntStatusNames[lo].name
	}
	return ""
}

// SMBErrorString is Wireshark's text for a DOS-style error: "Bad userid",
// "Unknown SRV error (846)", "No Error" for class 0, "Unknown error class!"
// for classes it does not know.
func SMBErrorString(class uint8, code uint16) string {
	return string(appendSMBError(nil, class, code))
}

func appendSMBError(b []byte, class uint8, code uint16) []byte {
	var tab map[uint16]string
	var unk string
	switch class {
	case SMBErrClassSuccess:
		return append(b, "No Error"...)
	case SMBErrClassDOS:
		tab, unk = dosErrorNames, "Unknown DOS error ("
	case SMBErrClassSRV:
		tab, unk = srvErrorNames, "Unknown SRV error ("
	case SMBErrClassHRD:
		tab, unk = hrdErrorNames, "Unknown HRD error ("
	default:
		return append(b, "Unknown error class!"...)
	}
	if n, ok := tab[code]; ok {
		return append(b, n...)
	}
	b = append(b, unk...)
	b = strconv.AppendUint(b, uint64(code), 16)
	return append(b, ')')
}

// appendNTStatus appends the status name, or "Unknown (0xC1234567)" as the
// info column spells an unknown one.
func appendNTStatus(b []byte, code uint32) []byte {
	if n := NTStatusName(code); n != "" {
		return append(b, n...)
	}
	b = append(b, "Unknown (0x"...)
	for i := 28; i >= 0; i -= 4 {
		b = append(b, "0123456789ABCDEF"[(code>>uint(i))&0xf])
	}
	return append(b, ')')
}

// Bounds.
const (
	// MaxAndXCommands bounds the command blocks of one SMB1 message.
	MaxAndXCommands = 8
	// MaxDialects bounds the dialects read from a NEGOTIATE request.
	MaxDialects  = 64
	smbHeaderLen = 32
)

var smbProtocolID = []byte{0xff, 'S', 'M', 'B'}

// Field registrations. The 57 smb.* fields of the embedded tshark list come
// from it; the others carry tshark 4.0's names, types and bases (tshark -G
// fields) so that -T fields and filters read the same.
var (
	fSMB                    = RegisterField(FieldInfo{Abbrev: "smb", Name: "SMB (Server Message Block Protocol)", Type: FTProtocol})
	fSMBCmd                 = WiresharkField("smb.cmd")
	fSMBWordCount           = WiresharkField("smb.wct")
	fSMBByteCount           = WiresharkField("smb.bcc")
	fSMBNTStatus            = WiresharkField("smb.nt_status")
	fSMBErrorClass          = WiresharkField("smb.error_class")
	fSMBErrorCode           = WiresharkField("smb.error_code")
	fSMBPID                 = WiresharkField("smb.pid")
	fSMBPIDHigh             = WiresharkField("smb.pid.high")
	fSMBTID                 = WiresharkField("smb.tid")
	fSMBUID                 = WiresharkField("smb.uid")
	fSMBMID                 = WiresharkField("smb.mid")
	fSMBFlags               = WiresharkField("smb.flags")
	fSMBFlagsLock           = WiresharkField("smb.flags.lock")
	fSMBFlagsReceiveBuffer  = WiresharkField("smb.flags.receive_buffer")
	fSMBFlagsCaseless       = WiresharkField("smb.flags.caseless")
	fSMBFlagsCanon          = WiresharkField("smb.flags.canon")
	fSMBFlagsOplock         = WiresharkField("smb.flags.oplock")
	fSMBFlagsNotify         = WiresharkField("smb.flags.notify")
	fSMBFlagsResponse       = WiresharkField("smb.flags.response")
	fSMBFlags2              = WiresharkField("smb.flags2")
	fSMBFlags2LongNames     = WiresharkField("smb.flags2.long_names_allowed")
	fSMBFlags2EA            = WiresharkField("smb.flags2.ea")
	fSMBFlags2SecSig        = WiresharkField("smb.flags2.sec_sig")
	fSMBFlags2Compressed    = WiresharkField("smb.flags2.compressed")
	fSMBFlags2SecSigReq     = WiresharkField("smb.flags2.sec_sig_required")
	fSMBFlags2LongNamesUsed = WiresharkField("smb.flags2.long_names_used")
	fSMBFlags2ReparsePath   = WiresharkField("smb.flags2.reparse_path")
	fSMBFlags2ESN           = WiresharkField("smb.flags2.esn")
	fSMBFlags2DFS           = WiresharkField("smb.flags2.dfs")
	fSMBFlags2ROE           = WiresharkField("smb.flags2.roe")
	fSMBFlags2NTError       = WiresharkField("smb.flags2.nt_error")
	fSMBFlags2String        = WiresharkField("smb.flags2.string")
	fSMBDialect             = WiresharkField("smb.dialect")
	fSMBDialectName         = WiresharkField("smb.dialect.name")
	fSMBDialectIndex        = WiresharkField("smb.dialect.index")
	fSMBPrimaryDomain       = WiresharkField("smb.primary_domain")
	fSMBPath                = WiresharkField("smb.path")
	fSMBService             = WiresharkField("smb.service")
	fSMBPadding             = WiresharkField("smb.padding")
	fSMBTimeout             = WiresharkField("smb.timeout")
	fSMBAccount             = WiresharkField("smb.account")
	fSMBNativeOS            = WiresharkField("smb.native_os")
	fSMBNativeLanMan        = WiresharkField("smb.native_lanman")
	fSMBSetupAction         = WiresharkField("smb.setup.action")
	fSMBSetupActionGuest    = WiresharkField("smb.setup.action.guest")
	fSMBMaxSetupCount       = WiresharkField("smb.msc")
	fSMBTotalParamCount     = WiresharkField("smb.tpc")
	fSMBTotalDataCount      = WiresharkField("smb.tdc")
	fSMBMaxParamCount       = WiresharkField("smb.mpc")
	fSMBMaxDataCount        = WiresharkField("smb.mdc")
	fSMBParamDisp           = WiresharkField("smb.pd")
	fSMBParamCount          = WiresharkField("smb.pc")
	fSMBParamOffset         = WiresharkField("smb.po")
	fSMBDataCount           = WiresharkField("smb.dc")
	fSMBDataDisp            = WiresharkField("smb.data_disp")
	fSMBSetupCount          = WiresharkField("smb.sc")
	fSMBTransName           = WiresharkField("smb.trans_name")

	fSMBServerComponent         = RegisterField(FieldInfo{Abbrev: "smb.server_component", Name: "Server Component", Type: FTUint32, Base: BaseHex})
	fSMBReserved                = RegisterField(FieldInfo{Abbrev: "smb.reserved", Name: "Reserved", Type: FTBytes})
	fSMBSignature               = RegisterField(FieldInfo{Abbrev: "smb.signature", Name: "Signature", Type: FTBytes})
	fSMBAndXOffset              = RegisterField(FieldInfo{Abbrev: "smb.andxoffset", Name: "AndXOffset", Type: FTUint16, Base: BaseDec})
	fSMBBufferFormat            = RegisterField(FieldInfo{Abbrev: "smb.buffer_format", Name: "Buffer Format", Type: FTUint8, Base: BaseDec})
	fSMBSecurityMode            = RegisterField(FieldInfo{Abbrev: "smb.sm", Name: "Security Mode", Type: FTUint8, Base: BaseHex})
	fSMBSecurityModeMode        = RegisterField(FieldInfo{Abbrev: "smb.sm.mode", Name: "Mode", Type: FTBoolean, Bits: 8})
	fSMBSecurityModePassword    = RegisterField(FieldInfo{Abbrev: "smb.sm.password", Name: "Password", Type: FTBoolean, Bits: 8})
	fSMBSecurityModeSignatures  = RegisterField(FieldInfo{Abbrev: "smb.sm.signatures", Name: "Signatures", Type: FTBoolean, Bits: 8})
	fSMBSecurityModeSigRequired = RegisterField(FieldInfo{Abbrev: "smb.sm.sig_required", Name: "Sig Req", Type: FTBoolean, Bits: 8})
	fSMBMaxMpxCount             = RegisterField(FieldInfo{Abbrev: "smb.max_mpx_count", Name: "Max Mpx Count", Type: FTUint16, Base: BaseDec})
	fSMBMaxVCs                  = RegisterField(FieldInfo{Abbrev: "smb.max_vcs", Name: "Max VCs", Type: FTUint16, Base: BaseDec})
	fSMBMaxBufSize              = RegisterField(FieldInfo{Abbrev: "smb.max_bufsize", Name: "Max Buffer Size", Type: FTUint32, Base: BaseDec})
	fSMBMaxRaw                  = RegisterField(FieldInfo{Abbrev: "smb.max_raw", Name: "Max Raw Buffer", Type: FTUint32, Base: BaseDec})
	fSMBSessionKey              = RegisterField(FieldInfo{Abbrev: "smb.session_key", Name: "Session Key", Type: FTUint32, Base: BaseHex})
	fSMBCapabilities            = RegisterField(FieldInfo{Abbrev: "smb.server_cap", Name: "Capabilities", Type: FTUint32, Base: BaseHex})
	fSMBSystemTime              = RegisterField(FieldInfo{Abbrev: "smb.system.time", Name: "System Time", Type: FTAbsTime})
	fSMBServerTimeZone          = RegisterField(FieldInfo{Abbrev: "smb.server_timezone", Name: "Server Time Zone", Type: FTInt16, Base: BaseDec})
	fSMBChallengeLength         = RegisterField(FieldInfo{Abbrev: "smb.challenge_length", Name: "Challenge Length", Type: FTUint16, Base: BaseDec})
	fSMBChallenge               = RegisterField(FieldInfo{Abbrev: "smb.challenge", Name: "Challenge", Type: FTBytes})
	fSMBServer                  = RegisterField(FieldInfo{Abbrev: "smb.server", Name: "Server", Type: FTString})
	// smb.server_guid is an FT_GUID in tshark; nbtsniff keeps the text
	// tshark prints for it ("2cd03d3f-b200-e14f-bdd4-c8b70c275666").
	fSMBServerGUID          = RegisterField(FieldInfo{Abbrev: "smb.server_guid", Name: "Server GUID", Type: FTString})
	fSMBSecurityBlob        = RegisterField(FieldInfo{Abbrev: "smb.security_blob", Name: "Security Blob", Type: FTBytes})
	fSMBSecurityBlobLen     = RegisterField(FieldInfo{Abbrev: "smb.security_blob_len", Name: "Security Blob Length", Type: FTUint16, Base: BaseDec})
	fSMBMaxBuf              = RegisterField(FieldInfo{Abbrev: "smb.max_buf", Name: "Max Buffer", Type: FTUint16, Base: BaseDec})
	fSMBVC                  = RegisterField(FieldInfo{Abbrev: "smb.vc", Name: "VC Number", Type: FTUint16, Base: BaseDec})
	fSMBANSIPasswordLen     = RegisterField(FieldInfo{Abbrev: "smb.ansi_pwlen", Name: "ANSI Password Length", Type: FTUint16, Base: BaseDec})
	fSMBUnicodePasswordLen  = RegisterField(FieldInfo{Abbrev: "smb.unicode_pwlen", Name: "Unicode Password Length", Type: FTUint16, Base: BaseDec})
	fSMBANSIPassword        = RegisterField(FieldInfo{Abbrev: "smb.ansi_password", Name: "ANSI Password", Type: FTBytes})
	fSMBUnicodePassword     = RegisterField(FieldInfo{Abbrev: "smb.unicode_password", Name: "Unicode Password", Type: FTBytes})
	fSMBPasswordLen         = RegisterField(FieldInfo{Abbrev: "smb.pwlen", Name: "Password Length", Type: FTUint16, Base: BaseDec})
	fSMBPassword            = RegisterField(FieldInfo{Abbrev: "smb.password", Name: "Password", Type: FTBytes})
	fSMBConnectFlags        = RegisterField(FieldInfo{Abbrev: "smb.connect.flags", Name: "Flags", Type: FTUint16, Base: BaseHex})
	fSMBConnectFlagsDTID    = RegisterField(FieldInfo{Abbrev: "smb.connect.flags.dtid", Name: "Disconnect TID", Type: FTBoolean, Bits: 16})
	fSMBConnectFlagsExtSig  = RegisterField(FieldInfo{Abbrev: "smb.connect.flags.extendedsig", Name: "Extended Signature", Type: FTBoolean, Bits: 16})
	fSMBConnectFlagsExtResp = RegisterField(FieldInfo{Abbrev: "smb.connect.flags.extendedresp", Name: "Extended Response", Type: FTBoolean, Bits: 16})
	fSMBConnectSupport      = RegisterField(FieldInfo{Abbrev: "smb.connect.support", Name: "Optional Support", Type: FTUint16, Base: BaseHex})
	fSMBAccessMask          = RegisterField(FieldInfo{Abbrev: "smb.access_mask", Name: "Access Mask", Type: FTUint32, Base: BaseHex})
	fSMBNativeFS            = RegisterField(FieldInfo{Abbrev: "smb.native_fs", Name: "Native File System", Type: FTString})
	fSMBExtraByteParameters = RegisterField(FieldInfo{Abbrev: "smb.extra_byte_parameters", Name: "Extra byte parameters", Type: FTBytes})
	fSMBRawMode             = RegisterField(FieldInfo{Abbrev: "smb.rm", Name: "Raw Mode", Type: FTUint16, Base: BaseHex})
	fSMBRawModeRead         = RegisterField(FieldInfo{Abbrev: "smb.rm.read", Name: "Read Raw", Type: FTBoolean, Bits: 16})
	fSMBRawModeWrite        = RegisterField(FieldInfo{Abbrev: "smb.rm.write", Name: "Write Raw", Type: FTBoolean, Bits: 16})
	fSMBServerDateTime      = RegisterField(FieldInfo{Abbrev: "smb.server_date_time", Name: "Server Date and Time", Type: FTAbsTime})
	fSMBServerDate          = RegisterField(FieldInfo{Abbrev: "smb.server_date_time.smb_date", Name: "Server Date", Type: FTUint16, Base: BaseHex})
	fSMBServerTime          = RegisterField(FieldInfo{Abbrev: "smb.server_date_time.smb_time", Name: "Server Time", Type: FTUint16, Base: BaseHex})
	fSMBMappedIn            = RegisterField(FieldInfo{Abbrev: "smb.fid.mapped_in", Name: "Mapped in", Type: FTFrameNum})
)

func init() {
	SetValues(fSMBCmd, func(v uint64) string {
		if SMBCommand(v) == SMBComNoAndXCommand {
			// Only an AndX chain says 0xff (as tshark words its
			// AndXCommand); a header never does.
			return "No further commands"
		}
		return SMBCommand(v).String()
	})
	SetValues(fSMBNTStatus, func(v uint64) string {
		if n := NTStatusName(uint32(v)); n != "" {
			return n
		}
		return "Unknown"
	})
	SetValues(fSMBErrorClass, func(v uint64) string {
		switch v {
		case 0:
			return "Success"
		case 1:
			return "DOS Error"
		case 2:
			return "Server Error"
		case 3:
			return "Hardware Error"
		case 4:
			return "Command Error - Not an SMB format command"
		}
		return "Unknown"
	})
	SetValues(fSMBBufferFormat, func(v uint64) string {
		switch v {
		case 1:
			return "Data Block"
		case 2:
			return "Dialect"
		case 3:
			return "Pathname"
		case 4:
			return "ASCII"
		case 5:
			return "Variable Block"
		}
		return "Unknown"
	})
}

// SMBString is a string from an SMB byte block ([MS-CIFS] §2.2.1.1).
type SMBString struct {
	// Present is false when the byte block ended before the string.
	Present bool
	// Off and Len locate the string on the wire (from the header start),
	// terminator included, Unicode alignment pad excluded.
	Off, Len int
	// Text is the string without its terminator as UTF-8: it aliases the
	// message for plain ASCII, else the decoder's scratch space. Either
	// way it is valid until the next DecodeFromBytes. Wire bytes are kept
	// as they are (control characters included): printers escape them.
	Text []byte
}

// SMBDialect is one dialect string of a NEGOTIATE request ([MS-CIFS]
// §2.2.4.52.1).
type SMBDialect struct {
	Off, Len     int   // buffer format byte to terminator, inclusive
	BufferFormat uint8 // 0x02
	Name         []byte
}

// NegotiateRequest is the body of SMB_COM_NEGOTIATE sent by a client
// ([MS-CIFS] §2.2.4.52.1): the dialects it offers, in order (the response
// picks one by index).
type NegotiateRequest struct {
	Dialects []SMBDialect
}

// NegotiateResponse is the body of an SMB_COM_NEGOTIATE response ([MS-CIFS]
// §2.2.4.52.2): WordCount 17 for NT LM 0.12, 13 for the LANMAN dialects, 1
// for the core protocol (DialectIndex only). DialectIndex 0xFFFF means none
// of the offered dialects was accepted.
type NegotiateResponse struct {
	DialectIndex uint16
	SecurityMode uint16 // 8 bits in WordCount 17, 16 in WordCount 13
	MaxMpxCount  uint16
	MaxNumberVCs uint16
	// MaxBufferSize is 32 bits in WordCount 17 and 16 in WordCount 13.
	MaxBufferSize uint32
	MaxRawSize    uint32 // WordCount 17
	RawMode       uint16 // WordCount 13
	SessionKey    uint32
	Capabilities  uint32 // WordCount 17
	// SystemTime is a FILETIME (100 ns since 1601) in WordCount 17.
	SystemTime uint64
	// ServerDate and ServerTime are SMB_DATE/SMB_TIME in WordCount 13.
	ServerDate, ServerTime uint16
	ServerTimeZone         int16 // minutes from UTC
	ChallengeLength        uint16
	// Extended security (CAP_EXTENDED_SECURITY in WordCount 17): the
	// server GUID and the security blob (SPNEGO).
	ServerGUID   []byte
	SecurityBlob []byte
	// Otherwise: the challenge and the domain and server names.
	Challenge  []byte
	DomainName SMBString
	ServerName SMBString
}

// ExtendedSecurity reports whether the response is the extended security
// form (CAP_EXTENDED_SECURITY, [MS-CIFS] §2.2.4.52.2).
func (r *NegotiateResponse) ExtendedSecurity() bool {
	return r.Capabilities&smbCapExtendedSecurity != 0
}

// SystemTimeUnixNano converts SystemTime to Unix nanoseconds.
func (r *NegotiateResponse) SystemTimeUnixNano() int64 { return filetimeUnixNano(r.SystemTime) }

// NTLMSSPMessage is what nbtsniff reads of an NTLMSSP message found in a
// security blob ([MS-NLMP] §2.2.1): its type and, for AUTHENTICATE, the
// domain and user names (as tshark shows them in the info column).
type NTLMSSPMessage struct {
	Type   uint32 // 1 NEGOTIATE, 2 CHALLENGE, 3 AUTHENTICATE; 0 if none found
	Flags  uint32 // NegotiateFlags, for AUTHENTICATE
	Domain []byte // UTF-8
	User   []byte // UTF-8
}

// SessionSetupAndXRequest is the body of an SMB_COM_SESSION_SETUP_ANDX
// request ([MS-CIFS] §2.2.4.53.1 for NT LM 0.12, WordCount 13; [MS-SMB]
// §2.2.4.6.1 for extended security, WordCount 12; the LANMAN form,
// WordCount 10, has one password and no capabilities).
type SessionSetupAndXRequest struct {
	MaxBufferSize uint16
	MaxMpxCount   uint16
	VCNumber      uint16
	SessionKey    uint32
	// PasswordLength and Password: WordCount 10.
	PasswordLength uint16
	Password       []byte
	// OEMPasswordLength, UnicodePasswordLength and the passwords:
	// WordCount 13.
	OEMPasswordLength     uint16
	UnicodePasswordLength uint16
	OEMPassword           []byte
	UnicodePassword       []byte
	// SecurityBlobLength and SecurityBlob: WordCount 12.
	SecurityBlobLength uint16
	SecurityBlob       []byte
	Reserved           uint32
	Capabilities       uint32 // WordCount 12 and 13
	AccountName        SMBString
	PrimaryDomain      SMBString
	NativeOS           SMBString
	NativeLanMan       SMBString
	// NTLMSSP is the NTLMSSP message found in SecurityBlob, if any.
	NTLMSSP NTLMSSPMessage
}

// Anonymous reports whether this is an anonymous (null session) logon: no
// account and no domain name (tshark's "User: anonymous"), or an NTLMSSP
// AUTHENTICATE with an empty user name.
func (r *SessionSetupAndXRequest) Anonymous() bool {
	if r.NTLMSSP.Type == smbNTLMSSPAuth {
		return len(r.NTLMSSP.User) == 0
	}
	return len(r.AccountName.Text) == 0 && len(r.PrimaryDomain.Text) == 0
}

// SessionSetupAndXResponse is the body of an SMB_COM_SESSION_SETUP_ANDX
// response ([MS-CIFS] §2.2.4.53.2, WordCount 3; [MS-SMB] §2.2.4.6.2,
// WordCount 4 with a security blob).
type SessionSetupAndXResponse struct {
	Action             uint16
	SecurityBlobLength uint16
	SecurityBlob       []byte
	NativeOS           SMBString
	NativeLanMan       SMBString
	PrimaryDomain      SMBString
	NTLMSSP            NTLMSSPMessage
}

// Guest reports the Action guest bit: the server logged the user on as
// guest ([MS-CIFS] §2.2.4.53.2 SMB_SETUP_GUEST).
func (r *SessionSetupAndXResponse) Guest() bool { return r.Action&smbSessionSetupActionGuest != 0 }

// TreeConnectAndXRequest is the body of an SMB_COM_TREE_CONNECT_ANDX
// request ([MS-CIFS] §2.2.4.55.1).
type TreeConnectAndXRequest struct {
	Flags          uint16
	PasswordLength uint16
	Password       []byte
	Path           SMBString // \\SERVER\SHARE, such as \\HOST\IPC$
	Service        SMBString // "?????", "IPC", "A:": always OEM
}

// TreeConnectAndXResponse is the body of an SMB_COM_TREE_CONNECT_ANDX
// response ([MS-CIFS] §2.2.4.55.2, WordCount 3; WordCount 2 from older
// servers; [MS-SMB] §2.2.4.7.2, WordCount 7 with the access rights).
type TreeConnectAndXResponse struct {
	OptionalSupport               uint16
	MaximalShareAccessRights      uint32
	GuestMaximalShareAccessRights uint32
	Service                       SMBString
	NativeFileSystem              SMBString
}

// NTCreateAndX is what nbtsniff reads of SMB_COM_NT_CREATE_ANDX
// ([MS-CIFS] §2.2.4.64): the file name of a request (WordCount 24: a named
// pipe such as \srvsvc on IPC$) and the FID of a response, which tshark
// puts in the info column. The other fields are not decoded.
type NTCreateAndX struct {
	FileName SMBString // request
	FID      uint16    // response (0 in an error response)
}

// SMBForm says which decoded form of an SMBCommandBlock is filled.
type SMBForm uint8

// Decoded forms.
const (
	SMBFormNone SMBForm = iota // only WordCount, words, ByteCount and bytes
	SMBFormNegotiateRequest
	SMBFormNegotiateResponse
	SMBFormSessionSetupRequest
	SMBFormSessionSetupResponse
	SMBFormTreeConnectRequest
	SMBFormTreeConnectResponse
	SMBFormTrans // Trans: SMB_COM_TRANSACTION and its secondary
	SMBFormEmpty // a body that has no fields: TREE_DISCONNECT, LOGOFF_ANDX, an error response
	SMBFormNTCreate
	SMBFormTrans2             // Trans: SMB_COM_TRANSACTION2 and its secondary
	SMBFormNTTrans            // NTTrans: SMB_COM_NT_TRANSACT and its secondary
	SMBFormReadAndXResponse   // ReadAndXResponse
	SMBFormWriteAndXRequest   // WriteAndXRequest
	SMBFormLockingAndXRequest // LockingAndXRequest
	SMBFormReadAndXRequest    // ReadAndXRequest
	SMBFormCloseRequest       // CloseFID
)

// SMBCommandBlock is one command of a message: its parameter and data
// blocks ([MS-CIFS] §2.2.3.2, §2.2.3.3) and, for the commands nbtsniff
// decodes, the decoded body (Form says which field holds it).
type SMBCommandBlock struct {
	Command SMBCommand
	// Off is the offset of the WordCount byte from the header start.
	Off       int
	WordCount uint8
	Words     []byte // 2 × WordCount bytes (fewer if the message ended)
	// HasByteCount is false when the message ended before ByteCount.
	HasByteCount bool
	ByteCount    uint16
	Bytes        []byte // ByteCount bytes (fewer if the message ended)
	// AndX header (AndX commands with WordCount >= 2).
	AndX         bool
	AndXCommand  SMBCommand
	AndXReserved uint8
	AndXOffset   uint16

	Form                 SMBForm
	NegotiateRequest     NegotiateRequest
	NegotiateResponse    NegotiateResponse
	SessionSetupRequest  SessionSetupAndXRequest
	SessionSetupResponse SessionSetupAndXResponse
	TreeConnectRequest   TreeConnectAndXRequest
	TreeConnectResponse  TreeConnectAndXResponse
	Trans                Trans
	NTCreate             NTCreateAndX
	NTTrans              NTTrans
	ReadAndXResponse     ReadAndXResponse
	WriteAndXRequest     WriteAndXRequest
	LockingAndXRequest   LockingAndXRequest
	ReadAndXRequest      ReadAndXRequest
	CloseFID             uint16 // SMB_COM_CLOSE request's FID

	// Extra is the rest of the byte block that no field took (tshark's
	// "Extra byte parameters").
	Extra    []byte
	extraOff int
	// decoded bytes of the block (where the body's emitter stops)
	bytesOff int
	err      error
}

// BytesOff is the offset of the byte block from the header start (after
// the words: 2 × WordCount bytes, except in the NT Create AndX extended
// response, see decodeBlock).
func (b *SMBCommandBlock) BytesOff() int {
	return b.Off + 1 + max(len(b.Words), 2*int(b.WordCount)) + 2
}

// End is the offset just after the block's bytes.
func (b *SMBCommandBlock) End() int { return b.BytesOff() + len(b.Bytes) }

// SMB is an SMB1 message: the header and its command blocks
// ([MS-CIFS] §2.2.3). It is a gopacket DecodingLayer; DecodeFromBytes takes
// one whole message (an NBSS message payload on TCP 139/445, or the user
// data of a NetBIOS datagram on UDP 138).
type SMB struct {
	Command SMBCommand
	// Status is the raw status field. When Flags2 has NT_STATUS it is an
	// NT status ([MS-ERREF] §2.3); else ErrorClass and ErrorCode are the
	// DOS-style error ([MS-CIFS] §2.2.2.4).
	Status           uint32
	ErrorClass       uint8
	ErrorCode        uint16
	Flags            SMBFlags
	Flags2           SMBFlags2
	PIDHigh          uint16
	SecurityFeatures []byte // 8 bytes: the signature
	Reserved         uint16
	TID              uint16
	PIDLow           uint16
	UID              uint16
	MID              uint16

	// Commands is the command block, or the AndX chain of blocks, at most
	// MaxAndXCommands.
	Commands []SMBCommandBlock

	// TreePath and TreeMappedIn are not decoded: the engine sets them
	// (after DecodeFromBytes, before AppendTree) from its tree-connect
	// tracker, and AppendTree then shows the share path of TID and the
	// frame that mapped it, as tshark does ([Path] and [Mapped in] under
	// Tree ID).
	TreePath     []byte
	TreeMappedIn int

	// Err is the error DecodeFromBytes returned, nil on success.
	Err error

	data     []byte
	hdrLen   int
	strBuf   []byte
	dialects []SMBDialect
}

// LayerType is LayerTypeSMB.
func (s *SMB) LayerType() gopacket.LayerType { return LayerTypeSMB }

// CanDecode is LayerTypeSMB.
func (s *SMB) CanDecode() gopacket.LayerClass { return LayerTypeSMB }

// NextLayerType is LayerTypeSMBTrans for a transaction, else zero: the
// engine hands a transaction to the reassembler and then to the mailslot or
// RAP decoders, which read Trans() rather than a payload.
func (s *SMB) NextLayerType() gopacket.LayerType {
	if s.Trans() != nil {
		return LayerTypeSMBTrans
	}
	return gopacket.LayerTypeZero
}

// LayerContents is the whole message.
func (s *SMB) LayerContents() []byte { return s.data }

// LayerPayload is nil: an SMB message carries no contiguous payload.
func (s *SMB) LayerPayload() []byte { return nil }

// IsResponse reports the Flags reply bit (SMB_FLAGS_REPLY).
func (s *SMB) IsResponse() bool { return s.Flags.Has(SMBFlagsReply) }

// PID is PIDHigh:PIDLow ([MS-CIFS] §2.2.3.1).
func (s *SMB) PID() uint32 { return uint32(s.PIDHigh)<<16 | uint32(s.PIDLow) }

// Unicode reports whether strings are UTF-16 (SMB_FLAGS2_UNICODE).
func (s *SMB) Unicode() bool { return s.Flags2.Has(SMBFlags2Unicode) }

// NTStatus reports whether Status is an NT status (SMB_FLAGS2_NT_STATUS).
func (s *SMB) NTStatus() bool { return s.Flags2.Has(SMBFlags2NTStatus) }

// IsError reports a response that failed, as tshark decides to append
// ", Error: ..." to the info column: an NT status of severity error
// (0xC0000000 and up, STATUS_MORE_PROCESSING_REQUIRED included; warnings
// such as STATUS_BUFFER_OVERFLOW are not), or a DOS error class other than
// 0.
func (s *SMB) IsError() bool {
	if !s.IsResponse() || s.hdrLen < smbHeaderLen {
		return false
	}
	if s.NTStatus() {
		return s.Status&smbNTStatusSeverityMask == smbNTStatusSeverityError
	}
	return s.ErrorClass != SMBErrClassSuccess
}

// Trans returns the transaction of a SMB_COM_TRANSACTION or
// SMB_COM_TRANSACTION_SECONDARY message (decoded as far as it could be),
// or nil.
func (s *SMB) Trans() *Trans {
	if len(s.Commands) > 0 && s.Commands[0].Form == SMBFormTrans {
		return &s.Commands[0].Trans
	}
	return nil
}

// Data returns the message DecodeFromBytes was given.
func (s *SMB) Data() []byte { return s.data }

func (s *SMB) reset() {
	cmds, sb, dl := s.Commands[:0], s.strBuf[:0], s.dialects[:0]
	*s = SMB{}
	s.Commands, s.strBuf, s.dialects = cmds, sb, dl
}

// DecodeFromBytes decodes one SMB1 message: the header, then each command
// block of the AndX chain. Slices alias data. On error the decoded part is
// kept and Err is set.
func (s *SMB) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	s.reset()
	s.data = data
	if len(data) < 4 || !bytes.Equal(data[:4], smbProtocolID) {
		s.hdrLen = min(len(data), 4)
		if len(data) < 4 {
			return s.fail(Truncated("smb", "protocol", 0, 4, len(data)), df)
		}
		return s.fail(Malformed("smb", "protocol", 0, "not \\xffSMB"), df)
	}
	if len(data) < smbHeaderLen {
		s.hdrLen = len(data)
		s.decodeHeader(data)
		return s.fail(Truncated("smb", "header", 0, smbHeaderLen, len(data)), df)
	}
	s.hdrLen = smbHeaderLen
	s.decodeHeader(data)
	if s.Command == SMBComNoAndXCommand {
		// tshark shows no body for a header command of 0xFF.
		return nil
	}
	cmd, off := s.Command, smbHeaderLen
	for {
		if len(s.Commands) == MaxAndXCommands {
			return s.fail(Limit("smb", "andx chain", off, "more than "+strconv.Itoa(MaxAndXCommands)+" commands"), df)
		}
		s.Commands = growOne(s.Commands)
		b := &s.Commands[len(s.Commands)-1]
		if err := s.decodeBlock(b, cmd, off); err != nil {
			b.err = err
			return s.fail(err, df)
		}
		if !b.AndX || b.AndXCommand == SMBComNoAndXCommand {
			return nil
		}
		// [MS-CIFS] §2.2.3.4: the next block starts at AndXOffset. It
		// must move forward past this block's parameter words and stay
		// inside the message; anything else would loop or read the header.
		next := int(b.AndXOffset)
		wordsEnd := b.Off + 1 + 2*int(b.WordCount)
		if next <= b.Off || next < wordsEnd+2 {
			return s.fail(Malformed("smb", "andx offset", b.Off+3, "offset "+strconv.Itoa(next)+" does not move forward (loop)"), df)
		}
		if next >= len(data) {
			return s.fail(Truncated("smb", "andx command", next, next+1, len(data)), df)
		}
		cmd, off = b.AndXCommand, next
	}
}

func (s *SMB) fail(err error, df gopacket.DecodeFeedback) error {
	s.Err = err
	if df != nil {
		df.SetTruncated()
	}
	return err
}

func (s *SMB) decodeHeader(d []byte) {
	if len(d) > 4 {
		s.Command = SMBCommand(d[4])
	}
	if len(d) >= 9 {
		s.Status = binary.LittleEndian.Uint32(d[5:])
		s.ErrorClass = d[5]
		s.ErrorCode = binary.LittleEndian.Uint16(d[7:])
	}
	if len(d) >= 10 {
		s.Flags = SMBFlags(d[9])
	}
	if len(d) < smbHeaderLen {
		return
	}
	s.Flags2 = SMBFlags2(binary.LittleEndian.Uint16(d[10:]))
	s.PIDHigh = binary.LittleEndian.Uint16(d[12:])
	s.SecurityFeatures = d[14:22]
	s.Reserved = binary.LittleEndian.Uint16(d[22:])
	s.TID = binary.LittleEndian.Uint16(d[24:])
	s.PIDLow = binary.LittleEndian.Uint16(d[26:])
	s.UID = binary.LittleEndian.Uint16(d[28:])
	s.MID = binary.LittleEndian.Uint16(d[30:])
}

// decodeBlock reads the parameter and data blocks at off and decodes the
// body of the commands nbtsniff knows.
func (s *SMB) decodeBlock(b *SMBCommandBlock, cmd SMBCommand, off int) error {
	d := s.data
	b.Command = cmd
	b.Off = off
	if off >= len(d) {
		return Truncated("smb", "word count", off, off+1, len(d))
	}
	b.WordCount = d[off]
	wStart := off + 1
	wEnd := wStart + 2*int(b.WordCount)
	if cmd == SMBComNTCreateAndX && s.IsResponse() && b.WordCount == 42 {
		// The extended response ([MS-SMB] §2.2.4.9.2) says WordCount
		// 42 but carries 50 words (100 bytes: VolumeGUID, FileId and
		// the two access masks follow the 34 words of [MS-CIFS]
		// §2.2.4.64.2); ByteCount comes after them, where tshark reads
		// it (capture nbss139-smb1-smia2011-deduped-msgs_nemesys-cut,
		// frame 135: ByteCount at header offset 133).
		wEnd = wStart + 100
	}
	if wEnd > len(d) {
		b.Words = d[wStart:]
		return Truncated("smb", cmdField(cmd, "parameter words"), wStart, wEnd, len(d))
	}
	b.Words = d[wStart:wEnd]
	if cmd.IsAndX() && b.WordCount >= 2 {
		b.AndX = true
		b.AndXCommand = SMBCommand(b.Words[0])
		b.AndXReserved = b.Words[1]
		b.AndXOffset = binary.LittleEndian.Uint16(b.Words[2:])
	}
	if wEnd+2 > len(d) {
		return Truncated("smb", cmdField(cmd, "byte count"), wEnd, wEnd+2, len(d))
	}
	b.HasByteCount = true
	b.ByteCount = binary.LittleEndian.Uint16(d[wEnd:])
	bStart := wEnd + 2
	bEnd := bStart + int(b.ByteCount)
	var truncErr error
	if bEnd > len(d) {
		if !ntCreateResponse(cmd, s.IsResponse()) {
			truncErr = Truncated("smb", cmdField(cmd, "byte block"), bStart, bEnd, len(d))
		}
		bEnd = len(d)
	}
	b.Bytes = d[bStart:bEnd]
	b.bytesOff = bStart
	b.extraOff = -1
	err := s.decodeBody(b)
	if truncErr != nil {
		// The message ended inside the byte block: anything the body
		// found missing is missing for that reason.
		err = truncErr
	}
	if (b.Form == SMBFormTrans || b.Form == SMBFormTrans2) && b.Trans.Err == nil {
		b.Trans.Err = err
	}
	if err == nil && b.Form != SMBFormNone && b.Form != SMBFormTrans && b.Form != SMBFormTrans2 && b.Form != SMBFormNTCreate && b.bytesOff < b.End() {
		// What no field took: tshark's "Extra byte parameters".
		b.Extra, b.extraOff = s.data[b.bytesOff:b.End()], b.bytesOff
	}
	return err
}

// ntCreateResponse: an NT Create AndX response has no byte block
// to decode, and the extended response's ByteCount, which [MS-SMB]
// §2.2.4.9.2 says MUST be 0, is often garbage from real servers (Windows
// Server 2003 in the zeek mapi and SMIA captures of ../shared/pcaps: 25991
// to 34511 with no byte following). tshark shows that count and clamps it
// to the message without a complaint (packet-smb.c, END_OF_SMB); so does
// nbtsniff, rather than calling the frame malformed.
func ntCreateResponse(cmd SMBCommand, resp bool) bool {
	return cmd == SMBComNTCreateAndX && resp
}

// cmdField names a field of a command for error messages without
// allocating on the success path.
func cmdField(cmd SMBCommand, what string) string {
	return string(cmd.appendName(nil)) + " " + what
}

func (s *SMB) decodeBody(b *SMBCommandBlock) error {
	resp := s.IsResponse()
	wc := b.WordCount
	if b.Command == SMBComNTCreateAndX {
		// the info column's Path or FID only; the block is shown as it is
		b.Form = SMBFormNTCreate
		switch {
		case !resp && wc == 24:
			s.readString(b.bytesOff, b.End(), s.Unicode(), false, &b.NTCreate.FileName)
		case resp && len(b.Words) >= 7: // AndX header, OplockLevel, FID
			b.NTCreate.FID = binary.LittleEndian.Uint16(b.Words[5:])
		}
		return nil
	}
	if resp && wc == 0 && b.ByteCount == 0 && b.Command != SMBComTreeDisconnect {
		// An error response carries neither words nor bytes
		// ([MS-CIFS] §3.3.4.1.2), and so does a bare success for some
		// commands.
		b.Form = SMBFormEmpty
		return nil
	}
	switch b.Command {
	case SMBComNegotiate:
		if !resp {
			return s.decodeNegotiateRequest(b)
		}
		return s.decodeNegotiateResponse(b)
	case SMBComSessionSetupAndX:
		if !resp {
			return s.decodeSessionSetupRequest(b)
		}
		return s.decodeSessionSetupResponse(b)
	case SMBComTreeConnectAndX:
		if !resp {
			return s.decodeTreeConnectRequest(b)
		}
		return s.decodeTreeConnectResponse(b)
	case SMBComTreeDisconnect:
		b.Form = SMBFormEmpty
	case SMBComLogoffAndX:
		if wc == 2 {
			b.Form = SMBFormEmpty
		}
	case SMBComEcho:
		// not decoded: words and bytes are shown as they are
	case SMBComTransaction, SMBComTransactionSecondary, SMBComTransaction2, SMBComTransaction2Secondary:
		return s.decodeTrans(b)
	case SMBComNTTransact, SMBComNTTransactSecondary:
		return s.decodeNTTrans(b)
	case SMBComReadAndX:
		if resp {
			return s.decodeReadAndXResponse(b)
		}
		s.decodeReadAndXRequest(b)
	case SMBComClose:
		if !resp && wc == 3 { // [MS-CIFS] §2.2.4.5.1: FID, LastTimeModified
			b.CloseFID = binary.LittleEndian.Uint16(b.Words)
			b.Form = SMBFormCloseRequest
		}
	case SMBComWriteAndX:
		if !resp {
			return s.decodeWriteAndXRequest(b)
		}
	case SMBComLockingAndX:
		if !resp {
			s.decodeLockingAndXRequest(b)
		}
	}
	return nil
}

// readString reads an SMB_STRING at off inside the byte block that ends at
// end ([MS-CIFS] §2.2.1.1). A Unicode string is first aligned to an even
// offset from the header start unless noPad. It returns the offset after
// the string; ok is false when no byte was left for it (tshark then shows
// nothing more of the command).
func (s *SMB) readString(off, end int, unicode, noPad bool, out *SMBString) (next int, ok bool) {
	*out = SMBString{}
	if off >= end {
		return off, false
	}
	d := s.data[:end]
	if unicode {
		if !noPad && off%2 == 1 {
			off++
			if off >= end {
				return off, false
			}
		}
		n := end - off
		text := off + n
		for i := off; i+1 < end; i += 2 {
			if d[i] == 0 && d[i+1] == 0 {
				n = i + 2 - off
				text = i
				break
			}
		}
		out.Present, out.Off, out.Len = true, off, n
		out.Text = s.appendUTF16(d[off:text])
		return off + n, true
	}
	n := end - off
	text := end
	if i := bytes.IndexByte(d[off:], 0); i >= 0 {
		n = i + 1
		text = off + i
	}
	out.Present, out.Off, out.Len = true, off, n
	out.Text = s.ascii(d[off:text])
	return off + n, true
}

// ascii returns b as tshark reads an ASCII string: bytes 0x80-0xFF become
// U+FFFD. Plain ASCII is returned as is (aliasing the message).
func (s *SMB) ascii(b []byte) []byte {
	for i, c := range b {
		if c >= 0x80 {
			start := len(s.strBuf)
			s.strBuf = append(s.strBuf, b[:i]...)
			for _, c := range b[i:] {
				if c >= 0x80 {
					s.strBuf = utf8.AppendRune(s.strBuf, utf8.RuneError)
				} else {
					s.strBuf = append(s.strBuf, c)
				}
			}
			return s.strBuf[start:len(s.strBuf):len(s.strBuf)]
		}
	}
	return b
}

// appendUTF16 decodes UTF-16LE (an odd last byte is ignored) into the
// scratch space. A lone surrogate becomes '?', as tshark 4.0 shows it.
func (s *SMB) appendUTF16(b []byte) []byte {
	start := len(s.strBuf)
	s.strBuf = appendUTF16LE(s.strBuf, b)
	return s.strBuf[start:len(s.strBuf):len(s.strBuf)]
}

func appendUTF16LE(dst, b []byte) []byte {
	for i := 0; i+1 < len(b); i += 2 {
		r := rune(binary.LittleEndian.Uint16(b[i:]))
		switch {
		case r >= 0xd800 && r < 0xdc00:
			if i+3 < len(b) {
				r2 := rune(binary.LittleEndian.Uint16(b[i+2:]))
				if r2 >= 0xdc00 && r2 < 0xe000 {
					dst = utf8.AppendRune(dst, 0x10000+(r-0xd800)<<10+(r2-0xdc00))
					i += 2
					continue
				}
			}
			dst = append(dst, '?')
		case r >= 0xdc00 && r < 0xe000:
			dst = append(dst, '?')
		case r < 0x80:
			dst = append(dst, byte(r))
		default:
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}

// take returns n bytes at off of the byte block, or what is left of it;
// ok is false if the block holds fewer than n bytes.
func take(d []byte, off, end, n int) ([]byte, bool) {
	if n <= end-off {
		return d[off : off+n], true
	}
	if off > end {
		off = end
	}
	return d[off:end], false
}

func (s *SMB) decodeNegotiateRequest(b *SMBCommandBlock) error {
	b.Form = SMBFormNegotiateRequest
	r := &b.NegotiateRequest
	// The dialects live in the decoder's slice, reused message after
	// message.
	start := len(s.dialects)
	defer func() { r.Dialects = s.dialects[start:len(s.dialects):len(s.dialects)] }()
	off, end := b.bytesOff, b.End()
	for off < end {
		if len(s.dialects)-start == MaxDialects {
			b.bytesOff = off
			return Limit("smb", "negotiate dialects", off, "more than "+strconv.Itoa(MaxDialects)+" dialects")
		}
		dl := SMBDialect{Off: off, BufferFormat: s.data[off]}
		var str SMBString
		next, _ := s.readString(off+1, end, false, true, &str)
		dl.Name = str.Text
		dl.Len = next - off
		s.dialects = append(s.dialects, dl)
		off = next
	}
	b.bytesOff = off
	return nil
}

func (s *SMB) decodeNegotiateResponse(b *SMBCommandBlock) error {
	b.Form = SMBFormNegotiateResponse
	r := &b.NegotiateResponse
	w := b.Words
	if len(w) >= 2 {
		r.DialectIndex = binary.LittleEndian.Uint16(w)
	}
	d, off, end := s.data, b.bytesOff, b.End()
	switch b.WordCount {
	case 17:
		r.SecurityMode = uint16(w[2])
		r.MaxMpxCount = binary.LittleEndian.Uint16(w[3:])
		r.MaxNumberVCs = binary.LittleEndian.Uint16(w[5:])
		r.MaxBufferSize = binary.LittleEndian.Uint32(w[7:])
		r.MaxRawSize = binary.LittleEndian.Uint32(w[11:])
		r.SessionKey = binary.LittleEndian.Uint32(w[15:])
		r.Capabilities = binary.LittleEndian.Uint32(w[19:])
		r.SystemTime = binary.LittleEndian.Uint64(w[23:])
		r.ServerTimeZone = int16(binary.LittleEndian.Uint16(w[31:]))
		r.ChallengeLength = uint16(w[33])
		if r.ExtendedSecurity() {
			var ok bool
			if r.ServerGUID, ok = take(d, off, end, 16); !ok {
				b.bytesOff = end
				return Malformed("smb", "negotiate server GUID", off, "outside the byte block")
			}
			off += 16
			r.SecurityBlob = d[off:end]
			off = end
			break
		}
		var ok bool
		if r.Challenge, ok = take(d, off, end, int(r.ChallengeLength)); !ok {
			b.bytesOff = end
			return Malformed("smb", "negotiate challenge", off, "outside the byte block")
		}
		off += int(r.ChallengeLength)
		// The domain is Unicode when the server says so in its
		// capabilities, and is not aligned (tshark does the same).
		uni := s.Unicode() || r.Capabilities&smbCapUnicode != 0
		if off, ok = s.readString(off, end, uni, true, &r.DomainName); ok {
			off, _ = s.readString(off, end, uni, true, &r.ServerName)
		}
	case 13:
		r.SecurityMode = binary.LittleEndian.Uint16(w[2:])
		r.MaxBufferSize = uint32(binary.LittleEndian.Uint16(w[4:]))
		r.MaxMpxCount = binary.LittleEndian.Uint16(w[6:])
		r.MaxNumberVCs = binary.LittleEndian.Uint16(w[8:])
		r.RawMode = binary.LittleEndian.Uint16(w[10:])
		r.SessionKey = binary.LittleEndian.Uint32(w[12:])
		r.ServerTime = binary.LittleEndian.Uint16(w[16:])
		r.ServerDate = binary.LittleEndian.Uint16(w[18:])
		r.ServerTimeZone = int16(binary.LittleEndian.Uint16(w[20:]))
		r.ChallengeLength = binary.LittleEndian.Uint16(w[22:])
		var ok bool
		if r.Challenge, ok = take(d, off, end, int(r.ChallengeLength)); !ok {
			b.bytesOff = end
			return Malformed("smb", "negotiate challenge", off, "outside the byte block")
		}
		off += int(r.ChallengeLength)
		off, _ = s.readString(off, end, s.Unicode(), false, &r.DomainName)
	}
	b.bytesOff = off
	return nil
}

func (s *SMB) decodeSessionSetupRequest(b *SMBCommandBlock) error {
	r := &b.SessionSetupRequest
	w := b.Words
	d, off, end := s.data, b.bytesOff, b.End()
	var ok bool
	switch b.WordCount {
	case 10, 12, 13:
		b.Form = SMBFormSessionSetupRequest
		r.MaxBufferSize = binary.LittleEndian.Uint16(w[4:])
		r.MaxMpxCount = binary.LittleEndian.Uint16(w[6:])
		r.VCNumber = binary.LittleEndian.Uint16(w[8:])
		r.SessionKey = binary.LittleEndian.Uint32(w[10:])
	default:
		return nil
	}
	switch b.WordCount {
	case 10:
		r.PasswordLength = binary.LittleEndian.Uint16(w[14:])
		r.Reserved = binary.LittleEndian.Uint32(w[16:])
		if r.Password, ok = take(d, off, end, int(r.PasswordLength)); !ok {
			b.bytesOff = end
			return Malformed("smb", "session setup password", off, "outside the byte block")
		}
		off += len(r.Password)
	case 12:
		r.SecurityBlobLength = binary.LittleEndian.Uint16(w[14:])
		r.Reserved = binary.LittleEndian.Uint32(w[16:])
		r.Capabilities = binary.LittleEndian.Uint32(w[20:])
		if r.SecurityBlob, ok = take(d, off, end, int(r.SecurityBlobLength)); !ok {
			b.bytesOff = end
			return Malformed("smb", "session setup security blob", off, "outside the byte block")
		}
		off += len(r.SecurityBlob)
		s.ntlmssp(r.SecurityBlob, &r.NTLMSSP)
		b.bytesOff = s.readStrings(off, end, &r.NativeOS, &r.NativeLanMan, &r.PrimaryDomain, nil)
		return nil
	case 13:
		r.OEMPasswordLength = binary.LittleEndian.Uint16(w[14:])
		r.UnicodePasswordLength = binary.LittleEndian.Uint16(w[16:])
		r.Reserved = binary.LittleEndian.Uint32(w[18:])
		r.Capabilities = binary.LittleEndian.Uint32(w[22:])
		if r.OEMPassword, ok = take(d, off, end, int(r.OEMPasswordLength)); !ok {
			b.bytesOff = end
			return Malformed("smb", "session setup OEM password", off, "outside the byte block")
		}
		off += len(r.OEMPassword)
		if r.UnicodePassword, ok = take(d, off, end, int(r.UnicodePasswordLength)); !ok {
			b.bytesOff = end
			return Malformed("smb", "session setup Unicode password", off, "outside the byte block")
		}
		off += len(r.UnicodePassword)
	}
	b.bytesOff = s.readStrings(off, end, &r.AccountName, &r.PrimaryDomain, &r.NativeOS, &r.NativeLanMan)
	return nil
}

// readStrings reads up to four strings in a row (in the message's string
// encoding), stopping at the first the byte block has no room for. A nil
// pointer ends the list. It returns the offset after the last one read.
func (s *SMB) readStrings(off, end int, a, b, c, d *SMBString) int {
	uni := s.Unicode()
	for _, p := range [...]*SMBString{a, b, c, d} {
		if p == nil {
			break
		}
		var ok bool
		if off, ok = s.readString(off, end, uni, false, p); !ok {
			break
		}
	}
	return off
}

func (s *SMB) decodeSessionSetupResponse(b *SMBCommandBlock) error {
	r := &b.SessionSetupResponse
	w := b.Words
	d, off, end := s.data, b.bytesOff, b.End()
	b.Form = SMBFormSessionSetupResponse
	switch b.WordCount {
	case 3:
		r.Action = binary.LittleEndian.Uint16(w[4:])
	case 4:
		r.Action = binary.LittleEndian.Uint16(w[4:])
		r.SecurityBlobLength = binary.LittleEndian.Uint16(w[6:])
		var ok bool
		if r.SecurityBlob, ok = take(d, off, end, int(r.SecurityBlobLength)); !ok {
			b.bytesOff = end
			return Malformed("smb", "session setup security blob", off, "outside the byte block")
		}
		off += len(r.SecurityBlob)
		s.ntlmssp(r.SecurityBlob, &r.NTLMSSP)
	default:
		b.Form = SMBFormNone
		return nil
	}
	b.bytesOff = s.readStrings(off, end, &r.NativeOS, &r.NativeLanMan, &r.PrimaryDomain, nil)
	return nil
}

func (s *SMB) decodeTreeConnectRequest(b *SMBCommandBlock) error {
	r := &b.TreeConnectRequest
	if b.WordCount != 4 {
		return nil
	}
	b.Form = SMBFormTreeConnectRequest
	w := b.Words
	r.Flags = binary.LittleEndian.Uint16(w[4:])
	r.PasswordLength = binary.LittleEndian.Uint16(w[6:])
	d, off, end := s.data, b.bytesOff, b.End()
	var ok bool
	if r.Password, ok = take(d, off, end, int(r.PasswordLength)); !ok {
		b.bytesOff = end
		return Malformed("smb", "tree connect password", off, "outside the byte block")
	}
	off += len(r.Password)
	if off, ok = s.readString(off, end, s.Unicode(), false, &r.Path); ok {
		off, _ = s.readString(off, end, false, true, &r.Service)
	}
	b.bytesOff = off
	return nil
}

func (s *SMB) decodeTreeConnectResponse(b *SMBCommandBlock) error {
	r := &b.TreeConnectResponse
	w := b.Words
	b.Form = SMBFormTreeConnectResponse
	switch b.WordCount {
	case 2:
	case 3:
		r.OptionalSupport = binary.LittleEndian.Uint16(w[4:])
	case 7:
		r.OptionalSupport = binary.LittleEndian.Uint16(w[4:])
		r.MaximalShareAccessRights = binary.LittleEndian.Uint32(w[6:])
		r.GuestMaximalShareAccessRights = binary.LittleEndian.Uint32(w[10:])
	default:
		b.Form = SMBFormNone
		return nil
	}
	off, end := b.bytesOff, b.End()
	var ok bool
	if off, ok = s.readString(off, end, false, true, &r.Service); ok {
		off, _ = s.readString(off, end, s.Unicode(), false, &r.NativeFileSystem)
	}
	b.bytesOff = off
	return nil
}

// ntlmssp finds an NTLMSSP message in a security blob (raw, or inside
// SPNEGO: the signature is searched for) and reads its type and, for
// AUTHENTICATE, the domain and user ([MS-NLMP] §2.2.1.3).
func (s *SMB) ntlmssp(blob []byte, m *NTLMSSPMessage) {
	*m = NTLMSSPMessage{}
	i := bytes.Index(blob, ntlmsspSignature)
	if i < 0 || len(blob)-i < 12 {
		return
	}
	msg := blob[i:]
	m.Type = binary.LittleEndian.Uint32(msg[8:])
	if m.Type != smbNTLMSSPAuth || len(msg) < 64 {
		return
	}
	m.Flags = binary.LittleEndian.Uint32(msg[60:])
	uni := m.Flags&smbNTLMSSPNegotiateUnicode != 0
	m.Domain = s.ntlmField(msg, 28, uni)
	m.User = s.ntlmField(msg, 36, uni)
}

var ntlmsspSignature = []byte("NTLMSSP\x00")

// ntlmField reads an NTLMSSP security buffer (Len, MaxLen, Offset from the
// message start) at at.
func (s *SMB) ntlmField(msg []byte, at int, uni bool) []byte {
	n := int(binary.LittleEndian.Uint16(msg[at:]))
	o := int(binary.LittleEndian.Uint32(msg[at+4:]))
	if n == 0 || o < 0 || o > len(msg) || n > len(msg)-o {
		return nil
	}
	if uni {
		return s.appendUTF16(msg[o : o+n])
	}
	return s.ascii(msg[o : o+n])
}

// filetimeUnixNano converts a FILETIME (100 ns since 1601-01-01 UTC) to
// Unix nanoseconds ([MS-DTYP] §2.3.3). Zero stays zero.
func filetimeUnixNano(ft uint64) int64 {
	if ft == 0 {
		return 0
	}
	return (int64(ft) - int64(smbFiletimeUnixEpochDelta100n)) * 100
}

// dosDateTimeUnixNano converts SMB_DATE and SMB_TIME ([MS-CIFS] §2.2.1.4)
// to Unix nanoseconds, reading them as UTC as tshark does.
func dosDateTimeUnixNano(date, tm uint16) int64 {
	y := int(date>>9) + 1980
	mo := int(date>>5) & 0xf
	dd := int(date) & 0x1f
	h := int(tm >> 11)
	mi := int(tm>>5) & 0x3f
	sec := int(tm&0x1f) * 2
	days := daysFromCivil(y, mo, dd)
	return ((days*24+int64(h))*3600 + int64(mi)*60 + int64(sec)) * 1e9
}

// daysFromCivil counts days from 1970-01-01 (proleptic Gregorian).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// appendGUID formats 16 bytes as tshark prints smb.server_guid: the bytes
// in wire order, grouped 4-2-2-2-6.
func appendGUID(b, g []byte) []byte {
	for i, x := range g {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hexdigits[x>>4], hexdigits[x&0xf])
	}
	return b
}

// smbBlockLabels holds the heading of every command block, "Trans Request
// (0x25)", built once so that AppendTree does not allocate.
var smbBlockLabels = func() (l [256][2]string) {
	for c := range l {
		name := string(SMBCommand(c).appendName(nil))
		code := " (0x" + string([]byte{hexdigits[c>>4], hexdigits[c&0xf]}) + ")"
		l[c][0] = name + " Request" + code
		l[c][1] = name + " Response" + code
	}
	return l
}()

// smbFields is every field AppendTree may add below the protocol node:
// with none of them wanted, it adds that node only (see FieldSet).
var smbFields = NewFieldSet("smb")

// AppendTree adds the "smb" protocol: the "SMB Header" subtree, then one
// subtree per command block, fields in tshark's order. Offsets are from the
// header start (the caller sets t.Base).
func (s *SMB) AppendTree(t *Tree) {
	depth := t.Depth()
	t.Open(fSMB, 0, len(s.data))
	if !t.WantsSet(smbFields) {
		t.CloseTo(depth) // -T fields prints none of its fields
		return
	}
	s.appendHeader(t)
	for i := range s.Commands {
		s.appendBlock(t, &s.Commands[i])
		t.CloseTo(depth + 1)
	}
	if s.Err != nil {
		t.CloseTo(depth + 1)
		off, n := 0, len(s.data)
		var de *DecodeError
		if asDecodeError(s.Err, &de) && de.Offset >= 0 && de.Offset <= len(s.data) {
			off, n = de.Offset, len(s.data)-de.Offset
		}
		t.Expert("[Malformed: "+s.Err.Error()+"]", off, n)
	}
	t.CloseTo(depth)
}

func asDecodeError(err error, de **DecodeError) bool {
	d, ok := err.(*DecodeError)
	if ok {
		*de = d
	}
	return ok
}

func (s *SMB) appendHeader(t *Tree) {
	d := s.data
	n := s.hdrLen
	t.OpenText("SMB Header", 0, n)
	defer t.Close()
	if n >= 4 {
		t.Uint(fSMBServerComponent, 0, 4, uint64(binary.LittleEndian.Uint32(d)))
	}
	if n >= 5 {
		t.Uint(fSMBCmd, 4, 1, uint64(s.Command))
	}
	if n < 9 {
		return
	}
	if n >= 12 && s.NTStatus() {
		t.Uint(fSMBNTStatus, 5, 4, uint64(s.Status))
	} else {
		t.Uint(fSMBErrorClass, 5, 1, uint64(s.ErrorClass))
		t.Bytes(fSMBReserved, 6, 1, d[6:7])
		t.Uint(fSMBErrorCode, 7, 2, uint64(s.ErrorCode))
	}
	if n < 10 {
		return
	}
	t.Open(fSMBFlags, 9, 1).U = uint64(s.Flags)
	for _, fb := range [...]struct {
		f   FieldID
		bit SMBFlags
	}{
		{fSMBFlagsResponse, SMBFlagsReply}, {fSMBFlagsNotify, SMBFlagsOpbatch}, {fSMBFlagsOplock, SMBFlagsOplock},
		{fSMBFlagsCanon, SMBFlagsCanonicalizedPaths}, {fSMBFlagsCaseless, SMBFlagsCaseInsensitive},
		{fSMBFlagsReceiveBuffer, SMBFlagsBufAvail}, {fSMBFlagsLock, SMBFlagsLockAndReadOK},
	} {
		t.Bool(fb.f, 9, 1, s.Flags.Has(fb.bit))
	}
	t.Close()
	if n < 12 {
		return
	}
	t.Open(fSMBFlags2, 10, 2).U = uint64(s.Flags2)
	for _, fb := range [...]struct {
		f   FieldID
		bit SMBFlags2
	}{
		{fSMBFlags2String, SMBFlags2Unicode}, {fSMBFlags2NTError, SMBFlags2NTStatus},
		{fSMBFlags2ROE, SMBFlags2PagingIO}, {fSMBFlags2DFS, SMBFlags2DFS},
		{fSMBFlags2ESN, SMBFlags2ExtendedSecurity}, {fSMBFlags2ReparsePath, SMBFlags2ReparsePath},
		{fSMBFlags2LongNamesUsed, SMBFlags2IsLongName}, {fSMBFlags2SecSigReq, SMBFlags2SecuritySigReq},
		{fSMBFlags2Compressed, SMBFlags2Compressed}, {fSMBFlags2SecSig, SMBFlags2SMBSecuritySig},
		{fSMBFlags2EA, SMBFlags2EAs}, {fSMBFlags2LongNames, SMBFlags2LongNames},
	} {
		t.Bool(fb.f, 10, 2, s.Flags2.Has(fb.bit))
	}
	t.Close()
	if n < smbHeaderLen {
		return
	}
	t.Uint(fSMBPIDHigh, 12, 2, uint64(s.PIDHigh))
	t.Bytes(fSMBSignature, 14, 8, s.SecurityFeatures)
	t.Bytes(fSMBReserved, 22, 2, d[22:24])
	if s.TreePath != nil || s.TreeMappedIn > 0 {
		t.Open(fSMBTID, 24, 2).U = uint64(s.TID)
		if s.TreePath != nil {
			t.Bytes(fSMBPath, 24, 0, s.TreePath).Flags |= NodeGenerated
		}
		if s.TreeMappedIn > 0 {
			t.Uint(fSMBMappedIn, 24, 0, uint64(s.TreeMappedIn)).Flags |= NodeGenerated
		}
		t.Close()
	} else {
		t.Uint(fSMBTID, 24, 2, uint64(s.TID))
	}
	t.Uint(fSMBPID, 26, 2, uint64(s.PIDLow))
	t.Uint(fSMBUID, 28, 2, uint64(s.UID))
	t.Uint(fSMBMID, 30, 2, uint64(s.MID))
}

// str adds a string field if the string was present.
func str(t *Tree, f FieldID, v *SMBString) {
	if v.Present {
		t.Bytes(f, v.Off, v.Len, v.Text)
	}
}

func (s *SMB) appendBlock(t *Tree, b *SMBCommandBlock) {
	if b.Off >= len(s.data) {
		return // the message ended before the word count
	}
	resp := 0
	if s.IsResponse() {
		resp = 1
	}
	end := b.Off + 1 + len(b.Words)
	if b.HasByteCount {
		end = b.End()
	}
	t.OpenText(smbBlockLabels[b.Command][resp], b.Off, end-b.Off)
	t.Uint(fSMBWordCount, b.Off, 1, uint64(b.WordCount))
	if len(b.Words) < 2*int(b.WordCount) {
		return // the message ended inside the words
	}
	w := b.Off + 1 // offset of the words
	if b.AndX {
		t.Uint(fSMBCmd, w, 1, uint64(b.AndXCommand)).Label = "AndXCommand" // tshark's name on this line
		t.Bytes(fSMBReserved, w+1, 1, b.Words[1:2])
		t.Uint(fSMBAndXOffset, w+2, 2, uint64(b.AndXOffset))
	}
	bcc := func() {
		if b.HasByteCount {
			t.Uint(fSMBByteCount, w+len(b.Words), 2, uint64(b.ByteCount))
		}
	}
	switch b.Form {
	case SMBFormNegotiateRequest:
		bcc()
		s.appendNegotiateRequest(t, b)
	case SMBFormNegotiateResponse:
		s.appendNegotiateResponse(t, b, bcc)
	case SMBFormSessionSetupRequest:
		s.appendSessionSetupRequest(t, b, bcc)
	case SMBFormSessionSetupResponse:
		r := &b.SessionSetupResponse
		t.Open(fSMBSetupAction, w+4, 2).U = uint64(r.Action)
		t.Bool(fSMBSetupActionGuest, w+4, 2, r.Guest())
		t.Close()
		if b.WordCount == 4 {
			t.Uint(fSMBSecurityBlobLen, w+6, 2, uint64(r.SecurityBlobLength))
		}
		bcc()
		if len(r.SecurityBlob) > 0 {
			t.Bytes(fSMBSecurityBlob, b.BytesOff(), len(r.SecurityBlob), r.SecurityBlob)
		}
		str(t, fSMBNativeOS, &r.NativeOS)
		str(t, fSMBNativeLanMan, &r.NativeLanMan)
		str(t, fSMBPrimaryDomain, &r.PrimaryDomain)
	case SMBFormTreeConnectRequest:
		r := &b.TreeConnectRequest
		t.Open(fSMBConnectFlags, w+4, 2).U = uint64(r.Flags)
		t.Bool(fSMBConnectFlagsDTID, w+4, 2, r.Flags&smbTreeConnectDisconnectTID != 0)
		t.Bool(fSMBConnectFlagsExtSig, w+4, 2, r.Flags&smbTreeConnectExtendedSig != 0)
		t.Bool(fSMBConnectFlagsExtResp, w+4, 2, r.Flags&smbTreeConnectExtendedResp != 0)
		t.Close()
		t.Uint(fSMBPasswordLen, w+6, 2, uint64(r.PasswordLength))
		bcc()
		if r.PasswordLength > 0 {
			t.Bytes(fSMBPassword, b.BytesOff(), len(r.Password), r.Password)
		}
		str(t, fSMBPath, &r.Path)
		str(t, fSMBService, &r.Service)
	case SMBFormTreeConnectResponse:
		r := &b.TreeConnectResponse
		if b.WordCount >= 3 {
			t.Uint(fSMBConnectSupport, w+4, 2, uint64(r.OptionalSupport))
		}
		if b.WordCount == 7 {
			t.OpenText("Maximal Share Access Rights", w+6, 4)
			t.Uint(fSMBAccessMask, w+6, 4, uint64(r.MaximalShareAccessRights))
			t.Close()
			t.OpenText("Guest Maximal Share Access Rights", w+10, 4)
			t.Uint(fSMBAccessMask, w+10, 4, uint64(r.GuestMaximalShareAccessRights))
			t.Close()
		}
		bcc()
		str(t, fSMBService, &r.Service)
		str(t, fSMBNativeFS, &r.NativeFileSystem)
	case SMBFormTrans, SMBFormTrans2:
		s.appendTrans(t, b)
	default:
		if !s.appendCmdBody(t, b, w, bcc) {
			bcc()
		}
	}
	if len(b.Extra) > 0 {
		t.Bytes(fSMBExtraByteParameters, b.extraOff, len(b.Extra), b.Extra)
	}
}

func (s *SMB) appendNegotiateRequest(t *Tree, b *SMBCommandBlock) {
	r := &b.NegotiateRequest
	if len(r.Dialects) == 0 {
		return
	}
	t.OpenText("Requested Dialects", b.BytesOff(), b.bytesOff-b.BytesOff())
	for i := range r.Dialects {
		dl := &r.Dialects[i]
		t.Open(fSMBDialect, dl.Off, dl.Len).S = dl.Name
		t.Uint(fSMBBufferFormat, dl.Off, 1, uint64(dl.BufferFormat))
		if dl.Len > 1 {
			t.Bytes(fSMBDialectName, dl.Off+1, dl.Len-1, dl.Name)
		}
		t.Close()
	}
	t.Close()
}

func (s *SMB) appendNegotiateResponse(t *Tree, b *SMBCommandBlock, bcc func()) {
	r := &b.NegotiateResponse
	w := b.Off + 1
	if b.WordCount >= 1 {
		t.Uint(fSMBDialectIndex, w, 2, uint64(r.DialectIndex))
	}
	boff := b.BytesOff()
	switch b.WordCount {
	case 17:
		t.Open(fSMBSecurityMode, w+2, 1).U = uint64(r.SecurityMode)
		t.Bool(fSMBSecurityModeMode, w+2, 1, r.SecurityMode&smbSecurityModeUser != 0)
		t.Bool(fSMBSecurityModePassword, w+2, 1, r.SecurityMode&smbSecurityModeEncrypt != 0)
		t.Bool(fSMBSecurityModeSignatures, w+2, 1, r.SecurityMode&smbSecurityModeSignatures != 0)
		t.Bool(fSMBSecurityModeSigRequired, w+2, 1, r.SecurityMode&smbSecurityModeSignaturesReq != 0)
		t.Close()
		t.Uint(fSMBMaxMpxCount, w+3, 2, uint64(r.MaxMpxCount))
		t.Uint(fSMBMaxVCs, w+5, 2, uint64(r.MaxNumberVCs))
		t.Uint(fSMBMaxBufSize, w+7, 4, uint64(r.MaxBufferSize))
		t.Uint(fSMBMaxRaw, w+11, 4, uint64(r.MaxRawSize))
		t.Uint(fSMBSessionKey, w+15, 4, uint64(r.SessionKey))
		t.Uint(fSMBCapabilities, w+19, 4, uint64(r.Capabilities))
		t.Uint(fSMBSystemTime, w+23, 8, uint64(r.SystemTimeUnixNano()))
		t.Int(fSMBServerTimeZone, w+31, 2, int64(r.ServerTimeZone))
		t.Uint(fSMBChallengeLength, w+33, 1, uint64(r.ChallengeLength))
		bcc()
		if r.ExtendedSecurity() {
			if len(r.ServerGUID) == 16 {
				g := t.Keep(appendGUID(t.Buf(), r.ServerGUID))
				t.Bytes(fSMBServerGUID, boff, 16, g)
			}
			if len(r.SecurityBlob) > 0 {
				t.Bytes(fSMBSecurityBlob, boff+16, len(r.SecurityBlob), r.SecurityBlob)
			}
			return
		}
		if len(r.Challenge) > 0 {
			t.Bytes(fSMBChallenge, boff, len(r.Challenge), r.Challenge)
		}
		str(t, fSMBPrimaryDomain, &r.DomainName)
		str(t, fSMBServer, &r.ServerName)
	case 13:
		t.Open(fSMBSecurityMode, w+2, 2).U = uint64(r.SecurityMode)
		t.Bool(fSMBSecurityModeMode, w+2, 2, r.SecurityMode&smbSecurityModeUser != 0)
		t.Bool(fSMBSecurityModePassword, w+2, 2, r.SecurityMode&smbSecurityModeEncrypt != 0)
		t.Close()
		t.Uint(fSMBMaxBufSize, w+4, 2, uint64(r.MaxBufferSize))
		t.Uint(fSMBMaxMpxCount, w+6, 2, uint64(r.MaxMpxCount))
		t.Uint(fSMBMaxVCs, w+8, 2, uint64(r.MaxNumberVCs))
		t.Open(fSMBRawMode, w+10, 2).U = uint64(r.RawMode)
		t.Bool(fSMBRawModeRead, w+10, 2, r.RawMode&smbRawModeRead != 0)
		t.Bool(fSMBRawModeWrite, w+10, 2, r.RawMode&smbRawModeWrite != 0)
		t.Close()
		t.Uint(fSMBSessionKey, w+12, 4, uint64(r.SessionKey))
		t.Open(fSMBServerDateTime, w+16, 4).U = uint64(dosDateTimeUnixNano(r.ServerDate, r.ServerTime))
		t.Uint(fSMBServerTime, w+16, 2, uint64(r.ServerTime))
		t.Uint(fSMBServerDate, w+18, 2, uint64(r.ServerDate))
		t.Close()
		t.Int(fSMBServerTimeZone, w+20, 2, int64(r.ServerTimeZone))
		t.Uint(fSMBChallengeLength, w+22, 2, uint64(r.ChallengeLength))
		t.Bytes(fSMBReserved, w+24, 2, b.Words[24:26])
		bcc()
		if len(r.Challenge) > 0 {
			t.Bytes(fSMBChallenge, boff, len(r.Challenge), r.Challenge)
		}
		str(t, fSMBPrimaryDomain, &r.DomainName)
	default:
		bcc()
	}
}

func (s *SMB) appendSessionSetupRequest(t *Tree, b *SMBCommandBlock, bcc func()) {
	r := &b.SessionSetupRequest
	w := b.Off + 1
	t.Uint(fSMBMaxBuf, w+4, 2, uint64(r.MaxBufferSize))
	t.Uint(fSMBMaxMpxCount, w+6, 2, uint64(r.MaxMpxCount))
	t.Uint(fSMBVC, w+8, 2, uint64(r.VCNumber))
	t.Uint(fSMBSessionKey, w+10, 4, uint64(r.SessionKey))
	off := b.BytesOff()
	switch b.WordCount {
	case 10:
		t.Uint(fSMBPasswordLen, w+14, 2, uint64(r.PasswordLength))
		t.Bytes(fSMBReserved, w+16, 4, b.Words[16:20])
		bcc()
		if r.PasswordLength > 0 {
			t.Bytes(fSMBPassword, off, len(r.Password), r.Password)
		}
	case 12:
		t.Uint(fSMBSecurityBlobLen, w+14, 2, uint64(r.SecurityBlobLength))
		t.Bytes(fSMBReserved, w+16, 4, b.Words[16:20])
		t.Uint(fSMBCapabilities, w+20, 4, uint64(r.Capabilities))
		bcc()
		if len(r.SecurityBlob) > 0 {
			t.Bytes(fSMBSecurityBlob, off, len(r.SecurityBlob), r.SecurityBlob)
		}
		str(t, fSMBNativeOS, &r.NativeOS)
		str(t, fSMBNativeLanMan, &r.NativeLanMan)
		str(t, fSMBPrimaryDomain, &r.PrimaryDomain)
		return
	case 13:
		t.Uint(fSMBANSIPasswordLen, w+14, 2, uint64(r.OEMPasswordLength))
		t.Uint(fSMBUnicodePasswordLen, w+16, 2, uint64(r.UnicodePasswordLength))
		t.Bytes(fSMBReserved, w+18, 4, b.Words[18:22])
		t.Uint(fSMBCapabilities, w+22, 4, uint64(r.Capabilities))
		bcc()
		if r.OEMPasswordLength > 0 {
			t.Bytes(fSMBANSIPassword, off, len(r.OEMPassword), r.OEMPassword)
		}
		if r.UnicodePasswordLength > 0 {
			t.Bytes(fSMBUnicodePassword, off+len(r.OEMPassword), len(r.UnicodePassword), r.UnicodePassword)
		}
	}
	str(t, fSMBAccount, &r.AccountName)
	str(t, fSMBPrimaryDomain, &r.PrimaryDomain)
	str(t, fSMBNativeOS, &r.NativeOS)
	str(t, fSMBNativeLanMan, &r.NativeLanMan)
}

// AppendInfo appends tshark's info column for SMB alone: "Negotiate
// Protocol Request", "Session Setup AndX Request, User: anonymous; Tree
// Connect AndX, Path: \\HOST\IPC$", "Trans Response, Error:
// STATUS_ACCESS_DENIED". The browser, mailslot and RAP layers replace or
// extend it for transactions.
func (s *SMB) AppendInfo(b []byte) []byte {
	if s.hdrLen < 5 {
		return append(b, "SMB"...)
	}
	if s.Command == SMBComNoAndXCommand {
		return b
	}
	resp := s.IsResponse()
	if len(s.Commands) == 0 {
		b = s.Command.appendName(b)
		b = appendReqResp(b, resp)
	}
	for i := range s.Commands {
		blk := &s.Commands[i]
		if i == 0 {
			b = blk.Command.appendName(b)
			b = appendReqResp(b, resp)
		} else {
			b = append(b, "; "...)
			b = blk.Command.appendName(b)
		}
		b = s.appendBlockInfo(b, blk)
	}
	if s.IsError() {
		b = append(b, ", Error: "...)
		if s.NTStatus() {
			b = appendNTStatus(b, s.Status)
		} else {
			b = appendSMBError(b, s.ErrorClass, s.ErrorCode)
		}
	}
	return b
}

func appendReqResp(b []byte, resp bool) []byte {
	if resp {
		return append(b, " Response"...)
	}
	return append(b, " Request"...)
}

func (s *SMB) appendBlockInfo(b []byte, blk *SMBCommandBlock) []byte {
	switch blk.Form {
	case SMBFormSessionSetupRequest:
		r := &blk.SessionSetupRequest
		if blk.WordCount == 12 {
			return appendNTLMSSPInfo(b, &r.NTLMSSP)
		}
		if r.PrimaryDomain.Present {
			b = append(b, ", User: "...)
			if len(r.AccountName.Text) == 0 && len(r.PrimaryDomain.Text) == 0 {
				return append(b, "anonymous"...)
			}
			b = append(b, r.PrimaryDomain.Text...)
			b = append(b, '\\')
			b = append(b, r.AccountName.Text...)
		}
	case SMBFormSessionSetupResponse:
		return appendNTLMSSPInfo(b, &blk.SessionSetupResponse.NTLMSSP)
	case SMBFormTreeConnectRequest:
		if p := &blk.TreeConnectRequest.Path; p.Present {
			b = append(b, ", Path: "...)
			b = append(b, p.Text...)
		}
	case SMBFormTrans:
		return blk.Trans.appendInfoSuffix(b)
	case SMBFormTrans2, SMBFormNTTrans, SMBFormReadAndXResponse, SMBFormWriteAndXRequest, SMBFormLockingAndXRequest,
		SMBFormReadAndXRequest, SMBFormCloseRequest:
		return s.appendCmdInfo(b, blk)
	case SMBFormNTCreate:
		if s.IsResponse() {
			// tshark shows FID 0x0000 for an NT-status error response
			// without words, nothing for a DOS-style one.
			if blk.WordCount < 3 && !s.NTStatus() {
				return b
			}
			return appendFID(b, blk.NTCreate.FID)
		}
		if fn := &blk.NTCreate.FileName; fn.Present {
			b = append(b, ", Path: "...)
			b = append(b, fn.Text...)
		}
	}
	return b
}

func appendHex16(b []byte, v uint16) []byte {
	return append(b, hexdigits[v>>12], hexdigits[v>>8&0xf], hexdigits[v>>4&0xf], hexdigits[v&0xf])
}

// appendNTLMSSPInfo appends what tshark's NTLMSSP dissector adds to the
// info column.
func appendNTLMSSPInfo(b []byte, m *NTLMSSPMessage) []byte {
	switch m.Type {
	case smbNTLMSSPNegotiate:
		b = append(b, ", NTLMSSP_NEGOTIATE"...)
	case smbNTLMSSPChallenge:
		b = append(b, ", NTLMSSP_CHALLENGE"...)
	case smbNTLMSSPAuth:
		b = append(b, ", NTLMSSP_AUTH, User: "...)
		b = append(b, m.Domain...)
		b = append(b, '\\')
		b = append(b, m.User...)
	}
	return b
}

// SMB2 is the header of an SMB2/SMB3 message ([MS-SMB2] §2.2.1) or of an
// SMB3 transform ([MS-SMB2] §2.2.41), seen on TCP 139 or 445. nbtsniff
// recognises and labels these; it does not decode them further.
type SMB2 struct {
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

var (
	fSMB2                   = RegisterField(FieldInfo{Abbrev: "smb2", Name: "SMB2 (Server Message Block Protocol version 2)", Type: FTProtocol})
	fSMB2ProtocolID         = RegisterField(FieldInfo{Abbrev: "smb2.protocol_id", Name: "ProtocolId", Type: FTUint32, Base: BaseHex})
	fSMB2HeaderLen          = RegisterField(FieldInfo{Abbrev: "smb2.header_len", Name: "Header Length", Type: FTUint16, Base: BaseDec})
	fSMB2CreditCharge       = RegisterField(FieldInfo{Abbrev: "smb2.credit.charge", Name: "Credit Charge", Type: FTUint16, Base: BaseDec})
	fSMB2NTStatus           = RegisterField(FieldInfo{Abbrev: "smb2.nt_status", Name: "NT Status", Type: FTUint32, Base: BaseHex})
	fSMB2Cmd                = RegisterField(FieldInfo{Abbrev: "smb2.cmd", Name: "Command", Type: FTUint16, Base: BaseDec})
	fSMB2CreditsRequested   = RegisterField(FieldInfo{Abbrev: "smb2.credits.requested", Name: "Credits requested", Type: FTUint16, Base: BaseDec})
	fSMB2CreditsGranted     = RegisterField(FieldInfo{Abbrev: "smb2.credits.granted", Name: "Credits granted", Type: FTUint16, Base: BaseDec})
	fSMB2Flags              = RegisterField(FieldInfo{Abbrev: "smb2.flags", Name: "Flags", Type: FTUint32, Base: BaseHex})
	fSMB2FlagsResponse      = RegisterField(FieldInfo{Abbrev: "smb2.flags.response", Name: "Response", Type: FTBoolean, Bits: 32})
	fSMB2FlagsAsync         = RegisterField(FieldInfo{Abbrev: "smb2.flags.async", Name: "Async command", Type: FTBoolean, Bits: 32})
	fSMB2FlagsChained       = RegisterField(FieldInfo{Abbrev: "smb2.flags.chained", Name: "Chained", Type: FTBoolean, Bits: 32})
	fSMB2FlagsSignature     = RegisterField(FieldInfo{Abbrev: "smb2.flags.signature", Name: "Signing", Type: FTBoolean, Bits: 32})
	fSMB2FlagsPriority      = RegisterField(FieldInfo{Abbrev: "smb2.flags.priority_mask", Name: "Priority", Type: FTBoolean, Bits: 32})
	fSMB2FlagsDFS           = RegisterField(FieldInfo{Abbrev: "smb2.flags.dfs", Name: "DFS operation", Type: FTBoolean, Bits: 32})
	fSMB2FlagsReplay        = RegisterField(FieldInfo{Abbrev: "smb2.flags.replay", Name: "Replay operation", Type: FTBoolean, Bits: 32})
	fSMB2ChannelSequence    = RegisterField(FieldInfo{Abbrev: "smb2.channel_sequence", Name: "Channel Sequence", Type: FTUint16, Base: BaseDec})
	fSMB2Reserved           = RegisterField(FieldInfo{Abbrev: "smb2.reserved", Name: "Reserved", Type: FTBytes})
	fSMB2ChainOffset        = RegisterField(FieldInfo{Abbrev: "smb2.chain_offset", Name: "Chain Offset", Type: FTUint32, Base: BaseHex})
	fSMB2MsgID              = RegisterField(FieldInfo{Abbrev: "smb2.msg_id", Name: "Message ID", Type: FTUint64, Base: BaseDec})
	fSMB2AsyncID            = RegisterField(FieldInfo{Abbrev: "smb2.aid", Name: "Async Id", Type: FTUint64, Base: BaseHex})
	fSMB2PID                = RegisterField(FieldInfo{Abbrev: "smb2.pid", Name: "Process Id", Type: FTUint32, Base: BaseHex})
	fSMB2TID                = RegisterField(FieldInfo{Abbrev: "smb2.tid", Name: "Tree Id", Type: FTUint32, Base: BaseHex})
	fSMB2SesID              = RegisterField(FieldInfo{Abbrev: "smb2.sesid", Name: "Session Id", Type: FTUint64, Base: BaseHex})
	fSMB2Signature          = RegisterField(FieldInfo{Abbrev: "smb2.signature", Name: "Signature", Type: FTBytes})
	fSMB2TransformSignature = RegisterField(FieldInfo{Abbrev: "smb2.header.transform.signature", Name: "Signature", Type: FTBytes})
	fSMB2TransformNonce     = RegisterField(FieldInfo{Abbrev: "smb2.header.transform.nonce", Name: "Nonce", Type: FTBytes})
	fSMB2TransformMsgSize   = RegisterField(FieldInfo{Abbrev: "smb2.header.transform.msg_size", Name: "Message size", Type: FTUint32, Base: BaseDec})
	fSMB2TransformReserved  = RegisterField(FieldInfo{Abbrev: "smb2.header.transform.reserved", Name: "Reserved", Type: FTBytes})
	fSMB2TransformFlags     = RegisterField(FieldInfo{Abbrev: "smb2.header.transform.flags", Name: "Flags", Type: FTUint16, Base: BaseHex})
)

func init() {
	SetValues(fSMB2Cmd, func(v uint64) string { return SMB2CommandName(uint16(v)) })
	SetValues(fSMB2NTStatus, func(v uint64) string {
		if n := NTStatusName(uint32(v)); n != "" {
			return n
		}
		return "Unknown"
	})
}

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

// LayerContents is the header.
func (s *SMB2) LayerContents() []byte { return s.data[:s.hdrLen] }

// LayerPayload is what follows the header (not decoded).
func (s *SMB2) LayerPayload() []byte { return s.data[s.hdrLen:] }

// IsResponse reports SMB2_FLAGS_SERVER_TO_REDIR.
func (s *SMB2) IsResponse() bool { return !s.Transform && s.Flags&smb2FlagsResponse != 0 }

// DecodeFromBytes reads the 64-byte SMB2 header or the 52-byte transform
// header.
func (s *SMB2) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	*s = SMB2{data: data}
	if len(data) < 4 {
		s.hdrLen = len(data)
		return s.fail(Truncated("smb2", "protocol", 0, 4, len(data)), df)
	}
	s.ProtocolID = binary.BigEndian.Uint32(data)
	switch s.ProtocolID {
	case SMB2Magic:
	case SMB2TransformMagic:
		s.Transform = true
		if len(data) < smb2TransformLen {
			s.hdrLen = 4
			return s.fail(Truncated("smb2", "transform header", 0, smb2TransformLen, len(data)), df)
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
		return s.fail(Malformed("smb2", "protocol", 0, "not \\xfeSMB or \\xfdSMB"), df)
	}
	if len(data) < smb2HeaderLen {
		s.hdrLen = 4
		return s.fail(Truncated("smb2", "header", 0, smb2HeaderLen, len(data)), df)
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

func (s *SMB2) fail(err error, df gopacket.DecodeFeedback) error {
	s.Err = err
	if df != nil {
		df.SetTruncated()
	}
	return err
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
		t.Expert("[Malformed: "+s.Err.Error()+"]", 0, len(s.data))
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

// Name tables, generated from tshark 4.0.17: smbCommandNames from
// "tshark -G values" (smb.cmd), ntStatusNames likewise (smb.nt_status), and
// the DOS-style error texts by asking tshark to dissect every class/code
// pair (they are not attached to a field).

type ntStatusName struct {
	code uint32
	name string
}

var smbCommandNames = [256]string{
	0x00: "Create Directory",
	0x01: "Delete Directory",
	0x02: "Open",
	0x03: "Create",
	0x04: "Close",
	0x05: "Flush",
	0x06: "Delete",
	0x07: "Rename",
	0x08: "Query Information",
	0x09: "Set Information",
	0x0a: "Read",
	0x0b: "Write",
	0x0c: "Lock Byte Range",
	0x0d: "Unlock Byte Range",
	0x0e: "Create Temp",
	0x0f: "Create New",
	0x10: "Check Directory",
	0x11: "Process Exit",
	0x12: "Seek",
	0x13: "Lock And Read",
	0x14: "Write And Unlock",
	0x15: "unknown-0x15",
	0x16: "unknown-0x16",
	0x17: "unknown-0x17",
	0x18: "unknown-0x18",
	0x19: "unknown-0x19",
	0x1a: "Read Raw",
	0x1b: "Read MPX",
	0x1c: "Read MPX Secondary",
	0x1d: "Write Raw",
	0x1e: "Write MPX",
	0x1f: "Write MPX Secondary",
	0x20: "Write Complete",
	0x21: "Query Server (reserved)",
	0x22: "Set Information2",
	0x23: "Query Information2",
	0x24: "Locking AndX",
	0x25: "Trans",
	0x26: "Trans Secondary",
	0x27: "IOCTL",
	0x28: "IOCTL Secondary",
	0x29: "Copy",
	0x2a: "Move",
	0x2b: "Echo",
	0x2c: "Write And Close",
	0x2d: "Open AndX",
	0x2e: "Read AndX",
	0x2f: "Write AndX",
	0x30: "New File Size (reserved)",
	0x31: "Close And Tree Disconnect",
	0x32: "Trans2",
	0x33: "Trans2 Secondary",
	0x34: "Find Close2",
	0x35: "Find Notify Close",
	0x70: "Tree Connect",
	0x71: "Tree Disconnect",
	0x72: "Negotiate Protocol",
	0x73: "Session Setup AndX",
	0x74: "Logoff AndX",
	0x75: "Tree Connect AndX",
	0x80: "Query Information Disk",
	0x81: "Search",
	0x82: "Find",
	0x83: "Find Unique",
	0x84: "Find Close",
	0xa0: "NT Trans",
	0xa1: "NT Trans Secondary",
	0xa2: "NT Create AndX",
	0xa3: "unknown-0xA3",
	0xa4: "NT Cancel",
	0xa5: "NT Rename",
	0xc0: "Open Print File",
	0xc1: "Write Print File",
	0xc2: "Close Print File",
	0xc3: "Get Print Queue",
	0xd0: "Send Single Block Message",
	0xd1: "Send Broadcast Message",
	0xd2: "Forward User Name",
	0xd3: "Cancel Forward",
	0xd4: "Get Machine Name",
	0xd5: "Send Start of Multi-block Message",
	0xd6: "Send End of Multi-block Message",
	0xd7: "Send Text of Multi-block Message",
	0xd8: "SMBreadbulk",
	0xd9: "SMBwritebulk",
	0xda: "SMBwritebulkdata",
	0xfe: "SMBinvalid",
}

// ntStatusNames is Wireshark's NT_errors table (tshark -G values, smb.nt_status),
// sorted by code for binary search.
var ntStatusNames = [...]ntStatusName{
	{0x00000000, "STATUS_SUCCESS"},
	{0x00000001, "STATUS_WAIT_1"},
	{0x00000002, "STATUS_WAIT_2"},
	{0x00000003, "STATUS_WAIT_3"},
	{0x0000003f, "STATUS_WAIT_63"},
	{0x00000080, "STATUS_ABANDONED"},
	{0x000000bf, "STATUS_ABANDONED_WAIT_63"},
	{0x000000c0, "STATUS_USER_APC"},
	{0x00000100, "STATUS_KERNEL_APC"},
	{0x00000101, "STATUS_ALERTED"},
	{0x00000102, "STATUS_TIMEOUT"},
	{0x00000103, "STATUS_PENDING"},
	{0x00000104, "STATUS_REPARSE"},
	{0x00000105, "STATUS_MORE_ENTRIES"},
	{0x00000106, "STATUS_NOT_ALL_ASSIGNED"},
	{0x00000107, "STATUS_SOME_NOT_MAPPED"},
	{0x00000108, "STATUS_OPLOCK_BREAK_IN_PROGRESS"},
	{0x00000109, "STATUS_VOLUME_MOUNTED"},
	{0x0000010a, "STATUS_RXACT_COMMITTED"},
	{0x0000010b, "STATUS_NOTIFY_CLEANUP"},
	{0x0000010c, "STATUS_NOTIFY_ENUM_DIR"},
	{0x0000010d, "STATUS_NO_QUOTAS_FOR_ACCOUNT"},
	{0x0000010e, "STATUS_PRIMARY_TRANSPORT_CONNECT_FAILED"},
	{0x00000110, "STATUS_PAGE_FAULT_TRANSITION"},
	{0x00000111, "STATUS_PAGE_FAULT_DEMAND_ZERO"},
	{0x00000112, "STATUS_PAGE_FAULT_COPY_ON_WRITE"},
	{0x00000113, "STATUS_PAGE_FAULT_GUARD_PAGE"},
	{0x00000114, "STATUS_PAGE_FAULT_PAGING_FILE"},
	{0x00000115, "STATUS_CACHE_PAGE_LOCKED"},
	{0x00000116, "STATUS_CRASH_DUMP"},
	{0x00000117, "STATUS_BUFFER_ALL_ZEROS"},
	{0x00000118, "STATUS_REPARSE_OBJECT"},
	{0x0000045c, "STATUS_NO_SHUTDOWN_IN_PROGRESS"},
	{0x40000000, "STATUS_OBJECT_NAME_EXISTS"},
	{0x40000001, "STATUS_THREAD_WAS_SUSPENDED"},
	{0x40000002, "STATUS_WORKING_SET_LIMIT_RANGE"},
	{0x40000003, "STATUS_IMAGE_NOT_AT_BASE"},
	{0x40000004, "STATUS_RXACT_STATE_CREATED"},
	{0x40000005, "STATUS_SEGMENT_NOTIFICATION"},
	{0x40000006, "STATUS_LOCAL_USER_SESSION_KEY"},
	{0x40000007, "STATUS_BAD_CURRENT_DIRECTORY"},
	{0x40000008, "STATUS_SERIAL_MORE_WRITES"},
	{0x40000009, "STATUS_REGISTRY_RECOVERED"},
	{0x4000000a, "STATUS_FT_READ_RECOVERY_FROM_BACKUP"},
	{0x4000000b, "STATUS_FT_WRITE_RECOVERY"},
	{0x4000000c, "STATUS_SERIAL_COUNTER_TIMEOUT"},
	{0x4000000d, "STATUS_NULL_LM_PASSWORD"},
	{0x4000000e, "STATUS_IMAGE_MACHINE_TYPE_MISMATCH"},
	{0x4000000f, "STATUS_RECEIVE_PARTIAL"},
	{0x40000010, "STATUS_RECEIVE_EXPEDITED"},
	{0x40000011, "STATUS_RECEIVE_PARTIAL_EXPEDITED"},
	{0x40000012, "STATUS_EVENT_DONE"},
	{0x40000013, "STATUS_EVENT_PENDING"},
	{0x40000014, "STATUS_CHECKING_FILE_SYSTEM"},
	{0x40000015, "STATUS_FATAL_APP_EXIT"},
	{0x40000016, "STATUS_PREDEFINED_HANDLE"},
	{0x40000017, "STATUS_WAS_UNLOCKED"},
	{0x40000018, "STATUS_SERVICE_NOTIFICATION"},
	{0x40000019, "STATUS_WAS_LOCKED"},
	{0x4000001a, "STATUS_LOG_HARD_ERROR"},
	{0x4000001b, "STATUS_ALREADY_WIN32"},
	{0x4000001c, "STATUS_WX86_UNSIMULATE"},
	{0x4000001d, "STATUS_WX86_CONTINUE"},
	{0x4000001e, "STATUS_WX86_SINGLE_STEP"},
	{0x4000001f, "STATUS_WX86_BREAKPOINT"},
	{0x40000020, "STATUS_WX86_EXCEPTION_CONTINUE"},
	{0x40000021, "STATUS_WX86_EXCEPTION_LASTCHANCE"},
	{0x40000022, "STATUS_WX86_EXCEPTION_CHAIN"},
	{0x40000023, "STATUS_IMAGE_MACHINE_TYPE_MISMATCH_EXE"},
	{0x40000024, "STATUS_NO_YIELD_PERFORMED"},
	{0x40000025, "STATUS_TIMER_RESUME_IGNORED"},
	{0x40000294, "STATUS_WAKE_SYSTEM"},
	{0x40020056, "RPC_NT_UUID_LOCAL_ONLY"},
	{0x400200af, "RPC_NT_SEND_INCOMPLETE"},
	{0x80000001, "STATUS_GUARD_PAGE_VIOLATION"},
	{0x80000002, "STATUS_DATATYPE_MISALIGNMENT"},
	{0x80000003, "STATUS_BREAKPOINT"},
	{0x80000004, "STATUS_SINGLE_STEP"},
	{0x80000005, "STATUS_BUFFER_OVERFLOW"},
	{0x80000006, "STATUS_NO_MORE_FILES"},
	{0x80000007, "STATUS_WAKE_SYSTEM_DEBUGGER"},
	{0x8000000a, "STATUS_HANDLES_CLOSED"},
	{0x8000000b, "STATUS_NO_INHERITANCE"},
	{0x8000000c, "STATUS_GUID_SUBSTITUTION_MADE"},
	{0x8000000d, "STATUS_PARTIAL_COPY"},
	{0x8000000e, "STATUS_DEVICE_PAPER_EMPTY"},
	{0x8000000f, "STATUS_DEVICE_POWERED_OFF"},
	{0x80000010, "STATUS_DEVICE_OFF_LINE"},
	{0x80000011, "STATUS_DEVICE_BUSY"},
	{0x80000012, "STATUS_NO_MORE_EAS"},
	{0x80000013, "STATUS_INVALID_EA_NAME"},
	{0x80000014, "STATUS_EA_LIST_INCONSISTENT"},
	{0x80000015, "STATUS_INVALID_EA_FLAG"},
	{0x80000016, "STATUS_VERIFY_REQUIRED"},
	{0x80000017, "STATUS_EXTRANEOUS_INFORMATION"},
	{0x80000018, "STATUS_RXACT_COMMIT_NECESSARY"},
	{0x8000001a, "STATUS_NO_MORE_ENTRIES"},
	{0x8000001b, "STATUS_FILEMARK_DETECTED"},
	{0x8000001c, "STATUS_MEDIA_CHANGED"},
	{0x8000001d, "STATUS_BUS_RESET"},
	{0x8000001e, "STATUS_END_OF_MEDIA"},
	{0x8000001f, "STATUS_BEGINNING_OF_MEDIA"},
	{0x80000020, "STATUS_MEDIA_CHECK"},
	{0x80000021, "STATUS_SETMARK_DETECTED"},
	{0x80000022, "STATUS_NO_DATA_DETECTED"},
	{0x80000023, "STATUS_REDIRECTOR_HAS_OPEN_HANDLES"},
	{0x80000024, "STATUS_SERVER_HAS_OPEN_HANDLES"},
	{0x80000025, "STATUS_ALREADY_DISCONNECTED"},
	{0x80000026, "STATUS_LONGJUMP"},
	{0x8000002d, "STATUS_STOPPED_ON_SYMLINK"},
	{0x80000288, "STATUS_DEVICE_REQUIRES_CLEANING"},
	{0x80000289, "STATUS_DEVICE_DOOR_OPEN"},
	{0x80040111, "MAPI_E_LOGON_FAILED"},
	{0x80090300, "SEC_E_INSUFFICIENT_MEMORY"},
	{0x80090301, "SEC_E_INVALID_HANDLE"},
	{0x80090302, "SEC_E_UNSUPPORTED_FUNCTION"},
	{0x8009030b, "SEC_E_NO_IMPERSONATION"},
	{0x8009030d, "SEC_E_UNKNOWN_CREDENTIALS"},
	{0x8009030e, "SEC_E_NO_CREDENTIALS"},
	{0x8009030f, "SEC_E_MESSAGE_ALTERED"},
	{0x80090310, "SEC_E_OUT_OF_SEQUENCE"},
	{0x80090311, "SEC_E_NO_AUTHENTICATING_AUTHORITY"},
	{0xc0000001, "STATUS_UNSUCCESSFUL"},
	{0xc0000002, "STATUS_NOT_IMPLEMENTED"},
	{0xc0000003, "STATUS_INVALID_INFO_CLASS"},
	{0xc0000004, "STATUS_INFO_LENGTH_MISMATCH"},
	{0xc0000005, "STATUS_ACCESS_VIOLATION"},
	{0xc0000006, "STATUS_IN_PAGE_ERROR"},
	{0xc0000007, "STATUS_PAGEFILE_QUOTA"},
	{0xc0000008, "STATUS_INVALID_HANDLE"},
	{0xc0000009, "STATUS_BAD_INITIAL_STACK"},
	{0xc000000a, "STATUS_BAD_INITIAL_PC"},
	{0xc000000b, "STATUS_INVALID_CID"},
	{0xc000000c, "STATUS_TIMER_NOT_CANCELED"},
	{0xc000000d, "STATUS_INVALID_PARAMETER"},
	{0xc000000e, "STATUS_NO_SUCH_DEVICE"},
	{0xc000000f, "STATUS_NO_SUCH_FILE"},
	{0xc0000010, "STATUS_INVALID_DEVICE_REQUEST"},
	{0xc0000011, "STATUS_END_OF_FILE"},
	{0xc0000012, "STATUS_WRONG_VOLUME"},
	{0xc0000013, "STATUS_NO_MEDIA_IN_DEVICE"},
	{0xc0000014, "STATUS_UNRECOGNIZED_MEDIA"},
	{0xc0000015, "STATUS_NONEXISTENT_SECTOR"},
	{0xc0000016, "STATUS_MORE_PROCESSING_REQUIRED"},
	{0xc0000017, "STATUS_NO_MEMORY"},
	{0xc0000018, "STATUS_CONFLICTING_ADDRESSES"},
	{0xc0000019, "STATUS_NOT_MAPPED_VIEW"},
	{0xc000001a, "STATUS_UNABLE_TO_FREE_VM"},
	{0xc000001b, "STATUS_UNABLE_TO_DELETE_SECTION"},
	{0xc000001c, "STATUS_INVALID_SYSTEM_SERVICE"},
	{0xc000001d, "STATUS_ILLEGAL_INSTRUCTION"},
	{0xc000001e, "STATUS_INVALID_LOCK_SEQUENCE"},
	{0xc000001f, "STATUS_INVALID_VIEW_SIZE"},
	{0xc0000020, "STATUS_INVALID_FILE_FOR_SECTION"},
	{0xc0000021, "STATUS_ALREADY_COMMITTED"},
	{0xc0000022, "STATUS_ACCESS_DENIED"},
	{0xc0000023, "STATUS_BUFFER_TOO_SMALL"},
	{0xc0000024, "STATUS_OBJECT_TYPE_MISMATCH"},
	{0xc0000025, "STATUS_NONCONTINUABLE_EXCEPTION"},
	{0xc0000026, "STATUS_INVALID_DISPOSITION"},
	{0xc0000027, "STATUS_UNWIND"},
	{0xc0000028, "STATUS_BAD_STACK"},
	{0xc0000029, "STATUS_INVALID_UNWIND_TARGET"},
	{0xc000002a, "STATUS_NOT_LOCKED"},
	{0xc000002b, "STATUS_PARITY_ERROR"},
	{0xc000002c, "STATUS_UNABLE_TO_DECOMMIT_VM"},
	{0xc000002d, "STATUS_NOT_COMMITTED"},
	{0xc000002e, "STATUS_INVALID_PORT_ATTRIBUTES"},
	{0xc000002f, "STATUS_PORT_MESSAGE_TOO_LONG"},
	{0xc0000030, "STATUS_INVALID_PARAMETER_MIX"},
	{0xc0000031, "STATUS_INVALID_QUOTA_LOWER"},
	{0xc0000032, "STATUS_DISK_CORRUPT_ERROR"},
	{0xc0000033, "STATUS_OBJECT_NAME_INVALID"},
	{0xc0000034, "STATUS_OBJECT_NAME_NOT_FOUND"},
	{0xc0000035, "STATUS_OBJECT_NAME_COLLISION"},
	{0xc0000037, "STATUS_PORT_DISCONNECTED"},
	{0xc0000038, "STATUS_DEVICE_ALREADY_ATTACHED"},
	{0xc0000039, "STATUS_OBJECT_PATH_INVALID"},
	{0xc000003a, "STATUS_OBJECT_PATH_NOT_FOUND"},
	{0xc000003b, "STATUS_OBJECT_PATH_SYNTAX_BAD"},
	{0xc000003c, "STATUS_DATA_OVERRUN"},
	{0xc000003d, "STATUS_DATA_LATE_ERROR"},
	{0xc000003e, "STATUS_DATA_ERROR"},
	{0xc000003f, "STATUS_CRC_ERROR"},
	{0xc0000040, "STATUS_SECTION_TOO_BIG"},
	{0xc0000041, "STATUS_PORT_CONNECTION_REFUSED"},
	{0xc0000042, "STATUS_INVALID_PORT_HANDLE"},
	{0xc0000043, "STATUS_SHARING_VIOLATION"},
	{0xc0000044, "STATUS_QUOTA_EXCEEDED"},
	{0xc0000045, "STATUS_INVALID_PAGE_PROTECTION"},
	{0xc0000046, "STATUS_MUTANT_NOT_OWNED"},
	{0xc0000047, "STATUS_SEMAPHORE_LIMIT_EXCEEDED"},
	{0xc0000048, "STATUS_PORT_ALREADY_SET"},
	{0xc0000049, "STATUS_SECTION_NOT_IMAGE"},
	{0xc000004a, "STATUS_SUSPEND_COUNT_EXCEEDED"},
	{0xc000004b, "STATUS_THREAD_IS_TERMINATING"},
	{0xc000004c, "STATUS_BAD_WORKING_SET_LIMIT"},
	{0xc000004d, "STATUS_INCOMPATIBLE_FILE_MAP"},
	{0xc000004e, "STATUS_SECTION_PROTECTION"},
	{0xc000004f, "STATUS_EAS_NOT_SUPPORTED"},
	{0xc0000050, "STATUS_EA_TOO_LARGE"},
	{0xc0000051, "STATUS_NONEXISTENT_EA_ENTRY"},
	{0xc0000052, "STATUS_NO_EAS_ON_FILE"},
	{0xc0000053, "STATUS_EA_CORRUPT_ERROR"},
	{0xc0000054, "STATUS_FILE_LOCK_CONFLICT"},
	{0xc0000055, "STATUS_LOCK_NOT_GRANTED"},
	{0xc0000056, "STATUS_DELETE_PENDING"},
	{0xc0000057, "STATUS_CTL_FILE_NOT_SUPPORTED"},
	{0xc0000058, "STATUS_UNKNOWN_REVISION"},
	{0xc0000059, "STATUS_REVISION_MISMATCH"},
	{0xc000005a, "STATUS_INVALID_OWNER"},
	{0xc000005b, "STATUS_INVALID_PRIMARY_GROUP"},
	{0xc000005c, "STATUS_NO_IMPERSONATION_TOKEN"},
	{0xc000005d, "STATUS_CANT_DISABLE_MANDATORY"},
	{0xc000005e, "STATUS_NO_LOGON_SERVERS"},
	{0xc000005f, "STATUS_NO_SUCH_LOGON_SESSION"},
	{0xc0000060, "STATUS_NO_SUCH_PRIVILEGE"},
	{0xc0000061, "STATUS_PRIVILEGE_NOT_HELD"},
	{0xc0000062, "STATUS_INVALID_ACCOUNT_NAME"},
	{0xc0000063, "STATUS_USER_EXISTS"},
	{0xc0000064, "STATUS_NO_SUCH_USER"},
	{0xc0000065, "STATUS_GROUP_EXISTS"},
	{0xc0000066, "STATUS_NO_SUCH_GROUP"},
	{0xc0000067, "STATUS_MEMBER_IN_GROUP"},
	{0xc0000068, "STATUS_MEMBER_NOT_IN_GROUP"},
	{0xc0000069, "STATUS_LAST_ADMIN"},
	{0xc000006a, "STATUS_WRONG_PASSWORD"},
	{0xc000006b, "STATUS_ILL_FORMED_PASSWORD"},
	{0xc000006c, "STATUS_PASSWORD_RESTRICTION"},
	{0xc000006d, "STATUS_LOGON_FAILURE"},
	{0xc000006e, "STATUS_ACCOUNT_RESTRICTION"},
	{0xc000006f, "STATUS_INVALID_LOGON_HOURS"},
	{0xc0000070, "STATUS_INVALID_WORKSTATION"},
	{0xc0000071, "STATUS_PASSWORD_EXPIRED"},
	{0xc0000072, "STATUS_ACCOUNT_DISABLED"},
	{0xc0000073, "STATUS_NONE_MAPPED"},
	{0xc0000074, "STATUS_TOO_MANY_LUIDS_REQUESTED"},
	{0xc0000075, "STATUS_LUIDS_EXHAUSTED"},
	{0xc0000076, "STATUS_INVALID_SUB_AUTHORITY"},
	{0xc0000077, "STATUS_INVALID_ACL"},
	{0xc0000078, "STATUS_INVALID_SID"},
	{0xc0000079, "STATUS_INVALID_SECURITY_DESCR"},
	{0xc000007a, "STATUS_PROCEDURE_NOT_FOUND"},
	{0xc000007b, "STATUS_INVALID_IMAGE_FORMAT"},
	{0xc000007c, "STATUS_NO_TOKEN"},
	{0xc000007d, "STATUS_BAD_INHERITANCE_ACL"},
	{0xc000007e, "STATUS_RANGE_NOT_LOCKED"},
	{0xc000007f, "STATUS_DISK_FULL"},
	{0xc0000080, "STATUS_SERVER_DISABLED"},
	{0xc0000081, "STATUS_SERVER_NOT_DISABLED"},
	{0xc0000082, "STATUS_TOO_MANY_GUIDS_REQUESTED"},
	{0xc0000083, "STATUS_GUIDS_EXHAUSTED"},
	{0xc0000084, "STATUS_INVALID_ID_AUTHORITY"},
	{0xc0000085, "STATUS_AGENTS_EXHAUSTED"},
	{0xc0000086, "STATUS_INVALID_VOLUME_LABEL"},
	{0xc0000087, "STATUS_SECTION_NOT_EXTENDED"},
	{0xc0000088, "STATUS_NOT_MAPPED_DATA"},
	{0xc0000089, "STATUS_RESOURCE_DATA_NOT_FOUND"},
	{0xc000008a, "STATUS_RESOURCE_TYPE_NOT_FOUND"},
	{0xc000008b, "STATUS_RESOURCE_NAME_NOT_FOUND"},
	{0xc000008c, "STATUS_ARRAY_BOUNDS_EXCEEDED"},
	{0xc000008d, "STATUS_FLOAT_DENORMAL_OPERAND"},
	{0xc000008e, "STATUS_FLOAT_DIVIDE_BY_ZERO"},
	{0xc000008f, "STATUS_FLOAT_INEXACT_RESULT"},
	{0xc0000090, "STATUS_FLOAT_INVALID_OPERATION"},
	{0xc0000091, "STATUS_FLOAT_OVERFLOW"},
	{0xc0000092, "STATUS_FLOAT_STACK_CHECK"},
	{0xc0000093, "STATUS_FLOAT_UNDERFLOW"},
	{0xc0000094, "STATUS_INTEGER_DIVIDE_BY_ZERO"},
	{0xc0000095, "STATUS_INTEGER_OVERFLOW"},
	{0xc0000096, "STATUS_PRIVILEGED_INSTRUCTION"},
	{0xc0000097, "STATUS_TOO_MANY_PAGING_FILES"},
	{0xc0000098, "STATUS_FILE_INVALID"},
	{0xc0000099, "STATUS_ALLOTTED_SPACE_EXCEEDED"},
	{0xc000009a, "STATUS_INSUFFICIENT_RESOURCES"},
	{0xc000009b, "STATUS_DFS_EXIT_PATH_FOUND"},
	{0xc000009c, "STATUS_DEVICE_DATA_ERROR"},
	{0xc000009d, "STATUS_DEVICE_NOT_CONNECTED"},
	{0xc000009e, "STATUS_DEVICE_POWER_FAILURE"},
	{0xc000009f, "STATUS_FREE_VM_NOT_AT_BASE"},
	{0xc00000a0, "STATUS_MEMORY_NOT_ALLOCATED"},
	{0xc00000a1, "STATUS_WORKING_SET_QUOTA"},
	{0xc00000a2, "STATUS_MEDIA_WRITE_PROTECTED"},
	{0xc00000a3, "STATUS_DEVICE_NOT_READY"},
	{0xc00000a4, "STATUS_INVALID_GROUP_ATTRIBUTES"},
	{0xc00000a5, "STATUS_BAD_IMPERSONATION_LEVEL"},
	{0xc00000a6, "STATUS_CANT_OPEN_ANONYMOUS"},
	{0xc00000a7, "STATUS_BAD_VALIDATION_CLASS"},
	{0xc00000a8, "STATUS_BAD_TOKEN_TYPE"},
	{0xc00000a9, "STATUS_BAD_MASTER_BOOT_RECORD"},
	{0xc00000aa, "STATUS_INSTRUCTION_MISALIGNMENT"},
	{0xc00000ab, "STATUS_INSTANCE_NOT_AVAILABLE"},
	{0xc00000ac, "STATUS_PIPE_NOT_AVAILABLE"},
	{0xc00000ad, "STATUS_INVALID_PIPE_STATE"},
	{0xc00000ae, "STATUS_PIPE_BUSY"},
	{0xc00000af, "STATUS_ILLEGAL_FUNCTION"},
	{0xc00000b0, "STATUS_PIPE_DISCONNECTED"},
	{0xc00000b1, "STATUS_PIPE_CLOSING"},
	{0xc00000b2, "STATUS_PIPE_CONNECTED"},
	{0xc00000b3, "STATUS_PIPE_LISTENING"},
	{0xc00000b4, "STATUS_INVALID_READ_MODE"},
	{0xc00000b5, "STATUS_IO_TIMEOUT"},
	{0xc00000b6, "STATUS_FILE_FORCED_CLOSED"},
	{0xc00000b7, "STATUS_PROFILING_NOT_STARTED"},
	{0xc00000b8, "STATUS_PROFILING_NOT_STOPPED"},
	{0xc00000b9, "STATUS_COULD_NOT_INTERPRET"},
	{0xc00000ba, "STATUS_FILE_IS_A_DIRECTORY"},
	{0xc00000bb, "STATUS_NOT_SUPPORTED"},
	{0xc00000bc, "STATUS_REMOTE_NOT_LISTENING"},
	{0xc00000bd, "STATUS_DUPLICATE_NAME"},
	{0xc00000be, "STATUS_BAD_NETWORK_PATH"},
	{0xc00000bf, "STATUS_NETWORK_BUSY"},
	{0xc00000c0, "STATUS_DEVICE_DOES_NOT_EXIST"},
	{0xc00000c1, "STATUS_TOO_MANY_COMMANDS"},
	{0xc00000c2, "STATUS_ADAPTER_HARDWARE_ERROR"},
	{0xc00000c3, "STATUS_INVALID_NETWORK_RESPONSE"},
	{0xc00000c4, "STATUS_UNEXPECTED_NETWORK_ERROR"},
	{0xc00000c5, "STATUS_BAD_REMOTE_ADAPTER"},
	{0xc00000c6, "STATUS_PRINT_QUEUE_FULL"},
	{0xc00000c7, "STATUS_NO_SPOOL_SPACE"},
	{0xc00000c8, "STATUS_PRINT_CANCELLED"},
	{0xc00000c9, "STATUS_NETWORK_NAME_DELETED"},
	{0xc00000ca, "STATUS_NETWORK_ACCESS_DENIED"},
	{0xc00000cb, "STATUS_BAD_DEVICE_TYPE"},
	{0xc00000cc, "STATUS_BAD_NETWORK_NAME"},
	{0xc00000cd, "STATUS_TOO_MANY_NAMES"},
	{0xc00000ce, "STATUS_TOO_MANY_SESSIONS"},
	{0xc00000cf, "STATUS_SHARING_PAUSED"},
	{0xc00000d0, "STATUS_REQUEST_NOT_ACCEPTED"},
	{0xc00000d1, "STATUS_REDIRECTOR_PAUSED"},
	{0xc00000d2, "STATUS_NET_WRITE_FAULT"},
	{0xc00000d3, "STATUS_PROFILING_AT_LIMIT"},
	{0xc00000d4, "STATUS_NOT_SAME_DEVICE"},
	{0xc00000d5, "STATUS_FILE_RENAMED"},
	{0xc00000d6, "STATUS_VIRTUAL_CIRCUIT_CLOSED"},
	{0xc00000d7, "STATUS_NO_SECURITY_ON_OBJECT"},
	{0xc00000d8, "STATUS_CANT_WAIT"},
	{0xc00000d9, "STATUS_PIPE_EMPTY"},
	{0xc00000da, "STATUS_CANT_ACCESS_DOMAIN_INFO"},
	{0xc00000db, "STATUS_CANT_TERMINATE_SELF"},
	{0xc00000dc, "STATUS_INVALID_SERVER_STATE"},
	{0xc00000dd, "STATUS_INVALID_DOMAIN_STATE"},
	{0xc00000de, "STATUS_INVALID_DOMAIN_ROLE"},
	{0xc00000df, "STATUS_NO_SUCH_DOMAIN"},
	{0xc00000e0, "STATUS_DOMAIN_EXISTS"},
	{0xc00000e1, "STATUS_DOMAIN_LIMIT_EXCEEDED"},
	{0xc00000e2, "STATUS_OPLOCK_NOT_GRANTED"},
	{0xc00000e3, "STATUS_INVALID_OPLOCK_PROTOCOL"},
	{0xc00000e4, "STATUS_INTERNAL_DB_CORRUPTION"},
	{0xc00000e5, "STATUS_INTERNAL_ERROR"},
	{0xc00000e6, "STATUS_GENERIC_NOT_MAPPED"},
	{0xc00000e7, "STATUS_BAD_DESCRIPTOR_FORMAT"},
	{0xc00000e8, "STATUS_INVALID_USER_BUFFER"},
	{0xc00000e9, "STATUS_UNEXPECTED_IO_ERROR"},
	{0xc00000ea, "STATUS_UNEXPECTED_MM_CREATE_ERR"},
	{0xc00000eb, "STATUS_UNEXPECTED_MM_MAP_ERROR"},
	{0xc00000ec, "STATUS_UNEXPECTED_MM_EXTEND_ERR"},
	{0xc00000ed, "STATUS_NOT_LOGON_PROCESS"},
	{0xc00000ee, "STATUS_LOGON_SESSION_EXISTS"},
	{0xc00000ef, "STATUS_INVALID_PARAMETER_1"},
	{0xc00000f0, "STATUS_INVALID_PARAMETER_2"},
	{0xc00000f1, "STATUS_INVALID_PARAMETER_3"},
	{0xc00000f2, "STATUS_INVALID_PARAMETER_4"},
	{0xc00000f3, "STATUS_INVALID_PARAMETER_5"},
	{0xc00000f4, "STATUS_INVALID_PARAMETER_6"},
	{0xc00000f5, "STATUS_INVALID_PARAMETER_7"},
	{0xc00000f6, "STATUS_INVALID_PARAMETER_8"},
	{0xc00000f7, "STATUS_INVALID_PARAMETER_9"},
	{0xc00000f8, "STATUS_INVALID_PARAMETER_10"},
	{0xc00000f9, "STATUS_INVALID_PARAMETER_11"},
	{0xc00000fa, "STATUS_INVALID_PARAMETER_12"},
	{0xc00000fb, "STATUS_REDIRECTOR_NOT_STARTED"},
	{0xc00000fc, "STATUS_REDIRECTOR_STARTED"},
	{0xc00000fd, "STATUS_STACK_OVERFLOW"},
	{0xc00000fe, "STATUS_NO_SUCH_PACKAGE"},
	{0xc00000ff, "STATUS_BAD_FUNCTION_TABLE"},
	{0xc0000100, "STATUS_VARIABLE_NOT_FOUND"},
	{0xc0000101, "STATUS_DIRECTORY_NOT_EMPTY"},
	{0xc0000102, "STATUS_FILE_CORRUPT_ERROR"},
	{0xc0000103, "STATUS_NOT_A_DIRECTORY"},
	{0xc0000104, "STATUS_BAD_LOGON_SESSION_STATE"},
	{0xc0000105, "STATUS_LOGON_SESSION_COLLISION"},
	{0xc0000106, "STATUS_NAME_TOO_LONG"},
	{0xc0000107, "STATUS_FILES_OPEN"},
	{0xc0000108, "STATUS_CONNECTION_IN_USE"},
	{0xc0000109, "STATUS_MESSAGE_NOT_FOUND"},
	{0xc000010a, "STATUS_PROCESS_IS_TERMINATING"},
	{0xc000010b, "STATUS_INVALID_LOGON_TYPE"},
	{0xc000010c, "STATUS_NO_GUID_TRANSLATION"},
	{0xc000010d, "STATUS_CANNOT_IMPERSONATE"},
	{0xc000010e, "STATUS_IMAGE_ALREADY_LOADED"},
	{0xc000010f, "STATUS_ABIOS_NOT_PRESENT"},
	{0xc0000110, "STATUS_ABIOS_LID_NOT_EXIST"},
	{0xc0000111, "STATUS_ABIOS_LID_ALREADY_OWNED"},
	{0xc0000112, "STATUS_ABIOS_NOT_LID_OWNER"},
	{0xc0000113, "STATUS_ABIOS_INVALID_COMMAND"},
	{0xc0000114, "STATUS_ABIOS_INVALID_LID"},
	{0xc0000115, "STATUS_ABIOS_SELECTOR_NOT_AVAILABLE"},
	{0xc0000116, "STATUS_ABIOS_INVALID_SELECTOR"},
	{0xc0000117, "STATUS_NO_LDT"},
	{0xc0000118, "STATUS_INVALID_LDT_SIZE"},
	{0xc0000119, "STATUS_INVALID_LDT_OFFSET"},
	{0xc000011a, "STATUS_INVALID_LDT_DESCRIPTOR"},
	{0xc000011b, "STATUS_INVALID_IMAGE_NE_FORMAT"},
	{0xc000011c, "STATUS_RXACT_INVALID_STATE"},
	{0xc000011d, "STATUS_RXACT_COMMIT_FAILURE"},
	{0xc000011e, "STATUS_MAPPED_FILE_SIZE_ZERO"},
	{0xc000011f, "STATUS_TOO_MANY_OPENED_FILES"},
	{0xc0000120, "STATUS_CANCELLED"},
	{0xc0000121, "STATUS_CANNOT_DELETE"},
	{0xc0000122, "STATUS_INVALID_COMPUTER_NAME"},
	{0xc0000123, "STATUS_FILE_DELETED"},
	{0xc0000124, "STATUS_SPECIAL_ACCOUNT"},
	{0xc0000125, "STATUS_SPECIAL_GROUP"},
	{0xc0000126, "STATUS_SPECIAL_USER"},
	{0xc0000127, "STATUS_MEMBERS_PRIMARY_GROUP"},
	{0xc0000128, "STATUS_FILE_CLOSED"},
	{0xc0000129, "STATUS_TOO_MANY_THREADS"},
	{0xc000012a, "STATUS_THREAD_NOT_IN_PROCESS"},
	{0xc000012b, "STATUS_TOKEN_ALREADY_IN_USE"},
	{0xc000012c, "STATUS_PAGEFILE_QUOTA_EXCEEDED"},
	{0xc000012d, "STATUS_COMMITMENT_LIMIT"},
	{0xc000012e, "STATUS_INVALID_IMAGE_LE_FORMAT"},
	{0xc000012f, "STATUS_INVALID_IMAGE_NOT_MZ"},
	{0xc0000130, "STATUS_INVALID_IMAGE_PROTECT"},
	{0xc0000131, "STATUS_INVALID_IMAGE_WIN_16"},
	{0xc0000132, "STATUS_LOGON_SERVER_CONFLICT"},
	{0xc0000133, "STATUS_TIME_DIFFERENCE_AT_DC"},
	{0xc0000134, "STATUS_SYNCHRONIZATION_REQUIRED"},
	{0xc0000135, "STATUS_DLL_NOT_FOUND"},
	{0xc0000136, "STATUS_OPEN_FAILED"},
	{0xc0000137, "STATUS_IO_PRIVILEGE_FAILED"},
	{0xc0000138, "STATUS_ORDINAL_NOT_FOUND"},
	{0xc0000139, "STATUS_ENTRYPOINT_NOT_FOUND"},
	{0xc000013a, "STATUS_CONTROL_C_EXIT"},
	{0xc000013b, "STATUS_LOCAL_DISCONNECT"},
	{0xc000013c, "STATUS_REMOTE_DISCONNECT"},
	{0xc000013d, "STATUS_REMOTE_RESOURCES"},
	{0xc000013e, "STATUS_LINK_FAILED"},
	{0xc000013f, "STATUS_LINK_TIMEOUT"},
	{0xc0000140, "STATUS_INVALID_CONNECTION"},
	{0xc0000141, "STATUS_INVALID_ADDRESS"},
	{0xc0000142, "STATUS_DLL_INIT_FAILED"},
	{0xc0000143, "STATUS_MISSING_SYSTEMFILE"},
	{0xc0000144, "STATUS_UNHANDLED_EXCEPTION"},
	{0xc0000145, "STATUS_APP_INIT_FAILURE"},
	{0xc0000146, "STATUS_PAGEFILE_CREATE_FAILED"},
	{0xc0000147, "STATUS_NO_PAGEFILE"},
	{0xc0000148, "STATUS_INVALID_LEVEL"},
	{0xc0000149, "STATUS_WRONG_PASSWORD_CORE"},
	{0xc000014a, "STATUS_ILLEGAL_FLOAT_CONTEXT"},
	{0xc000014b, "STATUS_PIPE_BROKEN"},
	{0xc000014c, "STATUS_REGISTRY_CORRUPT"},
	{0xc000014d, "STATUS_REGISTRY_IO_FAILED"},
	{0xc000014e, "STATUS_NO_EVENT_PAIR"},
	{0xc000014f, "STATUS_UNRECOGNIZED_VOLUME"},
	{0xc0000150, "STATUS_SERIAL_NO_DEVICE_INITED"},
	{0xc0000151, "STATUS_NO_SUCH_ALIAS"},
	{0xc0000152, "STATUS_MEMBER_NOT_IN_ALIAS"},
	{0xc0000153, "STATUS_MEMBER_IN_ALIAS"},
	{0xc0000154, "STATUS_ALIAS_EXISTS"},
	{0xc0000155, "STATUS_LOGON_NOT_GRANTED"},
	{0xc0000156, "STATUS_TOO_MANY_SECRETS"},
	{0xc0000157, "STATUS_SECRET_TOO_LONG"},
	{0xc0000158, "STATUS_INTERNAL_DB_ERROR"},
	{0xc0000159, "STATUS_FULLSCREEN_MODE"},
	{0xc000015a, "STATUS_TOO_MANY_CONTEXT_IDS"},
	{0xc000015b, "STATUS_LOGON_TYPE_NOT_GRANTED"},
	{0xc000015c, "STATUS_NOT_REGISTRY_FILE"},
	{0xc000015d, "STATUS_NT_CROSS_ENCRYPTION_REQUIRED"},
	{0xc000015e, "STATUS_DOMAIN_CTRLR_CONFIG_ERROR"},
	{0xc000015f, "STATUS_FT_MISSING_MEMBER"},
	{0xc0000160, "STATUS_ILL_FORMED_SERVICE_ENTRY"},
	{0xc0000161, "STATUS_ILLEGAL_CHARACTER"},
	{0xc0000162, "STATUS_UNMAPPABLE_CHARACTER"},
	{0xc0000163, "STATUS_UNDEFINED_CHARACTER"},
	{0xc0000164, "STATUS_FLOPPY_VOLUME"},
	{0xc0000165, "STATUS_FLOPPY_ID_MARK_NOT_FOUND"},
	{0xc0000166, "STATUS_FLOPPY_WRONG_CYLINDER"},
	{0xc0000167, "STATUS_FLOPPY_UNKNOWN_ERROR"},
	{0xc0000168, "STATUS_FLOPPY_BAD_REGISTERS"},
	{0xc0000169, "STATUS_DISK_RECALIBRATE_FAILED"},
	{0xc000016a, "STATUS_DISK_OPERATION_FAILED"},
	{0xc000016b, "STATUS_DISK_RESET_FAILED"},
	{0xc000016c, "STATUS_SHARED_IRQ_BUSY"},
	{0xc000016d, "STATUS_FT_ORPHANING"},
	{0xc000016e, "STATUS_BIOS_FAILED_TO_CONNECT_INTERRUPT"},
	{0xc0000172, "STATUS_PARTITION_FAILURE"},
	{0xc0000173, "STATUS_INVALID_BLOCK_LENGTH"},
	{0xc0000174, "STATUS_DEVICE_NOT_PARTITIONED"},
	{0xc0000175, "STATUS_UNABLE_TO_LOCK_MEDIA"},
	{0xc0000176, "STATUS_UNABLE_TO_UNLOAD_MEDIA"},
	{0xc0000177, "STATUS_EOM_OVERFLOW"},
	{0xc0000178, "STATUS_NO_MEDIA"},
	{0xc000017a, "STATUS_NO_SUCH_MEMBER"},
	{0xc000017b, "STATUS_INVALID_MEMBER"},
	{0xc000017c, "STATUS_KEY_DELETED"},
	{0xc000017d, "STATUS_NO_LOG_SPACE"},
	{0xc000017e, "STATUS_TOO_MANY_SIDS"},
	{0xc000017f, "STATUS_LM_CROSS_ENCRYPTION_REQUIRED"},
	{0xc0000180, "STATUS_KEY_HAS_CHILDREN"},
	{0xc0000181, "STATUS_CHILD_MUST_BE_VOLATILE"},
	{0xc0000182, "STATUS_DEVICE_CONFIGURATION_ERROR"},
	{0xc0000183, "STATUS_DRIVER_INTERNAL_ERROR"},
	{0xc0000184, "STATUS_INVALID_DEVICE_STATE"},
	{0xc0000185, "STATUS_IO_DEVICE_ERROR"},
	{0xc0000186, "STATUS_DEVICE_PROTOCOL_ERROR"},
	{0xc0000187, "STATUS_BACKUP_CONTROLLER"},
	{0xc0000188, "STATUS_LOG_FILE_FULL"},
	{0xc0000189, "STATUS_TOO_LATE"},
	{0xc000018a, "STATUS_NO_TRUST_LSA_SECRET"},
	{0xc000018b, "STATUS_NO_TRUST_SAM_ACCOUNT"},
	{0xc000018c, "STATUS_TRUSTED_DOMAIN_FAILURE"},
	{0xc000018d, "STATUS_TRUSTED_RELATIONSHIP_FAILURE"},
	{0xc000018e, "STATUS_EVENTLOG_FILE_CORRUPT"},
	{0xc000018f, "STATUS_EVENTLOG_CANT_START"},
	{0xc0000190, "STATUS_TRUST_FAILURE"},
	{0xc0000191, "STATUS_MUTANT_LIMIT_EXCEEDED"},
	{0xc0000192, "STATUS_NETLOGON_NOT_STARTED"},
	{0xc0000193, "STATUS_ACCOUNT_EXPIRED"},
	{0xc0000194, "STATUS_POSSIBLE_DEADLOCK"},
	{0xc0000195, "STATUS_NETWORK_CREDENTIAL_CONFLICT"},
	{0xc0000196, "STATUS_REMOTE_SESSION_LIMIT"},
	{0xc0000197, "STATUS_EVENTLOG_FILE_CHANGED"},
	{0xc0000198, "STATUS_NOLOGON_INTERDOMAIN_TRUST_ACCOUNT"},
	{0xc0000199, "STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT"},
	{0xc000019a, "STATUS_NOLOGON_SERVER_TRUST_ACCOUNT"},
	{0xc000019b, "STATUS_DOMAIN_TRUST_INCONSISTENT"},
	{0xc000019c, "STATUS_FS_DRIVER_REQUIRED"},
	{0xc0000202, "STATUS_NO_USER_SESSION_KEY"},
	{0xc0000203, "STATUS_USER_SESSION_DELETED"},
	{0xc0000204, "STATUS_RESOURCE_LANG_NOT_FOUND"},
	{0xc0000205, "STATUS_INSUFF_SERVER_RESOURCES"},
	{0xc0000206, "STATUS_INVALID_BUFFER_SIZE"},
	{0xc0000207, "STATUS_INVALID_ADDRESS_COMPONENT"},
	{0xc0000208, "STATUS_INVALID_ADDRESS_WILDCARD"},
	{0xc0000209, "STATUS_TOO_MANY_ADDRESSES"},
	{0xc000020a, "STATUS_ADDRESS_ALREADY_EXISTS"},
	{0xc000020b, "STATUS_ADDRESS_CLOSED"},
	{0xc000020c, "STATUS_CONNECTION_DISCONNECTED"},
	{0xc000020d, "STATUS_CONNECTION_RESET"},
	{0xc000020e, "STATUS_TOO_MANY_NODES"},
	{0xc000020f, "STATUS_TRANSACTION_ABORTED"},
	{0xc0000210, "STATUS_TRANSACTION_TIMED_OUT"},
	{0xc0000211, "STATUS_TRANSACTION_NO_RELEASE"},
	{0xc0000212, "STATUS_TRANSACTION_NO_MATCH"},
	{0xc0000213, "STATUS_TRANSACTION_RESPONDED"},
	{0xc0000214, "STATUS_TRANSACTION_INVALID_ID"},
	{0xc0000215, "STATUS_TRANSACTION_INVALID_TYPE"},
	{0xc0000216, "STATUS_NOT_SERVER_SESSION"},
	{0xc0000217, "STATUS_NOT_CLIENT_SESSION"},
	{0xc0000218, "STATUS_CANNOT_LOAD_REGISTRY_FILE"},
	{0xc0000219, "STATUS_DEBUG_ATTACH_FAILED"},
	{0xc000021a, "STATUS_SYSTEM_PROCESS_TERMINATED"},
	{0xc000021b, "STATUS_DATA_NOT_ACCEPTED"},
	{0xc000021c, "STATUS_NO_BROWSER_SERVERS_FOUND"},
	{0xc000021d, "STATUS_VDM_HARD_ERROR"},
	{0xc000021e, "STATUS_DRIVER_CANCEL_TIMEOUT"},
	{0xc000021f, "STATUS_REPLY_MESSAGE_MISMATCH"},
	{0xc0000220, "STATUS_MAPPED_ALIGNMENT"},
	{0xc0000221, "STATUS_IMAGE_CHECKSUM_MISMATCH"},
	{0xc0000222, "STATUS_LOST_WRITEBEHIND_DATA"},
	{0xc0000223, "STATUS_CLIENT_SERVER_PARAMETERS_INVALID"},
	{0xc0000224, "STATUS_PASSWORD_MUST_CHANGE"},
	{0xc0000225, "STATUS_NOT_FOUND"},
	{0xc0000226, "STATUS_NOT_TINY_STREAM"},
	{0xc0000227, "STATUS_RECOVERY_FAILURE"},
	{0xc0000228, "STATUS_STACK_OVERFLOW_READ"},
	{0xc0000229, "STATUS_FAIL_CHECK"},
	{0xc000022a, "STATUS_DUPLICATE_OBJECTID"},
	{0xc000022b, "STATUS_OBJECTID_EXISTS"},
	{0xc000022c, "STATUS_CONVERT_TO_LARGE"},
	{0xc000022d, "STATUS_RETRY"},
	{0xc000022e, "STATUS_FOUND_OUT_OF_SCOPE"},
	{0xc000022f, "STATUS_ALLOCATE_BUCKET"},
	{0xc0000230, "STATUS_PROPSET_NOT_FOUND"},
	{0xc0000231, "STATUS_MARSHALL_OVERFLOW"},
	{0xc0000232, "STATUS_INVALID_VARIANT"},
	{0xc0000233, "STATUS_DOMAIN_CONTROLLER_NOT_FOUND"},
	{0xc0000234, "STATUS_ACCOUNT_LOCKED_OUT"},
	{0xc0000235, "STATUS_HANDLE_NOT_CLOSABLE"},
	{0xc0000236, "STATUS_CONNECTION_REFUSED"},
	{0xc0000237, "STATUS_GRACEFUL_DISCONNECT"},
	{0xc0000238, "STATUS_ADDRESS_ALREADY_ASSOCIATED"},
	{0xc0000239, "STATUS_ADDRESS_NOT_ASSOCIATED"},
	{0xc000023a, "STATUS_CONNECTION_INVALID"},
	{0xc000023b, "STATUS_CONNECTION_ACTIVE"},
	{0xc000023c, "STATUS_NETWORK_UNREACHABLE"},
	{0xc000023d, "STATUS_HOST_UNREACHABLE"},
	{0xc000023e, "STATUS_PROTOCOL_UNREACHABLE"},
	{0xc000023f, "STATUS_PORT_UNREACHABLE"},
	{0xc0000240, "STATUS_REQUEST_ABORTED"},
	{0xc0000241, "STATUS_CONNECTION_ABORTED"},
	{0xc0000242, "STATUS_BAD_COMPRESSION_BUFFER"},
	{0xc0000243, "STATUS_USER_MAPPED_FILE"},
	{0xc0000244, "STATUS_AUDIT_FAILED"},
	{0xc0000245, "STATUS_TIMER_RESOLUTION_NOT_SET"},
	{0xc0000246, "STATUS_CONNECTION_COUNT_LIMIT"},
	{0xc0000247, "STATUS_LOGIN_TIME_RESTRICTION"},
	{0xc0000248, "STATUS_LOGIN_WKSTA_RESTRICTION"},
	{0xc0000249, "STATUS_IMAGE_MP_UP_MISMATCH"},
	{0xc0000250, "STATUS_INSUFFICIENT_LOGON_INFO"},
	{0xc0000251, "STATUS_BAD_DLL_ENTRYPOINT"},
	{0xc0000252, "STATUS_BAD_SERVICE_ENTRYPOINT"},
	{0xc0000253, "STATUS_LPC_REPLY_LOST"},
	{0xc0000254, "STATUS_IP_ADDRESS_CONFLICT1"},
	{0xc0000255, "STATUS_IP_ADDRESS_CONFLICT2"},
	{0xc0000256, "STATUS_REGISTRY_QUOTA_LIMIT"},
	{0xc0000257, "STATUS_PATH_NOT_COVERED"},
	{0xc0000258, "STATUS_NO_CALLBACK_ACTIVE"},
	{0xc0000259, "STATUS_LICENSE_QUOTA_EXCEEDED"},
	{0xc000025a, "STATUS_PWD_TOO_SHORT"},
	{0xc000025b, "STATUS_PWD_TOO_RECENT"},
	{0xc000025c, "STATUS_PWD_HISTORY_CONFLICT"},
	{0xc000025e, "STATUS_PLUGPLAY_NO_DEVICE"},
	{0xc000025f, "STATUS_UNSUPPORTED_COMPRESSION"},
	{0xc0000260, "STATUS_INVALID_HW_PROFILE"},
	{0xc0000261, "STATUS_INVALID_PLUGPLAY_DEVICE_PATH"},
	{0xc0000262, "STATUS_DRIVER_ORDINAL_NOT_FOUND"},
	{0xc0000263, "STATUS_DRIVER_ENTRYPOINT_NOT_FOUND"},
	{0xc0000264, "STATUS_RESOURCE_NOT_OWNED"},
	{0xc0000265, "STATUS_TOO_MANY_LINKS"},
	{0xc0000266, "STATUS_QUOTA_LIST_INCONSISTENT"},
	{0xc0000267, "STATUS_FILE_IS_OFFLINE"},
	{0xc0000268, "STATUS_EVALUATION_EXPIRATION"},
	{0xc0000269, "STATUS_ILLEGAL_DLL_RELOCATION"},
	{0xc000026a, "STATUS_LICENSE_VIOLATION"},
	{0xc000026b, "STATUS_DLL_INIT_FAILED_LOGOFF"},
	{0xc000026c, "STATUS_DRIVER_UNABLE_TO_LOAD"},
	{0xc000026d, "STATUS_DFS_UNAVAILABLE"},
	{0xc000026e, "STATUS_VOLUME_DISMOUNTED"},
	{0xc000026f, "STATUS_WX86_INTERNAL_ERROR"},
	{0xc0000270, "STATUS_WX86_FLOAT_STACK_CHECK"},
	{0xc0000271, "STATUS_VALIDATE_CONTINUE"},
	{0xc0000272, "STATUS_NO_MATCH"},
	{0xc0000273, "STATUS_NO_MORE_MATCHES"},
	{0xc0000275, "STATUS_NOT_A_REPARSE_POINT"},
	{0xc0000276, "STATUS_IO_REPARSE_TAG_INVALID"},
	{0xc0000277, "STATUS_IO_REPARSE_TAG_MISMATCH"},
	{0xc0000278, "STATUS_IO_REPARSE_DATA_INVALID"},
	{0xc0000279, "STATUS_IO_REPARSE_TAG_NOT_HANDLED"},
	{0xc0000280, "STATUS_REPARSE_POINT_NOT_RESOLVED"},
	{0xc0000281, "STATUS_DIRECTORY_IS_A_REPARSE_POINT"},
	{0xc0000282, "STATUS_RANGE_LIST_CONFLICT"},
	{0xc0000283, "STATUS_SOURCE_ELEMENT_EMPTY"},
	{0xc0000284, "STATUS_DESTINATION_ELEMENT_FULL"},
	{0xc0000285, "STATUS_ILLEGAL_ELEMENT_ADDRESS"},
	{0xc0000286, "STATUS_MAGAZINE_NOT_PRESENT"},
	{0xc0000287, "STATUS_REINITIALIZATION_NEEDED"},
	{0xc000028a, "STATUS_ENCRYPTION_FAILED"},
	{0xc000028b, "STATUS_DECRYPTION_FAILED"},
	{0xc000028c, "STATUS_RANGE_NOT_FOUND"},
	{0xc000028d, "STATUS_NO_RECOVERY_POLICY"},
	{0xc000028e, "STATUS_NO_EFS"},
	{0xc000028f, "STATUS_WRONG_EFS"},
	{0xc0000290, "STATUS_NO_USER_KEYS"},
	{0xc0000291, "STATUS_FILE_NOT_ENCRYPTED"},
	{0xc0000292, "STATUS_NOT_EXPORT_FORMAT"},
	{0xc0000293, "STATUS_FILE_ENCRYPTED"},
	{0xc0000295, "STATUS_WMI_GUID_NOT_FOUND"},
	{0xc0000296, "STATUS_WMI_INSTANCE_NOT_FOUND"},
	{0xc0000297, "STATUS_WMI_ITEMID_NOT_FOUND"},
	{0xc0000298, "STATUS_WMI_TRY_AGAIN"},
	{0xc0000299, "STATUS_SHARED_POLICY"},
	{0xc000029a, "STATUS_POLICY_OBJECT_NOT_FOUND"},
	{0xc000029b, "STATUS_POLICY_ONLY_IN_DS"},
	{0xc000029c, "STATUS_VOLUME_NOT_UPGRADED"},
	{0xc000029d, "STATUS_REMOTE_STORAGE_NOT_ACTIVE"},
	{0xc000029e, "STATUS_REMOTE_STORAGE_MEDIA_ERROR"},
	{0xc000029f, "STATUS_NO_TRACKING_SERVICE"},
	{0xc00002a0, "STATUS_SERVER_SID_MISMATCH"},
	{0xc00002a1, "STATUS_DS_NO_ATTRIBUTE_OR_VALUE"},
	{0xc00002a2, "STATUS_DS_INVALID_ATTRIBUTE_SYNTAX"},
	{0xc00002a3, "STATUS_DS_ATTRIBUTE_TYPE_UNDEFINED"},
	{0xc00002a4, "STATUS_DS_ATTRIBUTE_OR_VALUE_EXISTS"},
	{0xc00002a5, "STATUS_DS_BUSY"},
	{0xc00002a6, "STATUS_DS_UNAVAILABLE"},
	{0xc00002a7, "STATUS_DS_NO_RIDS_ALLOCATED"},
	{0xc00002a8, "STATUS_DS_NO_MORE_RIDS"},
	{0xc00002a9, "STATUS_DS_INCORRECT_ROLE_OWNER"},
	{0xc00002aa, "STATUS_DS_RIDMGR_INIT_ERROR"},
	{0xc00002ab, "STATUS_DS_OBJ_CLASS_VIOLATION"},
	{0xc00002ac, "STATUS_DS_CANT_ON_NON_LEAF"},
	{0xc00002ad, "STATUS_DS_CANT_ON_RDN"},
	{0xc00002ae, "STATUS_DS_CANT_MOD_OBJ_CLASS"},
	{0xc00002af, "STATUS_DS_CROSS_DOM_MOVE_FAILED"},
	{0xc00002b0, "STATUS_DS_GC_NOT_AVAILABLE"},
	{0xc00002b1, "STATUS_DIRECTORY_SERVICE_REQUIRED"},
	{0xc00002b2, "STATUS_REPARSE_ATTRIBUTE_CONFLICT"},
	{0xc00002b3, "STATUS_CANT_ENABLE_DENY_ONLY"},
	{0xc00002b4, "STATUS_FLOAT_MULTIPLE_FAULTS"},
	{0xc00002b5, "STATUS_FLOAT_MULTIPLE_TRAPS"},
	{0xc00002b6, "STATUS_DEVICE_REMOVED"},
	{0xc00002b7, "STATUS_JOURNAL_DELETE_IN_PROGRESS"},
	{0xc00002b8, "STATUS_JOURNAL_NOT_ACTIVE"},
	{0xc00002b9, "STATUS_NOINTERFACE"},
	{0xc00002c1, "STATUS_DS_ADMIN_LIMIT_EXCEEDED"},
	{0xc00002c2, "STATUS_DRIVER_FAILED_SLEEP"},
	{0xc00002c3, "STATUS_MUTUAL_AUTHENTICATION_FAILED"},
	{0xc00002c4, "STATUS_CORRUPT_SYSTEM_FILE"},
	{0xc00002c5, "STATUS_DATATYPE_MISALIGNMENT_ERROR"},
	{0xc00002c6, "STATUS_WMI_READ_ONLY"},
	{0xc00002c7, "STATUS_WMI_SET_FAILURE"},
	{0xc00002c8, "STATUS_COMMITMENT_MINIMUM"},
	{0xc00002c9, "STATUS_REG_NAT_CONSUMPTION"},
	{0xc00002ca, "STATUS_TRANSPORT_FULL"},
	{0xc00002cb, "STATUS_DS_SAM_INIT_FAILURE"},
	{0xc00002cc, "STATUS_ONLY_IF_CONNECTED"},
	{0xc00002cd, "STATUS_DS_SENSITIVE_GROUP_VIOLATION"},
	{0xc00002ce, "STATUS_PNP_RESTART_ENUMERATION"},
	{0xc00002cf, "STATUS_JOURNAL_ENTRY_DELETED"},
	{0xc00002d0, "STATUS_DS_CANT_MOD_PRIMARYGROUPID"},
	{0xc00002d1, "STATUS_SYSTEM_IMAGE_BAD_SIGNATURE"},
	{0xc00002d2, "STATUS_PNP_REBOOT_REQUIRED"},
	{0xc00002d3, "STATUS_POWER_STATE_INVALID"},
	{0xc00002d4, "STATUS_DS_INVALID_GROUP_TYPE"},
	{0xc00002d5, "STATUS_DS_NO_NEST_GLOBALGROUP_IN_MIXEDDOMAIN"},
	{0xc00002d6, "STATUS_DS_NO_NEST_LOCALGROUP_IN_MIXEDDOMAIN"},
	{0xc00002d7, "STATUS_DS_GLOBAL_CANT_HAVE_LOCAL_MEMBER"},
	{0xc00002d8, "STATUS_DS_GLOBAL_CANT_HAVE_UNIVERSAL_MEMBER"},
	{0xc00002d9, "STATUS_DS_UNIVERSAL_CANT_HAVE_LOCAL_MEMBER"},
	{0xc00002da, "STATUS_DS_GLOBAL_CANT_HAVE_CROSSDOMAIN_MEMBER"},
	{0xc00002db, "STATUS_DS_LOCAL_CANT_HAVE_CROSSDOMAIN_LOCAL_MEMBER"},
	{0xc00002dc, "STATUS_DS_HAVE_PRIMARY_MEMBERS"},
	{0xc00002dd, "STATUS_WMI_NOT_SUPPORTED"},
	{0xc00002de, "STATUS_INSUFFICIENT_POWER"},
	{0xc00002df, "STATUS_SAM_NEED_BOOTKEY_PASSWORD"},
	{0xc00002e0, "STATUS_SAM_NEED_BOOTKEY_FLOPPY"},
	{0xc00002e1, "STATUS_DS_CANT_START"},
	{0xc00002e2, "STATUS_DS_INIT_FAILURE"},
	{0xc00002e3, "STATUS_SAM_INIT_FAILURE"},
	{0xc00002e4, "STATUS_DS_GC_REQUIRED"},
	{0xc00002e5, "STATUS_DS_LOCAL_MEMBER_OF_LOCAL_ONLY"},
	{0xc00002e6, "STATUS_DS_NO_FPO_IN_UNIVERSAL_GROUPS"},
	{0xc00002e7, "STATUS_DS_MACHINE_ACCOUNT_QUOTA_EXCEEDED"},
	{0xc00002e8, "STATUS_MULTIPLE_FAULT_VIOLATION"},
	{0xc0000300, "STATUS_NOT_SUPPORTED_ON_SBS"},
	{0xc000035c, "STATUS_NETWORK_SESSION_EXPIRED"},
	{0xc0000463, "STATUS_DEVICE_FEATURE_NOT_SUPPORTED"},
	{0xc0000464, "STATUS_DEVICE_UNREACHABLE"},
	{0xc0000465, "STATUS_INVALID_TOKEN"},
	{0xc0009898, "STATUS_WOW_ASSERTION"},
	{0xc0020001, "RPC_NT_INVALID_STRING_BINDING"},
	{0xc0020002, "RPC_NT_WRONG_KIND_OF_BINDING"},
	{0xc0020003, "RPC_NT_INVALID_BINDING"},
	{0xc0020004, "RPC_NT_PROTSEQ_NOT_SUPPORTED"},
	{0xc0020005, "RPC_NT_INVALID_RPC_PROTSEQ"},
	{0xc0020006, "RPC_NT_INVALID_STRING_UUID"},
	{0xc0020007, "RPC_NT_INVALID_ENDPOINT_FORMAT"},
	{0xc0020008, "RPC_NT_INVALID_NET_ADDR"},
	{0xc0020009, "RPC_NT_NO_ENDPOINT_FOUND"},
	{0xc002000a, "RPC_NT_INVALID_TIMEOUT"},
	{0xc002000b, "RPC_NT_OBJECT_NOT_FOUND"},
	{0xc002000c, "RPC_NT_ALREADY_REGISTERED"},
	{0xc002000d, "RPC_NT_TYPE_ALREADY_REGISTERED"},
	{0xc002000e, "RPC_NT_ALREADY_LISTENING"},
	{0xc002000f, "RPC_NT_NO_PROTSEQS_REGISTERED"},
	{0xc0020010, "RPC_NT_NOT_LISTENING"},
	{0xc0020011, "RPC_NT_UNKNOWN_MGR_TYPE"},
	{0xc0020012, "RPC_NT_UNKNOWN_IF"},
	{0xc0020013, "RPC_NT_NO_BINDINGS"},
	{0xc0020014, "RPC_NT_NO_PROTSEQS"},
	{0xc0020015, "RPC_NT_CANT_CREATE_ENDPOINT"},
	{0xc0020016, "RPC_NT_OUT_OF_RESOURCES"},
	{0xc0020017, "RPC_NT_SERVER_UNAVAILABLE"},
	{0xc0020018, "RPC_NT_SERVER_TOO_BUSY"},
	{0xc0020019, "RPC_NT_INVALID_NETWORK_OPTIONS"},
	{0xc002001a, "RPC_NT_NO_CALL_ACTIVE"},
	{0xc002001b, "RPC_NT_CALL_FAILED"},
	{0xc002001c, "RPC_NT_CALL_FAILED_DNE"},
	{0xc002001d, "RPC_NT_PROTOCOL_ERROR"},
	{0xc002001f, "RPC_NT_UNSUPPORTED_TRANS_SYN"},
	{0xc0020021, "RPC_NT_UNSUPPORTED_TYPE"},
	{0xc0020022, "RPC_NT_INVALID_TAG"},
	{0xc0020023, "RPC_NT_INVALID_BOUND"},
	{0xc0020024, "RPC_NT_NO_ENTRY_NAME"},
	{0xc0020025, "RPC_NT_INVALID_NAME_SYNTAX"},
	{0xc0020026, "RPC_NT_UNSUPPORTED_NAME_SYNTAX"},
	{0xc0020028, "RPC_NT_UUID_NO_ADDRESS"},
	{0xc0020029, "RPC_NT_DUPLICATE_ENDPOINT"},
	{0xc002002a, "RPC_NT_UNKNOWN_AUTHN_TYPE"},
	{0xc002002b, "RPC_NT_MAX_CALLS_TOO_SMALL"},
	{0xc002002c, "RPC_NT_STRING_TOO_LONG"},
	{0xc002002d, "RPC_NT_PROTSEQ_NOT_FOUND"},
	{0xc002002e, "RPC_NT_PROCNUM_OUT_OF_RANGE"},
	{0xc002002f, "RPC_NT_BINDING_HAS_NO_AUTH"},
	{0xc0020030, "RPC_NT_UNKNOWN_AUTHN_SERVICE"},
	{0xc0020031, "RPC_NT_UNKNOWN_AUTHN_LEVEL"},
	{0xc0020032, "RPC_NT_INVALID_AUTH_IDENTITY"},
	{0xc0020033, "RPC_NT_UNKNOWN_AUTHZ_SERVICE"},
	{0xc0020034, "EPT_NT_INVALID_ENTRY"},
	{0xc0020035, "EPT_NT_CANT_PERFORM_OP"},
	{0xc0020036, "EPT_NT_NOT_REGISTERED"},
	{0xc0020037, "RPC_NT_NOTHING_TO_EXPORT"},
	{0xc0020038, "RPC_NT_INCOMPLETE_NAME"},
	{0xc0020039, "RPC_NT_INVALID_VERS_OPTION"},
	{0xc002003a, "RPC_NT_NO_MORE_MEMBERS"},
	{0xc002003b, "RPC_NT_NOT_ALL_OBJS_UNEXPORTED"},
	{0xc002003c, "RPC_NT_INTERFACE_NOT_FOUND"},
	{0xc002003d, "RPC_NT_ENTRY_ALREADY_EXISTS"},
	{0xc002003e, "RPC_NT_ENTRY_NOT_FOUND"},
	{0xc002003f, "RPC_NT_NAME_SERVICE_UNAVAILABLE"},
	{0xc0020040, "RPC_NT_INVALID_NAF_ID"},
	{0xc0020041, "RPC_NT_CANNOT_SUPPORT"},
	{0xc0020042, "RPC_NT_NO_CONTEXT_AVAILABLE"},
	{0xc0020043, "RPC_NT_INTERNAL_ERROR"},
	{0xc0020044, "RPC_NT_ZERO_DIVIDE"},
	{0xc0020045, "RPC_NT_ADDRESS_ERROR"},
	{0xc0020046, "RPC_NT_FP_DIV_ZERO"},
	{0xc0020047, "RPC_NT_FP_UNDERFLOW"},
	{0xc0020048, "RPC_NT_FP_OVERFLOW"},
	{0xc0020049, "RPC_NT_CALL_IN_PROGRESS"},
	{0xc002004a, "RPC_NT_NO_MORE_BINDINGS"},
	{0xc002004b, "RPC_NT_GROUP_MEMBER_NOT_FOUND"},
	{0xc002004c, "EPT_NT_CANT_CREATE"},
	{0xc002004d, "RPC_NT_INVALID_OBJECT"},
	{0xc002004f, "RPC_NT_NO_INTERFACES"},
	{0xc0020050, "RPC_NT_CALL_CANCELLED"},
	{0xc0020051, "RPC_NT_BINDING_INCOMPLETE"},
	{0xc0020052, "RPC_NT_COMM_FAILURE"},
	{0xc0020053, "RPC_NT_UNSUPPORTED_AUTHN_LEVEL"},
	{0xc0020054, "RPC_NT_NO_PRINC_NAME"},
	{0xc0020055, "RPC_NT_NOT_RPC_ERROR"},
	{0xc0020057, "RPC_NT_SEC_PKG_ERROR"},
	{0xc0020058, "RPC_NT_NOT_CANCELLED"},
	{0xc0021007, "RPC_P_RECEIVE_ALERTED"},
	{0xc0021008, "RPC_P_CONNECTION_CLOSED"},
	{0xc0021009, "RPC_P_RECEIVE_FAILED"},
	{0xc002100a, "RPC_P_SEND_FAILED"},
	{0xc002100b, "RPC_P_TIMEOUT"},
	{0xc002100c, "RPC_P_SERVER_TRANSPORT_ERROR"},
	{0xc002100e, "RPC_P_EXCEPTION_OCCURED"},
	{0xc0021012, "RPC_P_CONNECTION_SHUTDOWN"},
	{0xc0021015, "RPC_P_THREAD_LISTENING"},
	{0xc0030001, "RPC_NT_NO_MORE_ENTRIES"},
	{0xc0030002, "RPC_NT_SS_CHAR_TRANS_OPEN_FAIL"},
	{0xc0030003, "RPC_NT_SS_CHAR_TRANS_SHORT_FILE"},
	{0xc0030004, "RPC_NT_SS_IN_NULL_CONTEXT"},
	{0xc0030005, "RPC_NT_SS_CONTEXT_MISMATCH"},
	{0xc0030006, "RPC_NT_SS_CONTEXT_DAMAGED"},
	{0xc0030007, "RPC_NT_SS_HANDLES_MISMATCH"},
	{0xc0030008, "RPC_NT_SS_CANNOT_GET_CALL_HANDLE"},
	{0xc0030009, "RPC_NT_NULL_REF_POINTER"},
	{0xc003000a, "RPC_NT_ENUM_VALUE_OUT_OF_RANGE"},
	{0xc003000b, "RPC_NT_BYTE_COUNT_TOO_SMALL"},
	{0xc003000c, "RPC_NT_BAD_STUB_DATA"},
	{0xc0030059, "RPC_NT_INVALID_ES_ACTION"},
	{0xc003005a, "RPC_NT_WRONG_ES_VERSION"},
	{0xc003005b, "RPC_NT_WRONG_STUB_VERSION"},
	{0xc003005c, "RPC_NT_INVALID_PIPE_OBJECT"},
	{0xc003005d, "RPC_NT_INVALID_PIPE_OPERATION"},
	{0xc003005e, "RPC_NT_WRONG_PIPE_VERSION"},
	{0xc05c0000, "STATUS_SVHDX_ERROR_STORED"},
	{0xc05cff00, "STATUS_SVHDX_ERROR_NOT_AVAILABLE"},
	{0xc05cff01, "STATUS_SVHDX_UNIT_ATTENTION_AVAILABLE"},
	{0xc05cff02, "STATUS_SVHDX_UNIT_ATTENTION_CAPACITY_DATA_CHANGED"},
	{0xc05cff03, "STATUS_SVHDX_UNIT_ATTENTION_RESERVATIONS_PREEMPTED"},
	{0xc05cff04, "STATUS_SVHDX_UNIT_ATTENTION_RESERVATIONS_RELEASED"},
	{0xc05cff05, "STATUS_SVHDX_UNIT_ATTENTION_REGISTRATIONS_PREEMPTED"},
	{0xc05cff06, "STATUS_SVHDX_UNIT_ATTENTION_OPERATING_DEFINITION_CHANGED"},
	{0xc05cff07, "STATUS_SVHDX_RESERVATION_CONFLICT"},
	{0xc05cff08, "STATUS_SVHDX_WRONG_FILE_TYPE"},
	{0xc05cff09, "STATUS_SVHDX_VERSION_MISMATCH"},
	{0xc05cff0a, "STATUS_VHD_SHARED"},
}

var dosErrorNames = map[uint16]string{
	0x0000: "Success",
	0x0001: "Invalid function (or system call)",
	0x0002: "File not found (pathname error)",
	0x0003: "Directory not found",
	0x0004: "Too many open files",
	0x0005: "Access denied",
	0x0006: "Invalid fid",
	0x0007: "Memory control blocks destroyed",
	0x0008: "Out of memory",
	0x0009: "Invalid memory block address",
	0x000a: "Invalid environment",
	0x000b: "Invalid format",
	0x000c: "Invalid open mode",
	0x000d: "Invalid data (only from ioctl call)",
	0x000e: "Reserved error code?",
	0x000f: "Invalid drive",
	0x0010: "Attempt to delete current directory",
	0x0011: "Rename/move across different filesystems",
	0x0012: "No more files found in file search",
	0x001f: "General failure",
	0x0020: "Share mode on file conflict with open mode",
	0x0021: "Lock request conflicts with existing lock",
	0x0032: "Request unsupported, returned by Win 95",
	0x0040: "Network name deleted or not available",
	0x0042: "Don't support ipc",
	0x0043: "Requested share does not exist",
	0x0050: "File in operation already exists",
	0x0057: "Invalid parameter",
	0x006e: "Cannot open the file specified",
	0x006f: "Buffer overflow",
	0x007a: "Insufficient buffer",
	0x007b: "Invalid name",
	0x007c: "Unknown info level",
	0x009e: "This region is not locked by this locking context.",
	0x00a1: "Invalid Path",
	0x00ad: "Cancel violation",
	0x00ae: "No atomic clocks",
	0x00b7: "File already exists",
	0x00e6: "Named pipe invalid",
	0x00e7: "All instances of pipe are busy",
	0x00e8: "Named pipe close in progress",
	0x00e9: "No process on other end of named pipe",
	0x00ea: "More data to be returned",
	0x00ff: "ea inconsistent",
	0x0103: "No more items",
	0x010b: "Invalid directory name in a path.",
	0x0113: "Extended attributes didn't fit",
	0x011a: "Extended attributes not supported",
	0x03fe: "Buffer too small to return change notify.",
	0x051b: "Invalid security descriptor owner",
	0x052e: "Unknown username or bad password",
	0x053a: "Invalid security descriptor",
	0x06ba: "Server unavailable",
	0x0703: "Printer driver already installed",
	0x0704: "Error unknown port",
	0x0705: "Unknown printer driver",
	0x0706: "Unknown print processor",
	0x0707: "Invalid separator file",
	0x0708: "Invalid priority",
	0x0709: "Invalid printer name",
	0x070a: "Printer already exists",
	0x070b: "Invalid printer command",
	0x070c: "Invalid datatype",
	0x070d: "Invalid environment",
	0x076f: "Invalid form size",
	0x084b: "Buffer too small",
	0x085e: "Unknown IPC Operation",
	0x0867: "No such print job",
	0x0997: "Invalid Group",
	0x0bb8: "Unknown print monitor",
	0x0bb9: "Printer driver in use",
	0x0bba: "Spool file not found",
	0x0bbb: "Error_spl_no_startdoc",
	0x0bbc: "Spl no addjob",
	0x0bbd: "Print processor already installed",
	0x0bbe: "Print monitor already installed",
	0x0bbf: "Invalid print monitor",
	0x0bc0: "Print monitor in use",
	0x0bc1: "Printer has jobs queued",
}
var srvErrorNames = map[uint16]string{
	0x0001: "Non specific error code",
	0x0002: "Bad password",
	0x0003: "Reserved",
	0x0004: "No permissions to perform the requested operation",
	0x0005: "TID invalid",
	0x0006: "Invalid network name. Service not found",
	0x0007: "Invalid device",
	0x0016: "Unknown SMB, from NT 3.5 response",
	0x0031: "Print queue full",
	0x0032: "Queued item too big",
	0x0033: "EOF in print queue dump",
	0x0034: "Invalid print file in smb_fid",
	0x0040: "Unrecognised command",
	0x0041: "SMB server internal error",
	0x0043: "Fid and pathname invalid combination",
	0x0044: "Bad link in request ???",
	0x0045: "Access specified for a file is not valid",
	0x0046: "Bad process id in request",
	0x0047: "Attribute mode invalid",
	0x0051: "Message server paused",
	0x0052: "Not receiving messages",
	0x0053: "No room for message",
	0x0057: "Too many remote usernames",
	0x0058: "Operation timed out",
	0x0059: "No resources currently available for request.",
	0x005a: "Too many userids",
	0x005b: "Bad userid",
	0x00fa: "Temporarily unable to use raw mode, use MPX mode",
	0x00fb: "Temporarily unable to use raw mode, use standard mode",
	0x00fc: "Resume MPX mode",
	0x00fd: "Bad Password???",
	0xffff: "Operation not supported",
}
var hrdErrorNames = map[uint16]string{
	0x0013: "Read only media",
	0x0014: "Unknown device",
	0x0015: "Drive not ready",
	0x0016: "Unknown command",
	0x0017: "Data (CRC) error",
	0x0018: "Bad request structure length",
	0x0019: "Seek error",
	0x001a: "Unknown media type",
	0x001b: "Sector not found",
	0x001c: "Printer out of paper",
	0x001d: "Write fault",
	0x001e: "Read fault",
	0x001f: "General failure",
	0x0020: "An open conflicts with an existing open",
	0x0021: "Lock conflict/invalid mode, or unlock of another process's lock",
	0x0022: "The wrong disk was found in a drive",
	0x0023: "No FCBs are available to process request",
	0x0024: "A sharing buffer has been exceeded",
	0x0027: "Disk full???",
}
