package reassembly

// Limits, gaps and timeouts, allocations, the benchmark and the fuzz
// target of the stream reassembler.

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

func TestStreamLimits(t *testing.T) {
	ka := []byte{0x85, 0, 0, 0}
	big := streamBig(5000)
	t.Run("oversize", func(t *testing.T) {
		c := streamRun(streamBuilt(t, 139, [][]byte{ka, big, ka}, 1460, nil), StreamLimits{MaxMessage: 1000})
		if len(c.msgs) != 2 || len(c.anoms) != 1 || c.anoms[0].Kind != StreamOversize || c.anoms[0].Need != len(big) || !errors.Is(c.anoms[0].Cause(), dissect.ErrLimit) {
			t.Errorf("%d packets, anomalies %+v", len(c.msgs), c.anoms)
		}
	})
	t.Run("buffer", func(t *testing.T) {
		c := streamRun(streamBuilt(t, 139, [][]byte{ka, big, ka}, 1460, nil), StreamLimits{MaxBuffered: 2000})
		if len(c.msgs) != 2 || len(c.anoms) != 1 || c.anoms[0].Kind != StreamBufferLimit || !errors.Is(c.anoms[0].Cause(), dissect.ErrLimit) {
			t.Errorf("%d packets, anomalies %+v", len(c.msgs), c.anoms)
		}
	})
	t.Run("connections", func(t *testing.T) {
		a := streamBuilt(t, 139, [][]byte{ka}, 1460, nil)
		b := streamBuilt(t, 445, [][]byte{ka}, 1460, nil)
		for i := range b {
			b[i].frame += 100
		}
		// b's SYN finds the table full of a, which carried a packet: a,
		// the least recently active, is evicted (evict.go), and b is
		// followed.
		c := streamRun(append(a[:4:4], append(b, a[4:]...)...), StreamLimits{MaxConns: 1})
		if len(c.msgs) != 2 || c.msgs[1].conn != 1 || len(c.anoms) != 1 || c.anoms[0].Kind != StreamConnLimit ||
			c.anoms[0].Conn == nil || c.anoms[0].Conn.Index != 0 || !errors.Is(c.anoms[0].Cause(), dissect.ErrLimit) {
			t.Errorf("%d packets, anomalies %+v", len(c.msgs), c.anoms)
		}
	})
}

// TestStreamGaps drops segments of built streams: inside a packet whose
// end is known (the framing goes on), and over a header (resync).
func TestStreamGaps(t *testing.T) {
	ka := []byte{0x85, 0, 0, 0}
	big := streamBig(5000)
	for _, tt := range []struct {
		name    string
		msgs    [][]byte
		drop    int
		want    int // packets
		skipped int // bytes skipped
	}{
		// Segments of 1000 bytes: 0 holds the keep-alive and the start of
		// big, 1 to 4 more of big, 5 its end and what follows.
		{"inside a packet", [][]byte{ka, big, ka, big}, 2, 3, 0},
		// Segment 5 holds the end of the first big and the header of the
		// second: both are lost, the keep-alive that follows is in the
		// middle of a segment and not believed, the third big is found by
		// its SMB signature, 10016-6000 bytes on.
		{"over a header", [][]byte{ka, big, big, ka, big}, 5, 2, 4016},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pkts := streamBuilt(t, 139, tt.msgs, 1000, map[int]bool{tt.drop: true})
			for _, lim := range []StreamLimits{{}, {GiveUpHolesAtOnce: true}} {
				c := streamRun(pkts, lim)
				if len(c.msgs) != tt.want {
					t.Errorf("%+v: %d packets, want %d", lim, len(c.msgs), tt.want)
				}
				gaps, skipped := 0, 0
				for _, a := range c.anoms {
					switch a.Kind {
					case StreamGap:
						gaps++
						if a.Bytes != 1000 || !errors.Is(a.Cause(), dissect.ErrTruncated) {
							t.Errorf("gap %+v", a)
						}
					case StreamSkipped:
						skipped += a.Bytes
					default:
						t.Errorf("anomaly %+v", a)
					}
				}
				if gaps != 1 || skipped != tt.skipped {
					t.Errorf("%+v: %d gaps, %d bytes skipped, want %d", lim, gaps, skipped, tt.skipped)
				}
			}
		})
	}
}

// TestStreamIdle closes a connection idle for IdleTimeout of capture time
// with a packet in progress.
func TestStreamIdle(t *testing.T) {
	pkts := streamBuilt(t, 139, [][]byte{streamBig(3000)}, 1000, nil)
	pkts = pkts[:5] // handshake and two of three segments
	c := &streamCollector{}
	s := NewStreamReassembler(c, StreamLimits{IdleTimeout: time.Minute})
	for _, p := range pkts {
		s.Add(p.frame, p.ci.Timestamp, p.ip, p.tcp)
	}
	if s.Buffered() != 2000 {
		t.Errorf("%d bytes held", s.Buffered())
	}
	s.Flush(pkts[4].ci.Timestamp.Add(30 * time.Second))
	if s.Conns() != 1 || len(c.anoms) != 0 {
		t.Fatalf("closed too early")
	}
	s.Flush(pkts[4].ci.Timestamp.Add(2 * time.Minute))
	if s.Conns() != 0 || s.Buffered() != 0 || len(c.anoms) != 1 || c.anoms[0].Kind != StreamTruncated || c.anoms[0].Bytes != 2000 {
		t.Errorf("%d connections, %d bytes, anomalies %+v", s.Conns(), s.Buffered(), c.anoms)
	}
	// A late retransmission of the closed connection starts nothing.
	s.Add(99, pkts[4].ci.Timestamp, pkts[4].ip, pkts[4].tcp)
	if s.Conns() != 0 {
		t.Errorf("a retransmission reopened the connection")
	}
}

// A connection seen mid-way, one segment from the client, then closed for
// idleness, remembers where that direction ended: the same 4-tuple
// repeating older client data afterwards (a deduplicated capture does
// this; tshark calls it a retransmission) is ignored, not a new
// connection with a session packet.
func TestStreamIdleOneSegment(t *testing.T) {
	msg := []byte{0x00, 0x00, 0x00, 0x04, 0xff, 'S', 'M', 'B'}
	b := newStreamBuilder(139)
	one := b.seg(t, true, "", msg)
	c := &streamCollector{}
	s := NewStreamReassembler(c, StreamLimits{IdleTimeout: time.Minute})
	s.Add(one.frame, one.ci.Timestamp, one.ip, one.tcp)
	if len(c.msgs) != 1 || s.Conns() != 1 {
		t.Fatalf("first segment: %d packets, %d connections", len(c.msgs), s.Conns())
	}
	s.Flush(one.ci.Timestamp.Add(2 * time.Minute))
	if s.Conns() != 0 {
		t.Fatalf("not closed after two idle minutes")
	}
	b.cseq -= 6549 // older data of the same client
	old := b.seg(t, true, "", msg)
	old.ci.Timestamp = one.ci.Timestamp.Add(2*time.Minute + time.Millisecond)
	s.Add(old.frame, old.ci.Timestamp, old.ip, old.tcp)
	if len(c.msgs) != 1 || s.Conns() != 0 {
		t.Errorf("older data after the close: %d packets, %d connections", len(c.msgs), s.Conns())
	}
}

// streamLongConn builds a connection of n session messages, each the
// real negotiate request of the wanderview session (frame 6), one per
// segment, with a server ACK after every fourth.
func streamLongConn(tb testing.TB, n int) []streamPacket {
	neg := streamSessionPackets(tb)[5].tcp.Payload
	b := newStreamBuilder(139)
	out := []streamPacket{b.seg(tb, true, "S", nil), b.seg(tb, false, "S", nil), b.seg(tb, true, "", nil)}
	for i := 0; i < n; i++ {
		out = append(out, b.seg(tb, true, "", neg))
		if i%4 == 3 {
			out = append(out, b.seg(tb, false, "", nil))
		}
	}
	return out
}

type streamCounter struct{ msgs, anoms int }

func (c *streamCounter) OnMessage(m *NBSSMessage) { c.msgs++ }

func (c *streamCounter) OnAnomaly(a *StreamAnomaly) { c.anoms++ }

func TestStreamAllocs(t *testing.T) {
	pkts := streamLongConn(t, 400)
	c := &streamCounter{}
	s := NewStreamReassembler(c, StreamLimits{})
	i := 0
	add := func() {
		p := pkts[i]
		i++
		s.Add(p.frame, p.ci.Timestamp, p.ip, p.tcp)
	}
	for i < 100 {
		add()
	}
	if n := testing.AllocsPerRun(200, add); n != 0 {
		t.Errorf("%v allocations per in-order segment", n)
	}
	if c.anoms != 0 || c.msgs < 200 {
		t.Errorf("%d packets, %d anomalies", c.msgs, c.anoms)
	}
}

func BenchmarkStreamReassembler(b *testing.B) {
	pkts := streamLongConn(b, 1000)
	c := &streamCounter{}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := NewStreamReassembler(c, StreamLimits{})
		for _, p := range pkts {
			s.Add(p.frame, p.ci.Timestamp, p.ip, p.tcp)
		}
		s.FlushAll()
	}
	b.ReportMetric(float64(b.N*len(pkts))/b.Elapsed().Seconds(), "segments/s")
}

// streamCheckMessage checks what every delivered packet must be.
type streamChecker struct {
	tb    testing.TB
	lim   StreamLimits
	s     *StreamReassembler
	msgs  []streamMsg
	anoms int
}

func (c *streamChecker) OnMessage(m *NBSSMessage) {
	long := dissect.NBSSUsesLongLength(m.Conn.Direct, m.Data)
	l, ok := dissect.NBSSLength(m.Data, long)
	limit := c.lim.MaxMessage
	if m.Conn.Direct {
		limit = c.lim.MaxDirectMessage
	}
	if !ok || len(m.Data) != 4+l || len(m.Data) > limit || !dissect.NBSSPlausible(m.Data, m.Conn.Direct, false) {
		c.tb.Fatalf("bad packet delivered: %d bytes, header % x", len(m.Data), m.Data[:min(8, len(m.Data))])
	}
	if m.Frame < m.FirstFrame && m.FirstFrame != 0 && !m.Reassembled {
		c.tb.Fatalf("packet from one segment, first frame %d, delivered in %d", m.FirstFrame, m.Frame)
	}
	c.msgs = append(c.msgs, streamMsg{dir: m.Dir, data: append([]byte(nil), m.Data...)})
}

func (c *streamChecker) OnAnomaly(a *StreamAnomaly) {
	c.anoms++
	if a.Cause() == nil || (a.Kind != StreamConnLimit && a.Conn == nil) {
		c.tb.Fatalf("anomaly %+v", a)
	}
}

// FuzzStreamReassembler cuts the real session
// (nbss139-session-full-scanner-winxp_wanderview.pcap) into pieces, swaps,
// repeats and drops some as the input says, and checks that nothing panics,
// the bounds hold, every packet delivered is whole and plausible, and that
// without drops the same packets come out.
func FuzzStreamReassembler(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88})
	f.Add([]byte{0x01, 0x81, 0x02, 0x82, 0x03, 0x83, 0xff, 0x10, 0x40})
	f.Add([]byte("\x05\x05\x05\x05\x05\x05\x05\x05\x05\x05\x05\x05\x05\x05\x05\x05\x05\x05\x05\x05"))
	pkts := streamSessionPackets(f)
	lim := DefaultStreamLimits()
	lim.MaxBuffered = 600 // so that the bound is hit now and then
	want := streamRun(pkts, StreamLimits{}).msgs
	f.Fuzz(func(t *testing.T, ops []byte) {
		next := func() byte {
			if len(ops) == 0 {
				return 0
			}
			b := ops[0]
			ops = ops[1:]
			return b
		}
		frame := 1000
		var in []streamPacket
		dropped := false
		for _, p := range pkts {
			if len(p.tcp.Payload) == 0 {
				in = append(in, p)
				continue
			}
			var cuts []int
			for at := 0; at < len(p.tcp.Payload); {
				op := next()
				if op&0x0f == 0 {
					break
				}
				at += int(op & 0x3f)
				cuts = append(cuts, at)
			}
			for _, q := range resegment(p, cuts, &frame) {
				switch op := next(); {
				case op&0xc0 == 0xc0 && op&0x01 == 1:
					dropped = true
					continue
				case op&0xc0 == 0x80 && len(in) > 0 && len(in[len(in)-1].tcp.Payload) > 0 && in[len(in)-1].tcp.SrcPort == q.tcp.SrcPort:
					// swap with the previous piece of the same direction
					prev := in[len(in)-1]
					in[len(in)-1] = q
					in = append(in, prev)
					continue
				case op&0xc0 == 0x40:
					in = append(in, q) // and a retransmission
				}
				in = append(in, q)
			}
		}
		for i := range in {
			in[i].frame = i + 1 // frames count up in capture order
		}
		big := lim
		big.MaxBuffered = 0
		for _, l := range []StreamLimits{big, lim} {
			c := &streamChecker{tb: t, lim: NewStreamReassembler(nil, l).lim}
			s := NewStreamReassembler(c, l)
			c.s = s
			for _, p := range in {
				s.Add(p.frame, p.ci.Timestamp, p.ip, p.tcp)
				if s.Buffered() > c.lim.MaxBuffered || s.Buffered() < 0 {
					t.Fatalf("holding %d bytes, limit %d", s.Buffered(), c.lim.MaxBuffered)
				}
			}
			s.FlushAll()
			if s.Buffered() != 0 || s.Conns() != 0 {
				t.Fatalf("after FlushAll: %d bytes, %d connections", s.Buffered(), s.Conns())
			}
			if !dropped && l.MaxBuffered == 0 {
				streamSameDirSeq(t, c.msgs, want)
			}
		}
	})
}

// streamAcked builds a connection where every client segment of at most
// mss bytes is followed by the server's ACK of it.
func streamAcked(tb testing.TB, msgs [][]byte, mss int) (pkts []streamPacket, data []int) {
	b := newStreamBuilder(139)
	pkts = []streamPacket{b.seg(tb, true, "S", nil), b.seg(tb, false, "S", nil), b.seg(tb, true, "", nil)}
	var stream []byte
	for _, m := range msgs {
		stream = append(stream, m...)
	}
	for n := 0; n < len(stream); {
		e := min(n+mss, len(stream))
		data = append(data, len(pkts))
		pkts = append(pkts, b.seg(tb, true, "", stream[n:e]), b.seg(tb, false, "", nil))
		n = e
	}
	pkts = append(pkts, b.seg(tb, true, "F", nil), b.seg(tb, false, "F", nil), b.seg(tb, true, "", nil))
	return pkts, data
}

// TestStreamAckProvesGap: a client segment is missing but the server
// acknowledges it: the hole is given up a few segments later, not at the
// end of the capture, and the packets after it come out then.
func TestStreamAckProvesGap(t *testing.T) {
	ka := []byte{0x85, 0, 0, 0}
	big := streamBig(3000)
	pkts, data := streamAcked(t, [][]byte{ka, big, ka, big, ka}, 1000)
	lost := data[1] // bytes 1000-1999, inside the first big
	in := append(append([]streamPacket(nil), pkts[:lost]...), pkts[lost+1:]...)
	c := streamRun(in, StreamLimits{})
	if len(c.msgs) != 4 {
		t.Fatalf("%d packets, anomalies %+v", len(c.msgs), c.anoms)
	}
	fin := in[len(in)-3].frame
	if len(c.anoms) != 1 || c.anoms[0].Kind != StreamGap || c.anoms[0].Frame >= fin || c.anoms[0].Need != len(big) {
		t.Errorf("anomalies %+v (FIN in frame %d)", c.anoms, fin)
	}
	if m := c.msgs[1]; m.frame >= fin || !bytes.Equal(m.data, ka) {
		t.Errorf("packet after the hole %+v", m)
	}
	// A segment seen after the next one and after the ACK of both (a
	// capture that reorders segments and directions) loses nothing.
	i := data[2]
	var swapped []streamPacket
	swapped = append(swapped, pkts[:i]...)
	swapped = append(swapped, pkts[i+2], pkts[i+3], pkts[i], pkts[i+1])
	swapped = append(swapped, pkts[i+4:]...)
	c = streamRun(swapped, StreamLimits{})
	if len(c.msgs) != 5 || len(c.anoms) != 0 {
		t.Errorf("reordered ACK: %d packets, anomalies %+v", len(c.msgs), c.anoms)
	}
}

// streamKeeper keeps Data without copying, as the engine does for the
// frame it is decoding.
type streamKeeper struct{ kept [][]byte }

func (k *streamKeeper) OnMessage(m *NBSSMessage) { k.kept = append(k.kept, m.Data) }

func (k *streamKeeper) OnAnomaly(a *StreamAnomaly) {}

// TestStreamDataStable: Data stays right until the next Add, also when it
// came out of gopacket's pages (pieces delivered in reverse order).
func TestStreamDataStable(t *testing.T) {
	pkts := streamSessionPackets(t)
	want := streamRun(pkts, StreamLimits{}).msgs
	frame := 1000
	var in []streamPacket
	for _, p := range pkts {
		if len(p.tcp.Payload) == 0 {
			in = append(in, p)
			continue
		}
		pieces := resegment(p, []int{5, 30}, &frame)
		for i := len(pieces) - 1; i >= 0; i-- {
			in = append(in, pieces[i])
		}
	}
	k := &streamKeeper{}
	s := NewStreamReassembler(k, StreamLimits{})
	var got [][]byte
	for _, p := range in {
		k.kept = k.kept[:0]
		s.Add(p.frame, p.ci.Timestamp, p.ip, p.tcp)
		for _, d := range k.kept {
			got = append(got, append([]byte(nil), d...)) // still right after Add returned
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d packets, want %d", len(got), len(want))
	}
	for i := range got {
		if !bytes.Equal(got[i], want[i].data) {
			t.Errorf("packet %d differs after Add returned", i)
		}
	}
}
