package timeline

import "hash/maphash"

// hostIndex finds the host records by segment and name (a slotIndex;
// hostRec.hash is the hash of its key).
type hostIndex struct {
	slotIndex[hostRec]
	pairHash
}

func newHostIndex(names *nameHash) hostIndex { return hostIndex{pairHash: newPairHash(names)} }

// nameHash hashes names with a random seed and keeps the name last
// hashed and its hash: one announcement looks its host up in three
// tables (hosts, bindings, the Browse List), each keyed by its name, and
// a new host of a flood hashed the name three times. The tracker's
// tables share one (Tracker.nameH).
type nameHash struct {
	seed maphash.Seed
	name string
	h    uint64
	ok   bool
}

// nameSeed seeds the hashes of every tracker: a Browse List entry handed
// over by FinalSnapshot keeps its hash, and two trackers fed the same
// observations hand over equal entries.
var nameSeed = maphash.MakeSeed()

func newNameHash() *nameHash { return &nameHash{seed: nameSeed} }

// of is the hash of name.
func (n *nameHash) of(name string) uint64 {
	if !n.ok || name != n.name {
		n.name, n.h, n.ok = name, maphash.String(n.seed, name), true
	}
	return n.h
}

// pairHash hashes keys of two strings, a place (segment or capture
// source) and a name (its hash from names). The hash of the place last
// hashed is kept (a capture is mostly one), and that of the key last
// hashed (a new key is looked up, then added).
type pairHash struct {
	names  *nameHash
	last   string
	lastH  uint64
	lastOK bool
	name   string // with last: the key last hashed, and its hash
	nameH  uint64
	nameOK bool
}

func newPairHash(names *nameHash) pairHash { return pairHash{names: names} }

// hash is the hash of the key (place, name).
func (p *pairHash) hash(place, name string) uint64 {
	if !p.lastOK || place != p.last {
		p.last, p.lastH, p.lastOK = place, maphash.String(p.names.seed, place)|1, true
		p.nameOK = false
	}
	if !p.nameOK || name != p.name {
		p.name, p.nameH, p.nameOK = name, p.names.of(name)^p.lastH*0x9e3779b97f4a7c15, true
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
