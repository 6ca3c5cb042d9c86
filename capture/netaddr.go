package capture

import (
	"net"
	"net/netip"
)

// ipNetPrefix converts an address and mask to a prefix; an IPv4 address
// stored in 16 bytes becomes a plain IPv4 prefix. A missing or
// non-contiguous mask gives a host prefix.
func ipNetPrefix(ip net.IP, mask net.IPMask) (netip.Prefix, bool) {
	addr, ok := netip.AddrFromSlice(ip)
	if !ok {
		return netip.Prefix{}, false
	}
	addr = addr.Unmap()
	ones, bits := mask.Size()
	if bits == 128 && addr.Is4() && ones >= 96 {
		ones, bits = ones-96, 32
	}
	if bits == 0 || bits != addr.BitLen() {
		ones = addr.BitLen()
	}
	return netip.PrefixFrom(addr, ones), true
}
