package timeline

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeps keeps the package in its room (STYLE.md): the timeline reads
// typed observations (and, in the adapter, decoded frames from dissect);
// it never reaches down to capture or the engine, nor up to the printers,
// the view or the command.
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
		switch {
		case !strings.HasPrefix(dep, mod) && !strings.HasPrefix(dep, "github.com/charmbracelet/"):
		case dep == mod+"timeline", dep == mod+"dissect":
		default:
			t.Errorf("timeline depends on %s", dep)
		}
	}
}

// TestCaptureTimeOnly: nothing in the package reads the wall clock; every
// time comes from the capture.
func TestCaptureTimeOnly(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"time.Now(", "time.Since(", "time.Until(", "time.Sleep(", "time.After(", "time.Tick("} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s calls %s", f, bad)
			}
		}
	}
}
