package timeline

import (
	"strings"
	"testing"
)

// TestCanonName: the memo answers what canon answers, for the same
// string again, for strings sharing its bytes' address with another
// length (a prefix), for an equal string elsewhere, for strings that
// take each other's slots, and for the empty string.
func TestCanonName(t *testing.T) {
	tr := New(DefaultConfig(), nil)
	base := strings.Repeat("x", 0) + "alpha  \x00beta gamma" // (built at run time)
	var names []string
	for i := 0; i <= len(base); i++ {
		names = append(names, base[:i]) // every prefix: one address, every length
	}
	for i := 0; i < len(base); i++ {
		names = append(names, base[i:])
	}
	names = append(names, "", "LABWG", "labwg", "LabWg  ", "PC7\x00\x00", " ", strings.Clone("labwg"))
	for i := range 3000 { // more names than slots: each slot is taken over
		names = append(names, "host"+itoa(i)+" ")
	}
	for round := range 3 {
		for _, s := range names {
			if got, want := tr.canonName(s), canon(s); got != want {
				t.Fatalf("round %d: canonName(%q) = %q, want %q", round, s, got, want)
			}
		}
	}
}
