package dissect

// The value types of NBNS (RFC 1002 §4.2.1): opcode, reply code, question
// and record types, the header flags word, the owner node type, NB_FLAGS and
// NAME_FLAGS, each with tshark's or the RFC's names.

import "strconv"

// NBNSOpcode is the 4-bit OPCODE of the header (RFC 1002 §4.2.1.1).
type NBNSOpcode uint8

// Opcodes. RFC 1002 §4.2.1.1 lists refresh as 8 but draws the NAME REFRESH
// REQUEST of §4.2.4 with 9; both are seen (Windows uses 8, tshark calls 9
// "Refresh (alternate opcode)").
const (
	NBNSQuery                  NBNSOpcode = 0  // name query, node status
	NBNSRegistration           NBNSOpcode = 5  // name registration, overwrite
	NBNSRelease                NBNSOpcode = 6  // name release
	NBNSWACK                   NBNSOpcode = 7  // wait for acknowledgement
	NBNSRefresh                NBNSOpcode = 8  // name refresh
	NBNSRefreshAlt             NBNSOpcode = 9  // name refresh, §4.2.4's opcode
	NBNSMultiHomedRegistration NBNSOpcode = 15 // Microsoft multi-homed registration
)

// String returns tshark's name for the opcode.
func (o NBNSOpcode) String() string {
	if s := o.name(); s != "" {
		return s
	}
	return "Unknown operation (" + strconv.Itoa(int(o)) + ")"
}

func (o NBNSOpcode) name() string {
	switch o {
	case NBNSQuery:
		return "Name query"
	case NBNSRegistration:
		return "Registration"
	case NBNSRelease:
		return "Release"
	case NBNSWACK:
		return "Wait for acknowledgment"
	case NBNSRefresh:
		return "Refresh"
	case NBNSRefreshAlt:
		return "Refresh (alternate opcode)"
	case NBNSMultiHomedRegistration:
		return "Multi-homed registration"
	}
	return ""
}

// NBNSRCode is the 4-bit RCODE of a response (RFC 1002 §4.2.1.1 and the
// responses of §4.2.6, §4.2.11, §4.2.14).
type NBNSRCode uint8

// Reply codes, with the RFC's names.
const (
	NBNSNoError NBNSRCode = 0
	NBNSFmtErr  NBNSRCode = 1 // FMT_ERR: format error, request invalidly formatted
	NBNSSrvErr  NBNSRCode = 2 // SRV_ERR: server failure
	NBNSNamErr  NBNSRCode = 3 // NAM_ERR: name error, the name does not exist
	NBNSImpErr  NBNSRCode = 4 // IMP_ERR: unsupported request
	NBNSRfsErr  NBNSRCode = 5 // RFS_ERR: refused
	NBNSActErr  NBNSRCode = 6 // ACT_ERR: active error, name owned by another node
	NBNSCftErr  NBNSRCode = 7 // CFT_ERR: name in conflict
)

// String returns tshark's text for the reply code ("Unknown error" for
// codes the RFC does not define, as in tshark's info column).
func (r NBNSRCode) String() string {
	if s := r.name(); s != "" {
		return s
	}
	return "Unknown error"
}

func (r NBNSRCode) name() string {
	switch r {
	case NBNSNoError:
		return "No error"
	case NBNSFmtErr:
		return "Request was invalidly formatted"
	case NBNSSrvErr:
		return "Server failure"
	case NBNSNamErr:
		return "Requested name does not exist"
	case NBNSImpErr:
		return "Request is not implemented"
	case NBNSRfsErr:
		return "Request was refused"
	case NBNSActErr:
		return "Name is owned by another node"
	case NBNSCftErr:
		return "Name is in conflict"
	}
	return ""
}

// NBNSType is a QUESTION_TYPE or RR_TYPE (RFC 1002 §4.2.1.2, §4.2.1.3).
type NBNSType uint16

// Question and record types.
const (
	NBNSTypeA      NBNSType = 0x0001 // IP address (redirect, NSD_IP_ADDR)
	NBNSTypeNS     NBNSType = 0x0002 // name server (redirect, NSD_NAME)
	NBNSTypeNULL   NBNSType = 0x000a // negative responses
	NBNSTypeNB     NBNSType = 0x0020 // NetBIOS general name service
	NBNSTypeNBSTAT NBNSType = 0x0021 // NetBIOS node status
)

// String returns the RFC's name of the type.
func (t NBNSType) String() string {
	switch t {
	case NBNSTypeA:
		return "A"
	case NBNSTypeNS:
		return "NS"
	case NBNSTypeNULL:
		return "NULL"
	}
	if s := t.wsName(); s != "Unknown" {
		return s
	}
	return "Unknown (" + strconv.Itoa(int(t)) + ")"
}

// wsName is tshark's name: it knows only NB and NBSTAT.
func (t NBNSType) wsName() string {
	switch t {
	case NBNSTypeNB:
		return "NB"
	case NBNSTypeNBSTAT:
		return "NBSTAT"
	}
	return "Unknown"
}

// NBNSClassIN is the only class NBNS uses (RFC 1002 §4.2.1.2).
const NBNSClassIN = 1

// dnsClassName names a class the way tshark's dns_classes does.
func dnsClassName(c uint16) string {
	switch c {
	case 1:
		return "IN"
	case 3:
		return "CH"
	case 4:
		return "HS"
	case 254:
		return "NONE"
	case 255:
		return "ANY"
	}
	return "Unknown"
}

// NBNSFlags is the second 16-bit word of the header: R, OPCODE, NM_FLAGS
// and RCODE (RFC 1002 §4.2.1.1), kept whole as tshark does ("nbns.flags").
// The same word is echoed as the RDATA of a WACK (§4.2.16).
type NBNSFlags uint16

// Header bits (NM_FLAGS and R).
const (
	NBNSFlagR  NBNSFlags = 0x8000 // response
	NBNSFlagAA NBNSFlags = 0x0400 // authoritative answer
	NBNSFlagTC NBNSFlags = 0x0200 // truncation
	NBNSFlagRD NBNSFlags = 0x0100 // recursion desired
	NBNSFlagRA NBNSFlags = 0x0080 // recursion available
	NBNSFlagB  NBNSFlags = 0x0010 // broadcast

	nbnsOpcodeMask  NBNSFlags = 0x7800
	nbnsOpcodeShift           = 11
	nbnsRCodeMask   NBNSFlags = 0x000f
)

// Response reports whether the R bit is set.
func (f NBNSFlags) Response() bool { return f&NBNSFlagR != 0 }

// Opcode returns the OPCODE.
func (f NBNSFlags) Opcode() NBNSOpcode { return NBNSOpcode((f & nbnsOpcodeMask) >> nbnsOpcodeShift) }

// RCode returns the RCODE.
func (f NBNSFlags) RCode() NBNSRCode { return NBNSRCode(f & nbnsRCodeMask) }

// Has reports whether every bit of b is set.
func (f NBNSFlags) Has(b NBNSFlags) bool { return f&b == b }

// String lists the set bits, then opcode and rcode: "R|AA|RD opcode=5 rcode=6".
func (f NBNSFlags) String() string {
	b := make([]byte, 0, 40)
	for _, x := range []struct {
		bit  NBNSFlags
		name string
	}{{NBNSFlagR, "R"}, {NBNSFlagAA, "AA"}, {NBNSFlagTC, "TC"}, {NBNSFlagRD, "RD"}, {NBNSFlagRA, "RA"}, {NBNSFlagB, "B"}} {
		if f.Has(x.bit) {
			if len(b) > 0 {
				b = append(b, '|')
			}
			b = append(b, x.name...)
		}
	}
	if len(b) > 0 {
		b = append(b, ' ')
	}
	b = append(b, "opcode="...)
	b = strconv.AppendUint(b, uint64(f.Opcode()), 10)
	b = append(b, " rcode="...)
	b = strconv.AppendUint(b, uint64(f.RCode()), 10)
	return string(b)
}

// NBNSONT is the owner node type of NB_FLAGS and NAME_FLAGS (RFC 1002
// §4.2.1.3). H (3) is reserved in the RFC; Microsoft uses it for hybrid
// nodes.
type NBNSONT uint8

// Owner node types.
const (
	NBNSBNode NBNSONT = 0 // broadcast node
	NBNSPNode NBNSONT = 1 // point-to-point node
	NBNSMNode NBNSONT = 2 // mixed mode node
	NBNSHNode NBNSONT = 3 // hybrid node (Microsoft)
)

func (o NBNSONT) String() string {
	switch o {
	case NBNSBNode:
		return "B-node"
	case NBNSPNode:
		return "P-node"
	case NBNSMNode:
		return "M-node"
	}
	return "H-node"
}

// NBFlags is the NB_FLAGS word of an NB record (RFC 1002 §4.2.1.3): G and
// ONT, the rest reserved.
type NBFlags uint16

// NB_FLAGS bits.
const (
	NBFlagG       NBFlags = 0x8000 // group name
	nbFlagONTMask NBFlags = 0x6000
)

// Group reports whether the name is a group name.
func (f NBFlags) Group() bool { return f&NBFlagG != 0 }

// ONT returns the owner node type.
func (f NBFlags) ONT() NBNSONT { return NBNSONT((f & nbFlagONTMask) >> 13) }

// Has reports whether every bit of b is set.
func (f NBFlags) Has(b NBFlags) bool { return f&b == b }

// String lists the set bits: "G|H-node", "B-node".
func (f NBFlags) String() string {
	if f.Group() {
		return "G|" + f.ONT().String()
	}
	return f.ONT().String()
}

// NBNSNameFlags is the NAME_FLAGS word of a NODE_NAME entry in an NBSTAT
// response (RFC 1002 §4.2.18).
type NBNSNameFlags uint16

// NAME_FLAGS bits.
const (
	NBNSNameG       NBNSNameFlags = 0x8000 // group name
	NBNSNameDRG     NBNSNameFlags = 0x1000 // deregister: being deleted
	NBNSNameCNF     NBNSNameFlags = 0x0800 // in conflict
	NBNSNameACT     NBNSNameFlags = 0x0400 // active
	NBNSNamePRM     NBNSNameFlags = 0x0200 // the permanent node name
	nbnsNameONTMask NBNSNameFlags = 0x6000
)

// Group reports whether the name is a group name.
func (f NBNSNameFlags) Group() bool { return f&NBNSNameG != 0 }

// ONT returns the owner node type.
func (f NBNSNameFlags) ONT() NBNSONT { return NBNSONT((f & nbnsNameONTMask) >> 13) }

// Has reports whether every bit of b is set.
func (f NBNSNameFlags) Has(b NBNSNameFlags) bool { return f&b == b }

// String lists the set bits: "G|B-node|ACT".
func (f NBNSNameFlags) String() string {
	b := make([]byte, 0, 32)
	if f.Group() {
		b = append(b, "G|"...)
	}
	b = append(b, f.ONT().String()...)
	for _, x := range []struct {
		bit  NBNSNameFlags
		name string
	}{{NBNSNameDRG, "DRG"}, {NBNSNameCNF, "CNF"}, {NBNSNameACT, "ACT"}, {NBNSNamePRM, "PRM"}} {
		if f.Has(x.bit) {
			b = append(b, '|')
			b = append(b, x.name...)
		}
	}
	return string(b)
}
