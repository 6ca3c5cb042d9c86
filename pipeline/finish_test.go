package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// smbLines prints, for each frame with SMB messages, its number, info and
// the MIDs of its SMB messages.
type smbLines struct{ w io.Writer }

func (p smbLines) Frame(f *dissect.Frame) error {
	var mids []uint16
	for _, m := range f.Msgs {
		if s, ok := m.(*dissect.SMB); ok {
			mids = append(mids, s.MID)
		}
	}
	if len(mids) > 0 {
		fmt.Fprintf(p.w, "%d %s %v\n", f.Number, f.Info, mids)
	}
	return nil
}

// A hole the capture ends on: the session packet queued beyond it is
// decoded on the capture's last frame (an NBNS query here, whose info it
// follows), whatever the number of engines and however TCP is spread,
// and the bytes lost are counted (testdata/crafted/tcp139-hole-at-end.pcap,
// internal/crafted.HoleAtEnd: tshark shows MIDs 1 and 3 in frames 4 and 5).
func TestHoleAtEndDecodedOnLastFrame(t *testing.T) {
	const want = "4 Tree Disconnect Request [1]\n6 Name query NB LATER<20>; Tree Disconnect Request [3]\n"
	for _, engines := range []int{1, 2, 3} {
		for _, spread := range []bool{false, true} {
			in, err := Open(Inputs{Files: []string{"../testdata/crafted/tcp139-hole-at-end.pcap"}})
			if err != nil {
				t.Fatal(err)
			}
			pl, err := New(in.Source, Config{Labels: in.Labels, Engines: engines, SpreadTCP: spread})
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			err = pl.Run(context.Background(), Sinks{Printer: smbLines{&out}, NewPrinter: func(w io.Writer) Printer { return smbLines{w} }, Out: &out})
			if err != nil {
				t.Fatal(err)
			}
			pl.Close()
			in.Close()
			if out.String() != want {
				t.Errorf("%d engines, spread %v: got\n%swant\n%s", engines, spread, out.String(), want)
			}
			if l := pl.StreamLoss(); l != (engine.StreamLoss{Gaps: 1, Lost: 39}) {
				t.Errorf("%d engines, spread %v: stream loss %+v, want 1 hole of 39 bytes", engines, spread, l)
			}
		}
	}
}

// The timeline (--report) is told what the streams lost once Run ends.
func TestTimelineToldStreamLoss(t *testing.T) {
	for _, engines := range []int{1, 2} {
		in, err := Open(Inputs{Files: []string{"../testdata/crafted/tcp139-hole-at-end.pcap"}})
		if err != nil {
			t.Fatal(err)
		}
		pl, err := New(in.Source, Config{Labels: in.Labels, Engines: engines})
		if err != nil {
			t.Fatal(err)
		}
		tl := NewTimeline(timeline.DefaultConfig(), nil)
		if err := pl.Run(context.Background(), Sinks{Timeline: tl}); err != nil {
			t.Fatal(err)
		}
		pl.Close()
		in.Close()
		if l := tl.StreamLoss(); l != (engine.StreamLoss{Gaps: 1, Lost: 39}) {
			t.Errorf("%d engines: the timeline was told %+v, want 1 hole of 39 bytes", engines, l)
		}
	}
}

// The timeline's latest time (what Finish closes at) follows the frames'
// times from any start: from before 1970 on, at 1970 itself, and never
// backwards; frames with no observation move it as the others do.
func TestTimelineLatestTime(t *testing.T) {
	for _, times := range [][]time.Time{
		{time.Unix(-5, 0), time.Unix(-5, 1), time.Unix(-6, 0)},
		{time.Unix(0, 0)},
		{time.Unix(0, 1), time.Unix(0, 0)},
		{time.Unix(1700000000, 5), time.Unix(1700000000, 4), time.Unix(1700000001, 0)},
	} {
		tl := NewTimeline(timeline.Config{}, nil)
		var want time.Time
		for i, at := range times {
			at = at.UTC()
			if i == 0 || at.After(want) {
				want = at
			}
			if err := tl.observe(nil, at); err != nil {
				t.Fatal(err)
			}
			if !tl.last.Equal(want) {
				t.Fatalf("%v: latest %v after %v, want %v", times, tl.last, at, want)
			}
		}
	}
}
