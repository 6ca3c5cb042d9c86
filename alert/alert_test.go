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
		{Alert{Class: ClassDiagnosis, Kind: "wrong_workgroup", Workgroup: "MY GROUP", Host: `A"B\C=D`},
			`diagnosis wrong_workgroup workgroup="MY GROUP" host="A\"B\\C=D"`},
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
		case "alert", "timeline", "dissect", "output":
		default:
			t.Errorf("alert depends on %s", dep)
		}
	}
}
