package reassembly

// What the handler is given lasts until the next call to Add: the data of
// a packet or an anomaly may lie in the segment, in the arena, or in a
// page a hole given up on handed over (fetchOwn, stable), never in memory
// reused before that.

import (
	"bytes"
	"testing"
	"time"
)

// heldData is one packet's or anomaly's data as the handler got it, and
// a copy of it made then.
type heldData struct {
	data, copy []byte
	frame      int
}

// stableChecker keeps every slice it is handed during one Add, uncopied.
type stableChecker struct {
	s       *StreamReassembler
	held    []heldData
	inPage  int // data in neither the segment nor the arena: a page held
	inArena int
	total   int
}

func (c *stableChecker) note(b []byte, frame int) {
	if len(b) == 0 {
		return
	}
	c.total++
	switch {
	case offsetIn(c.s.payload, b) >= 0:
	case offsetIn(c.s.arena, b) >= 0:
		c.inArena++
	default:
		c.inPage++
	}
	c.held = append(c.held, heldData{data: b, copy: append([]byte(nil), b...), frame: frame})
}

func (c *stableChecker) OnMessage(m *NBSSMessage)   { c.note(m.Data, m.Frame) }
func (c *stableChecker) OnAnomaly(a *StreamAnomaly) { c.note(a.Data, a.Frame) }

// check fails when a slice handed over changed before the next Add.
func (c *stableChecker) check(t *testing.T, name string) {
	t.Helper()
	for _, h := range c.held {
		if !bytes.Equal(h.data, h.copy) {
			t.Fatalf("%s: data handed over in frame %d changed before the next Add", name, h.frame)
		}
	}
	c.held = c.held[:0]
}

func TestStreamDataLastsUntilNextAdd(t *testing.T) {
	pages := 0
	for _, name := range []string{
		"nbss139-smb1-smia2011-deduped-msgs_nemesys-cut.pcap", // a hole before nearly every segment
		"nbss139-smb1-maccdc2012-rawip-linktype_nemesys-cut.pcap",
		"nbss139-smb1-dcerpc-trans-pipe_zeek-mapi-cut.pcap",
		"nbns-browser-nbss139-smb1-smb2-midstream-teardown_suricata-verify-smb2-07-psexec-cut.pcap",
		"synthetic/edge-nbss139-split-session-msg_zeek.pcap",
	} {
		pkts := streamReadCapture(t, name)
		for _, lim := range []StreamLimits{{}, {GiveUpHolesAtOnce: true}, {MaxConns: 2, MaxOutOfOrderPages: 1}} {
			c := &stableChecker{}
			s := NewStreamReassembler(c, lim)
			c.s = s
			for _, p := range pkts {
				if p.ip != nil && p.tcp != nil {
					s.Add(p.frame, p.ci.Timestamp, p.ip, p.tcp)
					c.check(t, name)
				}
			}
			s.FlushAll()
			c.check(t, name)
			if c.total == 0 {
				t.Fatalf("%s: no data handed over", name)
			}
			pages += c.inPage
			t.Logf("%s %+v: %d handed over, %d in the arena, %d in pages", name, lim, c.total, c.inArena, c.inPage)
		}
	}
	if pages == 0 {
		t.Fatal("no data handed over in a page: the held pages are not exercised")
	}
}

// TestStreamDataLastsPastFlush: a flush that gives up a hole by time at
// the start of an Add hands over a queued page, which is released; the
// segment of that Add is then queued in a page again (the free list's
// last, that one). The packet handed over from the first page must not
// change (stable copies it: only give-ups after the segment, last in
// Add, leave a page's bytes in place).
func TestStreamDataLastsPastFlush(t *testing.T) {
	b := newStreamBuilder(139)
	pkts := []streamPacket{b.seg(t, true, "S", nil), b.seg(t, false, "S", nil), b.seg(t, true, "", nil),
		b.seg(t, true, "", streamBig(40))}
	b.seg(t, true, "", streamBig(50)) // lost: a hole
	pkts = append(pkts, b.seg(t, true, "", streamBig(60)))
	b.seg(t, true, "", streamBig(70)) // lost: another
	b.ts = b.ts.Add(11 * time.Second) // past OutOfOrderTimeout: the next Add's flush gives up the first hole
	last := b.seg(t, true, "", streamBig(80))
	pkts = append(pkts, last)
	c := &stableChecker{}
	s := NewStreamReassembler(c, StreamLimits{})
	c.s = s
	got := 0
	for _, p := range pkts {
		s.Add(p.frame, p.ci.Timestamp, p.ip, p.tcp)
		if p.frame == last.frame {
			got = c.total
		}
		c.check(t, "flush then queue")
	}
	if got != 2 { // the 40-byte packet, then the 60-byte one in the last Add
		t.Fatalf("%d packets handed over by the last Add, want 2", got)
	}
}
