package pipeline

import (
	"context"
	"io"
	"math"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/feed"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// The load of files that can be read back at an offset (Loader.fast) runs
// on three goroutines, in stages over batches of frames in order:
//
//   - the reader reads the packets (the -w file, the tap), tells the
//     frames of other traffic (engine.Skippable) and how each frame is
//     listed (rowMaker.rowKind), and reads the fields of the TCP segments
//     of other traffic that engine.SeqIndex numbers (engine.SkipSegment,
//     all in one parse: 24 bytes a segment); only the frames to decode
//     are copied;
//   - the decoder gives those segments their relative sequence numbers
//     (SeqIndex.SeqOf, in frame order: the Aux of their RefFrames and
//     items), and decodes the frames kept: the engine, the watch of
//     frames, the timeline's observations (timeline.Adapter), the text
//     columns;
//   - the loader's goroutine feeds the timeline, takes the snapshots due
//     and lists the frames in the index.
//
// A big pcap file has a second reader, from a record in its middle, whose
// batches the reader hands on once it comes to that record
// (loadsplit.go).
//
// So the NBT frames' decoding runs beside the timeline, as --report's
// engines run beside its tracker. The frames of other traffic that
// nothing but the list and the timeline's clock reads (no watch) come in
// stretches: frames that follow each other in their file, one item of
// the batch a stretch and a 16-byte feed.RefFrame a frame (loadskip.go),
// their packets not kept; the loader moves the timeline's clock once for
// a stretch, as --report does (the timeline reads nothing of them but
// their time), and lists it in one call (feed.Index.AddRefs). The UI's
// snapshot is asked once a batch.
//
// A batch is 2048 items: fewer hand-overs between the goroutines than
// with 512, a tenth less CPU in the load of a 1 GB mix; 8192 did no better.
// A stretch is an item however long: a batch ends at 2048 items or at
// loadBatchStretched frames. Over other traffic alone a batch of 2048
// frames took the reader some 0.1-0.3 ms, and handing a batch to a
// goroutine whose thread sleeps nearly as long (the thread woken: 50-100
// us on the 2-vCPU VM); with 5 batches the reader waited for a free one
// at every batch (a trace of the 1 GB mix's load: 75 ms of the load's
// first 180, the decoder and the loader busy some 20% of the time;
// bench/README.md, session 13).
const (
	loadBatchFrames    = 2048
	loadBatchStretched = 8 * loadBatchFrames // frames, those of stretches counted
	loadBatchesLive    = 4                   // batches in flight
)

// loadItem is one frame of a batch, or a stretch of frames skipped
// (frames > 0). The frames of a batch are numbered from loadBatch.first
// on, in the order of its items.
type loadItem struct {
	time   int64 // capture time, Unix nanoseconds
	offset int64 // Packet.Offset (of the first frame of a stretch)
	capLen int32
	length int32 // on the wire (read for the frames skipped: then at most capLen)
	aux    uint32
	source int32
	pkt    int32 // index of its packet in loadBatch.pkts; -1 for frames skipped
	frames int32 // a stretch of that many frames, loadBatch.refs[refAt:] (0: one frame)
	refAt  int32
	link   uint16
	kind   uint8 // rowMaker.rowKind's
	skip   bool
	hasSeq bool // a TCP segment of other traffic: aux is its relative sequence number
}

// loadPacket is the packet of a frame the loader decodes, hands to a
// watch, or lists as text, and what the decoder made of it.
type loadPacket struct {
	pkt    capture.Packet // its Data is set from the batch's buffer when copied
	copied bool           // the frame's bytes are in the batch's buffer, at dataAt
	dataAt int

	// Set by the decoder: the frame's fields the loader reads, its
	// observations (loadBatch.obs[obsFrom:obsTo]) and its text columns
	// (nil: listed by reference).
	time           time.Time
	length, source int
	errs           int32
	obsFrom, obsTo int32
	text           *columns // cols, or the summarizer's
	cols           columns  // in loadBatch.text
}

type loadBatch struct {
	first  int // number of the first frame
	frames int // frames in it
	items  []loadItem
	refs   []feed.RefFrame     // the frames of the stretches skipped
	segs   []engine.SeqSegment // the TCP segments of other traffic, in frame order (hasSeq)
	pkts   []loadPacket
	buf    []byte
	obs    []timeline.Observation // of the frames decoded
	text   []byte                 // their text columns (loadPacket.cols)
	err    error                  // the read ended on it (after the items)
	last   bool
	pool   chan *loadBatch // the second reader's batch: back to it (loadsplit.go)
}

// loadFast is the load of files read back at an offset: the loader's
// stage, once the reader and the decoder are started.
func (l *Loader) loadFast(ctx context.Context) {
	full := make(chan *loadBatch, loadBatchesLive)
	decoded := make(chan *loadBatch, loadBatchesLive)
	free := make(chan *loadBatch, loadBatchesLive+1)
	for range loadBatchesLive + 1 {
		free <- newLoadBatch()
	}
	if l.cfg.Count == 0 { // a load of the whole input (-c may read a few frames of it)
		go warmHeap(heapWarmth(l.in.Size)) // beside the reader (loaderheap.go)
	}
	if l.split = l.splitRead(); l.split != nil {
		l.split.free = free
		go l.split.run(l)
	}
	go l.readBatches(ctx, full, free)
	go l.decodeBatches(full, decoded)
	defer func() {
		for range decoded { // the decoder is done with the engine
		}
		if l.split != nil {
			l.split.close()
		}
	}()
	var st loadState
	for b := range decoded {
		l.trMu.Lock() // only this goroutine takes it (no liveTicker over files)
		n := b.first
		for i := range b.items {
			it := &b.items[i]
			switch {
			case it.frames > 0:
				l.skipStretch(&st, n, b.refs[it.refAt:it.refAt+it.frames])
				n += int(it.frames)
				continue
			case it.pkt < 0:
				l.skipItem(&st, n, it.time)
			default:
				l.clock(&st)
				lp := &b.pkts[it.pkt]
				l.takeDecoded(&st, n, it, lp, b.obs[lp.obsFrom:lp.obsTo])
			}
			n++
		}
		l.clock(&st)
		l.freshSnapshot(&st)
		l.trMu.Unlock()
		l.flushBatch(&st, b)
		last, err := b.last, b.err
		b.reset()
		switch {
		case b.pool == nil:
			free <- b
		case !l.split.ended.Load():
			select { // never full: it holds every batch of the second reader
			case b.pool <- b:
			default:
			}
		}
		if last {
			l.readEnded(err)
			return
		}
	}
}

// reset empties the batch for its next use.
func (b *loadBatch) reset() {
	clear(b.pkts)
	clear(b.obs)
	b.items, b.refs, b.segs, b.pkts, b.buf, b.obs, b.err, b.frames = b.items[:0], b.refs[:0], b.segs[:0], b.pkts[:0], b.buf[:0], b.obs[:0], nil, 0
	b.text = b.text[:0]
	b.last = false
}

// newLoadBatch makes an empty batch.
func newLoadBatch() *loadBatch {
	return &loadBatch{items: make([]loadItem, 0, loadBatchFrames), refs: make([]feed.RefFrame, 0, loadBatchStretched),
		segs: make([]engine.SeqSegment, 0, loadBatchStretched)}
}

// full reports whether the batch takes no more frames: it has
// loadBatchFrames items (frames, and stretches of frames), or
// loadBatchStretched frames.
func (b *loadBatch) full() bool {
	return len(b.items) >= loadBatchFrames || b.frames >= loadBatchStretched
}

// A batch's packets and their bytes are made at their full size when the
// first frame kept needs them (loadBatchBuf for the bytes, grown by append
// beyond): grown by append from nothing, the five batches' slices had
// been copied over and over as the first NBT frames came (300 bytes a
// loadPacket; some 20 MB allocated a load of the 1 GB mix, in fresh
// pages). A batch is reused, so this is once a batch.
const loadBatchBuf = 256 << 10

// grow makes the batch's packets and buffer, if not made yet.
func (b *loadBatch) grow() {
	if b.pkts == nil {
		b.pkts = make([]loadPacket, 0, loadBatchFrames)
		b.buf = make([]byte, 0, loadBatchBuf)
	}
}

// readBatches is the reader: it fills batches from free and sends them
// on full, the last one marked, then closes full.
func (l *Loader) readBatches(ctx context.Context, full chan<- *loadBatch, free <-chan *loadBatch) {
	defer close(full)
	watched := l.cfg.Watch != nil // it sees each frame, or is asked for the state after each
	var pkt capture.Packet
	// A file needs no closing to end a read: the end of ctx is seen once a
	// batch (its Err takes a lock, a tenth of a read's cost), as the end
	// of the input.
	bg := context.Background()
	limit := int64(math.MaxInt64) // the second reader's first frame (loadsplit.go)
	if sp := l.split; sp != nil {
		limit = sp.start + pcapRecordHeader
		defer func() {
			if !sp.taken {
				sp.halt()
			}
		}()
	}
	for {
		b := <-free
		b.first = l.pl.Packets() + 1
		if ctx.Err() != nil {
			b.err, b.last = io.EOF, true
			full <- b
			return
		}
		var str stretch
		for !b.full() {
			if err := l.pl.Read(bg, &pkt); err != nil {
				b.err, b.last = err, true
				full <- b
				return
			}
			if pkt.Offset >= limit {
				nb, done := l.takeSplit(ctx, b, &pkt, full, free)
				if done {
					return
				}
				limit = math.MaxInt64
				if nb != b {
					str = stretch{}
				}
				b = nb
			}
			l.readFrame(b, l.rows, &str, &pkt, watched)
		}
		full <- b
	}
}

// readFrame adds the frame just read, pkt, to batch b, whose stretch of
// frames skipped is str (reader goroutine).
func (l *Loader) readFrame(b *loadBatch, rows *rowMaker, str *stretch, pkt *capture.Packet, watched bool) {
	b.frames++
	// A TCP segment's fields are read into the next of segs (at most one
	// a frame: within its capacity), kept if it is one.
	segs := b.segs[:len(b.segs)+1]
	kind, hasSeq, skip := rows.rowKind(pkt, &segs[len(b.segs)])
	if hasSeq {
		b.segs = segs
	}
	var aux uint32 // the relative sequence number: the decoder's (decodeBatches)
	keep := !skip || pkt.Offset == 0 || watched || pkt.CI.AncillaryData != nil || pkt.CI.Timestamp.Location() != time.UTC
	if !keep && str.add(b, pkt, kind, aux) {
		return
	}
	str.on = false // the frame after it is an item of its own
	it := loadItem{time: pkt.CI.Timestamp.UnixNano(), offset: pkt.Offset, capLen: int32(len(pkt.Data)),
		length: int32(pkt.CI.Length), source: int32(pkt.Source), link: uint16(pkt.LinkType), pkt: -1,
		kind: kind, aux: aux, hasSeq: hasSeq, skip: skip}
	if keep {
		b.grow()
		it.pkt = int32(len(b.pkts))
		lp := loadPacket{pkt: *pkt}
		lp.pkt.Data = nil
		if !skip || pkt.Offset == 0 {
			lp.copied, lp.dataAt = true, len(b.buf)
			b.buf = append(b.buf, pkt.Data...)
		}
		lp.pkt.CI.CaptureLength = len(pkt.Data)
		b.pkts = append(b.pkts, lp)
	}
	b.items = append(b.items, it)
}

// decodeBatches is the decoder: it decodes the frames kept of the batches
// of full, in order (decodeItem), and sends the batches on decoded, which
// it closes after the last.
func (l *Loader) decodeBatches(full <-chan *loadBatch, decoded chan<- *loadBatch) {
	defer close(decoded)
	var ds loadState // its times: of the first frame, the one before
	ad := timeline.NewAdapter()
	seq := l.rows.seq
	for b := range full {
		n, segs := b.first, b.segs
		for i := range b.items {
			it := &b.items[i]
			if it.frames > 0 {
				refs := b.refs[it.refAt : it.refAt+it.frames]
				for k := range refs {
					if refs[k].Kind() == refTCP {
						refs[k].Aux, segs = seq.SeqOf(&segs[0]), segs[1:]
					}
				}
			} else if it.hasSeq {
				it.aux, segs = seq.SeqOf(&segs[0]), segs[1:]
			}
			switch {
			case it.frames > 0:
				refs := b.refs[it.refAt : it.refAt+it.frames]
				if n == 1 {
					ds.first = time.Unix(0, refs[0].Time).UTC()
				}
				ds.prevNs, ds.prevIsNs = refs[len(refs)-1].Time, true
				n += int(it.frames)
				continue
			case it.pkt < 0:
				if n == 1 {
					ds.first = time.Unix(0, it.time).UTC()
				}
				ds.prevNs, ds.prevIsNs = it.time, true
			default:
				l.decodeItem(&ds, ad, n, it, b)
			}
			n++
		}
		decoded <- b
	}
}

// decodeItem decodes frame n of batch b, whose packet is b.pkts[it.pkt]
// (a skipped one: its frame fields only), for takeDecoded: its
// observations, fields and text columns into the packet. Decoder
// goroutine.
func (l *Loader) decodeItem(ds *loadState, ad *timeline.Adapter, n int, it *loadItem, b *loadBatch) {
	lp := &b.pkts[it.pkt]
	p := &lp.pkt
	if lp.copied {
		p.Data = b.buf[lp.dataAt : lp.dataAt+p.CI.CaptureLength]
	}
	first, prev := ds.times(n, p.CI.Timestamp)
	var f *dissect.Frame
	switch {
	case !it.skip:
		f = l.engine().DecodeNth(n, first, prev, p.Data, p.CI, p.LinkType, p.Source)
	case l.cfg.Watch != nil && l.cfg.Watch.Frame != nil:
		// The watch sees the frame as --report's engine makes it.
		f = l.engine().Skipped(n, first, prev, p.CI.CaptureLength, p.CI, p.LinkType, p.Source)
	default:
		// Only its time counts (the timeline's clock): as --report, no
		// engine sees it (DecodeNth numbers the frames after it).
		f = &ds.skipped // its fields set one by one: a Frame is big to clear
		f.Number, f.Time, f.Len, f.CapLen, f.Source, f.Proto = n, p.CI.Timestamp, p.CI.Length, p.CI.CaptureLength, p.Source, "Frame"
	}
	if w := l.cfg.Watch; w != nil && w.Frame != nil {
		w.Frame(f)
	}
	lp.time, lp.length, lp.source, lp.errs = f.Time, f.Len, f.Source, int32(len(f.Errs))
	lp.obsFrom = int32(len(b.obs))
	if !it.skip {
		b.obs = append(b.obs, ad.FromFrame(f)...)
	}
	lp.obsTo = int32(len(b.obs))
	switch {
	case it.kind == 0 || !it.skip && p.CI.Length != p.CI.CaptureLength:
		// Its columns depend on the frames before it, or it was cut
		// short (a row by reference has no length of its own).
		info := f.Info
		if it.hasSeq {
			info = withSeq(info, it.aux)
		}
		lp.cols, b.text = appendColumns(b.text, f, info)
		lp.text = &lp.cols
	case p.Offset == 0:
		lp.text = l.rows.sum.textOf(&feed.Row{Number: n, Time: f.Time, Length: f.Len, Source: f.Source}, p, it.kind, it.aux)
	}
}

// takeDecoded takes frame n of a batch, decoded (decodeItem), with its
// observations obs: the timeline is fed (only its time, when skipped: it
// carries no NBT, as --report skips it), the ring's snapshot taken if
// due, and its row waits in st for flushBatch. Called with trMu held.
func (l *Loader) takeDecoded(st *loadState, n int, it *loadItem, lp *loadPacket, obs []timeline.Observation) {
	t := lp.time
	if t.After(st.last) {
		st.last = t
	}
	if st.first.IsZero() {
		st.first = t
	}
	l.tl.observe(obs, t)            // emit (l.emit) does not fail
	l.snapshotsDue(st, n, t, false) // the UI's fresh snapshot: once a batch
	p := &lp.pkt
	ref := feed.Ref{Kind: it.kind, Offset: p.Offset, CapLen: p.CI.CaptureLength, Link: uint16(p.LinkType), Aux: it.aux}
	st.rows = append(st.rows, pendingRow{number: n, time: t, length: lp.length, source: int32(lp.source), errs: lp.errs, ref: ref, text: lp.text})
}
