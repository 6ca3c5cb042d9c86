package pipeline

import (
	"context"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// BenchmarkTracker is the timeline's tracker alone over the file
// NBTSNIFF_BENCH_FILE names, as --report feeds it (no event reader): the
// observations of the whole file are made once (one engine, one
// adapter), then each op feeds them all to a new tracker, whose work is
// the writer's in a parallel run.
func BenchmarkTracker(b *testing.B) {
	path := os.Getenv("NBTSNIFF_BENCH_FILE")
	if path == "" {
		b.Skip("NBTSNIFF_BENCH_FILE is not set")
	}
	in, err := Open(Inputs{Files: []string{path}})
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	pl, err := New(in.Source, Config{Labels: in.Labels, Engines: 1, Needs: engine.NewNeeds(engine.Reads{Timeline: true})})
	if err != nil {
		b.Fatal(err)
	}
	ad := timeline.NewAdapter()
	var obs []timeline.Observation
	for {
		f, err := pl.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		obs = append(obs, ad.FromFrame(f)...)
	}
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		tr := timeline.New(timeline.DefaultConfig(), nil)
		for _, o := range obs {
			tr.Observe(o)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
}
