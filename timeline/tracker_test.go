package timeline

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// The ballot order of the Browse Service ([MS-BRWS] §3.3.5.8): version,
// then criteria as a 32-bit number (OS level, browser version, role bits),
// then uptime, then the name that sorts first.
func TestBallotCompare(t *testing.T) {
	tests := []struct {
		name  string
		a, b  Ballot
		want  int
		field string
		says  string
	}{
		{"version", Ballot{1, 0x14010f02, 1000, "A"}, Ballot{0, 0, 0, ""}, 1, "version", "1 > 0"},
		{"version loses", Ballot{0, 0x7f010f02, 9000, "A"}, Ballot{1, 0x01010f02, 0, "B"}, -1, "version", "1 > 0"},
		{"os level", Ballot{1, 0x20010f02, 0, "DC1"}, Ballot{1, 0x14010f02, 99000, "FS2"}, 1, "criteria", "OS level 32 > 20"},
		{"browser version", Ballot{1, 0x20010f02, 0, "A"}, Ballot{1, 0x20010b02, 0, "B"}, 1, "criteria", "browser version 15.1 > 11.1"},
		{"role bits", Ballot{1, 0x4101<<16 | 0x0f0a, 0, "A"}, Ballot{1, 0x41010f02, 0, "B"}, 1, "criteria",
			"role bits 0x0a (potential browser, preferred master) > 0x02 (potential browser)"},
		{"uptime", Ballot{1, 0x41010f0b, 30000, "FOXTROT"}, Ballot{1, 0x41010f0b, 35000, "DELTA"}, -1, "uptime", "35 s > 30 s"},
		{"uptime ms", Ballot{1, 0x41010f0b, 35250, "A"}, Ballot{1, 0x41010f0b, 35000, "B"}, 1, "uptime", "35.250 s > 35 s"},
		{"name", Ballot{1, 0x20010f02, 5000, "bravo"}, Ballot{1, 0x20010f02, 5000, "ALPHA"}, -1, "name", "ALPHA < bravo"},
		{"identical", Ballot{1, 0x20010f02, 5000, "ALPHA"}, Ballot{1, 0x20010f02, 5000, "alpha"}, 0, "", "identical ballots"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, field, says := compareBallots(tt.a, tt.b, 0)
			if c != tt.want || field != tt.field || says != tt.says {
				t.Errorf("compare = %d %q %q, want %d %q %q", c, field, says, tt.want, tt.field, tt.says)
			}
			if rc := tt.b.Compare(tt.a); rc != -tt.want {
				t.Errorf("reverse compare = %d, want %d", rc, -tt.want)
			}
		})
	}
	// Uptime carried forward: a ballot sent 10 s earlier with 5 s less
	// uptime is 5 s ahead by the time the later one arrives.
	c, field, says := compareAt(Ballot{1, 0x20010f02, 30000, "A"}, at(0), Ballot{1, 0x20010f02, 35000, "B"}, at(10))
	if c != 1 || field != "uptime" || says != "40 s > 35 s" {
		t.Errorf("compareAt = %d %q %q", c, field, says)
	}
	if !(Ballot{Version: 0, Criteria: 0x20010f02}).Forced() || !(Ballot{Version: 1}).Forced() ||
		(Ballot{Version: 1, Criteria: 1}).Forced() {
		t.Error("Forced")
	}
}

// An election round by round: who started it, each ballot, who dropped
// out when, the winner's LocalMasterAnnouncement, and the why.
func TestElectionStory(t *testing.T) {
	evs, snap := run(DefaultConfig(), 0,
		hostAnn(1, 0, "2", "FS2", "CORP", 0x00011003, time.Minute),
		elect(2, 10, "2", "FS2", "CORP", 1, 0x14010f02, 10000),
		elect(3, 10.2, "1", "DC1", "CORP", 1, 0x20010f02, 50000),
		elect(4, 12, "1", "DC1", "CORP", 1, 0x20010f02, 52000),
		lma(5, 20, "1", "DC1", "CORP"),
	)
	if s := kinds(evs, KindElectionStart); len(s) != 1 || s[0].Host != "FS2" || s[0].Frame != 2 || data[*ElectionStart](s[0]).Forced {
		t.Fatalf("election.start = %+v", s)
	}
	if b := kinds(evs, KindElectionBallot); len(b) != 3 || data[*ElectionBallot](b[1]).Round != 2 || b[1].Host != "DC1" || data[*ElectionBallot](b[1]).Ballot.Criteria != 0x20010f02 {
		t.Fatalf("ballots = %+v", b)
	}
	d := kinds(evs, KindElectionDropout)
	if len(d) != 1 || d[0].Host != "FS2" || data[*ElectionDropout](d[0]).By != "DC1" || d[0].Frame != 3 {
		t.Fatalf("dropouts = %+v", d)
	}
	end := kinds(evs, KindElectionEnd)
	if len(end) != 1 || data[*ElectionEnd](end[0]).Outcome != OutcomeWon || data[*ElectionEnd](end[0]).Winner != "DC1" || data[*ElectionEnd](end[0]).RunnerUp != "FS2" || end[0].Frame != 5 {
		t.Fatalf("election.end = %+v", end)
	}
	if want := "DC1 beat FS2 on criteria: OS level 32 > 20"; data[*ElectionEnd](end[0]).Why != want {
		t.Errorf("why = %q, want %q", data[*ElectionEnd](end[0]).Why, want)
	}
	b := roleEvents(evs, KindRoleBegin, RoleLMB)
	if len(b) != 1 || b[0].Host != "DC1" || b[0].Frame != 5 || data[*RoleChange](b[0]).Election != 1 || b[0].Segment != "lan/10.0.0.255" {
		t.Fatalf("role.begin lmb = %+v", b)
	}
	g := snap.Group("lan/10.0.0.255", "CORP")
	if g == nil || len(g.Elections) != 1 || len(g.LMB) != 1 || g.LMB[0] != "DC1" {
		t.Fatalf("group = %+v", g)
	}
	e := g.Elections[0]
	if len(e.Rounds) != 3 || len(e.Candidates) != 2 || !e.Candidates[0].Dropped || e.Candidates[0].DroppedFrame != 3 ||
		e.Candidates[1].Dropped {
		t.Errorf("election record = %+v", e)
	}
}

// A master steps down at the first better ballot it hears (its own ballot
// known from its earlier RequestElection), and the election's winner's
// LocalMasterAnnouncement opens the new role (election capture, frames
// 90-109).
func TestMasterLosesToBetterBallot(t *testing.T) {
	evs, _ := run(DefaultConfig(), 0,
		elect(1, 0, "11", "ALPHA", "LABWG", 1, 0x14010f02, 6000),
		lma(2, 8, "11", "ALPHA", "LABWG"),
		elect(3, 60, "11", "ALPHA", "LABWG", 1, 0x14010f06, 66000), // ALPHA takes part again: no change
		elect(4, 120, "12", "BRAVO", "LABWG", 1, 0x20010f02, 30000),
		elect(5, 120.1, "13", "CHARLIE", "LABWG", 1, 0x40010f02, 30000),
		lma(6, 137, "13", "CHARLIE", "LABWG"),
	)
	ends := roleEvents(evs, KindRoleEnd, RoleLMB)
	if len(ends) != 1 || ends[0].Host != "ALPHA" || ends[0].Frame != 4 {
		t.Fatalf("role.end lmb = %+v", ends)
	}
	if !strings.Contains(ends[0].Reason, "BRAVO's better ballot (criteria: OS level 32 > 20)") {
		t.Errorf("reason = %q", ends[0].Reason)
	}
	begins := roleEvents(evs, KindRoleBegin, RoleLMB)
	if len(begins) != 2 || begins[1].Host != "CHARLIE" {
		t.Fatalf("role.begin lmb = %+v", begins)
	}
	el := kinds(evs, KindElectionEnd)
	if data[*ElectionEnd](el[len(el)-1]).Why != "CHARLIE beat BRAVO on criteria: OS level 64 > 32" {
		t.Errorf("why = %q", data[*ElectionEnd](el[len(el)-1]).Why)
	}
}

// A master that is stopped quietly: its NBNS release of WG<1d> ends the
// role (Samba sends no browser frame when it loses).
func TestMasterReleases1d(t *testing.T) {
	rel := reg(3, 30, "11", 7, "LABWG", 0x1d, false)
	rel.Op = NameRelease
	evs, snap := run(DefaultConfig(), 0,
		lma(1, 0, "11", "ALPHA", "LABWG"),
		rel,
	)
	ends := roleEvents(evs, KindRoleEnd, RoleLMB)
	if len(ends) != 1 || ends[0].Frame != 3 || ends[0].Reason != "released LABWG<1d>" {
		t.Fatalf("role.end = %+v", ends)
	}
	if r := kinds(evs, KindNameRelease); len(r) != 1 || data[*NameInfo](r[0]).Display() != "LABWG<1d>" {
		t.Errorf("name.release = %+v", r)
	}
	if g := snap.Group("lan/10.0.0.255", "LABWG"); len(g.LMB) != 0 {
		t.Errorf("LMB still %v", g.LMB)
	}
}

// Samba sends most broadcasts twice, once per bound interface: the copy
// is not a new event. NBNS retransmissions of one transaction neither.
func TestDuplicates(t *testing.T) {
	r1 := reg(5, 0, "12", 0x141c, "BRAVO", 0x20, false)
	r2 := reg(6, 0.0001, "12", 0x141c, "BRAVO", 0x20, false)
	r3 := reg(7, 2, "12", 0x141c, "BRAVO", 0x20, false)
	evs, snap := run(DefaultConfig(), 0,
		elect(1, 10, "12", "BRAVO", "LABWG", 1, 0x20010f02, 30000),
		elect(2, 10.0003, "12", "BRAVO", "LABWG", 1, 0x20010f02, 30000),
		hostAnn(3, 11, "12", "BRAVO", "LABWG", 0x00019a03, 2*time.Minute),
		hostAnn(4, 11.0002, "12", "BRAVO", "LABWG", 0x00019a03, 3*time.Minute),
		r1, r2, r3,
	)
	if n := len(kinds(evs, KindElectionBallot)); n != 1 {
		t.Errorf("%d ballots, want 1", n)
	}
	if n := len(kinds(evs, KindBrowseAdd)) + len(kinds(evs, KindBrowseUpdate)); n != 1 {
		t.Errorf("%d browse events, want 1", n)
	}
	if n := len(kinds(evs, KindNameRegister)); n != 1 {
		t.Errorf("%d name.register, want 1", n)
	}
	// The latest periodicity counts for expiry: 3 × 3 min.
	e := snap.Group("lan/10.0.0.255", "LABWG").Server("BRAVO")
	if want := at(11.0002).Add(9 * time.Minute); !e.Expires.Equal(want) {
		t.Errorf("expires %v, want %v", e.Expires, want)
	}
}

// Expiry by the Browse Service rules: three announced periods, 36 minutes
// when the periodicity is absent, at once for server type 0.
func TestBrowseExpiry(t *testing.T) {
	evs, snap := run(DefaultConfig(), 3600,
		hostAnn(1, 0, "21", "WS1", "LABWG", 0x00001003, time.Minute),
		hostAnn(2, 0, "22", "WS2", "LABWG", 0x00001003, 0),
		hostAnn(3, 0, "23", "WS3", "LABWG", 0x00001003, time.Minute),
		hostAnn(4, 30, "23", "WS3", "LABWG", 0, 0),
	)
	rm := kinds(evs, KindBrowseRemove)
	if len(rm) != 3 {
		t.Fatalf("browse.remove = %+v", rm)
	}
	if rm[0].Host != "WS3" || rm[0].Frame != 4 || !strings.HasPrefix(rm[0].Reason, "going away") {
		t.Errorf("first removal %+v", rm[0])
	}
	if rm[1].Host != "WS1" || !rm[1].Time.Equal(at(180)) || rm[1].Reason != "expired: not announced for 3 × 1m0s" {
		t.Errorf("WS1 removal %+v", rm[1])
	}
	if rm[2].Host != "WS2" || !rm[2].Time.Equal(at(36*60)) {
		t.Errorf("WS2 removal %+v", rm[2])
	}
	if a := anomalies(evs, AnomalyBadPeriodicity); len(a) != 1 || a[0].Host != "WS2" {
		t.Errorf("bad periodicity anomalies %+v", a)
	}
	if a := anomalies(evs, AnomalyEntryExpired); len(a) != 2 {
		t.Errorf("entry_expired anomalies %+v", a)
	}
	if g := snap.Group("lan/10.0.0.255", "LABWG"); len(g.Servers) != 0 {
		t.Errorf("servers left: %d", len(g.Servers))
	}
}

// Workgroups from DomainAnnouncements expire after 45 minutes.
func TestDomainExpiry(t *testing.T) {
	d := &Announcement{Meta: dgram(1, 0, "11", bcast, "ALPHA", msBrowse, 0x01), Kind: DomainAnnouncement, Server: "LABWG",
		ServerType: 0x80001000, Periodicity: 2 * time.Minute, Comment: "ALPHA"}
	evs, _ := run(DefaultConfig(), 3600, d)
	add, rm := kinds(evs, KindDomainAdd), kinds(evs, KindDomainRemove)
	if len(add) != 1 || add[0].Workgroup != "LABWG" || data[*ServerChange](add[0]).Server.Comment != "ALPHA" {
		t.Errorf("domain.add %+v", add)
	}
	if len(rm) != 1 || !rm[0].Time.Equal(at(45*60)) {
		t.Errorf("domain.remove %+v", rm)
	}
	if n := len(kinds(evs, KindAnomaly)); n != 0 {
		t.Errorf("%d anomalies", n)
	}
}

// More than StormCount elections within StormWindow: one storm anomaly
// naming who keeps starting them.
func TestElectionStorm(t *testing.T) {
	var obs []Observation
	for i := 0; i < 7; i++ {
		who, addr := "CLIENT", "99"
		if i%3 == 2 {
			who, addr = "WS7", "77"
		}
		obs = append(obs, elect(i+1, float64(i*20), addr, who, "LABWG", 0, 0, 0))
	}
	evs, _ := run(DefaultConfig(), 0, obs...)
	s := anomalies(evs, AnomalyElectionStorm)
	if len(s) != 1 {
		t.Fatalf("storm anomalies = %+v", s)
	}
	if s[0].Frame != 6 || s[0].Host != "CLIENT" || !strings.Contains(s[0].Detail, "started by CLIENT ×4, WS7 ×2") {
		t.Errorf("storm = %+v", s[0])
	}
	if n := len(kinds(evs, KindElectionStart)); n != 7 {
		t.Errorf("%d elections, want 7 (each forced election starts a new one)", n)
	}
	// Spread over more than the window: no storm.
	obs = obs[:0]
	for i := 0; i < 7; i++ {
		obs = append(obs, elect(i+1, float64(i*120), "99", "CLIENT", "LABWG", 0, 0, 0))
	}
	if evs, _ := run(DefaultConfig(), 0, obs...); len(anomalies(evs, AnomalyElectionStorm)) != 0 {
		t.Error("storm raised for elections 2 minutes apart")
	}
}

// Two masters announcing at once is a split brain; a master that went
// silent is superseded.
func TestSplitBrain(t *testing.T) {
	evs, snap := run(DefaultConfig(), 0,
		lma(1, 0, "14", "DELTA", "LABWG"),
		lma(2, 10, "16", "FOXTROT", "LABWG"),
	)
	if a := anomalies(evs, AnomalySplitBrain); len(a) != 1 || a[0].Frame != 2 {
		t.Fatalf("split brain = %+v", a)
	}
	if g := snap.Group("lan/10.0.0.255", "LABWG"); len(g.LMB) != 2 {
		t.Errorf("LMB = %v, want both", g.LMB)
	}
	evs, snap = run(DefaultConfig(), 0,
		lma(1, 0, "14", "DELTA", "LABWG"),
		lma(2, 600, "16", "FOXTROT", "LABWG"),
	)
	if len(anomalies(evs, AnomalySplitBrain)) != 0 {
		t.Error("split brain raised against a master silent for 10 minutes")
	}
	if e := roleEvents(evs, KindRoleEnd, RoleLMB); len(e) != 1 || e[0].Host != "DELTA" || e[0].Frame != 2 {
		t.Errorf("role.end = %+v", e)
	}
	if g := snap.Group("lan/10.0.0.255", "LABWG"); len(g.LMB) != 1 || g.LMB[0] != "FOXTROT" {
		t.Errorf("LMB = %v", g.LMB)
	}
}

// A winner whose ballot loses to a candidate still present is flagged,
// with both ballots.
func TestRiggedElection(t *testing.T) {
	evs, snap := run(DefaultConfig(), 0,
		elect(1, 0, "20", "WEAK", "LABWG", 1, 0x10010f02, 5000),
		elect(2, 0.5, "30", "STRONG", "LABWG", 1, 0x40010f02, 5000),
		lma(3, 10, "20", "WEAK", "LABWG"),
	)
	a := anomalies(evs, AnomalyRiggedElection)
	if len(a) != 1 || a[0].Host != "WEAK" {
		t.Fatalf("rigged = %+v", a)
	}
	for _, want := range []string{"STRONG's ballot is better on criteria: OS level 64 > 16", "0x10010f02", "0x40010f02"} {
		if !strings.Contains(a[0].Detail, want) {
			t.Errorf("detail %q lacks %q", a[0].Detail, want)
		}
	}
	e := snap.Group("lan/10.0.0.255", "LABWG").Elections[0]
	if !e.Flagged || e.Why != "WEAK won although STRONG's ballot is better on criteria: OS level 64 > 16" {
		t.Errorf("election = %+v", e)
	}
}

// No LocalMasterAnnouncement after the ballots: the election times out
// (an anomaly); at the end of a capture a recent one is just unfinished.
func TestElectionTimeoutAndUnfinished(t *testing.T) {
	evs, _ := run(DefaultConfig(), 600, elect(1, 0, "12", "BRAVO", "LABWG", 1, 0x20010f02, 1000))
	end := kinds(evs, KindElectionEnd)
	if len(end) != 1 || data[*ElectionEnd](end[0]).Outcome != OutcomeTimeout || !end[0].Time.Equal(at(120)) {
		t.Fatalf("election.end = %+v", end)
	}
	if len(anomalies(evs, AnomalyElectionTimeout)) != 1 {
		t.Error("no timeout anomaly")
	}
	evs, snap := run(DefaultConfig(), 30, elect(1, 0, "12", "BRAVO", "LABWG", 1, 0x20010f02, 1000))
	end = kinds(evs, KindElectionEnd)
	if len(end) != 1 || data[*ElectionEnd](end[0]).Outcome != OutcomeUnfinished || len(kinds(evs, KindAnomaly)) != 0 {
		t.Fatalf("events = %+v", evs)
	}
	if g := snap.Group("lan/10.0.0.255", "LABWG"); g.Elections[0].Running {
		t.Error("still running after Finish")
	}
}

// An election that never ends (ballots keep coming) is flagged once.
func TestElectionUnending(t *testing.T) {
	var obs []Observation
	for i := 0; i < 100; i++ {
		obs = append(obs, elect(i+1, float64(i*2), "12", "BRAVO", "LABWG", 1, 0x20010f02, uint32(i*2000)))
	}
	evs, _ := run(DefaultConfig(), 0, obs...)
	if a := anomalies(evs, AnomalyElectionUnending); len(a) != 1 || !a[0].Time.Equal(at(120)) {
		t.Errorf("unending = %+v", a)
	}
}

// The master in office that leads an election keeps the role: no new
// LocalMasterAnnouncement, the election settles, and ends at the time of
// the frame it cites (its last ballot), not when the settle time ran out.
func TestIncumbentKeeps(t *testing.T) {
	evs, _ := run(DefaultConfig(), 100,
		elect(1, 0, "14", "DELTA", "LABWG", 1, 0x41010f0a, 6000),
		lma(2, 8, "14", "DELTA", "LABWG"),
		elect(3, 30, "99", "CLIENT", "LABWG", 0, 0, 0),
		elect(4, 30.1, "14", "DELTA", "LABWG", 1, 0x41010f0f, 36000),
		elect(5, 32, "14", "DELTA", "LABWG", 1, 0x41010f0f, 38000),
	)
	end := kinds(evs, KindElectionEnd)
	if len(end) != 2 || data[*ElectionEnd](end[1]).Outcome != OutcomeKept || data[*ElectionEnd](end[1]).Winner != "DELTA" || !end[1].Time.Equal(at(32)) ||
		end[1].Frame != 5 {
		t.Fatalf("election.end = %+v", end)
	}
	// CLIENT's forced ballot is no rival (it can win nothing).
	if data[*ElectionEnd](end[1]).Why != "DELTA was the only candidate; CLIENT only forced the election (version 0 or criteria 0: such a ballot wins nothing)" {
		t.Errorf("why = %q", data[*ElectionEnd](end[1]).Why)
	}
	if n := len(roleEvents(evs, KindRoleEnd, RoleLMB)); n != 0 {
		t.Errorf("%d role.end", n)
	}
}

// ResetBrowserState is an anomaly; with the demote bit it ends the
// target's master role.
func TestResetBrowserState(t *testing.T) {
	rst := &ResetBrowserState{Meta: dgram(3, 5, "99", "14", "CLIENT", "LABWG", 0x1d), Flags: 0x01}
	evs, _ := run(DefaultConfig(), 0,
		lma(1, 0, "14", "DELTA", "LABWG"),
		hostAnn(2, 1, "99", "CLIENT", "LABWG", 0x1003, time.Minute),
		rst,
	)
	a := anomalies(evs, AnomalyResetBrowser)
	if len(a) != 1 || a[0].Host != "CLIENT" || !strings.Contains(a[0].Detail, "CLIENT told DELTA") ||
		!strings.Contains(a[0].Detail, "stop being local master (0x01)") {
		t.Fatalf("reset anomaly = %+v", a)
	}
	if e := roleEvents(evs, KindRoleEnd, RoleLMB); len(e) != 1 || e[0].Host != "DELTA" || e[0].Frame != 3 {
		t.Errorf("role.end = %+v", e)
	}
}

// Announcements sent to the wrong name are flagged once per host.
func TestWrongName(t *testing.T) {
	a1 := hostAnn(1, 0, "21", "WS1", "LABWG", 0x1003, time.Minute)
	a1.DstSuffix = 0x1e
	a2 := hostAnn(2, 60, "21", "WS1", "LABWG", 0x1003, time.Minute)
	a2.DstSuffix = 0x1e
	evs, _ := run(DefaultConfig(), 0, a1, a2)
	if a := anomalies(evs, AnomalyWrongName); len(a) != 1 || a[0].Detail != "HostAnnouncement from WS1 sent to LABWG<1e> instead of LABWG<1d>" {
		t.Errorf("wrong_name = %+v", a)
	}
}

// NetServerEnum2 lists: a truncated one, one that disagrees with the
// announcements, and the LMB <-> DMB synchronisation merged into the
// asking master's list.
func TestServerLists(t *testing.T) {
	list := func(frame int, sec float64, src, dst string, mask uint32, status uint16, avail int, entries ...ServerEntry) *ServerList {
		return &ServerList{Meta: Meta{Time: at(sec), Frame: frame, Segment: "lan", Src: ip(src), Dst: ip(dst)},
			Server: ip(src), Domain: "LABWG", TypeMask: mask, Level: 1, Status: status, Entries: entries,
			EntryCount: len(entries), Available: avail}
	}
	e := func(name string, typ uint32) ServerEntry {
		return ServerEntry{Name: name, ServerType: typ, OSMajor: 6, OSMinor: 1, Comment: "comment of " + name}
	}
	evs, snap := run(DefaultConfig(), 0,
		lma(1, 0, "11", "SRV", "LABWG"),
		hostAnn(2, 1, "21", "WS1", "LABWG", 0x00011003, time.Minute),
		hostAnn(3, 1, "22", "WS2", "LABWG", 0x00011003, time.Minute),
		list(4, 5, "11", "99", 0xffffffff, 234, 3, e("SRV", 0x00049a03)),
		list(5, 6, "11", "99", 0xffffffff, 0, 3, e("SRV", 0x00049a03), e("WS1", 0x00011003), e("WS9", 0x1003)),
	)
	if a := anomalies(evs, AnomalyEnumTruncated); len(a) != 1 || a[0].Frame != 4 {
		t.Errorf("truncated = %+v", a)
	}
	mm := anomalies(evs, AnomalyEnumMismatch)
	if len(mm) != 1 || mm[0].Frame != 5 || !strings.Contains(mm[0].Detail, "missing 1 (WS2), extra 1 (WS9)") {
		t.Fatalf("mismatch = %+v", mm)
	}
	g := snap.Group("lan/10.0.0.255", "LABWG")
	if len(g.Lists) != 2 || g.Lists[1].Missing[0] != "WS2" || g.Lists[1].Extra[0] != "WS9" || !g.Lists[0].Truncated {
		t.Errorf("lists = %+v", g.Lists)
	}
	// WS9 was handed out by the local master: added with that source.
	if s := g.Server("WS9"); s == nil || s.Source != SourceEnum {
		t.Errorf("WS9 = %+v", s)
	}

	// Sync: LMB on 10.0.1.0 asks the DMB on 10.0.0.0.
	lmbB := &Announcement{Meta: Meta{Time: at(0), Frame: 1, Segment: "lan", Src: ip("10.0.1.11"), Dst: ip("10.0.1.255"),
		SrcName: "LMBB", DstName: "LABWG", DstSuffix: 0x1e}, Kind: LocalMasterAnnouncement, Server: "LMBB",
		ServerType: 0x00049a03, Periodicity: 12 * time.Minute}
	dmbA := lma(2, 0, "11", "DMB", "LABWG")
	dmbA.ServerType = 0x000c9a03
	evs, snap = run(DefaultConfig(), 0, lmbB, dmbA,
		hostAnn(3, 1, "12", "AHOST", "LABWG", 0x00011003, time.Minute),
		list(4, 5, "11", "10.0.1.11", 0xffffffff, 0, 2, e("AHOST", 0x00011003), e("DMB", 0x000d9a03)),
	)
	if len(kinds(evs, KindAnomaly)) != 0 {
		t.Errorf("anomalies on a sync: %+v", kinds(evs, KindAnomaly))
	}
	gb := snap.Group("lan/10.0.1.255", "LABWG")
	if gb == nil || gb.Server("AHOST") == nil || gb.Server("AHOST").Source != SourceSync || gb.Server("DMB").Type != 0x000d9a03 {
		t.Fatalf("LMBB's list = %+v", gb)
	}
	if len(snap.Links) != 1 || snap.Links[0].LMB != "LMBB" || snap.Links[0].DMB != "DMB" {
		t.Errorf("links = %+v", snap.Links)
	}
}

// Config.At: the state as it stood at a given moment.
func TestConfigAt(t *testing.T) {
	obs := []Observation{
		lma(1, 0, "11", "ALPHA", "LABWG"),
		hostAnn(2, 10, "12", "BRAVO", "LABWG", 0x00011003, time.Minute),
		hostAnn(3, 300, "12", "BRAVO", "LABWG", 0, 0),
	}
	cfg := DefaultConfig()
	cfg.At = at(100)
	_, snap := run(cfg, 0, obs...)
	g := snap.Group("lan/10.0.0.255", "LABWG")
	if !snap.Time.Equal(at(100)) || g.Server("BRAVO") == nil || snap.Observations != 2 {
		t.Errorf("at 100 s: time %v, %d observations, servers %+v", snap.Time, snap.Observations, g.Servers)
	}
	cfg.At = at(200) // BRAVO expired at 190 (3 × 1 min)
	_, snap = run(cfg, 0, obs...)
	if g := snap.Group("lan/10.0.0.255", "LABWG"); g.Server("BRAVO") != nil {
		t.Error("BRAVO still listed at 200 s")
	}
}

// Every bound holds: hitting one evicts and raises one limit anomaly.
func TestBounds(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxHosts, cfg.MaxServers = 16, 16
	var obs []Observation
	for i := 0; i < 200; i++ {
		a := hostAnn(i+1, float64(i), "10.1."+itoa(i/200)+"."+itoa(i%200+1), "WS"+itoa(i), "LABWG", 0x1003, time.Hour)
		a.Dst = ip("10.1.0.255")
		obs = append(obs, a)
	}
	evs, snap := run(cfg, 0, obs...)
	if len(snap.Hosts) > 16 || len(snap.Groups[0].Servers) > 16 {
		t.Errorf("%d hosts, %d servers kept", len(snap.Hosts), len(snap.Groups[0].Servers))
	}
	lim := anomalies(evs, AnomalyLimit)
	if len(lim) != 2 || len(snap.Limits) != 2 {
		t.Errorf("limit anomalies = %+v, limits %v", lim, snap.Limits)
	}
	// Each names the frame whose observation hit the bound: the 17th
	// host's (the tables hold 16), as its evidence too.
	for _, e := range lim {
		if e.Frame != 17 || len(e.Frames) != 1 || e.Frames[0] != 17 {
			t.Errorf("limit anomaly %q: frame %d, evidence %v; want frame 17", e.Detail, e.Frame, e.Frames)
		}
	}
}

// Snapshots are deep copies: later observations do not change them.
func TestSnapshotIsolated(t *testing.T) {
	var evs []Event
	tr := New(DefaultConfig(), func(e Event) { evs = append(evs, e) })
	tr.Observe(lma(1, 0, "11", "ALPHA", "LABWG"))
	s1 := tr.Snapshot()
	tr.Observe(hostAnn(2, 1, "11", "ALPHA", "LABWG", 0x00011003, time.Minute))
	tr.Observe(lma(3, 700, "12", "BRAVO", "LABWG"))
	g := s1.Group("lan/10.0.0.255", "LABWG")
	if len(g.LMB) != 1 || g.LMB[0] != "ALPHA" || g.Servers[0].Type != 0x00049a03 || g.Roles[0].End != (time.Time{}) {
		t.Errorf("snapshot changed: %+v", g)
	}
}

// A workgroup list (NetServerEnum2 with SV_TYPE_DOMAIN_ENUM) that names a
// workgroup whose master is heard on the segment is not "extra" because
// its DomainAnnouncement has not been seen yet; one that names a
// workgroup nothing on the segment speaks for still is.
func TestDomainListKnowsWorkgroupsWithMasters(t *testing.T) {
	list := func(frame int, sec float64, names ...string) *ServerList {
		l := &ServerList{Meta: Meta{Time: at(sec), Frame: frame, Segment: "lan", Src: ip("11"), Dst: ip("99")},
			Server: ip("11"), TypeMask: svDomainEnum, Level: 1, EntryCount: len(names), Available: len(names)}
		for _, n := range names {
			l.Entries = append(l.Entries, ServerEntry{Name: n, ServerType: svDomainEnum | 0x1000, Comment: "SRV"})
		}
		return l
	}
	evs, snap := run(DefaultConfig(), 0,
		lma(1, 0, "11", "SRV", "LABWG"),
		list(2, 5, "LABWG"),
		list(3, 6, "LABWG", "OTHERWG"),
	)
	mm := anomalies(evs, AnomalyEnumMismatch)
	if len(mm) != 1 || mm[0].Frame != 3 || !strings.Contains(mm[0].Detail, "extra 1 (OTHERWG)") {
		t.Fatalf("mismatch = %+v", mm)
	}
	g := snap.Group("lan/10.0.0.255", "LABWG")
	if len(g.Lists) != 2 || len(g.Lists[0].Extra) != 0 || len(g.Lists[1].Extra) != 1 {
		t.Errorf("lists = %+v", g.Lists)
	}
}

// The same on real Windows traffic: in smb-on-windows-10.pcapng (Wireshark
// wiki, via ../shared/pcaps) the local master SCV hands out the workgroup
// list in frame 249, nine minutes before its DomainAnnouncement (frame
// 801): WORKGROUP, whose master it is, is not an anomaly.
func TestDomainListBeforeDomainAnnouncement(t *testing.T) {
	p := corpus.Path(t, "nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng")
	evs, snap := replay(DefaultConfig(), readObservations(t, p, "win10"))
	if a := anomalies(evs, AnomalyEnumMismatch); len(a) != 0 {
		t.Errorf("enum_mismatch = %+v", a)
	}
	lists := 0
	for _, g := range snap.Groups {
		for _, l := range g.Lists {
			lists++
			if l.Frame == 249 && (len(l.Entries) != 1 || l.Entries[0].Name != "WORKGROUP" || len(l.Extra) != 0) {
				t.Errorf("list of frame 249 = %+v", l)
			}
		}
	}
	if lists != 2 {
		t.Errorf("%d NetServerEnum2 lists, want 2 (frames 247 and 249)", lists)
	}
}

// A Browse List of sortAheadEntries or more is sorted on a goroutine of
// its own while the snapshot copies the hosts (run with -race): the
// snapshot and the final snapshot are those made with every list sorted
// in line.
func TestSnapshotSortAhead(t *testing.T) {
	var obs []Observation
	for i := 0; i < 600; i++ {
		a := hostAnn(i+1, float64(i)/10, "10.1."+itoa(i/200)+"."+itoa(i%200+1), "WS"+itoa((i*7919)%600), "LABWG", 0x1003, time.Hour)
		obs = append(obs, a)
	}
	for i := 0; i < 20; i++ { // a second, short list
		obs = append(obs, hostAnn(601+i, 60+float64(i), "10.2.0."+itoa(i+1), "B"+itoa(i), "OTHERWG", 0x1003, time.Hour))
	}
	snaps := func(ahead int) (*Snapshot, *Snapshot) {
		defer func(n int) { sortAheadEntries = n }(sortAheadEntries)
		sortAheadEntries = ahead
		var s [2]*Snapshot
		for i := range s {
			tr := New(DefaultConfig(), nil)
			for _, o := range obs {
				tr.Observe(o)
			}
			tr.Finish(tr.now)
			if i == 0 {
				s[i] = tr.Snapshot()
			} else {
				s[i] = tr.FinalSnapshot()
			}
		}
		return s[0], s[1]
	}
	inline, inlineFinal := snaps(1 << 30)
	ahead, aheadFinal := snaps(100)
	if len(ahead.Groups) != 2 || len(ahead.Groups[0].Servers)+len(ahead.Groups[1].Servers) != 620 {
		t.Fatalf("groups %d; want 2 with 620 entries", len(ahead.Groups))
	}
	if !reflect.DeepEqual(ahead, inline) || !reflect.DeepEqual(aheadFinal, inlineFinal) {
		t.Error("the snapshots of lists sorted ahead differ from those sorted in line")
	}
	for _, g := range ahead.Groups {
		if !slices.IsSortedFunc(g.Servers, func(a, b *Server) int { return strings.Compare(a.Name, b.Name) }) {
			t.Errorf("%s: Browse List not sorted by name", g.Workgroup)
		}
	}
}
