package dissect

import (
	"encoding/binary"

	"github.com/gopacket/gopacket"
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
// How the blocks are read is told by descriptor strings (rap_desc.go); the
// item tables below only say what each value means, as Wireshark's
// packet-smb-pipe.c does, so that fields print as tshark 4.0 prints them.

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

// rapFunctionNames are the function names as Wireshark 4.0 shows them
// (packet-smb-pipe.c "commands"), which follow the Leach/Naik list.
var rapFunctionNames = [...]string{
	0: "NetShareEnum", 1: "NetShareGetInfo", 2: "NetShareSetInfo", 3: "NetShareAdd",
	4: "NetShareDel", 5: "NetShareCheck", 6: "NetSessionEnum", 7: "NetSessionGetInfo",
	8: "NetSessionDel", 9: "NetConnectionEnum", 10: "NetFileEnum", 11: "NetFileGetInfo",
	12: "NetFileClose", 13: "NetServerGetInfo", 14: "NetServerSetInfo", 15: "NetServerDiskEnum",
	16: "NetServerAdminCommand", 17: "NetAuditOpen", 18: "NetAuditClear", 19: "NetErrorLogOpen",
	20: "NetErrorLogClear", 21: "NetCharDevEnum", 22: "NetCharDevGetInfo", 23: "NetCharDevControl",
	24: "NetCharDevQEnum", 25: "NetCharDevQGetInfo", 26: "NetCharDevQSetInfo", 27: "NetCharDevQPurge",
	28: "NetCharDevQPurgeSelf", 29: "NetMessageNameEnum", 30: "NetMessageNameGetInfo",
	31: "NetMessageNameAdd", 32: "NetMessageNameDel", 33: "NetMessageNameFwd",
	34: "NetMessageNameUnFwd", 35: "NetMessageBufferSend", 36: "NetMessageFileSend",
	37: "NetMessageLogFileSet", 38: "NetMessageLogFileGet", 39: "NetServiceEnum",
	40: "NetServiceInstall", 41: "NetServiceControl", 42: "NetAccessEnum", 43: "NetAccessGetInfo",
	44: "NetAccessSetInfo", 45: "NetAccessAdd", 46: "NetAccessDel", 47: "NetGroupEnum",
	48: "NetGroupAdd", 49: "NetGroupDel", 50: "NetGroupAddUser", 51: "NetGroupDelUser",
	52: "NetGroupGetUsers", 53: "NetUserEnum", 54: "NetUserAdd", 55: "NetUserDel",
	56: "NetUserGetInfo", 57: "NetUserSetInfo", 58: "NetUserPasswordSet", 59: "NetUserGetGroups",
	62: "NetWkstaSetUID", 63: "NetWkstaGetInfo", 64: "NetWkstaSetInfo", 65: "NetUseEnum",
	66: "NetUseAdd", 67: "NetUseDel", 68: "NetUseGetInfo", 69: "WPrintQEnum",
	70: "WPrintQGetInfo", 71: "WPrintQSetInfo", 72: "WPrintQAdd", 73: "WPrintQDel",
	74: "WPrintQPause", 75: "WPrintQContinue", 76: "WPrintJobEnum", 77: "WPrintJobGetInfo",
	78: "WPrintJobSetInfo_OLD", 81: "WPrintJobDel", 82: "WPrintJobPause", 83: "WPrintJobContinue",
	84: "WPrintDestEnum", 85: "WPrintDestGetInfo", 86: "WPrintDestControl", 87: "NetProfileSave",
	88: "NetProfileLoad", 89: "NetStatisticsGet", 90: "NetStatisticsClear", 91: "NetRemoteTOD",
	92: "WNetBiosEnum", 93: "WNetBiosGetInfo", 94: "NetServerEnum", 95: "I_NetServerEnum",
	96: "NetServiceGetInfo", 103: "WPrintQPurge", 104: "NetServerEnum2",
	105: "NetAccessGetUserPerms", 106: "NetGroupGetInfo", 107: "NetGroupSetInfo",
	108: "NetGroupSetUsers", 109: "NetUserSetGroups", 110: "NetUserModalsGet",
	111: "NetUserModalsSet", 112: "NetFileEnum2", 113: "NetUserAdd2", 114: "NetUserSetInfo2",
	115: "SetUserPassword", 116: "I_NetServerEnum2", 117: "NetConfigGet2", 118: "NetConfigGetAll2",
	119: "NetGetDCName", 120: "NetHandleGetInfo", 121: "NetHandleSetInfo", 122: "NetStatisticsGet2",
	123: "WBuildGetInfo", 124: "NetFileGetInfo2", 125: "NetFileClose2", 126: "NetServerReqChallenge",
	127: "NetServerAuthenticate", 128: "NetServerPasswordSet", 129: "WNetAccountDeltas",
	130: "WNetAccountSync", 131: "NetUserEnum2", 132: "NetWkstaUserLogon", 133: "NetWkstaUserLogoff",
	134: "NetLogonEnum", 135: "NetErrorLogRead", 136: "I_NetPathType", 137: "I_NetPathCanonicalize",
	138: "I_NetPathCompare", 139: "I_NetNameValidate", 140: "I_NetNameCanonicalize",
	141: "I_NetNameCompare", 142: "NetAuditRead", 143: "WPrintDestAdd", 144: "WPrintDestSetInfo",
	145: "WPrintDestDel", 146: "NetUserValidate2", 147: "WPrintJobSetInfo",
	148: "TI_NetServerDiskEnum", 149: "TI_NetServerDiskGetInfo", 150: "TI_FTVerifyMirror",
	151: "TI_FTAbortVerify", 152: "TI_FTGetInfo", 153: "TI_FTSetInfo", 154: "TI_FTLockDisk",
	155: "TI_FTFixError", 156: "TI_FTAbortFix", 157: "TI_FTDiagnoseError", 158: "TI_FTGetDriveStats",
	160: "TI_FTErrorGetInfo", 163: "NetAccessCheck", 164: "NetAlertRaise", 165: "NetAlertStart",
	166: "NetAlertStop", 167: "NetAuditWrite", 168: "NetIRemoteAPI", 169: "NetServiceStatus",
	170: "I_NetServerRegister", 171: "I_NetServerDeregister", 172: "I_NetSessionEntryMake",
	173: "I_NetSessionEntryClear", 174: "I_NetSessionEntryGetInfo", 175: "I_NetSessionEntrySetInfo",
	176: "I_NetConnectionEntryMake", 177: "I_NetConnectionEntryClear",
	178: "I_NetConnectionEntrySetInfo", 179: "I_NetConnectionEntryGetInfo",
	180: "I_NetFileEntryMake", 181: "I_NetFileEntryClear", 182: "I_NetFileEntrySetInfo",
	183: "I_NetFileEntryGetInfo", 184: "AltSrvMessageBufferSend", 185: "AltSrvMessageFileSend",
	186: "wI_NetRplWkstaEnum", 187: "wI_NetRplWkstaGetInfo", 188: "wI_NetRplWkstaSetInfo",
	189: "wI_NetRplWkstaAdd", 190: "wI_NetRplWkstaDel", 191: "wI_NetRplProfileEnum",
	192: "wI_NetRplProfileGetInfo", 193: "wI_NetRplProfileSetInfo", 194: "wI_NetRplProfileAdd",
	195: "wI_NetRplProfileDel", 196: "wI_NetRplProfileClone", 197: "wI_NetRplBaseProfileEnum",
	201: "WIServerSetInfo", 205: "WPrintDriverEnum", 206: "WPrintQProcessorEnum",
	207: "WPrintPortEnum", 208: "WNetWriteUpdateLog", 209: "WNetAccountUpdate",
	210: "WNetAccountConfirmUpdate", 211: "NetConfigSet", 212: "WAccountsReplicate",
	214: "SamOEMChangePassword", 215: "NetServerEnum3", 250: "WPrintDriverGetInfo",
	251: "WPrintDriverSetInfo", 252: "NetAliasAdd", 253: "NetAliasDel", 254: "NetAliasGetInfo",
	255: "NetAliasSetInfo", 256: "NetAliasEnum", 257: "NetUserGetLogonAsn",
	258: "NetUserSetLogonAsn", 259: "NetUserGetAppSel", 260: "NetUserSetAppSel", 261: "NetAppAdd",
	262: "NetAppDel", 263: "NetAppGetInfo", 264: "NetAppSetInfo", 265: "NetAppEnum",
	266: "NetUserDCDBInit", 267: "NetDASDAdd", 268: "NetDASDDel", 269: "NetDASDGetInfo",
	270: "NetDASDSetInfo", 271: "NetDASDEnum", 272: "NetDASDCheck", 273: "NetDASDCtl",
	274: "NetUserRemoteLogonCheck", 275: "NetUserPasswordSet3", 276: "NetCreateRIPLMachine",
	277: "NetDeleteRIPLMachine", 278: "NetGetRIPLMachineInfo", 279: "NetSetRIPLMachineInfo",
	280: "NetEnumRIPLMachine", 281: "I_ShareAdd", 282: "I_AliasEnum", 283: "NetAccessApply",
	284: "WPrt16Query", 285: "WPrt16Set", 286: "NetUserDel100", 287: "NetUserRemoteLogonCheck2",
	294: "WRemoteTODSet", 295: "WPrintJobMoveAll", 296: "W16AppParmAdd", 297: "W16AppParmDel",
	298: "W16AppParmGet", 299: "W16AppParmSet", 300: "W16RIPLMachineCreate",
	301: "W16RIPLMachineGetInfo", 302: "W16RIPLMachineSetInfo", 303: "W16RIPLMachineEnum",
	304: "W16RIPLMachineListParmEnum", 305: "W16RIPLMachClassGetInfo", 306: "W16RIPLMachClassEnum",
	307: "W16RIPLMachClassCreate", 308: "W16RIPLMachClassSetInfo", 309: "W16RIPLMachClassDelete",
	310: "W16RIPLMachClassLPEnum", 311: "W16RIPLMachineDelete", 312: "W16WSLevelGetInfo",
	313: "NetServerNameAdd", 314: "NetServerNameDel", 315: "NetServerNameEnum", 316: "I_WDASDEnum",
	317: "I_WDASDEnumTerminate", 318: "I_WDASDSetInfo2",
}

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

// String returns the symbolic name ("ERROR_MORE_DATA"), or "" if unknown.
func (s RAPStatus) String() string {
	switch s {
	case RAPSuccess:
		return "NERR_Success"
	case RAPAccessDenied:
		return "ERROR_ACCESS_DENIED"
	case RAPNotSupported:
		return "ERROR_NOT_SUPPORTED"
	case RAPNetworkAccessDenied:
		return "ERROR_NETWORK_ACCESS_DENIED"
	case RAPInvalidPassword:
		return "ERROR_INVALID_PASSWORD"
	case RAPInvalidParameter:
		return "ERROR_INVALID_PARAMETER"
	case RAPInvalidLevel:
		return "ERROR_INVALID_LEVEL"
	case RAPMoreData:
		return "ERROR_MORE_DATA"
	case RAPNetNotStarted:
		return "NERR_NetNotStarted"
	case RAPUnknownServer:
		return "NERR_UnknownServer"
	case RAPServerNotStarted:
		return "NERR_ServerNotStarted"
	case RAPBufTooSmall:
		return "NERR_BufTooSmall"
	case RAPRemoteErr:
		return "NERR_RemoteErr"
	case RAPWkstaNotStarted:
		return "NERR_WkstaNotStarted"
	case RAPBadTransactConfig:
		return "NERR_BadTransactConfig"
	case RAPServiceNotInstalled:
		return "NERR_ServiceNotInstalled"
	case RAPUserNotFound:
		return "NERR_UserNotFound"
	case RAPNetNameNotFound:
		return "NERR_NetNameNotFound"
	case RAPBrowserTableIncomplete:
		return "NERR_BrowserTableIncomplete"
	case RAPNotLocalDomain:
		return "NERR_NotLocalDomain"
	case RAPNoBrowserServersFound:
		return "ERROR_NO_BROWSER_SERVERS_FOUND"
	case RAPInvalidComputer:
		return "NERR_InvalidComputer"
	case RAPLogonScriptError:
		return "NERR_LogonScriptError"
	case RAPStandaloneLogon:
		return "NERR_StandaloneLogon"
	case RAPNonValidatedLogon:
		return "NERR_NonValidatedLogon"
	case RAPNotPrimary:
		return "NERR_NotPrimary"
	case RAPInvalidWorkstation:
		return "NERR_InvalidWorkstation"
	case RAPInvalidLogonHours:
		return "NERR_InvalidLogonHours"
	case RAPPasswordExpired:
		return "NERR_PasswordExpired"
	case RAPPasswordCantChange:
		return "NERR_PasswordCantChange"
	case RAPPasswordTooShort:
		return "NERR_PasswordTooShort"
	case RAPPasswordTooRecent:
		return "NERR_PasswordTooRecent"
	}
	return ""
}

// Description is the text Wireshark 4.0 shows for lanman.status
// (packet-smb-pipe.c status_vals), "Unknown" for the others.
func (s RAPStatus) Description() string {
	switch s {
	case 0:
		return "Success"
	case 5:
		return "User has insufficient privilege"
	case 65:
		return "Network access is denied"
	case 86:
		return "The specified password is invalid"
	case 234:
		return "Additional data is available"
	case 2114:
		return "Service is not running on the remote computer"
	case 2123:
		return "Supplied buffer is too small"
	case 2141:
		return "Server is not configured for transactions (IPC$ not shared)"
	case 2212:
		return "An error occurred while loading or running the logon script"
	case 2214:
		return "The logon was not validated by any server"
	case 2217:
		return "The logon server is running an older software version"
	case 2221:
		return "The user name was not found"
	case 2226:
		return "Operation not permitted on Backup Domain Controller"
	case 2240:
		return "The user is not allowed to logon from this computer"
	case 2241:
		return "The user is not allowed to logon at this time"
	case 2242:
		return "The user password has expired"
	case 2243:
		return "The password cannot be changed"
	case 2246:
		return "The password is too short"
	}
	return "Unknown"
}

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
// alias the blocks passed to Decode.
type RAPRequest struct {
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
// Slices alias the blocks.
type RAPResponse struct {
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
}

// EntryErrorOnly reports that Err is an error inside one entry (a string
// pointer out of range, recorded in that entry's Err) and that every other
// entry was decoded: the response is still worth handing to the timeline.
func (r *RAPResponse) EntryErrorOnly() bool { return r.Err != nil && r.errSoft }

// Truncated reports a partial list: fewer entries returned than available.
func (r *RAPResponse) Truncated() bool {
	return r.HasEntryCount && r.HasAvailable && r.EntryCount < r.Available
}

// Fields (Wireshark's names: lanman.*, the generic smb_pipe.* parameters of
// packet-smb-pipe.c, and browser.server_type for server type bitmaps).
var (
	// FieldRAP is the protocol node ("lanman").
	FieldRAP = RegisterField(FieldInfo{Abbrev: "lanman", Name: "Microsoft Windows Lanman Remote API Protocol", Type: FTProtocol})

	fRAPFunctionCode    = WiresharkField("lanman.function_code")
	fRAPParamDesc       = WiresharkField("lanman.param_desc")
	fRAPRetDesc         = WiresharkField("lanman.ret_desc")
	fRAPAuxDesc         = WiresharkField("lanman.aux_data_desc")
	fRAPLevel           = WiresharkField("lanman.level")
	fRAPPadding         = WiresharkField("lanman.padding")
	fRAPRecvBufLen      = WiresharkField("lanman.recv_buf_len")
	fRAPSendBufLen      = WiresharkField("lanman.send_buf_len")
	fRAPStatus          = WiresharkField("lanman.status")
	fRAPConvert         = WiresharkField("lanman.convert")
	fRAPParamNoDesc     = WiresharkField("lanman.param_no_descriptor")
	fRAPDataNoDesc      = WiresharkField("lanman.data_no_descriptor")
	fRAPDataNoRecvBuf   = WiresharkField("lanman.data_no_recv_buffer")
	fRAPEntryCount      = WiresharkField("lanman.entry_count")
	fRAPAvailCount      = WiresharkField("lanman.available_count")
	fRAPShare           = WiresharkField("lanman.share")
	fRAPShareName       = WiresharkField("lanman.share.name")
	fRAPShareType       = WiresharkField("lanman.share.type")
	fRAPShareComment    = WiresharkField("lanman.share.comment")
	fRAPSharePerms      = WiresharkField("lanman.share.permissions")
	fRAPShareMaxUses    = WiresharkField("lanman.share.max_uses")
	fRAPShareCurUses    = WiresharkField("lanman.share.current_uses")
	fRAPSharePath       = WiresharkField("lanman.share.path")
	fRAPSharePassword   = WiresharkField("lanman.share.password")
	fRAPServer          = WiresharkField("lanman.server")
	fRAPServerName      = WiresharkField("lanman.server.name")
	fRAPServerMajor     = WiresharkField("lanman.server.major")
	fRAPServerMinor     = WiresharkField("lanman.server.minor")
	fRAPServerComment   = WiresharkField("lanman.server.comment")
	fRAPAvailBytes      = WiresharkField("lanman.available_bytes")
	fRAPCurrentTime     = WiresharkField("lanman.current_time")
	fRAPMsecs           = WiresharkField("lanman.msecs")
	fRAPHour            = WiresharkField("lanman.hour")
	fRAPMinute          = WiresharkField("lanman.minute")
	fRAPSecond          = WiresharkField("lanman.second")
	fRAPHundredths      = WiresharkField("lanman.hundredths")
	fRAPTZOffset        = WiresharkField("lanman.tzoffset")
	fRAPTimeInterval    = WiresharkField("lanman.timeinterval")
	fRAPDay             = WiresharkField("lanman.day")
	fRAPMonth           = WiresharkField("lanman.month")
	fRAPYear            = WiresharkField("lanman.year")
	fRAPWeekday         = WiresharkField("lanman.weekday")
	fRAPEnumDomain      = WiresharkField("lanman.enumeration_domain")
	fRAPLastEntry       = WiresharkField("lanman.last_entry")
	fRAPComputerName    = WiresharkField("lanman.computer_name")
	fRAPUserName        = WiresharkField("lanman.user_name")
	fRAPGroupName       = WiresharkField("lanman.group_name")
	fRAPWkstaDomain     = WiresharkField("lanman.workstation_domain")
	fRAPWkstaMajor      = WiresharkField("lanman.workstation_major")
	fRAPWkstaMinor      = WiresharkField("lanman.workstation_minor")
	fRAPLogonDomain     = WiresharkField("lanman.logon_domain")
	fRAPOtherDomains    = WiresharkField("lanman.other_domains")
	fRAPPassword        = WiresharkField("lanman.password")
	fRAPWorkstationName = WiresharkField("lanman.workstation_name")
	fRAPUStructSize     = WiresharkField("lanman.ustruct_size")
	fRAPLogonCode       = WiresharkField("lanman.logon_code")
	fRAPPrivLevel       = WiresharkField("lanman.privilege_level")
	fRAPOpPrivs         = WiresharkField("lanman.operator_privileges")
	fRAPNumLogons       = WiresharkField("lanman.num_logons")
	fRAPBadPwCount      = WiresharkField("lanman.bad_pw_count")
	fRAPLastLogon       = WiresharkField("lanman.last_logon")
	fRAPLastLogoff      = WiresharkField("lanman.last_logoff")
	fRAPLogoffTime      = WiresharkField("lanman.logoff_time")
	fRAPKickoffTime     = WiresharkField("lanman.kickoff_time")
	fRAPPasswordAge     = WiresharkField("lanman.password_age")
	fRAPPwCanChange     = WiresharkField("lanman.password_can_change")
	fRAPPwMustChange    = WiresharkField("lanman.password_must_change")
	fRAPScriptPath      = WiresharkField("lanman.script_path")
	fRAPLogoffCode      = WiresharkField("lanman.logoff_code")
	fRAPDuration        = WiresharkField("lanman.duration")
	fRAPComment         = WiresharkField("lanman.comment")
	fRAPUserComment     = WiresharkField("lanman.user_comment")
	fRAPFullName        = WiresharkField("lanman.full_name")
	fRAPHomedir         = WiresharkField("lanman.homedir")
	fRAPParameters      = WiresharkField("lanman.parameters")
	fRAPLogonServer     = WiresharkField("lanman.logon_server")
	fRAPCountryCode     = WiresharkField("lanman.country_code")
	fRAPWorkstations    = WiresharkField("lanman.workstations")
	fRAPMaxStorage      = WiresharkField("lanman.max_storage")
	fRAPUnitsPerWeek    = WiresharkField("lanman.units_per_week")
	fRAPLogonHours      = WiresharkField("lanman.logon_hours")
	fRAPCodePage        = WiresharkField("lanman.code_page")
	fRAPNewPassword     = WiresharkField("lanman.new_password")
	fRAPOldPassword     = WiresharkField("lanman.old_password")
	fRAPReserved        = WiresharkField("lanman.reserved")
	fRAPAuxCount        = WiresharkField("lanman.aux_data_struct_count")

	// Generic parameters, for values no item table names (tshark 4.0
	// registers them under smb_pipe).
	fRAPWordParam   = RegisterField(FieldInfo{Abbrev: "smb_pipe.word_param", Name: "Word Param", Type: FTUint16, Base: BaseDecHex})
	fRAPDwordParam  = RegisterField(FieldInfo{Abbrev: "smb_pipe.doubleword_param", Name: "Doubleword Param", Type: FTUint32, Base: BaseDecHex})
	fRAPByteParam   = RegisterField(FieldInfo{Abbrev: "smb_pipe.byte_param", Name: "Byte Param", Type: FTUint8, Base: BaseDecHex})
	fRAPBytesParam  = RegisterField(FieldInfo{Abbrev: "smb_pipe.bytes_param", Name: "Bytes Param", Type: FTBytes})
	fRAPStringParam = RegisterField(FieldInfo{Abbrev: "smb_pipe.string_param", Name: "String Param", Type: FTString})

	// Server type bitmaps are shown with the browser's fields, as
	// Wireshark's lanman dissector calls the browser's.
	fRAPServerType = WiresharkField("browser.server_type")
)

// rapServerTypeBits are the bits Wireshark shows under browser.server_type,
// in its order (SV_TYPE_*, [MS-RAP] §2.5.5.2.1 ServerType; bit 14 and 24-29 have no
// field).
var rapServerTypeBits = [...]struct {
	f    FieldID
	mask uint32
}{
	{WiresharkField("browser.server_type.workstation"), 0x00000001},
	{WiresharkField("browser.server_type.server"), 0x00000002},
	{WiresharkField("browser.server_type.sql"), 0x00000004},
	{WiresharkField("browser.server_type.domain_controller"), 0x00000008},
	{WiresharkField("browser.server_type.backup_controller"), 0x00000010},
	{WiresharkField("browser.server_type.time"), 0x00000020},
	{WiresharkField("browser.server_type.apple"), 0x00000040},
	{WiresharkField("browser.server_type.novell"), 0x00000080},
	{WiresharkField("browser.server_type.member"), 0x00000100},
	{WiresharkField("browser.server_type.print"), 0x00000200},
	{WiresharkField("browser.server_type.dialin"), 0x00000400},
	{WiresharkField("browser.server_type.xenix"), 0x00000800},
	{WiresharkField("browser.server_type.ntw"), 0x00001000},
	{WiresharkField("browser.server_type.wfw"), 0x00002000},
	{WiresharkField("browser.server_type.nts"), 0x00008000},
	{WiresharkField("browser.server_type.browser.potential"), 0x00010000},
	{WiresharkField("browser.server_type.browser.backup"), 0x00020000},
	{WiresharkField("browser.server_type.browser.master"), 0x00040000},
	{WiresharkField("browser.server_type.browser.domain_master"), 0x00080000},
	{WiresharkField("browser.server_type.osf"), 0x00100000},
	{WiresharkField("browser.server_type.vms"), 0x00200000},
	{WiresharkField("browser.server_type.w95"), 0x00400000},
	{WiresharkField("browser.server_type.dfs"), 0x00800000},
	{WiresharkField("browser.server_type.local"), 0x40000000},
	{WiresharkField("browser.server_type.domainenum"), 0x80000000},
}

func init() {
	SetValues(fRAPFunctionCode, func(v uint64) string {
		if n := RAPFunction(v).Name(); n != "" {
			return n
		}
		return "Unknown Command"
	})
	status := func(v uint64) string { return RAPStatus(v).Description() }
	SetValues(fRAPStatus, status)
	SetValues(fRAPLogonCode, status)
	SetValues(fRAPLogoffCode, status)
	SetValues(fRAPShareType, func(v uint64) string { return RAPShareType(v).BaseName() })
	SetValues(fRAPWeekday, func(v uint64) string {
		switch v {
		case 0:
			return "Sunday"
		case 1:
			return "Monday"
		case 2:
			return "Tuesday"
		case 3:
			return "Wednesday"
		case 4:
			return "Thursday"
		case 5:
			return "Friday"
		case 6:
			return "Saturday"
		}
		return "Unknown"
	})
	SetValues(fRAPPrivLevel, func(v uint64) string {
		switch v {
		case 0:
			return "Guest"
		case 1:
			return "User"
		case 2:
			return "Administrator"
		}
		return "Unknown"
	})
	SetValues(fRAPOpPrivs, func(v uint64) string {
		switch v {
		case 0:
			return "Print operator"
		case 1:
			return "Communications operator"
		case 2:
			return "Server operator"
		case 3:
			return "Accounts operator"
		}
		return "Unknown"
	})
}

// Item tables: what each value of a function's descriptors means, as in
// Wireshark's packet-smb-pipe.c (so fields and their order match tshark),
// with the typed role of each value. [MS-RAP] section of each structure in
// the comment.

// rapTyped says which typed result a function's data block fills.
type rapTyped uint8

const (
	rapTypedNone rapTyped = iota
	rapTypedServer
	rapTypedShare
	rapTypedWksta
	rapTypedTOD
)

// rapLevelItems are the data items of one detail level; level -1 is the
// default.
type rapLevelItems struct {
	level int32
	items []rapItem
}

// rapFuncDesc describes one function (Wireshark's struct lanman_desc).
type rapFuncDesc struct {
	req, reqData, reqAux []rapItem
	resp                 []rapItem // response parameters after status, converter
	list                 string    // heading of the entry list
	entry                FieldID   // one node per entry, 0: none
	levels               []rapLevelItems
	respAux              []rapItem
	typed                rapTyped
}

func (fd *rapFuncDesc) levelItems(level int32) []rapItem {
	var def []rapItem
	for _, l := range fd.levels {
		if l.level == level {
			return l.items
		}
		if l.level == -1 {
			def = l.items
		}
	}
	return def
}

var (
	rapItemLevel       = rapItem{fRAPLevel, rapWord, rapPlain, roleLevel}
	rapItemRecvBufLen  = rapItem{fRAPRecvBufLen, rapWord, rapPlain, roleNone}
	rapItemAvailCount  = rapItem{fRAPAvailCount, rapWord, rapPlain, roleAvailable}
	rapItemAvailBytes  = rapItem{fRAPAvailBytes, rapWord, rapPlain, roleAvailable}
	rapItemPad         = rapItem{0, rapBytes, rapPad, roleNone}
	rapItemServerTypeQ = rapItem{0, rapDword, rapServerType, roleTypeMask}

	// NetShareInfo1 ([MS-RAP] §2.5.6.3.2): "B13BWz".
	rapShareInfo1 = []rapItem{
		{fRAPShareName, rapBytes, rapNameParent, roleShareName},
		rapItemPad,
		{fRAPShareType, rapWord, rapPlain, roleShareType},
		{fRAPShareComment, rapStringz, rapPlain, roleShareComment},
	}
	// NetServerInfo0/1 ([MS-RAP] §2.5.5.2.1 DataDesc): "B16" and "B16BBDz".
	rapServerInfo = []rapLevelItems{
		{0, []rapItem{{fRAPServerName, rapBytes, rapNameParent, roleServerName}}},
		{1, []rapItem{
			{fRAPServerName, rapBytes, rapNameParent, roleServerName},
			{fRAPServerMajor, rapBytes, rapPlain, roleServerMajor},
			{fRAPServerMinor, rapBytes, rapPlain, roleServerMinor},
			{0, rapDword, rapServerType, roleServerType},
			{fRAPServerComment, rapStringz, rapPlain, roleServerComment},
		}},
	}

	// NetShareEnum ([MS-RAP] §2.5.6.1): "WrLeh", data "B13" or "B13BWz".
	// Wireshark has no level 0 items (the name is a generic bytes_param);
	// the name is still typed.
	rapFnNetShareEnum = rapFuncDesc{
		req:   []rapItem{rapItemLevel, rapItemRecvBufLen},
		resp:  []rapItem{rapItemAvailCount},
		list:  "Available Shares",
		entry: fRAPShare,
		levels: []rapLevelItems{
			{0, []rapItem{{rapGenericField, rapBytes, rapPlain, roleShareName}}},
			{1, rapShareInfo1},
		},
		typed: rapTypedShare,
	}
	// NetShareGetInfo ([MS-RAP] §2.5.6.2): "zWrLh".
	rapFnNetShareGetInfo = rapFuncDesc{
		req:  []rapItem{{fRAPShareName, rapStringz, rapPlain, roleReqName}, rapItemLevel},
		resp: []rapItem{rapItemAvailBytes},
		levels: []rapLevelItems{
			{0, []rapItem{{fRAPShareName, rapBytes, rapPlain, roleShareName}}},
			{1, []rapItem{
				{fRAPShareName, rapBytes, rapPlain, roleShareName},
				rapItemPad,
				{fRAPShareType, rapWord, rapPlain, roleShareType},
				{fRAPShareComment, rapStringz, rapPlain, roleShareComment},
			}},
			{2, []rapItem{
				{fRAPShareName, rapBytes, rapPlain, roleShareName},
				rapItemPad,
				{fRAPShareType, rapWord, rapPlain, roleShareType},
				{fRAPShareComment, rapStringz, rapPlain, roleShareComment},
				{fRAPSharePerms, rapWord, rapPlain, roleSharePerms},
				{fRAPShareMaxUses, rapWord, rapPlain, roleShareMaxUses},
				{fRAPShareCurUses, rapWord, rapPlain, roleShareCurUses},
				{fRAPSharePath, rapStringz, rapPlain, roleSharePath},
				{fRAPSharePassword, rapBytes, rapPlain, roleNone},
			}},
		},
		typed: rapTypedShare,
	}
	// NetServerGetInfo ([MS-RAP] §2.5.5.1): "WrLh".
	rapFnNetServerGetInfo = rapFuncDesc{
		req:    []rapItem{rapItemLevel},
		resp:   []rapItem{rapItemAvailBytes},
		levels: rapServerInfo,
		typed:  rapTypedServer,
	}
	// NetUserGetInfo ([MS-RAP] user messages): "zWrLh", level 11.
	rapFnNetUserGetInfo = rapFuncDesc{
		req:  []rapItem{{fRAPUserName, rapStringz, rapPlain, roleReqName}, rapItemLevel},
		resp: []rapItem{rapItemAvailBytes},
		levels: []rapLevelItems{{11, []rapItem{
			{fRAPUserName, rapBytes, rapPlain, roleNone},
			rapItemPad,
			{fRAPComment, rapStringz, rapPlain, roleNone},
			{fRAPUserComment, rapStringz, rapPlain, roleNone},
			{fRAPFullName, rapStringz, rapPlain, roleNone},
			{fRAPPrivLevel, rapWord, rapPlain, roleNone},
			{fRAPOpPrivs, rapDword, rapPlain, roleNone},
			{fRAPPasswordAge, rapDword, rapRelTime, roleNone},
			{fRAPHomedir, rapStringz, rapPlain, roleNone},
			{fRAPParameters, rapStringz, rapPlain, roleNone},
			{fRAPLastLogon, rapDword, rapAbsTime, roleNone},
			{fRAPLastLogoff, rapDword, rapAbsTime, roleNone},
			{fRAPBadPwCount, rapWord, rapPlain, roleNone},
			{fRAPNumLogons, rapWord, rapPlain, roleNone},
			{fRAPLogonServer, rapStringz, rapPlain, roleNone},
			{fRAPCountryCode, rapWord, rapPlain, roleNone},
			{fRAPWorkstations, rapStringz, rapPlain, roleNone},
			{fRAPMaxStorage, rapDword, rapPlain, roleNone},
			{fRAPUnitsPerWeek, rapWord, rapPlain, roleNone},
			{fRAPLogonHours, rapBytes, rapPlain, roleNone},
			{fRAPCodePage, rapWord, rapPlain, roleNone},
		}}},
	}
	// NetUserGetGroups (Leach/Naik): "zWrLeh", level 0 "B21".
	rapFnNetUserGetGroups = rapFuncDesc{
		req:    []rapItem{{fRAPUserName, rapStringz, rapPlain, roleReqName}, rapItemLevel},
		resp:   []rapItem{rapItemAvailBytes},
		list:   "Groups",
		levels: []rapLevelItems{{0, []rapItem{{fRAPGroupName, rapBytes, rapPlain, roleNone}}}},
	}
	// NetRemoteTOD ([MS-RAP] time messages): "rL", data "DDBBBBWWBBWB".
	rapFnNetRemoteTOD = rapFuncDesc{
		levels: []rapLevelItems{{-1, []rapItem{
			{fRAPCurrentTime, rapDword, rapAbsTime, roleTODTime},
			{fRAPMsecs, rapDword, rapPlain, roleTODMsecs},
			{fRAPHour, rapBytes, rapPlain, roleTODHour},
			{fRAPMinute, rapBytes, rapPlain, roleTODMinute},
			{fRAPSecond, rapBytes, rapPlain, roleTODSecond},
			{fRAPHundredths, rapBytes, rapPlain, roleTODHundredths},
			{fRAPTZOffset, rapWord, rapPlain, roleTODZone},
			{fRAPTimeInterval, rapWord, rapPlain, roleTODInterval},
			{fRAPDay, rapBytes, rapPlain, roleTODDay},
			{fRAPMonth, rapBytes, rapPlain, roleTODMonth},
			{fRAPYear, rapWord, rapPlain, roleTODYear},
			{fRAPWeekday, rapBytes, rapPlain, roleTODWeekday},
		}}},
		typed: rapTypedTOD,
	}
	// NetServerEnum2 ([MS-RAP] §2.5.5.2): "WrLehDz" / "WrLehDO".
	rapFnNetServerEnum2 = rapFuncDesc{
		req: []rapItem{rapItemLevel, rapItemServerTypeQ,
			{fRAPEnumDomain, rapStringz, rapPlain, roleDomain}},
		resp:   []rapItem{rapItemAvailCount},
		list:   "Servers",
		entry:  fRAPServer,
		levels: rapServerInfo,
		typed:  rapTypedServer,
	}
	// NetServerEnum3 ([MS-RAP] §2.5.5.3): "WrLehDzz".
	rapFnNetServerEnum3 = rapFuncDesc{
		req: []rapItem{rapItemLevel, rapItemServerTypeQ,
			{fRAPEnumDomain, rapStringz, rapPlain, roleDomain},
			{fRAPLastEntry, rapStringz, rapPlain, roleLastEntry}},
		resp:   []rapItem{rapItemAvailCount},
		list:   "Servers",
		entry:  fRAPServer,
		levels: rapServerInfo,
		typed:  rapTypedServer,
	}
	// NetWkstaGetInfo ([MS-RAP] workstation messages): "WrLh", level 10 "zzzBBzz".
	rapFnNetWkstaGetInfo = rapFuncDesc{
		req:  []rapItem{rapItemLevel},
		resp: []rapItem{rapItemAvailBytes},
		levels: []rapLevelItems{{10, []rapItem{
			{fRAPComputerName, rapStringz, rapPlain, roleWkComputer},
			{fRAPUserName, rapStringz, rapPlain, roleWkUser},
			{fRAPWkstaDomain, rapStringz, rapPlain, roleWkDomain},
			{fRAPWkstaMajor, rapBytes, rapPlain, roleWkMajor},
			{fRAPWkstaMinor, rapBytes, rapPlain, roleWkMinor},
			{fRAPLogonDomain, rapStringz, rapPlain, roleWkLogonDomain},
			{fRAPOtherDomains, rapStringz, rapPlain, roleWkOtherDomains},
		}}},
		typed: rapTypedWksta,
	}
	// NetWkstaUserLogon ([MS-RAP] workstation messages): "OOWb54WrLh".
	rapFnNetWkstaUserLogon = rapFuncDesc{
		req: []rapItem{
			{0, rapStringz, rapPlain, roleNone},
			{0, rapStringz, rapPlain, roleNone},
			rapItemLevel,
			{0, rapBytes, rapLogonArgs, roleNone},
			{fRAPUStructSize, rapWord, rapPlain, roleNone},
		},
		resp: []rapItem{rapItemAvailBytes},
		levels: []rapLevelItems{{1, []rapItem{
			{fRAPLogonCode, rapWord, rapPlain, roleNone},
			{fRAPUserName, rapBytes, rapPlain, roleNone},
			rapItemPad,
			{fRAPPrivLevel, rapWord, rapPlain, roleNone},
			{fRAPOpPrivs, rapDword, rapPlain, roleNone},
			{fRAPNumLogons, rapWord, rapPlain, roleNone},
			{fRAPBadPwCount, rapWord, rapPlain, roleNone},
			{fRAPLastLogon, rapDword, rapAbsTime, roleNone},
			{fRAPLastLogoff, rapDword, rapAbsTime, roleNone},
			{fRAPLogoffTime, rapDword, rapAbsTime, roleNone},
			{fRAPKickoffTime, rapDword, rapAbsTime, roleNone},
			{fRAPPasswordAge, rapDword, rapRelTime, roleNone},
			{fRAPPwCanChange, rapDword, rapAbsTime, roleNone},
			{fRAPPwMustChange, rapDword, rapAbsTime, roleNone},
			{fRAPServerName, rapStringz, rapPlain, roleNone},
			{fRAPLogonDomain, rapStringz, rapPlain, roleNone},
			{fRAPScriptPath, rapStringz, rapPlain, roleNone},
			{fRAPReserved, rapDword, rapPlain, roleNone},
		}}},
	}
	// NetWkstaUserLogoff ([MS-RAP] workstation messages).
	rapFnNetWkstaUserLogoff = rapFuncDesc{
		req: []rapItem{
			{fRAPUserName, rapBytes, rapPlain, roleNone},
			rapItemPad,
			{fRAPWorkstationName, rapBytes, rapPlain, roleNone},
		},
		resp: []rapItem{rapItemAvailBytes},
		levels: []rapLevelItems{{1, []rapItem{
			{fRAPLogoffCode, rapWord, rapPlain, roleNone},
			{fRAPDuration, rapDword, rapRelTime, roleNone},
			{fRAPNumLogons, rapWord, rapPlain, roleNone},
		}}},
	}
	// SamOEMChangePassword ([MS-RAP] user messages): "zsT", data "B516B16".
	rapFnSamOEMChangePassword = rapFuncDesc{
		req: []rapItem{{fRAPUserName, rapStringz, rapPlain, roleReqName}},
		reqData: []rapItem{
			{fRAPNewPassword, rapBytes, rapPlain, roleNone},
			{fRAPOldPassword, rapBytes, rapPlain, roleNone},
		},
	}
	// Any other function: the descriptors alone, generic fields.
	rapFnUnknown = rapFuncDesc{}
)

// rapFuncFor returns the item tables of a function.
func rapFuncFor(f RAPFunction) *rapFuncDesc {
	switch f {
	case RAPNetShareEnum:
		return &rapFnNetShareEnum
	case RAPNetShareGetInfo:
		return &rapFnNetShareGetInfo
	case RAPNetServerGetInfo:
		return &rapFnNetServerGetInfo
	case RAPNetUserGetInfo:
		return &rapFnNetUserGetInfo
	case RAPNetUserGetGroups:
		return &rapFnNetUserGetGroups
	case RAPNetRemoteTOD:
		return &rapFnNetRemoteTOD
	case RAPNetServerEnum2:
		return &rapFnNetServerEnum2
	case RAPNetWkstaGetInfo:
		return &rapFnNetWkstaGetInfo
	case RAPNetWkstaUserLogon:
		return &rapFnNetWkstaUserLogon
	case RAPNetWkstaUserLogoff:
		return &rapFnNetWkstaUserLogoff
	case RAPSamOEMChangePasswd:
		return &rapFnSamOEMChangePassword
	case RAPNetServerEnum3:
		return &rapFnNetServerEnum3
	}
	return &rapFnUnknown
}

// Decode decodes a RAP request from the transaction's parameter and data
// blocks ([MS-RAP] §2.5.1). It resets r; slices alias params and data;
// nothing is allocated on success. On error r keeps what was decoded, and
// the error is also in r.Err.
func (r *RAPRequest) Decode(params, data []byte) error {
	*r = RAPRequest{Params: params, Data: data}
	r.Err = r.run(nil)
	return r.Err
}

// DecodeFromBytes implements gopacket.DecodingLayer: it decodes a request
// whose data block is empty (all of the browsing calls) from its
// parameter block.
func (r *RAPRequest) DecodeFromBytes(params []byte, _ gopacket.DecodeFeedback) error {
	return r.Decode(params, nil)
}

// Info returns what the engine must keep to decode the response.
func (r *RAPRequest) Info() RAPRequestInfo {
	i := RAPRequestInfo{Function: r.Function, Level: -1}
	if r.HasLevel {
		i.Level = int32(r.Level)
	}
	i.ParamDesc, i.HasParamDesc = MakeRAPDescriptor(r.ParamDesc)
	i.HasParamDesc = i.HasParamDesc && r.HasParamDesc
	i.DataDesc, i.HasDataDesc = MakeRAPDescriptor(r.DataDesc)
	i.HasDataDesc = i.HasDataDesc && r.HasDataDesc
	i.AuxDesc, i.HasAuxDesc = MakeRAPDescriptor(r.AuxDesc)
	i.HasAuxDesc = i.HasAuxDesc && r.HasAuxDesc
	i.ServerType, i.HasServerType = r.ServerType, r.HasServerType
	if r.HasDomain {
		i.DomainLen = uint8(copy(i.Domain[:], r.Domain))
	}
	return i
}

// run decodes (t == nil) or describes (t != nil) the request. It leaves
// the protocol node open.
func (r *RAPRequest) run(t *Tree) error {
	p := r.Params
	if t != nil {
		t.Open(FieldRAP, 0, len(p))
	}
	if len(p) < 2 {
		return Truncated("rap", "function code", 0, 2, len(p))
	}
	fn := RAPFunction(binary.LittleEndian.Uint16(p))
	if t != nil {
		t.Uint(fRAPFunctionCode, 0, 2, uint64(fn))
	}
	r.Function = fn
	off := 2

	pd, n, ok := rapASCIIZ(p, off)
	if !ok {
		return Truncated("rap", "parameter descriptor", off, len(p)+1, len(p))
	}
	pdOff := off
	if t != nil {
		t.Bytes(fRAPParamDesc, off, n, pd)
	}
	r.ParamDesc, r.HasParamDesc = pd, true
	if len(pd) > MaxRAPDescriptor {
		return Limit("rap", "parameter descriptor", off, "longer than "+rapItoa(MaxRAPDescriptor)+" bytes")
	}
	off += n

	dd, n, ok := rapASCIIZ(p, off)
	if !ok {
		return Truncated("rap", "data descriptor", off, len(p)+1, len(p))
	}
	ddOff := off
	if t != nil {
		t.Bytes(fRAPRetDesc, off, n, dd)
	}
	r.DataDesc, r.HasDataDesc = dd, true
	if len(dd) > MaxRAPDescriptor {
		return Limit("rap", "data descriptor", off, "longer than "+rapItoa(MaxRAPDescriptor)+" bytes")
	}
	off += n

	if i, d := rapCheckDescriptor(pd); i >= 0 {
		return Malformed("rap", "parameter descriptor", pdOff+i, d)
	}
	fd := rapFuncFor(fn)
	w := rapWalker{t: t, buf: p, what: "parameter descriptor", entryNode: -1}
	if t == nil {
		w.req = r
	}
	off, err := w.walk(rapModeRequest, pd, fd.req, off)
	if err != nil {
		return err
	}
	r.HasSendData = w.hasData

	if off < len(p) {
		// More parameters than the descriptor describes: the auxiliary
		// data descriptor ([MS-RAP] §2.5.1).
		ad, n, ok := rapASCIIZ(p, off)
		if !ok {
			return Truncated("rap", "auxiliary data descriptor", off, len(p)+1, len(p))
		}
		if t != nil {
			t.Bytes(fRAPAuxDesc, off, n, ad)
		}
		r.AuxDesc, r.HasAuxDesc = ad, true
		if len(ad) > MaxRAPDescriptor {
			return Limit("rap", "auxiliary data descriptor", off, "longer than "+rapItoa(MaxRAPDescriptor)+" bytes")
		}
		if i, d := rapCheckDescriptor(ad); i >= 0 {
			return Malformed("rap", "auxiliary data descriptor", off+i, d)
		}
	}
	if i, d := rapCheckDescriptor(dd); i >= 0 {
		return Malformed("rap", "data descriptor", ddOff+i, d)
	}

	if !w.hasData || len(r.Data) == 0 {
		return nil
	}
	// The send buffer: structures described by the data descriptor.
	// Wireshark resolves pointers in it with a converter of -1.
	pb, ps := 0, uint8(0)
	if t != nil {
		pb, ps = t.Base, t.Src
		r.dataBase(t)
	}
	dw := rapWalker{t: t, buf: r.Data, conv: -1, what: "data descriptor", entryNode: -1}
	doff, err := dw.walk(rapModeData, dd, fd.reqData, 0)
	for j := 0; err == nil && r.HasAuxDesc && j < int(dw.auxCount) && j < MaxRAPEntries; j++ {
		start := doff
		doff, err = dw.walk(rapModeData, r.AuxDesc, fd.reqAux, doff)
		if err == nil && doff == start {
			break
		}
	}
	if t != nil {
		t.Base, t.Src = pb, ps
	}
	return err
}

// dataBase points t at the data block (see RAPRequest.DataOffset).
func (r *RAPRequest) dataBase(t *Tree) {
	if r.DataSrc != 0 {
		t.Src, t.Base = r.DataSrc, r.DataOffset
	} else {
		t.Base += r.DataOffset
	}
}

// Decode decodes a RAP response from the transaction's parameter and data
// blocks with the descriptors and level of its request ([MS-RAP] §2.5.1,
// the *Response sections).
// req is nil when the request was not captured: then only the status and
// converter are decoded and the rest is kept raw, as Wireshark shows it. It
// resets r (reusing the Servers and Shares slices); slices alias params and
// data; nothing is allocated on success once the slices have grown.
func (r *RAPResponse) Decode(params, data []byte, req *RAPRequestInfo) error {
	servers, shares := r.Servers[:0], r.Shares[:0]
	*r = RAPResponse{Params: params, Data: data, Servers: servers, Shares: shares}
	if req != nil {
		r.Request, r.HasRequest = *req, true
		r.Function = req.Function
	}
	r.Err = r.run(nil)
	return r.Err
}

// DecodeFromBytes implements gopacket.DecodingLayer. Without the request,
// only the status and converter can be decoded: the engine calls Decode.
func (r *RAPResponse) DecodeFromBytes(params []byte, _ gopacket.DecodeFeedback) error {
	return r.Decode(params, nil, nil)
}

// dataBase points t at the data block.
func (r *RAPResponse) dataBase(t *Tree) {
	if r.DataSrc != 0 {
		t.Src, t.Base = r.DataSrc, r.DataOffset
	} else {
		t.Base += r.DataOffset
	}
}

// run decodes (t == nil) or describes (t != nil) the response, leaving the
// protocol node open. It returns the first error; r.errSoft is set when
// that error did not stop decoding.
func (r *RAPResponse) run(t *Tree) error {
	p, d := r.Params, r.Data
	proto := -1
	if t != nil {
		proto = len(t.Nodes)
		t.OpenKeep(FieldRAP, 0, len(p))
	}
	if !r.HasRequest {
		// Without the request there are no descriptors: status and
		// converter are always there, the rest is shown raw.
		if err := r.statusConverter(t, p); err != nil {
			return err
		}
		if t != nil {
			t.Text("[RAP request not seen: function, descriptors and level unknown; parameters and data not decoded]", 0, 0).Flags |= NodeWarn
			if len(p) > 4 {
				t.Bytes(fRAPParamNoDesc, 4, len(p)-4, p[4:])
			}
			if len(d) > 0 {
				pb, ps := t.Base, t.Src
				r.dataBase(t)
				t.Bytes(fRAPDataNoDesc, 0, len(d), d)
				t.Base, t.Src = pb, ps
			}
		}
		return nil
	}
	fn := r.Request.Function
	if t != nil {
		t.Uint(fRAPFunctionCode, 0, 0, uint64(fn))
	}
	if len(p) == 0 && len(d) == 0 {
		r.Interim = true
		return nil
	}
	if err := r.statusConverter(t, p); err != nil {
		return err
	}
	if !r.Request.HasParamDesc {
		if t != nil {
			t.Text("[RAP request incomplete: no parameter descriptor; parameters and data not decoded]", 0, 0).Flags |= NodeWarn
			t.Bytes(fRAPParamNoDesc, 4, len(p)-4, p[4:])
			if len(d) > 0 {
				pb, ps := t.Base, t.Src
				r.dataBase(t)
				t.Bytes(fRAPDataNoDesc, 0, len(d), d)
				t.Base, t.Src = pb, ps
			}
		}
		return nil
	}

	fd := rapFuncFor(fn)
	w := rapWalker{t: t, buf: p, what: "parameter descriptor", entryNode: -1}
	if t == nil {
		w.resp = r
	}
	off, err := w.walk(rapModeReply, r.Request.ParamDesc.Bytes(), fd.resp, 4)
	if t == nil {
		r.EntryCount, r.HasEntryCount = w.entryCount, w.hasEntryCount
	}
	if err != nil {
		// An error status may come with nothing after the converter
		// (the server processing rules of [MS-RAP] §3.2.5 return just the
		// Win32ErrorCode): not a decode error.
		if off == 4 && len(p) == 4 && !r.Status.OK() && r.Status != RAPBufTooSmall {
			return nil
		}
		return err
	}
	if off < len(p) {
		// Seen from Windows servers that send their whole parameter
		// buffer: bytes after what the descriptor describes.
		if t != nil {
			t.Text("[Extra parameter bytes after the descriptor's values (ignored)]", off, len(p)-off).Flags |= NodeWarn
		} else {
			r.ExtraParams = len(p) - off
		}
	}
	if t != nil && r.Truncated() {
		if r.Status == RAPMoreData {
			t.Text("[Partial list: more entries are available (ERROR_MORE_DATA)]", 0, 0).Flags |= NodeWarn
		} else {
			t.Text("[Truncated list: fewer entries returned than available]", 0, 0).Flags |= NodeWarn
		}
	}
	if len(d) == 0 {
		if w.hasData && w.hasEntryCount && w.entryCount > 0 && r.Status.OK() {
			return Truncated("rap", "data block", 0, 1, 0)
		}
		return nil
	}

	pb, ps := 0, uint8(0)
	if t != nil {
		pb, ps = t.Base, t.Src
		r.dataBase(t)
		defer func() { t.Base, t.Src = pb, ps }()
	}
	if !w.hasData {
		if t != nil {
			t.Bytes(fRAPDataNoRecvBuf, 0, len(d), d)
		}
		return nil
	}
	list := -1 // the depth the entries heading opens at, -1 if none
	if w.hasEntryCount && t != nil {
		label := fd.list
		if label == "" {
			label = "Entries"
		}
		list = t.Depth()
		t.OpenText(label, 0, len(d))
	}
	if !r.Request.HasDataDesc {
		if t != nil {
			if list >= 0 {
				t.Text("[No descriptor available]", 0, 0).Flags |= NodeWarn
				t.Close()
			} else {
				t.Bytes(fRAPDataNoDesc, 0, len(d), d)
			}
		}
		return nil
	}
	err = r.entries(t, fd, &w, proto)
	if list >= 0 {
		t.CloseTo(list)
	}
	return err
}

// statusConverter reads the two words every response starts with.
func (r *RAPResponse) statusConverter(t *Tree, p []byte) error {
	if len(p) < 2 {
		return Truncated("rap", "status", 0, 2, len(p))
	}
	st := binary.LittleEndian.Uint16(p)
	r.Status = RAPStatus(st)
	if t != nil {
		t.Uint(fRAPStatus, 0, 2, uint64(st))
	}
	if len(p) < 4 {
		return Truncated("rap", "converter", 2, 4, len(p))
	}
	r.Converter = binary.LittleEndian.Uint16(p[2:])
	if t != nil {
		t.Uint(fRAPConvert, 2, 2, uint64(r.Converter))
	}
	return nil
}

// entries walks the data block: EntryCount structures (one when the
// parameter descriptor has no e), each followed by its auxiliary
// structures. A pointer out of range is an error on its entry only.
func (r *RAPResponse) entries(t *Tree, fd *rapFuncDesc, pw *rapWalker, proto int) error {
	d := r.Data
	n := 1
	if pw.hasEntryCount {
		n = int(pw.entryCount)
	}
	items := fd.levelItems(r.Request.Level)
	dd := r.Request.DataDesc.Bytes()
	ad := r.Request.AuxDesc.Bytes()
	w := rapWalker{t: t, buf: d, conv: int(r.Converter), what: "data descriptor"}
	if t == nil {
		w.resp = r
	}
	var firstSoft error
	off := 0
	for i := 0; i < n; i++ {
		if i >= MaxRAPEntries {
			return Limit("rap", "entries", off, "more than "+rapItoa(MaxRAPEntries)+" entries")
		}
		if off >= len(d) {
			return Truncated("rap", "entry "+rapItoa(i+1), off, off+1, len(d))
		}
		start := off
		w.entry, w.entryNode = 0, -1
		if pw.hasEntryCount {
			w.entry = i + 1
		}
		if t != nil {
			if pw.hasEntryCount && fd.entry != 0 {
				w.entryNode = len(t.Nodes)
				t.OpenKeep(fd.entry, off, 0)
			} else if !pw.hasEntryCount {
				w.entryNode = proto
			}
		} else {
			r.newEntry(fd.typed)
		}
		var err error
		off, err = w.walk(rapModeData, dd, items, off)
		for j := 0; err == nil && r.Request.HasAuxDesc && j < int(w.auxCount) && j < MaxRAPEntries; j++ {
			as := off
			off, err = w.walk(rapModeData, ad, fd.respAux, off)
			if err == nil && off == as {
				break
			}
		}
		entryErr := w.entryErr
		if entryErr == nil {
			entryErr = err
		}
		w.entryErr = nil
		if t == nil && entryErr != nil {
			r.setEntryErr(fd.typed, entryErr)
		}
		if t != nil && pw.hasEntryCount && fd.entry != 0 {
			t.Nodes[w.entryNode].Len = int32(off - start)
			t.Close()
		}
		if err != nil {
			return err
		}
		if firstSoft == nil && entryErr != nil {
			firstSoft = entryErr
		}
		if off == start && i+1 < n {
			return Malformed("rap", "data descriptor", -1, "structure takes no bytes, cannot walk "+rapItoa(n)+" entries")
		}
	}
	if firstSoft != nil {
		r.errSoft = true
	}
	return firstSoft
}

// newEntry starts a typed entry of the function's kind.
func (r *RAPResponse) newEntry(k rapTyped) {
	switch k {
	case rapTypedServer:
		r.Servers = growOne(r.Servers)
	case rapTypedShare:
		r.Shares = growOne(r.Shares)
	case rapTypedWksta:
		r.HasWksta = true
	case rapTypedTOD:
		r.HasTOD = true
	}
}

// setEntryErr records an error on the current typed entry.
func (r *RAPResponse) setEntryErr(k rapTyped, err error) {
	switch k {
	case rapTypedServer:
		if len(r.Servers) > 0 {
			r.Servers[len(r.Servers)-1].Err = err
		}
	case rapTypedShare:
		if len(r.Shares) > 0 {
			r.Shares[len(r.Shares)-1].Err = err
		}
	}
}

// collect stores a numeric value in the typed result (decode only).
func (w *rapWalker) collect(role rapRole, v uint64, _ []byte) {
	if w.t != nil || role == roleNone {
		return
	}
	if q := w.req; q != nil {
		switch role {
		case roleLevel:
			q.Level, q.HasLevel = uint16(v), true
		case roleTypeMask:
			q.ServerType, q.HasServerType = ServerType(v), true
		}
		return
	}
	r := w.resp
	if r == nil {
		return
	}
	switch role {
	case roleAvailable:
		r.Available, r.HasAvailable = uint16(v), true
	case roleServerType:
		if s := r.lastServer(); s != nil {
			s.Type, s.HasInfo = ServerType(v), true
		}
	case roleShareType:
		if s := r.lastShare(); s != nil {
			s.Type, s.HasType = RAPShareType(v), true
		}
	case roleSharePerms:
		if s := r.lastShare(); s != nil {
			s.Permissions = uint16(v)
		}
	case roleShareMaxUses:
		if s := r.lastShare(); s != nil {
			s.MaxUses = uint16(v)
		}
	case roleShareCurUses:
		if s := r.lastShare(); s != nil {
			s.CurrentUses = uint16(v)
		}
	case roleTODTime:
		r.TOD.Time = uint32(v)
	case roleTODMsecs:
		r.TOD.Msecs = uint32(v)
	case roleTODZone:
		r.TOD.TimeZone = int16(uint16(v))
	case roleTODInterval:
		r.TOD.Interval = uint16(v)
	case roleTODYear:
		r.TOD.Year = uint16(v)
	}
}

// collectBytes stores a byte or string value in the typed result.
func (w *rapWalker) collectBytes(role rapRole, b []byte) {
	if w.t != nil || role == roleNone {
		return
	}
	if q := w.req; q != nil {
		switch role {
		case roleDomain:
			q.Domain, q.HasDomain = b, true
		case roleLastEntry:
			q.LastEntry = b
		case roleReqName:
			q.Name = b
		}
		return
	}
	r := w.resp
	if r == nil {
		return
	}
	var b0 uint8
	if len(b) > 0 {
		b0 = b[0]
	}
	switch role {
	case roleServerName:
		if s := r.lastServer(); s != nil {
			s.Name = rapCString(rapCap(b, 16))
		}
	case roleServerMajor:
		if s := r.lastServer(); s != nil {
			s.Major = b0
		}
	case roleServerMinor:
		if s := r.lastServer(); s != nil {
			s.Minor = b0
		}
	case roleServerComment:
		if s := r.lastServer(); s != nil {
			s.Comment = b
		}
	case roleShareName:
		if s := r.lastShare(); s != nil {
			s.Name = rapCString(rapCap(b, 13))
		}
	case roleShareComment:
		if s := r.lastShare(); s != nil {
			s.Comment = b
		}
	case roleSharePath:
		if s := r.lastShare(); s != nil {
			s.Path = b
		}
	case roleWkComputer:
		r.Wksta.ComputerName = b
	case roleWkUser:
		r.Wksta.UserName = b
	case roleWkDomain:
		r.Wksta.Domain = b
	case roleWkMajor:
		r.Wksta.Major = b0
	case roleWkMinor:
		r.Wksta.Minor = b0
	case roleWkLogonDomain:
		r.Wksta.LogonDomain = b
	case roleWkOtherDomains:
		r.Wksta.OtherDomains = b
	case roleTODHour:
		r.TOD.Hour = b0
	case roleTODMinute:
		r.TOD.Minute = b0
	case roleTODSecond:
		r.TOD.Second = b0
	case roleTODHundredths:
		r.TOD.Hundredths = b0
	case roleTODDay:
		r.TOD.Day = b0
	case roleTODMonth:
		r.TOD.Month = b0
	case roleTODWeekday:
		r.TOD.Weekday = b0
	}
}

// rapCap limits a typed name to its structure's size (sv1_name[16],
// shi1_netname[13]) whatever count the descriptor gave; the tree shows
// what the descriptor says.
func rapCap(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n:n]
	}
	return b
}

func (r *RAPResponse) lastServer() *RAPServer {
	if len(r.Servers) == 0 {
		return nil
	}
	return &r.Servers[len(r.Servers)-1]
}

func (r *RAPResponse) lastShare() *RAPShare {
	if len(r.Shares) == 0 {
		return nil
	}
	return &r.Shares[len(r.Shares)-1]
}

// Layer implementation.

// LayerType returns LayerTypeRAP.
func (r *RAPRequest) LayerType() gopacket.LayerType { return LayerTypeRAP }

// CanDecode returns LayerTypeRAP.
func (r *RAPRequest) CanDecode() gopacket.LayerClass { return LayerTypeRAP }

// NextLayerType returns LayerTypeZero: RAP carries no further layer.
func (r *RAPRequest) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// LayerPayload returns nil.
func (r *RAPRequest) LayerPayload() []byte { return nil }

// LayerType returns LayerTypeRAP.
func (r *RAPResponse) LayerType() gopacket.LayerType { return LayerTypeRAP }

// CanDecode returns LayerTypeRAP.
func (r *RAPResponse) CanDecode() gopacket.LayerClass { return LayerTypeRAP }

// NextLayerType returns LayerTypeZero.
func (r *RAPResponse) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// LayerPayload returns nil.
func (r *RAPResponse) LayerPayload() []byte { return nil }

// rapFields is every field AppendTree may add below the protocol node:
// with none of them wanted, it adds that node only (see FieldSet).
var rapFields = NewFieldSet("lanman", "browser", "smb_pipe")

// AppendTree adds the request's nodes: the protocol node "lanman" spanning
// the parameter block, then the fields in tshark's order; nodes of the data
// block are placed with DataOffset/DataSrc. It ends with a "[Malformed:
// ...]" note when decoding failed.
func (r *RAPRequest) AppendTree(t *Tree) {
	depth := t.Depth()
	if !t.WantsSet(rapFields) {
		t.Open(FieldRAP, 0, len(r.Params)) // -T fields prints none of its fields
		t.CloseTo(depth)
		return
	}
	_ = r.run(t)
	if r.Err != nil {
		t.Expert("[Malformed: "+r.Err.Error()+"]", 0, len(r.Params))
	}
	t.CloseTo(depth)
}

// AppendTree adds the response's nodes, like RAPRequest.AppendTree.
func (r *RAPResponse) AppendTree(t *Tree) {
	depth := t.Depth()
	if !t.WantsSet(rapFields) {
		t.Open(FieldRAP, 0, len(r.Params)) // -T fields prints none of its fields
		t.CloseTo(depth)
		return
	}
	_ = r.run(t)
	if r.Err != nil && !r.errSoft {
		t.Expert("[Malformed: "+r.Err.Error()+"]", 0, len(r.Params))
	}
	t.CloseTo(depth)
}

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
