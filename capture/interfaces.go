//go:build !pcap

package capture

import (
	"fmt"
	"net"
	"net/netip"
)

// ListInterfaces lists the network interfaces (for -D), from the operating
// system. Description is the link type the pure-Go backend would hand on.
func ListInterfaces() ([]Interface, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("list interfaces: %w", err)
	}
	out := make([]Interface, 0, len(ifs))
	for _, ifc := range ifs {
		addrs, err := ifc.Addrs()
		if err != nil {
			return nil, fmt.Errorf("list interfaces: %s: %w", ifc.Name, err)
		}
		out = append(out, Interface{
			Name:        ifc.Name,
			Description: linkDescription(ifc.Name),
			Addresses:   prefixes(addrs),
			Up:          ifc.Flags&net.FlagUp != 0,
			Loopback:    ifc.Flags&net.FlagLoopback != 0,
		})
	}
	return out, nil
}

// prefixes keeps the IP networks among addrs.
func prefixes(addrs []net.Addr) []netip.Prefix {
	var out []netip.Prefix
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		if p, ok := ipNetPrefix(ipn.IP, ipn.Mask); ok {
			out = append(out, p)
		}
	}
	return out
}
