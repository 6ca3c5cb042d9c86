package engine

import (
	"strconv"

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
	// nbssFrame is the frame nbssN counts the session packets of;
	// joinInfo: the first session packet's info follows the frame's own
	// (Finish on a frame that is not bare TCP) instead of replacing it.
	nbssFrame int
	joinInfo  bool

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

	loss StreamLoss // what the TCP streams lost (StreamLoss)
}

// Bounds of the SMB session state kept per capture.
const (
	maxTrees   = 4096
	maxPending = 4096
	// maxCompletions bounds the fragment frames remembered for a second
	// pass.
	maxCompletions = 1 << 20
)

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
	raps    map[smbKey]*dissect.RAPRequestInfo // of the pending requests to \PIPE\LANMAN
	// rapFree are records of raps forgotten, for reuse: a map's values of
	// RAPRequestInfo's size are stored apart, one allocation a request.
	rapFree []*dissect.RAPRequestInfo
}

// keepRAP remembers rap under key, in a record reused if it can be.
func (sh *tcpShard) keepRAP(key smbKey, rap *dissect.RAPRequestInfo) {
	r := sh.raps[key]
	if r == nil {
		if n := len(sh.rapFree); n > 0 {
			r = sh.rapFree[n-1]
			sh.rapFree = sh.rapFree[:n-1]
		} else {
			r = new(dissect.RAPRequestInfo)
		}
		sh.raps[key] = r
	}
	*r = *rap
}

// dropRAP forgets what raps holds under key (if anything), keeping its
// record for reuse.
func (sh *tcpShard) dropRAP(key smbKey) {
	if r := sh.raps[key]; r != nil {
		delete(sh.raps, key)
		sh.rapFree = append(sh.rapFree, r)
	}
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
	// RAP decodes a reply with what the engine kept of its request
	// (pendingTrans), not with the request's bytes.
	tc.NoRequestBytes = true
	sh := &tcpShard{
		streams: reassembly.NewStreamReassembler(s, lim),
		trans:   reassembly.NewTransReassembler[int](tc),
		trees:   reassembly.NewTreeTracker[int](shareOf(maxTrees)),
		pending: map[smbKey]pendingTrans{},
		raps:    map[smbKey]*dissect.RAPRequestInfo{},
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
	s.show(f, &s.ns, &s.ns, s.ns.DecodeFromBytes(payload, s.e), "nbns", "NBNS")
}

// show adds a decoded layer to the frame: its nodes (if the tree is built), its
// name in frame.protocols, the protocol and info columns and, when it
// decoded without error, its typed message. It reports that success.
// msg is l, as the Message the caller converts it to from its own type:
// a Layer made a Message here is a runtime lookup of the itab (about 20
// instructions a message).
func (s *nbtState) show(f *dissect.Frame, l dissect.Layer, msg dissect.Message, err error, proto, column string) bool {
	if s.e.needs.tree {
		l.AppendTree(&f.Tree)
	}
	s.e.addProto(proto)
	f.Proto = column
	if s.e.needs.info {
		f.Info = l.AppendInfo(f.Info[:0])
	}
	if err != nil {
		s.e.noteErr(f, err)
		return false
	}
	f.Msgs = append(f.Msgs, msg)
	return true
}

// nbdgm decodes a NetBIOS Datagram Service packet (UDP 138) and the SMB
// mailslot message it carries.
func (s *nbtState) nbdgm(f *dissect.Frame, payload []byte, off int) {
	t := &f.Tree
	t.Base = off
	d := &s.dgm
	if !s.show(f, d, d, d.DecodeFromBytes(payload, s.e), "nbdgm", "NBDGM") {
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
	if !s.e.needs.upper {
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
	if !s.show(f, m, m, m.DecodeFromBytes(data, s.e), "smb", "SMB") {
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
	if s.e.needs.tree {
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
		s.show(f, &s.browser, &s.browser, s.browser.DecodeFromBytes(tr.Data, s.e), "browser", "BROWSER")
	case dissect.LayerTypeLANMAN:
		// tshark calls \MAILSLOT\LANMAN announcements BROWSER too.
		t.Base = dataOff
		s.show(f, &s.lanman, &s.lanman, s.lanman.DecodeFromBytes(tr.Data, s.e), "browser", "BROWSER")
	default:
		t.Base = dataOff
		ms.AppendData(t, tr.Data)
		if s.e.needs.info {
			f.Info = ms.AppendInfo(f.Info[:0])
		}
	}
}
