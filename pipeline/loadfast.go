package pipeline

import (
	"context"
	"io"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/feed"
)

// The load of files that can be read back at an offset (Loader.fast) runs
// on two goroutines, as --report does: a reader reads the packets (the -w
// file, the tap), tells the frames of other traffic (engine.Skippable)
// and how each frame is listed (rowMaker), and passes them in batches, in
// order, to the loader's goroutine, which decodes the others and feeds the
// timeline and the index. Only the frames decoded are copied.
//
// A frame of other traffic that nothing but the list and the timeline's
// clock reads (no watch) is a loadItem alone, its packet
// not kept (skipItem): the loader moves the timeline's clock once for a
// run of them, as --report does (the timeline reads nothing of them but
// their time), lists it from the item, and asks for the UI's snapshot
// once a batch.
//
// A batch is 2048 frames (about 100 KB of items, and the frames decoded):
// fewer hand-overs between the goroutines than with 512, a tenth less CPU
// in the load of a 1 GB mix; 8192 did no better.
const (
	loadBatchFrames = 2048
	loadBatchesLive = 4 // batches in flight
)

// loadItem is one frame of a batch, frame number loadBatch.first plus its
// index.
type loadItem struct {
	time   int64 // capture time, Unix nanoseconds
	offset int64 // Packet.Offset
	capLen int32
	length int32 // on the wire (read for the frames skipped: then at most capLen)
	aux    uint32
	source int32
	pkt    int32 // index of its packet in loadBatch.pkts; -1 for a frame skipped by skipItem
	link   uint16
	kind   uint8 // rowMaker.rowKind's
	skip   bool
	hasSeq bool // aux is the relative sequence number of a TCP segment of other traffic
}

// loadPacket is the packet of a frame the loader decodes, hands to a
// watch, or lists as text.
type loadPacket struct {
	pkt    capture.Packet // its Data is set from the batch's buffer when copied
	copied bool           // the frame's bytes are in the batch's buffer, at dataAt
	dataAt int
}

type loadBatch struct {
	first int // number of the first frame
	items []loadItem
	pkts  []loadPacket
	buf   []byte
	err   error // the read ended on it (after the items)
	last  bool
}

// loadFast is the load of files read back at an offset.
func (l *Loader) loadFast(ctx context.Context) {
	full := make(chan *loadBatch, loadBatchesLive)
	free := make(chan *loadBatch, loadBatchesLive+1)
	for range loadBatchesLive + 1 {
		free <- &loadBatch{items: make([]loadItem, 0, loadBatchFrames)}
	}
	go l.readBatches(ctx, full, free)
	var st loadState
	for b := range full {
		l.trMu.Lock() // only this goroutine takes it (no liveTicker over files)
		for i := range b.items {
			it := &b.items[i]
			if it.pkt < 0 {
				l.skipItem(&st, b.first+i, it)
				continue
			}
			l.clock(&st)
			l.takeItem(&st, b.first+i, it, &b.pkts[it.pkt], b.buf)
		}
		l.clock(&st)
		l.freshSnapshot(&st)
		l.trMu.Unlock()
		l.flushBatch(&st, b)
		last, err := b.last, b.err
		clear(b.pkts)
		b.items, b.pkts, b.buf, b.err = b.items[:0], b.pkts[:0], b.buf[:0], nil
		free <- b
		if last {
			l.readEnded(err)
			return
		}
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
	for {
		b := <-free
		b.first = l.pl.Packets() + 1
		if ctx.Err() != nil {
			b.err, b.last = io.EOF, true
			full <- b
			return
		}
		for len(b.items) < loadBatchFrames {
			if err := l.pl.Read(bg, &pkt); err != nil {
				b.err, b.last = err, true
				full <- b
				return
			}
			it := loadItem{time: pkt.CI.Timestamp.UnixNano(), offset: pkt.Offset, capLen: int32(len(pkt.Data)),
				length: int32(pkt.CI.Length), source: int32(pkt.Source), link: uint16(pkt.LinkType), pkt: -1}
			it.skip = pkt.CI.Length <= len(pkt.Data) && engine.Skippable(pkt.Data, pkt.LinkType)
			it.kind, it.aux, it.hasSeq = l.rows.rowKind(&pkt, it.skip)
			if !it.skip || pkt.Offset == 0 || watched || pkt.CI.AncillaryData != nil || pkt.CI.Timestamp.Location() != time.UTC {
				it.pkt = int32(len(b.pkts))
				lp := loadPacket{pkt: pkt}
				lp.pkt.Data = nil
				if !it.skip || pkt.Offset == 0 {
					lp.copied, lp.dataAt = true, len(b.buf)
					b.buf = append(b.buf, pkt.Data...)
				}
				lp.pkt.CI.CaptureLength = len(pkt.Data)
				b.pkts = append(b.pkts, lp)
			}
			b.items = append(b.items, it)
		}
		full <- b
	}
}

// skipItem takes frame n, of other traffic, skipped and listed by
// reference from its item alone: its time is the one before the next
// frame's and moves the timeline's clock (at the latest with the next
// frame decoded, snapshot or batch end: clock); the ring's snapshot is
// taken after it if due. Called with trMu held.
func (l *Loader) skipItem(st *loadState, n int, it *loadItem) {
	if n == 1 {
		st.first = time.Unix(0, it.time).UTC()
	}
	st.prevNs, st.prevIsNs = it.time, true
	if !st.clockPending || it.time > st.clockNs {
		st.clockNs, st.clockPending = it.time, true
	}
	if !l.tl.started() {
		l.clock(st) // the timeline starts at its first frame's time
	}
	if l.dirty.Load() {
		if t := time.Unix(0, it.time).UTC(); l.ringDue(n, t) {
			l.clock(st)
			l.snapshotsDue(st, n, t, false)
		}
	}
}

// freshSnapshot takes the UI's snapshot if it asked for one (once a
// batch). Called with trMu held.
func (l *Loader) freshSnapshot(st *loadState) {
	if l.freshDue() {
		st.latest = l.tl.Snapshot()
		l.freshWall = time.Now()
		l.wantSnap.Store(false)
	}
}

// started reports whether the timeline has seen a frame.
func (t *Timeline) started() bool { return t.tr != nil }

// clock moves the timeline's clock to the latest time of the skipped
// frames it has not seen yet. Called with trMu held.
func (l *Loader) clock(st *loadState) {
	if !st.clockPending {
		return
	}
	st.clockPending = false
	t := time.Unix(0, st.clockNs).UTC()
	if t.After(st.last) {
		st.last = t
	}
	if st.first.IsZero() {
		st.first = t
	}
	l.tl.observe(nil, t)
}

// flushBatch lists the frames of a batch: those skipped by skipItem from
// their items, the others from the rows take left in st, in frame order.
func (l *Loader) flushBatch(st *loadState, b *loadBatch) {
	l.mu.Lock()
	next := 0
	for i := range b.items {
		it := &b.items[i]
		if it.pkt >= 0 {
			l.addPending(&st.rows[next])
			next++
			continue
		}
		ref := feed.Ref{Kind: it.kind, Offset: it.offset, CapLen: int(it.capLen), Link: it.link, Aux: it.aux}
		if !l.index.AddRefAt(it.time, int(it.length), int(it.source), ref) {
			l.addPending(&pendingRow{number: b.first + i, time: time.Unix(0, it.time).UTC(), length: int(it.length), source: it.source, ref: ref})
		}
	}
	l.flushed(st)
	l.mu.Unlock()
}

// takeItem decodes frame n of a batch, whose packet is lp (a skipped one:
// its frame fields only), and takes it (Loader.take).
func (l *Loader) takeItem(st *loadState, n int, it *loadItem, lp *loadPacket, buf []byte) {
	p := &lp.pkt
	if lp.copied {
		p.Data = buf[lp.dataAt : lp.dataAt+p.CI.CaptureLength]
	}
	first, prev := st.times(n, p.CI.Timestamp)
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
		f = &st.skipped // its fields set one by one: a Frame is big to clear
		f.Number, f.Time, f.Len, f.CapLen, f.Source, f.Proto = n, p.CI.Timestamp, p.CI.Length, p.CI.CaptureLength, p.Source, "Frame"
	}
	var text *columns
	switch {
	case it.kind == 0 || !it.skip && p.CI.Length != p.CI.CaptureLength:
		// Its columns depend on the frames before it, or it was cut
		// short (a row by reference has no length of its own).
		info := f.Info
		if it.hasSeq {
			info = withSeq(info, it.aux)
		}
		text = frameColumns(f, info)
	case p.Offset == 0:
		text = l.rows.sum.textOf(&feed.Row{Number: n, Time: f.Time, Length: f.Len, Source: f.Source}, p, it.kind, it.aux)
	}
	l.take(st, f, it.skip, text, feed.Ref{Kind: it.kind, Offset: p.Offset, CapLen: p.CI.CaptureLength, Link: uint16(p.LinkType), Aux: it.aux})
}
