//go:build pcap

package capture

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcap"
)

// defaultFilter is the expression for an interface of link type lt: the
// vlan keyword exists only for Ethernet. (The pure-Go backend runs the
// same filter as a program: nbtProgram.)
func defaultFilter(lt layers.LinkType) string {
	if lt == layers.LinkTypeEthernet {
		return NBTFilter
	}
	return nbtIPv4
}

// CompilesFilters reports whether OpenLive honours LiveOptions.Filter: the
// libpcap backend compiles BPF expressions.
const CompilesFilters = true

// pollInterval bounds how long a blocked Next takes to notice Close.
const pollInterval = 250 * time.Millisecond

// OpenLive captures on iface through libpcap, in immediate mode. It
// compiles opts.Filter, or NBTFilter (the IPv4 part of it on links other
// than Ethernet) when opts.Filter is empty; an expression libpcap rejects
// is an error naming it. Without privilege the error is a
// *PermissionError.
func OpenLive(iface string, opts LiveOptions) (Source, error) {
	h, err := activate(iface, opts)
	if err != nil {
		return nil, err
	}
	expr := opts.Filter
	if expr == "" {
		expr = defaultFilter(linkTypeOfDLT(h.LinkType()))
	}
	if err := h.SetBPFFilter(expr); err != nil {
		h.Close()
		return nil, fmt.Errorf("live capture on %s: filter %q: %w", iface, expr, err)
	}
	return &pcapSource{iface: iface, index: opts.Index, h: h, linkType: linkTypeOfDLT(h.LinkType())}, nil
}

// DLT_RAW values: libpcap hands out the platform's DLT, files and the rest
// of nbtsniff use LINKTYPE_RAW (101).
const (
	dltRaw        = 12
	dltRawOpenBSD = 14
)

// linkTypeOfDLT maps the DLT values that differ from their LINKTYPE.
func linkTypeOfDLT(dlt layers.LinkType) layers.LinkType {
	if dlt == dltRaw || dlt == dltRawOpenBSD {
		return layers.LinkTypeRaw
	}
	return dlt
}

// activate opens and configures the libpcap handle.
func activate(iface string, opts LiveOptions) (*pcap.Handle, error) {
	in, err := pcap.NewInactiveHandle(iface)
	if err != nil {
		return nil, fmt.Errorf("live capture on %s: %w", iface, err)
	}
	defer in.CleanUp()
	if err := configure(in, opts); err != nil {
		return nil, fmt.Errorf("live capture on %s: %w", iface, err)
	}
	h, err := in.Activate()
	if err != nil {
		return nil, activateError(iface, err)
	}
	return h, nil
}

func configure(in *pcap.InactiveHandle, opts LiveOptions) error {
	snaplen := opts.Snaplen
	if snaplen <= 0 || snaplen > MaxRecordSize {
		snaplen = MaxRecordSize
	}
	if err := in.SetSnapLen(snaplen); err != nil {
		return fmt.Errorf("snap length %d: %w", snaplen, err)
	}
	if err := in.SetPromisc(opts.Promisc); err != nil {
		return fmt.Errorf("promiscuous mode: %w", err)
	}
	if err := in.SetTimeout(pollInterval); err != nil {
		return fmt.Errorf("read timeout: %w", err)
	}
	if err := in.SetImmediateMode(true); err != nil {
		return fmt.Errorf("immediate mode: %w", err)
	}
	return nil
}

// activateError explains a failed pcap_activate. gopacket does not export
// its activation error type; "Permission Denied" is PCAP_ERROR_PERM_DENIED.
func activateError(iface string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "Permission Denied") || strings.Contains(msg, "Operation not permitted") {
		return &PermissionError{Iface: iface, Op: "pcap activate", Err: err}
	}
	return fmt.Errorf("live capture on %s: %w", iface, err)
}

// pcapSource reads a libpcap handle.
type pcapSource struct {
	iface    string
	index    int
	h        *pcap.Handle
	linkType layers.LinkType
	closed   atomic.Bool
	mu       sync.Mutex // Close against Stats
	last     Stats      // counters at the last Stats call
}

// Next returns the next frame; it polls so that Close from another
// goroutine ends it within pollInterval.
func (s *pcapSource) Next(p *Packet) error {
	for {
		data, ci, err := s.h.ZeroCopyReadPacketData()
		switch {
		case s.closed.Load():
			return io.EOF
		case errors.Is(err, pcap.NextErrorTimeoutExpired):
			continue
		case err == io.EOF:
			return io.EOF
		case err != nil:
			return fmt.Errorf("live capture on %s: %w", s.iface, err)
		}
		ci.Timestamp = ci.Timestamp.UTC()
		p.Data, p.CI, p.LinkType, p.Source = data, ci, s.linkType, s.index
		return nil
	}
}

func (s *pcapSource) Label() string { return s.iface }

// Stats are libpcap's counters (pcap_stats), already cumulative.
func (s *pcapSource) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed.Load() {
		return s.last
	}
	s.update()
	return s.last
}

// update reads libpcap's counters into last.
func (s *pcapSource) update() {
	st, err := s.h.Stats()
	if err != nil {
		return
	}
	s.last = Stats{
		Received:  uint64(st.PacketsReceived),
		Dropped:   uint64(st.PacketsDropped),
		IfDropped: uint64(st.PacketsIfDropped),
	}
}

func (s *pcapSource) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed.Load() {
		return nil
	}
	s.update()
	s.closed.Store(true)
	s.h.Close()
	return nil
}

// pcap_if_t flags (pcap/pcap.h).
const (
	pcapIfLoopback = 0x1
	pcapIfUp       = 0x2
)

// ListInterfaces lists the devices libpcap can capture on (for -D).
func ListInterfaces() ([]Interface, error) {
	devs, err := pcap.FindAllDevs()
	if err != nil {
		return nil, fmt.Errorf("list interfaces: %w", err)
	}
	out := make([]Interface, 0, len(devs))
	for _, d := range devs {
		out = append(out, Interface{
			Name:        d.Name,
			Description: d.Description,
			Addresses:   pcapPrefixes(d.Addresses),
			Up:          d.Flags&pcapIfUp != 0,
			Loopback:    d.Flags&pcapIfLoopback != 0,
		})
	}
	return out, nil
}

func pcapPrefixes(addrs []pcap.InterfaceAddress) []netip.Prefix {
	var out []netip.Prefix
	for _, a := range addrs {
		if p, ok := ipNetPrefix(a.IP, a.Netmask); ok {
			out = append(out, p)
		}
	}
	return out
}
