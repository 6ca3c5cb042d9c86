package pipeline

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/feed"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// loadState is what the loop carries from frame to frame.
type loadState struct {
	first, prev, last time.Time // capture times: of the first frame, the one before, the latest
	line              []byte
	skipped           dissect.Frame // what the loader shows the timeline of a frame no engine decoded
	rows              []pendingRow  // waiting for flush
	latest            *timeline.Snapshot
}

// times returns the capture times of the first frame and of the one
// before frame n (captured at t), and makes t the one before the next.
func (st *loadState) times(n int, t time.Time) (first, prev time.Time) {
	if n == 1 {
		st.first, st.prev = t, t
	}
	first, prev = st.first, st.prev
	st.prev = t
	return first, prev
}

// loadAll is the loop over an input that the loader cannot read back at
// an offset: every frame decoded in full, listed as text, matched by the
// display filter here.
func (l *Loader) loadAll(ctx context.Context) {
	var pkt capture.Packet
	var st loadState
	for {
		if err := l.pl.Read(ctx, &pkt); err != nil {
			l.readEnded(err)
			return
		}
		n := l.pl.Packets()
		if !l.in.Replayable {
			l.keepRaw(n, &pkt)
		}
		first, prev := st.times(n, pkt.CI.Timestamp)
		f := l.engine().DecodeNth(n, first, prev, pkt.Data, pkt.CI, pkt.LinkType, pkt.Source)
		st.line = output.AppendSummary(st.line[:0], f)
		src, dst := summaryAddrs(st.line)
		text := &columns{src: src, dst: dst, proto: output.AppendEscapedString(nil, f.Proto), info: output.AppendEscaped(nil, f.Info)}
		l.trMu.Lock()
		l.take(&st, f, false, text, feed.Ref{})
		l.trMu.Unlock()
		l.flush(&st)
	}
}

// readEnded records why reading ended (nothing at the end of the input).
func (l *Loader) readEnded(err error) {
	if !errors.Is(err, io.EOF) {
		l.mu.Lock()
		l.err = err
		l.mu.Unlock()
	}
}

// take hands a decoded frame to the watch and the timeline (only its time,
// when skipped: it carries no NBT, as --report skips it), takes the
// snapshots due, and lists the frame: as text, or by ref. The row waits
// in st until flush (the fast load flushes once a batch); the display
// filter is applied here when the load is not fast. Called with trMu
// held (the fast load holds it for a batch).
func (l *Loader) take(st *loadState, f *dissect.Frame, skipped bool, text *columns, ref feed.Ref) {
	if w := l.cfg.Watch; w != nil && w.Frame != nil {
		w.Frame(f)
	}
	if f.Time.After(st.last) {
		st.last = f.Time
	}
	if st.first.IsZero() {
		st.first = f.Time
	}
	if skipped {
		l.tl.observe(nil, f.Time)
	} else {
		l.tl.Frame(f) // emit (l.emit) does not fail
	}
	ringSnap, fresh := l.wantSnapshots(f.Number, f.Time)
	var snap *timeline.Snapshot
	if ringSnap || fresh {
		snap = l.tl.Snapshot()
	}
	if ringSnap {
		l.dirty.Store(false)
		l.ringLast, l.ringLastN = f.Time, f.Number
		l.ringSend(snap)
	}
	if snap != nil {
		st.latest = snap
	}
	if fresh {
		l.freshWall = time.Now()
		l.wantSnap.Store(false)
	}
	p := pendingRow{number: f.Number, time: f.Time, length: f.Len, source: int32(f.Source), errs: int32(len(f.Errs)), ref: ref, text: text}
	if !l.fast {
		l.mu.Lock()
		if m := l.match; m != nil && f.Number > m.from && m.f.Match(f) {
			m.new = append(m.new, int32(f.Number))
		}
		l.mu.Unlock()
	}
	st.rows = append(st.rows, p)
}

// pendingRow is a frame's row waiting for flush (the fields of its
// feed.Row: that one is four slices bigger, and there is one a frame).
type pendingRow struct {
	number, length int
	time           time.Time
	source, errs   int32
	ref            feed.Ref
	text           *columns
}

// flush lists the rows waiting in st, with the state and times that came
// with them.
func (l *Loader) flush(st *loadState) {
	l.mu.Lock()
	var r feed.Row
	for i := range st.rows {
		p := &st.rows[i]
		r = feed.Row{Number: p.number, Time: p.time, Length: p.length, Source: int(p.source), Errs: int(p.errs)}
		if p.text != nil {
			l.addRow(&r, p.text)
		} else {
			if !l.index.AddRef(&r, p.ref) {
				// Rare (a 257th input and link type, a skipped frame
				// shorter on the wire than captured): its text, read
				// back now.
				l.addRow(&r, l.rows.sum.columnsOf(&r, p.ref))
			}
		}
	}
	if l.first.IsZero() {
		l.first = st.first
	}
	l.last = st.last
	if st.latest != nil {
		l.latest = st.latest
	}
	l.mu.Unlock()
	clear(st.rows)
	st.rows, st.latest = st.rows[:0], nil
}

// The load of files that can be read back at an offset (Loader.fast) runs
// on two goroutines, as --report does: a reader reads the packets (the -w
// file, the tap), tells the frames of other traffic (engine.Skippable)
// and how each frame is listed (rowMaker), and passes them in batches, in
// order, to the loader's goroutine, which decodes the others and feeds the
// timeline and the index. Only the frames decoded are copied.
const (
	loadBatchFrames = 512
	loadBatchesLive = 4 // batches in flight
)

// loadItem is one frame of a batch.
type loadItem struct {
	n      int
	ci     capture.Packet // its Data is set from the batch's buffer when copied
	skip   bool
	copied bool // the frame's bytes are in the batch's buffer, at dataAt
	hasSeq bool // aux is the relative sequence number of a TCP segment of other traffic
	kind   uint8
	aux    uint32
	dataAt int
}

type loadBatch struct {
	items []loadItem
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
			l.takeItem(&st, &b.items[i], b.buf)
		}
		l.trMu.Unlock()
		l.flush(&st)
		last, err := b.last, b.err
		b.items, b.buf, b.err = b.items[:0], b.buf[:0], nil
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
	var pkt capture.Packet
	for {
		b := <-free
		for len(b.items) < loadBatchFrames {
			if err := l.pl.Read(ctx, &pkt); err != nil {
				b.err, b.last = err, true
				full <- b
				return
			}
			it := loadItem{n: l.pl.Packets(), ci: pkt}
			it.skip = pkt.CI.Length <= len(pkt.Data) && engine.Skippable(pkt.Data, pkt.LinkType)
			it.kind, it.aux, it.hasSeq = l.rows.rowKind(&pkt, it.skip)
			it.ci.Data = nil
			if !it.skip || pkt.Offset == 0 {
				it.copied, it.dataAt = true, len(b.buf)
				b.buf = append(b.buf, pkt.Data...)
			}
			it.ci.CI.CaptureLength = len(pkt.Data)
			b.items = append(b.items, it)
		}
		full <- b
	}
}

// takeItem decodes a frame of a batch (a skipped one: its frame fields
// only) and takes it (Loader.take).
func (l *Loader) takeItem(st *loadState, it *loadItem, buf []byte) {
	p := &it.ci
	if it.copied {
		p.Data = buf[it.dataAt : it.dataAt+p.CI.CaptureLength]
	}
	first, prev := st.times(it.n, p.CI.Timestamp)
	var f *dissect.Frame
	switch {
	case !it.skip:
		f = l.engine().DecodeNth(it.n, first, prev, p.Data, p.CI, p.LinkType, p.Source)
	case l.cfg.Watch != nil && l.cfg.Watch.Frame != nil:
		// The watch sees the frame as --report's engine makes it.
		f = l.engine().Skipped(it.n, first, prev, p.CI.CaptureLength, p.CI, p.LinkType, p.Source)
	default:
		// Only its time counts (the timeline's clock): as --report, no
		// engine sees it (DecodeNth numbers the frames after it).
		f = &st.skipped // its fields set one by one: a Frame is big to clear
		f.Number, f.Time, f.Len, f.CapLen, f.Source, f.Proto = it.n, p.CI.Timestamp, p.CI.Length, p.CI.CaptureLength, p.Source, "Frame"
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
		text = l.rows.sum.textOf(&feed.Row{Number: it.n, Time: f.Time, Length: f.Len, Source: f.Source}, p, it.kind, it.aux)
	}
	l.take(st, f, it.skip, text, feed.Ref{Kind: it.kind, Offset: p.Offset, CapLen: p.CI.CaptureLength, Link: uint16(p.LinkType), Aux: it.aux})
}
