package dissect

// The names of IEEE 802.2 LLC (llc.go): U frame functions and S frame
// functions as tshark's xdlc.c words them, service access points
// (packet-llc.c sap_vals) and the SNAP organisations tshark names in the
// info column.

// LLCModifier is the function of a U frame: the control byte's bits 0xEC.
type LLCModifier uint8

// U frame functions (ISO/IEC 8802-2 §5.3.3; the HDLC names tshark uses).
const (
	LLCUI    LLCModifier = 0x00 // unnumbered information
	LLCUP    LLCModifier = 0x20
	LLCDISC  LLCModifier = 0x40 // disconnect (as a response: RD)
	LLCUA    LLCModifier = 0x60 // unnumbered acknowledge
	LLCSNRM  LLCModifier = 0x80
	LLCTEST  LLCModifier = 0xE0
	LLCSIM   LLCModifier = 0x04 // as a response: RIM
	LLCFRMR  LLCModifier = 0x84 // frame reject
	LLCCFGR  LLCModifier = 0xC4
	LLCSARM  LLCModifier = 0x0C // as a response: DM, disconnected mode
	LLCSABM  LLCModifier = 0x2C
	LLCSARME LLCModifier = 0x4C
	LLCSABME LLCModifier = 0x6C // set asynchronous balanced mode extended
	LLCRESET LLCModifier = 0x8C
	LLCXID   LLCModifier = 0xAC // exchange identification
	LLCSNRME LLCModifier = 0xCC
	LLCBCN   LLCModifier = 0xEC
)

// shortName is tshark's abbreviation of the function ("SABME"), for a
// command or a response (xdlc.c modifier_short_vals_cmd and _resp).
func (m LLCModifier) shortName(response bool) string {
	if response {
		switch m {
		case LLCUI:
			return "UI"
		case LLCUA:
			return "UA"
		case LLCSIM:
			return "RIM"
		case LLCSARM:
			return "DM"
		case LLCDISC:
			return "RD"
		case LLCFRMR:
			return "FRMR"
		case LLCCFGR:
			return "CFGR"
		case LLCTEST:
			return "TEST"
		case LLCXID:
			return "XID"
		case LLCBCN:
			return "BCN"
		}
		return "Unknown"
	}
	switch m {
	case LLCUI:
		return "UI"
	case LLCUP:
		return "UP"
	case LLCDISC:
		return "DISC"
	case LLCUA:
		return "UA"
	case LLCSNRM:
		return "SNRM"
	case LLCSNRME:
		return "SNRME"
	case LLCTEST:
		return "TEST"
	case LLCSIM:
		return "SIM"
	case LLCFRMR:
		return "FRMR"
	case LLCCFGR:
		return "CFGR"
	case LLCSARM:
		return "SARM"
	case LLCSABM:
		return "SABM"
	case LLCSARME:
		return "SARME"
	case LLCSABME:
		return "SABME"
	case LLCRESET:
		return "RESET"
	case LLCXID:
		return "XID"
	case LLCBCN:
		return "BCN"
	}
	return "Unknown"
}

// longName is tshark's name of the function for -V ("Set Asynchronous
// Balanced Mode Extended").
func (m LLCModifier) longName(response bool) string {
	switch m {
	case LLCUI:
		return "Unnumbered Information"
	case LLCUA:
		return "Unnumbered Acknowledge"
	case LLCFRMR:
		return "Frame reject"
	case LLCCFGR:
		return "Configure"
	case LLCTEST:
		return "Test"
	case LLCXID:
		return "Exchange identification"
	case LLCBCN:
		return "Beacon"
	}
	if response {
		switch m {
		case LLCSIM:
			return "Request Initialization Mode"
		case LLCSARM:
			return "Disconnected mode"
		case LLCDISC:
			return "Request Disconnect"
		}
		return "Unknown"
	}
	switch m {
	case LLCUP:
		return "Unnumbered Poll"
	case LLCDISC:
		return "Disconnect"
	case LLCSNRM:
		return "Set Normal Response Mode"
	case LLCSIM:
		return "Set Initialization Mode"
	case LLCSARM:
		return "Set Asynchronous Response Mode"
	case LLCSABM:
		return "Set Asynchronous Balanced Mode"
	case LLCSARME:
		return "Set Asynchronous Response Mode Extended"
	case LLCSABME:
		return "Set Asynchronous Balanced Mode Extended"
	case LLCRESET:
		return "Reset"
	case LLCSNRME:
		return "Set Normal Response Mode Extended"
	}
	return "Unknown"
}

// llcSFunc names the function of an S frame (bits 2-3 of the control).
var llcSFunc = [4]struct{ short, long string }{
	{"RR", "Receiver ready"}, {"RNR", "Receiver not ready"}, {"REJ", "Reject"}, {"SREJ", "Selective reject"},
}

// SAPName returns tshark's name of a service access point (bit 0, I/G or
// C/R, ignored), or "" when it has none (packet-llc.c sap_vals).
func SAPName(sap uint8) string {
	switch sap & 0xFE {
	case 0x00:
		return "NULL LSAP"
	case 0x02:
		return "LLC Sub-Layer Management"
	case 0x04:
		return "SNA Path Control"
	case 0x06:
		return "TCP/IP"
	case 0x08, 0x0C, 0x40:
		return "SNA"
	case 0x0E:
		return "PROWAY (IEC955) Network Management and Initialization"
	case SAPNetWare1:
		return "NetWare (unofficial?)"
	case 0x14:
		return "ISO Network Layer (OSLAN 1)"
	case 0x18:
		return "Texas Instruments"
	case 0x20, 0x34:
		return "ISO Network Layer (unofficial?)"
	case 0x42:
		return "Spanning Tree BPDU"
	case 0x4E:
		return "EIA RS-511 Manufacturing Message Service"
	case 0x54:
		return "ISO Network Layer (OSLAN 2)"
	case 0x7E:
		return "ISO 8208 (X.25 over 802.2)"
	case 0x80:
		return "XNS"
	case 0x82:
		return "BACnet"
	case 0x86:
		return "Nestar"
	case 0x8E:
		return "PROWAY (IEC955) Active Station List Maintenance"
	case 0x98:
		return "ARP"
	case SAPSNAP:
		return "SNAP"
	case 0xBA, 0xBC:
		return "Banyan Vines"
	case SAPNetWare:
		return "NetWare"
	case SAPNetBIOS:
		return "NetBIOS"
	case 0xF4:
		return "IBM Net Management"
	case 0xF6:
		return "HP Extended LLC"
	case 0xFA:
		return "Ungermann-Bass"
	case 0xF8, 0xFC:
		return "Remote Program Load"
	case 0xFE:
		return "ISO Network Layer"
	}
	return ""
}

// Well-known SNAP organisation codes.
const (
	OUIEncapEther = 0x000000 // RFC 1042: the PID is an EtherType
	OUICisco      = 0x00000C
	OUICisco90    = 0x0000F8 // Cisco IOS 9.0 compatible: an EtherType too
	OUIAppleTalk  = 0x080007
	etherTypeIPX  = 0x8137
)

// ouiName is the organisation tshark prints in the info column.
func ouiName(oui uint32) string {
	switch oui {
	case OUIEncapEther:
		return "Officially Xerox, but 0:0:0:0:0:0 is more common"
	case OUICisco:
		return "Cisco Systems, Inc"
	case OUIAppleTalk:
		return "Apple, Inc."
	case OUICisco90:
		return "Cisco Systems, Inc"
	}
	return "Unknown"
}
