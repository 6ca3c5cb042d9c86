package reassembly

// Which frame each byte of a stream came from: gopacket keeps a context
// with the pages cut from each segment, and the bytes handed over are
// kept valid until the next call (stable).

import (
	"time"
	"unsafe"

	"github.com/gopacket/gopacket"
	gpreassembly "github.com/gopacket/gopacket/reassembly"
)

// stable returns b, or a copy of it when b does not lie in the segment
// being added: bytes gopacket holds in its pages are recycled after the
// call, but the handler may keep Data until the next call (the engine
// shows it as a data source of the frame).
func (s *StreamReassembler) stable(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	if offsetIn(s.payload, b) >= 0 || offsetIn(s.arena, b) >= 0 || offsetIn(s.held, b) >= 0 {
		return b // the segment's, or already in the arena, or a page held (fetchOwn)
	}
	start := len(s.arena)
	s.arena = append(s.arena, b...)
	return s.arena[start:len(s.arena):len(s.arena)]
}

// fetchOwn is Fetch of our assembler's scatter-gather o. Bytes in several
// chunks are copied into the arena, where stable leaves the packets cut
// from them (they were copied twice: into asmSG.buf, then each packet into
// the arena). Bytes all in one page handed over by giveUpHole are that
// page's, and stay as they are until the next call: after the hand-over
// the page is released, but only a segment added (toPages) takes a page
// again, and the give-ups come after the segment, last in Add; stable
// then leaves them too (held). 52k of the 84k packets stable copied a
// pass of the dense capture came so.
func (s *StreamReassembler) fetchOwn(o *asmSG, l int) []byte {
	if c := o.all[0]; l <= len(c.b) {
		if s.upHeld && !c.live {
			s.held = c.b[:l]
		}
		return c.b[:l]
	}
	start := len(s.arena)
	for _, c := range o.all {
		s.arena = append(s.arena, c.b...)
	}
	return s.arena[start : start+l : start+l]
}

// segCtx is the AssemblerContext of one segment: its capture time and
// frame number. gopacket keeps it with the pages cut from the segment (our
// assembler keeps a copy in each page, asmChunk.own), and
// sg.CaptureInfo(offset) gives back its CaptureInfo, whose AncillaryData
// points here, so the frame of any byte can be found; seg tells whether
// two bytes come from one segment. gopacket and Accept read only the
// capture info's Timestamp, so that is all it keeps (56 bytes a segment,
// not 104: one slab of 256 is made per 256 segments held by gopacket).
type segCtx struct {
	ts    time.Time
	frame int
	seg   uint64 // numbers the segments: bytes of one segment share it
	anc   [1]interface{}
}

func (c *segCtx) GetCaptureInfo() gopacket.CaptureInfo {
	return gopacket.CaptureInfo{Timestamp: c.ts, AncillaryData: c.anc[:]}
}

// newCtx hands out contexts from slabs, one allocation per 256 segments;
// the pages that still point into an old slab keep it alive. Add gives
// the context back when no page can point to it: when ctxHeld is unset
// (the segment was neither queued nor kept), so that in-order segments
// handed over whole use none. On our assembler, whose pages hold a copy
// of the context (asmChunk.own), Add uses none of these: every segment's
// is StreamReassembler.ownCtx.
func (s *StreamReassembler) newCtx(frame int, ts time.Time) *segCtx {
	if len(s.ctxs) == cap(s.ctxs) {
		s.ctxs = make([]segCtx, 0, 256)
	}
	s.ctxs = s.ctxs[:len(s.ctxs)+1]
	c := &s.ctxs[len(s.ctxs)-1]
	s.segN++
	c.ts, c.frame, c.seg = ts, frame, s.segN
	c.anc[0] = c
	return c
}

// sgView is the ScatterGather ReassembledSG cuts: our assembler's, whose
// methods are then called directly (and its contexts found without
// building a CaptureInfo), or another's (gopacket's, in the tests).
type sgView struct {
	own *asmSG
	sg  gpreassembly.ScatterGather
}

func viewOf(sg gpreassembly.ScatterGather) sgView {
	if o, ok := sg.(*asmSG); ok {
		return sgView{own: o}
	}
	return sgView{sg: sg}
}

func (v sgView) Lengths() (int, int) {
	if v.own != nil {
		return v.own.Lengths()
	}
	return v.sg.Lengths()
}

func (v sgView) Info() (gpreassembly.TCPFlowDirection, bool, bool, int) {
	if v.own != nil {
		return v.own.Info()
	}
	return v.sg.Info()
}

func (v sgView) Fetch(l int) []byte {
	if v.own != nil {
		return v.own.Fetch(l)
	}
	return v.sg.Fetch(l)
}

func (v sgView) KeepFrom(offset int) {
	if v.own != nil {
		v.own.KeepFrom(offset)
		return
	}
	v.sg.KeepFrom(offset)
}

// ctxAt is the context of the segment the byte at off in sg came from, or
// nil.
func ctxAt(v sgView, off int) *segCtx {
	if v.own != nil {
		c, _ := v.own.ctxAt(off).(*segCtx)
		return c
	}
	ci := v.sg.CaptureInfo(off)
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
// byte tell (the same segment: seg, since our assembler gives each page
// a copy of its segment's context). Bytes that alias the segment being added are its own. This
// spares ctxAt's walk over the containers, several times per packet.
func (s *StreamReassembler) oneFrame(sg sgView, data []byte) int {
	if offsetIn(s.payload, data) >= 0 {
		return s.curFrame
	}
	if c := ctxAt(sg, 0); c != nil {
		if d := ctxAt(sg, len(data)-1); d != nil && d.seg == c.seg {
			return c.frame
		}
	}
	return -1
}

// frameSpan says bytes lo to hi (offsets in the scatter-gather, both
// included) come from the segment of ctx (ctx.seg); ctx is nil for no span.
type frameSpan struct {
	lo, hi int
	ctx    *segCtx
}

// frameOf is the frame of the byte at off in the scatter-gather being
// cut, or 0. When its bytes come from several segments, it remembers the
// runs it found (two bytes of one segment bound a run of it, see
// oneFrame): a packet's first and last byte are looked up, and the bytes
// just before and after it then come from these runs.
func (s *StreamReassembler) frameOf(sg sgView, off int) int {
	if s.sgFrame >= 0 {
		return s.sgFrame // inlined: most scatter-gathers are of one frame
	}
	return s.frameOfSpans(sg, off)
}

// frameOfSpans is frameOf when the bytes come from several segments.
func (s *StreamReassembler) frameOfSpans(sg sgView, off int) int {
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
	case s.spans[0].ctx != nil && s.spans[0].ctx.seg == c.seg:
		s.spans[0].lo, s.spans[0].hi = min(s.spans[0].lo, off), max(s.spans[0].hi, off)
	case s.spans[1].ctx != nil && s.spans[1].ctx.seg == c.seg:
		s.spans[1].lo, s.spans[1].hi = min(s.spans[1].lo, off), max(s.spans[1].hi, off)
		s.spans[0], s.spans[1] = s.spans[1], s.spans[0]
	default:
		s.spans[1], s.spans[0] = s.spans[0], frameSpan{lo: off, hi: off, ctx: c}
	}
	return c.frame
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
