//go:build !linux && !pcap

package capture

import "fmt"

// CompilesFilters reports whether OpenLive honours LiveOptions.Filter: only
// the libpcap backend (-tags pcap) compiles BPF expressions.
const CompilesFilters = false

// OpenLive fails: the pure-Go backend uses AF_PACKET sockets, which only
// linux has. Build with -tags pcap to capture through libpcap.
func OpenLive(iface string, opts LiveOptions) (Source, error) {
	return nil, fmt.Errorf("live capture on %s needs linux or the pcap build tag (go build -tags pcap)", iface)
}

// linkDescription has nothing to say without libpcap or linux sysfs.
func linkDescription(string) string { return "" }
