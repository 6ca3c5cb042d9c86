//go:build linux

package capture

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// runUnprivileged runs the tests matching pattern in a copy of this test
// binary as user nobody (65534), which root may become; it fails the test
// if they fail or cannot run.
func runUnprivileged(t *testing.T, pattern string) {
	t.Helper()
	if os.Getuid() != 0 {
		t.Fatal("the packet socket opens without root: CAP_NET_RAW is granted to this user, so the refusal cannot be tested")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "nbtsniff-unprivileged")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil { // nobody must reach the copy
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "capture.test")
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run="+pattern, "-test.v")
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("as user nobody: %v\n%s", err, out)
	}
}
