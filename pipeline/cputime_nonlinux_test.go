//go:build !linux

package pipeline

import "time"

// threadCPUTime is the process's CPU time where the thread's is not told.
func threadCPUTime() time.Duration { return cpuTime() }
