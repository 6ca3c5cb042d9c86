package engine

import (
	"errors"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/reassembly"
)

// nbtState holds the NBT decoders and the per-flow state above UDP/TCP.
// Every decoder struct is reused frame after frame; a frame's Msgs point at
// them until the next frame.
type nbtState struct {
	e *Engine

	ns      dissect.NBNS
	dgm     dissect.NBDGM
	dgmSMB  dissect.SMB
	dgmMS   dissect.Mailslot
	browser dissect.Browser
	lanman  dissect.LANMANAnnounce
	dgrams  *reassembly.DatagramReassembler

	// TCP: the state of each shard (route.go), made when first needed, and
	// the shard of the segment being decoded.
	shards  [Shards]*tcpShard
	sh      *tcpShard
	shardN  int
	cur     *dissect.Frame // the frame being decoded, for the handlers
	nbssN   int            // session packets decoded in the current frame
	nbss    []*dissect.NBSS
	smb     []*dissect.SMB
	smb2    []*dissect.SMB2
	rapReq  []*dissect.RAPRequest
	rapResp []*dissect.RAPResponse
	rapN    int
	// infoStart is where the current packet's words begin in the info.
	infoStart int

	// Config.DeferSessions: what the current frame leaves for the session
	// stage (session.go).
	deferred bool
	rec      []sessionEvent
	recData  []byte
	conn     reassembly.Conn // ApplySessions: the connection of the packet being decoded

	// completed maps each fragment frame of a multi-message transaction to
	// the frame that completed it (Engine.Completions).
	completed map[int]int
	expired   []reassembly.TransResult
}

// Fields of transaction reassembly, under tshark's names.
var (
	fSMBSegment = dissect.RegisterField(dissect.FieldInfo{Abbrev: "smb.segment", Name: "SMB Segment", Type: dissect.FTFrameNum, Proto: "smb"})
	// tshark 4.0 registers no field for it.
	fSMBReassembledIn = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.smb.reassembled_in", Name: "Reassembled PDU in frame", Type: dissect.FTFrameNum, Proto: "smb"})
)

// Bounds of the SMB session state kept per capture.
const (
	maxTrees   = 4096
	maxPending = 4096
	// maxCompletions bounds the fragment frames remembered for a second
	// pass.
	maxCompletions = 1 << 20
)

// smbKey identifies a request and its response on a connection.
type smbKey struct {
	conn               int
	tid, pid, uid, mid uint16
}

// pendingTrans remembers a transaction request until its response: whether
// it went to \PIPE\LANMAN, and what RAP needs to decode the answer.
type pendingTrans struct {
	lanman bool
	frame  int
	rap    dissect.RAPRequestInfo
}

func (s *nbtState) init(e *Engine) {
	s.e = e
	s.dgrams = reassembly.NewDatagramReassembler(reassembly.DefaultDatagramLimits())
}

// tcpShard is the TCP state of one shard (see Shards): its conversations
// (tcp.stream), its connections on 139/445 with their session packets,
// SMB transactions, share paths and requests awaiting a reply. Conn.Index
// numbers the connections of one shard.
type tcpShard struct {
	convs   tcpIndex
	streams *reassembly.StreamReassembler
	trans   *reassembly.TransReassembler[int]
	trees   *reassembly.TreeTracker[int] // share path of each connected TID
	pending map[smbKey]pendingTrans
}

// shard makes shard i the current one (s.sh), first making it if needed.
// Each shard has its share (1/addressShards, shard 0 as much as the others)
// of the engine's bounds.
func (s *nbtState) shard(i int) *tcpShard {
	s.shardN = i
	if s.sh = s.shards[i]; s.sh != nil {
		return s.sh
	}
	lim := reassembly.DefaultStreamLimits()
	lim.GiveUpHolesAtOnce = s.e.cfg.GiveUpTCPHoles
	lim.MaxConns = shareOf(lim.MaxConns)
	lim.MaxBuffered = max(shareOf(lim.MaxBuffered), lim.MaxDirectMessage)
	lim.MaxOutOfOrderPagesTotal = max(shareOf(lim.MaxOutOfOrderPagesTotal), lim.MaxOutOfOrderPages)
	tc := reassembly.DefaultTransConfig()
	tc.MaxPending, tc.MaxRequests = shareOf(tc.MaxPending), shareOf(tc.MaxRequests)
	sh := &tcpShard{
		streams: reassembly.NewStreamReassembler(s, lim),
		trans:   reassembly.NewTransReassembler[int](tc),
		trees:   reassembly.NewTreeTracker[int](shareOf(maxTrees)),
		pending: map[smbKey]pendingTrans{},
	}
	sh.convs.init(shareOf(s.e.cfg.MaxTCPStreams), &s.e.tcpNext)
	s.shards[i], s.sh = sh, sh
	return sh
}

// shareOf is one shard's share of a bound n, at least 1.
func shareOf(n int) int { return max(n/addressShards, 1) }

// nbns decodes a NetBIOS Name Service packet (UDP 137).
func (s *nbtState) nbns(f *dissect.Frame, payload []byte, off int) {
	t := &f.Tree
	t.Base = off
	s.show(f, &s.ns, s.ns.DecodeFromBytes(payload, s.e), "nbns", "NBNS")
}

// show adds a decoded layer to the frame: its nodes (unless NoTree), its
// name in frame.protocols, the protocol and info columns and, when it
// decoded without error, its typed message. It reports that success.
func (s *nbtState) show(f *dissect.Frame, l dissect.Layer, err error, proto, column string) bool {
	if !s.e.cfg.NoTree {
		l.AppendTree(&f.Tree)
	}
	s.e.addProto(proto)
	f.Proto = column
	if !s.e.cfg.NoInfo {
		f.Info = l.AppendInfo(f.Info[:0])
	}
	if err != nil {
		s.e.noteErr(f, err)
		return false
	}
	f.Msgs = append(f.Msgs, l)
	return true
}

// nbdgm decodes a NetBIOS Datagram Service packet (UDP 138) and the SMB
// mailslot message it carries.
func (s *nbtState) nbdgm(f *dissect.Frame, payload []byte, off int) {
	t := &f.Tree
	t.Base = off
	d := &s.dgm
	if !s.show(f, d, d.DecodeFromBytes(payload, s.e), "nbdgm", "NBDGM") {
		return
	}
	dg, anoms := s.dgrams.Add(f.Number, f.Time, d)
	for i := range anoms {
		if datagramBound(&anoms[i]) {
			s.e.hitBound(f, BoundFragments, anoms[i].Err)
		}
		if anoms[i].Err != nil && t.WantsText() {
			t.Base = 0
			t.Expert("[Datagram: "+anoms[i].Err.Error()+"]", -1, 0).Flags |= dissect.NodeWarn
		}
	}
	if dg == nil || len(dg.Payload) == 0 {
		if d.Fragmented() {
			f.Info = append(f.Info, " [fragment of a datagram]"...)
		}
		return
	}
	if !s.e.upper {
		return
	}
	if !dg.Fragmented {
		s.datagramSMB(f, dg.Payload, off+len(d.Contents))
		return
	}
	// The last fragment completes the datagram: decode the reassembled
	// user data from its own data source and list the fragments.
	t.Base = 0
	if t.WantsText() {
		n := t.Text("[Reassembled NBT datagram from fragments in frames]", -1, 0)
		n.Flags |= dissect.NodeGenerated
		n.S = t.Keep(appendFrameList(t.Buf(), dg.Frames))
	}
	t.Src = t.AddSource("Reassembled NBT datagram", dg.Payload)
	s.datagramSMB(f, dg.Payload, 0)
	t.Src = 0
}

// appendFrameList appends "3, 4, 7".
func appendFrameList(b []byte, frames []int) []byte {
	for i, fr := range frames {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendInt(b, int64(fr), 10)
	}
	return b
}

// datagramSMB decodes the SMB message of a datagram: a class 2 mailslot
// write (SMB_COM_TRANSACTION) carrying a browser or LAN Manager frame.
func (s *nbtState) datagramSMB(f *dissect.Frame, data []byte, off int) {
	t := &f.Tree
	t.Base = off
	m := &s.dgmSMB
	if !s.show(f, m, m.DecodeFromBytes(data, s.e), "smb", "SMB") {
		return
	}
	tr := m.Trans()
	if tr == nil || !tr.HasName || tr.Err != nil || tr.SetupOff <= 0 || tr.SetupOff > len(data) {
		return
	}
	if !dissect.IsMailslotWrite(tr.Name, len(tr.Data)) {
		return
	}
	s.mailslot(f, data, off, tr)
}

func (s *nbtState) mailslot(f *dissect.Frame, smb []byte, off int, tr *dissect.Trans) {
	t := &f.Tree
	ms := &s.dgmMS
	t.Base = off + tr.SetupOff
	var err error
	if tr.Unicode {
		err = ms.Decode(tr.Setup, tr.Name)
	} else {
		err = ms.DecodeFromBytes(smb[tr.SetupOff:], s.e)
	}
	if !s.e.cfg.NoTree {
		ms.AppendTree(t)
	}
	s.e.addProto("mailslot")
	f.Proto = "MAILSLOT"
	if err != nil {
		s.e.noteErr(f, err)
		return
	}
	dataOff := off + int(tr.DataOffset)
	switch ms.NextLayerType() {
	case dissect.LayerTypeBrowser:
		t.Base = dataOff
		s.show(f, &s.browser, s.browser.DecodeFromBytes(tr.Data, s.e), "browser", "BROWSER")
	case dissect.LayerTypeLANMAN:
		// tshark calls \MAILSLOT\LANMAN announcements BROWSER too.
		t.Base = dataOff
		s.show(f, &s.lanman, s.lanman.DecodeFromBytes(tr.Data, s.e), "browser", "BROWSER")
	default:
		t.Base = dataOff
		ms.AppendData(t, tr.Data)
		if !s.e.cfg.NoInfo {
			f.Info = ms.AppendInfo(f.Info[:0])
		}
	}
}

// tcp hands a segment on port 139 or 445 to the stream reassembler, which
// calls OnMessage for every session packet it completes.
func (s *nbtState) tcp(f *dissect.Frame, ip *layers.IPv4, tc *layers.TCP, off int) {
	s.cur = f
	s.nbssN = 0
	s.rapN = 0
	ci := gopacket.CaptureInfo{Timestamp: f.Time, CaptureLength: f.CapLen, Length: f.Len}
	if s.e.cfg.DeferSessions {
		s.deferred = true
		s.sh.streams.Add(f.Number, ci, ip, tc)
		s.cur = nil
		return
	}
	s.sh.streams.Add(f.Number, ci, ip, tc)
	s.expireTrans(f)
	s.cur = nil
}

// expireTrans reports the transactions abandoned by capture time on the
// frame that noticed it: which pieces never came.
func (s *nbtState) expireTrans(f *dissect.Frame) {
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

// flush ends every connection (end of capture), shard by shard.
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
		return // completed by FlushAll after the last frame
	}
	if s.e.cfg.DeferSessions {
		s.record(false, 0, nil, m.Conn, m.LongLength, m.Data)
		return
	}
	t := &f.Tree
	if off := offsetIn(f.Data, m.Data); off >= 0 {
		t.Src, t.Base = 0, off
	} else {
		t.Src = t.AddSource("Reassembled TCP", m.Data)
		t.Base = 0
	}
	src, base := t.Src, t.Base
	n := s.nextNBSS()
	n.Direct = m.Conn.Direct
	n.LongLength = m.LongLength
	err := n.DecodeFromBytes(m.Data, s.e)
	if !s.e.cfg.NoTree {
		n.AppendTree(t)
	}
	s.e.addProto("nbss")
	if s.nbssN == 1 {
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
	if !s.e.upper {
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
		if !s.e.cfg.NoTree {
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
	if !s.e.cfg.NoInfo {
		f.Info = info(f.Info[:s.infoStart])
	}
}

// sessionSMB decodes an SMB1 message of a session and, for transactions
// on \PIPE\LANMAN, the RAP call or reply.
func (s *nbtState) sessionSMB(f *dissect.Frame, m *reassembly.NBSSMessage, data []byte, src uint8, off int) {
	t := &f.Tree
	t.Src, t.Base = src, off
	sm := s.nextSMB()
	err := sm.DecodeFromBytes(data, s.e)
	s.sh.trees.Observe(m.Conn.Index, sm, f.Number)
	if !s.e.cfg.NoTree {
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
	res := s.sh.trans.Add(m.Conn.Index, sm, f.Number, f.Time)
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
	if !s.e.cfg.RecordCompletions {
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
	if lanman {
		t := &f.Tree
		t.Src, t.Base = psrc, poff
		r := s.nextRAPReq()
		err := r.Decode(params, data)
		setRAPData(&r.DataOffset, &r.DataSrc, psrc, poff, dsrc, doff)
		if !s.e.cfg.NoTree {
			r.AppendTree(t)
		}
		s.e.addProto("lanman")
		s.setInfo(f, "LANMAN", r.AppendInfo)
		p.rap = r.Info()
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
		s.e.hitBound(f, BoundRequests, dissect.Limit("smb", "pending requests", -1, "more than "+
			strconv.Itoa(shareOf(maxPending))+" transaction requests awaiting a reply: forgot the one of frame "+strconv.Itoa(first)))
	}
	pending[key] = p
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
	if ok {
		delete(s.sh.pending, key)
	}
	if ok && !p.lanman || !ok && !guess {
		return // another pipe, or nothing says it is RAP
	}
	t := &f.Tree
	t.Src, t.Base = psrc, poff
	r := s.nextRAPResp()
	var info *dissect.RAPRequestInfo
	if ok {
		info = &p.rap
	}
	// Without its request, RAP decodes the status and converter and says
	// why it stops (the descriptors came with the request).
	err := r.Decode(params, data, info)
	setRAPData(&r.DataOffset, &r.DataSrc, psrc, poff, dsrc, doff)
	if !s.e.cfg.NoTree {
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

// OnAnomaly shows lost, skipped or dropped stream bytes on the current
// frame.
func (s *nbtState) OnAnomaly(a *reassembly.StreamAnomaly) {
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
		s.smb = append(s.smb, new(dissect.SMB))
		s.smb2 = append(s.smb2, new(dissect.SMB2))
	}
	s.nbssN++
	return s.nbss[s.nbssN-1]
}

func (s *nbtState) nextSMB() *dissect.SMB   { return s.smb[s.nbssN-1] }
func (s *nbtState) nextSMB2() *dissect.SMB2 { return s.smb2[s.nbssN-1] }

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
