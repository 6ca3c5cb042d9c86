package timeline

import "time"

// aged keeps the items of one bounded table ordered least recently seen
// first, ties broken by key, as the table's eviction wants them: a full
// table evicts its oldest item (the head) without scanning every item on
// every insert (a flood of new hosts made each frame cost a scan of the
// whole table). The items form a doubly linked list through a node each
// item holds (ageNode), kept sorted by older. An item seen at a later
// time than every other, the common case of a capture read in order, is
// moved to the tail in O(1); an item whose time goes back, or that ties
// with newer items, walks back from the tail (or from its place) past the
// items that are newer, so its cost is the number of those. (A binary
// heap did this in O(log n), but with a cache miss per level on every
// eviction: 10 µs a frame in a flood of new hosts.) The order is the one
// the scans used, so eviction picks the same item.
type aged[T any] struct {
	head, tail *ageNode[T]
	n          int
	older      func(a, b T) bool // a was seen before b (ties: a's key first)
	node       func(T) *ageNode[T]
}

// ageNode is an item's place in its table's aged list.
type ageNode[T any] struct {
	v          T
	prev, next *ageNode[T]
	in         bool
}

// Len is the number of items in the order.
func (a *aged[T]) Len() int { return a.n }

// add puts a new item in the order.
func (a *aged[T]) add(v T) {
	nd := a.node(v)
	if nd.in {
		a.touch(v)
		return
	}
	nd.v, nd.in = v, true
	a.n++
	a.insertBefore(nd, a.tail)
}

// insertBefore links the unlinked nd into the order, walking back from
// from (nil: the list is empty or nd goes first) past the items nd is
// older than.
func (a *aged[T]) insertBefore(nd, from *ageNode[T]) {
	p := from
	// Not older than from, nd goes right after it (the common case: the
	// latest item, after the tail), and the head, the least recently
	// seen item, whose memory is cold, is not read.
	if p != nil && a.older(nd.v, p.v) {
		if a.older(nd.v, a.head.v) {
			p = nil // older than all (a new item before its first touch)
		}
		for p != nil && a.older(nd.v, p.v) {
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

// touch restores the order after v's time (or key) changed.
func (a *aged[T]) touch(v T) {
	nd := a.node(v)
	if !nd.in {
		return
	}
	switch {
	case nd.prev != nil && a.older(v, nd.prev.v): // went back: walk back from its place
		from := nd.prev
		a.unlink(nd)
		a.insertBefore(nd, from)
	case nd.next != nil && a.older(nd.next.v, v): // went forward: walk back from the tail
		a.unlink(nd)
		a.insertBefore(nd, a.tail)
	}
}

// later is touch for an item whose time moved forward (a table's lookup
// that sees it again, nearly every observation): it can only go towards
// the tail, so the test of its predecessor is not made.
func (a *aged[T]) later(v T) {
	nd := a.node(v)
	if !nd.in || nd.next == nil || !a.older(nd.next.v, v) {
		return
	}
	a.unlink(nd)
	a.insertBefore(nd, a.tail)
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
func (a *aged[T]) oldest() (v T, ok bool) {
	if a.head == nil {
		return v, false
	}
	return a.head.v, true
}

// seenBefore orders two times, then their keys by less.
// (One Compare: Before then Equal read both times' seconds twice.)
func seenBefore(ta, tb time.Time, keyLess func() bool) bool {
	c := ta.Compare(tb)
	return c < 0 || c == 0 && keyLess()
}

// The orders of the tracker's tables (the scans they replace broke ties
// the same way).

func newAgedAddrs() aged[*ipRec] {
	return aged[*ipRec]{
		older: func(a, b *ipRec) bool { return seenBefore(a.last, b.last, func() bool { return a.addr.Less(b.addr) }) },
		node:  func(r *ipRec) *ageNode[*ipRec] { return &r.age },
	}
}

func newAgedHosts() aged[*hostRec] {
	return aged[*hostRec]{
		older: func(a, b *hostRec) bool {
			return seenBefore(a.last, b.last, func() bool { return lessJoined(a.seg, a.name, "", b.seg, b.name, "") })
		},
		node: func(h *hostRec) *ageNode[*hostRec] { return &h.age },
	}
}

func newAgedGroups() aged[*group] {
	return aged[*group]{
		older: func(a, b *group) bool {
			return seenBefore(a.last, b.last, func() bool { return lessJoined(a.seg, a.wg, "", b.seg, b.wg, "") })
		},
		node: func(g *group) *ageNode[*group] { return &g.age },
	}
}

func newAgedSegs() aged[*segState] {
	return aged[*segState]{
		older: func(a, b *segState) bool { return seenBefore(a.last, b.last, func() bool { return a.seg < b.seg }) },
		node:  func(s *segState) *ageNode[*segState] { return &s.age },
	}
}

func newAgedNames() aged[*NameState] {
	return aged[*NameState]{
		older: func(a, b *NameState) bool {
			return seenBefore(a.Last, b.Last, func() bool {
				return lessJoined(a.Segment, a.Name, string(rune(a.Suffix)), b.Segment, b.Name, string(rune(b.Suffix)))
			})
		},
		node: func(n *NameState) *ageNode[*NameState] { return &n.age },
	}
}

// Browse List entries are ordered over all groups: by the time last seen,
// then by name (as the scan did), then by segment and workgroup, which the
// scan left to the map's order.
func newAgedServers() aged[*Server] {
	return aged[*Server]{
		older: func(a, b *Server) bool {
			return seenBefore(a.LastSeen, b.LastSeen, func() bool {
				if a.Name != b.Name {
					return a.Name < b.Name
				}
				return lessJoined(a.grp.seg, a.grp.wg, "", b.grp.seg, b.grp.wg, "")
			})
		},
		node: func(s *Server) *ageNode[*Server] { return &s.age },
	}
}
