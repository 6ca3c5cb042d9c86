package dissect

// Browser frames against tshark -T pdml, live, on the captures.

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// --- live differential test against tshark ---

type browserPDMLField struct {
	Name   string             `xml:"name,attr"`
	Pos    int                `xml:"pos,attr"`
	Size   int                `xml:"size,attr"`
	Show   string             `xml:"show,attr"`
	Fields []browserPDMLField `xml:"field"`
}

type browserPDMLPacket struct {
	Protos []browserPDMLField `xml:"proto"`
}

// browserPDMLItem is one node as "name pos size show", in tree order.
func browserPDMLItems(p browserPDMLPacket) (num int, items []string) {
	var walk func(f browserPDMLField, proto bool)
	walk = func(f browserPDMLField, proto bool) {
		show := f.Show
		if proto {
			show = ""
		}
		items = append(items, fmt.Sprintf("%s %d %d %q", f.Name, f.Pos, f.Size, show))
		for _, c := range f.Fields {
			walk(c, false)
		}
	}
	for _, pr := range p.Protos {
		switch pr.Name {
		case "geninfo":
			for _, f := range pr.Fields {
				if f.Name == "num" {
					num, _ = strconv.Atoi(f.Show)
				}
			}
		case "mailslot", "browser":
			walk(pr, true)
		case "fake-field-wrapper":
			// Undissected bytes: tshark's "data" protocol, whose bytes it
			// shows as "0d:4c:00".
			for _, f := range pr.Fields {
				if f.Name == "data" {
					for _, c := range f.Fields {
						c.Show = strings.ReplaceAll(c.Show, ":", "")
						walk(c, false)
					}
				}
			}
		}
	}
	return num, items
}

func browserTreeItems(tr *Tree) []string {
	var items []string
	for i := range tr.Nodes {
		n := &tr.Nodes[i]
		if n.Field == 0 {
			continue
		}
		fi := Field(n.Field)
		if fi.Proto != "mailslot" && fi.Proto != "browser" && fi.Proto != "data" || n.Field == FieldData {
			continue
		}
		show := msValue(n)
		if fi.Type == FTProtocol {
			show = ""
		}
		items = append(items, fmt.Sprintf("%s %d %d %q", fi.Abbrev, n.Off, n.Len, show))
	}
	return items
}

// browserTsharkDiff runs tshark -T pdml on a capture and compares, frame by
// frame, every mailslot and browser node in tree order: name, position,
// size and value.
func browserTsharkDiff(t *testing.T, tshark, path string, scan bool) {
	out, err := exec.Command(tshark, "-r", path, "-Y", "mailslot", "-T", "pdml").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	var doc struct {
		Packets []browserPDMLPacket `xml:"packet"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("pdml: %v", err)
	}
	frames := msReadFrames(t, path)
	byNum := map[int]msFrame{}
	for _, f := range frames {
		byNum[f.num] = f
	}
	var tr Tree
	var d msDecoded
	shown := map[int]bool{}
	for _, p := range doc.Packets {
		num, _ := browserPDMLItems(p)
		shown[num] = true
	}
	// Frames tshark shows no mailslot in: nbtsniff must not either.
	for _, fr := range frames {
		if shown[fr.num] {
			continue
		}
		if tx, ok := msFindTrans(fr, false); ok && !tx.oob {
			msDecodeFrame(tx, fr.data, &tr, &d)
			if items := browserTreeItems(&tr); len(items) > 0 {
				t.Errorf("frame %d: tshark shows no mailslot, nbtsniff shows\n  %s", fr.num, strings.Join(items, "\n  "))
			}
		}
	}
	compared := 0
	defer func() {
		if compared == 0 {
			t.Errorf("no frame compared")
		}
		t.Logf("%d frames identical to tshark", compared)
	}()
	for _, p := range doc.Packets {
		num, want := browserPDMLItems(p)
		fr, ok := byNum[num]
		if !ok {
			t.Fatalf("frame %d not in the capture", num)
		}
		tx, ok := msFindTrans(fr, scan)
		if !ok {
			t.Errorf("frame %d: no transaction found", num)
			continue
		}
		msDecodeFrame(tx, fr.data, &tr, &d)
		compared++
		got := browserTreeItems(&tr)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("frame %d differs from tshark:\nnbtsniff:\n  %s\ntshark:\n  %s", num,
				strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
	}
}

// browserTsharkDefault picks the captures the live test runs by default,
// to keep go test fast: the lab captures (dmb.pcapng, not its two
// per-subnet halves), and the shared ones that hold
// what the others do not (Win7 elections and domain announcement without
// signature, Win10 BecomeBackup, Win98 criteria, WfW over NetBEUI/IPX, a
// Samba LMB with a 16-character name). NBTSNIFF_TSHARK_ALL=1 runs them all.
func browserTsharkDefault(base, path string) bool {
	if strings.HasPrefix(path, msLabPcaps) {
		return !strings.Contains(base, ".subnet") // dmb.pcapng holds both subnets
	}
	for _, p := range []string{"browser-elections-announce-req-domain-lmb_", "nbss139-smb1-rap-netserverenum2-win10",
		"nbns-registration-browser-elections-udp-and-netbeui", "netbios-legacy-wfw311", "browser-backuplist-req-domain-lmb"} {
		if strings.HasPrefix(base, p) {
			return true
		}
	}
	return false
}

// TestBrowserTshark is the live differential test: when tshark is
// installed (and not with -short), captures with mailslot frames (the lab
// captures, a selection of the shared corpus, all of it with
// NBTSNIFF_TSHARK_ALL=1, and a capture of the frames built to the spec
// above, written to a temporary file) are dissected by tshark and by
// nbtsniff, and every mailslot/browser node must agree in order, position,
// length and value. TestBrowserGolden covers every capture without tshark.
func TestBrowserTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not running tshark")
	}
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		corpus.Skip(t, "tshark not installed: skipping the live differential test")
	}
	goldens, _ := filepath.Glob("testdata/browser/*.tsv")
	all := os.Getenv("NBTSNIFF_TSHARK_ALL") != ""
	for _, g := range goldens {
		base := strings.TrimSuffix(filepath.Base(g), ".tsv")
		where := base // the lab's path, for browserTsharkDefault
		if p := filepath.Join(msLabPcaps, base+".pcapng"); fileExists(p) {
			where = p
		}
		if !all && !browserTsharkDefault(base, where) {
			continue
		}
		t.Run(base, func(t *testing.T) {
			path := browserFindCapture(t, base)
			t.Parallel()
			browserTsharkDiff(t, tshark, path, true)
		})
	}
	t.Run("built-to-spec", func(t *testing.T) {
		t.Parallel()
		var msgs []browserSynth
		for _, tc := range browserSpecCases {
			msgs = append(msgs, browserSynth{`\MAILSLOT\BROWSE`, tc.data})
		}
		for _, tc := range lanmanSpecCases {
			msgs = append(msgs, browserSynth{`\MAILSLOT\LANMAN`, tc.data})
		}
		// Mailslots shown as data: the name match is case-sensitive, as
		// in tshark (a lower-case "\mailslot\" is no mailslot at all).
		msgs = append(msgs, browserSynth{`\MAILSLOT\browse`, []byte{0x0d, 'L', 0}},
			browserSynth{`\MAILSLOT\MESSNGR`, []byte("hello\x00")},
			browserSynth{`\mailslot\BROWSE`, []byte{0x0d, 'L', 0}},
			// No data: tshark shows an "Interim reply", no mailslot.
			browserSynth{`\MAILSLOT\BROWSE`, nil})
		p := filepath.Join(t.TempDir(), "spec.pcap")
		browserWritePcap(t, p, msgs)
		browserTsharkDiff(t, tshark, p, false)
	})
}

type browserSynth struct {
	mailslot string
	data     []byte
}

// browserWritePcap writes mailslot messages as NBT datagrams (Ethernet,
// IPv4, UDP 138, RFC 1002 §4.4.1 DIRECT_GROUP, SMB_COM_TRANSACTION as
// [MS-MAIL] §2.2.1 lays it out) into a pcap file.
func browserWritePcap(t *testing.T, path string, msgs []browserSynth) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	for i, m := range msgs {
		smb := browserBuildTrans(m.mailslot, m.data)
		src := MakeName("SPEC", 0x00)
		dst := MakeName("LABWG", 0x1d)
		dgm := []byte{0x11, 0x02, 0x00, byte(i), 198, 18, 1, 99, 0x00, 0x8a, 0, 0, 0x00, 0x00}
		dgm = append(dgm, 0x20)
		dgm = EncodeName(dgm, src)
		dgm = append(dgm, 0x00, 0x20)
		dgm = EncodeName(dgm, dst)
		dgm = append(dgm, 0x00)
		binary.BigEndian.PutUint16(dgm[10:], uint16(len(dgm)-14+len(smb)))
		dgm = append(dgm, smb...)
		eth := &layers.Ethernet{SrcMAC: []byte{2, 0, 0xc6, 0x12, 1, 99}, DstMAC: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, EthernetType: layers.EthernetTypeIPv4}
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: []byte{198, 18, 1, 99}, DstIP: []byte{198, 18, 1, 255}}
		udp := &layers.UDP{SrcPort: 138, DstPort: 138}
		if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
			t.Fatal(err)
		}
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
			eth, ip, udp, gopacket.Payload(dgm)); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		ci := gopacket.CaptureInfo{CaptureLength: len(data), Length: len(data)}
		if err := w.WritePacket(ci, data); err != nil {
			t.Fatal(err)
		}
	}
}

// browserBuildTrans builds a class 2 mailslot write ([MS-MAIL] §2.2.1).
func browserBuildTrans(mailslot string, data []byte) []byte {
	smb := make([]byte, 32, 128+len(data))
	copy(smb, "\xffSMB\x25")
	w := make([]byte, 1+28)
	w[0] = 17
	le := binary.LittleEndian
	le.PutUint16(w[3:], uint16(len(data)))  // TotalDataCount
	le.PutUint32(w[13:], 1000)              // Timeout
	le.PutUint16(w[23:], uint16(len(data))) // DataCount
	w[27] = 3                               // SetupCount
	smb = append(smb, w...)
	smb = append(smb, 1, 0, 1, 0, 2, 0) // write, priority 1, class 2
	name := append([]byte(mailslot), 0)
	smb = le.AppendUint16(smb, uint16(len(name)+len(data)))
	smb = append(smb, name...)
	le.PutUint16(smb[57:], uint16(len(smb))) // DataOffset
	return append(smb, data...)
}

// TestBrowserMessagesAlias: decoded names point into the frame (nothing is
// copied), so the timeline must copy what it keeps.
func TestBrowserMessagesAlias(t *testing.T) {
	data := append([]byte(nil), browserRealCases[0].data...)
	var b Browser
	if err := b.DecodeFromBytes(data, nil); err != nil {
		t.Fatal(err)
	}
	data[6] = 'X'
	if !bytes.HasPrefix(b.ServerName, []byte("XSER")) {
		t.Errorf("ServerName %q does not alias the input", b.ServerName)
	}
}
