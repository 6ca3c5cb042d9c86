package timeline

import (
	"fmt"
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

// A table doubles up to 2,048 slots and grows four times over from there,
// keeping every record.
func TestSlotIndexGrowth(t *testing.T) {
	var x slotIndex[int]
	recs := make([]int, 5000)
	var sizes []int
	for i := range recs {
		x.add(uint64(i)*0x9e3779b97f4a7c15, &recs[i])
		if len(sizes) == 0 || sizes[len(sizes)-1] != len(x.s) {
			sizes = append(sizes, len(x.s))
		}
	}
	want := "[8 16 32 64 128 256 512 1024 2048 8192 32768]"
	if got := fmt.Sprint(sizes); got != want {
		t.Errorf("sizes %s, want %s", got, want)
	}
	for i := range recs {
		h := uint64(i) * 0x9e3779b97f4a7c15
		if p := x.find(h, func(p *int) bool { return p == &recs[i] }); p != &recs[i] {
			t.Fatalf("record %d lost", i)
		}
	}
}

// The Browse List expiry queue doubles up to 2,048 timers, then grows to
// the most it can hold at once, keeping the timers in order.
func TestBrowseQueueGrowth(t *testing.T) {
	var q browseQueue
	srvs := make([]Server, 3000)
	var sizes []int
	for i := range srvs {
		q.push(t0, uint64(i), &srvs[i], 40000)
		if len(sizes) == 0 || sizes[len(sizes)-1] != len(q.q) {
			sizes = append(sizes, len(q.q))
		}
	}
	want := "[64 128 256 512 1024 2048 65536]"
	if got := fmt.Sprint(sizes); got != want {
		t.Errorf("sizes %s, want %s", got, want)
	}
	// A bound far above: 32 times over at most.
	var big browseQueue
	for i := range 3000 {
		big.push(t0, uint64(i), &srvs[i], 10_000_000)
	}
	if len(big.q) != 65536 {
		t.Errorf("a ring of 2,048 grew to %d under a bound of 10M, want 65,536", len(big.q))
	}
	for i := range srvs {
		if x := q.pop(); x.srv != &srvs[i] || x.seq != uint64(i) {
			t.Fatalf("timer %d: %d", i, x.seq)
		}
	}
}
