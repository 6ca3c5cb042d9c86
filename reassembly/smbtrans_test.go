package reassembly

// Tests of SMB transaction reassembly on the real split NetServerEnum2
// replies of the Samba lab capture testdata/pcaps/enum.pcapng (5 and 24
// SMB_COM_TRANSACTION responses), and on variations of them: shuffled,
// duplicated, with lying totals and displacements, cut short, and past the
// bounds. Expected values are tshark 4.0.17's (tshark -2 -o
// smb.trans_reassembly:TRUE) and the lab's ground truth (SUMMARY.md).

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/dissect"
)

const transEnumCapture = "../testdata/pcaps/enum.pcapng"

// transMsg is one SMB message of a capture: its frame, capture time, TCP
// stream (in order of first appearance, from 0, like tcp.stream) and bytes.
type transMsg struct {
	frame  int
	ts     time.Time
	stream int
	data   []byte
}

// transCaptureMessages reads the SMB1 messages carried over TCP 139 in a
// capture, framed by their NBSS headers, each with the frame that
// completes it.
func transCaptureMessages(tb testing.TB, path string) []transMsg {
	tb.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	ng, err := pcapgo.NewNgReader(bytes.NewReader(raw), pcapgo.DefaultNgReaderOptions)
	if err != nil {
		tb.Fatal(err)
	}
	type flow struct {
		buf  []byte
		next uint32
		seen bool
	}
	flows := map[string]*flow{}
	streams := map[string]int{}
	var out []transMsg
	for n := 1; ; n++ {
		data, ci, err := ng.ReadPacketData()
		if err != nil {
			break
		}
		pkt := gopacket.NewPacket(data, ng.LinkType(), gopacket.DecodeOptions{Lazy: true, NoCopy: true})
		ip, _ := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		tcp, _ := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if ip == nil || tcp == nil || (tcp.SrcPort != 139 && tcp.DstPort != 139) {
			continue
		}
		a := ip.SrcIP.String() + ":" + strconv.Itoa(int(tcp.SrcPort))
		b := ip.DstIP.String() + ":" + strconv.Itoa(int(tcp.DstPort))
		conv := a + "|" + b
		if b < a {
			conv = b + "|" + a
		}
		if _, ok := streams[conv]; !ok {
			streams[conv] = len(streams)
		}
		if len(tcp.Payload) == 0 {
			continue
		}
		f := flows[a+">"+b]
		if f == nil {
			f = &flow{}
			flows[a+">"+b] = f
		}
		if f.seen && tcp.Seq != f.next {
			tb.Fatalf("frame %d: out-of-order TCP segment in a lab capture", n)
		}
		f.seen, f.next = true, tcp.Seq+uint32(len(tcp.Payload))
		f.buf = append(f.buf, tcp.Payload...)
		for len(f.buf) >= 4 {
			l := int(f.buf[1]&1)<<16 | int(binary.BigEndian.Uint16(f.buf[2:]))
			if len(f.buf) < 4+l {
				break
			}
			if f.buf[0] == 0 && l > 4 && string(f.buf[4:8]) == "\xffSMB" { // SMB1 only
				out = append(out, transMsg{n, ci.Timestamp, streams[conv], append([]byte(nil), f.buf[4:4+l]...)})
			}
			f.buf = f.buf[4+l:]
		}
	}
	return out
}

func transDecode(tb testing.TB, m []byte) *dissect.SMB {
	tb.Helper()
	s := new(dissect.SMB)
	if err := s.DecodeFromBytes(m, gopacket.NilDecodeFeedback); err != nil {
		tb.Fatalf("decode: %v", err)
	}
	return s
}

// transSplit returns the messages of the transaction with the given
// stream and MID, in capture order: the request first, then the response
// pieces.
func transSplit(tb testing.TB, msgs []transMsg, stream int, mid uint16) (req transMsg, resp []transMsg) {
	tb.Helper()
	for _, m := range msgs {
		s := transDecode(tb, m.data)
		if m.stream != stream || s.MID != mid || s.Trans() == nil {
			continue
		}
		if s.IsResponse() {
			resp = append(resp, m)
		} else {
			req = m
		}
	}
	if req.data == nil || len(resp) == 0 {
		tb.Fatalf("no transaction on stream %d MID %d", stream, mid)
	}
	return req, resp
}

// The lab's ground truth (SUMMARY.md, enum): nbtool's NetServerEnum2
// level 1 with MaxBufferSize 1024 (stream 5, MID 4: 5 responses, frames
// 930-935) and 500 (stream 6, MID 4: 24 responses, frames 968-1002); tshark
// -2 lists the pieces in smb.segment.
var transEnumCases = []struct {
	name      string
	stream    int
	mid       uint16
	reqFrame  int
	fragments []int
}{
	{"5 responses", 5, 4, 929, []int{930, 931, 933, 934, 935}},
	{"24 responses", 6, 4, 967, []int{968, 969, 971, 972, 974, 975, 977, 978, 980, 981, 983, 984, 986, 987, 989, 990, 992, 993, 995, 996, 998, 999, 1001, 1002}},
}

// tshark -2 -o smb.trans_reassembly:TRUE -T fields -e lanman.server.name
// on the reassembled reply (frame 930 and 968 alike).
var transEnumServers = strings.Split("ALIAS01,ALIAS02,ALIAS03,ALIAS04,ALIAS05,ALIAS06,ALIAS07,ALIAS08,ALIAS09,ALIAS10,"+
	"ALIAS11,ALIAS12,ALIAS13,ALIAS14,ALIAS15,ALIAS16,ALIAS17,ALIAS18,ALIAS19,ALIAS20,ALIAS21,ALIAS22,ALIAS23,ALIAS24,"+
	"ALIAS25,ALIAS26,ALIAS27,ALIAS28,ALIAS29,ALIAS30,ALIASES,FILES2,SRV,WS01,WS02,WS03,WS04,WS05,WS06,WS07,WS08,WS09,"+
	"WS10,WS11,WS12", ",")

// checkEnumReply checks a reassembled NetServerEnum2 level-1 reply against
// tshark: reassembled length 3066 (8 + 3058), status 0, 45 entries of 45,
// and the 45 server names in order, each a 26-byte SERVER_INFO_1.
func checkEnumReply(t *testing.T, res TransResult) {
	t.Helper()
	if len(res.Params) != 8 || len(res.Data) != 3058 {
		t.Fatalf("reassembled %d + %d bytes, tshark 8 + 3058", len(res.Params), len(res.Data))
	}
	if st, n, avail := binary.LittleEndian.Uint16(res.Params), binary.LittleEndian.Uint16(res.Params[4:]), binary.LittleEndian.Uint16(res.Params[6:]); st != 0 || n != 45 || avail != 45 {
		t.Errorf("status %d, entries %d/%d; tshark 0, 45/45", st, n, avail)
	}
	for i, name := range transEnumServers {
		e := res.Data[i*26 : i*26+16]
		if got := string(bytes.TrimRight(e, "\x00")); got != name {
			t.Errorf("entry %d = %q, tshark %q", i, got, name)
		}
	}
}

// TestTransEnumRepliesNoRequestBytes: with NoRequestBytes, a reply is
// paired with its request (frame) and reassembled as before, without the
// request's bytes; the record of the first request, forgotten at its
// reply, is taken again for the second (one reassembler for both).
func TestTransEnumRepliesNoRequestBytes(t *testing.T) {
	msgs := transCaptureMessages(t, transEnumCapture)
	r := NewTransReassembler[int](TransConfig{NoRequestBytes: true})
	var first *transRequest
	for i, c := range transEnumCases {
		req, resp := transSplit(t, msgs, c.stream, c.mid)
		res := r.Add(c.stream, transDecode(t, req.data), req.frame, req.ts)
		if !res.Complete || string(res.Name) != `\PIPE\LANMAN` || r.Requests() != 1 {
			t.Fatalf("%s: request: %+v, %d remembered", c.name, res, r.Requests())
		}
		for _, q := range r.requests {
			if i == 0 {
				first = q
			} else if q != first {
				t.Errorf("%s: the forgotten request's record was not taken again", c.name)
			}
		}
		for _, m := range resp {
			res = r.Add(c.stream, transDecode(t, m.data), m.frame, m.ts)
		}
		if !res.Complete || !res.HaveRequest || res.RequestFrame != c.reqFrame || res.RequestName != nil ||
			res.RequestSetup != nil || res.RequestParams != nil || res.RequestData != nil {
			t.Errorf("%s: request pairing: %v %d %q %d", c.name, res.HaveRequest, res.RequestFrame, res.RequestName, len(res.RequestParams))
		}
		checkEnumReply(t, res)
		if r.Pending() != 0 || r.Requests() != 0 {
			t.Errorf("%s: left %d pending, %d requests", c.name, r.Pending(), r.Requests())
		}
	}
}

func TestTransEnumReplies(t *testing.T) {
	msgs := transCaptureMessages(t, transEnumCapture)
	for _, c := range transEnumCases {
		t.Run(c.name, func(t *testing.T) {
			r := NewTransReassembler[int](TransConfig{})
			req, resp := transSplit(t, msgs, c.stream, c.mid)
			if req.frame != c.reqFrame {
				t.Fatalf("request in frame %d, lab %d", req.frame, c.reqFrame)
			}
			res := r.Add(c.stream, transDecode(t, req.data), req.frame, req.ts)
			if !res.Complete || !res.Single || string(res.Name) != `\PIPE\LANMAN` {
				t.Fatalf("request: %+v", res)
			}
			for i, m := range resp {
				res = r.Add(c.stream, transDecode(t, m.data), m.frame, m.ts)
				last := i == len(resp)-1
				if res.Complete != last || (!last && res.Status != TransPending) || res.Err != nil {
					t.Fatalf("piece %d (frame %d): %v %v", i, m.frame, res.Status, res.Err)
				}
			}
			if res.CompletedIn != c.fragments[len(c.fragments)-1] || !equalInts(res.Fragments, c.fragments) {
				t.Errorf("fragments %v completed in %d, tshark %v", res.Fragments, res.CompletedIn, c.fragments)
			}
			if !res.HaveRequest || res.RequestFrame != c.reqFrame || string(res.RequestName) != `\PIPE\LANMAN` ||
				len(res.RequestParams) != 32 || binary.LittleEndian.Uint16(res.RequestParams) != 104 {
				// tshark: the request has smb.pc 32, lanman.function_code 104
				t.Errorf("request pairing: %v %d %q %d", res.HaveRequest, res.RequestFrame, res.RequestName, len(res.RequestParams))
			}
			checkEnumReply(t, res)
			transCompareTshark(t, c.fragments[0], res)
			if r.Pending() != 0 || r.Requests() != 0 {
				t.Errorf("left %d pending, %d requests", r.Pending(), r.Requests())
			}
		})
	}
}

// transCompareTshark compares the reassembled bytes with the "Reassembled
// SMB" hex dump of tshark -2 -o smb.trans_reassembly:TRUE -x, when tshark
// is installed.
func transCompareTshark(t *testing.T, frame int, res TransResult) {
	t.Helper()
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Log("tshark not installed: reassembled bytes checked against the lab's entries only")
		return
	}
	out, err := exec.Command("tshark", "-2", "-o", "smb.trans_reassembly:TRUE", "-r", transEnumCapture,
		"-Y", "frame.number=="+strconv.Itoa(frame), "-x").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	i := bytes.Index(out, []byte("Reassembled SMB ("))
	if i < 0 {
		t.Fatalf("tshark shows no reassembled SMB in frame %d", frame)
	}
	var want []byte
	line := regexp.MustCompile(`^[0-9a-f]{4,}  ((?:[0-9a-f]{2} )+)`)
	for _, l := range strings.Split(string(out[i:]), "\n")[1:] {
		m := line.FindStringSubmatch(l + " ")
		if m == nil {
			break
		}
		for _, h := range strings.Fields(m[1]) {
			v, _ := strconv.ParseUint(h, 16, 8)
			want = append(want, byte(v))
		}
	}
	got := append(append([]byte(nil), res.Params...), res.Data...)
	if !bytes.Equal(got, want) {
		t.Errorf("reassembled %d bytes differ from tshark's %d", len(got), len(want))
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestTransShuffled places the 24 real pieces in random orders: the result
// is the same, completed by whichever piece came last.
func TestTransShuffled(t *testing.T) {
	msgs := transCaptureMessages(t, transEnumCapture)
	_, resp := transSplit(t, msgs, 6, 4)
	rng := rand.New(rand.NewSource(1))
	for round := 0; round < 20; round++ {
		order := rng.Perm(len(resp))
		r := NewTransReassembler[int](TransConfig{})
		var res TransResult
		for i, k := range order {
			m := resp[k]
			res = r.Add(6, transDecode(t, m.data), m.frame, m.ts)
			if res.Err != nil || res.Complete != (i == len(order)-1) {
				t.Fatalf("round %d piece %d: %v %v", round, i, res.Status, res.Err)
			}
		}
		if res.CompletedIn != resp[order[len(order)-1]].frame || len(res.Fragments) != 24 || res.HaveRequest {
			t.Errorf("round %d: completed in %d, %d fragments", round, res.CompletedIn, len(res.Fragments))
		}
		checkEnumReply(t, res)
	}
}

// transPatch returns a copy of a response piece with a word of its
// SMB_COM_TRANSACTION response parameters changed (word offsets from the
// start of the parameter words, at message offset 33).
func transPatch(m []byte, word int, v uint16) []byte {
	c := append([]byte(nil), m...)
	binary.LittleEndian.PutUint16(c[33+word:], v)
	return c
}

// Response parameter word offsets ([MS-CIFS] §2.2.4.33.2).
const (
	wTotalParams = 0
	wTotalData   = 2
	wDataDisp    = 16
)

func TestTransLyingAndDuplicates(t *testing.T) {
	msgs := transCaptureMessages(t, transEnumCapture)
	_, resp := transSplit(t, msgs, 5, 4) // data pieces 0..644, 644..1296, 1296..1948, 1948..2600, 2600..3058
	ts := resp[0].ts
	feed := func(r *TransReassembler[int], m []byte, frame int) TransResult {
		return r.Add(5, transDecode(t, m), frame, ts)
	}
	all := func(r *TransReassembler[int], skip int) (res TransResult) {
		for i, m := range resp {
			if i != skip {
				res = feed(r, m.data, m.frame)
			}
		}
		return res
	}

	t.Run("duplicate piece ignored", func(t *testing.T) {
		r := NewTransReassembler[int](TransConfig{})
		feed(r, resp[0].data, resp[0].frame)
		if res := feed(r, resp[0].data, 2000); res.Status != TransPending || res.Err != nil {
			t.Fatalf("duplicate: %v %v", res.Status, res.Err)
		}
		res := all(r, 0)
		checkEnumReply(t, res)
	})
	t.Run("conflicting duplicate", func(t *testing.T) {
		r := NewTransReassembler[int](TransConfig{})
		feed(r, resp[1].data, resp[1].frame)
		bad := append([]byte(nil), resp[1].data...)
		bad[len(bad)-1] ^= 0xff
		res := feed(r, bad, 2000)
		if res.Status != TransDropped || !errors.Is(res.Err, dissect.ErrMalformed) || !strings.Contains(res.Err.Error(), "contradicts") {
			t.Fatalf("conflict: %v %v", res.Status, res.Err)
		}
		checkEnumReply(t, all(r, 1))
	})
	t.Run("total grows", func(t *testing.T) {
		r := NewTransReassembler[int](TransConfig{})
		feed(r, resp[0].data, resp[0].frame)
		res := feed(r, transPatch(resp[1].data, wTotalData, 4000), resp[1].frame)
		if res.Status != TransDropped || !strings.Contains(res.Err.Error(), "grew from 3058 to 4000") {
			t.Fatalf("growing total: %v %v", res.Status, res.Err)
		}
	})
	t.Run("total shrinks below what arrived", func(t *testing.T) {
		r := NewTransReassembler[int](TransConfig{})
		feed(r, resp[4].data, resp[4].frame) // 2600..3058
		res := feed(r, transPatch(resp[0].data, wTotalData, 2700), resp[0].frame)
		if res.Status != TransDropped || !errors.Is(res.Err, dissect.ErrMalformed) || !strings.Contains(res.Err.Error(), "shrank") {
			t.Fatalf("shrinking total: %v %v", res.Status, res.Err)
		}
	})
	t.Run("total shrinks legitimately", func(t *testing.T) {
		// The server may lower the totals in later pieces ([MS-CIFS]
		// §2.2.4.33.2): the last piece announces 3058, all say 3100 before.
		r := NewTransReassembler[int](TransConfig{})
		var res TransResult
		for i, m := range resp {
			d := m.data
			if i < len(resp)-1 {
				d = transPatch(d, wTotalData, 3100)
			}
			res = feed(r, d, m.frame)
		}
		if !res.Complete || res.TotalDataCount != 3058 {
			t.Fatalf("%v, total %d", res.Status, res.TotalDataCount)
		}
		checkEnumReply(t, res)
	})
	t.Run("displacement past the total", func(t *testing.T) {
		r := NewTransReassembler[int](TransConfig{})
		res := feed(r, transPatch(resp[4].data, wDataDisp, 2900), resp[4].frame)
		if res.Status != TransDropped || !strings.Contains(res.Err.Error(), "data displacement") {
			t.Fatalf("lying displacement: %v %v", res.Status, res.Err)
		}
	})
	t.Run("missing piece reported on expiry", func(t *testing.T) {
		r := NewTransReassembler[int](TransConfig{Timeout: 10 * time.Second})
		if res := all(r, 2); res.Status != TransPending {
			t.Fatalf("without piece 2: %v", res.Status)
		}
		if out := r.Expire(ts.Add(5*time.Second), nil); len(out) != 0 {
			t.Fatalf("expired too early: %v", out)
		}
		// Swept at 5 s, every quarter of the timeout: nothing due at 6 s
		// (the engine then leaves Expire out), a sweep due at 11 s.
		if r.Due(ts.Add(6 * time.Second)) {
			t.Error("Due 1 s after a sweep, with nothing to report")
		}
		if !r.Due(ts.Add(11 * time.Second)) {
			t.Error("not Due 6 s after a sweep")
		}
		out := r.Expire(ts.Add(11*time.Second), nil)
		if len(out) != 1 || out[0].Status != TransAbandoned || len(out[0].Missing) != 1 ||
			out[0].Missing[0] != (ByteRange{TransData, 1296, 1948}) || !errors.Is(out[0].Err, dissect.ErrLimit) {
			t.Fatalf("expired: %+v", out)
		}
		if len(out[0].Fragments) != 4 || r.Pending() != 0 {
			t.Errorf("fragments %v, pending %d", out[0].Fragments, r.Pending())
		}
	})
	t.Run("connection ends with a hole", func(t *testing.T) {
		r := NewTransReassembler[int](TransConfig{})
		feed(r, resp[0].data, resp[0].frame)
		feed(r, resp[3].data, resp[3].frame)
		out := r.CloseConn(5, nil)
		want := []ByteRange{{TransData, 644, 1948}, {TransData, 2600, 3058}}
		if len(out) != 1 || len(out[0].Missing) != 2 || out[0].Missing[0] != want[0] || out[0].Missing[1] != want[1] {
			t.Fatalf("closed: %+v", out)
		}
		if out := r.CloseConn(5, nil); len(out) != 0 {
			t.Errorf("reported twice: %v", out)
		}
	})
	t.Run("other connection untouched", func(t *testing.T) {
		r := NewTransReassembler[int](TransConfig{})
		feed(r, resp[0].data, resp[0].frame)
		if out := r.CloseConn(99, nil); len(out) != 0 || r.Pending() != 1 {
			t.Fatalf("closing another connection: %v", out)
		}
	})
	t.Run("superseded by a new transaction with the same MID", func(t *testing.T) {
		r := NewTransReassembler[int](TransConfig{})
		feed(r, resp[0].data, resp[0].frame)
		one := transPatch(transPatch(resp[0].data, wTotalData, 644), wTotalParams, 8)
		if res := feed(r, one, 3000); !res.Complete || !res.Single {
			t.Fatalf("new single: %v", res.Status)
		}
		if out := r.Expire(ts, nil); len(out) != 1 || out[0].Status != TransAbandoned || !strings.Contains(out[0].Err.Error(), "superseded") {
			t.Fatalf("superseded: %+v", out)
		}
	})
}

func TestTransBounds(t *testing.T) {
	msgs := transCaptureMessages(t, transEnumCapture)
	_, resp := transSplit(t, msgs, 6, 4)
	ts := resp[0].ts
	t.Run("bytes", func(t *testing.T) {
		r := NewTransReassembler[int](TransConfig{MaxBytes: 1000})
		var res TransResult
		for _, m := range resp {
			res = r.Add(6, transDecode(t, m.data), m.frame, ts)
			if res.Status == TransDropped {
				break
			}
		}
		if res.Status != TransDropped || !errors.Is(res.Err, dissect.ErrLimit) || len(res.Missing) == 0 || r.Pending() != 0 {
			t.Fatalf("%v %v %v", res.Status, res.Err, res.Missing)
		}
	})
	t.Run("pieces", func(t *testing.T) {
		r := NewTransReassembler[int](TransConfig{MaxPieces: 10})
		var res TransResult
		for _, m := range resp {
			if res = r.Add(6, transDecode(t, m.data), m.frame, ts); res.Status == TransDropped {
				break
			}
		}
		if res.Status != TransDropped || !errors.Is(res.Err, dissect.ErrLimit) || len(res.Fragments) != 10 {
			t.Fatalf("%v %v %d", res.Status, res.Err, len(res.Fragments))
		}
	})
	t.Run("pending", func(t *testing.T) {
		r := NewTransReassembler[int](TransConfig{MaxPending: 2})
		for conn := 0; conn < 2; conn++ {
			if res := r.Add(conn, transDecode(t, resp[0].data), resp[0].frame, ts); res.Status != TransPending {
				t.Fatalf("conn %d: %v", conn, res.Status)
			}
		}
		res := r.Add(2, transDecode(t, resp[0].data), resp[0].frame, ts)
		if res.Status != TransDropped || !errors.Is(res.Err, dissect.ErrLimit) || r.Pending() != 2 {
			t.Fatalf("third: %v %v", res.Status, res.Err)
		}
		// once the others are abandoned by capture time, there is room
		res = r.Add(2, transDecode(t, resp[0].data), resp[0].frame, ts.Add(2*time.Minute))
		if res.Status != TransPending || r.Pending() != 1 {
			t.Fatalf("after expiry: %v, %d pending", res.Status, r.Pending())
		}
		if out := r.Expire(ts.Add(2*time.Minute), nil); len(out) != 2 {
			t.Errorf("%d abandoned reported", len(out))
		}
	})
	t.Run("requests", func(t *testing.T) {
		req, _ := transSplit(t, msgs, 6, 4)
		r := NewTransReassembler[int](TransConfig{MaxRequests: 3})
		var res TransResult
		for conn := 0; conn < 4; conn++ {
			res = r.Add(conn, transDecode(t, req.data), req.frame, ts.Add(time.Duration(conn)*time.Second))
		}
		if !res.Complete || !errors.Is(res.Err, dissect.ErrLimit) || r.Requests() != 3 {
			t.Fatalf("%v %v %d", res.Status, res.Err, r.Requests())
		}
	})
}

// transSecondary builds an SMB_COM_TRANSACTION_SECONDARY request
// ([MS-CIFS] §2.2.4.34.1) carrying params[pd:] of a primary request whose
// header it reuses.
func transSecondary(primary []byte, tpc uint16, pd int, params []byte) []byte {
	m := append([]byte(nil), primary[:32]...)
	m[4] = byte(dissect.SMBComTransactionSecondary)
	po := 32 + 1 + 16 + 2
	w := make([]byte, 16)
	binary.LittleEndian.PutUint16(w[0:], tpc)
	binary.LittleEndian.PutUint16(w[4:], uint16(len(params)))
	binary.LittleEndian.PutUint16(w[6:], uint16(po))
	binary.LittleEndian.PutUint16(w[8:], uint16(pd))
	m = append(m, 8)
	m = append(m, w...)
	m = append(m, byte(len(params)), byte(len(params)>>8))
	return append(m, params...)
}

// TestTransSecondaryRequests splits the real NetServerEnum2 request of
// frame 929 (32 parameter bytes: tshark smb.pc 32) into a primary carrying
// the first 10 bytes and two secondaries, and merges them back, in order
// and with the secondaries first.
func TestTransSecondaryRequests(t *testing.T) {
	msgs := transCaptureMessages(t, transEnumCapture)
	req, _ := transSplit(t, msgs, 5, 4)
	orig := transDecode(t, req.data).Trans()
	params := append([]byte(nil), orig.Params...)
	// primary: TotalParameterCount stays 32, ParameterCount 10
	prim := append([]byte(nil), req.data[:int(orig.ParamOffset)+10]...)
	binary.LittleEndian.PutUint16(prim[33+18:], 10)                          // ParameterCount
	binary.LittleEndian.PutUint16(prim[33+28:], uint16(len(prim)-(33+28+2))) // ByteCount
	sec1 := transSecondary(req.data, 32, 10, params[10:20])
	sec2 := transSecondary(req.data, 32, 20, params[20:])
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 0, 2}} {
		r := NewTransReassembler[int](TransConfig{})
		parts := [][]byte{prim, sec1, sec2}
		var res TransResult
		for i, k := range order {
			s := transDecode(t, parts[k])
			res = r.Add(5, s, 100+k, req.ts)
			if res.Err != nil || res.Complete != (i == 2) {
				t.Fatalf("order %v piece %d: %v %v", order, i, res.Status, res.Err)
			}
		}
		if !bytes.Equal(res.Params, params) || string(res.Name) != `\PIPE\LANMAN` || len(res.Data) != 0 || res.CompletedIn != 100+order[2] {
			t.Errorf("order %v: params %x name %q", order, res.Params, res.Name)
		}
	}
	// secondaries whose primary never comes
	r := NewTransReassembler[int](TransConfig{})
	r.Add(5, transDecode(t, sec1), 1, req.ts)
	r.Add(5, transDecode(t, sec2), 2, req.ts)
	out := r.CloseConn(5, nil)
	if len(out) != 1 || len(out[0].Missing) != 1 || out[0].Missing[0] != (ByteRange{TransParams, 0, 10}) {
		t.Fatalf("without primary: %+v", out)
	}
}

// TestTransSinglePassThrough: a whole transaction in one message is not
// copied, and the response path does not allocate.
func TestTransSinglePassThrough(t *testing.T) {
	msgs := transCaptureMessages(t, transEnumCapture)
	_, resp := transSplit(t, msgs, 5, 6) // NetServerEnum2 DOMAIN_ENUM reply, one message (frame 940)
	s := transDecode(t, resp[0].data)
	r := NewTransReassembler[int](TransConfig{})
	res := r.Add(5, s, resp[0].frame, resp[0].ts)
	if !res.Complete || !res.Single || &res.Data[0] != &s.Trans().Data[0] || len(res.Data) != 30 {
		// tshark: frame 940 smb.dc 30
		t.Fatalf("single: %+v", res)
	}
	if n := testing.AllocsPerRun(100, func() { r.Add(5, s, resp[0].frame, resp[0].ts) }); n != 0 {
		t.Errorf("single response: %v allocations", n)
	}
}

// AddTo writes every field of the result, whatever the result held: over
// the enum capture's messages, twice (the second pass completes nothing
// the first left pending the same way), with a garbage result reused by
// AddTo against a fresh one returned by Add on a twin reassembler.
func TestTransAddToOverwrites(t *testing.T) {
	msgs := transCaptureMessages(t, transEnumCapture)
	a, b := NewTransReassembler[int](TransConfig{}), NewTransReassembler[int](TransConfig{})
	junk := TransResult{Status: TransDropped, Complete: true, Single: true, Request: true, TID: 9, PID: 9, UID: 9, MID: 9,
		Name: []byte("x"), Setup: []byte("x"), TotalParamCount: 9, TotalDataCount: 9, Params: []byte("x"), Data: []byte("x"),
		Fragments: []int{9}, CompletedIn: 9, Missing: []ByteRange{{}}, Err: errors.New("x"), HaveRequest: true,
		RequestFrame: 9, RequestName: []byte("x"), RequestSetup: []byte("x"), RequestParams: []byte("x"), RequestData: []byte("x")}
	complete := 0
	for pass := range 2 {
		for _, m := range msgs {
			want := a.Add(m.stream, transDecode(t, m.data), m.frame, m.ts)
			got := junk
			b.AddTo(&got, m.stream, transDecode(t, m.data), m.frame, m.ts)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("pass %d, frame %d: AddTo %+v, Add %+v", pass, m.frame, got, want)
			}
			if want.Complete {
				complete++
			}
		}
	}
	if complete == 0 {
		t.Fatal("no transaction completed")
	}
}

// TestTransPieceRoomReused: one reassembler merges the 24 real pieces of a
// reply again and again, in random orders; from the second time on the
// pieces are copied into the room the last completed transaction left
// (takePieces, insertPiece), and the reply is still the real one.
func TestTransPieceRoomReused(t *testing.T) {
	msgs := transCaptureMessages(t, transEnumCapture)
	_, resp := transSplit(t, msgs, 6, 4)
	decoded := make([]*dissect.SMB, len(resp))
	for i, m := range resp {
		decoded[i] = transDecode(t, m.data)
	}
	rng := rand.New(rand.NewSource(2))
	r := NewTransReassembler[int](TransConfig{})
	var res TransResult
	round := func() {
		for i, k := range rng.Perm(len(resp)) {
			r.AddTo(&res, 6, decoded[k], resp[k].frame, resp[k].ts)
			if res.Err != nil || res.Complete != (i == len(resp)-1) {
				t.Fatalf("piece %d: %v %v", i, res.Status, res.Err)
			}
		}
	}
	round()
	checkEnumReply(t, res)
	if len(r.pieceRoom) != 2 {
		t.Fatalf("%d piece lists kept after a transaction, want 2", len(r.pieceRoom))
	}
	fresh := testing.AllocsPerRun(5, round)
	checkEnumReply(t, res)
	r2 := NewTransReassembler[int](TransConfig{})
	first := testing.AllocsPerRun(1, func() {
		r2.pieceRoom = nil
		for _, k := range rng.Perm(len(resp)) {
			r2.AddTo(&res, 6, decoded[k], resp[k].frame, resp[k].ts)
		}
	})
	checkEnumReply(t, res)
	// Each piece copied afresh is an allocation; in room, none.
	if fresh > first-20 {
		t.Errorf("%.0f allocations a transaction with the room kept, %.0f without: the pieces were not copied into it", fresh, first)
	}
}
