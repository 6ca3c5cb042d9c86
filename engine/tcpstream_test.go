package engine

import (
	"io"
	"os"
	"testing"
	"time"
	"unsafe"

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

// 200 conversations, then a second segment of each from the other side:
// each keeps its tcp.stream and its first sequence numbers past the room
// made for the map at boundmap.At.
func TestTCPIndexPastGrowth(t *testing.T) {
	var x tcpIndex
	next := 0
	x.init(shareOf(DefaultConfig().MaxTCPStreams), &next)
	conv := func(i int) dissect.Net {
		return dissect.Net{Src: [4]byte{10, 0, byte(i >> 8), byte(i)}, Dst: [4]byte{10, 1, 0, 1}, SrcPort: uint16(40000 + i), DstPort: 139}
	}
	for i := range 200 {
		n := conv(i)
		sq, forgot := x.lookup(&n, &layers.TCP{Seq: uint32(1000 * i), SYN: true}, time.Time{})
		if sq.Stream != i || sq.Seq != 0 || forgot {
			t.Fatalf("conversation %d: %+v, forgot %v", i, sq, forgot)
		}
	}
	if !x.grown || len(x.convs) != 200 {
		t.Fatalf("grown %v, %d conversations in the map", x.grown, len(x.convs))
	}
	for i := range 200 {
		n := conv(i)
		n.Src, n.Dst, n.SrcPort, n.DstPort = n.Dst, n.Src, n.DstPort, n.SrcPort
		sq, _ := x.lookup(&n, &layers.TCP{Seq: 7, Ack: uint32(1000*i) + 1, SYN: true, ACK: true}, time.Time{})
		if sq.Stream != i || sq.Seq != 0 || sq.Ack != 1 {
			t.Errorf("conversation %d, the answer: %+v", i, sq)
		}
	}
	if next != 200 || len(x.convs) != 200 {
		t.Errorf("%d conversations numbered, %d in the map; want 200", next, len(x.convs))
	}
}

// One tcpConv a conversation, thousands at a bound: it stays in the
// 48-byte size class (its fields' order).
func TestTCPConvSize(t *testing.T) {
	if n := unsafe.Sizeof(tcpConv{}); n > 48 {
		t.Errorf("tcpConv is %d bytes, want at most 48", n)
	}
}

// tcpKeyOf orders the endpoints by address, then port, as big-endian
// numbers compare: both directions of a conversation have one key, told
// apart by dir; conversations that differ only in a port, or whose
// endpoints swap their ports, do not share it.
func TestTCPKeyOf(t *testing.T) {
	n := func(src, dst [4]byte, sp, dp uint16) *dissect.Net {
		return &dissect.Net{Src: src, Dst: dst, SrcPort: sp, DstPort: dp}
	}
	a, b := [4]byte{10, 0, 0, 200}, [4]byte{10, 0, 1, 5} // a < b only as big-endian numbers
	k0, d0 := tcpKeyOf(n(a, b, 1025, 139))
	k1, d1 := tcpKeyOf(n(b, a, 139, 1025))
	if want := (tcpKey{a: 0x0a0000c8, b: 0x0a000105, ports: 1025<<16 | 139}); k0 != want || d0 != 0 {
		t.Errorf("a to b: key %+v dir %d, want %+v dir 0", k0, d0, want)
	}
	if k1 != k0 || d1 != 1 {
		t.Errorf("b to a: key %+v dir %d, want %+v dir 1", k1, d1, k0)
	}
	// One address: the lower port first.
	if k, d := tcpKeyOf(n(a, a, 445, 139)); k != (tcpKey{a: 0x0a0000c8, b: 0x0a0000c8, ports: 139<<16 | 445}) || d != 1 {
		t.Errorf("same address, 445 to 139: key %+v dir %d", k, d)
	}
	for _, o := range []*dissect.Net{n(a, b, 1026, 139), n(a, b, 139, 1025), n(a, [4]byte{10, 0, 1, 6}, 1025, 139)} {
		if k, _ := tcpKeyOf(o); k == k0 {
			t.Errorf("%+v: the key of another conversation (%+v)", *o, k)
		}
	}
}
