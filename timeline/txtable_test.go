package timeline

import (
	"math/rand/v2"
	"net/netip"
	"testing"
)

// TestTxTableIsMap: any sequence of lookups, sets (new keys and keys
// already there, as a map's assignment), sweeps and clears leaves
// txTable holding what a map[txKey]*nbnsTx would: the same records by
// key and the same count. The keys collide on purpose: few addresses,
// IDs, suffixes and opcodes (one packed word, several names), and IPv6
// sources (the map beside it).
func TestTxTableIsMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	srcs := []netip.Addr{netip.MustParseAddr("198.18.1.10"), netip.MustParseAddr("198.18.1.11"), netip.MustParseAddr("fe80::1")}
	names := []string{"ALPHA", "BRAVO", "CHARLIE", "LABWG"}
	key := func() txKey {
		return txKey{src: srcs[r.IntN(len(srcs))], id: uint16(r.IntN(2)), name: names[r.IntN(len(names))],
			suffix: []byte{0x00, 0x1d}[r.IntN(2)], op: NameOp(r.IntN(2))}
	}
	x := newTxTable()
	ref := map[txKey]*nbnsTx{}
	var free []*nbnsTx
	for step := range 20000 {
		switch op := r.IntN(20); {
		case op < 12:
			k := key()
			tx := &nbnsTx{sends: step}
			x.set(&k, tx)
			ref[k] = tx
		case op < 19:
			k := key()
			if got, want := x.get(&k), ref[k]; got != want {
				t.Fatalf("step %d: get %+v: %p, want %p", step, k, got, want)
			}
		default:
			cut := step - r.IntN(400)
			if r.IntN(10) == 0 {
				cut = step + 1 // all
			}
			n := len(free)
			free = x.sweep(func(tx *nbnsTx) bool { return tx.sends >= cut }, free)
			gone := 0
			for k, tx := range ref {
				if tx.sends < cut {
					delete(ref, k)
					gone++
				}
			}
			if len(free)-n != gone {
				t.Fatalf("step %d: sweep freed %d records, want %d", step, len(free)-n, gone)
			}
		}
		if x.len() != len(ref) {
			t.Fatalf("step %d: %d transactions, want %d", step, x.len(), len(ref))
		}
	}
	for k, want := range ref {
		if got := x.get(&k); got != want {
			t.Fatalf("end: get %+v: %p, want %p", k, got, want)
		}
	}
}
