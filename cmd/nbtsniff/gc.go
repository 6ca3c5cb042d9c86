package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
)

// batchGC is set by main: run may tune the collector for the process
// (holdGC). Tests that call run leave it alone.
var batchGC bool

// gcHold is how much memory the runtime may hold before the first
// collection of a run that reads files (not the TUI, not an interface).
const gcHold = 48 << 20

// holdGC leaves the collector off until the runtime holds gcHold bytes,
// then (after that first collection) back to the default: a heap goal of
// twice the live heap, no memory limit. A run over files allocates its
// fixed state at the start (read buffers, batches, stream pools) and
// little that lives after that: from a heap of 0 the default collects
// while that state is being made, and each cycle scans gopacket's layer
// tables (5 MB of globals). Measured (issue 15): --report on the
// realistic mix collected twice, 1,700 more page faults and 8 MB more
// resident than with none; on 1,000 frames a third of the run's CPU. A
// long run's memory is the default's after its first collection: flat in
// capture length. (A limit of 32 MB was worse than none: the scavenger
// returns pages near the limit, which are then faulted in again.) GOGC or
// GOMEMLIMIT set by the user are left as they are.
func holdGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(gcHold)
	// A cleanup runs once its object is collected: after the first
	// collection. (Not a tiny object, which the allocator may pack with
	// others that live on.)
	sentinel := new([64]byte)
	runtime.AddCleanup(sentinel, func(int) {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	}, 0)
}
