package pipeline

import (
	"context"

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
		for i := range b.items {
			l.takeItem(&st, &b.items[i], b.buf)
		}
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
			it.kind, it.aux = l.rows.rowKind(&pkt, it.skip)
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
	case it.kind == 0:
		text = frameColumns(f, f.Info)
	case p.Offset == 0:
		text = l.rows.sum.textOf(&feed.Row{Number: it.n, Time: f.Time, Length: f.Len, Source: f.Source}, p, it.kind, it.aux)
	}
	l.take(st, f, it.skip, text, feed.Ref{Kind: it.kind, Offset: p.Offset, CapLen: p.CI.CaptureLength, Link: uint16(p.LinkType), Aux: it.aux})
}
