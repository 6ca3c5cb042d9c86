package dissect

// SMB1 and SMB2 against tshark on whole captures.

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// TestSMBVersusTshark decodes every SMB1 message of real captures and
// compares each smb.* field of the embedded tshark list, and the info
// column, with tshark run on the same file. By default a few captures
// are compared (tshark takes a second to start); NBTSNIFF_TSHARK_ALL=1
// compares the whole shared corpus and the lab captures.
func TestSMBVersusTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tshark")
	}
	files := []string{
		smbPcapDir + "nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng",
		smbPcapDir + "nbss139-session-full-scanner-winxp_wanderview.pcap",
		smbLabDir + "enum.pcapng",
	}
	if os.Getenv("NBTSNIFF_TSHARK_ALL") != "" {
		files = nil
		for _, dir := range []string{smbPcapDir, smbPcapDir + "synthetic/", smbLabDir} {
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".pcap") || strings.HasSuffix(n, ".pcapng")) {
					files = append(files, dir+n)
				}
			}
		}
	}
	for _, f := range files {
		t.Run(f[strings.LastIndexByte(f, '/')+1:], func(t *testing.T) {
			t.Parallel()
			n := smbCompareCapture(t, f)
			t.Logf("%d frames compared", n)
		})
	}
}

// smbPcapDir is the shared capture corpus, from the package directory.
const smbPcapDir = "../../shared/pcaps/"

// smbLabDir holds the Samba lab captures.
const smbLabDir = "../testdata/pcaps/"

// smbFrameMsg is one SMB message found in a frame.
type smbFrameMsg struct {
	frame  int
	stream string // TCP direction-independent conversation key, "" for UDP
	data   []byte
}

// smbCaptureMessages reads every SMB1/SMB2 message of a capture, in frame
// order, with the frame that completes it (as tshark attributes a PDU
// split over TCP segments to its last segment). Frames whose TCP segment
// is a retransmission or overlaps what was seen are listed in dirty.
func smbCaptureMessages(tb testing.TB, path string) (msgs []smbFrameMsg, dirty map[int]bool) {
	tb.Helper()
	raw, err := os.ReadFile(repoOrCorpus(tb, path))
	if err != nil {
		tb.Fatal(err)
	}
	type src interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	var r src
	var lt layers.LinkType
	if len(raw) >= 4 && binary.LittleEndian.Uint32(raw) == 0x0a0d0d0a {
		ng, err := pcapgo.NewNgReader(bytes.NewReader(raw), pcapgo.DefaultNgReaderOptions)
		if err != nil {
			tb.Fatal(err)
		}
		r, lt = ng, ng.LinkType()
	} else {
		pr, err := pcapgo.NewReader(bytes.NewReader(raw))
		if err != nil {
			tb.Fatal(err)
		}
		r, lt = pr, pr.LinkType()
	}
	type flow struct {
		buf  []byte
		next uint32
		seen bool
	}
	flows := map[string]*flow{}
	gen := map[string]int{} // a SYN starts a new conversation, as tcp.stream does
	dirty = map[int]bool{}
	for n := 1; ; n++ {
		data, _, err := r.ReadPacketData()
		if err != nil {
			break
		}
		pkt := gopacket.NewPacket(data, lt, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
		ip4, _ := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		if ip4 == nil {
			continue
		}
		if udp, _ := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP); udp != nil {
			if udp.SrcPort != PortNBDGM && udp.DstPort != PortNBDGM {
				continue
			}
			if m := smbFromDatagram(udp.Payload); m != nil {
				msgs = append(msgs, smbFrameMsg{frame: n, data: m})
			}
			continue
		}
		tcp, _ := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if tcp == nil {
			continue
		}
		if tcp.SrcPort != PortNBSS && tcp.DstPort != PortNBSS && tcp.SrcPort != PortSMB && tcp.DstPort != PortSMB {
			continue
		}
		a := ip4.SrcIP.String() + ":" + strconv.Itoa(int(tcp.SrcPort))
		b := ip4.DstIP.String() + ":" + strconv.Itoa(int(tcp.DstPort))
		key := a + ">" + b
		stream := a + "|" + b
		if b < a {
			stream = b + "|" + a
		}
		if tcp.SYN && !tcp.ACK {
			gen[stream]++
			delete(flows, key)
			delete(flows, b+">"+a)
		}
		stream += "#" + strconv.Itoa(gen[stream])
		if len(tcp.Payload) == 0 {
			continue
		}
		f := flows[key]
		if f == nil {
			f = &flow{}
			flows[key] = f
		}
		seq := tcp.Seq
		switch {
		case f.seen && seq == f.next:
			f.buf = append(f.buf, tcp.Payload...)
		case f.seen && int32(seq-f.next) < 0:
			dirty[n] = true // retransmission or overlap
			continue
		default:
			if f.seen {
				dirty[n] = true // a gap: resynchronise at this segment
			}
			f.buf = append(f.buf[:0], tcp.Payload...)
		}
		f.seen = true
		f.next = seq + uint32(len(tcp.Payload))
		for len(f.buf) >= 4 {
			l := int(f.buf[1]&1)<<16 | int(binary.BigEndian.Uint16(f.buf[2:]))
			if len(f.buf) < 4+l {
				break
			}
			if f.buf[0] == 0x00 && l > 0 {
				msgs = append(msgs, smbFrameMsg{frame: n, stream: stream, data: append([]byte(nil), f.buf[4:4+l]...)})
			}
			f.buf = f.buf[4+l:]
		}
	}
	return msgs, dirty
}

// smbFromDatagram returns the SMB message in a NetBIOS datagram (direct
// unique, direct group or broadcast: RFC 1002 §4.4.2).
func smbFromDatagram(p []byte) []byte {
	if len(p) < 14 || p[0] < 0x10 || p[0] > 0x12 {
		return nil
	}
	var nm Name
	next, err := DecodeName("nbdgm", p, 14, &nm)
	if err != nil {
		return nil
	}
	next, err = DecodeName("nbdgm", p, next, &nm)
	if err != nil || next >= len(p) {
		return nil
	}
	end := 14 + int(binary.BigEndian.Uint16(p[10:]))
	if end > len(p) {
		end = len(p)
	}
	if next >= end {
		return nil
	}
	return p[next:end]
}

// smbFieldText renders the nodes of one field the way tshark -T fields
// prints it, occurrences joined by ','.
func smbFieldText(tr *Tree, id FieldID) string {
	var out []string
	tr.Each(id, func(n *Node) { out = append(out, smbNodeText(n)) })
	return strings.Join(out, ",")
}

func smbNodeText(n *Node) string {
	fi := Field(n.Field)
	switch {
	case fi.Type == FTBoolean:
		if n.U != 0 {
			return "1"
		}
		return "0"
	case fi.Type.IsSigned():
		return strconv.FormatInt(int64(n.U), 10)
	case fi.Type.IsInteger() && fi.Base == BaseHex:
		width := map[FieldType]int{FTUint8: 2, FTUint16: 4, FTUint24: 6, FTUint32: 8, FTUint64: 16}[fi.Type]
		s := strconv.FormatUint(n.U, 16)
		for len(s) < width {
			s = "0" + s
		}
		return "0x" + s
	case fi.Type.IsInteger():
		return strconv.FormatUint(n.U, 10)
	case fi.Type == FTBytes:
		return hex.EncodeToString(n.S)
	case fi.Abbrev == "smb.trans_name":
		return string(n.S) // tshark prints it unescaped
	case fi.Type.IsString():
		return smbEscape(n.S)
	}
	return ""
}

// smbEscape escapes a string value as tshark 4.0 prints it in -T fields.
func smbEscape(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		switch {
		case c == '\a':
			sb.WriteString(`\a`)
		case c == '\b':
			sb.WriteString(`\b`)
		case c == '\f':
			sb.WriteString(`\f`)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\r':
			sb.WriteString(`\r`)
		case c == '\t':
			sb.WriteString(`\t`)
		case c == '\v':
			sb.WriteString(`\v`)
		case c < 0x20 || c == 0x7f:
			sb.WriteString(`\` + strconv.FormatInt(int64(c>>6), 8) + strconv.FormatInt(int64(c>>3&7), 8) + strconv.FormatInt(int64(c&7), 8))
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// smbTsharkFields runs tshark -T fields on a capture and returns, per
// frame number, the value of each requested field (occurrences joined by
// ','). The test is skipped when tshark is not installed.
func smbTsharkFields(tb testing.TB, path string, fields []string) map[int][]string {
	tb.Helper()
	if _, err := exec.LookPath("tshark"); err != nil {
		corpus.Skip(tb, "tshark not installed: cannot compare with it")
	}
	args := []string{"-r", path, "-n", "-T", "fields", "-E", "occurrence=a", "-E", "separator=/t", "-e", "frame.number"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command("tshark", args...).Output()
	if err != nil {
		tb.Fatalf("tshark %v: %v", args, err)
	}
	res := map[int][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		n, err := strconv.Atoi(cols[0])
		if err != nil {
			continue
		}
		v := make([]string, len(fields))
		copy(v, cols[1:])
		res[n] = v
	}
	return res
}

// smbTreeTracker mimics what tshark shows under Tree ID: the share path a
// TID was mapped to by a TREE_CONNECT_ANDX response, and that frame.
type smbTreeTracker struct {
	pending map[string][]byte
	tids    map[string]smbTreeMap
}

type smbTreeMap struct {
	path  []byte
	frame int
}

func (tt *smbTreeTracker) observe(stream string, frame int, s *SMB) {
	if tt.pending == nil {
		tt.pending = map[string][]byte{}
		tt.tids = map[string]smbTreeMap{}
	}
	key := stream + "/" + strconv.Itoa(int(s.MID)) + "/" + strconv.Itoa(int(s.PIDLow))
	// tshark maps a TID only for a TREE_CONNECT_ANDX that is the first
	// command of its message, not one chained after SESSION_SETUP_ANDX.
	for i := range s.Commands[:min(1, len(s.Commands))] {
		b := &s.Commands[i]
		if b.Command != SMBComTreeConnectAndX {
			continue
		}
		if !s.IsResponse() && b.Form == SMBFormTreeConnectRequest && b.TreeConnectRequest.Path.Present {
			tt.pending[key] = append([]byte(nil), b.TreeConnectRequest.Path.Text...)
		}
		if s.IsResponse() && !s.IsError() {
			if p, ok := tt.pending[key]; ok {
				tt.tids[stream+"/"+strconv.Itoa(int(s.TID))] = smbTreeMap{p, frame}
			}
		}
	}
	if s.IsResponse() {
		delete(tt.pending, key)
	}
	if m, ok := tt.tids[stream+"/"+strconv.Itoa(int(s.TID))]; ok {
		s.TreePath, s.TreeMappedIn = m.path, m.frame
	}
}

// smbRequiredFields lists the smb.* fields of the embedded tshark list.
func smbRequiredFields() []string { return WiresharkAbbrevs("smb") }

// smbCompareCapture decodes every SMB1 message of a capture and compares
// each smb.* field of the embedded list, and the info column of frames
// whose top protocol is SMB, with tshark's output. It returns the number
// of frames compared.
func smbCompareCapture(t *testing.T, path string) int {
	t.Helper()
	msgs, dirty := smbCaptureMessages(t, path)
	fields := smbRequiredFields()
	ts := smbTsharkFields(t, path, append(append(append([]string(nil), fields...), "_ws.col.Protocol", "_ws.col.Info"), smb2Fields...))
	nf := len(fields) + 2
	ids := make([]FieldID, len(fields))
	for i, f := range fields {
		ids[i], _ = LookupField(f)
	}
	byFrame := map[int][]smbFrameMsg{}
	var frames []int
	for _, m := range msgs {
		if _, ok := byFrame[m.frame]; !ok {
			frames = append(frames, m.frame)
		}
		byFrame[m.frame] = append(byFrame[m.frame], m)
	}
	sort.Ints(frames)
	var tt smbTreeTracker
	compared, bad := 0, 0
	for _, fr := range frames {
		want, ok := ts[fr]
		if !ok {
			t.Errorf("%s frame %d: tshark has no line", path, fr)
			continue
		}
		if want[0] == "" && want[nf] == "" {
			// tshark did not see SMB here (its TCP analysis took the
			// segment for a spurious retransmission): skip it, and keep
			// it out of the tree-connect state as tshark does.
			continue
		}
		var tr Tree
		var info []byte
		n1 := 0
		full, infoOK := true, true
		if smb2CompareFrame(t, path, fr, byFrame[fr], want[nf:], want[len(fields)], want[len(fields)+1]) {
			compared++
			continue
		}
		for _, m := range byFrame[fr] {
			if !bytes.HasPrefix(m.data, smbProtocolID) {
				continue
			}
			var s SMB
			_ = s.DecodeFromBytes(m.data, gopacket.NilDecodeFeedback)
			if m.stream != "" {
				tt.observe(m.stream, fr, &s)
			}
			s.AppendTree(&tr)
			info = s.AppendInfo(info)
			n1++
			for i := range s.Commands {
				if !smbDecodedCommand(s.Commands[i].Command) {
					full = false
				}
				if !smbInfoCommand(s.Commands[i].Command) {
					infoOK = false
				}
			}
		}
		if n1 == 0 || dirty[fr] {
			continue
		}
		compared++
		for i, id := range ids {
			if !full && (!smbHeaderField[fields[i]] || fields[i] == "smb.bcc") {
				continue
			}
			got := smbFieldText(&tr, id)
			if got != want[i] {
				bad++
				if bad <= 40 {
					t.Errorf("%s frame %d %s: got %q, tshark %q", path, fr, fields[i], got, want[i])
				}
			}
		}
		proto, tinfo := want[len(fields)], want[len(fields)+1]
		if proto == "SMB" && n1 == 1 && infoOK {
			for strings.HasPrefix(tinfo, "[") {
				j := strings.Index(tinfo, "] ")
				if j < 0 {
					break
				}
				tinfo = tinfo[j+2:]
			}
			if got := smbEscape(info); got != tinfo {
				bad++
				if bad <= 40 {
					t.Errorf("%s frame %d info: got %q, tshark %q", path, fr, got, tinfo)
				}
			}
		}
	}
	return compared
}

// smbDecodedCommand reports the commands whose bodies smb.go decodes; the
// frames of other commands are compared on the header fields, WordCount,
// ByteCount and the AndX command only.
func smbDecodedCommand(c SMBCommand) bool {
	switch c {
	case SMBComNegotiate, SMBComSessionSetupAndX, SMBComTreeConnectAndX, SMBComTreeDisconnect,
		SMBComLogoffAndX, SMBComTransaction, SMBComTransactionSecondary,
		SMBComTransaction2, SMBComTransaction2Secondary, SMBComNTTransact, SMBComNTTransactSecondary,
		SMBComReadAndX, SMBComWriteAndX, SMBComNTCreateAndX:
		return true
	}
	return false
}

// smbInfoCommand reports the commands whose info column smb.go writes as
// tshark does: the decoded ones and SMB_COM_NT_CREATE_ANDX (Path, FID).
// The bodies of smb_file.go, smb_readwrite.go and smb_nttrans.go are left
// out: tshark's info column for them needs the request (FID, subcommand of
// a response, Trans2 level and path), which only a conversation tracker
// knows.
func smbInfoCommand(c SMBCommand) bool {
	switch c {
	case SMBComNegotiate, SMBComSessionSetupAndX, SMBComTreeConnectAndX, SMBComTreeDisconnect,
		SMBComLogoffAndX, SMBComTransaction, SMBComTransactionSecondary, SMBComNTCreateAndX:
		return true
	}
	return false
}

var smbHeaderField = map[string]bool{
	"smb.cmd": true, "smb.wct": true, "smb.bcc": true, "smb.nt_status": true, "smb.error_class": true,
	"smb.error_code": true, "smb.pid": true, "smb.pid.high": true, "smb.tid": true, "smb.uid": true,
	"smb.mid": true, "smb.flags": true, "smb.flags.lock": true, "smb.flags.receive_buffer": true,
	"smb.flags.caseless": true, "smb.flags.canon": true, "smb.flags.oplock": true, "smb.flags.notify": true,
	"smb.flags.response": true, "smb.flags2": true, "smb.flags2.long_names_allowed": true, "smb.flags2.ea": true,
	"smb.flags2.sec_sig": true, "smb.flags2.compressed": true, "smb.flags2.sec_sig_required": true,
	"smb.flags2.long_names_used": true, "smb.flags2.reparse_path": true, "smb.flags2.esn": true,
	"smb.flags2.dfs": true, "smb.flags2.roe": true, "smb.flags2.nt_error": true, "smb.flags2.string": true,
}

// smb2Fields are the SMB2 header fields nbtsniff emits.
var smb2Fields = []string{"smb2.protocol_id", "smb2.header_len", "smb2.credit.charge", "smb2.nt_status",
	"smb2.channel_sequence", "smb2.cmd", "smb2.credits.requested", "smb2.credits.granted", "smb2.flags",
	"smb2.flags.response", "smb2.flags.async", "smb2.flags.chained", "smb2.flags.signature",
	"smb2.flags.priority_mask", "smb2.flags.dfs", "smb2.flags.replay", "smb2.chain_offset", "smb2.msg_id",
	"smb2.pid", "smb2.tid", "smb2.aid", "smb2.sesid", "smb2.signature"}

// smb2CompareFrame compares a frame holding exactly one SMB2 message (not
// a compound one) with tshark: the header fields, and the info column,
// which must start with what nbtsniff says (tshark adds what it reads of
// the body). It reports whether the frame was such a frame.
func smb2CompareFrame(t *testing.T, path string, fr int, msgs []smbFrameMsg, want []string, proto, tinfo string) bool {
	t.Helper()
	if len(msgs) != 1 || !IsSMB2(msgs[0].data) {
		return false
	}
	var s SMB2
	if s.DecodeFromBytes(msgs[0].data, nil) != nil || s.NextCommand != 0 {
		return false
	}
	var tr Tree
	s.AppendTree(&tr)
	for i, f := range smb2Fields {
		id, _ := LookupField(f)
		// the first occurrence: the body may use the same names
		// (smb2.flags of a read or ioctl response)
		w, _, _ := strings.Cut(want[i], ",")
		if got := smbFieldText(&tr, id); got != w {
			t.Errorf("%s frame %d %s: got %q, tshark %q", path, fr, f, got, w)
		}
	}
	for strings.HasPrefix(tinfo, "[") {
		j := strings.Index(tinfo, "] ")
		if j < 0 {
			break
		}
		tinfo = tinfo[j+2:]
	}
	if got := string(s.AppendInfo(nil)); proto == "SMB2" && !strings.HasPrefix(tinfo, got) {
		t.Errorf("%s frame %d info: got %q, tshark %q", path, fr, got, tinfo)
	}
	return true
}
