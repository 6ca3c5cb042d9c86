package pipeline

import (
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
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

// TestHoldGoal: holdGoal raises the heap goal to its target, and the next
// collection gives GOGC back. In a process of its own (GOGC is the
// process's).
func TestHoldGoal(t *testing.T) {
	if os.Getenv("NBTSNIFF_HOLDGOAL_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHoldGoal$", "-test.count=1")
		cmd.Env = append(os.Environ(), "NBTSNIFF_HOLDGOAL_CHILD=1", "GOGC=100")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	read := func(name string) uint64 {
		s := []metrics.Sample{{Name: name}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	const target = 64 << 20
	runtime.GC()
	holdGoal(target, 100)
	if gogc := read("/gc/gogc:percent"); gogc <= 100 {
		t.Fatalf("GOGC %d after holdGoal, want it raised", gogc)
	}
	if goal := read("/gc/heap/goal:bytes"); goal < target*9/10 || goal > target*11/10 {
		t.Errorf("heap goal %d after holdGoal(%d)", goal, target)
	}
	for deadline := time.Now().Add(5 * time.Second); read("/gc/gogc:percent") != 100; {
		if time.Now().After(deadline) {
			t.Fatalf("GOGC %d after collections, want 100 again", read("/gc/gogc:percent"))
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	// Where the target is below GOGC's goal, GOGC is left as it is.
	holdGoal(1<<20, 100)
	if gogc := read("/gc/gogc:percent"); gogc != 100 {
		t.Errorf("GOGC %d after holdGoal under the goal, want 100", gogc)
	}
}
