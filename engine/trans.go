package engine

// SMB1 messages of a session and their transactions: merged by the
// shard's TransReassembler, and, on \PIPE\LANMAN, the RAP call decoded and
// remembered until its reply.

import (
	"errors"
	"strconv"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/reassembly"
)

// Fields of transaction reassembly, under tshark's names.
var (
	fSMBSegment = dissect.RegisterField(dissect.FieldInfo{Abbrev: "smb.segment", Name: "SMB Segment", Type: dissect.FTFrameNum, Proto: "smb"})
	// tshark 4.0 registers no field for it.
	fSMBReassembledIn = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.smb.reassembled_in", Name: "Reassembled PDU in frame", Type: dissect.FTFrameNum, Proto: "smb"})
)

// smbKey identifies a request and its response on a connection.
type smbKey struct {
	conn               int
	tid, pid, uid, mid uint16
}

// pendingTrans remembers a transaction request until its response: whether
// it went to \PIPE\LANMAN, then what RAP needs to decode the answer is
// in tcpShard.raps under the same key. (Kept apart: RAPRequestInfo is
// 350 bytes, and most requests go to other pipes.)
type pendingTrans struct {
	lanman bool
	frame  int
}

// sessionSMB decodes an SMB1 message of a session and, for transactions
// on \PIPE\LANMAN, the RAP call or reply.
func (s *nbtState) sessionSMB(f *dissect.Frame, m *reassembly.NBSSMessage, data []byte, src uint8, off int) {
	t := &f.Tree
	t.Src, t.Base = src, off
	sm := s.nextSMB()
	err := sm.DecodeFromBytes(data, s.e)
	s.sh.trees.Observe(m.Conn.Index, sm, f.Number)
	if s.e.needs.tree {
		sm.AppendTree(t)
	}
	s.e.addProto("smb")
	s.setInfo(f, "SMB", sm.AppendInfo)
	if err != nil {
		s.e.noteErr(f, err)
		return
	}
	f.Msgs = append(f.Msgs, sm)
	tr := sm.Trans()
	if tr == nil || tr.Err != nil {
		return
	}
	key := smbKey{conn: m.Conn.Index, tid: sm.TID, pid: sm.PIDLow, uid: sm.UID, mid: sm.MID}
	var res reassembly.TransResult
	s.sh.trans.AddTo(&res, m.Conn.Index, sm, f.Number, f.Time) // (Add's result was copied through the stack)
	if res.Err != nil && errors.Is(res.Err, dissect.ErrLimit) {
		s.e.hitBound(f, transBound(res.Err), res.Err)
	}
	t.Src, t.Base = src, off
	switch res.Status {
	case reassembly.TransPending:
		s.transFragment(f, &res)
		return
	case reassembly.TransDropped:
		if res.Err != nil && t.WantsText() {
			t.Expert("[SMB transaction: "+res.Err.Error()+"]", -1, 0).Flags |= dissect.NodeWarn
		}
		return
	case reassembly.TransComplete:
	default:
		return
	}
	params, data := tr.Params, tr.Data
	poff, doff := off+int(tr.ParamOffset), off+int(tr.DataOffset)
	psrc, dsrc := src, src
	if !res.Single {
		s.recordCompletion(res.Fragments, res.CompletedIn)
		// Several messages made it: show the merged blocks as their own
		// data sources and list the fragments.
		if t.WantsText() {
			n := t.Text("[Reassembled SMB transaction from frames]", -1, 0)
			n.Flags |= dissect.NodeGenerated
			n.S = t.Keep(appendFrameList(t.Buf(), res.Fragments))
		}
		for _, fr := range res.Fragments {
			t.Uint(fSMBSegment, -1, 0, uint64(fr)).Flags |= dissect.NodeGenerated
		}
		params, data = res.Params, res.Data
		psrc = t.AddSource("Reassembled SMB transaction parameters", params)
		dsrc = t.AddSource("Reassembled SMB transaction data", data)
		poff, doff = 0, 0
	}
	if res.Request {
		name := res.Name
		if res.Single {
			name = tr.Name
		}
		s.transRequest(f, key, name, tr.OneWay(), params, data, psrc, poff, dsrc, doff)
		return
	}
	s.transResponse(f, key, rapWithoutRequest(sm, &res), params, data, psrc, poff, dsrc, doff)
}

// recordCompletion remembers which frame completed a transaction, for a
// second pass; it is bounded like the rest of the session state.
func (s *nbtState) recordCompletion(frags []int, in int) {
	if !s.e.needs.completions {
		return
	}
	if s.completed == nil {
		s.completed = map[int]int{}
	}
	if len(s.completed) >= maxCompletions {
		return
	}
	for _, fr := range frags {
		s.completed[fr] = in
	}
}

// transFragment notes a transaction piece that does not complete it; with
// a first pass done (SetCompletions), it says which frame does.
func (s *nbtState) transFragment(f *dissect.Frame, res *reassembly.TransResult) {
	t := &f.Tree
	n := t.Text("[SMB transaction fragment: reassembly pending]", -1, 0)
	n.Flags |= dissect.NodeGenerated
	if in, ok := s.e.completions[f.Number]; ok && in != f.Number {
		n.Label = "[SMB transaction fragment]"
		t.Uint(fSMBReassembledIn, -1, 0, uint64(in)).Flags |= dissect.NodeGenerated
	}
}

// transRequest decodes a complete transaction request.
func (s *nbtState) transRequest(f *dissect.Frame, key smbKey, name []byte, oneWay bool, params, data []byte, psrc uint8, poff int, dsrc uint8, doff int) {
	lanman := isLANMANPipe(name)
	p := pendingTrans{lanman: lanman, frame: f.Number}
	var rap dissect.RAPRequestInfo
	if lanman {
		t := &f.Tree
		t.Src, t.Base = psrc, poff
		r := s.nextRAPReq()
		err := r.Decode(params, data)
		setRAPData(&r.DataOffset, &r.DataSrc, psrc, poff, dsrc, doff)
		if s.e.needs.tree {
			r.AppendTree(t)
		}
		s.e.addProto("lanman")
		s.setInfo(f, "LANMAN", r.AppendInfo)
		rap = r.Info()
		if err != nil {
			s.e.noteErr(f, err)
		} else {
			f.Msgs = append(f.Msgs, r)
		}
	}
	if oneWay {
		return
	}
	pending := s.sh.pending
	if len(pending) >= shareOf(maxPending) {
		// Forget the oldest request: its reply is decoded without it.
		var oldest smbKey
		first := -1
		for k, q := range pending {
			if first < 0 || q.frame < first {
				oldest, first = k, q.frame
			}
		}
		delete(pending, oldest)
		s.sh.dropRAP(oldest)
		s.e.hitBound(f, BoundRequests, dissect.Limit("smb", "pending requests", -1, "more than "+
			strconv.Itoa(shareOf(maxPending))+" transaction requests awaiting a reply: forgot the one of frame "+strconv.Itoa(first)))
	}
	pending[key] = p
	if lanman {
		s.sh.keepRAP(key, &rap)
	} else if len(s.sh.raps) > 0 {
		s.sh.dropRAP(key) // a request before it under the same key
	}
}

// setRAPData tells a RAP layer where its data block is: relative to the
// parameter block when both are in the same data source, else absolute in
// its own source.
func setRAPData(off *int, src *uint8, psrc uint8, poff int, dsrc uint8, doff int) {
	if dsrc == psrc && psrc == 0 {
		*off, *src = doff-poff, 0
		return
	}
	*off, *src = doff, dsrc
}

// transResponse decodes a complete transaction response with its request.
func (s *nbtState) transResponse(f *dissect.Frame, key smbKey, guess bool, params, data []byte, psrc uint8, poff int, dsrc uint8, doff int) {
	p, ok := s.sh.pending[key]
	var rap dissect.RAPRequestInfo
	if ok {
		delete(s.sh.pending, key)
		if p.lanman {
			if r := s.sh.raps[key]; r != nil {
				rap = *r
			}
			s.sh.dropRAP(key)
		}
	}
	if ok && !p.lanman || !ok && !guess {
		return // another pipe, or nothing says it is RAP
	}
	t := &f.Tree
	t.Src, t.Base = psrc, poff
	r := s.nextRAPResp()
	var info *dissect.RAPRequestInfo
	if ok {
		info = &rap
	}
	// Without its request, RAP decodes the status and converter and says
	// why it stops (the descriptors came with the request).
	err := r.Decode(params, data, info)
	setRAPData(&r.DataOffset, &r.DataSrc, psrc, poff, dsrc, doff)
	if s.e.needs.tree {
		r.AppendTree(t)
	}
	s.e.addProto("lanman")
	s.setInfo(f, "LANMAN", r.AppendInfo)
	if err != nil {
		s.e.noteErr(f, err)
		if !r.EntryErrorOnly() {
			return
		}
	}
	f.Msgs = append(f.Msgs, r)
}

// rapWithoutRequest tells whether a transaction response whose request was
// not captured is probably RAP: on a tree whose path ends in IPC$, with no
// setup words (named-pipe transactions to other pipes carry
// TransactNmPipe and a FID), and a parameter block of at least the status
// and converter words.
func rapWithoutRequest(sm *dissect.SMB, res *reassembly.TransResult) bool {
	p := sm.TreePath
	if len(p) < 4 || len(res.Setup) != 0 || len(res.Params) < 4 {
		return false
	}
	t := p[len(p)-4:]
	return t[0]|0x20 == 'i' && t[1]|0x20 == 'p' && t[2]|0x20 == 'c' && t[3] == '$'
}

func isLANMANPipe(name []byte) bool {
	const pipe = `\PIPE\LANMAN`
	if len(name) != len(pipe) {
		return false
	}
	for i := range name {
		c := name[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != pipe[i] {
			return false
		}
	}
	return true
}

func (s *nbtState) nextRAPReq() *dissect.RAPRequest {
	s.growRAP()
	return s.rapReq[s.rapN-1]
}

func (s *nbtState) nextRAPResp() *dissect.RAPResponse {
	s.growRAP()
	return s.rapResp[s.rapN-1]
}

func (s *nbtState) growRAP() {
	if s.rapN >= len(s.rapReq) {
		s.rapReq = append(s.rapReq, new(dissect.RAPRequest))
		s.rapResp = append(s.rapResp, new(dissect.RAPResponse))
	}
	s.rapN++
}
