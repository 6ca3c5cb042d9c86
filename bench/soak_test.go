package bench

import (
	"net/netip"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// The month-long soak (issue 14): a simulated month of browse traffic on
// one segment, capture time accelerated (nothing waits), fed to the
// timeline as the adapter would: 10,000 hosts come and go over the month,
// about 200 at a time, in 1,000 workgroups. Each host registers its names,
// announces itself every 12 minutes while it lives, and the first host of
// a workgroup to come up forces an election and becomes its master. What
// goes silent must be forgotten by the Browse Service's own rules (a
// Browse List entry expires after three announcement periods) and by the
// tables' bounds, so the live heap after 4 and 16 months is the heap after
// one:
//
//	go test -run XXX -bench Soak -benchtime 1x ./bench/
//
// reports the live heap (MiB-live-heap) for each length and its ratio to
// one month's.

const (
	soakHosts      = 10000
	soakWorkgroups = 1000
	soakAlive      = 200
	soakPeriod     = 12 * time.Minute
	soakMonth      = 30 * 24 * time.Hour
)

// soakLife is how long each host lives: soakAlive hosts at a time, each
// replaced soakHosts times a month.
var soakLife = soakMonth * soakAlive / soakHosts

type soak struct {
	tr     *timeline.Tracker
	t0     time.Time
	frame  int
	events int
	bcast  netip.Addr
}

func newSoak() *soak {
	s := &soak{t0: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), bcast: netip.MustParseAddr("10.9.255.255")}
	s.tr = timeline.New(timeline.DefaultConfig(), func(timeline.Event) { s.events++ })
	return s
}

func (s *soak) meta(at time.Time, src netip.Addr, name, dst string, suffix byte) timeline.Meta {
	s.frame++
	return timeline.Meta{Time: at, Frame: s.frame, Segment: "soak", Src: src, Dst: s.bcast,
		SrcName: name, DstName: dst, DstSuffix: suffix}
}

// host i of the run: its name, address and workgroup. Hosts are numbered
// over all months, so a new month brings new names (10,000 a month).
func soakHost(i int) (string, netip.Addr, string) {
	a := netip.AddrFrom4([4]byte{10, 9, byte(i >> 8 % 255), byte(i%250 + 1)})
	return "H" + strconv.Itoa(i), a, "WG" + strconv.Itoa(i%soakWorkgroups)
}

// run feeds months of traffic, in capture-time order: at each announcement
// slot every live host announces; a host's first slot registers its name
// and, for one host in ten, runs an election for its workgroup.
func (s *soak) run(months int) {
	end := soakMonth * time.Duration(months)
	step := soakLife / soakAlive // a new host every step
	next := 0
	for at := time.Duration(0); at < end; at += soakPeriod {
		// hosts alive during this slot: born in (at-life, at]
		for ; time.Duration(next)*step <= at; next++ {
			name, a, wg := soakHost(next)
			t := s.t0.Add(time.Duration(next) * step)
			s.tr.Observe(&timeline.NameEvent{Meta: s.meta(t, a, "", "", 0), Op: timeline.NameRegistration,
				Name: name, Suffix: 0x20, Addrs: []netip.Addr{a}, TTL: 300000, Bcast: true})
			if next%10 == 0 {
				s.tr.Observe(&timeline.Election{Meta: s.meta(t, a, name, wg, 0x1e),
					Ballot: timeline.Ballot{Version: 1, Criteria: 0x20010f02, Uptime: 1000, Name: name}})
				s.tr.Observe(&timeline.Announcement{Meta: s.meta(t.Add(time.Second), a, name, wg, 0x1e),
					Kind: timeline.LocalMasterAnnouncement, Server: name, ServerType: 0x00851003, Periodicity: soakPeriod})
			}
		}
		first := max(0, next-soakAlive)
		for i := first; i < next; i++ {
			name, a, wg := soakHost(i)
			born := time.Duration(i) * step
			if at-born >= soakLife {
				continue // gone: it announces no more
			}
			t := s.t0.Add(at + time.Duration(i%60)*time.Second)
			s.tr.Observe(&timeline.Announcement{Meta: s.meta(t, a, name, wg, 0x1d),
				Kind: timeline.HostAnnouncement, Server: name, ServerType: 0x00011003, Periodicity: soakPeriod})
		}
		s.tr.Advance(s.t0.Add(at + soakPeriod))
	}
}

// liveHeapMiB is the live heap (bytes of reachable objects) after two
// collections.
func liveHeapMiB() float64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

func BenchmarkSoak(b *testing.B) {
	var base float64
	for _, months := range []int{1, 4, 16} {
		b.Run(strconv.Itoa(months)+"x", func(b *testing.B) {
			var heap float64
			for range b.N {
				s := newSoak()
				s.run(months)
				heap = liveHeapMiB()
				snap := s.tr.Snapshot()
				b.ReportMetric(float64(len(snap.Hosts)), "hosts-kept")
				roles, elections := 0, 0
				for _, g := range snap.Groups {
					roles += len(g.Roles)
					elections += len(g.Elections)
				}
				b.ReportMetric(float64(roles), "roles-kept")
				b.ReportMetric(float64(len(snap.Names)), "names-kept")
				b.ReportMetric(float64(elections), "elections-kept")
				droppedRoles, _ := s.tr.HistoryDropped()
				b.ReportMetric(float64(droppedRoles), "roles-forgotten")
				b.ReportMetric(float64(s.frame)/float64(months), "obs/month")
			}
			if months == 1 {
				base = heap
			}
			b.ReportMetric(heap, "MiB-live-heap")
			if base > 0 {
				b.ReportMetric(heap/base, "x-heap-of-1-month")
			}
		})
	}
}
