package timeline

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// The predictions and explanations on the lab captures. What they must say
// comes from each scenario's configuration (testdata/lab/EXPECTED.md): the
// OS levels, the preferred masters, the netmasks; t is seconds since the
// capture's first frame.

// stateAt replays a capture and finishes it sec seconds after its first
// frame (the state then, expiries included), or at its last observation
// when sec < 0.
func stateAt(t *testing.T, path, label string, sec float64) *Snapshot {
	t.Helper()
	obs := readObservations(t, path, label)
	if sec < 0 {
		_, s := replay(DefaultConfig(), obs)
		return s
	}
	cfg := DefaultConfig()
	cfg.At = obs[0].meta().Time.Add(time.Duration(sec * float64(time.Second)))
	tr := New(cfg, nil)
	for _, o := range obs {
		tr.Observe(o)
	}
	tr.Finish(cfg.At)
	return tr.Snapshot()
}

func labAt(t *testing.T, scen string, sec float64) *Snapshot {
	t.Helper()
	return stateAt(t, labCapture(t, scen), scen, sec)
}

// os255: BIGOS (os level 255) took the local master role from DMB (os level
// 65, preferred, domain master) in the election BIGOS forced at t≈68.99;
// BIGOS is LMB from 84.05. Before that election BIGOS had sent no ballot:
// its criteria cannot be known.
func TestPredictOS255(t *testing.T) {
	s := labAt(t, "os255", 100)
	ps := Predict(s)
	if len(ps) != 1 {
		t.Fatalf("%d predictions, want 1: %+v", len(ps), ps)
	}
	p := ps[0]
	if p.Winner != "BIGOS" || p.RunnerUp != "DMB" || p.Field != "criteria" || p.Margin != "OS level 255 > 65" {
		t.Errorf("winner %q over %q on %q %q; want BIGOS over DMB on OS level 255 > 65", p.Winner, p.RunnerUp, p.Field, p.Margin)
	}
	if !slices.Equal(p.Masters, []string{"BIGOS"}) || p.Change {
		t.Errorf("masters %v change %v", p.Masters, p.Change)
	}
	if !strings.Contains(p.Text, "BIGOS would win an election of LABWG on os255/198.18.1.255 now over DMB on OS level 255 > 65") {
		t.Errorf("text: %s", p.Text)
	}

	before := Predict(labAt(t, "os255", 60))[0]
	if before.Winner != "DMB" || !slices.Equal(before.Masters, []string{"DMB"}) {
		t.Errorf("at 60 s: winner %q masters %v, want DMB", before.Winner, before.Masters)
	}
	if u := strings.Join(before.Uncertain, "; "); !strings.Contains(u, "BIGOS") {
		t.Errorf("at 60 s BIGOS has sent no ballot; uncertain: %q", u)
	}
}

func TestExplainOS255(t *testing.T) {
	s := labAt(t, "os255", 100)
	x := Explain(s, "dmb", nil)
	if !x.Found || x.Host != "DMB" || len(x.Parts) != 1 {
		t.Fatalf("explanation %+v", x)
	}
	p := x.Parts[0]
	if p.Master {
		t.Error("DMB is master at 100 s")
	}
	for _, want := range []string{"DMB is not the local master browser of LABWG", "the local master is BIGOS",
		"BIGOS would win over DMB on criteria: OS level 255 > 65"} {
		if !strings.Contains(p.MasterWhy, want) {
			t.Errorf("why lacks %q: %s", want, p.MasterWhy)
		}
	}
	if len(p.Needs) != 1 || p.Needs[0].Field != "os level" || !strings.Contains(p.NeedText, "OS level 255, the highest") {
		t.Errorf("needs %+v: %s", p.Needs, p.NeedText)
	}
	if !p.Listed || !strings.Contains(p.ListWhy, "is in the Browse List of LABWG") {
		t.Errorf("list: %s", p.ListWhy)
	}

	b := Explain(s, "198.18.1.20", nil)
	if !b.Found || b.Host != "BIGOS" || !b.Parts[0].Master || len(b.Parts[0].Needs) != 0 {
		t.Fatalf("BIGOS by address: %+v %+v", b, b.Parts)
	}
	if !strings.Contains(b.Parts[0].MasterWhy, "BIGOS is the local master browser of LABWG") {
		t.Errorf("why: %s", b.Parts[0].MasterWhy)
	}

	// An address the wire never named, labelled by an LMHOSTS table.
	lab := map[netip.Addr]string{netip.MustParseAddr("198.18.1.77"): "PRINTSRV"}
	n := Explain(s, "198.18.1.77", lab)
	if n.Found || n.Label != "PRINTSRV" || !strings.Contains(n.Text, "PRINTSRV in the LMHOSTS file") || !strings.Contains(n.Text, "not seen") {
		t.Errorf("unseen: %+v", n)
	}
}

// mask25: PC7 (198.18.1.17/25, os level 33) sends to 198.18.1.127 and
// hears nothing of the /24 side, where ALPHA (os level 32) beats BRAVO
// (20): two elections, one per audience, two masters.
func TestPredictMask25(t *testing.T) {
	s := labAt(t, "mask25", 100)
	ps := Predict(s)
	if len(ps) != 2 {
		t.Fatalf("%d predictions, want 2", len(ps))
	}
	a, b := ps[0], ps[1]
	if a.Audience != netip.MustParseAddr("198.18.1.255") || a.Winner != "ALPHA" || a.RunnerUp != "BRAVO" || a.Margin != "OS level 32 > 20" {
		t.Errorf("/24 side: %+v", a)
	}
	if b.Audience != netip.MustParseAddr("198.18.1.127") || b.Winner != "PC7" || len(b.Contenders) != 1 {
		t.Errorf("/25 side: %+v", b)
	}
	x := Explain(s, "BRAVO", nil).Parts[0]
	if len(x.Needs) != 1 || x.Needs[0].Text != "OS level above 32 (ALPHA's)" {
		t.Errorf("BRAVO needs %+v", x.Needs)
	}
	if !strings.Contains(x.MasterWhy, "BRAVO accepts 198.18.1.255, PC7 broadcasts to 198.18.1.127") {
		t.Errorf("why: %s", x.MasterWhy)
	}
}

// twopreferred: ALPHA and BRAVO both preferred masters at os level 65; at
// t=60 ALPHA is master (BRAVO lost its start-up election at 50.19 on
// uptime). BRAVO needs a higher OS level, or ALPHA to restart: with the
// same settings the uptime decides. It is a preferred master already. Its
// ballot (frame 93) met ALPHA's better one at frame 94; the election is
// not over at t=60 (ALPHA, master in office, keeps the role when the
// ballots have stopped for ElectionSettle).
func TestExplainTwoPreferred(t *testing.T) {
	s := labAt(t, "twopreferred", 60)
	p := Predict(s)[0]
	if p.Winner != "ALPHA" || p.RunnerUp != "BRAVO" {
		t.Errorf("prediction %q over %q", p.Winner, p.RunnerUp)
	}
	x := Explain(s, "BRAVO", nil).Parts[0]
	var fields []string
	for _, n := range x.Needs {
		fields = append(fields, n.Field)
	}
	if !slices.Equal(fields, []string{"os level", "uptime"}) {
		t.Errorf("BRAVO needs %q (%s), want os level and uptime", fields, x.NeedText)
	}
	if !strings.Contains(x.MasterWhy, "it dropped out of election 2 (not over yet) at frame 94 when it heard ALPHA's ballot") {
		t.Errorf("why: %s", x.MasterWhy)
	}
	if !strings.HasPrefix(x.NeedText, "BRAVO needs OS level above 65 (ALPHA's), or a longer uptime than ALPHA's") {
		t.Errorf("need text: %s", x.NeedText)
	}
}

// typo: ACCT7 is in WROKGROUP; WORKGROUP's list does not hold it.
func TestExplainTypo(t *testing.T) {
	s := labAt(t, "typo", 60)
	x := Explain(s, "ACCT7", nil)
	if !x.Found || x.Parts[0].Workgroup != "WROKGROUP" {
		t.Fatalf("%+v", x)
	}
	if w := x.Parts[0].ListWhy; !strings.Contains(w, "not in the Browse List of WORKGROUP") ||
		!strings.Contains(w, "announced itself to WROKGROUP, not WORKGROUP") {
		t.Errorf("list: %s", w)
	}
}

// A real capture where entries expire (nDPI's netbios.pcap): NVR9's only
// HostAnnouncement is frame 20 (14:56:54.344593, periodicity 720000 ms
// per tshark), so its entry expires three periods later, 15:32:54.344593.
// The state is taken an hour after the first frame (the capture's last
// frame jumps to 2022).
func TestExplainExpired(t *testing.T) {
	s := stateAt(t, corpus.Path(t, "nbns-query-nbstat-nbss-request-browser_ndpi-netbios.pcap"), "ndpi", 3600)
	x := Explain(s, "NVR9", nil)
	if !x.Found {
		t.Fatalf("%+v", x)
	}
	p := x.Parts[0]
	if p.Listed || !strings.Contains(p.ListWhy, "expired at 2015-11-17T15:32:54.344593000Z, not announced since 2015-11-17T14:56:54.344593000Z (frame 20") {
		t.Errorf("list: %s", p.ListWhy)
	}
	if b := Explain(s, "10.0.5.93", nil); !b.Found || b.Host != "BOWIE" {
		t.Errorf("BOWIE by address: %+v", b)
	}
}

// dmb: the domain master browser DMB is on subnet A; LMBB is subnet B's
// master. At t=30 LMBB is not listed on A yet (and AHOST, of A, not on
// B): no exchange with the DMB has happened; LMBB is due on A through the
// DMB within two sync periods; by t=140 the DMB's list has it.
func TestForecastDMB(t *testing.T) {
	find := func(s *Snapshot, host string) *Newcomer {
		for _, f := range Forecasts(s) {
			for i := range f.Newcomers {
				if f.Newcomers[i].Host == host && f.Segment == "dmb/198.18.2.255" {
					return &f.Newcomers[i]
				}
			}
		}
		return nil
	}
	early := find(labAt(t, "dmb", 30), "LMBB")
	if early == nil || !slices.Equal(early.Subnets, []string{"dmb/198.18.1.255"}) || early.OtherBy.IsZero() ||
		early.OtherBy.Sub(early.ListedAt) > 2*DMBSyncPeriod || !strings.Contains(early.Text, "domain master browser DMB") {
		t.Fatalf("at 30 s: %+v", early)
	}
	s30 := labAt(t, "dmb", 30)
	if x := Explain(s30, "LMBB", nil).Parts[0].Subnets; !strings.Contains(x, "not listed on dmb/198.18.1.255: not synced through the domain master browser DMB") {
		t.Errorf("LMBB at 30 s: %s", x)
	}
	if x := Explain(s30, "AHOST", nil).Parts[0].Subnets; !strings.Contains(x, "no exchange between the local master of dmb/198.18.2.255 and it was seen") {
		t.Errorf("AHOST at 30 s: %s", x)
	}
	late := find(labAt(t, "dmb", 140), "LMBB")
	if late == nil || !strings.Contains(late.Text, "listed on dmb/198.18.1.255 already") {
		t.Errorf("at 140 s: %+v", late)
	}
	for _, f := range Forecasts(labAt(t, "os255", 100)) {
		if f.Backups.Hosts != 3 || f.Backups.Expected != 1 {
			t.Errorf("os255 backups %+v: 3 hosts (DMB, WS1, BIGOS) want 1", f.Backups)
		}
	}
}

// The announcement backoff of a new browser: 1, 2, 4, 8, 12 minutes, then
// every 12.
func TestNextAnnouncement(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ now, want time.Duration }{
		{0, time.Minute}, {time.Minute, 3 * time.Minute}, {5 * time.Minute, 7 * time.Minute},
		{10 * time.Minute, 15 * time.Minute}, {20 * time.Minute, 27 * time.Minute}, {30 * time.Minute, 39 * time.Minute},
	} {
		if got := NextAnnouncement(start, start.Add(c.now)); !got.Equal(start.Add(c.want)) {
			t.Errorf("after %v: %v, want %v", c.now, got.Sub(start), c.want)
		}
	}
}

// storm: CLIENT runs no browser; nbtool.py sends a RequestElection with
// version 0 and criteria 0 at t=28.6, 43.2, 58.5 and 72.6 (clients.log;
// frames 124, 159, 193, 227). It is no candidate, and as it runs no server
// service no announcement of it is due.
func TestExplainStormClient(t *testing.T) {
	s := labAt(t, "storm", 120)
	x := Explain(s, "CLIENT", nil).Parts[0]
	if !strings.Contains(x.MasterWhy, "it forced 4 election(s) (the first at frame 124) with a version 0 or criteria 0 ballot") || len(x.Needs) != 0 {
		t.Errorf("why: %s; needs %+v", x.MasterWhy, x.Needs)
	}
	for _, p := range Predict(s) {
		for _, c := range p.Contenders {
			if c.Host == "CLIENT" {
				t.Errorf("CLIENT is a contender: %+v", c)
			}
		}
	}
	for _, f := range Forecasts(s) {
		for _, n := range f.Newcomers {
			if n.Host == "CLIENT" {
				t.Errorf("a newcomer forecast for CLIENT: %s", n.Text)
			}
		}
	}
}

// relay: the router forwards subnet A's UDP 138 broadcasts to subnet B;
// AMASTER (198.18.1.11) is A's local master from t=52.4 to the end and
// holds no role on B, where BMASTER (os level 64) is master.
func TestExplainRelay(t *testing.T) {
	s := labAt(t, "relay", 120)
	x := Explain(s, "AMASTER", nil)
	var a, b *HostExplanation
	for _, p := range x.Parts {
		switch p.Segment {
		case "relay/198.18.1.255":
			a = p
		case "relay/198.18.2.255":
			b = p
		}
	}
	if a == nil || !a.Master {
		t.Fatalf("on A: %+v", a)
	}
	if b == nil || b.Master || len(b.Needs) != 0 ||
		!strings.Contains(b.MasterWhy, "is a host of relay/198.18.1.255 (it broadcasts to 198.18.1.255); its frames reach relay/198.18.2.255 only from its subnet") {
		t.Errorf("on B: %+v", b)
	}
	for _, p := range Predict(s) {
		if p.Segment == "relay/198.18.2.255" && p.Winner != "BMASTER" {
			t.Errorf("B: %s", p.Text)
		}
	}
}
