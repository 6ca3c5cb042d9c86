package metrics

import (
	"sort"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// stateCollector serves the metrics that describe a moment rather than
// count happenings: those of the latest timeline snapshot, and the kernel
// drops and capture lag set from outside. update builds the snapshot's
// samples once; a scrape only hands them out.
type stateCollector struct {
	opt      *Options
	overflow func(...string) prometheus.Counter

	masters, masterInfo, inProgress, servers, workgroups, syncAge, stateTime *prometheus.Desc
	drops, lag                                                               *prometheus.Desc

	mu      sync.RWMutex
	samples []prometheus.Metric
	dropsBy map[string]uint64
	lagBy   map[string]float64
}

func newStateCollector(o *Options, overflow func(...string) prometheus.Counter) *stateCollector {
	sw := []string{"segment", "workgroup"}
	return &stateCollector{
		opt:      o,
		overflow: overflow,
		masters: prometheus.NewDesc("nbtsniff_masters",
			"Local master browsers in office per segment and workgroup: 0 is no master, 2 or more a split brain.", sw, nil),
		masterInfo: prometheus.NewDesc("nbtsniff_master_info",
			"The local master browser in office per segment and workgroup (1 per master; the series goes when the role ends).",
			[]string{"segment", "workgroup", "master"}, nil),
		inProgress: prometheus.NewDesc("nbtsniff_elections_in_progress",
			"Browser elections running per segment and workgroup (0 or 1).", sw, nil),
		servers: prometheus.NewDesc("nbtsniff_browse_list_servers",
			"Servers in the Browse List reconstructed per segment and workgroup.", sw, nil),
		workgroups: prometheus.NewDesc("nbtsniff_browse_list_workgroups",
			"Workgroups in the domain list (DomainAnnouncements) per segment.", []string{"segment"}, nil),
		syncAge: prometheus.NewDesc("nbtsniff_dmb_sync_age_seconds",
			"Capture time since the local master of a segment and workgroup last synchronised with the workgroup's domain master (or, if it has not since, became master); only where a domain master is known and is another host.", sw, nil),
		stateTime: prometheus.NewDesc("nbtsniff_state_time_seconds",
			"Capture time of the state the snapshot metrics describe, in seconds since the epoch.", nil, nil),
		drops: prometheus.NewDesc("nbtsniff_kernel_drops_total",
			"Packets dropped by the kernel (or libpcap) before nbtsniff read them, per capture interface.", []string{"interface"}, nil),
		lag: prometheus.NewDesc("nbtsniff_capture_lag_seconds",
			"Wall time minus the capture time of the frame last processed, per source.", []string{"source"}, nil),
		dropsBy: make(map[string]uint64),
		lagBy:   make(map[string]float64),
	}
}

func (s *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{s.masters, s.masterInfo, s.inProgress, s.servers, s.workgroups, s.syncAge, s.stateTime, s.drops, s.lag} {
		ch <- d
	}
}

func (s *stateCollector) Collect(ch chan<- prometheus.Metric) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, m := range s.samples {
		ch <- m
	}
	for k, v := range s.dropsBy {
		ch <- prometheus.MustNewConstMetric(s.drops, prometheus.CounterValue, float64(v), k)
	}
	for k, v := range s.lagBy {
		ch <- prometheus.MustNewConstMetric(s.lag, prometheus.GaugeValue, v, k)
	}
}

// sampler builds the samples of one snapshot: label values escaped, each
// metric held to MaxSeries label sets, a label set made twice by escaping
// (two names alike up to the cut) kept once.
type sampler struct {
	s    *stateCollector
	out  []prometheus.Metric
	seen map[*prometheus.Desc]map[[3]string]bool
	over map[*prometheus.Desc]int
}

func (p *sampler) add(d *prometheus.Desc, v float64, vals ...string) {
	var k [3]string
	for i, x := range vals {
		vals[i] = labelValue(x, p.s.opt.MaxLabelLen)
		k[i] = vals[i]
	}
	seen := p.seen[d]
	if seen == nil {
		seen = make(map[[3]string]bool)
		p.seen[d] = seen
	}
	if seen[k] {
		return
	}
	if len(seen) >= p.s.opt.MaxSeries {
		p.over[d]++
		return
	}
	seen[k] = true
	p.out = append(p.out, prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, vals...))
}

func (s *stateCollector) update(snap *timeline.Snapshot) {
	p := &sampler{s: s, seen: make(map[*prometheus.Desc]map[[3]string]bool), over: make(map[*prometheus.Desc]int)}
	if !snap.Time.IsZero() {
		p.out = append(p.out, prometheus.MustNewConstMetric(s.stateTime, prometheus.GaugeValue, seconds(snap.Time)))
	}
	for _, age := range syncAges(snap) {
		p.add(s.syncAge, age.age.Seconds(), age.seg, age.wg)
	}
	for _, g := range snap.Groups {
		p.add(s.masters, float64(len(g.LMB)), g.Segment, g.Workgroup)
		for _, m := range g.LMB {
			p.add(s.masterInfo, 1, g.Segment, g.Workgroup, m)
		}
		running := 0
		for _, e := range g.Elections {
			if e.Running {
				running++
			}
		}
		p.add(s.inProgress, float64(running), g.Segment, g.Workgroup)
		p.add(s.servers, float64(len(g.Servers)), g.Segment, g.Workgroup)
	}
	for _, seg := range snap.Segments {
		p.add(s.workgroups, float64(len(seg.Domains)), seg.Segment)
	}
	for d, n := range p.over {
		s.overflow(descName(s, d)).Add(float64(n))
	}
	s.mu.Lock()
	s.samples = p.out
	s.mu.Unlock()
}

// names lists the metrics of the collector that can overflow.
func (s *stateCollector) names() []string {
	var out []string
	for _, d := range []*prometheus.Desc{s.masters, s.masterInfo, s.inProgress, s.servers, s.workgroups, s.syncAge, s.drops, s.lag} {
		out = append(out, descName(s, d))
	}
	return out
}

// descName is the metric name of one of the collector's descs (Desc does
// not export it).
func descName(s *stateCollector, d *prometheus.Desc) string {
	switch d {
	case s.masters:
		return "nbtsniff_masters"
	case s.masterInfo:
		return "nbtsniff_master_info"
	case s.inProgress:
		return "nbtsniff_elections_in_progress"
	case s.servers:
		return "nbtsniff_browse_list_servers"
	case s.workgroups:
		return "nbtsniff_browse_list_workgroups"
	case s.syncAge:
		return "nbtsniff_dmb_sync_age_seconds"
	case s.drops:
		return "nbtsniff_kernel_drops_total"
	case s.lag:
		return "nbtsniff_capture_lag_seconds"
	}
	return "nbtsniff_state_time_seconds"
}

// setDrops and setLag keep at most MaxSeries interfaces or sources (they
// come from the command line, but a bound costs nothing).
func (s *stateCollector) setDrops(iface string, n uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := labelValue(iface, s.opt.MaxLabelLen)
	if _, ok := s.dropsBy[k]; !ok && len(s.dropsBy) >= s.opt.MaxSeries {
		s.overflow("nbtsniff_kernel_drops_total").Inc()
		return
	}
	s.dropsBy[k] = n
}

func (s *stateCollector) setLag(source string, lag time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := labelValue(source, s.opt.MaxLabelLen)
	if _, ok := s.lagBy[k]; !ok && len(s.lagBy) >= s.opt.MaxSeries {
		s.overflow("nbtsniff_capture_lag_seconds").Inc()
		return
	}
	s.lagBy[k] = lag.Seconds()
}

func seconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

type syncAge struct {
	seg, wg string
	age     time.Duration
}

// syncAges is, for each segment and workgroup whose local master is not
// the workgroup's domain master while one is known (on any segment), the
// capture time since that local master last synchronised with a domain
// master (a Link: MasterAnnouncement or NetServerEnum2 between them) or
// became master, whichever is later. [MS-BRWS] §3.3 has a local master
// synchronise every 12 minutes (Samba: 15).
func syncAges(s *timeline.Snapshot) []syncAge {
	dmbs := make(map[string]map[string]bool) // workgroup -> DMB hosts
	for _, g := range s.Groups {
		for _, d := range g.DMB {
			if dmbs[g.Workgroup] == nil {
				dmbs[g.Workgroup] = make(map[string]bool)
			}
			dmbs[g.Workgroup][d] = true
		}
	}
	type lk struct{ wg, seg, lmb string }
	last := make(map[lk]time.Time)
	for _, l := range s.Links {
		k := lk{l.Workgroup, l.LMBSegment, l.LMB}
		if l.Last.After(last[k]) {
			last[k] = l.Last
		}
	}
	var out []syncAge
	for _, g := range s.Groups {
		if len(g.LMB) == 0 || len(dmbs[g.Workgroup]) == 0 {
			continue
		}
		lmb := g.LMB[0]
		if dmbs[g.Workgroup][lmb] {
			continue
		}
		since := last[lk{g.Workgroup, g.Segment, lmb}]
		for _, ri := range g.RolesOf(timeline.RoleLMB) {
			if ri.Host == lmb && ri.End.IsZero() && ri.Begin.After(since) {
				since = ri.Begin
			}
		}
		if since.IsZero() || s.Time.Before(since) {
			continue
		}
		out = append(out, syncAge{g.Segment, g.Workgroup, s.Time.Sub(since)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].seg != out[j].seg {
			return out[i].seg < out[j].seg
		}
		return out[i].wg < out[j].wg
	})
	return out
}
