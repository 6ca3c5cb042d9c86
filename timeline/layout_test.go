package timeline

import (
	"testing"
	"unsafe"
)

// TestObservationSizes holds the observations the engines write and the
// writer reads to their packed sizes: each cache line of one is a
// transfer between the cores (the adapter runs on the engines, the
// tracker on the writer), and each arena page holds more of them. A
// field moved back between wider ones pads the struct and fails here.
func TestObservationSizes(t *testing.T) {
	for _, c := range []struct {
		name       string
		size, want uintptr
	}{
		{"Meta", unsafe.Sizeof(Meta{}), 136},
		{"NameEvent", unsafe.Sizeof(NameEvent{}), 192},
		{"Announcement", unsafe.Sizeof(Announcement{}), 184},
		{"Election", unsafe.Sizeof(Election{}), 168},
	} {
		if c.size != c.want {
			t.Errorf("%s is %d bytes, want %d", c.name, c.size, c.want)
		}
	}
}
