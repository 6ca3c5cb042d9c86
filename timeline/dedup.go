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
	*f *= fnvPrime
}

func (f *fingerprint) str(s string) {
	for i := 0; i < len(s); i++ {
		f.byte(s[i])
	}
	f.byte(0xff)
}

// (u64 and addr give the values of FNV-1a a byte at a time, written
// out: the loops' counters and shifts were most of the instructions of
// a fingerprint, on every browser frame and NBNS response.)

const fnvPrime = 1099511628211

// fnvPrime10 is fnvPrime to the 10th power (mod 2^64): FNV-1a over ten
// zero bytes, whose xors change nothing, is ten multiplications by
// fnvPrime.
const fnvPrime10 = fnvPrime * fnvPrime * fnvPrime * fnvPrime * fnvPrime * fnvPrime * fnvPrime * fnvPrime * fnvPrime * fnvPrime % (1 << 64)

func (f *fingerprint) u64(v uint64) {
	x := *f
	x = (x ^ fingerprint(v&0xff)) * fnvPrime
	x = (x ^ fingerprint(v>>8&0xff)) * fnvPrime
	x = (x ^ fingerprint(v>>16&0xff)) * fnvPrime
	x = (x ^ fingerprint(v>>24&0xff)) * fnvPrime
	x = (x ^ fingerprint(v>>32&0xff)) * fnvPrime
	x = (x ^ fingerprint(v>>40&0xff)) * fnvPrime
	x = (x ^ fingerprint(v>>48&0xff)) * fnvPrime
	x = (x ^ fingerprint(v>>56)) * fnvPrime
	*f = x
}

// addr is FNV-1a over a's 16 bytes (As16). An IPv4 address's are ten
// zeros, two 0xff and its four.
func (f *fingerprint) addr(a netip.Addr) {
	if a.Is4() {
		b := a.As4()
		x := *f * fnvPrime10
		x = (x ^ 0xff) * fnvPrime
		x = (x ^ 0xff) * fnvPrime
		x = (x ^ fingerprint(b[0])) * fnvPrime
		x = (x ^ fingerprint(b[1])) * fnvPrime
		x = (x ^ fingerprint(b[2])) * fnvPrime
		x = (x ^ fingerprint(b[3])) * fnvPrime
		*f = x
		return
	}
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
