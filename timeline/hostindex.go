package timeline

import "hash/maphash"

// hostIndex finds the host records by segment and name: a hash table
// whose chains run through the records (hostRec.hash, hostRec.next).
// Each record keeps its hash, so that forgetting the oldest host (for
// each new one, once the table is full) reads neither its key's bytes nor
// a slot of a map: it goes to its bucket and unlinks itself, where a
// map's delete hashed the key again and compared it with its slot's,
// three reads of memory untouched since the host was last seen. A lookup
// reads one bucket and the records of its chain (at most one on average:
// the table keeps a bucket per record).
type hostIndex struct {
	b    []*hostRec // len a power of two
	n    int
	seed maphash.Seed
	// The hash of the segment last hashed: a capture is mostly one.
	lastSeg  string
	lastSegH uint64
}

const hostIndexMin = 64

func newHostIndex() hostIndex {
	return hostIndex{b: make([]*hostRec, hostIndexMin), seed: maphash.MakeSeed()}
}

func (x *hostIndex) len() int { return x.n }

// hash is the hash of the key (seg, name).
func (x *hostIndex) hash(seg, name string) uint64 {
	if seg != x.lastSeg || x.lastSegH == 0 {
		x.lastSeg, x.lastSegH = seg, maphash.String(x.seed, seg)|1
	}
	return maphash.String(x.seed, name) ^ x.lastSegH*0x9e3779b97f4a7c15
}

// get is the record of name on seg (nil: none).
func (x *hostIndex) get(seg, name string) *hostRec {
	h := x.hash(seg, name)
	for r := x.b[h&uint64(len(x.b)-1)]; r != nil; r = r.next {
		if r.hash == h && r.name == name && r.seg == seg {
			return r
		}
	}
	return nil
}

// add indexes r, which is not in the index, under (r.seg, r.name).
func (x *hostIndex) add(r *hostRec) {
	if x.n >= len(x.b) {
		x.grow()
	}
	r.hash = x.hash(r.seg, r.name)
	i := r.hash & uint64(len(x.b)-1)
	r.next = x.b[i]
	x.b[i] = r
	x.n++
}

// remove takes r, which is in the index, out.
func (x *hostIndex) remove(r *hostRec) {
	for p := &x.b[r.hash&uint64(len(x.b)-1)]; *p != nil; p = &(*p).next {
		if *p == r {
			*p = r.next
			r.next = nil
			x.n--
			return
		}
	}
}

// grow doubles the buckets, moving each record by the hash it keeps.
func (x *hostIndex) grow() {
	b := make([]*hostRec, 2*len(x.b))
	mask := uint64(len(b) - 1)
	for _, r := range x.b {
		for r != nil {
			next := r.next
			i := r.hash & mask
			r.next = b[i]
			b[i] = r
			r = next
		}
	}
	x.b = b
}

// each calls f for every record, in no particular order.
func (x *hostIndex) each(f func(*hostRec)) {
	for _, r := range x.b {
		for ; r != nil; r = r.next {
			f(r)
		}
	}
}
