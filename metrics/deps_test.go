package metrics

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the package in its room (STYLE.md): it reads frames,
// events and snapshots and escapes with output; it never reaches the
// capture, the engine, the view or the command.
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
		case "metrics", "timeline", "dissect", "output", "internal/hugepage":
		default:
			t.Errorf("metrics depends on %s", dep)
		}
	}
}
