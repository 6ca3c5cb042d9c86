package timeline

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/engine"
)

// labDir is where the Samba lab captures and their logs live:
// testdata/pcaps, or NBTSNIFF_LAB_DIR, a directory made by
// ../shared/lab/lab.sh capture-all (with dmb.pcapng merged from its two
// subnets as testdata/pcaps/README.md shows), to check the timeline
// against nmbd on a fresh run of the lab.
var labDir = labDirectory()

func labDirectory() string {
	if d := os.Getenv("NBTSNIFF_LAB_DIR"); d != "" {
		return d
	}
	return "../testdata/pcaps"
}

// freshLab reports whether the lab captures are not the committed ones.
func freshLab() bool { return os.Getenv("NBTSNIFF_LAB_DIR") != "" }

// labCapture returns the path of a lab capture; a missing one fails the
// test (the lab captures are committed).
func labCapture(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(labDir, name+".pcapng")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("lab capture %s (see testdata/pcaps/README.md): %v", p, err)
	}
	return p
}

// readObservations decodes a capture with the engine and the adapter and
// returns its observations, each frame's observations in order. label names
// the segment (as -r label=file would).
func readObservations(t testing.TB, path, label string) []Observation {
	t.Helper()
	src, err := capture.OpenFile(label+"="+path, 0)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer src.Close()
	cfg := engine.DefaultConfig()
	cfg.Labels = []string{label}
	eng := engine.New(cfg)
	ad := NewAdapter()
	var out []Observation
	var pkt capture.Packet
	for {
		err := src.Next(&pkt)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		f := eng.Decode(pkt.Data, pkt.CI, pkt.LinkType, pkt.Source)
		out = append(out, ad.FromFrame(f)...)
	}
	return out
}

// replay runs observations through a new tracker, finishing at the last
// one, and returns the events and the final snapshot.
func replay(cfg Config, obs []Observation) ([]Event, *Snapshot) {
	var evs []Event
	tr := New(cfg, func(e Event) { evs = append(evs, e) })
	var last time.Time
	for _, o := range obs {
		tr.Observe(o)
		last = o.meta().Time
	}
	tr.Finish(last)
	return evs, tr.Snapshot()
}
