package timeline

import (
	"net/netip"
	"time"
)

// Duplicates: Samba sends most broadcasts once per bound interface, so a
// capture can hold the same frame more than once. A frame whose content
// was seen within DupWindow is not a new event.

// fingerprint is FNV-1a over the fields that make two frames the same.
type fingerprint uint64

func newFP(kind byte) fingerprint {
	f := fingerprint(14695981039346656037)
	f.byte(kind)
	return f
}

func (f *fingerprint) byte(c byte) {
	*f ^= fingerprint(c)
	*f *= 1099511628211
}

func (f *fingerprint) str(s string) {
	for i := 0; i < len(s); i++ {
		f.byte(s[i])
	}
	f.byte(0xff)
}

func (f *fingerprint) u64(v uint64) {
	for i := 0; i < 8; i++ {
		f.byte(byte(v >> (8 * i)))
	}
}

func (f *fingerprint) addr(a netip.Addr) {
	b := a.As16()
	for _, c := range b {
		f.byte(c)
	}
}

// duplicate reports whether the same content was seen within DupWindow
// (and records it).
func (t *Tracker) duplicate(f fingerprint, now time.Time) bool {
	k := uint64(f)
	// Times compared with a window added, not by a Sub (which checks
	// its difference with an Add and an Equal): the same answers.
	if prev, ok := t.dedup[k]; ok && !now.Before(prev) && !now.After(prev.Add(t.cfg.DupWindow)) {
		return true
	}
	if len(t.dedup) >= 4096 {
		for key, at := range t.dedup {
			if now.After(at.Add(t.cfg.DupWindow)) {
				delete(t.dedup, key)
			}
		}
		if len(t.dedup) >= 4096 {
			clear(t.dedup)
		}
	}
	t.dedup[k] = now
	return false
}
