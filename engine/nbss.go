package engine

// The session service (TCP 139 and 445): each segment goes to its shard's
// stream reassembler, which hands back the session packets it completes
// (OnMessage) and what it lost or skipped (OnAnomaly), shown on the frame
// at hand; NBSS, then SMB or SMB2.

import (
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/reassembly"
)

// tcp hands a segment on port 139 or 445 to the stream reassembler, which
// calls OnMessage for every session packet it completes.
func (s *nbtState) tcp(f *dissect.Frame, ip *layers.IPv4, tc *layers.TCP, off int) {
	s.cur = f
	s.nbssN = 0
	s.rapN = 0
	s.nbssFrame, s.joinInfo = f.Number, false
	if s.e.cfg.DeferSessions {
		s.deferred = true
		s.sh.streams.Add(f.Number, f.Time, ip, tc)
		s.cur = nil
		return
	}
	s.sh.streams.Add(f.Number, f.Time, ip, tc)
	s.expireTrans(f)
	s.cur = nil
}

// expireTrans reports the transactions abandoned by capture time on the
// frame that noticed it: which pieces never came.
func (s *nbtState) expireTrans(f *dissect.Frame) {
	if !s.sh.trans.Due(f.Time) {
		return // nothing to report (every TCP segment comes here)
	}
	s.expired = s.sh.trans.Expire(f.Time, s.expired[:0])
	if !f.Tree.WantsText() {
		return // the notes below are texts: formatting them would be lost work
	}
	for i := range s.expired {
		r := &s.expired[i]
		msg := "[SMB transaction abandoned: frames " + string(appendFrameList(nil, r.Fragments)) + " never completed"
		if len(r.Missing) > 0 {
			msg += "; missing"
			for _, m := range r.Missing {
				msg += " " + m.String()
			}
		}
		if r.Err != nil {
			msg += "; " + r.Err.Error()
		}
		f.Tree.Base, f.Tree.Src = 0, 0
		f.Tree.Expert(msg+"]", -1, 0).Flags |= dissect.NodeWarn
	}
}

// flush ends every connection (end of capture), shard by shard: what it
// completes has no frame to go on (Finish has one).
func (s *nbtState) flush() {
	for i, sh := range s.shards {
		if sh != nil {
			s.shard(i)
			sh.streams.FlushAll()
		}
	}
}

// OnMessage decodes one session packet in the current frame.
func (s *nbtState) OnMessage(m *reassembly.NBSSMessage) {
	f := s.cur
	if f == nil {
		return // completed by Close after the last frame: Finish was not called
	}
	if s.e.cfg.DeferSessions {
		s.record(false, 0, nil, m.Conn, m.LongLength, m.Data)
		return
	}
	t := &f.Tree
	if off := offsetIn(f.Data, m.Data); off >= 0 {
		t.Src, t.Base = 0, off
	} else if t.Off {
		t.Src, t.Base = 0, 0 // no tree: nothing reads a data source
	} else {
		t.Src = t.AddSource("Reassembled TCP", m.Data)
		t.Base = 0
	}
	src, base := t.Src, t.Base
	n := s.nextNBSS()
	n.Direct = m.Conn.Direct
	n.LongLength = m.LongLength
	err := n.DecodeFromBytes(m.Data, s.e)
	if s.e.needs.tree {
		n.AppendTree(t)
	}
	s.e.addProto("nbss")
	if s.nbssN == 1 && !s.joinInfo {
		s.infoStart = 0
	} else {
		s.infoStart = len(f.Info)
		f.Info = append(f.Info, "; "...)
		s.infoStart += 2
	}
	s.setInfo(f, "NBSS", n.AppendInfo)
	if err != nil {
		s.e.noteErr(f, err)
		return
	}
	f.Msgs = append(f.Msgs, n)
	if !s.e.needs.upper {
		t.Src = 0
		return
	}
	payload := n.LayerPayload()
	poff := base + len(n.Contents)
	switch n.NextLayerType() {
	case dissect.LayerTypeSMB:
		s.sessionSMB(f, m, payload, src, poff)
	case dissect.LayerTypeSMB2:
		t.Src, t.Base = src, poff
		s2 := s.nextSMB2()
		err := s2.DecodeFromBytes(payload, s.e)
		if s.e.needs.tree {
			s2.AppendTree(t)
		}
		s.e.addProto("smb2")
		s.setInfo(f, "SMB2", s2.AppendInfo)
		if err != nil {
			s.e.noteErr(f, err)
		}
	}
	t.Src = 0
}

// setInfo makes proto the frame's protocol column and replaces the info
// of the current session packet with the layer's (the topmost layer of a
// packet speaks for it; several packets of one frame are joined by "; ").
func (s *nbtState) setInfo(f *dissect.Frame, proto string, info func([]byte) []byte) {
	f.Proto = proto
	if s.e.needs.info {
		f.Info = info(f.Info[:s.infoStart])
	}
}

// OnAnomaly shows lost, skipped or dropped stream bytes on the current
// frame.
func (s *nbtState) OnAnomaly(a *reassembly.StreamAnomaly) {
	if a.Conn != nil { // from the reassembler, not replayed by ApplySessions
		s.loss.count(a)
	}
	f := s.cur
	if f == nil {
		return
	}
	if s.e.cfg.DeferSessions {
		s.record(true, a.Kind, a.Cause(), a.Conn, false, a.Data)
		return
	}
	if a.Kind == reassembly.StreamConnLimit {
		s.e.hitBound(f, BoundConns, a.Cause())
	}
	t := &f.Tree
	if a.Kind == reassembly.StreamSkipped && len(a.Data) > 0 {
		if off := offsetIn(f.Data, a.Data); off >= 0 {
			t.Src, t.Base = 0, off
			dissect.AppendNBSSContinuation(t, a.Data)
			s.e.addProto("nbss")
			if f.Proto == "TCP" {
				f.Proto = "NBSS"
				f.Info = append(f.Info[:0], "NBSS Continuation Message"...)
			}
			t.Src = 0
			return
		}
	}
	if !t.WantsText() { // the note is a text: -V, JSON
		return
	}
	if err := a.Cause(); err != nil {
		t.Src, t.Base = 0, 0
		t.Expert("[Stream: "+err.Error()+"]", -1, 0).Flags |= dissect.NodeWarn
	}
}

func (s *nbtState) nextNBSS() *dissect.NBSS {
	if s.nbssN >= len(s.nbss) {
		s.nbss = append(s.nbss, new(dissect.NBSS))
		sm := new(dissect.SMB)
		// Without a tree or an info column, nothing shows the strings
		// that only they read (the timeline reads a tree connect's path
		// and a transaction's name, which are converted either way),
		// nor the bodies that cannot fail to decode (File, Read and
		// Write AndX, ...: the decode errors stay the same).
		skip := !s.e.needs.tree && !s.e.needs.info
		sm.SkipText(skip)
		sm.SkipBodies(skip)
		s.smb = append(s.smb, sm)
		s.smb2 = append(s.smb2, new(dissect.SMB2))
	}
	s.nbssN++
	return s.nbss[s.nbssN-1]
}

func (s *nbtState) nextSMB() *dissect.SMB { return s.smb[s.nbssN-1] }

func (s *nbtState) nextSMB2() *dissect.SMB2 { return s.smb2[s.nbssN-1] }
