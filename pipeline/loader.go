package pipeline

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/feed"
	"github.com/nbtsniff/nbtsniff/filter"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// Bounds of what the Loader keeps (README, Reliability); variables only
// so that the tests can make them small.
const (
	maxEvents     = 200_000 // timeline events kept (the oldest half is dropped past it)
	maxInfoBytes  = 512     // of the info column, per frame
	sampleMinWait = 100 * time.Millisecond
)

var (
	// maxSnapshotBytes bounds the snapshots kept for the time cursor, by
	// their size (snapshotBytes): past it, every other one goes and the
	// interval between them doubles. A state of many hosts makes big
	// snapshots: a count would not bound their memory.
	maxSnapshotBytes = 32 << 20
	// maxWindowBytes bounds the frame list (feed.Index) of an input that
	// cannot be read again (live capture, standard input): past it, the
	// oldest half of the rows goes (the list shows a window of the latest
	// frames, and says so). Files keep every row: they are finite.
	maxWindowBytes = 64 << 20
	// maxRawBytes bounds the raw frames kept when the input cannot be
	// read again, to decode them again (Detail, the display filter);
	// older ones are read back from the -w file, if there is one.
	maxRawBytes = 64 << 20
)

// LoaderConfig is what a Loader reads and keeps.
type LoaderConfig struct {
	// Count stops after that many frames (-c); 0 reads everything.
	Count int
	// Write, if set, is a pcapng file every frame read is written to (-w).
	Write string
	// GiveUpTCPHoles is Config.GiveUpTCPHoles (--tcp-give-up-holes).
	GiveUpTCPHoles bool
	// Timeline configures the tracker (thresholds and bounds).
	Timeline timeline.Config
	// DisplayFilter is the frame list's filter at start (-Y). The
	// timeline sees every frame whatever the filter.
	DisplayFilter string
	// Ring makes Write a ring of files (-b); Tap sees every frame read
	// (a publisher): Config.Ring and Config.Tap, for the load only, not
	// the replays.
	Ring capture.RingOptions
	Tap  func(p *capture.Packet) error
	// Watch sees every frame decoded, and the timeline's events and
	// state (metrics, alerts, an events file).
	Watch *Watch
}

// Loader is the terminal UI's feed.Source: it runs the loop over its
// inputs in its own goroutine, the frames through the engine and the
// timeline, and keeps what the UI needs: a compact per-frame index
// (feed.Index), the timeline's events, snapshots of the state for the time
// cursor, the latest snapshot on request, and the frames passing the
// display filter. The UI never blocks it: Sample copies slice headers
// under a mutex that the loader holds only to append. Frames are decoded
// again on demand (Detail, replay.go).
type Loader struct {
	in  *Opened
	cfg LoaderConfig
	pl  *Pipeline

	trMu sync.Mutex // the timeline
	tl   *Timeline

	wantSnap  atomic.Bool
	freshWall time.Time // loader goroutine: when the latest snapshot was taken

	mu        sync.Mutex
	index     feed.Index
	events    []timeline.Event
	dropped   int
	snaps     []*timeline.Snapshot
	snapSizes []int        // snapshotBytes of each of snaps
	snapBytes int          // their sum
	snapEvery atomic.Int64 // time.Duration: the least interval between the ring's snapshots
	ringLast  time.Time    // capture time of the last snapshot taken for the ring
	ringLastN int          // and the number of its frame
	sizer     sizeWalker   // loader goroutine: sizes the ring's snapshots (ringAdd)
	dirty     atomic.Bool  // an event came since the last ring snapshot
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

	// fast: the inputs are files whose frames can be read back at their
	// offset; the loader skips other traffic and lists most frames by
	// reference (loadrows.go), and the display filter follows it in a
	// replay (filterJob). Else every frame is decoded in full and listed
	// as text, and matched here.
	fast  bool
	rows  *rowMaker
	split *splitRead // the load's second reader (loadsplit.go), if any

	doneCh chan struct{}

	detailMu  sync.Mutex // the detail replayer
	detailRep *replayer
	detailAt  atomic.Int64 // progress of a detail replay: frames decoded
	detailTo  atomic.Int64 // and the frame wanted
}

// matchList holds the frames that pass the display filter (feed.Matches).
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

// rawFrame is a frame kept whole because the input cannot be read again.
type rawFrame struct {
	number int
	pkt    capture.Packet
}

// NewLoader makes a loader over opened inputs, ready to Start: it compiles
// the display filter and creates the -w file, so that an error is reported
// before the UI starts. The loader closes the inputs.
func NewLoader(in *Opened, cfg LoaderConfig) (*Loader, error) {
	l := &Loader{in: in, cfg: cfg, doneCh: make(chan struct{})}
	var paths []string
	for _, spec := range in.in.Files {
		_, p := SplitSpec(spec)
		paths = append(paths, p)
	}
	l.fast = in.Replayable && !in.Live && seekable(paths)
	if cfg.DisplayFilter != "" {
		f, err := filter.Compile(cfg.DisplayFilter)
		if err != nil {
			in.Close()
			return nil, err
		}
		l.match = &matchList{expr: cfg.DisplayFilter, f: f, done: !l.fast}
	}
	pc := l.pipelineConfig(cfg.Count, cfg.Write)
	if l.fast && (cfg.Watch == nil || cfg.Watch.Frame == nil) {
		pc.Needs = columnNeeds
	}
	pc.Warn = func(err error) { l.warn(err.Error()) }
	pc.Ring, pc.Tap = cfg.Ring, cfg.Tap
	pl, err := New(in.Source, pc)
	if err != nil {
		in.Close()
		return nil, err
	}
	l.pl = pl
	if l.fast {
		ec := pl.engineConfig()
		l.rows = &rowMaker{seq: engine.NewSeqIndex(ec), sum: newSummarizer(paths, ec)}
		l.index.SetSummarizer(l.rows.sum)
	}
	l.tl = NewTimeline(cfg.Timeline, l.emit)
	if cfg.Watch != nil {
		l.tl.SetWatch(cfg.Watch)
	}
	return l, nil
}

// columnNeeds is what the fast load's engine builds of a frame: the
// timeline's messages and the list's columns (the info column, and the
// nodes the source and destination columns of a frame without IPv4 are
// taken from: output.AppendSummary), not the rest of the tree. The frame
// list is all that reads its frames (the display filter is a replay over
// a file, Detail decodes again); a watch of the frames gets them whole.
var columnNeeds = engine.NewNeeds(engine.Reads{Fields: []string{
	"eth.src", "eth.dst", "sll.src.eth", "ipx.src", "ipx.dst", "_ws.col.Info",
}})

// pipelineConfig is the configuration of the loader's pipelines: the load
// (count, -w) and the replays.
func (l *Loader) pipelineConfig(count int, write string) Config {
	return Config{
		Labels:         l.in.CurrentLabels(),
		Count:          count,
		Write:          write,
		Live:           l.in.Live,
		Waits:          l.in.Waits,
		GiveUpTCPHoles: l.cfg.GiveUpTCPHoles,
	}
}

// Start runs the loader until the input ends, Count frames were read or
// ctx is cancelled (which also closes a live source).
func (l *Loader) Start(ctx context.Context) {
	l.mu.Lock()
	l.started = time.Now()
	l.mu.Unlock()
	if l.in.Live {
		go l.liveTicker(ctx)
	}
	if m := l.match; m != nil && !m.done {
		go l.filterJob(m)
	}
	go l.run(ctx)
}

// Done is closed when the loader has finished.
func (l *Loader) Done() <-chan struct{} { return l.doneCh }

// Wait blocks until the loader has finished (and the -w file is complete).
func (l *Loader) Wait() { <-l.doneCh }

func (l *Loader) emit(e timeline.Event) error {
	l.mu.Lock()
	if len(l.events) >= maxEvents {
		keep := len(l.events) / 2
		ne := make([]timeline.Event, keep, maxEvents)
		copy(ne, l.events[len(l.events)-keep:])
		l.dropped += len(l.events) - keep
		l.events = ne
	}
	l.events = append(l.events, e)
	l.dirty.Store(true)
	l.mu.Unlock()
	return nil
}

func (l *Loader) run(ctx context.Context) {
	defer close(l.doneCh)
	stop := l.pl.closeOnDone(ctx)
	defer stop()
	if l.fast {
		l.loadFast(ctx)
	} else {
		l.loadAll(ctx)
	}
	if err := l.pl.Close(); err != nil {
		l.warn(err.Error())
	}
	l.trMu.Lock()
	l.tl.Finish()
	snap := l.tl.Snapshot()
	l.trMu.Unlock()
	if !l.in.Live {
		l.in.Close()
	}
	l.ringAdd(snap)
	l.mu.Lock()
	l.latest = snap
	l.done = true
	l.elapsed = time.Since(l.started)
	l.mu.Unlock()
}

// ringFrameShare bounds how often the ring takes a snapshot by frames:
// at most once per 1/ringFrameShare of the frames read so far (so not
// at all below ringFrameShare frames). A snapshot copies the whole state
// (about half a millisecond with a few thousand hosts and names), and a
// big capture has many frames that change it: a 1 GB one took some 500
// in its NBT part; the cursor's resolution stays a 4096th of the
// capture. Deterministic (frame numbers, not timing).
const ringFrameShare = 4096

// ringDue says whether to take a snapshot for the time cursor's ring
// after frame n, at t: the state changed, the last one is old enough and
// not within the last 1/ringFrameShare of the frames. Called with trMu
// held.
func (l *Loader) ringDue(n int, t time.Time) bool {
	if !l.dirty.Load() || n-l.ringLastN < n/ringFrameShare {
		return false
	}
	return l.ringLast.IsZero() || t.Sub(l.ringLast) >= time.Duration(l.snapEvery.Load())
}

// freshDue says whether to take a snapshot for the UI: it asked, and the
// last was long enough ago.
func (l *Loader) freshDue() bool {
	return l.wantSnap.Load() && time.Since(l.freshWall) >= sampleMinWait
}

// snapshotsDue takes the snapshots due after frame n, at t: for the ring
// (ringDue), and for the UI if fresh and freshDue. Called with trMu held.
func (l *Loader) snapshotsDue(st *loadState, n int, t time.Time, fresh bool) {
	ring := l.ringDue(n, t)
	fresh = fresh && l.freshDue()
	if !ring && !fresh {
		return
	}
	snap := l.tl.Snapshot()
	st.latest = snap
	if ring {
		l.dirty.Store(false)
		l.ringLast, l.ringLastN = t, n
		l.ringAdd(snap)
	}
	if fresh {
		l.freshWall = time.Now()
		l.wantSnap.Store(false)
	}
}

// ringAdd sizes a snapshot taken for the ring and adds it (loader
// goroutine). The size decides the ring's thinning, and so whether the
// next snapshot is due: sized here, before the next frame, the ring is
// the same whatever the timing. (Sized by reflection, some 1.1 ms a
// snapshot of the 1 GB mix, it was sized on a goroutine of its own, which
// the loader waited for before deciding on the next one: 30-50 waits of
// the 53 snapshots, 20-60 ms a load, on 2 cores busy with the reader,
// the decoder and the loader. By the plans of sizeWalker, 0.14 ms.)
func (l *Loader) ringAdd(s *timeline.Snapshot) {
	size := l.sizer.size(s)
	l.mu.Lock()
	l.addSnapshot(s, size)
	l.mu.Unlock()
}

// addSnapshot appends to the ring, thinning it while its snapshots take
// more than maxSnapshotBytes: every other snapshot goes and the interval
// between snapshots doubles. The latest is always kept. size is
// snapshotBytes(s). Called with mu held.
func (l *Loader) addSnapshot(s *timeline.Snapshot, size int) {
	if n := len(l.snaps); n > 0 && !s.Time.After(l.snaps[n-1].Time) {
		l.snapBytes += size - l.snapSizes[n-1]
		l.snaps[n-1], l.snapSizes[n-1] = s, size // same moment (end of capture): replace
		return
	}
	for len(l.snaps) > 0 && l.snapBytes+size > maxSnapshotBytes {
		// New slices: a Sample may hold the old ones.
		thin := make([]*timeline.Snapshot, 0, len(l.snaps)/2+1)
		sizes := make([]int, 0, len(l.snaps)/2+1)
		l.snapBytes = 0
		for i := 1; i < len(l.snaps); i += 2 {
			thin, sizes = append(thin, l.snaps[i]), append(sizes, l.snapSizes[i])
			l.snapBytes += l.snapSizes[i]
		}
		span := l.snaps[len(l.snaps)-1].Time.Sub(l.snaps[0].Time)
		l.snapEvery.Store(int64(max(2*time.Duration(l.snapEvery.Load()), span/time.Duration(len(l.snaps)+1), time.Millisecond)))
		l.snaps, l.snapSizes = thin, sizes
	}
	l.snaps = append(l.snaps, s)
	l.snapSizes = append(l.snapSizes, size)
	l.snapBytes += size
}

// engine is the load's engine (the pipeline's).
func (l *Loader) engine() *engine.Engine {
	if l.pl.eng == nil {
		l.pl.eng = l.pl.newEngine(false)
	}
	return l.pl.eng
}

// addRow appends a frame's index row with its columns as text. Called
// with mu held.
func (l *Loader) addRow(r *feed.Row, c *columns) {
	r.Src, r.Dst, r.Proto, r.Info = c.src, c.dst, c.proto, c.info
	if len(r.Info) > maxInfoBytes {
		r.Info = r.Info[:maxInfoBytes]
	}
	l.index.Add(r)
	if !l.in.Replayable && l.index.Bytes() > maxWindowBytes {
		l.dropOldestRows()
	}
}

// dropOldestRows keeps the newer half of the frame list's rows, and of
// the frames passing the display filter those still listed (new slices:
// a Sample may hold the old ones). Called with mu held.
func (l *Loader) dropOldestRows() {
	l.index = l.index.DropOldest((l.index.Len() - l.index.Oldest() + 1) / 2)
	if m := l.match; m != nil {
		oldest := int32(l.index.Oldest())
		keep := func(v []int32) []int32 {
			i := 0
			for i < len(v) && v[i] < oldest {
				i++
			}
			return append([]int32(nil), v[i:]...)
		}
		m.old, m.new = keep(m.old), keep(m.new)
	}
}

// summaryAddrs cuts the source and destination columns out of a summary
// line ("    1   0.000000 198.18.1.13 → 198.18.1.255 NBNS ...").
func summaryAddrs(line []byte) (src, dst []byte) {
	i := bytes.Index(line, summaryArrow)
	if i < 0 {
		return nil, nil
	}
	left := bytes.TrimRight(line[:i], " ")
	if j := bytes.LastIndexByte(left, ' '); j >= 0 {
		src = line[j+1 : len(left)]
	}
	rest := line[i+len(summaryArrow):]
	if j := bytes.IndexByte(rest, ' '); j >= 0 {
		dst = rest[:j]
	}
	return src, dst
}

var summaryArrow = []byte(" → ")

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
// capture is quiet (capture time is wall time there; not for a Feed,
// whose frames may come from the past), and serves the UI's requests for
// a snapshot when no frame comes to do it.
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
			if l.in.WallClock {
				l.tl.Advance(now.UTC())
			}
			var snap *timeline.Snapshot
			if l.wantSnap.Load() {
				snap = l.tl.Snapshot()
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
func (l *Loader) Sample() *feed.Sample {
	l.wantSnap.Store(true)
	st := l.in.Source.Stats()
	labels, status := l.in.CurrentLabels(), l.in.Status()
	l.mu.Lock()
	defer l.mu.Unlock()
	s := &feed.Sample{
		Labels:     labels,
		Live:       l.in.Live,
		Replayable: l.in.Replayable,
		Frames:     l.index,
		Events:     l.events,
		Dropped:    l.dropped,
		Latest:     l.latest,
		Snapshots:  l.snaps,
		First:      l.first,
		Last:       l.last,
		Read:       l.in.Read(),
		Total:      l.in.Size,
		Started:    l.started,
		Elapsed:    l.elapsed,
		Done:       l.done,
		Err:        l.err,
		Warnings:   l.warnings,
		Stats:      feed.Stats{Received: st.Received, Dropped: st.Dropped, IfDropped: st.IfDropped},
		Writing:    l.cfg.Write,
	}
	if status != "" {
		// What holds a feed back (a late segment) is the status line's
		// last warning while it lasts.
		s.Warnings = append(s.Warnings[:len(s.Warnings):len(s.Warnings)], status)
	}
	if m := l.match; m != nil {
		s.Matches = feed.Matches{Expr: m.expr, Old: m.old, New: m.new, From: m.from, Upto: m.upto, Done: m.done, Err: m.jobErr, Available: true}
	}
	return s
}
