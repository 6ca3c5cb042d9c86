package corpus

import (
	"path"
	"slices"
	"testing"
)

// TestNames: the list is sorted, has no duplicate, and names captures.
func TestNames(t *testing.T) {
	names := Names()
	if len(names) == 0 {
		t.Fatal("captures.txt lists nothing")
	}
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Error("captures.txt is not sorted, or lists a capture twice")
	}
	for _, n := range names {
		if m, _ := path.Match("*.pcap*", path.Base(n)); !m || path.IsAbs(n) || path.Clean(n) != n {
			t.Errorf("%q is not the relative path of a pcap or pcapng file", n)
		}
	}
}
