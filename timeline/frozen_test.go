package timeline

import (
	"path/filepath"
	"reflect"
	"testing"
)

// The snapshots share one copy of each closed role interval and election
// (frozenCopy), anomaly and Browse List received: every snapshot of a tracker that shares them equals the
// snapshot of the same state copied afresh, at every point of each lab
// capture, with the default bounds and with bounds small enough that
// items are dropped (dropFirst) and groups evicted (forget) along the
// way; and the shared copies are those of items still kept.
func TestSnapshotsShareClosedHistory(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(labDir, "*.pcapng"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("lab captures in %s: %v %v", labDir, paths, err)
	}
	small := DefaultConfig()
	small.MaxHistory, small.MaxElections, small.MaxHistoryTotal, small.MaxElectionsTotal, small.MaxGroups = 2, 1, 3, 2, 2
	small.MaxSnapshots, small.MaxAnomalies = 1, 3
	shared := 0
	for _, cfg := range []Config{DefaultConfig(), small} {
		for _, p := range paths {
			obs := readObservations(t, p, "lab")
			a, b := New(cfg, nil), New(cfg, nil)
			every := max(1, len(obs)/300)
			for i, o := range obs {
				a.Observe(o)
				b.Observe(o)
				if i%every != 0 && i != len(obs)-1 {
					continue
				}
				sa := a.Snapshot()
				unshare(b) // copied afresh
				sb := b.Snapshot()
				if !reflect.DeepEqual(sa, sb) {
					t.Fatalf("%s, observation %d: the snapshot sharing closed history differs from a fresh one", filepath.Base(p), i)
				}
				shared += len(a.roleHist.frozen) + len(a.elecHist.frozen) + len(a.anomalyCopies)
				checkFrozenKept(t, a)
			}
		}
	}
	if shared == 0 {
		t.Error("no closed role interval or election was shared")
	}
}

// unshare forgets the copies a tracker's snapshots share.
func unshare(tr *Tracker) {
	tr.roleHist.frozen, tr.elecHist.frozen = nil, nil
	clear(tr.anomalyCopies)
	for _, g := range tr.groups {
		clear(g.listCopy)
	}
}

// checkFrozenKept fails if a shared copy is of an item no group keeps, or
// differs from the item.
func checkFrozenKept(t *testing.T, tr *Tracker) {
	t.Helper()
	roles, elections := map[*RoleInterval]bool{}, map[*ElectionRecord]bool{}
	for _, g := range tr.groups {
		for _, ri := range g.history {
			roles[ri] = true
		}
		for _, e := range g.elections {
			elections[e] = true
		}
	}
	for ri, c := range tr.roleHist.frozen {
		if !roles[ri] || !reflect.DeepEqual(ri.clone(), c) {
			t.Fatalf("shared role interval %+v: kept %v, equal %v", ri, roles[ri], reflect.DeepEqual(ri.clone(), c))
		}
	}
	for e, c := range tr.elecHist.frozen {
		if !elections[e] || !reflect.DeepEqual(e.clone(), c) {
			t.Fatalf("shared election %d: kept %v, equal %v", e.ID, elections[e], reflect.DeepEqual(e.clone(), c))
		}
	}
	if len(tr.anomalyCopies) != len(tr.anomalies) {
		t.Fatalf("%d anomalies, %d places for their copies", len(tr.anomalies), len(tr.anomalyCopies))
	}
	for i, c := range tr.anomalyCopies {
		if c != nil && !reflect.DeepEqual(*c, *tr.anomalies[i]) {
			t.Fatalf("shared anomaly %+v differs from %+v", *c, *tr.anomalies[i])
		}
	}
	for _, g := range tr.groups {
		if len(g.listCopy) != len(g.lists) {
			t.Fatalf("%d Browse Lists, %d places for their copies", len(g.lists), len(g.listCopy))
		}
		for i, c := range g.listCopy {
			if c != nil && !reflect.DeepEqual(c, g.lists[i].clone()) {
				t.Fatalf("shared Browse List %+v differs from %+v", c, g.lists[i])
			}
		}
	}
}
