package timeline

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// sortByName orders keys as a comparison of their names does, by radix
// from radixSortMin keys and below it: names sharing their first 8 bytes
// (the prefix), shorter than 8 bytes, with NUL and high bytes, in many
// orders and sizes.
func TestSortByName(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 14))
	alphabet := []byte{0, 1, 'A', 'B', 'H', '0', '1', '9', 0x7f, 0x80, 0xff}
	for _, n := range []int{0, 1, 2, 17, radixSortMin - 1, radixSortMin, radixSortMin + 1, 1000, 5000} {
		for round := range 4 {
			seen := map[string]bool{}
			var keys []serverKey
			for len(keys) < n {
				var name string
				switch round {
				case 0: // a flood's names: one shape, four digits that differ
					name = "H000" + itoa(rng.IntN(10000))
				case 1: // one long prefix, then anything
					b := []byte("SAMEPREF")
					for range rng.IntN(6) {
						b = append(b, alphabet[rng.IntN(len(alphabet))])
					}
					name = string(b)
				default: // any bytes, 0 to 12 of them
					b := make([]byte, rng.IntN(13))
					for i := range b {
						b[i] = alphabet[rng.IntN(len(alphabet))]
					}
					name = string(b)
				}
				if seen[name] {
					continue
				}
				seen[name] = true
				keys = append(keys, serverKey{prefix: namePrefix(name), name: name, e: &Server{Name: name}})
			}
			want := make([]string, len(keys))
			for i, k := range keys {
				want[i] = k.name
			}
			slices.Sort(want)
			got := sortServerKeys(keys)
			for i, e := range got {
				if e.Name != want[i] || keys[i].name != want[i] || keys[i].e != e {
					t.Fatalf("n %d round %d: entry %d = %q, want %q", n, round, i, e.Name, want[i])
				}
			}
		}
	}
}

// serverCursor finds what Group.Server finds, asked in order (a walk) or
// not (a search), present or not.
func TestServerCursor(t *testing.T) {
	g := &Group{}
	for _, n := range []string{"A", "AB", "B", "H0001", "H0002", "H0010", "Z"} {
		g.Servers = append(g.Servers, &Server{Name: n})
	}
	asks := [][]string{
		{"", "A", "AA", "AB", "B", "H0000", "H0001", "H0002", "H0003", "H0010", "Y", "Z", "ZZ"},
		{"Z", "A", "H0002", "H0001", "AB", "B", "B", "ZZ", "C"},
		{"H0010", "H0010", "A", "H0010", "Z"},
	}
	for _, names := range asks {
		c := serverCursor{g: g}
		for _, n := range names {
			if got, want := c.get(n), g.Server(n); got != want {
				t.Errorf("asked %q in %q: %v, want %v", n, names, got, want)
			}
		}
	}
}

// A flood's hosts, all of one segment, are copied into the snapshot
// sorted by name (by radix from radixSortMin), as are hosts of several
// segments (by segment, then name).
func TestSnapshotHostsSorted(t *testing.T) {
	for _, segs := range []int{1, 2} {
		var obs []Observation
		for i := range 700 {
			a := hostAnn(i+1, float64(i)/10, "10.1."+itoa(i/200)+"."+itoa(i%200+1), "WS"+itoa((i*7919)%700), "LABWG", 0x1003, time.Hour)
			if segs == 2 && i%3 == 0 {
				a.Segment = "other"
			}
			obs = append(obs, a)
		}
		_, s := replay(DefaultConfig(), obs)
		if len(s.Hosts) != 700 {
			t.Fatalf("%d segments: %d hosts, want 700", segs, len(s.Hosts))
		}
		if !slices.IsSortedFunc(s.Hosts, func(a, b *Host) int {
			if c := strings.Compare(a.Segment, b.Segment); c != 0 {
				return c
			}
			return strings.Compare(a.Name, b.Name)
		}) {
			t.Errorf("%d segments: hosts not sorted by segment and name", segs)
		}
	}
}

// rank leaves contenders without a ballot that are in order by name as
// they are, sorts them when they are not, and sorts contenders with
// ballots first, strongest first.
func TestRankOrder(t *testing.T) {
	names := []string{"A", "B", "C", "D", "E"}
	mk := func(order ...int) *Prediction {
		p := &Prediction{Workgroup: "WG", Segment: "seg/10.0.0.255"}
		for _, i := range order {
			p.Contenders = append(p.Contenders, Contender{Host: names[i]})
		}
		return p
	}
	for _, order := range [][]int{{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 0, 4, 1, 3}} {
		p := mk(order...)
		rank(p)
		for i, c := range p.Contenders {
			if c.Host != names[i] {
				t.Fatalf("order %v: contender %d = %s, want %s", order, i, c.Host, names[i])
			}
		}
	}
	p := mk(0, 1, 2, 3, 4)
	weak, strong := &Ballot{Criteria: 0x01000000}, &Ballot{Criteria: 0x20000000}
	p.Contenders[3].Ballot, p.Contenders[4].Ballot = weak, strong
	rank(p)
	if got := []string{p.Contenders[0].Host, p.Contenders[1].Host, p.Contenders[2].Host}; !slices.Equal(got, []string{"E", "D", "A"}) {
		t.Errorf("with ballots: %v first, want E, D, A", got)
	}
}
