package pipeline

import (
	"context"
	"os"
	"runtime"
	"testing"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// BenchmarkLoadReader is the fast load's reader stage alone (readFrame
// over every frame of the file NBTSNIFF_BENCH_FILE names, into one batch
// emptied when full), on one locked OS thread: reader-cpu-ns/frame is
// that thread's CPU time (getrusage RUSAGE_THREAD where there is one),
// not the process's, so another process or goroutine busy on the other
// core counts less than in the wall time. The load's first phase over the
// other traffic of a big mix is this stage (bench/README.md, session 12).
//
//	NBTSNIFF_BENCH_FILE=/work/bd/tui/mix1g.pcap go test -run XXX -bench LoadReader -benchtime 3x ./pipeline/
func BenchmarkLoadReader(b *testing.B) {
	path := os.Getenv("NBTSNIFF_BENCH_FILE")
	if path == "" {
		b.Skip("NBTSNIFF_BENCH_FILE is not set")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0, frames := threadCPUTime(), 0
	for range b.N {
		in, err := Open(Inputs{Files: []string{path}})
		if err != nil {
			b.Fatal(err)
		}
		l, err := NewLoader(in, LoaderConfig{Timeline: timeline.DefaultConfig()})
		if err != nil {
			b.Fatal(err)
		}
		if !l.fast {
			b.Fatal("not a fast load")
		}
		bt := newLoadBatch()
		var pkt capture.Packet
		var str stretch
		for {
			if err := l.pl.Read(context.Background(), &pkt); err != nil {
				break
			}
			l.readFrame(bt, l.rows, &str, &pkt, false)
			if bt.full() {
				bt.items, bt.refs, bt.segs, bt.pkts, bt.buf, bt.frames, str = bt.items[:0], bt.refs[:0], bt.segs[:0], bt.pkts[:0], bt.buf[:0], 0, stretch{}
			}
		}
		frames += l.pl.Packets()
		in.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(frames), "ns/frame")
	b.ReportMetric(float64((threadCPUTime()-cpu0).Nanoseconds())/float64(frames), "reader-cpu-ns/frame")
}
