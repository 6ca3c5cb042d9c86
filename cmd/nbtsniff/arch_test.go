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
// and reassembly feeds dissect (../shared/STYLE.md, "The shape of the
// house"). The frame loop is pipeline's alone: the view reads a
// feed.Source and opens no capture, runs no engine.
var forbidden = map[string][]string{
	"dissect":    {"reassembly", "timeline", "view", "output", "filter", "capture", "cmd"},
	"capture":    {"dissect", "reassembly", "timeline", "view", "output", "filter", "cmd"},
	"reassembly": {"timeline", "view", "output", "filter", "capture", "cmd"},
	"filter":     {"reassembly", "timeline", "view", "output", "capture", "cmd"},
	"output":     {"reassembly", "view", "filter", "capture", "cmd"},
	"timeline":   {"reassembly", "view", "output", "filter", "capture", "cmd"},
	"feed":       {"reassembly", "pipeline", "view", "output", "filter", "capture", "cmd"},
	"pipeline":   {"view", "cmd"},
	"view":       {"reassembly", "pipeline", "capture", "cmd"},
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
	for _, pkg := range []string{"dissect", "reassembly", "timeline"} {
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
