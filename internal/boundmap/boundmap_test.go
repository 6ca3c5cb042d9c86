package boundmap

import "testing"

// Remake keeps every entry, and makes room for the bound up to To.
func TestRemake(t *testing.T) {
	m := map[int]string{}
	for i := range At {
		m[i] = string(rune('a' + i%26))
	}
	n := Remake(m, 4096)
	if len(n) != len(m) {
		t.Fatalf("%d entries after Remake, want %d", len(n), len(m))
	}
	for k, v := range m {
		if n[k] != v {
			t.Errorf("entry %d: %q, want %q", k, n[k], v)
		}
	}
	if Room(4096) != To || Room(300) != 300 {
		t.Errorf("Room(4096) = %d, Room(300) = %d; want %d and 300", Room(4096), Room(300), To)
	}
}
