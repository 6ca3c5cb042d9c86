package dissect

// NetBIOS Name Service (NBNS), UDP port 137: RFC 1002 §4.2 (packets) and
// RFC 1001 §15 (procedures: query, registration, release, WACK, refresh,
// node status). Multi-homed registration (opcode 15) is Microsoft's
// extension for hosts with several interfaces (Hertel, Implementing CIFS,
// §1.4 and ch. 3, "Multi-Homed Hosts"); it carries several NB_FLAGS and
// NB_ADDRESS pairs in one record, as a positive query response may.
//
// Byte order: big-endian (network order) throughout.
//
// The header (RFC 1002 §4.2.1.1), 12 bytes:
//
//	                     1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|         NAME_TRN_ID           | OPCODE  |   NM_FLAGS  | RCODE |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|          QDCOUNT              |           ANCOUNT             |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|          NSCOUNT              |           ARCOUNT             |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// OPCODE is R (response) and the 4-bit opcode; NM_FLAGS is AA, TC, RD, RA,
// two zero bits and B (broadcast). NBNSFlags holds the whole second word.
//
// then QDCOUNT questions (§4.2.1.2: QUESTION_NAME, QUESTION_TYPE,
// QUESTION_CLASS) and ANCOUNT + NSCOUNT + ARCOUNT resource records
// (§4.2.1.3: RR_NAME, RR_TYPE, RR_CLASS, TTL, RDLENGTH, RDATA). RDATA is
// NB_FLAGS + NB_ADDRESS pairs for NB (§4.2.2, §4.2.13), the echoed header
// flags in a WACK (§4.2.16), a node name table and statistics for NBSTAT
// (§4.2.18), a domain name for NS and an address for A (redirect, §4.2.15),
// and nothing for NULL (negative responses, §4.2.14).
//
// The tree and info column are those of tshark 4.0 (packet-nbt.c), quirks
// included, so that output diffs cleanly; each quirk is noted where it is
// reproduced. The typed struct follows the RFC.
//
// Not supported: NBNS over TCP (a 2-byte length before each message,
// RFC 1002 §4.2.1, never seen in the wild).

import (
	"encoding/binary"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

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

// Bounds. A real message has a handful of records; these only stop a
// forged one from making the decoder grow without end.
const (
	// MaxNBNSRecords bounds the questions, and the records of each of the
	// three record sections, that one message may hold.
	MaxNBNSRecords = 64
	// maxNBNSEntries bounds the NB_FLAGS/NB_ADDRESS pairs and WACK flags of
	// one message, and separately its NBSTAT name table entries.
	maxNBNSEntries = 1024
	nbnsHeaderLen  = 12
	nbnsStatsLen   = 46 // STATISTICS of RFC 1002 §4.2.18
)

// NBNSQuestion is one entry of the question section (RFC 1002 §4.2.1.2).
type NBNSQuestion struct {
	Name    Name
	Type    NBNSType
	Class   uint16
	Offset  int // of QUESTION_NAME in the message
	NameLen int // bytes QUESTION_NAME takes at Offset (2 for a bare pointer)
}

// NBNSAddrEntry is one NB_FLAGS + NB_ADDRESS pair of NB RDATA (RFC 1002
// §4.2.2, §4.2.13).
type NBNSAddrEntry struct {
	Flags  NBFlags
	Addr   [4]byte
	Offset int // of NB_FLAGS in the message
	// NoAddr is set when RDLENGTH, or the capture, ended after NB_FLAGS.
	NoAddr bool
}

// NBNSNodeName is one NODE_NAME entry of an NBSTAT name table (RFC 1002
// §4.2.18): 16 raw bytes (not first-level encoded) and NAME_FLAGS.
type NBNSNodeName struct {
	Name   [16]byte
	Flags  NBNSNameFlags
	Offset int // in the message
	// NoFlags is set when RDLENGTH, or the capture, ended after the name.
	NoFlags bool
}

// AppendString appends the name as tshark shows it ("VMWINXP<20>").
func (e *NBNSNodeName) AppendString(b []byte) []byte {
	b = appendNetBIOSChars(b, &e.Name, 1<<30)
	return append(b, '<', hexdigits[e.Name[15]>>4], hexdigits[e.Name[15]&0xf], '>')
}

// NBNSStatistics is the STATISTICS block of a node status response, with
// the field names of RFC 1002 §4.2.18 (46 bytes). Windows fills only
// UnitID (the MAC address) and Windows XP pads the message with 18 zero
// bytes after RDATA; Samba 4.17 sends 46 zero bytes.
//
// tshark 4.0 decodes the block as 42 bytes with one "command blocks" field
// where the RFC has three, so from offset 32 on its field names are shifted
// from the RFC's: nbns.numcommand_blocks is NumberFreeCommandBlocks,
// nbns.numpending_sessions TotalNumberCommandBlocks,
// nbns.max_num_pending_sessions MaxTotalNumberCommandBlocks,
// nbns.max_total_sessions_possible NumberPendingSessions and
// nbns.session_data_packet_size MaxNumberPendingSessions. The tree shows
// tshark's names at tshark's offsets; this struct is the RFC's.
type NBNSStatistics struct {
	UnitID                      [6]byte
	Jumpers                     uint8
	TestResult                  uint8
	VersionNumber               uint16
	PeriodOfStatistics          uint16
	NumberOfCRCs                uint16
	NumberAlignmentErrors       uint16
	NumberOfCollisions          uint16
	NumberSendAborts            uint16
	NumberGoodSends             uint32
	NumberGoodReceives          uint32
	NumberRetransmits           uint16
	NumberNoResourceConditions  uint16
	NumberFreeCommandBlocks     uint16
	TotalNumberCommandBlocks    uint16
	MaxTotalNumberCommandBlocks uint16
	NumberPendingSessions       uint16
	MaxNumberPendingSessions    uint16
	MaxTotalSessionsPossible    uint16
	SessionDataPacketSize       uint16
}

// NBNSResource is one resource record (RFC 1002 §4.2.1.3) with its RDATA
// decoded according to RR_TYPE and the message's opcode.
type NBNSResource struct {
	Name     Name
	Type     NBNSType
	Class    uint16
	TTL      uint32 // seconds
	RDLength uint16
	// RData is the RDATA present in the capture (shorter than RDLength when
	// the capture was cut short). It aliases the packet.
	RData       []byte
	Offset      int // of RR_NAME in the message
	NameLen     int // bytes RR_NAME takes at Offset
	RDataOffset int // of RDATA in the message

	// NB records (not in a WACK): the address entries.
	NB []NBNSAddrEntry
	// WACK (opcode 7) NB records: the echoed header flags, one per 2 bytes
	// of RDATA (RDLENGTH is 2 in the RFC).
	WACK []NBNSFlags
	// NBSTAT records: NUM_NAMES, the name table and the statistics.
	NumNames   uint8
	Names      []NBNSNodeName
	Statistics NBNSStatistics
	// StatisticsLen is how many bytes of the statistics block RDATA held (46
	// for a complete block; fewer for a short one, whose other fields are
	// zero). Bytes past the 46 are not decoded.
	StatisticsLen int
	// A records: NSD_IP_ADDR (§4.2.15).
	Addr [4]byte
	// NS records: the offset of NSD_NAME in the message, -1 when none.
	NSDNameOffset int
	// Incomplete is set when RDLENGTH ended inside an entry (tshark's
	// nbns.incomplete_entry): IncompleteOffset and IncompleteLen say where
	// the leftover bytes are. This is tolerated, not a decode error.
	Incomplete       bool
	IncompleteOffset int
	IncompleteLen    int
}

// NBNS is a NetBIOS Name Service message (RFC 1002 §4.2). Its slices alias
// the packet and the decoder's reused storage: they are valid until the
// next DecodeFromBytes.
type NBNS struct {
	layers.BaseLayer
	ID                                 uint16 // NAME_TRN_ID
	Flags                              NBNSFlags
	QDCount, ANCount, NSCount, ARCount uint16
	Questions                          []NBNSQuestion
	Answers                            []NBNSResource
	Authorities                        []NBNSResource
	Additionals                        []NBNSResource
	// Err is the decode error, if any: the fields above hold what was
	// decoded before it.
	Err error
	// ErrOffset is where in the message the error was found (-1 if none).
	ErrOffset int

	hdrLen   int // header bytes present (12 when complete)
	sections int // sections whose decoding started: 1 questions .. 4 additionals
	secStart [4]int
	secEnd   [4]int
	nbPool   []NBNSAddrEntry
	wackPool []NBNSFlags
	namePool []NBNSNodeName
}

// Fields: tshark's (wireshark-fields.tsv) and nbtsniff's own.
var (
	fNBNS               = RegisterField(FieldInfo{Abbrev: "nbns", Name: "NetBIOS Name Service", Type: FTProtocol})
	fNBNSID             = WiresharkField("nbns.id")
	fNBNSFlags          = WiresharkField("nbns.flags")
	fNBNSFlagsResponse  = WiresharkField("nbns.flags.response")
	fNBNSFlagsOpcode    = WiresharkField("nbns.flags.opcode")
	fNBNSFlagsAA        = WiresharkField("nbns.flags.authoritative")
	fNBNSFlagsTC        = WiresharkField("nbns.flags.truncated")
	fNBNSFlagsRD        = WiresharkField("nbns.flags.recdesired")
	fNBNSFlagsRA        = WiresharkField("nbns.flags.recavail")
	fNBNSFlagsB         = WiresharkField("nbns.flags.broadcast")
	fNBNSFlagsRCode     = WiresharkField("nbns.flags.rcode")
	fNBNSQDCount        = WiresharkField("nbns.count.queries")
	fNBNSANCount        = WiresharkField("nbns.count.answers")
	fNBNSNSCount        = WiresharkField("nbns.count.auth_rr")
	fNBNSARCount        = WiresharkField("nbns.count.add_rr")
	fNBNSName           = WiresharkField("nbns.name")
	fNBNSType           = WiresharkField("nbns.type")
	fNBNSClass          = WiresharkField("nbns.class")
	fNBNSTTL            = WiresharkField("nbns.ttl")
	fNBNSDataLength     = WiresharkField("nbns.data_length")
	fNBNSNBFlags        = WiresharkField("nbns.nb_flags")
	fNBNSNBFlagsGroup   = WiresharkField("nbns.nb_flags.group")
	fNBNSNBFlagsONT     = WiresharkField("nbns.nb_flags.ont")
	fNBNSAddr           = WiresharkField("nbns.addr")
	fNBNSNumberOfNames  = WiresharkField("nbns.number_of_names")
	fNBNSNetBIOSName    = WiresharkField("nbns.netbios_name")
	fNBNSNameFlags      = WiresharkField("nbns.name_flags")
	fNBNSNameFlagsGroup = WiresharkField("nbns.name_flags.group")
	fNBNSNameFlagsONT   = WiresharkField("nbns.name_flags.ont")
	fNBNSNameFlagsDRG   = WiresharkField("nbns.name_flags.drg")
	fNBNSNameFlagsCNF   = WiresharkField("nbns.name_flags.cnf")
	fNBNSNameFlagsACT   = WiresharkField("nbns.name_flags.act")
	fNBNSNameFlagsPRM   = WiresharkField("nbns.name_flags.prm")
	fNBNSUnitID         = WiresharkField("nbns.unit_id")
	fNBNSData           = WiresharkField("nbns.data")
	fNBNSIncomplete     = WiresharkField("nbns.incomplete_entry")

	// nbtsniff's own: the raw label of a name that is not a valid
	// first-level encoding, and the RDATA of redirect records that tshark
	// shows only as nbns.data.
	fNBNSEncodedName = RegisterField(FieldInfo{Abbrev: "nbtsniff.nbns.encoded_name", Name: "Encoded name (first label as on the wire)", Type: FTString, Proto: "nbtsniff"})
	fNBNSNSDName     = RegisterField(FieldInfo{Abbrev: "nbtsniff.nbns.nsd_name", Name: "Name server domain name (NSD_NAME)", Type: FTString, Proto: "nbtsniff"})
	fNBNSNSDIPAddr   = RegisterField(FieldInfo{Abbrev: "nbtsniff.nbns.nsd_ip_addr", Name: "Name server address (NSD_IP_ADDR)", Type: FTIPv4, Proto: "nbtsniff"})
	// The 16th byte of a name, generated after each nbns.name and
	// nbns.netbios_name (tshark shows it only in the -V text of the name).
	fNBNSSuffix = RegisterField(FieldInfo{Abbrev: "nbtsniff.nbns.suffix", Name: "Name suffix", Type: FTUint8, Base: BaseHex, Proto: "nbtsniff",
		Values: func(v uint64) string { return NameSuffixMeaning(byte(v), false) }})
)

// nbnsStatField is one field of the statistics block as tshark 4.0 reads it:
// 42 bytes, in this order (see NBNSStatistics).
type nbnsStatField struct {
	id   FieldID
	size int
}

var nbnsStatFields = [...]nbnsStatField{
	{fNBNSUnitID, 6},
	{WiresharkField("nbns.jumpers"), 1},
	{WiresharkField("nbns.test_result"), 1},
	{WiresharkField("nbns.version_number"), 2},
	{WiresharkField("nbns.period_of_statistics"), 2},
	{WiresharkField("nbns.num_crcs"), 2},
	{WiresharkField("nbns.num_alignment_errors"), 2},
	{WiresharkField("nbns.num_collisions"), 2},
	{WiresharkField("nbns.num_send_aborts"), 2},
	{WiresharkField("nbns.num_good_sends"), 4},
	{WiresharkField("nbns.num_good_receives"), 4},
	{WiresharkField("nbns.numretransmits"), 2},
	{WiresharkField("nbns.num_no_resource_conditions"), 2},
	{WiresharkField("nbns.numcommand_blocks"), 2},
	{WiresharkField("nbns.numpending_sessions"), 2},
	{WiresharkField("nbns.max_num_pending_sessions"), 2},
	{WiresharkField("nbns.max_total_sessions_possible"), 2},
	{WiresharkField("nbns.session_data_packet_size"), 2},
}

func init() {
	SetValues(fNBNSFlagsOpcode, func(v uint64) string {
		if s := NBNSOpcode(v).name(); s != "" {
			return s
		}
		return "Unknown"
	})
	SetValues(fNBNSFlagsRCode, func(v uint64) string {
		if s := NBNSRCode(v).name(); s != "" {
			return s
		}
		return "Unknown"
	})
	SetValues(fNBNSType, func(v uint64) string { return NBNSType(v).wsName() })
	SetValues(fNBNSClass, func(v uint64) string { return dnsClassName(uint16(v)) })
	// tshark 4.0 looks the shifted ONT up in a table keyed by unshifted
	// values, so only B-node (0) is named and 1..3 print "Unknown".
	ont := func(v uint64) string {
		if v == 0 {
			return "B-node"
		}
		return "Unknown"
	}
	SetValues(fNBNSNBFlagsONT, ont)
	SetValues(fNBNSNameFlagsONT, ont)
	// tshark's true/false texts, for the -V tree.
	for _, x := range []struct {
		id          FieldID
		true, false string
	}{
		{fNBNSFlagsResponse, "Message is a response", "Message is a query"},
		{fNBNSFlagsAA, "Server is an authority for domain", "Server is not an authority for domain"},
		{fNBNSFlagsTC, "Message is truncated", "Message is not truncated"},
		{fNBNSFlagsRD, "Do query recursively", "Don't do query recursively"},
		{fNBNSFlagsRA, "Server can do recursive queries", "Server can't do recursive queries"},
		{fNBNSFlagsB, "Broadcast packet", "Not a broadcast packet"},
		{fNBNSNBFlagsGroup, "Group name", "Unique name"},
		{fNBNSNameFlagsGroup, "Group name", "Unique name"},
		{fNBNSNameFlagsDRG, "Yes", "No"},
		{fNBNSNameFlagsCNF, "Yes", "No"},
		{fNBNSNameFlagsACT, "Yes", "No"},
		{fNBNSNameFlagsPRM, "Yes", "No"},
	} {
		x := x
		SetValues(x.id, func(v uint64) string {
			if v != 0 {
				return x.true
			}
			return x.false
		})
	}
}

// appendItem appends ", " (unless b is empty) and s: tshark's summary of a
// bit field ("Response, Opcode: Name query, Authoritative").
func appendItem(b []byte, s ...string) []byte {
	if len(b) > 0 {
		b = append(b, ", "...)
	}
	for _, x := range s {
		b = append(b, x...)
	}
	return b
}

// ontText is tshark's name of a shifted ONT in a bit-field summary (see
// the Values of nbns.nb_flags.ont).
func ontText(o NBNSONT) string {
	if o == NBNSBNode {
		return "B-node"
	}
	return "Unknown"
}

// LayerType returns LayerTypeNBNS.
func (n *NBNS) LayerType() gopacket.LayerType { return LayerTypeNBNS }

// CanDecode returns LayerTypeNBNS.
func (n *NBNS) CanDecode() gopacket.LayerClass { return LayerTypeNBNS }

// NextLayerType returns LayerTypeZero: NBNS carries nothing else.
func (n *NBNS) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// DecodeFromBytes decodes one NBNS message (the UDP payload). It resets n;
// slices alias data. On error it keeps what it decoded, sets Err and
// returns it.
func (n *NBNS) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	n.reset(data)
	err := n.decode(data)
	if err != nil {
		n.Err = err
		if df != nil && isTruncated(err) {
			df.SetTruncated()
		}
	}
	return err
}

func isTruncated(err error) bool {
	de, ok := err.(*DecodeError)
	return ok && de.Err == ErrTruncated
}

func (n *NBNS) reset(data []byte) {
	n.Contents = data
	n.Payload = nil
	n.ID, n.Flags = 0, 0
	n.QDCount, n.ANCount, n.NSCount, n.ARCount = 0, 0, 0, 0
	n.Questions = n.Questions[:0]
	n.Answers = n.Answers[:0]
	n.Authorities = n.Authorities[:0]
	n.Additionals = n.Additionals[:0]
	n.Err = nil
	n.ErrOffset = -1
	n.hdrLen = 0
	n.sections = 0
	n.secStart, n.secEnd = [4]int{}, [4]int{}
	n.nbPool = n.nbPool[:0]
	n.wackPool = n.wackPool[:0]
	n.namePool = n.namePool[:0]
}

var nbnsSectionNames = [4]string{"question", "answer", "authority", "additional"}

func (n *NBNS) decode(data []byte) error {
	n.hdrLen = min(len(data), nbnsHeaderLen)
	be := binary.BigEndian
	if len(data) >= 2 {
		n.ID = be.Uint16(data[0:])
	}
	if len(data) >= 4 {
		n.Flags = NBNSFlags(be.Uint16(data[2:]))
	}
	if len(data) >= 6 {
		n.QDCount = be.Uint16(data[4:])
	}
	if len(data) >= 8 {
		n.ANCount = be.Uint16(data[6:])
	}
	if len(data) >= 10 {
		n.NSCount = be.Uint16(data[8:])
	}
	if len(data) >= 12 {
		n.ARCount = be.Uint16(data[10:])
	}
	if len(data) < nbnsHeaderLen {
		n.ErrOffset = len(data)
		return Truncated("nbns", "header", -1, nbnsHeaderLen, len(data))
	}
	off := nbnsHeaderLen
	counts := [4]uint16{n.QDCount, n.ANCount, n.NSCount, n.ARCount}
	for sec := 0; sec < 4; sec++ {
		if counts[sec] == 0 {
			continue
		}
		n.sections = sec + 1
		n.secStart[sec], n.secEnd[sec] = off, off
		for i := 0; i < int(counts[sec]); i++ {
			if i >= MaxNBNSRecords {
				n.ErrOffset = off
				return &DecodeError{Proto: "nbns", Field: nbnsSectionNames[sec] + " count", Offset: -1, Err: ErrLimit,
					Detail: strconv.Itoa(int(counts[sec])) + " records, at most " + strconv.Itoa(MaxNBNSRecords) + " decoded"}
			}
			var err error
			if sec == 0 {
				off, err = n.decodeQuestion(data, off, i+1)
			} else {
				off, err = n.decodeResource(data, off, sec, i+1)
			}
			n.secEnd[sec] = off
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// nbnsErr rewrites an error of DecodeName (or a bound check) so that its
// field names the record: "nbns: answer 2 name: label pointer loop".
func (n *NBNS) nbnsErr(err error, sec, i int, what string) error {
	de, ok := err.(*DecodeError)
	if !ok {
		return err
	}
	n.ErrOffset = de.Offset
	if de.Field != "" {
		what = de.Field // "name", "name pointer", "name label"
	}
	return &DecodeError{Proto: "nbns", Field: nbnsSectionNames[sec] + " " + strconv.Itoa(i) + " " + what,
		Offset: -1, Err: de.Err, Detail: de.Detail, need: de.need, have: de.have, sized: de.sized}
}

func (n *NBNS) truncated(sec, i int, what string, off, need, have int) error {
	n.ErrOffset = off
	return &DecodeError{Proto: "nbns", Field: nbnsSectionNames[sec] + " " + strconv.Itoa(i) + " " + what,
		Offset: -1, Err: ErrTruncated,
		Detail: "need " + strconv.Itoa(need) + " bytes, have " + strconv.Itoa(have)}
}

func (n *NBNS) decodeQuestion(data []byte, off, i int) (int, error) {
	n.Questions = growOne(n.Questions)
	q := &n.Questions[len(n.Questions)-1]
	next, err := DecodeName("nbns", data, off, &q.Name)
	if err != nil {
		n.Questions = n.Questions[:len(n.Questions)-1]
		return off, n.nbnsErr(err, 0, i, "name")
	}
	if next+4 > len(data) {
		n.Questions = n.Questions[:len(n.Questions)-1]
		return off, n.truncated(0, i, "type and class", next, 4, len(data)-next)
	}
	q.Offset, q.NameLen = off, next-off
	q.Type = NBNSType(binary.BigEndian.Uint16(data[next:]))
	q.Class = binary.BigEndian.Uint16(data[next+2:])
	return next + 4, nil
}

func (n *NBNS) section(sec int) *[]NBNSResource {
	switch sec {
	case 1:
		return &n.Answers
	case 2:
		return &n.Authorities
	}
	return &n.Additionals
}

func (n *NBNS) decodeResource(data []byte, off, sec, i int) (int, error) {
	list := n.section(sec)
	*list = growOne(*list)
	r := &(*list)[len(*list)-1]
	next, err := DecodeName("nbns", data, off, &r.Name)
	if err != nil {
		*list = (*list)[:len(*list)-1]
		return off, n.nbnsErr(err, sec, i, "name")
	}
	if next+10 > len(data) {
		*list = (*list)[:len(*list)-1]
		return off, n.truncated(sec, i, "type, class, TTL and RDLENGTH", next, 10, len(data)-next)
	}
	be := binary.BigEndian
	r.Offset, r.NameLen = off, next-off
	r.Type = NBNSType(be.Uint16(data[next:]))
	r.Class = be.Uint16(data[next+2:])
	r.TTL = be.Uint32(data[next+4:])
	r.RDLength = be.Uint16(data[next+8:])
	r.RDataOffset = next + 10
	r.NSDNameOffset = -1
	r.IncompleteOffset = -1
	end := r.RDataOffset + int(r.RDLength)
	r.RData = data[r.RDataOffset:min(end, len(data))]

	switch {
	case r.Type == NBNSTypeNB && n.Flags.Opcode() == NBNSWACK:
		err = n.decodeWACK(r, sec, i)
	case r.Type == NBNSTypeNB:
		err = n.decodeNB(r, sec, i)
	case r.Type == NBNSTypeNBSTAT:
		err = n.decodeNBSTAT(r, sec, i)
	case r.Type == NBNSTypeA && len(r.RData) >= 4:
		copy(r.Addr[:], r.RData)
	case r.Type == NBNSTypeNS && len(r.RData) > 0 && end <= len(data):
		if _, ok := walkDomainName(nil, data, r.RDataOffset); ok {
			r.NSDNameOffset = r.RDataOffset
		}
	}
	if err != nil {
		return off, err
	}
	if end > len(data) {
		return off, n.truncated(sec, i, "rdata", r.RDataOffset+len(r.RData), int(r.RDLength), len(r.RData))
	}
	return end, nil
}

// decodeNB reads NB_FLAGS/NB_ADDRESS pairs the way tshark walks them: a
// leftover of 1 byte, or of 2..5 after the flags, is an incomplete entry.
func (n *NBNS) decodeNB(r *NBNSResource, sec, i int) error {
	start := len(n.nbPool)
	rem := int(r.RDLength)
	cur := 0
	for rem > 0 {
		if rem < 2 {
			r.setIncomplete(cur, rem)
			break
		}
		if cur+2 > len(r.RData) {
			break // the capture ends here: reported by the caller
		}
		if len(n.nbPool) >= maxNBNSEntries {
			r.NB = n.nbPool[start:]
			n.ErrOffset = r.RDataOffset + cur
			return Limit("nbns", nbnsSectionNames[sec]+" "+strconv.Itoa(i)+" rdata", -1, "more than "+strconv.Itoa(maxNBNSEntries)+" address entries")
		}
		e := NBNSAddrEntry{Flags: NBFlags(binary.BigEndian.Uint16(r.RData[cur:])), Offset: r.RDataOffset + cur, NoAddr: true}
		cur += 2
		rem -= 2
		if rem < 4 {
			n.nbPool = append(n.nbPool, e)
			r.setIncomplete(cur, rem)
			break
		}
		if cur+4 > len(r.RData) {
			n.nbPool = append(n.nbPool, e)
			break // the capture ends inside NB_ADDRESS: reported by the caller
		}
		copy(e.Addr[:], r.RData[cur:])
		e.NoAddr = false
		n.nbPool = append(n.nbPool, e)
		cur += 4
		rem -= 4
	}
	r.NB = n.nbPool[start:len(n.nbPool):len(n.nbPool)]
	return nil
}

// decodeWACK reads the echoed flags of a WACK (RFC 1002 §4.2.16), one per
// two bytes as tshark does.
func (n *NBNS) decodeWACK(r *NBNSResource, sec, i int) error {
	start := len(n.wackPool)
	rem := int(r.RDLength)
	cur := 0
	for rem > 0 {
		if rem < 2 {
			r.setIncomplete(cur, rem)
			break
		}
		if cur+2 > len(r.RData) {
			break
		}
		if len(n.wackPool) >= maxNBNSEntries {
			r.WACK = n.wackPool[start:]
			n.ErrOffset = r.RDataOffset + cur
			return Limit("nbns", nbnsSectionNames[sec]+" "+strconv.Itoa(i)+" rdata", -1, "more than "+strconv.Itoa(maxNBNSEntries)+" WACK entries")
		}
		n.wackPool = append(n.wackPool, NBNSFlags(binary.BigEndian.Uint16(r.RData[cur:])))
		cur += 2
		rem -= 2
	}
	r.WACK = n.wackPool[start:len(n.wackPool):len(n.wackPool)]
	return nil
}

// decodeNBSTAT reads a node status RDATA (RFC 1002 §4.2.18): NUM_NAMES,
// the NODE_NAME entries and the statistics. A name table shorter than
// NUM_NAMES says, or a short statistics block, is tolerated (tshark's
// incomplete entry); a capture cut short is reported by the caller.
func (n *NBNS) decodeNBSTAT(r *NBNSResource, sec, i int) error {
	d := r.RData
	decl := int(r.RDLength)
	if decl < 1 {
		r.setIncomplete(0, decl)
		return nil
	}
	if len(d) < 1 {
		return nil
	}
	r.NumNames = d[0]
	cur := 1
	start := len(n.namePool)
	done, err := n.decodeNodeNames(r, &cur, sec, i)
	r.Names = n.namePool[start:len(n.namePool):len(n.namePool)]
	if err != nil || done {
		return err
	}
	var blk [nbnsStatsLen]byte
	r.StatisticsLen = copy(blk[:], d[min(cur, len(d)):])
	s := &r.Statistics
	be := binary.BigEndian
	copy(s.UnitID[:], blk[0:6])
	s.Jumpers = blk[6]
	s.TestResult = blk[7]
	s.VersionNumber = be.Uint16(blk[8:])
	s.PeriodOfStatistics = be.Uint16(blk[10:])
	s.NumberOfCRCs = be.Uint16(blk[12:])
	s.NumberAlignmentErrors = be.Uint16(blk[14:])
	s.NumberOfCollisions = be.Uint16(blk[16:])
	s.NumberSendAborts = be.Uint16(blk[18:])
	s.NumberGoodSends = be.Uint32(blk[20:])
	s.NumberGoodReceives = be.Uint32(blk[24:])
	s.NumberRetransmits = be.Uint16(blk[28:])
	s.NumberNoResourceConditions = be.Uint16(blk[30:])
	s.NumberFreeCommandBlocks = be.Uint16(blk[32:])
	s.TotalNumberCommandBlocks = be.Uint16(blk[34:])
	s.MaxTotalNumberCommandBlocks = be.Uint16(blk[36:])
	s.NumberPendingSessions = be.Uint16(blk[38:])
	s.MaxNumberPendingSessions = be.Uint16(blk[40:])
	s.MaxTotalSessionsPossible = be.Uint16(blk[42:])
	s.SessionDataPacketSize = be.Uint16(blk[44:])
	return nil
}

// decodeNodeNames reads the NODE_NAME entries into the pool; done is set
// when the statistics cannot follow (incomplete entry, or the capture ends).
func (n *NBNS) decodeNodeNames(r *NBNSResource, cur *int, sec, i int) (done bool, err error) {
	d := r.RData
	decl := int(r.RDLength)
	for k := 0; k < int(r.NumNames); k++ {
		if decl-*cur < 16 {
			r.setIncomplete(*cur, decl-*cur)
			return true, nil
		}
		if *cur+16 > len(d) {
			return true, nil
		}
		if len(n.namePool) >= maxNBNSEntries {
			n.ErrOffset = r.RDataOffset + *cur
			return true, Limit("nbns", nbnsSectionNames[sec]+" "+strconv.Itoa(i)+" rdata", -1, "more than "+strconv.Itoa(maxNBNSEntries)+" node names")
		}
		e := NBNSNodeName{Offset: r.RDataOffset + *cur, NoFlags: true}
		copy(e.Name[:], d[*cur:*cur+16])
		*cur += 16
		if decl-*cur < 2 {
			n.namePool = append(n.namePool, e)
			r.setIncomplete(*cur, decl-*cur)
			return true, nil
		}
		if *cur+2 <= len(d) {
			e.Flags = NBNSNameFlags(binary.BigEndian.Uint16(d[*cur:]))
			e.NoFlags = false
		}
		n.namePool = append(n.namePool, e)
		*cur += 2
		if *cur > len(d) {
			return true, nil
		}
	}
	return false, nil
}

func (r *NBNSResource) setIncomplete(cur, rem int) {
	r.Incomplete = true
	r.IncompleteOffset = r.RDataOffset + cur
	r.IncompleteLen = rem
}

// walkDomainName follows an ordinary domain name (the NSD_NAME of an NS
// record) and appends it in dotted form to b; ok is false on a loop, a
// pointer past the end, a reserved label type or truncation.
func walkDomainName(b []byte, msg []byte, off int) ([]byte, bool) {
	hops, labels := 0, 0
	for {
		if off < 0 || off >= len(msg) {
			return b, false
		}
		l := int(msg[off])
		switch l & 0xc0 {
		case 0xc0:
			if off+1 >= len(msg) || hops >= MaxNameHops {
				return b, false
			}
			hops++
			off = (l&0x3f)<<8 | int(msg[off+1])
			continue
		case 0x40, 0x80:
			return b, false
		}
		if l == 0 {
			return b, true
		}
		if off+1+l > len(msg) {
			return b, false
		}
		if labels > 0 {
			b = append(b, '.')
		}
		labels++
		b = append(b, msg[off+1:off+1+l]...)
		off += 1 + l
	}
}

// ---------------------------------------------------------------------------
// Tree and info column.

// nbnsFields is every field AppendTree may add below the protocol node:
// with none of them wanted, it adds that node only (see FieldSet).
var nbnsFields = NewFieldSet("nbns", "nbtsniff")

// AppendTree adds the "nbns" protocol and its fields in tshark 4.0's order,
// offsets relative to the message (the caller sets t.Base). A decode error
// ends the layer with a "[Malformed: ...]" note.
func (n *NBNS) AppendTree(t *Tree) {
	msg := n.Contents
	depth := t.Depth()
	t.Open(fNBNS, 0, len(msg))
	if !t.WantsSet(nbnsFields) {
		t.CloseTo(depth) // -T fields prints none of its fields
		return
	}
	if n.hdrLen >= 2 {
		t.Uint(fNBNSID, 0, 2, uint64(n.ID))
	}
	if n.hdrLen >= 4 {
		treeNBNSFlags(t, 2, n.Flags, false)
	}
	counts := [4]uint16{n.QDCount, n.ANCount, n.NSCount, n.ARCount}
	for k, f := range [4]FieldID{fNBNSQDCount, fNBNSANCount, fNBNSNSCount, fNBNSARCount} {
		if n.hdrLen >= 6+2*k {
			t.Uint(f, 4+2*k, 2, uint64(counts[k]))
		}
	}
	for sec := 0; sec < n.sections; sec++ {
		if counts[sec] == 0 {
			continue
		}
		t.OpenText(nbnsSectionHeadings[sec], n.secStart[sec], n.secEnd[sec]-n.secStart[sec])
		if sec == 0 {
			for k := range n.Questions {
				n.treeQuestion(t, &n.Questions[k])
			}
		} else {
			list := *n.section(sec)
			for k := range list {
				n.treeResource(t, &list[k])
			}
		}
		t.Close()
	}
	if n.Err != nil {
		off := n.ErrOffset
		if off < 0 {
			off = len(msg)
		}
		t.Expert("[Malformed: "+n.Err.Error()+"]", off, 0)
	}
	t.CloseTo(depth)
}

var nbnsSectionHeadings = [4]string{"Queries", "Answers", "Authoritative nameservers", "Additional records"}

// treeNBNSFlags adds the flags word and its bits as tshark does: a request
// shows R, opcode, TC, RD and B; a response adds AA, RA and, except in a
// WACK's RDATA, RCODE.
func treeNBNSFlags(t *Tree, off int, f NBNSFlags, wack bool) {
	fl := t.Open(fNBNSFlags, off, 2)
	fl.U = uint64(f)
	if t.WantsText() { // the summary after the value, for -V
		fl.S = t.Keep(nbnsFlagsSummary(t.Buf(), f, wack))
	}
	t.Bool(fNBNSFlagsResponse, off, 2, f.Response())
	t.Uint(fNBNSFlagsOpcode, off, 2, uint64(f.Opcode()))
	if f.Response() {
		t.Bool(fNBNSFlagsAA, off, 2, f.Has(NBNSFlagAA))
	}
	t.Bool(fNBNSFlagsTC, off, 2, f.Has(NBNSFlagTC))
	t.Bool(fNBNSFlagsRD, off, 2, f.Has(NBNSFlagRD))
	if f.Response() {
		t.Bool(fNBNSFlagsRA, off, 2, f.Has(NBNSFlagRA))
	}
	t.Bool(fNBNSFlagsB, off, 2, f.Has(NBNSFlagB))
	if f.Response() && !wack {
		t.Uint(fNBNSFlagsRCode, off, 2, uint64(f.RCode()))
	}
	t.Close()
}

// nbnsFlagsSummary appends what tshark shows after the flags value: the
// names of the bits set and the values of the fields, of those the
// message shows. Only the -V text reads it.
func nbnsFlagsSummary(b []byte, f NBNSFlags, wack bool) []byte {
	op := f.Opcode().name()
	if op == "" {
		op = "Unknown"
	}
	if f.Response() {
		b = appendItem(b, "Response")
	}
	b = appendItem(b, "Opcode: ", op)
	for _, x := range []struct {
		bit  NBNSFlags
		resp bool
		name string
	}{{NBNSFlagAA, true, "Authoritative"}, {NBNSFlagTC, false, "Truncated"}, {NBNSFlagRD, false, "Recursion desired"},
		{NBNSFlagRA, true, "Recursion available"}, {NBNSFlagB, false, "Broadcast"}} {
		if f.Has(x.bit) && (f.Response() || !x.resp) {
			b = appendItem(b, x.name)
		}
	}
	if f.Response() && !wack {
		rc := f.RCode().name()
		if rc == "" {
			rc = "Unknown"
		}
		b = appendItem(b, "Reply code: ", rc)
	}
	return b
}

// heading opens a record subtree titled "NAME: type NB, class IN". The
// text is built in the tree's scratch space and held in the node's S
// (Label is empty), so that nothing allocates.
func heading(t *Tree, name *Name, typ NBNSType, class uint16, off, length int) {
	if !t.WantsText() {
		t.OpenText("", off, length)
		return
	}
	b := t.Buf()
	b = name.AppendWithScope(b)
	b = append(b, ": type "...)
	b = append(b, typ.wsName()...)
	b = append(b, ", class "...)
	b = append(b, dnsClassName(class)...)
	t.OpenText("", off, length).S = t.Keep(b)
}

// treeName adds nbns.name, plus, for a name that is not a valid first-level
// encoding, a note and the raw label.
func treeName(t *Tree, f FieldID, name *Name, off, length int, meaning bool) {
	if !t.Wants(f) && !t.Wants(fNBNSSuffix) && !t.Wants(fNBNSEncodedName) {
		return // nobody reads it: skip formatting the name
	}
	nt := name.wsNameType()
	if t.Wants(f) {
		b := t.Buf()
		b = name.AppendWithScope(b)
		if meaning {
			b = append(b, " ("...)
			if nt >= 0 {
				b = append(b, NameSuffixMeaning(name.Raw[15], false)...)
			} else {
				b = append(b, "Unknown"...)
			}
			b = append(b, ')')
		}
		t.Bytes(f, off, length, t.Keep(b))
	}
	if nt >= 0 {
		t.Uint(fNBNSSuffix, off, length, uint64(name.Raw[15])).Flags |= NodeGenerated
	}
	if name.Valid() {
		return
	}
	switch {
	case len(name.Encoded) == 0:
		t.Text("[Zero-length name]", off, length).Flags |= NodeWarn
	case name.Long:
		t.Text("[Name longer than 253 characters]", off, length).Flags |= NodeWarn
	case name.BadNibble >= 0:
		t.Text("[Bad half-byte in the first-level encoding]", off, length).Flags |= NodeWarn
	default:
		t.Text("[First label is not 32 bytes long]", off, length).Flags |= NodeWarn
	}
	t.Bytes(fNBNSEncodedName, off, length, name.Encoded).Flags |= NodeGenerated
}

func (n *NBNS) treeQuestion(t *Tree, q *NBNSQuestion) {
	heading(t, &q.Name, q.Type, q.Class, q.Offset, q.NameLen+4)
	treeName(t, fNBNSName, &q.Name, q.Offset, q.NameLen, false)
	t.Uint(fNBNSType, q.Offset+q.NameLen, 2, uint64(q.Type))
	t.Uint(fNBNSClass, q.Offset+q.NameLen+2, 2, uint64(q.Class))
	t.Close()
}

func (n *NBNS) treeResource(t *Tree, r *NBNSResource) {
	msg := n.Contents
	hdr := r.Offset + r.NameLen
	heading(t, &r.Name, r.Type, r.Class, r.Offset, r.NameLen+10+int(r.RDLength))
	// tshark shows the meaning of the suffix in the value of an NB
	// record's name only, and the name without its length byte.
	treeName(t, fNBNSName, &r.Name, r.Offset+1, r.NameLen-1, r.Type == NBNSTypeNB)
	t.Uint(fNBNSType, hdr, 2, uint64(r.Type))
	t.Uint(fNBNSClass, hdr+2, 2, uint64(r.Class))
	t.Uint(fNBNSTTL, hdr+4, 4, uint64(r.TTL))
	t.Uint(fNBNSDataLength, hdr+8, 2, uint64(r.RDLength))
	switch {
	case r.Type == NBNSTypeNB && n.Flags.Opcode() == NBNSWACK:
		for k, f := range r.WACK {
			treeNBNSFlags(t, r.RDataOffset+2*k, f, true)
		}
		treeIncomplete(t, r)
	case r.Type == NBNSTypeNB:
		for k := range r.NB {
			e := &r.NB[k]
			fl := t.Open(fNBNSNBFlags, e.Offset, 2)
			fl.U = uint64(e.Flags)
			if t.WantsText() { // the summary after the value, for -V
				b := t.Buf()
				if e.Flags.Group() {
					b = appendItem(b, "Name type")
				}
				b = appendItem(b, "ONT: ", ontText(e.Flags.ONT()), " (", e.Flags.ONT().String())
				if e.Flags.Group() {
					b = append(b, ", group)"...)
				} else {
					b = append(b, ", unique)"...)
				}
				fl.S = t.Keep(b)
			}
			t.Bool(fNBNSNBFlagsGroup, e.Offset, 2, e.Flags.Group())
			t.Uint(fNBNSNBFlagsONT, e.Offset, 2, uint64(e.Flags.ONT()))
			t.Close()
			if !e.NoAddr {
				t.IPv4(fNBNSAddr, e.Offset+2, e.Addr)
			}
		}
		treeIncomplete(t, r)
	case r.Type == NBNSTypeNBSTAT:
		n.treeNBSTAT(t, r)
	default:
		if len(r.RData) == int(r.RDLength) {
			t.Bytes(fNBNSData, r.RDataOffset, len(r.RData), r.RData)
			switch {
			case r.Type == NBNSTypeA && len(r.RData) >= 4:
				t.IPv4(fNBNSNSDIPAddr, r.RDataOffset, r.Addr).Flags |= NodeGenerated
			case r.Type == NBNSTypeNS && r.NSDNameOffset >= 0:
				b, _ := walkDomainName(t.Buf(), msg, r.NSDNameOffset)
				t.Bytes(fNBNSNSDName, r.RDataOffset, len(r.RData), t.Keep(b)).Flags |= NodeGenerated
			}
		}
	}
	t.Close()
}

// treeIncomplete adds tshark's "incomplete entry" expert item.
func treeIncomplete(t *Tree, r *NBNSResource) {
	if r.Incomplete {
		t.add(fNBNSIncomplete, r.IncompleteOffset, r.IncompleteLen).Flags |= NodeWarn
	}
}

// treeNBSTAT walks a node status RDATA exactly as tshark 4.0 does, so that
// the same fields come out, including two of its quirks: the count of bytes
// left is not decreased for NUM_NAMES (so one byte past RDATA may be read),
// and the statistics block is its 42-byte one (see NBNSStatistics). It stops
// where tshark would throw: at the end of the message.
func (n *NBNS) treeNBSTAT(t *Tree, r *NBNSResource) {
	msg := n.Contents
	cur := r.RDataOffset
	left := int(r.RDLength)
	incomplete := func() { t.add(fNBNSIncomplete, cur, left).Flags |= NodeWarn }
	if left < 1 {
		incomplete()
		return
	}
	if cur >= len(msg) {
		return
	}
	num := int(msg[cur])
	t.Uint(fNBNSNumberOfNames, cur, 1, uint64(num))
	cur++
	for ; num > 0; num-- {
		if left < 16 {
			incomplete()
			return
		}
		if cur+16 > len(msg) {
			return
		}
		var raw [16]byte
		copy(raw[:], msg[cur:])
		// tshark gives process_netbios_name a buffer as long as the
		// record's name is on the wire (34 bytes for a full name).
		t.Bytes(fNBNSNetBIOSName, cur, 16, t.Keep(appendNetBIOSChars(t.Buf(), &raw, r.NameLen)))
		t.Uint(fNBNSSuffix, cur+15, 1, uint64(raw[15])).Flags |= NodeGenerated
		cur += 16
		left -= 16
		if left < 2 {
			incomplete()
			return
		}
		if cur+2 > len(msg) {
			return
		}
		f := NBNSNameFlags(binary.BigEndian.Uint16(msg[cur:]))
		fl := t.Open(fNBNSNameFlags, cur, 2)
		fl.U = uint64(f)
		if t.WantsText() { // the summary after the value, for -V
			b := t.Buf()
			if f.Group() {
				b = appendItem(b, "Name type")
			}
			b = appendItem(b, "ONT: ", ontText(f.ONT()))
			for _, x := range []struct {
				bit  NBNSNameFlags
				name string
			}{{NBNSNameDRG, "Name is being deregistered"}, {NBNSNameCNF, "Name is in conflict"}, {NBNSNameACT, "Name is active"}, {NBNSNamePRM, "Permanent node name"}} {
				if f.Has(x.bit) {
					b = appendItem(b, x.name)
				}
			}
			fl.S = t.Keep(b)
		}
		t.Bool(fNBNSNameFlagsGroup, cur, 2, f.Group())
		t.Uint(fNBNSNameFlagsONT, cur, 2, uint64(f.ONT()))
		t.Bool(fNBNSNameFlagsDRG, cur, 2, f.Has(NBNSNameDRG))
		t.Bool(fNBNSNameFlagsCNF, cur, 2, f.Has(NBNSNameCNF))
		t.Bool(fNBNSNameFlagsACT, cur, 2, f.Has(NBNSNameACT))
		t.Bool(fNBNSNameFlagsPRM, cur, 2, f.Has(NBNSNamePRM))
		t.Close()
		cur += 2
		left -= 2
	}
	for _, sf := range nbnsStatFields {
		if left < sf.size {
			incomplete()
			return
		}
		if cur+sf.size > len(msg) {
			return
		}
		switch sf.size {
		case 6:
			t.Bytes(sf.id, cur, 6, msg[cur:cur+6])
		case 1:
			t.Uint(sf.id, cur, 1, uint64(msg[cur]))
		case 2:
			t.Uint(sf.id, cur, 2, uint64(binary.BigEndian.Uint16(msg[cur:])))
		case 4:
			t.Uint(sf.id, cur, 4, uint64(binary.BigEndian.Uint32(msg[cur:])))
		}
		cur += sf.size
		left -= sf.size
	}
}

// wsNameType is the name type tshark uses for the suffix meaning: the 16th
// byte, or -1 when tshark shows the name as illegal.
func (n *Name) wsNameType() int {
	if n.Valid() {
		return int(n.Raw[15]) // appendDisplay's fast path: never illegal
	}
	var buf [128]byte
	b := n.appendDisplay(buf[:0], false)
	if len(b) >= len(illegalNameLen1) && string(b[:len(illegalNameLen1)]) == illegalNameLen1 {
		return -1
	}
	return int(n.Raw[15])
}

// AppendInfo appends tshark's info column: "Name query NB WORKGROUP<1d>",
// "Name query response NB 10.0.1.6", "Registration response, Name is owned
// by another node NB 192.168.1.7", "Name query response NBSTAT". A request
// lists its questions, a response its answers; an NB answer shows the
// address of its first entry (tshark reads it even past RDLENGTH, and
// stops the column where the message ends). Wire bytes are appended raw.
func (n *NBNS) AppendInfo(b []byte) []byte {
	if n.hdrLen < 4 {
		return b
	}
	op := n.Flags.Opcode()
	if s := op.name(); s != "" {
		b = append(b, s...)
	} else {
		b = append(b, "Unknown operation ("...)
		b = strconv.AppendUint(b, uint64(op), 10)
		b = append(b, ')')
	}
	resp := n.Flags.Response()
	if resp {
		b = append(b, " response"...)
		if rc := n.Flags.RCode(); rc != 0 {
			b = append(b, ", "...)
			b = append(b, rc.String()...)
		}
	}
	if !resp {
		for k := range n.Questions {
			q := &n.Questions[k]
			b = append(b, ' ')
			b = append(b, q.Type.wsName()...)
			b = append(b, ' ')
			b = q.Name.AppendWithScope(b)
		}
		return b
	}
	msg := n.Contents
	for k := range n.Answers {
		r := &n.Answers[k]
		switch r.Type {
		case NBNSTypeNB:
			if op == NBNSWACK {
				continue
			}
			a := r.RDataOffset + 2
			if a+4 > len(msg) {
				return b // tshark throws here: the column ends
			}
			b = append(b, " NB "...)
			b = appendIPv4(b, msg[a:a+4])
		default:
			b = append(b, ' ')
			b = append(b, r.Type.wsName()...)
		}
	}
	return b
}

func appendIPv4(b []byte, a []byte) []byte {
	for k := 0; k < 4; k++ {
		if k > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(a[k]), 10)
	}
	return b
}
