package timeline

import (
	"math/rand/v2"
	"slices"
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
