package timeline

import "iter"

// serverIndex is a group's Browse List: its entries by name (a
// slotIndex; Server.hash is the hash of its name, from names: the
// tracker's, which keeps the name last hashed, so that a new entry's name
// is hashed once to be looked up and added, and once for the host's
// other tables). Nothing depends on the order of an index: what is shown
// is sorted by name.
type serverIndex struct {
	slotIndex[Server]
	names *nameHash
}

// hash is the hash of name.
func (x *serverIndex) hash(name string) uint64 { return x.names.of(name) }

// get is the entry of name (nil: none).
func (x *serverIndex) get(name string) *Server {
	if x.n == 0 {
		return nil
	}
	return x.find(x.hash(name), func(e *Server) bool { return e.Name == name })
}

// has reports whether name has an entry.
func (x *serverIndex) has(name string) bool { return x.get(name) != nil }

// add indexes e, whose name has no entry, under e.Name.
func (x *serverIndex) add(e *Server) {
	e.hash = x.hash(e.Name)
	x.slotIndex.add(e.hash, e)
}

// remove takes e, which is in the index, out.
func (x *serverIndex) remove(e *Server) { x.slotIndex.remove(e.hash, e) }

// all yields the entries, in no particular order; the index must not
// change meanwhile.
func (x *serverIndex) all() iter.Seq[*Server] { return x.slotIndex.all }

// sorted lists the entries sorted by name.
func (x *serverIndex) sorted() []*Server {
	keys := make([]serverKey, 0, x.n)
	for e := range x.all() {
		keys = append(keys, serverKey{prefix: namePrefix(e.Name), name: e.Name, e: e})
	}
	return sortServerKeys(keys)
}
