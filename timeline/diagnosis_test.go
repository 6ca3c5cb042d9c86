package timeline

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// The ground truth of the diagnoses (issue 13): every lab scenario of
// testdata/lab/EXPECTED.md gets its cause, with the right hosts and fix,
// and no other cause; on every other capture, lab or ../shared/pcaps,
// each diagnosis made is listed, with a one-line reason, in
// testdata/diagnoses.expected.

// labCause is what EXPECTED.md says of one scenario.
type labCause struct {
	kind  DiagnosisKind
	wg    string
	hosts []string // Hosts, in order (the one to change first)
	seg   string   // the segment's broadcast address
	fix   []string // phrases the fix has
}

var labCauses = map[string]labCause{
	"mask25": {DiagMaskMismatch, "LABWG", []string{"PC7"}, "198.18.1.255",
		[]string{"set PC7's netmask to 255.255.255.0", "it broadcasts to 198.18.1.127 while the segment uses 198.18.1.255"}},
	"relay": {DiagBroadcastForwarded, "LABWG", []string{"AHOST", "AMASTER"}, "198.18.2.255",
		[]string{"stop forwarding UDP 138 broadcasts from 198.18.1.0/24 to 198.18.2.0/24 on the router"}},
	"nofw138": {DiagUDP138Blocked, "LABWG", []string{"FWHOST"}, "198.18.1.255",
		[]string{"allow inbound UDP 138 on FWHOST"}},
	"multihomed": {DiagMultihomed, "LABWG", []string{"MULTI"}, "198.18.1.255",
		[]string{"give MULTI one address on this segment", "keep 198.18.1.21 and remove 198.18.1.22", "`interfaces = 198.18.1.21/24`"}},
	"twopreferred": {DiagPreferredMasters, "LABWG", []string{"BRAVO", "ALPHA"}, "198.18.1.255",
		[]string{"set `preferred master = no` on BRAVO (or ALPHA)"}},
	"os255": {DiagOverenabledBrowser, "LABWG", []string{"BIGOS"}, "198.18.1.255",
		[]string{"set BIGOS's `os level` below DMB's 65", "`local master = no` on BIGOS"}},
	"deadwins": {DiagWINSUnreachable, "", []string{"198.18.1.250", "198.18.1.99", "ALPHA", "BRAVO", "CHARLIE"}, "198.18.1.255",
		[]string{"point the WINS server setting of 198.18.1.99, ALPHA, BRAVO and CHARLIE at a running WINS server",
			"198.18.1.250 never answers a registration or a query"}},
	"typo": {DiagWorkgroupTypo, "WROKGROUP", []string{"ACCT7", "ACCT8"}, "198.18.1.255",
		[]string{"set the workgroup of ACCT7 and ACCT8 to WORKGROUP", "they have WROKGROUP, a near-miss of WORKGROUP"}},
	"spoof": {DiagNBNSSpoofing, "", []string{"198.18.1.66"}, "198.18.1.255",
		[]string{"remove the host at 198.18.1.66 from the network", "names it does not own"}},
}

// diagnosesOf replays a capture and returns its diagnosis events and the
// diagnoses of the final state.
func diagnosesOf(t *testing.T, path, label string) ([]*Diagnosis, []*Diagnosis) {
	t.Helper()
	evs, snap := replay(DefaultConfig(), readObservations(t, path, label))
	var out []*Diagnosis
	for _, e := range evs {
		if d := data[*Diagnosis](e); d != nil {
			if e.Kind != KindDiagnosis || e.Host != d.Hosts[0] || e.Frame != d.Frame {
				t.Errorf("diagnosis event header %+v does not match its data", e)
			}
			out = append(out, d)
		}
	}
	return out, snap.Diagnoses
}

func TestDiagnosisLab(t *testing.T) {
	for _, scen := range diagScenarios {
		t.Run(scen, func(t *testing.T) {
			want, ok := labCauses[scen]
			if !ok {
				t.Fatalf("no expected cause for %s", scen)
			}
			evs, final := diagnosesOf(t, labCapture(t, scen), scen)
			for _, d := range final {
				t.Logf("%s [%s, %s] %s %v: %s | fix: %s | %s | frames %v (%d updates)", d.Kind, d.Segment, d.Workgroup,
					d.Confidence, d.Hosts, d.Text, d.Fix, d.Basis, d.Frames, d.Updates)
			}
			for _, d := range evs {
				if d.Kind != want.kind {
					t.Errorf("other cause diagnosed: %s %v: %s", d.Kind, d.Hosts, d.Text)
				}
			}
			if len(final) != 1 {
				t.Fatalf("%d diagnoses, want 1 (%s)", len(final), want.kind)
			}
			d := final[0]
			if d.Kind != want.kind || d.Workgroup != want.wg || !slices.Equal(d.Hosts, want.hosts) ||
				d.Segment != scen+"/"+want.seg {
				t.Errorf("diagnosis %s [%s, %s] %v; want %s [%s/%s, %s] %v", d.Kind, d.Segment, d.Workgroup, d.Hosts,
					want.kind, scen, want.seg, want.wg, want.hosts)
			}
			for _, f := range want.fix {
				if !strings.Contains(d.Fix, f) {
					t.Errorf("fix %q lacks %q", d.Fix, f)
				}
			}
			if d.Confidence != ConfidenceHigh {
				t.Errorf("confidence %s (%s), want high", d.Confidence, d.Basis)
			}
			if len(d.Frames) == 0 || d.Text == "" || d.Basis == "" {
				t.Errorf("diagnosis without evidence, text or basis: %+v", d)
			}
			if d.Updates > maxDiagUpdates || len(evs) != d.Updates+1 {
				t.Errorf("%d events for %d updates", len(evs), d.Updates)
			}
		})
	}
}

// expectedDiagnosis is one line of testdata/diagnoses.expected:
// CAPTURE<TAB>KIND<TAB>SEGMENT<TAB>WORKGROUP<TAB>HOSTS<TAB>REASON, the
// segment without its label, the hosts comma-separated.
type expectedDiagnosis struct {
	capture, kind, seg, wg, hosts, reason string
	line                                  int
}

const expectedFile = "../testdata/diagnoses.expected"

func readExpected(t *testing.T) []expectedDiagnosis {
	t.Helper()
	f, err := os.Open(expectedFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []expectedDiagnosis
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		l := sc.Text()
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		p := strings.Split(l, "\t")
		if len(p) != 6 || strings.TrimSpace(p[5]) == "" {
			t.Fatalf("%s:%d: want 6 tab-separated fields, the last a reason: %q", expectedFile, n, l)
		}
		out = append(out, expectedDiagnosis{p[0], p[1], p[2], p[3], p[4], p[5], n})
	}
	return out
}

// expectedLine writes d as a line of the expectations file.
func expectedLine(capture string, d *Diagnosis) string {
	seg := d.Segment
	if i := strings.LastIndex(seg, "/"); i >= 0 {
		seg = seg[i+1:]
	}
	return capture + "\t" + d.Kind.String() + "\t" + seg + "\t" + d.Workgroup + "\t" + strings.Join(d.Hosts, ",")
}

// TestDiagnosisExpected replays every other capture: the lab captures
// that are not a diagnosis scenario, and ../shared/pcaps (through the
// corpus tier: skipped, and said so, without it). Each diagnosis made
// must be in testdata/diagnoses.expected, and each line there must be
// made.
func TestDiagnosisExpected(t *testing.T) {
	exp := readExpected(t)
	type capture struct{ name, path string }
	var caps []capture
	lab, _ := filepath.Glob(filepath.Join(labDir, "*.pcapng"))
	for _, p := range lab {
		name := strings.TrimSuffix(filepath.Base(p), ".pcapng")
		if !slices.Contains(diagScenarios, name) {
			caps = append(caps, capture{"lab/" + name, p})
		}
	}
	for _, p := range corpus.Maybe(t, "*") {
		caps = append(caps, capture{"shared/" + filepath.Base(p), p})
	}
	for _, p := range corpus.Maybe(t, "synthetic/*") {
		caps = append(caps, capture{"shared/synthetic/" + filepath.Base(p), p})
	}
	seen := map[string]bool{}
	for _, c := range caps {
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			_, final := diagnosesOf(t, c.path, "c")
			var made []string
			for _, d := range final {
				l := expectedLine(c.name, d)
				made = append(made, l)
				found := false
				for _, e := range exp {
					if l == strings.Join([]string{e.capture, e.kind, e.seg, e.wg, e.hosts}, "\t") {
						found = true
					}
				}
				if !found {
					t.Errorf("diagnosis not in %s: %s\t(reason)\n  %s: %s | fix: %s | %s | frames %v", expectedFile, l, d.Confidence, d.Text, d.Fix, d.Basis, d.Frames)
				}
			}
			for _, e := range exp {
				if e.capture == c.name && !slices.Contains(made, strings.Join([]string{e.capture, e.kind, e.seg, e.wg, e.hosts}, "\t")) {
					t.Errorf("%s:%d: %s %s %s is not diagnosed any more", expectedFile, e.line, e.capture, e.kind, e.hosts)
				}
			}
		})
	}
	for _, e := range exp {
		if strings.HasPrefix(e.capture, "lab/") && !seen[e.capture] {
			t.Errorf("%s:%d: no lab capture %s", expectedFile, e.line, e.capture)
		}
	}
}
