package timeline

import (
	"net/netip"
	"strconv"
	"testing"
	"time"
)

// bigState is a state at the default bounds' scale: 4096 hosts in 64
// groups, each host announced, with a ballot and a server name.
func bigState() *Snapshot {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := &Snapshot{Time: t0.Add(time.Minute)}
	for gi := 0; gi < 64; gi++ {
		seg := "big/10." + strconv.Itoa(gi) + ".0.255"
		g := &Group{Segment: seg, Workgroup: "WG"}
		for hi := 0; hi < 64; hi++ {
			name := "H" + strconv.Itoa(gi) + "X" + strconv.Itoa(hi)
			a := netip.AddrFrom4([4]byte{10, byte(gi), 0, byte(hi + 1)})
			g.Servers = append(g.Servers, &Server{Name: name, Type: 0x00011003, Source: SourceAnnouncement, Periodicity: time.Minute,
				FirstSeen: t0, LastSeen: t0, Expires: t0.Add(3 * time.Minute), Addr: a})
			s.Hosts = append(s.Hosts, &Host{Segment: seg, Name: name, Addr: a, Workgroup: "WG", FirstSeen: t0, LastSeen: t0,
				Ballot: &Ballot{Version: 1, Criteria: uint32(hi) << 24, Uptime: 1000, Name: name}, BallotAt: t0})
			s.Names = append(s.Names, &NameState{Segment: seg, Name: name, Suffix: 0x20, Owners: []*Owner{{Addr: a, Host: name}}})
		}
		g.LMB = []string{g.Servers[63].Name}
		s.Groups = append(s.Groups, g)
	}
	return s
}

// BenchmarkPredictBig: what --report adds at the bounds' scale.
func BenchmarkPredictBig(b *testing.B) {
	s := bigState()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Predict(s)
		Forecasts(s)
		Explain(s, "H10X5", nil)
	}
}
