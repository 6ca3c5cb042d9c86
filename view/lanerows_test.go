package view

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// The host changes of each group read as the events come (hostIndex) are
// those of one pass over all of them: events appended a few at a time to
// one slice (as a Source appends), the slice moved when it grows, a new
// slice of fewer events (the oldest dropped), then none.
func TestHostIndexAsEventsCome(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 15))
	kinds := []timeline.EventKind{timeline.KindBrowseAdd, timeline.KindBrowseRemove, timeline.KindBrowseUpdate}
	t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	var events []timeline.Event
	var h hostIndex
	check := func(step string, events []timeline.Event) {
		t.Helper()
		want := map[groupKey][]hostChange{}
		for _, e := range events {
			if e.Kind == timeline.KindBrowseAdd || e.Kind == timeline.KindBrowseRemove {
				k := groupKey{e.Segment, e.Workgroup}
				want[k] = append(want[k], hostChange{e.Time, e.Kind == timeline.KindBrowseAdd})
			}
		}
		got := h.changes(events)
		if len(got) != len(want) {
			t.Fatalf("%s, %d events: %d groups, want %d", step, len(events), len(got), len(want))
		}
		for k, w := range want {
			if !reflect.DeepEqual(got[k], w) {
				t.Fatalf("%s, %d events: group %v: %v, want %v", step, len(events), k, got[k], w)
			}
		}
	}
	for i := range 300 {
		for range rng.IntN(20) {
			events = append(events, timeline.Event{
				Time:      t0.Add(time.Duration(len(events)) * time.Millisecond),
				Kind:      kinds[rng.IntN(len(kinds))],
				Segment:   []string{"s1", "s2"}[rng.IntN(2)],
				Workgroup: []string{"A", "B", "C"}[rng.IntN(3)],
			})
		}
		check("appended "+itoa(i), events)
	}
	kept := append([]timeline.Event(nil), events[len(events)/2:]...)
	check("oldest dropped", kept)
	check("fewer of the same", kept[:len(kept)/2])
	check("none", nil)
	check("again", events)
}
