package dissect

// RAP's tables: the function names and status texts of Wireshark 4.0
// (packet-smb-pipe.c), the fields, and the item tables that say what each
// value of a function's descriptors means ([MS-RAP] §2.5; Leach/Naik
// Appendix A). Data: the decoder is rap_decode.go and rap_walk.go.

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
