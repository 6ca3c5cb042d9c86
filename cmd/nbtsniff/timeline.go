package main

import (
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"time"

	"github.com/nbtsniff/nbtsniff/lmhosts"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/pipeline"
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

// timelineSink prints the pipeline's timeline: its events (-T events) as
// they happen, or the report (--report) at the end.
type timelineSink struct {
	w      io.Writer
	tl     *pipeline.Timeline
	report string
	buf    []byte
	flush  func() error // after each event (-l), or nil
	// interrupted: the run was interrupted after that many frames (the
	// report says so).
	interrupted   bool
	interruptedAt int
	why           []string
	lmhosts       *lmhosts.File // --lmhosts, read before the capture
	lmhostsPath   string
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
	if at.set && !at.abs.IsZero() {
		cfg.At = at.abs
	}
	s := &timelineSink{w: w, report: o.report, why: o.why}
	if o.lmhosts != "" {
		if s.lmhosts, err = readLMHosts(o.lmhosts); err != nil {
			return nil, err
		}
		s.lmhostsPath = o.lmhosts
	}
	var emit func(timeline.Event) error
	if o.format == "events" {
		emit = s.emit
	}
	s.tl = pipeline.NewTimeline(cfg, emit)
	if at.set && at.abs.IsZero() {
		s.tl.AtAfterStart(at.rel)
	}
	return s, nil
}

func (s *timelineSink) emit(e timeline.Event) error {
	s.buf = output.AppendEvent(s.buf[:0], &e)
	s.buf = append(s.buf, '\n')
	_, err := s.w.Write(s.buf)
	if err == nil && s.flush != nil {
		err = s.flush()
	}
	return err
}

// Close ends the timeline at the last frame and prints the report.
func (s *timelineSink) Close() error {
	if err := s.tl.Finish(); err != nil {
		return err
	}
	if s.report == "" {
		return nil
	}
	endGC()
	snap := s.tl.FinalSnapshot() // the run is over: nothing observes after it
	l := s.tl.StreamLoss()
	opt := output.ReportOptions{Interrupted: s.interrupted, InterruptedAt: s.interruptedAt, Predict: true,
		Streams: &output.StreamLoss{Gaps: l.Gaps, Lost: l.Lost, Skipped: l.Skipped, Truncated: l.Truncated, Refused: l.Refused}}
	var labels map[netip.Addr]string
	if s.lmhosts != nil {
		opt.LMHosts = lmhostsReport(s.lmhostsPath, s.lmhosts, snap)
		labels = opt.LMHosts.Labels
	}
	for _, h := range s.why {
		opt.Why = append(opt.Why, timeline.Explain(snap, h, labels))
	}
	if s.report == "json" {
		return output.WriteReportJSONWith(s.w, snap, opt)
	}
	return output.WriteReportWith(s.w, snap, opt)
}

// readLMHosts reads an LMHOSTS file for --lmhosts.
func readLMHosts(path string) (*lmhosts.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--lmhosts: %v", err)
	}
	defer f.Close()
	lf, err := lmhosts.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("--lmhosts %s: %v", path, err)
	}
	return lf, nil
}

// lmhostsReport checks the file against the state and copies it, with its
// findings, into what the report prints.
func lmhostsReport(path string, f *lmhosts.File, snap *timeline.Snapshot) *output.LMHostsReport {
	r := &output.LMHostsReport{Path: path, Entries: len(f.Entries), Labels: f.Labels(), NotesDropped: f.NotesDropped}
	for _, n := range f.Notes {
		r.Notes = append(r.Notes, output.LMHostsNote{Line: n.Line, Text: n.Text})
	}
	for _, x := range lmhosts.Check(f, snap) {
		r.Findings = append(r.Findings, output.LMHostsFinding{Kind: x.Kind.String(), Line: x.Line, Name: x.Name, Addr: x.Addr,
			WireAddr: x.WireAddr, Segment: x.Segment, Frames: x.Frames, Text: x.Text})
	}
	return r
}

// wantsTimeline says whether the flags ask for the timeline.
func wantsTimeline(o *options) bool {
	return o.format == "events" || o.report != ""
}
