package view

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/filter"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// Input says what the UI reads: files (-r) or interfaces (-i), as the
// command line gives them.
type Input struct {
	// Files are -r specs, FILE or LABEL=FILE, merged by time; "-" (or
	// LABEL=-) reads Stdin.
	Files []string
	Stdin io.Reader
	// Ifaces are -i interfaces; Live holds the options of each (its
	// Index is set per interface).
	Ifaces []string
	Live   capture.LiveOptions
	// Count stops after that many frames (-c); 0 reads everything.
	Count int
	// Write, if set, is a pcapng file every frame read is written to (-w).
	Write string
	// Timeline configures the tracker (thresholds and bounds).
	Timeline timeline.Config
	// DisplayFilter is the frame list's filter at start (-Y). The
	// timeline sees every frame whatever the filter.
	DisplayFilter string
}

// Bounds of what the loader keeps besides the compact frame index.
const (
	maxEvents     = 200_000  // timeline events kept (the oldest half is dropped past it)
	maxSnapshots  = 512      // snapshots kept for the time cursor (thinned past it)
	maxRawBytes   = 64 << 20 // raw frames kept when the input cannot be read again (live, stdin)
	maxInfoBytes  = 512      // of the info column, per frame
	sampleMinWait = 100 * time.Millisecond
)

// frameRow is one frame in the index: what the packet list shows, with the
// variable-length columns in a shared byte arena. It is a few dozen bytes
// per frame; the decoded frame itself is not kept (see Loader.Detail).
type frameRow struct {
	time   int64 // capture time, Unix nanoseconds
	off    uint64
	number int32
	length int32
	source uint16
	srcN   uint8
	dstN   uint8
	protoN uint8
	errs   uint8 // decode errors on the frame
	infoN  uint16
}

// frameIndex is a consistent view of the index: rows and arena are
// append-only, so a copy of their headers stays valid while the loader
// goes on.
type frameIndex struct {
	rows  []frameRow
	arena []byte
	first time.Time
}

func (fi *frameIndex) Len() int { return len(fi.rows) }

// row returns the row of frame number n (1-based), or nil.
func (fi *frameIndex) row(n int) *frameRow {
	if n < 1 || n > len(fi.rows) {
		return nil
	}
	return &fi.rows[n-1]
}

func (fi *frameIndex) cols(r *frameRow) (src, dst, proto, info string) {
	a := fi.arena[r.off:]
	i := int(r.srcN)
	src = string(a[:i])
	dst = string(a[i : i+int(r.dstN)])
	i += int(r.dstN)
	proto = string(a[i : i+int(r.protoN)])
	i += int(r.protoN)
	info = string(a[i : i+int(r.infoN)])
	return
}

func (fi *frameIndex) timeOf(n int) time.Time {
	if r := fi.row(n); r != nil {
		return time.Unix(0, r.time).UTC()
	}
	return time.Time{}
}

// frameAt is the number of the last frame at or before t (0 if none).
func (fi *frameIndex) frameAt(t time.Time) int {
	ns := t.UnixNano()
	i := sort.Search(len(fi.rows), func(i int) bool { return fi.rows[i].time > ns })
	return i
}

// matchList holds the frames that pass the display filter: those up to
// From found by a replay of the capture (Old, filled while the job runs),
// those after it by the loader as they are decoded (New).
type matchList struct {
	expr   string
	f      *filter.Filter
	from   int
	old    []int32
	new    []int32
	done   bool  // the replay job has finished
	upto   int   // frames the job has checked
	jobErr error // the replay could not be done
	cancel atomic.Bool
}

// matchView is a consistent copy of a matchList for the UI.
type matchView struct {
	Expr      string
	Old, New  []int32
	From      int
	Upto      int
	Done      bool
	Err       error
	Available bool // false: no filter
}

func (m *matchView) Len() int { return len(m.Old) + len(m.New) }
func (m *matchView) At(i int) int {
	if i < len(m.Old) {
		return int(m.Old[i])
	}
	return int(m.New[i-len(m.Old)])
}

// index returns the position of frame n in the list, or of the first
// frame after it (Len if none), and whether n itself passes.
func (m *matchView) index(n int) (int, bool) {
	i := sort.Search(m.Len(), func(i int) bool { return m.At(i) >= n })
	return i, i < m.Len() && m.At(i) == n
}

// rawFrame is a frame kept whole because the input cannot be read again.
type rawFrame struct {
	number int
	pkt    capture.Packet
}

// Sample is what the UI shows: a consistent, read-only view of what the
// loader has produced so far. Taking one costs a few slice headers.
type Sample struct {
	Labels     []string
	Live       bool
	Replayable bool // frames can be decoded again from the files
	Frames     frameIndex
	Events     []timeline.Event
	Dropped    int // events dropped to bound memory (the oldest)
	Latest     *timeline.Snapshot
	snaps      []*timeline.Snapshot
	First      time.Time // capture time of the first and last frame
	Last       time.Time
	Read       int64 // bytes read from the files
	Total      int64 // their size (0 if unknown)
	Started    time.Time
	Elapsed    time.Duration // wall time of the load (set when done)
	Done       bool
	Err        error
	Warnings   []string
	Stats      capture.Stats
	Matches    matchView
	Writing    string
}

// StateAt returns the state of the timeline as it stood at t: the latest
// snapshot taken at or before t, or the latest of all when t is at or
// after it. The snapshots are taken by the loader after frames that
// changed the state (at most one per interval, which grows on long
// captures so that at most maxSnapshots are kept); a snapshot says its own
// time (Snapshot.Time), which the UI shows.
func (s *Sample) StateAt(t time.Time) *timeline.Snapshot {
	if s.Latest != nil && (t.IsZero() || !t.Before(s.Latest.Time)) {
		return s.Latest
	}
	i := sort.Search(len(s.snaps), func(i int) bool { return s.snaps[i].Time.After(t) })
	if i == 0 {
		if len(s.snaps) > 0 {
			return emptySnapshot(t)
		}
		return s.Latest
	}
	return s.snaps[i-1]
}

func emptySnapshot(t time.Time) *timeline.Snapshot { return &timeline.Snapshot{Time: t} }

// Loader reads the capture through the engine and the tracker in its own
// goroutine and keeps what the UI needs: a compact per-frame index, the
// timeline events, snapshots of the state for the time cursor, the latest
// snapshot on request, and the frames passing the display filter. The UI
// never blocks it: Sample copies slice headers under a mutex that the
// loader holds only to append.
type Loader struct {
	in         Input
	labels     []string
	live       bool
	replayable bool
	src        capture.Source
	read       atomic.Int64
	total      int64
	pw         *capture.Writer
	pwFile     *os.File

	trMu    sync.Mutex // the tracker and the adapter
	tr      *timeline.Tracker
	adapter *timeline.Adapter

	wantSnap  atomic.Bool
	freshWall time.Time // loader goroutine: when the latest snapshot was taken

	mu        sync.Mutex
	rows      []frameRow
	arena     []byte
	events    []timeline.Event
	dropped   int
	snaps     []*timeline.Snapshot
	snapEvery time.Duration
	dirty     bool
	latest    *timeline.Snapshot
	first     time.Time
	last      time.Time
	started   time.Time
	elapsed   time.Duration
	done      bool
	err       error
	warnings  []string
	match     *matchList
	raw       []*rawFrame
	rawBytes  int

	doneCh chan struct{}

	detailMu  sync.Mutex // the detail replayer
	detailRep *replayer
	detailAt  atomic.Int64 // progress of a detail replay: frames decoded
	detailTo  atomic.Int64 // and the frame wanted
}

// NewLoader opens the inputs (so that an error is reported before the UI
// starts) and returns a loader ready to Start.
func NewLoader(in Input) (*Loader, error) {
	l := &Loader{in: in, doneCh: make(chan struct{}), live: len(in.Ifaces) > 0}
	var err error
	if l.live {
		l.src, l.labels, err = openLive(in)
	} else {
		l.src, l.labels, l.total, err = openFiles(in, &l.read)
		l.replayable = true
		for _, f := range in.Files {
			if _, path := splitSpec(f); path == "-" {
				l.replayable = false
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if in.Write != "" {
		f, err := os.Create(in.Write)
		if err != nil {
			l.src.Close()
			return nil, err
		}
		l.pwFile = f
		l.pw = capture.NewPcapngWriter(f)
		for i, lb := range l.labels {
			l.pw.SetLabel(i, lb)
		}
	}
	if in.DisplayFilter != "" {
		f, err := filter.Compile(in.DisplayFilter)
		if err != nil {
			l.src.Close()
			return nil, err
		}
		l.match = &matchList{expr: in.DisplayFilter, f: f, done: true}
	}
	l.adapter = timeline.NewAdapter()
	l.tr = timeline.New(in.Timeline, l.emit)
	return l, nil
}

// Start runs the loader until the input ends, Count frames were read or
// ctx is cancelled (which also closes a live source).
func (l *Loader) Start(ctx context.Context) {
	l.mu.Lock()
	l.started = time.Now()
	l.mu.Unlock()
	if l.live {
		go func() {
			select {
			case <-ctx.Done():
				l.src.Close()
			case <-l.doneCh:
			}
		}()
		go l.liveTicker(ctx)
	}
	go l.run(ctx)
}

// Done is closed when the loader has finished.
func (l *Loader) Done() <-chan struct{} { return l.doneCh }

// Labels are the names of the inputs (the segments' prefixes).
func (l *Loader) Labels() []string { return l.labels }

// Live reports a live capture.
func (l *Loader) Live() bool { return l.live }

// Writing is the -w file, if any.
func (l *Loader) Writing() string { return l.in.Write }

func (l *Loader) emit(e timeline.Event) {
	l.mu.Lock()
	if len(l.events) >= maxEvents {
		keep := len(l.events) / 2
		ne := make([]timeline.Event, keep, maxEvents)
		copy(ne, l.events[len(l.events)-keep:])
		l.dropped += len(l.events) - keep
		l.events = ne
	}
	l.events = append(l.events, e)
	l.dirty = true
	l.mu.Unlock()
}

func (l *Loader) run(ctx context.Context) {
	defer close(l.doneCh)
	cfg := engine.DefaultConfig()
	cfg.Labels = l.labels
	eng := engine.New(cfg)
	var pkt capture.Packet
	var line []byte
	var lastTime time.Time
	for n := 0; l.in.Count == 0 || n < l.in.Count; n++ {
		if ctx.Err() != nil {
			break
		}
		err := l.src.Next(&pkt)
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			var te *capture.TruncatedError
			if errors.As(err, &te) {
				l.warn(err.Error())
				n--
				continue
			}
			if ctx.Err() == nil {
				l.mu.Lock()
				l.err = err
				l.mu.Unlock()
			}
			break
		}
		if l.pw != nil {
			if err := l.pw.WritePacket(&pkt); err != nil {
				l.warn("-w " + l.in.Write + ": " + err.Error())
				l.pw = nil
			}
		}
		if !l.replayable {
			l.keepRaw(n+1, &pkt)
		}
		f := eng.Decode(pkt.Data, pkt.CI, pkt.LinkType, pkt.Source)
		if f.Time.After(lastTime) {
			lastTime = f.Time
		}

		l.trMu.Lock()
		for _, o := range l.adapter.FromFrame(f) {
			l.tr.Observe(o)
		}
		ringSnap, fresh := l.wantSnapshots(f.Time)
		var snap *timeline.Snapshot
		if ringSnap || fresh {
			snap = l.tr.Snapshot()
		}
		l.trMu.Unlock()

		line = output.AppendSummary(line[:0], f)
		l.mu.Lock()
		l.addRow(f, line)
		if l.first.IsZero() {
			l.first = f.Time
		}
		l.last = lastTime
		if m := l.match; m != nil && f.Number > m.from && m.f.Match(f) {
			m.new = append(m.new, int32(f.Number))
		}
		if ringSnap {
			l.addSnapshot(snap)
		}
		if snap != nil {
			l.latest = snap
		}
		l.mu.Unlock()
		if fresh {
			l.freshWall = time.Now()
			l.wantSnap.Store(false)
		}
	}
	eng.Close()
	if l.pw != nil {
		if err := l.pw.Close(); err != nil {
			l.warn("-w " + l.in.Write + ": " + err.Error())
		}
		l.pwFile.Close()
	}
	l.trMu.Lock()
	l.tr.Finish(lastTime)
	snap := l.tr.Snapshot()
	l.trMu.Unlock()
	if !l.live {
		l.src.Close()
	}
	l.mu.Lock()
	l.addSnapshot(snap)
	l.latest = snap
	l.done = true
	l.elapsed = time.Since(l.started)
	l.mu.Unlock()
}

// wantSnapshots says whether to take a snapshot after the frame at t: for
// the time cursor's ring (the state changed, and the last one is old
// enough), and for the UI (it asked, and the last was long enough ago).
// Called with trMu held.
func (l *Loader) wantSnapshots(t time.Time) (ring, fresh bool) {
	l.mu.Lock()
	if l.dirty {
		n := len(l.snaps)
		ring = n == 0 || t.Sub(l.snaps[n-1].Time) >= l.snapEvery
	}
	l.mu.Unlock()
	fresh = l.wantSnap.Load() && time.Since(l.freshWall) >= sampleMinWait
	return ring, fresh
}

// addSnapshot appends to the ring, thinning it when full: every other
// snapshot goes and the interval between snapshots doubles (at least the
// span over maxSnapshots). Called with mu held.
func (l *Loader) addSnapshot(s *timeline.Snapshot) {
	l.dirty = false
	if n := len(l.snaps); n > 0 && !s.Time.After(l.snaps[n-1].Time) {
		l.snaps[n-1] = s // same moment (end of capture): replace
		return
	}
	if len(l.snaps) >= maxSnapshots {
		thin := make([]*timeline.Snapshot, 0, maxSnapshots)
		for i := 1; i < len(l.snaps); i += 2 {
			thin = append(thin, l.snaps[i])
		}
		span := l.snaps[len(l.snaps)-1].Time.Sub(l.snaps[0].Time)
		l.snapEvery = max(2*l.snapEvery, span/maxSnapshots, time.Millisecond)
		l.snaps = thin
	}
	l.snaps = append(l.snaps, s)
}

// addRow appends the frame's index row; line is its summary line (as
// output.AppendSummary prints it), from which the address columns are
// taken. Called with mu held.
func (l *Loader) addRow(f *dissect.Frame, line []byte) {
	src, dst := summaryAddrs(line)
	info := output.AppendEscaped(nil, f.Info)
	if len(info) > maxInfoBytes {
		info = info[:maxInfoBytes]
	}
	proto := output.AppendEscapedString(nil, f.Proto)
	r := frameRow{
		time:   f.Time.UnixNano(),
		off:    uint64(len(l.arena)),
		number: int32(f.Number),
		length: int32(f.Len),
		source: uint16(f.Source),
		srcN:   uint8(min(len(src), 255)),
		dstN:   uint8(min(len(dst), 255)),
		protoN: uint8(min(len(proto), 255)),
		infoN:  uint16(len(info)),
		errs:   uint8(min(len(f.Errs), 255)),
	}
	l.arena = append(l.arena, src[:r.srcN]...)
	l.arena = append(l.arena, dst[:r.dstN]...)
	l.arena = append(l.arena, proto[:r.protoN]...)
	l.arena = append(l.arena, info...)
	l.rows = append(l.rows, r)
}

// summaryAddrs cuts the source and destination columns out of a summary
// line ("    1   0.000000 198.18.1.13 → 198.18.1.255 NBNS ...").
func summaryAddrs(line []byte) (src, dst []byte) {
	s := string(line)
	i := strings.Index(s, " → ")
	if i < 0 {
		return nil, nil
	}
	left := strings.TrimRight(s[:i], " ")
	if j := strings.LastIndexByte(left, ' '); j >= 0 {
		src = line[j+1 : len(left)]
	}
	rest := line[i+len(" → "):]
	if j := strings.IndexByte(string(rest), ' '); j >= 0 {
		dst = rest[:j]
	}
	return src, dst
}

func (l *Loader) warn(s string) {
	l.mu.Lock()
	if len(l.warnings) < 16 {
		l.warnings = append(l.warnings, s)
	}
	l.mu.Unlock()
}

// keepRaw keeps a copy of a frame of a source that cannot be read again,
// the last maxRawBytes of them.
func (l *Loader) keepRaw(n int, p *capture.Packet) {
	rf := &rawFrame{number: n, pkt: *p}
	rf.pkt.Data = append([]byte(nil), p.Data...)
	l.mu.Lock()
	l.raw = append(l.raw, rf)
	l.rawBytes += len(rf.pkt.Data) + 64
	drop := 0
	for l.rawBytes > maxRawBytes && drop < len(l.raw)-1 {
		l.rawBytes -= len(l.raw[drop].pkt.Data) + 64
		drop++
	}
	l.raw = l.raw[drop:]
	l.mu.Unlock()
}

// liveTicker advances the tracker's timers by the wall clock while a live
// capture is quiet (capture time is wall time there), and serves the UI's
// requests for a snapshot when no frame comes to do it.
func (l *Loader) liveTicker(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.doneCh:
			return
		case now := <-t.C:
			l.trMu.Lock()
			l.tr.Advance(now.UTC())
			var snap *timeline.Snapshot
			if l.wantSnap.Load() {
				snap = l.tr.Snapshot()
				l.wantSnap.Store(false)
			}
			l.trMu.Unlock()
			if snap != nil {
				l.mu.Lock()
				if !l.done {
					l.latest = snap
				}
				l.mu.Unlock()
			}
		}
	}
}

// Sample returns what the loader has so far, and asks it for a fresh
// snapshot of the state for the next call.
func (l *Loader) Sample() *Sample {
	l.wantSnap.Store(true)
	l.mu.Lock()
	defer l.mu.Unlock()
	s := &Sample{
		Labels:     l.labels,
		Live:       l.live,
		Replayable: l.replayable,
		Frames:     frameIndex{rows: l.rows, arena: l.arena, first: l.first},
		Events:     l.events,
		Dropped:    l.dropped,
		Latest:     l.latest,
		snaps:      l.snaps,
		First:      l.first,
		Last:       l.last,
		Read:       l.read.Load(),
		Total:      l.total,
		Started:    l.started,
		Elapsed:    l.elapsed,
		Done:       l.done,
		Err:        l.err,
		Warnings:   l.warnings,
		Writing:    l.in.Write,
	}
	if l.src != nil {
		s.Stats = l.src.Stats()
	}
	if m := l.match; m != nil {
		s.Matches = matchView{Expr: m.expr, Old: m.old, New: m.new, From: m.from, Upto: m.upto, Done: m.done, Err: m.jobErr, Available: true}
	}
	return s
}

// SetDisplayFilter makes expr the frame list's filter ("" clears it).
// A syntax error (*filter.SyntaxError) is returned at once. Frames already
// read are filtered by replaying the capture in the background (the list
// fills as it goes); the loader filters the frames that come after.
func (l *Loader) SetDisplayFilter(expr string) error {
	if strings.TrimSpace(expr) == "" {
		l.mu.Lock()
		if l.match != nil {
			l.match.cancel.Store(true)
		}
		l.match = nil
		l.mu.Unlock()
		return nil
	}
	f, err := filter.Compile(expr)
	if err != nil {
		return err
	}
	m := &matchList{expr: expr, f: f}
	l.mu.Lock()
	if l.match != nil {
		l.match.cancel.Store(true)
	}
	m.from = len(l.rows)
	l.match = m
	l.mu.Unlock()
	if m.from == 0 {
		l.mu.Lock()
		m.done = true
		l.mu.Unlock()
		return nil
	}
	go l.filterJob(m)
	return nil
}

func (l *Loader) filterJob(m *matchList) {
	rep, err := l.newReplayer()
	if err == nil {
		defer rep.close()
		var batch []int32
		flush := func(upto int) {
			l.mu.Lock()
			m.old = append(m.old, batch...)
			m.upto = upto
			l.mu.Unlock()
			batch = batch[:0]
		}
		for !m.cancel.Load() {
			f, n, e := rep.next()
			if e != nil || n > m.from {
				err = e
				break
			}
			if m.f.Match(f) {
				batch = append(batch, int32(n))
			}
			if n%4096 == 0 {
				flush(n)
			}
		}
		flush(m.from)
	}
	l.mu.Lock()
	m.done = true
	if err != nil && !errors.Is(err, io.EOF) {
		m.jobErr = err
	}
	l.mu.Unlock()
}

// Detail decodes frame n again and renders its tree and bytes. Decoded
// frames are not kept (a capture of gigabytes would not fit), and a frame
// of a TCP stream or of a fragmented datagram needs the state the frames
// before it built, so the capture is replayed through a fresh engine up to
// n. The replayer is kept between calls: the next frame after the last one
// shown costs one decode; going back replays from the start. Progress is
// in DetailProgress. Only one Detail runs at a time.
func (l *Loader) Detail(n int) (*frameDetail, error) {
	l.detailMu.Lock()
	defer l.detailMu.Unlock()
	l.detailTo.Store(int64(n))
	if l.detailRep != nil && l.detailRep.pos >= n {
		l.detailRep.close()
		l.detailRep = nil
	}
	if l.detailRep == nil {
		rep, err := l.newReplayer()
		if err != nil {
			return nil, err
		}
		l.detailRep = rep
	}
	rep := l.detailRep
	if rep.first > n {
		return nil, fmt.Errorf("frame %d is no longer held: a live capture keeps its last %d MiB of frames", n, maxRawBytes>>20)
	}
	for {
		f, num, err := rep.next()
		if err != nil {
			l.detailRep.close()
			l.detailRep = nil
			if errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("frame %d not found", n)
			}
			return nil, err
		}
		l.detailAt.Store(int64(num))
		if num == n {
			return newFrameDetail(f), nil
		}
	}
}

// DetailProgress is the frame a running Detail has reached and the one it
// wants.
func (l *Loader) DetailProgress() (at, want int) {
	return int(l.detailAt.Load()), int(l.detailTo.Load())
}

// replayer decodes the capture again from its start, through a fresh
// engine, one frame at a time.
type replayer struct {
	src   capture.Source
	raw   []*rawFrame
	eng   *engine.Engine
	pkt   capture.Packet
	pos   int // number of the last frame decoded
	first int // first frame it can give
	t0    time.Time
}

func (l *Loader) newReplayer() (*replayer, error) {
	cfg := engine.DefaultConfig()
	cfg.Labels = l.labels
	r := &replayer{eng: engine.New(cfg), first: 1}
	if l.replayable {
		src, _, _, err := openFiles(l.in, nil)
		if err != nil {
			return nil, err
		}
		r.src = src
		return r, nil
	}
	l.mu.Lock()
	r.raw = l.raw
	r.t0 = l.first
	l.mu.Unlock()
	if len(r.raw) > 0 {
		r.first = r.raw[0].number
		r.pos = r.first - 1
	}
	return r, nil
}

// next decodes the next frame; the frame is valid until the next call.
func (r *replayer) next() (*dissect.Frame, int, error) {
	if r.src != nil {
		for {
			err := r.src.Next(&r.pkt)
			if err == nil {
				break
			}
			var te *capture.TruncatedError
			if errors.As(err, &te) {
				continue
			}
			return nil, r.pos, err
		}
		r.pos++
		f := r.eng.Decode(r.pkt.Data, r.pkt.CI, r.pkt.LinkType, r.pkt.Source)
		return f, r.pos, nil
	}
	i := r.pos + 1 - r.first
	if i >= len(r.raw) {
		return nil, r.pos, io.EOF
	}
	rf := r.raw[i]
	r.pos = rf.number
	f := r.eng.Decode(rf.pkt.Data, rf.pkt.CI, rf.pkt.LinkType, rf.pkt.Source)
	// The fresh engine numbers from the first frame it holds: put the
	// capture's number and relative time back in the frame's fields.
	f.Number = rf.number
	f.Rel = f.Time.Sub(r.t0)
	for i := range f.Tree.Nodes {
		switch nd := &f.Tree.Nodes[i]; nd.Field {
		case dissect.FieldFrameNumber:
			nd.U = uint64(rf.number)
		case dissect.FieldFrameTimeRel:
			nd.U = uint64(f.Rel)
		}
	}
	return f, r.pos, nil
}

func (r *replayer) close() {
	if r.src != nil {
		r.src.Close()
	}
}

// Wait blocks until the loader has finished (tests and headless use).
func (l *Loader) Wait() { <-l.doneCh }
