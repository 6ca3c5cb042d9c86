package main

import (
	"os"
	"runtime/debug"
	"sync/atomic"

	"github.com/nbtsniff/nbtsniff/internal/gcgoal"
)

// batchGC is set by main: run may tune the collector for the process
// (holdGC). Tests that call run leave it alone.
var batchGC bool

// gcStartPercent is GOGC until the first collection of a run that reads
// files (not the TUI, not an interface): the runtime's smallest heap goal
// (4 MB at GOGC=100) times 5, about 20 MB.
const gcStartPercent = 500

// holdGC sets GOGC to gcStartPercent until the first collection, then
// back to the default 100. A run over files allocates its fixed state at
// the start (read buffers, batches, stream pools) and little that lives
// after that: from a heap of 0 the default collects while that state is
// being made, and each cycle scans gopacket's layer tables (5 MB of
// globals, faulted in by the first scan). Measured (issue 15; 5
// interleaved runs, fastest): --report on the realistic mix 301 -> 246 ms
// of CPU, 7,228 -> 4,920 page faults, 41.6 -> 31.9 MB resident (no
// collection at all); -T fields 394 -> 336 ms; 1,000 frames 70 -> 44 ms.
// Memory stays flat in capture length: after the first collection it is
// the default's (bench/report.sh memory, the dense mix at 4x and 16x:
// 16x/4x at most 1.19). A memory limit of 48 MB instead (GC off until
// then) gained as much but raised -T fields' resident size at 16x by
// 5 MB; one of 32 MB lost the gain (the scavenger returns pages near the
// limit, which are then faulted in again). GOGC or GOMEMLIMIT set by the
// user are left as they are.
func holdGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	held.Store(true)
	gcgoal.UntilCollected(gcStartPercent, func() {
		if !ending.Load() {
			debug.SetGCPercent(100)
		}
	})
}

// held: holdGC tuned the collector (a file run, GOGC and GOMEMLIMIT not
// set); ending: endGC turned it off.
var held, ending atomic.Bool

// endGC turns the collector off for the end of a run that holdGC tuned:
// the report (Snapshot and WriteReport), after which the process exits.
// What the end allocates is bounded by the tracker's tables, not by the
// capture's length (a copy of the state and the report's text, about
// 10-20 MB at the tables' bounds); a collection started there was work
// thrown away. Measured (100k-host flood, --report): the one collection
// of the run came during the end.
func endGC() {
	if held.Load() {
		ending.Store(true)
		debug.SetGCPercent(-1)
	}
}
