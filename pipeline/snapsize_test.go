package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// walkedSize is the size walk visiting every element of a slice or
// array unless its type is opaque (sizeWalker.visitAll): the reference
// the loader's sizes must equal, since the ring's thinning, and so the
// snapshots the time cursor finds, follow from them.
func walkedSize(s *timeline.Snapshot) int {
	w := sizeWalker{visitAll: true}
	return w.size(s)
}

// The loader's walker, which reads the values in place by the plans of
// their types and skips the elements of slices and arrays of flat types,
// sizes every snapshot of the lab captures' rings as the walk by
// reflection visiting them all does, one walker over all of them as the
// loader uses it.
func TestSizeWalkerIsTheWalk(t *testing.T) {
	var w sizeWalker
	checked := 0
	for _, name := range []string{"storm.pcapng", "dmb.pcapng", "election.pcapng", "multihomed.pcapng", "spoof.pcapng"} {
		l := loadAll(t, files(labPcap(t, name)), LoaderConfig{})
		s := l.Sample()
		for _, sn := range append(s.Snapshots, s.Latest) {
			if got, want := w.size(sn), walkedSize(sn); got != want {
				t.Fatalf("%s: snapshot at %v: %d bytes, the walk %d", filepath.Base(name), sn.Time, got, want)
			}
			checked++
		}
	}
	if len(w.flat) == 0 || checked < 10 {
		t.Fatalf("%d snapshots checked, %d types found: the test shows nothing", checked, len(w.flat))
	}
}

// BenchmarkSnapshotSize is the loader's walk of the last snapshot of a
// storm (or of NBTSNIFF_BENCH_FILE's load), against the walk visiting
// every element (walk=all).
func BenchmarkSnapshotSize(b *testing.B) {
	path := os.Getenv("NBTSNIFF_BENCH_FILE")
	if path == "" {
		path = labPcap(b, "storm.pcapng")
	}
	s := loadAll(b, files(path), LoaderConfig{}).Sample().Latest
	b.Run("walker", func(b *testing.B) {
		var w sizeWalker
		for range b.N {
			w.size(s)
		}
	})
	b.Run("walk=all", func(b *testing.B) {
		for range b.N {
			walkedSize(s)
		}
	})
}
