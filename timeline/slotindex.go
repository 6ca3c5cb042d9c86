package timeline

// slotIndex finds records by the hash of their key: an open-addressing
// table (linear probing) of hashes and pointers, at most half full. A
// lookup compares the hashes kept in the slots, contiguous in memory, and
// reads a record only when its hash is the one sought: looking up a key
// that is not there (each new host of a flood) reads no record. A record
// keeps its own hash, so that taking it out (the oldest, forgotten for
// each new one once a table is full) finds its slot by the hash and the
// pointer alone, and the slots after it move back (no tombstones) by the
// hashes they hold: nothing is hashed again, no record is read, where a
// map hashed the forgotten key again and compared it with its slot's,
// reading memory untouched since that record was last seen.
type slotIndex[T any] struct {
	s []indexSlot[T] // len a power of two, or nil while nothing was added
	n int
}

type indexSlot[T any] struct {
	h uint64
	p *T // nil: empty
}

const slotIndexMin = 8

func (x *slotIndex[T]) len() int { return x.n }

// find is the record of hash h that eq accepts (nil: none).
func (x *slotIndex[T]) find(h uint64, eq func(*T) bool) *T {
	if x.n == 0 {
		return nil
	}
	mask := uint64(len(x.s) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &x.s[i]
		if sl.p == nil {
			return nil
		}
		if sl.h == h && eq(sl.p) {
			return sl.p
		}
	}
}

// slotIndexBig is the slots from which a table grows four times over
// instead of twice: one that held 1,024 records is likely to hold many
// more (a flood of new hosts), and each table it grows through is fresh
// memory, cleared once and left behind (a Browse List of 10,000 entries
// went through tables of 64 KiB to 512 KiB: 1 MiB, 256 page faults).
const slotIndexBig = 2048

// add puts p, which is not in the index, under hash h.
func (x *slotIndex[T]) add(h uint64, p *T) {
	if 2*(x.n+1) > len(x.s) {
		n := 2 * len(x.s)
		if len(x.s) >= slotIndexBig {
			n = 4 * len(x.s)
		}
		x.resize(max(n, slotIndexMin))
	}
	x.put(h, p)
	x.n++
}

func (x *slotIndex[T]) put(h uint64, p *T) {
	mask := uint64(len(x.s) - 1)
	i := h & mask
	for x.s[i].p != nil {
		i = (i + 1) & mask
	}
	x.s[i] = indexSlot[T]{h: h, p: p}
}

// remove takes p, which is in the index under hash h, out.
func (x *slotIndex[T]) remove(h uint64, p *T) {
	mask := uint64(len(x.s) - 1)
	i := h & mask
	for x.s[i].p != p {
		if x.s[i].p == nil {
			return // not there
		}
		i = (i + 1) & mask
	}
	// Move back each following slot whose home is not between the hole
	// and it (cyclically), until an empty one.
	for j := i; ; {
		j = (j + 1) & mask
		sl := x.s[j]
		if sl.p == nil {
			break
		}
		k := sl.h & mask
		if i <= j && i < k && k <= j || i > j && (i < k || k <= j) {
			continue // at or after its home: stays
		}
		x.s[i] = sl
		i = j
	}
	x.s[i] = indexSlot[T]{}
	x.n--
}

// clear empties the index, keeping its room.
func (x *slotIndex[T]) clear() {
	clear(x.s)
	x.n = 0
}

// resize moves every record into a table of n slots.
func (x *slotIndex[T]) resize(n int) {
	old := x.s
	x.s = make([]indexSlot[T], n)
	// Written through before put probes it: a large table is fresh
	// memory, and a probe's read of a page not yet touched maps the
	// kernel's zero page, which the slot's write then replaces (two page
	// faults and a TLB flush on every core running the process, instead
	// of one fault, in order).
	clear(x.s)
	for _, sl := range old {
		if sl.p != nil {
			x.put(sl.h, sl.p)
		}
	}
}

// all yields the records, in no particular order; the index must not
// change meanwhile.
func (x *slotIndex[T]) all(yield func(*T) bool) {
	for _, sl := range x.s {
		if sl.p != nil && !yield(sl.p) {
			return
		}
	}
}
