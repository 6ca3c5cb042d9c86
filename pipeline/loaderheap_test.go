package pipeline

import (
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestHeapWarmth(t *testing.T) {
	for _, c := range []struct {
		size int64
		want int
	}{
		{0, 0},
		{100 << 20, 0},          // a short load: nothing
		{159 << 20, 0},          // under 8 MiB
		{160 << 20, 8 << 20},    // a 20th
		{494_000_000, 22 << 20}, // rounded down to huge pages
		{1035391487, 48 << 20},  // the 1 GB mix: the ring's budget and half
		{10_500_000_000, 48 << 20},
	} {
		if got := heapWarmth(c.size); got != c.want {
			t.Errorf("heapWarmth(%d) = %d, want %d", c.size, got, c.want)
		}
	}
}

// TestWarmHeapLeavesPagesToReuse: once warmHeap returns, the heap holds
// the memory it faulted in, free (idle and not released to the system),
// for the allocations that follow. In a process of its own, whose heap
// has not been big before (as the UI's at its load), with a heap goal
// above what it keeps: else the runtime's scavenger may return some of
// it at once (the load's figures show it mostly does not in the time the
// reader leaves, but this test could not tell apart).
func TestWarmHeapLeavesPagesToReuse(t *testing.T) {
	const n = 16 << 20
	if os.Getenv("NBTSNIFF_WARMHEAP_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWarmHeapLeavesPagesToReuse$", "-test.count=1")
		cmd.Env = append(os.Environ(), "NBTSNIFF_WARMHEAP_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	defer debug.SetGCPercent(debug.SetGCPercent(2000))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	warmHeap(n)
	runtime.ReadMemStats(&after)
	if kept := int64(after.HeapIdle) - int64(after.HeapReleased); kept < n/2 {
		t.Errorf("the heap keeps %d bytes idle and not released after warmHeap(%d), want at least %d", kept, n, n/2)
	}
	if live := int64(after.HeapAlloc) - int64(before.HeapAlloc); live > n/2 {
		t.Errorf("the heap's live bytes grew by %d: warmHeap's memory was not freed", live)
	}
}

// TestWarmHeapOnce: a heap that has the memory free already is not
// warmed again (its pages would be cleared again, beside the reader).
func TestWarmHeapOnce(t *testing.T) {
	const n = 16 << 20
	defer debug.SetGCPercent(debug.SetGCPercent(2000))
	warmHeap(n)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	warmHeap(n)
	runtime.ReadMemStats(&after)
	if after.NumForcedGC != before.NumForcedGC || after.TotalAlloc-before.TotalAlloc >= n/2 {
		t.Errorf("a second warmHeap(%d) allocated %d bytes and forced %d collections", n, after.TotalAlloc-before.TotalAlloc, after.NumForcedGC-before.NumForcedGC)
	}
}
