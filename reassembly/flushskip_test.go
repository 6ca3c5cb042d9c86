package reassembly

import (
	"os"
	"sort"
	"testing"
	"time"
)

// TestFlushSkipsOnlyNoOps: Flush leaves gopacket's flush out when it
// could do nothing (flushNeeded). With verifyFlushSkips, every flush left
// out is done anyway; none may give up a hole, close a connection or hand
// anything over. Every capture with TCP 139/445 (and the file
// NBTSNIFF_FLUSH_FILE names, if any), with the default limits, tshark's
// way with holes, and limits small enough that holes time out, idle
// connections close and connections are evicted all the time.
func TestFlushSkipsOnlyNoOps(t *testing.T) {
	names := make([]string, 0, 64)
	for k := range streamGolden(t) {
		names = append(names, k)
	}
	sort.Strings(names)
	if f := os.Getenv("NBTSNIFF_FLUSH_FILE"); f != "" {
		names = append(names, f)
	}
	verifyFlushSkips, flushSkips, flushSkipsWrong = true, 0, 0
	defer func() { verifyFlushSkips = false }()
	tight := StreamLimits{OutOfOrderTimeout: 20 * time.Millisecond, IdleTimeout: time.Second,
		FlushInterval: 5 * time.Millisecond, MaxConns: 3, MaxOutOfOrderPages: 2}
	for _, lim := range []StreamLimits{{}, {GiveUpHolesAtOnce: true}, tight} {
		for _, name := range names {
			pkts := streamReadCapture(t, name)
			before := flushSkipsWrong
			streamRun(pkts, lim)
			if flushSkipsWrong != before {
				t.Errorf("%s, %+v: %d flushes left out would have done something", name, lim, flushSkipsWrong-before)
			}
		}
	}
	t.Logf("%d flushes left out", flushSkips)
	if flushSkips == 0 {
		t.Error("no flush was left out: the test checks nothing")
	}
}
