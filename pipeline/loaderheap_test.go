package pipeline

import (
	"runtime"
	"testing"
)

func TestHeapWarmth(t *testing.T) {
	for _, c := range []struct {
		size int64
		want int
	}{
		{0, 0},
		{100 << 20, 0},             // a short load: nothing
		{255 << 20, 0},             // under 8 MiB
		{256 << 20, 8 << 20},       // a 32nd
		{494_000_000, 14 << 20},    // rounded down to huge pages
		{1035391487, 30 << 20},     // the 1 GB mix
		{10_500_000_000, 32 << 20}, // the ring's budget
	} {
		if got := heapWarmth(c.size); got != c.want {
			t.Errorf("heapWarmth(%d) = %d, want %d", c.size, got, c.want)
		}
	}
}

// TestWarmHeapLeavesPagesToReuse: once warmHeap returns, the heap holds
// the memory it faulted in, free (idle and not released to the system),
// for the allocations that follow.
func TestWarmHeapLeavesPagesToReuse(t *testing.T) {
	const n = 16 << 20
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
