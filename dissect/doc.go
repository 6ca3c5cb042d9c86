// Package dissect holds nbtsniff's stateless wire decoders: bytes in, typed
// frames and protocol trees out. No events, no UI, no wall-clock time.
//
// One file per protocol, each a gopacket DecodingLayer (see Layer):
//
//	nbns.go      NetBIOS Name Service, UDP 137 (RFC 1002 §4.2)
//	nbdgm.go     NetBIOS Datagram Service, UDP 138 (RFC 1002 §4.4)
//	nbss.go      NetBIOS Session Service, TCP 139 (RFC 1002 §4.3), and the
//	             4-byte framing of SMB over TCP 445
//	smb.go       SMB1 header and the commands around a RAP call ([MS-CIFS])
//	smbtrans.go  SMB_COM_TRANSACTION and its secondary ([MS-CIFS] §2.2.4.33)
//	mailslot.go  class 2 mailslot header ([MS-MAIL])
//	browser.go   \MAILSLOT\BROWSE frames (Leach/Naik browser draft, [MS-BRWS] §2.2)
//	lanman_announce.go  \MAILSLOT\LANMAN announcements (Leach/Naik browser
//	             draft, the LAN Manager host announcement)
//	link.go      the fields of the frame and of the layers gopacket decodes
//	             (Ethernet, 802.1Q, SLL, IPv4, UDP, TCP), under tshark's names
//	name.go      NetBIOS names (RFC 1001 §14, RFC 1002 §4.1)
//	rap.go       RAP over \PIPE\LANMAN (Leach/Naik RAP draft, [MS-RAP])
//
// and the other transports Windows binds NetBIOS to, whose datagrams and
// sessions carry the same SMB, mailslot and browser frames:
//
//	llc.go       IEEE 802.2 LLC (ISO/IEC 8802-2), SNAP: the link of NetBEUI
//	netbios.go   NetBIOS Frames, NetBEUI's NetBIOS (LLC SAP 0xF0; IBM LAN
//	             Technical Reference, ch. 5)
//	ipx.go       IPX (Ethernet II, 802.2, SNAP, raw 802.3)
//	nbipx.go     NetBIOS over IPX: NBIPX (socket 0x0455) and NMPI (0x0551
//	             name management, 0x0553 mailslots)
//
// Byte order: NBT and IPX headers are big-endian (network order); SMB,
// browser, RAP, NetBIOS Frames and NBIPX fields are little-endian. Each
// file says which at its top.
//
// Fields carry Wireshark's names (tshark -G fields, embedded here as
// wireshark-fields.tsv) so -T fields, -Y and JSON match tshark 4.0.
//
// Decoders never panic, never allocate from a length read off the wire, and
// on bad input return a *DecodeError (wrapping ErrTruncated, ErrMalformed or
// ErrLimit) while keeping what they could decode, so the frame is still
// shown with a "[Malformed: ...]" note.
//
// Adding a frame type: add its enum value with String() and a spec comment,
// a decode function with one length check and fixed offsets, its fields in
// AppendTree (Wireshark's names; RegisterField for new ones), its words in
// AppendInfo, a test on real bytes with the capture and frame named above
// the literal, a malformed-input row, and a fuzz seed.
package dissect
