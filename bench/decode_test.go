// Package bench holds the throughput benchmarks of the whole decode path
// (see README.md). Each benchmark's op is one frame, so allocs/op and
// B/op are per frame. The frames are the NBT frames of the real captures
// (testdata/pcaps and ../shared/pcaps) repeated with shifted times by
// package synth; one cycle is decoded before the timer starts, so the
// figures are the steady state of a long capture.
//
//	go test -run XXX -bench . -benchtime 1000000x ./bench/
//	NBTSNIFF_BENCH_INPUTS='testdata/pcaps/election.pcapng' go test -run XXX -bench Decode ./bench/
package bench

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/bench/synth"
	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// loadCycle reads the captures once per benchmark (synth.BenchInputs: the
// real captures, or those NBTSNIFF_BENCH_INPUTS names).
func loadCycle(b *testing.B) *synth.Cycle {
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

// nbtFields is every field of nbns, nbdgm and nbss that tshark 4.0 has:
// what bench/fields.sh prints with both tools.
func nbtFields() []string {
	var fs []string
	for _, p := range []string{"nbns", "nbdgm", "nbss"} {
		fs = append(fs, dissect.WiresharkAbbrevs(p)...)
	}
	return fs
}

// feed decodes frames [from, to) of the endless capture and passes each
// decoded frame to sink.
func feed(c *synth.Cycle, eng *engine.Engine, from, to int, buf *[]byte, sink func(*dissect.Frame)) {
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

// run warms up one cycle, then times b.N frames.
func run(b *testing.B, c *synth.Cycle, eng *engine.Engine, sink func(*dissect.Frame)) {
	var buf []byte
	feed(c, eng, 0, c.Len(), &buf, sink)
	b.SetBytes(c.Bytes / int64(c.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := synth.CPUTime()
	feed(c, eng, c.Len(), c.Len()+b.N, &buf, sink)
	reportCPU(b, cpu)
}

// reportCPU adds the metric cpu-ns/frame: CPU time of the process (all
// threads) since cpu, per op.
func reportCPU(b *testing.B, cpu time.Duration) {
	b.StopTimer()
	b.ReportMetric(float64(synth.CPUTime()-cpu)/float64(b.N), "cpu-ns/frame")
}

// newFieldsEngine is newEngine set up as -T fields sets it up without a
// display filter: only the nodes of the printed fields are kept.
func newFieldsEngine(fields []string) *engine.Engine {
	cfg := engineConfig()
	cfg.Needs = engine.NewNeeds(engine.Reads{Fields: fields})
	return engine.New(cfg)
}

func newEngine() *engine.Engine { return engine.New(engineConfig()) }

// newTimelineEngine is newEngine set up as --report and -T events set it
// up: no protocol tree, only the typed messages the timeline reads.
func newTimelineEngine() *engine.Engine {
	cfg := engineConfig()
	cfg.Needs = engine.NewNeeds(engine.Reads{Timeline: true})
	return engine.New(cfg)
}

func engineConfig() engine.Config {
	cfg := engine.DefaultConfig()
	cfg.Labels = []string{"big.pcap"}
	if v, err := strconv.Atoi(os.Getenv("NBTSNIFF_BENCH_TCPSTREAMS")); err == nil {
		cfg.MaxTCPStreams = v
	}
	return cfg
}

// BenchmarkDecode: link, IPv4, UDP/TCP with stream reassembly, and every
// NBT/SMB/browser/RAP layer: the engine alone.
func BenchmarkDecode(b *testing.B) {
	c := loadCycle(b)
	nodes := 0
	run(b, c, newEngine(), func(f *dissect.Frame) { nodes += len(f.Tree.Nodes) })
	b.ReportMetric(float64(nodes)/float64(b.N+c.Len()), "nodes/frame")
}

// BenchmarkDecodeFields: the engine and the -T fields printer with every
// nbns/nbdgm/nbss field, into a buffered writer, both set up as the
// command sets them up (only those fields' nodes, no info column).
func BenchmarkDecodeFields(b *testing.B) {
	c := loadCycle(b)
	w := bufio.NewWriterSize(io.Discard, 256<<10)
	fw, err := output.NewFieldsWriter(w, nbtFields(), output.DefaultFieldsOptions())
	if err != nil {
		b.Fatal(err)
	}
	cfg := engineConfig()
	cfg.Needs = engine.NewNeeds(engine.Reads{Fields: nbtFields()})
	run(b, c, engine.New(cfg), func(f *dissect.Frame) {
		if err := fw.WriteFrame(f); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkDecodeTimeline: the engine, the adapter and the tracker, as
// --report runs them (events are built but not printed).
func BenchmarkDecodeTimeline(b *testing.B) {
	c := loadCycle(b)
	ad := timeline.NewAdapter()
	events := 0
	tr := timeline.New(timeline.DefaultConfig(), func(timeline.Event) { events++ })
	run(b, c, newTimelineEngine(), func(f *dissect.Frame) {
		for _, o := range ad.FromFrame(f) {
			tr.Observe(o)
		}
	})
	b.ReportMetric(float64(events)/float64(b.N+c.Len()), "events/frame")
}

// writeBig writes b.N frames of the endless capture to a pcap file in a
// temporary directory and returns its path and frame bytes.
func writeBig(b *testing.B, c *synth.Cycle) (string, int64) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "big.pcap")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	size, err := c.WritePcap(f, b.N)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
	}
	return path, size
}

// readAll reads the file through capture.OpenFile and calls fn per frame;
// it fails unless there were want frames (any number if want < 0).
func readAll(b *testing.B, path string, want int, fn func(p *capture.Packet)) {
	src, err := capture.OpenFile(path, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	var pkt capture.Packet
	n := 0
	for {
		err := src.Next(&pkt)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
		fn(&pkt)
	}
	if want >= 0 && n != want {
		b.Fatalf("read %d frames, wrote %d", n, want)
	}
}

// BenchmarkRead is the file source alone: capture.OpenFile and Next over
// a file of b.N frames (what bench/readloop does with bare pcapgo).
func BenchmarkRead(b *testing.B) {
	c := loadCycle(b)
	path, size := writeBig(b, c)
	b.SetBytes(size / int64(b.N))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := synth.CPUTime()
	var sum int
	readAll(b, path, b.N, func(p *capture.Packet) { sum += len(p.Data) })
	reportCPU(b, cpu)
}

// BenchmarkPipelineFields is the command's -T fields path from a file:
// capture.OpenFile, engine.Engine.Decode, output.FieldsWriter. The
// file (b.N frames, written before the timer starts) is read once, from
// the page cache.
func BenchmarkPipelineFields(b *testing.B) {
	c := loadCycle(b)
	path, size := writeBig(b, c)
	w := bufio.NewWriterSize(io.Discard, 256<<10)
	fw, err := output.NewFieldsWriter(w, nbtFields(), output.DefaultFieldsOptions())
	if err != nil {
		b.Fatal(err)
	}
	eng := newFieldsEngine(nbtFields())
	b.SetBytes(size / int64(b.N))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := synth.CPUTime()
	readAll(b, path, b.N, func(p *capture.Packet) {
		if err := fw.WriteFrame(eng.Decode(p.Data, p.CI, p.LinkType, p.Source)); err != nil {
			b.Fatal(err)
		}
	})
	reportCPU(b, cpu)
}

// BenchmarkPipelineReport is the --report path from a file: capture,
// engine, adapter, tracker, and the report of the final snapshot.
func BenchmarkPipelineReport(b *testing.B) {
	c := loadCycle(b)
	path, size := writeBig(b, c)
	eng := newTimelineEngine()
	ad := timeline.NewAdapter()
	tr := timeline.New(timeline.DefaultConfig(), nil)
	b.SetBytes(size / int64(b.N))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := synth.CPUTime()
	var last dissect.Frame
	readAll(b, path, b.N, func(p *capture.Packet) {
		f := eng.Decode(p.Data, p.CI, p.LinkType, p.Source)
		for _, o := range ad.FromFrame(f) {
			tr.Observe(o)
		}
		last.Time = f.Time
	})
	eng.Close()
	tr.Finish(last.Time)
	if err := output.WriteReport(io.Discard, tr.Snapshot()); err != nil {
		b.Fatal(err)
	}
	reportCPU(b, cpu)
}

// heapInuse is the heap in use after two collections.
func heapInuse() float64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapInuse) / (1 << 20)
}

// BenchmarkLongReport runs the --report path (engine, adapter, tracker)
// over b.N frames and reports the heap in use after the first 10 cycles
// (heap0-MB) and at the end (heap-MB): with bounded state the two stay
// level however large b.N is (-benchtime 5000000x). NBTSNIFF_BENCH_HEAPPROFILE
// names a file for a heap profile taken at the end, state still alive.
func BenchmarkLongReport(b *testing.B) {
	c := loadCycle(b)
	eng := newTimelineEngine()
	ad := timeline.NewAdapter()
	tr := timeline.New(timeline.DefaultConfig(), nil)
	sink := func(f *dissect.Frame) {
		for _, o := range ad.FromFrame(f) {
			tr.Observe(o)
		}
	}
	var buf []byte
	warm := 10 * c.Len()
	feed(c, eng, 0, warm, &buf, sink)
	h0 := heapInuse()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := synth.CPUTime()
	feed(c, eng, warm, warm+b.N, &buf, sink)
	reportCPU(b, cpu)
	b.ReportMetric(h0, "heap0-MB")
	b.ReportMetric(heapInuse(), "heap-MB")
	if path := os.Getenv("NBTSNIFF_BENCH_HEAPPROFILE"); path != "" {
		// What the state holds at the end (go tool pprof -sample_index=inuse_space).
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.WriteHeapProfile(f); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	runtime.KeepAlive(eng)
	runtime.KeepAlive(ad)
	runtime.KeepAlive(tr)
	runtime.KeepAlive(c)
}

// BenchmarkFieldsWrite is output.FieldsWriter alone (78 fields, into a
// 256 KiB bufio.Writer over io.Discard): the frames of one cycle are
// decoded as -T fields decodes them and copied before the timer starts,
// then printed over and over, 64 at a time each 16 times before the next
// 64, so that their nodes are in the cache as they are when the command
// prints a frame it has just decoded. It also reports the nodes a frame
// holds.
func BenchmarkFieldsWrite(b *testing.B) {
	c := loadCycle(b)
	eng := newFieldsEngine(nbtFields())
	frames := make([]dissect.Frame, c.Len())
	nodes, i := 0, 0
	var buf []byte
	feed(c, eng, 0, c.Len(), &buf, func(f *dissect.Frame) {
		f.CopyTo(&frames[i])
		nodes += len(f.Tree.Nodes)
		i++
	})
	w := bufio.NewWriterSize(io.Discard, 256<<10)
	fw, err := output.NewFieldsWriter(w, nbtFields(), output.DefaultFieldsOptions())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := synth.CPUTime()
	const win, reps = 64, 16
	for n := 0; n < b.N; n++ {
		k := (n/(win*reps)*win + n%win) % len(frames)
		if err := fw.WriteFrame(&frames[k]); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(nodes)/float64(len(frames)), "nodes/frame")
}
