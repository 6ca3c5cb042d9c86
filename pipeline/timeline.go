package pipeline

import (
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// Timeline is the timeline's end of the loop: an adapter
// (timeline.Adapter) turns each decoded frame into observations, and the
// tracker (timeline.Tracker) takes them in frame order, keeps the state
// and emits events. The tracker is made at the first frame, so that a
// moment given relative to it (AtAfterStart) can be resolved. Run feeds a
// Timeline from its engines; the Loader from its own loop. A Timeline is
// not safe for concurrent use.
type Timeline struct {
	cfg     timeline.Config
	atRel   time.Duration
	atSet   bool
	emit    func(timeline.Event) error
	watch   *Watch
	err     error
	adapter *timeline.Adapter
	// sessions: the names of the NBSS sessions for the adapters of a
	// parallel run's engines (timeline.Adapter.ShareSessions).
	sessions timeline.SessionBook
	tr       *timeline.Tracker
	last     time.Time
	// lastSec and lastNsec are last's timeKey: observe compares each
	// frame's time with them, not with last's (taken apart each time).
	lastSec  int64
	lastNsec int
	loss     engine.StreamLoss // what the TCP streams lost, once Run ended
}

// StreamLoss is what the TCP streams of the run lost (engine.StreamLoss),
// known once Run has returned.
func (t *Timeline) StreamLoss() engine.StreamLoss { return t.loss }

// NewTimeline makes the timeline with the tracker's configuration. emit,
// when not nil, gets each event as the tracker emits it; its first error
// stops the events and is returned by Frame (and Finish).
func NewTimeline(cfg timeline.Config, emit func(timeline.Event) error) *Timeline {
	t := &Timeline{cfg: cfg, emit: emit, adapter: timeline.NewAdapter()}
	t.lastSec, t.lastNsec = timeKey(t.last) // of the zero Time: before any capture time
	return t
}

// Watch is what a monitor (metrics, alerts, an events file) is told by
// the frame loop: the frames, and the events and state of a timeline
// (Timeline.SetWatch). Any field may be nil.
type Watch struct {
	// Frame sees every frame decoded, before the display filter. It may
	// be called from several goroutines at once (the engines of a
	// parallel run), in no particular order.
	Frame func(f *dissect.Frame)
	// Event sees each event of the timeline as it is emitted, before the
	// output's emit function.
	Event func(e *timeline.Event)
	// StateDue is asked after each frame the timeline takes, with its
	// capture time, and after each Advance; when it says yes, State gets
	// the timeline's snapshot. State also gets the last state, after
	// Finish. Both are called from the timeline's goroutine.
	StateDue func(t time.Time) bool
	State    func(s *timeline.Snapshot)
}

// SetWatch makes w see the timeline's events and state (not its frames:
// Sinks.Watch and LoaderConfig.Watch hand those). Call it before the
// first frame.
func (t *Timeline) SetWatch(w *Watch) { t.watch = w }

// AtAfterStart makes the moment whose state the report shows
// (timeline.Config.At) d after the first frame.
func (t *Timeline) AtAfterStart(d time.Duration) { t.atRel, t.atSet = d, true }

func (t *Timeline) start(first time.Time) {
	if t.atSet {
		t.cfg.At = first.Add(t.atRel)
	}
	var emit func(timeline.Event)
	if t.emit != nil {
		emit = func(e timeline.Event) {
			if t.err == nil {
				t.err = t.emit(e)
			}
		}
	}
	if w := t.watch; w != nil && w.Event != nil {
		out := emit
		emit = func(e timeline.Event) {
			w.Event(&e)
			if out != nil {
				out(e)
			}
		}
	}
	t.tr = timeline.New(t.cfg, emit)
}

// Frame feeds a decoded frame to the tracker. It returns the first error
// of emit.
func (t *Timeline) Frame(f *dissect.Frame) error {
	return t.observe(t.adapter.FromFrame(f), f.Time)
}

// observe feeds the observations of a frame captured at at to the tracker.
func (t *Timeline) observe(obs []timeline.Observation, at time.Time) error {
	if t.tr == nil {
		t.start(at)
	}
	for _, o := range obs {
		t.tr.Observe(o)
	}
	if as, an := timeKey(at); keyBefore(t.lastSec, t.lastNsec, as, an) { // at.After(t.last), inlined
		t.last, t.lastSec, t.lastNsec = at, as, an
	}
	if t.watch != nil {
		t.stateDue(at)
	}
	return t.err
}

// stateDue hands the state to the watch if it wants it at t.
func (t *Timeline) stateDue(at time.Time) {
	if w := t.watch; w != nil && w.StateDue != nil && w.State != nil && w.StateDue(at) {
		w.State(t.tr.Snapshot())
	}
}

// Advance moves the tracker's clock to now with no frame (a quiet live
// capture, whose capture time is the wall clock).
func (t *Timeline) Advance(now time.Time) {
	if t.tr == nil {
		t.start(time.Time{})
	}
	t.tr.Advance(now)
	t.stateDue(now)
}

// Finish closes what is still open at the latest frame's time (elections,
// intervals), emitting their events; it returns the first error of emit.
func (t *Timeline) Finish() error {
	if t.tr == nil {
		t.start(time.Time{})
	}
	t.tr.Finish(t.last)
	if w := t.watch; w != nil && w.State != nil {
		w.State(t.tr.Snapshot())
	}
	return t.err
}

// Snapshot is the tracker's state now.
func (t *Timeline) Snapshot() *timeline.Snapshot {
	if t.tr == nil {
		t.start(time.Time{})
	}
	return t.tr.Snapshot()
}

// FinalSnapshot is Snapshot at the end of a run: the timeline must not be
// used after it (timeline.Tracker.FinalSnapshot: the Browse Lists are
// handed over, not copied).
func (t *Timeline) FinalSnapshot() *timeline.Snapshot {
	if t.tr == nil {
		t.start(time.Time{})
	}
	return t.tr.FinalSnapshot()
}

// timeKey is t's seconds and nanoseconds: keyBefore of two keys is
// Before of their times, for capture times, which carry no monotonic
// clock reading (time.Unix makes them). time.Time's Before and After are
// calls (too large to inline), made for every frame here. (Of times that
// both carry a monotonic reading, Before compares those instead: the same
// order unless the wall clock was set between them.)
func timeKey(t time.Time) (sec int64, nsec int) { return t.Unix(), t.Nanosecond() }

// keyBefore reports whether key (as, an) is before key (bs, bn).
func keyBefore(as int64, an int, bs int64, bn int) bool { return as < bs || as == bs && an < bn }
