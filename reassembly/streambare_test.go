package reassembly

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
)

// bareLog writes down, in order, everything a reassembler hands over.
type bareLog struct{ strings.Builder }

func (l *bareLog) OnMessage(m *NBSSMessage) {
	fmt.Fprintf(l, "msg conn %d %s frame %d first %d skipped %d reassembled %v long %v direct %v %x\n",
		m.Conn.Index, m.Dir, m.Frame, m.FirstFrame, m.Skipped, m.Reassembled, m.LongLength, m.Conn.Direct, m.Data)
}

func (l *bareLog) OnAnomaly(a *StreamAnomaly) {
	conn := -1
	if a.Conn != nil {
		conn = a.Conn.Index
	}
	fmt.Fprintf(l, "anomaly %s conn %d %s frame %d bytes %d need %d %v %x\n",
		a.Kind, conn, a.Dir, a.Frame, a.Bytes, a.Need, a.Cause(), a.Data)
}

// TestBareSegmentsChangeNothing: segments taken past gopacket
// (bareSegment) and the refreshes of gopacket's idle times leave every
// message and anomaly as they were, in the same order, on every capture
// with TCP 139/445 (and the file NBTSNIFF_FLUSH_FILE names), with the
// default limits, tshark's way with holes, and limits small enough that
// holes time out, idle connections close and connections are evicted all
// the time. Fails if the path takes a segment gopacket would have acted
// on, or if gopacket closes a connection as idle it would not have.
func TestBareSegmentsChangeNothing(t *testing.T) {
	names := make([]string, 0, 64)
	for k := range streamGolden(t) {
		names = append(names, k)
	}
	sort.Strings(names)
	if f := os.Getenv("NBTSNIFF_FLUSH_FILE"); f != "" {
		names = append(names, f)
	}
	tight := StreamLimits{OutOfOrderTimeout: 20 * time.Millisecond, IdleTimeout: time.Second,
		FlushInterval: 5 * time.Millisecond, MaxConns: 3, MaxOutOfOrderPages: 2}
	idle := StreamLimits{IdleTimeout: 50 * time.Millisecond, FlushInterval: 10 * time.Millisecond}
	run := func(pkts []streamPacket, lim StreamLimits, off bool) string {
		bareSegmentsOff = off
		defer func() { bareSegmentsOff = false }()
		var l bareLog
		s := NewStreamReassembler(&l, lim)
		for _, p := range pkts {
			if p.ip != nil && p.tcp != nil {
				s.Add(p.frame, p.ci, p.ip, p.tcp)
			}
		}
		s.FlushAll()
		return l.String()
	}
	bareSegments = 0
	for _, name := range names {
		pkts := streamReadCapture(t, name)
		for _, lim := range []StreamLimits{{}, {GiveUpHolesAtOnce: true}, tight, idle} {
			want, got := run(pkts, lim, true), run(pkts, lim, false)
			if got != want {
				t.Errorf("%s, %+v: output differs with bare segments past gopacket:\n%s", name, lim, firstDiff(want, got))
			}
		}
	}
	t.Logf("%d bare segments past gopacket", bareSegments)
	if bareSegments == 0 {
		t.Error("no segment went past gopacket: the test checks nothing")
	}
}

// firstDiff shows the first line where a and b differ.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("%d lines against %d", len(la), len(lb))
}
