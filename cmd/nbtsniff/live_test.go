package main

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/internal/crafted"
	"github.com/nbtsniff/nbtsniff/internal/netnstest"
)

var (
	capturedRE = regexp.MustCompile(`(?m)^(\d+) packets captured$`)
	droppedRE  = regexp.MustCompile(`(?m)^(\d+) packets dropped by kernel$`)
)

// Ctrl-C in live capture reports the kernel's drop counter: the socket's
// statistics are read before it is closed. nbtsniff captures in a
// namespace, printing -V (big) to a pipe the test stops reading once the
// capture runs: nbtsniff blocks on its output, the socket fills, the
// kernel drops the rest of a flood of 20,000 NBNS queries. After SIGINT
// the test reads the output again: the drops reported must be the
// packets neither printed nor still queued, so more than zero and no more
// than the flood minus what was printed.
func TestLiveInterruptReportsKernelDrops(t *testing.T) {
	bin := nbtsniffBinary(t)
	v := netnstest.New(t)
	p := start(t, "ip", "netns", "exec", v.NS, bin, "-i", v.Inside, "-p", "-V", "-l")
	snd := netnstest.NewSender(t, v.Outside)
	frame := crafted.NBNSQuery(7, 1, "PROBE")
	sent := 0
	// Probe until the capture runs: its first frame comes out at once
	// (-l flushes each frame).
	ready := make(chan struct{})
	go func() {
		for {
			l, err := p.stdout.ReadString('\n')
			if err != nil || strings.HasPrefix(l, "Frame ") {
				close(ready)
				return
			}
		}
	}()
	deadline := time.After(20 * time.Second)
probe:
	for {
		snd.Send(t, frame)
		sent++
		select {
		case <-ready:
			break probe
		case <-deadline:
			t.Fatalf("the capture did not start within 20 s; stderr:\n%s", p.stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	const flood = 20000
	for i := range flood {
		snd.Send(t, crafted.NBNSQuery(8, uint16(i), "FLOOD"))
	}
	sent += flood
	p.signal(t, os.Interrupt)
	out, code := p.finish(t, 30*time.Second)
	if code != 0 {
		t.Errorf("exit %d after SIGINT in live capture, want 0; stderr:\n%s", code, p.stderr.String())
	}
	printed := 1 + strings.Count(out, "\nFrame ") // the first was read above
	if strings.HasPrefix(out, "Frame ") {
		printed++
	}
	m1, m2 := capturedRE.FindStringSubmatch(p.stderr.String()), droppedRE.FindStringSubmatch(p.stderr.String())
	if m1 == nil || m2 == nil {
		t.Fatalf("no capture counters on stderr:\n%s", p.stderr.String())
	}
	captured, _ := strconv.Atoi(m1[1])
	dropped, _ := strconv.Atoi(m2[1])
	t.Logf("sent %d, printed %d, captured %d, dropped by kernel %d", sent, printed, captured, dropped)
	if captured != printed {
		t.Errorf("%d packets captured, %d printed", captured, printed)
	}
	if dropped == 0 || captured+dropped > sent {
		t.Errorf("dropped by kernel %d with %d captured of %d sent: want the drops of the flood counted", dropped, captured, sent)
	}
}
