//go:build !unix

package timeline

import "time"

// cpuTime is not measured here: the cpu-ns/frame metric reads 0.
func cpuTime() time.Duration { return 0 }
