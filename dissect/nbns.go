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
// This file holds the message struct and its decoding; the value types are
// in nbns_types.go, the fields in nbns_fields.go, the tree and the info
// column in nbns_tree.go.
//
// Not supported: NBNS over TCP (a 2-byte length before each message,
// RFC 1002 §4.2.1, never seen in the wild).

import (
	"encoding/binary"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

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
	// plainQ: the first question's name is labels only, no pointer, not
	// empty (decodeName copies it for a pointer to it).
	plainQ bool
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
	return decoded(&n.Err, n.decode(data), df)
}

func (n *NBNS) reset(data []byte) {
	n.Contents = data
	n.Payload = nil
	// (ID, Flags and the counts: decode sets them.)
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
	n.plainQ = false
}

var nbnsSectionNames = [4]string{"question", "answer", "authority", "additional"}

func (n *NBNS) decode(data []byte) error {
	be := binary.BigEndian
	if len(data) >= nbnsHeaderLen {
		// The whole header (the usual message): its six words without
		// a test of the length before each.
		h := (*[nbnsHeaderLen]byte)(data)
		n.hdrLen = nbnsHeaderLen
		n.ID, n.Flags = be.Uint16(h[0:]), NBNSFlags(be.Uint16(h[2:]))
		n.QDCount, n.ANCount, n.NSCount, n.ARCount = be.Uint16(h[4:]), be.Uint16(h[6:]), be.Uint16(h[8:]), be.Uint16(h[10:])
		return n.decodeSections(data)
	}
	n.hdrLen = len(data)
	n.ID, n.Flags = 0, 0
	n.QDCount, n.ANCount, n.NSCount, n.ARCount = 0, 0, 0, 0
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
	n.ErrOffset = len(data)
	return Truncated("nbns", "header", -1, nbnsHeaderLen, len(data))
}

// decodeSections decodes the records of a message whose header decode
// read.
func (n *NBNS) decodeSections(data []byte) error {
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
				return Limit("nbns", nbnsSectionNames[sec]+" count", -1,
					strconv.Itoa(int(counts[sec]))+" records, at most "+strconv.Itoa(MaxNBNSRecords)+" decoded")
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

// nbnsField names a part of record i of section sec for an error:
// "answer 2 name".
func nbnsField(sec, i int, what string) string {
	return nbnsSectionNames[sec] + " " + strconv.Itoa(i) + " " + what
}

// nameErr re-homes an error of DecodeName in the record it was reading:
// "nbns: answer 2 name pointer: points past the end of the message". An
// NBNS error says where it stopped in ErrOffset, not in its Offset.
func (n *NBNS) nameErr(err error, sec, i int) error {
	de, ok := err.(*DecodeError)
	if !ok {
		return err
	}
	n.ErrOffset = de.Offset
	what := de.Field // "name", "name pointer", "name label"
	if what == "" {
		what = "name"
	}
	within(de, nbnsField(sec, i, what), 0)
	de.Offset = -1
	return de
}

// recordShort reports a record that the message ends inside, off where it
// ends. Its Detail counts the bytes of the record's part ("need 10 bytes,
// have 3"), written out: it is not weighed against the bytes a capture's
// snap length cut, as an error built by Truncated is.
func (n *NBNS) recordShort(sec, i int, what string, off, need, have int) error {
	n.ErrOffset = off
	return decodeError("nbns", nbnsField(sec, i, what), -1, ErrTruncated,
		"need "+strconv.Itoa(need)+" bytes, have "+strconv.Itoa(have))
}

func (n *NBNS) decodeQuestion(data []byte, off, i int) (int, error) {
	// A reused entry is not cleared first (growOne's 368 bytes): on
	// success every field is set below (DecodeName sets each of Name's,
	// its scopeBuf read only up to the scopeLen it sets); on failure the
	// entry is dropped.
	if len(n.Questions) < cap(n.Questions) {
		n.Questions = n.Questions[:len(n.Questions)+1]
	} else {
		n.Questions = growOne(n.Questions)
	}
	q := &n.Questions[len(n.Questions)-1]
	next, err := DecodeName("nbns", data, off, &q.Name)
	if err != nil {
		n.Questions = n.Questions[:len(n.Questions)-1]
		return off, n.nameErr(err, 0, i)
	}
	if next+4 > len(data) {
		n.Questions = n.Questions[:len(n.Questions)-1]
		return off, n.recordShort(0, i, "type and class", next, 4, len(data)-next)
	}
	q.Offset, q.NameLen = off, next-off
	if i == 1 && off == nbnsHeaderLen {
		n.plainQ = plainName(data, off, next)
	}
	q.Type = NBNSType(binary.BigEndian.Uint16(data[next:]))
	q.Class = binary.BigEndian.Uint16(data[next+2:])
	return next + 4, nil
}

// decodeName is DecodeName of a record's name at off. A name that is
// only a label pointer to the first question's name (RFC 1002 §4.2.1.2:
// 0xC00C, the NAME of a registration's additional record, the most
// common NBNS message), when that name is labels only (plainQ), is what
// DecodeName makes of it (the pointer's one hop, then the labels
// decoded at 12 as for the question: the same name, the same end),
// copied from the question instead of decoded again.
func (n *NBNS) decodeName(data []byte, off int, name *Name) (int, error) {
	if n.plainQ && off+1 < len(data) && data[off] == 0xc0 && data[off+1] == nbnsHeaderLen {
		name.copyOf(&n.Questions[0].Name)
		return off + 2, nil
	}
	return DecodeName("nbns", data, off, name)
}

// plainName reports whether the name DecodeName read at off, ending
// before next, is labels only: no pointer, no extended label, not the
// empty name.
func plainName(data []byte, off, next int) bool {
	if data[off] == 0 {
		return false
	}
	pos := off
	for pos < next && data[pos] != 0 {
		if data[pos]&0xc0 != 0 {
			return false
		}
		pos += 1 + int(data[pos])
	}
	return pos+1 == next
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
	// A reused entry is not cleared first (growOne's 600 bytes, most of
	// them the name's scope buffer): on success every field is set below
	// (decodeName sets each of Name's, its scopeBuf read only up to the
	// scopeLen it sets; the RDATA's fields are cleared before the type's
	// decoder sets its own); on failure the entry is dropped.
	if len(*list) < cap(*list) {
		*list = (*list)[:len(*list)+1]
	} else {
		*list = growOne(*list)
	}
	r := &(*list)[len(*list)-1]
	next, err := n.decodeName(data, off, &r.Name)
	if err != nil {
		*list = (*list)[:len(*list)-1]
		return off, n.nameErr(err, sec, i)
	}
	if next+10 > len(data) {
		*list = (*list)[:len(*list)-1]
		return off, n.recordShort(sec, i, "type, class, TTL and RDLENGTH", next, 10, len(data)-next)
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
	r.NB, r.WACK, r.NumNames, r.Names, r.StatisticsLen, r.Addr = nil, nil, 0, nil, 0, [4]byte{}
	r.Statistics = NBNSStatistics{}
	r.Incomplete, r.IncompleteLen = false, 0
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
		return off, n.recordShort(sec, i, "rdata", r.RDataOffset+len(r.RData), int(r.RDLength), len(r.RData))
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
			return Limit("nbns", nbnsField(sec, i, "rdata"), -1, "more than "+strconv.Itoa(maxNBNSEntries)+" address entries")
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
		// One 4-byte load (copy of 4 bytes was a call to memmove).
		e.Addr, e.NoAddr = [4]byte(r.RData[cur:cur+4]), false
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
			return Limit("nbns", nbnsField(sec, i, "rdata"), -1, "more than "+strconv.Itoa(maxNBNSEntries)+" WACK entries")
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
			return true, Limit("nbns", nbnsField(sec, i, "rdata"), -1, "more than "+strconv.Itoa(maxNBNSEntries)+" node names")
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
