package crafted

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/crafted from the builders")

// TestFilesUpToDate: every committed crafted capture is what its builder
// makes, byte for byte.
func TestFilesUpToDate(t *testing.T) {
	for name, build := range Files {
		path := filepath.Join("..", "..", "testdata", "crafted", name)
		want := build()
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v (go test ./internal/crafted -update writes it)", name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from its builder (go test ./internal/crafted -update rewrites it)", name)
		}
	}
}
