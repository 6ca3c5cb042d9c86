package dissect

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// This file holds the mailslot tests and the helpers the browser and LANMAN
// tests share: reading real captures, digging the SMB_COM_TRANSACTION out of
// a frame, decoding mailslot + browser/LANMAN into a Tree, and printing tree
// values the way tshark -T fields prints them. Every helper name starts with
// "ms" so it cannot collide with other test files of package dissect.

// Shared corpus (read-only, never copied into the repo) and the Samba lab
// captures, relative to this package directory.
const (
	msSharedPcaps = "../../shared/pcaps"
	msLabPcaps    = "../testdata/pcaps"
)

// msCapture returns the path of a capture (a corpus case when dir is the
// corpus's).
func msCapture(tb testing.TB, dir, name string) string {
	tb.Helper()
	return repoOrCorpus(tb, filepath.Join(dir, name))
}

type msFrame struct {
	num  int
	data []byte
	link layers.LinkType
}

// msReadFrames reads every frame of a pcap or pcapng file.
func msReadFrames(tb testing.TB, path string) []msFrame {
	tb.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	type source interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	var src source
	var link layers.LinkType
	if len(raw) >= 4 && binary.LittleEndian.Uint32(raw) == 0x0a0d0d0a {
		r, err := pcapgo.NewNgReader(bytes.NewReader(raw), pcapgo.DefaultNgReaderOptions)
		if err != nil {
			tb.Fatal(err)
		}
		src, link = r, r.LinkType()
	} else {
		r, err := pcapgo.NewReader(bytes.NewReader(raw))
		if err != nil {
			tb.Fatal(err)
		}
		src, link = r, r.LinkType()
	}
	var out []msFrame
	for n := 1; ; n++ {
		data, _, err := src.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatalf("%s frame %d: %v", path, n, err)
		}
		out = append(out, msFrame{num: n, data: append([]byte(nil), data...), link: link})
	}
	return out
}

// msTrans is an SMB_COM_TRANSACTION request found in a frame, with
// absolute offsets in the frame.
type msTrans struct {
	setupOff int    // first setup word
	setup    []byte // raw setup words
	bcc      uint16
	name     []byte // transaction name, NUL excluded
	dataOff  int
	data     []byte // the data block (DataCount bytes at DataOffset, cut to the frame)
	udp      bool   // found in a UDP 138 NBT datagram (else by scanning for \xffSMB)
	oob      bool   // DataOffset+DataCount run past the message (SMBtrans rejects it)
}

// msFindTrans digs the mailslot transaction out of a frame. For NBT
// (UDP 138) it walks the NBDGM header (RFC 1002 §4.4.1: 14 bytes, source
// and destination names); when scan is true and the frame is not NBT
// (NetBEUI, IPX), it looks for the SMB signature instead.
func msFindTrans(f msFrame, scan bool) (msTrans, bool) {
	smbOff := -1
	udp := false
	pkt := gopacket.NewPacket(f.data, f.link, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	if u, ok := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP); ok && (u.SrcPort == 138 || u.DstPort == 138) {
		p := u.Payload
		base := cap(f.data) - cap(p)
		if len(p) >= 14 && p[0] >= 0x10 && p[0] <= 0x12 {
			var n Name
			next, err := DecodeName("nbdgm", p, 14, &n)
			if err == nil {
				next, err = DecodeName("nbdgm", p, next, &n)
			}
			if err == nil {
				smbOff = base + next
				udp = true
			}
		}
	} else if scan {
		smbOff = bytes.Index(f.data, []byte("\xffSMB"))
	}
	if smbOff < 0 || smbOff+61 > len(f.data) {
		return msTrans{}, false
	}
	smb := f.data[smbOff:]
	if !bytes.HasPrefix(smb, []byte("\xffSMB")) || smb[4] != 0x25 {
		return msTrans{}, false
	}
	wct := int(smb[32])
	sc := int(smb[59])
	if wct < 14 || 33+2*wct+2 > len(smb) || 61+2*sc > len(smb) {
		return msTrans{}, false
	}
	tr := msTrans{setupOff: smbOff + 61, setup: smb[61 : 61+2*sc], udp: udp}
	bccOff := 33 + 2*wct
	tr.bcc = binary.LittleEndian.Uint16(smb[bccOff:])
	name := smb[bccOff+2:]
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	tr.name = name
	dc := int(binary.LittleEndian.Uint16(smb[55:]))
	do := int(binary.LittleEndian.Uint16(smb[57:]))
	if do > len(smb) {
		do = len(smb)
		tr.oob = true
	}
	end := do + dc
	if end > len(smb) {
		end = len(smb)
		tr.oob = true
	}
	tr.dataOff = smbOff + do
	tr.data = smb[do:end]
	return tr, true
}

// msDecoded is what the mailslot and browser/LANMAN decoders made of one
// frame.
type msDecoded struct {
	ms   Mailslot
	br   Browser
	lm   LANMANAnnounce
	errs []error
	info []byte
}

// msDecodeFrame decodes a transaction found by msFindTrans into t (reset
// first), returning what each decoder said.
func msDecodeFrame(tr msTrans, frame []byte, t *Tree, d *msDecoded) {
	t.Reset()
	d.errs = d.errs[:0]
	d.info = d.info[:0]
	if !IsMailslotWrite(tr.name, len(tr.data)) {
		return
	}
	if err := d.ms.DecodeFromBytes(frame[tr.setupOff:], gopacket.NilDecodeFeedback); err != nil {
		d.errs = append(d.errs, err)
	}
	t.Base = tr.setupOff
	d.ms.AppendTree(t)
	t.Base = tr.dataOff
	switch d.ms.NextLayerType() {
	case LayerTypeBrowser:
		if err := d.br.DecodeFromBytes(tr.data, gopacket.NilDecodeFeedback); err != nil {
			d.errs = append(d.errs, err)
		}
		d.br.AppendTree(t)
		d.info = d.br.AppendInfo(d.info)
	case LayerTypeLANMAN:
		if err := d.lm.DecodeFromBytes(tr.data, gopacket.NilDecodeFeedback); err != nil {
			d.errs = append(d.errs, err)
		}
		d.lm.AppendTree(t)
		d.info = d.lm.AppendInfo(d.info)
	default:
		d.ms.AppendData(t, tr.data)
		d.info = d.ms.AppendInfo(d.info)
	}
}

// msValue prints a node's value the way tshark 4.0 prints it with -T fields
// and in PDML "show": booleans 1/0, BASE_HEX as 0x%0Nx with N twice the
// byte width, BASE_DEC in decimal, strings as they are (printable ASCII in
// these captures).
func msValue(n *Node) string {
	fi := Field(n.Field)
	switch fi.Type {
	case FTBoolean:
		if n.U != 0 {
			return "1"
		}
		return "0"
	case FTUint8, FTUint16, FTUint24, FTUint32, FTUint64:
		if fi.Base == BaseHex {
			w := map[FieldType]int{FTUint8: 2, FTUint16: 4, FTUint24: 6, FTUint32: 8, FTUint64: 16}[fi.Type]
			return fmt.Sprintf("0x%0*x", w, n.U)
		}
		return strconv.FormatUint(n.U, 10)
	case FTString, FTStringz:
		var b strings.Builder
		for _, c := range n.S {
			if c >= 0x20 && c < 0x7f {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, "\\x%02x", c)
			}
		}
		return b.String()
	case FTBytes:
		return fmt.Sprintf("%x", n.S)
	}
	return ""
}

// msFieldValues joins every occurrence of a field in tree order with ',',
// like tshark -T fields -E occurrence=a -E aggregator=,.
func msFieldValues(t *Tree, abbrev string) string {
	id, ok := LookupField(abbrev)
	if !ok {
		return "<unregistered>"
	}
	var vals []string
	t.Each(id, func(n *Node) { vals = append(vals, msValue(n)) })
	return strings.Join(vals, ",")
}

// msGolden is a golden TSV recorded from tshark (see testdata/browser/README.md).
type msGolden struct {
	header []string
	rows   map[int][]string // by frame.number
	order  []int
}

func msReadGolden(tb testing.TB, path string) msGolden {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	g := msGolden{rows: map[int][]string{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if g.header == nil {
			g.header = cols
			continue
		}
		n, err := strconv.Atoi(cols[0])
		if err != nil {
			tb.Fatalf("%s: bad frame number %q", path, cols[0])
		}
		g.rows[n] = cols
		g.order = append(g.order, n)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return g
}

// Mailslot headers from real frames: the bytes from the first setup word to
// the end of the transaction name ([MS-MAIL] §2.2.1), expected values from
// tshark -V.
func TestMailslotDecode(t *testing.T) {
	tests := []struct {
		name     string
		data     []byte
		opcode   MailslotOpcode
		priority uint16
		class    MailslotClass
		size     uint16
		mailslot string
		kind     MailslotKind
		info     string
	}{
		{
			// browser-elections-announce-req-domain-lmb_suricata-verify-tls-subjectaltname-cut.pcap
			// frame 7: "192.168.100.206 → 192.168.100.255 BROWSER 220 Request Announcement USER-PC"
			// tshark: Opcode: Write Mail Slot (1), Priority: 1, Class: Unreliable & Broadcast (2),
			// Size: 27, Mailslot Name: \MAILSLOT\BROWSE
			name: "browse request announcement",
			data: []byte{
				0x01, 0x00, // MailSlotOpcode 1
				0x01, 0x00, // Priority 1
				0x02, 0x00, // Class 2
				0x1b, 0x00, // ByteCount 27
				'\\', 'M', 'A', 'I', 'L', 'S', 'L', 'O', 'T', '\\', 'B', 'R', 'O', 'W', 'S', 'E', 0x00,
			},
			opcode: MailslotWrite, priority: 1, class: MailslotUnreliable, size: 27,
			mailslot: `\MAILSLOT\BROWSE`, kind: MailslotBrowse,
			info: `Write Mail Slot \MAILSLOT\BROWSE`,
		},
		{
			// same capture, frame 8: "BROWSER 243 Host Announcement USER-PC, Workstation, Server,
			// NT Workstation, Potential Browser"; tshark: Priority: 0, Size: 50
			name: "browse host announcement priority 0",
			data: []byte{
				0x01, 0x00, 0x00, 0x00, 0x02, 0x00, // opcode 1, priority 0, class 2
				0x32, 0x00, // ByteCount 50
				'\\', 'M', 'A', 'I', 'L', 'S', 'L', 'O', 'T', '\\', 'B', 'R', 'O', 'W', 'S', 'E', 0x00,
				0x01, 0x00, 0x80, 0xfc, // start of the data block: ignored here
			},
			opcode: MailslotWrite, priority: 0, class: MailslotUnreliable, size: 50,
			mailslot: `\MAILSLOT\BROWSE`, kind: MailslotBrowse,
			info: `Write Mail Slot \MAILSLOT\BROWSE`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m Mailslot
			if err := m.DecodeFromBytes(tc.data, gopacket.NilDecodeFeedback); err != nil {
				t.Fatal(err)
			}
			if m.Opcode != tc.opcode || m.Priority != tc.priority || m.Class != tc.class ||
				!m.HasSize || m.Size != tc.size || string(m.Name) != tc.mailslot || m.Kind != tc.kind {
				t.Errorf("got %+v", m)
			}
			if m.NextLayerType() != LayerTypeBrowser {
				t.Errorf("next layer %v", m.NextLayerType())
			}
			if got := string(m.AppendInfo(nil)); got != tc.info {
				t.Errorf("info %q, want %q", got, tc.info)
			}
			// The same header through Decode, from the values SMBtrans hands over.
			var m2 Mailslot
			if err := m2.Decode(tc.data[:6], []byte(tc.mailslot+"\x00")); err != nil {
				t.Fatal(err)
			}
			if m2.Opcode != m.Opcode || m2.Priority != m.Priority || m2.Class != m.Class ||
				string(m2.Name) != tc.mailslot || m2.HasSize || m2.Kind != tc.kind {
				t.Errorf("Decode: got %+v", m2)
			}
			var tr Tree
			tr.Base = 185 // frame offset of the first setup word in these frames (tshark pos)
			m.AppendTree(&tr)
			want := []struct {
				f        string
				pos, len int
			}{
				{"mailslot", 185, 8 + len(tc.mailslot) + 1},
				{"mailslot.opcode", 185, 2}, {"mailslot.priority", 187, 2}, {"mailslot.class", 189, 2},
				{"mailslot.size", 191, 2}, {"mailslot.name", 193, len(tc.mailslot) + 1},
			}
			if len(tr.Nodes) != len(want) {
				t.Fatalf("%d nodes, want %d", len(tr.Nodes), len(want))
			}
			for i, w := range want {
				n := tr.Nodes[i]
				if Field(n.Field).Abbrev != w.f || int(n.Off) != w.pos || int(n.Len) != w.len {
					t.Errorf("node %d: %s pos %d len %d, want %s pos %d len %d",
						i, Field(n.Field).Abbrev, n.Off, n.Len, w.f, w.pos, w.len)
				}
			}
		})
	}
}

func TestMailslotKindOf(t *testing.T) {
	// Names seen in the corpus and the mailslots Wireshark dispatches on.
	tests := []struct {
		name string
		want MailslotKind
	}{
		{`\MAILSLOT\BROWSE`, MailslotBrowse},
		{"\\MAILSLOT\\BROWSE\x00", MailslotBrowse},
		{`\MAILSLOT\LANMAN`, MailslotLANMAN},
		{`\MAILSLOT\NET\NETLOGON`, MailslotNet},
		{`\MAILSLOT\NET\NTLOGON`, MailslotNet},
		{`\MAILSLOT\TEMP\NETLOGON`, MailslotTempNetlogon},
		{`\MAILSLOT\MSSP`, MailslotMSSP},
		{`\MAILSLOT\MESSNGR`, MailslotOther},
		// synthetic/malformed-fuzzed-nbns-nbdgm_ndpi-fuzz: a corrupted name
		// tshark does not treat as a browser frame.
		{`\MAILSLOT\BROWnE`, MailslotOther},
		{`\PIPE\LANMAN`, MailslotNotMailslot},
		{``, MailslotNotMailslot},
	}
	for _, tc := range tests {
		if got := MailslotKindOf([]byte(tc.name)); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestMailslotMalformed(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"one setup word", []byte{0x01, 0x00}, ErrTruncated},
		{"no byte count", []byte{0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x1b}, ErrTruncated},
		{"name without NUL", []byte{0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x1b, 0x00, '\\', 'M', 'A'}, ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m Mailslot
			err := m.DecodeFromBytes(tc.data, gopacket.NilDecodeFeedback)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			var de *DecodeError
			if !errors.As(err, &de) || de.Proto != "mailslot" || !strings.HasPrefix(err.Error(), "mailslot: ") {
				t.Errorf("error %q is not a mailslot DecodeError", err)
			}
			if m.Err != err {
				t.Errorf("Err field %v, want %v", m.Err, err)
			}
			var tr Tree
			m.AppendTree(&tr)
			last := tr.Nodes[len(tr.Nodes)-1]
			if last.Flags&NodeError == 0 || !strings.HasPrefix(last.Label, "[Malformed: mailslot: ") {
				t.Errorf("tree does not end with the malformed note: %+v", last)
			}
		})
	}
	var m Mailslot
	if err := m.Decode([]byte{1, 0, 1, 0}, []byte(`\MAILSLOT\BROWSE`)); !errors.Is(err, ErrTruncated) {
		t.Errorf("Decode with 2 setup words: %v", err)
	}
}

// TestMailslotOtherShownAsData: a mailslot nbtsniff does not decode is named
// and its message shown as data (data.data, data.len).
func TestMailslotOtherShownAsData(t *testing.T) {
	// Built to [MS-MAIL] §2.2.1 (the corpus has no NETLOGON mailslot): a
	// \MAILSLOT\NET\NETLOGON write, header only.
	hdr := append([]byte{0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00}, "\\MAILSLOT\\NET\\NETLOGON\x00"...)
	var m Mailslot
	if err := m.DecodeFromBytes(hdr, nil); err != nil {
		t.Fatal(err)
	}
	if m.Kind != MailslotNet || m.NextLayerType() != gopacket.LayerTypePayload {
		t.Fatalf("kind %v next %v", m.Kind, m.NextLayerType())
	}
	var tr Tree
	m.AppendTree(&tr)
	m.AppendData(&tr, []byte{0x07, 0x00, 'X'})
	if got := msFieldValues(&tr, "mailslot.name"); got != `\MAILSLOT\NET\NETLOGON` {
		t.Errorf("mailslot.name %q", got)
	}
	if got := msFieldValues(&tr, "data.data"); got != "070058" {
		t.Errorf("data.data %q", got)
	}
	if got := msFieldValues(&tr, "data.len"); got != "3" {
		t.Errorf("data.len %q", got)
	}
	if got := string(m.AppendInfo(nil)); got != `Write Mail Slot \MAILSLOT\NET\NETLOGON` {
		t.Errorf("info %q", got)
	}
}

func TestMailslotAllocs(t *testing.T) {
	data := append([]byte{0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x1b, 0x00}, "\\MAILSLOT\\BROWSE\x00"...)
	var m Mailslot
	var tr Tree
	var info []byte
	allocs := testing.AllocsPerRun(100, func() {
		if err := m.DecodeFromBytes(data, nil); err != nil {
			t.Fatal(err)
		}
		tr.Reset()
		m.AppendTree(&tr)
		info = m.AppendInfo(info[:0])
	})
	if allocs != 0 {
		t.Errorf("%v allocations per decode, want 0", allocs)
	}
}

func BenchmarkMailslotDecode(b *testing.B) {
	data := append([]byte{0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x1b, 0x00}, "\\MAILSLOT\\BROWSE\x00"...)
	var m Mailslot
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		if err := m.DecodeFromBytes(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// msFuzzSeeds returns the mailslot headers (from the first setup word to
// the end of the frame) of the browser frames in a few real captures.
func msFuzzSeeds(f *testing.F, data bool) [][]byte {
	var out [][]byte
	for _, name := range []string{
		"browser-elections-announce-req-domain-lmb_suricata-verify-tls-subjectaltname-cut.pcap",
		"nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng",
		"browser-backuplist-req-domain-lmb-announce_ndpi-1kxun-cut.pcap",
		"nbns-registration-browser-elections-udp-and-netbeui_ndpi-dos_win98_smb_netbeui.pcap",
		"netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng",
		"synthetic/malformed-browser-announce-request_tcpdump-smb_print_trans-oobr2.pcap",
	} {
		for _, p := range corpus.Maybe(f, name) {
			for _, fr := range msReadFrames(f, p) {
				tr, ok := msFindTrans(fr, true)
				if !ok {
					continue
				}
				if data {
					out = append(out, tr.data)
				} else {
					out = append(out, fr.data[tr.setupOff:])
				}
			}
		}
	}
	return out
}

func FuzzMailslot(f *testing.F) {
	for _, s := range msFuzzSeeds(f, false) {
		f.Add(s)
	}
	f.Add([]byte{0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x1b, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Mailslot
		err := m.DecodeFromBytes(data, nil)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a *DecodeError", err)
			}
		}
		var tr Tree
		m.AppendTree(&tr)
		m.AppendInfo(nil)
		for _, n := range tr.Nodes {
			if n.Off < 0 || int(n.Off)+int(n.Len) > len(data) {
				t.Fatalf("node %s at %d+%d outside %d bytes", Field(n.Field).Abbrev, n.Off, n.Len, len(data))
			}
		}
		if err == nil && len(data) >= 6 {
			var m2 Mailslot
			if err := m2.Decode(data[:6], m.Name); err != nil || m2.Opcode != m.Opcode || m2.Class != m.Class {
				t.Fatalf("Decode disagrees: %v %+v", err, m2)
			}
		}
	})
}
