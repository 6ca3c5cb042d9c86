package pipeline

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/nbtsniff/nbtsniff/internal/corpus"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/internal/hugepage"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// With SpreadTCP, the TCP frames go to the engine of their shard: on a
// capture whose TCP traffic has many address pairs, every engine gets
// some; without, TCP stays on engine 0.
func TestParallelSpreadsTCPByShard(t *testing.T) {
	path := corpus.Path(t, "nbss139-smb1-maccdc2012-rawip-linktype_nemesys-cut.pcap") // 21 address pairs, raw IPv4
	for _, byShard := range []bool{true, false} {
		src, err := capture.OpenFile(path, 0)
		if err != nil {
			t.Fatal(err)
		}
		p := &parallel{load: make([]int, 3), byShard: byShard}
		engines := map[int32]int{}
		var pkt capture.Packet
		for src.Next(&pkt) == nil {
			_, class, may, shard, _ := p.needs.SkipOrRoute(pkt.Data, pkt.LinkType, false) // as add
			if e, shard := p.pick(class, may, shard); shard > 0 {
				if s := engine.ShardOf(pkt.Data, pkt.LinkType); s != int(shard) {
					t.Fatalf("pick's shard %d, ShardOf %d", shard, s)
				}
				engines[e]++
			}
		}
		src.Close()
		if byShard && len(engines) != 3 || !byShard && (len(engines) != 1 || engines[0] == 0) {
			t.Errorf("by shard %v: TCP frames by engine %v", byShard, engines)
		}
	}
}

// The first pass of -2 (and -V, -T json) decodes only the frames that can
// carry a session packet, without a tree: it must learn the same
// transaction completions as an engine that decodes every frame in full.
func TestFirstPassFindsEveryCompletion(t *testing.T) {
	caps, _ := filepath.Glob("../testdata/pcaps/*.pcapng")
	spec, _ := filepath.Glob("../testdata/specframes/*.pcap")
	found := 0
	for _, c := range append(append(caps, spec...), corpus.Maybe(t, "*.pcap*")...) {
		in, err := Open(Inputs{Files: []string{c}})
		if err != nil {
			t.Fatal(err)
		}
		pl, err := New(in.Source, Config{Labels: in.Labels})
		if err != nil {
			t.Fatal(err)
		}
		if err := pl.FirstPass(context.Background(), in.Source); err != nil {
			t.Fatal(err)
		}
		in.Close()
		got := pl.comp

		src, err := capture.OpenFile(c, 0)
		if err != nil {
			t.Fatal(err)
		}
		cfg := engine.DefaultConfig()
		cfg.Needs = engine.NewNeeds(engine.Reads{Details: true, Completions: true})
		full := engine.New(cfg)
		var pkt capture.Packet
		for src.Next(&pkt) == nil {
			full.Decode(pkt.Data, pkt.CI, pkt.LinkType, pkt.Source)
		}
		src.Close()
		full.Close()
		want := full.Completions()
		if len(got) != len(want) {
			t.Errorf("%s: %d completions, a full decode finds %d", c, len(got), len(want))
		}
		for fr, in := range want {
			if got[fr] != in {
				t.Errorf("%s: frame %d completed in %d, a full decode says %d", c, fr, got[fr], in)
			}
		}
		found += len(want)
	}
	if found == 0 {
		t.Error("no capture has a multi-message transaction: the test tests nothing")
	}
	t.Logf("%d transaction fragments", found)
}

// failAtEnd is a source that ends in an error instead of io.EOF: a file
// whose last block is broken.
type failAtEnd struct {
	Source
	err error
}

func (s failAtEnd) Next(p *capture.Packet) error {
	if err := s.Source.Next(p); err != io.EOF {
		return err
	}
	return s.err
}

// A read error ends the first pass but keeps what it learnt: every
// transaction completed before the error is known to the second pass,
// and the error is returned, as is.
func TestFirstPassKeepsWhatItReadBeforeAnError(t *testing.T) {
	caps, _ := filepath.Glob("../testdata/pcaps/*.pcapng")
	broken := errors.New("broken block")
	found := 0
	for _, c := range caps {
		in, err := Open(Inputs{Files: []string{c}})
		if err != nil {
			t.Fatal(err)
		}
		pl, err := New(in.Source, Config{Labels: in.Labels})
		if err != nil {
			t.Fatal(err)
		}
		if err := pl.FirstPass(context.Background(), in.Source); err != nil {
			t.Fatal(err)
		}
		in.Close()
		want := pl.comp
		if len(want) == 0 {
			continue
		}
		found++
		again, err := Open(Inputs{Files: []string{c}})
		if err != nil {
			t.Fatal(err)
		}
		pl2, err := New(again.Source, Config{Labels: again.Labels})
		if err != nil {
			t.Fatal(err)
		}
		err = pl2.FirstPass(context.Background(), failAtEnd{again.Source, broken})
		again.Close()
		if err != broken {
			t.Errorf("%s: FirstPass returned %v, want the source's error", c, err)
		}
		if len(pl2.comp) != len(want) {
			t.Errorf("%s: %d completions kept, %d without the error", c, len(pl2.comp), len(want))
		}
	}
	if found == 0 {
		t.Error("no capture has a multi-message transaction: the test tests nothing")
	}
}

// The timeline spreads TCP over the engines by shard (it does not show
// tcp.stream): each engine's adapter leaves the names of the NBSS
// session requests to the writer's book (timeline.SessionBook), which
// fills in the refused sessions' callers in frame order. Their events
// name who called whom as with one engine.
func TestParallelTimelineNamesRefusedSessions(t *testing.T) {
	path := corpus.Path(t, "nbss139-session-request-negative-responses_nfpc-evidence04-cut.pcap")
	if engine.NewNeeds(engine.Reads{Timeline: true}).TCPStreamShown() {
		t.Fatal("the timeline makes one engine see every TCP frame")
	}
	want := mixTimeline(t, path, skipRun{engines: 1, skip: true}, "to the end")
	if !strings.Contains(want, `session request from MAC0016CB926EDC (10.42.42.25) to *SMBSERVER refused by 10.42.42.50`) {
		t.Fatalf("one engine: no refused session named:\n%s", want)
	}
	for _, k := range []int{2, 3} {
		if got := mixTimeline(t, path, skipRun{engines: k, skip: true}, "to the end"); got != want {
			t.Errorf("%d engines:\n%s\nwant (one engine):\n%s", k, got, want)
		}
	}
}

// A parallel run whose context is cancelled stops reading within
// parCtxEvery packets (it asks the context every parCtxEvery packets, and
// before the first): a run cancelled before it starts reads none.
func TestParallelStopsWhenCancelled(t *testing.T) {
	for _, at := range []int{0, 1, 100, 130} {
		in, err := Open(Inputs{Files: []string{"../testdata/pcaps/enum.pcapng"}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		if at == 0 {
			cancel()
		}
		read := 0
		pl, err := New(in.Source, Config{Labels: in.Labels, Engines: 2, Tap: func(*capture.Packet) error {
			if read++; read == at {
				cancel()
			}
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		if err := pl.Run(ctx, Sinks{Timeline: NewTimeline(timeline.DefaultConfig(), nil)}); err != nil {
			t.Fatal(err)
		}
		in.Close()
		cancel()
		// The packet the context is next asked before: the first
		// multiple of parCtxEvery at or after at.
		want := (at + parCtxEvery - 1) / parCtxEvery * parCtxEvery
		if read != want {
			t.Errorf("cancelled at packet %d: %d packets read, want %d", at, read, want)
		}
	}
}

// When the timeline is the sink, the reader yields to the engines after
// sending a batch (parallel.send): on one P, the first batch (64 frames)
// is decoded before the reader reads on, not once it runs out of
// batches (frame 449). The runtime's scheduler may still pick the reader
// first now and then (it takes from its global queue every 61st time):
// one run in three tries must show it.
func TestParallelTimelineDecodesABatchOnceSent(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	const at = parFirstBatchFrames + 2 // the frame read after the first batch is sent
	var got []int64
	for try := 0; try < 3; try++ {
		in, err := Open(Inputs{Files: []string{"../testdata/pcaps/enum.pcapng"}})
		if err != nil {
			t.Fatal(err)
		}
		var decoded atomic.Int64
		seen, read := int64(-1), 0
		pl, err := New(in.Source, Config{Labels: in.Labels, Engines: 2, Tap: func(*capture.Packet) error {
			if read++; read == at {
				seen = decoded.Load()
			}
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		watch := &Watch{Frame: func(*dissect.Frame) { decoded.Add(1) }}
		if err := pl.Run(context.Background(), Sinks{Timeline: NewTimeline(timeline.DefaultConfig(), nil), Watch: watch}); err != nil {
			t.Fatal(err)
		}
		in.Close()
		if read < at || decoded.Load() != int64(read) {
			t.Fatalf("%d frames read, %d decoded: want every frame of at least %d decoded", read, decoded.Load(), at)
		}
		if seen == parFirstBatchFrames {
			return
		}
		got = append(got, seen)
	}
	t.Errorf("frames decoded when frame %d was read: %v in three runs, want %d (the first batch) in one", at, got, parFirstBatchFrames)
}

// A run that feeds the timeline from a large input (Config.InputSize at
// least parSlabInput) takes its batches' bytes from one huge-page region,
// unmapped at the end, and says the same as a run that does not.
func TestParallelTimelineBatchesOnSlab(t *testing.T) {
	run := func(size int64) (string, *parallel) {
		in, err := Open(Inputs{Files: []string{"../testdata/pcaps/enum.pcapng"}})
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		var b []byte
		tl := NewTimeline(timeline.DefaultConfig(), func(e timeline.Event) error {
			b = append(output.AppendEvent(b, &e), '\n')
			return nil
		})
		pl, err := New(in.Source, Config{Labels: in.Labels, Engines: 2, InputSize: size, Needs: engine.NewNeeds(engine.Reads{Timeline: true})})
		if err != nil {
			t.Fatal(err)
		}
		if err := pl.Run(context.Background(), Sinks{Timeline: tl}); err != nil {
			t.Fatal(err)
		}
		if err := tl.Finish(); err != nil {
			t.Fatal(err)
		}
		var rep bytes.Buffer
		if err := output.WriteReportJSON(&rep, tl.Snapshot()); err != nil {
			t.Fatal(err)
		}
		return string(b) + rep.String(), pl.par
	}
	// The writer touches the slab's last byte as the reader fills the
	// first batches: no batch may take it.
	if most := parBatches + 1 + parSpareBatches; most*parBatchBytes >= hugepage.Size {
		t.Fatalf("%d batches of %d bytes reach the slab's last byte", most, parBatchBytes)
	}
	want, small := run(parSlabInput - 1)
	if small.slab != nil {
		t.Errorf("an input of %d bytes: a slab of %d bytes", parSlabInput-1, len(small.slab))
	}
	got, large := run(parSlabInput)
	if large.made < 2 || len(large.slab) != hugepage.Size-large.made*parBatchBytes {
		t.Errorf("%d batches made, %d bytes of the slab left: want each batch's bytes from it", large.made, len(large.slab))
	}
	if large.unmapSlab != nil {
		t.Error("the slab is still mapped after the run")
	}
	if got != want {
		t.Errorf("with the slab:\n%s\nwithout:\n%s", got, want)
	}
}
