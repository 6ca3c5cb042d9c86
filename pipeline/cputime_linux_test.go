//go:build linux

package pipeline

import (
	"syscall"
	"time"
)

// threadCPUTime is the calling OS thread's CPU time (getrusage
// RUSAGE_THREAD), for BenchmarkLoadReader.
func threadCPUTime() time.Duration {
	const rusageThread = 1
	var ru syscall.Rusage
	if syscall.Getrusage(rusageThread, &ru) != nil {
		return cpuTime()
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
