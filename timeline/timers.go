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
	srv  *Server      // timerBrowse: the entry
}

// timerHeap orders the timers by deadline, then sequence. The heap
// itself moves small keys without pointers (no write barriers, a third of
// the bytes of a timer); the timers stay put in slots, reused once fired
// or compacted away.
type timerHeap struct {
	keys  []timerKey
	slots []timer
	free  []int32
}

// timerKey is a timer's place in the order: its deadline (as Unix
// seconds and nanoseconds, which order as time.Time.Before does) and its
// sequence number, and the slot of the timer.
type timerKey struct {
	sec  int64
	nsec int32
	slot int32
	seq  uint64
}

func (a timerKey) less(b timerKey) bool {
	if a.sec != b.sec {
		return a.sec < b.sec
	}
	if a.nsec != b.nsec {
		return a.nsec < b.nsec
	}
	return a.seq < b.seq
}

func (h *timerHeap) len() int { return len(h.keys) }

// first is the timer due first (the heap is not empty).
func (h *timerHeap) first() *timer { return &h.slots[h.keys[0].slot] }

func (h *timerHeap) push(x timer) {
	var slot int32
	if n := len(h.free); n > 0 {
		slot = h.free[n-1]
		h.free = h.free[:n-1]
		h.slots[slot] = x
	} else {
		slot = int32(len(h.slots))
		h.slots = append(h.slots, x)
	}
	h.keys = append(h.keys, timerKey{sec: x.at.Unix(), nsec: int32(x.at.Nanosecond()), slot: slot, seq: x.seq})
	k := h.keys
	for i := len(k) - 1; i > 0; {
		p := (i - 1) / 2
		if !k[i].less(k[p]) {
			break
		}
		k[i], k[p] = k[p], k[i]
		i = p
	}
}

func (h *timerHeap) pop() timer {
	top := h.keys[0]
	x := h.slots[top.slot]
	h.release(top.slot)
	n := len(h.keys) - 1
	h.keys[0] = h.keys[n]
	h.keys = h.keys[:n]
	h.siftDown(0)
	return x
}

// release empties a slot for reuse.
func (h *timerHeap) release(slot int32) {
	h.slots[slot] = timer{}
	h.free = append(h.free, slot)
}

func (h *timerHeap) siftDown(i int) {
	k := h.keys
	n := len(k)
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && k[l].less(k[m]) {
			m = l
		}
		if r < n && k[r].less(k[m]) {
			m = r
		}
		if m == i {
			return
		}
		k[i], k[m] = k[m], k[i]
		i = m
	}
}

// schedule adds a timer and returns its sequence number.
func (t *Tracker) schedule(at time.Time, kind timerKind, g *group, s *segState, key string) uint64 {
	return t.pushTimer(timer{at: at, kind: kind, g: g, s: s, key: key})
}

// scheduleEntry adds the expiry timer of a Browse List entry at its
// Expires and returns its sequence number.
func (t *Tracker) scheduleEntry(e *Server) uint64 {
	return t.pushTimer(timer{at: e.Expires, kind: timerBrowse, g: e.grp, key: e.Name, srv: e})
}

// pushTimer adds x with a new sequence number and returns it.
func (t *Tracker) pushTimer(x timer) uint64 {
	t.timerSeq++
	x.seq = t.timerSeq
	t.timers.push(x)
	if t.timers.len() > 2*t.liveAfter+1024 {
		t.compactTimers()
	}
	return t.timerSeq
}

func (t *Tracker) timerLive(x *timer) bool {
	switch x.kind {
	case timerBrowse:
		// An entry is in the age order exactly while it is in the
		// Browse List of a group the tracker keeps; a new entry of the
		// same name is another record with another sequence.
		return x.srv.age.in && x.srv.seq == x.seq
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
	h := &t.timers
	live := h.keys[:0]
	for _, k := range h.keys {
		if t.timerLive(&h.slots[k.slot]) {
			live = append(live, k)
		} else {
			h.release(k.slot)
		}
	}
	h.keys = live
	for i := len(live)/2 - 1; i >= 0; i-- { // re-heapify
		h.siftDown(i)
	}
	t.liveAfter = len(live)
}

// fireTimers runs every live timer due at or before now, in deadline order.
func (t *Tracker) fireTimers(now time.Time) {
	for t.timers.len() > 0 && !t.timers.first().at.After(now) {
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
