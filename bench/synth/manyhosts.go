package synth

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/capture"
)

// The many-hosts capture (issue 15): one HostAnnouncement from each of N
// distinct hosts, 10 ms apart, each with its own IPv4 address (10.x.y.z),
// NetBIOS source name and server name (H0000000, H0000001, ...),
// announcing into one workgroup (the template's, LABWG) or into several
// in turn (WG000000, ...). The template is frame 6 of
// testdata/pcaps/storm.pcapng (a Samba HostAnnouncement), read at run
// time; the UDP checksum is set to zero (none) and the IPv4 header
// checksum recomputed. The same arguments always give the same file.
// (The IPv4 sources are not on the template's subnet, 198.18.1.0/24, so
// the tracker takes each announcement for one forwarded from another
// subnet, as a relay would.)

// Offsets in the template (Ethernet, IPv4 without options, UDP 138,
// NBDGM direct group datagram, SMB mailslot, HostAnnouncement).
const (
	mhIPSrc   = 26   // IPv4 source address
	mhIPCsum  = 24   // IPv4 header checksum
	mhUDPCsum = 40   // UDP checksum
	mhDgmSrc  = 0x2e // NBDGM source IP
	mhSrcName = 0x39 // NBDGM source name, first-level encoded (32 bytes)
	mhDstName = 0x5b // NBDGM destination name, first-level encoded
	mhServer  = 0xd8 // HostAnnouncement server name (16 bytes, NUL padded)
	mhLen     = 265
)

// MaxManyHosts is the most hosts WriteManyHosts numbers apart (10.x.y.z).
const MaxManyHosts = 1 << 24

// The many-elections capture: the same hosts, each sending one
// RequestElection (frame 101 of storm.pcapng, CHARLIE's) to its
// workgroup<1e> instead, so that with -groups every frame starts an
// election in a workgroup (elections in many workgroups). The host names
// have 7 letters (H000000, ...), as CHARLIE has, so no length changes.
const (
	meServer = 0xe0 // RequestElection server name, NUL terminated
	meLen    = 232
	// MaxManyElections is the most hosts WriteManyElections names apart.
	MaxManyElections = 1000000
)

// ManyHostsTemplate reads the template frame from the repository root.
func ManyHostsTemplate(root string) ([]byte, error) {
	fr, path, err := stormFrame(root, 6)
	if err != nil {
		return nil, err
	}
	if len(fr) != mhLen || string(fr[mhServer:mhServer+7]) != "CHARLIE" || fr[mhSrcName-1] != 0x20 || fr[mhDstName-1] != 0x20 {
		return nil, fmt.Errorf("%s: frame 6 is not the HostAnnouncement of CHARLIE the many-hosts capture is made from", path)
	}
	return fr, nil
}

// ManyElectionsTemplate reads the template frame of the many-elections
// capture from the repository root.
func ManyElectionsTemplate(root string) ([]byte, error) {
	fr, path, err := stormFrame(root, 101)
	if err != nil {
		return nil, err
	}
	if len(fr) != meLen || string(fr[meServer:]) != "CHARLIE\x00" || fr[meServer-14] != 0x08 ||
		fr[mhSrcName-1] != 0x20 || fr[mhDstName-1] != 0x20 {
		return nil, fmt.Errorf("%s: frame 101 is not the RequestElection of CHARLIE the many-elections capture is made from", path)
	}
	return fr, nil
}

// stormFrame reads frame n of testdata/pcaps/storm.pcapng.
func stormFrame(root string, n int) ([]byte, string, error) {
	path := filepath.Join(root, "testdata", "pcaps", "storm.pcapng")
	src, err := capture.OpenFile(path, 0)
	if err != nil {
		return nil, path, err
	}
	defer src.Close()
	var p capture.Packet
	for i := 1; i <= n; i++ {
		if err := src.Next(&p); err != nil {
			if errors.Is(err, io.EOF) {
				return nil, path, fmt.Errorf("%s: fewer than %d frames", path, n)
			}
			return nil, path, err
		}
	}
	return append([]byte(nil), p.Data...), path, nil
}

// WriteManyHosts writes the many-hosts capture of hosts frames (at most
// MaxManyHosts) announcing into groups workgroups to w, as a pcap file.
func WriteManyHosts(w io.Writer, templ []byte, hosts, groups int) error {
	if hosts < 0 || hosts > MaxManyHosts || groups < 1 || len(templ) != mhLen {
		return fmt.Errorf("many hosts: %d hosts, %d groups, a %d-byte template: out of range", hosts, groups, len(templ))
	}
	return writeMany(w, templ, hosts, groups, stampHost)
}

// WriteManyElections writes the many-elections capture of hosts frames
// (at most MaxManyElections), each a RequestElection of its own host, into
// groups workgroups in turn, to w, as a pcap file.
func WriteManyElections(w io.Writer, templ []byte, hosts, groups int) error {
	if hosts < 0 || hosts > MaxManyElections || groups < 1 || len(templ) != meLen {
		return fmt.Errorf("many elections: %d hosts, %d groups, a %d-byte template: out of range", hosts, groups, len(templ))
	}
	return writeMany(w, templ, hosts, groups, stampElection)
}

// writeMany writes hosts copies of templ, 10 ms apart, each stamped for
// its host.
func writeMany(w io.Writer, templ []byte, hosts, groups int, stamp func(fr []byte, i, groups int)) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	pw := pcapgo.NewWriterNanos(bw)
	if err := pw.WriteFileHeader(capture.MaxRecordSize, layers.LinkTypeEthernet); err != nil {
		return err
	}
	t0 := time.Unix(1795309063, 0).UTC()
	fr := make([]byte, len(templ))
	for i := range hosts {
		copy(fr, templ)
		stamp(fr, i, groups)
		ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * 10 * time.Millisecond),
			CaptureLength: len(fr), Length: len(fr)}
		if err := pw.WritePacket(ci, fr); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// stampHost makes the template host i's announcement.
func stampHost(fr []byte, i, groups int) {
	name := fmt.Sprintf("H%07d", i)
	stampSender(fr, i, name)
	for j := range 16 {
		fr[mhServer+j] = 0
	}
	copy(fr[mhServer:], name)
	if groups > 1 {
		encodeName(fr[mhDstName:], fmt.Sprintf("WG%06d", i%groups), 0x1d)
	}
	ipChecksum(fr[14:34], fr[mhIPCsum:])
}

// stampElection makes the template host i's RequestElection.
func stampElection(fr []byte, i, groups int) {
	name := fmt.Sprintf("H%06d", i)
	stampSender(fr, i, name)
	copy(fr[meServer:], name)
	if groups > 1 {
		encodeName(fr[mhDstName:], fmt.Sprintf("WG%06d", i%groups), 0x1e)
	}
	ipChecksum(fr[14:34], fr[mhIPCsum:])
}

// stampSender sets the addresses (10.x.y.z) and the NBDGM source name of
// host i, with no UDP checksum.
func stampSender(fr []byte, i int, name string) {
	ip := [4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}
	copy(fr[mhIPSrc:], ip[:])
	copy(fr[mhDgmSrc:], ip[:])
	fr[mhUDPCsum], fr[mhUDPCsum+1] = 0, 0
	encodeName(fr[mhSrcName:], name, 0x00)
}

// encodeName writes name (padded with spaces to 15) and suffix in NetBIOS
// first-level encoding (RFC 1001 14.1): each nibble plus 'A'.
func encodeName(dst []byte, name string, suffix byte) {
	var raw [16]byte
	for j := range 15 {
		raw[j] = ' '
	}
	copy(raw[:], name)
	raw[15] = suffix
	for j, c := range raw {
		dst[2*j] = 'A' + c>>4
		dst[2*j+1] = 'A' + c&15
	}
}

// ipChecksum recomputes the IPv4 header checksum of hdr into csum[0:2]
// (csum lies within hdr).
func ipChecksum(hdr, csum []byte) {
	csum[0], csum[1] = 0, 0
	var s uint32
	for j := 0; j+1 < len(hdr); j += 2 {
		s += uint32(hdr[j])<<8 | uint32(hdr[j+1])
	}
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	csum[0], csum[1] = byte(^s>>8), byte(^s)
}
