package engine

// seqTable is one shard of a SeqIndex: the conversations of tcpIndex (the
// same key, bound, order of forgetting and first sequence numbers), in a
// form cheaper for a table that only gives sequence numbers and sees
// every TCP segment of a capture: the conversations in a slice of at most
// max entries, found through an open-addressing hash table of their
// indexes (linear probing, deletion by backward shift), the least
// recently seen at the tail of a list linked by index. tcpIndex's map of
// pointers and its string comparisons cost some 100 ns a segment here.
type seqTable struct {
	max        int
	convs      []seqConv
	slots      []int32 // index+1 of a conversation in convs; 0: empty
	mask       uint32
	n          int     // conversations held
	free       []int32 // indexes of convs no longer used
	head, tail int32   // most and least recently seen; -1: none
}

// seqKey is tcpKey: the endpoints ordered (a first), ports a<<16 | b.
type seqKey struct{ a, b, ports uint32 }

type seqConv struct {
	key        seqKey
	isn        [2]uint32
	haveISN    [2]bool
	prev, next int32 // towards the head and the tail; -1: none
}

func (t *seqTable) init(max int) {
	t.max, t.head, t.tail = max, -1, -1
	t.alloc(64)
}

// alloc makes the hash table size slots (a power of two) and puts the
// conversations held in it.
func (t *seqTable) alloc(size int) {
	t.slots, t.mask = make([]int32, size), uint32(size-1)
	for i := range t.convs {
		if t.convs[i].prev != -2 { // not free
			t.slots[t.find(t.convs[i].key)] = int32(i + 1)
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
		s := t.slots[i]
		if s == 0 || t.convs[s-1].key == k {
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
		c = -1
		if s := t.slots[t.find(k)]; s != 0 {
			c = s - 1
		}
	}
	if c >= 0 && syn && !ackFlag && t.convs[c].haveISN[dir] && seq != t.convs[c].isn[dir] {
		t.remove(c) // a new SYN on a known 4-tuple: a new conversation
		c = -1
	}
	if c < 0 {
		if t.n >= t.max && t.tail >= 0 {
			t.remove(t.tail)
		}
		c = t.add(k)
	} else if c != t.head {
		t.unlink(c)
		t.pushFront(c)
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

// add holds a new conversation k, at the head.
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
	t.convs[c] = seqConv{key: k}
	t.slots[t.find(k)] = c + 1
	t.n++
	t.pushFront(c)
	return c
}

// remove forgets conversation c.
func (t *seqTable) remove(c int32) {
	t.unlink(c)
	t.deleteSlot(t.find(t.convs[c].key))
	t.convs[c].prev = -2 // free
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
			if s == 0 {
				t.slots[i] = 0
				return
			}
			h := t.convs[s-1].key.hash() & t.mask
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
