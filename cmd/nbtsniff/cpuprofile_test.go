package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --cpuprofile writes a whole Go CPU profile (gzip of a profile.proto
// whose string table names the cpu samples) once the run has ended, and
// does not change the run's output; a path that cannot be created is an
// error before anything is read.
func TestCPUProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.prof")
	code, stdout, stderr := runCLI("-r", "../../testdata/pcaps/election.pcapng", "--report", "--cpuprofile", path)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	_, plain, _ := runCLI("-r", "../../testdata/pcaps/election.pcapng", "--report")
	if stdout != plain {
		t.Error("the report differs with --cpuprofile")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the profile is not gzip: %v", err)
	}
	proto, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("the profile is cut short: %v", err)
	}
	for _, s := range []string{"samples", "cpu", "nanoseconds"} {
		if !bytes.Contains(proto, []byte(s)) {
			t.Errorf("the profile's strings lack %q", s)
		}
	}

	bad := filepath.Join(t.TempDir(), "missing", "cpu.prof")
	code, stdout, stderr = runCLI("-r", "../../testdata/pcaps/election.pcapng", "--report", "--cpuprofile", bad)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "--cpuprofile") || !strings.Contains(stderr, bad) {
		t.Errorf("unwritable profile: exit %d, stdout %d bytes, stderr %q: want 1, nothing read, the flag and path named", code, len(stdout), stderr)
	}
}
