package timeline

import (
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"
)

// TestAgedMatchesScan: after any sequence of adds, touches (forward and
// backward in time; forward ones also by later) and removals, aged's
// oldest item is the one a scan of every item picks with the same order,
// which is what the tables did before.
func TestAgedMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	a := newAgedHosts()
	live := map[*hostRec]bool{}
	t0 := time.Unix(1e9, 0)
	var all []*hostRec
	for step := range 20000 {
		switch op := r.IntN(10); {
		case op < 4 || len(live) == 0: // add
			h := &hostRec{seg: []string{"A", "B"}[r.IntN(2)], name: string(rune('A' + r.IntN(26))), last: t0.Add(time.Duration(r.IntN(1000)) * time.Second)}
			a.add(h)
			live[h] = true
			all = append(all, h)
		case op < 8: // touch, sometimes back in time
			h := all[r.IntN(len(all))]
			if !live[h] {
				continue
			}
			old := h.last
			h.last = h.last.Add(time.Duration(r.IntN(600)-100) * time.Second)
			if h.last.After(old) && r.IntN(2) == 0 {
				a.later(h) // as the tables' lookups do
			} else {
				a.touch(h)
			}
		default: // remove the oldest or any
			if r.IntN(2) == 0 {
				h, _ := a.oldest()
				a.remove(h)
				delete(live, h)
			} else {
				h := all[r.IntN(len(all))]
				if live[h] {
					a.remove(h)
					delete(live, h)
				}
			}
		}
		var want *hostRec
		for h := range live {
			if want == nil || a.older(h, want) {
				want = h
			}
		}
		got, ok := a.oldest()
		if ok != (want != nil) || a.Len() != len(live) {
			t.Fatalf("step %d: %d items, %d live", step, a.Len(), len(live))
		}
		if ok && a.older(want, got) {
			t.Fatalf("step %d: oldest %s/%s at %v, scan finds %s/%s at %v", step, got.seg, got.name, got.last, want.seg, want.name, want.last)
		}
	}
}

// floodHost is the i-th of a flood of HostAnnouncements, each from a new
// host with its own address, 10 ms apart, on one segment.
func floodHost(i int) *Announcement {
	t0 := time.Unix(1e9, 0)
	return &Announcement{
		Meta: Meta{Time: t0.Add(time.Duration(i) * 10 * time.Millisecond), Frame: i + 1, Segment: "flood",
			Src: netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), Dst: netip.AddrFrom4([4]byte{10, 255, 255, 255}),
			SrcName: "H" + itoa(i), DstName: "LABWG", DstSuffix: 0x1d},
		Kind: HostAnnouncement, Server: "H" + itoa(i), ServerType: 0x00011003, Periodicity: 12 * time.Minute,
	}
}

// BenchmarkHostFlood: the cost of one announcement from a new host once
// the tables are full, by table size: each evicts the oldest address,
// host and Browse List entry. It should not grow with the size (it did:
// each eviction scanned the whole table).
func BenchmarkHostFlood(b *testing.B) {
	for _, hosts := range []int{1000, 10000, 100000} {
		b.Run(itoa(hosts), func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.MaxHosts, cfg.MaxServers, cfg.MaxNames = hosts, hosts, hosts
			tr := New(cfg, nil)
			for i := range hosts + 1 { // fill the tables, and one more
				tr.Observe(floodHost(i))
			}
			obs := make([]*Announcement, b.N)
			for i := range obs {
				obs[i] = floodHost(hosts + 1 + i)
			}
			b.ResetTimer()
			for _, o := range obs {
				tr.Observe(o)
			}
		})
	}
}

// TestSeenBeforeCompare holds seenBefore (one Compare) to the order it
// replaced, Before then Equal and the key: times a nanosecond, a second
// apart and equal, in other zones, with and without a monotonic reading.
func TestSeenBeforeCompare(t *testing.T) {
	base := time.Date(2024, 3, 1, 10, 0, 0, 500, time.UTC)
	mono := time.Now()
	times := []time.Time{base, base.Add(time.Nanosecond), base.Add(-time.Nanosecond), base.Add(time.Second),
		base.Add(-time.Second + time.Nanosecond), base.In(time.FixedZone("x", 3600)), time.Unix(0, 0), time.Time{},
		mono, mono.Add(time.Nanosecond), mono.Round(0), mono.Add(-time.Second)}
	for _, a := range times {
		for _, b := range times {
			for _, less := range []bool{false, true} {
				want := a.Before(b) || a.Equal(b) && less
				if got := seenBefore(a, b, func() bool { return less }); got != want {
					t.Errorf("seenBefore(%v, %v, %v) = %v, want %v", a, b, less, got, want)
				}
			}
		}
	}
	if !seenBefore(base, base, func() bool { return true }) || seenBefore(base, base, func() bool { return false }) {
		t.Error("equal times not ordered by the key")
	}
	if !seenBefore(base, base.Add(time.Nanosecond), func() bool { return false }) || seenBefore(base.Add(time.Nanosecond), base, func() bool { return true }) {
		t.Error("times a nanosecond apart not ordered by time")
	}
}
