package specframes

import (
	"encoding/binary"
	"time"
)

// Link types (the tcpdump.org LINKTYPE_ registry) of the files.
const (
	LinkNull     = 0
	LinkEthernet = 1
	LinkRaw      = 101
	LinkSLL      = 113
	LinkSLL2     = 276
)

// Record is one frame of a file: its bytes as captured and the length it
// had on the wire (0: as captured).
type Record struct {
	Data    []byte
	OrigLen int
}

// File is a classic pcap file: little-endian, microseconds, snap length
// 65535, one link type.
type File struct {
	Name     string // under testdata/specframes
	About    string // what it holds, one line
	LinkType uint32
	Records  []Record
}

// T0 is the time of the first frame of every file; each next frame is one
// millisecond later.
var T0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Bytes is the file as written (pcap format: the tcpdump.org
// draft-ietf-opsawg-pcap §4 and §5).
func (f File) Bytes() []byte {
	le := binary.LittleEndian
	b := make([]byte, 24)
	le.PutUint32(b, 0xa1b2c3d4)
	le.PutUint16(b[4:], 2)
	le.PutUint16(b[6:], 4)
	le.PutUint32(b[16:], 65535)
	le.PutUint32(b[20:], f.LinkType)
	for i, r := range f.Records {
		ts := T0.Add(time.Duration(i) * time.Millisecond)
		h := make([]byte, 16)
		le.PutUint32(h, uint32(ts.Unix()))
		le.PutUint32(h[4:], uint32(ts.Nanosecond()/1000))
		le.PutUint32(h[8:], uint32(len(r.Data)))
		orig := r.OrigLen
		if orig == 0 {
			orig = len(r.Data)
		}
		le.PutUint32(h[12:], uint32(orig))
		b = append(append(b, h...), r.Data...)
	}
	return b
}

// Addresses of the files: one subnet, 10.0.0.0/24.
var (
	Client    = IP{10, 0, 0, 1}
	Server    = IP{10, 0, 0, 2}
	Bcast     = IP{10, 0, 0, 255}
	ClientMAC = Host(1)
	ServerMAC = Host(2)
)

// Query is the name query every file starts from: a broadcast query of
// SPECHOST<00> from the client, 92 bytes (14 + 20 + 8 + 50), the NBNS
// message at offset 42 and the question name at 54.
func Query(id uint16) []byte {
	return UDPFrame(Broadcast, ClientMAC, Client, Bcast, id, 137, 137, QueryMessage(id))
}

// QueryMessage is Query's NBNS message.
func QueryMessage(id uint16) []byte {
	return NBNSQuery(id, NBNSRecursionDesired|NBNSBroadcast, Name("SPECHOST", 0x00))
}

// UDPLengthZero is Query with a UDP length of 0 (no jumbogram in IPv4):
// tshark shows "[BAD UDP LENGTH 0 < 8]" and nothing above UDP.
func UDPLengthZero(id uint16) []byte {
	ip := IPv4Packet{Src: Client, Dst: Bcast, Proto: 17, ID: id, TTL: 128}
	return Ethernet(Broadcast, ClientMAC, TypeIPv4, ip.Build(UDP(Client, Bcast, 137, 137, QueryMessage(id), 0)))
}

// EmptyDatagram is a UDP datagram with no payload to port dport of the
// server (as a UDP port scan sends them).
func EmptyDatagram(id, sport, dport uint16) []byte {
	return UDPFrame(ServerMAC, ClientMAC, Client, Server, id, sport, dport, nil)
}

// LyingCount is Query whose header counts two questions for the one it
// has: malformed.
func LyingCount(id uint16) []byte {
	m := QueryMessage(id)
	binary.BigEndian.PutUint16(m[4:], 2)
	return UDPFrame(Broadcast, ClientMAC, Client, Bcast, id, 137, 137, m)
}

// Files are the files of testdata/specframes.
func Files() []File {
	return []File{
		{
			Name:     "udp-edges.pcap",
			About:    "a name query, then its UDP length 0, empty datagrams to 137 and 138, the query cut by the snap length, and a question count that lies",
			LinkType: LinkEthernet,
			Records: []Record{
				{Data: Query(0x1001)},
				{Data: UDPLengthZero(0x1002)},
				{Data: EmptyDatagram(0x1003, 50001, 137)},
				{Data: EmptyDatagram(0x1004, 50002, 138)},
				{Data: Query(0x1005)[:60], OrigLen: 92},
				{Data: LyingCount(0x1006)},
			},
		},
		{
			Name:     "link-ethernet.pcap",
			About:    "the name query in an 802.1Q tag and inside GRE/ERSPAN II; NetBEUI and IPX in IEEE 802.3 LLC frames",
			LinkType: LinkEthernet,
			Records: []Record{
				{Data: Ethernet(Broadcast, ClientMAC, TypeDot1Q, Dot1Q(42, TypeIPv4, Query(0x3001)[14:]))},
				{Data: LLC(MAC{0x03, 0, 0, 0, 0, 0x01}, ClientMAC, 0xf0, netBEUINameQuery("SPECHOST"))},
				{Data: LLC(Broadcast, ClientMAC, 0xe0, ipxPacket())},
				{Data: erspanFrame(0x3004)},
			},
		},
		{
			Name:     "link-sll.pcap",
			About:    "the name query in a Linux cooked capture (v1)",
			LinkType: LinkSLL,
			Records:  []Record{{Data: SLL(1, ClientMAC, TypeIPv4, Query(0x4001)[14:])}},
		},
		{
			Name:     "link-sll2.pcap",
			About:    "the name query in a Linux cooked capture v2",
			LinkType: LinkSLL2,
			Records:  []Record{{Data: SLL2(TypeIPv4, 2, 1, ClientMAC, Query(0x4002)[14:])}},
		},
		{
			Name:     "link-raw.pcap",
			About:    "the name query as a raw IPv4 packet",
			LinkType: LinkRaw,
			Records:  []Record{{Data: Query(0x4003)[14:]}},
		},
		{
			Name:     "link-null.pcap",
			About:    "the name query over BSD loopback",
			LinkType: LinkNull,
			Records:  []Record{{Data: Loopback(Query(0x4004)[14:])}},
		},
	}
}

// netBEUINameQuery is a NetBIOS Frames Protocol NAME_QUERY (IBM NetBIOS
// 3.0 LAN Technical Reference, the NBF header of 44 bytes: length,
// delimiter 0xefff, command 0x0a, two data fields, two correlators, the
// name sought and the sender's name, each 16 bytes).
func netBEUINameQuery(name string) []byte {
	b := make([]byte, 44)
	le := binary.LittleEndian
	le.PutUint16(b, 44)
	le.PutUint16(b[2:], 0xefff)
	b[4] = 0x0a
	le.PutUint16(b[8:], 0x0001) // transmit correlator
	copy(b[12:28], padName(name, 0x00))
	copy(b[28:44], padName(name, 0x00))
	return b
}

func padName(name string, suffix byte) []byte {
	n := []byte(name + "               ")[:15]
	return append(n, suffix)
}

// ipxPacket is an IPX packet (Novell IPX: checksum 0xffff, length,
// transport control, type 4: packet exchange, destination and source
// network, node and socket) to the broadcast node's SAP socket, carrying
// a SAP general service query for file servers (query type 1, server type
// 4).
func ipxPacket() []byte {
	b := make([]byte, 34)
	binary.BigEndian.PutUint16(b, 0xffff)
	binary.BigEndian.PutUint16(b[2:], 34)
	b[5] = 4
	copy(b[10:16], Broadcast[:])
	binary.BigEndian.PutUint16(b[16:], 0x0452) // SAP
	copy(b[22:28], ClientMAC[:])
	binary.BigEndian.PutUint16(b[28:], 0x4000)
	binary.BigEndian.PutUint16(b[30:], 1)
	binary.BigEndian.PutUint16(b[32:], 4)
	return b
}

// erspanFrame mirrors the name query from a switch at 10.1.0.1 to a
// collector at 10.1.0.2: IPv4 (protocol 47), GRE, ERSPAN II session 5.
func erspanFrame(id uint16) []byte {
	outer := IPv4Packet{Src: IP{10, 1, 0, 1}, Dst: IP{10, 1, 0, 2}, Proto: 47, ID: id, TTL: 64}
	return Ethernet(Host(0x21), Host(0x20), TypeIPv4, outer.Build(GRE(TypeERSPAN, 1, ERSPAN2(5, Query(id)))))
}
