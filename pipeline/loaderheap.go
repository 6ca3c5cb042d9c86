package pipeline

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"

	"github.com/nbtsniff/nbtsniff/internal/gcgoal"
	"github.com/nbtsniff/nbtsniff/internal/hugepage"
)

// The fast load of a big file is two phases when the NBT traffic is a
// small part of it: the reader alone over the other traffic (one core
// busy, the loader and the decoder waiting for batches, the Go heap not
// growing), then the NBT frames, whose decoder, timeline, events and ring
// of snapshots grow the heap by some 40 MB (the 1 GB mix): fresh memory,
// every 4 KiB page of it a page fault on first touch, some 11 us each on
// the 2-vCPU VM of issue 15: 11,000 of the load's 14,500 faults came in
// that second phase, on the three goroutines that the load then waits
// for. warmHeap moves that work to the first phase, on the core the
// reader leaves idle: it has the heap fault in memory of its own (on huge
// pages where the system gives them: a fault a 2 MiB page), then frees it
// (a collection), so that the allocations of the second phase reuse those
// pages instead of fresh ones. The collector's goal is then held at the
// memory warmed until its next collection (holdGoal), and is GOGC's again
// from there on.
//
// heapWarmth is how much: the ring's budget of snapshots and half as
// much again (the events, the timeline's state, the decoder's: the 1 GB
// mix's NBT phase grew the heap by 40-45 MB; with 30 MiB warmed, 8,000
// faults a load were left, with 48 MiB 3,700-4,400), less for an input
// under 1 GB (a 20th of its size), none under 160 MB (the load is short:
// the reader's first phase would not hide the work) nor for a load of
// the first -c frames. A load that never
// grows its heap that much keeps the pages, idle, until the runtime's
// scavenger returns them: the UI's resident set holds them either way.
func heapWarmth(inputSize int64) int {
	const least, page = 8 << 20, 2 << 20
	n := min(int64(maxSnapshotBytes)*3/2, inputSize/20) &^ (page - 1)
	if n < least {
		return 0
	}
	return int(n)
}

// warmHeap faults in n bytes of the Go heap and frees them (heapWarmth),
// less what the heap holds free already: a process whose heap was that
// big before (a second load, the benchmark's loads) has its pages,
// faulted in or returned to the system, which warming again did not make
// cheaper (BenchmarkTUILoad: the load's CPU 0.41-0.51 s without, 0.65
// with: the big allocation's pages cleared again, the collection beside
// the reader).
func warmHeap(n int) {
	n -= heapFree()
	if n < 2<<20 {
		return
	}
	// No collection while it allocates (the heap's first goal is 4 MB:
	// a cycle would start for nothing, beside the reader).
	gogc := debug.SetGCPercent(-1)
	touchHeap(n)
	runtime.GC()
	holdGoal(n, gogc)
}

// holdGoal sets the collector's GOGC back to gogc, raised for now so that
// its heap goal is about target bytes (the memory warmHeap left free)
// until its next collection, after which GOGC is gogc again (a cleanup of
// an object dropped now restores it): the allocations of the load's NBT
// phase then grow the heap into the pages warmed for them instead of
// collecting three times on the way (at goals of some 8-9, 16-25 and
// 28-36 MB for the 1 GB mix: mark workers and assists beside the decoder
// and the loader, which that phase keeps busy on both cores). The resident set
// is the same: those pages are resident already. A collection at the
// raised goal is followed by one at GOGC's goal, so the heap is bounded
// as before from there on. Nothing is raised where GOGC is off or would
// give a goal above target.
func holdGoal(target, gogc int) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/globals:bytes"}, {Name: "/gc/scan/stack:bytes"}}
	metrics.Read(s)
	var v [3]int
	for i, x := range s {
		if x.Value.Kind() == metrics.KindUint64 {
			v[i] = int(x.Value.Uint64())
		}
	}
	// The goal is the live heap and GOGC percent of the roots: that heap,
	// globals and stacks.
	live, roots := v[0], v[0]+v[1]+v[2]
	p := 100 * (target - live) / max(roots, 1)
	if gogc <= 0 || p <= gogc || live == 0 {
		debug.SetGCPercent(gogc)
		return
	}
	gcgoal.UntilCollected(p, func() { debug.SetGCPercent(gogc) })
}

// heapFree is how much of the Go heap's memory is free: idle pages, held
// or returned to the system.
func heapFree() int {
	s := []metrics.Sample{{Name: "/memory/classes/heap/free:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	n := 0
	for _, v := range s {
		if v.Value.Kind() == metrics.KindUint64 {
			n += int(v.Value.Uint64())
		}
	}
	return n
}

// touchHeap allocates n bytes, advises huge pages for them (hugepage.Advise),
// writes a byte of each 4 KiB page, and drops them, yielding to the
// other goroutines after each 2 MiB (the UI's first screen comes while
// it runs). Not inlined: nothing of it is live once it returns.
//
//go:noinline
func touchHeap(n int) {
	b := make([]byte, n)
	hugepage.Advise(b)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
		if i%(2<<20) == 0 {
			runtime.Gosched()
		}
	}
}
