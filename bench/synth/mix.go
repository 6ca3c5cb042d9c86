package synth

import (
	"bufio"
	"encoding/binary"
	"io"
	"math/rand/v2"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/capture"
)

// The realistic mix (issue 15): what a capture of an office network
// mostly holds is not NetBIOS. WriteMix writes other frames of TCP 443
// (60%), TCP 80 (25%) and UDP 53 (15%), 100 µs apart, in 2,000 TCP
// conversations whose sequence numbers advance with their payloads and
// DNS queries and answers of random sizes, from a PCG generator seeded
// with seed; then nbt frames of the cycle (its frames repeated as
// WritePcap writes them), after the other frames in time. The same cycle,
// counts and seed always give the same file. Payload bytes are random;
// checksums are left zero (none), as offloading NICs capture them.

// mixFlows is the number of TCP conversations the other frames belong to.
const mixFlows = 2000

// mixFlow is one TCP conversation of the mix.
type mixFlow struct {
	client, server [4]byte
	cport, sport   uint16
	cseq, sseq     uint32
}

// WriteMix writes the realistic mix to w as a nanosecond pcap with the
// Ethernet link type and returns the bytes of frame data written.
func WriteMix(w io.Writer, c *Cycle, other, nbt int, seed uint64) (int64, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	pw := pcapgo.NewWriterNanos(bw)
	if err := pw.WriteFileHeader(capture.MaxRecordSize, layers.LinkTypeEthernet); err != nil {
		return 0, err
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	flows := make([]mixFlow, mixFlows)
	for i := range flows {
		fl := &flows[i]
		fl.client = [4]byte{192, 168, byte(1 + i/250), byte(1 + i%250)}
		fl.server = [4]byte{203, 0, byte(r.IntN(256)), byte(1 + r.IntN(254))}
		fl.cport = uint16(32768 + r.IntN(28000))
		fl.sport = 443
		if r.IntN(100) < 30 {
			fl.sport = 80
		}
		fl.cseq, fl.sseq = r.Uint32(), r.Uint32()
	}
	start := c.Origin.Add(-time.Duration(other+1) * 100 * time.Microsecond)
	buf := make([]byte, 0, 1600)
	var total int64
	for i := range other {
		if r.IntN(100) < 15 {
			buf = mixDNS(buf[:0], r)
		} else {
			buf = mixTCP(buf[:0], &flows[r.IntN(len(flows))], r)
		}
		ci := gopacket.CaptureInfo{Timestamp: start.Add(time.Duration(i) * 100 * time.Microsecond),
			CaptureLength: len(buf), Length: len(buf)}
		if err := pw.WritePacket(ci, buf); err != nil {
			return total, err
		}
		total += int64(len(buf))
	}
	var fb []byte
	for n := range nbt {
		var ci gopacket.CaptureInfo
		fb, ci = c.Frame(n/len(c.Frames), n%len(c.Frames), fb)
		if err := pw.WritePacket(ci, fb); err != nil {
			return total, err
		}
		total += int64(len(fb))
	}
	return total, bw.Flush()
}

// mixTCP appends one segment of fl, either way, with 0-1400 bytes of
// payload (a third of them bare ACKs).
func mixTCP(b []byte, fl *mixFlow, r *rand.Rand) []byte {
	n := 0
	if r.IntN(3) > 0 {
		n = 1 + r.IntN(1400)
	}
	src, dst, sp, dp, seq, ack := fl.client, fl.server, fl.cport, fl.sport, &fl.cseq, fl.sseq
	if r.IntN(2) == 0 {
		src, dst, sp, dp, seq, ack = fl.server, fl.client, fl.sport, fl.cport, &fl.sseq, fl.cseq
	}
	b = mixIPv4(b, src, dst, 6, 20+n)
	b = binary.BigEndian.AppendUint16(b, sp)
	b = binary.BigEndian.AppendUint16(b, dp)
	b = binary.BigEndian.AppendUint32(b, *seq)
	b = binary.BigEndian.AppendUint32(b, ack)
	flags := byte(0x10) // ACK
	if n > 0 {
		flags |= 0x08 // PSH
	}
	b = append(b, 5<<4, flags, 0xff, 0xff, 0, 0, 0, 0) // window 65535, checksum none
	*seq += uint32(n)
	return mixPayload(b, n, r)
}

// mixDNS appends a DNS query or answer of 30-300 bytes (random bytes
// after the UDP header: nbtsniff and tshark decode nothing of DNS that
// matters here).
func mixDNS(b []byte, r *rand.Rand) []byte {
	n := 30 + r.IntN(270)
	client := [4]byte{192, 168, byte(1 + r.IntN(8)), byte(1 + r.IntN(250))}
	server := [4]byte{192, 168, 0, 53}
	cport := uint16(32768 + r.IntN(28000))
	src, dst, sp, dp := client, server, cport, uint16(53)
	if r.IntN(2) == 0 {
		src, dst, sp, dp = server, client, 53, cport
	}
	b = mixIPv4(b, src, dst, 17, 8+n)
	b = binary.BigEndian.AppendUint16(b, sp)
	b = binary.BigEndian.AppendUint16(b, dp)
	b = binary.BigEndian.AppendUint16(b, uint16(8+n))
	b = append(b, 0, 0) // checksum none
	return mixPayload(b, n, r)
}

// mixIPv4 appends an Ethernet and IPv4 header for a datagram of l4 bytes.
func mixIPv4(b []byte, src, dst [4]byte, proto byte, l4 int) []byte {
	b = append(b, 0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00)
	ip := len(b)
	b = append(b, 0x45, 0)
	b = binary.BigEndian.AppendUint16(b, uint16(20+l4))
	b = append(b, 0, 0, 0x40, 0, 64, proto, 0, 0)
	b = append(b, src[:]...)
	b = append(b, dst[:]...)
	ipChecksum(b[ip:ip+20], b[ip+10:])
	return b
}

// mixPayload appends n random bytes.
func mixPayload(b []byte, n int, r *rand.Rand) []byte {
	for n >= 8 {
		b = binary.LittleEndian.AppendUint64(b, r.Uint64())
		n -= 8
	}
	for ; n > 0; n-- {
		b = append(b, byte(r.Uint32()))
	}
	return b
}
