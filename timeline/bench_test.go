package timeline

import (
	"runtime"
	"testing"
	"time"
)

// longCapture lays the five lab captures end to end, an hour apart (so
// every entry of one has expired before the next starts), and replays that
// cycle over and over with shifted times: a long capture of real traffic.
type longCapture struct {
	obs   []Observation // reusable copies, one per base observation
	base  []time.Time   // their original times, already shifted within the cycle
	cycle time.Duration
}

func newLongCapture(tb testing.TB) *longCapture {
	lc := &longCapture{}
	var shift time.Duration
	var origin time.Time
	for _, scen := range scenarios {
		obs := readObservations(tb, labCapture(tb, scen), scen)
		if len(obs) == 0 {
			continue
		}
		first := obs[0].meta().Time
		if origin.IsZero() {
			origin = first
		}
		var last time.Time
		for _, o := range obs {
			m := o.meta()
			lc.obs = append(lc.obs, o)
			lc.base = append(lc.base, origin.Add(shift+m.Time.Sub(first)))
			last = m.Time
		}
		shift += last.Sub(first) + time.Hour
	}
	lc.cycle = shift
	return lc
}

// at prepares observation i of the endless capture and returns it. The
// tracker keeps no pointer to an observation, so the copies are reused.
func (lc *longCapture) at(i int) Observation {
	n := len(lc.obs)
	o := lc.obs[i%n]
	m := o.meta()
	m.Time = lc.base[i%n].Add(time.Duration(i/n) * lc.cycle)
	m.Frame = i + 1
	return o
}

func heapInuse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// BenchmarkLongCapture feeds b.N observations of the endless lab capture
// and reports the heap in use after the first cycle and at the end: the
// state is bounded, so the two stay level however large b.N is (go test
// -bench LongCapture -benchtime 1000000x).
func BenchmarkLongCapture(b *testing.B) {
	lc := newLongCapture(b)
	events := 0
	tr := New(DefaultConfig(), func(Event) { events++ })
	for i := 0; i < len(lc.obs); i++ { // one cycle to warm up
		tr.Observe(lc.at(i))
	}
	h0 := heapInuse()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tr.Observe(lc.at(len(lc.obs) + i))
	}
	b.StopTimer()
	h1 := heapInuse()
	b.ReportMetric(float64(h0)/(1<<20), "MiB-heap-start")
	b.ReportMetric(float64(h1)/(1<<20), "MiB-heap-end")
	b.ReportMetric(float64(events)/float64(b.N+len(lc.obs)), "events/obs")
}

// TestMemoryFlat replays a million observations (thirty-odd cycles of
// the lab captures) and checks that the heap in use after them is within
// 2 MiB of the heap after the first hundred thousand.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("a million observations: skipped with -short")
	}
	lc := newLongCapture(t)
	tr := New(DefaultConfig(), nil)
	const warm, total = 100_000, 1_000_000
	for i := 0; i < warm; i++ {
		tr.Observe(lc.at(i))
	}
	h0 := heapInuse()
	for i := warm; i < total; i++ {
		tr.Observe(lc.at(i))
	}
	h1 := heapInuse()
	t.Logf("heap in use after %d observations: %.2f MiB; after %d: %.2f MiB", warm, float64(h0)/(1<<20), total,
		float64(h1)/(1<<20))
	if h1 > h0+2<<20 {
		t.Errorf("heap grew from %d to %d bytes", h0, h1)
	}
	s := tr.Snapshot()
	for _, g := range s.Groups {
		running := 0
		if n := len(g.Elections); n > 0 && g.Elections[n-1].Running {
			running = 1
		}
		if len(g.Elections) > tr.cfg.MaxElections+running || len(g.Roles) > tr.cfg.MaxHistory+len(g.LMB)+len(g.DMB)+len(g.PDC)+
			len(g.Backups)+len(g.Potentials) || len(g.Lists) > tr.cfg.MaxSnapshots {
			t.Errorf("%s %s: history not bounded: %d elections, %d roles, %d lists", g.Segment, g.Workgroup,
				len(g.Elections), len(g.Roles), len(g.Lists))
		}
	}
	if len(s.Anomalies) > tr.cfg.MaxAnomalies {
		t.Errorf("%d anomalies kept", len(s.Anomalies))
	}
}
