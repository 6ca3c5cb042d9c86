package capture

import (
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// MaxRecordSize is the largest frame a Source hands on: libpcap's
// MAXIMUM_SNAPLEN (256 KiB). A file record that claims more is reported as
// malformed instead of being allocated, so a lying length field cannot make
// the reader allocate gigabytes.
const MaxRecordSize = 262144

// Packet is one captured frame. Data is valid only until the next call to
// Next on the same Source (zero copy): copy it to keep it.
type Packet struct {
	Data []byte
	// CI holds Timestamp (UTC for files), CaptureLength (== len(Data)),
	// Length (on the wire) and InterfaceIndex (the pcapng interface within
	// its section, the kernel interface index for live capture, -1 for a
	// pcap file, whose records name no interface).
	// AncillaryData is nil, except for live pure-Go capture on a VLAN whose
	// tag the kernel stripped: then AncillaryData[0] is the VLAN id (int).
	CI gopacket.CaptureInfo
	// LinkType says how Data starts (Ethernet, Linux SLL, raw IP, ...).
	// Decoding the link layer is the caller's job.
	LinkType layers.LinkType
	// Source is the index of the input this frame came from, in the order
	// given on the command line (the index passed to OpenFile, OpenReader or
	// LiveOptions.Index).
	Source int
	// Offset is where Data starts in its file, so that the frame can be
	// read again from there (os.File.ReadAt); 0, where no data can start
	// (a file starts with its header), when it cannot be: live capture, a
	// gzip-compressed file, a pcapng packet block that other blocks
	// preceded in the same read.
	Offset int64
}

// Source delivers frames one at a time.
type Source interface {
	// Next fills p with the next frame. It returns io.EOF at the end and a
	// *TruncatedError when a file is cut mid-record, after the last whole
	// record was returned. Any error is returned once; a file Source then
	// returns io.EOF, a merged Source goes on with its other inputs.
	Next(p *Packet) error
	// Label names the input: "A" for -r A=file.pcap, else the file path
	// ("stdin" for "-"), or the interface name.
	Label() string
	// Stats reports counters so far. It may be called from any goroutine.
	Stats() Stats
	// Close releases the input. Closing a live Source from another goroutine
	// ends a blocked Next with io.EOF.
	Close() error
}

// Stats are a Source's counters. Zero means none or not known.
type Stats struct {
	// Received is the number of records read (files), or the number of
	// frames the kernel accepted through the filter, dropped ones included,
	// as libpcap counts ps_recv (live).
	Received uint64
	// Dropped is the number of frames the kernel dropped because the
	// capture buffer was full (live only).
	Dropped uint64
	// IfDropped is the number of frames the interface or driver dropped
	// (live, libpcap backend only).
	IfDropped uint64
}

func (s Stats) add(o Stats) Stats {
	return Stats{
		Received:  s.Received + o.Received,
		Dropped:   s.Dropped + o.Dropped,
		IfDropped: s.IfDropped + o.IfDropped,
	}
}

// LiveOptions configure OpenLive.
type LiveOptions struct {
	// Snaplen is the most bytes kept of each frame; 0 means MaxRecordSize.
	Snaplen int
	// Promisc puts the interface in promiscuous mode.
	Promisc bool
	// Filter is a BPF expression (tcpdump syntax). Only the libpcap backend
	// (-tags pcap, see CompilesFilters) compiles expressions, and it uses
	// NBTFilter when Filter is empty. The pure-Go backend ignores Filter and
	// always runs its built-in program, which passes what NBTFilter passes.
	Filter string
	// Index is the Packet.Source of the frames of this capture.
	Index int
}

// Interface describes a network interface for -D.
type Interface struct {
	Name        string
	Description string
	Addresses   []netip.Prefix
	Up          bool
	Loopback    bool
}
