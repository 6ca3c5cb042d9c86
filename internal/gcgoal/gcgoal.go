// Package gcgoal sets the Go collector's GOGC for the time until its next
// collection: a run that knows its heap is about to grow to a size (the
// fixed state of a file run, the memory the TUI's loader warmed) lets it
// grow there without the cycles the default goal would start on the way,
// and the default comes back once a collection has run.
package gcgoal

import (
	"runtime"
	"runtime/debug"
)

// UntilCollected sets GOGC to percent and calls after once the next
// collection has run (on the runtime's cleanup goroutine, at some moment
// after that collection): after sets what comes next, usually GOGC back.
// The collection is seen by a cleanup of an object dropped now, of 64
// bytes: not a tiny object, which the allocator may pack with others
// that live on.
func UntilCollected(percent int, after func()) {
	debug.SetGCPercent(percent)
	runtime.AddCleanup(new([64]byte), func(f func()) { f() }, after)
}
