package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startCPUProfile starts the Go CPU profile of --cpuprofile, written to
// path; stop ends it and closes the file. The profiles of the runs
// bench/pgo.sh makes are merged into default.pgo, the profile the go
// command builds this package with (profile-guided optimisation).
func startCPUProfile(path string) (stop func() error, err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile %s: %w", path, err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return fmt.Errorf("--cpuprofile %s: %w", path, err)
		}
		return nil
	}, nil
}
