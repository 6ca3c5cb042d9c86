package dissect

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// browserCompare checks the typed fields of a decoded frame.
func browserCompare(t *testing.T, got, want *Browser) {
	t.Helper()
	type view struct {
		Command                           BrowserCommand
		UpdateCount                       uint8
		Periodicity                       uint32
		ServerName                        string
		OSMajor, OSMinor                  uint8
		ServerType                        ServerType
		ProtoMajor, ProtoMinor            uint8
		Signature                         uint16
		HasSignature                      bool
		Mysterious                        uint32
		Comment, MasterName, ResponseName string
		Unused, ElectionVersion           uint8
		Criteria                          Criteria
		Uptime                            uint32
		BackupCount                       uint8
		Token                             uint32
		BrowserToPromote                  string
		ResetFlags                        ResetStateFlags
	}
	mk := func(b *Browser) view {
		return view{b.Command, b.UpdateCount, b.Periodicity, string(b.ServerName), b.OSMajor, b.OSMinor,
			b.ServerType, b.ProtoMajor, b.ProtoMinor, b.Signature, b.HasSignature, b.Mysterious,
			string(b.Comment), string(b.MasterName), string(b.ResponseName), b.Unused, b.ElectionVersion,
			b.Criteria, b.Uptime, b.BackupCount, b.Token, string(b.BrowserToPromote), b.ResetFlags}
	}
	if g, w := mk(got), mk(want); g != w {
		t.Errorf("decoded\n%+v\nwant\n%+v", g, w)
	}
}

func browserAllCases() []browserCase {
	var all []browserCase
	all = append(all, browserRealCases...)
	all = append(all, browserLabCases...)
	return append(all, browserSpecCases...)
}

func TestBrowserDecode(t *testing.T) {
	for _, tc := range browserAllCases() {
		t.Run(tc.name, func(t *testing.T) {
			var b Browser
			if err := b.DecodeFromBytes(tc.data, gopacket.NilDecodeFeedback); err != nil {
				t.Fatal(err)
			}
			browserCompare(t, &b, &tc.want)
			if got := string(b.AppendInfo(nil)); got != tc.info {
				t.Errorf("info\n%q\nwant\n%q", got, tc.info)
			}
			var tr Tree
			b.AppendTree(&tr)
			for f, want := range tc.tree {
				if got := msFieldValues(&tr, f); got != want {
					t.Errorf("%s = %q, want %q", f, got, want)
				}
			}
			for _, n := range tr.Nodes {
				if n.Flags&NodeError != 0 {
					t.Errorf("unexpected expert note %q", n.Label)
				}
				if n.Off < 0 || int(n.Off+n.Len) > len(tc.data) {
					t.Errorf("%s at %d+%d outside the %d-byte frame", Field(n.Field).Abbrev, n.Off, n.Len, len(tc.data))
				}
			}
		})
	}
}

func TestBrowserBackupList(t *testing.T) {
	// BUILT TO [MS-BRWS] §2.2.5 (see browserSpecCases): the list itself.
	var b Browser
	if err := b.DecodeFromBytes(browserSpecCases[0].data, nil); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range b.BackupServers {
		names = append(names, string(s))
	}
	if strings.Join(names, ",") != "DELTA,ALPHA" {
		t.Errorf("BackupServers %q", names)
	}
	// Reuse for a shorter list must not keep old names.
	if err := b.DecodeFromBytes([]byte{0x0a, 0x01, 0, 0, 0, 0, 'X', 0}, nil); err != nil {
		t.Fatal(err)
	}
	if len(b.BackupServers) != 1 || string(b.BackupServers[0]) != "X" {
		t.Errorf("after reuse: %q", b.BackupServers)
	}
	// A full list of 255 names (the count is one byte).
	d := []byte{0x0a, 0xff, 0, 0, 0, 0}
	for i := 0; i < 255; i++ {
		d = append(d, 'A', 0)
	}
	if err := b.DecodeFromBytes(d, nil); err != nil || len(b.BackupServers) != 255 {
		t.Errorf("255 names: %v, %d", err, len(b.BackupServers))
	}
}

func TestBrowserTypes(t *testing.T) {
	// Values from the corpus (tshark's info column for the ServerType words).
	if got := ServerType(0x00849a03).String(); got != "Workstation, Server, Print Queue Server, Xenix Server, NT Workstation, NT Server, Master Browser, DFS server" {
		t.Errorf("ServerType %q", got)
	}
	if got := ServerType(0x4000).String(); got != "Unknown server type:14" {
		t.Errorf("ServerType bit 14 %q", got)
	}
	if !ServerType(0x00051003).Has(SVTypeMasterBrowser|SVTypePotentialBrowser) || ServerType(0x00051003).Has(SVTypeBackupBrowser) {
		t.Error("ServerType.Has")
	}
	// Samba's criteria from the lab README (gotcha 13): 0x41010f0b.
	c := Criteria(0x41010f0b)
	if c.OSLevel() != 65 || c.Roles() != RoleBackup|RoleStandby|RolePreferredMaster {
		t.Errorf("criteria parts %d %v", c.OSLevel(), c.Roles())
	}
	if maj, min := c.BrowserVersion(); maj != 15 || min != 1 {
		t.Errorf("browser version %d.%d", maj, min)
	}
	if got := c.String(); got != "0x41010f0b (OS level 65, browser 15.1, running backup browser, potential browser, preferred master)" {
		t.Errorf("criteria %q", got)
	}
	if got := Criteria(0x20000000).OS().String(); got != "NT Server" {
		t.Errorf("election OS %q", got)
	}
	if got := CriteriaRole(0xa4).String(); got != "running master browser, WINS client, PDC" {
		t.Errorf("roles %q", got)
	}
	if got := ResetStateFlags(0).String(); got != "no flags" {
		t.Errorf("reset flags %q", got)
	}
	if got := ResetStateFlags(0x12).String(); got != "flush browse list, unknown bits 0x10" {
		t.Errorf("reset flags %q", got)
	}
	if BrowserCommand(0x0e).String() != "Reset Browser State Announcement" || BrowserCommand(0x42).String() != "Unknown command:0x42" || BrowserCommand(3).Known() {
		t.Error("BrowserCommand.String")
	}
}

func TestBrowserMalformed(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want error
		// fields tshark would still show before the exception, and their values
		tree map[string]string
	}{
		{"empty", nil, ErrTruncated, nil},
		{"host announcement cut in the name", []byte{0x01, 0x00, 0x80, 0xfc, 0x0a, 0x00, 'U', 'S'}, ErrTruncated,
			map[string]string{"browser.update_count": "0", "browser.period": "720000", "browser.server": ""}},
		{"host announcement cut in the version", []byte{0x01, 0x00, 0x80, 0xfc, 0x0a, 0x00,
			'U', 'S', 'E', 'R', '-', 'P', 'C', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x06, 0x01, 0x03, 0x10, 0x01, 0x00, 0x0f}, ErrTruncated,
			map[string]string{"browser.server": "USER-PC", "browser.server_type": "0x00011003", "browser.proto_major": "15", "browser.proto_minor": "", "browser.sig": ""}},
		{"host announcement without comment NUL", append([]byte{0x01, 0x00, 0x80, 0xfc, 0x0a, 0x00,
			'U', 'S', 'E', 'R', '-', 'P', 'C', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x06, 0x01, 0x03, 0x10, 0x01, 0x00, 0x0f, 0x01, 0x55, 0xaa}, "abc"...), ErrTruncated,
			map[string]string{"browser.sig": "0xaa55", "browser.comment": ""}},
		{"domain announcement cut before the signature", []byte{0x0c, 0x00, 0x60, 0xea, 0x00, 0x00,
			'W', 'G', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x03, 0x0a, 0x00, 0x10, 0x00, 0x80, 0x91}, ErrTruncated,
			map[string]string{"browser.server_type": "0x80001000", "browser.mysterious_field": "", "browser.proto_major": ""}},
		{"announcement request without name", []byte{0x02}, ErrTruncated, map[string]string{"browser.unused": ""}},
		{"announcement request name without NUL", []byte{0x02, 0x00, 'A', 'B'}, ErrTruncated,
			map[string]string{"browser.unused": "0x00", "browser.response_computer_name": ""}},
		{"election cut in the criteria", []byte{0x08, 0x01, 0x20, 0x0f}, ErrTruncated,
			map[string]string{"browser.election.version": "1", "browser.election.criteria": ""}},
		{"election without name", []byte{0x08, 0x01, 0x20, 0x0f, 0x01, 0x10, 1, 0, 0, 0, 0, 0}, ErrTruncated,
			map[string]string{"browser.election.criteria": "0x10010f20", "browser.uptime": "1", "browser.server": ""}},
		{"backup list request cut", []byte{0x09, 0x04, 0xec}, ErrTruncated,
			map[string]string{"browser.backup.count": "4", "browser.backup.token": ""}},
		{"backup list response with fewer names than its count", []byte{0x0a, 0x03, 1, 0, 0, 0, 'A', 0, 'B', 0}, ErrTruncated,
			map[string]string{"browser.backup.count": "3", "browser.backup.server": "A,B"}},
		{"become backup without NUL", []byte{0x0b, 'X'}, ErrTruncated, map[string]string{"browser.browser_to_promote": ""}},
		{"master announcement empty", []byte{0x0d}, ErrTruncated, map[string]string{"browser.mb_server": ""}},
		{"reset without flags", []byte{0x0e}, ErrTruncated, map[string]string{"browser.reset_cmd": ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b Browser
			err := b.DecodeFromBytes(tc.data, gopacket.NilDecodeFeedback)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			var de *DecodeError
			if !errors.As(err, &de) || !strings.HasPrefix(err.Error(), "browser: ") || b.Err != err {
				t.Fatalf("not a browser DecodeError kept in Err: %v", err)
			}
			var tr Tree
			b.AppendTree(&tr)
			for f, want := range tc.tree {
				if got := msFieldValues(&tr, f); got != want {
					t.Errorf("%s = %q, want %q", f, got, want)
				}
			}
			last := tr.Nodes[len(tr.Nodes)-1]
			if last.Flags&NodeError == 0 || !strings.HasPrefix(last.Label, "[Malformed: browser: ") {
				t.Errorf("tree does not end with the malformed note: %+v", last)
			}
			b.AppendInfo(nil) // must not panic on partial frames
		})
	}
}

// TestBrowserGolden decodes every mailslot frame of every capture that has
// a golden TSV under testdata/browser (recorded from tshark 4.0.17 with
// testdata/browser/gen.sh) and compares every mailslot.* and browser.*
// field, all occurrences, with tshark's. Frames carried over NetBEUI or IPX
// are found by their SMB signature: the mailslot and browser bytes are the
// same as over NBT.
func TestBrowserGolden(t *testing.T) {
	goldens, _ := filepath.Glob("testdata/browser/*.tsv")
	if len(goldens) == 0 {
		t.Fatal("no golden TSVs in testdata/browser")
	}
	seen := map[string]int{} // browser.command / lanman values covered
	for _, g := range goldens {
		base := strings.TrimSuffix(filepath.Base(g), ".tsv")
		t.Run(base, func(t *testing.T) {
			path := browserFindCapture(t, base)
			gold := msReadGolden(t, g)
			frames := msReadFrames(t, path)
			var tr Tree
			var d msDecoded
			for _, fr := range frames {
				row, want := gold.rows[fr.num]
				tx, found := msFindTrans(fr, want)
				if !want {
					if found && tx.udp && !tx.oob && IsMailslotWrite(tx.name, len(tx.data)) {
						t.Errorf("frame %d: decoded a mailslot tshark does not show", fr.num)
					}
					continue
				}
				if !found {
					t.Errorf("frame %d: no mailslot transaction found", fr.num)
					continue
				}
				msDecodeFrame(tx, fr.data, &tr, &d)
				if len(d.errs) > 0 {
					t.Errorf("frame %d: %v", fr.num, d.errs)
				}
				for i, f := range gold.header[1:] {
					if got := msFieldValues(&tr, f); got != row[i+1] {
						t.Errorf("frame %d %s = %q, tshark %q", fr.num, f, got, row[i+1])
					}
				}
				if c := row[browserCol(gold.header, "browser.command")]; c != "" {
					seen[string(MailslotKindOf(tx.name).String())+" "+c]++
				}
			}
		})
	}
	var keys []string
	for k, n := range seen {
		keys = append(keys, k+"×"+strconv.Itoa(n))
	}
	sort.Strings(keys)
	t.Logf("commands compared with tshark: %s", strings.Join(keys, " "))
}

func browserCol(header []string, f string) int {
	for i, h := range header {
		if h == f {
			return i
		}
	}
	return 0
}

// browserFindCapture finds the capture a golden TSV was recorded from: a
// lab capture, or one of the corpus (a corpus case).
func browserFindCapture(t *testing.T, base string) string {
	for _, ext := range []string{".pcapng", ".pcap"} {
		if p := filepath.Join(msLabPcaps, base+ext); fileExists(p) {
			return p
		}
		for _, name := range []string{base + ext, "synthetic/" + base + ext} {
			if slices.Contains(corpus.Names(), name) {
				return corpus.Path(t, name)
			}
		}
	}
	t.Fatalf("no capture %s(.pcap|.pcapng) in %s or the corpus for its golden file", base, msLabPcaps)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestBrowserMalformedCapture: the tcpdump crash reproducer whose SMB
// transaction fields tcpdump read out of bounds decodes without a panic.
// Its mailslot and browser bytes are well formed (tshark shows a clean
// AnnouncementRequest from DJP95S0J and no expert note; only the NBDGM
// destination name is an illegal encoding, byte 0xb7): so no error here.
func TestBrowserMalformedCapture(t *testing.T) {
	p := msCapture(t, filepath.Join(msSharedPcaps, "synthetic"), "malformed-browser-announce-request_tcpdump-smb_print_trans-oobr2.pcap")
	frames := msReadFrames(t, p)
	tx, ok := msFindTrans(frames[0], false)
	if !ok {
		t.Fatal("no transaction found")
	}
	var tr Tree
	var d msDecoded
	msDecodeFrame(tx, frames[0].data, &tr, &d)
	if len(d.errs) != 0 {
		t.Errorf("errors %v", d.errs)
	}
	if got := string(d.info); got != "Request Announcement DJP95S0J" {
		t.Errorf("info %q", got)
	}
	// Every truncation of the frame's transaction data still decodes
	// without a panic, with a DecodeError.
	for n := 0; n < len(tx.data); n++ {
		var b Browser
		err := b.DecodeFromBytes(tx.data[:n], nil)
		var de *DecodeError
		if !errors.As(err, &de) || !errors.Is(err, ErrTruncated) {
			t.Errorf("cut to %d bytes: %v", n, err)
		}
		tr.Reset()
		b.AppendTree(&tr)
	}
}

// TestBrowserFuzzedCapture runs every UDP 138 mailslot of the nDPI fuzz
// trace (randomly corrupted bytes) through the decoders: errors are fine,
// panics are not, and tshark decodes no browser frame in it.
func TestBrowserFuzzedCapture(t *testing.T) {
	p := msCapture(t, filepath.Join(msSharedPcaps, "synthetic"), "malformed-fuzzed-nbns-nbdgm_ndpi-fuzz-2006-06-26-2594.pcap")
	var tr Tree
	var d msDecoded
	n := 0
	for _, fr := range msReadFrames(t, p) {
		tx, ok := msFindTrans(fr, false)
		if !ok {
			continue
		}
		n++
		msDecodeFrame(tx, fr.data, &tr, &d)
		// tshark shows no mailslot when the transaction's data lies past
		// the message (frame 464: DataOffset 193): that is for SMBtrans to
		// reject; the decoders only must not panic on what is left.
		if d.ms.Kind == MailslotBrowse && !tx.oob {
			t.Errorf("frame %d: decoded as \\MAILSLOT\\BROWSE (%q), tshark does not", fr.num, d.ms.Name)
		}
	}
	t.Logf("%d corrupted transactions decoded", n)
}

func TestBrowserAllocs(t *testing.T) {
	var b Browser
	var tr Tree
	var info []byte
	for _, tc := range browserAllCases() {
		allocs := testing.AllocsPerRun(50, func() {
			if err := b.DecodeFromBytes(tc.data, nil); err != nil {
				t.Fatal(err)
			}
			tr.Reset()
			b.AppendTree(&tr)
			info = b.AppendInfo(info[:0])
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per frame, want 0", tc.name, allocs)
		}
	}
}

func BenchmarkBrowserDecode(b *testing.B) {
	for _, tc := range []browserCase{browserRealCases[0], browserRealCases[2], browserSpecCases[0]} {
		b.Run(tc.name, func(b *testing.B) {
			var br Browser
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.data)))
			for i := 0; i < b.N; i++ {
				if err := br.DecodeFromBytes(tc.data, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBrowserTree(b *testing.B) {
	var br Browser
	var tr Tree
	var info []byte
	data := browserRealCases[0].data
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := br.DecodeFromBytes(data, nil); err != nil {
			b.Fatal(err)
		}
		tr.Reset()
		br.AppendTree(&tr)
		info = br.AppendInfo(info[:0])
	}
}

func FuzzBrowser(f *testing.F) {
	for _, s := range msFuzzSeeds(f, true) {
		f.Add(s)
	}
	for _, tc := range browserAllCases() {
		f.Add(tc.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var b Browser
		err := b.DecodeFromBytes(data, nil)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a *DecodeError", err)
			}
			if b.Err != err {
				t.Fatal("Err not kept")
			}
		}
		var tr Tree
		b.AppendTree(&tr)
		b.AppendInfo(nil)
		for _, n := range tr.Nodes {
			if n.Off < 0 || int(n.Off)+int(n.Len) > len(data) {
				t.Fatalf("node %s at %d+%d outside %d bytes", Field(n.Field).Abbrev, n.Off, n.Len, len(data))
			}
		}
		if tr.Depth() != 0 {
			t.Fatalf("tree left open at depth %d", tr.Depth())
		}
	})
}
