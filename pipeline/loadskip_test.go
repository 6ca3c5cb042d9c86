package pipeline

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/feed"
	"github.com/nbtsniff/nbtsniff/output"
)

// loaderState is what a Loader holds once loaded, as text: the frames'
// count and times, the time cursor's snapshots (their times and reports),
// every event, the latest report, and each frame's row without its
// columns (those of the rows by reference are re-derived:
// TestListedColumnsAreTheFullDecode).
func loaderState(t *testing.T, l *Loader) string {
	t.Helper()
	s := l.Sample()
	var b bytes.Buffer
	fmt.Fprintf(&b, "frames %d first %v last %v err %v warnings %q dropped %d\n", s.Frames.Len(), s.First, s.Last, s.Err, s.Warnings, s.Dropped)
	for _, sn := range s.Snapshots {
		fmt.Fprintf(&b, "snapshot %v\n", sn.Time.UnixNano())
		if err := output.WriteReportJSON(&b, sn); err != nil {
			t.Fatal(err)
		}
	}
	for i := range s.Events {
		b.Write(output.AppendEvent(nil, &s.Events[i]))
		b.WriteByte('\n')
	}
	if err := output.WriteReportJSON(&b, s.Latest); err != nil {
		t.Fatal(err)
	}
	x := s.Frames
	x.SetSummarizer(noColumns{})
	for n := 1; n <= x.Len(); n++ {
		r, _ := x.Row(n)
		fmt.Fprintf(&b, "%d %d %d %d %d\n", n, r.Time.UnixNano(), r.Length, r.Source, r.Errs)
	}
	return b.String()
}

type noColumns struct{}

func (noColumns) Columns(*feed.Row, feed.Ref) {}

// The fast load (stretches of frames of other traffic handed over whole,
// their clock moved once a stretch, the NBT frames decoded on a goroutine
// of their own) holds what the load of the same frames decoded one by one
// holds (its gzip copy: not read back at an offset): the same ring of
// snapshots, events, report and rows; on lab captures in a mix of other
// traffic (ten minutes of it first, runs of it between the NBT frames,
// some cut short), with 20,000 frames of it at the end, over several
// batches, and with long runs of it between the NBT frames.
func TestFastLoadIsTheFullLoad(t *testing.T) {
	long := make([]time.Duration, 20000)
	for i := range long {
		long[i] = time.Duration(i) * time.Millisecond
	}
	for _, c := range []struct {
		lab       string
		end       []time.Duration
		lead, per int
	}{
		{"enum.pcapng", []time.Duration{time.Minute, 50 * time.Minute, 2 * time.Minute}, 200, 6},
		{"election.pcapng", long, 200, 6},
		{"storm.pcapng", long, 200, 6},
		// Past 4096 frames the ring takes at most a snapshot per 4096th
		// of the frames read: some come due at a frame of other traffic
		// after the NBT frame that changed the state.
		{"storm.pcapng", nil, 30000, 6},
		{"election.pcapng", []time.Duration{time.Hour}, 30000, 12},
	} {
		path := mixCaptureBy(t, c.lab, c.end, c.lead, c.per)
		fast := loadAll(t, files("mix="+path), LoaderConfig{})
		full := loadAll(t, files("mix="+gzipCopy(t, path)), LoaderConfig{})
		if !fast.fast || full.fast {
			t.Fatal("the pcap is not loaded fast, or its gzip copy is")
		}
		got, want := loaderState(t, fast), loaderState(t, full)
		if len(fast.Sample().Snapshots) < 2 || len(fast.Sample().Events) == 0 {
			t.Errorf("%s: %d snapshots, %d events: the test shows little", c.lab, len(fast.Sample().Snapshots), len(fast.Sample().Events))
		}
		if got != want {
			gl, wl := bytes.Split([]byte(got), []byte("\n")), bytes.Split([]byte(want), []byte("\n"))
			for i := range min(len(gl), len(wl)) {
				if !bytes.Equal(gl[i], wl[i]) {
					t.Errorf("%s: line %d of the fast load's state:\n%s\nof the full load's:\n%s", c.lab, i+1, gl[i], wl[i])
					break
				}
			}
			t.Errorf("%s: the fast load holds %d lines of state, the full load %d", c.lab, len(gl), len(wl))
		}
	}
}
