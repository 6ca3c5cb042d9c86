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
	err     error
	adapter *timeline.Adapter
	tr      *timeline.Tracker
	last    time.Time
	loss    engine.StreamLoss // what the TCP streams lost, once Run ended
}

// StreamLoss is what the TCP streams of the run lost (engine.StreamLoss),
// known once Run has returned.
func (t *Timeline) StreamLoss() engine.StreamLoss { return t.loss }

// NewTimeline makes the timeline with the tracker's configuration. emit,
// when not nil, gets each event as the tracker emits it; its first error
// stops the events and is returned by Frame (and Finish).
func NewTimeline(cfg timeline.Config, emit func(timeline.Event) error) *Timeline {
	return &Timeline{cfg: cfg, emit: emit, adapter: timeline.NewAdapter()}
}

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
	if at.After(t.last) {
		t.last = at
	}
	return t.err
}

// Advance moves the tracker's clock to now with no frame (a quiet live
// capture, whose capture time is the wall clock).
func (t *Timeline) Advance(now time.Time) {
	if t.tr == nil {
		t.start(time.Time{})
	}
	t.tr.Advance(now)
}

// Finish closes what is still open at the latest frame's time (elections,
// intervals), emitting their events; it returns the first error of emit.
func (t *Timeline) Finish() error {
	if t.tr == nil {
		t.start(time.Time{})
	}
	t.tr.Finish(t.last)
	return t.err
}

// Snapshot is the tracker's state now.
func (t *Timeline) Snapshot() *timeline.Snapshot {
	if t.tr == nil {
		t.start(time.Time{})
	}
	return t.tr.Snapshot()
}
