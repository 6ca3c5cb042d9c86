package main

import (
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// A capture built from the specs (IEEE 802.2, the NetBIOS Frames protocol,
// IPX, NBIPX, NMPI) for what the public NetBEUI and IPX captures do not
// show: every NetBIOS Frames command, the LLC frame types, IPX by each
// encapsulation, every NBIPX packet type and NMPI opcode, a message spread
// over Data First Middle frames, and broken ones. The differential test
// compares nbtsniff with tshark on it as on the real captures.

// Addresses of the built frames.
const (
	macA     = "00000c0a0a0a"
	macB     = "00000c0b0b0b"
	macNBF   = "030000000001" // the NetBIOS functional address
	macBcast = "ffffffffffff"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		panic(err)
	}
	return b
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func le16(v int) []byte { return []byte{byte(v), byte(v >> 8)} }
func be16(v int) []byte { return []byte{byte(v >> 8), byte(v)} }

// ieee8023 is an 802.3 frame: destination, source, length, payload,
// padded to 60 bytes as a NIC pads it.
func ieee8023(dst, src string, payload []byte) []byte {
	b := cat(unhex(dst), unhex(src), be16(len(payload)), payload)
	for len(b) < 60 {
		b = append(b, 0)
	}
	return b
}

// ethernet2 is an Ethernet II frame of the given type.
func ethernet2(dst, src string, etype int, payload []byte) []byte {
	b := cat(unhex(dst), unhex(src), be16(etype), payload)
	for len(b) < 60 {
		b = append(b, 0)
	}
	return b
}

// nbName is a raw 16-byte NetBIOS name.
func nbName(s string, suffix byte) []byte {
	b := []byte(s + strings.Repeat(" ", 15-len(s)))
	return append(b, suffix)
}

// netbiosHeader is a NetBIOS Frames header: LENGTH, 0xEFFF, COMMAND,
// DATA1, DATA2, XMIT and RESP correlators, then rest (names or session
// numbers).
func netbiosHeader(cmd, data1 byte, data2, xmit, resp int, rest []byte) []byte {
	return cat(le16(12+len(rest)), le16(0xEFFF), []byte{cmd, data1}, le16(data2), le16(xmit), le16(resp), rest)
}

// mailslotBrowse is an SMB Trans to \MAILSLOT\BROWSE carrying an
// AnnouncementRequest from TESLA-MARKETING (browser-host-announce-
// request_ppa-bethscomputer.pcap frame 2, the NBT user data).
var mailslotBrowse = unhex(`
	ff 53 4d 42 25 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
	11 00 00 12 00 00 00 00 00 00 00 00 00 e8 03 00 00 00 00 00 00 00 00 12 00 56 00 03 00 01 00 01
	00 02 00 23 00 5c 4d 41 49 4c 53 4c 4f 54 5c 42 52 4f 57 53 45 00 02 00 54 45 53 4c 41 2d 4d 41
	52 4b 45 54 49 4e 47 00`)

// ipxPacket is an IPX header and data; the length counts both.
func ipxPacket(ptype byte, dnet uint32, dnode string, dsock int, snet uint32, snode string, ssock int, data []byte) []byte {
	h := make([]byte, 30)
	binary.BigEndian.PutUint16(h[0:], 0xFFFF)
	binary.BigEndian.PutUint16(h[2:], uint16(30+len(data)))
	h[5] = ptype
	binary.BigEndian.PutUint32(h[6:], dnet)
	copy(h[10:], unhex(dnode))
	binary.BigEndian.PutUint16(h[16:], uint16(dsock))
	binary.BigEndian.PutUint32(h[18:], snet)
	copy(h[22:], unhex(snode))
	binary.BigEndian.PutUint16(h[28:], uint16(ssock))
	return cat(h, data)
}

// routes is an NBIPX or NMPI route list with the given networks.
func routes(nets ...uint32) []byte {
	b := make([]byte, 32)
	for i, n := range nets {
		binary.BigEndian.PutUint32(b[4*i:], n)
	}
	return b
}

// legacyBuiltFrames returns the built frames, each with what it shows.
func legacyBuiltFrames() [][]byte {
	ui := func(payload []byte) []byte { return cat([]byte{0xF0, 0xF0, 0x03}, payload) }
	iframe := func(ns, nr int, payload []byte) []byte {
		return cat([]byte{0xF0, 0xF0}, le16(ns<<1|nr<<9), payload)
	}
	session := func(remote, local byte) []byte { return []byte{remote, local} }
	names := cat(nbName("WORKGROUP", 0x1d), nbName("HOST-A", 0x00))
	smbEcho := unhex(`ff534d422b00000000180120000000000000000000000000ffff0100000000000100050000`)
	return [][]byte{
		// LLC: the frame types and functions.
		ieee8023(macA, macB, []byte{0xF0, 0xF1, 0x05, 0x03}),             // S F, func=RNR, N(R)=1
		ieee8023(macA, macB, []byte{0xF0, 0xF0, 0x09, 0x04}),             // S, func=REJ, N(R)=2
		ieee8023(macA, macB, []byte{0xF0, 0xF0, 0x0D, 0x06}),             // S, func=SREJ, N(R)=3
		ieee8023(macA, macB, []byte{0x43, 0x42, 0xBF, 0x81, 0x01, 0x00}), // U P, func=XID, group DSAP
		ieee8023(macA, macB, []byte{0xF0, 0xF1, 0x1F}),                   // U F, func=DM
		ieee8023(macA, macB, []byte{0xF0, 0xF1, 0x87, 0x01, 0x02, 0x03}), // U, func=FRMR
		ieee8023(macA, macB, []byte{0xF0, 0xF0, 0xE3, 0xAA, 0xBB}),       // U, func=TEST with data
		ieee8023(macA, macB, []byte{0xF0, 0xF1, 0x13}),                   // U F, func=RD (DISC as a response)
		ieee8023(macA, macB, []byte{0x04, 0x04, 0x43}),                   // U P, func=DISC, SNA SAPs
		ieee8023(macA, macB, []byte{0xF0}),                               // LLC cut after the DSAP
		ieee8023(macA, macB, []byte{0xF0, 0xF0, 0x00}),                   // I frame cut in its control field
		// NetBIOS Frames: every command.
		ieee8023(macNBF, macA, ui(netbiosHeader(0x02, 0, 0, 0, 0, names))),                                                                               // Name In Conflict
		ieee8023(macNBF, macA, ui(netbiosHeader(0x03, 0, 200, 0, 7, names))),                                                                             // Status Query, NetBIOS 1.x
		ieee8023(macNBF, macA, ui(netbiosHeader(0x03, 1, 200, 0, 7, names))),                                                                             // Status Query, initial
		ieee8023(macNBF, macA, ui(netbiosHeader(0x03, 5, 200, 0, 7, names))),                                                                             // Status Query, 5 names so far
		ieee8023(macNBF, macA, ui(netbiosHeader(0x07, 0, 0, 0, 0, nil))),                                                                                 // Terminate Trace
		ieee8023(macNBF, macA, ui(netbiosHeader(0x13, 0, 0, 0, 0, nil))),                                                                                 // Terminate Trace (local and remote)
		ieee8023(macNBF, macA, ui(cat(netbiosHeader(0x09, 0, 0, 0, 0, names), mailslotBrowse))),                                                          // Broadcast Datagram
		ieee8023(macNBF, macA, ui(cat(netbiosHeader(0x08, 0, 0, 0, 0, cat(nbName("WORKGROUP", 0x1e), make([]byte, 10), unhex(macA))), mailslotBrowse))),  // Datagram, sender's MAC
		ieee8023(macNBF, macA, ui(cat(netbiosHeader(0x09, 0, 0, 0, 0, cat(nbName("WORKGROUP", 0x1e), make([]byte, 10), unhex(macA))), []byte("hello")))), // Broadcast Datagram, sender's node, data
		ieee8023(macB, macA, ui(netbiosHeader(0x0A, 0, 0x0105, 0, 9, names))),                                                                            // Name Query with a session number, group caller
		ieee8023(macB, macA, ui(netbiosHeader(0x0D, 1, 1, 9, 0, names))),                                                                                 // Add Name Response
		ieee8023(macA, macB, ui(netbiosHeader(0x0E, 0, 0xFF, 9, 0, names))),                                                                              // Name Recognized, no resources
		ieee8023(macA, macB, ui(netbiosHeader(0x0E, 0, 0x0000, 9, 0, names))),                                                                            // Name Recognized, FIND.NAME
		ieee8023(macA, macB, ui(netbiosHeader(0x0F, 2, 0xC123, 7, 0, names))),                                                                            // Status Response
		ieee8023(macB, macA, iframe(0, 0, netbiosHeader(0x14, 0, 0, 0x28, 0, session(3, 4)))),                                                            // Data Ack
		ieee8023(macB, macA, iframe(1, 0, netbiosHeader(0x1A, 2, 100, 0, 0, session(3, 4)))),                                                             // No Receive
		ieee8023(macB, macA, iframe(2, 0, netbiosHeader(0x1B, 0, 100, 0, 0, session(3, 4)))),                                                             // Receive Outstanding
		ieee8023(macB, macA, iframe(3, 0, netbiosHeader(0x1C, 0, 0, 5, 0, session(3, 4)))),                                                               // Receive Continue
		ieee8023(macB, macA, iframe(4, 0, netbiosHeader(0x1F, 0, 0, 0, 0, session(3, 4)))),                                                               // Session Alive
		ieee8023(macB, macA, iframe(5, 0, netbiosHeader(0x18, 0, 1, 0, 0, session(3, 4)))),                                                               // Session End, abnormal
		ieee8023(macB, macA, iframe(6, 0, netbiosHeader(0x19, 0x0E, 1468, 1, 2, session(3, 4)))),                                                         // Session Initialize, version 1.xx
		ieee8023(macB, macA, iframe(7, 0, netbiosHeader(0x05, 0, 0, 0, 0, session(3, 4)))),                                                               // an unknown command
		ieee8023(macB, macA, iframe(8, 0, netbiosHeader(0x42, 0, 0, 0, 0, session(3, 4)))),                                                               // a command past tshark's table
		ieee8023(macB, macA, iframe(9, 0, cat([]byte{0x00}, netbiosHeader(0x1F, 0, 0, 0, 0, session(3, 4))))),                                            // a stray byte before the header
		ieee8023(macB, macA, iframe(10, 0, cat(le16(14), le16(0xEEEE), []byte{0x1F}))),                                                                   // no delimiter
		// A message in three frames: Data First Middle, Data First
		// Middle, Data Only Last (session 3/4, A to B), then one whole.
		ieee8023(macB, macA, iframe(11, 0, cat(netbiosHeader(0x15, 0x03, 0, 0, 1, session(3, 4)), smbEcho[:10]))),
		ieee8023(macB, macA, iframe(12, 0, cat(netbiosHeader(0x15, 0x00, 1, 0, 1, session(3, 4)), smbEcho[10:20]))),
		ieee8023(macB, macA, iframe(13, 0, cat(netbiosHeader(0x16, 0x04, 0, 0, 1, session(3, 4)), smbEcho[20:]))),
		ieee8023(macB, macA, iframe(14, 0, cat(netbiosHeader(0x16, 0x00, 0, 0, 2, session(3, 4)), smbEcho))),
		ieee8023(macB, macA, iframe(15, 0, netbiosHeader(0x16, 0x00, 0, 0, 2, session(3, 4))[:9])), // cut
		// IPX in each encapsulation, and broken.
		ethernet2(macBcast, macA, 0x8137, ipxPacket(1, 0, macBcast, 0x0453, 0x0102, macA, 0x0453, unhex("00010000000100010001"))),                   // RIP request
		ieee8023(macBcast, macA, cat([]byte{0xE0, 0xE0, 0x03}, ipxPacket(4, 0, macBcast, 0x0452, 0x0102, macA, 0x0452, unhex("00010004")))),         // SAP query over LLC
		ieee8023(macBcast, macA, cat(unhex("AAAA03000000"), be16(0x8137), ipxPacket(4, 0, macBcast, 0x4444, 0x0102, macA, 0x4445, []byte("data")))), // SNAP, unknown sockets
		ieee8023(macBcast, macA, ipxPacket(5, 0, macB, 0x4444, 0, macA, 0x4445, unhex("8000000100020000000000000000"))),                             // SPX by packet type
		ieee8023(macBcast, macA, cat(unhex("ffff001c00040000"), make([]byte, 22))),                                                                  // IPX length below its header
		ieee8023(macBcast, macA, unhex("ffff004000040000000000")),                                                                                   // IPX cut
		// NBIPX: every packet type.
		ieee8023(macBcast, macA, ipxPacket(20, 0, macBcast, 0x0455, 0, macA, 0x0455, cat(routes(0x0102, 0, 0x0304), []byte{0x80, 0x04}, nbName("WORKGROUP", 0x1d)))),                     // Name in use, routed
		ieee8023(macBcast, macA, ipxPacket(4, 0, macBcast, 0x0455, 0, macA, 0x0455, cat([]byte{0x00, 0x09}, make([]byte, 10)))),                                                          // Status query
		ieee8023(macB, macA, ipxPacket(4, 0, macB, 0x0455, 0, macA, 0x0455, cat([]byte{0x00, 0x0A}))),                                                                                    // Status response
		ieee8023(macB, macA, ipxPacket(4, 0, macB, 0x0455, 0, macA, 0x0455, cat([]byte{0x00, 0x0B}, names, []byte("not SMB")))),                                                          // Directed datagram, data
		ieee8023(macB, macA, ipxPacket(4, 0, macB, 0x0455, 0, macA, 0x0455, cat([]byte{0x50, 0x06}, le16(1), le16(2), le16(3), le16(37), le16(0), le16(37), le16(0), le16(0), smbEcho))), // Session data, SMB
		ieee8023(macB, macA, ipxPacket(4, 0, macB, 0x0455, 0, macA, 0x0455, []byte{0x00, 0x06, 0x01})),                                                                                   // Session data cut
		ieee8023(macB, macA, ipxPacket(4, 0, macB, 0x0455, 0, macA, 0x0455, []byte{0x00, 0x42})),                                                                                         // unknown type
		ieee8023(macB, macA, ipxPacket(4, 0, macB, 0x0455, 0, macA, 0x0455, []byte{0x00, 0x01, 0x57})),                                                                                   // Find name cut
		// NMPI: every opcode.
		ieee8023(macBcast, macA, ipxPacket(20, 0, macBcast, 0x0551, 0, macA, 0x0550, cat(routes(7), []byte{0xF2, 0x01}, le16(3), names))),               // Delete name
		ieee8023(macBcast, macA, ipxPacket(4, 0, macBcast, 0x0551, 0, macA, 0x0552, cat(routes(), []byte{0xF5, 0x01}, le16(3), names))),                 // Messenger hangup
		ieee8023(macBcast, macA, ipxPacket(4, 0, macBcast, 0x0553, 0, macA, 0x0553, cat(routes(), []byte{0xFD, 0x02}, le16(3), names))),                 // Find mailslot name
		ieee8023(macBcast, macA, ipxPacket(4, 0, macBcast, 0x0553, 0, macA, 0x0553, cat(routes(), []byte{0xFE, 0x03}, le16(3), names))),                 // Mailslot name found
		ieee8023(macBcast, macA, ipxPacket(4, 0, macBcast, 0x0553, 0, macA, 0x0553, cat(routes(), []byte{0x99, 0x03}, le16(3), names))),                 // unknown opcode
		ieee8023(macBcast, macA, ipxPacket(4, 0, macBcast, 0x0553, 0, macA, 0x0553, cat(routes(), []byte{0xFC, 0x02}, le16(0), names, mailslotBrowse))), // Mailslot write
		ieee8023(macBcast, macA, ipxPacket(4, 0, macBcast, 0x0553, 0, macA, 0x0553, cat(routes(), []byte{0xFC, 0x02}))),                                 // cut
		// SMB straight over IPX.
		ieee8023(macB, macA, ipxPacket(4, 0, macB, 0x0550, 0, macA, 0x0552, smbEcho)),
	}
}

// writeLegacyCapture writes the built frames as an Ethernet pcap in dir.
func writeLegacyCapture(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "netbeui-ipx-built.pcap")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	w := pcapgo.NewWriter(fh)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	ts := time.Date(1995, 8, 24, 12, 0, 0, 0, time.UTC)
	for i, b := range legacyBuiltFrames() {
		ci := gopacket.CaptureInfo{Timestamp: ts.Add(time.Duration(i) * time.Second), CaptureLength: len(b), Length: len(b)}
		if err := w.WritePacket(ci, b); err != nil {
			t.Fatal(err)
		}
	}
	return path
}
