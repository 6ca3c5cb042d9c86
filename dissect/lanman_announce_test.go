package dissect

import (
	"errors"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
)

type lanmanCase struct {
	name string
	data []byte
	want LANMANAnnounce // typed fields compared (Err and private fields excluded)
	info string
	tree map[string]string // -T fields values tshark prints
}

// \MAILSLOT\LANMAN frames BUILT TO THE LAYOUT Samba's nmbd sends
// (send_lm_announcement: opcode, server type, version, interval in seconds,
// name, comment), for what the lab does not send (other opcodes, an XP
// version); TestBrowserTshark also checks them against tshark.
// Real \MAILSLOT\LANMAN frames of the Samba lab (YANKEE has "lm announce =
// yes", "lm interval = 30"); expected values from tshark.
var lanmanRealCases = []lanmanCase{
	{
		// testdata/pcaps/two-workgroups.pcapng frame 139: "198.18.1.22 → 198.18.1.255 BROWSER 249
		// Host Announcement, Workstation, Server, Print Queue Server, Xenix Server, NT
		// Workstation, NT Server, Potential Browser YANKEE"
		name: "lab: yankee host announcement",
		data: []byte{
			0x01, 0x00, // opcode 1 (tshark: command 0x01, update count 0)
			0x03, 0x9a, 0x01, 0x00, // server type 0x00019a03
			0x06, 0x01, // version 6.1
			0x1e, 0x00, // 30 s (tshark: browser.period 30000)
			'Y', 'A', 'N', 'K', 'E', 'E', 0x00,
			'S', 'A', 'M', 'B', 'A', ' ', 'L', 'A', 'B', ' ', 'H', 'O', 'S', 'T', ' ', 'Y', 'A', 'N', 'K', 'E', 'E', 0x00,
		},
		want: LANMANAnnounce{Opcode: LANMANHostAnnouncement, ServerType: 0x00019a03, OSMajor: 6, OSMinor: 1,
			Periodicity: 30, ServerName: []byte("YANKEE"), Comment: []byte("SAMBA LAB HOST YANKEE")},
		info: "Host Announcement, Workstation, Server, Print Queue Server, Xenix Server, NT Workstation, NT Server, Potential Browser YANKEE (LAN Manager, every 30 s)",
		tree: map[string]string{
			"browser.command": "0x01", "browser.update_count": "0", "browser.period": "30000",
			"browser.server": "YANKEE", "browser.os_major": "6", "browser.os_minor": "1",
			"browser.server_type": "0x00019a03", "browser.comment": "SAMBA LAB HOST YANKEE",
			"browser.windows_version": "Windows 7 or Windows Server 2008 R2", "browser.server_type.nts": "1",
		},
	},
	{
		// same capture, frame 229: "BROWSER 249 Host Announcement YANKEE": nmbd stopping,
		// server type 0 and interval 0
		name: "lab: yankee going away",
		data: []byte{
			0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x01, 0x00, 0x00,
			'Y', 'A', 'N', 'K', 'E', 'E', 0x00,
			'S', 'A', 'M', 'B', 'A', ' ', 'L', 'A', 'B', ' ', 'H', 'O', 'S', 'T', ' ', 'Y', 'A', 'N', 'K', 'E', 'E', 0x00,
		},
		want: LANMANAnnounce{Opcode: LANMANHostAnnouncement, OSMajor: 6, OSMinor: 1,
			ServerName: []byte("YANKEE"), Comment: []byte("SAMBA LAB HOST YANKEE")},
		info: "Host Announcement YANKEE (LAN Manager, going away)",
		tree: map[string]string{"browser.period": "0", "browser.server_type": "0x00000000", "browser.server_type.workstation": "0"},
	},
}

var lanmanSpecCases = []lanmanCase{
	{
		name: "spec: host announcement every 30 s",
		data: append([]byte{
			0x01, 0x00, // opcode: host announcement
			0x03, 0x1a, 0x01, 0x00, // server type 0x00011a03
			0x04, 0x09, // version 4.9
			0x1e, 0x00, // periodicity 30 s
		}, "YANKEE\x00SAMBA 4.17.12-DEBIAN\x00"...),
		want: LANMANAnnounce{Opcode: LANMANHostAnnouncement, ServerType: 0x00011a03, OSMajor: 4, OSMinor: 9,
			Periodicity: 30, ServerName: []byte("YANKEE"), Comment: []byte("SAMBA 4.17.12-DEBIAN")},
		info: "Host Announcement, Workstation, Server, Print Queue Server, Xenix Server, NT Workstation, Potential Browser YANKEE (LAN Manager, every 30 s)",
		tree: map[string]string{
			"browser.command": "0x01", "browser.update_count": "0", "browser.server_type": "0x00011a03",
			"browser.server_type.print": "1", "browser.server_type.xenix": "1", "browser.server_type.wfw": "0",
			"browser.windows_version": "", "browser.os_major": "4", "browser.os_minor": "9",
			"browser.period": "30000", "browser.server": "YANKEE", "browser.comment": "SAMBA 4.17.12-DEBIAN",
			"browser.mb_server": "", "browser.sig": "",
		},
	},
	{
		name: "spec: host announcement going away, empty comment, XP version",
		data: append([]byte{0x01, 0x00, 0, 0, 0, 0, 0x05, 0x01, 0x00, 0x00}, "X\x00\x00"...),
		want: LANMANAnnounce{Opcode: LANMANHostAnnouncement, OSMajor: 5, OSMinor: 1,
			ServerName: []byte("X"), Comment: []byte{}},
		info: "Host Announcement X (LAN Manager, going away)",
		tree: map[string]string{"browser.windows_version": "Windows XP", "browser.period": "0", "browser.comment": ""},
	},
	{
		name: "spec: domain announcement (opcode 12: the string is the master)",
		data: append([]byte{0x0c, 0x00, 0x00, 0x10, 0x00, 0x80, 0x04, 0x09, 0x2c, 0x01}, "OTHERWG\x00XRAY\x00"...),
		want: LANMANAnnounce{Opcode: LANMANDomainAnnouncement, ServerType: 0x80001000, OSMajor: 4, OSMinor: 9,
			Periodicity: 300, ServerName: []byte("OTHERWG"), Comment: []byte("XRAY")},
		info: "Domain/Workgroup Announcement, NT Workstation, Domain Enum OTHERWG (LAN Manager, every 300 s)",
		tree: map[string]string{"browser.mb_server": "XRAY", "browser.comment": "", "browser.period": "300000"},
	},
	{
		name: "spec: announcement request (opcode 2: only the command is shown)",
		data: append([]byte{0x02, 0x00}, "CLIENT\x00"...),
		want: LANMANAnnounce{Opcode: LANMANAnnouncementRequest},
		info: "Request Announcement",
		tree: map[string]string{"browser.command": "0x02", "browser.update_count": "", "browser.server": ""},
	},
}

func lanmanCompare(t *testing.T, got, want *LANMANAnnounce) {
	t.Helper()
	if got.Opcode != want.Opcode || got.ServerType != want.ServerType || got.OSMajor != want.OSMajor ||
		got.OSMinor != want.OSMinor || got.Periodicity != want.Periodicity ||
		string(got.ServerName) != string(want.ServerName) || string(got.Comment) != string(want.Comment) {
		t.Errorf("decoded\n%+v\nwant\n%+v", *got, *want)
	}
}

func TestLANMANAnnounceDecode(t *testing.T) {
	for _, tc := range append(append([]lanmanCase{}, lanmanRealCases...), lanmanSpecCases...) {
		t.Run(tc.name, func(t *testing.T) {
			var l LANMANAnnounce
			if err := l.DecodeFromBytes(tc.data, gopacket.NilDecodeFeedback); err != nil {
				t.Fatal(err)
			}
			lanmanCompare(t, &l, &tc.want)
			if got := string(l.AppendInfo(nil)); got != tc.info {
				t.Errorf("info\n%q\nwant\n%q", got, tc.info)
			}
			var tr Tree
			l.AppendTree(&tr)
			for f, want := range tc.tree {
				if got := msFieldValues(&tr, f); got != want {
					t.Errorf("%s = %q, want %q", f, got, want)
				}
			}
			for _, n := range tr.Nodes {
				if n.Flags&NodeError != 0 {
					t.Errorf("unexpected expert note %q", n.Label)
				}
			}
		})
	}
}

func TestLANMANAnnounceMalformed(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		tree map[string]string
	}{
		{"empty", nil, map[string]string{"browser.command": ""}},
		{"one byte", []byte{0x01}, map[string]string{"browser.command": "0x01", "browser.update_count": ""}},
		{"cut in the server type", []byte{0x01, 0x00, 0x03, 0x1a}, map[string]string{"browser.update_count": "0", "browser.server_type": ""}},
		{"cut in the periodicity", []byte{0x01, 0x00, 0x03, 0x1a, 0x01, 0x00, 0x04, 0x09, 0x1e},
			map[string]string{"browser.server_type": "0x00011a03", "browser.os_minor": "9", "browser.period": ""}},
		{"name without NUL", append([]byte{0x01, 0x00, 0, 0, 0, 0, 4, 9, 0x1e, 0}, "YANK"...),
			map[string]string{"browser.period": "30000", "browser.server": ""}},
		{"no comment", append([]byte{0x01, 0x00, 0, 0, 0, 0, 4, 9, 0x1e, 0}, "YANKEE\x00"...),
			map[string]string{"browser.server": "YANKEE", "browser.comment": ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var l LANMANAnnounce
			err := l.DecodeFromBytes(tc.data, gopacket.NilDecodeFeedback)
			var de *DecodeError
			if !errors.Is(err, ErrTruncated) || !errors.As(err, &de) || l.Err != err ||
				!strings.HasPrefix(err.Error(), "lanman announce: ") {
				t.Fatalf("err %v", err)
			}
			var tr Tree
			l.AppendTree(&tr)
			for f, want := range tc.tree {
				if got := msFieldValues(&tr, f); got != want {
					t.Errorf("%s = %q, want %q", f, got, want)
				}
			}
			if last := tr.Nodes[len(tr.Nodes)-1]; last.Flags&NodeError == 0 {
				t.Errorf("tree does not end with the malformed note")
			}
			l.AppendInfo(nil)
		})
	}
}

func TestLANMANAnnounceAllocs(t *testing.T) {
	var l LANMANAnnounce
	var tr Tree
	var info []byte
	for _, tc := range append(append([]lanmanCase{}, lanmanRealCases...), lanmanSpecCases...) {
		allocs := testing.AllocsPerRun(50, func() {
			if err := l.DecodeFromBytes(tc.data, nil); err != nil {
				t.Fatal(err)
			}
			tr.Reset()
			l.AppendTree(&tr)
			info = l.AppendInfo(info[:0])
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations, want 0", tc.name, allocs)
		}
	}
}

func BenchmarkLANMANAnnounceDecode(b *testing.B) {
	var l LANMANAnnounce
	data := lanmanSpecCases[0].data
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		if err := l.DecodeFromBytes(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzLANMANAnnounce(f *testing.F) {
	for _, tc := range append(append([]lanmanCase{}, lanmanRealCases...), lanmanSpecCases...) {
		f.Add(tc.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var l LANMANAnnounce
		err := l.DecodeFromBytes(data, nil)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) || l.Err != err {
				t.Fatalf("error %v is not a kept *DecodeError", err)
			}
		}
		var tr Tree
		l.AppendTree(&tr)
		l.AppendInfo(nil)
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
