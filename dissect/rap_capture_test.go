package dissect

// Helpers of the RAP tests that read captures: the SMB_COM_TRANSACTION
// calls on \PIPE\LANMAN of a capture, our fields and tshark's.

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
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
