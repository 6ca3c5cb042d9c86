package capture

import (
	"os"
	"testing"

	shared "github.com/nbtsniff/nbtsniff/internal/corpus"
)

// TestMain prints how many cases of the shared capture corpus ran.
func TestMain(m *testing.M) { os.Exit(shared.Main(m)) }
