package pipeline

import (
	"bufio"
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// BenchmarkRun is Run over the file NBTSNIFF_BENCH_FILE names (each op
// is the whole file), as the command line runs it: --report (the
// timeline) and -T fields of frame.number, nbns.name and
// browser.command (NBTSNIFF_BENCH_FIELDS: others, space-separated), with
// DefaultEngines engines (NBTSNIFF_BENCH_ENGINES sets another number).
// For a profile of the frame loop:
//
//	NBTSNIFF_BENCH_FILE=/tmp/mix.pcap go test -run XXX -bench Run \
//	    -benchtime 5x -cpuprofile cpu.prof ./pipeline/
func BenchmarkRun(b *testing.B) {
	path := os.Getenv("NBTSNIFF_BENCH_FILE")
	if path == "" {
		b.Skip("NBTSNIFF_BENCH_FILE is not set")
	}
	engines := DefaultEngines()
	if s := os.Getenv("NBTSNIFF_BENCH_ENGINES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		engines = n
	}
	b.Run("Report", func(b *testing.B) {
		cpu0, frames := cpuTime(), 0
		for range b.N {
			tl := NewTimeline(timeline.DefaultConfig(), nil)
			frames += runFile(b, path, engines, engine.Reads{Timeline: true}, Sinks{Timeline: tl})
			if err := tl.Finish(); err != nil {
				b.Fatal(err)
			}
		}
		reportFrames(b, cpu0, frames)
	})
	b.Run("Fields", func(b *testing.B) {
		fields := []string{"frame.number", "nbns.name", "browser.command"}
		if s := os.Getenv("NBTSNIFF_BENCH_FIELDS"); s != "" {
			fields = strings.Fields(s)
		}
		newPrinter := func(w io.Writer) Printer {
			fw, err := output.NewFieldsWriter(w, fields, output.DefaultFieldsOptions())
			if err != nil {
				b.Fatal(err)
			}
			return fieldsPrinter{fw}
		}
		cpu0, frames := cpuTime(), 0
		for range b.N {
			out := bufio.NewWriterSize(io.Discard, 256<<10)
			s := Sinks{Printer: newPrinter(out), NewPrinter: newPrinter, Out: out}
			frames += runFile(b, path, engines, engine.Reads{Fields: fields}, s)
			out.Flush()
		}
		reportFrames(b, cpu0, frames)
	})
}

// reportFrames reports the wall and CPU time (all threads) per frame.
func reportFrames(b *testing.B, cpu0 time.Duration, frames int) {
	if frames == 0 {
		return
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(frames), "ns/frame")
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(frames), "cpu-ns/frame")
}

type fieldsPrinter struct{ *output.FieldsWriter }

func (p fieldsPrinter) Frame(f *dissect.Frame) error { return p.WriteFrame(f) }

// runFile runs a pipeline with engines engines over the file at path and
// returns the number of frames read.
func runFile(b *testing.B, path string, engines int, r engine.Reads, s Sinks) int {
	b.Helper()
	in, err := Open(Inputs{Files: []string{path}})
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	needs := engine.NewNeeds(r)
	pl, err := New(in.Source, Config{Labels: in.Labels, Engines: engines, Needs: needs, SpreadTCP: !needs.TCPStreamShown()})
	if err != nil {
		b.Fatal(err)
	}
	if err := pl.Run(context.Background(), s); err != nil {
		b.Fatal(err)
	}
	if err := pl.Close(); err != nil {
		b.Fatal(err)
	}
	return pl.Packets()
}
