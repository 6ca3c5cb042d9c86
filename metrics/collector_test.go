package metrics

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// The storm lab capture (testdata/pcaps/SUMMARY.md): 335 frames, 221 NBNS
// (udp/137) and 114 \MAILSLOT\BROWSE datagrams, as tshark counts them; six
// hosts of LABWG on one segment forcing election after election; DELTA and
// FOXTROT both masters for a few seconds (00:59:27.8-00:59:32.1 in nmbd's
// logs), then DELTA alone (00:59:51.5) until the lab stops and every
// browser announces it is going away.
func TestStormCapture(t *testing.T) {
	c := New(Options{})
	var masterSets []string // each new set of master_info series
	r := replay(t, c, labCapture(t, "storm"), "lab", func(r *replayed, f *dissect.Frame) {
		// A snapshot after every frame, so that the seconds of the split
		// brain are seen (the frame loop takes one every SnapshotEvery).
		c.Snapshot(r.tr.Snapshot())
		var set []string
		for k := range series(t, c, "nbtsniff_master_info") {
			set = append(set, strings.TrimPrefix(strings.Split(k, ",")[0], "master="))
		}
		sort.Strings(set)
		if s := strings.Join(set, "+"); len(masterSets) == 0 || masterSets[len(masterSets)-1] != s {
			masterSets = append(masterSets, s)
		}
	})

	frames := series(t, c, "nbtsniff_frames_total")
	if got := frames["protocol=nbns"]; got != 221 {
		t.Errorf("frames nbns = %v, tshark counts 221", got)
	}
	if got := frames["protocol=browser"]; got != 114 {
		t.Errorf("frames browser = %v, tshark counts 114", got)
	}
	var total float64
	for _, v := range frames {
		total += v
	}
	if total != float64(r.frames) || r.frames != 335 {
		t.Errorf("frames total = %v of %d read, want 335", total, r.frames)
	}
	var bytes float64
	for _, v := range series(t, c, "nbtsniff_bytes_total") {
		bytes += v
	}
	if bytes != float64(r.wireLen) {
		t.Errorf("bytes = %v, the capture's original lengths add up to %d", bytes, r.wireLen)
	}

	// Elections: one increment per election.start, the same number as
	// the elections the snapshot kept; a storm is more than five.
	starts, storms := map[string]int{}, 0
	lmbBegins := 0
	for _, ev := range r.events {
		kind, role, anomaly := eventFields(&ev)
		switch {
		case kind == kindElectionStart:
			starts["segment="+ev.Segment+",workgroup="+ev.Workgroup]++
		case kind == kindAnomaly && anomaly == timeline.AnomalyElectionStorm.String():
			storms++
		case kind == kindRoleBegin && role == timeline.RoleLMB.String():
			lmbBegins++
		}
	}
	snap := r.tr.Snapshot()
	if len(snap.Groups) != 1 {
		t.Fatalf("groups: %+v, want LABWG on one segment", snap.Groups)
	}
	g := snap.Groups[0]
	grp := "segment=" + g.Segment + ",workgroup=LABWG"
	elections := series(t, c, "nbtsniff_elections_total")
	if len(starts) != 1 || len(elections) != 1 {
		t.Fatalf("elections by group: events %v, metric %v; want one group", starts, elections)
	}
	if n := starts[grp]; elections[grp] != float64(n) || n != len(g.Elections) || n <= 5 {
		t.Errorf("elections %s: metric %v, events %d, snapshot %d; want equal and > 5", grp, elections[grp], n, len(g.Elections))
	}
	storm := "kind=" + timeline.AnomalyElectionStorm.String() + ",segment=" + g.Segment
	if got := series(t, c, "nbtsniff_anomalies_total")[storm]; got != float64(storms) || storms == 0 {
		t.Errorf("anomalies %s = %v, events %d (want > 0)", storm, got, storms)
	}
	k := "change=begin,role=" + timeline.RoleLMB.String() + "," + grp
	if got := series(t, c, "nbtsniff_role_changes_total")[k]; got != float64(lmbBegins) || lmbBegins < 2 {
		t.Errorf("role changes %s = %v, events %d (want >= 2)", k, got, lmbBegins)
	}

	// The masters in office through the capture: the split brain and its
	// end, where FOXTROT's series is gone, then none at the lab's end.
	seq := strings.Join(masterSets, " | ")
	t.Logf("masters through the capture: %q", seq)
	if !strings.Contains(seq, "DELTA+FOXTROT | DELTA |") || !strings.HasSuffix(seq, "| ") {
		t.Errorf("master_info through the capture: %q; want DELTA+FOXTROT, then DELTA alone, then none", seq)
	}
	if got := series(t, c, "nbtsniff_masters")[grp]; got != 0 || len(g.LMB) != 0 {
		t.Errorf("masters at the end = %v (snapshot %v), want 0", got, g.LMB)
	}
	if got := series(t, c, "nbtsniff_elections_in_progress")[grp]; got != 0 {
		t.Errorf("elections in progress at the end = %v, want 0", got)
	}
	if got := series(t, c, "nbtsniff_state_time_seconds")[""]; got != seconds(snap.Time) {
		t.Errorf("state time = %v, want %v", got, seconds(snap.Time))
	}
}

// Elections in progress and Browse List sizes follow the snapshot: in the
// election capture an election is running at some snapshot and the list
// of LABWG grows to the servers the snapshot holds.
func TestElectionCaptureGauges(t *testing.T) {
	c := New(Options{})
	running, maxServers := false, 0.0
	replay(t, c, labCapture(t, "election"), "lab", func(r *replayed, f *dissect.Frame) {
		snap := r.tr.Snapshot()
		c.Snapshot(snap)
		for _, g := range snap.Groups {
			k := "segment=" + g.Segment + ",workgroup=" + g.Workgroup
			want := 0.0
			if n := len(g.Elections); n > 0 && g.Elections[n-1].Running {
				want = 1
			}
			if got := series(t, c, "nbtsniff_elections_in_progress")[k]; got != want {
				t.Fatalf("frame %d: elections in progress %s = %v, want %v", f.Number, k, got, want)
			}
			running = running || want == 1
			got := series(t, c, "nbtsniff_browse_list_servers")[k]
			if got != float64(len(g.Servers)) {
				t.Fatalf("frame %d: browse list servers %s = %v, snapshot %d", f.Number, k, got, len(g.Servers))
			}
			maxServers = max(maxServers, got)
		}
	})
	if !running || maxServers < 3 {
		t.Errorf("never an election in progress (%v) or at most %v servers listed", running, maxServers)
	}
}

// The DMB lab capture, both subnets merged: LMBB, master of 198.18.2.0/24,
// synchronises with DMB (master and domain master on 198.18.1.0/24). Its
// group's sync age counts from when it became master until the first
// LMBB <-> DMB link, then from the latest link; DMB's own group has none.
func TestDMBSyncAge(t *testing.T) {
	c := New(Options{})
	var lmbbBegin time.Time
	sawBegin, sawLink := false, false
	replay(t, c, labCapture(t, "dmb"), "lab", func(r *replayed, f *dissect.Frame) {
		for _, ev := range r.events {
			if kind, role, _ := eventFields(&ev); kind == kindRoleBegin && role == timeline.RoleLMB.String() && ev.Host == "LMBB" {
				lmbbBegin = ev.Time
			}
		}
		snap := r.tr.Snapshot()
		c.Snapshot(snap)
		ages := series(t, c, "nbtsniff_dmb_sync_age_seconds")
		dmbKnown := false
		for _, g := range snap.Groups {
			dmbKnown = dmbKnown || len(g.DMB) > 0
		}
		for _, g := range snap.Groups {
			k := "segment=" + g.Segment + ",workgroup=" + g.Workgroup
			got, ok := ages[k]
			if len(g.LMB) != 1 || g.LMB[0] != "LMBB" || !dmbKnown {
				if ok {
					t.Fatalf("frame %d: sync age %s = %v; its master %v is not LMBB or no DMB is known", f.Number, k, got, g.LMB)
				}
				continue
			}
			var link time.Time
			for _, l := range snap.Links {
				if l.LMB == "LMBB" && l.LMBSegment == g.Segment {
					link = l.Last
				}
			}
			since := lmbbBegin
			if link.After(since) {
				since, sawLink = link, true
			} else {
				sawBegin = true
			}
			if want := snap.Time.Sub(since).Seconds(); !ok || got != want {
				t.Fatalf("frame %d: sync age %s = %v (present %v), want %v", f.Number, k, got, ok, want)
			}
		}
	})
	if !sawBegin || !sawLink {
		t.Errorf("the age never counted from the role's begin (%v) or from a link (%v)", sawBegin, sawLink)
	}
}

func TestLabelValue(t *testing.T) {
	long := strings.Repeat("A", 200)
	for _, tc := range []struct{ in, want string }{
		{"LABWG", "LABWG"},
		{"lab/198.18.1.255", "lab/198.18.1.255"},
		{"BAD\x1b[31mNAME", `BAD\x1b[31mNAME`},
		{"tab\there\n", `tab\there\n`},
		{"\xff\xfeLATIN1", `\xff\xfeLATIN1`},
		{"ÉCOLE", "ÉCOLE"},
		{"evil\u202eexe.txt", `evil\xe2\x80\xaeexe.txt`},
		{long, strings.Repeat("A", DefaultMaxLabelLen-3) + "..."},
		// A cut inside a multi-byte rune moves back to its start.
		{strings.Repeat("A", DefaultMaxLabelLen-4) + "ÉÉÉ", strings.Repeat("A", DefaultMaxLabelLen-4) + "..."},
	} {
		got := labelValue(tc.in, DefaultMaxLabelLen)
		if got != tc.want {
			t.Errorf("labelValue(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if len(got) > DefaultMaxLabelLen {
			t.Errorf("labelValue(%q) is %d bytes", tc.in, len(got))
		}
	}
}

// Names from the wire reach the exposition escaped, and a scrape does not
// fail on them (Prometheus refuses invalid UTF-8 label values).
func TestEscapedLabelsGathered(t *testing.T) {
	c := New(Options{})
	seg, wg := "lab/10.0.0.255", "WG\x1b]0;owned\x07"
	c.Event(&timeline.Event{Kind: timeline.KindElectionStart, Segment: seg, Workgroup: wg})
	c.Event(&timeline.Event{Kind: timeline.KindAnomaly, Data: &timeline.Anomaly{Kind: timeline.AnomalySplitBrain}, Segment: "\xffseg"})
	c.Diagnosis("nbns_spoofing\n", seg)
	c.Snapshot(&timeline.Snapshot{Groups: []*timeline.Group{{Segment: seg, Workgroup: wg, LMB: []string{"PC\x00ONE"}}}})
	expected := `
# HELP nbtsniff_elections_total Browser elections started, per broadcast segment and workgroup.
# TYPE nbtsniff_elections_total counter
nbtsniff_elections_total{segment="lab/10.0.0.255",workgroup="WG\\x1b]0;owned\\x07"} 1
# HELP nbtsniff_master_info The local master browser in office per segment and workgroup (1 per master; the series goes when the role ends).
# TYPE nbtsniff_master_info gauge
nbtsniff_master_info{master="PC\\x00ONE",segment="lab/10.0.0.255",workgroup="WG\\x1b]0;owned\\x07"} 1
# HELP nbtsniff_anomalies_total Anomalies raised by the timeline, by kind and segment.
# TYPE nbtsniff_anomalies_total counter
nbtsniff_anomalies_total{kind="split_brain",segment="\\xffseg"} 1
# HELP nbtsniff_diagnoses_total Diagnoses (causes named from the wire), by kind and segment.
# TYPE nbtsniff_diagnoses_total counter
nbtsniff_diagnoses_total{kind="nbns_spoofing\\n",segment="lab/10.0.0.255"} 1
`
	if err := testutil.GatherAndCompare(c.Registry(), strings.NewReader(expected),
		"nbtsniff_elections_total", "nbtsniff_master_info", "nbtsniff_anomalies_total", "nbtsniff_diagnoses_total"); err != nil {
		t.Error(err)
	}
}

// A metric holds MaxSeries label sets; the increments of the ones refused
// are counted in the overflow counter, and the ones held go on counting.
func TestCardinalityCap(t *testing.T) {
	c := New(Options{MaxSeries: 3})
	for i := range 5 {
		for range 2 {
			c.Event(&timeline.Event{Kind: timeline.KindElectionStart, Segment: "s", Workgroup: fmt.Sprintf("WG%d", i)})
		}
	}
	for i := range 70 {
		c.Diagnosis(fmt.Sprintf("kind%d", i), "s")
	}
	expected := `
# HELP nbtsniff_elections_total Browser elections started, per broadcast segment and workgroup.
# TYPE nbtsniff_elections_total counter
nbtsniff_elections_total{segment="s",workgroup="WG0"} 2
nbtsniff_elections_total{segment="s",workgroup="WG1"} 2
nbtsniff_elections_total{segment="s",workgroup="WG2"} 2
`
	if err := testutil.GatherAndCompare(c.Registry(), strings.NewReader(expected), "nbtsniff_elections_total"); err != nil {
		t.Error(err)
	}
	over := series(t, c, "nbtsniff_metrics_overflow_total")
	if over["metric=nbtsniff_elections_total"] != 4 || over["metric=nbtsniff_diagnoses_total"] != 67 || over["metric=nbtsniff_anomalies_total"] != 0 {
		t.Errorf("overflow = %v, want elections 4, diagnoses 67, the others 0", over)
	}
	if len(over) != 14 {
		t.Errorf("overflow has %d series, want one per metric that can overflow (14): %v", len(over), over)
	}
	if n := testutil.CollectAndCount(c.diagnoses.vec); n != 3 {
		t.Errorf("diagnoses series = %d, want 3", n)
	}

	// Snapshot metrics: four groups, room for three; a name that escapes
	// to the same label value as another is one series.
	var groups []*timeline.Group
	for i := range 4 {
		groups = append(groups, &timeline.Group{Segment: "s", Workgroup: fmt.Sprintf("WG%d", i), LMB: []string{"M"}})
	}
	c.Snapshot(&timeline.Snapshot{Groups: groups})
	if n := testutil.CollectAndCount(c.state, "nbtsniff_masters"); n != 3 {
		t.Errorf("masters series = %d, want 3", n)
	}
	over = series(t, c, "nbtsniff_metrics_overflow_total")
	for _, m := range []string{"nbtsniff_masters", "nbtsniff_master_info", "nbtsniff_elections_in_progress", "nbtsniff_browse_list_servers"} {
		if over["metric="+m] != 1 {
			t.Errorf("overflow %s = %v, want 1 (%v)", m, over["metric="+m], over)
		}
	}
	// Snapshot created WG3's election series at 0? No: the cap held it out.
	if over["metric=nbtsniff_elections_total"] != 4 {
		t.Errorf("a zero series refused counted as an increment: %v", over)
	}
}

func TestKernelDropsAndLag(t *testing.T) {
	c := New(Options{})
	c.SetKernelDrops("eth0", 3)
	c.SetKernelDrops("eth0", 7)
	c.SetKernelDrops("br-lab", 0)
	c.SetCaptureLag("branch", 1500*time.Millisecond)
	expected := `
# HELP nbtsniff_kernel_drops_total Packets dropped by the kernel (or libpcap) before nbtsniff read them, per capture interface.
# TYPE nbtsniff_kernel_drops_total counter
nbtsniff_kernel_drops_total{interface="br-lab"} 0
nbtsniff_kernel_drops_total{interface="eth0"} 7
# HELP nbtsniff_capture_lag_seconds Wall time minus the capture time of the frame last processed, per source.
# TYPE nbtsniff_capture_lag_seconds gauge
nbtsniff_capture_lag_seconds{source="branch"} 1.5
`
	if err := testutil.GatherAndCompare(c.Registry(), strings.NewReader(expected),
		"nbtsniff_kernel_drops_total", "nbtsniff_capture_lag_seconds"); err != nil {
		t.Error(err)
	}
}

func TestSnapshotDue(t *testing.T) {
	c := New(Options{SnapshotEvery: 10 * time.Second})
	t0 := time.Date(2026, 11, 22, 0, 57, 43, 0, time.UTC)
	var got []bool
	for _, s := range []int{0, 5, 9, 10, 15, 19, 21} {
		got = append(got, c.SnapshotDue(t0.Add(time.Duration(s)*time.Second)))
	}
	if fmt.Sprint(got) != "[true false false true false false true]" {
		t.Errorf("SnapshotDue at 0,5,9,10,15,19,21 s = %v", got)
	}
}

// Frame is called for every frame: it must not allocate.
func TestFrameAllocs(t *testing.T) {
	c := New(Options{})
	f := &dissect.Frame{Proto: "BROWSER", Len: 243}
	f.Errs = append(f.Errs, &dissect.DecodeError{Proto: "smbtrans", Err: dissect.ErrTruncated})
	if n := testing.AllocsPerRun(1000, func() { c.Frame(f) }); n != 0 {
		t.Errorf("Frame allocates %v times", n)
	}
	if got := testutil.ToFloat64(c.decodeErrs[protoIndex("smbtrans")]); got != 1001 {
		t.Errorf("smbtrans decode errors = %v, want 1001", got)
	}
}

// The registry is consistent (descs and samples agree, no duplicate
// series: a pedantic registry checks) and every metric follows
// Prometheus' naming conventions (promlint), on a real capture.
func TestPedanticAndLint(t *testing.T) {
	c := New(Options{})
	replay(t, c, labCapture(t, "dmb"), "lab", nil)
	c.SetKernelDrops("eth0", 1)
	c.SetCaptureLag("lab", time.Second)
	c.Diagnosis("nbns_spoofing", "lab/198.18.1.255")
	c.AlertOutcome("command", "sent")
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c.state, c.elections.vec, c.roleChanges.vec, c.anomalies.vec, c.diagnoses.vec, c.alerts.vec, c.overflow)
	if _, err := reg.Gather(); err != nil {
		t.Errorf("pedantic gather: %v", err)
	}
	var names []string
	for n := range gather(t, c) {
		if strings.HasPrefix(n, "nbtsniff_") {
			names = append(names, n)
		}
	}
	if len(names) < 15 {
		t.Errorf("only %d nbtsniff metrics gathered: %v", len(names), names)
	}
	problems, err := testutil.GatherAndLint(c.Registry(), names...)
	if err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
}

func BenchmarkFrame(b *testing.B) {
	c := New(Options{})
	f := &dissect.Frame{Proto: "NBNS", Len: 92}
	b.ReportAllocs()
	for b.Loop() {
		c.Frame(f)
	}
}

// Every bound of the decoder's state a frame hit is counted, by bound.
func TestBoundHitsCounted(t *testing.T) {
	c := New(Options{})
	f := &dissect.Frame{Proto: "NBSS", Bounds: []dissect.BoundHit{
		{Bound: "MaxConns", Err: dissect.Limit("nbss", "connections", -1, "evicted one")},
		{Bound: "MaxConns", Err: dissect.Limit("nbss", "connections", -1, "evicted another")},
		{Bound: "MaxRequests", Err: dissect.Limit("smb", "pending requests", -1, "forgot one")},
	}}
	c.Frame(f)
	got := series(t, c, "nbtsniff_bound_hits_total")
	if got["bound=MaxConns"] != 2 || got["bound=MaxRequests"] != 1 {
		t.Errorf("nbtsniff_bound_hits_total %v", got)
	}
}
