package specframes

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/specframes from the builders")

// dir is testdata/specframes from this package's directory.
var dir = filepath.Join("..", "..", "testdata", "specframes")

// TestFilesUpToDate: every committed file is what its builder makes, byte
// for byte, and every file of the directory has a builder.
func TestFilesUpToDate(t *testing.T) {
	want := map[string]bool{"README.md": true}
	for _, f := range Files() {
		want[f.Name] = true
		path := filepath.Join(dir, f.Name)
		b := f.Bytes()
		if *update {
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%v (go test ./internal/specframes -update writes it)", err)
			continue
		}
		if !bytes.Equal(got, b) {
			t.Errorf("%s is not what its builder makes (go test ./internal/specframes -update rewrites it)", f.Name)
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !want[e.Name()] {
			t.Errorf("%s: no builder makes it", e.Name())
		}
	}
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Files() {
		if !strings.Contains(string(readme), "`"+f.Name+"`") {
			t.Errorf("README.md does not describe %s", f.Name)
		}
	}
}
