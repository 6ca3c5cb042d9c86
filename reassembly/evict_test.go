package reassembly

import (
	"errors"
	"testing"
	"unsafe"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/internal/boundmap"
)

// connBuilder is a streamBuilder for client 10.0.2.n.
func connBuilder(n byte, port uint16) *streamBuilder {
	b := newStreamBuilder(port)
	b.client = [4]byte{10, 0, 2, n}
	b.cport = 40000 + uint16(n)
	return b
}

// Under pressure the emptiest and oldest connection goes: with room for
// three, a session that carried payload (A) and two bare SYNs (B, C), a
// third SYN (D) evicts B, not A; a new session (E) evicts C, the next SYN
// (F) evicts D; A, the oldest of all, is followed to its end. Each
// eviction is a StreamConnLimit anomaly naming the connection, and is
// counted. An evicted connection is gone from gopacket's assembler too:
// data on B's addresses afterwards starts a new connection.
func TestStreamEvictsEmptiestFirst(t *testing.T) {
	ka := []byte{0x85, 0, 0, 0}
	c := &streamCollector{}
	s := NewStreamReassembler(c, StreamLimits{MaxConns: 3})
	frame := 0
	add := func(p streamPacket) {
		frame++
		p.frame = frame
		s.Add(p.frame, p.ci.Timestamp, p.ip, p.tcp)
	}
	a := connBuilder(1, 139)
	for _, p := range []streamPacket{a.seg(t, true, "S", nil), a.seg(t, false, "S", nil), a.seg(t, true, "", nil), a.seg(t, true, "", ka)} {
		add(p)
	}
	bs := connBuilder(2, 139)
	add(bs.seg(t, true, "S", nil)) // B
	cs := connBuilder(3, 139)
	add(cs.seg(t, true, "S", nil)) // C
	ds := connBuilder(4, 139)
	add(ds.seg(t, true, "S", nil)) // D: evicts B
	es := connBuilder(5, 445)
	add(es.seg(t, true, "S", nil)) // E: evicts C
	add(es.seg(t, false, "S", nil))
	add(es.seg(t, true, "", nil))
	add(es.seg(t, true, "", ka))
	fs := connBuilder(6, 139)
	add(fs.seg(t, true, "S", nil)) // F: evicts D
	add(a.seg(t, true, "", ka))    // A goes on
	if s.Conns() != 3 {
		t.Errorf("%d connections followed, want 3", s.Conns())
	}
	var evicted []byte
	for _, an := range c.anoms {
		if an.Kind != StreamConnLimit || an.Conn == nil || !errors.Is(an.Cause(), dissect.ErrLimit) {
			t.Errorf("anomaly %+v: want evictions only", an)
			continue
		}
		evicted = append(evicted, an.Conn.ClientIP[3])
	}
	if string(evicted) != "\x02\x03\x04" {
		t.Errorf("evicted clients %v, want 10.0.2.2, .3, .4 (B, C, D)", evicted)
	}
	if st := s.Stats(); st.Evicted != 3 || st.Refused != 0 || s.detached != 0 {
		t.Errorf("stats %+v, %d not closed in gopacket: want 3 evicted and closed", st, s.detached)
	}
	if len(c.msgs) != 3 || c.msgs[0].conn != 0 || c.msgs[2].conn != 0 || c.msgs[1].conn != 4 {
		t.Errorf("packets %+v: want A's two and E's", c.msgs)
	}
	// B was closed in gopacket: its next segment starts connection 6 (a
	// capture that begins mid-stream), which evicts F, the emptiest.
	add(bs.seg(t, true, "", ka))
	if n := len(c.msgs); n != 4 || c.msgs[3].conn != 6 {
		t.Errorf("data on B's addresses after its eviction: packets %+v", c.msgs)
	}
	s.FlushAll()
	if s.Conns() != 0 || s.Buffered() != 0 {
		t.Errorf("after FlushAll: %d connections, %d bytes", s.Conns(), s.Buffered())
	}
}

// A connection evicted in the middle of a packet releases what it held,
// and the packet is reported truncated.
func TestStreamEvictionReleasesBuffers(t *testing.T) {
	big := streamBig(5000)
	c := &streamCollector{}
	s := NewStreamReassembler(c, StreamLimits{MaxConns: 1})
	pkts := streamBuilt(t, 139, [][]byte{big}, 1460, nil)
	for _, p := range pkts[:5] { // the handshake and two segments of big
		s.Add(p.frame, p.ci.Timestamp, p.ip, p.tcp)
	}
	if s.Buffered() == 0 {
		t.Fatal("nothing held: the test needs a packet in progress")
	}
	b := connBuilder(9, 139)
	p := b.seg(t, true, "S", nil)
	s.Add(100, p.ci.Timestamp, p.ip, p.tcp)
	if s.Buffered() != 0 || s.Conns() != 1 || s.detached != 0 {
		t.Errorf("after the eviction: %d bytes held, %d connections", s.Buffered(), s.Conns())
	}
	kinds := map[StreamAnomalyKind]int{}
	for _, a := range c.anoms {
		kinds[a.Kind]++
	}
	if kinds[StreamConnLimit] != 1 || kinds[StreamTruncated] != 1 {
		t.Errorf("anomalies %v: want one eviction and one truncated packet", kinds)
	}
}

// connGrabAll keeps each packet's Conn pointer and, at delivery, a copy.
type connGrabAll struct {
	ptrs  []*Conn
	seen  []Conn
	dirs  []Direction
	count [][2]int
}

func (g *connGrabAll) OnMessage(m *NBSSMessage) {
	g.ptrs, g.seen, g.dirs = append(g.ptrs, m.Conn), append(g.seen, *m.Conn), append(g.dirs, m.Dir)
	g.count = append(g.count, [2]int{m.Conn.Messages(ClientToServer), m.Conn.Messages(ServerToClient)})
}

func (g *connGrabAll) OnAnomaly(a *StreamAnomaly) {}

// A connection that ended gives its stream, and its Conn, to the next
// one: the reused Conn starts cleared (index, addresses, SYN, counts).
func TestStreamReusedConnStartsCleared(t *testing.T) {
	ka := []byte{0x85, 0, 0, 0}
	g := &connGrabAll{}
	s := NewStreamReassembler(g, StreamLimits{})
	frame := 0
	add := func(p streamPacket) {
		frame++
		s.Add(frame, p.ci.Timestamp, p.ip, p.tcp)
	}
	a := connBuilder(1, 445)
	for _, p := range []streamPacket{a.seg(t, true, "S", nil), a.seg(t, false, "S", nil), a.seg(t, true, "", ka),
		a.seg(t, false, "", ka), a.seg(t, true, "", ka), a.seg(t, true, "F", nil), a.seg(t, false, "F", nil), a.seg(t, true, "", nil)} {
		add(p)
	}
	if s.Conns() != 0 {
		t.Fatalf("%d connections after both FINs, want 0", s.Conns())
	}
	b := connBuilder(2, 139)
	pb := b.seg(t, false, "", ka) // no SYN: the server's packet first
	add(pb)
	if len(g.ptrs) != 4 {
		t.Fatalf("%d packets, want 4", len(g.ptrs))
	}
	if g.ptrs[3] != g.ptrs[0] {
		t.Fatal("the second connection's Conn is not the first's, reused: this test tests nothing")
	}
	first, second := g.seen[2], g.seen[3]
	if first.Index != 0 || !first.SawSYN || !first.Direct || first.ClientIP != [4]byte{10, 0, 2, 1} || g.count[2] != [2]int{2, 1} {
		t.Errorf("first connection %+v, counts %v", first, g.count[2])
	}
	if second.Index != 1 || second.SawSYN || second.Direct || second.ClientIP != [4]byte{10, 0, 2, 2} ||
		second.ClientPort != 40002 || second.ServerPort != 139 || !second.Start.Equal(pb.ci.Timestamp) || g.count[3] != [2]int{0, 1} || g.dirs[3] != ServerToClient {
		t.Errorf("reused Conn %+v, counts %v, dir %v", second, g.count[3], g.dirs[3])
	}
}

// 200 connections, each with a session packet, closed by both FINs: the
// closed ones are remembered past the room made at boundmap.At (boundmap.Remake),
// so a late retransmission of any of them starts nothing.
func TestStreamClosedRememberedPastGrowth(t *testing.T) {
	ka := []byte{0x85, 0, 0, 0}
	c := &streamCollector{}
	s := NewStreamReassembler(c, StreamLimits{})
	frame := 0
	add := func(p streamPacket) {
		frame++
		s.Add(frame, p.ci.Timestamp, p.ip, p.tcp)
	}
	var late []streamPacket
	for n := 1; n <= 200; n++ {
		b := connBuilder(byte(n), 139)
		data := []streamPacket{b.seg(t, true, "S", nil), b.seg(t, false, "S", nil), b.seg(t, true, "", ka)}
		late = append(late, data[2])
		for _, p := range append(data, b.seg(t, true, "F", nil), b.seg(t, false, "F", nil), b.seg(t, true, "", nil)) {
			add(p)
		}
	}
	if s.Conns() != 0 || len(c.msgs) != 200 || s.closed.n != 200 {
		t.Fatalf("%d connections, %d packets, %d closed remembered; want 0, 200, 200", s.Conns(), len(c.msgs), s.closed.n)
	}
	for _, p := range late {
		add(p)
	}
	if s.Conns() != 0 || len(c.msgs) != 200 || len(c.anoms) != 0 {
		t.Errorf("late retransmissions: %d connections, %d packets, %d anomalies", s.Conns(), len(c.msgs), len(c.anoms))
	}
	if cap(s.closed.ring) < boundmap.To {
		t.Errorf("closed ring's room %d, want the bound (%d) made at once", cap(s.closed.ring), boundmap.To)
	}
}

// closedConn is the value of a map slot per closed connection remembered
// (MaxConns of them): 16 bytes (its fields' order).
func TestClosedConnSize(t *testing.T) {
	if n := unsafe.Sizeof(closedConn{}); n > 16 {
		t.Errorf("closedConn is %d bytes, want at most 16", n)
	}
}
