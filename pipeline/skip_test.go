package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/internal/crafted"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// mixCapture writes the frames of a lab capture with other traffic around
// them, as a real capture has it (issue 15's realistic mix): before each
// NBT frame, zero to five TCP 443 and UDP 53 frames, ten minutes of them
// at the start and some at the end, end after the last NBT frame (the
// capture's first and last frames carry no NBT), and
// now and then one cut short (its original length over its captured
// length: decoded, to be marked, not skipped). It returns the path of the
// pcap file written.
func mixCapture(t *testing.T, lab string, end []time.Duration) string {
	t.Helper()
	return mixCaptureBy(t, lab, end, 200, 6)
}

// mixCaptureBy is mixCapture with lead frames of other traffic in the ten
// minutes first, and zero to per-1 before each NBT frame.
func mixCaptureBy(t *testing.T, lab string, end []time.Duration, lead, per int) string {
	t.Helper()
	src, err := capture.OpenFile(labPcap(t, lab), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	other := func(at time.Time, i int) {
		payload := bytes.Repeat([]byte{byte(i)}, 10+i%200)
		fr := crafted.TCPFrame(byte(1+i%7), byte(20+i%5), uint16(40000+i%300), 443, uint32(i*1000), 1, 0x18, payload)
		if i%3 == 0 {
			fr = crafted.UDPFrame(byte(1+i%7), 53, uint16(50000+i%100), 53, payload)
		}
		ci := gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(fr), Length: len(fr)}
		if i%97 == 50 {
			ci.Length += 20 // cut short
		}
		if err := w.WritePacket(ci, fr); err != nil {
			t.Fatal(err)
		}
	}
	var p capture.Packet
	n, at := 0, time.Time{}
	for {
		err := src.Next(&p)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if p.LinkType != layers.LinkTypeEthernet {
			t.Fatalf("%s: link type %v", lab, p.LinkType)
		}
		runs, gap := n%per, time.Millisecond
		if n == 0 { // ten minutes of other traffic first
			runs, gap = lead, 10*time.Minute/time.Duration(lead)
		}
		for j := range runs {
			other(p.CI.Timestamp.Add(-time.Duration(runs-j)*gap), n*7+j)
		}
		ci := p.CI
		ci.InterfaceIndex, ci.AncillaryData = 0, nil
		if err := w.WritePacket(ci, p.Data); err != nil {
			t.Fatal(err)
		}
		n, at = n+1, p.CI.Timestamp
	}
	for j, d := range end {
		other(at.Add(d), j+1)
	}
	path := filepath.Join(t.TempDir(), "mix-"+lab+".pcap")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// skipRun says how a run reads the capture: how many engines, whether the
// input waits (no read-ahead), and whether Needs lets it skip the frames
// that carry no NBT.
type skipRun struct {
	engines int
	waits   bool
	skip    bool
}

func (r skipRun) String() string {
	return fmt.Sprintf("%d engines, waits %v, skip %v", r.engines, r.waits, r.skip)
}

var skipRuns = []skipRun{{1, false, true}, {1, true, true}, {2, false, true}, {3, false, true}}

// runMix runs a pipeline over path as r says, with reads as what the sink
// reads.
func runMix(t *testing.T, path string, r skipRun, reads engine.Reads, s Sinks) {
	t.Helper()
	in, err := Open(Inputs{Files: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	cfg := Config{Labels: in.Labels, Engines: r.engines, Waits: r.waits}
	if r.skip {
		cfg.Needs = engine.NewNeeds(reads)
		cfg.SpreadTCP = !cfg.Needs.TCPStreamShown()
		if !cfg.Needs.SkipOther() {
			t.Fatalf("%+v: skips nothing", reads)
		}
	}
	pl, err := New(in.Source, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := pl.Run(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if err := pl.Close(); err != nil {
		t.Fatal(err)
	}
}

// Frames that carry no NBT are classified from their raw bytes as they
// are read and never copied (or, for the timeline, decoded): the
// timeline's events, its report, the times its state is asked for, and
// -T fields of NBT and frame fields are those of a run that decodes
// every frame, with one engine or several, reading ahead or not.
func TestSkippingChangesNothing(t *testing.T) {
	for _, lab := range []string{"enum.pcapng", "election.pcapng"} {
		// The latest frame is not the last one.
		path := mixCapture(t, lab, []time.Duration{time.Minute, 50 * time.Minute, 2 * time.Minute})
		ref := skipRun{engines: 1}
		var wantFields []string
		for _, fs := range mixFieldSets {
			want := mixFields(t, path, ref, fs)
			if len(want) < 1000 {
				t.Fatalf("%s: %d bytes of fields", lab, len(want))
			}
			wantFields = append(wantFields, want)
		}
		for _, v := range timelineVariants {
			want := mixTimeline(t, path, ref, v)
			if len(want) < 1000 {
				t.Fatalf("%s: %d bytes of timeline", lab, len(want))
			}
			for _, r := range skipRuns {
				if got := mixTimeline(t, path, r, v); got != want {
					t.Errorf("%s, %v, %s: timeline\n%s\nwant\n%s", lab, r, v, got, want)
				}
			}
		}
		for _, r := range skipRuns {
			for i, fs := range mixFieldSets {
				if got := mixFields(t, path, r, fs); got != wantFields[i] {
					t.Errorf("%s, %v, %q: fields differ", lab, r, fs)
				}
			}
		}
	}
	// The last frame alone in its block of skipped frames; last of a
	// block; of a long run of them, over several batches (parBatchNumbered)
	// and writes (parNumberedChunk).
	long := make([]time.Duration, 20000)
	for i := range long {
		long[i] = time.Duration(i) * time.Millisecond
	}
	for _, end := range [][]time.Duration{{time.Second}, {time.Second, 2 * time.Second, 3 * time.Second}, long} {
		path := mixCapture(t, "storm.pcapng", end)
		for _, fs := range mixFieldSets {
			want := mixFields(t, path, skipRun{engines: 1}, fs)
			for _, r := range skipRuns {
				if got := mixFields(t, path, r, fs); got != want {
					t.Errorf("storm.pcapng, %d frames after, %v, %q: fields differ", len(end), r, fs)
				}
			}
		}
	}
}

// mixFieldSets are the -T fields runs over the mix: frame fields the
// skipped frames' engine makes (engine.Skipped), then NBT fields and the
// frame's number alone, printed by number (NumberPrinter), quoted, twice
// and as _ws.col.No.
var mixFieldSets = [][]string{
	{"frame.number", "frame.time_delta", "frame.time_relative", "frame.len", "frame.cap_len", "nbns.name", "browser.command", "nbss.type"},
	{"frame.number", "nbns.name", "browser.command"},
	{"nbns.name", "frame.number", "nbss.type", "_ws.col.No.", "-E", "quote=d", "-E", "separator=;"},
	{"nbns.name", "nbdgm.source_name"},
}

// The timeline is run over the mix to its end (the clock of its latest
// frame), at a moment relative to its first frame, and with a watch
// asking for its state every 30 s of capture time (then the times it is
// asked at are compared too).
var timelineVariants = []string{"to the end", "at 15 min", "watched"}

// mixTimeline runs the timeline over path and returns its events and its
// report.
func mixTimeline(t *testing.T, path string, r skipRun, variant string) string {
	t.Helper()
	var b []byte
	tl := NewTimeline(timeline.DefaultConfig(), func(e timeline.Event) error {
		b = append(output.AppendEvent(b, &e), '\n')
		return nil
	})
	if variant == "watched" {
		var next time.Time
		tl.SetWatch(&Watch{
			StateDue: func(at time.Time) bool {
				b = fmt.Appendf(b, "due %v\n", at.UnixNano())
				if at.Before(next) {
					return false
				}
				next = at.Add(30 * time.Second)
				return true
			},
			State: func(s *timeline.Snapshot) { b = fmt.Appendf(b, "state %v\n", s.Time.UnixNano()) },
		})
	}
	if variant == "at 15 min" {
		// After the ten minutes of other traffic, the NBT frames' first
		// five.
		tl.AtAfterStart(15 * time.Minute)
	}
	runMix(t, path, r, engine.Reads{Timeline: true}, Sinks{Timeline: tl})
	if err := tl.Finish(); err != nil {
		t.Fatal(err)
	}
	var rep bytes.Buffer
	if err := output.WriteReportJSON(&rep, tl.Snapshot()); err != nil {
		t.Fatal(err)
	}
	return string(b) + rep.String()
}

// mixFields prints -T fields of frame and NBT fields over path: args
// are the fields, and "-E", "option" pairs (output.ParseFieldsOptions).
func mixFields(t *testing.T, path string, r skipRun, args []string) string {
	t.Helper()
	var fields, opts []string
	for i := 0; i < len(args); i++ {
		if args[i] == "-E" {
			opts = append(opts, args[i+1])
			i++
			continue
		}
		fields = append(fields, args[i])
	}
	fo, err := output.ParseFieldsOptions(opts)
	if err != nil {
		t.Fatal(err)
	}
	newPrinter := func(w io.Writer) Printer {
		fw, err := output.NewFieldsWriter(w, fields, fo)
		if err != nil {
			t.Fatal(err)
		}
		return fieldsPrinter{fw}
	}
	var out bytes.Buffer
	runMix(t, path, r, engine.Reads{Fields: fields}, Sinks{Printer: newPrinter(&out), NewPrinter: newPrinter, Out: &out})
	return out.String()
}
