package natsfeed

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps: natsfeed is a source and a sink of frames, at the start of the
// data flow: of nbtsniff it imports capture only, never the decoders,
// trackers or views.
func TestDeps(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not in PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	const self = "github.com/nbtsniff/nbtsniff/natsfeed"
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/nbtsniff/nbtsniff/") && dep != self && dep != "github.com/nbtsniff/nbtsniff/capture" {
			t.Errorf("natsfeed depends on %s", dep)
		}
	}
}
