package dissect

// The commands of NetBIOS Frames (netbios.go), what each one holds, and
// the fields under tshark's names (packet-netbios.c).

// NetBIOSCommand is the COMMAND byte.
type NetBIOSCommand uint8

// NetBIOS Frames commands.
const (
	NetBIOSAddGroupNameQuery  NetBIOSCommand = 0x00
	NetBIOSAddNameQuery       NetBIOSCommand = 0x01
	NetBIOSNameInConflict     NetBIOSCommand = 0x02
	NetBIOSStatusQuery        NetBIOSCommand = 0x03
	NetBIOSTerminateTrace     NetBIOSCommand = 0x07
	NetBIOSDatagram           NetBIOSCommand = 0x08
	NetBIOSDatagramBroadcast  NetBIOSCommand = 0x09
	NetBIOSNameQuery          NetBIOSCommand = 0x0A
	NetBIOSAddNameResponse    NetBIOSCommand = 0x0D
	NetBIOSNameRecognized     NetBIOSCommand = 0x0E
	NetBIOSStatusResponse     NetBIOSCommand = 0x0F
	NetBIOSTerminateTraceLR   NetBIOSCommand = 0x13
	NetBIOSDataAck            NetBIOSCommand = 0x14
	NetBIOSDataFirstMiddle    NetBIOSCommand = 0x15
	NetBIOSDataOnlyLast       NetBIOSCommand = 0x16
	NetBIOSSessionConfirm     NetBIOSCommand = 0x17
	NetBIOSSessionEnd         NetBIOSCommand = 0x18
	NetBIOSSessionInitialize  NetBIOSCommand = 0x19
	NetBIOSNoReceive          NetBIOSCommand = 0x1A
	NetBIOSReceiveOutstanding NetBIOSCommand = 0x1B
	NetBIOSReceiveContinue    NetBIOSCommand = 0x1C
	NetBIOSSessionAlive       NetBIOSCommand = 0x1F
	// netbiosCmdLimit is where tshark clamps the command (the size of its
	// table, 0x00-0x20): any higher value is shown as 0x21, with nothing
	// after it decoded.
	netbiosCmdLimit NetBIOSCommand = 0x21
)

// String returns tshark's name ("Add Name Query"), or "Unknown (0x05)".
func (c NetBIOSCommand) String() string {
	switch c {
	case NetBIOSAddGroupNameQuery:
		return "Add Group Name Query"
	case NetBIOSAddNameQuery:
		return "Add Name Query"
	case NetBIOSNameInConflict:
		return "Name In Conflict"
	case NetBIOSStatusQuery:
		return "Status Query"
	case NetBIOSTerminateTrace, NetBIOSTerminateTraceLR:
		return "Terminate Trace"
	case NetBIOSDatagram:
		return "Datagram"
	case NetBIOSDatagramBroadcast:
		return "Broadcast Datagram"
	case NetBIOSNameQuery:
		return "Name Query"
	case NetBIOSAddNameResponse:
		return "Add Name Response"
	case NetBIOSNameRecognized:
		return "Name Recognized"
	case NetBIOSStatusResponse:
		return "Status Response"
	case NetBIOSDataAck:
		return "Data Ack"
	case NetBIOSDataFirstMiddle:
		return "Data First Middle"
	case NetBIOSDataOnlyLast:
		return "Data Only Last"
	case NetBIOSSessionConfirm:
		return "Session Confirm"
	case NetBIOSSessionEnd:
		return "Session End"
	case NetBIOSSessionInitialize:
		return "Session Initialize"
	case NetBIOSNoReceive:
		return "No Receive"
	case NetBIOSReceiveOutstanding:
		return "Receive Outstanding"
	case NetBIOSReceiveContinue:
		return "Receive Continue"
	case NetBIOSSessionAlive:
		return "Session Alive"
	}
	return "Unknown (0x" + string([]byte{hexdigits[c>>4], hexdigits[c&0xf]}) + ")"
}

// known reports whether the command has a name.
func (c NetBIOSCommand) known() bool {
	switch c {
	case 0x04, 0x05, 0x06, 0x0B, 0x0C, 0x10, 0x11, 0x12, 0x1D, 0x1E:
		return false
	}
	return c < 0x20
}

// Session reports whether the command belongs to a session (0x14-0x1F):
// session numbers, not names, at offset 12.
func (c NetBIOSCommand) Session() bool { return c >= NetBIOSDataAck && c <= NetBIOSSessionAlive }

// Data reports whether the command carries user data after its header.
func (c NetBIOSCommand) Data() bool {
	return c == NetBIOSDatagram || c == NetBIOSDatagramBroadcast || c == NetBIOSDataFirstMiddle || c == NetBIOSDataOnlyLast
}

// netbiosNeed is how many header bytes tshark reads for the command (from
// the delimiter's frame start): 44 with a name at 28, 28 with one at 12,
// 14 for a session frame, 5 for the others.
func netbiosNeed(c NetBIOSCommand, lsn uint8) int {
	switch c {
	case NetBIOSAddGroupNameQuery, NetBIOSAddNameQuery, NetBIOSNameInConflict, NetBIOSStatusQuery,
		NetBIOSDatagram, NetBIOSDatagramBroadcast, NetBIOSAddNameResponse, NetBIOSStatusResponse:
		return netbiosNameLen
	case NetBIOSNameQuery:
		if lsn == 0 {
			return 28
		}
		return netbiosNameLen
	case NetBIOSNameRecognized:
		return netbiosNameLen // the info shows the name at 28, whatever lsn says
	}
	if c.Session() {
		return netbiosSessionLen
	}
	return 5
}

// Header sizes.
const (
	netbiosSessionLen = 14
	netbiosNameLen    = 44
	netbiosDelimiter  = 0xEFFF
)

// Fields of NetBIOS Frames, under tshark's names. The names (nb_name and
// nb_name_type) are shared with NBIPX and NMPI, which show them the same way.
var (
	FieldNetBIOS                     = RegisterField(FieldInfo{Abbrev: "netbios", Name: "NetBIOS", Type: FTProtocol})
	FieldNetBIOSCommand              = WiresharkField("netbios.command")
	FieldNetBIOSHdrLen               = WiresharkField("netbios.hdr_len")
	FieldNetBIOSDelimiter            = WiresharkField("netbios.delimiter")
	FieldNetBIOSXmitCorrl            = WiresharkField("netbios.xmit_corrl")
	FieldNetBIOSRespCorrl            = WiresharkField("netbios.resp_corrl")
	FieldNetBIOSCallNameType         = WiresharkField("netbios.call_name_type")
	FieldNetBIOSNBNameType           = WiresharkField("netbios.nb_name_type")
	FieldNetBIOSNBName               = WiresharkField("netbios.nb_name")
	FieldNetBIOSVersion              = WiresharkField("netbios.version")
	FieldNetBIOSNoReceiveFlags       = WiresharkField("netbios.no_receive_flags")
	FieldNetBIOSNoReceiveSendNoAck   = WiresharkField("netbios.no_receive_flags.send_no_ack")
	FieldNetBIOSLargestFrame         = WiresharkField("netbios.largest_frame")
	FieldNetBIOSStatusBufferLen      = WiresharkField("netbios.status_buffer_len")
	FieldNetBIOSStatus               = WiresharkField("netbios.status")
	FieldNetBIOSNameType             = WiresharkField("netbios.name_type")
	FieldNetBIOSMaxDataRecvSize      = WiresharkField("netbios.max_data_recv_size")
	FieldNetBIOSTerminationIndicator = WiresharkField("netbios.termination_indicator")
	FieldNetBIOSNumDataBytesAccepted = WiresharkField("netbios.num_data_bytes_accepted")
	FieldNetBIOSLocalSession         = WiresharkField("netbios.local_session")
	FieldNetBIOSRemoteSession        = WiresharkField("netbios.remote_session")
	FieldNetBIOSFlags                = WiresharkField("netbios.flags")
	FieldNetBIOSFlagsSendNoAck       = WiresharkField("netbios.flags.send_no_ack")
	FieldNetBIOSFlagsAck             = WiresharkField("netbios.flags.ack")
	FieldNetBIOSFlagsAckWithData     = WiresharkField("netbios.flags.ack_with_data")
	FieldNetBIOSFlagsAckExpected     = WiresharkField("netbios.flags.ack_expected")
	FieldNetBIOSFlagsRecvContReq     = WiresharkField("netbios.flags.recv_cont_req")
	FieldNetBIOSData2                = WiresharkField("netbios.data2")
	FieldNetBIOSData2Frame           = WiresharkField("netbios.data2.frame")
	FieldNetBIOSData2User            = WiresharkField("netbios.data2.user")
	FieldNetBIOSData2Status          = WiresharkField("netbios.data2.status")
	FieldNetBIOSDatagramMAC          = WiresharkField("netbios.datagram_mac")
	FieldNetBIOSDatagramBcastMAC     = WiresharkField("netbios.datagram_bcast_mac")
	FieldNetBIOSResyncIndicator      = WiresharkField("netbios.resync_indicator")
	FieldNetBIOSStatusRequest        = WiresharkField("netbios.status_request")
	FieldNetBIOSLocalSessionNo       = WiresharkField("netbios.local_session_no")
	FieldNetBIOSStateOfName          = WiresharkField("netbios.state_of_name")
	FieldNetBIOSStatusResponse       = WiresharkField("netbios.status_response")
	FieldNetBIOSFragments            = WiresharkField("netbios.fragments")
	FieldNetBIOSFragment             = WiresharkField("netbios.fragment")
	FieldNetBIOSFragmentCount        = WiresharkField("netbios.fragment.count")
	FieldNetBIOSReassembledLength    = WiresharkField("netbios.reassembled.length")
	FieldNetBIOSUnknownCommandData   = WiresharkField("netbios.unknown_command_data")
)

func init() {
	SetValues(FieldNetBIOSCommand, func(v uint64) string { return NetBIOSCommand(v).String() })
	SetValues(FieldNetBIOSNBNameType, func(v uint64) string { return NameSuffixMeaning(byte(v), false) })
	nameType := func(v uint64) string {
		switch v {
		case 0:
			return "Unique name"
		case 1:
			return "Group name"
		}
		return "Unknown"
	}
	SetValues(FieldNetBIOSCallNameType, nameType)
	SetValues(FieldNetBIOSNameType, nameType)
	SetValues(FieldNetBIOSVersion, func(v uint64) string {
		if v != 0 {
			return "2.00 or higher"
		}
		return "1.xx"
	})
	yesNo := func(v uint64) string {
		if v != 0 {
			return "Yes"
		}
		return "No"
	}
	SetValues(FieldNetBIOSFlagsSendNoAck, yesNo)
	SetValues(FieldNetBIOSFlagsAckExpected, yesNo)
	SetValues(FieldNetBIOSFlagsRecvContReq, yesNo)
	SetValues(FieldNetBIOSData2Frame, yesNo)
	SetValues(FieldNetBIOSData2User, yesNo)
	SetValues(FieldNetBIOSNoReceiveSendNoAck, func(v uint64) string { // tfs_no_yes
		if v != 0 {
			return "No"
		}
		return "Yes"
	})
	SetValues(FieldNetBIOSFlagsAck, func(v uint64) string {
		if v != 0 {
			return "Set"
		}
		return "Not set"
	})
	SetValues(FieldNetBIOSFlagsAckWithData, func(v uint64) string {
		if v != 0 {
			return "Allowed"
		}
		return "Not allowed"
	})
	SetValues(FieldNetBIOSLargestFrame, func(v uint64) string {
		return [8]string{"516", "1500", "2052", "4472", "8144", "11407", "17800", "65535"}[v&7]
	})
	SetValues(FieldNetBIOSStatus, func(v uint64) string {
		switch v {
		case 0:
			return "Add name not in process"
		case 1:
			return "Add name in process"
		}
		return "Unknown"
	})
	SetValues(FieldNetBIOSTerminationIndicator, func(v uint64) string {
		switch v {
		case 0:
			return "Normal session end"
		case 1:
			return "Abnormal session end"
		}
		return "Unknown"
	})
}
