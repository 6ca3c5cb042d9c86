package reassembly

// TCP streams on ports 139 and 445, cut into NetBIOS session service
// packets (RFC 1002 §4.3.1) or direct hosted SMB frames ([MS-SMB2] §2.1).
//
// gopacket's reassembly.Assembler orders the segments (retransmissions
// dropped, out-of-order ones queued in pages, a hole given up on after
// OutOfOrderTimeout of capture time) and hands each connection half's bytes,
// in order, to ReassembledSG below. There the 4-byte headers are read; a
// packet that is not complete yet is left in the assembler with KeepFrom
// (no copy of ours), and comes back, with the next bytes after it, on the
// next call. Everything happens synchronously inside Add, so a packet is
// delivered in the frame that completes it.

import (
	"cmp"
	"encoding/binary"
	"slices"
	"strconv"
	"time"
	"unsafe"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	gpreassembly "github.com/gopacket/gopacket/reassembly"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Direction is the way a packet goes on a connection.
type Direction uint8

// Directions.
const (
	ClientToServer Direction = iota
	ServerToClient
)

// String is "client→server" or "server→client".
func (d Direction) String() string {
	if d == ServerToClient {
		return "server→client"
	}
	return "client→server"
}

// Conn is one TCP connection on port 139 or 445.
type Conn struct {
	// Index numbers the connections of one StreamReassembler in the order
	// their first packet was added (0, 1, 2...).
	Index int
	// The client is the side that sent the SYN, or, without one, the side
	// that sent a session request, else the side not on port 139/445.
	ClientIP, ServerIP     [4]byte
	ClientPort, ServerPort uint16
	// Direct is set on port 445 (direct hosted SMB, no NetBIOS session).
	Direct bool
	// SawSYN is set when the connection's SYN was captured.
	SawSYN bool
	// Start is the capture time of its first packet.
	Start time.Time

	firstIsClient bool // gopacket's TCPDirClientToServer is our client→server
	half          [2]streamHalf
}

// Messages is the number of session packets delivered in each direction.
func (c *Conn) Messages(d Direction) int { return c.half[d&1].messages }

func (c *Conn) dir(d gpreassembly.TCPFlowDirection) Direction {
	if (d == gpreassembly.TCPDirClientToServer) == c.firstIsClient {
		return ClientToServer
	}
	return ServerToClient
}

// streamHalf is the framing state of one direction.
type streamHalf struct {
	synced    bool // the next byte is a header
	discard   int  // bytes left to skip of a packet over the limit
	need      int  // > 0: the kept bytes start a packet of this many bytes
	partial   bool // ... or, with need, a header that needs this many bytes to be read
	kept      int  // bytes left in the assembler with KeepFrom
	skipped   int  // bytes skipped since the last packet delivered
	firstFr   int  // frame of the kept packet's first byte
	messages  int
	closed    bool
	reported  bool // truncation at the end reported
	seenStart bool // gopacket started this half (SYN or forced)

	// Sequence tracking, to give up on a hole as soon as the peer's ACK
	// shows the bytes were sent and received but not captured.
	nextSeq uint32 // gopacket's next expected sequence number
	hasNext bool
	holeEnd uint32 // end of the data queued beyond a hole
	hole    bool
	peerAck uint32 // highest ACK the other side sent
	hasAck  bool
	proven  int // segments of the connection since the ACK proved the hole lost, -1 if not
}

// holeGrace is how many more segments of a connection are awaited, once
// the peer's ACK shows a hole's bytes were received but not captured,
// before the hole is given up: a capture that reorders the two directions
// may show the ACK a little before the data.
const holeGrace = 3

// StreamLimits bounds the stream reassembler. Zero fields take the
// defaults of DefaultStreamLimits.
type StreamLimits struct {
	// MaxMessage is the largest packet, header included, buffered on TCP
	// 139 (RFC 1002 allows 4 + 0x1FFFF).
	MaxMessage int
	// MaxDirectMessage is the largest frame buffered on TCP 445 (the 24-bit
	// length allows 16 MiB; SMB2 reads and writes of several MiB are of no
	// interest to a browse analyser, and are skipped and reported).
	MaxDirectMessage int
	// MaxBuffered bounds the bytes held for incomplete packets over all
	// connections.
	MaxBuffered int
	// MaxConns bounds the connections tracked at once.
	MaxConns int
	// MaxOutOfOrderPages bounds the out-of-order data queued per
	// connection, and MaxOutOfOrderPagesTotal over all, in gopacket's
	// 1900-byte pages. Past it, the hole is given up on (a gap).
	MaxOutOfOrderPages, MaxOutOfOrderPagesTotal int
	// OutOfOrderTimeout is how long (capture time) a hole may stay open
	// before the data after it is taken and the hole reported as a gap.
	OutOfOrderTimeout time.Duration
	// IdleTimeout closes a connection silent for that long (capture time).
	IdleTimeout time.Duration
	// FlushInterval is how often, in capture time, Add applies the two
	// timeouts.
	FlushInterval time.Duration
	// GiveUpHolesAtOnce treats every hole as lost the moment data arrives
	// beyond it, as tshark does with its default preferences
	// (tcp.reassemble_out_of_order off): per-frame output then matches
	// tshark's on captures with missing segments, but a segment that does
	// arrive late is dropped as a retransmission. Off, a hole waits for
	// the missing segment until the peer acknowledges past it (the bytes
	// were sent but not captured), OutOfOrderTimeout passes, or the
	// out-of-order limits are hit.
	GiveUpHolesAtOnce bool
}

// DefaultStreamLimits: packets up to 4+0x1FFFF bytes on 139 and 1 MiB on
// 445, 64 MiB held in all, 4096 connections, 256 out-of-order pages per
// connection and 8192 in all, holes given up after 10 s, connections
// closed after 10 min of silence, checked every second of capture time.
func DefaultStreamLimits() StreamLimits {
	return StreamLimits{
		MaxMessage:              dissect.NBSSHeaderLen + dissect.NBSSMaxLength,
		MaxDirectMessage:        1 << 20,
		MaxBuffered:             64 << 20,
		MaxConns:                4096,
		MaxOutOfOrderPages:      256,
		MaxOutOfOrderPagesTotal: 8192,
		OutOfOrderTimeout:       10 * time.Second,
		IdleTimeout:             10 * time.Minute,
		FlushInterval:           time.Second,
	}
}

// NBSSMessage is one complete session packet handed to the handler.
type NBSSMessage struct {
	Conn *Conn
	Dir  Direction
	// Frame is the frame being added when the packet was completed: show
	// it there. (During Flush and FlushAll, the last frame added.)
	Frame int
	// FirstFrame is the frame that held the packet's first byte.
	FirstFrame int
	// Time is the capture time of Frame.
	Time time.Time
	// Data is the whole packet, header included, in stream order. It
	// aliases the segment being added when the packet lies in it (the
	// engine can find its offset in the frame), else it is a copy. Valid
	// until the next call to Add, Flush or FlushAll.
	Data []byte
	// Skipped is the number of bytes skipped in this direction, since the
	// previous packet, to find this one's header (after a gap, or when the
	// capture started inside a connection). Lost bytes are not counted:
	// they come as a StreamGap anomaly.
	Skipped int
	// Reassembled is set when the packet was spread over more than one
	// TCP segment.
	Reassembled bool
	// LongLength is how tshark 4.0 shows the header (see
	// dissect.NBSSLongLengthAsTshark): set NBSS.LongLength to it, and
	// NBSS.Direct to Conn.Direct, before decoding Data.
	LongLength bool
}

// StreamAnomalyKind says what a StreamAnomaly is.
type StreamAnomalyKind uint8

const (
	// StreamGap: bytes of the stream were not captured (Bytes of them); the
	// packet they belonged to, if any, is lost (Need says its length), and
	// the framing resynchronises after the gap.
	StreamGap StreamAnomalyKind = iota + 1
	// StreamSkipped: Bytes bytes that start no plausible header were
	// skipped looking for one (Data holds those of this frame).
	StreamSkipped
	// StreamOversize: a header announced Need bytes, more than the limit;
	// the packet is skipped, not buffered.
	StreamOversize
	// StreamTruncated: the stream ended (FIN, RST, idle timeout, end of
	// capture) Bytes bytes into a packet of Need bytes.
	StreamTruncated
	// StreamBufferLimit: MaxBuffered was reached; the packet of Need bytes
	// is skipped.
	StreamBufferLimit
	// StreamConnLimit: MaxConns connections were tracked: Conn was
	// evicted to make room for a new one (evict.go), or, when none could
	// be, the new one is not followed (Conn is nil).
	StreamConnLimit
)

// String names the kind.
func (k StreamAnomalyKind) String() string {
	switch k {
	case StreamGap:
		return "gap"
	case StreamSkipped:
		return "skipped"
	case StreamOversize:
		return "oversize"
	case StreamTruncated:
		return "truncated"
	case StreamBufferLimit:
		return "buffer limit"
	case StreamConnLimit:
		return "connection limit"
	}
	return "unknown"
}

// StreamAnomaly reports lost, skipped or dropped stream bytes.
type StreamAnomaly struct {
	Kind  StreamAnomalyKind
	Conn  *Conn
	Dir   Direction
	Frame int // the frame being added
	Bytes int
	Need  int
	// Data, for StreamSkipped, holds the bytes skipped within this call,
	// for tshark's nbss.continuation_data (see dissect.AppendNBSSContinuation).
	// Like NBSSMessage.Data, valid until the next call to Add, Flush or
	// FlushAll.
	Data []byte
	// err is what Cause returns; nil for a gap, whose error is built only
	// when asked for (holes are common: a capture that drops segments has
	// one in nearly every stream, and -T fields never reads the text).
	err error
}

// Cause is the anomaly as a *dissect.DecodeError (proto "nbss") wrapping
// dissect.ErrTruncated (gap, truncated), ErrMalformed (skipped) or
// ErrLimit (oversize, buffer and connection limits). For a gap it is
// built on each call.
func (a *StreamAnomaly) Cause() error {
	if a.err != nil || a.Kind != StreamGap {
		return a.err
	}
	var buf [80]byte
	b := strconv.AppendInt(buf[:0], int64(a.Bytes), 10)
	b = append(b, " bytes not captured"...)
	if a.Need > 0 {
		b = append(b, ", inside a packet of "...)
		b = strconv.AppendInt(b, int64(a.Need), 10)
		b = append(b, " bytes"...)
	}
	return truncated(string(b))
}

// SetCause makes err what Cause returns: for an anomaly recorded with its
// Cause and handed on later (the engine's session stage).
func (a *StreamAnomaly) SetCause(err error) { a.err = err }

// NBSSHandler receives what the stream reassembler finds, synchronously
// from Add, Flush and FlushAll. The *NBSSMessage and *StreamAnomaly are
// reused for the next call; the bytes they point to stay valid until the
// next call to Add, Flush or FlushAll.
type NBSSHandler interface {
	OnMessage(m *NBSSMessage)
	OnAnomaly(a *StreamAnomaly)
}

// StreamReassembler follows the TCP connections on ports 139 and 445 and
// cuts them into session packets. It is not safe for concurrent use.
//
// The engine calls Add for every TCP segment to or from port 139 or 445,
// in capture order, and FlushAll at the end of the capture. Add applies the
// timeouts itself, by capture time, every FlushInterval.
type StreamReassembler struct {
	h    NBSSHandler
	lim  StreamLimits
	pool *gpreassembly.StreamPool
	asm  *gpreassembly.Assembler

	curFrame  int
	curTime   time.Time
	lastFlush time.Time
	flushed   bool
	live      int
	nextIndex int
	buffered  int
	refused   bool // a refusal was reported since the last flush
	stats     StreamStats
	detached  int // evicted connections gopacket did not close (evict.go)

	// The connections, least recently active first, apart as they
	// carried payload or not (evict.go).
	emptyConns, busyConns connList

	ctxs      []segCtx
	sgFrame   int          // the frame of every byte ReassembledSG is cutting, or -1 (see frameOf)
	spans     [2]frameSpan // else the last two runs of bytes found to share a frame
	msg       NBSSMessage
	anom      StreamAnomaly
	current   *nbssStream   // the connection of the segment being added
	payload   []byte        // the segment being added, which stays valid for the frame
	arena     []byte        // copies of what does not alias payload, reset by each call
	deferring bool          // inside a flush: handler calls are queued
	queue     []queuedEvent // the queued calls, delivered in connection order
	order     []int32       // the order to deliver queue in
	fakeHdr   [20]byte
	fake      layers.TCP

	// Connections by address, live and recently closed: a segment of a
	// closed connection that repeats its data (a retransmission seen
	// after the FIN, or after an idle close) must not start a new one.
	byKey      map[connKey]*nbssStream
	closed     map[connKey]closedConn
	closedRing []connKey
	closedNext int
}

// connKey is a connection's two endpoints, the lower one first.
type connKey struct {
	a, b   [4]byte
	pa, pb uint16
}

func makeConnKey(src, dst [4]byte, sp, dp uint16) connKey {
	if string(src[:]) < string(dst[:]) || src == dst && sp < dp {
		return connKey{src, dst, sp, dp}
	}
	return connKey{dst, src, dp, sp}
}

// closedConn remembers where each direction of a closed connection ended.
type closedConn struct {
	client     [4]byte
	clientPort uint16
	end        [2]uint32
	has        [2]bool
}

// NewStreamReassembler makes a stream reassembler reporting to h.
func NewStreamReassembler(h NBSSHandler, lim StreamLimits) *StreamReassembler {
	def := DefaultStreamLimits()
	if lim.MaxMessage <= 0 {
		lim.MaxMessage = def.MaxMessage
	}
	if lim.MaxDirectMessage <= 0 {
		lim.MaxDirectMessage = def.MaxDirectMessage
	}
	lim.MaxDirectMessage = min(lim.MaxDirectMessage, dissect.NBSSHeaderLen+dissect.NBSSDirectMaxLength)
	if lim.MaxBuffered <= 0 {
		lim.MaxBuffered = def.MaxBuffered
	}
	if lim.MaxConns <= 0 {
		lim.MaxConns = def.MaxConns
	}
	if lim.MaxOutOfOrderPages <= 0 {
		lim.MaxOutOfOrderPages = def.MaxOutOfOrderPages
	}
	if lim.MaxOutOfOrderPagesTotal <= 0 {
		lim.MaxOutOfOrderPagesTotal = def.MaxOutOfOrderPagesTotal
	}
	if lim.OutOfOrderTimeout <= 0 {
		lim.OutOfOrderTimeout = def.OutOfOrderTimeout
	}
	if lim.IdleTimeout <= 0 {
		lim.IdleTimeout = def.IdleTimeout
	}
	if lim.FlushInterval <= 0 {
		lim.FlushInterval = def.FlushInterval
	}
	s := &StreamReassembler{h: h, lim: lim, byKey: map[connKey]*nbssStream{}, closed: map[connKey]closedConn{}}
	s.pool = gpreassembly.NewStreamPool(streamFactory{s})
	s.asm = gpreassembly.NewAssembler(s.pool)
	// gopacket counts the pages kept for an incomplete packet with the
	// out-of-order ones: leave room for the largest packet.
	const page = 1900
	biggest := max(lim.MaxMessage, lim.MaxDirectMessage)
	s.asm.MaxBufferedPagesPerConnection = (biggest+page-1)/page + lim.MaxOutOfOrderPages
	s.asm.MaxBufferedPagesTotal = (lim.MaxBuffered+page-1)/page + lim.MaxOutOfOrderPagesTotal
	if lim.GiveUpHolesAtOnce {
		// gopacket gives up the first hole of a connection once it has
		// this many pages queued: one, the segment that just came.
		s.asm.MaxBufferedPagesPerConnection = 1
	}
	return s
}

// Conns is the number of connections tracked.
func (s *StreamReassembler) Conns() int { return s.live }

// Buffered is the number of bytes held for incomplete packets.
func (s *StreamReassembler) Buffered() int { return s.buffered }

// Add takes one TCP segment of frame frameNum, captured at ci.Timestamp
// (ip may be a datagram reassembled from IP fragments). Segments not to or
// from port 139 or 445 are ignored, and so are segments that repeat the
// data of a connection already closed. Packets it completes, and
// anomalies, go to the handler before Add returns; so do those of other
// connections when Add applies the timeouts (every FlushInterval of
// capture time). ip and tcp are only read during the call.
func (s *StreamReassembler) Add(frameNum int, ci gopacket.CaptureInfo, ip *layers.IPv4, tcp *layers.TCP) {
	if ip == nil || tcp == nil || !streamPort(uint16(tcp.SrcPort)) && !streamPort(uint16(tcp.DstPort)) {
		return
	}
	s.curFrame, s.curTime = frameNum, ci.Timestamp
	s.payload, s.arena = tcp.Payload, s.arena[:0]
	if !s.flushed {
		s.lastFlush, s.flushed = ci.Timestamp, true
	} else if ci.Timestamp.Sub(s.lastFlush) >= s.lim.FlushInterval {
		s.Flush(ci.Timestamp)
	}
	var src, dst [4]byte
	copy(src[:], ip.SrcIP.To4())
	copy(dst[:], ip.DstIP.To4())
	sp, dp := uint16(tcp.SrcPort), uint16(tcp.DstPort)
	if key := makeConnKey(src, dst, sp, dp); !tcp.SYN && s.byKey[key] == nil {
		if cc, ok := s.closed[key]; ok {
			d := ServerToClient
			if src == cc.client && sp == cc.clientPort {
				d = ClientToServer
			}
			if cc.has[d] && !seqAfter(tcp.Seq+uint32(len(tcp.Payload)), cc.end[d]) {
				return // old data of a closed connection
			}
		}
	}
	ctx := s.newCtx(frameNum, ci)
	if s.live >= s.lim.MaxConns && (tcp.SYN || len(tcp.Payload) > 0) && s.byKey[makeConnKey(src, dst, sp, dp)] == nil {
		s.makeRoom(ctx) // the segment starts a connection: make room for it
	}
	s.current = nil
	s.asm.AssembleWithContext(ip.NetworkFlow(), tcp, ctx)
	if st := s.current; st != nil {
		for d := range st.c.half {
			h := &st.c.half[d]
			if !h.hole || !h.hasAck || !h.hasNext || !seqAfter(h.peerAck, h.nextSeq) {
				h.proven = -1
				continue
			}
			if h.proven++; h.proven >= holeGrace {
				h.proven = -1
				s.giveUpHole(st, Direction(d), ctx)
			}
		}
	}
}

// seqAfter reports whether sequence number a comes after b (RFC 1982).
func seqAfter(a, b uint32) bool { return int32(a-b) > 0 }

// giveUpHole makes gopacket skip the hole in direction d of st's
// connection now: it is fed an empty segment beyond the hole while its
// per-connection page limit is 1, so it delivers its first queued page
// with the gap before it (ReassembledSG then sees skip > 0).
func (s *StreamReassembler) giveUpHole(st *nbssStream, d Direction, ctx *segCtx) {
	c := &st.c
	h := &c.half[d]
	h.hole = false
	src, dst, sp, dp := c.ClientIP, c.ServerIP, c.ClientPort, c.ServerPort
	if d == ServerToClient {
		src, dst, sp, dp = dst, src, dp, sp
	}
	b := s.fakeHdr[:]
	clear(b)
	binary.BigEndian.PutUint16(b[0:2], sp)
	binary.BigEndian.PutUint16(b[2:4], dp)
	binary.BigEndian.PutUint32(b[4:8], h.nextSeq+1)
	b[12] = 5 << 4 // data offset: 20 bytes, no flags
	if err := s.fake.DecodeFromBytes(b, gopacket.NilDecodeFeedback); err != nil {
		return
	}
	old := s.asm.MaxBufferedPagesPerConnection
	s.asm.MaxBufferedPagesPerConnection = 1
	s.asm.AssembleWithContext(gopacket.NewFlow(layers.EndpointIPv4, src[:], dst[:]), &s.fake, ctx)
	s.asm.MaxBufferedPagesPerConnection = old
}

func streamPort(p uint16) bool { return p == dissect.PortNBSS || p == dissect.PortSMB }

// Flush applies the timeouts at now (capture time): holes older than
// OutOfOrderTimeout are given up (StreamGap, then resync), connections
// silent for IdleTimeout are closed (StreamTruncated if inside a packet).
func (s *StreamReassembler) Flush(now time.Time) {
	if s.flushed && now.Before(s.lastFlush) {
		return
	}
	s.lastFlush, s.flushed = now, true
	s.refused = false
	s.flushInOrder(func() {
		s.asm.FlushWithOptions(gpreassembly.FlushOptions{T: now.Add(-s.lim.OutOfOrderTimeout), TC: now.Add(-s.lim.IdleTimeout)})
	})
}

// FlushAll gives up every hole and closes every connection, at the end of
// a capture: queued data is delivered, incomplete packets are reported.
func (s *StreamReassembler) FlushAll() {
	s.payload, s.arena = nil, s.arena[:0]
	s.flushInOrder(func() { s.asm.FlushAll() })
}

// stable returns b, or a copy of it when b does not lie in the segment
// being added: bytes gopacket holds in its pages are recycled after the
// call, but the handler may keep Data until the next call (the engine
// shows it as a data source of the frame).
func (s *StreamReassembler) stable(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	if offsetIn(s.payload, b) >= 0 {
		return b
	}
	start := len(s.arena)
	s.arena = append(s.arena, b...)
	return s.arena[start:len(s.arena):len(s.arena)]
}

// segCtx is the AssemblerContext of one segment: its capture info and
// frame number. gopacket keeps it with the pages cut from the segment, and
// sg.CaptureInfo(offset) gives back its CaptureInfo, whose AncillaryData
// points here, so the frame of any byte can be found.
type segCtx struct {
	ci    gopacket.CaptureInfo
	frame int
	anc   [1]interface{}
}

func (c *segCtx) GetCaptureInfo() gopacket.CaptureInfo { return c.ci }

// newCtx hands out contexts from slabs, one allocation per 256 segments;
// the pages that still point into an old slab keep it alive.
func (s *StreamReassembler) newCtx(frame int, ci gopacket.CaptureInfo) *segCtx {
	if len(s.ctxs) == cap(s.ctxs) {
		s.ctxs = make([]segCtx, 0, 256)
	}
	s.ctxs = s.ctxs[:len(s.ctxs)+1]
	c := &s.ctxs[len(s.ctxs)-1]
	c.ci, c.frame = ci, frame
	c.anc[0] = c
	c.ci.AncillaryData = c.anc[:]
	return c
}

// frameAt is the frame of the byte at off in sg, or 0.
func frameAt(sg gpreassembly.ScatterGather, off int) int {
	if c := ctxAt(sg, off); c != nil {
		return c.frame
	}
	return 0
}

// ctxAt is the context of the segment the byte at off in sg came from, or
// nil.
func ctxAt(sg gpreassembly.ScatterGather, off int) *segCtx {
	ci := sg.CaptureInfo(off)
	if len(ci.AncillaryData) == 1 {
		if c, ok := ci.AncillaryData[0].(*segCtx); ok {
			return c
		}
	}
	return nil
}

// oneFrame returns the frame all of data (the whole scatter-gather) comes
// from, or -1. gopacket never splits a segment's bytes around another's
// (an overlapping segment trims, replaces or is copied into a queued
// page), so each segment's bytes are contiguous and the first and last
// byte tell. Bytes that alias the segment being added are its own. This
// spares frameAt's walk over the containers, several times per packet.
func (s *StreamReassembler) oneFrame(sg gpreassembly.ScatterGather, data []byte) int {
	if offsetIn(s.payload, data) >= 0 {
		return s.curFrame
	}
	if c := ctxAt(sg, 0); c != nil && c == ctxAt(sg, len(data)-1) {
		return c.frame
	}
	return -1
}

// frameSpan says bytes lo to hi (offsets in the scatter-gather, both
// included) come from the segment of ctx; ctx is nil for no span.
type frameSpan struct {
	lo, hi int
	ctx    *segCtx
}

// frameOf is frameAt(sg, off) for an offset within the scatter-gather
// being cut. When its bytes come from several segments, it remembers the
// runs it found (two bytes of one segment bound a run of it, see
// oneFrame): a packet's first and last byte are looked up, and the bytes
// just before and after it then come from these runs.
func (s *StreamReassembler) frameOf(sg gpreassembly.ScatterGather, off int) int {
	if s.sgFrame >= 0 {
		return s.sgFrame
	}
	for i := range s.spans {
		if sp := &s.spans[i]; sp.ctx != nil && off >= sp.lo && off <= sp.hi {
			return sp.ctx.frame
		}
	}
	c := ctxAt(sg, off)
	if c == nil {
		return 0
	}
	switch {
	case s.spans[0].ctx == c:
		s.spans[0].lo, s.spans[0].hi = min(s.spans[0].lo, off), max(s.spans[0].hi, off)
	case s.spans[1].ctx == c:
		s.spans[1].lo, s.spans[1].hi = min(s.spans[1].lo, off), max(s.spans[1].hi, off)
		s.spans[0], s.spans[1] = s.spans[1], s.spans[0]
	default:
		s.spans[1], s.spans[0] = s.spans[0], frameSpan{lo: off, hi: off, ctx: c}
	}
	return c.frame
}

type streamFactory struct{ s *StreamReassembler }

// New makes the Stream of a new connection. A segment with no data and no
// SYN (the last ACK after a close, a lone RST) starts nothing.
func (f streamFactory) New(netFlow, tcpFlow gopacket.Flow, tcp *layers.TCP, ac gpreassembly.AssemblerContext) gpreassembly.Stream {
	s := f.s
	if !tcp.SYN && len(tcp.Payload) == 0 {
		return nil
	}
	if s.live >= s.lim.MaxConns {
		s.stats.Refused++
		if !s.refused {
			s.refused = true
			s.anomaly(StreamAnomaly{Kind: StreamConnLimit, Frame: s.curFrame, err: dissect.Limit("nbss", "connections", -1,
				"more than "+strconv.Itoa(s.lim.MaxConns)+" TCP connections on ports 139 and 445: new ones are not followed")})
		}
		return nil
	}
	st := &nbssStream{s: s}
	c := &st.c
	c.half[0].proven, c.half[1].proven = -1, -1
	c.Index = s.nextIndex
	s.nextIndex++
	s.live++
	c.Start = s.curTime
	var a, b [4]byte
	copy(a[:], netFlow.Src().Raw())
	copy(b[:], netFlow.Dst().Raw())
	pa, pb := uint16(tcp.SrcPort), uint16(tcp.DstPort)
	// Who is the client: the SYN tells; else the side not on 139/445; else
	// the side the first packet came from.
	switch {
	case tcp.SYN && !tcp.ACK:
		c.firstIsClient = true
	case tcp.SYN && tcp.ACK:
		c.firstIsClient = false
	case streamPort(pb) && !streamPort(pa):
		c.firstIsClient = true
	case streamPort(pa) && !streamPort(pb):
		c.firstIsClient = false
	default:
		c.firstIsClient = true
	}
	if c.firstIsClient {
		c.ClientIP, c.ClientPort, c.ServerIP, c.ServerPort = a, pa, b, pb
	} else {
		c.ClientIP, c.ClientPort, c.ServerIP, c.ServerPort = b, pb, a, pa
	}
	c.Direct = c.ServerPort == dissect.PortSMB
	st.key = makeConnKey(c.ClientIP, c.ServerIP, c.ClientPort, c.ServerPort)
	s.byKey[st.key] = st
	st.last = s.curTime
	s.track(st, len(tcp.Payload) > 0)
	return st
}

// nbssStream is the gopacket Stream of one connection.
type nbssStream struct {
	s   *StreamReassembler
	c   Conn
	key connKey

	// The lists of the connection table (evict.go): busy once a segment
	// carried payload; last is when a segment was last seen.
	prev, next *nbssStream
	busy       bool
	last       time.Time
	// done: ReassemblyComplete ran. gone: evicted, no longer in the
	// table; gopacket may still hold it (evict.go, closeConn).
	done, gone bool
}

// Accept takes every segment; a half whose first segment is not a SYN is
// started at once (a capture that begins inside the connection) and has to
// find its first header.
func (st *nbssStream) Accept(tcp *layers.TCP, ci gopacket.CaptureInfo, dir gpreassembly.TCPFlowDirection, nextSeq gpreassembly.Sequence, start *bool, ac gpreassembly.AssemblerContext) bool {
	if st.gone {
		return false
	}
	c := &st.c
	d := c.dir(dir)
	h := &c.half[d]
	st.s.current = st
	st.s.touch(st, len(tcp.Payload) > 0)
	if ci.Timestamp.After(st.last) {
		st.last = ci.Timestamp
	}
	if tcp.SYN {
		c.SawSYN = true
	}
	if nextSeq != -1 {
		h.nextSeq, h.hasNext = uint32(nextSeq), true
		if end := tcp.Seq + uint32(len(tcp.Payload)); len(tcp.Payload) > 0 && seqAfter(tcp.Seq, h.nextSeq) {
			// It will be queued beyond a hole.
			if !h.hole || seqAfter(end, h.holeEnd) {
				h.holeEnd = end
			}
			h.hole = true
		}
	}
	if tcp.ACK {
		p := &c.half[d^1]
		if !p.hasAck || seqAfter(tcp.Ack, p.peerAck) {
			p.peerAck, p.hasAck = tcp.Ack, true
		}
	}
	if nextSeq == -1 && !h.seenStart {
		h.seenStart = true
		// gopacket starts the half here: after the SYN, or at this
		// segment. Knowing where it is from the first segment on lets a
		// closed connection remember where each direction ended even
		// when it sent one segment (old data repeated after the close
		// is then recognised, see Add).
		h.nextSeq, h.hasNext = tcp.Seq, true
		if tcp.SYN {
			h.nextSeq++
			h.synced = true
		} else {
			*start = true
			h.synced = false
		}
	}
	return true
}

// ReassembledSG cuts the bytes gopacket has in order into session packets.
func (st *nbssStream) ReassembledSG(sg gpreassembly.ScatterGather, ac gpreassembly.AssemblerContext) {
	s, c := st.s, &st.c
	if st.gone {
		return
	}
	avail, saved := sg.Lengths()
	tdir, _, end, skip := sg.Info()
	dir := c.dir(tdir)
	h := &c.half[dir]
	if h.closed {
		return
	}
	// What was kept last time comes back first, unless gopacket dropped
	// it (a gap: the bytes after it are not contiguous).
	prevKept := h.kept
	s.buffered -= h.kept
	h.kept = 0
	if h.hasNext {
		h.nextSeq += uint32(max(skip, 0) + avail - saved)
		if h.hole && !seqAfter(h.holeEnd, h.nextSeq) {
			h.hole = false
		}
	}
	if skip > 0 || (prevKept > 0 && saved != prevKept) {
		st.gap(h, dir, max(skip, 0), prevKept-saved)
	}
	if h.need > 0 && avail < h.need && saved == prevKept && !end {
		// Still incomplete: leave it all where it is, if there is room.
		if !h.partial && s.buffered+avail > s.lim.MaxBuffered {
			st.report(StreamBufferLimit, dir, avail, h.need, dissect.Limit("nbss", "length", 1,
				"holding "+strconv.Itoa(s.buffered)+" bytes of incomplete packets already: packet of "+strconv.Itoa(h.need)+" bytes skipped"))
			h.discard = h.need - avail
			h.need = 0
			return
		}
		st.keep(sg, h, 0, avail)
		return
	}
	var data []byte
	s.sgFrame, s.spans = -1, [2]frameSpan{}
	if avail > 0 {
		data = sg.Fetch(avail)
		s.sgFrame = s.oneFrame(sg, data)
	}
	h.need, h.partial = 0, false

	pos, skipFrom := 0, -1
	leaderFrame, leaderLong := -1, false
	for pos < avail {
		if h.discard > 0 {
			n := min(h.discard, avail-pos)
			pos += n
			h.discard -= n
			continue
		}
		if !h.synced {
			p := st.findHeader(sg, data, pos, saved)
			if skipFrom < 0 && p > pos {
				skipFrom = pos
			}
			h.skipped += p - pos
			pos = p
			if pos >= avail {
				break
			}
			h.synced = true
		}
		rem := avail - pos
		hdr := data[pos:]
		if !dissect.NBSSType(hdr[0]).Known() {
			// Not a header where one should be: lost track.
			h.synced = false
			continue
		}
		if rem < dissect.NBSSHeaderLen || (rem < 8 && hdr[0] == 0 && hdr[1] > 1 && !c.Direct) {
			h.need, h.partial = 8, true
			if rem < dissect.NBSSHeaderLen {
				h.need = dissect.NBSSHeaderLen
			}
			h.firstFr = s.frameOf(sg, pos)
			st.keep(sg, h, pos, avail)
			break
		}
		long := dissect.NBSSUsesLongLength(c.Direct, hdr)
		l, _ := dissect.NBSSLength(hdr, long)
		if !dissect.NBSSPlausible(hdr, c.Direct, false) {
			// A known type, but reserved flags or a length that does not
			// fit it (tshark's tests): lost track.
			h.synced = false
			continue
		}
		total := dissect.NBSSHeaderLen + l
		limit := s.lim.MaxMessage
		if c.Direct {
			limit = s.lim.MaxDirectMessage
		}
		if total > limit {
			st.report(StreamOversize, dir, 0, total, dissect.Limit("nbss", "length", 1,
				"packet of "+strconv.Itoa(total)+" bytes exceeds the limit of "+strconv.Itoa(limit)+": skipped"))
			h.discard = total
			continue
		}
		if rem < total {
			if s.buffered+rem > s.lim.MaxBuffered {
				st.report(StreamBufferLimit, dir, rem, total, dissect.Limit("nbss", "length", 1,
					"holding "+strconv.Itoa(s.buffered)+" bytes of incomplete packets already: packet of "+strconv.Itoa(total)+" bytes skipped"))
				h.discard = total
				continue
			}
			h.need = total
			h.firstFr = s.frameOf(sg, pos)
			st.keep(sg, h, pos, avail)
			break
		}
		// A whole packet. Work out how tshark shows it: from one segment
		// whose first packet started it, or reassembled.
		first, last := s.frameOf(sg, pos), s.frameOf(sg, pos+total-1)
		if pos < saved {
			first = h.firstFr
		}
		segStart := (pos == 0 && saved == 0) || (pos > 0 && pos >= saved && s.frameOf(sg, pos-1) != first)
		if segStart {
			leaderFrame = first
			lead := hdr[:min(8, rem)]
			if len(lead) == 8 && s.frameOf(sg, pos+7) != first {
				lead = lead[:4]
			}
			leaderLong = dissect.NBSSLongLengthAsTshark(false, false, lead)
		}
		single := pos >= saved && first == last
		reassembled := !(single && leaderFrame == first)
		if skipFrom >= 0 {
			st.skipped(dir, data[skipFrom:pos], h)
			skipFrom = -1
		}
		m := &s.msg
		*m = NBSSMessage{Conn: c, Dir: dir, Frame: s.curFrame, FirstFrame: first, Time: s.curTime,
			Data: s.stable(data[pos : pos+total]), Skipped: h.skipped, Reassembled: pos < saved || first != last}
		if reassembled {
			m.LongLength = c.Direct
		} else {
			m.LongLength = leaderLong
		}
		if hdr[0] == byte(dissect.NBSSSessionRequest) && !c.SawSYN && dir == ServerToClient {
			// The side we took for the server asks for a session: swap.
			c.firstIsClient = !c.firstIsClient
			c.ClientIP, c.ServerIP = c.ServerIP, c.ClientIP
			c.ClientPort, c.ServerPort = c.ServerPort, c.ClientPort
			c.half[0], c.half[1] = c.half[1], c.half[0]
			dir = ClientToServer
			h = &c.half[dir]
			m.Dir = dir
		}
		h.skipped = 0
		h.messages++
		pos += total
		s.deliverMessage(m)
	}
	if skipFrom >= 0 {
		st.skipped(dir, data[skipFrom:pos], h)
	}
	if end {
		st.end(h, dir)
	}
}

// findHeader returns where the next plausible header starts, from pos, or
// len(data). A session message carrying SMB, or a session request with its
// 32-byte name label, is believed anywhere (dissect.NBSSPlausible, strict);
// the other types, whose 4 bytes are too common in SMB data to mean much,
// and a session message whose first segment is too short to show its SMB
// signature, only at the start of a segment, where tshark looks.
func (st *nbssStream) findHeader(sg gpreassembly.ScatterGather, data []byte, pos, saved int) int {
	s, direct := st.s, st.c.Direct
	segStart := func(p int) bool {
		if p < saved {
			return false
		}
		if p == 0 {
			return true
		}
		return s.frameOf(sg, p-1) != s.frameOf(sg, p)
	}
	for p := pos; p < len(data); p++ {
		b := data[p:]
		switch dissect.NBSSType(b[0]) {
		case dissect.NBSSSessionMessage, dissect.NBSSSessionRequest:
			if dissect.NBSSPlausible(b, direct, true) {
				return p
			}
			if len(b) < 8 && dissect.NBSSPlausible(b, direct, false) && segStart(p) {
				return p
			}
		case dissect.NBSSPositiveSessionResponse, dissect.NBSSNegativeSessionResponse,
			dissect.NBSSRetargetSessionResponse, dissect.NBSSSessionKeepAlive:
			if dissect.NBSSPlausible(b, direct, false) && segStart(p) {
				return p
			}
		}
	}
	return len(data)
}

// keep leaves data[pos:avail] in the assembler for the next call.
func (st *nbssStream) keep(sg gpreassembly.ScatterGather, h *streamHalf, pos, avail int) {
	sg.KeepFrom(pos)
	h.kept = avail - pos
	st.s.buffered += h.kept
}

// gap handles bytes gopacket says are lost (skip) and kept bytes it
// dropped (dropped): the packet in progress is lost; if the loss falls
// inside a packet whose end is known, the framing goes on after it,
// else it resynchronises.
func (st *nbssStream) gap(h *streamHalf, dir Direction, skip, dropped int) {
	need := h.need
	if h.partial {
		need = 0
	}
	lost := skip + max(dropped, 0)
	st.report(StreamGap, dir, skip, need, nil) // Cause builds the error
	switch {
	case h.discard > 0 && h.discard >= lost:
		h.discard -= lost
	case h.need > 0 && !h.partial && h.synced && h.need >= dropped+skip && dropped >= 0:
		// The packet's end is known: skip what is left of it.
		h.discard = h.need - dropped - skip
	default:
		h.discard = 0
		h.synced = false
	}
	h.need, h.partial = 0, false
}

// truncated is the error of lost stream bytes: what dissect.Truncated
// builds, with detail in place of its "need N bytes, have M", made
// directly in two allocations and not six.
func truncated(detail string) error {
	return &dissect.DecodeError{Proto: "nbss", Field: "stream", Offset: -1, Err: dissect.ErrTruncated, Detail: detail}
}

// end handles the end of one direction (FIN or RST, or a flush).
func (st *nbssStream) end(h *streamHalf, dir Direction) {
	if h.need > 0 && !h.reported {
		h.reported = true
		var buf [80]byte
		b := buf[:0]
		if h.partial {
			b = append(b, "stream ended inside a packet header ("...)
			b = strconv.AppendInt(b, int64(h.kept), 10)
			b = append(b, " bytes)"...)
		} else {
			b = append(b, "stream ended "...)
			b = strconv.AppendInt(b, int64(h.kept), 10)
			b = append(b, " bytes into a packet of "...)
			b = strconv.AppendInt(b, int64(h.need), 10)
			b = append(b, " bytes"...)
		}
		st.report(StreamTruncated, dir, h.kept, h.need, truncated(string(b)))
	}
	st.s.buffered -= h.kept
	h.kept, h.need, h.partial = 0, 0, false
	h.closed = true
}

// ReassemblyComplete is called once both directions are closed.
func (st *nbssStream) ReassemblyComplete(ac gpreassembly.AssemblerContext) bool {
	if st.done || st.gone {
		st.done = true
		return true
	}
	st.done = true
	for d := range st.c.half {
		h := &st.c.half[d]
		if !h.closed {
			st.end(h, Direction(d))
		}
	}
	s := st.s
	s.forget(st)
	c := &st.c
	cc := closedConn{client: c.ClientIP, clientPort: c.ClientPort}
	for d := range c.half {
		cc.end[d], cc.has[d] = c.half[d].nextSeq, c.half[d].hasNext
	}
	if len(s.closedRing) < s.lim.MaxConns {
		s.closedRing = append(s.closedRing, st.key)
	} else {
		delete(s.closed, s.closedRing[s.closedNext])
		s.closedRing[s.closedNext] = st.key
		s.closedNext = (s.closedNext + 1) % len(s.closedRing)
	}
	s.closed[st.key] = cc
	return true
}

func (st *nbssStream) skipped(dir Direction, b []byte, h *streamHalf) {
	if len(b) == 0 {
		return
	}
	a := StreamAnomaly{Kind: StreamSkipped, Conn: &st.c, Dir: dir, Frame: st.s.curFrame, Bytes: len(b), Data: st.s.stable(b),
		err: dissect.Malformed("nbss", "stream", -1, strconv.Itoa(len(b))+" bytes that start no session packet skipped")}
	st.s.anomaly(a)
}

func (st *nbssStream) report(kind StreamAnomalyKind, dir Direction, bytes, need int, err error) {
	st.s.anomaly(StreamAnomaly{Kind: kind, Conn: &st.c, Dir: dir, Frame: st.s.curFrame, Bytes: bytes, Need: need, err: err})
}

func (s *StreamReassembler) anomaly(a StreamAnomaly) {
	s.anom = a
	if s.deferring {
		// a.Data comes from stable: it lasts until the next call to Add,
		// Flush or FlushAll, past the end of this flush.
		s.queue = append(s.queue, queuedEvent{anomaly: true, a: a})
		return
	}
	s.h.OnAnomaly(&s.anom)
}

// queuedEvent is a handler call held back during a flush.
type queuedEvent struct {
	anomaly bool
	m       NBSSMessage
	a       StreamAnomaly
}

func (q *queuedEvent) conn() int {
	c := q.m.Conn
	if q.anomaly {
		c = q.a.Conn
	}
	if c == nil {
		return -1
	}
	return c.Index
}

// deliverMessage hands a packet to the handler, or queues it during a
// flush.
func (s *StreamReassembler) deliverMessage(m *NBSSMessage) {
	if s.deferring {
		// m.Data comes from stable, as a.Data in anomaly: no copy.
		s.queue = append(s.queue, queuedEvent{m: *m})
		return
	}
	s.h.OnMessage(m)
}

// flushInOrder runs a gopacket flush, which visits connections in map
// order, and hands what it produced to the handler ordered by connection
// index (each connection's own order kept): replaying a capture must give
// the same output every time.
func (s *StreamReassembler) flushInOrder(flush func()) {
	s.deferring, s.queue = true, s.queue[:0]
	flush()
	s.deferring = false
	// Most flushes produce nothing, or events of one connection: sort
	// only when needed, and sort indices, not the large events.
	s.order = s.order[:0]
	for i := range s.queue {
		s.order = append(s.order, int32(i))
	}
	for i := 1; i < len(s.queue); i++ {
		if s.queue[i].conn() < s.queue[i-1].conn() {
			slices.SortStableFunc(s.order, func(a, b int32) int { return cmp.Compare(s.queue[a].conn(), s.queue[b].conn()) })
			break
		}
	}
	for _, i := range s.order {
		q := &s.queue[i]
		if q.anomaly {
			s.anom = q.a
			s.h.OnAnomaly(&s.anom)
		} else {
			s.msg = q.m
			s.h.OnMessage(&s.msg)
		}
	}
	s.queue = s.queue[:0]
}

// offsetIn returns the offset of sub within base when sub is a subslice of
// base, or -1.
func offsetIn(base, sub []byte) int {
	if len(base) == 0 || len(sub) == 0 {
		return -1
	}
	b := uintptr(unsafe.Pointer(unsafe.SliceData(base)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(sub)))
	if p < b || p+uintptr(len(sub)) > b+uintptr(len(base)) {
		return -1
	}
	return int(p - b)
}
