package timeline

import (
	"math/rand"
	"testing"
)

// TestSlotIndex runs random adds and removes against a map, with hashes
// drawn from a few values so that probe runs collide, wrap around the end
// of the table and are shifted back by removals.
func TestSlotIndex(t *testing.T) {
	type rec struct {
		key int
		h   uint64
	}
	r := rand.New(rand.NewSource(3))
	var x slotIndex[rec]
	model := make(map[int]*rec)
	for step := 0; step < 200000; step++ {
		k := r.Intn(40)
		// Homes at the last slots and the first ones, whatever the
		// table's size: runs wrap around.
		h := ^uint64(r.Intn(4))
		if r.Intn(2) == 0 {
			h = uint64(r.Intn(4))
		}
		if old := model[k]; old != nil {
			h = old.h
		}
		got := x.find(h, func(p *rec) bool { return p.key == k })
		if got != model[k] {
			t.Fatalf("step %d: find(%d) = %v, want %v", step, k, got, model[k])
		}
		switch {
		case got == nil && r.Intn(3) > 0:
			p := &rec{key: k, h: h}
			x.add(h, p)
			model[k] = p
		case got != nil && r.Intn(2) == 0:
			x.remove(got.h, got)
			delete(model, k)
		}
		if x.len() != len(model) {
			t.Fatalf("step %d: len %d, want %d", step, x.len(), len(model))
		}
	}
	n := 0
	for p := range x.all {
		if model[p.key] != p {
			t.Fatalf("all yields %v, not in the model", p)
		}
		n++
	}
	if n != len(model) {
		t.Fatalf("all yields %d records, want %d", n, len(model))
	}
}
