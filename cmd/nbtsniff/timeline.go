package main

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// timelineConfig turns the flags into the tracker's configuration.
func timelineConfig(o *options) (timeline.Config, error) {
	cfg := timeline.DefaultConfig()
	if o.timelineOpts.stormCount > 0 {
		cfg.StormCount = o.timelineOpts.stormCount
	}
	var err error
	if cfg.StormWindow, err = time.ParseDuration(o.timelineOpts.stormWindow); err != nil {
		return cfg, fmt.Errorf("--storm-window: %v", err)
	}
	if cfg.ElectionTimeout, err = time.ParseDuration(o.timelineOpts.electionMax); err != nil {
		return cfg, fmt.Errorf("--election-timeout: %v", err)
	}
	return cfg, nil
}

// atTime is the --at value: an absolute RFC 3339 time, or seconds (or a Go
// duration) since the first frame, resolved when the first frame is seen.
type atTime struct {
	abs time.Time
	rel time.Duration
	set bool
}

func parseAt(s string) (atTime, error) {
	if s == "" {
		return atTime{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return atTime{abs: t, set: true}, nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 {
		return atTime{rel: time.Duration(f * float64(time.Second)), set: true}, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return atTime{rel: d, set: true}, nil
	}
	return atTime{}, fmt.Errorf("--at %q: give an RFC 3339 time (2026-11-22T00:47:13Z) or seconds since the first frame (23.5)", s)
}

// timelineSink feeds decoded frames to the tracker and prints events
// (-T events) as they happen, or the report (--report) at the end.
type timelineSink struct {
	w       io.Writer
	cfg     timeline.Config
	at      atTime
	adapter *timeline.Adapter
	tr      *timeline.Tracker
	events  bool
	report  string
	last    time.Time
	buf     []byte
	err     error
}

func newTimelineSink(o *options, w io.Writer) (*timelineSink, error) {
	cfg, err := timelineConfig(o)
	if err != nil {
		return nil, err
	}
	at, err := parseAt(o.at)
	if err != nil {
		return nil, err
	}
	s := &timelineSink{w: w, cfg: cfg, at: at, adapter: timeline.NewAdapter(), events: o.format == "events", report: o.report}
	return s, nil
}

func (s *timelineSink) start(first time.Time) {
	if s.at.set {
		if s.at.abs.IsZero() {
			s.cfg.At = first.Add(s.at.rel)
		} else {
			s.cfg.At = s.at.abs
		}
	}
	var emit func(timeline.Event)
	if s.events {
		emit = s.emit
	}
	s.tr = timeline.New(s.cfg, emit)
}

func (s *timelineSink) emit(e timeline.Event) {
	if s.err != nil {
		return
	}
	s.buf = output.AppendEvent(s.buf[:0], &e)
	s.buf = append(s.buf, '\n')
	_, s.err = s.w.Write(s.buf)
}

func (s *timelineSink) Frame(f *dissect.Frame) error {
	return s.observe(s.adapter.FromFrame(f), f.Time)
}

// observe feeds the observations of a frame captured at t to the tracker.
func (s *timelineSink) observe(obs []timeline.Observation, t time.Time) error {
	if s.tr == nil {
		s.start(t)
	}
	for _, o := range obs {
		s.tr.Observe(o)
	}
	if t.After(s.last) {
		s.last = t
	}
	return s.err
}

func (s *timelineSink) Close() error {
	if s.tr == nil {
		s.start(time.Time{})
	}
	s.tr.Finish(s.last)
	if s.err != nil {
		return s.err
	}
	switch s.report {
	case "text":
		return output.WriteReport(s.w, s.tr.Snapshot())
	case "json":
		return output.WriteReportJSON(s.w, s.tr.Snapshot())
	}
	return nil
}

// wantsTimeline says whether the flags ask for the timeline.
func wantsTimeline(o *options) bool {
	return o.format == "events" || o.report != ""
}
