package timeline

import "time"

// aged keeps the items of one bounded table ordered least recently seen
// first, ties broken by key, as the table's eviction wants them: a full
// table evicts its oldest item (the head) without scanning every item on
// every insert (a flood of new hosts made each frame cost a scan of the
// whole table). The items form a doubly linked list through a node each
// item holds (ageNode), kept sorted by the times their places were taken
// for (ageNode.at). An item seen again later, the common case of a
// capture read in order, keeps its place until it reaches the head
// (oldest), then goes where its time puts it, usually the tail, in O(1);
// an item whose time goes back, or that ties with newer items, walks back
// from the tail (or from its place) past the items that are newer, so
// its cost is the number of those. (A binary
// heap did this in O(log n), but with a cache miss per level on every
// eviction: 10 µs a frame in a flood of new hosts.) The order is the one
// the scans used, so eviction picks the same item.
type aged[T any] struct {
	head, tail *ageNode[T]
	n          int
	when       func(T) time.Time // when the item was last seen
	keyLess    func(a, b T) bool // ties
	node       func(T) *ageNode[T]
}

// ageNode is an item's place in its table's aged list. at is the time the
// place was taken for: the item's time then, at or before its time now.
// An item seen again later (nearly every touch: a capture read in order)
// keeps its place and is moved only when it reaches the head (oldest):
// the list is sorted by the places' times, every item is at or after its
// place, so a head whose time is its place's is the least recently seen
// item, and a head seen since goes where its time puts it. Each touch so
// moves an item once at most, at an eviction, and a table that is never
// full moves none (a touch of a table of thousands of addresses read
// three nodes all over the heap to move one to the tail).
type ageNode[T any] struct {
	v          T
	prev, next *ageNode[T]
	at         time.Time
	in         bool
	later      bool // seen after at (set by seenLater): its place is to be moved
}

// seenLater notes that the item's time moved forward: it keeps its place
// until it reaches the head (the tables' lookups, on nearly every
// observation, call this, not touch).
func (nd *ageNode[T]) seenLater() { nd.later = true }

// Len is the number of items in the order.
func (a *aged[T]) Len() int { return a.n }

// older says whether x was seen before y (ties: x's key first).
func (a *aged[T]) older(x, y T) bool {
	return seenBefore(a.when(x), a.when(y), func() bool { return a.keyLess(x, y) })
}

// before says whether x's place is before y's.
func (a *aged[T]) before(x, y *ageNode[T]) bool {
	return seenBefore(x.at, y.at, func() bool { return a.keyLess(x.v, y.v) })
}

// add puts a new item in the order.
func (a *aged[T]) add(v T) {
	nd := a.node(v)
	if nd.in {
		a.touch(v)
		return
	}
	nd.v, nd.in, nd.at, nd.later = v, true, a.when(v), false
	a.n++
	a.insertBefore(nd, a.tail)
}

// insertBefore links the unlinked nd into the order, walking back from
// from (nil: the list is empty or nd goes first) past the places nd's
// is before.
func (a *aged[T]) insertBefore(nd, from *ageNode[T]) {
	p := from
	// Not before from, nd goes right after it (the common case: the
	// latest item, after the tail), and the head, the least recently
	// seen item, whose memory is cold, is not read.
	if p != nil && a.before(nd, p) {
		if a.before(nd, a.head) {
			p = nil // before all (a new item before its first touch)
		}
		for p != nil && a.before(nd, p) {
			p = p.prev
		}
	}
	// nd goes right after p (at the head when p is nil).
	nd.prev = p
	if p == nil {
		nd.next = a.head
		a.head = nd
	} else {
		nd.next = p.next
		p.next = nd
	}
	if nd.next == nil {
		a.tail = nd
	} else {
		nd.next.prev = nd
	}
}

// unlink takes nd out of the list (it stays marked in).
func (a *aged[T]) unlink(nd *ageNode[T]) {
	if nd.prev == nil {
		a.head = nd.next
	} else {
		nd.prev.next = nd.next
	}
	if nd.next == nil {
		a.tail = nd.prev
	} else {
		nd.next.prev = nd.prev
	}
	nd.prev, nd.next = nil, nil
}

// touch restores the order after v's time changed. A time that went
// forward leaves v in its place (oldest moves it if it gets to the
// head: ageNode.seenLater); one that went back moves it back at once.
func (a *aged[T]) touch(v T) {
	nd := a.node(v)
	if !nd.in {
		return
	}
	switch t := a.when(v); {
	case nd.at.Before(t):
		nd.later = true
	case t.Before(nd.at):
		nd.at, nd.later = t, false
		if nd.prev != nil && a.before(nd, nd.prev) {
			from := nd.prev
			a.unlink(nd)
			a.insertBefore(nd, from)
		}
	}
}

// remove takes v out of the order.
func (a *aged[T]) remove(v T) {
	nd := a.node(v)
	if !nd.in {
		return
	}
	a.unlink(nd)
	var zero T
	nd.v, nd.in = zero, false
	a.n--
}

// oldest is the least recently seen item; ok is false when there is none.
// Heads seen since they took their places go where their times put them
// first.
func (a *aged[T]) oldest() (v T, ok bool) {
	for a.head != nil {
		nd := a.head
		if !nd.later {
			return nd.v, true
		}
		a.unlink(nd)
		nd.at, nd.later = a.when(nd.v), false
		a.insertBefore(nd, a.tail)
	}
	return v, false
}

// seenBefore orders two times, then their keys by less.
func seenBefore(ta, tb time.Time, keyLess func() bool) bool {
	if ta.Before(tb) {
		return true
	}
	return ta.Equal(tb) && keyLess()
}

// The orders of the tracker's tables (the scans they replace broke ties
// the same way).

func newAgedAddrs() aged[*ipRec] {
	return aged[*ipRec]{
		when:    func(r *ipRec) time.Time { return r.last },
		keyLess: func(a, b *ipRec) bool { return a.addr.Less(b.addr) },
		node:    func(r *ipRec) *ageNode[*ipRec] { return &r.age },
	}
}

func newAgedHosts() aged[*hostRec] {
	return aged[*hostRec]{
		when:    func(h *hostRec) time.Time { return h.last },
		keyLess: func(a, b *hostRec) bool { return lessJoined(a.seg, a.name, "", b.seg, b.name, "") },
		node:    func(h *hostRec) *ageNode[*hostRec] { return &h.age },
	}
}

func newAgedGroups() aged[*group] {
	return aged[*group]{
		when:    func(g *group) time.Time { return g.last },
		keyLess: func(a, b *group) bool { return lessJoined(a.seg, a.wg, "", b.seg, b.wg, "") },
		node:    func(g *group) *ageNode[*group] { return &g.age },
	}
}

func newAgedSegs() aged[*segState] {
	return aged[*segState]{
		when:    func(s *segState) time.Time { return s.last },
		keyLess: func(a, b *segState) bool { return a.seg < b.seg },
		node:    func(s *segState) *ageNode[*segState] { return &s.age },
	}
}

func newAgedNames() aged[*NameState] {
	return aged[*NameState]{
		when: func(n *NameState) time.Time { return n.Last },
		keyLess: func(a, b *NameState) bool {
			return lessJoined(a.Segment, a.Name, string(rune(a.Suffix)), b.Segment, b.Name, string(rune(b.Suffix)))
		},
		node: func(n *NameState) *ageNode[*NameState] { return &n.age },
	}
}

// Browse List entries are ordered over all groups: by the time last seen,
// then by name (as the scan did), then by segment and workgroup, which the
// scan left to the map's order.
func newAgedServers() aged[*Server] {
	return aged[*Server]{
		when: func(s *Server) time.Time { return s.LastSeen },
		keyLess: func(a, b *Server) bool {
			if a.Name != b.Name {
				return a.Name < b.Name
			}
			return lessJoined(a.grp.seg, a.grp.wg, "", b.grp.seg, b.grp.wg, "")
		},
		node: func(s *Server) *ageNode[*Server] { return &s.age },
	}
}
