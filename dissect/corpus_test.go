package dissect

import (
	"os"
	"testing"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// TestMain prints how many cases of the shared capture corpus ran.
func TestMain(m *testing.M) { os.Exit(corpus.Main(m)) }

// repoOrCorpus returns the path of a capture read by a test: one of the
// corpus (under ../shared/pcaps) is a corpus case, skipped without the
// corpus; one of the repository must be there.
func repoOrCorpus(tb testing.TB, path string) string {
	tb.Helper()
	if p := corpus.Case(tb, path); p != path {
		return p
	}
	if _, err := os.Stat(path); err != nil {
		tb.Fatal(err)
	}
	return path
}
