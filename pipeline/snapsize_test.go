package pipeline

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// walkSize is the size walk as it was before the table of flat types:
// every element of a slice or array visited unless its type is opaque.
// The reference the walker's sizes must equal: the ring's thinning, and
// so the snapshots the time cursor finds, follow from them.
type walkSize struct{ seen map[uintptr]bool }

func (w *walkSize) ptr(v reflect.Value) int {
	if v.IsNil() || w.seen[v.Pointer()] {
		return 0
	}
	w.seen[v.Pointer()] = true
	return int(v.Elem().Type().Size()) + w.inside(v.Elem())
}

func (w *walkSize) inside(v reflect.Value) int {
	n := 0
	switch v.Kind() {
	case reflect.String:
		return v.Len()
	case reflect.Pointer:
		return w.ptr(v)
	case reflect.Slice:
		if v.IsNil() {
			return 0
		}
		n = v.Cap() * int(v.Type().Elem().Size())
		if opaque(v.Type().Elem()) {
			return n
		}
		for i := 0; i < v.Len(); i++ {
			n += w.inside(v.Index(i))
		}
	case reflect.Array:
		if !opaque(v.Type().Elem()) {
			for i := 0; i < v.Len(); i++ {
				n += w.inside(v.Index(i))
			}
		}
	case reflect.Struct:
		if !opaque(v.Type()) {
			for i := 0; i < v.NumField(); i++ {
				n += w.inside(v.Field(i))
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			n += int(it.Key().Type().Size()+it.Value().Type().Size()) + w.inside(it.Key()) + w.inside(it.Value())
		}
	case reflect.Interface:
		if v.IsNil() {
			return 0
		}
		e := v.Elem()
		if e.Kind() == reflect.Pointer {
			return w.ptr(e)
		}
		return int(e.Type().Size()) + w.inside(e)
	}
	return n
}

func walkedSize(s *timeline.Snapshot) int {
	w := walkSize{seen: map[uintptr]bool{}}
	return w.ptr(reflect.ValueOf(s))
}

// The keeper's walker, which skips the elements of slices and arrays of
// flat types, sizes every snapshot of the lab captures' rings as the walk
// visiting them all does, one walker over all of them as the keeper
// uses it.
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

// BenchmarkSnapshotSize is the keeper's walk of the last snapshot of a
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
