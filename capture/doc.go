// Package capture is where frames come from and where they are written:
// capture files, standard input, live interfaces, the merge of several of
// those, and pcapng output.
//
// # Sources
//
// A Source hands out one Packet at a time. Packet.Data is zero copy: it is
// valid until the next call to Next on the same Source, and reading a pcap
// file allocates nothing per frame once the record buffer has grown.
// Packet.LinkType tells how Data starts; decoding the link layer (Ethernet,
// 802.1Q, Linux SLL, raw IP, ...) is not this package's job, it belongs to
// the dissectors. Packet.Source is the input's index, in command-line order.
//
//   - OpenFile("FILE" or "LABEL=FILE", index) and OpenReader(r, label,
//     index) read files. "-" is standard input.
//   - OpenLive(iface, LiveOptions) captures on an interface.
//   - Merge(sources) interleaves several inputs by timestamp (a min-heap;
//     ties keep input order), still zero copy.
//
// # File formats
//
// The format is recognised by the first bytes, never by the file name:
//
//   - pcap, either byte order, microsecond (a1b2c3d4) or nanosecond
//     (a1b23c4d) timestamps. The link type is the file header's. The
//     "modified" pcap formats (a1b2cd34, ...) are not supported.
//   - pcapng, either byte order, any number of sections (files simply
//     concatenated, as cat a.pcapng b.pcapng makes) and of interfaces, with
//     different link types: each frame's link type is its interface's.
//     Packet.CI.InterfaceIndex is the interface id within its section; it
//     is -1 for a pcap record, which names no interface (tshark has no
//     frame.interface_id there either).
//   - gzip of either (1f 8b), decompressed on the fly.
//
// Files are read through a 256 KiB buffer and a byte counter. A pcap
// record is handed out as a slice of that buffer, with no copy (pcapgo
// reads the file header only; window.go), which makes reading a pcap file
// cheaper than pcapgo's own zero-copy loop; pcapng blocks go through
// pcapgo's reader. A file cut in
// the middle of a record (or of its header) gives every whole record, then
// a *TruncatedError with the byte offset where the data ends and the number
// of records read; for a gzip file the offset counts decompressed bytes. A
// lying header or record (impossible length, unknown interface, a record
// over MaxRecordSize) gives a *FileError wrapping ErrMalformed, with the
// offset where that read began; data that is no capture at all,
// ErrUnknownFormat. Either way the Source then ends: a damaged file is not
// resynchronised.
// Lengths from the file are never trusted to size an allocation: records
// over MaxRecordSize (256 KiB, libpcap's largest snap length) are refused
// before they are read, and one call to Next reads at most 64 MiB. Errors
// name the file (or the reader's label) first.
//
// # Live capture and privileges
//
// The default build is pure Go (no cgo). On linux it opens an AF_PACKET
// socket (pcapgo.EthernetHandle) and attaches a hand-assembled classic BPF
// program, so the kernel copies only NetBIOS frames to user space: IPv4 UDP
// 137 and 138, TCP 139 and 445, either direction, untagged or behind one
// 802.1Q tag, plus non-first fragments of UDP datagrams (they carry no
// ports; passing them lets IPv4 reassembly rebuild large NBT datagrams).
// NBTFilter is the equivalent tcpdump expression (tested against libpcap's
// compilation of it on every frame of the test corpus). Interfaces with an
// Ethernet header (Ethernet, loopback) and without link header (tun, PPP,
// raw IP) are supported; on loopback the program also drops the outgoing
// copy of each frame, as libpcap does. The program is rerun in user space
// on each frame, to drop what was queued before it was attached. A VLAN
// tag the kernel strips is not in Data; its id is in CI.AncillaryData[0].
// LiveOptions.Snaplen below 96 is raised to 96 so ports stay visible. Tunnelled traffic (GRE, ERSPAN, VXLAN) and IPv6
// are filtered out. LiveOptions.Filter is ignored (CompilesFilters is
// false). On other systems OpenLive returns an error asking for linux or
// the pcap build tag.
//
// Built with -tags pcap, live capture goes through libpcap
// (gopacket/pcap, cgo): any interface libpcap knows, LiveOptions.Filter
// compiled by libpcap (NBTFilter when empty; an expression libpcap rejects
// is an error naming it), and ListInterfaces from pcap_findalldevs.
//
// Either way live capture needs root or the CAP_NET_RAW capability (for
// example: sudo setcap cap_net_raw+ep nbtsniff). Without it OpenLive
// returns a *PermissionError, which reads
//
//	live capture on eth0 needs root or the CAP_NET_RAW capability (socket: operation not permitted)
//
// and satisfies errors.Is(err, os.ErrPermission). Reading files needs no
// privilege. Closing a live Source from another goroutine ends a blocked
// Next with io.EOF; Stats may be read from any goroutine.
//
// # Writing
//
// Writer writes pcapng with one interface per (input, link type), created
// on demand, so a merge of an Ethernet and a raw IP capture round-trips
// with each frame's link type and nanosecond timestamp intact.
package capture
