package bench

import (
	"os"
	"testing"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// BenchmarkFileDecode is the decoding half of --report over the file
// NBTSNIFF_BENCH_FILE names: the engine set up as --report sets it up and
// the timeline's adapter, without the tracker (BenchmarkFile/Report has
// it), for a profile of what the engines do in parallel:
//
//	NBTSNIFF_BENCH_FILE=/tmp/dense.pcap go test -run XXX -bench FileDecode -benchtime 3x -cpuprofile cpu.prof ./bench/
func BenchmarkFileDecode(b *testing.B) {
	path := os.Getenv("NBTSNIFF_BENCH_FILE")
	if path == "" {
		b.Skip("NBTSNIFF_BENCH_FILE is not set")
	}
	obs := 0
	for range b.N {
		eng := newTimelineEngine()
		ad := timeline.NewAdapter()
		readAll(b, path, -1, func(p *capture.Packet) {
			obs += len(ad.FromFrame(eng.Decode(p.Data, p.CI, p.LinkType, p.Source)))
		})
		eng.Close()
	}
	b.ReportMetric(float64(obs)/float64(b.N), "obs/op")
}
