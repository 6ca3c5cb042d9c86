package output_test

import (
	"bytes"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/internal/testframes"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/pipeline"
)

// The lines printed by number (ByNumber, AppendNumbered, WriteNumbered)
// are those WriteFrame prints of the frames the engine makes of frames
// that carry no NBT (engine.Engine.Skipped), over numbers whose digits
// carry (9 → 10, 999 → 1000, ...) and runs longer than a write; and
// columns that show more of such a frame than its number are refused.
func TestFieldsWriterByNumber(t *testing.T) {
	tests := []struct {
		fields []string
		opts   []string
		ok     bool
	}{
		{[]string{"frame.number", "nbns.name", "browser.command"}, nil, true},
		{[]string{"nbns.name", "frame.number", "_ws.col.No.", "frame.number"}, []string{"quote=s", "separator=/s"}, true},
		{[]string{"frame.number"}, []string{"header=y", "bom=y", "quote=d"}, true},
		{[]string{"nbns.name", "nbss.type", "nbns"}, nil, true},
		{[]string{"nbns.name"}, nil, true},
		// Longer than the line built in place, more slots than it has.
		{append(slices.Repeat([]string{"nbns.name"}, 300), "frame.number"), nil, true},
		{slices.Repeat([]string{"frame.number", "nbns.name"}, 9), nil, true},
		{[]string{"frame.number", "frame.len"}, nil, false},
		{[]string{"frame.number", "frame.time_relative"}, nil, false},
		{[]string{"frame.number", "nbtsniff.source"}, nil, false},
		{[]string{"frame.number", "_ws.expert"}, nil, false},
		{[]string{"frame.number", "frame"}, nil, false},
		{[]string{"frame.number", "_ws.col.Time"}, nil, false},
		{[]string{"frame.number", "_ws.col.Protocol"}, nil, false},
		{[]string{"frame.number", "_ws.col.Info"}, nil, false},
	}
	t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	runs := [][2]int{{1, 12}, {95, 105}, {998, 1003}, {9999, 10001}, {99990, 100010}, {1, 9000}}
	for _, tt := range tests {
		opts, err := output.ParseFieldsOptions(tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		var want, got bytes.Buffer
		ref, err := output.NewFieldsWriter(&want, tt.fields, opts)
		if err != nil {
			t.Fatal(err)
		}
		fw, err := output.NewFieldsWriter(&got, tt.fields, opts)
		if err != nil {
			t.Fatal(err)
		}
		needs := engine.NewNeeds(engine.Reads{Fields: tt.fields})
		if ok := fw.ByNumber(needs.SkippedFields()); ok != tt.ok {
			t.Errorf("%q %q: ByNumber %v, want %v", tt.fields, tt.opts, ok, tt.ok)
			continue
		}
		if !tt.ok {
			if b := fw.AppendNumbered(nil, 1, 3); len(b) > 0 {
				t.Errorf("%q: refused, but AppendNumbered appends %q", tt.fields, b)
			}
			continue
		}
		e := engine.New(engine.Config{Needs: needs, Labels: []string{"seg"}})
		var appended []byte
		for _, r := range runs {
			for n := r[0]; n <= r[1]; n++ {
				// Every other one cut short: the expert note.
				ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(n) * time.Millisecond), CaptureLength: 60, Length: 60 - n%2*10, InterfaceIndex: n % 3}
				if err := ref.WriteFrame(e.Skipped(n, t0, t0, 60, ci, layers.LinkTypeEthernet, 0)); err != nil {
					t.Fatal(err)
				}
			}
			if err := fw.WriteNumbered(r[0], r[1]); err != nil {
				t.Fatal(err)
			}
			appended = fw.AppendNumbered(appended, r[0], r[1])
		}
		if got.String() != want.String() {
			t.Errorf("%q %q: WriteNumbered differs from WriteFrame of skipped frames:\n%.300q\nwant\n%.300q", tt.fields, tt.opts, got.String(), want.String())
		}
		if head := len(want.String()) - len(appended); head < 0 || string(appended) != want.String()[head:] {
			t.Errorf("%q %q: AppendNumbered differs", tt.fields, tt.opts)
		}
	}
}

// BenchmarkFieldsWriterNumbered is the cost of a line printed by number,
// in runs of 64 lines (ns/op is per line).
func BenchmarkFieldsWriterNumbered(b *testing.B) {
	fields := []string{"frame.number", "nbns.name", "browser.command"}
	fw, _ := output.NewFieldsWriter(nil, fields, output.DefaultFieldsOptions())
	fw.ByNumber(engine.NewNeeds(engine.Reads{Fields: fields}).SkippedFields())
	buf := make([]byte, 0, 64<<10)
	b.ReportAllocs()
	n := 1000000
	for b.Loop() {
		buf = fw.AppendNumbered(buf[:0], n, n+63)
		n += 64
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*64), "ns/line")
}

// BenchmarkFieldsWriterNBT prints the frames of a lab capture (NBNS,
// datagrams, SMB over NBSS), decoded as -T fields decodes them (only the
// printed fields' nodes: engine.Needs), with every nbns, nbdgm and nbss
// field (78 of them; bench/fields.sh's dense section): ns/op is per frame.
func BenchmarkFieldsWriterNBT(b *testing.B) {
	var fields []string
	for _, fi := range dissect.AllFields() {
		switch fi.Proto {
		case "nbns", "nbdgm", "nbss":
			fields = append(fields, fi.Abbrev)
		}
	}
	cfg := pipeline.Config{Needs: engine.NewNeeds(engine.Reads{Fields: fields})}
	frames := testframes.LoadConfig(b, labPcaps+"/enum.pcapng", cfg)
	fw, err := output.NewFieldsWriter(io.Discard, fields, output.DefaultFieldsOptions())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		fw.WriteFrame(frames[i%len(frames)])
	}
}
