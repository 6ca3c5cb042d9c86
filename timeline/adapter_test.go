package timeline

import (
	"fmt"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// The adapter on real frames: each case names the capture, the frame and
// tshark 4.0's summary line; the expected values are tshark's fields for
// that frame (-T fields -e browser.* / nbns.* / lanman.*).
func TestAdapterRealFrames(t *testing.T) {
	a4 := netip.MustParseAddr
	cases := []struct {
		scen  string
		frame int
		want  Observation // Meta's Time, Frame and Segment are not compared
	}{
		// election.pcapng frame 26: 198.18.1.11 → 198.18.1.255 BROWSER 230 Browser Election Request
		{"election", 26, &Election{Meta: Meta{Src: a4("198.18.1.11"), Dst: a4("198.18.1.255"), SrcName: "ALPHA",
			DstName: "LABWG", DstSuffix: 0x1e, DstGroup: true}, Ballot: Ballot{Version: 1, Criteria: 0x14010f02, Uptime: 6000, Name: "ALPHA"}}},
		// election.pcapng frame 40: 198.18.1.11 → 198.18.1.255 BROWSER 263 Local Master Announcement ALPHA, ...
		{"election", 40, &Announcement{Meta: Meta{Src: a4("198.18.1.11"), Dst: a4("198.18.1.255"), SrcName: "ALPHA",
			DstName: "LABWG", DstSuffix: 0x1e, DstGroup: true}, Kind: LocalMasterAnnouncement, Server: "ALPHA", ServerType: 0x00049a03,
			Periodicity: 120 * time.Second, OSMajor: 6, OSMinor: 1, Comment: "Samba lab host ALPHA", UpdateCount: 2}},
		// election.pcapng frame 41: 198.18.1.11 → 198.18.1.255 BROWSER 248 Domain/Workgroup Announcement LABWG, NT Workstation, Domain Enum
		{"election", 41, &Announcement{Meta: Meta{Src: a4("198.18.1.11"), Dst: a4("198.18.1.255"), SrcName: "ALPHA",
			DstName: "\x01\x02__MSBROWSE__\x02", DstSuffix: 0x01, DstGroup: true}, Kind: DomainAnnouncement, Server: "LABWG",
			ServerType: 0x80001000, Periodicity: 120 * time.Second, OSMajor: 6, OSMinor: 1, Comment: "ALPHA", UpdateCount: 2}},
		// election.pcapng frame 91: 198.18.1.11 → 198.18.1.255 NBNS 110 Release NB LABWG<1d> (nbns.id 0x11f4)
		{"election", 91, &NameEvent{Meta: Meta{Src: a4("198.18.1.11"), Dst: a4("198.18.1.255")}, Op: NameRelease,
			Name: "LABWG", Suffix: 0x1d, Addrs: []netip.Addr{a4("198.18.1.11")}, Bcast: true, ID: 0x11f4}},
		// election.pcapng frame 162: 198.18.1.99 → 198.18.1.255 BROWSER 216 Get Backup List Request
		{"election", 162, &BackupListRequest{Meta: Meta{Src: a4("198.18.1.99"), Dst: a4("198.18.1.255"), SrcName: "CLIENT",
			DstName: "LABWG", DstSuffix: 0x1d, DstGroup: true}, Count: 4, Token: 0x9ca8d055}},
		// election.pcapng frame 163: 198.18.1.14 → 198.18.1.99 BROWSER 222 Get Backup List Response
		{"election", 163, &BackupListResponse{Meta: Meta{Src: a4("198.18.1.14"), Dst: a4("198.18.1.99"), SrcName: "DELTA",
			DstName: "CLIENT", DstSuffix: 0x00}, Token: 0x9ca8d055, Servers: []string{"DELTA"}}},
		// election.pcapng frame 192: 198.18.1.15 → 198.18.1.255 BROWSER 225 Browser Election Request (version 0, criteria 0)
		{"election", 192, &Election{Meta: Meta{Src: a4("198.18.1.15"), Dst: a4("198.18.1.255"), SrcName: "ECHO",
			DstName: "LABWG", DstSuffix: 0x1e, DstGroup: true}}},
		// storm.pcapng frame 290: 198.18.1.16 → 198.18.1.14 BROWSER 212 Reset Browser State Announcement
		{"storm", 290, &ResetBrowserState{Meta: Meta{Src: a4("198.18.1.16"), Dst: a4("198.18.1.14"), SrcName: "FOXTROT",
			DstName: "__SAMBA__", DstSuffix: 0x20}, Flags: 0x02}},
		// storm.pcapng frame 326: 198.18.1.99 → 198.18.1.255 BROWSER 217 Become Backup Browser
		{"storm", 326, &BecomeBackup{Meta: Meta{Src: a4("198.18.1.99"), Dst: a4("198.18.1.255"), SrcName: "CLIENT",
			DstName: "LABWG", DstSuffix: 0x1e, DstGroup: true}, Target: "BRAVO"}},
		// dmb.pcapng frame 47: 198.18.1.10 → 198.18.1.11 NBNS 104 Registration response NB 198.18.1.11
		// (nbns.id 0x1308, nb_flags 0x6000: H node, ttl 259200)
		{"dmb", 47, &NameEvent{Meta: Meta{Src: a4("198.18.1.10"), Dst: a4("198.18.1.11")}, Op: NameRegistration, Response: true,
			Name: "LABWG", Suffix: 0x1b, Addrs: []netip.Addr{a4("198.18.1.11")}, TTL: 259200, NodeType: 3, ID: 0x1308}},
		// dmb.pcapng frame 250: 198.18.2.11 → 198.18.1.11 BROWSER 216 Master Announcement
		{"dmb", 250, &MasterAnnouncement{Meta: Meta{Src: a4("198.18.2.11"), Dst: a4("198.18.1.11"), SrcName: "LMBB",
			DstName: "DMB", DstSuffix: 0x00}, Master: "LMBB"}},
		// two-workgroups.pcapng frame 139: 198.18.1.22 → 198.18.1.255 BROWSER 249 Host Announcement, ... YANKEE (\MAILSLOT\LANMAN)
		{"two-workgroups", 139, &Announcement{Meta: Meta{Src: a4("198.18.1.22"), Dst: a4("198.18.1.255"), SrcName: "YANKEE",
			DstName: "OTHERWG", DstSuffix: 0x00, DstGroup: true}, Kind: LANMANAnnouncement, Server: "YANKEE", ServerType: 0x00019a03,
			Periodicity: 30 * time.Second, OSMajor: 6, OSMinor: 1, Comment: "SAMBA LAB HOST YANKEE"}},
	}
	byScen := map[string]map[int][]Observation{}
	for _, c := range cases {
		if byScen[c.scen] == nil {
			obs := readObservations(t, labCapture(t, c.scen), c.scen)
			m := map[int][]Observation{}
			for _, o := range obs {
				m[o.meta().Frame] = append(m[o.meta().Frame], o)
			}
			byScen[c.scen] = m
		}
		got := byScen[c.scen][c.frame]
		if len(got) != 1 {
			t.Errorf("%s frame %d: %d observations, want 1: %#v", c.scen, c.frame, len(got), got)
			continue
		}
		g := got[0]
		m := g.meta()
		if m.Frame != c.frame || m.Segment != c.scen || m.Time.IsZero() {
			t.Errorf("%s frame %d: meta %+v", c.scen, c.frame, *m)
		}
		// Compare without time, frame and segment.
		saved := *m
		m.Time, m.Frame, m.Segment = time.Time{}, 0, ""
		if !reflect.DeepEqual(g, c.want) {
			t.Errorf("%s frame %d:\n got %#v\nwant %#v", c.scen, c.frame, g, c.want)
		}
		*m = saved
	}
}

// enum.pcapng frame 946: 198.18.1.11 → 198.18.1.99 LANMAN 335 NetServerEnum2
// Response; tshark -2: lanman.status 234, entry_count 3, available_count 45,
// ALIAS01, ALIAS02, ALIAS03.
func TestAdapterServerList(t *testing.T) {
	obs := readObservations(t, labCapture(t, "enum"), "enum")
	var l *ServerList
	for _, o := range obs {
		if s, ok := o.(*ServerList); ok && s.Frame == 946 {
			l = s
		}
	}
	if l == nil {
		t.Fatal("no ServerList at frame 946: the engine did not hand the RAP response to the adapter")
	}
	if l.Status != 234 || l.EntryCount != 3 || l.Available != 45 || len(l.Entries) != 3 || l.Domain != "LABWG" ||
		l.TypeMask != 0xffffffff || l.Level != 1 || l.Server != netip.MustParseAddr("198.18.1.11") {
		t.Errorf("list = %+v", l)
	}
	for i, name := range []string{"ALIAS01", "ALIAS02", "ALIAS03"} {
		if i < len(l.Entries) && (l.Entries[i].Name != name || l.Entries[i].ServerType != 0x00009a03) {
			t.Errorf("entry %d = %+v", i, l.Entries[i])
		}
	}
}

// The adapter ignores frames that carry nothing for the timeline.
func TestAdapterNil(t *testing.T) {
	if FromFrame(nil) != nil {
		t.Error("FromFrame(nil)")
	}
}

// A TCP segment's session packets make observations only of session
// requests (a note), their negative or retarget answers, RAP responses
// and the frame's errors and bounds hit; a segment of SMB messages alone
// makes none.
func TestAdapterTCPSegments(t *testing.T) {
	msg := &dissect.NBSS{Type: dissect.NBSSSessionMessage}
	smb := &dissect.SMB{}
	neg := &dissect.NBSS{Type: dissect.NBSSNegativeSessionResponse, ErrorCode: 0x82}
	req := &dissect.NBSS{Type: dissect.NBSSSessionRequest}
	req.CalledName.Raw = dissect.MakeName("SERVER", 0x20)
	bound := dissect.BoundHit{Bound: "MaxStreams", Err: dissect.Limit("tcp", "streams", -1, "too many")}
	for _, c := range []struct {
		name   string
		msgs   []dissect.Message
		bounds []dissect.BoundHit
		want   string // the observations' types, then the notes' count
	}{
		{"SMB", []dissect.Message{msg, smb, msg, smb}, nil, "[] 0"},
		{"SMB then a negative answer", []dissect.Message{msg, smb, neg}, nil, "[*timeline.SessionEvent] 1"},
		{"SMB then a request", []dissect.Message{msg, smb, req}, nil, "[] 1"},
		{"SMB and a bound hit", []dissect.Message{msg, smb}, []dissect.BoundHit{bound}, "[*timeline.DecodeProblem] 0"},
	} {
		a := NewAdapter()
		a.ShareSessions(0)
		f := &dissect.Frame{Number: 7, Msgs: c.msgs, Bounds: c.bounds}
		f.Net.HasIP, f.Net.IPProto, f.Net.TCPStream = true, 6, 3
		f.Net.Src = [4]byte{10, 0, 0, 1}
		var types []string
		obs := a.FromFrame(f)
		for _, o := range obs {
			types = append(types, fmt.Sprintf("%T", o))
			if m := o.meta(); m.Frame != 7 || m.Src != netip.MustParseAddr("10.0.0.1") {
				t.Errorf("%s: %T's context %+v", c.name, o, m)
			}
		}
		if got := fmt.Sprintf("%v %d", types, len(a.SessionNotes())); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
