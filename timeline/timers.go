package timeline

import "time"

// Timers run on capture time: a min-heap of deadlines, each pointing at the
// record it belongs to with the sequence number it had when scheduled. A
// record that is refreshed gets a new sequence, so its old timers are
// ignored when they come up; the heap is compacted when stale timers
// outnumber live ones, so it stays bounded by the number of records.

type timerKind uint8

const (
	timerBrowse   timerKind = iota + 1 // a Browse List entry expires
	timerDomain                        // a workgroup of the domain list expires
	timerElection                      // an election times out, settles or runs too long
)

type timer struct {
	at   time.Time
	seq  uint64
	kind timerKind
	g    *group
	s    *segState
	key  string
	run  *electionRun // timerElection: which of g's elections
}

type timerHeap []timer

func (h timerHeap) less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}

func (h *timerHeap) push(x timer) {
	*h = append(*h, x)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !s.less(i, p) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *timerHeap) pop() timer {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s[n] = timer{}
	s = s[:n]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && s.less(l, m) {
			m = l
		}
		if r < n && s.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

// schedule adds a timer and returns its sequence number.
func (t *Tracker) schedule(at time.Time, kind timerKind, g *group, s *segState, key string) uint64 {
	return t.pushTimer(timer{at: at, kind: kind, g: g, s: s, key: key})
}

// pushTimer adds x with a new sequence number and returns it.
func (t *Tracker) pushTimer(x timer) uint64 {
	t.timerSeq++
	x.seq = t.timerSeq
	t.timers.push(x)
	if len(t.timers) > 2*t.liveAfter+1024 {
		t.compactTimers()
	}
	return t.timerSeq
}

func (t *Tracker) timerLive(x *timer) bool {
	switch x.kind {
	case timerBrowse:
		if t.groups[groupKey{x.g.seg, x.g.wg}] != x.g {
			return false
		}
		e := x.g.browse[x.key]
		return e != nil && e.seq == x.seq
	case timerDomain:
		if t.segs[x.s.seg] != x.s {
			return false
		}
		d := x.s.domains[x.key]
		return d != nil && d.seq == x.seq
	case timerElection:
		if t.groups[groupKey{x.g.seg, x.g.wg}] != x.g {
			return false
		}
		return x.run.seq == x.seq && x.g.hasRun(x.run)
	}
	return false
}

func (t *Tracker) compactTimers() {
	live := t.timers[:0]
	for i := range t.timers {
		if t.timerLive(&t.timers[i]) {
			live = append(live, t.timers[i])
		}
	}
	for i := len(live); i < len(t.timers); i++ {
		t.timers[i] = timer{}
	}
	t.timers = live
	// re-heapify
	for i := len(live)/2 - 1; i >= 0; i-- {
		t.siftDown(i)
	}
	t.liveAfter = len(live)
}

func (t *Tracker) siftDown(i int) {
	s := t.timers
	n := len(s)
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && s.less(l, m) {
			m = l
		}
		if r < n && s.less(r, m) {
			m = r
		}
		if m == i {
			return
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
}

// fireTimers runs every live timer due at or before now, in deadline order.
func (t *Tracker) fireTimers(now time.Time) {
	for len(t.timers) > 0 && !t.timers[0].at.After(now) {
		x := t.timers.pop()
		if !t.timerLive(&x) {
			continue
		}
		if x.at.After(t.now) {
			t.now = x.at
		}
		switch x.kind {
		case timerBrowse:
			t.expireServer(x.g, x.key, x.at)
		case timerDomain:
			t.expireDomain(x.s, x.key, x.at)
		case timerElection:
			t.electionTimer(x.g, x.run, x.at)
		}
	}
}
