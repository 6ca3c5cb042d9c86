package reassembly

// Connections built segment by segment: who is the client, reordered,
// duplicated and split segments, a capture begun mid-stream, packets
// larger than a segment.

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// streamBuilder makes TCP segments for tests, as a capture would have
// them: real IPv4 and TCP headers decoded by gopacket.
type streamBuilder struct {
	frame          int
	ts             time.Time
	client, server [4]byte
	cport, sport   uint16
	cseq, sseq     uint32
}

func newStreamBuilder(serverPort uint16) *streamBuilder {
	return &streamBuilder{ts: time.Unix(1700000000, 0), client: [4]byte{10, 0, 1, 10}, server: [4]byte{10, 0, 1, 12},
		cport: 1044, sport: serverPort, cseq: 1000, sseq: 5000}
}

// seg builds one segment; flags is a subset of "SAFR". seq is advanced.
func (b *streamBuilder) seg(tb testing.TB, fromClient bool, flags string, payload []byte) streamPacket {
	tb.Helper()
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: b.client[:], DstIP: b.server[:]}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(b.cport), DstPort: layers.TCPPort(b.sport), Seq: b.cseq, Ack: b.sseq, Window: 65535}
	seq := &b.cseq
	if !fromClient {
		ip.SrcIP, ip.DstIP = b.server[:], b.client[:]
		tcp.SrcPort, tcp.DstPort, tcp.Seq, tcp.Ack = layers.TCPPort(b.sport), layers.TCPPort(b.cport), b.sseq, b.cseq
		seq = &b.sseq
	}
	tcp.ACK = !strings.Contains(flags, "S") || !fromClient
	tcp.SYN = strings.Contains(flags, "S")
	tcp.FIN = strings.Contains(flags, "F")
	tcp.RST = strings.Contains(flags, "R")
	tcp.PSH = len(payload) > 0
	*seq += uint32(len(payload))
	if tcp.SYN || tcp.FIN {
		*seq++
	}
	return b.packet(tb, ip, tcp, payload)
}

func (b *streamBuilder) packet(tb testing.TB, ip *layers.IPv4, tcp *layers.TCP, payload []byte) streamPacket {
	tb.Helper()
	if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
		tb.Fatal(err)
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ip, tcp, gopacket.Payload(payload)); err != nil {
		tb.Fatal(err)
	}
	b.frame++
	b.ts = b.ts.Add(time.Millisecond)
	p := gopacket.NewPacket(buf.Bytes(), layers.LayerTypeIPv4, gopacket.Default)
	sp := streamPacket{frame: b.frame, ci: gopacket.CaptureInfo{Timestamp: b.ts, CaptureLength: len(buf.Bytes()), Length: len(buf.Bytes())}}
	sp.ip, _ = p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
	sp.tcp, _ = p.Layer(layers.LayerTypeTCP).(*layers.TCP)
	if sp.ip == nil || sp.tcp == nil {
		tb.Fatal("built segment does not decode")
	}
	return sp
}

// resegment cuts a TCP segment's payload at the given offsets into new
// segments (the same headers, seq moved), keeping frame numbers unique.
func resegment(p streamPacket, cuts []int, frame *int) []streamPacket {
	var out []streamPacket
	prev := 0
	for _, c := range append(cuts, len(p.tcp.Payload)) {
		if c <= prev || c > len(p.tcp.Payload) {
			continue
		}
		t := *p.tcp
		t.Seq = p.tcp.Seq + uint32(prev)
		t.Payload = p.tcp.Payload[prev:c]
		t.FIN = p.tcp.FIN && c == len(p.tcp.Payload)
		*frame++
		q := p
		q.frame = *frame
		q.tcp = &t
		out = append(out, q)
		prev = c
	}
	return out
}

// streamSessionPackets is nbss139-session-full-scanner-winxp_wanderview.pcap:
// tshark shows a session request, a positive response and eight SMB
// messages (frames 4 to 13), each alone in its segment.
func streamSessionPackets(tb testing.TB) []streamPacket {
	return streamReadCapture(tb, "nbss139-session-full-scanner-winxp_wanderview.pcap")
}

func streamSameDirSeq(tb testing.TB, got, want []streamMsg) {
	tb.Helper()
	for _, d := range []Direction{ClientToServer, ServerToClient} {
		var g, w []string
		for _, m := range got {
			if m.dir == d {
				g = append(g, string(m.data))
			}
		}
		for _, m := range want {
			if m.dir == d {
				w = append(w, string(m.data))
			}
		}
		if strings.Join(g, "|") != strings.Join(w, "|") {
			tb.Errorf("%v: %d packets, want %d, or different bytes", d, len(g), len(w))
		}
	}
}

func TestStreamSessionIdentity(t *testing.T) {
	pkts := streamSessionPackets(t)
	c := streamRun(pkts, StreamLimits{})
	if len(c.msgs) != 10 || len(c.anoms) != 0 {
		t.Fatalf("%d packets, %d anomalies (%v); tshark shows 10 packets", len(c.msgs), len(c.anoms), c.anoms)
	}
	m := c.msgs[0]
	if m.conn != 0 || m.dir != ClientToServer || m.frame != 4 || m.first != 4 || m.reassembled || m.long || m.data[0] != 0x81 {
		t.Errorf("session request: %+v", m)
	}
	// frame 6, tshark: "SMB 240 Negotiate Protocol Request", with no flags.
	if m := c.msgs[2]; m.frame != 6 || !m.long || m.dir != ClientToServer {
		t.Errorf("negotiate: %+v", m)
	}
	if m := c.msgs[1]; m.dir != ServerToClient || m.frame != 5 {
		t.Errorf("positive response: %+v", m)
	}
}

// TestStreamConnIdentity checks who is the client with and without the
// handshake.
func TestStreamConnIdentity(t *testing.T) {
	pkts := streamSessionPackets(t)
	for _, tt := range []struct {
		name  string
		from  int // first frame fed
		first Direction
	}{
		{"with SYN", 1, ClientToServer},
		{"from the session request", 4, ClientToServer},
		{"from the positive response", 5, ServerToClient},
	} {
		var got *Conn
		h := &streamConnGrab{conn: &got}
		s := NewStreamReassembler(h, StreamLimits{})
		for _, p := range pkts[tt.from-1 : 13] { // up to the FINs
			s.Add(p.frame, p.ci.Timestamp, p.ip, p.tcp)
		}
		if got == nil {
			t.Fatalf("%s: no packet", tt.name)
		}
		if got.ClientIP != [4]byte{10, 0, 1, 10} || got.ServerPort != 139 || got.ClientPort != 1044 || got.Direct {
			t.Errorf("%s: %+v", tt.name, got)
		}
		if got.SawSYN != (tt.from == 1) || h.firstDir != tt.first {
			t.Errorf("%s: SawSYN %v, first packet %v", tt.name, got.SawSYN, h.firstDir)
		}
		if s.Conns() != 1 {
			t.Errorf("%s: %d connections", tt.name, s.Conns())
		}
		s.FlushAll()
		if s.Conns() != 0 || s.Buffered() != 0 {
			t.Errorf("%s: after FlushAll %d connections, %d bytes held", tt.name, s.Conns(), s.Buffered())
		}
	}
}

type streamConnGrab struct {
	conn     **Conn
	firstDir Direction
	n        int
}

func (g *streamConnGrab) OnMessage(m *NBSSMessage) {
	if g.n == 0 {
		*g.conn, g.firstDir = m.Conn, m.Dir
	}
	g.n++
}

func (g *streamConnGrab) OnAnomaly(a *StreamAnomaly) {}

// TestStreamReorderDuplicate delivers the real session's segments out of
// order, duplicated, and cut into small pieces: the same packets must come
// out, in the same order per direction.
func TestStreamReorderDuplicate(t *testing.T) {
	pkts := streamSessionPackets(t)
	want := streamRun(pkts, StreamLimits{}).msgs
	byFrame := map[int]streamPacket{}
	for _, p := range pkts {
		byFrame[p.frame] = p
	}
	order := func(frames ...int) []streamPacket {
		var out []streamPacket
		for _, f := range frames {
			out = append(out, byFrame[f])
		}
		return out
	}
	frame := 1000
	var pieces []streamPacket
	for _, f := range []int{4, 5, 6, 7, 8, 9, 10, 11, 12, 13} {
		p := byFrame[f]
		pieces = append(pieces, resegment(p, []int{1, 3, 7, 20, 60}, &frame)...)
	}
	// Reverse the pieces of each client segment: the first piece comes last.
	var shuffled []streamPacket
	for i := 0; i < len(pieces); {
		j := i
		for j < len(pieces) && pieces[j].tcp.SrcPort == pieces[i].tcp.SrcPort && pieces[j].tcp.Seq >= pieces[i].tcp.Seq && (j == i || pieces[j].tcp.Seq == pieces[j-1].tcp.Seq+uint32(len(pieces[j-1].tcp.Payload))) {
			j++
		}
		for k := j - 1; k >= i; k-- {
			shuffled = append(shuffled, pieces[k])
		}
		i = j
	}
	for _, tt := range []struct {
		name string
		pkts []streamPacket
	}{
		{"swapped client segments", order(1, 2, 3, 4, 5, 8, 6, 7, 9, 10, 12, 11, 13, 14, 15, 16)},
		{"swapped server segments", order(1, 2, 3, 4, 5, 6, 7, 9, 8, 10, 11, 12, 13, 14, 15, 16)},
		{"retransmissions", order(1, 2, 3, 4, 4, 5, 6, 5, 7, 6, 8, 9, 10, 10, 11, 12, 13, 13, 14, 15, 16)},
		{"late duplicate of an old segment", order(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 4, 6, 12, 13, 14, 15, 16)},
		{"cut into pieces", append(append(order(1, 2, 3), pieces...), order(14, 15, 16)...)},
		{"pieces in reverse", append(append(order(1, 2, 3), shuffled...), order(14, 15, 16)...)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := streamRun(tt.pkts, StreamLimits{})
			streamSameDirSeq(t, c.msgs, want)
			for _, a := range c.anoms {
				t.Errorf("anomaly %v: %v", a.Kind, a.Cause())
			}
		})
	}
}

// TestStreamSplitMessage: synthetic/edge-nbss139-split-session-msg_zeek.pcap
// splits one session message over frames 4 (8 bytes) and 6 (28 bytes, then
// a second packet of 8 bytes); tshark shows both in frame 6, with flags.
func TestStreamSplitMessage(t *testing.T) {
	c := streamRun(streamReadCapture(t, "synthetic/edge-nbss139-split-session-msg_zeek.pcap"), StreamLimits{})
	if len(c.msgs) != 2 {
		t.Fatalf("%d packets", len(c.msgs))
	}
	if m := c.msgs[0]; m.frame != 6 || m.first != 4 || !m.reassembled || m.long || len(m.data) != 36 {
		t.Errorf("first: %+v", m)
	}
	if m := c.msgs[1]; m.frame != 6 || m.first != 6 || m.reassembled || m.long || len(m.data) != 8 {
		t.Errorf("second: %+v", m)
	}
}

// TestStreamTruncatedMessage: synthetic/edge-nbss139-truncated-session-msg_zeek.pcap
// announces a 65535-byte session message in frame 4 (104 bytes) and closes
// the connection: tshark shows no NBSS packet; nbtsniff reports the stream
// as truncated.
func TestStreamTruncatedMessage(t *testing.T) {
	c := streamRun(streamReadCapture(t, "synthetic/edge-nbss139-truncated-session-msg_zeek.pcap"), StreamLimits{})
	if len(c.msgs) != 0 || len(c.anoms) != 1 {
		t.Fatalf("%d packets, anomalies %+v", len(c.msgs), c.anoms)
	}
	a := c.anoms[0]
	if a.Kind != StreamTruncated || a.Bytes != 104 || a.Need != 4+0xffff || a.Frame != 6 || !errors.Is(a.Cause(), dissect.ErrTruncated) {
		t.Errorf("anomaly %+v", a)
	}
}

// TestStreamMidStream starts the real session inside the negotiate request
// (frame 6 cut after 50 bytes): its rest is skipped and reported, and the
// packets after it come out as before.
func TestStreamMidStream(t *testing.T) {
	pkts := streamSessionPackets(t)
	want := streamRun(pkts, StreamLimits{}).msgs
	frame := 100
	cut := resegment(pkts[5], []int{50}, &frame)
	in := append([]streamPacket{cut[1]}, pkts[6:]...)
	c := streamRun(in, StreamLimits{})
	var wantAfter []streamMsg
	for _, m := range want {
		if m.first > 6 {
			wantAfter = append(wantAfter, m)
		}
	}
	streamSameDirSeq(t, c.msgs, wantAfter)
	if len(c.anoms) != 1 || c.anoms[0].Kind != StreamSkipped || c.anoms[0].Bytes != len(pkts[5].tcp.Payload)-50 ||
		!errors.Is(c.anoms[0].Cause(), dissect.ErrMalformed) || len(c.anoms[0].Data) != c.anoms[0].Bytes {
		t.Errorf("anomalies %+v", c.anoms)
	}
	for _, m := range c.msgs {
		if m.dir == ClientToServer {
			if m.skipped != len(pkts[5].tcp.Payload)-50 {
				t.Errorf("first client packet after the skip says %d bytes skipped", m.skipped)
			}
			break
		}
	}
}

// streamBig builds, to RFC 1002 §4.3.1, a session message whose body is
// the SMB Trans of browser-host-announce-request_ppa-bethscomputer.pcap
// frame 2 padded with zeros to n bytes (E set past 65535).
func streamBig(n int) []byte {
	smb := []byte("\xffSMB%\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x11\x00\x00\x12")
	b := make([]byte, 4+n)
	b[1], b[2], b[3] = byte(n>>16), byte(n>>8), byte(n)
	copy(b[4:], smb)
	return b
}

// streamBuilt makes a connection with a handshake and the given
// client→server packets, each cut into segments of at most mss bytes; drop
// removes the segment with that index among the data segments.
func streamBuilt(tb testing.TB, port uint16, msgs [][]byte, mss int, drop map[int]bool) []streamPacket {
	b := newStreamBuilder(port)
	out := []streamPacket{b.seg(tb, true, "S", nil), b.seg(tb, false, "S", nil), b.seg(tb, true, "", nil)}
	var stream []byte
	for _, m := range msgs {
		stream = append(stream, m...)
	}
	for i, n := 0, 0; n < len(stream); i++ {
		e := min(n+mss, len(stream))
		p := b.seg(tb, true, "", stream[n:e])
		if !drop[i] {
			out = append(out, p)
		}
		n = e
	}
	out = append(out, b.seg(tb, true, "F", nil), b.seg(tb, false, "F", nil), b.seg(tb, true, "", nil))
	return out
}

func TestStreamBigMessages(t *testing.T) {
	ka := []byte{0x85, 0, 0, 0}
	big := streamBig(0x10010)
	c := streamRun(streamBuilt(t, 139, [][]byte{ka, big, ka}, 1460, nil), StreamLimits{})
	if len(c.msgs) != 3 || len(c.anoms) != 0 || len(c.msgs[1].data) != len(big) || !c.msgs[1].reassembled || c.msgs[1].long {
		t.Fatalf("%d packets %v", len(c.msgs), c.anoms)
	}
	// On 445 the length is 24 bits: 200 016 bytes is fine there (and
	// with the header, exactly 137 segments).
	big445 := streamBig(200016)
	c = streamRun(streamBuilt(t, 445, [][]byte{big445, ka}, 1460, nil), StreamLimits{})
	if len(c.msgs) != 2 || len(c.msgs[0].data) != len(big445) || !c.msgs[0].long || !c.msgs[0].direct {
		t.Fatalf("445: %d packets %v", len(c.msgs), c.anoms)
	}
	// A keep-alive alone in its segment on 445: tshark shows its flags.
	if m := c.msgs[1]; m.long || m.reassembled {
		t.Errorf("445 keep-alive: %+v", m)
	}
}
