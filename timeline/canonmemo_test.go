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

// TestSameString holds sameString to ==: the same string, an equal one
// at another address, a prefix at the same address, another string of
// the same length, empty strings.
func TestSameString(t *testing.T) {
	b := []byte("SEG1/198.18.1.255")
	s := string(b)
	other := string(b) // equal, other bytes
	cases := []struct {
		a, b string
		want bool
	}{
		{s, s, true},
		{s, other, true},
		{s, s[:4], false},
		{s[:4], s[:4], true},
		{s[:4], "SEG1", true},
		{s[:4], "SEG2", false},
		{s, "SEG1/198.18.1.254", false},
		{"", "", true},
		{"", s[:0], true},
		{s[5:], s[:len(s)-5], false},
	}
	for _, c := range cases {
		if got := sameString(c.a, c.b); got != c.want || got != (c.a == c.b) {
			t.Errorf("sameString(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
