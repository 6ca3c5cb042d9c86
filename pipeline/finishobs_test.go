package pipeline

import (
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// A worker's finish keeps in a reused batch entry exactly the
// observations its adapter made of the frame: one (stored as a value,
// not copied as a slice), several, or none after an entry that held
// some. Checked against a second adapter's FromFrame of every frame of
// the lab, crafted and shared captures, the entry reused from frame to frame.
func TestFinishKeepsTheObservations(t *testing.T) {
	caps, _ := filepath.Glob("../testdata/pcaps/*.pcapng")
	crafted, _ := filepath.Glob("../testdata/crafted/*.pcap*")
	caps = append(append(caps, crafted...), corpus.Maybe(t, "*.pcap*")...)
	counts := map[int]int{} // observations a frame -> frames
	cfg := engine.Config{Needs: engine.NewNeeds(engine.Reads{Timeline: true})}
	for _, c := range caps {
		src, err := capture.OpenFile(c, 0)
		if err != nil {
			continue // crafted captures that do not open
		}
		eng := engine.New(cfg)
		w := &parWorker{adapter: timeline.NewAdapter()}
		check := timeline.NewAdapter()
		var fr parFrame
		var p capture.Packet
		for n := 1; ; n++ {
			if err := src.Next(&p); err != nil {
				if !errors.Is(err, io.EOF) {
					t.Logf("%s: %v", c, err) // a crafted capture's error: its frames before it are checked
				}
				break
			}
			f := eng.Decode(p.Data, p.CI, p.LinkType, 0)
			w.finish(&fr, f)
			want := check.FromFrame(f)
			counts[min(len(want), 2)]++
			if len(fr.obs) != len(want) {
				t.Fatalf("%s frame %d: %d observations kept, %d made", c, n, len(fr.obs), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(fr.obs[i], want[i]) {
					t.Fatalf("%s frame %d observation %d: kept %#v, made %#v", c, n, i, fr.obs[i], want[i])
				}
			}
		}
		eng.Close()
		src.Close()
	}
	if counts[0] == 0 || counts[1] == 0 || counts[2] == 0 {
		t.Errorf("frames by observations (0, 1, 2 or more): %v", counts)
	}
}
