package capture

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the package where it belongs: capture is the start of the
// data flow, so it imports no other nbtsniff package, and its default
// build is pure Go (libpcap only with -tags pcap).
func TestDeps(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not in PATH")
	}
	const self = "github.com/nbtsniff/nbtsniff/capture"
	for _, tt := range []struct {
		tags, cgo string
		forbidden []string
	}{
		{"", "0", []string{"github.com/nbtsniff/nbtsniff/", "github.com/gopacket/gopacket/pcap"}},
		{"pcap", "1", []string{"github.com/nbtsniff/nbtsniff/"}},
	} {
		cmd := exec.Command(goTool, "list", "-deps", "-tags", tt.tags, ".")
		cmd.Env = append(cmd.Environ(), "CGO_ENABLED="+tt.cgo)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -deps -tags %q: %v", tt.tags, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep != self && forbidden(dep, tt.forbidden) {
				t.Errorf("tags %q: capture depends on %s", tt.tags, dep)
			}
		}
	}
}

// forbidden reports whether dep is a package in or under one of the paths
// ("x/" for anything under x).
func forbidden(dep string, paths []string) bool {
	for _, p := range paths {
		if dep == p || strings.HasSuffix(p, "/") && strings.HasPrefix(dep, p) {
			return true
		}
	}
	return false
}
