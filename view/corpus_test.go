package view

import (
	"os"
	"testing"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// TestMain prints the tests skipped for a missing tool (internal/corpus).
func TestMain(m *testing.M) { os.Exit(corpus.Main(m)) }
