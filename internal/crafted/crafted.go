// Package crafted builds the capture files in testdata/crafted: small,
// deterministic captures made to the format's and the protocols' specs for
// the cases real captures do not show (lying lengths, floods, hostile
// strings). Each builder returns the whole file; TestFilesUpToDate checks
// that the committed files are what the builders make (go test
// ./internal/crafted -update rewrites them).
package crafted

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
)

// Files maps each file name under testdata/crafted to its builder.
var Files = map[string]func() []byte{
	"caplen-over-len.pcap":        CaplenOverLen,
	"bad-block-after-1000.pcapng": BadBlockAfter1000,
	"trailing-garbage.pcap.gz":    GzipTrailingGarbage,
	"synflood-then-enum.pcap":     SynFloodThenEnum,
	"hostile-strings.pcap":        HostileStrings,
	"tcp139-hole-at-end.pcap":     HoleAtEnd,
	"spec-nbdgm-length-off.pcap":  DatagramLengthOff,
	"spec-smb-bytecount-off.pcap": ByteCountOff,
}

// NotCompared names the files of Files that the differential tests do
// not compare with tshark, and why.
var NotCompared = map[string]string{
	"bad-block-after-1000.pcapng": "ends in a read error on purpose",
	"trailing-garbage.pcap.gz":    "ends in a read error on purpose",
	"hostile-strings.pcap": "tshark reads a browser name's bytes in the OEM code page (CP437) and a comment's high " +
		"bytes as U+FFFD; nbtsniff prints the bytes themselves, escaped",
	"tcp139-hole-at-end.pcap": "nbtsniff waits for the missing segment and decodes mid 3 on the capture's last frame (6), " +
		"tshark at once on frame 5: compared by content in TestDefaultModeDecodesEveryMessageTsharkDoes",
}

// pcapHeader is a little-endian, microsecond pcap file header (Ethernet,
// snaplen 65535).
func pcapHeader() []byte {
	b := make([]byte, 24)
	binary.LittleEndian.PutUint32(b[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(b[4:], 2)
	binary.LittleEndian.PutUint16(b[6:], 4)
	binary.LittleEndian.PutUint32(b[16:], 65535)
	binary.LittleEndian.PutUint32(b[20:], 1) // LINKTYPE_ETHERNET
	return b
}

// record is one pcap record: timestamp (seconds), captured and original
// length as given, then data.
func record(sec uint32, data []byte, origLen int) []byte {
	b := make([]byte, 16, 16+len(data))
	binary.LittleEndian.PutUint32(b[0:], sec)
	binary.LittleEndian.PutUint32(b[8:], uint32(len(data)))
	binary.LittleEndian.PutUint32(b[12:], uint32(origLen))
	return append(b, data...)
}

// NBNSQuery is an Ethernet/IPv4/UDP broadcast NBNS name query for name
// (encoded to the 32-byte first-level form, suffix 0x20) from 10.0.0.src
// to 10.0.0.255, with transaction id id.
func NBNSQuery(src byte, id uint16, name string) []byte {
	nbns := make([]byte, 12, 12+34+4)
	binary.BigEndian.PutUint16(nbns[0:], id)
	binary.BigEndian.PutUint16(nbns[2:], 0x0110) // query, recursion desired, broadcast
	binary.BigEndian.PutUint16(nbns[4:], 1)      // QDCOUNT
	nbns = append(nbns, 32)
	var n [16]byte
	copy(n[:], name+"                ")
	n[15] = 0x20
	for _, c := range n {
		nbns = append(nbns, 'A'+c>>4, 'A'+c&0x0f)
	}
	nbns = append(nbns, 0, 0, 0x20, 0, 1) // end of name, NB, IN
	return UDPFrame(src, 255, 137, 137, nbns)
}

// UDPFrame is an Ethernet/IPv4/UDP frame from 10.0.0.src to 10.0.0.dst
// (255 is the broadcast, sent to ff:ff:ff:ff:ff:ff) carrying payload. The
// checksums are left zero (UDP: none; IPv4: tshark does not check by
// default).
func UDPFrame(src, dst byte, sport, dport uint16, payload []byte) []byte {
	eth := []byte{0, 0, 0, 0, 0, dst, 0x02, 0, 0, 0, 0, src, 0x08, 0x00}
	if dst == 255 {
		copy(eth, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	}
	ip := make([]byte, 20)
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(20+8+len(payload)))
	ip[8], ip[9] = 64, 17
	copy(ip[12:], []byte{10, 0, 0, src, 10, 0, 0, dst})
	udp := make([]byte, 8)
	binary.BigEndian.PutUint16(udp[0:], sport)
	binary.BigEndian.PutUint16(udp[2:], dport)
	binary.BigEndian.PutUint16(udp[4:], uint16(8+len(payload)))
	return append(append(append(eth, ip...), udp...), payload...)
}

// CaplenOverLen is a pcap of 50 NBNS name queries where every tenth record
// (frames 5, 15, ...) says its original length is 10 bytes less than the
// bytes it captured. tshark reads all 50 and marks those frames malformed
// ("Frame length is less than captured length").
func CaplenOverLen() []byte {
	out := pcapHeader()
	for i := range 50 {
		f := NBNSQuery(1, uint16(i+1), "HOST")
		orig := len(f)
		if i%10 == 4 {
			orig -= 10
		}
		out = append(out, record(uint32(1000+i), f, orig)...)
	}
	return out
}

// BigPcap is a pcap of n frames of 1000 bytes each (UDP 137 with random
// payload from a fixed seed), gzip-compressed without compression when z
// is set, so that the compressed stream is as large as the capture.
func BigPcap(n int, z bool) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	var buf bytes.Buffer
	buf.Write(pcapHeader())
	payload := make([]byte, 1000-42)
	for i := range n {
		for j := range payload {
			payload[j] = byte(r.Uint32())
		}
		buf.Write(record(uint32(i), UDPFrame(1, 255, 137, 137, payload), 1000))
	}
	if !z {
		return buf.Bytes()
	}
	var zb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zb, gzip.NoCompression)
	zw.Write(buf.Bytes())
	zw.Close()
	return zb.Bytes()
}

// pcapng blocks, little-endian ([draft-ietf-opsawg-pcapng] §4): each is
// type, total length, body padded to 32 bits, total length again.
func ngBlock(typ uint32, body []byte) []byte {
	pad := (4 - len(body)%4) % 4
	n := uint32(12 + len(body) + pad)
	b := binary.LittleEndian.AppendUint32(nil, typ)
	b = binary.LittleEndian.AppendUint32(b, n)
	b = append(b, body...)
	b = append(b, make([]byte, pad)...)
	return binary.LittleEndian.AppendUint32(b, n)
}

// ngHeader is a section header block (version 1.0, section length
// unknown) and one Ethernet interface (snaplen 65535).
func ngHeader() []byte {
	shb := binary.LittleEndian.AppendUint32(nil, 0x1a2b3c4d)
	shb = binary.LittleEndian.AppendUint16(shb, 1)
	shb = binary.LittleEndian.AppendUint16(shb, 0)
	shb = binary.LittleEndian.AppendUint64(shb, ^uint64(0))
	idb := binary.LittleEndian.AppendUint16(nil, 1) // LINKTYPE_ETHERNET
	idb = binary.LittleEndian.AppendUint16(idb, 0)
	idb = binary.LittleEndian.AppendUint32(idb, 65535)
	return append(ngBlock(0x0a0d0d0a, shb), ngBlock(1, idb)...)
}

// ngPacket is an enhanced packet block on interface 0, captured at sec
// (microsecond resolution, the default).
func ngPacket(sec uint32, data []byte) []byte {
	ts := uint64(sec) * 1e6
	b := binary.LittleEndian.AppendUint32(nil, 0)
	b = binary.LittleEndian.AppendUint32(b, uint32(ts>>32))
	b = binary.LittleEndian.AppendUint32(b, uint32(ts))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	return ngBlock(6, append(b, data...))
}

// BadBlockAfter1000 is a pcapng of 1,000 NBNS name queries, then an
// enhanced packet block of 12 bytes (less than the 32 its fixed fields
// take), then 10 more queries: a file that is not cut short but broken in
// the middle. A reader must give the 1,000 frames, then the error.
func BadBlockAfter1000() []byte {
	out := ngHeader()
	for i := range 1000 {
		out = append(out, ngPacket(uint32(1000+i), NBNSQuery(byte(1+i%200), uint16(i+1), "HOST"))...)
	}
	out = append(out, ngBlock(6, nil)...)
	for i := range 10 {
		out = append(out, ngPacket(uint32(2000+i), NBNSQuery(1, uint16(2000+i), "HOST"))...)
	}
	return out
}

// TCPFrame is an Ethernet/IPv4/TCP segment from 10.0.0.src:sport to
// 10.0.0.dst:dport with the given sequence and acknowledgement numbers and
// flags (TCP's flag byte: 0x02 SYN, 0x10 ACK, 0x18 PSH+ACK, 0x12 SYN+ACK),
// carrying payload. Checksums are left zero (tshark does not check them
// by default).
func TCPFrame(src, dst byte, sport, dport uint16, seq, ack uint32, flags byte, payload []byte) []byte {
	eth := []byte{0, 0, 0, 0, 0, dst, 0x02, 0, 0, 0, 0, src, 0x08, 0x00}
	ip := make([]byte, 20)
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(20+20+len(payload)))
	ip[8], ip[9] = 64, 6
	copy(ip[12:], []byte{10, 0, 0, src, 10, 0, 0, dst})
	tcp := make([]byte, 20)
	binary.BigEndian.PutUint16(tcp[0:], sport)
	binary.BigEndian.PutUint16(tcp[2:], dport)
	binary.BigEndian.PutUint32(tcp[4:], seq)
	binary.BigEndian.PutUint32(tcp[8:], ack)
	tcp[12] = 5 << 4
	tcp[13] = flags
	binary.BigEndian.PutUint16(tcp[14:], 65535)
	return append(append(append(eth, ip...), tcp...), payload...)
}

// SMBTreeDisconnect is an NBSS session message carrying an SMB1 Tree
// Disconnect request ([MS-CIFS] §2.2.4.51: no words, no bytes) with
// multiplex id mid: 4 + 32 + 1 + 2 = 39 bytes.
func SMBTreeDisconnect(mid uint16) []byte {
	b := make([]byte, 4, 39)
	b[3] = 35 // NBSS session message, length 35
	smb := make([]byte, 35)
	copy(smb, "\xffSMB")
	smb[4] = 0x71                                   // SMB_COM_TREE_DISCONNECT
	smb[9] = 0x18                                   // flags: case insensitive, canonicalised paths
	binary.LittleEndian.PutUint16(smb[10:], 0xc803) // flags2
	binary.LittleEndian.PutUint16(smb[24:], 2048)   // TID
	binary.LittleEndian.PutUint16(smb[26:], 0xfeff) // PID
	binary.LittleEndian.PutUint16(smb[28:], 2048)   // UID
	binary.LittleEndian.PutUint16(smb[30:], mid)
	return append(b, smb...)
}

// HoleAtEnd is a pcap of one NBSS connection on TCP 139 (10.0.0.1:1025 to
// 10.0.0.2) whose client sends three Tree Disconnect requests (mids 1, 2,
// 3) in three segments, the second of which was not captured and is
// acknowledged by nobody: the third waits beyond the hole when the
// capture ends, after an unrelated NBNS query (frame 6). tshark shows
// mids 1 and 3 in frames 4 and 5; nbtsniff, which waits for the missing
// segment, must show mid 3 by the end of the capture all the same.
func HoleAtEnd() []byte {
	const c, s = 1, 2
	m1, m2, m3 := SMBTreeDisconnect(1), SMBTreeDisconnect(2), SMBTreeDisconnect(3)
	frames := [][]byte{
		TCPFrame(c, s, 1025, 139, 1000, 0, 0x02, nil),
		TCPFrame(s, c, 139, 1025, 5000, 1001, 0x12, nil),
		TCPFrame(c, s, 1025, 139, 1001, 5001, 0x10, nil),
		TCPFrame(c, s, 1025, 139, 1001, 5001, 0x18, m1),
		// 1040: m2, not captured
		TCPFrame(c, s, 1025, 139, 1040+uint32(len(m2)), 5001, 0x18, m3),
		NBNSQuery(3, 7, "LATER"),
	}
	out := pcapHeader()
	for i, f := range frames {
		out = append(out, record(uint32(1000+i), f, len(f))...)
	}
	return out
}

// GzipTrailingGarbage is a gzip stream of a pcap of 240 NBNS name queries
// followed by 64 bytes that are no gzip member: a reader must give the 240
// frames, then the error.
func GzipTrailingGarbage() []byte {
	var pcap bytes.Buffer
	pcap.Write(pcapHeader())
	for i := range 240 {
		pcap.Write(record(uint32(1000+i), NBNSQuery(byte(1+i%200), uint16(i+1), "HOST"), len(NBNSQuery(1, 1, "HOST"))))
	}
	var zb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zb, gzip.BestCompression)
	zw.Write(pcap.Bytes())
	zw.Close()
	garbage := bytes.Repeat([]byte("not gzip"), 8)
	return append(zb.Bytes(), garbage...)

}

// bethscomputerFrame2 is the UDP payload of frame 2 of the Practical
// Packet Analysis capture bethscomputer.pcap (tshark: "Request
// Announcement TESLA-MARKETING"): NBDGM direct group, DGM_LENGTH 172, an
// SMB mailslot write to \\MAILSLOT\\BROWSE.
const bethscomputerFrame2 = "" +
	"11028050c0a8007a008a00ac000020464545464644454d4542434e454e454246" +
	"43454c45464645454a454f454841410020464545464644454d45424341434143" +
	"414341434143414341434143414341424e00ff534d4225000000000000000000" +
	"00000000000000000000000000000000000011000012000000000000000000e8" +
	"03000000000000000012005600030001000100020023005c4d41494c534c4f54" +
	"5c42524f5753450002005445534c412d4d41524b4554494e4700"

// DatagramLengthOff is a pcap of the real announcement request of
// bethscomputerFrame2 sent three times with a DGM_LENGTH that disagrees
// with the UDP payload, as implementations write it: counting the 14-byte
// datagram header (186), 20 bytes short (152), and shorter than the names
// (10). tshark decodes the SMB, mailslot and browser layers of all three
// (it takes the rest of the UDP payload as the user data); so must
// nbtsniff, with an expert note.
func DatagramLengthOff() []byte {
	p, _ := hex.DecodeString(bethscomputerFrame2)
	out := pcapHeader()
	for i, n := range []uint16{172 + 14, 172 - 20, 10} {
		q := append([]byte(nil), p...)
		binary.BigEndian.PutUint16(q[10:], n)
		f := UDPFrame(122, 255, 138, 138, q)
		out = append(out, record(uint32(1000+i), f, len(f))...)
	}
	return out
}

// ByteCountOff is a pcap of the announcement request of
// bethscomputerFrame2 sent twice with an SMB ByteCount that disagrees
// with its transaction: past the end of the message (75 of 35 bytes) and
// too small to hold the name, parameters and data (10). tshark reads the
// blocks where the transaction's offsets place them and decodes the
// mailslot and browser layers of both; so must nbtsniff, with an expert
// note.
func ByteCountOff() []byte {
	p, _ := hex.DecodeString(bethscomputerFrame2)
	const bcc = 82 + 32 + 1 + 2*17 // NBDGM header and names, SMB header, WordCount, 17 words
	out := pcapHeader()
	for i, n := range []uint16{75, 10} {
		q := append([]byte(nil), p...)
		binary.LittleEndian.PutUint16(q[bcc:], n)
		f := UDPFrame(122, 255, 138, 138, q)
		out = append(out, record(uint32(1000+i), f, len(f))...)
	}
	return out
}
