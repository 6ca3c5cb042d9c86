package reassembly

// One TCP connection on port 139 or 445 (gopacket's Stream): who is the
// client, the framing state of each direction, and the bookkeeping around
// the framer (framer.go): the bytes kept in the assembler, gaps, the
// buffering limits, resync, the end of each direction, and how tshark
// shows each packet handed over.

import (
	"strconv"
	"time"

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

// Conn is one TCP connection on port 139 or 445. The handler may keep a
// *Conn until its connection ends (its last packet or anomaly handed
// over): the reassembler then reuses it for a later connection.
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

	messages [2]int // session packets delivered in each direction
}

// Messages is the number of session packets delivered in each direction.
func (c *Conn) Messages(d Direction) int { return c.messages[d&1] }

func (st *nbssStream) dir(d gpreassembly.TCPFlowDirection) Direction {
	if (d == gpreassembly.TCPDirClientToServer) == st.firstIsClient {
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

	// queued: gopacket may hold out-of-order pages of this direction, up
	// to queuedEnd (cleared only once its next sequence number passes
	// queuedEnd, never when a hole is given up: pages beyond another hole
	// may stay). Flush needs gopacket only when some are (queuedHalves).
	queued    bool
	queuedEnd uint32
}

// gpAfter reports whether sequence number a comes after b as gopacket's
// assembler reckons it (Sequence.Difference), which is not RFC 1982's
// seqAfter for numbers more than a quarter of the space apart.
func gpAfter(a, b uint32) bool {
	return gpreassembly.Sequence(b).Difference(gpreassembly.Sequence(a)) > 0
}

// holeGrace is how many more segments of a connection are awaited, once
// the peer's ACK shows a hole's bytes were received but not captured,
// before the hole is given up: a capture that reorders the two directions
// may show the ACK just before the data. One: each segment more that the
// data after the hole waits is a frame later than tshark shows it (on
// nbss139-smb1-smia2011, a capture deduplicated segment by segment, 2,149
// of 3,952 frames show tshark's SMB commands with 1, 1,151 with 3).
const holeGrace = 1

type streamFactory struct{ s *StreamReassembler }

// New makes the Stream of a new connection. A segment with no data and no
// SYN (the last ACK after a close, a lone RST) starts nothing.
func (f streamFactory) New(netFlow, tcpFlow gopacket.Flow, tcp *layers.TCP, ac gpreassembly.AssemblerContext) gpreassembly.Stream {
	var a, b [4]byte
	copy(a[:], netFlow.Src().Raw())
	copy(b[:], netFlow.Dst().Raw())
	if st := f.s.newConn(a, b, tcp); st != nil {
		return st
	}
	return nil // (not a nil *nbssStream)
}

// newConn is New of a segment from a to b, or nil: what our assembler
// calls (gopacket's Flows, 56 bytes each made and copied through the
// stack, only carried the addresses).
func (s *StreamReassembler) newConn(a, b [4]byte, tcp *layers.TCP) *nbssStream {
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
	st := s.newStream()
	c := st.c
	st.half[0].proven, st.half[1].proven = -1, -1
	c.Index = s.nextIndex
	s.nextIndex++
	s.live++
	c.Start = s.curTime
	pa, pb := uint16(tcp.SrcPort), uint16(tcp.DstPort)
	// Who is the client: the SYN tells; else the side not on 139/445; else
	// the side the first packet came from.
	switch {
	case tcp.SYN && !tcp.ACK:
		st.firstIsClient = true
	case tcp.SYN && tcp.ACK:
		st.firstIsClient = false
	case streamPort(pb) && !streamPort(pa):
		st.firstIsClient = true
	case streamPort(pa) && !streamPort(pb):
		st.firstIsClient = false
	default:
		st.firstIsClient = true
	}
	if st.firstIsClient {
		c.ClientIP, c.ClientPort, c.ServerIP, c.ServerPort = a, pa, b, pb
	} else {
		c.ClientIP, c.ClientPort, c.ServerIP, c.ServerPort = b, pb, a, pa
	}
	c.Direct = c.ServerPort == dissect.PortSMB
	st.key = makeConnKey(c.ClientIP, c.ServerIP, c.ClientPort, c.ServerPort)
	k := &st.key // just stored: the segment's key, stored earlier, is hashed in place (segKey)
	if s.segKey == st.key {
		k = &s.segKey
	}
	s.byKey[*k] = st
	s.hot = st
	if !s.floorSet || s.curTime.Before(s.floor) {
		s.floor, s.floorSet = s.curTime, true
	}
	st.last = s.curTime
	s.track(st, len(tcp.Payload) > 0)
	return st
}

// nbssStream is the gopacket Stream of one connection.
type nbssStream struct {
	s *StreamReassembler
	c *Conn // &conn
	// conn is the stream's Conn: reused with the stream (spare) once the
	// connection is complete and the handler had its last packet.
	conn Conn
	key  connKey
	asm  *asmConn // its connection in our assembler (tcpasm.go), if that is the assembler

	firstIsClient bool // gopacket's TCPDirClientToServer is our client→server
	half          [2]streamHalf

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
	return st.accept(tcp, ci.Timestamp, dir, nextSeq, start)
}

// accept is Accept, given the capture time; our assembler calls it
// directly.
func (st *nbssStream) accept(tcp *layers.TCP, ts time.Time, dir gpreassembly.TCPFlowDirection, nextSeq gpreassembly.Sequence, start *bool) bool {
	if st.gone {
		return false
	}
	c := st.c
	d := st.dir(dir)
	h := &st.half[d]
	st.s.current = st
	st.s.touch(st, len(tcp.Payload) > 0)
	ts0, tn := timeKey(ts)
	if ls, ln := timeKey(st.last); keyBefore(ls, ln, ts0, tn) { // ts.After(st.last)
		st.last = ts
	}
	if tcp.SYN {
		c.SawSYN = true
	}
	if len(tcp.Payload) > 0 && (nextSeq == -1 || uint32(nextSeq) != tcp.Seq) {
		// gopacket may queue it in pages that point to its context
		// (segCtx), or start the half here and keep it (see keep).
		st.s.ctxHeld = true
	}
	if nextSeq != -1 {
		h.nextSeq, h.hasNext = uint32(nextSeq), true
		end := tcp.Seq + uint32(len(tcp.Payload))
		if len(tcp.Payload) > 0 && seqAfter(tcp.Seq, h.nextSeq) {
			// It will be queued beyond a hole.
			if !h.hole || seqAfter(end, h.holeEnd) {
				h.holeEnd = end
			}
			h.hole = true
		}
		if len(tcp.Payload) > 0 && gpAfter(tcp.Seq, h.nextSeq) {
			// gopacket queues it: gpAfter is its own test.
			if !h.queued {
				h.queued, h.queuedEnd = true, end
				st.s.queuedHalves++
			} else if gpAfter(end, h.queuedEnd) {
				h.queuedEnd = end
			}
		}
	}
	if tcp.ACK {
		p := &st.half[d^1]
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

// acceptEmpty is accept of a segment with no payload and no flags on a
// started half (nextSeq is next): what giveUpHole feeds our assembler.
// Of accept, only this is left.
func (st *nbssStream) acceptEmpty(ts time.Time, dir gpreassembly.TCPFlowDirection, next uint32) bool {
	if st.gone {
		return false
	}
	h := &st.half[st.dir(dir)]
	st.s.current = st
	st.s.touch(st, false)
	ts0, tn := timeKey(ts)
	if ls, ln := timeKey(st.last); keyBefore(ls, ln, ts0, tn) { // ts.After(st.last)
		st.last = ts
	}
	h.nextSeq, h.hasNext = next, true
	return true
}

// ReassembledSG takes the bytes gopacket has in order for one direction
// of the connection. Around the framer (FrameNBSS, ResyncNBSS), it keeps
// the books: the bytes left in the assembler last time, gaps, the
// buffering limits, the bytes skipped to find a header; and it hands over
// each packet found as tshark shows it (see showAs).
func (st *nbssStream) ReassembledSG(sg gpreassembly.ScatterGather, ac gpreassembly.AssemblerContext) {
	st.reassembled(viewOf(sg))
}

// reassembled is ReassembledSG; our assembler calls it directly.
func (st *nbssStream) reassembled(sg sgView) {
	s, c := st.s, st.c
	if st.gone {
		return
	}
	var avail, saved, skip int
	var tdir gpreassembly.TCPFlowDirection
	var end bool
	if o := sg.own; o != nil { // ours: its methods inlined (sgView's are not)
		avail, saved = o.Lengths()
		tdir, _, end, skip = o.Info()
	} else {
		avail, saved = sg.Lengths()
		tdir, _, end, skip = sg.Info()
	}
	dir := st.dir(tdir)
	h := &st.half[dir]
	if h.closed {
		return
	}
	prevKept := st.account(h, dir, avail, saved, skip)
	if h.need > 0 && avail < h.need && saved == prevKept && !end {
		// Still incomplete: leave it all where it is, if there is room.
		if h.partial || st.room(dir, avail, h.need) {
			st.keep(sg, h, 0, avail)
		} else {
			h.discard = h.need - avail
			h.need = 0
		}
		return
	}
	var data []byte
	s.sgFrame = -1
	if avail > 0 {
		if o := sg.own; o != nil {
			data = s.fetchOwn(o, avail)
		} else {
			data = sg.Fetch(avail)
		}
		s.sgFrame = s.oneFrame(sg, data)
	}
	if s.sgFrame < 0 {
		s.spans = [2]frameSpan{} // read only then (frameOf)
	}
	h.need, h.partial = 0, false

	pos, skipFrom := 0, -1
	lead := leader{frame: -1}
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
		fr := FrameNBSS(data[pos:], c.Direct)
		if fr.Lost {
			h.synced = false
			continue
		}
		if limit := st.limit(); fr.Length > limit {
			st.report(StreamOversize, dir, 0, fr.Length, dissect.Limit("nbss", "length", 1,
				"packet of "+strconv.Itoa(fr.Length)+" bytes exceeds the limit of "+strconv.Itoa(limit)+": skipped"))
			h.discard = fr.Length
			continue
		}
		if fr.Needed > 0 {
			if fr.Length > 0 && !st.room(dir, avail-pos, fr.Length) {
				h.discard = fr.Length
				continue
			}
			h.need, h.partial = fr.Needed, fr.Length == 0
			h.firstFr = s.frameOf(sg, pos)
			st.keep(sg, h, pos, avail)
			break
		}
		first, spread, long := st.showAs(sg, data, pos, fr.Consumed, saved, h, &lead)
		if skipFrom >= 0 {
			st.skipped(dir, data[skipFrom:pos], h)
			skipFrom = -1
		}
		dir, h = st.deliver(dir, h, data[pos:pos+fr.Consumed], first, spread, long)
		pos += fr.Consumed
	}
	if skipFrom >= 0 {
		st.skipped(dir, data[skipFrom:pos], h)
	}
	if end {
		st.end(h, dir)
	}
}

// account takes back what the last call left in the assembler (the kept
// bytes come back first, unless gopacket dropped them), follows the
// sequence numbers, and handles a gap: bytes gopacket says are lost
// (skip), or kept bytes it dropped. It returns the bytes kept last time.
func (st *nbssStream) account(h *streamHalf, dir Direction, avail, saved, skip int) (prevKept int) {
	prevKept = h.kept
	st.s.buffered -= h.kept
	h.kept = 0
	if h.hasNext {
		h.nextSeq += uint32(max(skip, 0) + avail - saved)
		if h.hole && !seqAfter(h.holeEnd, h.nextSeq) {
			h.hole = false
		}
		if h.queued && !gpAfter(h.queuedEnd, h.nextSeq) {
			h.queued = false
			st.s.queuedHalves--
		}
	}
	if skip > 0 || (prevKept > 0 && saved != prevKept) {
		st.gap(h, dir, max(skip, 0), prevKept-saved)
	}
	return prevKept
}

// limit is the largest packet buffered on this connection.
func (st *nbssStream) limit() int {
	if st.c.Direct {
		return st.s.lim.MaxDirectMessage
	}
	return st.s.lim.MaxMessage
}

// room reports whether have more bytes of a packet of total bytes can be
// held under MaxBuffered; if not, it reports the packet skipped.
func (st *nbssStream) room(dir Direction, have, total int) bool {
	s := st.s
	if s.buffered+have <= s.lim.MaxBuffered {
		return true
	}
	st.report(StreamBufferLimit, dir, have, total, dissect.Limit("nbss", "length", 1,
		"holding "+strconv.Itoa(s.buffered)+" bytes of incomplete packets already: packet of "+strconv.Itoa(total)+" bytes skipped"))
	return false
}

// leader is the first packet of the segment being cut, as tshark reads it:
// the frame of that segment, and whether its header has a 24-bit length.
type leader struct {
	frame int
	long  bool
}

// showAs works out how tshark shows the whole packet data[pos:pos+total]:
// the frame of its first byte, whether it is spread over several segments
// (NBSSMessage.Reassembled), and NBSSMessage.LongLength. tshark reads
// each segment on its own: a packet that is the only one of its segment,
// or that the segment starts with, is shown by its own header (its first
// 8 bytes, or 4 when the segment is shorter); the others as reassembled
// data, by the port alone. lead remembers the segment's first packet.
func (st *nbssStream) showAs(sg sgView, data []byte, pos, total, saved int, h *streamHalf, lead *leader) (first int, spread, long bool) {
	s := st.s
	if f := s.sgFrame; f >= 0 && pos >= saved {
		// Every byte from one frame (most packets), none kept: what
		// follows, with each frameOf f. The segment starts only at 0.
		if pos == 0 && saved == 0 {
			lead.frame = f
			lead.long = dissect.NBSSLongLengthAsTshark(false, false, data[pos:min(pos+8, len(data))])
		}
		if lead.frame == f {
			return f, false, lead.long
		}
		return f, false, st.c.Direct
	}
	first, last := s.frameOf(sg, pos), s.frameOf(sg, pos+total-1)
	if pos < saved {
		first = h.firstFr
	}
	segStart := (pos == 0 && saved == 0) || (pos > 0 && pos >= saved && s.frameOf(sg, pos-1) != first)
	if segStart {
		lead.frame = first
		hdr := data[pos:min(pos+8, len(data))]
		if len(hdr) == 8 && s.frameOf(sg, pos+7) != first {
			hdr = hdr[:4]
		}
		lead.long = dissect.NBSSLongLengthAsTshark(false, false, hdr)
	}
	single := pos >= saved && first == last
	spread = pos < saved || first != last
	if single && lead.frame == first {
		return first, spread, lead.long
	}
	return first, spread, st.c.Direct
}

// deliver hands a whole packet to the handler, in direction dir (whose
// state is h), and returns the direction and state to go on with: a
// session request sent by the side taken for the server swaps the sides.
func (st *nbssStream) deliver(dir Direction, h *streamHalf, pkt []byte, first int, spread, long bool) (Direction, *streamHalf) {
	s, c := st.s, st.c
	m := &s.msg
	// Field by field (every field): a composite literal is built on the
	// stack and copied, its 16-byte loads stalling on the stores just made.
	m.Conn, m.Dir, m.Frame, m.FirstFrame, m.Time = c, dir, s.curFrame, first, s.curTime
	m.Data, m.Skipped, m.Reassembled, m.LongLength = s.stable(pkt), h.skipped, spread, long
	if pkt[0] == byte(dissect.NBSSSessionRequest) && !c.SawSYN && dir == ServerToClient {
		// The side we took for the server asks for a session: swap.
		st.firstIsClient = !st.firstIsClient
		c.ClientIP, c.ServerIP = c.ServerIP, c.ClientIP
		c.ClientPort, c.ServerPort = c.ServerPort, c.ClientPort
		st.half[0], st.half[1] = st.half[1], st.half[0]
		c.messages[0], c.messages[1] = c.messages[1], c.messages[0]
		dir = ClientToServer
		h = &st.half[dir]
		m.Dir = dir
	}
	h.skipped = 0
	c.messages[dir]++
	s.deliverMessage(m)
	return dir, h
}

// findHeader returns where the next header to be believed starts, from
// pos, or len(data): ResyncNBSS's candidates, those it believes only at
// the start of a segment kept when they are.
func (st *nbssStream) findHeader(sg sgView, data []byte, pos, saved int) int {
	s := st.s
	for p := pos; ; p++ {
		q, anywhere := ResyncNBSS(data, p, st.c.Direct)
		if q >= len(data) || anywhere {
			return q
		}
		if q >= saved && (q == 0 || s.frameOf(sg, q-1) != s.frameOf(sg, q)) {
			return q
		}
		p = q
	}
}

// keep leaves data[pos:avail] in the assembler for the next call.
func (st *nbssStream) keep(sg sgView, h *streamHalf, pos, avail int) {
	sg.KeepFrom(pos)
	st.s.ctxHeld = true // the pages cut from the segment point to its context
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
	for d := range st.half {
		h := &st.half[d]
		if !h.closed {
			st.end(h, Direction(d))
		}
	}
	s := st.s
	s.forget(st)
	c := st.c
	cc := closedConn{client: c.ClientIP, clientPort: c.ClientPort}
	for d := range st.half {
		cc.end[d], cc.has[d] = st.half[d].nextSeq, st.half[d].hasNext
	}
	s.closed.add(st.key, cc, s.lim.MaxConns)
	// The assembler forgets it now (ReassemblyComplete said true), and
	// the handler had its last packet or anomaly (a flush hands over what
	// it queued before the next Add, the only caller of New): it can be
	// reused, and its Conn with it.
	s.spare = append(s.spare, st)
	return true
}

// newStream is a stream from the spare ones, or a new one, with its Conn
// cleared. Reusing them spares fresh memory: a capture's connections come
// and go (15,170 in a pass of the dense capture, a few hundred at once).
func (s *StreamReassembler) newStream() *nbssStream {
	n := len(s.spare)
	if n == 0 {
		st := &nbssStream{s: s}
		st.c = &st.conn
		return st
	}
	st := s.spare[n-1]
	s.spare[n-1] = nil
	s.spare = s.spare[:n-1]
	*st = nbssStream{s: s}
	st.c = &st.conn
	return st
}

func (st *nbssStream) skipped(dir Direction, b []byte, h *streamHalf) {
	if len(b) == 0 {
		return
	}
	a := StreamAnomaly{Kind: StreamSkipped, Conn: st.c, Dir: dir, Frame: st.s.curFrame, Bytes: len(b), Data: st.s.stable(b),
		err: dissect.Malformed("nbss", "stream", -1, strconv.Itoa(len(b))+" bytes that start no session packet skipped")}
	st.s.anomaly(a)
}

func (st *nbssStream) report(kind StreamAnomalyKind, dir Direction, bytes, need int, err error) {
	s := st.s
	a := &s.anom // every field, as StreamReassembler.anomaly would
	a.Kind, a.Conn, a.Dir, a.Frame, a.Bytes, a.Need, a.Data, a.err = kind, st.c, dir, s.curFrame, bytes, need, nil, err
	s.sendAnomaly()
}
