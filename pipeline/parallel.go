package pipeline

import (
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/filter"
	"github.com/nbtsniff/nbtsniff/internal/hugepage"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// Reading files on a machine with several cores, frames are decoded by
// several engines at once (reassembly.DecodeNth): the frames that need no
// state from the frames before them (engine.Classify: NBNS, and NBT
// datagrams as long as no datagram fragment may have been seen) go to
// whichever engine has the least work in the batch. The TCP frames go by
// their shard (engine.ShardOf: the outer IPv4 address pair) when the
// output cannot show tcp.stream, which only an engine that sees every
// shard numbers as tshark does: shard s to engine (s-1) mod k, so each
// engine sees the whole of its shards in order. Every other frame (IPv4
// fragments other than TCP's, tunnels, datagrams once fragments may be
// waiting, and all TCP when tcp.stream may be shown) goes to engine 0,
// which so sees each of its flows whole and in order, as the one-engine
// loop does. With three cores or more and TCP not split by shard, engine 0
// only follows the TCP streams and leaves the session packets it cuts out
// (NBSS, SMB, RAP) to a session worker of their own
// (engine.Config.DeferSessions). Each engine prints its frames (or
// turns them into timeline observations) into the batch; one goroutine
// writes the batches out in frame order, and feeds the timeline's tracker.
// The output is byte for byte that of the one-engine loop. Frames that
// carry no NBT (engine.Skippable, when Needs.SkipOther) are not copied:
// for -T fields they take an entry of the batch a run of them, which the
// writer prints from their numbers when the printer can
// (NumberPrinter: no engine sees them), else an engine in blocks
// (parSkip); for the timeline they stay out of the batches and only move
// its clock (the clock frames of the next entry).
//
//	reader (Run) ───── batch of 1024 frames ┬─ engine 0 ─ (session worker) ─┐
//	                                        ├─ engine 1 ────────────────────┼─ writer: frame order
//	                                        └─ ... ─────────────────────────┘
//
// One batch per stage is in flight (parallel.batches): one the reader
// fills, one the engines decode (and one the session worker does), one
// the writer writes; and up to parSpareBatches more while the writer is
// the slower stage and the engines have caught up with the reader (the
// tracker, on stretches dense in browser traffic): then the engines
// decode ahead instead of waiting with the reader. So memory stays
// bounded, and a run faults in no more batches than it keeps busy: until
// the first collection (cmd/nbtsniff holds it off) every page of a batch
// made is fresh memory, a page fault on its first use.

const (
	parBatchFrames = 1024
	// The first batch takes this many frames, each next one twice as
	// many up to parBatchFrames: the engines and the writer start on the
	// capture's first frames at once, not once a thousand are read (the
	// writer, when it feeds the timeline, is a run's slowest stage).
	parFirstBatchFrames = 64
	// A batch's bytes hold this many bytes of frames: it is sent early
	// when the next frame's would not fit, so that they never grow (a
	// grown copy is fresh memory, and the bytes it leaves behind were
	// too). 1024 frames of the NBT-dense mix take about 150 KiB, of the
	// many-hosts flood (bench/manyhosts) 265 KiB. No frame is longer
	// (capture.MaxRecordSize): one fits in an empty batch.
	parBatchBytes = 256 << 10
	// Batches in flight: one per stage (reading, decoding, writing), and
	// one more for the session worker's stage when there is one.
	parBatches = 3
	// A run that feeds the timeline from an input of this many bytes or
	// more takes its batches' bytes from one 2 MiB huge page
	// (hugepage.Region: eight batches' worth, more than a run makes):
	// one page fault where each batch's bytes were 64, on the reader,
	// while the tracker waited for the engines (the 10k-host flood: 14
	// batches, the last three of the first six sent early).
	parSlabInput = 1 << 20
	// Spare batches, made only once the first batches are sent, the
	// reader finds no free one and the engines have taken every batch
	// sent (enginesCaughtUp): the engines decode ahead of the writer
	// while it is the slower stage (the tracker, on stretches of a
	// capture dense in browser traffic), instead of waiting for it with
	// the reader. On two cores one stage per batch left both cores to the
	// writer alone for 15-20% of the NBT-dense mix's frame loop (runtime
	// trace). A run the reader or the engines bound makes none, and so
	// does a run that prints (sparesFor).
	parSpareBatches = 3
	// Batches sent before spares may be made: the first ones are small
	// (parFirstBatchFrames) and come faster than any stage takes them,
	// and a spare is fresh memory (page faults) that a short run (10k
	// hosts: 13 batches) does not win back.
	parSpareAfter = 16
	parMaxEngines = 8
	// The reader asks whether the run's context is done before every
	// parCtxEvery-th packet (and the first).
	parCtxEvery = 64
	// Skipped frames (engine.Skippable) go to an engine this many at
	// once (a block: one entry of the batch), so that their lines are
	// written out in one piece; a batch holds at most parBatchSkips.
	parSkipBlock  = 64
	parBatchSkips = 2048
	// A batch holds at most this many frames printed by number (their
	// entries hold no more than their first number): then it is sent, so
	// that the writer prints them while the reader reads on.
	parBatchNumbered = 16384
	// A frame engine 0 must take is counted as this many stateless ones
	// when balancing: TCP and datagram frames cost more to decode.
	parStatefulWeight = 2
	// From this many engines on, engine 0's session packets are decoded
	// by a worker of their own.
	parSessionStageCores = 3
)

// parFrame is one frame of a batch. Its fields are packed (256 bytes, four
// cache lines): the reader writes one for each frame of a batch, and until
// the first collection every batch made is fresh memory, faulted in page by
// page (344 bytes a frame were 2 MB of the NBT-dense mix's six batches).
// What the engine writes for the writer (obs, notes, keep, outBy) and what
// the writer reads of every frame (those and clock) share the first cache
// line, the capture time the second: the writer's loads of a frame are
// transfers from the cores that wrote it, two lines a frame, not four
// (TestParFrameLayout).
type parFrame struct {
	obs []timeline.Observation // the timeline: its observations
	// notes: its session packets, whose names the writer's book keeps
	// (timeline.Adapter.ShareSessions)
	notes []timeline.SessionNote
	// clock frames came before this one that no engine saw (frames that
	// carry no NBT, when the timeline is the sink), up to 2 (more are
	// counted as 2): the writer moves the timeline's clock to the first
	// one's time (clockFirst), then to the latest of them (clockAt), as
	// it would frame by frame.
	clock int32
	outBy int32 // the worker that printed it
	keep  bool  // passed the display filter
	// deferred: engine 0 left the frame's session packets to the session
	// worker, in the batch's aux, with a copy of the frame.
	deferred bool
	// skip: the frame carries no NBT and nothing reads it
	// (engine.Skippable, Needs.SkipOther): its bytes were not copied.
	skip bool
	// ipOff: where the frame's IPv4 header starts, from
	// engine.Needs.SkipOrRoute (0: the engine parses the link).
	ipOff    uint8
	linkType layers.LinkType
	// The frame's capture.Packet without its bytes (data[off:end] of the
	// batch) and its offset, which nothing here reads.
	ci       gopacket.CaptureInfo
	source   int32
	off, end int32 // the frame's bytes in parBatch.data
	engine   int32
	shard    int32    // from engine.Route, when the reader routed the frame; else -1
	out      [2]int32 // printers: the frame's text in outs[outBy]
	// block frames in a row that carry no NBT, numbered from number on,
	// are this entry, each in parBatch.skips from skipAt on: one engine
	// makes their frame fields (-T fields) and prints them one after the
	// other; or, with engine -1, the writer prints them by number
	// (parallel.numbers). 0 for any other frame.
	block, skipAt       int32
	number              int
	prev                time.Time // capture time of the frame before
	clockFirst, clockAt time.Time
}

// parSkip is a frame of a block of skipped frames: what the engine needs
// of it besides its number and the time of the frame before. It holds no
// pointer (its time is in UTC), so the collector does not scan it.
type parSkip struct {
	sec      int64
	length   int
	nsec     int32
	iface    int32
	capLen   int32
	source   int32
	linkType layers.LinkType
}

// at is the frame's capture time.
func (sk *parSkip) at() time.Time { return time.Unix(sk.sec, int64(sk.nsec)).UTC() }

// parAux is what a frame deferred to the session worker needs besides:
// the session packets engine 0 found, and a copy of the frame.
type parAux struct {
	copy dissect.Frame
	sess engine.SessionRecord
}

type parBatch struct {
	frames []parFrame
	aux    []parAux // beside frames, when there is a session worker
	n      int
	skips  []parSkip // the frames of the blocks of skipped frames
	// numbered: frames of the blocks printed by number (parallel.numbers)
	numbered int
	data     []byte
	outs     [][]byte // per worker
	// arenas, per worker, when the timeline is the sink: the observations
	// its adapter made of the batch's frames, reused once the writer has
	// fed them all to the tracker (which keeps none) and the batch comes
	// back to an engine (timeline.Arena).
	arenas []timeline.Arena
	idx    [][]int32 // the frames of each engine, in order
	first  time.Time
	wg     sync.WaitGroup
}

// parWorker is one engine with its own display filter and printer.
type parWorker struct {
	id      int
	eng     *engine.Engine
	flt     *filter.Filter
	printer Printer           // writes into w (nil for the timeline)
	adapter *timeline.Adapter // the timeline (nil for printers)
	w       *spanWriter
	watch   func(*dissect.Frame) // Sinks.Watch's Frame
	in      chan *parBatch
	// next, on engine 0 when there is a session worker, gets each batch
	// it is done with: the session worker's input. session marks the
	// session worker.
	next    chan *parBatch
	session bool
	// tested: the reader tests every frame (skipOther), so a frame it
	// hands on is not Skippable and the engine need not test it again
	// (engine.DecodeNthKept).
	tested bool
}

// spanWriter is the io.Writer a worker's printer writes into: the batch's
// buffer for that engine.
type spanWriter struct{ buf []byte }

func (w *spanWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	return len(p), nil
}

type parallel struct {
	workers []*parWorker
	free    chan *parBatch
	written chan *parBatch
	done    chan struct{}
	tl      *Timeline // the timeline, if it is the sink (else printers write to out)
	out     io.Writer
	cur     *parBatch
	n       int
	first   time.Time
	prev    time.Time
	load    []int
	made    int // batches made (batch)
	sent    int // batches sent (send)
	limit   int // frames the current batch takes: see parFirstBatchFrames
	batches int // this many batches are made at once: one per stage
	spares  int // and this many more when the reader would wait (batch)
	// fragments: a frame that may hold an NBT datagram fragment was seen;
	// from then on every datagram goes to engine 0, which may hold them.
	fragments bool
	// byShard: TCP frames go to the engine of their shard, not all to 0.
	byShard bool
	// skipOther: frames that carry no NBT are not copied or decoded
	// (engine.Needs.SkipOther); needs says which (Needs.Skippable).
	skipOther bool
	needs     engine.Needs
	// clock: the frames skipped since the last one added to a batch,
	// when the timeline is the sink and nothing asks for its state frame
	// by frame (coalesce); held is the latest of them (the capture's last
	// frame, if no other comes), not counted in clock.
	// numbers, when set, prints the frames that carry no NBT by number
	// (NumberPrinter), in the writer: they take no engine. numLast is the
	// latest of them (its Data is not to be read: numCapLen is its
	// length) and numPrev the time of the frame before it: the frame the
	// engines finish on, if it is the capture's last. numBuf is the
	// writer's.
	numbers             NumberPrinter
	numLast             capture.Packet
	numCapLen           int
	numPrev             time.Time
	numBuf              []byte
	coalesce            bool
	clock               int
	clockFirst, clockAt time.Time
	held                parFrame
	hasHeld             bool
	failed              atomic.Bool
	// slab: the bytes of the batches still to make, on a huge page
	// (parSlabInput); unmapSlab unmaps them once the run is over.
	slab      []byte
	unmapSlab func()
	err       error // the writer's first error, read after done
	waited    bool
}

// newParallel starts k engines made by pl, each with its own copy of the
// display filter and, for printers, its own printer (the timeline needs
// none), and the writer goroutine, which writes to s.Out or feeds
// s.Timeline. byShard spreads the TCP frames over the engines by shard:
// only for output that cannot show tcp.stream.
func newParallel(pl *Pipeline, k int, s Sinks, byShard bool) (*parallel, error) {
	// With a core to spare, worker k decodes the session packets engine
	// 0 leaves it (TCP 139/445), so that TCP streams use two cores. On
	// two cores the copies this takes cost more than it gains (bench/
	// README.md): there engine 0 decodes its sessions itself. Spread by
	// shard, the TCP streams use every core already.
	workers := k
	if k >= parSessionStageCores && !byShard {
		workers = k + 1
	}
	batches := parBatches
	if workers > k {
		batches++
	}
	p := &parallel{
		byShard: byShard,
		batches: batches,
		spares:  sparesFor(s),
		free:    make(chan *parBatch, batches+parSpareBatches),
		written: make(chan *parBatch, batches+parSpareBatches),
		done:    make(chan struct{}),
		out:     s.Out,
		load:    make([]int, k),
		tl:      s.Timeline,

		skipOther: pl.cfg.Needs.SkipOther() && s.Filter == "",
		needs:     pl.cfg.Needs,
	}
	// A watch asking for the timeline's state sees the clock of each
	// frame; else a run of skipped frames moves it once.
	p.coalesce = p.tl != nil && (p.tl.watch == nil || p.tl.watch.StateDue == nil)
	if p.skipOther && p.tl == nil && (s.Watch == nil || s.Watch.Frame == nil) {
		np, ok := s.NewPrinter(io.Discard).(NumberPrinter)
		if ok && np.ByNumber(pl.cfg.Needs.SkippedFields()) {
			p.numbers = np
		}
	}
	for i := 0; i < workers; i++ {
		session := i == k
		w := &parWorker{id: i, eng: pl.newEngine(i == 0 && workers > k), w: &spanWriter{}, in: make(chan *parBatch, batches+parSpareBatches), session: session,
			tested: p.skipOther}
		if s.Watch != nil {
			w.watch = s.Watch.Frame
		}
		if s.Filter != "" {
			var err error
			if w.flt, err = filter.Compile(s.Filter); err != nil {
				return nil, err
			}
		}
		if p.tl != nil {
			// The engines number their TCP streams each on their
			// own: the writer remembers the names of the sessions, in
			// frame order, keyed by the engine that numbered the
			// stream (the session worker's frames are engine 0's).
			w.adapter = timeline.NewAdapter()
			w.adapter.ShareSessions(i % k)
		} else {
			w.printer = s.NewPrinter(w.w)
		}
		p.workers = append(p.workers, w)
	}
	if workers > k {
		p.workers[0].next = p.workers[k].in
	}
	var touch []byte
	if p.tl != nil && pl.cfg.InputSize >= parSlabInput {
		p.slab, p.unmapSlab = hugepage.Region(hugepage.Size)
		// Its last byte, which no batch takes (a run makes at most
		// seven, the slab holds eight): the writer faults the page in
		// there, while the reader reads the first frames (a 2 MiB page
		// cleared on the reader had delayed the first batch).
		touch = p.slab[len(p.slab)-1:]
	}
	for _, w := range p.workers {
		go w.run()
	}
	go p.write(touch)
	return p, nil
}

// add numbers a frame read from the source, copies it into the current
// batch and picks its engine. A frame that carries no NBT is not copied
// (skip), and, when the timeline is the sink, not put in the batch
// either (clockFrame). It returns false once writing has failed. Whether
// the frame is skipped (skippable: a frame cut short is not) and the
// engine of one that is not (pick) come of one pass over its link header
// (engine.Needs.SkipOrRoute), where skippable and Route made two. (The
// lines of the body keep their places, for the profile of the build.)
func (p *parallel) add(pkt *capture.Packet) bool {
	p.n++
	if p.n == 1 {
		p.first, p.prev = pkt.CI.Timestamp, pkt.CI.Timestamp
	}
	skip, class, mayFragment, shard, ipOff := p.needs.SkipOrRoute(pkt.Data, pkt.LinkType, p.skipOther && pkt.CI.Length <= len(pkt.Data))
	switch {
	case skip && p.coalesce:
		p.clockFrame(pkt)
		return !p.failed.Load()
	case skip && p.numbers != nil:
		p.numberFrame(pkt)
		return !p.failed.Load()
	case skip && p.tl == nil && pkt.CI.AncillaryData == nil && pkt.CI.Timestamp.Location() == time.UTC:
		p.blockFrame(pkt)
		return !p.failed.Load()
	}
	need := 0
	if !skip {
		need = len(pkt.Data)
	}
	fr := p.slot(need)
	p.setFrame(fr, pkt)
	fr.skip, fr.ipOff = skip, uint8(ipOff)
	b := p.cur
	i := int32(b.n)
	switch {
	case skip && p.tl != nil:
		// The timeline reads nothing of it but its time: no engine
		// decodes it, the writer moves the clock.
		fr.end = fr.off + int32(len(pkt.Data))
		fr.engine, fr.keep, fr.obs = -1, true, fr.obs[:0]
	case skip:
		// Nothing reads its bytes: not copied, decoded by any engine.
		fr.end = fr.off + int32(len(pkt.Data))
		fr.engine = int32(p.leastLoaded())
		p.load[fr.engine]++
		b.idx[fr.engine] = append(b.idx[fr.engine], i)
	default:
		b.data = append(b.data, pkt.Data...)
		fr.end = int32(len(b.data))
		fr.engine, fr.shard = p.pick(class, mayFragment, shard)
		b.idx[fr.engine] = append(b.idx[fr.engine], i)
	}
	b.n++
	return !p.failed.Load()
}

// slot is the current batch's next frame, the clock frames before it
// set, for a frame of need bytes to copy; the batch before is sent when
// full, or when those bytes would not fit in it.
func (p *parallel) slot(need int) *parFrame {
	if b := p.cur; b != nil && (b.n == p.limit || b.n > 0 && len(b.data)+need > cap(b.data) || len(b.skips) >= parBatchSkips ||
		b.numbered >= parBatchNumbered) {
		// Sent once the next frame comes: the capture's last frame
		// stays in the batch wait ends on.
		p.send()
	}
	if p.cur == nil {
		b := p.batch()
		b.n, b.data, b.skips, b.numbered = 0, b.data[:0], b.skips[:0], 0
		for e := range b.idx {
			b.idx[e] = b.idx[e][:0]
		}
		clear(p.load)
		p.cur = b
		p.limit = min(parBatchFrames, parFirstBatchFrames<<min(p.sent, 8))
	}
	fr := &p.cur.frames[p.cur.n]
	if p.hasHeld {
		p.clockHeld()
	}
	fr.clock = int32(min(p.clock, 2))
	if p.clock > 0 { // the times are read only then (emit): most frames come after no clock frame
		fr.clockFirst, fr.clockAt = p.clockFirst, p.clockAt
	}
	p.clock = 0
	return fr
}

// batch is a free batch: one the writer is done with, or a new one while
// fewer than p.batches were made (a short capture makes one). Its bytes
// are made at their size (parBatchBytes), not grown by append from
// nothing: until the first collection (cmd/nbtsniff holds it off) each
// grown copy is fresh memory to fault in. Pages of a batch that no frame
// reaches are never faulted in.
func (p *parallel) batch() *parBatch {
	if p.made < p.batches || p.made < p.batches+p.spares && p.sent >= parSpareAfter {
		select {
		case b := <-p.free:
			return b
		default:
		}
		if p.made >= p.batches && !p.enginesCaughtUp() {
			return <-p.free // the engines are the slower stage: a spare would only wait
		}
		p.made++
		k, workers := len(p.load), len(p.workers)
		b := &parBatch{frames: make([]parFrame, parBatchFrames), outs: make([][]byte, workers), idx: make([][]int32, k)}
		if len(p.slab) >= parBatchBytes {
			b.data, p.slab = p.slab[:0:parBatchBytes], p.slab[parBatchBytes:]
		} else {
			b.data = make([]byte, 0, parBatchBytes)
		}
		if workers > k {
			b.aux = make([]parAux, parBatchFrames)
		}
		if p.skipOther && p.tl == nil {
			b.skips = make([]parSkip, 0, parBatchSkips)
		}
		if p.tl != nil {
			b.arenas = make([]timeline.Arena, workers)
		}
		return b
	}
	return <-p.free
}

// sparesFor is how many spare batches a run may make: parSpareBatches
// when the writer feeds the timeline, none when it writes text. A
// printer's batch holds the engines' text of its frames (-V on the
// NBT-dense mix: 2 MB an engine a batch at the median, 5 MB at the 99th
// percentile), and its writer only copies it out, so a spare made there
// gains nothing and holds two more such buffers for the rest of the run:
// -V's live heap rose by 9-10 MB at each of the three spares, the last
// after 6M frames (12.8M frames: 31 -> 59 MB; none made: 32 MB from the
// first seconds on).
func sparesFor(s Sinks) int {
	if s.Timeline == nil {
		return 0
	}
	return parSpareBatches
}

// enginesCaughtUp: every engine has taken every batch sent to it, so
// that, the writer holding the others, they wait for the reader's next.
func (p *parallel) enginesCaughtUp() bool {
	for _, w := range p.workers {
		if len(w.in) > 0 {
			return false
		}
	}
	return true
}

// setFrame sets the frame's packet (without its bytes), number and time.
func (p *parallel) setFrame(fr *parFrame, pkt *capture.Packet) {
	fr.ci, fr.linkType, fr.source = pkt.CI, pkt.LinkType, int32(pkt.Source)
	fr.off = int32(len(p.cur.data))
	fr.number, fr.prev = p.n, p.prev
	p.prev = pkt.CI.Timestamp
	fr.deferred, fr.block, fr.notes, fr.shard = false, 0, fr.notes[:0], -1
}

// blockFrame adds a skipped frame to the block the batch ends with, or
// starts a block on the engine with the least work.
func (p *parallel) blockFrame(pkt *capture.Packet) {
	b := p.cur
	var fr *parFrame
	if b != nil && b.n > 0 && len(b.skips) < parBatchSkips {
		if last := &b.frames[b.n-1]; last.block > 0 && last.block < parSkipBlock {
			fr = last
		}
	}
	if fr == nil {
		fr = p.slot(0)
		b = p.cur
		p.setFrame(fr, pkt)
		fr.skip, fr.block, fr.skipAt = true, 0, int32(len(b.skips))
		fr.engine = int32(p.leastLoaded())
		p.load[fr.engine] += parSkipBlock // counted whole: cheaper
		b.idx[fr.engine] = append(b.idx[fr.engine], int32(b.n))
		b.n++
	} else {
		p.prev = pkt.CI.Timestamp
	}
	fr.block++
	ci := &pkt.CI
	b.skips = append(b.skips, parSkip{sec: ci.Timestamp.Unix(), nsec: int32(ci.Timestamp.Nanosecond()), length: ci.Length,
		iface: int32(ci.InterfaceIndex), capLen: int32(len(pkt.Data)), source: int32(pkt.Source), linkType: pkt.LinkType})
}

// numberFrame adds a skipped frame to the block printed by number the
// batch ends with, or starts one (an entry of no engine).
func (p *parallel) numberFrame(pkt *capture.Packet) {
	b := p.cur
	if b == nil || b.n == 0 || b.numbered >= parBatchNumbered || b.frames[b.n-1].block == 0 {
		fr := p.slot(0)
		b = p.cur
		p.setFrame(fr, pkt) // p.prev is now pkt's time: the numPrev of the next
		fr.skip, fr.block, fr.engine, fr.keep = true, 1, -1, true
		p.numPrev = fr.prev
		b.n++
	} else {
		b.frames[b.n-1].block++
		p.numPrev, p.prev = p.prev, pkt.CI.Timestamp
	}
	b.numbered++
	p.numLast, p.numCapLen = *pkt, len(pkt.Data)
}

// numberedAt is frame n, the latest printed by number, as a frame of its
// own.
func (p *parallel) numberedAt(n int) parFrame {
	return parFrame{ci: p.numLast.CI, linkType: p.numLast.LinkType, source: int32(p.numLast.Source), number: n, prev: p.numPrev,
		skip: true, engine: -1, end: int32(p.numCapLen)}
}

// blockAt is frame j of a block as a frame of its own.
func blockAt(b *parBatch, fr *parFrame, j int) parFrame {
	at := int(fr.skipAt) + j
	sk := &b.skips[at]
	one := parFrame{number: fr.number + j, prev: fr.prev, skip: true, engine: fr.engine, end: sk.capLen}
	if j > 0 {
		one.prev = b.skips[at-1].at()
	}
	one.ci = gopacket.CaptureInfo{Timestamp: sk.at(), CaptureLength: int(sk.capLen), Length: sk.length, InterfaceIndex: int(sk.iface)}
	one.linkType, one.source = sk.linkType, sk.source
	return one
}

// clockFrame takes a frame that only moves the timeline's clock: it is
// held, and the one held before is counted among the clock frames.
func (p *parallel) clockFrame(pkt *capture.Packet) {
	if p.hasHeld {
		p.clockHeld()
	}
	fr := &p.held
	fr.ci, fr.linkType, fr.source = pkt.CI, pkt.LinkType, int32(pkt.Source)
	fr.off, fr.end = 0, int32(len(pkt.Data))
	fr.number, fr.prev = p.n, p.prev
	p.prev = pkt.CI.Timestamp
	fr.skip, fr.engine, fr.keep, fr.obs, fr.notes = true, -1, true, fr.obs[:0], fr.notes[:0]
	p.hasHeld = true
}

// clockHeld counts the frame held among the clock frames.
func (p *parallel) clockHeld() {
	at := p.held.ci.Timestamp
	if p.clock == 0 {
		p.clockFirst, p.clockAt = at, at
	} else if at.After(p.clockAt) {
		p.clockAt = at
	}
	p.clock++
	p.hasHeld = false
}

// pick chooses the engine of a frame of Route's class, mayFragment and
// shard (engine.ShardOf, for the engine), and counts its work in the
// batch.
func (p *parallel) pick(class engine.FrameClass, mayFragment bool, shard int) (e, sh int32) {
	// (The class and shard are the caller's: engine.Needs.SkipOrRoute.)
	p.fragments = p.fragments || mayFragment
	if class == engine.ClassStateless || class == engine.ClassDatagram && !p.fragments {
		e = int32(p.leastLoaded())
		p.load[e]++
		return e, int32(shard)
	}
	if p.byShard && shard > 0 {
		e = int32((shard - 1) % len(p.load))
	}
	p.load[e] += parStatefulWeight
	return e, int32(shard)
}

// leastLoaded is the engine with the least work in the batch so far.
func (p *parallel) leastLoaded() int {
	e := 0
	for i := 1; i < len(p.load); i++ {
		if p.load[i] < p.load[e] {
			e = i
		}
	}
	return e
}

func (p *parallel) send() {
	b := p.cur
	p.cur = nil
	p.sent++
	b.first = p.first
	b.wg.Add(len(p.workers))
	for _, w := range p.workers {
		if !w.session { // the session worker gets it from engine 0
			w.in <- b
		}
	}
	p.written <- b
	if p.tl != nil {
		// The reader gives way to the engines it just woke: the runtime
		// runs a goroutine that a send readies on the sender's P, after
		// the sender, and the other P is the writer's (the tracker, the
		// slow stage when the timeline is the sink). Left there, a batch
		// was decoded only once the reader blocked, a batch or two
		// later, while the tracker waited for it: 10,000 hosts (--report,
		// 14 batches) reached the tracker's first frame 0.2 ms later, and
		// the run's wall time was 0.8-0.9 ms longer (p25 and median of
		// 200 interleaved runs; bench/README.md, session 19).
		runtime.Gosched()
	}
}
