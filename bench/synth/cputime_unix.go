//go:build unix

package synth

import (
	"syscall"
	"time"
)

// CPUTime is the process's user+system CPU time so far (all threads: the
// garbage collector's work counts), for the benchmarks' cpu-ns/frame.
// Under a loaded machine it is steadier than wall time.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
