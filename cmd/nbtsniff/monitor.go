package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nbtsniff/nbtsniff/alert"
	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/metrics"
	"github.com/nbtsniff/nbtsniff/natsfeed"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/pipeline"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// syslogLocal is --syslog's value when given alone: the local syslog.
const syslogLocal = "local"

// check checks the flags of unattended runs against each other and the
// rest of the command line.
func (m *monitorFlags) check(o *options) error {
	if m.subscribe != "" {
		if len(o.reads) > 0 || len(o.ifaces) > 0 {
			return errors.New("--subscribe reads the frames from NATS: it cannot be combined with -r or -i")
		}
		if m.publish != "" {
			return errors.New("--subscribe and --publish cannot be combined")
		}
		if o.bpf != "" {
			return errors.New("-f is a capture filter for -i; use -Y to filter frames read with --subscribe")
		}
		if _, err := natsfeed.FilterSubject(m.segments); err != nil {
			return fmt.Errorf("--segments: %v", err)
		}
	} else {
		for _, f := range []struct {
			name string
			set  bool
		}{{"--segments", m.segments != ""}, {"--max-lag", m.maxLag != 0}, {"--batch", m.batch}} {
			if f.set {
				return fmt.Errorf("%s needs --subscribe", f.name)
			}
		}
	}
	if m.maxLag < 0 {
		return errors.New("--max-lag must not be negative")
	}
	if m.publish != "" && m.segment == "" {
		return errors.New("--publish needs --segment SITE/NAME (the segment the frames were captured on)")
	}
	if m.segment != "" {
		if m.publish == "" {
			return errors.New("--segment needs --publish")
		}
		if _, err := natsfeed.ParseSegment(m.segment); err != nil {
			return fmt.Errorf("--segment: %v", err)
		}
	}
	if m.realtime && len(o.reads) == 0 {
		return errors.New("--realtime needs -r (a live capture is paced by the network)")
	}
	if len(m.ring) > 0 {
		ro, err := capture.ParseRing(m.ring)
		if err != nil {
			return fmt.Errorf("-b: %v", err)
		}
		if o.write == "" && m.eventsFile == "" {
			return errors.New("-b needs -w FILE or --events-file FILE to rotate")
		}
		if !ro.Active() {
			return errors.New("-b needs filesize, duration or packets to rotate on")
		}
	}
	if m.failOn != "" {
		if _, err := alert.ParseFailOn(m.failOn, alert.AnomalyKinds()); err != nil {
			return fmt.Errorf("--fail-on: %v", err)
		}
	}
	if m.syslog != "" {
		if _, _, err := syslogTarget(m.syslog); err != nil {
			return err
		}
	}
	return nil
}

// syslogTarget parses --syslog's value into log/syslog's network and
// address ("" and "" for the local syslog).
func syslogTarget(v string) (network, addr string, err error) {
	if v == syslogLocal {
		return "", "", nil
	}
	network, addr, ok := strings.Cut(v, ":")
	if !ok || addr == "" || !slices.Contains([]string{"unixgram", "unix", "udp", "tcp"}, network) {
		return "", "", fmt.Errorf("--syslog=%s: give --syslog alone for the local syslog, or unixgram:PATH, unix:PATH, udp:HOST:PORT or tcp:HOST:PORT", v)
	}
	return network, addr, nil
}

// monitor watches a run besides its output: Prometheus metrics
// (--metrics), alerts (--fail-on, --on-alert, --syslog) and the events
// file (--events-file). Its Watch is handed to the frame loop; close ends
// it when the output is written.
type monitor struct {
	stderr io.Writer
	live   bool // frames come as they are captured: capture lag means something

	mc     *metrics.Collector
	srv    *metrics.Server
	failOn *alert.Matcher
	sinks  []*alert.Dispatcher
	syslog *alert.Syslog
	events *eventsFile

	in      *pipeline.Opened
	lagMu   sync.Mutex
	lag     []time.Duration // by Packet.Source: wall time minus capture time of its last frame
	stop    chan struct{}
	stopped sync.WaitGroup
}

// wanted says whether the flags ask for a monitor.
func (m *monitorFlags) wanted() bool {
	return m.metrics != "" || m.failOn != "" || m.onAlert != "" || m.syslog != "" || m.eventsFile != ""
}

// openMonitor sets up what the flags ask for, or returns nil when they ask
// for nothing: the metrics server listens and the syslog is dialled now,
// so that a bad address fails before the capture starts.
func openMonitor(o *options, in *pipeline.Opened, stderr io.Writer) (*monitor, error) {
	f := &o.monitorOpts
	if !f.wanted() {
		return nil, nil
	}
	m := &monitor{stderr: stderr, live: in.Live, in: in, stop: make(chan struct{})}
	fail := func(err error) (*monitor, error) {
		m.abort()
		return nil, err
	}
	if f.metrics != "" {
		m.mc = metrics.New(metrics.Options{})
		srv, err := m.mc.Serve(f.metrics)
		if err != nil {
			return fail(fmt.Errorf("--metrics: %v", err))
		}
		m.srv = srv
		if _, port, _ := net.SplitHostPort(f.metrics); port == "0" {
			fmt.Fprintf(stderr, "nbtsniff: --metrics: serving http://%s/metrics\n", srv.Addr())
		}
	}
	if f.failOn != "" {
		var err error
		if m.failOn, err = alert.ParseFailOn(f.failOn, alert.AnomalyKinds()); err != nil {
			return fail(fmt.Errorf("--fail-on: %v", err))
		}
	}
	if f.onAlert != "" {
		opt := alert.DefaultOptions()
		opt.OnOutcome = m.report("--on-alert")
		m.sinks = append(m.sinks, alert.NewDispatcher(alert.NewCommand(f.onAlert), opt))
	}
	if f.syslog != "" {
		network, addr, err := syslogTarget(f.syslog)
		if err == nil {
			m.syslog, err = alert.DialSyslog(network, addr, "nbtsniff")
		}
		if err != nil {
			return fail(fmt.Errorf("--syslog: %v", err))
		}
		opt := alert.DefaultOptions()
		opt.Every = 0 // the syslog takes every alert the window lets through
		opt.OnOutcome = m.report("--syslog")
		m.sinks = append(m.sinks, alert.NewDispatcher(m.syslog, opt))
	}
	if f.eventsFile != "" {
		ro, _ := capture.ParseRing(f.ring) // checked with the flags
		ev, err := openEventsFile(f.eventsFile, ro, in.Live)
		if err != nil {
			return fail(fmt.Errorf("--events-file: %v", err))
		}
		m.events = ev
	}
	return m, nil
}

// report is an alert dispatcher's OnOutcome: every outcome is counted in
// the metrics, and what went wrong is said on standard error.
func (m *monitor) report(sink string) func(*alert.Alert, alert.Outcome, error) {
	return func(a *alert.Alert, oc alert.Outcome, err error) {
		if m.mc != nil {
			m.mc.AlertOutcome(sink, oc.String())
		}
		switch oc {
		case alert.Failed, alert.TimedOut, alert.QueueFull:
			msg := fmt.Sprintf("nbtsniff: %s: %s: %s", sink, a.String(), oc)
			if err != nil {
				msg += ": " + err.Error()
			}
			fmt.Fprintln(m.stderr, msg)
		}
	}
}

// watch is what the frame loop tells the monitor.
func (m *monitor) watch() *pipeline.Watch {
	w := &pipeline.Watch{Event: m.event}
	if m.mc != nil {
		w.Frame = m.frame
	}
	if m.mc != nil {
		w.StateDue = m.mc.SnapshotDue
		w.State = m.mc.Snapshot
	}
	return w
}

// frame counts a frame, and notes how far behind the wall clock its
// source is (live inputs and feeds only: one engine decodes them).
func (m *monitor) frame(f *dissect.Frame) {
	m.mc.Frame(f)
	if m.live && f.Source >= 0 {
		lag := time.Since(f.Time)
		m.lagMu.Lock()
		if f.Source >= len(m.lag) {
			m.lag = append(m.lag, make([]time.Duration, f.Source+1-len(m.lag))...)
		}
		m.lag[f.Source] = lag
		m.lagMu.Unlock()
	}
}

// event hands a timeline event to the metrics, the alerts and the
// events file.
func (m *monitor) event(ev *timeline.Event) {
	if m.mc != nil {
		m.mc.Event(ev)
	}
	if m.events != nil {
		m.events.write(ev)
	}
	if m.failOn == nil && len(m.sinks) == 0 {
		return
	}
	a, ok := alert.FromEvent(ev)
	if !ok {
		return
	}
	if m.failOn != nil {
		m.failOn.Observe(&a)
	}
	for _, d := range m.sinks {
		d.Submit(a)
	}
}

// start begins, for live inputs and feeds, the once-a-second update of
// the kernel drops and capture lag of each input.
func (m *monitor) start() {
	if !m.live || m.mc == nil {
		return
	}
	m.stopped.Add(1)
	go func() {
		defer m.stopped.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-t.C:
				m.tick()
			}
		}
	}()
}

// tick sets the per-input gauges. A late segment of a feed (its sensor
// silent) has the capture lag of its silence.
func (m *monitor) tick() {
	labels := m.in.CurrentLabels()
	m.lagMu.Lock()
	lag := slices.Clone(m.lag)
	m.lagMu.Unlock()
	for i, l := range labels {
		m.mc.SetKernelDrops(l, m.in.InputStats(i).Dropped)
		if i < len(lag) {
			m.mc.SetCaptureLag(l, lag[i])
		}
	}
	if late, ok := m.in.Source.(interface{ Late() []natsfeed.Lag }); ok {
		for _, l := range late.Late() {
			if l.Index >= len(lag) || l.Silent > lag[l.Index] {
				m.mc.SetCaptureLag(l.Segment, l.Silent)
			}
		}
	}
}

// close ends the monitor once the output is written: the alerts queued
// are sent (at most the queue times the command timeout), the events
// file is completed, the metrics server stops. It returns the events
// file's error.
func (m *monitor) close() error {
	close(m.stop)
	m.stopped.Wait()
	if m.live && m.mc != nil {
		m.tick() // the last counts
	}
	var err error
	for _, d := range m.sinks {
		d.Close()
	}
	if m.syslog != nil {
		m.syslog.Close()
	}
	if m.events != nil {
		if e := m.events.close(); e != nil {
			err = fmt.Errorf("--events-file: %v", e)
		}
	}
	if m.srv != nil {
		m.srv.Close()
	}
	return err
}

// abort releases what openMonitor set up before it failed.
func (m *monitor) abort() {
	if m.srv != nil {
		m.srv.Close()
	}
	for _, d := range m.sinks {
		d.Close()
	}
	if m.syslog != nil {
		m.syslog.Close()
	}
}

// exitStatus is the run's exit status once its output is written: status
// if not 0 (an error wins), else ExitFailOn if a --fail-on kind occurred,
// which it says on standard error.
func (m *monitor) exitStatus(status int) int {
	if m == nil || m.failOn == nil || !m.failOn.Matched() || status != 0 {
		return status
	}
	fmt.Fprintln(m.stderr, "nbtsniff: "+m.failOn.Summary())
	return alert.ExitFailOn
}

// eventsFile is --events-file: the -T events lines, into one file or a
// ring of them (-b). A live run writes each line out at once; a write
// error stops the file and is returned by close.
type eventsFile struct {
	f     *os.File
	w     *bufio.Writer
	ring  *capture.RingFile
	flush bool
	buf   []byte
	err   error
}

func openEventsFile(path string, ro capture.RingOptions, live bool) (*eventsFile, error) {
	e := &eventsFile{flush: live}
	if ro.Active() {
		e.ring = capture.NewRingFile(path, ro)
		return e, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	e.f, e.w = f, bufio.NewWriterSize(f, 64<<10)
	return e, nil
}

func (e *eventsFile) write(ev *timeline.Event) {
	if e.err != nil {
		return
	}
	e.buf = output.AppendEvent(e.buf[:0], ev)
	e.buf = append(e.buf, '\n')
	w := e.w
	if e.ring != nil {
		w, e.err = e.ring.Next(ev.Time, len(e.buf))
		if e.err != nil {
			return
		}
	}
	if _, e.err = w.Write(e.buf); e.err == nil && e.flush {
		e.err = w.Flush()
	}
}

func (e *eventsFile) close() error {
	if e.ring != nil {
		return errors.Join(e.err, e.ring.Close())
	}
	return errors.Join(e.err, e.w.Flush(), e.f.Close())
}
