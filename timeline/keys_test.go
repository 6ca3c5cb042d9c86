package timeline

import (
	"math/rand"
	"net/netip"
	"slices"
	"testing"
)

// TestLessJoined: the struct keys break eviction ties exactly as the
// NUL-joined string keys they replaced did.
func TestLessJoined(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	alphabet := "\x00\x01 AB\xff"
	str := func() string {
		b := make([]byte, r.Intn(4))
		for i := range b {
			b[i] = alphabet[r.Intn(len(alphabet))]
		}
		return string(b)
	}
	for i := 0; i < 200000; i++ {
		a1, a2, b1, b2 := str(), str(), str(), str()
		a3, b3 := "", ""
		if r.Intn(2) == 0 {
			a3, b3 = string(rune(r.Intn(256))), string(rune(r.Intn(256)))
		}
		ja, jb := a1+"\x00"+a2, b1+"\x00"+b2
		if a3 != "" {
			ja += "\x00" + a3
		}
		if b3 != "" {
			jb += "\x00" + b3
		}
		if got, want := lessJoined(a1, a2, a3, b1, b2, b3), ja < jb; got != want {
			t.Fatalf("lessJoined(%q, %q, %q, %q, %q, %q) = %v, want %v", a1, a2, a3, b1, b2, b3, got, want)
		}
	}
}

// TestSortedServersOrder: sorting by the 8-byte prefix first gives the
// order of the names as strings, on names that share, end within or pass
// the prefix, with NULs and high bytes.
func TestSortedServersOrder(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	alphabet := "\x00\x01AB\xff"
	for round := 0; round < 200; round++ {
		m := make(map[string]*Server)
		for range 50 {
			b := make([]byte, 6+r.Intn(5))
			for i := range b {
				b[i] = alphabet[r.Intn(len(alphabet))]
			}
			m[string(b)] = &Server{Name: string(b)}
		}
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		slices.Sort(names)
		got := sortedServers(m)
		for i, e := range got {
			if e.Name != names[i] {
				t.Fatalf("round %d: entry %d is %q, want %q", round, i, e.Name, names[i])
			}
		}
	}
}

// TestV4KeyNumber holds v4key (read from As4, inlined) to the
// address's four bytes in network order, for IPv4 and IPv4-mapped
// addresses alike.
func TestV4KeyNumber(t *testing.T) {
	for _, s := range []string{"0.0.0.0", "1.2.3.4", "198.18.1.127", "255.255.255.255", "10.0.0.1", "128.0.0.0", "::ffff:198.18.2.255"} {
		a := netip.MustParseAddr(s)
		b := a.As4()
		want := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		if got := v4key(a); got != want {
			t.Errorf("v4key(%s) = %#x, want %#x", s, got, want)
		}
	}
	if v4key(netip.MustParseAddr("198.18.1.17")) != 0xc6120111 {
		t.Errorf("v4key(198.18.1.17) = %#x", v4key(netip.MustParseAddr("198.18.1.17")))
	}
}

// BenchmarkCanBroadcast is the broadcast test of every directed
// broadcast an observation places (where, ownBroadcast): about 3 ns with
// v4key read from As4, 15 ns from As16 (a store-forwarding stall on
// each of its two keys).
func BenchmarkCanBroadcast(b *testing.B) {
	var addrs [64]netip.Addr
	for i := range addrs {
		addrs[i] = netip.AddrFrom4([4]byte{10, 0, byte(i / 8), byte(i*37 + 1)})
	}
	addrs[5] = netip.AddrFrom4([4]byte{10, 0, 0, 255})
	n := 0
	for i := 0; i < b.N; i++ {
		if canBroadcast(addrs[i&63], addrs[(i*7)&63]) {
			n++
		}
	}
	if n < 0 {
		b.Fatal(n)
	}
}
