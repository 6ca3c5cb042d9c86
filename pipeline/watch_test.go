package pipeline

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// counting is a Watch that counts what it is told.
type counting struct {
	frames atomic.Int64
	events []timeline.EventKind
	states []time.Time
}

func (c *counting) watch(every time.Duration) *Watch {
	var next time.Time
	return &Watch{
		Frame: func(*dissect.Frame) { c.frames.Add(1) },
		Event: func(e *timeline.Event) { c.events = append(c.events, e.Kind) },
		StateDue: func(t time.Time) bool {
			if t.Before(next) {
				return false
			}
			next = t.Add(every)
			return true
		},
		State: func(s *timeline.Snapshot) { c.states = append(c.states, s.Time) },
	}
}

// A Watch sees every frame whatever the display filter, with one engine
// or several; the events of the timeline it watches, the same as the
// output gets; its state by capture time, and the last one after Finish.
// A Monitor timeline beside a printer sees every frame too.
func TestWatchSeesFramesEventsState(t *testing.T) {
	storm := labPcap(t, "storm.pcapng") // 335 frames over ~150 s
	for _, engines := range []int{1, 3} {
		in, err := Open(Inputs{Files: []string{storm}})
		if err != nil {
			t.Fatal(err)
		}
		pl, err := New(in.Source, Config{Labels: in.Labels, Engines: engines})
		if err != nil {
			t.Fatal(err)
		}
		var c counting
		var out []timeline.EventKind
		tl := NewTimeline(timeline.DefaultConfig(), func(e timeline.Event) error { out = append(out, e.Kind); return nil })
		tl.SetWatch(c.watch(30 * time.Second))
		if err := pl.Run(context.Background(), Sinks{Filter: "nbns", Timeline: tl, Watch: &Watch{Frame: c.watch(0).Frame}}); err != nil {
			t.Fatal(err)
		}
		if err := tl.Finish(); err != nil {
			t.Fatal(err)
		}
		in.Close()
		if n := c.frames.Load(); n != 335 {
			t.Errorf("%d engines: the watch saw %d frames, want all 335 (the filter is for the output)", engines, n)
		}
		if len(out) == 0 || !slices.Equal(c.events, out) {
			t.Errorf("%d engines: the watch saw %d events, the output %d: not the same", engines, len(c.events), len(out))
		}
		// One state per 30 s of capture time, and the last one.
		if len(c.states) < 5 || len(c.states) > 8 {
			t.Errorf("%d engines: %d states (%v), want one per 30 s over 150 s and the last", engines, len(c.states), c.states)
		}
		for i := 1; i < len(c.states)-1; i++ {
			if d := c.states[i].Sub(c.states[i-1]); d < 30*time.Second {
				t.Errorf("states %d and %d %v apart", i-1, i, d)
			}
		}
	}

	// The Monitor: a timeline fed every frame beside a printer with a
	// filter that passes none.
	in, err := Open(Inputs{Files: []string{storm}})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	pl, err := New(in.Source, Config{Labels: in.Labels, Engines: 3})
	if err != nil {
		t.Fatal(err)
	}
	var c counting
	mon := NewTimeline(timeline.DefaultConfig(), nil)
	mon.SetWatch(c.watch(time.Hour))
	printed := 0
	if err := pl.Run(context.Background(), Sinks{Filter: "smb2", Printer: printerFunc(func(*dissect.Frame) error { printed++; return nil }), Monitor: mon}); err != nil {
		t.Fatal(err)
	}
	mon.Finish()
	if printed != 0 || len(c.events) < 50 || len(c.states) != 2 {
		t.Errorf("monitor: printed %d, %d events, %d states; want 0, the storm's events, the first state and the last", printed, len(c.events), len(c.states))
	}
}

type printerFunc func(*dissect.Frame) error

func (p printerFunc) Frame(f *dissect.Frame) error { return p(f) }

// growingFeed is a Feed over two files whose second input is announced
// only when its first frame comes, as a subscriber finds a segment.
type growingFeed struct {
	capture.Source
	mu     sync.Mutex
	labels []string
}

func (g *growingFeed) Next(p *capture.Packet) error {
	err := g.Source.Next(p)
	if err == nil {
		g.mu.Lock()
		for len(g.labels) <= p.Source {
			g.labels = append(g.labels, []string{"site/A", "site/B"}[len(g.labels)])
		}
		g.mu.Unlock()
	}
	return err
}

func (g *growingFeed) Labels() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.labels)
}
func (g *growingFeed) InputStats(i int) capture.Stats { return capture.Stats{Dropped: uint64(i)} }
func (g *growingFeed) Status() string                 { return "late: none" }

// A Feed's inputs are named as they appear: each frame by its input's
// label, the -w file's interfaces too; Opened reads its labels, counters
// and status through. Tap sees every packet read, after -w.
func TestFeedLabelsGrow(t *testing.T) {
	a, err := capture.OpenFile(labPcap(t, "dmb.subnetA.pcapng"), 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := capture.OpenFile(labPcap(t, "dmb.subnetB.pcapng"), 1)
	if err != nil {
		t.Fatal(err)
	}
	feed := &growingFeed{Source: capture.Merge([]capture.Source{a, b})}
	in, err := Open(Inputs{Feed: feed})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if !in.Live || in.WallClock || in.Replayable || len(in.Labels) != 0 {
		t.Errorf("a feed opened: live %v, wall clock %v, replayable %v, labels %v; want true, false, false, none", in.Live, in.WallClock, in.Replayable, in.Labels)
	}
	w := filepath.Join(t.TempDir(), "w.pcapng")
	tapped := 0
	pl, err := New(in.Source, Config{Labels: in.Labels, Write: w, Live: true, Tap: func(*capture.Packet) error { tapped++; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	bySource := map[string]int{}
	for {
		f, err := pl.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		bySource[f.SourceLabel]++
	}
	if err := pl.Close(); err != nil {
		t.Fatal(err)
	}
	if bySource["site/A"] != 286 || bySource["site/B"] != 248 || len(bySource) != 2 || tapped != 534 {
		t.Errorf("frames by label %v, tapped %d; want site/A 286, site/B 248, 534", bySource, tapped)
	}
	if l := in.CurrentLabels(); !slices.Equal(l, []string{"site/A", "site/B"}) || in.InputStats(1).Dropped != 1 || in.Status() != "late: none" {
		t.Errorf("Opened reads the feed: labels %v, stats of 1 %+v, status %q", l, in.InputStats(1), in.Status())
	}
	// The -w file names both interfaces, as -r SITE/NAME=FILE reads them.
	in2, err := Open(Inputs{Files: []string{"site/A=" + w}})
	if err != nil {
		t.Fatal(err)
	}
	defer in2.Close()
	if !slices.Equal(in2.Labels, []string{"site/A"}) {
		t.Errorf("-r site/A=FILE labels %v", in2.Labels)
	}

	// A Tap's error ends the run.
	src, _ := capture.OpenFile(labPcap(t, "storm.pcapng"), 0)
	defer src.Close()
	boom := errors.New("boom")
	pl, _ = New(src, Config{Tap: func(*capture.Packet) error { return boom }})
	var te *TapError
	if _, err := pl.Next(context.Background()); !errors.As(err, &te) || !errors.Is(err, boom) {
		t.Errorf("a Tap's error: %v, want a *TapError wrapping it", err)
	}
}

// SplitSpec takes SITE/NAME=FILE when FILE exists and the whole spec does
// not, and keeps a path with '=' in it whole.
func TestSplitSpecSlashLabel(t *testing.T) {
	dir := t.TempDir()
	f := labPcap(t, "storm.pcapng")
	for _, c := range []struct{ spec, label, path string }{
		{"hq/lan=" + f, "hq/lan", f},
		{"hq/lan=-", "hq/lan", "-"},
		{"A=" + f, "A", f},
		{f, f, f},
		{dir + "/x=y.pcap", dir + "/x=y.pcap", dir + "/x=y.pcap"}, // neither exists: a path
		{"hq/lan=" + dir + "/missing", "hq/lan=" + dir + "/missing", "hq/lan=" + dir + "/missing"},
	} {
		if l, p := SplitSpec(c.spec); l != c.label || p != c.path {
			t.Errorf("SplitSpec(%q) = %q, %q; want %q, %q", c.spec, l, p, c.label, c.path)
		}
	}
}

// The terminal UI's loader over a Feed: its sample names the inputs as
// they are now and ends its warnings with the Feed's status (a late
// segment), and its Watch sees every frame and the events.
func TestLoaderOverFeed(t *testing.T) {
	a, err := capture.OpenFile(labPcap(t, "dmb.subnetA.pcapng"), 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := capture.OpenFile(labPcap(t, "dmb.subnetB.pcapng"), 1)
	if err != nil {
		t.Fatal(err)
	}
	in, err := Open(Inputs{Feed: &growingFeed{Source: capture.Merge([]capture.Source{a, b})}})
	if err != nil {
		t.Fatal(err)
	}
	var c counting
	l, err := NewLoader(in, LoaderConfig{Timeline: timeline.DefaultConfig(), Watch: c.watch(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l.Start(ctx)
	// A feed waits for frames as an interface does: the loader runs until
	// cancelled (here the merged files end and the feed says io.EOF).
	<-l.Done()
	cancel()
	s := l.Sample()
	if !slices.Equal(s.Labels, []string{"site/A", "site/B"}) || len(s.Warnings) == 0 || s.Warnings[len(s.Warnings)-1] != "late: none" {
		t.Errorf("sample: labels %v, warnings %q; want site/A, site/B and the feed's status last", s.Labels, s.Warnings)
	}
	if c.frames.Load() != 534 || len(c.events) == 0 || len(s.Events) != len(c.events) {
		t.Errorf("the watch saw %d frames and %d events (the loader %d), want 534 and the loader's", c.frames.Load(), len(c.events), len(s.Events))
	}
}
