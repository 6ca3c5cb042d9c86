package timeline

import (
	"hash/maphash"
	"iter"
)

// serverIndex is a group's Browse List: its entries by name, in a hash
// table whose chains run through the entries (Server.hash, Server.next),
// as hostIndex does for the hosts. A full Browse List forgets its oldest
// entry for each new one (a flood of new hosts): the entry unlinks itself
// from its bucket by the hash it keeps, without hashing its name again or
// reading a map slot.
type serverIndex struct {
	b []*Server // len a power of two, or nil while empty
	n int
}

// serverSeed seeds the hash of every Browse List (nothing depends on the
// order of an index: what is shown is sorted by name).
var serverSeed = maphash.MakeSeed()

const serverIndexMin = 8

func (x *serverIndex) len() int { return x.n }

// get is the entry of name (nil: none).
func (x *serverIndex) get(name string) *Server {
	if x.n == 0 {
		return nil
	}
	h := maphash.String(serverSeed, name)
	for e := x.b[h&uint64(len(x.b)-1)]; e != nil; e = e.next {
		if e.hash == h && e.Name == name {
			return e
		}
	}
	return nil
}

// has reports whether name has an entry.
func (x *serverIndex) has(name string) bool { return x.get(name) != nil }

// add indexes e, whose name has no entry, under e.Name.
func (x *serverIndex) add(e *Server) {
	if x.n >= len(x.b) {
		x.grow()
	}
	e.hash = maphash.String(serverSeed, e.Name)
	i := e.hash & uint64(len(x.b)-1)
	e.next = x.b[i]
	x.b[i] = e
	x.n++
}

// remove takes e, which is in the index, out.
func (x *serverIndex) remove(e *Server) {
	for p := &x.b[e.hash&uint64(len(x.b)-1)]; *p != nil; p = &(*p).next {
		if *p == e {
			*p = e.next
			e.next = nil
			x.n--
			return
		}
	}
}

// grow doubles the buckets, moving each entry by the hash it keeps.
func (x *serverIndex) grow() {
	b := make([]*Server, max(2*len(x.b), serverIndexMin))
	mask := uint64(len(b) - 1)
	for _, e := range x.b {
		for e != nil {
			next := e.next
			i := e.hash & mask
			e.next = b[i]
			b[i] = e
			e = next
		}
	}
	x.b = b
}

// all yields the entries, in no particular order; the index must not
// change meanwhile.
func (x *serverIndex) all() iter.Seq[*Server] {
	return func(yield func(*Server) bool) {
		for _, e := range x.b {
			for ; e != nil; e = e.next {
				if !yield(e) {
					return
				}
			}
		}
	}
}

// sorted lists the entries sorted by name.
func (x *serverIndex) sorted() []*Server {
	keys := make([]serverKey, 0, x.n)
	for _, e := range x.b {
		for ; e != nil; e = e.next {
			keys = append(keys, serverKey{prefix: namePrefix(e.Name), name: e.Name, e: e})
		}
	}
	return sortServerKeys(keys)
}
