package dissect_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Where the captures are, from this package's directory.
const (
	nbnsLabPcaps  = "../testdata/pcaps"    // the Samba lab captures
	nbnsGoldenDir = "testdata/nbns-tshark" // tshark's output, recorded once
	nbnsBuiltName = "built-rfc1002"        // golden name of nbnsBuiltFrames
)

var (
	nbnsUpdateGolden = flag.Bool("update-nbns-golden", false,
		"rewrite testdata/nbns-tshark/*.tsv from tshark's output (see its README.md)")
	nbnsUpdateOnly = flag.String("update-nbns-only", "",
		"with -update-nbns-golden: only the golden files whose name contains this")
)

// nbnsHex decodes a hex literal; spaces are ignored.
func nbnsHex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// ---------------------------------------------------------------------------
// Real frames, decoded and checked field by field against tshark -V.

// nbnsSummary lists what was decoded, one line per item, for comparison
// with values read off tshark -V.
func nbnsSummary(n *dissect.NBNS) []string {
	var out []string
	out = append(out, fmt.Sprintf("id=%#04x flags=%#04x opcode=%d rcode=%d qd=%d an=%d ns=%d ar=%d",
		n.ID, uint16(n.Flags), n.Flags.Opcode(), n.Flags.RCode(), n.QDCount, n.ANCount, n.NSCount, n.ARCount))
	for k := range n.Questions {
		q := &n.Questions[k]
		out = append(out, fmt.Sprintf("question %s type=%d class=%d", q.Name.String(), q.Type, q.Class))
	}
	for s, list := range [][]dissect.NBNSResource{n.Answers, n.Authorities, n.Additionals} {
		for k := range list {
			r := &list[k]
			out = append(out, fmt.Sprintf("%s %s type=%d class=%d ttl=%d rdlength=%d",
				[]string{"answer", "authority", "additional"}[s], r.Name.String(), r.Type, r.Class, r.TTL, r.RDLength))
			for _, e := range r.NB {
				out = append(out, fmt.Sprintf("  nb flags=%#04x addr=%d.%d.%d.%d", uint16(e.Flags), e.Addr[0], e.Addr[1], e.Addr[2], e.Addr[3]))
			}
			for _, f := range r.WACK {
				out = append(out, fmt.Sprintf("  wack flags=%#04x", uint16(f)))
			}
			if r.Type == dissect.NBNSTypeNBSTAT {
				out = append(out, fmt.Sprintf("  names=%d", r.NumNames))
				for k := range r.Names {
					e := &r.Names[k]
					out = append(out, fmt.Sprintf("  name %s flags=%#04x", e.AppendString(nil), uint16(e.Flags)))
				}
				u := r.Statistics.UnitID
				out = append(out, fmt.Sprintf("  unit_id=%02x:%02x:%02x:%02x:%02x:%02x statistics=%d", u[0], u[1], u[2], u[3], u[4], u[5], r.StatisticsLen))
			}
			if r.Incomplete {
				out = append(out, fmt.Sprintf("  incomplete at %d len %d", r.IncompleteOffset, r.IncompleteLen))
			}
		}
	}
	return out
}

// nbnsRealFrames are UDP payloads copied from the corpus. Above each: the
// capture, the frame and tshark's one-line summary. The wanted lines are
// tshark -V's values for the frame.
var nbnsRealFrames = []struct {
	name    string
	capture string
	frame   int
	payload []byte
	info    string
	want    []string
}{
	{
		// nbns-winxp-query_wanderview.pcap frame 1:
		// 192.168.207.128 → 192.168.207.2 NBNS 92 Name query NB TEST<20>
		name: "query", capture: "nbns-winxp-query_wanderview.pcap", frame: 1,
		payload: nbnsHex("8d9a" + // NAME_TRN_ID
			"0100" + // flags: opcode 0, RD
			"0001 0000 0000 0000" + // QDCOUNT 1
			"20 4645454646444645434143414341434143414341434143414341434143414341" + // TEST<20>
			"00" + // root label
			"0020 0001"), // NB, IN
		info: "Name query NB TEST<20>",
		want: []string{
			"id=0x8d9a flags=0x0100 opcode=0 rcode=0 qd=1 an=0 ns=0 ar=0",
			"question TEST<20> type=32 class=1",
		},
	},
	{
		// nbns-winxp-nbstat-query_wanderview.pcap frame 1:
		// 192.168.1.7 → 192.168.1.2 NBNS 92 Name query NBSTAT XYKON-2<00>
		name: "nbstat query", capture: "nbns-winxp-nbstat-query_wanderview.pcap", frame: 1,
		payload: nbnsHex("8052 0000 0001 0000 0000 0000" +
			"20 4649464a454c4550454f434e4443434143414341434143414341434143414141 00" + // XYKON-2<00>
			"0021 0001"), // NBSTAT, IN
		info: "Name query NBSTAT XYKON-2<00>",
		want: []string{
			"id=0x8052 flags=0x0000 opcode=0 rcode=0 qd=1 an=0 ns=0 ar=0",
			"question XYKON-2<00> type=33 class=1",
		},
	},
	{
		// nbns-winxp-nbstat-response_wanderview.pcap frame 1:
		// 192.168.1.7 → 192.168.1.2 NBNS 271 Name query response NBSTAT
		name: "nbstat response", capture: "nbns-winxp-nbstat-response_wanderview.pcap", frame: 1,
		payload: nbnsNBSTATResponse,
		info:    "Name query response NBSTAT",
		want: []string{
			"id=0x5afd flags=0x8400 opcode=0 rcode=0 qd=0 an=1 ns=0 ar=0",
			"answer VMWINXP<20> type=33 class=1 ttl=0 rdlength=155",
			"  names=6",
			"  name VMWINXP<00> flags=0x0400",
			"  name VMWINXP<20> flags=0x0400",
			"  name WORKGROUP<00> flags=0x8400",
			"  name WORKGROUP<1e> flags=0x8400",
			"  name WORKGROUP<1d> flags=0x0400",
			"  name <01><02>__MSBROWSE__<02><01> flags=0x8400",
			"  unit_id=00:0c:29:0d:06:56 statistics=46",
		},
	},
	{
		// nbns-winxp-positive-query-response_wanderview.pcap frame 1:
		// 192.168.207.128 → 192.168.207.1 NBNS 104 Name query response NB 192.168.207.128
		name: "positive query response", capture: "nbns-winxp-positive-query-response_wanderview.pcap", frame: 1,
		payload: nbnsHex("d58e 8500 0000 0001 0000 0000" + // R, AA, RD; ANCOUNT 1
			"20 4647454e4648454a454f46494641434143414341434143414341434143414341 00" + // VMWINXP<20>
			"0020 0001 000493e0 0006" + // NB, IN, TTL 300000, RDLENGTH 6
			"6000 c0a8cf80"), // NB_FLAGS H-node unique, 192.168.207.128
		info: "Name query response NB 192.168.207.128",
		want: []string{
			"id=0xd58e flags=0x8500 opcode=0 rcode=0 qd=0 an=1 ns=0 ar=0",
			"answer VMWINXP<20> type=32 class=1 ttl=300000 rdlength=6",
			"  nb flags=0x6000 addr=192.168.207.128",
		},
	},
	{
		// nbns-winxp-registration_wanderview.pcap frame 1:
		// 192.168.207.128 → 192.168.207.2 NBNS 110 Registration NB VMWINXP<00>
		name: "registration", capture: "nbns-winxp-registration_wanderview.pcap", frame: 1,
		payload: nbnsHex("8d8f 2900 0001 0000 0000 0001" + // opcode 5, RD; QDCOUNT 1, ARCOUNT 1
			"20 4647454e4648454a454f46494641434143414341434143414341434143414141 00" + // VMWINXP<00>
			"0020 0001" + // NB, IN
			"c00c" + // RR_NAME: pointer to the question name
			"0020 0001 000493e0 0006" + // NB, IN, TTL 300000, RDLENGTH 6
			"6000 c0a8cf80"), // H-node unique, 192.168.207.128
		info: "Registration NB VMWINXP<00>",
		want: []string{
			"id=0x8d8f flags=0x2900 opcode=5 rcode=0 qd=1 an=0 ns=0 ar=1",
			"question VMWINXP<00> type=32 class=1",
			"additional VMWINXP<00> type=32 class=1 ttl=300000 rdlength=6",
			"  nb flags=0x6000 addr=192.168.207.128",
		},
	},
	{
		// nbns-winxp-registration-negative-response_wanderview.pcap frame 1:
		// 192.168.1.7 → 192.168.1.2 NBNS 116 Registration response, Name is owned by another node NB 192.168.1.7
		name: "negative registration response with scope", capture: "nbns-winxp-registration-negative-response_wanderview.pcap", frame: 1,
		payload: nbnsHex("8a18 ad86 0000 0001 0000 0000" + // R, opcode 5, AA, RD, RA, rcode 6 (ACT_ERR)
			"20 4647454e4648454a454f46494641434143414341434143414341434143414341" + // VMWINXP<20>
			"07 6578616d706c65 03 636f6d 00" + // scope example.com
			"0020 0001 00000000 0006 0000 c0a80107"),
		info: "Registration response, Name is owned by another node NB 192.168.1.7",
		want: []string{
			"id=0x8a18 flags=0xad86 opcode=5 rcode=6 qd=0 an=1 ns=0 ar=0",
			"answer VMWINXP<20>.example.com type=32 class=1 ttl=0 rdlength=6",
			"  nb flags=0x0000 addr=192.168.1.7",
		},
	},
	{
		// nbns-opcode8-refresh_suricata-verify-bug-5162-cut.pcap frame 1:
		// 192.168.56.104 → 192.168.56.102 NBNS 110 Refresh NB WIN10<20>
		name: "refresh", capture: "nbns-opcode8-refresh_suricata-verify-bug-5162-cut.pcap", frame: 1,
		payload: nbnsHex("b168 4000 0001 0000 0000 0001" + // opcode 8; QDCOUNT 1, ARCOUNT 1
			"20 4648454a454f4442444143414341434143414341434143414341434143414341 00" + // WIN10<20>
			"0020 0001" + // NB, IN
			"c00c 0020 0001 000493e0 0006" + // pointer, NB, IN, TTL 300000, RDLENGTH 6
			"6000 c0a83868"), // H-node unique, 192.168.56.104
		info: "Refresh NB WIN10<20>",
		want: []string{
			"id=0xb168 flags=0x4000 opcode=8 rcode=0 qd=1 an=0 ns=0 ar=1",
			"question WIN10<20> type=32 class=1",
			"additional WIN10<20> type=32 class=1 ttl=300000 rdlength=6",
			"  nb flags=0x6000 addr=192.168.56.104",
		},
	},
	{
		// nbns-registration-release-query_ndpi-anyconnect-vpn-cut.pcap frame 1:
		// 10.0.0.227 → 10.0.0.255 NBNS 110 Release NB LP-RKERUR-OSX<00>
		name: "release", capture: "nbns-registration-release-query_ndpi-anyconnect-vpn-cut.pcap", frame: 1,
		payload: nbnsHex("457f 3010 0001 0000 0000 0001" + // opcode 6, B; QDCOUNT 1, ARCOUNT 1
			"20 454d4641434e4643454c4546464346464643434e455046444649434143414141 00" + // LP-RKERUR-OSX<00>
			"0020 0001" + // NB, IN
			"c00c 0020 0001 00000000 0006" + // pointer, NB, IN, TTL 0, RDLENGTH 6
			"6000 0a0000e3"), // H-node unique, 10.0.0.227
		info: "Release NB LP-RKERUR-OSX<00>",
		want: []string{
			"id=0x457f flags=0x3010 opcode=6 rcode=0 qd=1 an=0 ns=0 ar=1",
			"question LP-RKERUR-OSX<00> type=32 class=1",
			"additional LP-RKERUR-OSX<00> type=32 class=1 ttl=0 rdlength=6",
			"  nb flags=0x6000 addr=10.0.0.227",
		},
	},
}

// nbns-winxp-nbstat-response_wanderview.pcap frame 1:
// 192.168.1.7 → 192.168.1.2 NBNS 271 Name query response NBSTAT
var nbnsNBSTATResponse = nbnsHex("5afd 8400 0000 0001 0000 0000" + // R, AA; ANCOUNT 1
	"20 4647454e4648454a454f46494641434143414341434143414341434143414341 00" + // VMWINXP<20>
	"0021 0001 00000000 009b" + // NBSTAT, IN, TTL 0, RDLENGTH 155
	"06" + // NUM_NAMES
	"564d57494e5850202020202020202000 0400" + // VMWINXP<00>, ACT
	"564d57494e5850202020202020202020 0400" + // VMWINXP<20>, ACT
	"574f524b47524f555020202020202000 8400" + // WORKGROUP<00>, G ACT
	"574f524b47524f55502020202020201e 8400" + // WORKGROUP<1e>, G ACT
	"574f524b47524f55502020202020201d 0400" + // WORKGROUP<1d>, ACT
	"01025f5f4d5342524f5753455f5f0201 8400" + // <01><02>__MSBROWSE__<02><01>, G ACT
	"000c290d0656" + // UNIT_ID
	strings.Repeat("00", 40) + // the rest of the 46-byte statistics
	strings.Repeat("00", 18)) // past RDLENGTH: XP pads the block to 64 bytes

func TestNBNSRealFrames(t *testing.T) {
	var n dissect.NBNS
	for _, tc := range nbnsRealFrames {
		t.Run(tc.name, func(t *testing.T) {
			if err := n.DecodeFromBytes(tc.payload, gopacket.NilDecodeFeedback); err != nil {
				t.Fatalf("DecodeFromBytes: %v", err)
			}
			if n.Err != nil {
				t.Errorf("Err = %v", n.Err)
			}
			got := nbnsSummary(&n)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("decoded:\n%s\nwant (tshark -V):\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if info := string(n.AppendInfo(nil)); info != tc.info {
				t.Errorf("info = %q, want %q", info, tc.info)
			}
			if n.LayerType() != dissect.LayerTypeNBNS || n.CanDecode() != dissect.LayerTypeNBNS || n.NextLayerType() != gopacket.LayerTypeZero {
				t.Errorf("layer types: %v %v %v", n.LayerType(), n.CanDecode(), n.NextLayerType())
			}
			if !bytes.Equal(n.LayerContents(), tc.payload) || len(n.LayerPayload()) != 0 {
				t.Errorf("contents/payload not set")
			}
			// The literal is the capture's payload.
			if frames, ok := nbnsLoadCapture(t, tc.capture); ok {
				if !bytes.Equal(frames[tc.frame], tc.payload) {
					t.Errorf("literal differs from %s frame %d", tc.capture, tc.frame)
				}
			}
		})
	}
}

// ---------------------------------------------------------------------------
// Malformed input.

func TestNBNSMalformed(t *testing.T) {
	good := nbnsName("FOO", 0x00)
	nb := nbnsRR(good, dissect.NBNSTypeNB, 0, -1, []byte{0, 0, 10, 0, 0, 1})
	var manyQ [][]byte
	for k := 0; k < dissect.MaxNBNSRecords+1; k++ {
		manyQ = append(manyQ, nbnsQuestion(nbnsPtr12, dissect.NBNSTypeNB))
	}
	tests := []struct {
		name    string
		payload []byte
		is      error
		msg     string // the error message starts with this
		check   func(t *testing.T, n *dissect.NBNS)
	}{
		{"header cut short", nbnsHex("1234 0110 00"), dissect.ErrTruncated, "nbns: header: need 12 bytes, have 5",
			func(t *testing.T, n *dissect.NBNS) {
				if n.ID != 0x1234 || n.Flags != 0x0110 || n.QDCount != 0 {
					t.Errorf("partial header: %v", nbnsSummary(n))
				}
			}},
		{"empty", nil, dissect.ErrTruncated, "nbns: header: need 12 bytes, have 0", nil},
		{"QDCOUNT 2, one question", nbnsMsg(1, 0, 2, 0, 0, 0, nbnsQuestion(good, dissect.NBNSTypeNB)), dissect.ErrTruncated, "nbns: question 2 name",
			func(t *testing.T, n *dissect.NBNS) {
				if len(n.Questions) != 1 || n.Questions[0].Name.String() != "FOO<00>" {
					t.Errorf("first question lost: %v", nbnsSummary(n))
				}
			}},
		{"question without type and class", nbnsMsg(1, 0, 1, 0, 0, 0, good, []byte{0, 0x20}), dissect.ErrTruncated, "nbns: question 1 type and class", nil},
		// A second answer whose name is a pointer to itself.
		{"answer 2 name loops", nbnsMsg(1, fR, 0, 2, 0, 0, nb, []byte{0xc0, byte(12 + len(nb))}), dissect.ErrMalformed, "nbns: answer 2 name: label pointer loop",
			func(t *testing.T, n *dissect.NBNS) {
				if len(n.Answers) != 1 || len(n.Answers[0].NB) != 1 {
					t.Errorf("answer 1 lost: %v", nbnsSummary(n))
				}
			}},
		{"answer 2 name loops through two pointers", nbnsMsg(1, fR, 0, 2, 0, 0, nb, []byte{0xc0, byte(12 + len(nb) + 2), 0xc0, byte(12 + len(nb))}),
			dissect.ErrMalformed, "nbns: answer 2 name: label pointer loop", nil},
		{"pointer past the end", nbnsMsg(1, 0, 1, 0, 0, 0, []byte{0xc0, 0xff, 0, 0x20, 0, 1}), dissect.ErrMalformed, "nbns: question 1 name pointer: points past the end", nil},
		{"reserved label type", nbnsMsg(1, 0, 1, 0, 0, 0, []byte{0x80, 0, 0, 0x20, 0, 1}), dissect.ErrMalformed, "nbns: question 1 name: reserved label type", nil},
		{"answer without TTL and RDLENGTH", nbnsMsg(1, fR, 0, 1, 0, 0, good, []byte{0, 0x20, 0, 1, 0}), dissect.ErrTruncated, "nbns: answer 1 type, class, TTL and RDLENGTH", nil},
		{"RDATA cut short", nbnsMsg(1, fR, 0, 1, 0, 0, nb[:len(nb)-3]), dissect.ErrTruncated, "nbns: answer 1 rdata: need 6 bytes, have 3",
			func(t *testing.T, n *dissect.NBNS) {
				r := &n.Answers[0]
				if len(r.NB) != 1 || !r.NB[0].NoAddr || r.NB[0].Flags != 0 {
					t.Errorf("partial RDATA: %v", nbnsSummary(n))
				}
			}},
		{"NBSTAT cut inside the name table", nbnsNBSTATResponse[:100], dissect.ErrTruncated, "nbns: answer 1 rdata",
			func(t *testing.T, n *dissect.NBNS) {
				if r := &n.Answers[0]; r.NumNames != 6 || len(r.Names) != 2 || r.StatisticsLen != 0 {
					t.Errorf("partial table: %v", nbnsSummary(n))
				}
			}},
		{"more questions than decoded", nbnsMsg(1, 0, dissect.MaxNBNSRecords+1, 0, 0, 0, append([][]byte{nbnsQuestion(good, dissect.NBNSTypeNB)}, manyQ...)...),
			dissect.ErrLimit, "nbns: question count", nil},
		{"authority 1 name cut short", nbnsMsg(1, fR, 0, 0, 1, 0, good[:10]), dissect.ErrTruncated, "nbns: authority 1 name label: need 45 bytes, have 22", nil},
		{"additional 1 name cut short", nbnsMsg(1, fR, 0, 0, 0, 1, good[:1]), dissect.ErrTruncated, "nbns: additional 1 name", nil},
		// The decoder is reused: after a message whose header was
		// whole (ARCOUNT 1 above), a cut one's counts are not kept.
		{"header cut short after a whole one", nbnsHex("4321 0110 0000 00"), dissect.ErrTruncated, "nbns: header: need 12 bytes, have 7",
			func(t *testing.T, n *dissect.NBNS) {
				if n.ID != 0x4321 || n.Flags != 0x0110 || n.QDCount != 0 || n.ANCount != 0 || n.NSCount != 0 || n.ARCount != 0 {
					t.Errorf("partial header: %v", nbnsSummary(n))
				}
			}},
	}
	var n dissect.NBNS
	var tr dissect.Tree
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var fb nbnsFeedback
			err := n.DecodeFromBytes(tc.payload, &fb)
			if !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
			var de *dissect.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("%T is not a *DecodeError", err)
			}
			if !strings.HasPrefix(err.Error(), tc.msg) {
				t.Errorf("message %q, want prefix %q", err.Error(), tc.msg)
			}
			if n.Err != err {
				t.Errorf("Err = %v, want the returned error", n.Err)
			}
			if bool(fb) != (tc.is == dissect.ErrTruncated) {
				t.Errorf("SetTruncated called: %v", bool(fb))
			}
			if tc.check != nil {
				tc.check(t, &n)
			}
			tr.Reset()
			n.AppendTree(&tr)
			last := tr.Nodes[len(tr.Nodes)-1]
			if last.Flags&dissect.NodeError == 0 || last.Label != "[Malformed: "+err.Error()+"]" {
				t.Errorf("last node %+v, want the malformed note", last)
			}
			if tr.Depth() != 0 {
				t.Errorf("tree left open at depth %d", tr.Depth())
			}
			_ = n.AppendInfo(nil)
		})
	}
}

// nbnsEnd is the offset just past the last question or record (a message
// may carry padding after it).
func nbnsEnd(n *dissect.NBNS) int {
	end := 12
	for k := range n.Questions {
		end = max(end, n.Questions[k].Offset+n.Questions[k].NameLen+4)
	}
	for _, list := range [][]dissect.NBNSResource{n.Answers, n.Authorities, n.Additionals} {
		for k := range list {
			end = max(end, list[k].RDataOffset+int(list[k].RDLength))
		}
	}
	return end
}

type nbnsFeedback bool

func (f *nbnsFeedback) SetTruncated() { *f = true }

// Every proper prefix of a real frame is a truncated message: an error
// wrapping ErrTruncated, never a panic, never success.
func TestNBNSTruncatedPrefixes(t *testing.T) {
	var n dissect.NBNS
	var tr dissect.Tree
	for _, tc := range nbnsRealFrames {
		if err := n.DecodeFromBytes(tc.payload, gopacket.NilDecodeFeedback); err != nil {
			t.Fatal(err)
		}
		for k := 0; k < nbnsEnd(&n); k++ {
			err := n.DecodeFromBytes(tc.payload[:k], gopacket.NilDecodeFeedback)
			if !errors.Is(err, dissect.ErrTruncated) {
				t.Errorf("%s[:%d]: err = %v, want ErrTruncated", tc.name, k, err)
			}
			tr.Reset()
			n.AppendTree(&tr)
			_ = n.AppendInfo(nil)
		}
	}
}

// ---------------------------------------------------------------------------
// Allocations and speed.

func TestNBNSAllocs(t *testing.T) {
	var n dissect.NBNS
	var tr dissect.Tree
	var info []byte
	msgs := [][]byte{nbnsNBSTATResponse, nbnsRealFrames[5].payload}
	for _, m := range msgs {
		if allocs := testing.AllocsPerRun(100, func() {
			if err := n.DecodeFromBytes(m, gopacket.NilDecodeFeedback); err != nil {
				t.Fatal(err)
			}
		}); allocs != 0 {
			t.Errorf("DecodeFromBytes: %v allocations, want 0", allocs)
		}
		if allocs := testing.AllocsPerRun(100, func() {
			_ = n.DecodeFromBytes(m, gopacket.NilDecodeFeedback)
			tr.Reset()
			n.AppendTree(&tr)
			info = n.AppendInfo(info[:0])
		}); allocs != 0 {
			t.Errorf("decode, tree and info: %v allocations, want 0", allocs)
		}
	}
}

// checkRecordNames checks that the name of every record of n is what
// DecodeName makes of the message at the record's offset (the decoder
// copies a pointer to the first question's name from the question), and
// ends where DecodeName ends it.
func checkRecordNames(t *testing.T, n *dissect.NBNS, data []byte) {
	t.Helper()
	check := func(what string, i int, got *dissect.Name, off, nameLen int) {
		var want dissect.Name
		next, err := dissect.DecodeName("nbns", data, off, &want)
		if err != nil || next-off != nameLen || got.Raw != want.Raw || string(got.Encoded) != string(want.Encoded) ||
			string(got.ScopeID()) != string(want.ScopeID()) || got.BadNibble != want.BadNibble || got.Short != want.Short ||
			got.Long != want.Long || got.Extended != want.Extended || got.String() != want.String() {
			t.Fatalf("%s %d at %d: name %v (%d bytes), DecodeName %v (%d bytes, %v)", what, i, off, got, nameLen, &want, next-off, err)
		}
	}
	for i := range n.Questions {
		check("question", i, &n.Questions[i].Name, n.Questions[i].Offset, n.Questions[i].NameLen)
	}
	for sec, rrs := range [][]dissect.NBNSResource{n.Answers, n.Authorities, n.Additionals} {
		for i := range rrs {
			check([]string{"answer", "authority", "additional"}[sec], i, &rrs[i].Name, rrs[i].Offset, rrs[i].NameLen)
		}
	}
}

// A record's name that points to the first question's name is that name,
// as DecodeName reads it: with a scope of one label (aliasing the
// message) and of several (held in the name), after a question name that
// itself ends in a pointer, and from a reused decoder whose last message
// had a longer scope.
func TestNBNSPointerToQuestionName(t *testing.T) {
	name := "20 4647454e4648454a454f46494641434143414341434143414341434143414141" // VMWINXP<00>
	rr := "0020 0001 000493e0 0006 6000 c0a8cf80"
	for _, c := range []struct {
		what, msg, want string
	}{
		{"no scope", "8d8f 2900 0001 0000 0000 0001" + name + "00 0020 0001 c00c" + rr, "VMWINXP<00>"},
		{"one-label scope", "8d8f 2900 0001 0000 0000 0001" + name + "03 636f6d 00 0020 0001 c00c" + rr, "VMWINXP<00>.com"},
		{"three-label scope", "8d8f 2900 0001 0000 0000 0001" + name + "01 61 02 6262 03 636363 00 0020 0001 c00c" + rr, "VMWINXP<00>.a.bb.ccc"},
		{"question ending in a pointer", "8d8f 2900 0001 0000 0000 0001" + name + "c00c 0020 0001 c00c" + rr, ""},
		{"answer and additional", "8d8f 2900 0001 0001 0000 0001" + name + "01 61 00 0020 0001 c00c" + rr + "c00c" + rr, "VMWINXP<00>.a"},
	} {
		var n dissect.NBNS
		_ = n.DecodeFromBytes(nbnsHex("8d8f 2900 0001 0000 0000 0001"+name+"05 6161616161 04 62626262 00 0020 0001 c00c"+rr), gopacket.NilDecodeFeedback)
		data := nbnsHex(c.msg)
		err := n.DecodeFromBytes(data, gopacket.NilDecodeFeedback)
		if c.want == "" { // a pointer loop: the question's name points to itself
			if err == nil {
				t.Errorf("%s: decoded", c.what)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		checkRecordNames(t, &n, data)
		rrs := append(append([]dissect.NBNSResource{}, n.Answers...), n.Additionals...)
		if len(rrs) == 0 {
			t.Fatalf("%s: no record", c.what)
		}
		for _, r := range rrs {
			if got := r.Name.String(); got != c.want || r.NameLen != 2 {
				t.Errorf("%s: record name %q (%d bytes), want %q (2)", c.what, got, r.NameLen, c.want)
			}
		}
	}
}

func BenchmarkNBNS(b *testing.B) {
	var n dissect.NBNS
	b.Run("decode NBSTAT response", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(nbnsNBSTATResponse)))
		for i := 0; i < b.N; i++ {
			_ = n.DecodeFromBytes(nbnsNBSTATResponse, gopacket.NilDecodeFeedback)
		}
	})
	q := nbnsRealFrames[0].payload
	b.Run("decode query", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(q)))
		for i := 0; i < b.N; i++ {
			_ = n.DecodeFromBytes(q, gopacket.NilDecodeFeedback)
		}
	})
	var tr dissect.Tree
	var info []byte
	b.Run("decode, tree and info of NBSTAT response", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(nbnsNBSTATResponse)))
		for i := 0; i < b.N; i++ {
			_ = n.DecodeFromBytes(nbnsNBSTATResponse, gopacket.NilDecodeFeedback)
			tr.Reset()
			n.AppendTree(&tr)
			info = n.AppendInfo(info[:0])
		}
	})
}

// ---------------------------------------------------------------------------
// Fuzzing.

func FuzzNBNS(f *testing.F) {
	for _, tc := range nbnsRealFrames {
		f.Add(tc.payload)
	}
	for _, b := range nbnsBuiltFrames() {
		f.Add(b.payload)
	}
	// Every distinct NBNS payload of two captures, when they are there.
	for _, c := range []string{"nbns-registration-browser-elections-udp-and-netbeui_ndpi-dos_win98_smb_netbeui.pcap",
		"synthetic/malformed-fuzzed-nbns-nbdgm_ndpi-fuzz-2006-06-26-2594.pcap"} {
		frames, ok := nbnsLoadCapture(f, c)
		if !ok {
			continue
		}
		seen := map[string]bool{}
		for _, num := range nbnsSortedFrames(frames) {
			if p := frames[num]; !seen[string(p)] {
				seen[string(p)] = true
				f.Add(p)
			}
		}
	}
	var n, m dissect.NBNS
	var tr dissect.Tree
	f.Fuzz(func(t *testing.T, data []byte) {
		err := n.DecodeFromBytes(data, gopacket.NilDecodeFeedback)
		if err != nil {
			var de *dissect.DecodeError
			if !errors.As(err, &de) || de.Proto != "nbns" || n.Err != err {
				t.Fatalf("error %v (%T) is not an nbns *DecodeError kept in Err", err, err)
			}
			if !errors.Is(err, dissect.ErrTruncated) && !errors.Is(err, dissect.ErrMalformed) && !errors.Is(err, dissect.ErrLimit) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
		}
		if len(n.Questions) > dissect.MaxNBNSRecords || len(n.Answers) > dissect.MaxNBNSRecords ||
			len(n.Authorities) > dissect.MaxNBNSRecords || len(n.Additionals) > dissect.MaxNBNSRecords {
			t.Fatalf("more records than MaxNBNSRecords")
		}
		tr.Reset()
		n.AppendTree(&tr)
		if tr.Depth() != 0 {
			t.Fatalf("tree left open")
		}
		for _, nd := range tr.Nodes {
			if nd.Off >= 0 && int(nd.Off) > len(data) {
				t.Fatalf("node %v at offset %d past the message (%d bytes)", dissect.Field(nd.Field).Abbrev, nd.Off, len(data))
			}
		}
		checkRecordNames(t, &n, data)
		info := string(n.AppendInfo(nil))
		// Decoding is deterministic whatever the decoder held before.
		_ = m.DecodeFromBytes(nbnsNBSTATResponse, gopacket.NilDecodeFeedback)
		err2 := m.DecodeFromBytes(data, gopacket.NilDecodeFeedback)
		if (err == nil) != (err2 == nil) || string(m.AppendInfo(nil)) != info {
			t.Fatalf("reused decoder differs: %v / %v", err, err2)
		}
		checkRecordNames(t, &m, data)
		// A fresh decoder makes the same tree as the reused one (primed
		// with an NBSTAT response: every kind of RDATA field set), node
		// for node: no field of a reused record is left from before.
		var fresh dissect.NBNS
		_ = fresh.DecodeFromBytes(data, gopacket.NilDecodeFeedback)
		var ft, mt dissect.Tree
		ft.Reset()
		mt.Reset()
		fresh.AppendTree(&ft)
		m.AppendTree(&mt)
		if !reflect.DeepEqual(ft.Nodes, mt.Nodes) {
			t.Fatalf("reused decoder: tree differs from a fresh decoder's")
		}
		for _, s := range [][2][]dissect.NBNSResource{{fresh.Answers, m.Answers}, {fresh.Authorities, m.Authorities}, {fresh.Additionals, m.Additionals}} {
			if err := sameRecords(s[0], s[1]); err != "" {
				t.Fatalf("reused decoder: %s", err)
			}
		}
		if len(m.Questions) != len(n.Questions) {
			t.Fatalf("reused decoder: %d questions, %d", len(m.Questions), len(n.Questions))
		}
		for i := range m.Questions {
			a, b := &m.Questions[i], &n.Questions[i]
			if a.Type != b.Type || a.Class != b.Class || a.Offset != b.Offset || a.NameLen != b.NameLen || a.Name.String() != b.Name.String() {
				t.Fatalf("reused decoder: question %d %+v, %+v", i, a, b)
			}
		}
	})
}

// sameRecords says how two decoders' records differ, or "": every field,
// the names' by what they hold (not the bytes of their scope buffers
// past the scope).
func sameRecords(a, b []dissect.NBNSResource) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d records, %d", len(a), len(b))
	}
	for i := range a {
		x, y := a[i], b[i]
		nx, ny := x.Name, y.Name
		if nx.Raw != ny.Raw || string(nx.Encoded) != string(ny.Encoded) || string(nx.Scope) != string(ny.Scope) ||
			nx.BadNibble != ny.BadNibble || nx.Short != ny.Short || nx.Long != ny.Long || nx.Extended != ny.Extended {
			return fmt.Sprintf("record %d: name %+v, %+v", i, nx.String(), ny.String())
		}
		x.Name, y.Name = dissect.Name{}, dissect.Name{}
		for _, r := range []*dissect.NBNSResource{&x, &y} { // empty is empty, nil or not
			if len(r.RData) == 0 {
				r.RData = nil
			}
			if len(r.NB) == 0 {
				r.NB = nil
			}
			if len(r.WACK) == 0 {
				r.WACK = nil
			}
			if len(r.Names) == 0 {
				r.Names = nil
			}
		}
		if !reflect.DeepEqual(x, y) {
			return fmt.Sprintf("record %d: %+v, %+v", i, x, y)
		}
	}
	return ""
}
