package timeline

import "testing"

// TestOrderedGetAside: the entry get keeps aside is never one the table
// no longer holds (deleted, or evicted when the table is full), and get
// answers what the map holds.
func TestOrderedGetAside(t *testing.T) {
	o := newOrdered[winsKey, int]()
	k := func(i int) winsKey {
		return winsKey{"lab", NodeAddr(TransportNetBEUI, 0, [6]byte{5: byte(i), 4: byte(i >> 8)})}
	}
	check := func(what string, i int, want *int) {
		t.Helper()
		if got := o.get(k(i)); got != want {
			t.Fatalf("%s: get(%d) = %p, want %p", what, i, got, want)
		}
		if got := o.m[k(i)]; got != want {
			t.Fatalf("%s: the map holds %p for %d, want %p", what, got, i, want)
		}
	}
	a := o.add(k(1))
	*a = 1
	check("added", 1, a)
	check("again", 1, a)
	check("another", 2, nil)
	check("the first again", 1, a)
	o.del(k(1))
	check("deleted", 1, nil)
	first := o.add(k(0))
	check("re-added", 0, first)
	for i := 1; i < maxDiagTable; i++ {
		o.add(k(i))
	}
	check("full", 0, first)
	o.add(k(maxDiagTable)) // evicts the first
	check("evicted", 0, nil)
	check("the newest", maxDiagTable, o.m[k(maxDiagTable)])
}
