package timeline

import (
	"strings"
	"testing"
)

// A host that forces an election every five minutes, each kept by the
// master in office, and goes on voting after the master's better ballot
// (it does not hear it: nofw138 capture, FWHOST): no count of elections
// within five minutes catches it, the pattern does.
func TestStormPattern(t *testing.T) {
	obs := []Observation{lma(1, 0, "11", "ALPHA", "LABWG")}
	frame := 2
	for i := 0; i < 3; i++ {
		base := 60 + 300*float64(i)
		obs = append(obs, elect(frame, base, "13", "FWHOST", "LABWG", 1, 0x14010f0a, uint32(base*1000)))
		obs = append(obs, elect(frame+1, base+0.1, "11", "ALPHA", "LABWG", 1, 0x41010f07, uint32(base*1000)))
		// BRAVO answers FWHOST's weaker ballot, loses to ALPHA's: no deafness.
		obs = append(obs, elect(frame+2, base+0.2, "12", "BRAVO", "LABWG", 1, 0x20010f02, uint32(base*1000)))
		for k := 1; k <= 4; k++ { // FWHOST goes on, two seconds apart
			sec := base + 2*float64(k)
			obs = append(obs, elect(frame+2+k, sec, "13", "FWHOST", "LABWG", 1, 0x14010f0a, uint32(sec*1000)))
		}
		frame += 10
	}
	evs, _ := run(DefaultConfig(), 1000, obs...)
	storms := anomalies(evs, AnomalyElectionStorm)
	if len(storms) != 1 {
		t.Fatalf("election_storm = %+v", storms)
	}
	d := storms[0].Detail
	for _, want := range []string{
		"FWHOST started 3 elections for LABWG on lan/10.0.0.255 within 10m0s (one every 5m0s on average), and ALPHA stayed local master each time",
		"FWHOST went on voting after it lost (12 ballots after a better one, ALPHA's, none answering a weaker ballot): it does not hear the other browsers",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("detail %q lacks %q", d, want)
		}
	}
	if storms[0].Host != "FWHOST" {
		t.Errorf("host = %s", storms[0].Host)
	}
	for _, e := range kinds(evs, KindElectionEnd) {
		if ee := data[*ElectionEnd](e); ee.Outcome != OutcomeKept || ee.Winner != "ALPHA" {
			t.Errorf("election end = %+v", ee)
		}
	}
}

// A browser that takes part again to answer a weaker ballot is not deaf
// (nofw138 capture: BRAVO, frames 151-160, answering FWHOST's); one that
// sends again with nothing to answer is.
func TestLateBallots(t *testing.T) {
	tr := New(DefaultConfig(), nil)
	for _, o := range []Observation{
		elect(1, 0, "13", "FWHOST", "LABWG", 1, 0x14010f0a, 1000),
		elect(2, 0.1, "12", "BRAVO", "LABWG", 1, 0x20010f02, 1000),
		elect(3, 0.2, "11", "ALPHA", "LABWG", 1, 0x41010f02, 1000), // BRAVO, FWHOST lose
		elect(4, 2, "13", "FWHOST", "LABWG", 1, 0x14010f0a, 3000),  // deaf
		elect(5, 2.1, "12", "BRAVO", "LABWG", 1, 0x20010f02, 3000), // answers FWHOST's
		elect(6, 2.2, "11", "ALPHA", "LABWG", 1, 0x41010f02, 3000),
		elect(7, 4, "12", "BRAVO", "LABWG", 1, 0x20010f02, 5000), // nothing to answer
	} {
		tr.Observe(o)
	}
	g := tr.findGroup("lan/10.0.0.255", "LABWG")
	if v := g.voters["FWHOST"]; v == nil || v.deaf != 1 || v.beaten != "BRAVO" || len(v.frames) != 1 || v.frames[0] != 4 {
		t.Errorf("FWHOST = %+v", v)
	}
	if v := g.voters["BRAVO"]; v == nil || v.deaf != 1 || len(v.frames) != 1 || v.frames[0] != 7 {
		t.Errorf("BRAVO = %+v", v)
	}
}

// Elections that change the master, or that a host starts twice only, are
// no pattern.
func TestStormPatternNotRaised(t *testing.T) {
	var obs []Observation
	frame := 1
	for i := 0; i < 3; i++ {
		base := 300 * float64(i)
		// Each time a new master: ALPHA, then BRAVO, then ALPHA.
		name, src := "ALPHA", "11"
		if i%2 == 1 {
			name, src = "BRAVO", "12"
		}
		obs = append(obs, elect(frame, base, "13", "FWHOST", "LABWG", 1, 0x14010f0a, 1000),
			elect(frame+1, base+0.1, src, name, "LABWG", 1, 0x41010f02, uint32(base*1000)+1000),
			lma(frame+2, base+10, src, name, "LABWG"))
		frame += 3
	}
	evs, _ := run(DefaultConfig(), 1000, obs...)
	if s := anomalies(evs, AnomalyElectionStorm); len(s) != 0 {
		t.Errorf("election_storm = %+v", s)
	}
}

// The nofw138 capture: FWHOST, whose firewall drops UDP 138, forces
// elections ALPHA keeps and goes on voting after ALPHA's better ballot.
func TestStormPatternNofw138Capture(t *testing.T) {
	evs, _ := replay(DefaultConfig(), readObservations(t, labCapture(t, "nofw138"), "nofw138"))
	s := anomalies(evs, AnomalyElectionStorm)
	if len(s) != 1 || s[0].Host != "FWHOST" || !strings.Contains(s[0].Detail, "ALPHA stayed local master each time") ||
		!strings.Contains(s[0].Detail, "FWHOST went on voting after it lost") {
		t.Errorf("election_storm = %+v", s)
	}
}
