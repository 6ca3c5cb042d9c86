package reassembly

// Bare segments past gopacket. A segment with no payload and no SYN, FIN
// or RST (an ACK, a window update, a keep-alive without data) of a live
// connection, in a direction gopacket has started and not closed and
// holds no out-of-order pages of, changes nothing in gopacket's
// assembler but the direction's last time (halfconnection.lastSeen) and
// last ACK (ackSeq, which it reads nowhere). It finds the connection
// (StreamPool.getConnection: a map keyed by two gopacket.Flow, under two
// locks), calls Accept, and, the segment being in order or not, hands
// nothing over and queues nothing: an empty segment queued beyond a hole
// gives a hole up only when the direction holds pages past the page
// limits, and it holds none. On the NBT-dense capture such segments are
// about a third of those on ports 139 and 445.
//
// bareSegment does here what gopacket would have done with it that
// matters (Accept), and leaves gopacket's last time of the connection
// behind (gpLast: the last time of a segment fed to it). That time is
// read by gopacket's flush alone, to close a connection idle since before
// FlushOptions.TC: before each of those flushes, refreshIdle feeds an
// empty segment, at its last time, to each connection gopacket would
// otherwise take for idle (last time after TC, gpLast before), so that
// gopacket closes the same connections as if it had seen every segment.

import (
	"encoding/binary"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	gpreassembly "github.com/gopacket/gopacket/reassembly"
)

// bareSegmentsOff turns the path off (tests compare the outputs with it
// and without).
var bareSegmentsOff bool

// bareSegment takes tcp, a segment of the live connection st, without
// gopacket when it is a bare segment gopacket would do nothing with
// (see above), and reports whether it did.
func (s *StreamReassembler) bareSegment(st *nbssStream, src, dst [4]byte, sp, dp uint16, tcp *layers.TCP, ts time.Time) bool {
	if bareSegmentsOff || len(tcp.Payload) > 0 || tcp.SYN || tcp.FIN || tcp.RST || st.gone || src == dst && sp == dp {
		return false
	}
	c := &st.c
	fromClient := src == c.ClientIP && sp == c.ClientPort
	d := ServerToClient
	if fromClient {
		d = ClientToServer
	}
	h := &c.half[d]
	if !h.seenStart || !h.hasNext || h.closed || h.queued {
		return false
	}
	// gopacket's first direction (TCPDirClientToServer) is the one its
	// connection was made in: the client's when firstIsClient.
	gd := gpreassembly.TCPDirServerToClient
	if fromClient == c.firstIsClient {
		gd = gpreassembly.TCPDirClientToServer
	}
	var start bool
	st.Accept(tcp, gopacket.CaptureInfo{Timestamp: ts}, gd, gpreassembly.Sequence(h.nextSeq), &start, nil)
	bareSegments++
	return true
}

// bareSegments counts the segments bareSegment took (for the benchmark
// notes; not safe for concurrent reassemblers, and read by tests only).
var bareSegments int

// refreshIdle brings gopacket's last time of every live connection it
// would otherwise close as idle before tc up to the connection's own
// last time, with an empty segment (no flags, at the next sequence
// number of a direction still open) that Accept ignores.
func (s *StreamReassembler) refreshIdle(tc time.Time) {
	for _, l := range [...]*connList{&s.emptyConns, &s.busyConns} {
		for st := l.head; st != nil; st = st.next {
			if st.gpLast.Before(tc) && !st.last.Before(tc) {
				s.refresh(st)
			}
		}
	}
}

// refresh feeds gopacket an empty segment of st at st.last.
func (s *StreamReassembler) refresh(st *nbssStream) {
	c := &st.c
	d := ClientToServer
	if h := &c.half[d]; !h.hasNext || h.closed || h.queued {
		d = ServerToClient
	}
	h := &c.half[d]
	src, dst, sp, dp := c.ClientIP, c.ServerIP, c.ClientPort, c.ServerPort
	if d == ServerToClient {
		src, dst, sp, dp = dst, src, dp, sp
	}
	b := s.fakeHdr[:]
	clear(b)
	binary.BigEndian.PutUint16(b[0:2], sp)
	binary.BigEndian.PutUint16(b[2:4], dp)
	binary.BigEndian.PutUint32(b[4:8], h.nextSeq)
	b[12] = 5 << 4 // data offset: 20 bytes, no flags
	if err := s.fake.DecodeFromBytes(b, gopacket.NilDecodeFeedback); err != nil {
		return
	}
	s.refreshCtx = segCtx{ts: st.last, frame: s.curFrame}
	s.refreshCtx.anc[0] = &s.refreshCtx
	s.refreshing = true
	s.asm.AssembleWithContext(gopacket.NewFlow(layers.EndpointIPv4, src[:], dst[:]), &s.fake, &s.refreshCtx)
	s.refreshing = false
	st.gpLast = st.last
}
