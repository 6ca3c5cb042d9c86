package reassembly

// The closed connections remembered (StreamReassembler.closed): where
// each direction of the last MaxConns connections closed ended, by key.

import (
	"math/rand/v2"
	"slices"

	"github.com/nbtsniff/nbtsniff/internal/boundmap"
)

// closedSet is a ring of the closed connections' ends, in order of
// closing (once full, the oldest is overwritten), and an index of it by
// key: what a Go map of the ends and a ring of its keys did. The index
// is open addressing with linear probing over 64-bit entries (the ring
// slot, and the low 32 bits of the key's hash: they tell entries apart
// without reading the ring, and give an entry's home): a lookup of a key not there, the common
// case (the first segment of each connection picked up mid-stream),
// reads the index only, a few kilobytes that stay in the cache, where
// the map's lookup loaded a group of its large table; the map's insert
// and delete at each closing are the index's too.
//
// A key closed again has one entry, that of its last end; the ring may
// still hold its older ones. When the ring overwrites any end of a key,
// the key's entry goes, whichever end it was (as the map's delete did).
type closedSet struct {
	ring []closedRec
	next int      // the oldest end, once the ring is full
	idx  []uint64 // 0: empty; else (ring slot + 1) << 32 | the hash's low 32 bits
	n    int      // keys indexed
	seed uint64
}

type closedRec struct {
	key connKey
	cc  closedConn
}

func (c *closedSet) hash(k connKey) uint64 {
	x := (k.addrs ^ c.seed) * 0x9e3779b97f4a7c15
	x ^= k.ports * 0xc2b2ae3d27d4eb4f
	x ^= x >> 29
	x *= 0xbf58476d1ce4e5b9
	return x ^ x>>32
}

// get returns the last end remembered of key.
func (c *closedSet) get(k *connKey) (*closedConn, bool) {
	if c.n == 0 {
		return nil, false
	}
	h := c.hash(*k)
	mask := uint64(len(c.idx) - 1)
	tag := h & 0xffffffff
	for i := h & mask; ; i = (i + 1) & mask {
		e := c.idx[i]
		if e == 0 {
			return nil, false
		}
		if e&0xffffffff == tag {
			if r := &c.ring[e>>32-1]; r.key == *k {
				return &r.cc, true
			}
		}
	}
}

// add remembers cc as the end of key, overwriting the oldest end when
// the ring holds bound of them.
func (c *closedSet) add(k connKey, cc closedConn, bound int) {
	var slot int
	if len(c.ring) < bound {
		if len(c.ring) == boundmap.At && bound > boundmap.At { // once: the ring only grows
			c.ring = slices.Grow(c.ring, boundmap.Room(bound)-boundmap.At)
		}
		slot = len(c.ring)
		c.ring = append(c.ring, closedRec{key: k, cc: cc})
	} else {
		slot = c.next
		c.del(c.ring[slot].key)
		c.ring[slot] = closedRec{key: k, cc: cc}
		c.next = (c.next + 1) % len(c.ring)
	}
	c.set(k, slot)
}

// set points key's entry at ring slot, making one if there is none.
func (c *closedSet) set(k connKey, slot int) {
	if 2*(c.n+1) > len(c.idx) {
		c.grow()
	}
	h := c.hash(k)
	mask := uint64(len(c.idx) - 1)
	tag := h & 0xffffffff
	val := uint64(slot+1)<<32 | tag
	for i := h & mask; ; i = (i + 1) & mask {
		e := c.idx[i]
		if e == 0 {
			c.idx[i] = val
			c.n++
			return
		}
		if e&0xffffffff == tag && c.ring[e>>32-1].key == k {
			c.idx[i] = val
			return
		}
	}
}

// del drops key's entry, if any (backward-shift deletion: the entries
// after it in its run move back when their home allows).
func (c *closedSet) del(k connKey) {
	if c.n == 0 {
		return
	}
	h := c.hash(k)
	mask := uint64(len(c.idx) - 1)
	tag := h & 0xffffffff
	i := h & mask
	for ; ; i = (i + 1) & mask {
		e := c.idx[i]
		if e == 0 {
			return
		}
		if e&0xffffffff == tag && c.ring[e>>32-1].key == k {
			break
		}
	}
	for j := (i + 1) & mask; c.idx[j] != 0; j = (j + 1) & mask {
		home := c.idx[j] & mask // (mask < 1<<32: the hash's low bits give the home)
		// Entry j moves back to i unless its home lies cyclically in (i, j].
		if (j-home)&mask >= (j-i)&mask {
			c.idx[i] = c.idx[j]
			i = j
		}
	}
	c.idx[i] = 0
	c.n--
}

// grow doubles the index (16 entries at first) and enters every key
// again.
func (c *closedSet) grow() {
	if c.idx == nil {
		c.seed = rand.Uint64()
	}
	old := c.idx
	c.idx = make([]uint64, max(16, 2*len(old)))
	mask := uint64(len(c.idx) - 1)
	for _, e := range old {
		if e == 0 {
			continue
		}
		for i := e & mask; ; i = (i + 1) & mask {
			if c.idx[i] == 0 {
				c.idx[i] = e
				break
			}
		}
	}
}
