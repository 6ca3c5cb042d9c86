package reassembly

// Our own TCP segment assembler for the connections on ports 139 and 445
// (issue 15), written from RFC 793 and RFC 5961 and from what the
// differential tests (tcpasm_diff_test.go) show gopacket's
// reassembly.Assembler does, since the output of nbtsniff depends on it:
// it has the same entry points (assemble, FlushWithOptions,
// FlushAll, the two page limits) and calls the same Stream and
// ScatterGather interfaces, so that nbssStream runs unchanged on either
// (on ours it calls nbssStream directly: accept, reassembled with its
// own asmSG; and gives up a hole without a fake segment, giveUpHole; the
// decisions are the same). It is what NewStreamReassembler uses;
// gopacket's assembler is only the differential tests' reference
// (gopacketAssembler, in tcpasm_diff_test.go), used through its API.
//
// The rules, per direction ("half") of a connection:
//   - A half starts at its SYN (the next sequence number is the SYN's
//     plus one) or where Accept forces a start. A SYN on a started half
//     is dropped (RFC 5961 §4).
//   - A segment at or before the next sequence number is in order: the
//     bytes it repeats are cut off, the rest is handed over at once with
//     the bytes kept last time (KeepFrom) and the queued ones it reaches.
//     A RST is taken only at the next sequence number exactly (RFC 5961
//     §3), a FIN that ends before it is dropped; either ends the half.
//   - A segment beyond it is queued, cut in pages of asmPageBytes, in
//     sequence order. Against queued data: a queued page the segment
//     covers is dropped, one it overlaps at either end is cut, one that
//     covers it takes its bytes (and keeps its own context). A FIN queued
//     ahead of the data is remembered and ends the half when the data
//     reaches it; a RST ahead is dropped.
//   - Past MaxBufferedPagesPerConnection pages of the half (queued and
//     kept), or MaxBufferedPagesTotal over the assembler, the first
//     queued page is handed over with the hole before it (skip > 0); kept
//     bytes that no longer lead to it are dropped.
//   - FlushWithOptions gives up holes whose first queued page is older
//     than T (a page is as old as the oldest one queued behind it), and
//     closes a half with nothing queued when both halves were last seen
//     before TC. FlushAll gives up every hole and closes everything.

import (
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	gpreassembly "github.com/gopacket/gopacket/reassembly"
)

// segmentAssembler is what StreamReassembler needs of an assembler:
// ours, or in the tests gopacket's (gopacketAssembler).
type segmentAssembler interface {
	// assemble adds segment t going from src to dst.
	assemble(src, dst [4]byte, t *layers.TCP, ac gpreassembly.AssemblerContext)
	FlushWithOptions(opt gpreassembly.FlushOptions) (flushed, closed int)
	FlushAll() (closed int)
}

// newOwnAssembler makes our assembler for a StreamReassembler, and
// returns the options (the page limits) it sets on it.
func newOwnAssembler(f gpreassembly.StreamFactory) (segmentAssembler, *gpreassembly.AssemblerOptions) {
	a := newTCPAssembler(f)
	return a, &a.AssemblerOptions
}

// asmPageBytes is the size of the pages queued and kept data is counted in.
const asmPageBytes = 1900

// Sequence numbers: a is before b when b is in the first quarter of the
// number space and a in the last (a wrap), else by value.
const (
	seqQuarter   = uint32(1<<32-1) / 4
	seqLastStart = uint32(1<<32-1) - seqQuarter
)

// seqDiff is how far b is after a (negative when before), reckoned as
// gopacket's Sequence.Difference does.
func seqDiff(a, b uint32) int {
	x, y := int64(a), int64(b)
	switch {
	case a > seqLastStart && b < seqQuarter:
		y += 1 << 32
	case b > seqLastStart && a < seqQuarter:
		x += 1 << 32
	}
	return int(y - x)
}

// asmChunk is a run of bytes of one direction: the segment being added
// (live, its bytes are the segment's), or a page of queued or kept bytes
// (a copy, at most asmPageBytes).
type asmChunk struct {
	seq        uint32
	b          []byte
	buf        *[asmPageBytes]byte
	ac         gpreassembly.AssemblerContext
	seen       time.Time
	start, end bool
	live       bool
	first      bool // the first page cut from a segment
	free       bool // a page on the free list
	// own is a page's copy of its segment's context when that is a
	// StreamReassembler's (*segCtx), which can then reuse its own at
	// once: no slab of contexts kept alive by the pages (fresh memory,
	// 5.7 MB a pass of the dense capture).
	own segCtx
}

// asmHalf is one direction of a connection. (assemble sets every field
// of a new connection's halves one by one: a field added here goes there.)
type asmHalf struct {
	dir      gpreassembly.TCPFlowDirection
	next     uint32 // the next sequence number expected, when started
	started  bool
	fin      uint32 // where a FIN seen ahead of the data ends the half
	hasFin   bool
	pages    int         // queued and kept pages
	saved    []*asmChunk // kept bytes (KeepFrom), in order
	queue    []*asmChunk // out-of-order pages, by sequence number
	lastSeen time.Time
	closed   bool
}

// asmConn is one connection; half[0] goes the way of its first segment.
type asmConn struct {
	key      connKey
	src, dst [4]byte
	sp, dp   uint16
	half     [2]asmHalf
	stream   gpreassembly.Stream
	ns       *nbssStream // stream, when it is a StreamReassembler's: called directly
	removed  bool
	listed   bool // in conns (see tcpAssembler.conns)
}

func (c *asmConn) lastSeen() time.Time {
	if c.half[0].lastSeen.Before(c.half[1].lastSeen) {
		return c.half[1].lastSeen
	}
	return c.half[0].lastSeen
}

// tcpAssembler is our assembler. Not safe for concurrent use.
type tcpAssembler struct {
	gpreassembly.AssemblerOptions
	factory gpreassembly.StreamFactory
	// conns holds the connections not found through a StreamReassembler:
	// those of another factory (the tests'), and a StreamReassembler's
	// that it forgot while they were open (detach). The others are in
	// its byKey, which it looks up for every segment anyway: it hands
	// the connection over (hint), and a new connection costs one map
	// insert, not two (and one delete at its end, not two).
	conns map[connKey]*asmConn
	hot   *asmConn    // the connection of the last segment
	hint  *asmConn    // the connection StreamReassembler found for the segment (nbssStream.asm), if any
	key   connKey     // the segment's key, for conns to hash in place (as StreamReassembler.segKey)
	order []*asmConn  // in order of creation, for the flushes; removed ones are dropped there
	dead  int         // removed connections still in order
	spare []*asmConn  // removed connections dropped from order, for reuse
	used  int         // pages in use over all connections
	free  []*asmChunk // released pages
	pages []*asmChunk // toPages' result
	live  asmChunk
	ret   []*asmChunk
	sg    asmSG
	start bool // Accept's start
}

func newTCPAssembler(f gpreassembly.StreamFactory) *tcpAssembler {
	return &tcpAssembler{factory: f, conns: map[connKey]*asmConn{}, live: asmChunk{live: true, first: true}}
}

// assemble adds one segment going from src to dst.
func (a *tcpAssembler) assemble(src, dst [4]byte, t *layers.TCP, ac gpreassembly.AssemblerContext) {
	sp, dp := uint16(t.SrcPort), uint16(t.DstPort)
	key := makeConnKey(src, dst, sp, dp)
	a.key = key
	var ts time.Time
	sc, own := ac.(*segCtx)
	if own {
		ts = sc.ts
	} else {
		ts = ac.GetCaptureInfo().Timestamp
	}
	conn := a.hot // segments of one connection often follow each other
	if conn == nil || conn.removed || conn.key != key {
		// A connection not removed is the one of its key in conns.
		if h := a.hint; h != nil && !h.removed && h.key == key {
			conn = h
		} else {
			conn = a.conns[a.key] // (key, read in place: see a.key)
		}
		a.hot = conn
	}
	a.hint = nil
	if conn != nil && t.SYN && conn.half[0].closed && conn.half[1].closed {
		a.remove(conn) // a new connection on the 4-tuple
		conn = nil
	}
	if conn == nil {
		var s gpreassembly.Stream
		if sf, ok := a.factory.(streamFactory); ok {
			st := sf.s.newConn(src, dst, t) // (New without the Flows)
			if st == nil {
				return
			}
			s = st
		} else {
			s = a.factory.New(gopacket.NewFlow(layers.EndpointIPv4, src[:], dst[:]), transportFlow(t), t, ac)
			if s == nil {
				return
			}
		}
		conn = a.newConn()
		conn.key, conn.src, conn.dst, conn.sp, conn.dp, conn.stream = key, src, dst, sp, dp, s
		if conn.ns, _ = s.(*nbssStream); conn.ns != nil {
			conn.ns.asm = conn
		}
		a.hot = conn
		for i := range conn.half {
			h := &conn.half[i]
			// Every field, one by one (a literal is built apart and copied).
			h.dir, h.next, h.started, h.fin, h.hasFin, h.pages = i == 1, 0, false, 0, false, 0
			h.saved, h.queue, h.lastSeen, h.closed = h.saved[:0], h.queue[:0], ts, false
		}
		if conn.ns == nil {
			a.conns[a.key] = conn
			conn.listed = true
		}
		if a.dead > 256 && 2*a.dead > len(a.order) {
			// Connections closed by FIN or RST leave a.order only in a
			// flush, and StreamReassembler flushes only when needed.
			a.liveConns()
		}
		a.order = append(a.order, conn)
	}
	half := &conn.half[0]
	if src != conn.src || dst != conn.dst || sp != conn.sp || dp != conn.dp {
		half = &conn.half[1]
	}
	tsec, tnsec := timeKey(ts)
	if ls, ln := timeKey(half.lastSeen); keyBefore(ls, ln, tsec, tnsec) { // half.lastSeen.Before(ts)
		half.lastSeen = ts
	}
	a.start = !half.started && t.SYN // a field: &start would escape
	start := &a.start
	next := gpreassembly.Sequence(-1)
	if half.started {
		next = gpreassembly.Sequence(half.next)
	}
	var ok bool
	if conn.ns != nil {
		ok = conn.ns.accept(t, ts, half.dir, next, start)
	} else {
		ok = conn.stream.Accept(t, ac.GetCaptureInfo(), half.dir, next, start, ac)
	}
	if !ok || half.closed {
		return
	}
	if t.SYN && half.started {
		return // RFC 5961 §4: a SYN on a synchronised half is dropped
	}
	seq, data := t.Seq, t.Payload
	queue := true
	switch {
	case !half.started && t.SYN:
		seq++
		half.next, half.started, queue = seq, true, false
	case !half.started && *start:
		half.next, half.started, queue = seq, true, false
	case !half.started:
	default:
		d := seqDiff(half.next, seq)
		switch {
		case d > 0: // ahead: queued
		case t.RST && d < 0, t.FIN && seqDiff(half.next, seq+uint32(len(data))) < 0:
			return // out of the window: dropped
		default:
			queue = false
		}
	}
	if t.RST && queue {
		return // RFC 5961 §3: a RST is taken only at the next sequence number
	}
	if t.FIN && queue {
		half.fin, half.hasFin = seq+uint32(len(data)), true
	}
	lp := &a.live // not a literal: own, unused in the live chunk, is left alone
	lp.seq, lp.b, lp.ac, lp.seen = seq, data, ac, ts
	lp.start, lp.end = t.SYN, t.RST || t.FIN // (live and first are set once, newTCPAssembler; buf is nil, free false)
	a.ret = a.ret[:0]
	if queue {
		a.overlap(half, true)
		if a.MaxBufferedPagesPerConnection > 0 && half.pages >= a.MaxBufferedPagesPerConnection ||
			a.MaxBufferedPagesTotal > 0 && a.used >= a.MaxBufferedPagesTotal {
			a.popQueued(half) // too much queued: give up the first hole
		}
	} else {
		if half.started {
			if d := seqDiff(a.live.seq, half.next); d != 0 {
				a.live.b = a.live.b[min(max(d, 0), len(a.live.b)):] // bytes already handed over
				a.live.seq = half.next
			}
		}
		a.overlap(half, false)
		if len(a.live.b) > 0 || a.live.end || a.live.start {
			a.ret = append(a.ret, &a.live)
		}
	}
	if len(a.ret) > 0 {
		half.next = a.send(conn, half, ac)
		half.started = true
		if t.FIN {
			half.next++
		}
	}
}

// transportFlow is t.TransportFlow(), made from the header's bytes when
// t has them: the engine decodes a TCP header without gopacket
// (engine.decodeTCPHeader), which leaves the unexported ports
// TransportFlow reads as they were.
func transportFlow(t *layers.TCP) gopacket.Flow {
	if len(t.Contents) >= 4 {
		return gopacket.NewFlow(layers.EndpointTCPPort, t.Contents[0:2], t.Contents[2:4])
	}
	return t.TransportFlow()
}

// giveUpHole does what assemble does with an empty segment at seq, with
// no flags, going from src to dst, while MaxBufferedPagesPerConnection is
// 1 (StreamReassembler.giveUpHole): the first queued page of the half is
// handed over with the hole before it. It does it only on a started half
// of a StreamReassembler's connection (the case of every hole given up on
// the peer's ACK), and reports whether it did; else the caller feeds the
// segment. st is the stream whose hole it is: its connection (st.asm)
// spares the lookup, and the segment's accept is acceptEmpty.
func (a *tcpAssembler) giveUpHole(st *nbssStream, src, dst [4]byte, sp, dp uint16, seq uint32, ac *segCtx) bool {
	conn := st.asm // st's own connection, when not removed, is the one of its key
	if conn == nil || conn.removed || conn.ns != st {
		key := makeConnKey(src, dst, sp, dp)
		conn = a.hot
		if conn == nil || conn.removed || conn.key != key {
			conn = a.conns[key]
		}
	}
	if conn == nil || conn.ns == nil {
		return false
	}
	half := &conn.half[0]
	if src != conn.src || dst != conn.dst || sp != conn.sp || dp != conn.dp {
		half = &conn.half[1]
	}
	if !half.started {
		return false
	}
	a.hot = conn
	tsec, tnsec := timeKey(ac.ts)
	if ls, ln := timeKey(half.lastSeen); keyBefore(ls, ln, tsec, tnsec) { // half.lastSeen.Before(ac.ts)
		half.lastSeen = ac.ts
	}
	if !conn.ns.acceptEmpty(ac.ts, half.dir, half.next) || half.closed {
		return true
	}
	// Beyond the next sequence number it would be queued (it has no
	// bytes: nothing is), and the page limit of 1 hands over the first
	// queued page; at or before it, it changes nothing.
	if seqDiff(half.next, seq) <= 0 || len(half.queue) == 0 {
		return true
	}
	a.ret = a.ret[:0]
	a.popQueued(half)
	half.next = a.send(conn, half, ac)
	half.started = true
	return true
}

// popQueued moves the first queued page of half to ret.
func (a *tcpAssembler) popQueued(half *asmHalf) {
	if len(half.queue) == 0 {
		return
	}
	a.ret = append(a.ret, half.queue[0])
	n := len(half.queue) - 1
	if n > 0 { // (copy of none is still a call to typedslicecopy)
		copy(half.queue, half.queue[1:]) // keeps the slice's capacity
	}
	half.queue[n] = nil
	half.queue = half.queue[:n]
}

// overlap applies the segment being added (a.live) to the queued pages of
// half, from the last: covered pages are dropped, pages it overlaps at an
// end are cut, a page that covers it takes its bytes. With queue, what is
// left of it is queued, in pages.
func (a *tcpAssembler) overlap(half *asmHalf, queue bool) {
	lp := &a.live
	start := lp.seq
	end := start + uint32(len(lp.b))
	i := len(half.queue) - 1
	for i >= 0 {
		cur := half.queue[i]
		if seqDiff(end, cur.seq) > 0 {
			i-- // cur starts after the segment
			continue
		}
		curEnd := cur.seq + uint32(len(cur.b))
		if seqDiff(start, curEnd) <= 0 {
			break // cur ends before the segment
		}
		ds, de := seqDiff(start, cur.seq), seqDiff(end, curEnd)
		switch {
		case de <= 0 && ds >= 0: // covered: dropped
			a.release(half, cur)
			half.queue = append(half.queue[:i], half.queue[i+1:]...)
			i--
			continue
		case de < 0 && seqDiff(start, curEnd) > 0: // its end overlapped: cut
			cur.b = cur.b[:-ds]
		case ds > 0 && seqDiff(end, cur.seq) < 0: // its start overlapped: cut
			k := -seqDiff(end, cur.seq)
			cur.b = cur.b[k:]
			cur.seq += uint32(k)
			i--
			continue
		case de >= 0 && ds <= 0: // it covers the segment: takes its bytes
			copy(cur.b[-ds:], lp.b)
			lp.b = lp.b[:0]
			i--
			continue
		default:
			i--
			continue
		}
		break
	}
	if len(lp.b) == 0 || !queue {
		return
	}
	pages := a.toPages(half, lp, 0)
	at, n := i+1, len(half.queue)
	if len(pages) == 1 { // most segments: no typedslicecopy
		half.queue = append(half.queue, pages[0])
	} else {
		half.queue = append(half.queue, pages...)
	}
	if at < n { // else appended in place (most queued segments come last)
		copy(half.queue[at+len(pages):], half.queue[at:n])
		copy(half.queue[at:], pages)
	}
}

// toPages copies c's bytes from skip on into new pages, counted in half.
func (a *tcpAssembler) toPages(half *asmHalf, c *asmChunk, skip int) []*asmChunk {
	b := c.b[skip:]
	seq := c.seq + uint32(skip)
	out := a.pages[:0]
	for first := true; ; first = false {
		n := min(len(b), asmPageBytes)
		p := a.page()
		p.seq, p.ac, p.seen, p.first = seq, c.ac, c.seen, first
		if sc, ok := c.ac.(*segCtx); ok {
			p.own = *sc
			p.own.anc[0] = &p.own
			p.ac = &p.own
		}
		p.b = p.buf[:n]
		copy(p.b, b)
		out = append(out, p)
		half.pages++
		b, seq = b[n:], seq+uint32(n)
		if len(b) == 0 {
			p.end = c.end
			a.pages = out
			return out
		}
	}
}

// page is a page from the free list, or a new one.
func (a *tcpAssembler) page() *asmChunk {
	a.used++
	if n := len(a.free); n > 0 {
		p := a.free[n-1]
		a.free[n-1] = nil
		a.free = a.free[:n-1]
		p.free = false
		return p
	}
	return &asmChunk{buf: new([asmPageBytes]byte)}
}

// release gives back a page of half.
func (a *tcpAssembler) release(half *asmHalf, p *asmChunk) {
	if p.live || p.free {
		return
	}
	half.pages--
	a.used--
	buf := p.buf // (read first: a literal reading *p is built apart and copied)
	*p = asmChunk{buf: buf, free: true}
	a.free = append(a.free, p)
}

// send hands ret, with the kept bytes before it and the queued pages
// that follow on, to the stream, keeps what it asks to keep, closes the
// half at its end, and returns the next sequence number.
func (a *tcpAssembler) send(conn *asmConn, half *asmHalf, ac gpreassembly.AssemblerContext) uint32 {
	first := a.ret[0]
	skip := -1
	if half.started {
		skip = seqDiff(half.next, first.seq)
	}
	next := first.seq + uint32(len(first.b))
	saved := a.prependSaved(half, first.seq)
	for len(half.queue) > 0 && half.queue[0].seq == next {
		next += uint32(len(half.queue[0].b))
		a.popQueued(half)
	}
	if half.hasFin && next == half.fin {
		a.ret[len(a.ret)-1].end = true // the data reached a FIN seen ahead of it
		half.hasFin = false
	}
	// Field by field (every field): a composite literal is built on the
	// stack and copied, its 16-byte loads stalling on the stores just made.
	sg := &a.sg
	sg.all, sg.dir, sg.skip, sg.saved, sg.toKeep, sg.buf = a.ret, half.dir, skip, saved, -1, sg.buf[:0]
	end := a.ret[len(a.ret)-1].end
	if conn.ns != nil {
		conn.ns.reassembled(sgView{own: &a.sg})
	} else {
		conn.stream.ReassembledSG(&a.sg, ac)
	}
	a.keep(half)
	if end {
		a.closeHalf(conn, half)
	}
	return next
}

// prependSaved puts the kept bytes before ret when they lead to its first
// byte, else drops them; it returns how many there are.
func (a *tcpAssembler) prependSaved(half *asmHalf, firstSeq uint32) int {
	if len(half.saved) == 0 {
		return 0
	}
	n := 0
	for _, p := range half.saved {
		n += len(p.b)
	}
	if half.saved[0].seq+uint32(n) != firstSeq {
		for _, p := range half.saved {
			a.release(half, p)
		}
		half.saved = half.saved[:0]
		return 0
	}
	a.ret = append(a.ret, half.saved...)
	copy(a.ret[len(half.saved):], a.ret[:len(a.ret)-len(half.saved)])
	copy(a.ret, half.saved)
	half.saved = half.saved[:0]
	return n
}

// keep releases what the stream consumed and keeps the rest (KeepFrom) as
// half's saved pages.
func (a *tcpAssembler) keep(half *asmHalf) {
	all := a.sg.all
	if a.sg.toKeep < 0 && len(all) == 1 && all[0].live {
		half.saved = half.saved[:0] // the segment consumed whole: what the loops below come to
		return
	}
	from, skip := len(all), 0
	if k := a.sg.toKeep; k >= 0 {
		off := 0
		for i, c := range all {
			if k < off+len(c.b) {
				from, skip = i, k-off
				break
			}
			off += len(c.b)
		}
	}
	for _, c := range all[:from] {
		a.release(half, c)
	}
	saved := half.saved[:0]
	for _, c := range all[from:] {
		if c.live {
			saved = append(saved, a.toPages(half, c, skip)...)
		} else {
			c.b = c.b[skip:]
			c.seq += uint32(skip)
			saved = append(saved, c)
		}
		skip = 0
	}
	half.saved = saved
}

// closeHalf ends half: its pages are released; when both halves are
// closed the stream is told, and forgotten if it says so.
func (a *tcpAssembler) closeHalf(conn *asmConn, half *asmHalf) {
	half.closed = true
	for _, p := range half.queue {
		a.release(half, p)
	}
	for _, p := range half.saved {
		a.release(half, p)
	}
	half.queue, half.saved = half.queue[:0], half.saved[:0]
	if conn.half[0].closed && conn.half[1].closed && conn.stream.ReassemblyComplete(nil) {
		a.remove(conn)
	}
}

// remove takes conn out of the connections. (Its key is read in place
// from conn: a key in a local variable is copied to a stack slot for the
// map's hash, whose 16-byte load stalls on the two 8-byte stores.)
func (a *tcpAssembler) remove(conn *asmConn) {
	if !conn.removed {
		a.dead++
	}
	conn.removed = true
	if conn.listed {
		conn.listed = false
		if a.conns[conn.key] == conn {
			delete(a.conns, conn.key)
		}
	}
}

// detach lists conn in conns: its StreamReassembler forgot it (evicted)
// while it was open, and will not hand it over any more.
func (a *tcpAssembler) detach(conn *asmConn) {
	if conn == nil || conn.removed || conn.listed {
		return
	}
	conn.listed = true
	a.conns[conn.key] = conn
}

// skipFlush gives up the hole before half's first queued page, or closes
// half when nothing is queued.
func (a *tcpAssembler) skipFlush(conn *asmConn, half *asmHalf) {
	if len(half.queue) == 0 {
		a.closeHalf(conn, half)
		return
	}
	a.ret = a.ret[:0]
	a.popQueued(half)
	half.next = a.send(conn, half, a.ret[0].ac)
	half.started = true
}

// FlushWithOptions gives up the holes older than opt.T and closes the
// connections idle since opt.TC; it returns the halves flushed and closed.
func (a *tcpAssembler) FlushWithOptions(opt gpreassembly.FlushOptions) (flushed, closed int) {
	tcs, tcn := timeKey(opt.TC)
	for _, conn := range a.liveConns() {
		h0, h1 := &conn.half[0], &conn.half[1]
		if len(h0.queue) == 0 && len(h1.queue) == 0 && !(h0.closed && h1.closed) {
			// !conn.lastSeen().Before(opt.TC), inlined: one half seen at
			// or after TC. (Most connections, every flush.)
			s0, n0 := timeKey(h0.lastSeen)
			s1, n1 := timeKey(h1.lastSeen)
			if !keyBefore(s0, n0, tcs, tcn) || !keyBefore(s1, n1, tcs, tcn) {
				continue // nothing to give up, not idle: flushClose would do nothing
			}
		}
		for _, d := range [2]int{1, 0} {
			f, c := a.flushClose(conn, &conn.half[d], opt.T, opt.TC)
			if f {
				flushed++
			}
			if c {
				closed++
			}
		}
		if conn.half[0].closed && conn.half[1].closed && conn.half[0].lastSeen.Before(opt.TC) && conn.half[1].lastSeen.Before(opt.TC) {
			a.remove(conn)
		}
	}
	return flushed, closed
}

// newConn is a connection from the spare ones, or a new one; only its
// halves' slices are kept.
func (a *tcpAssembler) newConn() *asmConn {
	n := len(a.spare)
	if n == 0 {
		return &asmConn{}
	}
	c := a.spare[n-1]
	a.spare[n-1] = nil
	a.spare = a.spare[:n-1]
	// Every field but the halves, one by one: the literal with c.half
	// was built on the stack (the halves too) and copied back.
	c.key, c.sp, c.dp = connKey{}, 0, 0
	c.src = [4]byte{} // (alone: in the tuple they went through the stack)
	c.dst = [4]byte{}
	c.stream, c.ns, c.removed, c.listed = nil, nil, false, false
	return c
}

// liveConns drops the removed connections from a.order and returns it.
// Those dropped are no longer known anywhere (not in conns, nor hot; both
// their halves are closed, their pages released): they become spares.
func (a *tcpAssembler) liveConns() []*asmConn {
	if a.dead == 0 {
		return a.order // none removed since the last time
	}
	kept := a.order[:0]
	for _, c := range a.order {
		if !c.removed {
			kept = append(kept, c)
			continue
		}
		if a.hot == c {
			a.hot = nil
		}
		for i := range c.half {
			clear(c.half[i].queue[:cap(c.half[i].queue)])
			clear(c.half[i].saved[:cap(c.half[i].saved)])
		}
		c.stream = nil
		a.spare = append(a.spare, c)
	}
	clear(a.order[len(kept):])
	a.order, a.dead = kept, 0
	return kept
}

func (a *tcpAssembler) flushClose(conn *asmConn, half *asmHalf, t, tc time.Time) (flushed, closed bool) {
	if half.closed {
		return false, false
	}
	// A page can only be handed over after those before it: it is as old
	// as the oldest one queued behind it.
	for i := len(half.queue) - 1; i > 0; i-- {
		if half.queue[i].seen.Before(half.queue[i-1].seen) {
			half.queue[i-1].seen = half.queue[i].seen
		}
	}
	for len(half.queue) > 0 && half.queue[0].seen.Before(t) {
		flushed = true
		a.skipFlush(conn, half)
		if half.closed {
			return true, true
		}
	}
	if !half.closed && len(half.queue) == 0 && conn.lastSeen().Before(tc) {
		a.closeHalf(conn, half)
		closed = true
	}
	return flushed, closed
}

// FlushAll hands over everything queued and closes every connection.
func (a *tcpAssembler) FlushAll() (closed int) {
	conns := a.liveConns()
	for _, conn := range conns {
		if conn.removed {
			continue
		}
		for _, d := range [2]int{1, 0} {
			for h := &conn.half[d]; !h.closed; {
				a.skipFlush(conn, h)
			}
		}
	}
	return len(conns)
}
