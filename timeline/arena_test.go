package timeline

import (
	"testing"
)

// An arena hands out, after Reuse, the memory it handed out before, each
// value zeroed, without allocating; the adapter's own arena never does.
func TestArenaReuse(t *testing.T) {
	var ar Arena
	a := NewAdapter()
	a.UseArena(&ar)
	const n = 3*slabSize + 5
	first := make(map[*Announcement]bool)
	for i := range n {
		x := a.arena().anns.new()
		if x.Server != "" || x.Frame != 0 {
			t.Fatalf("value %d of a new arena not zero: %+v", i, x)
		}
		x.Server, x.Frame = "HOST", i+1
		first[x] = true
	}
	if len(first) != n {
		t.Fatalf("%d distinct values for %d asked", len(first), n)
	}
	ar.Reuse()
	allocs := testing.AllocsPerRun(1, func() {
		for i := range n {
			x := a.arena().anns.new()
			if !first[x] {
				t.Fatalf("value %d after Reuse is not one of those handed out before", i)
			}
			if x.Server != "" || x.Frame != 0 {
				t.Fatalf("value %d after Reuse not zeroed: %+v", i, x)
			}
			x.Frame = -1
		}
		ar.Reuse()
	})
	if allocs != 0 {
		t.Fatalf("Reuse: %v allocations a run, want 0", allocs)
	}

	b := NewAdapter() // its own arena: never reused
	x := b.arena().anns.new()
	x.Frame = 7
	for range 2 * slabSize {
		if y := b.arena().anns.new(); y == x {
			t.Fatal("the adapter's own arena handed a value out twice")
		}
	}
	if x.Frame != 7 {
		t.Fatalf("a value of the own arena was overwritten: %d", x.Frame)
	}
}
