package reassembly

// TCP streams on ports 139 and 445, cut into NetBIOS session service
// packets (RFC 1002 §4.3.1) or direct hosted SMB frames ([MS-SMB2] §2.1).
//
// The assembler (ours, tcpasm.go, which does what gopacket's
// reassembly.Assembler does, callback for callback: the comments that say
// "gopacket" describe that behaviour; gopacket's own stays the tests'
// reference) orders the segments (retransmissions dropped, out-of-order
// ones queued in pages, a hole given up on after OutOfOrderTimeout of
// capture time) and hands each connection half's
// bytes, in order, to ReassembledSG (streamconn.go). There the framer
// (framer.go) reads the 4-byte headers; a packet that is not complete yet
// is left in the assembler with KeepFrom (no copy of ours), and comes back,
// with the next bytes after it, on the next call. Everything happens
// synchronously inside Add, so a packet is delivered in the frame that
// completes it (streamevents.go).
//
// This file: the limits, the reassembler, and Add, Flush and FlushAll.

import (
	"encoding/binary"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	gpreassembly "github.com/gopacket/gopacket/reassembly"

	"github.com/nbtsniff/nbtsniff/dissect"
)

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

// StreamReassembler follows the TCP connections on ports 139 and 445 and
// cuts them into session packets. It is not safe for concurrent use.
//
// The engine calls Add for every TCP segment to or from port 139 or 445,
// in capture order, and FlushAll at the end of the capture. Add applies the
// timeouts itself, by capture time, every FlushInterval.
type StreamReassembler struct {
	h    NBSSHandler
	lim  StreamLimits
	asm  segmentAssembler               // ours (tcpasm.go), or gopacket's in tests
	own  *tcpAssembler                  // asm when it is ours
	opts *gpreassembly.AssemblerOptions // asm's page limits

	curFrame  int
	curTime   time.Time
	lastFlush time.Time
	nextFlush time.Time // lastFlush + FlushInterval
	flushSec  int64     // timeKey(nextFlush): Add compares it with every segment's
	flushNsec int
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
	ctxHeld   bool         // gopacket may keep a page of the segment being added, which points to its context
	ctxCopied bool         // the assembler's pages copy the context (ours): none is held
	ownCtx    segCtx       // the context of every segment on ours (ctxCopied)
	segN      uint64       // the last segCtx.seg
	sgFrame   int          // the frame of every byte ReassembledSG is cutting, or -1 (see frameOf)
	spans     [2]frameSpan // else the last two runs of bytes found to share a frame
	msg       NBSSMessage
	anom      StreamAnomaly
	current   *nbssStream // the connection of the segment being added
	payload   []byte      // the segment being added, which stays valid for the frame
	arena     []byte      // copies of what does not alias payload, reset by each call
	// held is the page a hole given up on hands over, whose bytes stay
	// as they are until the next call (see fetchOwn), while giving up
	// (upHeld); else nil.
	held      []byte
	upHeld    bool
	deferring bool          // inside a flush: handler calls are queued
	queue     []queuedEvent // the queued calls, delivered in connection order
	order     []int32       // the order to deliver queue in
	fakeHdr   [20]byte
	fake      layers.TCP

	// Connections by address, live and recently closed: a segment of a
	// closed connection that repeats its data (a retransmission seen
	// after the FIN, or after an idle close) must not start a new one.
	byKey map[connKey]*nbssStream
	// segKey is the key of the segment being added, for the maps to hash
	// in place: a key in a local variable is copied to a stack slot for
	// the hash, whose 16-byte load stalls on the two 8-byte stores just
	// made; this one was stored before the hot connection was checked.
	segKey connKey
	hot    *nbssStream   // the last connection found in byKey, and still there
	spare  []*nbssStream // streams complete and forgotten, for reuse (newStream)
	closed closedSet     // the last MaxConns closed, by key

	// What Flush needs to know to leave gopacket alone (flushNeeded):
	// the directions that may hold out-of-order pages, and a time no
	// live connection was last seen before (floorSet: there is one).
	queuedHalves int
	floor        time.Time
	floorSet     bool
}

// connKey is a connection's two endpoints, the lower one first: the
// addresses as big-endian numbers (lower << 32 | higher), the ports in the
// same order (lower's << 16 | higher's). Made of whole words, not of
// bytes: a key written in pieces and read back at once stalls the CPU.
type connKey struct {
	addrs uint64
	ports uint64 // a whole word too: 16 bytes, no padding, hashed and compared as memory
}

func makeConnKey(src, dst [4]byte, sp, dp uint16) connKey {
	// Big-endian numbers compare as the bytes do.
	a, b := binary.BigEndian.Uint32(src[:]), binary.BigEndian.Uint32(dst[:])
	if a < b || a == b && sp < dp {
		return connKey{uint64(a)<<32 | uint64(b), uint64(sp)<<16 | uint64(dp)}
	}
	return connKey{uint64(b)<<32 | uint64(a), uint64(dp)<<16 | uint64(sp)}
}

// closedConn remembers where each direction of a closed connection ended.
// Its fields are in the order that packs them in 16 bytes (the map's
// slots: 20 in the order of their meaning).
type closedConn struct {
	client     [4]byte
	end        [2]uint32
	clientPort uint16
	has        [2]bool
}

// NewStreamReassembler makes a stream reassembler reporting to h.
func NewStreamReassembler(h NBSSHandler, lim StreamLimits) *StreamReassembler {
	return newStreamReassembler(h, lim, newOwnAssembler)
}

// newStreamReassembler makes a stream reassembler on the assembler that
// newAsm makes: ours (newOwnAssembler, tcpasm.go), or in the
// differential tests gopacket's, the reference they compare ours with
// (tcpasm_diff_test.go).
func newStreamReassembler(h NBSSHandler, lim StreamLimits, newAsm func(gpreassembly.StreamFactory) (segmentAssembler, *gpreassembly.AssemblerOptions)) *StreamReassembler {
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
	s := &StreamReassembler{h: h, lim: lim, byKey: map[connKey]*nbssStream{}}
	s.asm, s.opts = newAsm(streamFactory{s})
	s.own, s.ctxCopied = s.asm.(*tcpAssembler)
	s.ownCtx.anc[0] = &s.ownCtx
	// gopacket counts the pages kept for an incomplete packet with the
	// out-of-order ones: leave room for the largest packet.
	const page = 1900
	biggest := max(lim.MaxMessage, lim.MaxDirectMessage)
	s.opts.MaxBufferedPagesPerConnection = (biggest+page-1)/page + lim.MaxOutOfOrderPages
	s.opts.MaxBufferedPagesTotal = (lim.MaxBuffered+page-1)/page + lim.MaxOutOfOrderPagesTotal
	if lim.GiveUpHolesAtOnce {
		// gopacket gives up the first hole of a connection once it has
		// this many pages queued: one, the segment that just came.
		s.opts.MaxBufferedPagesPerConnection = 1
	}
	return s
}

// Conns is the number of connections tracked.
func (s *StreamReassembler) Conns() int { return s.live }

// Buffered is the number of bytes held for incomplete packets.
func (s *StreamReassembler) Buffered() int { return s.buffered }

// Add takes one TCP segment of frame frameNum, captured at ts (ip may
// be a datagram reassembled from IP fragments). Segments not to or from
// port 139 or 445 are ignored, and so are segments that repeat the data
// of a connection already closed. Packets it completes, and anomalies,
// go to the handler before Add returns; so do those of other connections
// when Add applies the timeouts (every FlushInterval of capture time). ip
// and tcp are only read during the call.
func (s *StreamReassembler) Add(frameNum int, ts time.Time, ip *layers.IPv4, tcp *layers.TCP) {
	if ip == nil || tcp == nil || !streamPort(uint16(tcp.SrcPort)) && !streamPort(uint16(tcp.DstPort)) {
		return
	}
	s.curFrame, s.curTime = frameNum, ts
	sec, nsec := timeKey(ts)
	s.payload, s.arena = tcp.Payload, s.arena[:0]
	if !s.flushed {
		s.lastFlush, s.flushed = ts, true
		s.nextFlush = s.lastFlush.Add(s.lim.FlushInterval)
		s.flushSec, s.flushNsec = timeKey(s.nextFlush)
	} else if !keyBefore(sec, nsec, s.flushSec, s.flushNsec) { // Sub(lastFlush) >= FlushInterval
		s.Flush(ts)
	}
	var src, dst [4]byte
	if len(ip.SrcIP) == 4 && len(ip.DstIP) == 4 {
		// As gopacket decodes them: To4 (a call) is the address itself.
		src, dst = [4]byte(ip.SrcIP), [4]byte(ip.DstIP)
	} else {
		if a := ip.SrcIP.To4(); len(a) == 4 { // To4: 4 bytes or nil
			src = [4]byte(a)
		}
		if a := ip.DstIP.To4(); len(a) == 4 {
			dst = [4]byte(a)
		}
	}
	sp, dp := uint16(tcp.SrcPort), uint16(tcp.DstPort)
	key := makeConnKey(src, dst, sp, dp)
	s.segKey = key
	known := s.conn(key)
	if known == nil && !tcp.SYN && len(tcp.Payload) == 0 {
		// It starts nothing (streamFactory.New), and gopacket holds no
		// connection of it but one evicted, which ignores it (Accept).
		return
	}
	if !tcp.SYN && known == nil {
		if cc, ok := s.closed.get(&s.segKey); ok {
			d := ServerToClient
			if src == cc.client && sp == cc.clientPort {
				d = ClientToServer
			}
			if cc.has[d] && !seqAfter(tcp.Seq+uint32(len(tcp.Payload)), cc.end[d]) {
				return // old data of a closed connection
			}
		}
	}
	var ctx *segCtx
	if s.ctxCopied {
		// Ours copies the context into every page it keeps: one will do.
		ctx = &s.ownCtx
		s.segN++
		ctx.ts, ctx.frame, ctx.seg = ts, frameNum, s.segN
	} else {
		ctx = s.newCtx(frameNum, ts)
	}
	s.ctxHeld = false
	if s.live >= s.lim.MaxConns && (tcp.SYN || len(tcp.Payload) > 0) && known == nil {
		s.makeRoom(ctx) // the segment starts a connection: make room for it
	}
	s.current = nil
	if known != nil && s.own != nil {
		s.own.hint = known.asm // ours finds it only so (tcpAssembler.conns)
	}
	s.asm.assemble(src, dst, tcp, ctx)
	if st := s.current; st != nil && (st.half[0].hole || st.half[1].hole || st.half[0].proven >= 0 || st.half[1].proven >= 0) {
		// (Else the loop changes nothing: most segments.)
		for d := range st.half {
			h := &st.half[d]
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
	if !s.ctxHeld && !s.ctxCopied {
		s.ctxs = s.ctxs[:len(s.ctxs)-1] // no page points to it: reuse it
	}
}

// conn is the live connection of key, or nil. Segments of one connection
// often follow each other, so the last one found is checked first.
func (s *StreamReassembler) conn(key connKey) *nbssStream {
	if st := s.hot; st != nil && st.key == key {
		return st
	}
	st := s.byKey[s.segKey] // (key, read in place: see segKey)
	if st != nil {
		s.hot = st
	}
	return st
}

// seqAfter reports whether sequence number a comes after b (RFC 1982).
func seqAfter(a, b uint32) bool { return int32(a-b) > 0 }

// giveUpHole makes the assembler skip the hole in direction d of st's
// connection now: ours does it directly (tcpAssembler.giveUpHole), else it
// is fed an empty segment beyond the hole while its per-connection page
// limit is 1, so it delivers its first queued page with the gap before it
// (ReassembledSG then sees skip > 0).
func (s *StreamReassembler) giveUpHole(st *nbssStream, d Direction, ctx *segCtx) {
	c := st.c
	h := &st.half[d]
	h.hole = false
	src, dst, sp, dp := c.ClientIP, c.ServerIP, c.ClientPort, c.ServerPort
	if d == ServerToClient {
		src, dst, sp, dp = dst, src, dp, sp
	}
	if s.own != nil {
		s.upHeld = true
		ok := s.own.giveUpHole(st, src, dst, sp, dp, h.nextSeq+1, ctx)
		s.upHeld, s.held = false, nil
		if ok {
			return // ours did it without the segment
		}
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
	old := s.opts.MaxBufferedPagesPerConnection
	s.opts.MaxBufferedPagesPerConnection = 1
	if s.own != nil {
		s.own.hint = st.asm // ours finds st's connection only so (tcpAssembler.conns)
	}
	s.asm.assemble(src, dst, &s.fake, ctx)
	s.opts.MaxBufferedPagesPerConnection = old
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
	s.nextFlush = now.Add(s.lim.FlushInterval)
	s.flushSec, s.flushNsec = timeKey(s.nextFlush)
	s.refused = false
	tc := now.Add(-s.lim.IdleTimeout)
	opt := gpreassembly.FlushOptions{T: now.Add(-s.lim.OutOfOrderTimeout), TC: tc}
	if !s.flushNeeded(tc) {
		if verifyFlushSkips {
			flushSkips++
			s.flushInOrder(func() {
				if f, c := s.asm.FlushWithOptions(opt); f > 0 || c > 0 || len(s.queue) > 0 {
					flushSkipsWrong++
				}
			})
		}
		return
	}
	s.flushInOrder(func() { s.asm.FlushWithOptions(opt) })
	s.resetFloor()
}

// Tests set verifyFlushSkips to have every flush Flush leaves out
// (counted in flushSkips) done anyway, and count in flushSkipsWrong those
// that did something.
var (
	verifyFlushSkips            bool
	flushSkips, flushSkipsWrong int
)

// flushNeeded reports whether gopacket's flush at idle limit tc could do
// anything: give up a hole (a direction holds out-of-order pages), close
// an idle connection (one was last seen before tc), or close an evicted
// connection it still holds. When it could not, Flush leaves gopacket
// alone: its flush walks every connection, twice a second of capture
// time on a busy capture. A connection's last time here is gopacket's
// (Accept sees every segment gopacket takes, the same capture times).
func (s *StreamReassembler) flushNeeded(tc time.Time) bool {
	return s.detached > 0 || s.queuedHalves > 0 || s.floorSet && s.floor.Before(tc)
}

// resetFloor sets floor to the earliest time a live connection was last
// seen, after a flush that may have closed the oldest ones.
func (s *StreamReassembler) resetFloor() {
	s.floorSet = false
	for _, l := range [...]*connList{&s.emptyConns, &s.busyConns} {
		for st := l.head; st != nil; st = st.next {
			if !s.floorSet || st.last.Before(s.floor) {
				s.floor, s.floorSet = st.last, true
			}
		}
	}
}

// FlushAll gives up every hole and closes every connection, at the end of
// a capture: queued data is delivered, incomplete packets are reported.
func (s *StreamReassembler) FlushAll() {
	s.payload, s.arena = nil, s.arena[:0]
	s.flushInOrder(func() { s.asm.FlushAll() })
}

// timeKey is t's seconds and nanoseconds: keyBefore of two keys is
// Before of their times, for capture times, which carry no monotonic
// clock reading (time.Unix makes them). Before is a call (too large to
// inline) and the reassembler compares times three or four times a
// segment, 1M calls a pass of the NBT-dense mix: the segment's key is
// taken once, and the comparisons inlined. (Of times that both carry a
// monotonic reading, as time.Now's do, Before compares those instead: the
// same order unless the wall clock was set between them.)
func timeKey(t time.Time) (sec int64, nsec int) { return t.Unix(), t.Nanosecond() }

// keyBefore reports whether key (as, an) is before key (bs, bn).
func keyBefore(as int64, an int, bs int64, bn int) bool { return as < bs || as == bs && an < bn }
