package engine

import (
	"cmp"
	"slices"
)

// seqTable is one shard of a SeqIndex: the conversations of tcpIndex (the
// same key, bound, order of forgetting and first sequence numbers), in a
// form cheaper for a table that only gives sequence numbers and sees
// every TCP segment of a capture: the conversations in a slice of at most
// max entries, found through an open-addressing hash table of their keys
// and indexes (linear probing, deletion by backward shift: a probe
// compares keys in the table, without reading the conversation). tcpIndex's
// map of pointers and its string comparisons cost some 100 ns a segment here.
//
// The order of forgetting (least recently seen first) is kept in two ways.
// Until the table first holds max conversations and must forget one, each
// conversation holds the count of segments seen when it was last seen (a
// store into the conversation the segment reads anyway). From then on,
// they are in a list linked by index, most recently seen at the head,
// built once from those counts: moving a conversation to the head writes
// into two or three others, scattered in memory (a third of the table's
// cost on the 1 GB mix, with its tables pushed out of the cache by the
// file's bytes between two segments), which a table that never reaches
// its bound need not do.
type seqTable struct {
	max    int
	convs  []seqConv
	slots  []seqSlot
	mask   uint32
	n      int     // conversations held
	free   []int32 // indexes of convs no longer used
	head   int32   // the most recently seen conversation; -1: none
	tail   int32   // the least recently seen, once listed; -1: none
	seen   uint64  // segments seen: the recency of the conversations until listed
	listed bool    // the recency list is kept (head, tail, prev, next)
}

// seqKey is tcpKey: the endpoints ordered (a first), ports a<<16 | b.
type seqKey struct{ a, b, ports uint32 }

// seqSlot is a slot of the hash table: a conversation's key and its
// index+1 in convs (0: an empty slot).
type seqSlot struct {
	key seqKey
	c   int32
}

type seqConv struct {
	key        seqKey
	isn        [2]uint32
	haveISN    [2]bool
	held       bool
	prev, next int32  // towards the head and the tail, once listed; -1: none
	seen       uint64 // the count of segments when last seen, until listed
}

func (t *seqTable) init(max int) {
	t.max, t.head, t.tail = max, -1, -1
	t.alloc(64)
}

// alloc makes the hash table size slots (a power of two) and puts the
// conversations held in it.
func (t *seqTable) alloc(size int) {
	t.slots, t.mask = make([]seqSlot, size), uint32(size-1)
	for i := range t.convs {
		if v := &t.convs[i]; v.held {
			t.slots[t.find(v.key)] = seqSlot{key: v.key, c: int32(i + 1)}
		}
	}
}

func (k seqKey) hash() uint32 {
	h := (uint64(k.a)<<32 | uint64(k.b)) ^ uint64(k.ports)*0x9e3779b97f4a7c15
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 29
	return uint32(h)
}

// find returns the slot holding k, or the empty slot where it goes.
func (t *seqTable) find(k seqKey) uint32 {
	i := k.hash() & t.mask
	for {
		s := &t.slots[i]
		if s.c == 0 || s.key == k {
			return i
		}
		i = (i + 1) & t.mask
	}
}

// seq is tcpIndex.lookup's relative sequence number of a segment of
// conversation k in direction dir, with its sequence and acknowledgment
// numbers and SYN and ACK flags.
func (t *seqTable) seq(k seqKey, dir int, seq, ack uint32, syn, ackFlag bool) uint32 {
	c := t.head
	if c < 0 || t.convs[c].key != k {
		c = t.slots[t.find(k)].c - 1
	}
	if c >= 0 && syn && !ackFlag && t.convs[c].haveISN[dir] && seq != t.convs[c].isn[dir] {
		t.remove(c) // a new SYN on a known 4-tuple: a new conversation
		c = -1
	}
	if c < 0 {
		if t.n >= t.max && t.n > 0 {
			t.forget()
		}
		c = t.add(k)
	} else {
		t.touch(c)
	}
	v := &t.convs[c]
	if !v.haveISN[dir] {
		v.isn[dir], v.haveISN[dir] = seq, true
		if !syn {
			v.isn[dir] = seq - 1
		}
	}
	if o := 1 - dir; ackFlag && !v.haveISN[o] {
		v.isn[o], v.haveISN[o] = ack-1, true
	}
	return seq - v.isn[dir]
}

// touch makes conversation c, held, the most recently seen.
func (t *seqTable) touch(c int32) {
	if !t.listed {
		t.seen++
		t.convs[c].seen, t.head = t.seen, c
		return
	}
	if c != t.head {
		t.unlink(c)
		t.pushFront(c)
	}
}

// add holds a new conversation k, the most recently seen.
func (t *seqTable) add(k seqKey) int32 {
	if 2*(t.n+1) > len(t.slots) {
		t.alloc(2 * len(t.slots))
	}
	var c int32
	if n := len(t.free); n > 0 {
		c, t.free = t.free[n-1], t.free[:n-1]
	} else {
		c = int32(len(t.convs))
		t.convs = append(t.convs, seqConv{})
	}
	t.convs[c] = seqConv{key: k, held: true, prev: -1, next: -1}
	t.slots[t.find(k)] = seqSlot{key: k, c: c + 1}
	t.n++
	if t.listed {
		t.pushFront(c)
	} else {
		t.seen++
		t.convs[c].seen, t.head = t.seen, c
	}
	return c
}

// forget forgets the least recently seen conversation, listing them
// first if they are not yet.
func (t *seqTable) forget() {
	if !t.listed {
		order := t.recency()
		t.listed, t.head, t.tail = true, -1, -1
		for i := len(order) - 1; i >= 0; i-- {
			t.pushFront(order[i])
		}
	}
	t.remove(t.tail)
}

// recency is the conversations held, the most recently seen first.
func (t *seqTable) recency() []int32 {
	order := make([]int32, 0, t.n)
	if t.listed {
		for c := t.head; c >= 0; c = t.convs[c].next {
			order = append(order, c)
		}
		return order
	}
	for i := range t.convs {
		if t.convs[i].held {
			order = append(order, int32(i))
		}
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(t.convs[b].seen, t.convs[a].seen) })
	return order
}

// remove forgets conversation c.
func (t *seqTable) remove(c int32) {
	if t.listed {
		t.unlink(c)
	} else if t.head == c {
		t.head = -1
	}
	t.deleteSlot(t.find(t.convs[c].key))
	t.convs[c].held = false
	t.free = append(t.free, c)
	t.n--
}

// deleteSlot empties slot i, moving back the entries after it that
// probing would no longer find.
func (t *seqTable) deleteSlot(i uint32) {
	for {
		j := i
		for {
			j = (j + 1) & t.mask
			s := t.slots[j]
			if s.c == 0 {
				t.slots[i] = seqSlot{}
				return
			}
			h := s.key.hash() & t.mask
			// The entry at j stays if its home h is cyclically in (i, j].
			if i <= j && i < h && h <= j || i > j && (i < h || h <= j) {
				continue
			}
			t.slots[i] = s
			i = j
			break
		}
	}
}

func (t *seqTable) unlink(c int32) {
	v := &t.convs[c]
	if v.prev >= 0 {
		t.convs[v.prev].next = v.next
	} else if t.head == c {
		t.head = v.next
	}
	if v.next >= 0 {
		t.convs[v.next].prev = v.prev
	} else if t.tail == c {
		t.tail = v.prev
	}
	v.prev, v.next = -1, -1
}

func (t *seqTable) pushFront(c int32) {
	v := &t.convs[c]
	v.prev, v.next = -1, t.head
	if t.head >= 0 {
		t.convs[t.head].prev = c
	}
	t.head = c
	if t.tail < 0 {
		t.tail = c
	}
}
