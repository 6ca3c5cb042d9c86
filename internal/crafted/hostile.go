package crafted

import "encoding/binary"

// Hostile strings from the wire: each holds bytes that must never reach
// a terminal or a log raw. RLO is U+202E (right-to-left override: "EXE.TXT"
// reads "TXT.EXE"), LRI/PDI U+2066/U+2069, RLM U+200F, ALM U+061C; ESC
// starts ANSI sequences; U+009B is CSI as a C1 control; 0xff and 0xfe are
// no UTF-8.
const (
	HostRLO   = "\u202eEXE.TXT"       // a host name
	HostANSI  = "A\x1b[31mB\x7f"      // ESC [31m: red, and DEL
	HostC1    = "C\u009bD\xff\xfe"    // CSI as a C1 control, invalid UTF-8
	HostIsol  = "\u2066X\u2069\u200f" // isolates and RLM
	Workgroup = "W\u202eG\x1b"        // a workgroup
	Comment   = "\u202efdp.exe \x1b]0;owned\x07 \u009b2J\r\n\xff \u2067\u061c"
)

// HostileStrings is a capture whose names, workgroups and comments carry
// the strings above: NBNS registrations of each host name, then host,
// local master and domain announcements and an election in a workgroup
// whose name is hostile too, every comment the hostile comment. Every
// output mode must escape them (output.AppendEscaped's rule).
func HostileStrings() []byte {
	out := pcapHeader()
	sec := uint32(2000)
	add := func(f []byte) {
		out = append(out, record(sec, f, len(f))...)
		sec++
	}
	hosts := []string{HostRLO, HostANSI, HostC1, HostIsol}
	for i, h := range hosts {
		add(nbnsRegistration(byte(10+i), uint16(0x100+i), h, 0x00))
		add(nbnsRegistration(byte(10+i), uint16(0x110+i), Workgroup, 0x1e))
	}
	for i, h := range hosts {
		add(browserFrame(byte(10+i), h, Workgroup, 0x1d, announcement(0x01, h, 0x00011003, Comment)))
	}
	add(browserFrame(10, hosts[0], Workgroup, 0x1e, election(0x20010f03, hosts[0])))
	add(browserFrame(11, hosts[1], Workgroup, 0x1e, election(0x40010f03, hosts[1])))
	add(browserFrame(11, hosts[1], Workgroup, 0x1e, announcement(0x0f, hosts[1], 0x00011003|0x00040000, Comment)))
	add(browserFrame(11, hosts[1], "\x01\x02__MSBROWSE__\x02", 0x01, announcement(0x0c, Workgroup, 0x80001000, hosts[1])))
	return out
}

// netbiosName is the first-level encoding of a name (RFC 1001 §14.1):
// raw padded with spaces (or cut) to 15 bytes, then suffix, as 32
// letters with their length byte and the empty scope.
func netbiosName(raw string, suffix byte) []byte {
	var n [16]byte
	copy(n[:], raw+"               ")
	n[15] = suffix
	b := []byte{32}
	for _, c := range n {
		b = append(b, 'A'+c>>4, 'A'+c&0x0f)
	}
	return append(b, 0)
}

// nbnsRegistration is a broadcast NBNS name registration (RFC 1002
// §4.2.2) of name<suffix> for 10.0.0.src, B node, TTL 300000 s.
func nbnsRegistration(src byte, id uint16, name string, suffix byte) []byte {
	m := make([]byte, 12)
	binary.BigEndian.PutUint16(m[0:], id)
	binary.BigEndian.PutUint16(m[2:], 0x2910) // registration, recursion desired, broadcast
	binary.BigEndian.PutUint16(m[4:], 1)      // QDCOUNT
	binary.BigEndian.PutUint16(m[10:], 1)     // ARCOUNT
	m = append(m, netbiosName(name, suffix)...)
	m = append(m, 0, 0x20, 0, 1) // NB, IN
	m = append(m, 0xc0, 12)      // the question's name
	m = append(m, 0, 0x20, 0, 1, 0, 4, 0x93, 0xe0, 0, 6, 0, 0, 10, 0, 0, src)
	return UDPFrame(src, 255, 137, 137, m)
}

// browserFrame is an NBT direct group datagram (RFC 1002 §4.4.2) from
// host at 10.0.0.src to dst<suffix>, carrying a class 2 mailslot write to
// \MAILSLOT\BROWSE of data.
func browserFrame(src byte, host, dst string, suffix byte, data []byte) []byte {
	smb := mailslotWrite(`\MAILSLOT\BROWSE`, data)
	d := []byte{0x11, 0x02, 0x00, src, 10, 0, 0, src, 0x00, 0x8a, 0, 0, 0, 0}
	d = append(d, netbiosName(host, 0x00)...)
	d = append(d, netbiosName(dst, suffix)...)
	binary.BigEndian.PutUint16(d[10:], uint16(len(d)-14+len(smb)))
	return UDPFrame(src, 255, 138, 138, append(d, smb...))
}

// mailslotWrite is an SMB_COM_TRANSACTION carrying a class 2 mailslot
// write ([MS-MAIL] §2.2.1).
func mailslotWrite(mailslot string, data []byte) []byte {
	le := binary.LittleEndian
	smb := make([]byte, 32, 128+len(data))
	copy(smb, "\xffSMB\x25")
	w := make([]byte, 1+28)
	w[0] = 17                               // WordCount: 14 words and 3 setup words
	le.PutUint16(w[3:], uint16(len(data)))  // TotalDataCount
	le.PutUint32(w[13:], 1000)              // Timeout
	le.PutUint16(w[23:], uint16(len(data))) // DataCount
	w[27] = 3                               // SetupCount
	smb = append(smb, w...)
	smb = append(smb, 1, 0, 1, 0, 2, 0) // write, priority 1, class 2
	name := append([]byte(mailslot), 0)
	smb = le.AppendUint16(smb, uint16(len(name)+len(data)))
	smb = append(smb, name...)
	le.PutUint16(smb[57:], uint16(len(smb))) // DataOffset
	return append(smb, data...)
}

// announcement is a HostAnnouncement (opcode 0x01), LocalMasterAnnouncement
// (0x0f) or DomainAnnouncement (0x0c) ([MS-BRWS] §2.2.1-2.2.3) of server,
// OS 6.1, browser 15.1, periodicity 12 minutes.
func announcement(opcode byte, server string, typ uint32, comment string) []byte {
	b := []byte{opcode, 1}
	b = binary.LittleEndian.AppendUint32(b, 720000)
	var name [16]byte
	copy(name[:15], server)
	b = append(b, name[:]...)
	b = append(b, 6, 1)
	b = binary.LittleEndian.AppendUint32(b, typ)
	b = append(b, 15, 1, 0x55, 0xaa)
	return append(append(b, comment...), 0)
}

// election is a RequestElection ([MS-BRWS] §2.2.6) with the given
// criteria and an uptime of a minute.
func election(criteria uint32, server string) []byte {
	b := []byte{0x08, 1}
	b = binary.LittleEndian.AppendUint32(b, criteria)
	b = binary.LittleEndian.AppendUint32(b, 60000)
	b = binary.LittleEndian.AppendUint32(b, 0)
	return append(append(b, server...), 0)
}
