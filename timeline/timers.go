package timeline

import (
	"math/bits"
	"time"
)

// Timers run on capture time: a min-heap of deadlines, each pointing at the
// record it belongs to with the sequence number it had when scheduled. A
// domain entry or an election that is refreshed gets a new timer with a
// new sequence, so its old timers are ignored when they come up; the heap
// is compacted when stale timers outnumber live ones, so it stays bounded
// by the number of records. A Browse List entry has one timer, moved to
// its new deadline (with a new sequence) when the entry is refreshed and
// taken out when the entry leaves the list: a full Browse List forgets an
// entry for each new host of a flood, and the timers of forgotten entries
// used to wait in the heap until they came up or were compacted away.

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
// or compacted away. The slots are in chunks of timerChunk that never
// move: growing by thousands of entries (a flood) copies no timer and
// touches no memory twice.
type timerHeap struct {
	keys   []timerKey
	chunks [][]timer
	n      int32   // slots made
	pos    []int32 // per slot: the index of its key in keys (-1: free)
	free   []int32
}

const timerChunk = 256

// slot is the timer in slot i.
func (h *timerHeap) slot(i int32) *timer { return &h.chunks[i/timerChunk][i%timerChunk] }

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

// dueBy says whether a's deadline is at or before the time of Unix
// seconds sec and nanoseconds nsec (as !deadline.After(then)).
func (a timerKey) dueBy(sec int64, nsec int32) bool {
	return a.sec < sec || a.sec == sec && a.nsec <= nsec
}

func (h *timerHeap) len() int { return len(h.keys) }

// push adds x and returns its slot.
func (h *timerHeap) push(x timer) int32 {
	var slot int32
	if n := len(h.free); n > 0 {
		slot = h.free[n-1]
		h.free = h.free[:n-1]
	} else {
		slot = h.n
		if int(slot/timerChunk) == len(h.chunks) {
			h.chunks = append(h.chunks, make([]timer, timerChunk))
		}
		h.n++
		h.pos = append(h.pos, -1)
	}
	*h.slot(slot) = x
	h.keys = append(h.keys, keyOf(&x, slot))
	h.pos[slot] = int32(len(h.keys) - 1)
	h.siftUp(len(h.keys) - 1)
	return slot
}

func keyOf(x *timer, slot int32) timerKey {
	return timerKey{sec: x.at.Unix(), nsec: int32(x.at.Nanosecond()), slot: slot, seq: x.seq}
}

// pop takes out the timer due first and returns it.
func (h *timerHeap) pop() timer {
	top := h.keys[0]
	x := *h.slot(top.slot)
	h.removeAt(0)
	return x
}

// reset moves the timer in slot to x's deadline and sequence.
func (h *timerHeap) reset(slot int32, x timer) {
	*h.slot(slot) = x
	i := int(h.pos[slot])
	h.keys[i] = keyOf(&x, slot)
	h.siftUp(i)
	h.siftDown(int(h.pos[slot]))
}

// remove takes the timer in slot out.
func (h *timerHeap) remove(slot int32) { h.removeAt(int(h.pos[slot])) }

// removeAt takes out the timer whose key is keys[i] and frees its slot.
//
// The hole left at i goes down to a leaf, the earlier child moving up
// into it at each level (one comparison a level), and the last key,
// put in the hole, goes up to its place: the last key is one of the
// latest, so it rarely climbs, where putting it at i and sifting it down
// compared it with both children at every level. (A Browse List full in
// a flood forgets its oldest entry for each new one: its timer is the
// first, and this runs on every frame.)
func (h *timerHeap) removeAt(i int) {
	h.release(h.keys[i].slot)
	k := h.keys
	n := len(k) - 1
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && k[c+1].less(k[c]) {
			c++
		}
		k[i] = k[c]
		h.pos[k[i].slot] = int32(i)
		i = c
	}
	if i < n {
		k[i] = k[n]
		h.pos[k[i].slot] = int32(i)
	}
	h.keys = k[:n]
	if i < n {
		h.siftUp(i)
	}
}

// release empties a slot for reuse.
func (h *timerHeap) release(slot int32) {
	*h.slot(slot) = timer{}
	h.pos[slot] = -1
	h.free = append(h.free, slot)
}

func (h *timerHeap) swap(i, j int) {
	k := h.keys
	k[i], k[j] = k[j], k[i]
	h.pos[k[i].slot], h.pos[k[j].slot] = int32(i), int32(j)
}

func (h *timerHeap) siftUp(i int) {
	k := h.keys
	for i > 0 {
		p := (i - 1) / 2
		if !k[i].less(k[p]) {
			return
		}
		h.swap(i, p)
		i = p
	}
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
		h.swap(i, m)
		i = m
	}
}

// schedule adds a timer and returns its sequence number.
func (t *Tracker) schedule(at time.Time, kind timerKind, g *group, s *segState, key string) uint64 {
	return t.pushTimer(timer{at: at, kind: kind, g: g, s: s, key: key})
}

// scheduleEntry sets the expiry timer of a Browse List entry to its
// Expires (moving the one it has, if any) and returns its sequence number.
// A deadline no earlier than the latest in the queue of Browse List
// expiries (browseQueue), the common case of a capture read in order,
// goes at its tail; others go into the heap.
func (t *Tracker) scheduleEntry(e *Server) uint64 {
	x := timer{at: e.Expires, kind: timerBrowse, g: e.grp, key: e.Name, srv: e}
	// The entry holds its new sequence before the timer is pushed: a
	// compaction run by the push keeps the timers whose entry holds
	// their sequence.
	e.seq = t.timerSeq + 1
	if e.timer <= 0 && t.browseQ.fits(e.Expires) {
		// (A timer of e still in the queue is stale from now on: e
		// holds another sequence.)
		t.timerSeq++
		// (compactBrowseQueue keeps it at 2*t.servers+1024 before a push.)
		t.browseQ.push(e.Expires, t.timerSeq, e, 2*t.cfg.MaxServers+1025)
		t.dueAt(e.Expires)
		e.timer = inQueue
		t.compactBrowseQueue()
		return t.timerSeq
	}
	if e.timer <= 0 {
		seq := t.pushTimer(x)
		e.timer = t.lastSlot + 1
		return seq
	}
	t.timerSeq++
	x.seq = t.timerSeq
	t.timers.reset(e.timer-1, x)
	t.dueAt(x.at)
	return t.timerSeq
}

// unscheduleEntry takes out the timer of an entry leaving the Browse
// List. One in the queue stays there, stale (the entry is in no list, or
// holds another sequence when its record is reused), until it comes up.
func (t *Tracker) unscheduleEntry(e *Server) {
	if e.timer > 0 {
		t.timers.remove(e.timer - 1)
	}
	e.timer = 0
}

// inQueue is Server.timer of an entry whose timer is in the browseQueue.
const inQueue = -1

// browseQueue holds expiry timers of Browse List entries in the order of
// their deadlines and sequences, first due first: a capture read in order
// makes each new deadline the latest, and a queue adds it and takes the
// first out in O(1), where the heap moved a key through every level (a
// Browse List full in a flood of new hosts forgets its oldest entry, and
// its timer, for each new one). A timer is not taken out when its entry
// leaves or is refreshed: it is stale once the entry is in no list or
// holds another sequence, and dropped when it reaches the head, or by a
// compaction when the stale ones outnumber the entries. The queue is a
// ring that doubles when full: a full Browse List moves through it
// without allocating or copying (a slice appended at the tail and cut at
// the head was copied, and grown into new memory, over and over).
//
// A timer keeps no deadline: a live one's is its entry's Expires (an
// entry gets a new timer whenever its Expires changes), and a stale one
// is only dropped. Only the tail's deadline is kept (last), for fits. A
// full Browse List in a flood keeps about twice MaxServers timers here,
// all fresh memory: 16 bytes each instead of 40.
type browseQueue struct {
	q    []browseTimer // a ring: len a power of two, or nil
	head int           // the first timer's index in q
	n    int
	last time.Time // the deadline of the timer at the tail (n > 0)
}

type browseTimer struct {
	seq uint64
	srv *Server
}

// deadline is when a live timer is due.
func (x *browseTimer) deadline() time.Time { return x.srv.Expires }

func (q *browseQueue) len() int { return q.n }

// at is the i-th timer from the head.
func (q *browseQueue) at(i int) *browseTimer { return &q.q[(q.head+i)&(len(q.q)-1)] }

// fits reports whether a deadline at may go at the tail: no earlier than
// the latest there.
func (q *browseQueue) fits(at time.Time) bool {
	return q.n == 0 || !at.Before(q.last)
}

// push adds the timer of e at the tail. most is how many timers the
// queue can hold at most (compactBrowseQueue): a ring of 2,048 or more
// grows to that at once (up to 32 times its size), not through every
// size between (each fresh memory, copied into and left behind: about 50
// of the page faults of a flood of 10,000 new hosts). The ring's memory
// beyond its timers is not touched until timers come.
func (q *browseQueue) push(at time.Time, seq uint64, e *Server, most int) {
	if q.n == len(q.q) {
		n := max(2*len(q.q), 64)
		if len(q.q) >= 2048 {
			n = max(n, min(1<<bits.Len(uint(most-1)), 32*len(q.q)))
		}
		q.resize(n)
	}
	*q.at(q.n) = browseTimer{seq: seq, srv: e}
	q.n++
	q.last = at
}

// resize moves the timers, in order, into a ring of size slots.
func (q *browseQueue) resize(size int) {
	r := make([]browseTimer, size)
	for i := range q.n {
		r[i] = *q.at(i)
	}
	q.q, q.head = r, 0
}

// first is the timer at the head (the queue is not empty).
func (q *browseQueue) first() *browseTimer { return q.at(0) }

func (q *browseQueue) pop() browseTimer {
	x := *q.first()
	*q.first() = browseTimer{}
	q.head = (q.head + 1) & (len(q.q) - 1)
	q.n--
	return x
}

// live reports whether x is the timer of an entry still listed.
func (x *browseTimer) live() bool {
	return x.srv.age.in && x.srv.seq == x.seq && x.srv.timer == inQueue
}

// dropStale takes the stale timers off the head.
func (q *browseQueue) dropStale() {
	for q.len() > 0 && !q.first().live() {
		q.pop()
	}
}

// compactBrowseQueue drops the stale timers of the queue, in order, when
// they outnumber the Browse List entries (each entry has at most one live
// timer), so that the queue stays bounded by the entries.
func (t *Tracker) compactBrowseQueue() {
	q := &t.browseQ
	if q.len() <= 2*t.servers+1024 {
		return
	}
	live := 0
	for i := range q.n {
		if x := q.at(i); x.live() {
			*q.at(live) = *x
			live++
		}
	}
	for i := live; i < q.n; i++ {
		*q.at(i) = browseTimer{}
	}
	q.n = live
	if live > 0 { // the tail is live: its deadline is its entry's
		q.last = q.at(live - 1).deadline()
	}
}

// pushTimer adds x with a new sequence number and returns it.
func (t *Tracker) pushTimer(x timer) uint64 {
	t.timerSeq++
	x.seq = t.timerSeq
	t.lastSlot = t.timers.push(x)
	t.dueAt(x.at)
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
		if x.g.gone {
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
		if t.timerLive(h.slot(k.slot)) {
			live = append(live, k)
		} else {
			h.release(k.slot)
		}
	}
	h.keys = live
	for i, k := range live {
		h.pos[k.slot] = int32(i)
	}
	for i := len(live)/2 - 1; i >= 0; i-- { // re-heapify
		h.siftDown(i)
	}
	t.liveAfter = len(live)
}

// nextTimer takes out the timer due first at or before now (Unix seconds
// sec and nanoseconds nsec), from the heap or the browseQueue (by
// deadline, then sequence), live or not, into x; it reports false when
// none is due (nearly every observation: x is not touched then, and the
// heap's first key is read, not its timer, in a slot of its own).
func (t *Tracker) nextTimer(sec int64, nsec int32, now time.Time, x *timer) bool {
	t.browseQ.dropStale()
	heapDue := t.timers.len() > 0 && t.timers.keys[0].dueBy(sec, nsec)
	// (The head is live after dropStale: its deadline is known.)
	queueDue := t.browseQ.len() > 0 && !t.browseQ.first().deadline().After(now)
	if queueDue && heapDue {
		q, h := t.browseQ.first(), t.timers.keys[0]
		at := q.deadline()
		qk := timerKey{sec: at.Unix(), nsec: int32(at.Nanosecond()), seq: q.seq}
		queueDue = qk.less(h)
	}
	switch {
	case queueDue:
		q := t.browseQ.pop()
		*x = timer{at: q.deadline(), seq: q.seq, kind: timerBrowse, g: q.srv.grp, key: q.srv.Name, srv: q.srv}
		return true
	case heapDue:
		*x = t.timers.pop()
		return true
	}
	return false
}

// fireTimers runs every live timer due at or before now, in deadline order.
func (t *Tracker) fireTimers(now time.Time) {
	sec, nsec := now.Unix(), int32(now.Nanosecond())
	var x timer
	for t.nextTimer(sec, nsec, now, &x) {
		if !t.timerLive(&x) {
			continue
		}
		if x.kind == timerBrowse {
			x.srv.timer = 0 // its timer is gone
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

// dueAt lowers quiet to at, the deadline of a timer just scheduled.
func (t *Tracker) dueAt(at time.Time) {
	if at.Before(t.quiet) {
		t.quiet, t.quietAt = at, instantOf(at)
	}
}

// quietUntil is the earliest time anything is due (Tracker.quiet): the
// first timer of the heap and of the browseQueue (its stale head dropped
// first, as nextTimer does: a stale timer's entry may hold any deadline),
// the next diagnosis tick; zero (unknown) before the ticks start, and
// with Config.At set.
func (t *Tracker) quietUntil() time.Time {
	q := t.dg.due
	if q.IsZero() || !t.cfg.At.IsZero() {
		return time.Time{}
	}
	if t.timers.len() > 0 {
		k := t.timers.keys[0]
		if at := time.Unix(k.sec, int64(k.nsec)); at.Before(q) {
			q = at
		}
	}
	t.browseQ.dropStale()
	if t.browseQ.len() > 0 {
		if at := t.browseQ.first().deadline(); at.Before(q) {
			q = at
		}
	}
	return q
}
