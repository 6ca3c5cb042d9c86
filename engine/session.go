package engine

import (
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/reassembly"
)

// An engine can decode a capture in two stages on two goroutines: with
// Config.DeferSessions, it follows the TCP streams (link, IP, TCP,
// gopacket's assembler, NBSS framing) but does not decode the session
// packets it cuts out: it records them, with the stream anomalies, in the
// frame where they were found (TakeSessions). A second engine then decodes
// them into a copy of that frame (ApplySessions): NBSS, SMB, transactions,
// tree connects and RAP, whose state it keeps. The frame ends up as one
// engine would have made it: session packets found while a timeout gives
// up another connection's hole stay on the frame that noticed it.

// SessionRecord is what the stream stage found in one frame for the
// session stage. It owns its bytes: it stays valid after the engine that
// filled it goes on.
type SessionRecord struct {
	shard  int // the TCP shard of the frame (route.go)
	events []sessionEvent
	data   []byte // the bytes of events not found in the frame itself
}

type sessionEvent struct {
	anomaly bool
	kind    reassembly.StreamAnomalyKind
	err     error
	conn    int  // reassembly.Conn.Index (in the record's shard)
	direct  bool // reassembly.Conn.Direct
	long    bool // reassembly.NBSSMessage.LongLength
	inFrame bool // the bytes are the frame's, at off
	off, n  int  // in the frame's data, or in SessionRecord.data
}

// record keeps a session packet or stream anomaly of the current frame
// (Config.DeferSessions).
func (s *nbtState) record(anomaly bool, kind reassembly.StreamAnomalyKind, err error, c *reassembly.Conn, long bool, data []byte) {
	ev := sessionEvent{anomaly: anomaly, kind: kind, err: err, long: long, n: len(data)}
	if c != nil {
		ev.conn, ev.direct = c.Index, c.Direct
	}
	if off := offsetIn(s.cur.Data, data); off >= 0 {
		ev.inFrame, ev.off = true, off
	} else {
		ev.off = len(s.recData)
		s.recData = append(s.recData, data...)
	}
	s.rec = append(s.rec, ev)
}

// TakeSessions copies into dst what the last decoded frame left for the
// session stage, and reports whether there is such a stage's work in it
// (a TCP segment on port 139 or 445, even without a session packet: the
// session stage also expires transactions by its time). Config.DeferSessions
// only.
func (e *Engine) TakeSessions(dst *SessionRecord) bool {
	s := &e.nbt
	if !s.deferred {
		return false
	}
	dst.shard = s.shardN
	dst.events = append(dst.events[:0], s.rec...)
	if c := cap(dst.data); c < len(s.recData) || c > 256<<10 && c > 4*len(s.recData) {
		dst.data = make([]byte, 0, len(s.recData))
	}
	dst.data = append(dst.data[:0], s.recData...)
	return true
}

// ApplySessions decodes the session packets recorded in rec into f, a copy
// (dissect.Frame.CopyTo with data) of the frame they were found in, as
// Decode would have: frames must come in capture order, each once. The
// engine must not have DeferSessions set.
func (e *Engine) ApplySessions(f *dissect.Frame, rec *SessionRecord) {
	s := &e.nbt
	s.shard(rec.shard)
	s.cur = f
	if s.nbssFrame != f.Number { // else more of the capture's last frame (FinishShard)
		s.nbssN, s.rapN, s.nbssFrame = 0, 0, f.Number
	}
	s.joinInfo = s.nbssN == 0 && f.Proto != "TCP" && f.Proto != "" && len(f.Info) > 0
	pi := e.reopenProtocols(f)
	for i := range rec.events {
		ev := &rec.events[i]
		var data []byte
		if ev.inFrame {
			if ev.off+ev.n > len(f.Data) {
				continue // not this frame's record
			}
			data = f.Data[ev.off : ev.off+ev.n : ev.off+ev.n]
		} else {
			data = rec.data[ev.off : ev.off+ev.n : ev.off+ev.n]
		}
		if ev.anomaly {
			a := reassembly.StreamAnomaly{Kind: ev.kind, Data: data}
			a.SetCause(ev.err)
			s.OnAnomaly(&a)
			continue
		}
		s.conn = reassembly.Conn{Index: ev.conn, Direct: ev.direct}
		m := reassembly.NBSSMessage{Conn: &s.conn, Data: data, LongLength: ev.long}
		s.OnMessage(&m)
	}
	s.expireTrans(f)
	s.cur = nil
	s.joinInfo = false
	e.closeProtocols(f, pi)
}
