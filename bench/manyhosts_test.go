package bench

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/bench/synth"
	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// BenchmarkManyHosts is the --report path (file, engine, adapter,
// tracker, report) over the many-hosts captures (synth.WriteManyHosts):
// one HostAnnouncement from each of 10k, 100k and 1M distinct hosts, so
// that from the 4097th frame on every frame evicts the oldest address,
// host, name and Browse List entry. The cost per frame should not depend
// on the number of hosts (issue 15: at least 500k frames/s, i.e. at most
// 2 µs a frame, at all three sizes). Each op is the whole capture; run
// with -benchtime 1x. NBTSNIFF_BENCH_GROUPS=N spreads the hosts over N
// workgroups (many workgroups instead of many hosts);
// NBTSNIFF_BENCH_ELECTIONS=1 makes each frame a RequestElection instead
// (elections in N workgroups).
//
// Besides the whole run (cpu-ns/frame, frames/s), it reports the two parts
// apart, in CPU time (getrusage: the garbage collector's work on the other
// core counts): loop-ns/frame is the frame loop (reading, decoding, the
// adapter and the tracker's Observe) per frame, loop-allocs/frame its heap
// allocations per frame, and end-ms the one-off work at the end (Finish,
// Snapshot and WriteReport with the forecasts, as --report), which does
// not depend on the number of frames but on the tables' bounds.
//
//	go test -run XXX -bench ManyHosts -benchtime 1x ./bench/
//	NBTSNIFF_BENCH_GROUPS=100000 NBTSNIFF_BENCH_ELECTIONS=1 go test -run XXX -bench ManyHosts -benchtime 1x ./bench/
func BenchmarkManyHosts(b *testing.B) {
	template, write := synth.ManyHostsTemplate, synth.WriteManyHosts
	if os.Getenv("NBTSNIFF_BENCH_ELECTIONS") == "1" {
		template, write = synth.ManyElectionsTemplate, synth.WriteManyElections
	}
	templ, err := template("..")
	if err != nil {
		b.Fatal(err) // the template is a frame of testdata/pcaps/storm.pcapng, part of the tree
	}
	groups := 1
	if v, err := strconv.Atoi(os.Getenv("NBTSNIFF_BENCH_GROUPS")); err == nil && v > 0 {
		groups = v
	}
	for _, hosts := range []int{10000, 100000, 1000000} {
		b.Run(strconv.Itoa(hosts), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "hosts.pcap")
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			if err := write(f, templ, hosts, groups); err != nil {
				b.Fatal(err)
			}
			if err := f.Close(); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			cpu := synth.CPUTime()
			start := time.Now()
			var sum phases
			for range b.N {
				p := reportFile(b, path, hosts)
				sum.loop += p.loop
				sum.end += p.end
				sum.allocs += p.allocs
			}
			wall := time.Since(start)
			b.StopTimer()
			frames := float64(hosts) * float64(b.N)
			b.ReportMetric(float64(synth.CPUTime()-cpu)/frames, "cpu-ns/frame")
			b.ReportMetric(frames/wall.Seconds(), "frames/s")
			b.ReportMetric(float64(sum.loop)/frames, "loop-ns/frame")
			b.ReportMetric(float64(sum.allocs)/frames, "loop-allocs/frame")
			b.ReportMetric(float64(sum.end)/float64(b.N)/1e6, "end-ms")
			os.Remove(path)
		})
	}
}

// phases is the CPU time of reportFile's two parts and the heap
// allocations of its frame loop.
type phases struct {
	loop, end time.Duration // the frame loop; Finish, Snapshot and WriteReport
	allocs    uint64
}

// manyHostsBatch is the frames of a batch of the binary's parallel run
// (pipeline.parBatchFrames), after which an engine reuses its arena.
const manyHostsBatch = 1024

// reportFile runs the --report path over the file of want frames and
// returns what its parts cost.
func reportFile(b *testing.B, path string, want int) phases {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	mallocs := ms.Mallocs
	cpu := synth.CPUTime()
	eng := newTimelineEngine()
	ad := timeline.NewAdapter()
	// As the binary's engines do (pipeline/parallel.go): the observations
	// come from an arena reused every batch of frames.
	var ar timeline.Arena
	ad.UseArena(&ar)
	tr := timeline.New(timeline.DefaultConfig(), nil)
	var last time.Time
	n := 0
	readAll(b, path, want, func(p *capture.Packet) {
		if n++; n%manyHostsBatch == 0 {
			ar.Reuse() // the observations before are observed
		}
		f := eng.Decode(p.Data, p.CI, p.LinkType, p.Source)
		for _, o := range ad.FromFrame(f) {
			tr.Observe(o)
		}
		last = f.Time
	})
	eng.Close()
	mid := synth.CPUTime()
	runtime.ReadMemStats(&ms)
	p := phases{loop: mid - cpu, allocs: ms.Mallocs - mallocs}
	tr.Finish(last)
	// As --report does (cmd/nbtsniff: the report with its forecasts).
	if err := output.WriteReportWith(io.Discard, tr.FinalSnapshot(), output.ReportOptions{Predict: true}); err != nil {
		b.Fatal(err)
	}
	p.end = synth.CPUTime() - mid
	return p
}

// BenchmarkFile runs the --report path (sub-benchmark Report) and the -T
// fields path with three fields (Fields) over the capture that
// NBTSNIFF_BENCH_FILE names, e.g. the realistic mix (mkcap -other), for
// a profile of the command's own work on it:
//
//	NBTSNIFF_BENCH_FILE=/tmp/mix.pcap go test -run XXX -bench File/Report -benchtime 1x -cpuprofile cpu.prof ./bench/
func BenchmarkFile(b *testing.B) {
	path := os.Getenv("NBTSNIFF_BENCH_FILE")
	if path == "" {
		b.Skip("NBTSNIFF_BENCH_FILE is not set")
	}
	b.Run("Report", func(b *testing.B) {
		for range b.N {
			reportFile(b, path, -1)
		}
	})
	b.Run("Fields", func(b *testing.B) {
		fields := []string{"frame.number", "nbns.name", "browser.command"}
		for range b.N {
			fw, err := output.NewFieldsWriter(io.Discard, fields, output.DefaultFieldsOptions())
			if err != nil {
				b.Fatal(err)
			}
			eng := newFieldsEngine(fields)
			readAll(b, path, -1, func(p *capture.Packet) {
				if err := fw.WriteFrame(eng.Decode(p.Data, p.CI, p.LinkType, p.Source)); err != nil {
					b.Fatal(err)
				}
			})
		}
	})
}

// BenchmarkManyHostsTracker is the tracker alone over the many-hosts
// captures of 10k, 100k and 1M hosts: the frames are read, decoded and adapted
// first, then each op runs a new tracker's Observe over every observation
// (observe-ns/frame, in CPU time; observe-allocs/frame), with the
// garbage collector off (the observations held, 200 bytes a frame, would
// make its marking the larger cost). It is the part of BenchmarkManyHosts's
// loop that grows with the number of hosts the tables hold.
//
//	go test -run XXX -bench ManyHostsTracker -benchtime 3x ./bench/
func BenchmarkManyHostsTracker(b *testing.B) {
	templ, err := synth.ManyHostsTemplate("..")
	if err != nil {
		b.Fatal(err) // the template is a frame of testdata/pcaps/storm.pcapng, part of the tree
	}
	for _, hosts := range []int{10000, 100000, 1000000} {
		b.Run(strconv.Itoa(hosts), func(b *testing.B) {
			obs := manyHostsObservations(b, templ, hosts)
			var ms runtime.MemStats
			runtime.GC()
			defer debug.SetGCPercent(debug.SetGCPercent(-1))
			runtime.ReadMemStats(&ms)
			mallocs := ms.Mallocs
			b.ResetTimer()
			cpu := synth.CPUTime()
			for range b.N {
				tr := timeline.New(timeline.DefaultConfig(), nil)
				for _, o := range obs {
					tr.Observe(o)
				}
			}
			b.StopTimer()
			n := float64(len(obs)) * float64(b.N)
			b.ReportMetric(float64(synth.CPUTime()-cpu)/n, "observe-ns/frame")
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.Mallocs-mallocs)/n, "observe-allocs/frame")
		})
	}
}

// manyHostsObservations writes the many-hosts capture of n hosts and
// returns its observations.
func manyHostsObservations(b *testing.B, templ []byte, n int) []timeline.Observation {
	path := filepath.Join(b.TempDir(), "hosts.pcap")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := synth.WriteManyHosts(f, templ, n, 1); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	defer os.Remove(path)
	eng := newTimelineEngine()
	defer eng.Close()
	ad := timeline.NewAdapter()
	obs := make([]timeline.Observation, 0, n)
	readAll(b, path, n, func(p *capture.Packet) {
		obs = append(obs, ad.FromFrame(eng.Decode(p.Data, p.CI, p.LinkType, p.Source))...)
	})
	return obs
}

// BenchmarkManyHostsEnd is the end of a --report run over the many-hosts
// captures of 10k, 100k and 1M hosts: each op fills a new tracker with
// every observation (not timed), then Finish, FinalSnapshot and
// WriteReportWith with the forecasts, as cmd/nbtsniff does, into
// io.Discard (timed: snapshot-ms, report-ms, wall; the report's
// predictions are written on a goroutine of their own beside the rest).
//
//	go test -run XXX -bench ManyHostsEnd/10000 -benchtime 20x -cpuprofile end.prof ./bench/
func BenchmarkManyHostsEnd(b *testing.B) {
	templ, err := synth.ManyHostsTemplate("..")
	if err != nil {
		b.Fatal(err) // the template is a frame of testdata/pcaps/storm.pcapng, part of the tree
	}
	for _, hosts := range []int{10000, 100000, 1000000} {
		b.Run(strconv.Itoa(hosts), func(b *testing.B) {
			obs := manyHostsObservations(b, templ, hosts)
			var snap, report time.Duration
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				tr := timeline.New(timeline.DefaultConfig(), nil)
				var last time.Time
				for _, o := range obs {
					tr.Observe(o)
					if a, ok := o.(*timeline.Announcement); ok {
						last = a.Time
					}
				}
				b.StartTimer()
				start := time.Now()
				tr.Finish(last)
				s := tr.FinalSnapshot()
				mid := time.Now()
				if err := output.WriteReportWith(io.Discard, s, output.ReportOptions{Predict: true}); err != nil {
					b.Fatal(err)
				}
				snap += mid.Sub(start)
				report += time.Since(mid)
			}
			b.ReportMetric(float64(snap.Microseconds())/1e3/float64(b.N), "snapshot-ms")
			b.ReportMetric(float64(report.Microseconds())/1e3/float64(b.N), "report-ms")
		})
	}
}
