package timeline

import (
	"container/heap"

	"time"
)

// aged keeps the items of one bounded table ordered least recently seen
// first, ties broken by key, as the table's eviction wants them: a full
// table evicts its oldest item in O(log n) instead of scanning every item
// on every insert (a flood of new hosts made each frame cost a scan of the
// whole table). Each item keeps its own position (idx) so that a touch
// moves it in O(log n). The order is the one the scans used, so eviction
// picks the same item.
type aged[T any] struct {
	items []T
	older func(a, b T) bool // a was seen before b (ties: a's key first)
	idx   func(T) *int
}

func (a *aged[T]) Len() int           { return len(a.items) }
func (a *aged[T]) Less(i, j int) bool { return a.older(a.items[i], a.items[j]) }
func (a *aged[T]) Swap(i, j int) {
	a.items[i], a.items[j] = a.items[j], a.items[i]
	*a.idx(a.items[i]) = i
	*a.idx(a.items[j]) = j
}
func (a *aged[T]) Push(x any) {
	v := x.(T)
	*a.idx(v) = len(a.items)
	a.items = append(a.items, v)
}
func (a *aged[T]) Pop() any {
	n := len(a.items) - 1
	v := a.items[n]
	var zero T
	a.items[n] = zero
	a.items = a.items[:n]
	*a.idx(v) = -1
	return v
}

// add puts a new item in the order.
func (a *aged[T]) add(v T) { heap.Push(a, v) }

// touch restores the order after v's time (or key) changed.
func (a *aged[T]) touch(v T) {
	if i := *a.idx(v); i >= 0 && i < len(a.items) {
		heap.Fix(a, i)
	}
}

// remove takes v out of the order.
func (a *aged[T]) remove(v T) {
	if i := *a.idx(v); i >= 0 && i < len(a.items) {
		heap.Remove(a, i)
	}
}

// oldest is the least recently seen item; ok is false when there is none.
func (a *aged[T]) oldest() (v T, ok bool) {
	if len(a.items) == 0 {
		return v, false
	}
	return a.items[0], true
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
		older: func(a, b *ipRec) bool { return seenBefore(a.last, b.last, func() bool { return a.addr.Less(b.addr) }) },
		idx:   func(r *ipRec) *int { return &r.hidx },
	}
}

func newAgedHosts() aged[*hostRec] {
	return aged[*hostRec]{
		older: func(a, b *hostRec) bool {
			return seenBefore(a.last, b.last, func() bool { return lessJoined(a.seg, a.name, "", b.seg, b.name, "") })
		},
		idx: func(h *hostRec) *int { return &h.hidx },
	}
}

func newAgedGroups() aged[*group] {
	return aged[*group]{
		older: func(a, b *group) bool {
			return seenBefore(a.last, b.last, func() bool { return lessJoined(a.seg, a.wg, "", b.seg, b.wg, "") })
		},
		idx: func(g *group) *int { return &g.hidx },
	}
}

func newAgedSegs() aged[*segState] {
	return aged[*segState]{
		older: func(a, b *segState) bool { return seenBefore(a.last, b.last, func() bool { return a.seg < b.seg }) },
		idx:   func(s *segState) *int { return &s.hidx },
	}
}

func newAgedNames() aged[*NameState] {
	return aged[*NameState]{
		older: func(a, b *NameState) bool {
			return seenBefore(a.Last, b.Last, func() bool {
				return lessJoined(a.Segment, a.Name, string(rune(a.Suffix)), b.Segment, b.Name, string(rune(b.Suffix)))
			})
		},
		idx: func(n *NameState) *int { return &n.hidx },
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
		idx: func(s *Server) *int { return &s.hidx },
	}
}
