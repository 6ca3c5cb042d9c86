package timeline

import (
	"runtime"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/bench/synth"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
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

// liveHeap is the bytes of reachable objects after two collections: what
// the state holds. (HeapInuse also counts partly used spans, and wanders
// by 2 MiB with the collector's timing while the live heap stays level.)
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
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
// the lab captures) and checks that the live heap after them is within
// 2 MiB of the live heap after the first hundred thousand.
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
	h0 := liveHeap()
	for i := warm; i < total; i++ {
		tr.Observe(lc.at(i))
	}
	h1 := liveHeap()
	t.Logf("live heap after %d observations: %.2f MiB; after %d: %.2f MiB", warm, float64(h0)/(1<<20), total,
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

// ---- the benchmark mix (bench/synth): what the adapter and the tracker cost per frame ----

// loadMix reads the frames bench/ decodes (synth.BenchInputs: the real
// captures, or those NBTSNIFF_BENCH_INPUTS names).
func loadMix(b testing.TB) *synth.Cycle {
	b.Helper()
	inputs := synth.BenchInputs("..") // the repository root
	if len(inputs) == 0 {
		b.Fatal("no captures in testdata/pcaps or ../shared/pcaps (or NBTSNIFF_BENCH_INPUTS): testdata/pcaps is part of the tree")
	}
	c, err := synth.Load(inputs)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// mixEngine is the engine as --report sets it up: no protocol tree.
func mixEngine() *engine.Engine {
	cfg := engine.DefaultConfig()
	cfg.Labels = []string{"big.pcap"}
	cfg.Needs = engine.NewNeeds(engine.Reads{Timeline: true})
	return engine.New(cfg)
}

// feedMix decodes frames [from, to) of the endless mix and passes each to sink.
func feedMix(c *synth.Cycle, eng *engine.Engine, from, to int, buf *[]byte, sink func(*dissect.Frame)) {
	n := c.Len()
	for i := from; i < to; i++ {
		data, ci := c.Frame(i/n, i%n, *buf)
		*buf = data
		f := eng.Decode(data, ci, layers.LinkTypeEthernet, 0)
		if sink != nil {
			sink(f)
		}
	}
}

// runMix warms up one cycle, then times b.N frames and reports the CPU time
// per frame (all threads, GC included: steadier on a shared machine).
func runMix(b *testing.B, sink func(*dissect.Frame)) {
	c := loadMix(b)
	eng := mixEngine()
	var buf []byte
	feedMix(c, eng, 0, c.Len(), &buf, sink)
	b.ReportAllocs()
	m0 := mallocs()
	b.ResetTimer()
	cpu := synth.CPUTime()
	feedMix(c, eng, c.Len(), c.Len()+b.N, &buf, sink)
	b.StopTimer()
	b.ReportMetric(float64(synth.CPUTime()-cpu)/float64(b.N), "cpu-ns/frame")
	b.ReportMetric(float64(mallocs()-m0)/float64(b.N), "allocs/frame")
}

// mallocs is the number of heap objects allocated so far (allocs/op is
// rounded down to a whole number; this gives the fraction).
func mallocs() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.Mallocs
}

// BenchmarkMixEngine is the engine alone, without a tree: the baseline
// that BenchmarkMixTimeline is compared with (their difference is what the
// adapter and the tracker cost per frame).
func BenchmarkMixEngine(b *testing.B) { runMix(b, nil) }

// BenchmarkMixAdapter is the engine and the adapter.
func BenchmarkMixAdapter(b *testing.B) {
	ad := NewAdapter()
	n := 0
	runMix(b, func(f *dissect.Frame) { n += len(ad.FromFrame(f)) })
}

// BenchmarkMixTimeline is the engine, the adapter and the tracker, as
// --report runs them.
func BenchmarkMixTimeline(b *testing.B) {
	ad := NewAdapter()
	events := 0
	tr := New(DefaultConfig(), func(Event) { events++ })
	runMix(b, func(f *dissect.Frame) {
		for _, o := range ad.FromFrame(f) {
			tr.Observe(o)
		}
	})
}

// BenchmarkMixTimelineReport is MixTimeline without an event reader, as
// --report runs it.
func BenchmarkMixTimelineReport(b *testing.B) {
	ad := NewAdapter()
	tr := New(DefaultConfig(), nil)
	runMix(b, func(f *dissect.Frame) {
		for _, o := range ad.FromFrame(f) {
			tr.Observe(o)
		}
	})
}

// BenchmarkMixTracker is the tracker alone, fed the observations of one
// cycle of the mix (made once by the engine and the adapter) over and over
// with shifted times and frame numbers; each op is one frame of the mix.
// Events are counted (-T events builds them); MixTrackerReport has no
// event reader, as --report.
func BenchmarkMixTracker(b *testing.B) { benchMixTracker(b, true) }

// BenchmarkMixTrackerReport is MixTracker without an event reader.
func BenchmarkMixTrackerReport(b *testing.B) { benchMixTracker(b, false) }

func benchMixTracker(b *testing.B, withEvents bool) {
	c := loadMix(b)
	eng := mixEngine()
	ad := NewAdapter()
	perFrame := make([][]Observation, c.Len())
	base := make([][]time.Time, c.Len())
	var buf []byte
	i := 0
	feedMix(c, eng, 0, c.Len(), &buf, func(f *dissect.Frame) {
		for _, o := range ad.FromFrame(f) {
			perFrame[i] = append(perFrame[i], o)
			base[i] = append(base[i], o.meta().Time)
		}
		i++
	})
	n := c.Len()
	events := 0
	var emit func(Event)
	if withEvents {
		emit = func(Event) { events++ }
	}
	tr := New(DefaultConfig(), emit)
	feed := func(from, to int) {
		for k := from; k < to; k++ {
			shift := time.Duration(k/n) * c.Span
			for j, o := range perFrame[k%n] {
				m := o.meta()
				m.Time = base[k%n][j].Add(shift)
				m.Frame = k + 1
				tr.Observe(o)
			}
		}
	}
	feed(0, n)
	b.ReportAllocs()
	m0 := mallocs()
	b.ResetTimer()
	cpu := synth.CPUTime()
	feed(n, n+b.N)
	b.StopTimer()
	b.ReportMetric(float64(synth.CPUTime()-cpu)/float64(b.N), "cpu-ns/frame")
	b.ReportMetric(float64(mallocs()-m0)/float64(b.N), "allocs/frame")
	b.ReportMetric(float64(events)/float64(b.N+n), "events/frame")
}
