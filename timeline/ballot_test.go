package timeline

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestBallotOrderIsCompare: ballotOrder, the sign alone, is the sign of
// compareBallots for ballots that differ in each field in turn (version,
// criteria, uptime with either carried forward, names that differ in
// case only or in length), so the callers that only ask who wins decide
// as before.
func TestBallotOrderIsCompare(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	names := []string{"ALPHA", "alpha", "ALPHA2", "BRAVO", "", "Bravo"}
	ballot := func() Ballot {
		return Ballot{Version: uint8(r.IntN(2)), Criteria: uint32(r.IntN(2))<<24 | uint32(r.IntN(2))<<8 | uint32(r.IntN(2)),
			Uptime: uint32(r.IntN(3) * 500), Name: names[r.IntN(len(names))]}
	}
	seen := map[int]int{}
	for range 100000 {
		a, b := ballot(), ballot()
		shift := time.Duration(r.IntN(5)-2) * 250 * time.Millisecond
		want, field, _ := compareBallots(a, b, shift)
		if got := ballotOrder(a, b, shift); got != want {
			t.Fatalf("ballotOrder(%+v, %+v, %v) = %d, compareBallots %d (%s)", a, b, shift, got, want, field)
		}
		seen[want]++
		ta := time.Unix(1e9, 0)
		if got, want := orderAt(a, ta, b, ta.Add(shift)), ballotOrder(a, b, shift); got != want {
			t.Fatalf("orderAt %d, ballotOrder %d", got, want)
		}
	}
	if seen[-1] == 0 || seen[0] == 0 || seen[1] == 0 {
		t.Fatalf("signs seen: %v", seen)
	}
}
