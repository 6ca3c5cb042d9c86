package timeline

import (
	"os"
	"testing"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// TestMain prints how many cases of the shared capture corpus ran.
func TestMain(m *testing.M) { os.Exit(corpus.Main(m)) }
