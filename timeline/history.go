package timeline

// History over all workgroups. Each (segment, workgroup) keeps its latest
// MaxHistory closed role intervals and MaxElections closed elections; with
// a thousand workgroups that is a quarter of a million intervals, which a
// monitor running for weeks fills slowly and never gives back. So the
// closed history of every group together is bounded as well
// (MaxHistoryTotal, MaxElectionsTotal): past the bound, the oldest closed
// interval (or election) of the whole tracker, in the order they closed,
// is forgotten, counted (Tracker.HistoryDropped), and the first time it happens a
// "limit" anomaly says so.

// histEntry is one closed item, in closing order, and the group that
// keeps it.
type histEntry[T comparable] struct {
	g *group
	v T
}

// globalHistory bounds one kind of closed history over all groups. Its
// queue holds every item kept, oldest first, and may hold items a group
// has dropped since (its own bound, or the group was evicted): those are
// skipped when they come up, and compacted away when they pile up.
type globalHistory[T comparable] struct {
	name    string // the bound's name, for the limit anomaly
	what    string // what it keeps ("role interval")
	max     int
	q       []histEntry[T]
	head    int // q[head:] is live
	total   int // items kept by the groups
	dropped int // items forgotten by this bound
	list    func(g *group) *[]T
	// free, if set, takes each item the queue passes or compacts away
	// that no group keeps (nothing else holds it then).
	free func(T)
	// frozen holds the snapshots' copy of each item kept that a
	// snapshot has copied (frozenCopy): a closed item is not written
	// again, so every snapshot can share one copy of it.
	frozen map[T]T
}

func newGlobalHistory[T comparable](name, what string, max int, list func(g *group) *[]T) globalHistory[T] {
	return globalHistory[T]{name: name, what: what, max: max, list: list}
}

// keep appends v to g's list, forgetting g's oldest item past perGroup,
// then the tracker's oldest past the global bound.
func (h *globalHistory[T]) keep(t *Tracker, g *group, v T, perGroup int) {
	l := h.list(g)
	*l = append(*l, v)
	h.total++
	if len(*l) > perGroup {
		h.dropFirst(l)
	}
	h.q = append(h.q, histEntry[T]{g, v})
	for h.total > h.max && h.head < len(h.q) {
		e := h.q[h.head]
		h.q[h.head] = histEntry[T]{}
		h.head++
		if e.g.gone {
			continue // evicted: its items are no longer counted
		}
		if el := h.list(e.g); len(*el) > 0 && (*el)[0] == e.v {
			h.dropFirst(el)
			h.dropped++
			if !t.limitSeen(h.name) {
				t.limit(h.name, "forgot the oldest closed "+h.what+" of "+e.g.wg+" on "+e.g.seg)
			}
		}
		if h.free != nil {
			h.free(e.v) // dropped now, or by its group's bound before
		}
	}
	if h.head > len(h.q)/2 && h.head > 1024 {
		h.q = append(h.q[:0], h.q[h.head:]...)
		h.head = 0
	}
	if len(h.q)-h.head > h.total+histSlack(h.total) {
		// Items a group dropped by its own bound pile up while the
		// global bound is not reached; each holds its frames and
		// candidates alive, so they are cleared soon.
		h.compact(t)
	}
}

// histSlack is how many items the groups dropped by their own bounds
// the queue may hold past the total kept before it is compacted: each one
// holds a record (an election's block is 1,408 bytes) that the free list
// would give the next item, so a pile-up is fresh memory the run touches.
// Compacting walks the queue (about total items) once per slack items
// kept: an eighth of the total keeps it to about 9 steps an item.
func histSlack(total int) int { return total/8 + 64 }

// dropFirst forgets the oldest item of a group's list.
func (h *globalHistory[T]) dropFirst(l *[]T) {
	delete(h.frozen, (*l)[0])
	var zero T
	(*l)[0] = zero
	*l = (*l)[1:]
	h.total--
}

// forget uncounts the items of a group being evicted.
func (h *globalHistory[T]) forget(g *group) {
	l := *h.list(g)
	h.total -= len(l)
	if len(h.frozen) > 0 {
		for _, v := range l {
			delete(h.frozen, v)
		}
	}
}

// frozenCopy is the snapshots' copy of v, an item kept (closed: nothing
// writes to it again), made by clone the first time a snapshot asks for
// it and shared by the snapshots after: the terminal UI's ring of
// snapshots copied the same closed role intervals and elections over and
// over (on the 1 GB mix of issue 15, 330 KB of each 700 KB snapshot, 53
// snapshots). It goes with the item (dropFirst, forget).
func (h *globalHistory[T]) frozenCopy(v T, clone func(T) T) T {
	if c, ok := h.frozen[v]; ok {
		return c
	}
	c := clone(v)
	if h.frozen == nil {
		h.frozen = make(map[T]T)
	}
	h.frozen[v] = c
	return c
}

// compact removes from the queue the items no group keeps any more.
//
// A group's list and the queue take its items in the same order (keep),
// and the list loses only its oldest (dropFirst) or all of them (forget:
// the group is gone). So the items a group keeps are its newest entries
// in the queue, as many as its list holds: each group's entries are
// counted (group.histSeen), and its oldest past that count are the ones
// it dropped. No set of the items kept is made (a map of up to
// MaxHistoryTotal items each time: 0.3 MB a run of the NBT-dense mix).
func (h *globalHistory[T]) compact(t *Tracker) {
	for _, e := range h.q[h.head:] {
		if !e.g.gone {
			e.g.histSeen++
		}
	}
	live := h.q[:0]
	for _, e := range h.q[h.head:] {
		g := e.g
		if g.gone {
			continue
		}
		if g.histSeen > len(*h.list(g)) {
			g.histSeen-- // one of its oldest: dropped by its own bound
			if h.free != nil {
				h.free(e.v)
			}
			continue
		}
		live = append(live, e)
	}
	for _, e := range live {
		e.g.histSeen = 0
	}
	clear(h.q[len(live):])
	h.q, h.head = live, 0
}

// HistoryDropped is how many closed role intervals and elections the
// bounds over all groups (MaxHistoryTotal, MaxElectionsTotal) forgot.
func (t *Tracker) HistoryDropped() (roles, elections int) {
	return t.roleHist.dropped, t.elecHist.dropped
}

// removalHistory bounds, over all groups, the entries removed from the
// Browse Lists that the groups remember (keepRemoval: Explain says when
// and why a host left the list). Each group keeps at most MaxHistory, and
// a thousand workgroups of hosts coming and going filled that slowly to a
// quarter of a million (the month-long soak's live heap grew by 5 MiB a
// month): past MaxHistoryTotal over all groups, the oldest removal is
// forgotten, silently (--why then knows less of a host that left long
// ago).
type removalHistory struct {
	q     []removalRef // in the order kept, oldest first; may hold stale refs
	head  int          // q[head:] is live
	total int          // removals the groups keep
}

type removalRef struct {
	g   *group
	r   *Removal
	seq uint64 // r's when kept: a record reused since is another removal
}

// kept notes r, just kept by g as a new name, and forgets the oldest
// removals past max.
func (h *removalHistory) kept(t *Tracker, g *group, r *Removal, max int) {
	h.total++
	h.q = append(h.q, removalRef{g, r, r.seq})
	for h.total > max && h.head < len(h.q) {
		e := h.q[h.head]
		h.q[h.head] = removalRef{}
		h.head++
		if h.live(t, e) {
			delete(e.g.removed, e.r.Server.Name)
			h.total--
			t.freeRemoval(e.r)
		}
	}
	if h.head > len(h.q)/2 && h.head > 1024 {
		h.q = append(h.q[:0], h.q[h.head:]...)
		h.head = 0
	}
	if len(h.q)-h.head > 2*h.total+1024 {
		live := h.q[:0]
		for _, e := range h.q[h.head:] {
			if h.live(t, e) {
				live = append(live, e)
			}
		}
		clear(h.q[len(live):])
		h.q, h.head = live, 0
	}
}

// live reports whether the group of e is kept and still remembers e.
func (h *removalHistory) live(t *Tracker, e removalRef) bool {
	return !e.g.gone && e.r.seq == e.seq && e.g.removed[e.r.Server.Name] == e.r
}
