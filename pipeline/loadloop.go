package pipeline

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
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

	// The fast load's skipped frames (skipItem): the capture time of the
	// last one, when it is the frame before the next (prevNs), and the
	// latest time of those whose time the timeline has not seen yet
	// (clock).
	prevNs       int64
	prevIsNs     bool
	clockNs      int64
	clockPending bool
}

// times returns the capture times of the first frame and of the one
// before frame n (captured at t), and makes t the one before the next.
func (st *loadState) times(n int, t time.Time) (first, prev time.Time) {
	if n == 1 {
		st.first, st.prev = t, t
	}
	if st.prevIsNs {
		st.prev, st.prevIsNs = time.Unix(0, st.prevNs).UTC(), false
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
	// The fast load asks for a fresh snapshot once a batch (loadFast).
	l.snapshotsDue(st, f.Number, f.Time, !l.fast)
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
	for i := range st.rows {
		l.addPending(&st.rows[i])
	}
	l.flushed(st)
	l.mu.Unlock()
}

// addPending lists a row waiting for flush. Called with mu held.
func (l *Loader) addPending(p *pendingRow) {
	r := feed.Row{Number: p.number, Time: p.time, Length: p.length, Source: int(p.source), Errs: int(p.errs)}
	if p.text != nil {
		l.addRow(&r, p.text)
	} else if !l.index.AddRef(&r, p.ref) {
		// Rare (a 257th input and link type, a skipped frame
		// shorter on the wire than captured): its text, read
		// back now.
		l.addRow(&r, l.rows.sum.columnsOf(&r, p.ref))
	}
}

// flushed hands the UI the state and times that came with the rows just
// listed, and empties st's rows. Called with mu held.
func (l *Loader) flushed(st *loadState) {
	if l.first.IsZero() {
		l.first = st.first
	}
	l.last = st.last
	if st.latest != nil {
		l.latest = st.latest
	}
	clear(st.rows)
	st.rows, st.latest = st.rows[:0], nil
}
