package reassembly

import (
	"math/rand/v2"
	"testing"
)

// closedModel is what closedSet replaced: a map of the ends and a ring of
// their keys, the map's entry deleted when the ring overwrites the key.
type closedModel struct {
	m    map[connKey]closedConn
	ring []connKey
	next int
}

func (c *closedModel) add(k connKey, cc closedConn, bound int) {
	if len(c.ring) < bound {
		c.ring = append(c.ring, k)
	} else {
		delete(c.m, c.ring[c.next])
		c.ring[c.next] = k
		c.next = (c.next + 1) % len(c.ring)
	}
	c.m[k] = cc
}

// closedSet against the map and ring it replaced, over random closings
// of a few keys (many closed again, many hashes in one run of the index)
// and of many, with bounds of 1 to 700 and every lookup compared.
func TestClosedSetIsMapAndRing(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, keys := range []int{3, 40, 2000} {
		for _, bound := range []int{1, 2, 7, 128, 129, 300, 700} {
			var c closedSet
			m := closedModel{m: map[connKey]closedConn{}}
			key := func() connKey {
				n := uint64(r.IntN(keys))
				return connKey{addrs: n * 0x10001, ports: n % 7}
			}
			for op := range 20000 {
				k := key()
				if r.IntN(3) == 0 {
					cc := closedConn{end: [2]uint32{uint32(op), r.Uint32()}, has: [2]bool{true, op%2 == 0}}
					c.add(k, cc, bound)
					m.add(k, cc, bound)
				}
				got, ok := c.get(&k)
				want, wok := m.m[k]
				if ok != wok || ok && *got != want {
					t.Fatalf("keys %d bound %d op %d: %v: got %v %v, want %v %v", keys, bound, op, k, got, ok, want, wok)
				}
				if c.n != len(m.m) || c.n > len(c.idx)/2 {
					t.Fatalf("keys %d bound %d op %d: %d indexed, %d in the map, index of %d", keys, bound, op, c.n, len(m.m), len(c.idx))
				}
			}
			for n := range keys {
				k := connKey{addrs: uint64(n) * 0x10001, ports: uint64(n) % 7}
				got, ok := c.get(&k)
				want, wok := m.m[k]
				if ok != wok || ok && *got != want {
					t.Fatalf("keys %d bound %d, at the end: %v: got %v %v, want %v %v", keys, bound, k, got, ok, want, wok)
				}
			}
		}
	}
}
