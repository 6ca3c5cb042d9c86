package engine

import "github.com/nbtsniff/nbtsniff/dissect"

// The end of a capture. A TCP connection may still hold bytes when the
// capture ends: data queued beyond a hole that was waiting for a missing
// segment, or a packet not yet complete. Giving up the holes then frees
// whole session packets, which tshark (which never waits) shows in the
// frames that carried them; they must not be lost. They are decoded on the
// last frame of the capture (Finish), after the stream anomalies that say
// how many bytes the holes cost.

// Finish gives up every hole and ends every connection, as the end of the
// capture does, and decodes the session packets this completes into f,
// the last frame of the capture: the frame this engine decoded last, or
// one another engine decoded (several engines sharing a capture each
// finish on the same last frame, in turn). f must be the capture's last
// frame and must not be printed yet. With Config.DeferSessions the packets
// are recorded instead, for TakeSessions and another engine's
// ApplySessions on f: take what f's own segment left first. Close after
// Finish finds nothing left.
func (e *Engine) Finish(f *dissect.Frame) {
	for i := range e.nbt.shards {
		e.FinishShard(f, i)
	}
}

// FinishShard is Finish for the connections of TCP shard i alone (see
// Shards): engines that share a capture by shard finish on its last frame
// shard by shard, in shard order, as one engine's Finish does. It
// reports whether this engine has that shard (with Config.DeferSessions:
// whether there is a record to take).
func (e *Engine) FinishShard(f *dissect.Frame, i int) bool {
	s := &e.nbt
	sh := s.shards[i]
	if sh == nil {
		return false
	}
	pi := e.reopenProtocols(f)
	if s.nbssFrame != f.Number {
		// f is not the TCP frame this engine decoded last: this
		// engine's session packets are added after what f shows.
		s.nbssN, s.rapN = 0, 0
		s.nbssFrame = f.Number
	}
	s.joinInfo = s.nbssN == 0 && f.Proto != "TCP" && len(f.Info) > 0
	if e.cfg.DeferSessions {
		s.rec, s.recData = s.rec[:0], s.recData[:0]
		s.deferred = true
	}
	e.marked = false
	s.cur = f
	s.shard(i)
	sh.streams.FlushAll()
	s.cur = nil
	s.joinInfo = false
	e.closeProtocols(f, pi)
	return true
}

// reopenProtocols makes e.protos frame.protocols of f so far, for layers
// to be added to it; it returns the index of that node, or -1.
func (e *Engine) reopenProtocols(f *dissect.Frame) int {
	pi := -1
	for i := range f.Tree.Nodes {
		if f.Tree.Nodes[i].Field == dissect.FieldFrameProtocols {
			pi = i
			break
		}
	}
	e.protos = e.protos[:0]
	if pi >= 0 && len(f.Tree.Nodes[pi].S) > 0 {
		e.protos = append(append(e.protos, f.Tree.Nodes[pi].S...), ':')
	}
	return pi
}

// closeProtocols sets the frame.protocols node pi of f to e.protos.
func (e *Engine) closeProtocols(f *dissect.Frame, pi int) {
	if n := len(e.protos); n > 0 && e.protos[n-1] == ':' {
		e.protos = e.protos[:n-1]
	}
	if pi >= 0 {
		f.Tree.Nodes[pi].S = e.protos
	}
}
