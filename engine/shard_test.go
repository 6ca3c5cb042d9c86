package engine

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// tcpFrame builds an Ethernet/IPv4/TCP frame from src to dst, port 1025 →
// 139, with ipFlags and fragOff set in the IPv4 header.
func tcpFrame(tb testing.TB, src, dst net.IP, ipFlags layers.IPv4Flag, fragOff uint16) []byte {
	tb.Helper()
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: src, DstIP: dst, Flags: ipFlags, FragOffset: fragOff}
	tcp := &layers.TCP{SrcPort: 1025, DstPort: 139, Seq: 1, ACK: true, Window: 512}
	if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
		tb.Fatal(err)
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, tcp, gopacket.Payload("\x85\x00\x00\x00")); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// A TCP frame's shard is its address pair's, both ways and for its IPv4
// fragments too; frames without TCP in their outer IPv4 header are shard
// 0; the pairs of one /24 spread over every address shard.
func TestShardOf(t *testing.T) {
	a, b := net.IP{192, 168, 1, 10}, net.IP{192, 168, 1, 20}
	s := ShardOf(tcpFrame(t, a, b, 0, 0), layers.LinkTypeEthernet)
	if s < 1 || s >= Shards {
		t.Fatalf("shard %d of a TCP frame, want 1..%d", s, Shards-1)
	}
	if r := ShardOf(tcpFrame(t, b, a, 0, 0), layers.LinkTypeEthernet); r != s {
		t.Errorf("the reply goes to shard %d, the request to %d", r, s)
	}
	if f := ShardOf(tcpFrame(t, a, b, layers.IPv4MoreFragments, 0), layers.LinkTypeEthernet); f != s {
		t.Errorf("a first IPv4 fragment goes to shard %d, its pair's segments to %d", f, s)
	}
	if f := ShardOf(tcpFrame(t, a, b, 0, 185), layers.LinkTypeEthernet); f != s {
		t.Errorf("a last IPv4 fragment goes to shard %d, its pair's segments to %d", f, s)
	}
	if u := ShardOf(udpFrame(t, []byte{0x11}), layers.LinkTypeEthernet); u != 0 {
		t.Errorf("UDP: shard %d", u)
	}
	raw := tcpFrame(t, a, b, 0, 0)[14:]
	if r := ShardOf(raw, layers.LinkTypeRaw); r != s {
		t.Errorf("raw IPv4: shard %d, Ethernet %d", r, s)
	}
	gre := tcpFrame(t, a, b, 0, 0)
	gre[14+9] = 47 // the outer header carries GRE: a tunnel
	if g := ShardOf(gre, layers.LinkTypeEthernet); g != 0 {
		t.Errorf("GRE: shard %d", g)
	}
	for _, bad := range [][]byte{nil, {0x45}, make([]byte, 33)} {
		if g := ShardOf(bad, layers.LinkTypeEthernet); g != 0 {
			t.Errorf("%x: shard %d", bad, g)
		}
	}
	seen := map[int]int{}
	for i := 1; i <= 64; i++ {
		seen[ShardOf(tcpFrame(t, net.IP{10, 0, 0, byte(i)}, net.IP{10, 0, 0, 200}, 0, 0), layers.LinkTypeEthernet)]++
	}
	if len(seen) != addressShards {
		t.Errorf("64 clients of one server fall in %d of %d shards: %v", len(seen), addressShards, seen)
	}
}

// withoutTCPStream is frameText without the value of tcp.stream, which
// counts conversations over all shards.
func withoutTCPStream(f *dissect.Frame) string {
	for i := range f.Tree.Nodes {
		if f.Tree.Nodes[i].Field == dissect.FieldTCPStream {
			f.Tree.Nodes[i].U = 0
		}
	}
	return frameText(f)
}

// Every TCP frame of every capture, decoded by an engine that is given
// only the frames of its shard (DecodeNth), is what the engine that saw
// the whole capture made of it (and so is every frame decoded with its
// shard given, DecodeNthRouted), but for tcp.stream: timeouts, limits and
// SMB state do not depend on other shards. The captures' TCP traffic
// falls in several shards.
func TestShardsDecodeAlone(t *testing.T) {
	used := map[int]int{}
	for _, c := range sharedAndLabCaptures(t) {
		whole, routed := New(DefaultConfig()), New(DefaultConfig())
		var alone [Shards]*Engine
		eachFrame(t, c, func(fr *captureFrame) {
			sh := ShardOf(fr.data, fr.lt)
			_, _, r := Route(fr.data, fr.lt)
			if r != sh {
				t.Fatalf("%s frame %d: Route says shard %d, ShardOf %d", c, fr.n, r, sh)
			}
			wf := whole.Decode(fr.data, fr.ci, fr.lt, 0)
			// Given the shard by its reader (DecodeRouted, as the
			// parallel engines are), an engine decodes every frame as it
			// does finding the shard itself.
			if got, want := frameText(routed.DecodeRouted(fr.n, &fr.first, &fr.prev, fr.data, &fr.ci, fr.lt, 0, r, 0)), frameText(wf); got != want {
				t.Fatalf("%s frame %d (shard %d): given the shard\n%.600s\nfinding it\n%.600s", c, fr.n, sh, got, want)
			}
			want := withoutTCPStream(wf)
			if sh == 0 {
				return
			}
			if alone[sh] == nil {
				alone[sh] = New(DefaultConfig())
			}
			used[sh]++
			if got := withoutTCPStream(alone[sh].DecodeNth(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0)); got != want {
				t.Fatalf("%s frame %d (shard %d): alone\n%.600s\nwith the capture\n%.600s", c, fr.n, sh, got, want)
			}
		})
		whole.Close()
		routed.Close()
		for _, e := range alone {
			if e != nil {
				e.Close()
			}
		}
	}
	var parts []string
	for s := 1; s < Shards; s++ {
		parts = append(parts, strconv.Itoa(used[s]))
	}
	t.Logf("TCP frames by shard: %s", strings.Join(parts, " "))
	if len(used) < addressShards/2 {
		t.Errorf("the captures' TCP frames fall in %d shards: %v", len(used), used)
	}
}

// FuzzShardOf: no input makes ShardOf panic or leave 0..Shards-1, and
// Route says what Classify and ShardOf say (the reader asks Route, the
// engine ShardOf).
func FuzzShardOf(f *testing.F) {
	f.Add(udpFrame(f, []byte{0x11}), uint8(layers.LinkTypeEthernet))
	f.Add(tcpFrame(f, net.IP{10, 0, 0, 1}, net.IP{10, 0, 0, 2}, layers.IPv4MoreFragments, 0), uint8(layers.LinkTypeEthernet))
	f.Fuzz(func(t *testing.T, data []byte, lt uint8) {
		s := ShardOf(data, layers.LinkType(lt))
		if s < 0 || s >= Shards {
			t.Errorf("shard %d", s)
		}
		c, may := Classify(data, layers.LinkType(lt))
		if rc, rmay, rs := Route(data, layers.LinkType(lt)); rc != c || rmay != may || rs != s {
			t.Errorf("Route %v %v %d, Classify %v %v, ShardOf %d", rc, rmay, rs, c, may, s)
		}
	})
}

// ipFragment is an Ethernet/IPv4 fragment (ID 7, UDP 137 → 137 inside)
// at offset off (8-byte units) carrying payload, more fragments following
// or not.
func ipFragment(tb testing.TB, off uint16, more bool, payload []byte) []byte {
	tb.Helper()
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Id: 7, Protocol: layers.IPProtocolUDP, SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 255}, FragOffset: off}
	if more {
		ip.Flags = layers.IPv4MoreFragments
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, gopacket.Payload(payload)); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// The IPv4 fragments of a datagram wait 30 s of capture time for the
// others, not for ever: a last fragment 5 s after the first completes the
// datagram; 31 s after, the first was forgotten, and it is a fragment on
// its own.
func TestIPv4FragmentsExpire(t *testing.T) {
	udp := []byte{0, 137, 0, 137, 0, 20, 0, 0, 'N', 'B', 'N', 'S', 'Q', 'U', 'E', 'R'} // UDP header, 8 bytes of 12
	for _, c := range []struct {
		after time.Duration
		whole bool
	}{{5 * time.Second, true}, {31 * time.Second, false}} {
		e := New(DefaultConfig())
		t0 := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
		first := ipFragment(t, 0, true, udp)
		e.Decode(first, gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(first), Length: len(first)}, layers.LinkTypeEthernet, 0)
		last := ipFragment(t, 2, false, []byte("YXYZ"))
		f := e.Decode(last, gopacket.CaptureInfo{Timestamp: t0.Add(c.after), CaptureLength: len(last), Length: len(last)}, layers.LinkTypeEthernet, 0)
		if whole := !f.Net.Fragmented; whole != c.whole {
			t.Errorf("last fragment %v after the first: reassembled %v, want %v (info %q)", c.after, whole, c.whole, f.Info)
		}
	}
}
