package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/nbtsniff/nbtsniff/"

// forbidden lists, per package, the project packages it must not import
// (directly or not): data flows one way, cmd > view > timeline > dissect,
// and engine drives reassembly and dissect (../shared/STYLE.md, "The shape of the
// house").
var forbidden = map[string][]string{
	"dissect":    {"engine", "reassembly", "timeline", "view", "output", "filter", "capture", "cmd"},
	"capture":    {"dissect", "engine", "reassembly", "timeline", "view", "output", "filter", "cmd"},
	"reassembly": {"engine", "timeline", "view", "output", "filter", "capture", "cmd"},
	"engine":     {"timeline", "view", "output", "filter", "capture", "cmd"},
	"filter":     {"engine", "reassembly", "timeline", "view", "output", "capture", "cmd"},
	"output":     {"engine", "reassembly", "view", "filter", "capture", "cmd"},
	"timeline":   {"engine", "reassembly", "view", "output", "filter", "capture", "cmd"},
	"view":       {"cmd"},
}

func TestImportDirection(t *testing.T) {
	for pkg, bad := range forbidden {
		if _, err := os.Stat(filepath.Join("../..", pkg)); err != nil {
			continue
		}
		out, err := exec.Command("go", "list", "-deps", module+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, b := range bad {
				if dep == module+b || strings.HasPrefix(dep, module+b+"/") {
					t.Errorf("%s imports %s: data must flow the other way", pkg, dep)
				}
			}
		}
	}
}

// TestNoWallClock: capture time drives everything below the CLI; replaying
// a capture must give the same answer, so no decoder, reassembler or
// tracker reads the wall clock.
func TestNoWallClock(t *testing.T) {
	for _, pkg := range []string{"dissect", "engine", "reassembly", "timeline"} {
		files, _ := filepath.Glob(filepath.Join("../..", pkg, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte("time.Now()")) || bytes.Contains(b, []byte("time.Since(")) {
				t.Errorf("%s reads the wall clock", f)
			}
		}
	}
}
