package metrics

import (
	"errors"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// Options bound what the collector keeps.
type Options struct {
	// MaxSeries is the most label sets one metric holds; a new label set
	// beyond it is refused and counted in nbtsniff_metrics_overflow_total.
	// Zero: DefaultMaxSeries.
	MaxSeries int
	// MaxLabelLen is the most bytes of one label value after escaping; a
	// longer value is cut and ends in "...". Zero: DefaultMaxLabelLen.
	MaxLabelLen int
	// SnapshotEvery is the capture time between two snapshots that
	// SnapshotDue asks for. Zero: DefaultSnapshotEvery.
	SnapshotEvery time.Duration
}

// Defaults of Options.
const (
	// DefaultMaxSeries is four times the timeline's MaxGroups (1024
	// segment and workgroup pairs): room for every pair's elections and
	// its roles' changes.
	DefaultMaxSeries     = 4096
	DefaultMaxLabelLen   = 128
	DefaultSnapshotEvery = 5 * time.Second
)

func (o Options) normalize() Options {
	if o.MaxSeries <= 0 {
		o.MaxSeries = DefaultMaxSeries
	}
	if o.MaxLabelLen < 16 {
		o.MaxLabelLen = DefaultMaxLabelLen
	}
	if o.SnapshotEvery <= 0 {
		o.SnapshotEvery = DefaultSnapshotEvery
	}
	return o
}

// Protocols of nbtsniff_frames_total, nbtsniff_bytes_total and
// nbtsniff_decode_errors_total: a fixed set, so those metrics never grow.
var protocols = [...]string{"nbns", "nbdgm", "nbss", "smb", "smb2", "smbtrans", "mailslot", "browser", "lanman", "rap", "other"}

const protoOther = len(protocols) - 1

// protoIndex maps a protocol column (dissect.Frame.Proto: "NBNS",
// "BROWSER") or a DecodeError's Proto ("nbns", "smbtrans") to its index in
// protocols; link, IP, UDP and TCP are "other". It does not allocate.
func protoIndex(p string) int {
	for i, name := range protocols[:protoOther] {
		if strings.EqualFold(p, name) {
			return i
		}
	}
	return protoOther
}

// Collector holds nbtsniff's metrics. Its methods may be called from any
// goroutine; Frame is the per-frame one and costs a few atomic adds.
type Collector struct {
	opt Options
	reg *prometheus.Registry

	frames, bytes, decodeErrs [len(protocols)]prometheus.Counter

	overflow    *prometheus.CounterVec
	elections   *cappedCounter // segment, workgroup
	roleChanges *cappedCounter // segment, workgroup, role, change
	anomalies   *cappedCounter // kind, segment
	diagnoses   *cappedCounter // kind, segment
	alerts      *cappedCounter // sink, outcome
	boundHits   *cappedCounter // bound

	state *stateCollector
	own   []prometheus.Collector // every nbtsniff_ metric

	nextSnap time.Time
}

// New makes a collector with its own registry, which also holds the Go
// runtime and process collectors (heap, goroutines, CPU, open files).
func New(o Options) *Collector {
	o = o.normalize()
	c := &Collector{opt: o, reg: prometheus.NewRegistry()}
	framesVec := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "nbtsniff_frames_total",
		Help: "Frames decoded, by the topmost NetBIOS protocol in them (other: nothing above TCP or UDP).",
	}, []string{"protocol"})
	bytesVec := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "nbtsniff_bytes_total",
		Help: "Bytes of the frames decoded (their length on the wire), by protocol as nbtsniff_frames_total.",
	}, []string{"protocol"})
	errVec := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "nbtsniff_decode_errors_total",
		Help: "Decode errors (truncated or malformed fields), by the protocol whose decoder found them.",
	}, []string{"protocol"})
	for i, p := range protocols {
		c.frames[i] = framesVec.WithLabelValues(p)
		c.bytes[i] = bytesVec.WithLabelValues(p)
		c.decodeErrs[i] = errVec.WithLabelValues(p)
	}
	c.overflow = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "nbtsniff_metrics_overflow_total",
		Help: "Label sets refused because the metric already held MaxSeries of them: an increment not counted, or a series left out of a snapshot.",
	}, []string{"metric"})
	c.elections = newCappedCounter("nbtsniff_elections_total",
		"Browser elections started, per broadcast segment and workgroup.",
		[]string{"segment", "workgroup"}, &o, c.overflow)
	c.roleChanges = newCappedCounter("nbtsniff_role_changes_total",
		"Browser roles begun or ended (change), per segment, workgroup and role (potential, backup, lmb, dmb, pdc).",
		[]string{"segment", "workgroup", "role", "change"}, &o, c.overflow)
	c.anomalies = newCappedCounter("nbtsniff_anomalies_total",
		"Anomalies raised by the timeline, by kind and segment.",
		[]string{"kind", "segment"}, &o, c.overflow)
	c.diagnoses = newCappedCounter("nbtsniff_diagnoses_total",
		"Diagnoses (causes named from the wire), by kind and segment.",
		[]string{"kind", "segment"}, &o, c.overflow)
	c.alerts = newCappedCounter("nbtsniff_alerts_total",
		"Alerts handed to a sink (command, syslog), by outcome: sent, deduplicated, rate_limited, queue_full, failed, timed_out.",
		[]string{"sink", "outcome"}, &o, c.overflow)
	c.boundHits = newCappedCounter("nbtsniff_bound_hits_total",
		"Times a bound of the decoder's state was hit and something forgotten (dissect.Frame.Bounds: MaxConns, MaxStreams, MaxFragments, MaxTransactions, MaxRequests).",
		[]string{"bound"}, &o, c.overflow)
	c.state = newStateCollector(&o, c.overflow.WithLabelValues)
	for _, n := range c.state.names() {
		c.overflow.WithLabelValues(n) // every metric that can overflow, at 0
	}
	c.own = []prometheus.Collector{framesVec, bytesVec, errVec, c.overflow,
		c.elections.vec, c.roleChanges.vec, c.anomalies.vec, c.diagnoses.vec, c.alerts.vec, c.boundHits.vec, c.state}
	c.reg.MustRegister(c.own...)
	c.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return c
}

// Registry is the registry the collector's metrics are in, for a caller
// that serves them itself or adds its own.
func (c *Collector) Registry() *prometheus.Registry { return c.reg }

// Frame counts one decoded frame: frames and bytes by protocol, its
// decode errors, and the bounds of the decoder's state it hit. Call it for every frame the engine decodes.
func (c *Collector) Frame(f *dissect.Frame) {
	i := protoIndex(f.Proto)
	c.frames[i].Inc()
	c.bytes[i].Add(float64(f.Len))
	for _, err := range f.Errs {
		c.decodeErrs[errProto(err)].Inc()
	}
	for _, b := range f.Bounds {
		c.boundHits.add(1, b.Bound)
	}
}

// errProto is the index of the protocol whose decoder returned err.
func errProto(err error) int {
	if de, ok := err.(*dissect.DecodeError); ok { // the engine's errors: no allocation
		return protoIndex(de.Proto)
	}
	var de *dissect.DecodeError
	if errors.As(err, &de) {
		return protoIndex(de.Proto)
	}
	return protoOther
}

// Event counts a timeline event: an election started, a role begun or
// ended, an anomaly. Other kinds are ignored. Call it from the tracker's
// emit function.
func (c *Collector) Event(ev *timeline.Event) {
	kind, role, anomaly := eventFields(ev)
	switch kind {
	case kindElectionStart:
		c.elections.add(1, ev.Segment, ev.Workgroup)
	case kindRoleBegin:
		c.roleChanges.add(1, ev.Segment, ev.Workgroup, role, "begin")
	case kindRoleEnd:
		c.roleChanges.add(1, ev.Segment, ev.Workgroup, role, "end")
	case kindAnomaly:
		c.anomalies.add(1, anomaly, ev.Segment)
	}
}

// Diagnosis counts a diagnosis of kind on segment. Any kind is taken (the
// label is escaped and the number of kinds bounded by MaxSeries).
func (c *Collector) Diagnosis(kind, segment string) {
	c.diagnoses.add(1, kind, segment)
}

// AlertOutcome counts what became of an alert handed to a sink (the
// alert package's Outcome names: sent, deduplicated, rate_limited,
// queue_full, failed, timed_out).
func (c *Collector) AlertOutcome(sink, outcome string) {
	c.alerts.add(1, sink, outcome)
}

// SnapshotDue reports whether a new snapshot should be handed to Snapshot
// at capture time now: the first time, and then once SnapshotEvery of
// capture time has passed since the last one it asked for. Call it from
// the frame loop only (it is not safe for concurrent use).
func (c *Collector) SnapshotDue(now time.Time) bool {
	if !c.nextSnap.IsZero() && now.Before(c.nextSnap) {
		return false
	}
	c.nextSnap = now.Add(c.opt.SnapshotEvery)
	return true
}

// Snapshot replaces the state metrics (masters, elections in progress,
// Browse List sizes, DMB sync ages) with those of s. A series of the
// previous snapshot that s no longer has (a master that lost its role, a
// group evicted) is gone from the next scrape. It also creates each
// group's nbtsniff_elections_total series at 0, so that a rate over it
// sees the group's first election.
func (c *Collector) Snapshot(s *timeline.Snapshot) {
	for _, g := range s.Groups {
		c.elections.add(0, g.Segment, g.Workgroup)
	}
	c.state.update(s)
}

// SetKernelDrops sets the packets the kernel (or libpcap) dropped on
// iface since the capture began: a cumulative count, as the capture
// statistics give it.
func (c *Collector) SetKernelDrops(iface string, drops uint64) {
	c.state.setDrops(iface, drops)
}

// SetCaptureLag sets how far behind the wall clock the frames of source
// are being processed (wall time now minus the capture time of the frame
// just processed).
func (c *Collector) SetCaptureLag(source string, lag time.Duration) {
	c.state.setLag(source, lag)
}
