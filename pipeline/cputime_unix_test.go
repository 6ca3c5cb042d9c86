//go:build unix

package pipeline

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time so far (all threads), for
// BenchmarkRun's cpu-ns/frame.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
