package crafted

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
)

// SynFloodThenEnum is 5,000 bare SYNs to 198.18.1.11:139 from 5,000
// spoofed addresses (10.66.0.1 to 10.66.19.250), one every millisecond,
// then, a minute after the first, the NetServerEnum2 session of
// testdata/pcaps/enum.pcapng (198.18.1.99:41016 → 198.18.1.11:139,
// its frames 836-861 as captured). The SYNs spread over every TCP shard
// of the engine and fill its connection table; the session must still be
// decoded, as tshark decodes it.
func SynFloodThenEnum() []byte {
	session, first := enumSession()
	out := pcapHeader()
	start := first.Add(-time.Minute)
	for i := range 5000 {
		src := [4]byte{10, 66, byte(i / 250), byte(i%250 + 1)}
		syn := tcpFrame(src, [4]byte{198, 18, 1, 11}, uint16(1024+i), 139, 0x10000000+uint32(i)*7919, 0x02, nil)
		out = append(out, recordAt(start.Add(time.Duration(i)*time.Millisecond), syn, len(syn))...)
	}
	return append(out, session...)
}

// recordAt is a pcap record captured at t (microseconds).
func recordAt(t time.Time, data []byte, origLen int) []byte {
	b := make([]byte, 16, 16+len(data))
	binary.LittleEndian.PutUint32(b[0:], uint32(t.Unix()))
	binary.LittleEndian.PutUint32(b[4:], uint32(t.Nanosecond()/1000))
	binary.LittleEndian.PutUint32(b[8:], uint32(len(data)))
	binary.LittleEndian.PutUint32(b[12:], uint32(origLen))
	return append(b, data...)
}

// enumSession returns the pcap records of the NetServerEnum2 session of
// enum.pcapng, and the capture time of its first frame.
func enumSession() ([]byte, time.Time) {
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "..", "testdata", "pcaps", "enum.pcapng")
	raw, err := os.ReadFile(path)
	if err != nil {
		panic("crafted: " + err.Error())
	}
	r, err := pcapgo.NewNgReader(bytes.NewReader(raw), pcapgo.DefaultNgReaderOptions)
	if err != nil {
		panic("crafted: " + err.Error())
	}
	var out []byte
	var first time.Time
	for {
		data, ci, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic("crafted: " + err.Error())
		}
		if !enumSessionFrame(data) {
			continue
		}
		if first.IsZero() {
			first = ci.Timestamp
		}
		out = append(out, recordAt(ci.Timestamp, data, ci.Length)...)
	}
	return out, first
}

// enumSessionFrame reports whether an Ethernet frame is a TCP segment
// between 198.18.1.99:41016 and 198.18.1.11:139.
func enumSessionFrame(d []byte) bool {
	if len(d) < 14+20+4 || d[12] != 0x08 || d[13] != 0x00 || d[14]>>4 != 4 || d[23] != 6 {
		return false
	}
	ip := d[14:]
	tcp := ip[int(ip[0]&0x0f)*4:]
	a, b := [4]byte(ip[12:16]), [4]byte(ip[16:20])
	sp, dp := binary.BigEndian.Uint16(tcp[0:]), binary.BigEndian.Uint16(tcp[2:])
	client, server := [4]byte{198, 18, 1, 99}, [4]byte{198, 18, 1, 11}
	return a == client && b == server && sp == 41016 && dp == 139 ||
		a == server && b == client && sp == 139 && dp == 41016
}

// tcpFrame is an Ethernet/IPv4/TCP segment (no options) with correct
// checksums; flags is the TCP flags byte (0x02 SYN).
func tcpFrame(src, dst [4]byte, sport, dport uint16, seq uint32, flags byte, payload []byte) []byte {
	eth := []byte{0x02, 0, 0, 0, 0, 0x0b, 0x02, 0, src[0], src[1], src[2], src[3], 0x08, 0x00}
	ip := make([]byte, 20)
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(20+20+len(payload)))
	ip[8], ip[9] = 64, 6
	copy(ip[12:], src[:])
	copy(ip[16:], dst[:])
	binary.BigEndian.PutUint16(ip[10:], checksum(ip, 0))
	tcp := make([]byte, 20, 20+len(payload))
	binary.BigEndian.PutUint16(tcp[0:], sport)
	binary.BigEndian.PutUint16(tcp[2:], dport)
	binary.BigEndian.PutUint32(tcp[4:], seq)
	tcp[12], tcp[13] = 5<<4, flags
	binary.BigEndian.PutUint16(tcp[14:], 64240)
	tcp = append(tcp, payload...)
	// The pseudo-header: addresses, protocol, TCP length.
	var pseudo uint32
	for i := 0; i < 4; i += 2 {
		pseudo += uint32(binary.BigEndian.Uint16(src[i:])) + uint32(binary.BigEndian.Uint16(dst[i:]))
	}
	pseudo += 6 + uint32(len(tcp))
	binary.BigEndian.PutUint16(tcp[16:], checksum(tcp, pseudo))
	return append(append(eth, ip...), tcp...)
}

// checksum is the Internet checksum (RFC 1071) of b, starting from sum.
func checksum(b []byte, sum uint32) uint16 {
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}
