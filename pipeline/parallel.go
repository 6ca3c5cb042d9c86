package pipeline

import (
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/filter"
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
// The output is byte for byte that of the one-engine loop.
//
//	reader (Run) ───── batch of 1024 frames ┬─ engine 0 ─ (session worker) ─┐
//	                                        ├─ engine 1 ────────────────────┼─ writer: frame order
//	                                        └─ ... ─────────────────────────┘
//
// At most parBatches batches are in flight, so memory stays bounded.

const (
	parBatchFrames = 1024
	parBatchBytes  = 1 << 20 // a batch is sent early past this many bytes of frames
	parBatches     = 4
	parMaxEngines  = 8
	// A frame engine 0 must take is counted as this many stateless ones
	// when balancing: TCP and datagram frames cost more to decode.
	parStatefulWeight = 2
	// From this many engines on, engine 0's session packets are decoded
	// by a worker of their own.
	parSessionStageCores = 3
)

// parFrame is one frame of a batch.
type parFrame struct {
	pkt      capture.Packet // Data is set by the workers from the batch's arena
	off, end int            // the frame's bytes in parBatch.data
	number   int
	prev     time.Time // capture time of the frame before
	engine   int
	keep     bool                   // passed the display filter
	out      [2]int                 // printers: the frame's text in outs[outBy]
	outBy    int                    // the worker that printed it
	obs      []timeline.Observation // the timeline: its observations
	// deferred: engine 0 left the frame's session packets to the session
	// worker, in sess, with a copy of the frame.
	deferred bool
	// skip: the frame carries no NBT and nothing reads it
	// (engine.Skippable, Needs.SkipOther): its bytes were not copied.
	skip bool
	copy dissect.Frame
	sess engine.SessionRecord
}

type parBatch struct {
	frames []parFrame
	n      int
	data   []byte
	outs   [][]byte // per worker
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
	// fragments: a frame that may hold an NBT datagram fragment was seen;
	// from then on every datagram goes to engine 0, which may hold them.
	fragments bool
	// byShard: TCP frames go to the engine of their shard, not all to 0.
	byShard bool
	// skipOther: frames that carry no NBT are not copied or decoded
	// (engine.Needs.SkipOther).
	skipOther bool
	failed    atomic.Bool
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
	p := &parallel{
		byShard: byShard,
		free:    make(chan *parBatch, parBatches),
		written: make(chan *parBatch, parBatches),
		done:    make(chan struct{}),
		out:     s.Out,
		load:    make([]int, k),
		tl:      s.Timeline,

		skipOther: pl.cfg.Needs.SkipOther() && s.Filter == "",
	}
	for i := 0; i < workers; i++ {
		session := i == k
		w := &parWorker{id: i, eng: pl.newEngine(i == 0 && workers > k), w: &spanWriter{}, in: make(chan *parBatch, parBatches), session: session}
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
			w.adapter = timeline.NewAdapter()
		} else {
			w.printer = s.NewPrinter(w.w)
		}
		p.workers = append(p.workers, w)
	}
	if workers > k {
		p.workers[0].next = p.workers[k].in
	}
	for i := 0; i < parBatches; i++ {
		p.free <- &parBatch{frames: make([]parFrame, parBatchFrames), outs: make([][]byte, workers)}
	}
	for _, w := range p.workers {
		go w.run()
	}
	go p.write()
	return p, nil
}

// add numbers a frame read from the source, copies it into the current
// batch and picks its engine. It returns false once writing has failed.
func (p *parallel) add(pkt *capture.Packet) bool {
	if b := p.cur; b != nil && (b.n == len(b.frames) || len(b.data) >= parBatchBytes) {
		// Sent once the next frame comes: the capture's last frame
		// stays in the batch wait ends on.
		p.send()
	}
	if p.cur == nil {
		p.cur = <-p.free
		p.cur.n, p.cur.data = 0, p.cur.data[:0]
		clear(p.load)
	}
	b := p.cur
	p.n++
	if p.n == 1 {
		p.first, p.prev = pkt.CI.Timestamp, pkt.CI.Timestamp
	}
	fr := &b.frames[b.n]
	fr.pkt = *pkt
	fr.pkt.Data = nil
	fr.off = len(b.data)
	fr.skip = p.skipOther && pkt.CI.Length <= len(pkt.Data) && engine.Skippable(pkt.Data, pkt.LinkType)
	switch {
	case fr.skip && p.tl != nil:
		// The timeline reads nothing of it but its time: no engine
		// decodes it, the writer moves the clock.
		fr.end = fr.off + len(pkt.Data)
		fr.engine, fr.keep, fr.obs = -1, true, fr.obs[:0]
	case fr.skip:
		// Nothing reads its bytes: not copied, decoded by any engine.
		fr.end = fr.off + len(pkt.Data)
		fr.engine = p.leastLoaded()
		p.load[fr.engine]++
	default:
		b.data = append(b.data, pkt.Data...)
		fr.end = len(b.data)
		fr.engine = p.pick(pkt)
	}
	fr.number, fr.prev = p.n, p.prev
	p.prev = pkt.CI.Timestamp
	fr.deferred = false
	b.n++
	return !p.failed.Load()
}

// pick chooses the engine of a frame and counts its work in the batch.
func (p *parallel) pick(pkt *capture.Packet) int {
	class, mayFragment, shard := engine.Route(pkt.Data, pkt.LinkType)
	p.fragments = p.fragments || mayFragment
	e := 0
	if class == engine.ClassStateless || class == engine.ClassDatagram && !p.fragments {
		e = p.leastLoaded()
		p.load[e]++
		return e
	}
	if p.byShard && shard > 0 {
		e = (shard - 1) % len(p.load)
	}
	p.load[e] += parStatefulWeight
	return e
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
	b.first = p.first
	b.wg.Add(len(p.workers))
	for _, w := range p.workers {
		if !w.session { // the session worker gets it from engine 0
			w.in <- b
		}
	}
	p.written <- b
}

// wait sends the last batch, waits until everything is written and
// closes the engines; it returns the writer's first error. The capture's
// last frame is held back from the last batch and decoded after every
// other (last): there every engine finishes (engine.Finish).
func (p *parallel) wait() error {
	if p.waited {
		return p.err
	}
	p.waited = true
	var final *parFrame
	var finalData []byte
	if b := p.cur; b != nil && b.n > 0 {
		b.n--
		final = &parFrame{}
		*final = b.frames[b.n]
		if !final.skip { // a skipped frame's bytes were not copied
			finalData = b.data[final.off:final.end:final.end]
		}
		if b.n > 0 {
			p.send()
		} else {
			p.free <- b
			p.cur = nil
		}
	}
	for _, w := range p.workers {
		if !w.session { // engine 0 closes the session worker's input
			close(w.in)
		}
	}
	close(p.written)
	<-p.done
	if final != nil && p.err == nil {
		p.last(final, finalData)
	}
	for _, w := range p.workers {
		w.eng.Close()
	}
	return p.err
}

// last decodes the capture's last frame on its engine, has every engine
// finish on it, shard by shard in shard order (the order of one engine's
// Finish), and writes it out.
func (p *parallel) last(fr *parFrame, data []byte) {
	// A frame that carries no NBT and that nothing reads (skip) has no
	// bytes here and may have no engine (-1: only the timeline's clock):
	// engine 0 takes it, as Skipped, and finishes on it all the same.
	w := p.workers[max(fr.engine, 0)]
	var f *dissect.Frame
	if fr.skip {
		f = w.eng.Skipped(fr.number, p.first, fr.prev, fr.end-fr.off, fr.pkt.CI, fr.pkt.LinkType, fr.pkt.Source)
	} else {
		fr.pkt.Data = data
		f = w.eng.DecodeNth(fr.number, p.first, fr.prev, data, fr.pkt.CI, fr.pkt.LinkType, fr.pkt.Source)
	}
	sw := p.sessionWorker()
	if sw != nil && fr.engine == 0 && w.eng.TakeSessions(&fr.sess) {
		f.CopyTo(&fr.copy)
		f = &fr.copy
		sw.eng.ApplySessions(f, &fr.sess)
	}
	if sw != nil && fr.engine == 0 {
		w = sw // its filter and printer show the frame it decoded
	}
	k := len(p.load)
	for i := 0; i < engine.Shards; i++ {
		e := 0
		if p.byShard && i > 0 {
			e = (i - 1) % k
		}
		if !p.workers[e].eng.FinishShard(f, i) || sw == nil || e != 0 {
			continue
		}
		// A record of its own each time: the frame keeps pointing
		// into the bytes of the records applied before.
		if rec := new(engine.SessionRecord); p.workers[0].eng.TakeSessions(rec) {
			sw.eng.ApplySessions(f, rec)
		}
	}
	w.w.buf = w.w.buf[:0]
	w.finish(fr, f)
	if !fr.keep {
		return
	}
	var err error
	if p.tl != nil {
		err = p.tl.observe(fr.obs, fr.pkt.CI.Timestamp)
	} else {
		_, err = p.out.Write(w.w.buf[fr.out[0]:fr.out[1]])
	}
	if err != nil {
		p.err = err
		p.failed.Store(true)
	}
}

// sessionWorker is the worker decoding engine 0's session packets, or nil.
func (p *parallel) sessionWorker() *parWorker {
	if w := p.workers[len(p.workers)-1]; w.session {
		return w
	}
	return nil
}

func (w *parWorker) run() {
	for b := range w.in {
		w.w.buf = b.outs[w.id][:0]
		for i := 0; i < b.n; i++ {
			fr := &b.frames[i]
			if w.session {
				if fr.deferred {
					w.eng.ApplySessions(&fr.copy, &fr.sess)
					w.finish(fr, &fr.copy)
				}
				continue
			}
			if fr.engine != w.id {
				continue
			}
			if fr.skip {
				w.finish(fr, w.eng.Skipped(fr.number, b.first, fr.prev, fr.end-fr.off, fr.pkt.CI, fr.pkt.LinkType, fr.pkt.Source))
				continue
			}
			fr.pkt.Data = b.data[fr.off:fr.end:fr.end]
			f := w.eng.DecodeNth(fr.number, b.first, fr.prev, fr.pkt.Data, fr.pkt.CI, fr.pkt.LinkType, fr.pkt.Source)
			if w.next != nil && w.eng.TakeSessions(&fr.sess) {
				fr.deferred = true
				f.CopyTo(&fr.copy)
				continue
			}
			w.finish(fr, f)
		}
		b.outs[w.id] = w.w.buf
		if w.next != nil {
			w.next <- b
		}
		b.wg.Done()
	}
	if w.next != nil {
		close(w.next)
	}
}

// finish filters a decoded frame and prints it (or turns it into
// observations) into the batch.
func (w *parWorker) finish(fr *parFrame, f *dissect.Frame) {
	if w.watch != nil {
		w.watch(f)
	}
	fr.keep = w.flt == nil || w.flt.Match(f)
	if !fr.keep {
		return
	}
	fr.outBy = w.id
	if w.adapter != nil {
		fr.obs = append(fr.obs[:0], w.adapter.FromFrame(f)...)
		return
	}
	start := len(w.w.buf)
	w.printer.Frame(f) // into w.w: cannot fail
	fr.out = [2]int{start, len(w.w.buf)}
}

// write runs on its own goroutine: it takes the batches in order, waits
// for their engines, and writes their frames in frame order.
func (p *parallel) write() {
	defer close(p.done)
	for b := range p.written {
		b.wg.Wait()
		for i := 0; i < b.n && p.err == nil; i++ {
			fr := &b.frames[i]
			if !fr.keep {
				continue
			}
			var err error
			if p.tl != nil {
				err = p.tl.observe(fr.obs, fr.pkt.CI.Timestamp)
				clear(fr.obs) // let the observations go
			} else {
				_, err = p.out.Write(b.outs[fr.outBy][fr.out[0]:fr.out[1]])
			}
			if err != nil {
				p.err = err
				p.failed.Store(true)
			}
		}
		p.free <- b
	}
}
