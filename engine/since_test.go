package engine

import (
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TestSinceIsSub: the frame's relative time (since) is Time.Sub of the
// first frame's time, for times before and after it, across a second's
// nanoseconds, at the far ends of a Duration and beyond, and with a
// monotonic clock reading (time.Now), which Sub uses.
func TestSinceIsSub(t *testing.T) {
	base := time.Unix(1_480_000_000, 900_000_000).UTC()
	now := time.Now()
	times := []time.Time{
		base, base.Add(1), base.Add(-1), base.Add(100 * time.Millisecond), base.Add(-100 * time.Millisecond),
		base.Add(36 * time.Hour), base.Add(-36 * time.Hour), time.Unix(0, 0).UTC(), time.Unix(1<<32, 5).UTC(),
		time.Unix(-(1 << 32), 999_999_999).UTC(), time.Unix(1<<40, 0).UTC(), time.Unix(-(1 << 40), 0).UTC(),
		time.Unix(1_480_000_000, 900_000_000).In(time.FixedZone("x", 3600)), time.Time{},
		now, now.Add(time.Second), now.Round(0), now.Round(0).Add(-time.Hour),
	}
	e := New(Config{})
	// begin has since's test inlined: a frame's Rel, with and without a
	// tree, decoded by engines given the first time with each frame.
	tl := New(Config{Needs: NewNeeds(Reads{Timeline: true})})
	frame := []byte{1, 2, 3}
	for _, first := range times {
		e.first = first
		for _, at := range times {
			want := at.Sub(first)
			if got := e.since(at); got != want {
				t.Errorf("since(%v) from %v = %v, Sub says %v", at, first, got, want)
			}
			ci := gopacket.CaptureInfo{Timestamp: at, CaptureLength: 3, Length: 3}
			for _, d := range []*Engine{e, tl} {
				if got := d.DecodeNth(2, first, first, frame, ci, layers.LinkTypeEthernet, 0).Rel; got != want {
					t.Errorf("frame at %v from %v (tree %v): Rel %v, Sub says %v", at, first, !d.f.Tree.Off, got, want)
				}
			}
		}
	}
}
