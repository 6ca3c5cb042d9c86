package pipeline

import (
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/feed"
)

// The fast load's frames of other traffic (loadfast.go): those that
// nothing but the list and the timeline's clock reads come to the loader
// in stretches of frames that follow each other in their file (a pcap
// record header apart, same input and link type), a feed.RefFrame each:
// the reader writes 16 bytes a frame, the loader moves the timeline's
// clock over a stretch in one pass over its times, and lists it in one
// call (feed.Index.AddRefs) that writes the index's 12-byte cells.

// pcapRecordHeader is the size of a pcap record's header: the data of a
// record follow those of the one before by that.
const pcapRecordHeader = 16

// stretch is the stretch of frames skipped that the reader adds to: the
// last item of the batch, when on.
type stretch struct {
	at   int   // its item
	on   bool  // there is one
	next int64 // the offset of the frame that would follow it
}

// add adds the frame p, skipped and listed by reference (kind, aux), to
// the stretch of batch b, or a new stretch at the end of b; false if a
// RefFrame cannot hold it (its length on the wire is not its captured
// length, or it is too long), and the stretch ends.
func (s *stretch) add(b *loadBatch, p *capture.Packet, kind uint8, aux uint32) bool {
	if p.CI.Length != len(p.Data) {
		s.on = false
		return false
	}
	rf, ok := feed.MakeRefFrame(p.CI.Timestamp.UnixNano(), len(p.Data), kind, aux)
	if !ok {
		s.on = false
		return false
	}
	if !s.on || p.Offset != s.next || b.items[s.at].source != int32(p.Source) || b.items[s.at].link != uint16(p.LinkType) {
		s.at, s.on = len(b.items), true
		b.items = append(b.items, loadItem{offset: p.Offset, source: int32(p.Source), link: uint16(p.LinkType), pkt: -1, refAt: int32(len(b.refs)), skip: true})
	}
	b.refs = append(b.refs, rf)
	b.items[s.at].frames++
	s.next = p.Offset + int64(len(p.Data)) + pcapRecordHeader
	return true
}

// skipStretch takes the frames of a stretch, numbered from n on, as
// skipItem takes each: while no snapshot can be due after one of them
// (the timeline started, its state unchanged since the ring's last
// snapshot: only the loader's goroutine changes it, and only with the
// clock or a frame decoded), all that changes is the time of the frame
// before the next and the clock's pending time, worked out in one pass.
// Called with trMu held.
func (l *Loader) skipStretch(st *loadState, n int, refs []feed.RefFrame) {
	j := 0
	for ; j < len(refs) && (n+j == 1 || !l.tl.started() || l.dirty.Load()); j++ {
		l.skipItem(st, n+j, refs[j].Time)
	}
	if j == len(refs) {
		return
	}
	ns, pending := st.clockNs, st.clockPending
	for i := j; i < len(refs); i++ {
		if t := refs[i].Time; !pending || t > ns {
			ns, pending = t, true
		}
	}
	st.clockNs, st.clockPending = ns, pending
	st.prevNs, st.prevIsNs = refs[len(refs)-1].Time, true
}

// skipItem takes frame n, of other traffic, captured at unixNano,
// skipped and listed by reference from its item alone: its time is the
// one before the next frame's and moves the timeline's clock (at the
// latest with the next frame decoded, snapshot or batch end: clock); the
// ring's snapshot is taken after it if due. Called with trMu held.
func (l *Loader) skipItem(st *loadState, n int, unixNano int64) {
	if n == 1 {
		st.first = time.Unix(0, unixNano).UTC()
	}
	st.prevNs, st.prevIsNs = unixNano, true
	if !st.clockPending || unixNano > st.clockNs {
		st.clockNs, st.clockPending = unixNano, true
	}
	if !l.tl.started() {
		l.clock(st) // the timeline starts at its first frame's time
	}
	if l.dirty.Load() {
		if t := time.Unix(0, unixNano).UTC(); l.ringDue(n, t) {
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

// flushBatch lists the frames of a batch: the stretches skipped from
// their RefFrames, the other frames skipped from their items, the others
// from the rows take left in st, in frame order.
func (l *Loader) flushBatch(st *loadState, b *loadBatch) {
	l.mu.Lock()
	next, n := 0, b.first
	for i := range b.items {
		it := &b.items[i]
		switch {
		case it.frames > 0:
			refs := b.refs[it.refAt : it.refAt+it.frames]
			if l.index.AddRefs(int(it.source), it.link, it.offset, refs) < len(refs) {
				l.addStretchRows(n, it, refs)
			}
			n += int(it.frames)
			continue
		case it.pkt >= 0:
			l.addPending(&st.rows[next])
			next++
		default:
			ref := feed.Ref{Kind: it.kind, Offset: it.offset, CapLen: int(it.capLen), Link: it.link, Aux: it.aux}
			if !l.index.AddRefAt(it.time, int(it.length), int(it.source), ref) {
				l.addPending(&pendingRow{number: n, time: time.Unix(0, it.time).UTC(), length: int(it.length), source: it.source, ref: ref})
			}
		}
		n++
	}
	l.flushed(st)
	l.mu.Unlock()
}

// addStretchRows lists the frames of a stretch that the index would not
// take by reference (a 257th pair of input and link type) a row at a
// time, numbered from n on. Called with mu held.
func (l *Loader) addStretchRows(n int, it *loadItem, refs []feed.RefFrame) {
	off := it.offset
	for i := range refs {
		f := &refs[i]
		ref := feed.Ref{Kind: f.Kind(), Offset: off, CapLen: f.CapLen(), Link: it.link, Aux: f.Aux}
		l.addPending(&pendingRow{number: n + i, time: time.Unix(0, f.Time).UTC(), length: f.CapLen(), source: it.source, ref: ref})
		off += int64(f.CapLen()) + pcapRecordHeader
	}
}
