package dissect

// The fields of SMB1 and SMB2, registered in one place so that their order
// (the order -G lists them in) does not depend on how the decoders are
// split into files. A command added later may register its new fields in
// its own file.

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

// SMB2 header fields ([MS-SMB2] §2.2.1, §2.2.41; smb2.go).
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

// Fields of the command bodies of smb_file.go, smb_readwrite.go,
// smb_nttrans.go and the TRANSACTION2 subcommand.
var (
	fSMBFID         = RegisterField(FieldInfo{Abbrev: "smb.fid", Name: "FID", Type: FTUint16, Base: BaseHex})
	fSMBLockType    = RegisterField(FieldInfo{Abbrev: "smb.lock.type", Name: "Lock Type", Type: FTUint8, Base: BaseHex})
	fSMBOplockLevel = RegisterField(FieldInfo{Abbrev: "smb.locking.oplock.level", Name: "Oplock Level", Type: FTUint8, Base: BaseDec})
	fSMBNumUnlocks  = RegisterField(FieldInfo{Abbrev: "smb.locking.num_unlocks", Name: "Number of Unlocks", Type: FTUint16, Base: BaseDec})
	fSMBNumLocks    = RegisterField(FieldInfo{Abbrev: "smb.locking.num_locks", Name: "Number of Locks", Type: FTUint16, Base: BaseDec})
	fSMBTrans2Cmd   = RegisterField(FieldInfo{Abbrev: "smb.trans2.cmd", Name: "Subcommand", Type: FTUint16, Base: BaseHex})
	fSMBNTFunction  = RegisterField(FieldInfo{Abbrev: "smb.nt.function", Name: "Function", Type: FTUint16, Base: BaseDec})
	// tshark decodes these per function; nbtsniff shows them raw, under
	// its own names.
	fSMBSetupWords   = RegisterField(FieldInfo{Abbrev: "nbtsniff.smb.setup", Name: "Setup", Type: FTBytes, Proto: "smb"})
	fSMBParamBytes   = RegisterField(FieldInfo{Abbrev: "nbtsniff.smb.param_bytes", Name: "Parameter Bytes", Type: FTBytes, Proto: "smb"})
	fSMBDataBytes    = RegisterField(FieldInfo{Abbrev: "nbtsniff.smb.data_bytes", Name: "Data Bytes", Type: FTBytes, Proto: "smb"})
	fSMBFileData     = RegisterField(FieldInfo{Abbrev: "smb.file_data", Name: "File Data", Type: FTBytes})
	fSMBRemaining    = RegisterField(FieldInfo{Abbrev: "smb.remaining", Name: "Remaining", Type: FTUint32, Base: BaseDec})
	fSMBDCM          = RegisterField(FieldInfo{Abbrev: "smb.dcm", Name: "Data Compaction Mode", Type: FTUint16, Base: BaseDec})
	fSMBDataLenLow   = RegisterField(FieldInfo{Abbrev: "smb.data_len_low", Name: "Data Length Low", Type: FTUint16, Base: BaseDec})
	fSMBDataLenHigh  = RegisterField(FieldInfo{Abbrev: "smb.data_len_high", Name: "Data Length High (multiply with 64K)", Type: FTUint32, Base: BaseDec})
	fSMBFileOffset   = RegisterField(FieldInfo{Abbrev: "smb.offset", Name: "Offset", Type: FTUint32, Base: BaseDec})
	fSMBHighOffset   = RegisterField(FieldInfo{Abbrev: "smb.offset_high", Name: "High Offset", Type: FTUint32, Base: BaseDec})
	fSMBMaxCountLow  = RegisterField(FieldInfo{Abbrev: "smb.maxcount_low", Name: "Max Count Low", Type: FTUint16, Base: BaseDec})
	fSMBMinCount     = RegisterField(FieldInfo{Abbrev: "smb.mincount", Name: "Min Count", Type: FTUint16, Base: BaseDec})
	fSMBMaxCountHigh = RegisterField(FieldInfo{Abbrev: "smb.maxcount_high", Name: "Max Count High (multiply with 64K)", Type: FTUint16, Base: BaseDec})
	fSMBWriteMode    = RegisterField(FieldInfo{Abbrev: "smb.write.mode", Name: "Write Mode", Type: FTUint16, Base: BaseHex})
)

func init() {
	SetValues(fSMBTrans2Cmd, func(v uint64) string { return Trans2Subcommand(v).String() })
	SetValues(fSMBNTFunction, func(v uint64) string { return NTTransactFunction(v).String() })
}

// Transaction fields (smbtrans.go).
var (
	fSMBTransFlags     = RegisterField(FieldInfo{Abbrev: "smb.transaction.flags", Name: "Flags", Type: FTUint16, Base: BaseHex})
	fSMBTransFlagsOWT  = RegisterField(FieldInfo{Abbrev: "smb.transaction.flags.owt", Name: "One Way Transaction", Type: FTBoolean, Bits: 16})
	fSMBTransFlagsDTID = RegisterField(FieldInfo{Abbrev: "smb.transaction.flags.dtid", Name: "Disconnect TID", Type: FTBoolean, Bits: 16})
	fSMBDataOffset     = RegisterField(FieldInfo{Abbrev: "smb.data_offset", Name: "Data Offset", Type: FTUint16, Base: BaseDec})
)
