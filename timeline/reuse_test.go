package timeline

import (
	"net/netip"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"
)

// A tracker no one receives events from writes a new anomaly over the
// ring's oldest record once MaxAnomalies are kept; one that emits events
// must not: the events hand out the records. Either way the snapshot holds
// the latest MaxAnomalies, oldest first, each as it was raised, and a
// snapshot taken before is not changed by what comes after.
func TestAnomalyRingReuse(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	for _, emitting := range []bool{false, true} {
		cfg := DefaultConfig()
		cfg.MaxAnomalies = 4
		var handed []*Anomaly
		var emit func(Event)
		if emitting {
			emit = func(e Event) {
				if a, ok := e.Data.(*Anomaly); ok {
					handed = append(handed, a)
				}
			}
		}
		tr := New(cfg, emit)
		raise := func(i int) {
			tr.anomaly(AnomalyEnumMismatch, t0.Add(time.Duration(i)*time.Second), 100+i, "lab/198.18.1.255", "LABWG",
				"HOST"+itoa(i), netip.Addr{}, "detail "+itoa(i), []int{100 + i, 200 + i})
		}
		for i := 0; i < 6; i++ {
			raise(i)
		}
		before := tr.Snapshot()
		for i := 6; i < 11; i++ {
			raise(i)
		}
		check := func(what string, got []*Anomaly, from int) {
			t.Helper()
			if len(got) != 4 {
				t.Fatalf("emitting %v, %s: %d anomalies, want 4", emitting, what, len(got))
			}
			for k, a := range got {
				i := from + k
				if a.Frame != 100+i || a.Detail != "detail "+itoa(i) || a.Host != "HOST"+itoa(i) ||
					len(a.Frames) != 2 || a.Frames[1] != 200+i || !a.Time.Equal(t0.Add(time.Duration(i)*time.Second)) {
					t.Errorf("emitting %v, %s: anomaly %d is %+v, want the one of frame %d", emitting, what, k, *a, 100+i)
				}
			}
		}
		check("snapshot after 6", before.Anomalies, 2)
		check("snapshot after 11", tr.Snapshot().Anomalies, 7)
		check("final snapshot", tr.FinalSnapshot().Anomalies, 7)
		if emitting {
			if len(handed) != 11 {
				t.Fatalf("%d anomaly events, want 11", len(handed))
			}
			for i, a := range handed {
				if a.Frame != 100+i || a.Detail != "detail "+itoa(i) {
					t.Errorf("the record of event %d was written over: %+v", i, *a)
				}
			}
		}
	}
}

// awayReason's reasons are those it would make.
func TestAwayReason(t *testing.T) {
	for _, k := range []AnnouncementKind{HostAnnouncement, DomainAnnouncement, LocalMasterAnnouncement, LANMANAnnouncement, AnnouncementKind(99)} {
		if got, want := awayReason(k.String()), "going away: "+k.String()+" with server type 0"; got != want {
			t.Errorf("awayReason(%s) = %q, want %q", k, got, want)
		}
	}
}

// A NetServerEnum2 list pushed out of its group's ring (MaxSnapshots) is
// the record of the next list, its slices' room kept: the lists a tracker
// with a ring of 2 keeps are, at every step, the latest two of a tracker
// that keeps them all, field for field (entries, missing, extra and
// different of lists longer and shorter than the record's before), and a
// snapshot taken before is not changed by the lists after.
func TestServerListRecordReuse(t *testing.T) {
	small := DefaultConfig()
	small.MaxSnapshots = 2
	big := DefaultConfig()
	big.MaxSnapshots = 100
	a, b := New(small, nil), New(big, nil)
	obs := []Observation{
		hostAnn(1, 1, "11", "MASTER", "LABWG", 0x00049a03, 12*time.Minute),
		hostAnn(2, 2, "12", "PC12", "LABWG", 0x00011003, 12*time.Minute),
		hostAnn(3, 3, "13", "PC13", "LABWG", 0x00011003, 12*time.Minute),
		hostAnn(4, 4, "14", "PC14", "LABWG", 0x00011003, 12*time.Minute),
	}
	ent := func(name string, typ uint32, comment string) ServerEntry {
		return ServerEntry{Name: name, ServerType: typ, OSMajor: 6, OSMinor: 1, Comment: comment}
	}
	lists := [][]ServerEntry{
		{ent("MASTER", 0x00049a03, "comment of MASTER"), ent("PC12", 0x00011003, "comment of PC12"), ent("PC13", 0x1, "other"),
			ent("GHOST1", 0x1, ""), ent("GHOST2", 0x1, "")},
		{ent("MASTER", 0x00049a03, "comment of MASTER")},
		{ent("PC14", 0x00011003, "changed"), ent("GHOST3", 0x1, "")},
		{},
		{ent("MASTER", 0x00049a03, "comment of MASTER"), ent("PC12", 0x00011003, "comment of PC12"), ent("PC13", 0x00011003, "comment of PC13"),
			ent("PC14", 0x00011003, "comment of PC14"), ent("GHOST4", 0x1, ""), ent("GHOST5", 0x1, ""), ent("GHOST6", 0x1, "")},
		{ent("PC13", 0x00011003, "comment of PC13")},
		{ent("GHOST7", 0x1, "x")},
	}
	for i, l := range lists {
		obs = append(obs, enumList(10+i, 120+float64(i)*30, "11", "99", 0xffffffff, l...))
	}
	var kept []*Snapshot
	for i, o := range obs {
		a.Observe(o)
		b.Observe(o)
		sa, sb := a.Snapshot(), b.Snapshot()
		kept = append(kept, sa)
		if len(sa.Groups) != len(sb.Groups) {
			t.Fatalf("observation %d: %d groups against %d", i, len(sa.Groups), len(sb.Groups))
		}
		for j := range sa.Groups {
			la, lb := sa.Groups[j].Lists, sb.Groups[j].Lists
			if len(lb) > 2 {
				lb = lb[len(lb)-2:]
			}
			if !reflect.DeepEqual(la, lb) {
				t.Fatalf("observation %d: lists\n%+v\nwant\n%+v", i, la, lb)
			}
		}
	}
	if a.listSpare == nil {
		t.Fatal("no list record was let go: the test does not reach the reuse")
	}
	// The snapshots taken along the way are those of a fresh replay.
	c := New(small, nil)
	for i, o := range obs {
		c.Observe(o)
		if s := c.Snapshot(); !reflect.DeepEqual(s, kept[i]) {
			t.Fatalf("the snapshot after observation %d changed later", i)
		}
	}
}

// compactByMap is what globalHistory.compact did before it counted each
// group's entries: the set of the items the groups keep, made afresh.
func compactByMap[T comparable](h *globalHistory[T], t *Tracker) (live []histEntry[T], freed []T) {
	kept := make(map[T]bool, h.total)
	for _, g := range t.groups {
		for _, v := range *h.list(g) {
			kept[v] = true
		}
	}
	for _, e := range h.q[h.head:] {
		if kept[e.v] && !e.g.gone {
			live = append(live, e)
		} else if !e.g.gone {
			freed = append(freed, e.v)
		}
	}
	return live, freed
}

// checkCompact compacts h and fails unless it kept and freed what
// compactByMap says, in the same order, and left every count at zero.
func checkCompact[T comparable](t *testing.T, what string, h *globalHistory[T], tr *Tracker, free *[]T) int {
	t.Helper()
	wantLive, wantFreed := compactByMap(h, tr)
	n := len(*free)
	h.compact(tr)
	gotFreed := (*free)[n:]
	if len(wantFreed) > cap(*free)-n && len(gotFreed) < len(wantFreed) {
		wantFreed = wantFreed[:len(gotFreed)] // the free list is bounded
	}
	if len(h.q) != len(wantLive) || h.head != 0 {
		t.Fatalf("%s: %d entries kept (head %d), want %d", what, len(h.q), h.head, len(wantLive))
	}
	for i := range wantLive {
		if h.q[i] != wantLive[i] {
			t.Fatalf("%s: entry %d is %v, want %v", what, i, h.q[i], wantLive[i])
		}
	}
	if len(gotFreed) != len(wantFreed) {
		t.Fatalf("%s: %d items freed, want %d", what, len(gotFreed), len(wantFreed))
	}
	for i := range wantFreed {
		if gotFreed[i] != wantFreed[i] {
			t.Fatalf("%s: freed item %d differs", what, i)
		}
	}
	for _, g := range tr.groups {
		if g.histSeen != 0 {
			t.Fatalf("%s: group %s/%s left with a count of %d", what, g.seg, g.wg, g.histSeen)
		}
	}
	return len(wantFreed)
}

// compact keeps and frees exactly what the set of the groups' items says,
// at every point of each lab capture, with bounds small enough that
// groups drop items by their own bound, the global bounds forget the
// oldest, and groups are evicted.
func TestHistoryCompactCounts(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(labDir, "*.pcapng"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("lab captures in %s: %v %v", labDir, paths, err)
	}
	small := DefaultConfig()
	small.MaxHistory, small.MaxElections, small.MaxHistoryTotal, small.MaxElectionsTotal, small.MaxGroups = 2, 1, 6, 3, 3
	freed := 0
	for _, cfg := range []Config{DefaultConfig(), small} {
		for _, p := range paths {
			tr := New(cfg, nil)
			for i, o := range readObservations(t, p, "lab") {
				tr.Observe(o)
				what := filepath.Base(p) + " observation " + itoa(i)
				freed += checkCompact(t, what+" roles", &tr.roleHist, tr, &tr.roleFree)
				freed += checkCompact(t, what+" elections", &tr.elecHist, tr, &tr.elecFree)
			}
		}
	}
	if freed == 0 {
		t.Error("no compaction freed anything: the test does not reach the dropped items")
	}
}

// The windows of an NBNS transaction (txLife after its last request,
// counting a send only retransmitGap after the one before) and of the
// duplicate filter (DupWindow) hold to the nanosecond at their edges:
// inside is the same transaction or a copy, the edge itself is outside
// for a transaction and inside for a copy, and a time before the last one
// starts afresh.
func TestWindowEdges(t *testing.T) {
	regAt := func(frame int, d time.Duration) *NameEvent {
		v := reg(frame, 0, "11", 7, "PC11", 0x00, false)
		v.Op, v.Time = NameRelease, t0.Add(d) // each transaction of a release is an event
		return v
	}
	last := txLife - time.Nanosecond
	evs, _ := run(DefaultConfig(), 0,
		regAt(1, 0),                           // a transaction: name.release
		regAt(2, last),                        // the same, within txLife of frame 1
		regAt(3, last+txLife),                 // txLife after frame 2: a new one
		regAt(4, last+txLife-time.Nanosecond), // before frame 3: a new one
		regAt(5, last+2*txLife-2*time.Nanosecond),
	)
	var got []int
	for _, e := range kinds(evs, KindNameRelease) {
		got = append(got, e.Frame)
	}
	if want := []int{1, 3, 4}; !slices.Equal(got, want) {
		t.Errorf("name.release on frames %v, want %v", got, want)
	}

	// Three sends of a broadcast <1b> registration, each retransmitGap
	// apart or more, make its sender domain master; sends closer than that
	// are copies and do not count.
	dmb := func(gaps ...time.Duration) bool {
		var obs []Observation
		d := time.Duration(0)
		for i, g := range gaps {
			d += g
			v := reg(10+i, 0, "11", 9, "LABWG", 0x1b, false)
			v.Time = t0.Add(d)
			obs = append(obs, v)
		}
		_, snap := run(DefaultConfig(), 0, obs...)
		for _, g := range snap.Groups {
			for _, r := range g.Roles {
				if r.Role == RoleDMB {
					return true
				}
			}
		}
		return false
	}
	if !dmb(0, retransmitGap+time.Nanosecond, retransmitGap+time.Nanosecond) {
		t.Error("three sends more than retransmitGap apart: no domain master")
	}
	if dmb(0, retransmitGap, retransmitGap+time.Nanosecond) {
		t.Error("a send exactly retransmitGap after the one before was counted")
	}

	// The duplicate filter: a copy up to DupWindow after, not after that.
	w := DefaultConfig().DupWindow
	ballotAt := func(frame int, d time.Duration) *Election {
		v := elect(frame, 0, "15", "PC15", "WG", 1, 0x10010f20, 1000)
		v.Time = t0.Add(d)
		return v
	}
	evs, _ = run(DefaultConfig(), 0, ballotAt(20, 0), ballotAt(21, w), ballotAt(22, 2*w+time.Nanosecond))
	got = got[:0]
	for _, e := range kinds(evs, KindElectionBallot) {
		got = append(got, e.Frame)
	}
	if want := []int{20, 22}; !slices.Equal(got, want) {
		t.Errorf("election.ballot on frames %v, want %v", got, want)
	}
}

// An ended election's working state is the next election's (runFree):
// at every point of each lab capture, with the default bounds and with
// small ones, every running election has a state of its own, none of them
// waiting in runFree, each of a running record; and states are used again.
func TestElectionRunReuse(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(labDir, "*.pcapng"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("lab captures in %s: %v %v", labDir, paths, err)
	}
	small := DefaultConfig()
	small.MaxElections, small.MaxElectionsTotal, small.MaxGroups = 1, 2, 2
	reused := 0
	for _, cfg := range []Config{DefaultConfig(), small} {
		for _, p := range paths {
			tr := New(cfg, nil)
			ids := map[*electionRun]int{}
			for i, o := range readObservations(t, p, "lab") {
				tr.Observe(o)
				seen := map[*electionRun]bool{}
				for _, g := range tr.groups {
					for _, r := range g.runs {
						if seen[r] || slices.Contains(tr.runFree, r) || !r.e.Running {
							t.Fatalf("%s observation %d: a running election of %s/%s shares its state (twice %v, free %v, running %v)",
								filepath.Base(p), i, g.seg, g.wg, seen[r], slices.Contains(tr.runFree, r), r.e.Running)
						}
						seen[r] = true
						if id, ok := ids[r]; ok && id != r.e.ID {
							reused++
						}
						ids[r] = r.e.ID
					}
				}
			}
		}
	}
	if reused == 0 {
		t.Error("no election's state was used again: the test does not reach the reuse")
	}
}

// roleReason gives r1+r2+r3 whatever it kept before: more combinations
// than it keeps, each part told apart (parts that join to the same text
// included), asked in turn and again.
func TestRoleReason(t *testing.T) {
	tr := New(DefaultConfig(), nil)
	kinds := []string{"HostAnnouncement", "LocalMasterAnnouncement", "LANMANAnnouncement", "Announcement", "a", "ab"}
	bits := []string{" with SV_TYPE_POTENTIAL_BROWSER bit", " with SV_TYPE_DOMAIN_CTRL bit", "", "b", "c"}
	tails := []string{"", "c", " (again)"}
	for round := 0; round < 3; round++ {
		for _, r1 := range kinds {
			for _, r2 := range bits {
				for _, r3 := range tails {
					if got, want := tr.roleReason(r1, r2, r3), r1+r2+r3; got != want {
						t.Fatalf("roleReason(%q, %q, %q) = %q, want %q", r1, r2, r3, got, want)
					}
					if got, want := tr.roleReason(r1, r2, r3), r1+r2+r3; got != want {
						t.Fatalf("roleReason(%q, %q, %q) asked again = %q, want %q", r1, r2, r3, got, want)
					}
				}
			}
		}
	}
}

// expiryFor's texts are those of the entry's source and periodicity,
// whatever it kept before: more periodicities than it keeps, asked in
// turn and again, between the other two kinds.
func TestExpiryFor(t *testing.T) {
	cfg := DefaultConfig()
	tr := New(cfg, nil)
	check := func(how int, p time.Duration, want string) {
		t.Helper()
		x := tr.expiryFor(how, p)
		if x.reason != want || x.silent != "silent: "+want {
			t.Fatalf("expiryFor(%d, %v) = %q, %q; want %q", how, p, x.reason, x.silent, want)
		}
	}
	for round := 0; round < 3; round++ {
		for i := 1; i <= 12; i++ {
			p := time.Duration(i) * time.Minute
			check(expiryAnnounced, p, "expired: not announced for 3 × "+fmtDur(p))
			check(expiryListed, 0, "expired: not listed again for "+fmtDur(cfg.SyncExpiry))
			check(expiryDefault, 0, "expired: not announced for "+fmtDur(cfg.DefaultExpiry)+" (periodicity absent or implausible)")
		}
	}
}

// A workgroup that leaves the list gives its record to the next one heard
// (domFree): the new one's entry is its own (first seen, frames, master),
// the removal event keeps what the old one was, and the old one's expiry
// timer, still in the heap, does not remove the new one.
func TestDomainRecordReuse(t *testing.T) {
	dom := func(f int, sec float64, master, wg string, typ uint32) *Announcement {
		return &Announcement{Meta: Meta{Time: at(sec), Frame: f, Segment: "lan", Src: ip("11"), Dst: ip(bcast), SrcName: master,
			DstName: msBrowse, DstSuffix: 0x01, DstGroup: true}, Kind: DomainAnnouncement, Server: wg, ServerType: typ,
			Comment: master, Periodicity: 15 * time.Minute}
	}
	evs, _ := run(DefaultConfig(), 3000,
		dom(1, 0, "AM", "ALPHA", 0x80001000),
		dom(2, 60, "AM", "ALPHA", 0x80001000),
		dom(3, 120, "AM", "ALPHA", 0), // goes away: its record is free
		dom(4, 180, "BM", "BRAVO", 0x80001000),
		dom(5, 240, "BM", "BRAVO", 0x80001000),
		// ALPHA's timer (45 minutes after frame 2: 2,760 s) comes up
		// while BRAVO holds the record; BRAVO's own is at 2,940 s.
	)
	rem := kinds(evs, KindDomainRemove)
	if len(rem) != 2 || rem[0].Frame != 3 || rem[0].Workgroup != "ALPHA" || rem[1].Workgroup != "BRAVO" {
		t.Fatalf("domain.remove = %+v", rem)
	}
	if sc := data[*ServerChange](rem[0]); sc.Server.Name != "ALPHA" || sc.Server.Comment != "AM" ||
		!slices.Equal(sc.Server.Frames, []int{1, 2}) {
		t.Errorf("ALPHA's removal = %+v", sc.Server)
	}
	if !rem[1].Time.Equal(at(240 + 45*60)) {
		t.Errorf("BRAVO removed at %v, want 45 minutes after its last announcement", rem[1].Time)
	}
	_, s := run(DefaultConfig(), 2800, dom(1, 0, "AM", "ALPHA", 0x80001000), dom(2, 60, "AM", "ALPHA", 0x80001000),
		dom(3, 120, "AM", "ALPHA", 0), dom(4, 180, "BM", "BRAVO", 0x80001000), dom(5, 240, "BM", "BRAVO", 0x80001000))
	var got []*Server
	for _, seg := range s.Segments {
		got = append(got, seg.Domains...)
	}
	if len(got) != 1 {
		t.Fatalf("workgroups at 2,800 s: %+v", got)
	}
	if d := got[0]; d.Name != "BRAVO" || d.Comment != "BM" || d.FirstFrame != 4 || !d.FirstSeen.Equal(at(180)) || !slices.Equal(d.Frames, []int{4, 5}) {
		t.Errorf("BRAVO = %+v", *d)
	}
}
