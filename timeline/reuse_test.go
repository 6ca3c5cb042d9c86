package timeline

import (
	"net/netip"
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
