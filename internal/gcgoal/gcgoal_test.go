package gcgoal

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// UntilCollected sets GOGC at once and calls after only once a
// collection has run.
func TestUntilCollected(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	called := make(chan struct{})
	UntilCollected(347, func() { close(called) })
	if p := debug.SetGCPercent(347); p != 347 {
		t.Fatalf("GOGC = %d after UntilCollected(347)", p)
	}
	select {
	case <-called:
		t.Fatal("after called before any collection")
	case <-time.After(50 * time.Millisecond):
	}
	runtime.GC()
	select {
	case <-called:
	case <-time.After(10 * time.Second):
		t.Fatal("after not called within 10 s of a collection")
	}
}
