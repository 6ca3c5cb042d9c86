package metrics

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// labCapture is the path of a committed lab capture (testdata/pcaps).
func labCapture(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join("..", "testdata", "pcaps", name+".pcapng")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("lab capture %s: %v", p, err)
	}
	return p
}

// replayed is what a capture fed through the engine, the timeline and a
// collector left behind.
type replayed struct {
	c       *Collector
	tr      *timeline.Tracker
	events  []timeline.Event
	frames  int
	wireLen int // sum of the capture's original lengths (CaptureInfo.Length)
}

// replay runs the capture at path (segment label) through the engine and a
// tracker as the frame loop does, calling the collector for every frame
// and event, and each frame afterFrame (which may take snapshots).
func replay(t testing.TB, c *Collector, path, label string, afterFrame func(r *replayed, f *dissect.Frame)) *replayed {
	t.Helper()
	src, err := capture.OpenFile(label+"="+path, 0)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer src.Close()
	cfg := engine.DefaultConfig()
	cfg.Labels = []string{label}
	eng := engine.New(cfg)
	ad := timeline.NewAdapter()
	r := &replayed{c: c}
	r.tr = timeline.New(timeline.DefaultConfig(), func(ev timeline.Event) {
		r.events = append(r.events, ev)
		c.Event(&ev)
	})
	var pkt capture.Packet
	var f *dissect.Frame
	for {
		err := src.Next(&pkt)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		r.frames++
		r.wireLen += pkt.CI.Length
		f = eng.Decode(pkt.Data, pkt.CI, pkt.LinkType, pkt.Source)
		c.Frame(f)
		for _, o := range ad.FromFrame(f) {
			r.tr.Observe(o)
		}
		if afterFrame != nil {
			afterFrame(r, f)
		}
	}
	if f != nil {
		r.tr.Finish(f.Time)
	}
	c.Snapshot(r.tr.Snapshot())
	return r
}

// gather returns the collector's metric families by name.
func gather(t testing.TB, c *Collector) map[string]*dto.MetricFamily {
	t.Helper()
	mfs, err := c.Registry().Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	out := make(map[string]*dto.MetricFamily, len(mfs))
	for _, mf := range mfs {
		out[mf.GetName()] = mf
	}
	return out
}

// series maps each series of family name to its value, keyed by its
// label pairs ("segment=x,workgroup=y", in the order of the labels).
func series(t testing.TB, c *Collector, name string) map[string]float64 {
	t.Helper()
	out := make(map[string]float64)
	mf := gather(t, c)[name]
	if mf == nil {
		return out
	}
	for _, m := range mf.GetMetric() {
		var k []string
		for _, lp := range m.GetLabel() {
			k = append(k, lp.GetName()+"="+lp.GetValue())
		}
		var v float64
		switch {
		case m.Counter != nil:
			v = m.GetCounter().GetValue()
		case m.Gauge != nil:
			v = m.GetGauge().GetValue()
		}
		out[strings.Join(k, ",")] = v
	}
	return out
}
