package dissect

import (
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// RAP, the LAN Manager Remote Administration Protocol, carried in
// SMB_COM_TRANSACTION on the named pipe \PIPE\LANMAN (Leach/Naik, "CIFS
// Remote Administration Protocol", draft-leach-cifs-rap-spec-00;
// [MS-RAP] §2.5; Hertel, Implementing CIFS §3.10 and §4.1). This is how a
// browser client fetches the server list (NetServerEnum2) from a master
// browser, and how old clients list shares (NetShareEnum).
//
// Byte order: little-endian.
//
// The engine hands this decoder the complete (reassembled) transaction
// parameter and data blocks; see RAPRequest.Decode and RAPResponse.Decode.
// How the blocks are read is told by descriptor strings (rap_desc.go, walked
// by rap_walk.go); the item tables of rap_tables.go only say what each value
// means, as Wireshark's packet-smb-pipe.c does, so that fields print as
// tshark 4.0 prints them. The blocks are walked once, by Decode
// (rap_decode.go), which fills the typed result and records each value as
// the tree shows it; AppendTree (rap_tree.go) builds the tree from that.

// RAPFunction is the RAP function code (API number), the first word of a
// RAPFunction is the RAP function code (API number), the first word of a
// request's parameters ([MS-RAP] §2.5.1; Leach/Naik Appendix A).
type RAPFunction uint16

// The function codes nbtsniff decodes beyond the generic descriptor walk
// ([MS-RAP] §2.5.1, table of RAPOpcodes).
const (
	RAPNetShareEnum       RAPFunction = 0
	RAPNetShareGetInfo    RAPFunction = 1
	RAPNetServerGetInfo   RAPFunction = 13
	RAPNetUserGetInfo     RAPFunction = 56
	RAPNetUserGetGroups   RAPFunction = 59
	RAPNetWkstaGetInfo    RAPFunction = 63
	RAPNetRemoteTOD       RAPFunction = 91
	RAPNetServerEnum      RAPFunction = 94
	RAPNetServerEnum2     RAPFunction = 104
	RAPNetWkstaUserLogon  RAPFunction = 132
	RAPNetWkstaUserLogoff RAPFunction = 133
	RAPSamOEMChangePasswd RAPFunction = 214
	RAPNetServerEnum3     RAPFunction = 215
)

// Name returns the function's name, or "" when it has none.
func (f RAPFunction) Name() string {
	if int(f) < len(rapFunctionNames) {
		return rapFunctionNames[f]
	}
	return ""
}

// AppendName appends the name, or "Unknown Command (N)" as Wireshark says.
func (f RAPFunction) AppendName(b []byte) []byte {
	if n := f.Name(); n != "" {
		return append(b, n...)
	}
	b = append(b, "Unknown Command ("...)
	b = rapAppendInt(b, int(f))
	return append(b, ')')
}

func (f RAPFunction) String() string { return string(f.AppendName(nil)) }

// IsServerEnum reports whether the function returns a server list
// (NetServerEnum, NetServerEnum2, NetServerEnum3).
func (f RAPFunction) IsServerEnum() bool {
	return f == RAPNetServerEnum2 || f == RAPNetServerEnum3 || f == RAPNetServerEnum
}

// RAPStatus is the status word of a response: a Win32 error code below
// 2100 or a LAN Manager NERR_ code (the Win32ErrorCode of the [MS-RAP]
// response message; lmerr.h).
type RAPStatus uint16

// Status codes seen in browsing and share enumeration.
const (
	RAPSuccess                RAPStatus = 0    // NERR_Success
	RAPAccessDenied           RAPStatus = 5    // ERROR_ACCESS_DENIED
	RAPNotSupported           RAPStatus = 50   // ERROR_NOT_SUPPORTED
	RAPNetworkAccessDenied    RAPStatus = 65   // ERROR_NETWORK_ACCESS_DENIED
	RAPInvalidPassword        RAPStatus = 86   // ERROR_INVALID_PASSWORD
	RAPInvalidParameter       RAPStatus = 87   // ERROR_INVALID_PARAMETER
	RAPInvalidLevel           RAPStatus = 124  // ERROR_INVALID_LEVEL
	RAPMoreData               RAPStatus = 234  // ERROR_MORE_DATA: partial list, more entries available
	RAPNetNotStarted          RAPStatus = 2102 // NERR_NetNotStarted
	RAPUnknownServer          RAPStatus = 2103 // NERR_UnknownServer
	RAPServerNotStarted       RAPStatus = 2114 // NERR_ServerNotStarted
	RAPBufTooSmall            RAPStatus = 2123 // NERR_BufTooSmall
	RAPRemoteErr              RAPStatus = 2127 // NERR_RemoteErr
	RAPWkstaNotStarted        RAPStatus = 2138 // NERR_WkstaNotStarted
	RAPBadTransactConfig      RAPStatus = 2141 // NERR_BadTransactConfig: IPC$ not shared
	RAPServiceNotInstalled    RAPStatus = 2184 // NERR_ServiceNotInstalled: e.g. browser not running
	RAPUserNotFound           RAPStatus = 2221 // NERR_UserNotFound
	RAPNetNameNotFound        RAPStatus = 2310 // NERR_NetNameNotFound
	RAPBrowserTableIncomplete RAPStatus = 2319 // NERR_BrowserTableIncomplete
	RAPNotLocalDomain         RAPStatus = 2320 // NERR_NotLocalDomain
	RAPNoBrowserServersFound  RAPStatus = 6118 // ERROR_NO_BROWSER_SERVERS_FOUND
	RAPInvalidComputer        RAPStatus = 2351 // NERR_InvalidComputer
	RAPLogonScriptError       RAPStatus = 2212 // NERR_LogonScriptError
	RAPStandaloneLogon        RAPStatus = 2214 // NERR_StandaloneLogon
	RAPNonValidatedLogon      RAPStatus = 2217 // NERR_NonValidatedLogon
	RAPNotPrimary             RAPStatus = 2226 // NERR_NotPrimary
	RAPInvalidWorkstation     RAPStatus = 2240 // NERR_InvalidWorkstation
	RAPInvalidLogonHours      RAPStatus = 2241 // NERR_InvalidLogonHours
	RAPPasswordExpired        RAPStatus = 2242 // NERR_PasswordExpired
	RAPPasswordCantChange     RAPStatus = 2243 // NERR_PasswordCantChange
	RAPPasswordTooShort       RAPStatus = 2245 // NERR_PasswordTooShort
	RAPPasswordTooRecent      RAPStatus = 2246 // NERR_PasswordTooRecent
)

// OK reports whether the status means the data is valid: success, or
// ERROR_MORE_DATA (a partial list) ([MS-RAP] §3.2.5.12 for NetServerEnum2).
func (s RAPStatus) OK() bool { return s == RAPSuccess || s == RAPMoreData }

// RAPShareType is the Type of NetShareInfo1/2 ([MS-RAP] §2.5.6.3.2, the
// STYPE_ values of [MS-SRVS] §2.2.2.4): a base type in the low bits and
// the special and temporary flags in the high bits. RAP carries it as a
// 16-bit word (descriptor letter W), so the two flags can only appear when
// a server describes the field as a doubleword; hidden administrative
// shares are otherwise recognised by the '$' at the end of their name
// (RAPShare.Hidden).
type RAPShareType uint32

// Share types and flags.
const (
	RAPShareDisk      RAPShareType = 0          // STYPE_DISKTREE
	RAPSharePrintQ    RAPShareType = 1          // STYPE_PRINTQ
	RAPShareDevice    RAPShareType = 2          // STYPE_DEVICE
	RAPShareIPC       RAPShareType = 3          // STYPE_IPC
	RAPShareTemporary RAPShareType = 0x40000000 // STYPE_TEMPORARY
	RAPShareSpecial   RAPShareType = 0x80000000 // STYPE_SPECIAL: administrative (C$, ADMIN$, IPC$)
)

// Base is the type without the flags.
func (s RAPShareType) Base() RAPShareType { return s & 0x0fffffff }

// Special reports the STYPE_SPECIAL flag.
func (s RAPShareType) Special() bool { return s&RAPShareSpecial != 0 }

// Temporary reports the STYPE_TEMPORARY flag.
func (s RAPShareType) Temporary() bool { return s&RAPShareTemporary != 0 }

// BaseName names the base type as Wireshark does ("Directory tree").
func (s RAPShareType) BaseName() string {
	switch s.Base() {
	case RAPShareDisk:
		return "Directory tree"
	case RAPSharePrintQ:
		return "Printer queue"
	case RAPShareDevice:
		return "Communications device"
	case RAPShareIPC:
		return "IPC"
	}
	return "Unknown"
}

// String lists the base type and the flags: "IPC, special".
func (s RAPShareType) String() string {
	out := s.BaseName()
	if s.Special() {
		out += ", special"
	}
	if s.Temporary() {
		out += ", temporary"
	}
	return out
}

// Wire format ([MS-RAP] §2.5.1, §2.5.5.2.1, §2.5.5.2.2), all little-endian.
//
// Request parameter block:
//
//	+--------+----------------------+---------------------+------------------+----------------------+
//	| RAPOpcode (2) | ParamDesc ASCIIZ | DataDesc ASCIIZ | parameters (ParamDesc) | [AuxDesc ASCIIZ] |
//	+--------+----------------------+---------------------+------------------+----------------------+
//
// NetServerEnum2, ParamDesc "WrLehDz" (or "WrLehDO" for the primary
// domain), DataDesc "B16BBDz" (level 1) or "B16" (level 0):
//
//	Level (W) | ReceiveBufferSize (L) | ServerType (D) | Domain (z, absent for O)
//
// Response parameter block:
//
//	+-------------+----------------+------------------------------------------+
//	| Status (2)  | Converter (2)  | returned values (e, h, i, g of ParamDesc) |
//	+-------------+----------------+------------------------------------------+
//
// NetServerEnum2: EntriesReturned (e) | EntriesAvailable (h). The data block
// holds EntriesReturned fixed-size structures (server_info_1: Name[16],
// VersionMajor, VersionMinor, Type (4), Comment pointer (4) = 26 bytes),
// then the strings they point to.

// RAPDescriptor is a descriptor string copied out of the packet, so that a
// pending request can outlive its packet buffer.
type RAPDescriptor struct {
	b [MaxRAPDescriptor]byte
	n uint8
}

// MakeRAPDescriptor copies s (at most MaxRAPDescriptor bytes); ok is false
// when s is longer.
func MakeRAPDescriptor(s []byte) (d RAPDescriptor, ok bool) {
	if len(s) > MaxRAPDescriptor {
		return d, false
	}
	d.n = uint8(copy(d.b[:], s))
	return d, true
}

// Bytes returns the descriptor; it aliases d.
func (d *RAPDescriptor) Bytes() []byte { return d.b[:d.n] }

func (d RAPDescriptor) String() string { return string(d.b[:d.n]) }

// MaxRAPDomain bounds the enumeration domain kept in RAPRequestInfo.
const MaxRAPDomain = 32

// RAPRequestInfo is what the engine keeps of a request until its response
// arrives (matched by connection and MID): a plain value, no pointers into
// packet memory. Get it with RAPRequest.Info.
type RAPRequestInfo struct {
	Function RAPFunction
	// Level is the detail level, -1 when the request has none (NetRemoteTOD)
	// or it could not be read.
	Level int32
	// The descriptors; Has* is false when the request ended (or was
	// malformed) before the descriptor could be read, and then the response
	// can only be shown raw, as Wireshark does.
	ParamDesc, DataDesc, AuxDesc          RAPDescriptor
	HasParamDesc, HasDataDesc, HasAuxDesc bool
	// ServerType is the NetServerEnum2/3 type mask.
	ServerType    ServerType
	HasServerType bool
	// Domain is the enumeration domain (NetServerEnum2/3), truncated to
	// MaxRAPDomain bytes; DomainLen 0 means the primary domain.
	Domain    [MaxRAPDomain]byte
	DomainLen uint8
}

// DomainBytes returns the enumeration domain; it aliases i.
func (i *RAPRequestInfo) DomainBytes() []byte { return i.Domain[:i.DomainLen] }

// RAPRequest is a RAP call: the parameter and data blocks of a
// SMB_COM_TRANSACTION request on \PIPE\LANMAN ([MS-RAP] §2.5.1). Slices
// alias the blocks passed to Decode. Contents is the parameter block;
// Payload is nil.
type RAPRequest struct {
	layers.BaseLayer
	Function RAPFunction
	// ParamDesc, DataDesc and AuxDesc are the descriptor strings (without
	// their NUL); Has* says whether each was present.
	ParamDesc, DataDesc, AuxDesc          []byte
	HasParamDesc, HasDataDesc, HasAuxDesc bool
	// Parameters read through the parameter descriptor.
	Level         uint16
	HasLevel      bool
	RecvBufLen    uint16 // L: receive buffer size
	HasRecvBufLen bool
	SendBufLen    uint16 // T: send buffer size
	HasSendBufLen bool
	HasSendData   bool       // s or l in ParamDesc: the data block is input
	ServerType    ServerType // NetServerEnum2/3 type mask
	HasServerType bool
	// Domain is the enumeration domain of NetServerEnum2/3: nil with
	// HasDomain false when the descriptor says O (the primary domain).
	Domain    []byte
	HasDomain bool
	LastEntry []byte // NetServerEnum3: resume after this name
	Name      []byte // share or user name of NetShareGetInfo, NetUserGetInfo, ...

	// Params and Data are the transaction blocks as given to Decode.
	Params, Data []byte
	// DataOffset and DataSrc say where the data block is, for AppendTree:
	// the parameter block is the layer start (t.Base and t.Src as the caller
	// sets them); the data block is at t.Base+DataOffset in the same data
	// source when DataSrc is 0, else at DataOffset in source DataSrc (a
	// reassembled transaction). The engine sets them after Decode.
	DataOffset int
	DataSrc    uint8

	// Err is the decode error, if any; what was decoded before it is kept.
	Err error

	rec    rapRecord // the values as the tree shows them
	auxOff int       // offset of AuxDesc in Params
}

// RAPServer is one server_info_0/1 structure of a NetServerEnum2/3 or
// NetServerGetInfo response (NetServerInfo0/1, [MS-RAP] §2.5.5.2.2). Name and
// Comment alias the data block.
type RAPServer struct {
	Name         []byte // sv1_name: at most 16 bytes, NUL-trimmed
	Major, Minor uint8  // sv1_version_major/minor
	// Type is the server type bitmap (SV_TYPE_*), the browser's ServerType.
	Type    ServerType
	Comment []byte // sv1_comment, through the converter
	HasInfo bool   // level 1: version, type and comment present
	// Err is an error in this entry (its comment pointer out of range);
	// the other entries were still decoded.
	Err error
}

// RAPShare is one share_info_0/1/2 structure of a NetShareEnum or
// NetShareGetInfo response (NetShareInfo0/1/2, [MS-RAP] §2.5.6.3). Slices
// alias the data.
type RAPShare struct {
	Name        []byte // shi1_netname: at most 13 bytes, NUL-trimmed
	Type        RAPShareType
	Comment     []byte
	HasType     bool
	Permissions uint16 // level 2
	MaxUses     uint16 // level 2; 0xFFFF: no limit
	CurrentUses uint16 // level 2
	Path        []byte // level 2
	Err         error  // an error in this entry only
}

// Hidden reports an administrative share: a name ending in '$' or the
// STYPE_SPECIAL flag.
func (s *RAPShare) Hidden() bool {
	return (len(s.Name) > 0 && s.Name[len(s.Name)-1] == '$') || s.Type.Special()
}

// RAPWkstaInfo is NetWkstaInfo10 of NetWkstaGetInfo ([MS-RAP], Leach/Naik
// wksta_info_10).
type RAPWkstaInfo struct {
	ComputerName, UserName, Domain []byte
	Major, Minor                   uint8
	LogonDomain, OtherDomains      []byte
}

// RAPTimeOfDay is the TimeOfDayInfo of NetRemoteTOD ([MS-RAP]; [MS-SRVS]
// TIME_OF_DAY_INFO).
type RAPTimeOfDay struct {
	Time                             uint32 // seconds since 1970 (server's local time)
	Msecs                            uint32 // milliseconds since an arbitrary time
	Hour, Minute, Second, Hundredths uint8
	TimeZone                         int16  // minutes from UTC, -1: undefined
	Interval                         uint16 // clock tick, 0.0001 s units
	Day, Month                       uint8
	Year                             uint16
	Weekday                          uint8 // 0: Sunday
}

// RAPResponse is the answer to a RAP call: the parameter and data blocks of
// the SMB_COM_TRANSACTION response, decoded with the descriptors and level
// of the request ([MS-RAP] §2.5.5.2.2 and the other *Response sections).
// Slices alias the blocks. Contents is the parameter block; Payload is nil.
type RAPResponse struct {
	layers.BaseLayer
	Function RAPFunction
	// Request is the request's information; HasRequest is false when the
	// request was not seen, and then only Status and Converter are decoded.
	Request    RAPRequestInfo
	HasRequest bool
	// Interim is set for an empty interim response (both blocks empty).
	Interim   bool
	Status    RAPStatus
	Converter uint16
	// EntryCount (e) is the number of structures in the data block;
	// Available (h) the number the server has (NetServerEnum2, NetShareEnum)
	// or, for GetInfo calls, the bytes it would need.
	EntryCount    uint16
	HasEntryCount bool
	Available     uint16
	HasAvailable  bool
	// ExtraParams counts parameter bytes after those the descriptor
	// describes (some Windows servers send their whole buffer).
	ExtraParams int
	// Typed results, by function. Servers and Shares are bounded by
	// MaxRAPEntries; their slices are reused from one Decode to the next.
	Servers  []RAPServer // NetServerEnum2/3, NetServerGetInfo
	Shares   []RAPShare  // NetShareEnum, NetShareGetInfo
	Wksta    RAPWkstaInfo
	HasWksta bool
	TOD      RAPTimeOfDay
	HasTOD   bool

	// Params and Data are the blocks as given to Decode; DataOffset and
	// DataSrc locate the data block for AppendTree (see RAPRequest).
	Params, Data []byte
	DataOffset   int
	DataSrc      uint8

	// Err is the first decode error: a hard one stops decoding, an error
	// in one entry (also in that entry's Err) does not.
	Err     error
	errSoft bool

	rec        rapRecord // the values as the tree shows them
	paramsDone bool      // the parameter descriptor was walked to its end
	hasRecvBuf bool      // the parameter descriptor has r: the data block is output
}

// EntryErrorOnly reports that Err is an error inside one entry (a string
// pointer out of range, recorded in that entry's Err) and that every other
// entry was decoded: the response is still worth handing to the timeline.
func (r *RAPResponse) EntryErrorOnly() bool { return r.Err != nil && r.errSoft }

// Truncated reports a partial list: fewer entries returned than available.
func (r *RAPResponse) Truncated() bool {
	return r.HasEntryCount && r.HasAvailable && r.EntryCount < r.Available
}

// Layer implementation.

// LayerType returns LayerTypeRAP.
func (r *RAPRequest) LayerType() gopacket.LayerType { return LayerTypeRAP }

// CanDecode returns LayerTypeRAP.
func (r *RAPRequest) CanDecode() gopacket.LayerClass { return LayerTypeRAP }

// NextLayerType returns LayerTypeZero: RAP carries no further layer.
func (r *RAPRequest) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// LayerType returns LayerTypeRAP.
func (r *RAPResponse) LayerType() gopacket.LayerType { return LayerTypeRAP }

// CanDecode returns LayerTypeRAP.
func (r *RAPResponse) CanDecode() gopacket.LayerClass { return LayerTypeRAP }

// NextLayerType returns LayerTypeZero.
func (r *RAPResponse) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// AppendInfo appends "NetServerEnum2 request, level 1, domain LABWG, types
// 0xffffffff". Wire bytes (the domain) are appended raw.
func (r *RAPRequest) AppendInfo(b []byte) []byte {
	b = r.Function.AppendName(b)
	b = append(b, " request"...)
	if r.HasLevel {
		b = append(b, ", level "...)
		b = rapAppendInt(b, int(r.Level))
	}
	if r.HasDomain && len(r.Domain) > 0 {
		b = append(b, ", domain "...)
		b = append(b, r.Domain...)
	}
	if r.HasServerType {
		b = append(b, ", types 0x"...)
		b = rapAppendHex32(b, uint32(r.ServerType))
	}
	if len(r.Name) > 0 {
		switch r.Function {
		case RAPNetShareGetInfo:
			b = append(b, ", share "...)
		default:
			b = append(b, ", user "...)
		}
		b = append(b, r.Name...)
	}
	return b
}

// AppendInfo appends "NetServerEnum2 response, 14 of 14 entries",
// "NetShareEnum response, 5 entries", "NetServerEnum2 response, status 234
// (ERROR_MORE_DATA), 3 of 45 entries", "... 14 of 20 entries (truncated)".
func (r *RAPResponse) AppendInfo(b []byte) []byte {
	if !r.HasRequest {
		b = append(b, "RAP response (request not seen)"...)
	} else {
		b = r.Function.AppendName(b)
		if r.Interim {
			return append(b, " interim response"...)
		}
		b = append(b, " response"...)
	}
	if r.Status != RAPSuccess {
		b = append(b, ", status "...)
		b = rapAppendInt(b, int(r.Status))
		if n := r.Status.String(); n != "" {
			b = append(b, " ("...)
			b = append(b, n...)
			b = append(b, ')')
		}
	}
	if r.HasEntryCount {
		b = append(b, ", "...)
		b = rapAppendInt(b, int(r.EntryCount))
		if r.HasAvailable && (r.Function.IsServerEnum() || r.EntryCount != r.Available) {
			b = append(b, " of "...)
			b = rapAppendInt(b, int(r.Available))
		}
		if r.EntryCount == 1 && !(r.HasAvailable && (r.Function.IsServerEnum() || r.EntryCount != r.Available)) {
			b = append(b, " entry"...)
		} else {
			b = append(b, " entries"...)
		}
		if r.Truncated() && r.Status != RAPMoreData {
			b = append(b, " (truncated)"...)
		}
	}
	return b
}
