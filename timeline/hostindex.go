package timeline

import "hash/maphash"

// hostIndex finds the host records by segment and name (a slotIndex;
// hostRec.hash is the hash of its key).
type hostIndex struct {
	slotIndex[hostRec]
	seed maphash.Seed
	// The hash of the segment last hashed: a capture is mostly one.
	lastSeg  string
	lastSegH uint64
}

func newHostIndex() hostIndex { return hostIndex{seed: maphash.MakeSeed()} }

// hash is the hash of the key (seg, name).
func (x *hostIndex) hash(seg, name string) uint64 {
	if seg != x.lastSeg || x.lastSegH == 0 {
		x.lastSeg, x.lastSegH = seg, maphash.String(x.seed, seg)|1
	}
	return maphash.String(x.seed, name) ^ x.lastSegH*0x9e3779b97f4a7c15
}

// get is the record of name on seg (nil: none).
func (x *hostIndex) get(seg, name string) *hostRec {
	return x.find(x.hash(seg, name), func(r *hostRec) bool { return r.name == name && r.seg == seg })
}

// add indexes r, which is not in the index, under (r.seg, r.name).
func (x *hostIndex) add(r *hostRec) {
	r.hash = x.hash(r.seg, r.name)
	x.slotIndex.add(r.hash, r)
}

// remove takes r, which is in the index, out.
func (x *hostIndex) remove(r *hostRec) { x.slotIndex.remove(r.hash, r) }
