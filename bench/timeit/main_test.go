//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRunMeasures: the line has the wall time to the microsecond (a
// 50 ms sleep is not rounded to 0.05 or 0.06), CPU times, a resident
// size and page faults; the command's exit status is passed on.
func TestRunMeasures(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	out := filepath.Join(t.TempDir(), "time")
	code, err := run(out, []string{sh, "-c", "sleep 0.05; exit 3"})
	if err != nil || code != 3 {
		t.Fatalf("run = %d, %v; want 3, nil", code, err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b))
	if len(f) != 5 {
		t.Fatalf("line %q: want 5 fields", b)
	}
	wall, err := strconv.ParseFloat(f[0], 64)
	if err != nil || wall < 0.05 || wall > 5 {
		t.Fatalf("wall %q: want at least 0.05 s", f[0])
	}
	if dot := strings.IndexByte(f[0], '.'); len(f[0])-dot-1 != 6 {
		t.Errorf("wall %q: want six decimals", f[0])
	}
	for i, name := range []string{"user", "sys"} {
		if v, err := strconv.ParseFloat(f[1+i], 64); err != nil || v < 0 {
			t.Errorf("%s %q: want a number of seconds", name, f[1+i])
		}
	}
	if rss, err := strconv.Atoi(f[3]); err != nil || rss <= 0 {
		t.Errorf("max RSS %q: want KiB above 0", f[3])
	}
	if pf, err := strconv.Atoi(f[4]); err != nil || pf <= 0 {
		t.Errorf("page faults %q: want a count above 0", f[4])
	}
}

// TestRunMissingCommand: a command that cannot start is an error and 127,
// and no line is written.
func TestRunMissingCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "time")
	code, err := run(out, []string{filepath.Join(t.TempDir(), "no-such-command")})
	if err == nil || code != 127 {
		t.Fatalf("run = %d, %v; want 127 and an error", code, err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s written for a command that did not start", out)
	}
}
