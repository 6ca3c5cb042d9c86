package bench

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/bench/synth"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/pipeline"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// BenchmarkTUILoad is the terminal UI's loader alone (pipeline.Loader over
// a file, headless, to the end of the load) against the --report path of
// the command (pipeline.Run with one engine per core into the timeline,
// then the report) on the same file, in the same op, so that the ratio is
// measured under the same load of the machine. Each op is one load and
// one report of the whole file: run with -benchtime 1x (or 3x).
//
// The file is NBTSNIFF_BENCH_FILE, else a realistic mix of 200,000 other
// frames and 5,000 NBT frames (synth.WriteMix) built in a temp dir.
// Metrics: load-s and report-s (wall), load-cpu-s and report-cpu-s
// (process CPU time), load/report (wall) and load/report-cpu, frames/s of the load, index-B/frame
// (feed.Index.Bytes per frame) and heap-B/frame (live heap after a GC with
// the loaded Loader held, less the heap before, per frame: everything the
// UI holds once loaded). Issue 15's targets: load/report at most 1.5,
// index-B/frame at most 64.
//
//	NBTSNIFF_BENCH_FILE=/tmp/mix.pcap go test -run XXX -bench TUILoad -benchtime 1x ./bench/
func BenchmarkTUILoad(b *testing.B) {
	path := os.Getenv("NBTSNIFF_BENCH_FILE")
	if path == "" {
		path = filepath.Join(b.TempDir(), "mix.pcap")
		writeMixFile(b, path, 200000, 5000)
	}
	var loadWall, repWall, loadCPU, repCPU time.Duration
	var frames, indexBytes, heap float64
	for range b.N {
		cpu, start := synth.CPUTime(), time.Now()
		reportPath(b, path)
		repWall += time.Since(start)
		repCPU += synth.CPUTime() - cpu

		before := liveHeap()
		cpu, start = synth.CPUTime(), time.Now()
		l := loadPath(b, path)
		loadWall += time.Since(start)
		loadCPU += synth.CPUTime() - cpu
		s := l.Sample()
		n := float64(s.Frames.Len())
		frames += n
		indexBytes += float64(s.Frames.Bytes())
		heap += float64(liveHeap() - before)
		runtime.KeepAlive(l)
	}
	b.ReportMetric(loadWall.Seconds()/float64(b.N), "load-s")
	b.ReportMetric(repWall.Seconds()/float64(b.N), "report-s")
	b.ReportMetric(loadWall.Seconds()/repWall.Seconds(), "load/report")
	b.ReportMetric(loadCPU.Seconds()/float64(b.N), "load-cpu-s")
	b.ReportMetric(repCPU.Seconds()/float64(b.N), "report-cpu-s")
	if repCPU > 0 {
		b.ReportMetric(loadCPU.Seconds()/repCPU.Seconds(), "load/report-cpu")
	}
	b.ReportMetric(frames/loadWall.Seconds(), "frames/s")
	b.ReportMetric(indexBytes/frames, "index-B/frame")
	b.ReportMetric(heap/frames, "heap-B/frame")
}

// reportPath runs the command's --report over the file.
func reportPath(b *testing.B, path string) {
	in, err := pipeline.Open(pipeline.Inputs{Files: []string{path}})
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	cfg := pipeline.Config{
		Labels:  in.Labels,
		Engines: pipeline.DefaultEngines(),
		Needs:   engine.NewNeeds(engine.Reads{Timeline: true}),
	}
	cfg.SpreadTCP = !cfg.Needs.TCPStreamShown()
	pl, err := pipeline.New(in.Source, cfg)
	if err != nil {
		b.Fatal(err)
	}
	tl := pipeline.NewTimeline(timeline.DefaultConfig(), nil)
	if err := pl.Run(context.Background(), pipeline.Sinks{Timeline: tl}); err != nil {
		b.Fatal(err)
	}
	if err := output.WriteReport(io.Discard, tl.Snapshot()); err != nil {
		b.Fatal(err)
	}
}

// loadPath loads the file as the UI does, to the end.
func loadPath(b *testing.B, path string) *pipeline.Loader {
	in, err := pipeline.Open(pipeline.Inputs{Files: []string{path}})
	if err != nil {
		b.Fatal(err)
	}
	l, err := pipeline.NewLoader(in, pipeline.LoaderConfig{Timeline: timeline.DefaultConfig()})
	if err != nil {
		b.Fatal(err)
	}
	l.Start(context.Background())
	l.Wait()
	if err := l.Sample().Err; err != nil {
		b.Fatal(err)
	}
	return l
}

// liveHeap is the heap in use after a collection.
func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// writeMixFile writes the realistic mix (synth.WriteMix) of other and nbt
// frames to path.
func writeMixFile(b *testing.B, path string, other, nbt int) {
	c := loadCycle(b)
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := synth.WriteMix(f, c, other, nbt, 1); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}
