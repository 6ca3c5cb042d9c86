package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/filter"
	"github.com/nbtsniff/nbtsniff/internal/crafted"
)

// frameLines prints every frame: its number, lengths, protocol and info.
type frameLines struct{ w io.Writer }

func (p frameLines) Frame(f *dissect.Frame) error {
	_, err := fmt.Fprintf(p.w, "%d %d %d %s %q %d\n", f.Number, f.Len, f.CapLen, f.Proto, f.Info, len(f.Errs))
	return err
}

// bigFramesCapture writes NBNS queries from many hosts with up to 1500
// bytes after them, and now and then a record of capture.MaxRecordSize
// bytes: their bytes fill a batch before its frames do.
func bigFramesCapture(t *testing.T, n int) string {
	t.Helper()
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if err := w.WriteFileHeader(capture.MaxRecordSize, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	for i := range n {
		fr := crafted.NBNSQuery(byte(1+i%250), uint16(i), fmt.Sprintf("HOST%d", i))
		pad := (i * 37) % 1500
		if i%500 == 7 {
			pad = capture.MaxRecordSize - len(fr)
		}
		fr = append(fr, make([]byte, pad)...)
		ci := gopacket.CaptureInfo{Timestamp: at.Add(time.Duration(i) * time.Millisecond), CaptureLength: len(fr), Length: len(fr)}
		if err := w.WritePacket(ci, fr); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "big.pcap")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A batch is sent when the next frame's bytes would not fit in it, so its
// bytes never grow past parBatchBytes (a record of capture.MaxRecordSize
// fits in an empty batch), and no more batches are made than there are
// stages and spares: the output is that of one engine all the same.
func TestBatchesSentByBytes(t *testing.T) {
	if parBatchBytes < capture.MaxRecordSize {
		t.Fatalf("a batch holds %d bytes, a record up to %d", parBatchBytes, capture.MaxRecordSize)
	}
	path := bigFramesCapture(t, 5000)
	var want string
	for _, engines := range []int{1, 2, 3} {
		in, err := Open(Inputs{Files: []string{path}})
		if err != nil {
			t.Fatal(err)
		}
		pl, err := New(in.Source, Config{Labels: in.Labels, Engines: engines})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		err = pl.Run(context.Background(), Sinks{Printer: frameLines{&out}, NewPrinter: func(w io.Writer) Printer { return frameLines{w} }, Out: &out})
		if err != nil {
			t.Fatal(err)
		}
		if engines == 1 {
			want = out.String()
			if n := bytes.Count(out.Bytes(), []byte("\n")); n != 5000 {
				t.Fatalf("one engine printed %d frames, want 5000", n)
			}
		} else if out.String() != want {
			t.Errorf("%d engines print other lines than one", engines)
		}
		if par := pl.par; par != nil {
			checkBatches(t, engines, par)
		}
		pl.Close()
		in.Close()
	}
}

// checkBatches checks the batches of a parallel run that has ended: at
// most one per stage and the spares (parSpareBatches) were made, and none
// grew its bytes.
func checkBatches(t *testing.T, engines int, par *parallel) {
	t.Helper()
	stages := 3
	if len(par.workers) > engines {
		stages++ // the session worker's
	}
	if par.made > stages+parSpareBatches {
		t.Errorf("%d engines: %d batches made for %d stages and %d spares", engines, par.made, stages, parSpareBatches)
	}
	for range par.made {
		select {
		case b := <-par.free:
			if cap(b.data) != parBatchBytes {
				t.Errorf("%d engines: a batch's bytes grew to %d", engines, cap(b.data))
			}
		default:
			t.Fatalf("%d engines: a batch made is not back once the run ended", engines)
		}
	}
}

// A frame the display filter drops has no output range, whatever the
// batch entry held before: the capture's last frame is sliced out of the
// buffer of the worker that finishes it (last), and an entry reused from
// an earlier batch kept the range of a frame another worker printed, past
// the end of this worker's buffer (a panic on a real capture with 2
// engines, -Y and 700 fields, session 10).
func TestDroppedFrameHasNoOutput(t *testing.T) {
	flt, err := filter.Compile("nbss")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := &parWorker{flt: flt, printer: frameLines{&out}, w: &spanWriter{}}
	f := &dissect.Frame{Number: 7, Proto: "NBNS"}
	fr := &parFrame{out: [2]int32{4096, 5399}, keep: true}
	w.finish(fr, f)
	if fr.keep {
		t.Fatal("a frame without NBSS matched the filter nbss")
	}
	if fr.out != [2]int32{} {
		t.Errorf("a dropped frame kept the output range %v of the entry's last frame", fr.out)
	}
}

// A spare batch is made only when the reader would wait for a free one
// after the first parSpareAfter batches, while every engine has taken
// every batch sent (the writer holds the rest), and no more than
// parSpareBatches of them: else the reader waits for a free batch.
func TestSpareBatches(t *testing.T) {
	newPar := func(made, sent int) *parallel {
		p := &parallel{batches: parBatches, spares: parSpareBatches, made: made, sent: sent, load: make([]int, 2),
			free: make(chan *parBatch, parBatches+parSpareBatches)}
		for i := range 2 {
			p.workers = append(p.workers, &parWorker{id: i, in: make(chan *parBatch, parBatches+parSpareBatches)})
		}
		return p
	}
	freed := &parBatch{}
	for _, c := range []struct {
		name       string
		made, sent int
		queued     bool // a batch waits for engine 1
		spare      bool // a spare is made, else the free one is taken
	}{
		{"engines caught up", parBatches, parSpareAfter, false, true},
		{"engines behind", parBatches, parSpareAfter, true, false},
		{"first batches", parBatches, parSpareAfter - 1, false, false},
		{"spares all made", parBatches + parSpareBatches, 1000, false, false},
		{"one spare made", parBatches + 1, 1000, false, true},
	} {
		p := newPar(c.made, c.sent)
		if c.queued {
			p.workers[1].in <- &parBatch{}
		}
		// A batch comes free a little later: the reader takes it if it
		// waits, rather than make a spare.
		go func() {
			time.Sleep(20 * time.Millisecond)
			p.free <- freed
		}()
		b := p.batch()
		switch {
		case c.spare && (b == freed || p.made != c.made+1):
			t.Errorf("%s: no spare made (%d made)", c.name, p.made)
		case !c.spare && (b != freed || p.made != c.made):
			t.Errorf("%s: a batch made (%d made), the free one not taken", c.name, p.made)
		}
	}
}

// A batch entry keeps the observations of its last frame once the writer
// fed them (they live in the batch's arenas): an engine that gives the
// entry a frame with none must empty it, or the tracker would be fed the
// old ones again. Name queries, each from a host of its own, between TCP
// acknowledgements to port 139 (decoded, no observation), one in three
// frames: over batches of 64 to 1,024 frames, entries that held a query
// take an acknowledgement. The events and the report are one engine's.
func TestBatchEntriesFeedOnlyTheirFrame(t *testing.T) {
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	queries := 0
	for i := range 6000 {
		fr := crafted.TCPFrame(byte(1+i%200), 250, uint16(40000+i%200), 139, uint32(i), 1, 0x10, nil)
		if i%3 == 0 {
			fr = crafted.NBNSQuery(byte(1+i%250), uint16(i), fmt.Sprintf("Q%d", i))
			queries++
		}
		ci := gopacket.CaptureInfo{Timestamp: at.Add(time.Duration(i) * 700 * time.Millisecond), CaptureLength: len(fr), Length: len(fr)}
		if err := w.WritePacket(ci, fr); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "alternate.pcap")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	want := mixTimeline(t, path, skipRun{engines: 1, skip: true}, "to the end")
	for _, k := range []int{2, 3} {
		if got := mixTimeline(t, path, skipRun{engines: k, skip: true}, "to the end"); got != want {
			t.Errorf("%d engines:\n%.500s\nwant (one engine):\n%.500s", k, got, want)
		}
	}
	if obs := fmt.Sprintf(`"observations":%d,`, queries); !strings.Contains(want, obs) {
		t.Fatalf("one engine: the report does not count %s:\n%.500s", obs, want)
	}
}

// Spare batches are for the writer that feeds the timeline: a printer's
// batches hold the engines' text, and its writer is never the slow stage
// a spare would help, so a printing run makes none (its memory stays at
// what its first batches hold).
func TestSparesOnlyForTheTimeline(t *testing.T) {
	if n := sparesFor(Sinks{Out: io.Discard}); n != 0 {
		t.Errorf("a printing run may make %d spare batches, want none", n)
	}
	if n := sparesFor(Sinks{Timeline: &Timeline{}}); n != parSpareBatches {
		t.Errorf("the timeline's run may make %d spare batches, want %d", n, parSpareBatches)
	}
}
