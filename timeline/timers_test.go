package timeline

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestTimerHeapMatchesSort: after any sequence of pushes, moves (reset),
// removals and pops, the heap pops its timers in the order of a sorted
// list of the same timers (deadline, then sequence), and every slot it
// hands out still finds its timer.
func TestTimerHeapMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h timerHeap
	live := map[int32]timer{} // by slot
	t0 := time.Unix(1e9, 0)
	seq := uint64(0)
	next := func() timer {
		seq++
		return timer{at: t0.Add(time.Duration(r.IntN(50)) * time.Second), seq: seq, kind: timerBrowse}
	}
	slotsOf := func() []int32 {
		var ss []int32
		for s := range live {
			ss = append(ss, s)
		}
		slices.Sort(ss)
		return ss
	}
	for step := range 20000 {
		switch op := r.IntN(10); {
		case op < 4 || len(live) == 0:
			x := next()
			live[h.push(x)] = x
		case op < 6:
			ss := slotsOf()
			s := ss[r.IntN(len(ss))]
			x := next()
			h.reset(s, x)
			live[s] = x
		case op < 8:
			ss := slotsOf()
			s := ss[r.IntN(len(ss))]
			h.remove(s)
			delete(live, s)
		default:
			want := timer{}
			for _, x := range live {
				if want.seq == 0 || x.at.Before(want.at) || (x.at.Equal(want.at) && x.seq < want.seq) {
					want = x
				}
			}
			got := h.pop()
			if got.seq != want.seq {
				t.Fatalf("step %d: popped sequence %d, want %d", step, got.seq, want.seq)
			}
			for s, x := range live {
				if x.seq == want.seq {
					delete(live, s)
				}
			}
		}
		if h.len() != len(live) {
			t.Fatalf("step %d: %d timers in the heap, want %d", step, h.len(), len(live))
		}
		for s, x := range live {
			if h.slot(s).seq != x.seq || h.keys[h.pos[s]].slot != s {
				t.Fatalf("step %d: slot %d lost its timer", step, s)
			}
		}
	}
}

// TestBrowseExpiriesQueueAndHeap: Browse List entries announced with
// periodicities drawn at random (so that some deadlines come before the
// latest in the queue and go into the heap), refreshed, going away and
// evicted from a small Browse List, with the clock sometimes stepping
// back a little: every entry expires exactly at its deadline, the events
// come in time order, and no entry outlives its deadline.
func TestBrowseExpiriesQueueAndHeap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cfg := DefaultConfig()
	cfg.MaxServers = 40
	var evs []Event
	tr := New(cfg, func(e Event) { evs = append(evs, e) })
	periods := []time.Duration{0, time.Minute, 2 * time.Minute, 4 * time.Minute, 12 * time.Minute}
	sec := 0.0
	expired := 0
	for frame := 1; frame <= 20000; frame++ {
		sec += float64(r.IntN(40))
		if r.IntN(10) == 0 {
			sec -= 0.5 // a frame a little out of order
		}
		h := r.IntN(60)
		typ := uint32(0x00001003)
		if r.IntN(20) == 0 {
			typ = 0 // going away
		}
		tr.Observe(hostAnn(frame, sec, "10.0.1."+itoa(h+1), "H"+itoa(h), "LABWG", typ, periods[r.IntN(len(periods))]))
		now := tr.now
		for _, g := range tr.groups {
			for e := range g.browse.all() {
				if !e.Expires.After(now) {
					t.Fatalf("frame %d: %s still listed at %v, its entry expired at %v", frame, e.Name, now, e.Expires)
				}
			}
		}
	}
	tr.Finish(at(sec + 4*3600))
	for i, e := range evs {
		if i > 0 && e.Time.Before(evs[i-1].Time.Add(-time.Second)) {
			t.Fatalf("event %d (%s, frame %d) at %v, after one at %v", i, e.Kind, e.Frame, e.Time, evs[i-1].Time)
		}
		if e.Kind != KindBrowseRemove || !strings.HasPrefix(e.Reason, "expired") {
			continue
		}
		expired++
		if s := data[*ServerChange](e).Server; !e.Time.Equal(s.Expires) {
			t.Fatalf("event %d: %s expired at %v, its deadline was %v", i, s.Name, e.Time, s.Expires)
		}
	}
	if expired < 100 {
		t.Fatalf("%d expiries: the test no longer exercises them", expired)
	}
	if n := tr.timers.len() + tr.browseQ.len(); n != 0 {
		t.Errorf("%d timers left after every entry expired", n)
	}
}
