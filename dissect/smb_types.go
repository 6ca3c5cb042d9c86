package dissect

// The value types of the SMB1 header ([MS-CIFS] §2.2.3.1): the command
// code, Flags and Flags2, and the status (an NT status, [MS-ERREF] §2.3, or
// a DOS-style error class and code, [MS-CIFS] §2.2.2.4), with Wireshark's
// names for them. The name tables are in smb_tables.go.

import "strconv"

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
// ([MS-CIFS] §2.2.3.4), as the dispatch table of smb_commands.go says.
func (c SMBCommand) IsAndX() bool { return smbCommands[c].andX }

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

// appendHex16 appends v as 4 lower-case hex digits.
func appendHex16(b []byte, v uint16) []byte {
	return append(b, hexdigits[v>>12], hexdigits[v>>8&0xf], hexdigits[v>>4&0xf], hexdigits[v&0xf])
}
