//go:build !unix

package synth

import "time"

// CPUTime is not measured here: the cpu-ns/frame metric reads 0.
func CPUTime() time.Duration { return 0 }
