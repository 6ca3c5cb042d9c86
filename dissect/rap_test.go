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
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
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

// rapTestRead reads every frame of a pcap or pcapng file; it skips the test
// when the file is missing.
func rapTestRead(tb testing.TB, path string) []rapTestPkt {
	tb.Helper()
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		tb.Skipf("capture %s not present", path)
	}
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
	frame                   int
	conv                    string
	reply                   bool
	mid                     uint16
	lanman                  bool // request on \PIPE\LANMAN
	tpc, tdc, pdisp, ddisp  int
	params, data            []byte
	paramOff, dataOff, wire int
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
		c.fragments++
		if p.pgot >= len(c.params) && p.dgot >= len(c.data) {
			c.respFrame = tr.frame
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
			if _, err := os.Stat(c); err != nil {
				t.Skipf("capture %s not present", c)
			}
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
			if len(want) == 0 {
				t.Fatalf("golden file %s has no RAP frames", golden)
			}
			rapTestCompare(t, filepath.Base(c), want, got, fields)
		})
	}
}

// TestRAPTshark is the live differential: the same comparison against the
// installed tshark, run in parallel on the captures with \PIPE\LANMAN
// traffic (tshark takes a second or two to start, whatever the capture).
// NBTSNIFF_RAP_ALL=1 sweeps every capture of the corpus and the lab
// instead. It skips when tshark is not installed.
func TestRAPTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tshark")
	}
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark not installed")
	}
	fields := rapTestFields()
	caps := rapTestCaptures
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
			if _, err := os.Stat(c); err != nil {
				t.Skipf("capture %s not present", c)
			}
			t.Parallel()
			out, err := exec.Command("tshark", rapTestTsharkArgs(c, fields)...).Output()
			if err != nil {
				t.Fatalf("tshark: %v", err)
			}
			want := rapTestParseTSV(t, string(out), fields)
			if len(want) == 0 {
				t.Skip("no RAP in this capture")
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
