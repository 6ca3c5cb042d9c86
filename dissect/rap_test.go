package dissect

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// Captures: the shared corpus (../shared/pcaps from the repo root) and the
// Samba lab captures in testdata/pcaps.
const (
	rapTestShared = "../../shared/pcaps/"
	rapTestLab    = "../testdata/pcaps/"

	rapTestWin10 = rapTestShared + "nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng"
	rapTestWfW   = rapTestShared + "netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng"
)

// rapTestCaptures are the captures whose RAP transactions are compared
// field by field with tshark (golden files in testdata/rap/).
var rapTestCaptures = []string{
	rapTestWin10,
	rapTestWfW,
	rapTestLab + "enum.pcapng",
	rapTestLab + "dmb.pcapng",
	rapTestLab + "two-workgroups.pcapng",
	rapTestLab + "election.pcapng",
	rapTestLab + "storm.pcapng",
}

var rapUpdate = flag.Bool("rap.update", false, "rewrite the RAP golden files in testdata/rap from tshark")

// ---- Test helpers: pull SMB_COM_TRANSACTION blocks out of a capture ----

type rapTestPkt struct {
	num  int
	data []byte
	lt   layers.LinkType
}

// rapTestRead reads every frame of a pcap or pcapng file (the tests ask
// repoOrCorpus for the path first).
func rapTestRead(tb testing.TB, path string) []rapTestPkt {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var magic [4]byte
	if _, err := io.ReadFull(f, magic[:]); err != nil {
		tb.Fatal(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		tb.Fatal(err)
	}
	type reader interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	var r reader
	var lt layers.LinkType
	if binary.LittleEndian.Uint32(magic[:]) == 0x0a0d0d0a {
		ng, err := pcapgo.NewNgReader(f, pcapgo.DefaultNgReaderOptions)
		if err != nil {
			tb.Fatal(err)
		}
		r, lt = ng, ng.LinkType()
	} else {
		pr, err := pcapgo.NewReader(f)
		if err != nil {
			tb.Fatal(err)
		}
		r, lt = pr, pr.LinkType()
	}
	var out []rapTestPkt
	for n := 1; ; n++ {
		data, _, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatalf("%s frame %d: %v", path, n, err)
		}
		out = append(out, rapTestPkt{n, append([]byte(nil), data...), lt})
	}
	return out
}

// rapTestSMB is one SMB message with the frame that completed it.
type rapTestSMB struct {
	frame int
	conv  string // conversation, the same for both directions
	msg   []byte // from \xffSMB
}

type rapTestSeg struct {
	seq   uint32
	data  []byte
	frame int
}

// rapTestSMBMessages finds the SMB messages of a capture: over TCP by
// reassembling each direction and walking the NBSS framing; over other
// transports (IPX, NetBEUI) by looking for \xffSMB in the frame.
func rapTestSMBMessages(tb testing.TB, pkts []rapTestPkt) []rapTestSMB {
	tb.Helper()
	type dirKey struct{ src, dst string }
	segs := map[dirKey][]rapTestSeg{}
	var order []dirKey
	var out []rapTestSMB
	for _, p := range pkts {
		pk := gopacket.NewPacket(p.data, p.lt, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
		if tl := pk.Layer(layers.LayerTypeTCP); tl != nil {
			tcp := tl.(*layers.TCP)
			if len(tcp.Payload) == 0 {
				continue
			}
			nl := pk.NetworkLayer()
			if nl == nil {
				continue
			}
			k := dirKey{nl.NetworkFlow().Src().String() + ":" + strconv.Itoa(int(tcp.SrcPort)),
				nl.NetworkFlow().Dst().String() + ":" + strconv.Itoa(int(tcp.DstPort))}
			if _, ok := segs[k]; !ok {
				order = append(order, k)
			}
			segs[k] = append(segs[k], rapTestSeg{tcp.Seq, tcp.Payload, p.num})
			continue
		}
		if i := bytes.Index(p.data, []byte("\xffSMB")); i >= 0 {
			out = append(out, rapTestSMB{p.num, "raw", p.data[i:]})
		}
	}
	for _, k := range order {
		ss := segs[k]
		sort.SliceStable(ss, func(i, j int) bool { return int32(ss[i].seq-ss[0].seq) < int32(ss[j].seq-ss[0].seq) })
		conv := k.src + "|" + k.dst
		if k.dst < k.src {
			conv = k.dst + "|" + k.src
		}
		// Contiguous stream with, for each segment, the frame and the end
		// offset of its bytes.
		var stream []byte
		var ends []int
		var frames []int
		next := ss[0].seq
		for _, s := range ss {
			d := int32(s.seq - next)
			data := s.data
			if d < 0 {
				if int(-d) >= len(data) {
					continue // retransmission
				}
				data = data[-d:]
			} else if d > 0 {
				break // a gap: stop here
			}
			stream = append(stream, data...)
			next += uint32(len(data))
			ends = append(ends, len(stream))
			frames = append(frames, s.frame)
		}
		frameAt := func(off int) int {
			i := sort.SearchInts(ends, off+1)
			if i >= len(frames) {
				return frames[len(frames)-1]
			}
			return frames[i]
		}
		for pos := 0; pos+4 <= len(stream); {
			n := int(stream[pos+1]&1)<<16 | int(binary.BigEndian.Uint16(stream[pos+2:]))
			if pos+4+n > len(stream) {
				break
			}
			if stream[pos] == 0 && n >= 4 && bytes.HasPrefix(stream[pos+4:], []byte("\xffSMB")) {
				out = append(out, rapTestSMB{frameAt(pos + 4 + n - 1), conv, stream[pos+4 : pos+4+n]})
			}
			pos += 4 + n
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].frame < out[j].frame })
	return out
}

// rapTestTrans is one SMB_COM_TRANSACTION request or response (fragment),
// [MS-CIFS] §2.2.4.33.
type rapTestTrans struct {
	frame                  int
	conv                   string
	reply                  bool
	mid                    uint16
	lanman                 bool // request on \PIPE\LANMAN
	tpc, tdc, pdisp, ddisp int
	params, data           []byte
	paramOff, dataOff      int
}

func rapTestParseTrans(m rapTestSMB) (rapTestTrans, bool) {
	msg := m.msg
	if len(msg) < 35 || msg[4] != 0x25 {
		return rapTestTrans{}, false
	}
	tr := rapTestTrans{frame: m.frame, conv: m.conv, reply: msg[9]&0x80 != 0,
		mid: binary.LittleEndian.Uint16(msg[30:])}
	wct := int(msg[32])
	if len(msg) < 33+2*wct+2 {
		return tr, false
	}
	w := func(i int) int { return int(binary.LittleEndian.Uint16(msg[33+2*i:])) }
	var pc, po, dc, do int
	if tr.reply {
		if wct < 10 {
			return tr, false
		}
		tr.tpc, tr.tdc = w(0), w(1)
		pc, po, tr.pdisp = w(3), w(4), w(5)
		dc, do, tr.ddisp = w(6), w(7), w(8)
	} else {
		if wct < 14 {
			return tr, false
		}
		tr.tpc, tr.tdc = w(0), w(1)
		pc, po, dc, do = w(9), w(10), w(11), w(12)
		bytesStart := 33 + 2*wct + 2
		end := po
		if end > len(msg) || end < bytesStart {
			end = len(msg)
		}
		name := msg[bytesStart:end]
		tr.lanman = bytes.Contains(name, []byte("LANMAN")) || bytes.Contains(name, []byte("L\x00A\x00N\x00M\x00A\x00N\x00"))
	}
	if po+pc > len(msg) || do+dc > len(msg) {
		return tr, false
	}
	tr.params, tr.data = msg[po:po+pc], msg[do:do+dc]
	tr.paramOff, tr.dataOff = po, do
	return tr, true
}

// rapTestCall is a \PIPE\LANMAN request and its reassembled response.
type rapTestCall struct {
	// respFrame is the first response message: with -2 and
	// smb.trans_reassembly, tshark shows the reassembled RAP response
	// there and calls the others "[transact continuation]".
	reqFrame, respFrame int
	reqParams, reqData  []byte
	params, data        []byte // response, reassembled by displacement
	fragments           int
}

// rapTestCalls pairs each \PIPE\LANMAN request with its response (same
// conversation and MID) and concatenates the response fragments by their
// ParameterDisplacement and DataDisplacement.
func rapTestCalls(tb testing.TB, path string) []rapTestCall {
	tb.Helper()
	type key struct {
		conv string
		mid  uint16
	}
	pending := map[key]*rapTestCall{}
	type partial struct {
		call       *rapTestCall
		pgot, dgot int
	}
	parts := map[key]*partial{}
	var calls []*rapTestCall
	for _, m := range rapTestSMBMessages(tb, rapTestRead(tb, path)) {
		tr, ok := rapTestParseTrans(m)
		if !ok {
			continue
		}
		k := key{tr.conv, tr.mid}
		if !tr.reply {
			if !tr.lanman {
				continue
			}
			c := &rapTestCall{reqFrame: tr.frame, reqParams: tr.params, reqData: tr.data}
			pending[k] = c
			delete(parts, k)
			continue
		}
		c := pending[k]
		if c == nil {
			continue
		}
		p := parts[k]
		if p == nil {
			p = &partial{call: c}
			parts[k] = p
			c.params = make([]byte, tr.tpc)
			c.data = make([]byte, tr.tdc)
		}
		if tr.pdisp+len(tr.params) <= len(c.params) {
			copy(c.params[tr.pdisp:], tr.params)
			p.pgot += len(tr.params)
		}
		if tr.ddisp+len(tr.data) <= len(c.data) {
			copy(c.data[tr.ddisp:], tr.data)
			p.dgot += len(tr.data)
		}
		if c.fragments == 0 {
			c.respFrame = tr.frame
		}
		c.fragments++
		if p.pgot >= len(c.params) && p.dgot >= len(c.data) {
			calls = append(calls, c)
			delete(pending, k)
			delete(parts, k)
		}
	}
	out := make([]rapTestCall, len(calls))
	for i, c := range calls {
		out[i] = *c
	}
	return out
}

// rapTestFields lists the fields compared with tshark: every lanman.* field
// except the date/time ones (printed in the local time zone), the generic
// smb_pipe parameters and the server type bitmap.
func rapTestFields() []string {
	var out []string
	for _, a := range WiresharkAbbrevs("lanman") {
		id, ok := LookupField(a)
		if !ok {
			continue
		}
		if ty := Field(id).Type; ty == FTAbsTime || ty == FTRelTime {
			continue
		}
		out = append(out, a)
	}
	out = append(out, "smb_pipe.word_param", "smb_pipe.doubleword_param", "smb_pipe.byte_param",
		"smb_pipe.bytes_param", "smb_pipe.string_param")
	out = append(out, "browser.server_type", "browser.server_type.workstation", "browser.server_type.server",
		"browser.server_type.ntw", "browser.server_type.nts", "browser.server_type.browser.potential",
		"browser.server_type.browser.backup", "browser.server_type.browser.master",
		"browser.server_type.browser.domain_master", "browser.server_type.local", "browser.server_type.domainenum")
	return out
}

// rapTestValue prints a node's value the way tshark -T fields does.
func rapTestValue(n *Node) string {
	fi := Field(n.Field)
	switch {
	case fi.Type == FTNone:
		return "1"
	case fi.Type == FTBoolean:
		if n.U != 0 {
			return "1"
		}
		return "0"
	case fi.Type.IsSigned():
		return strconv.FormatInt(int64(n.U), 10)
	case fi.Type.IsInteger():
		if fi.Base == BaseHex || fi.Base == BaseHexDec {
			w := map[FieldType]int{FTUint8: 2, FTUint16: 4, FTUint24: 6, FTUint32: 8}[fi.Type]
			return fmt.Sprintf("0x%0*x", w, n.U)
		}
		return strconv.FormatUint(n.U, 10)
	case fi.Type.IsString():
		var b strings.Builder
		for _, c := range n.S {
			switch {
			case c >= 0x80:
				b.WriteString("\ufffd")
			case c < 0x20 || c == 0x7f:
				fmt.Fprintf(&b, "\\x%02x", c)
			default:
				b.WriteByte(c)
			}
		}
		return b.String()
	case fi.Type == FTBytes:
		return hex.EncodeToString(n.S)
	}
	return ""
}

// rapTestRow prints the fields of a tree as a tshark -T fields row
// (occurrences joined with ',').
func rapTestRow(t *Tree, fields []string) []string {
	row := make([]string, len(fields))
	for i, a := range fields {
		id, ok := LookupField(a)
		if !ok {
			continue
		}
		var vals []string
		t.Each(id, func(n *Node) { vals = append(vals, rapTestValue(n)) })
		row[i] = strings.Join(vals, ",")
	}
	return row
}

// rapTestOurs decodes every \PIPE\LANMAN call of a capture and prints one
// row per frame, as "tshark -Y lanman -T fields" does.
func rapTestOurs(tb testing.TB, path string, fields []string) map[int][]string {
	tb.Helper()
	rows := map[int][]string{}
	for _, c := range rapTestCalls(tb, path) {
		var req RAPRequest
		_ = req.Decode(c.reqParams, c.reqData)
		var t Tree
		req.AppendTree(&t)
		rows[c.reqFrame] = rapTestRow(&t, fields)
		info := req.Info()
		var resp RAPResponse
		_ = resp.Decode(c.params, c.data, &info)
		t.Reset()
		resp.AppendTree(&t)
		rows[c.respFrame] = rapTestRow(&t, fields)
	}
	return rows
}

// rapTestTsharkArgs is the documented command that recorded the golden
// files: tshark -n -2 -o smb.trans_reassembly:TRUE -r CAPTURE -Y lanman -T
// fields -E header=y -E occurrence=a -E separator=/t -e frame.number -e
// FIELD...
func rapTestTsharkArgs(path string, fields []string) []string {
	args := []string{"-n", "-2", "-o", "smb.trans_reassembly:TRUE", "-r", path, "-Y", "lanman",
		"-T", "fields", "-E", "header=y", "-E", "occurrence=a", "-E", "separator=/t", "-e", "frame.number"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	return args
}

// rapTestParseTSV reads tshark's output: header line, then one row per
// frame keyed by frame.number.
func rapTestParseTSV(tb testing.TB, text string, fields []string) map[int][]string {
	tb.Helper()
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) == 0 || lines[0] != "frame.number\t"+strings.Join(fields, "\t") {
		tb.Fatalf("golden header does not match the field list (regenerate with -rap.update):\n%.200s", lines[0])
	}
	rows := map[int][]string{}
	for _, l := range lines[1:] {
		cols := strings.Split(l, "\t")
		n, err := strconv.Atoi(cols[0])
		if err != nil || len(cols) != len(fields)+1 {
			tb.Fatalf("bad golden row %q", l)
		}
		rows[n] = cols[1:]
	}
	return rows
}

func rapTestCompare(t *testing.T, name string, want, got map[int][]string, fields []string) {
	t.Helper()
	var frames []int
	for n := range want {
		frames = append(frames, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			frames = append(frames, n)
		}
	}
	sort.Ints(frames)
	for _, n := range frames {
		w, okw := want[n]
		g, okg := got[n]
		switch {
		case !okw:
			t.Errorf("%s frame %d: we decode RAP, tshark does not", name, n)
		case !okg:
			t.Errorf("%s frame %d: tshark decodes RAP, we do not", name, n)
		default:
			for i, f := range fields {
				if w[i] != g[i] {
					t.Errorf("%s frame %d %s: tshark %q, ours %q", name, n, f, w[i], g[i])
				}
			}
		}
	}
}

func rapTestGoldenPath(capture string) string {
	base := strings.TrimSuffix(filepath.Base(capture), filepath.Ext(capture))
	return filepath.Join("testdata", "rap", base+".tsv")
}

// ---- Field-by-field comparison with tshark ----

// TestRAPGolden compares every \PIPE\LANMAN frame of each capture with the
// fields tshark 4.0.17 printed for it, recorded once in testdata/rap/ with
// the command of rapTestTsharkArgs (go test -run TestRAPGolden -rap.update
// rewrites them when tshark is installed).
func TestRAPGolden(t *testing.T) {
	fields := rapTestFields()
	for _, c := range rapTestCaptures {
		c := c
		t.Run(filepath.Base(c), func(t *testing.T) {
			c := repoOrCorpus(t, c)
			golden := rapTestGoldenPath(c)
			if *rapUpdate {
				out, err := exec.Command("tshark", rapTestTsharkArgs(c, fields)...).Output()
				if err != nil {
					t.Fatalf("tshark: %v", err)
				}
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			text, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("golden file: %v (record it with -rap.update)", err)
			}
			want := rapTestParseTSV(t, string(text), fields)
			got := rapTestOurs(t, c, fields)
			// A capture without RAP (election, storm) checks that we find
			// none either.
			rapTestCompare(t, filepath.Base(c), want, got, fields)
			rapTestCheckTyped(t, c, want, fields)
		})
	}
}

// rapTestCheckTyped checks the typed result (what the timeline sees)
// against tshark's columns: status, counts, and the server and share lists.
func rapTestCheckTyped(t *testing.T, capture string, want map[int][]string, fields []string) {
	t.Helper()
	col := func(row []string, f string) string {
		for i, x := range fields {
			if x == f {
				return row[i]
			}
		}
		t.Fatalf("no column %s", f)
		return ""
	}
	for _, c := range rapTestCalls(t, capture) {
		var q RAPRequest
		_ = q.Decode(c.reqParams, c.reqData)
		info := q.Info()
		var r RAPResponse
		_ = r.Decode(c.params, c.data, &info)
		row, ok := want[c.respFrame]
		if !ok {
			continue
		}
		var names, types, comments []string
		for _, s := range r.Servers {
			names = append(names, string(s.Name))
			if s.HasInfo {
				types = append(types, fmt.Sprintf("0x%08x", uint32(s.Type)))
				comments = append(comments, string(s.Comment))
			}
		}
		var snames, stypes, scomments []string
		for _, s := range r.Shares {
			snames = append(snames, string(s.Name))
			if s.HasType {
				stypes = append(stypes, strconv.Itoa(int(s.Type)))
				scomments = append(scomments, string(s.Comment))
			}
		}
		type check struct{ field, got string }
		checks := []check{
			{"lanman.status", strconv.Itoa(int(r.Status))},
			{"lanman.convert", strconv.Itoa(int(r.Converter))},
		}
		if r.HasEntryCount {
			checks = append(checks, check{"lanman.entry_count", strconv.Itoa(int(r.EntryCount))})
		}
		switch {
		case r.Function.IsServerEnum():
			checks = append(checks, check{"lanman.server.name", strings.Join(names, ",")},
				check{"browser.server_type", strings.Join(types, ",")},
				check{"lanman.server.comment", strings.Join(comments, ",")})
		case r.Function == RAPNetShareEnum && info.Level == 1:
			checks = append(checks, check{"lanman.share.name", strings.Join(snames, ",")},
				check{"lanman.share.type", strings.Join(stypes, ",")},
				check{"lanman.share.comment", strings.Join(scomments, ",")})
		}
		for _, ck := range checks {
			if w := col(row, ck.field); w != ck.got {
				t.Errorf("%s frame %d typed %s: %q, tshark %q", filepath.Base(capture), c.respFrame, ck.field, ck.got, w)
			}
		}
		if a := col(row, "lanman.available_count"); r.HasAvailable && r.Function.IsServerEnum() && a != strconv.Itoa(int(r.Available)) {
			t.Errorf("%s frame %d typed available %d, tshark %q", filepath.Base(capture), c.respFrame, r.Available, a)
		}
	}
}

// TestRAPTshark is the live differential: the same comparison against the
// installed tshark. tshark takes one to two seconds to start whatever the
// capture, so by default it runs (in parallel) on the two richest captures,
// the Windows 10 NetServerEnum2 one and the lab's enum.pcapng; the golden
// test covers the rest. NBTSNIFF_RAP_ALL=1 sweeps every capture of the
// corpus (synthetic ones included) and of the lab. It skips when tshark is
// not installed, and with -short.
func TestRAPTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tshark")
	}
	if _, err := exec.LookPath("tshark"); err != nil {
		corpus.Skip(t, "tshark not installed")
	}
	fields := rapTestFields()
	caps := []string{rapTestWin10, rapTestLab + "enum.pcapng"}
	if os.Getenv("NBTSNIFF_RAP_ALL") != "" {
		caps = nil
		for _, dir := range []string{rapTestShared, rapTestShared + "synthetic/", rapTestLab} {
			for _, pat := range []string{"*.pcap", "*.pcapng"} {
				m, _ := filepath.Glob(filepath.Join(dir, pat))
				caps = append(caps, m...)
			}
		}
	}
	for _, c := range caps {
		c := c
		t.Run(filepath.Base(c), func(t *testing.T) {
			c := repoOrCorpus(t, c)
			t.Parallel()
			out, err := exec.Command("tshark", rapTestTsharkArgs(c, fields)...).Output()
			if err != nil {
				t.Fatalf("tshark: %v", err)
			}
			want := rapTestParseTSV(t, string(out), fields)
			if len(want) == 0 {
				if os.Getenv("NBTSNIFF_RAP_ALL") == "" {
					t.Fatal("tshark finds no RAP in a capture chosen for its RAP")
				}
				return // NBTSNIFF_RAP_ALL: a capture without RAP
			}
			rapTestCompare(t, filepath.Base(c), want, rapTestOurs(t, c, fields), fields)
		})
	}
}

// ---- Real frames ----

// rapHex decodes a hex literal written with spaces and comments removed.
func rapHex(tb testing.TB, parts ...string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(strings.Join(parts, ""), " ", ""))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Requests. Each literal is the SMB_COM_TRANSACTION parameter block.
var rapTestRequests = []struct {
	name    string
	params  []string
	fn      RAPFunction
	pd, dd  string
	level   uint16
	recvLen uint16
	types   uint32 // 0: no server type parameter
	info    string
}{
	{
		// nbss139-smb1-rap-netserverenum2-win10-...pcapng frame 246:
		// "LANMAN NetServerEnum2 Request, Workstation, Server, ... Domain Enum"
		name: "win10 frame 246",
		params: []string{
			"6800",             // function code 104 NetServerEnum2
			"57724c6568444f00", // param desc "WrLehDO"
			"4231364242447a00", // data desc "B16BBDz"
			"0100",             // W level 1
			"1611",             // L receive buffer 4374
			"ffffffff",         // D server type; O: no domain
		},
		fn: RAPNetServerEnum2, pd: "WrLehDO", dd: "B16BBDz", level: 1, recvLen: 4374, types: 0xffffffff,
		info: "NetServerEnum2 request, level 1, types 0xffffffff",
	},
	{
		// win10 frame 248: "LANMAN NetServerEnum2 Request, Domain Enum"
		name:   "win10 frame 248",
		params: []string{"6800", "57724c6568444f00", "4231364242447a00", "0100", "1611", "00000080"},
		fn:     RAPNetServerEnum2, pd: "WrLehDO", dd: "B16BBDz", level: 1, recvLen: 4374, types: 0x80000000,
		info: "NetServerEnum2 request, level 1, types 0x80000000",
	},
	{
		// netbios-legacy-wfw311-...pcapng frame 128 (SMB over IPX):
		// "LANMAN NetShareEnum Request"
		name: "wfw311 frame 128",
		params: []string{
			"0000",           // function code 0 NetShareEnum
			"57724c656800",   // param desc "WrLeh"
			"42313342577a00", // data desc "B13BWz"
			"0100",           // W level 1
			"0020",           // L receive buffer 8192
		},
		fn: RAPNetShareEnum, pd: "WrLeh", dd: "B13BWz", level: 1, recvLen: 8192,
		info: "NetShareEnum request, level 1",
	},
}

func TestRAPRequestRealFrames(t *testing.T) {
	for _, tc := range rapTestRequests {
		t.Run(tc.name, func(t *testing.T) {
			var r RAPRequest
			if err := r.Decode(rapHex(t, tc.params...), nil); err != nil {
				t.Fatal(err)
			}
			if r.Function != tc.fn || string(r.ParamDesc) != tc.pd || string(r.DataDesc) != tc.dd {
				t.Errorf("function %d %q %q, want %d %q %q", r.Function, r.ParamDesc, r.DataDesc, tc.fn, tc.pd, tc.dd)
			}
			if !r.HasLevel || r.Level != tc.level || !r.HasRecvBufLen || r.RecvBufLen != tc.recvLen {
				t.Errorf("level %d (%v), buffer %d (%v)", r.Level, r.HasLevel, r.RecvBufLen, r.HasRecvBufLen)
			}
			if r.HasServerType != (tc.types != 0) || uint32(r.ServerType) != tc.types {
				t.Errorf("server type %#x (%v), want %#x", uint32(r.ServerType), r.HasServerType, tc.types)
			}
			if r.HasDomain || r.HasAuxDesc {
				t.Errorf("domain %q aux %q: the descriptor has O and there is no auxiliary descriptor", r.Domain, r.AuxDesc)
			}
			if got := string(r.AppendInfo(nil)); got != tc.info {
				t.Errorf("info %q, want %q", got, tc.info)
			}
			i := r.Info()
			if i.Function != tc.fn || i.Level != int32(tc.level) || i.ParamDesc.String() != tc.pd ||
				i.DataDesc.String() != tc.dd || !i.HasParamDesc || !i.HasDataDesc || i.HasAuxDesc {
				t.Errorf("info %+v", i)
			}
		})
	}
}

// Responses: parameter and data blocks, with the request they answer.
var rapTestResponses = []struct {
	name          string
	req           int // index in rapTestRequests
	params, data  []string
	status        RAPStatus
	conv          uint16
	count, avail  uint16
	servers       []RAPServer
	shares        []RAPShare
	info          string
	truncatedList bool
}{
	{
		// win10 frame 247: "LANMAN NetServerEnum2 Response"; tshark -V:
		// DESKTOP-V1FA0UQ 10.0 0x00011003 comment "", SCV 6.3 0x00051003 "".
		name: "win10 frame 247", req: 0,
		params: []string{"0000", "0000", "0200", "0200"}, // status 0, converter 0, e 2, h 2
		data: []string{
			"4445534b544f502d5631464130555100", "0a", "00", "03100100", "34000000", // B16 "DESKTOP-V1FA0UQ", 10, 0, type, z -> 52
			"53435600000000000000000000000000", "06", "03", "03100500", "35000000", // B16 "SCV", 6, 3, type, z -> 53
			"00", "00", // the two empty comments
		},
		conv: 0, count: 2, avail: 2,
		servers: []RAPServer{
			{Name: []byte("DESKTOP-V1FA0UQ"), Major: 10, Minor: 0, Type: 0x00011003, Comment: []byte{}, HasInfo: true},
			{Name: []byte("SCV"), Major: 6, Minor: 3, Type: 0x00051003, Comment: []byte{}, HasInfo: true},
		},
		info: "NetServerEnum2 response, 2 of 2 entries",
	},
	{
		// win10 frame 249: "LANMAN NetServerEnum2 Response": WORKGROUP 3.10
		// 0x80001000 comment "SCV" (the workgroup's master browser).
		name: "win10 frame 249", req: 1,
		params: []string{"0000", "0000", "0100", "0100"},
		data: []string{
			"574f524b47524f555000000000000000", "03", "0a", "00100080", "1a000000", // "WORKGROUP", 3, 10, type, z -> 26
			"53435600", // "SCV"
		},
		count: 1, avail: 1,
		servers: []RAPServer{{Name: []byte("WORKGROUP"), Major: 3, Minor: 10, Type: 0x80001000, Comment: []byte("SCV"), HasInfo: true}},
		info:    "NetServerEnum2 response, 1 of 1 entries",
	},
	{
		// wfw311 frame 129: "LANMAN NetShareEnum Response": Convert 31889,
		// IPC$ type IPC (3) comment "Remote IPC".
		name: "wfw311 frame 129", req: 2,
		params: []string{"0000", "917c", "0100", "0100"},
		data: []string{
			"49504324000000000000000000", "bd", "0300", "a57cc28f", // B13 "IPC$", pad, W 3, z 0x8fc27ca5 -> 0x7ca5-31889 = 20
			"52656d6f74652049504300", // "Remote IPC"
		},
		conv: 31889, count: 1, avail: 1,
		shares: []RAPShare{{Name: []byte("IPC$"), Type: RAPShareIPC, Comment: []byte("Remote IPC"), HasType: true}},
		info:   "NetShareEnum response, 1 entry",
	},
	{
		// wfw311 frame 293: "LANMAN NetShareEnum Response": Convert 34772,
		// MY_SHARE Directory tree (0) "My Files", IPC$ IPC (3) "Remote IPC".
		name: "wfw311 frame 293", req: 2,
		params: []string{"0000", "d487", "0200", "0200"},
		data: []string{
			"4d595f534841524500000000" + "00", "bd", "0000", "0788c28f", // "MY_SHARE", pad, 0, z -> 0x8807-34772 = 51
			"49504324000000000000000000", "bd", "0300", "fc87c28f", // "IPC$", pad, 3, z -> 40
			"52656d6f74652049504300", // "Remote IPC"
			"4d792046696c657300",     // "My Files"
		},
		conv: 34772, count: 2, avail: 2,
		shares: []RAPShare{
			{Name: []byte("MY_SHARE"), Type: RAPShareDisk, Comment: []byte("My Files"), HasType: true},
			{Name: []byte("IPC$"), Type: RAPShareIPC, Comment: []byte("Remote IPC"), HasType: true},
		},
		info: "NetShareEnum response, 2 entries",
	},
}

func rapTestInfo(tb testing.TB, i int) RAPRequestInfo {
	tb.Helper()
	var q RAPRequest
	if err := q.Decode(rapHex(tb, rapTestRequests[i].params...), nil); err != nil {
		tb.Fatal(err)
	}
	return q.Info()
}

func TestRAPResponseRealFrames(t *testing.T) {
	for _, tc := range rapTestResponses {
		t.Run(tc.name, func(t *testing.T) {
			info := rapTestInfo(t, tc.req)
			var r RAPResponse
			if err := r.Decode(rapHex(t, tc.params...), rapHex(t, tc.data...), &info); err != nil {
				t.Fatal(err)
			}
			if r.Status != tc.status || r.Converter != tc.conv || r.EntryCount != tc.count || r.Available != tc.avail ||
				!r.HasEntryCount || !r.HasAvailable {
				t.Errorf("status %d converter %d entries %d/%d", r.Status, r.Converter, r.EntryCount, r.Available)
			}
			if !rapServersEqual(r.Servers, tc.servers) {
				t.Errorf("servers\n got %s\nwant %s", rapFmtServers(r.Servers), rapFmtServers(tc.servers))
			}
			if !rapSharesEqual(r.Shares, tc.shares) {
				t.Errorf("shares\n got %s\nwant %s", rapFmtShares(r.Shares), rapFmtShares(tc.shares))
			}
			if got := string(r.AppendInfo(nil)); got != tc.info {
				t.Errorf("info %q, want %q", got, tc.info)
			}
			if r.Truncated() || r.ExtraParams != 0 {
				t.Errorf("truncated %v extra %d", r.Truncated(), r.ExtraParams)
			}
		})
	}
}

func rapServersEqual(a, b []RAPServer) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if !bytes.Equal(x.Name, y.Name) || x.Major != y.Major || x.Minor != y.Minor || x.Type != y.Type ||
			!bytes.Equal(x.Comment, y.Comment) || (x.Comment == nil) != (y.Comment == nil) || x.HasInfo != y.HasInfo ||
			(x.Err == nil) != (y.Err == nil) {
			return false
		}
	}
	return true
}

func rapFmtServers(s []RAPServer) string {
	var b strings.Builder
	for _, x := range s {
		fmt.Fprintf(&b, "{%q %d.%d %#08x %q info=%v err=%v} ", x.Name, x.Major, x.Minor, uint32(x.Type), x.Comment, x.HasInfo, x.Err)
	}
	return b.String()
}

func rapSharesEqual(a, b []RAPShare) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if !bytes.Equal(x.Name, y.Name) || x.Type != y.Type || !bytes.Equal(x.Comment, y.Comment) || x.HasType != y.HasType ||
			(x.Err == nil) != (y.Err == nil) {
			return false
		}
	}
	return true
}

func rapFmtShares(s []RAPShare) string {
	var b strings.Builder
	for _, x := range s {
		fmt.Fprintf(&b, "{%q %v %q err=%v} ", x.Name, x.Type, x.Comment, x.Err)
	}
	return b.String()
}

// TestRAPTreeOffsets checks where the nodes of a response point: the
// parameter block at the layer start, the data block at DataOffset, the
// comment at the converted pointer (win10 frame 249).
func TestRAPTreeOffsets(t *testing.T) {
	tc := rapTestResponses[1]
	info := rapTestInfo(t, tc.req)
	var r RAPResponse
	if err := r.Decode(rapHex(t, tc.params...), rapHex(t, tc.data...), &info); err != nil {
		t.Fatal(err)
	}
	// In frame 249 the SMB parameters start at offset 0x38 of the SMB
	// message and the data at 0x40: DataOffset is the difference.
	r.DataOffset = 8
	var tr Tree
	tr.Base = 100
	r.AppendTree(&tr)
	check := func(f FieldID, off, n int) {
		t.Helper()
		nd := tr.First(f)
		if nd == nil {
			t.Fatalf("no %s node", Field(f).Abbrev)
		}
		if int(nd.Off) != off || int(nd.Len) != n {
			t.Errorf("%s at %d+%d, want %d+%d", Field(f).Abbrev, nd.Off, nd.Len, off, n)
		}
	}
	check(FieldRAP, 100, 8)
	check(fRAPStatus, 100, 2)
	check(fRAPEntryCount, 104, 2)
	check(fRAPServer, 108, 26)
	check(fRAPServerName, 108, 16)
	check(fRAPServerType, 126, 4)
	check(fRAPServerComment, 108+26, 4) // "SCV" and its NUL at data offset 26
	if tr.Depth() != 0 || tr.Base != 100 || tr.Src != 0 {
		t.Errorf("tree left at depth %d base %d src %d", tr.Depth(), tr.Base, tr.Src)
	}
	if n := tr.First(fRAPServer); n == nil || string(n.S) != "WORKGROUP" {
		t.Errorf("server entry line should carry the name, as tshark's \"Server: WORKGROUP\"")
	}
}

// ---- Quirks ----

// rapTestResp decodes response i of rapTestResponses after edit changes its
// parameter and data blocks (copies).
func rapTestResp(t *testing.T, i int, edit func(p, d []byte) ([]byte, []byte)) *RAPResponse {
	t.Helper()
	tc := rapTestResponses[i]
	p, d := rapHex(t, tc.params...), rapHex(t, tc.data...)
	if edit != nil {
		p, d = edit(p, d)
	}
	info := rapTestInfo(t, tc.req)
	r := new(RAPResponse)
	_ = r.Decode(p, d, &info)
	return r
}

func TestRAPQuirks(t *testing.T) {
	t.Run("whole buffer in the parameters", func(t *testing.T) {
		// Frame 247's 8 parameter bytes followed by 1024 bytes of the
		// server's buffer: the descriptor "WrLehDO" returns e and h only.
		r := rapTestResp(t, 0, func(p, d []byte) ([]byte, []byte) {
			return append(p, make([]byte, 1024)...), d
		})
		if r.Err != nil || r.EntryCount != 2 || r.Available != 2 || len(r.Servers) != 2 || r.ExtraParams != 1024 {
			t.Errorf("err %v entries %d/%d servers %d extra %d", r.Err, r.EntryCount, r.Available, len(r.Servers), r.ExtraParams)
		}
	})
	t.Run("fewer entries than available", func(t *testing.T) {
		// Frame 249 with EntriesAvailable 20: a list cut short.
		r := rapTestResp(t, 1, func(p, d []byte) ([]byte, []byte) {
			binary.LittleEndian.PutUint16(p[6:], 20)
			return p, d
		})
		if r.Err != nil || !r.Truncated() || len(r.Servers) != 1 {
			t.Errorf("err %v truncated %v servers %d", r.Err, r.Truncated(), len(r.Servers))
		}
		if got, want := string(r.AppendInfo(nil)), "NetServerEnum2 response, 1 of 20 entries (truncated)"; got != want {
			t.Errorf("info %q, want %q", got, want)
		}
	})
	t.Run("ERROR_MORE_DATA with partial entries", func(t *testing.T) {
		// Frame 247 as a partial answer: status 234, 2 of 45 entries.
		r := rapTestResp(t, 0, func(p, d []byte) ([]byte, []byte) {
			binary.LittleEndian.PutUint16(p[0:], 234)
			binary.LittleEndian.PutUint16(p[6:], 45)
			return p, d
		})
		if r.Err != nil || r.Status != RAPMoreData || !r.Truncated() || len(r.Servers) != 2 ||
			string(r.Servers[1].Name) != "SCV" {
			t.Errorf("err %v status %v truncated %v servers %s", r.Err, r.Status, r.Truncated(), rapFmtServers(r.Servers))
		}
		if got, want := string(r.AppendInfo(nil)), "NetServerEnum2 response, status 234 (ERROR_MORE_DATA), 2 of 45 entries"; got != want {
			t.Errorf("info %q, want %q", got, want)
		}
	})
	t.Run("error status without values", func(t *testing.T) {
		// [MS-RAP] §3.2.5.2: an error status may come with only the status
		// and converter (here ERROR_ACCESS_DENIED) and no data.
		r := rapTestResp(t, 0, func(p, d []byte) ([]byte, []byte) {
			binary.LittleEndian.PutUint16(p[0:], 5)
			return p[:4], nil
		})
		if r.Err != nil || r.Status != RAPAccessDenied || r.HasEntryCount || len(r.Servers) != 0 {
			t.Errorf("err %v status %v", r.Err, r.Status)
		}
		if got, want := string(r.AppendInfo(nil)), "NetServerEnum2 response, status 5 (ERROR_ACCESS_DENIED)"; got != want {
			t.Errorf("info %q, want %q", got, want)
		}
	})
	t.Run("request not captured", func(t *testing.T) {
		tc := rapTestResponses[0]
		var r RAPResponse
		if err := r.Decode(rapHex(t, tc.params...), rapHex(t, tc.data...), nil); err != nil {
			t.Fatal(err)
		}
		if r.HasRequest || r.Status != 0 || r.Converter != 0 || r.HasEntryCount || len(r.Servers) != 0 {
			t.Errorf("%+v", r)
		}
		var tr Tree
		r.AppendTree(&tr)
		if tr.First(fRAPParamNoDesc) == nil || tr.First(fRAPDataNoDesc) == nil {
			t.Error("parameters and data should be shown raw (lanman.param_no_descriptor, lanman.data_no_descriptor)")
		}
		if got, want := string(r.AppendInfo(nil)), "RAP response (request not seen)"; got != want {
			t.Errorf("info %q, want %q", got, want)
		}
	})
	t.Run("interim response", func(t *testing.T) {
		info := rapTestInfo(t, 0)
		var r RAPResponse
		if err := r.Decode(nil, nil, &info); err != nil || !r.Interim {
			t.Fatalf("err %v interim %v", err, r.Interim)
		}
		if got, want := string(r.AppendInfo(nil)), "NetServerEnum2 interim response"; got != want {
			t.Errorf("info %q, want %q", got, want)
		}
	})
	t.Run("hidden share", func(t *testing.T) {
		r := rapTestResp(t, 3, nil)
		if r.Shares[0].Hidden() || !r.Shares[1].Hidden() {
			t.Errorf("MY_SHARE hidden %v, IPC$ hidden %v", r.Shares[0].Hidden(), r.Shares[1].Hidden())
		}
	})
	t.Run("share type as a doubleword", func(t *testing.T) {
		// Frame 129 with the type described as D ("B13BDz") and sent with
		// STYPE_SPECIAL ([MS-SRVS] §2.2.2.4): the type keeps its flags.
		// tshark notes "type is wrong" and shows no lanman.share.type.
		info := rapTestInfo(t, 2)
		info.DataDesc, _ = MakeRAPDescriptor([]byte("B13BDz"))
		// The structure is 2 bytes longer, so the comment pointer is frame
		// 129's plus 2: 0x7ca7 - 31889 = 22.
		d := rapHex(t, "49504324000000000000000000", "bd", "03000080", "a77cc28f", "52656d6f74652049504300")
		var r RAPResponse
		if err := r.Decode(rapHex(t, "0000", "917c", "0100", "0100"), d, &info); err != nil {
			t.Fatal(err)
		}
		s := r.Shares[0]
		if string(s.Comment) != "Remote IPC" || !s.HasType || s.Type.Base() != RAPShareIPC || !s.Type.Special() || s.Type.Temporary() || !s.Hidden() {
			t.Errorf("share %s: type %#x", rapFmtShares(r.Shares), uint32(s.Type))
		}
		var tr Tree
		r.AppendTree(&tr)
		if tr.First(fRAPShareType) != nil {
			t.Error("tshark shows no lanman.share.type for a D letter")
		}
	})
	t.Run("level 0", func(t *testing.T) {
		// NetServerEnum2 level 0 ("B16"): names only. Frame 246 asking for
		// level 0, and frame 249's first 16 data bytes as the answer.
		p := rapHex(t, "6800", "57724c6568444f00", "42313600", "0000", "1611", "00000080")
		var q RAPRequest
		if err := q.Decode(p, nil); err != nil {
			t.Fatal(err)
		}
		info := q.Info()
		var r RAPResponse
		if err := r.Decode(rapHex(t, "0000", "0000", "0100", "0100"), rapHex(t, "574f524b47524f555000000000000000"), &info); err != nil {
			t.Fatal(err)
		}
		want := []RAPServer{{Name: []byte("WORKGROUP")}}
		if !rapServersEqual(r.Servers, want) {
			t.Errorf("got %s", rapFmtServers(r.Servers))
		}
	})
}

// ---- Malformed input ----

// rapTestSub replaces the first occurrence of old in b (copy).
func rapTestSub(b []byte, old, new string) []byte {
	return bytes.Replace(append([]byte(nil), b...), []byte(old), []byte(new), 1)
}

func TestRAPMalformedRequests(t *testing.T) {
	p246 := rapHex(t, rapTestRequests[0].params...)
	cases := []struct {
		name   string
		params []byte
		want   error
		fn     RAPFunction // still decoded
	}{
		{"empty", nil, ErrTruncated, 0},
		{"one byte", p246[:1], ErrTruncated, 0},
		{"no NUL after the parameter descriptor", p246[:8], ErrTruncated, 104},
		{"no NUL after the data descriptor", p246[:16], ErrTruncated, 104},
		{"unknown letter Q in the parameter descriptor", rapTestSub(p246, "WrLehDO", "WrLehQO"), ErrMalformed, 104},
		{"internal-only letter A in the data descriptor", rapTestSub(p246, "B16BBDz", "B16BBAz"), ErrMalformed, 104},
		{"count without a letter", rapTestSub(p246, "WrLehDO", "5rLehDO"), ErrMalformed, 104},
		{"count too large", rapTestSub(p246, "B16BBDz", "B99999D"), ErrMalformed, 104},
		{"level past the end", p246[:19], ErrTruncated, 104},
		{"server type past the end", p246[:24], ErrTruncated, 104},
		{"domain without its NUL", append(rapTestSub(p246, "WrLehDO", "WrLehDz"), 'L', 'A', 'B'), ErrTruncated, 104},
		{"auxiliary descriptor without its NUL", append(append([]byte(nil), p246...), 'B'), ErrTruncated, 104},
		{"parameter descriptor longer than MaxRAPDescriptor",
			append(append([]byte{0x68, 0}, bytes.Repeat([]byte("W"), MaxRAPDescriptor+1)...), 0, 0), ErrLimit, 104},
		{"byte count on a one-byte field is data only", rapTestSub(p246, "WrLehDO", "WrLehDOb3"), ErrTruncated, 104},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r RAPRequest
			err := r.Decode(tc.params, nil)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if r.Err != err || r.Function != tc.fn {
				t.Errorf("Err %v function %d", r.Err, r.Function)
			}
			var de *DecodeError
			if !errors.As(err, &de) || de.Proto != "rap" || !strings.HasPrefix(err.Error(), "rap: ") {
				t.Errorf("error %q is not a rap DecodeError", err)
			}
			var tr Tree
			r.AppendTree(&tr)
			last := tr.Nodes[len(tr.Nodes)-1]
			if last.Flags&NodeError == 0 || !strings.HasPrefix(last.Label, "[Malformed: ") {
				t.Errorf("tree should end with the malformed note, ends with %+v", last)
			}
			if tr.Depth() != 0 {
				t.Errorf("tree left open at depth %d", tr.Depth())
			}
		})
	}
}

func TestRAPMalformedResponses(t *testing.T) {
	i247 := rapTestInfo(t, 0)
	p247, d247 := rapHex(t, rapTestResponses[0].params...), rapHex(t, rapTestResponses[0].data...)
	p249, d249 := rapHex(t, rapTestResponses[1].params...), rapHex(t, rapTestResponses[1].data...)
	withDesc := func(pd, dd string, level int32) *RAPRequestInfo {
		i := i247
		i.ParamDesc, _ = MakeRAPDescriptor([]byte(pd))
		i.DataDesc, _ = MakeRAPDescriptor([]byte(dd))
		i.Level = level
		return &i
	}
	put32 := func(b []byte, off int, v uint32) []byte {
		b = append([]byte(nil), b...)
		binary.LittleEndian.PutUint32(b[off:], v)
		return b
	}
	put16 := func(b []byte, off int, v uint16) []byte {
		b = append([]byte(nil), b...)
		binary.LittleEndian.PutUint16(b[off:], v)
		return b
	}
	cases := []struct {
		name     string
		params   []byte
		data     []byte
		info     *RAPRequestInfo
		want     error
		servers  int   // typed entries kept
		errorsOn []int // 1-based entries carrying their own error
		soft     bool  // decoding went on after the error
	}{
		{"status only", p247[:1], nil, &i247, ErrTruncated, 0, nil, false},
		{"no converter", p247[:3], nil, &i247, ErrTruncated, 0, nil, false},
		{"success without entry count", p247[:4], d247, &i247, ErrTruncated, 0, nil, false},
		{"entry count past the data", put16(p249, 4, 5), d249, &i247, ErrTruncated, 2, []int{2}, false},
		{"entries but no data block", p247, nil, &i247, ErrTruncated, 0, nil, false},
		{"first comment pointer out of range", p247, put32(d247, 22, 0x00007000), &i247, ErrMalformed, 2, []int{1}, true},
		{"converter above every pointer", put16(p247, 2, 0x40), d247, &i247, ErrMalformed, 2, []int{1, 2}, true},
		{"comment without its NUL", p249, d249[:len(d249)-1], &i247, ErrMalformed, 1, []int{1}, true},
		{"structure past the end of the data", p247, d247[:40], &i247, ErrTruncated, 2, []int{1, 2}, false},
		{"unknown letter in the data descriptor", p247, d247, withDesc("WrLehDO", "B16BBXz", 1), ErrMalformed, 1, []int{1}, false},
		{"one-byte field described with a count", p247, d247, withDesc("WrLehDO", "B16B2BDz", 1), ErrMalformed, 1, []int{1}, false},
		{"count larger than the data", p247, d247, withDesc("WrLehDO", "B9999", 1), ErrTruncated, 1, []int{1}, false},
		{"structure taking no bytes", p247, d247, withDesc("WrLehDO", "O", 1), ErrMalformed, 1, nil, false},
		{"more entries than MaxRAPEntries", put16(p247, 4, MaxRAPEntries+1), make([]byte, MaxRAPEntries+1),
			withDesc("WrLehDO", "B", 1), ErrLimit, MaxRAPEntries, nil, false},
		{"receive count past the parameters", p247[:6], d247, withDesc("WrLehDOi", "B16BBDz", 1), ErrTruncated, 0, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r RAPResponse
			err := r.Decode(tc.params, tc.data, tc.info)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if r.Err != err || !strings.HasPrefix(err.Error(), "rap: ") {
				t.Errorf("Err %v", r.Err)
			}
			if len(r.Servers) != tc.servers {
				t.Errorf("%d typed entries, want %d", len(r.Servers), tc.servers)
			}
			for i, s := range r.Servers {
				want := false
				for _, e := range tc.errorsOn {
					want = want || e == i+1
				}
				if (s.Err != nil) != want {
					t.Errorf("entry %d Err %v, want errors on entries %v", i+1, s.Err, tc.errorsOn)
				}
			}
			if r.EntryErrorOnly() != tc.soft {
				t.Errorf("EntryErrorOnly %v", r.EntryErrorOnly())
			}
			var tr Tree
			r.AppendTree(&tr)
			if tr.Depth() != 0 {
				t.Errorf("tree left open at depth %d", tr.Depth())
			}
			experts := 0
			for _, n := range tr.Nodes {
				if n.Flags&NodeError != 0 {
					experts++
				}
			}
			if experts == 0 {
				t.Error("no [Malformed] note in the tree")
			}
		})
	}
}

// TestRAPEveryPrefix cuts the real blocks at every length: each cut is an
// error (never a panic), and what comes before the cut is kept.
func TestRAPEveryPrefix(t *testing.T) {
	for _, tc := range rapTestRequests {
		p := rapHex(t, tc.params...)
		for n := 0; n < len(p); n++ {
			var r RAPRequest
			err := r.Decode(p[:n], nil)
			if err == nil {
				t.Errorf("%s params cut at %d: no error", tc.name, n)
				continue
			}
			if n >= 2 && r.Function != tc.fn {
				t.Errorf("%s params cut at %d: function %d lost", tc.name, n, r.Function)
			}
			var tr Tree
			r.AppendTree(&tr)
		}
	}
	for _, tc := range rapTestResponses {
		info := rapTestInfo(t, tc.req)
		p, d := rapHex(t, tc.params...), rapHex(t, tc.data...)
		for n := 0; n < len(p); n++ {
			var r RAPResponse
			if err := r.Decode(p[:n], d, &info); !errors.Is(err, ErrTruncated) {
				t.Errorf("%s params cut at %d: err %v", tc.name, n, err)
			}
		}
		for n := 0; n < len(d); n++ {
			var r RAPResponse
			err := r.Decode(p, d[:n], &info)
			if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrMalformed) {
				t.Errorf("%s data cut at %d: err %v", tc.name, n, err)
			}
			// Whole entries before the cut are decoded.
			whole := n / 26
			if tc.shares != nil {
				whole = n / 20
			}
			if got := len(r.Servers) + len(r.Shares); got < whole {
				t.Errorf("%s data cut at %d: %d entries kept, want at least %d", tc.name, n, got, whole)
			}
			var tr Tree
			r.AppendTree(&tr)
			if tr.Depth() != 0 {
				t.Errorf("%s data cut at %d: tree open at depth %d", tc.name, n, tr.Depth())
			}
		}
	}
}

// ---- Allocations, benchmarks, fuzzing ----

func TestRAPAllocs(t *testing.T) {
	tc := rapTestResponses[0]
	info := rapTestInfo(t, tc.req)
	p, d := rapHex(t, tc.params...), rapHex(t, tc.data...)
	q := rapHex(t, rapTestRequests[0].params...)
	var r RAPResponse
	var req RAPRequest
	var tr Tree
	if n := testing.AllocsPerRun(100, func() { _ = r.Decode(p, d, &info) }); n != 0 {
		t.Errorf("NetServerEnum2 response Decode: %v allocations", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = req.Decode(q, nil); _ = req.Info() }); n != 0 {
		t.Errorf("NetServerEnum2 request Decode: %v allocations", n)
	}
	buf := make([]byte, 0, 128)
	if n := testing.AllocsPerRun(100, func() {
		tr.Reset()
		r.AppendTree(&tr)
		req.AppendTree(&tr)
		buf = r.AppendInfo(buf[:0])
		buf = req.AppendInfo(buf[:0])
	}); n != 0 {
		t.Errorf("AppendTree/AppendInfo: %v allocations", n)
	}
	if r.Err != nil || len(r.Servers) != 2 {
		t.Fatalf("decode: %v, %d servers", r.Err, len(r.Servers))
	}
}

func BenchmarkRAPResponseDecode(b *testing.B) {
	tc := rapTestResponses[0]
	info := rapTestInfo(b, tc.req)
	p, d := rapHex(b, tc.params...), rapHex(b, tc.data...)
	var r RAPResponse
	b.ReportAllocs()
	b.SetBytes(int64(len(p) + len(d)))
	for i := 0; i < b.N; i++ {
		_ = r.Decode(p, d, &info)
	}
}

func BenchmarkRAPRequestDecode(b *testing.B) {
	q := rapHex(b, rapTestRequests[0].params...)
	var r RAPRequest
	b.ReportAllocs()
	b.SetBytes(int64(len(q)))
	for i := 0; i < b.N; i++ {
		_ = r.Decode(q, nil)
		_ = r.Info()
	}
}

func BenchmarkRAPResponseAppendTree(b *testing.B) {
	tc := rapTestResponses[3]
	info := rapTestInfo(b, tc.req)
	var r RAPResponse
	_ = r.Decode(rapHex(b, tc.params...), rapHex(b, tc.data...), &info)
	var tr Tree
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		tr.Reset()
		r.AppendTree(&tr)
	}
}

// rapFuzzCheck runs everything a frame goes through and checks the
// invariants that hold for any input.
func rapFuzzCheckResponse(t *testing.T, r *RAPResponse, err error) {
	if err != r.Err {
		t.Fatalf("returned %v, Err %v", err, r.Err)
	}
	if err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrLimit) {
		t.Fatalf("error %v wraps no sentinel", err)
	}
	if len(r.Servers) > MaxRAPEntries || len(r.Shares) > MaxRAPEntries {
		t.Fatalf("%d servers, %d shares", len(r.Servers), len(r.Shares))
	}
	for _, s := range r.Servers {
		if len(s.Name) > 16 {
			t.Fatalf("server name %q longer than 16", s.Name)
		}
	}
	for _, s := range r.Shares {
		if len(s.Name) > 13 {
			t.Fatalf("share name %q longer than 13", s.Name)
		}
	}
	typed := rapFuncFor(r.Function).typed
	if r.HasEntryCount && r.Err == nil && r.Request.HasDataDesc && len(r.Data) > 0 &&
		bytes.IndexByte(r.Request.ParamDesc.Bytes(), 'r') >= 0 &&
		(typed == rapTypedServer || typed == rapTypedShare) &&
		len(r.Servers)+len(r.Shares) != int(r.EntryCount) {
		t.Fatalf("no error, but %d entries decoded of %d", len(r.Servers)+len(r.Shares), r.EntryCount)
	}
	var tr Tree
	r.AppendTree(&tr)
	if tr.Depth() != 0 {
		t.Fatalf("tree open at depth %d", tr.Depth())
	}
	r.AppendInfo(nil)
}

func FuzzRAPRequest(f *testing.F) {
	for _, tc := range rapTestRequests {
		f.Add(rapHex(f, tc.params...), []byte(nil))
	}
	// SamOEMChangePassword ([MS-RAP] §2.5.9.1): "zsT" with a send buffer.
	f.Add([]byte("\xd6\x00zsT\x00B516B16\x00GUEST\x00\x14\x02"), bytes.Repeat([]byte{0x11}, 532))
	// NetServerEnum3 with a domain and a resume name.
	f.Add([]byte("\xd7\x00WrLehDzz\x00B16BBDz\x00\x01\x00\xff\xff\x03\x00\x00\x00LABWG\x00PC7\x00"), []byte(nil))
	f.Fuzz(func(t *testing.T, params, data []byte) {
		var r RAPRequest
		err := r.Decode(params, data)
		if err != r.Err {
			t.Fatalf("returned %v, Err %v", err, r.Err)
		}
		if err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrLimit) {
			t.Fatalf("error %v wraps no sentinel", err)
		}
		var tr Tree
		r.AppendTree(&tr)
		if tr.Depth() != 0 {
			t.Fatalf("tree open at depth %d", tr.Depth())
		}
		r.AppendInfo(nil)
		// The request's descriptors applied to the same bytes as a response.
		info := r.Info()
		var resp RAPResponse
		rerr := resp.Decode(params, data, &info)
		rapFuzzCheckResponse(t, &resp, rerr)
	})
}

func FuzzRAPResponse(f *testing.F) {
	for _, tc := range rapTestResponses {
		q := rapTestRequests[tc.req]
		f.Add(uint16(q.fn), q.pd, q.dd, "", uint16(q.level), rapHex(f, tc.params...), rapHex(f, tc.data...))
	}
	// NetRemoteTOD ([MS-RAP] §2.5.11.1) and NetWkstaGetInfo level 10.
	f.Add(uint16(91), "rL", "DDBBBBWWBBWB", "", uint16(0xffff), []byte{0, 0, 0, 0}, make([]byte, 21))
	f.Add(uint16(63), "WrLh", "zzzBBzz", "", uint16(10), []byte{0, 0, 0, 0, 40, 0}, make([]byte, 40))
	f.Add(uint16(70), "zWrLh", "B13BWWWzzzzzWN", "WB21BB16B10zWWzDDz", uint16(2), []byte{0, 0, 0, 0, 0, 0}, make([]byte, 64))
	f.Fuzz(func(t *testing.T, fn uint16, pd, dd, ad string, level uint16, params, data []byte) {
		var info RAPRequestInfo
		info.Function = RAPFunction(fn)
		info.Level = int32(int16(level))
		info.ParamDesc, info.HasParamDesc = MakeRAPDescriptor([]byte(pd))
		info.DataDesc, info.HasDataDesc = MakeRAPDescriptor([]byte(dd))
		if ad != "" {
			info.AuxDesc, info.HasAuxDesc = MakeRAPDescriptor([]byte(ad))
		}
		var r RAPResponse
		err := r.Decode(params, data, &info)
		rapFuzzCheckResponse(t, &r, err)
	})
}

// TestRAPLabEnum checks the Samba lab's enumeration scenario (enum.pcapng,
// testdata/pcaps/SUMMARY.md "RAP (\PIPE\LANMAN) calls"): the info column
// and the typed results, against tshark -2 for the names.
func TestRAPLabEnum(t *testing.T) {
	calls := rapTestCalls(t, rapTestLab+"enum.pcapng")
	byFrame := map[int]rapTestCall{}
	for _, c := range calls {
		byFrame[c.respFrame] = c
	}
	cases := []struct {
		frame     int // first response frame, where tshark -2 shows the RAP response
		fragments int // SMBtrans response messages (SUMMARY.md)
		info      string
		names     string // tshark: lanman.server.name or lanman.share.name
		truncated bool
	}{
		// "831 NetShareEnum reply status=0 entries=5/5"
		{831, 1, "NetShareEnum response, 5 entries", "public,software,projects,scratch,IPC$", false},
		// "930 NetServerEnum2 reply status=0 entries=45/45", 5 messages
		{930, 5, "NetServerEnum2 response, 45 of 45 entries", "", false},
		// "942 NetServerEnum2 reply status=0 entries=45/45", level 0, 2 messages
		{942, 2, "NetServerEnum2 response, 45 of 45 entries", "", false},
		// "946 NetServerEnum2 reply status=234 entries=3/45": ALIAS01..03
		{946, 1, "NetServerEnum2 response, status 234 (ERROR_MORE_DATA), 3 of 45 entries", "ALIAS01,ALIAS02,ALIAS03", true},
		// "968 NetServerEnum2 reply status=0 entries=45/45", 24 messages
		{968, 24, "NetServerEnum2 response, 45 of 45 entries", "", false},
	}
	for _, tc := range cases {
		c, ok := byFrame[tc.frame]
		if !ok {
			t.Errorf("no RAP call answered in frame %d", tc.frame)
			continue
		}
		if c.fragments != tc.fragments {
			t.Errorf("frame %d: %d response messages, want %d", tc.frame, c.fragments, tc.fragments)
		}
		var q RAPRequest
		if err := q.Decode(c.reqParams, c.reqData); err != nil {
			t.Fatal(err)
		}
		info := q.Info()
		var r RAPResponse
		if err := r.Decode(c.params, c.data, &info); err != nil {
			t.Errorf("frame %d: %v", tc.frame, err)
		}
		if got := string(r.AppendInfo(nil)); got != tc.info {
			t.Errorf("frame %d info %q, want %q", tc.frame, got, tc.info)
		}
		if r.Truncated() != tc.truncated {
			t.Errorf("frame %d truncated %v", tc.frame, r.Truncated())
		}
		var names []string
		for _, s := range r.Servers {
			names = append(names, string(s.Name))
		}
		for _, s := range r.Shares {
			names = append(names, string(s.Name))
		}
		if len(names) != int(r.EntryCount) {
			t.Errorf("frame %d: %d typed entries of %d", tc.frame, len(names), r.EntryCount)
		}
		if tc.names != "" && strings.Join(names, ",") != tc.names {
			t.Errorf("frame %d names %q, want %q", tc.frame, strings.Join(names, ","), tc.names)
		}
	}
}

// TestRAPRequestInfoIsPlain: the engine keeps RAPRequestInfo after the
// request's packet buffer is gone, so it must hold no pointers (no slices,
// strings, maps or interfaces either).
func TestRAPRequestInfoIsPlain(t *testing.T) {
	var check func(path string, ty reflect.Type)
	check = func(path string, ty reflect.Type) {
		switch ty.Kind() {
		case reflect.Struct:
			for i := 0; i < ty.NumField(); i++ {
				check(path+"."+ty.Field(i).Name, ty.Field(i).Type)
			}
		case reflect.Array:
			check(path+"[]", ty.Elem())
		case reflect.Bool, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int,
			reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
		default:
			t.Errorf("%s is a %s: it would keep packet memory alive or alias it", path, ty.Kind())
		}
	}
	check("RAPRequestInfo", reflect.TypeOf(RAPRequestInfo{}))
	// And it is a copy: changing the packet after Info does not change it.
	p := rapHex(t, rapTestRequests[0].params...)
	var q RAPRequest
	if err := q.Decode(p, nil); err != nil {
		t.Fatal(err)
	}
	info := q.Info()
	for i := range p {
		p[i] = 'X'
	}
	if info.ParamDesc.String() != "WrLehDO" || info.DataDesc.String() != "B16BBDz" || info.Level != 1 {
		t.Errorf("info changed with the packet: %q %q %d", info.ParamDesc, info.DataDesc, info.Level)
	}
}
