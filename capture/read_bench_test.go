package capture

import (
	"io"
	"os"
	"testing"
)

// BenchmarkReadFile reads the file NBTSNIFF_BENCH_FILE names with
// OpenFile and Next, each op the whole file (bench/readloop is the bare
// pcapgo loop to compare with):
//
//	NBTSNIFF_BENCH_FILE=/tmp/mix.pcap go test -run XXX -bench ReadFile -benchtime 5x ./capture/
func BenchmarkReadFile(b *testing.B) {
	path := os.Getenv("NBTSNIFF_BENCH_FILE")
	if path == "" {
		b.Skip("NBTSNIFF_BENCH_FILE is not set")
	}
	var p Packet
	frames := 0
	for b.Loop() {
		src, err := OpenFile(path, 0)
		if err != nil {
			b.Fatal(err)
		}
		n, bytes := 0, 0
		for {
			err := src.Next(&p)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
			bytes += len(p.Data)
		}
		src.Close()
		frames += n
		b.SetBytes(int64(bytes))
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(frames), "ns/frame")
}
