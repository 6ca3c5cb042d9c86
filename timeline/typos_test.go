package timeline

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestTypoIndexMatchesScan: after any sequence of groups made and
// forgotten, the near-misses of each group among its index's candidates
// are the near-misses a scan of every group of its segment finds, in the
// same order (what checkTypos did before the index).
func TestTypoIndexMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	// A few edits of a few names make near-misses common; digits make
	// names that differ in digits only, the invalid bytes names that are
	// not UTF-8.
	seeds := []string{"WORKGROUP", "LABWG", "ACCT7", "WG000012", "DOM\xc3\xa9IN"}
	pieces := []string{"A", "B", "1", "2", "\xff", "\xc3", "\xa9", "é"}
	name := func() string {
		s := seeds[r.IntN(len(seeds))]
		for range r.IntN(4) {
			i := r.IntN(len(s) + 1)
			switch r.IntN(4) {
			case 0: // insert
				s = s[:i] + pieces[r.IntN(len(pieces))] + s[i:]
			case 1: // delete
				if i < len(s) {
					s = s[:i] + s[i+1:]
				}
			case 2: // substitute
				if i < len(s) {
					s = s[:i] + pieces[r.IntN(len(pieces))] + s[i+1:]
				}
			default: // transpose
				if i+1 < len(s) {
					s = s[:i] + s[i+1:i+2] + s[i:i+1] + s[i+2:]
				}
			}
		}
		return s
	}
	x := newTypoIndex()
	bySeg := map[string][]*group{}
	pairs := 0
	for step := range 3000 {
		seg := []string{"S1", "S2"}[r.IntN(2)]
		gs := bySeg[seg]
		if r.IntN(3) == 0 && len(gs) > 0 {
			i := r.IntN(len(gs))
			x.remove(gs[i])
			bySeg[seg] = slices.Delete(gs, i, i+1)
			continue
		}
		g := &group{seg: seg, wg: name()}
		if slices.ContainsFunc(gs, func(o *group) bool { return o.wg == g.wg }) {
			continue
		}
		i, _ := slices.BinarySearchFunc(gs, g.wg, func(o *group, wg string) int { return strings.Compare(o.wg, wg) })
		gs = slices.Insert(gs, i, g)
		bySeg[seg] = gs
		x.add(g)
		for _, h := range []*group{g, gs[r.IntN(len(gs))]} {
			var want, got []string
			for _, o := range gs {
				if o != h {
					if d, _ := nearMiss(h.wg, o.wg); d > 0 {
						want = append(want, o.wg)
					}
				}
			}
			for _, o := range x.candidates(h, gs) {
				if o != h {
					if d, _ := nearMiss(h.wg, o.wg); d > 0 {
						got = append(got, o.wg)
					}
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("step %d: near-misses of %q on %s: index %q, scan %q", step, h.wg, seg, got, want)
			}
			pairs += len(want)
		}
	}
	if pairs < 1000 {
		t.Fatalf("only %d near-misses found: the test does not exercise the index", pairs)
	}
}
