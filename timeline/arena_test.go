package timeline

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
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

// The addresses of name answers come from the arena too: a batch of them
// adapted again after Reuse allocates nothing, and each answer keeps its
// own addresses (no two share a backing slot).
func TestArenaReusesNameAddresses(t *testing.T) {
	m := &dissect.NBNS{Flags: dissect.NBNSFlags(0x8500)} // a positive query response
	rr := dissect.NBNSResource{Type: dissect.NBNSTypeNB, TTL: 300}
	rr.Name.Raw = dissect.MakeName("HOST", 0x20)
	for i := range maxNameAddrs {
		rr.NB = append(rr.NB, dissect.NBNSAddrEntry{Addr: [4]byte{10, 0, 0, byte(i + 1)}})
	}
	m.Answers = append(m.Answers, rr)
	f := &dissect.Frame{Number: 1, Msgs: []dissect.Message{m}}
	f.Net.HasIP = true
	var ar Arena
	a := NewAdapter()
	const batch = 64 // 1024 addresses: 4 chunks
	var names []*NameEvent
	run := func() {
		ar.Reuse()
		a.UseArena(&ar)
		names = names[:0]
		for range batch {
			for _, o := range a.FromFrame(f) {
				names = append(names, o.(*NameEvent))
			}
		}
	}
	run()
	if allocs := testing.AllocsPerRun(10, run); allocs != 0 {
		t.Errorf("%v allocations a batch of %d name answers after Reuse, want 0", allocs, batch)
	}
	if len(names) != batch {
		t.Fatalf("%d name events of %d frames", len(names), batch)
	}
	for i, e := range names {
		if len(e.Addrs) != maxNameAddrs || cap(e.Addrs) != maxNameAddrs || e.Addrs[maxNameAddrs-1] != netip.AddrFrom4([4]byte{10, 0, 0, maxNameAddrs}) {
			t.Fatalf("answer %d: addresses %v (cap %d)", i, e.Addrs, cap(e.Addrs))
		}
		if i > 0 && &e.Addrs[0] == &names[i-1].Addrs[0] {
			t.Fatalf("answers %d and %d share their addresses", i-1, i)
		}
	}
}

// A frame's decode problems (a bound hit frame after frame by a flood of
// TCP conversations) come from the arena too: after Reuse, the problem of
// the next frame is written where the last one was, with its own text.
func TestArenaReusesDecodeProblems(t *testing.T) {
	var ar Arena
	a := NewAdapter()
	a.UseArena(&ar)
	f := &dissect.Frame{Number: 7, Bounds: []dissect.BoundHit{{Bound: "MaxStreams",
		Err: dissect.Limit("tcp", "stream", -1, "more than 512 TCP conversations")}}}
	obs := a.FromFrame(f)
	if len(obs) != 1 {
		t.Fatalf("%d observations of a bound hit, want 1", len(obs))
	}
	p, ok := obs[0].(*DecodeProblem)
	if !ok || p.Bound != "MaxStreams" || p.Frame != 7 || !strings.Contains(p.Err, "512 TCP conversations") {
		t.Fatalf("observation %#v", obs[0])
	}
	ar.Reuse()
	f.Number = 8
	f.Bounds[0].Err = dissect.Malformed("tcp", "stream", -1, "another")
	f.Bounds[0].Bound = "MaxConns"
	q := a.FromFrame(f)[0].(*DecodeProblem)
	if q != p || q.Frame != 8 || q.Bound != "MaxConns" || !strings.Contains(q.Err, "another") {
		t.Fatalf("after Reuse: %p %+v (the first at %p)", q, q, p)
	}
}
