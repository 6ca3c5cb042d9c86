package timeline

import (
	"net/netip"
	"slices"
	"testing"
	"time"
)

// TestHistoryBoundOverAllGroups: closed role intervals kept over all
// groups never exceed MaxHistoryTotal; the ones forgotten are the oldest
// closed, whichever group holds them, each counted; a group's own bound
// and an evicted group's intervals are uncounted, so the bound is not
// reached early.
func TestHistoryBoundOverAllGroups(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxHistory, cfg.MaxHistoryTotal, cfg.MaxGroups = 4, 10, 5
	tr := New(cfg, nil)
	t0 := time.Unix(1e9, 0)
	var closed []*RoleInterval // in closing order
	for i := range 60 {
		at := t0.Add(time.Duration(i) * time.Second)
		wg := "WG" + itoa(i%4) // 4 groups of up to 4: 16 over a bound of 10
		if i >= 40 {
			wg = "WX" + itoa(i%7) // then 7 groups through a table of 5: evictions
		}
		g := tr.group("seg", wg, at)
		ri := &RoleInterval{Host: "H" + itoa(i), Begin: at, End: at}
		tr.roleHist.keep(tr, g, ri, cfg.MaxHistory)
		closed = append(closed, ri)

		kept := map[*RoleInterval]bool{}
		n := 0
		for _, g := range tr.groups {
			if len(g.history) > cfg.MaxHistory {
				t.Fatalf("step %d: %s keeps %d intervals, over MaxHistory", i, g.wg, len(g.history))
			}
			for _, r := range g.history {
				kept[r] = true
				n++
			}
		}
		if n > cfg.MaxHistoryTotal || n != tr.roleHist.total {
			t.Fatalf("step %d: %d intervals kept, counted %d, bound %d", i, n, tr.roleHist.total, cfg.MaxHistoryTotal)
		}
		if !kept[ri] {
			t.Fatalf("step %d: the interval just closed is not kept", i)
		}
	}
	roles, _ := tr.HistoryDropped()
	if roles == 0 {
		t.Fatal("the global bound forgot nothing: the test shows nothing")
	}
	// 30 in the first 40 closings (4 groups of at most 3 keep the latest
	// 10), one more at the 41st (a fifth group), then the evicted groups'
	// intervals are uncounted and the total stays under the bound.
	if roles != 31 {
		t.Errorf("the global bound forgot %d intervals, want 31", roles)
	}
	// The oldest kept interval over all groups is newer than every interval
	// the global bound forgot: the bound forgets oldest first.
	oldestKept := len(closed)
	for _, g := range tr.groups {
		for _, r := range g.history {
			for j, c := range closed {
				if c == r && j < oldestKept {
					oldestKept = j
				}
			}
		}
	}
	if want := len(closed) - 3*cfg.MaxHistoryTotal; oldestKept < want {
		t.Errorf("oldest interval kept is number %d of %d: too old for a bound of %d", oldestKept, len(closed), cfg.MaxHistoryTotal)
	}
	if !slices.Contains(tr.limitOrder, "MaxHistoryTotal") {
		t.Error("no limit anomaly for MaxHistoryTotal")
	}
	t.Logf("forgot %d intervals by the global bound; oldest kept: %d of %d", roles, oldestKept, len(closed))
}

// TestRemovalsBoundOverAllGroups: the entries removed from the Browse
// Lists that the groups remember never exceed MaxHistoryTotal over all
// groups; the ones forgotten are the oldest kept, and a name listed again,
// a group's own bound and an evicted group's removals are uncounted.
func TestRemovalsBoundOverAllGroups(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxHistory, cfg.MaxHistoryTotal, cfg.MaxGroups = 4, 10, 5
	tr := New(cfg, nil)
	t0 := time.Unix(1e9, 0)
	for i := range 80 {
		at := t0.Add(time.Duration(i) * time.Second)
		wg := "WG" + itoa(i%4) // 4 groups of up to 4: 16 over a bound of 10
		if i >= 50 {
			wg = "WX" + itoa(i%7) // then 7 groups through a table of 5: evictions
		}
		g := tr.group("seg", wg, at)
		name := "H" + itoa(i%9) // names come back: a removal replaced
		if i%5 == 0 {
			tr.upsertServer(g, name, netip.Addr{}, &Server{}, SourceAnnouncement, at, i+1) // listed again
		}
		r := &Removal{Server: Server{Name: name}, Time: at}
		tr.keepRemoval(g, r)

		kept := map[*Removal]bool{}
		n := 0
		for _, g := range tr.groups {
			if len(g.removed) > cfg.MaxHistory {
				t.Fatalf("step %d: %s keeps %d removals, over MaxHistory", i, g.wg, len(g.removed))
			}
			for _, x := range g.removed {
				kept[x] = true
				n++
			}
		}
		if n > cfg.MaxHistoryTotal || n != tr.removals.total {
			t.Fatalf("step %d: %d removals kept, counted %d, bound %d", i, n, tr.removals.total, cfg.MaxHistoryTotal)
		}
		if !kept[r] {
			t.Fatalf("step %d: the removal just kept is gone", i)
		}
		// Four groups of four reach the global bound.
		if i == 49 && n != cfg.MaxHistoryTotal {
			t.Fatalf("step %d: %d removals kept over 4 groups of 4, want the bound %d", i, n, cfg.MaxHistoryTotal)
		}
	}
}

// TestHistoryFreesOnlyForgotten: the records a history hands back for
// reuse (globalHistory.free: closed role intervals, elections) are ones
// no group keeps, each once, through the global bound, the groups' own
// bound, compaction and evicted groups; and the reused ones are kept and
// counted as new ones.
func TestHistoryFreesOnlyForgotten(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxHistory, cfg.MaxHistoryTotal, cfg.MaxGroups = 3, 40, 5
	tr := New(cfg, nil)
	t0 := time.Unix(1e9, 0)
	reused := 0
	for i := range 2000 {
		at := t0.Add(time.Duration(i) * time.Second)
		wg := "WG" + itoa(i%4)
		if i >= 1000 {
			wg = "WX" + itoa(i%7) // 7 groups through a table of 5: evictions
		}
		g := tr.group("seg", wg, at)
		ri := popFree(&tr.roleFree)
		if ri != nil {
			reused++
			*ri = RoleInterval{}
		} else {
			ri = &RoleInterval{}
		}
		ri.Host, ri.Begin, ri.End = "H"+itoa(i), at, at
		tr.roleHist.keep(tr, g, ri, cfg.MaxHistory)

		kept := map[*RoleInterval]bool{}
		n := 0
		for _, g := range tr.groups {
			for _, r := range g.history {
				kept[r] = true
				n++
			}
		}
		if n != tr.roleHist.total || n > cfg.MaxHistoryTotal {
			t.Fatalf("step %d: %d intervals kept, counted %d", i, n, tr.roleHist.total)
		}
		if !kept[ri] {
			t.Fatalf("step %d: the interval just closed is not kept", i)
		}
		free := map[*RoleInterval]bool{}
		for _, r := range tr.roleFree {
			if kept[r] {
				t.Fatalf("step %d: %s is free for reuse and kept by a group", i, r.Host)
			}
			if free[r] {
				t.Fatalf("step %d: %s is free for reuse twice", i, r.Host)
			}
			free[r] = true
		}
	}
	if reused < 500 {
		t.Errorf("%d of 2000 intervals reused: the test shows little", reused)
	}
}

// TestRemovalReuseIsFresh: removals made in records a forgotten removal
// left (newRemoval) are remembered and forgotten exactly as new records
// are: two trackers, one reusing and one not, fed the same removals and
// listings, keep the same removals at every step.
func TestRemovalReuseIsFresh(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxHistory, cfg.MaxHistoryTotal, cfg.MaxGroups = 4, 10, 5
	a, b := New(cfg, nil), New(cfg, nil)
	t0 := time.Unix(1e9, 0)
	type kept struct {
		wg, name string
		at       time.Time
		frame    int
	}
	keptOf := func(tr *Tracker) map[kept]bool {
		out := map[kept]bool{}
		for _, g := range tr.groups {
			for name, r := range g.removed {
				if r.Server.Name != name {
					t.Fatalf("%s's removal holds %s", name, r.Server.Name)
				}
				out[kept{g.wg, name, r.Time, r.Frame}] = true
			}
		}
		return out
	}
	reused := 0
	for i := range 400 {
		at := t0.Add(time.Duration(i) * time.Second)
		wg := "WG" + itoa(i/8%4) // runs of 8 in a group: a record freed is reused there
		if i >= 200 {
			wg = "WX" + itoa(i/3%7)
		}
		name := "H" + itoa(i%9)
		e := &Server{Name: name, Frames: []int{i + 1}}
		for _, tr := range []*Tracker{a, b} {
			g := tr.group("seg", wg, at)
			if i%3 == 0 {
				tr.upsertServer(g, "H"+itoa((i+4)%9), netip.Addr{}, &Server{}, SourceAnnouncement, at, i+1) // listed again
			}
			if tr == a {
				if len(a.remFree) > 0 {
					reused++
				}
				tr.keepRemoval(g, a.newRemoval(e, at, i+1, "gone"))
			} else {
				tr.keepRemoval(g, &Removal{Server: e.copy(), Time: at, Frame: i + 1, Reason: "gone"})
			}
		}
		ka, kb := keptOf(a), keptOf(b)
		if len(ka) != len(kb) || a.removals.total != b.removals.total {
			t.Fatalf("step %d: reusing keeps %d (counted %d), new records %d (counted %d)", i, len(ka), a.removals.total, len(kb), b.removals.total)
		}
		for k := range kb {
			if !ka[k] {
				t.Fatalf("step %d: reusing lost %+v", i, k)
			}
		}
	}
	if reused < 100 {
		t.Errorf("%d of 400 removals reused a record: the test shows little", reused)
	}
}

// TestHistoryQueueSlack: items the groups drop by their own bound leave
// the queue (and go back to the free list) once histSlack of them pile up
// past what is kept, well before the global bound is reached: 40 groups
// of at most 4 elections each keep 160, the global bound is 2,048, and
// the queue never holds more than 160+histSlack(160) = 244 (the slack of
// total/4+256 let it grow to 456, each a 1,408-byte block not reused).
func TestHistoryQueueSlack(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxElections, cfg.MaxGroups = 4, 64
	tr := New(cfg, nil)
	t0 := time.Unix(1e9, 0)
	fresh := 0
	for i := range 4000 {
		at := t0.Add(time.Duration(i) * time.Second)
		g := tr.group("seg", "WG"+itoa(i%40), at)
		if len(tr.elecFree) == 0 {
			fresh++
		}
		e := tr.newElection()
		e.ID, e.Start, e.End = i, at, at
		tr.elecHist.keep(tr, g, e, cfg.MaxElections)
		h := &tr.elecHist
		if h.total > 160 {
			t.Fatalf("step %d: %d elections kept, want at most 160", i, h.total)
		}
		if q := len(h.q) - h.head; q > 244 {
			t.Fatalf("step %d: the queue holds %d items for %d kept, want at most 244", i, q, h.total)
		}
	}
	if max := 245; fresh > max {
		t.Errorf("%d election records made, want at most %d (the rest reused)", fresh, max)
	}
}
