package alert

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

func TestFromEvent(t *testing.T) {
	ev := timeline.Event{Time: t0, Frame: 130, Kind: timeline.KindAnomaly, Data: &timeline.Anomaly{Kind: timeline.AnomalyElectionStorm},
		Segment: "lab/198.18.1.255", Workgroup: "LABWG", Host: "DELTA", Detail: "6 elections in 5m0s", Frames: []int{12, 130}}
	a, ok := FromEvent(&ev)
	if !ok {
		t.Fatal("an anomaly is not an alert")
	}
	want := Alert{Time: t0, Class: ClassAnomaly, Kind: "election_storm", Segment: "lab/198.18.1.255", Workgroup: "LABWG",
		Host: "DELTA", Detail: "6 elections in 5m0s", JSON: output.AppendEvent(nil, &ev)}
	if a.String() != want.String() || string(a.JSON) != string(want.JSON) || a.Kind != want.Kind {
		t.Errorf("FromEvent = %+v\nwant        %+v", a, want)
	}
	dev := timeline.Event{Time: t0, Frame: 118, Kind: timeline.KindDiagnosis, Segment: "lab/198.18.1.255", Workgroup: "LABWG", Host: "PC7",
		Data: &timeline.Diagnosis{Kind: timeline.DiagMaskMismatch, Hosts: []string{"PC7"}, Confidence: timeline.ConfidenceHigh,
			Text: "PC7 broadcasts to 198.18.1.127", Fix: "set PC7's netmask to 255.255.255.0"}, Frames: []int{15, 118}}
	d, ok := FromEvent(&dev)
	if !ok || d.Class != ClassDiagnosis || d.Kind != "mask_mismatch" || string(d.JSON) != string(output.AppendEvent(nil, &dev)) ||
		d.String() != "diagnosis mask_mismatch segment=lab/198.18.1.255 workgroup=LABWG host=PC7 time=2026-11-22T00:58:11.613Z: "+
			"PC7 broadcasts to 198.18.1.127; fix: set PC7's netmask to 255.255.255.0 (confidence high)" {
		t.Errorf("FromEvent(diagnosis) = %+v, %v: %s", d, ok, d.String())
	}
	for _, ev := range []timeline.Event{
		{Time: t0, Kind: timeline.KindElectionStart, Segment: "lab/198.18.1.255"},
		{Time: t0, Kind: timeline.KindRoleBegin, Host: "DELTA"},
		{Time: t0, Kind: timeline.KindNameConflict, Host: "DELTA"},
	} {
		if a, ok := FromEvent(&ev); ok {
			t.Errorf("%s is an alert", a.JSON)
		}
	}
}

func TestAlertString(t *testing.T) {
	long := strings.Repeat("W", 200)
	for _, tc := range []struct {
		a    Alert
		want string
	}{
		{Alert{Class: ClassAnomaly, Kind: "split_brain", Segment: "lab/198.18.1.255", Workgroup: "LABWG", Host: "DELTA"},
			"anomaly split_brain segment=lab/198.18.1.255 workgroup=LABWG host=DELTA"},
		{Alert{Class: ClassDiagnosis, Kind: "workgroup_typo", Workgroup: "MY GROUP", Host: `A"B\C=D`},
			`diagnosis workgroup_typo workgroup="MY GROUP" host="A\"B\\C=D"`},
		{Alert{Class: ClassAnomaly, Kind: "limit", Host: "\u202eexe.txt", Detail: "line\r\nbreak\x00"},
			`anomaly limit host="\xe2\x80\xaeexe.txt": line\r\nbreak\x00`},
		{Alert{Class: ClassAnomaly, Kind: "limit", Workgroup: long},
			"anomaly limit workgroup=" + strings.Repeat("W", maxValue-3) + "..."},
		{Alert{Class: ClassAnomaly, Kind: "limit", Workgroup: long + " "},
			`anomaly limit workgroup="` + strings.Repeat("W", maxValue-3) + `..."`},
		{Alert{Class: ClassAnomaly, Kind: "limit", Detail: strings.Repeat("é", 400)},
			"anomaly limit: " + strings.Repeat("é", (maxDetail-3)/2) + "..."},
	} {
		if got := tc.a.String(); got != tc.want {
			t.Errorf("String() = %q\nwant       %q", got, tc.want)
		}
	}
}

// AnomalyKinds has one distinct name for each of the timeline's Anomaly*
// constants: a kind added there and not here fails.
func TestAnomalyKindsComplete(t *testing.T) {
	files, err := filepath.Glob("../timeline/*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	consts := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, s := range gd.Specs {
				for _, n := range s.(*ast.ValueSpec).Names {
					if strings.HasPrefix(n.Name, "Anomaly") {
						consts[n.Name] = true
					}
				}
			}
		}
	}
	kinds := AnomalyKinds()
	seen := map[string]bool{}
	valid := regexp.MustCompile(`^[a-z][a-z_]*[a-z]$`)
	for _, k := range kinds {
		if seen[k] || !valid.MatchString(k) {
			t.Errorf("kind %q repeated or not a kind name", k)
		}
		seen[k] = true
	}
	if len(consts) != len(kinds) || len(kinds) < 19 {
		t.Errorf("timeline has %d Anomaly constants, AnomalyKinds lists %d", len(consts), len(kinds))
	}
}

// DiagnosisKinds has one distinct name for each of the timeline's Diag*
// constants, none of them an anomaly kind's: --fail-on names both.
func TestDiagnosisKindsComplete(t *testing.T) {
	consts := timelineConsts(t, "Diag")
	kinds := DiagnosisKinds()
	seen := map[string]bool{}
	for _, k := range AnomalyKinds() {
		seen[k] = true
	}
	valid := regexp.MustCompile(`^[a-z][a-z0-9_]*[a-z0-9]$`)
	for _, k := range kinds {
		if seen[k] || !valid.MatchString(k) {
			t.Errorf("diagnosis kind %q repeated, an anomaly kind's name, or not a kind name", k)
		}
		seen[k] = true
	}
	if len(consts) != len(kinds) || len(kinds) < 19 {
		t.Errorf("timeline has %d Diag constants, DiagnosisKinds lists %d", len(consts), len(kinds))
	}
	for _, k := range []string{"mask_mismatch", "broadcast_forwarded", "udp138_blocked", "multihomed", "nbns_spoofing",
		"wins_unreachable", "workgroup_typo", "overenabled_browser", "preferred_masters"} {
		if _, err := ParseFailOn(k, Kinds()); err != nil {
			t.Errorf("--fail-on %s: %v", k, err)
		}
	}
}

// timelineConsts lists the names of the timeline's constants that begin
// with prefix and are of a type named like it (AnomalyKind, DiagnosisKind).
func timelineConsts(t *testing.T, prefix string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("../timeline/*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	consts := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, s := range gd.Specs {
				for _, n := range s.(*ast.ValueSpec).Names {
					if strings.HasPrefix(n.Name, prefix) && n.Name != prefix {
						consts[n.Name] = true
					}
				}
			}
		}
	}
	return consts
}

// TestDeps keeps the package a renderer: it reads events and escapes with
// output; it never reaches the capture, the engine, the view or the
// command.
func TestDeps(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not in PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	const mod = "github.com/nbtsniff/nbtsniff/"
	for _, dep := range strings.Fields(string(out)) {
		if !strings.HasPrefix(dep, mod) {
			continue
		}
		switch strings.TrimPrefix(dep, mod) {
		case "alert", "timeline", "dissect", "output", "internal/hugepage":
		default:
			t.Errorf("alert depends on %s", dep)
		}
	}
}
