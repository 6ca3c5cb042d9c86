package timeline

import "hash/maphash"

// hostIndex finds the host records by segment and name (a slotIndex;
// hostRec.hash is the hash of its key).
type hostIndex struct {
	slotIndex[hostRec]
	pairHash
}

func newHostIndex() hostIndex { return hostIndex{pairHash: newPairHash()} }

// pairHash hashes keys of two strings, a place (segment or capture
// source) and a name, with a random seed. The hash of the place last
// hashed is kept (a capture is mostly one), and that of the key last
// hashed (a new key is looked up, then added).
type pairHash struct {
	seed   maphash.Seed
	last   string
	lastH  uint64
	lastOK bool
	name   string // with last: the key last hashed, and its hash
	nameH  uint64
	nameOK bool
}

func newPairHash() pairHash { return pairHash{seed: maphash.MakeSeed()} }

// hash is the hash of the key (place, name).
func (p *pairHash) hash(place, name string) uint64 {
	if !p.lastOK || place != p.last {
		p.last, p.lastH, p.lastOK = place, maphash.String(p.seed, place)|1, true
		p.nameOK = false
	}
	if !p.nameOK || name != p.name {
		p.name, p.nameH, p.nameOK = name, maphash.String(p.seed, name)^p.lastH*0x9e3779b97f4a7c15, true
	}
	return p.nameH
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
