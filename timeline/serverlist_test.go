package timeline

import (
	"strings"
	"testing"
	"time"
)

// enumList is a level-1 NetServerEnum2 response from src to dst, as asked
// for the responder's own domain ("").
func enumList(frame int, sec float64, src, dst string, mask uint32, entries ...ServerEntry) *ServerList {
	return &ServerList{Meta: Meta{Time: at(sec), Frame: frame, Segment: "lan", Src: ip(src), Dst: ip(dst)},
		Server: ip(src), TypeMask: mask, Level: 1, Entries: entries, EntryCount: len(entries), Available: len(entries)}
}

// A NetServerEnum2 list is not an enum_mismatch when nothing on the
// segment was heard to compare it with: the sniffer saw no broadcast. The
// Arkime copy of the Wireshark wiki's smb-on-windows-10 capture
// (/work/extpcaps, see SOURCES.md) holds not one browser frame:
//
//	25  0.053625  192.168.199.1 → 192.168.199.133  LANMAN 176 NetServerEnum2 Response
//	    (all types: DESKTOP-V1FA0UQ 0x00011003, SCV)
//	27  0.055292  192.168.199.1 → 192.168.199.133  LANMAN 152 NetServerEnum2 Response
//	    (Domain Enum: WORKGROUP 0x80001000)
//
// and the evilfingers nmap FTP-bounce capture neither (frames 14, 43: server
// lists with CCAS_ATTEAM, VIRTUAL; 55: the workgroup list MSHOME). All of
// them used to be flagged "extra". The lists are still kept, marked
// unchecked.
func TestEnumListWithNothingHeardIsNotMismatch(t *testing.T) {
	evs, snap := run(DefaultConfig(), 0,
		enumList(25, 0.053625, "192.168.199.1", "192.168.199.133", 0xffffffff,
			ServerEntry{Name: "DESKTOP-V1FA0UQ", ServerType: 0x00011003, OSMajor: 10},
			ServerEntry{Name: "SCV", ServerType: 0x00051003, OSMajor: 10}),
		enumList(27, 0.055292, "192.168.199.1", "192.168.199.133", svDomainEnum,
			ServerEntry{Name: "WORKGROUP", ServerType: 0x80001000, OSMajor: 3, OSMinor: 10, Comment: "SCV"}),
	)
	if a := anomalies(evs, AnomalyEnumMismatch); len(a) != 0 {
		t.Errorf("enum_mismatch = %+v", a)
	}
	bl := kinds(evs, KindBrowseList)
	if len(bl) != 2 || bl[0].Frame != 25 || bl[1].Frame != 27 {
		t.Fatalf("browse.list = %+v", bl)
	}
	for _, e := range bl {
		if l := data[*ServerListSnapshot](e); !l.Unchecked || len(l.Extra)+len(l.Missing)+len(l.Different) != 0 {
			t.Errorf("list of frame %d = %+v", e.Frame, l)
		}
	}
	n := 0
	for _, g := range snap.Groups {
		for _, l := range g.Lists {
			n++
			if !l.Unchecked || len(l.Extra) != 0 {
				t.Errorf("snapshot list of frame %d = %+v", l.Frame, l)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d lists in the snapshot, want 2", n)
	}
}

// Once announcements were heard, the lists are compared again: a server
// list with the group's Browse List, a workgroup list with the segment's
// DomainAnnouncements or masters. Only announcements count: an entry a
// master handed out (source NetServerEnum2) is not something to compare
// with.
func TestEnumListComparedOnceHeard(t *testing.T) {
	srv := func(name string, typ uint32) ServerEntry {
		return ServerEntry{Name: name, ServerType: typ, OSMajor: 6, OSMinor: 1}
	}
	t.Run("server list", func(t *testing.T) {
		evs, _ := run(DefaultConfig(), 0,
			hostAnn(1, 0, "21", "WS1", "LABWG", 0x00011003, time.Minute),
			enumList(2, 5, "21", "99", 0xffffffff, srv("WS1", 0x00011003), srv("WS9", 0x00011003)),
		)
		mm := anomalies(evs, AnomalyEnumMismatch)
		if len(mm) != 1 || !strings.Contains(mm[0].Detail, "extra 1 (WS9)") {
			t.Errorf("enum_mismatch = %+v", mm)
		}
		if bl := kinds(evs, KindBrowseList); len(bl) != 1 || data[*ServerListSnapshot](bl[0]).Unchecked {
			t.Errorf("browse.list = %+v", bl)
		}
	})
	t.Run("server list, entries only from another list", func(t *testing.T) {
		// SRV is a master (its LocalMasterAnnouncement makes it an
		// announced entry); once it is gone only the entries it handed
		// out remain.
		evs, _ := run(DefaultConfig(), 0,
			lma(1, 0, "11", "SRV", "LABWG"),
			enumList(2, 5, "11", "99", 0xffffffff, srv("SRV", 0x00049a03), srv("WS9", 0x00011003)),
			&Announcement{Meta: dgram(3, 6, "11", bcast, "SRV", "LABWG", 0x1e), Kind: LocalMasterAnnouncement, Server: "SRV"},
			enumList(4, 7, "11", "99", 0xffffffff, srv("WS9", 0x00011003), srv("WS8", 0x00011003)),
		)
		mm := anomalies(evs, AnomalyEnumMismatch)
		if len(mm) != 1 || mm[0].Frame != 2 {
			t.Errorf("enum_mismatch = %+v, want only frame 2's", mm)
		}
		if bl := kinds(evs, KindBrowseList); len(bl) != 2 || bl[1].Workgroup != "LABWG" || !data[*ServerListSnapshot](bl[1]).Unchecked {
			t.Errorf("browse.list = %+v", bl)
		}
	})
	t.Run("workgroup list", func(t *testing.T) {
		d := &Announcement{Meta: dgram(1, 0, "11", bcast, "SRV", msBrowse, 0x01), Kind: DomainAnnouncement, Server: "LABWG",
			ServerType: 0x80001000, Periodicity: 2 * time.Minute, Comment: "SRV"}
		evs, _ := run(DefaultConfig(), 0, d,
			enumList(2, 5, "11", "99", svDomainEnum, ServerEntry{Name: "LABWG", ServerType: 0x80001000, Comment: "SRV"},
				ServerEntry{Name: "OTHERWG", ServerType: 0x80001000, Comment: "X"}),
		)
		mm := anomalies(evs, AnomalyEnumMismatch)
		if len(mm) != 1 || !strings.Contains(mm[0].Detail, "extra 1 (OTHERWG)") {
			t.Errorf("enum_mismatch = %+v", mm)
		}
	})
	t.Run("workgroup list, master heard", func(t *testing.T) {
		evs, _ := run(DefaultConfig(), 0,
			lma(1, 0, "11", "SRV", "LABWG"),
			enumList(2, 5, "11", "99", svDomainEnum, ServerEntry{Name: "OTHERWG", ServerType: 0x80001000, Comment: "X"}),
		)
		mm := anomalies(evs, AnomalyEnumMismatch)
		if len(mm) != 1 || !strings.Contains(mm[0].Detail, "extra 1 (OTHERWG)") {
			t.Errorf("enum_mismatch = %+v", mm)
		}
	})
}

// A host's own latest announcement on its segment wins over any copy: the
// domain master's list (a DMB synchronisation, merged into the asking
// local master's Browse List) holds an older copy of this segment, in
// which LMBB is not yet master. Its entry keeps the master bit, and LMBB's
// own list is then compared with the announcements, not "not compared".
func TestOwnAnnouncementWinsOverSyncCopy(t *testing.T) {
	a := func(s string) string { return "10.0.1." + s }
	dmb := lma(3, 2, a("11"), "DMB", "LABWG")
	dmb.Dst = ip(a("255"))
	sync := enumList(4, 30, a("11"), "11", 0xffffffff,
		ServerEntry{Name: "BHOST", ServerType: 0x00019a03, OSMajor: 6, OSMinor: 1},
		ServerEntry{Name: "DMB", ServerType: 0x000c9a03, OSMajor: 6, OSMinor: 1},
		ServerEntry{Name: "LMBB", ServerType: 0x00019a03, OSMajor: 6, OSMinor: 1}) // before it was master
	sync.Domain = "LABWG"
	evs, snap := run(DefaultConfig(), 0,
		lma(1, 0, "11", "LMBB", "LABWG"),
		hostAnn(2, 1, "12", "BHOST", "LABWG", 0x00019a03, 12*time.Minute),
		dmb,
		sync,
		enumList(5, 40, "11", "99", 0xffffffff,
			ServerEntry{Name: "LMBB", ServerType: 0x00049a03, OSMajor: 6, OSMinor: 1, Comment: "comment of LMBB"}),
	)
	var g *Group
	for _, x := range snap.Groups {
		if x.Segment == "lan/10.0.0.255" && x.Workgroup == "LABWG" {
			g = x
		}
	}
	if g == nil {
		t.Fatal("no LABWG on lan/10.0.0.255")
	}
	for _, s := range g.Servers {
		if s.Name == "LMBB" && (s.Type != 0x00049a03 || s.Source != SourceAnnouncement) {
			t.Errorf("LMBB's entry = type %#x from %s, want its own LocalMasterAnnouncement's 0x00049a03", s.Type, s.Source)
		}
	}
	bl := kinds(evs, KindBrowseList)
	if len(bl) != 2 || !data[*ServerListSnapshot](bl[0]).Sync {
		t.Fatalf("browse.list = %+v", bl)
	}
	if l := data[*ServerListSnapshot](bl[1]); l.Unchecked || strings.Join(l.Missing, ",") != "BHOST,DMB" || len(l.Different) != 0 {
		t.Errorf("LMBB's list = %+v, want compared, BHOST and DMB missing", l)
	}
	if mm := anomalies(evs, AnomalyEnumMismatch); len(mm) != 1 || mm[0].Frame != 5 {
		t.Errorf("enum_mismatch = %+v", mm)
	}
}

// A list is not a mismatch for what its master could not have listed yet:
// an announcement heard 17 ms before the list (the list is built when the
// request arrives), or a host that has not announced since the responder
// became local master less than one of its announcement periods ago (a
// new master's list fills over that period). A host that announced to
// the master well before the list is missing for real.
func TestEnumListNotYetListed(t *testing.T) {
	lmbList := func(frame int, sec float64) *ServerList {
		return enumList(frame, sec, "11", "99", 0xffffffff,
			ServerEntry{Name: "SRV", ServerType: 0x00049a03, OSMajor: 6, OSMinor: 1, Comment: "comment of SRV"})
	}
	ws := func(frame int, sec float64, name, src string) *Announcement {
		return hostAnn(frame, sec, src, name, "LABWG", 0x00011003, 12*time.Minute)
	}
	tests := []struct {
		name    string
		obs     []Observation
		missing string
	}{
		{"announced 17 ms before the list", []Observation{lma(1, 0, "11", "SRV", "LABWG"), ws(2, 600, "WS1", "21"),
			lmbList(3, 600.017)}, ""},
		{"announced 5 s before the list", []Observation{lma(1, 0, "11", "SRV", "LABWG"), ws(2, 600, "WS1", "21"),
			lmbList(3, 605)}, "WS1"},
		{"not announced since the new master began", []Observation{ws(1, 0, "WS1", "21"), lma(2, 100, "11", "SRV", "LABWG"),
			lmbList(3, 400)}, ""},
		{"announced to the new master", []Observation{ws(1, 0, "WS1", "21"), lma(2, 100, "11", "SRV", "LABWG"),
			ws(3, 120, "WS1", "21"), lmbList(4, 400)}, "WS1"},
		{"a period after the new master began", []Observation{ws(1, 0, "WS1", "21"), lma(2, 100, "11", "SRV", "LABWG"),
			ws(3, 700, "WS1", "21"), lmbList(4, 900)}, "WS1"},
		// two-workgroups capture: BRAVO announced 70 s after ALPHA became
		// master and again 15 ms before ALPHA's empty list (frames 129,
		// 177, 200); the master's own entry is always due.
		{"announced to the new master, and again just before", []Observation{lma(1, 0, "11", "SRV", "LABWG"),
			ws(2, 6, "BRAVO", "12"), ws(3, 76, "BRAVO", "12"), enumList(4, 76.015, "11", "99", 0xffffffff)}, "BRAVO,SRV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, _ := run(DefaultConfig(), 0, tt.obs...)
			bl := kinds(evs, KindBrowseList)
			if len(bl) != 1 {
				t.Fatalf("browse.list = %+v", bl)
			}
			l := data[*ServerListSnapshot](bl[0])
			if strings.Join(l.Missing, ",") != tt.missing {
				t.Errorf("missing = %v, want %q", l.Missing, tt.missing)
			}
			if mm := anomalies(evs, AnomalyEnumMismatch); (len(mm) == 1) != (tt.missing != "") || len(mm) > 1 {
				t.Errorf("enum_mismatch = %+v", mm)
			}
		})
	}
}
