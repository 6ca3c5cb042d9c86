package engine

import (
	"io"
	"os"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// BenchmarkTCPIndexLookup: tcp.stream and relative sequence numbers of
// every TCP segment of the capture NBTSNIFF_BENCH_FILE names (the
// NBT-dense mix: TCP 139/445 sessions of the real captures, repeated), as
// one shard with the engine's default bound sees them:
//
//	NBTSNIFF_BENCH_FILE=/tmp/dense.pcap go test -run XXX -bench TCPIndexLookup ./engine/
func BenchmarkTCPIndexLookup(b *testing.B) {
	path := os.Getenv("NBTSNIFF_BENCH_FILE")
	if path == "" {
		b.Skip("NBTSNIFF_BENCH_FILE is not set")
	}
	type segment struct {
		net dissect.Net
		tcp layers.TCP
	}
	var segs []segment
	r := openCapture(b, path)
	for {
		data, _, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		p := gopacket.NewPacket(data, r.LinkType(), gopacket.NoCopy)
		ip, _ := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		tc, _ := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if ip == nil || tc == nil {
			continue
		}
		var s segment
		copy(s.net.Src[:], ip.SrcIP.To4())
		copy(s.net.Dst[:], ip.DstIP.To4())
		s.net.SrcPort, s.net.DstPort = uint16(tc.SrcPort), uint16(tc.DstPort)
		s.tcp = layers.TCP{Seq: tc.Seq, Ack: tc.Ack, SYN: tc.SYN, ACK: tc.ACK}
		segs = append(segs, s)
	}
	b.ResetTimer()
	sum := uint32(0)
	for range b.N {
		var x tcpIndex
		next := 0
		x.init(shareOf(DefaultConfig().MaxTCPStreams), &next)
		for i := range segs {
			sq, _ := x.lookup(&segs[i].net, &segs[i].tcp, time.Time{})
			sum += sq.Seq
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(segs)), "ns/segment")
	_ = sum
}
