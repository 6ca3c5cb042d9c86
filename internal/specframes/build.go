// Package specframes builds frames to the specs, byte by byte, for the
// tests that must run on a clone alone (the public captures of
// ../shared/pcaps are not part of it): the link layers the Samba lab
// captures of testdata/pcaps do not have (802.1Q, 802.3 LLC, Linux cooked
// v1 and v2, raw IP, BSD loopback, GRE/ERSPAN), and the UDP and NBT edge
// cases (a UDP length of 0, empty datagrams to 137 and 138, a frame cut by
// the snap length, a lying NBNS count, IP and NBDGM fragments).
//
// The builders are plain functions (bytes in, bytes out; no checksums
// left for the reader to guess): the tests call them directly, and
// files.go writes their frames to testdata/specframes, where the tshark
// differential tests of cmd/nbtsniff read them like any capture.
// TestFilesUpToDate fails when a committed file is not what the builders
// make (go test ./internal/specframes -update rewrites them).
//
// Byte order: big-endian on the wire (Ethernet, IP, UDP, NBT), little
// endian inside SMB and the browser protocol ([MS-CIFS] §2.1, [MS-BRWS]).
package specframes

import (
	"encoding/binary"
	"strings"
)

// Ethernet frame types and link types used here.
const (
	TypeIPv4   = 0x0800
	TypeDot1Q  = 0x8100
	TypeERSPAN = 0x88be
)

// MAC is an Ethernet address.
type MAC [6]byte

// Broadcast is ff:ff:ff:ff:ff:ff.
var Broadcast = MAC{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// Host is a locally administered unicast address, 02:00:00:00:00:n.
func Host(n byte) MAC { return MAC{0x02, 0, 0, 0, 0, n} }

// IP is an IPv4 address.
type IP [4]byte

// Ethernet is an Ethernet II frame (IEEE 802.3 §3.2.6 with a type).
func Ethernet(dst, src MAC, typ uint16, payload []byte) []byte {
	b := make([]byte, 14, 14+len(payload))
	copy(b, dst[:])
	copy(b[6:], src[:])
	binary.BigEndian.PutUint16(b[12:], typ)
	return append(b, payload...)
}

// Dot1Q is an 802.1Q tag (priority 0, VLAN vid) and what follows it,
// for an Ethernet frame of type TypeDot1Q.
func Dot1Q(vid, typ uint16, payload []byte) []byte {
	b := make([]byte, 4, 4+len(payload))
	binary.BigEndian.PutUint16(b, vid&0x0fff)
	binary.BigEndian.PutUint16(b[2:], typ)
	return append(b, payload...)
}

// LLC is an IEEE 802.3 frame: the length field counts the LLC header
// (DSAP, SSAP, control 0x03: unnumbered information, IEEE 802.2 §3.3) and
// payload.
func LLC(dst, src MAC, sap byte, payload []byte) []byte {
	llc := append([]byte{sap, sap, 0x03}, payload...)
	return Ethernet(dst, src, uint16(len(llc)), llc)
}

// IPv4Packet is the header of IPv4Packet, without options.
type IPv4Packet struct {
	Src, Dst IP
	Proto    byte
	ID       uint16
	TTL      byte
	More     bool // the MF flag
	Offset   int  // fragment offset in bytes (a multiple of 8)
	// Length, when not zero, replaces the total length (a lying header).
	Length int
}

// Build is the packet: the header (RFC 791 §3.1, checksum computed),
// then payload.
func (p IPv4Packet) Build(payload []byte) []byte {
	b := make([]byte, 20, 20+len(payload))
	b[0] = 0x45
	n := 20 + len(payload)
	if p.Length != 0 {
		n = p.Length
	}
	binary.BigEndian.PutUint16(b[2:], uint16(n))
	binary.BigEndian.PutUint16(b[4:], p.ID)
	frag := uint16(p.Offset / 8)
	if p.More {
		frag |= 0x2000
	}
	binary.BigEndian.PutUint16(b[6:], frag)
	b[8], b[9] = p.TTL, p.Proto
	copy(b[12:], p.Src[:])
	copy(b[16:], p.Dst[:])
	binary.BigEndian.PutUint16(b[10:], ^onesSum(b))
	return append(b, payload...)
}

// onesSum is the 16-bit one's complement sum of b (RFC 1071).
func onesSum(b []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

// UDP is a UDP datagram (RFC 768) from src:sport to dst:dport with its
// checksum over the pseudo-header. length, when not negative, replaces
// the length field (and the checksum is then left 0: none).
func UDP(src, dst IP, sport, dport uint16, payload []byte, length int) []byte {
	b := make([]byte, 8, 8+len(payload))
	binary.BigEndian.PutUint16(b, sport)
	binary.BigEndian.PutUint16(b[2:], dport)
	b = append(b, payload...)
	if length >= 0 {
		binary.BigEndian.PutUint16(b[4:], uint16(length))
		return b
	}
	binary.BigEndian.PutUint16(b[4:], uint16(len(b)))
	pseudo := make([]byte, 12, 12+len(b))
	copy(pseudo, src[:])
	copy(pseudo[4:], dst[:])
	pseudo[9] = 17
	binary.BigEndian.PutUint16(pseudo[10:], uint16(len(b)))
	sum := ^onesSum(append(pseudo, b...))
	if sum == 0 {
		sum = 0xffff
	}
	binary.BigEndian.PutUint16(b[6:], sum)
	return b
}

// UDPFrame is an Ethernet/IPv4/UDP frame with a checksummed UDP header,
// TTL 128 and IP identification id.
func UDPFrame(dst, src MAC, sip, dip IP, id uint16, sport, dport uint16, payload []byte) []byte {
	ip := IPv4Packet{Src: sip, Dst: dip, Proto: 17, ID: id, TTL: 128}
	return Ethernet(dst, src, TypeIPv4, ip.Build(UDP(sip, dip, sport, dport, payload, -1)))
}

// Name is a NetBIOS name in the first-level encoding of RFC 1001 §14.1
// with no scope: the name upper-cased and padded with spaces to 15 bytes,
// the suffix as the 16th, each half-byte as 'A'+nibble, in one 32-byte
// label: 34 bytes with the length and the terminating zero.
func Name(name string, suffix byte) []byte {
	var n [16]byte
	copy(n[:], strings.ToUpper(name)+strings.Repeat(" ", 15))
	n[15] = suffix
	b := make([]byte, 0, 34)
	b = append(b, 32)
	for _, c := range n {
		b = append(b, 'A'+c>>4, 'A'+c&0x0f)
	}
	return append(b, 0)
}

// NBNS header flags (RFC 1002 §4.2.1.1) used here.
const (
	NBNSRecursionDesired = 0x0100
	NBNSBroadcast        = 0x0010
)

// NBNSQuery is a name query request (RFC 1002 §4.2.12): one question,
// type NB, class IN.
func NBNSQuery(id, flags uint16, name []byte) []byte {
	b := make([]byte, 12, 12+len(name)+4)
	binary.BigEndian.PutUint16(b, id)
	binary.BigEndian.PutUint16(b[2:], flags)
	binary.BigEndian.PutUint16(b[4:], 1) // QDCOUNT
	b = append(b, name...)
	return append(b, 0x00, 0x20, 0x00, 0x01)
}

// NBDGM message types and flags (RFC 1002 §4.4.1).
const (
	DirectGroup = 0x11
	DgmFirst    = 0x02
	DgmMore     = 0x01
)

// Datagram is the header of an NBDGM direct or group datagram.
type Datagram struct {
	Type, Flags byte
	ID          uint16
	SrcIP       IP
	SrcPort     uint16
	SrcName     []byte // encoded, as from Name
	DstName     []byte
	Offset      int // PACKET_OFFSET
}

// Build is the datagram (RFC 1002 §4.4.2): DGM_LENGTH counts both names
// and user.
func (d Datagram) Build(user []byte) []byte {
	b := make([]byte, 14, 14+len(d.SrcName)+len(d.DstName)+len(user))
	b[0], b[1] = d.Type, d.Flags
	binary.BigEndian.PutUint16(b[2:], d.ID)
	copy(b[4:], d.SrcIP[:])
	binary.BigEndian.PutUint16(b[8:], d.SrcPort)
	binary.BigEndian.PutUint16(b[10:], uint16(len(d.SrcName)+len(d.DstName)+len(user)))
	binary.BigEndian.PutUint16(b[12:], uint16(d.Offset))
	b = append(b, d.SrcName...)
	b = append(b, d.DstName...)
	return append(b, user...)
}

// Mailslot is an SMB_COM_TRANSACTION request writing data to a mailslot
// ([MS-CIFS] §2.2.4.33.1, [MS-MAIL] §2.2.1): a 32-byte SMB header of
// zeros but the command, 17 words (setup: write mailslot, priority 1,
// class 2: unreliable and broadcast), the name, then data; timeout 1000
// ms as Windows sends it.
func Mailslot(name string, data []byte) []byte {
	b := make([]byte, 32, 32+37+len(name)+1+len(data))
	copy(b, "\xffSMB\x25")
	w := make([]byte, 37)
	w[0] = 17 // word count
	le := binary.LittleEndian
	le.PutUint16(w[3:], uint16(len(data))) // total data count
	le.PutUint32(w[13:], 1000)             // timeout
	le.PutUint16(w[23:], uint16(len(data)))
	le.PutUint16(w[25:], uint16(32+len(w)+len(name)+1)) // data offset
	w[27] = 3                                           // setup count
	le.PutUint16(w[29:], 1)                             // write mailslot
	le.PutUint16(w[31:], 1)                             // priority
	le.PutUint16(w[33:], 2)                             // class
	le.PutUint16(w[35:], uint16(len(name)+1+len(data))) // byte count
	b = append(b, w...)
	b = append(b, name...)
	b = append(b, 0)
	return append(b, data...)
}

// Browse is the mailslot of the browser protocol.
const Browse = `\MAILSLOT\BROWSE`

// RequestAnnouncement is the browser frame ([MS-BRWS] §2.2.2): opcode 2,
// an unused flags byte, the name to answer to, zero-terminated.
func RequestAnnouncement(name string) []byte {
	return append(append([]byte{0x02, 0x00}, name...), 0)
}

// GRE is a GRE header (RFC 2784, RFC 2890) with a sequence number, as
// Cisco's ERSPAN type II sends it, and what follows.
func GRE(proto uint16, seq uint32, payload []byte) []byte {
	b := make([]byte, 8, 8+len(payload))
	binary.BigEndian.PutUint16(b, 0x1000) // S: sequence number present
	binary.BigEndian.PutUint16(b[2:], proto)
	binary.BigEndian.PutUint32(b[4:], seq)
	return append(b, payload...)
}

// ERSPAN2 is an ERSPAN type II header (draft-foschiano-erspan §4.1:
// version 1, VLAN 0, session id) and the mirrored Ethernet frame.
func ERSPAN2(session uint16, frame []byte) []byte {
	b := make([]byte, 8, 8+len(frame))
	binary.BigEndian.PutUint16(b, 0x1000)
	binary.BigEndian.PutUint16(b[2:], session&0x03ff)
	return append(b, frame...)
}

// SLL is a Linux cooked capture v1 header (LINKTYPE_LINUX_SLL): packet
// type (0: to us, 1: broadcast), ARPHRD_ETHER, the sender's address,
// protocol; and the packet.
func SLL(pktType uint16, src MAC, proto uint16, payload []byte) []byte {
	b := make([]byte, 16, 16+len(payload))
	binary.BigEndian.PutUint16(b, pktType)
	binary.BigEndian.PutUint16(b[2:], 1)
	binary.BigEndian.PutUint16(b[4:], 6)
	copy(b[6:], src[:])
	binary.BigEndian.PutUint16(b[14:], proto)
	return append(b, payload...)
}

// SLL2 is a Linux cooked capture v2 header (LINKTYPE_LINUX_SLL2):
// protocol, reserved, interface index, ARPHRD_ETHER, packet type, address
// length and address; and the packet.
func SLL2(proto uint16, ifindex uint32, pktType byte, src MAC, payload []byte) []byte {
	b := make([]byte, 20, 20+len(payload))
	binary.BigEndian.PutUint16(b, proto)
	binary.BigEndian.PutUint32(b[4:], ifindex)
	binary.BigEndian.PutUint16(b[8:], 1)
	b[10], b[11] = pktType, 6
	copy(b[12:], src[:])
	return append(b, payload...)
}

// Loopback is a BSD loopback header (LINKTYPE_NULL): the address family
// in the capturing host's byte order, here little-endian AF_INET (2).
func Loopback(payload []byte) []byte {
	return append([]byte{2, 0, 0, 0}, payload...)
}
