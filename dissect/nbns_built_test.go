package dissect_test

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// ---------------------------------------------------------------------------
// Frames built to the RFC for what no capture has.

// nbnsMsg builds an NBNS message (RFC 1002 §4.2.1).
func nbnsMsg(id uint16, flags dissect.NBNSFlags, qd, an, ns, ar uint16, parts ...[]byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, id)
	for _, v := range []uint16{uint16(flags), qd, an, ns, ar} {
		b = binary.BigEndian.AppendUint16(b, v)
	}
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// nbnsQuestion is QUESTION_NAME, QUESTION_TYPE, QUESTION_CLASS (§4.2.1.2).
func nbnsQuestion(name []byte, typ dissect.NBNSType) []byte {
	b := append([]byte{}, name...)
	b = binary.BigEndian.AppendUint16(b, uint16(typ))
	return binary.BigEndian.AppendUint16(b, dissect.NBNSClassIN)
}

// nbnsRR is a resource record (§4.2.1.3) with RDLENGTH rdlen (-1: len(rdata)).
func nbnsRR(name []byte, typ dissect.NBNSType, ttl uint32, rdlen int, rdata []byte) []byte {
	if rdlen < 0 {
		rdlen = len(rdata)
	}
	b := append([]byte{}, name...)
	b = binary.BigEndian.AppendUint16(b, uint16(typ))
	b = binary.BigEndian.AppendUint16(b, dissect.NBNSClassIN)
	b = binary.BigEndian.AppendUint32(b, ttl)
	b = binary.BigEndian.AppendUint16(b, uint16(rdlen))
	return append(b, rdata...)
}

func nbnsName(s string, suffix byte, scope ...string) []byte {
	b := nameLabel(s, suffix)
	for _, l := range scope {
		b = append(b, rawLabel(l)...)
	}
	return append(b, 0)
}

var nbnsPtr12 = []byte{0xc0, 0x0c} // label pointer to the first name

// op builds the flags word from its parts.
func op(o dissect.NBNSOpcode, rcode dissect.NBNSRCode, bits dissect.NBNSFlags) dissect.NBNSFlags {
	return bits | dissect.NBNSFlags(o)<<11 | dissect.NBNSFlags(rcode)
}

type nbnsBuilt struct {
	name    string
	payload []byte
	check   func(t *testing.T, n *dissect.NBNS) // spec values, besides tshark's
}

const (
	fR  = dissect.NBNSFlagR
	fAA = dissect.NBNSFlagAA
	fRD = dissect.NBNSFlagRD
	fRA = dissect.NBNSFlagRA
	fB  = dissect.NBNSFlagB
)

// nbnsBuiltFrames are built to RFC 1002 §4.2; testdata/nbns-tshark holds
// tshark's output for them, and the live test re-runs tshark on them.
func nbnsBuiltFrames() []nbnsBuilt {
	var out []nbnsBuilt
	add := func(name string, payload []byte, check func(t *testing.T, n *dissect.NBNS)) {
		out = append(out, nbnsBuilt{name, payload, check})
	}
	addr := func(flags uint16, a ...byte) []byte { return append(binary.BigEndian.AppendUint16(nil, flags), a...) }

	// Built to RFC 1002 §4.2.16: a WACK response; RDATA echoes the flags of
	// the request it answers (here a registration: opcode 5, RD, B).
	add("WACK response", nbnsMsg(0x0101, op(dissect.NBNSWACK, 0, fR|fAA), 0, 1, 0, 0,
		nbnsRR(nbnsName("FOO", 0x00), dissect.NBNSTypeNB, 20, -1, []byte{0x29, 0x10})),
		func(t *testing.T, n *dissect.NBNS) {
			if n.Flags.Opcode() != dissect.NBNSWACK || len(n.Answers) != 1 || len(n.Answers[0].WACK) != 1 ||
				n.Answers[0].WACK[0] != 0x2910 || n.Answers[0].WACK[0].Opcode() != dissect.NBNSRegistration || len(n.Answers[0].NB) != 0 {
				t.Errorf("WACK: %+v", nbnsSummary(n))
			}
			if n.Answers[0].TTL != 20 {
				t.Errorf("TTL %d", n.Answers[0].TTL)
			}
		})
	// Built to RFC 1002 §4.2.16 with RDLENGTH 3: one flags word and an
	// incomplete entry.
	add("WACK response, RDLENGTH 3", nbnsMsg(0x0102, op(dissect.NBNSWACK, 0, fR|fAA), 0, 1, 0, 0,
		nbnsRR(nbnsName("FOO", 0x00), dissect.NBNSTypeNB, 20, -1, []byte{0x29, 0x10, 0x00})), nil)
	// Built to RFC 1002 §4.2.2 with opcode 15 (Microsoft's multi-homed
	// registration, Hertel ch. 3): two NB_FLAGS/NB_ADDRESS pairs, and a
	// NetBIOS scope (RFC 1001 §14.2).
	add("multi-homed registration with scope", nbnsMsg(0x0103, op(dissect.NBNSMultiHomedRegistration, 0, fRD), 1, 0, 0, 1,
		nbnsQuestion(nbnsName("FOO", 0x20, "SCOPE", "ID"), dissect.NBNSTypeNB),
		nbnsRR(nbnsPtr12, dissect.NBNSTypeNB, 300000, -1, append(addr(0x6000, 10, 0, 0, 1), addr(0x6000, 10, 0, 0, 2)...))),
		func(t *testing.T, n *dissect.NBNS) {
			if n.Flags.Opcode() != dissect.NBNSMultiHomedRegistration || len(n.Additionals) != 1 || len(n.Additionals[0].NB) != 2 {
				t.Fatalf("%v", nbnsSummary(n))
			}
			r := &n.Additionals[0]
			if r.NB[1].Addr != [4]byte{10, 0, 0, 2} || r.NB[0].Flags.ONT() != dissect.NBNSHNode || r.NB[0].Flags.Group() {
				t.Errorf("entries %+v", r.NB)
			}
			if got := string(n.Questions[0].Name.ScopeID()); got != "SCOPE.ID" {
				t.Errorf("scope %q", got)
			}
			if got := r.Name.String(); got != "FOO<20>.SCOPE.ID" {
				t.Errorf("pointer name %q", got)
			}
		})
	// Built to the NAME REFRESH REQUEST drawing of RFC 1002 §4.2.4
	// (opcode 9).
	add("refresh, opcode 9", nbnsMsg(0x0104, op(dissect.NBNSRefreshAlt, 0, 0), 1, 0, 0, 1,
		nbnsQuestion(nbnsName("FOO", 0x00), dissect.NBNSTypeNB),
		nbnsRR(nbnsPtr12, dissect.NBNSTypeNB, 300000, -1, addr(0x0000, 10, 0, 0, 1))),
		func(t *testing.T, n *dissect.NBNS) {
			if n.Flags.Opcode() != dissect.NBNSRefreshAlt || n.Flags.Opcode().String() != "Refresh (alternate opcode)" {
				t.Errorf("opcode %v", n.Flags.Opcode())
			}
		})
	// Built to RFC 1002 §4.2.6 (negative name registration response), one
	// per RCODE 1..7.
	for rc := dissect.NBNSFmtErr; rc <= dissect.NBNSCftErr; rc++ {
		rc := rc
		add("negative registration response rcode "+strconv.Itoa(int(rc)),
			nbnsMsg(0x0110+uint16(rc), op(dissect.NBNSRegistration, rc, fR|fAA|fRD|fRA), 0, 1, 0, 0,
				nbnsRR(nbnsName("FOO", 0x00), dissect.NBNSTypeNB, 0, -1, addr(0x0000, 10, 0, 0, 1))),
			func(t *testing.T, n *dissect.NBNS) {
				if n.Flags.RCode() != rc || !n.Flags.Response() || !n.Flags.Has(fAA|fRD|fRA) {
					t.Errorf("flags %v", n.Flags)
				}
			})
	}
	// Built to RFC 1002 §4.2.14: negative name query response, a NULL
	// record with RDLENGTH 0 and NAM_ERR.
	add("negative query response", nbnsMsg(0x0120, op(dissect.NBNSQuery, dissect.NBNSNamErr, fR|fAA|fRD), 0, 1, 0, 0,
		nbnsRR(nbnsName("FOO", 0x00), dissect.NBNSTypeNULL, 0, -1, nil)),
		func(t *testing.T, n *dissect.NBNS) {
			if len(n.Answers) != 1 || n.Answers[0].Type != dissect.NBNSTypeNULL || n.Answers[0].RDLength != 0 || n.Answers[0].Type.String() != "NULL" {
				t.Errorf("%v", nbnsSummary(n))
			}
		})
	// Built to RFC 1002 §4.2.15: redirect name query response, NS record
	// with NSD_NAME, A record (named by a pointer to NSD_NAME) with
	// NSD_IP_ADDR.
	nsd := append(append(rawLabel("ns1"), rawLabel("example")...), append(rawLabel("com"), 0)...)
	add("redirect query response", nbnsMsg(0x0121, op(dissect.NBNSQuery, 0, fR|fRD|fRA), 0, 0, 1, 1,
		nbnsRR(nbnsName("FOO", 0x00), dissect.NBNSTypeNS, 0, -1, nsd),
		nbnsRR([]byte{0xc0, 12 + 34 + 10}, dissect.NBNSTypeA, 0, -1, []byte{10, 0, 0, 9})),
		func(t *testing.T, n *dissect.NBNS) {
			if len(n.Authorities) != 1 || len(n.Additionals) != 1 {
				t.Fatalf("%v", nbnsSummary(n))
			}
			if n.Authorities[0].NSDNameOffset != 12+34+10 || n.Additionals[0].Addr != [4]byte{10, 0, 0, 9} {
				t.Errorf("NSD %d %v", n.Authorities[0].NSDNameOffset, n.Additionals[0].Addr)
			}
			if n.Additionals[0].Name.Valid() {
				t.Errorf("an ordinary domain name is no NetBIOS name")
			}
		})
	// Built to RFC 1002 §4.2.13: positive query response for a group name
	// with three addresses.
	add("positive query response, group, 3 addresses", nbnsMsg(0x0122, op(dissect.NBNSQuery, 0, fR|fAA|fRD), 0, 1, 0, 0,
		nbnsRR(nbnsName("WORKGROUP", 0x1c), dissect.NBNSTypeNB, 300000, -1,
			bytes.Join([][]byte{addr(0x8000, 10, 0, 0, 1), addr(0xa000, 10, 0, 0, 2), addr(0xe000, 10, 0, 0, 3)}, nil))),
		func(t *testing.T, n *dissect.NBNS) {
			if len(n.Answers) != 1 || len(n.Answers[0].NB) != 3 || !n.Answers[0].NB[2].Flags.Group() || n.Answers[0].NB[1].Flags.ONT() != dissect.NBNSPNode {
				t.Errorf("%v", nbnsSummary(n))
			}
		})
	// Built to RFC 1002 §4.2.13 with RDLENGTH 8: one entry, then NB_FLAGS
	// without an address (an incomplete entry).
	add("NB RDLENGTH 8", nbnsMsg(0x0123, op(dissect.NBNSQuery, 0, fR|fAA), 0, 1, 0, 0,
		nbnsRR(nbnsName("FOO", 0x00), dissect.NBNSTypeNB, 60, -1, append(addr(0x0000, 10, 0, 0, 1), 0x60, 0x00))),
		func(t *testing.T, n *dissect.NBNS) {
			r := &n.Answers[0]
			if len(r.NB) != 2 || !r.NB[1].NoAddr || !r.Incomplete || r.IncompleteLen != 0 || n.Err != nil {
				t.Errorf("%v err %v", nbnsSummary(n), n.Err)
			}
		})
	// Built to RFC 1002 §4.2.18: node status response whose statistics block
	// holds only UNIT_ID (a short block, tolerated).
	add("NBSTAT response, short statistics", nbnsMsg(0x0130, op(dissect.NBNSQuery, 0, fR|fAA), 0, 1, 0, 0,
		nbnsRR(nbnsName("*", 0x00), dissect.NBNSTypeNBSTAT, 0, -1,
			bytes.Join([][]byte{{1}, []byte("FOO            \x00"), {0x04, 0x00}, {0x02, 0, 0, 0, 0, 1}}, nil))),
		func(t *testing.T, n *dissect.NBNS) {
			r := &n.Answers[0]
			if n.Err != nil || r.NumNames != 1 || len(r.Names) != 1 || r.StatisticsLen != 6 || r.Statistics.UnitID != [6]byte{2, 0, 0, 0, 0, 1} {
				t.Errorf("%v err %v", nbnsSummary(n), n.Err)
			}
			if !r.Names[0].Flags.Has(dissect.NBNSNameACT) || r.Names[0].Flags.Group() {
				t.Errorf("name flags %v", r.Names[0].Flags)
			}
		})
	// Built to RFC 1002 §4.2.18 with a statistics block longer than the
	// RFC's 46 bytes (64 zero bytes, inside RDLENGTH): the rest is ignored.
	add("NBSTAT response, 64-byte statistics block", nbnsMsg(0x0131, op(dissect.NBNSQuery, 0, fR|fAA), 0, 1, 0, 0,
		nbnsRR(nbnsName("*", 0x00), dissect.NBNSTypeNBSTAT, 0, -1,
			bytes.Join([][]byte{{2}, []byte("SAMBA          \x20"), {0x04, 0x00}, []byte("WORKGROUP      \x1e"), {0x84, 0x00}, make([]byte, 64)}, nil))),
		func(t *testing.T, n *dissect.NBNS) {
			r := &n.Answers[0]
			if n.Err != nil || len(r.Names) != 2 || r.StatisticsLen != 46 || r.Incomplete {
				t.Errorf("%v err %v", nbnsSummary(n), n.Err)
			}
		})
	// Built to RFC 1002 §4.2.18 with NUM_NAMES 3 but room for one entry.
	add("NBSTAT response, fewer names than NUM_NAMES", nbnsMsg(0x0132, op(dissect.NBNSQuery, 0, fR|fAA), 0, 1, 0, 0,
		nbnsRR(nbnsName("*", 0x00), dissect.NBNSTypeNBSTAT, 0, -1,
			bytes.Join([][]byte{{3}, []byte("FOO            \x00"), {0x04, 0x00}, make([]byte, 10)}, nil))),
		func(t *testing.T, n *dissect.NBNS) {
			r := &n.Answers[0]
			if n.Err != nil || len(r.Names) != 1 || !r.Incomplete || r.StatisticsLen != 0 {
				t.Errorf("%v err %v", nbnsSummary(n), n.Err)
			}
		})
	// Built to RFC 1002 §4.2.12 with a zero-length QUESTION_NAME: tshark
	// shows an illegal name and goes on; so does nbtsniff.
	add("query with a zero-length name", nbnsMsg(0x0140, op(dissect.NBNSQuery, 0, fRD|fB), 1, 0, 0, 0,
		nbnsQuestion([]byte{0}, dissect.NBNSTypeNB)),
		func(t *testing.T, n *dissect.NBNS) {
			if n.Err != nil || len(n.Questions) != 1 || n.Questions[0].Name.Valid() {
				t.Errorf("%v err %v", nbnsSummary(n), n.Err)
			}
		})
	// Built to RFC 1002 §4.2.12 with a bad half-byte ('Q') in the name.
	add("query with a bad half-byte", nbnsMsg(0x0141, op(dissect.NBNSQuery, 0, fRD|fB), 1, 0, 0, 0,
		nbnsQuestion(append(append([]byte{32}, "QZ"+strings.Repeat("EG", 15)...), 0), dissect.NBNSTypeNB)),
		func(t *testing.T, n *dissect.NBNS) {
			if n.Err != nil || n.Questions[0].Name.BadNibble != 0 {
				t.Errorf("%v err %v", nbnsSummary(n), n.Err)
			}
		})
	// Built to RFC 1002 §4.2.10: positive name release response.
	add("release response", nbnsMsg(0x0150, op(dissect.NBNSRelease, 0, fR|fAA), 0, 1, 0, 0,
		nbnsRR(nbnsName("FOO", 0x03), dissect.NBNSTypeNB, 0, -1, addr(0x0000, 10, 0, 0, 1))), nil)
	// Built to RFC 1002 §4.2.18 with the question echoed and RR_NAME a
	// label pointer to it: tshark then cuts the table's names to one
	// character (it sizes their buffer by the RR_NAME's 2 bytes).
	add("NBSTAT response named by a pointer", nbnsMsg(0x0133, op(dissect.NBNSQuery, 0, fR|fAA), 1, 1, 0, 0,
		nbnsQuestion(nbnsName("*", 0x00), dissect.NBNSTypeNBSTAT),
		nbnsRR(nbnsPtr12, dissect.NBNSTypeNBSTAT, 0, -1,
			bytes.Join([][]byte{{1}, []byte("LONGNAME-ABCDEF\x20"), {0x04, 0x00}, make([]byte, 46)}, nil))),
		func(t *testing.T, n *dissect.NBNS) {
			r := &n.Answers[0]
			if n.Err != nil || len(r.Names) != 1 || string(r.Names[0].AppendString(nil)) != "LONGNAME-ABCDEF<20>" {
				t.Errorf("%v err %v", nbnsSummary(n), n.Err)
			}
		})
	// Built to RFC 1002 §4.2.16 with RDATA echoing a word whose R bit is set.
	add("WACK echoing a response's flags", nbnsMsg(0x0105, op(dissect.NBNSWACK, 0, fR|fAA), 0, 1, 0, 0,
		nbnsRR(nbnsName("FOO", 0x00), dissect.NBNSTypeNB, 20, -1, []byte{0xad, 0x86})),
		func(t *testing.T, n *dissect.NBNS) {
			if w := n.Answers[0].WACK; len(w) != 1 || !w[0].Response() || w[0].RCode() != dissect.NBNSActErr {
				t.Errorf("%v", nbnsSummary(n))
			}
		})
	// Built to RFC 1002 §4.2.12 with an unknown QUESTION_TYPE (0x99).
	add("query of an unknown type", nbnsMsg(0x0142, op(dissect.NBNSQuery, 0, fRD|fB), 1, 0, 0, 0,
		nbnsQuestion(nbnsName("FOO", 0x00), 0x99)),
		func(t *testing.T, n *dissect.NBNS) {
			if n.Questions[0].Type.String() != "Unknown (153)" {
				t.Errorf("type %v", n.Questions[0].Type)
			}
		})
	// Built to RFC 1002 §4.2.17 with an unknown opcode (2).
	add("unknown opcode", nbnsMsg(0x0160, op(2, 0, fB), 1, 0, 0, 0,
		nbnsQuestion(nbnsName("FOO", 0x00), dissect.NBNSTypeNB)),
		func(t *testing.T, n *dissect.NBNS) {
			if n.Flags.Opcode().String() != "Unknown operation (2)" {
				t.Errorf("opcode %v", n.Flags.Opcode())
			}
		})
	return out
}

func TestNBNSBuiltFrames(t *testing.T) {
	var n dissect.NBNS
	var tr dissect.Tree
	for _, b := range nbnsBuiltFrames() {
		t.Run(b.name, func(t *testing.T) {
			err := n.DecodeFromBytes(b.payload, gopacket.NilDecodeFeedback)
			if err != nil {
				t.Fatalf("DecodeFromBytes: %v", err)
			}
			if b.check != nil {
				b.check(t, &n)
			}
			tr.Reset()
			n.AppendTree(&tr)
			if tr.Depth() != 0 {
				t.Errorf("tree left open at depth %d", tr.Depth())
			}
		})
	}
}
