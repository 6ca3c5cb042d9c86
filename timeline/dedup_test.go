package timeline

import (
	"net/netip"
	"testing"
)

// fnvBytes is FNV-1a over b a byte at a time, from f.
func fnvBytes(f fingerprint, b []byte) fingerprint {
	for _, c := range b {
		f.byte(c)
	}
	return f
}

// TestFingerprintWrittenOut: u64 and addr give what FNV-1a a byte at a
// time gives (the duplicate filter's answers depend on the values: a
// changed hash changes its collisions), for IPv4, IPv6, IPv4-mapped IPv6
// and invalid addresses, after any state.
func TestFingerprintWrittenOut(t *testing.T) {
	addrs := []netip.Addr{{}, netip.MustParseAddr("198.18.1.11"), netip.MustParseAddr("0.0.0.0"),
		netip.MustParseAddr("255.255.255.255"), netip.MustParseAddr("10.0.0.255"),
		netip.MustParseAddr("::ffff:198.18.1.11"), netip.MustParseAddr("fe80::1"), netip.MustParseAddr("::"),
		NodeAddr(TransportNetBEUI, 0, [6]byte{0, 0xc0, 0x4f, 1, 2, 3}), nodeBroadcast(TransportIPX)}
	vals := []uint64{0, 1, 0xff, 0x0102030405060708, 1<<64 - 1, 0x8000000000000000, 0x00ff00ff00ff00ff}
	for _, start := range []fingerprint{newFP('E'), newFP('N'), 0, 1<<64 - 1, 0x123456789abcdef0} {
		for _, a := range addrs {
			got, b := start, a.As16()
			got.addr(a)
			if want := fnvBytes(start, b[:]); got != want {
				t.Errorf("addr %v from %#x: %#x, want %#x", a, uint64(start), uint64(got), uint64(want))
			}
		}
		for _, v := range vals {
			got := start
			got.u64(v)
			var b [8]byte
			for i := range b {
				b[i] = byte(v >> (8 * i))
			}
			if want := fnvBytes(start, b[:]); got != want {
				t.Errorf("u64 %#x from %#x: %#x, want %#x", v, uint64(start), uint64(got), uint64(want))
			}
		}
	}
}
