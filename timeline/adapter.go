package timeline

import (
	"hash/maphash"
	"net/netip"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Adapter turns decoded frames into observations. It copies every string
// it keeps (the engine reuses the frame and its decoders) and remembers, per
// TCP connection, the names of the last NBSS session request so that a
// negative or retargeted answer can say who called whom. The memory it
// keeps is bounded by maxSessions and maxInterned.
//
// Observations are self-contained values: nothing in them points into the
// frame, and the adapter never reuses one it has returned, so they may be
// handed to another goroutine (but see ShareSessions). To stay clear of the allocator on a busy
// capture it takes them from slabs (a new slab when one is used up, never
// a recycled one) and takes names and comments from an intern table: the
// same few hosts say the same things over and over.
type Adapter struct {
	sessions SessionBook
	out      []Observation
	// shared: the session names are left to a SessionBook the caller
	// keeps (ShareSessions): notes are the current frame's, tag tells
	// this adapter's connections from other adapters'.
	shared bool
	tag    int
	notes  []SessionNote
	// stateless: remembers no session (the function FromFrame).
	stateless bool
	// errs: the text of the last decode error and of the last bound
	// error (errText).
	errs, bounds errMemo

	strs  *[maxInterned]internSlot // interned wire strings (str)
	seed  maphash.Seed
	own   Arena        // the slabs of the observations (arena)
	ar    *Arena       // UseArena's, or nil: own
	addrs []netip.Addr // the free tail of the current slab of NameEvent.Addrs
}

// maxInterned is the number of slots of the intern table (a power of
// two).
const maxInterned = 4096

// str returns b as a string, from the intern table when it is there. The
// table is direct-mapped: a string goes into the slot its hash picks, in
// place of the one there (the strings already handed out stay valid). A
// lookup is a hash and one comparison, without allocating; a map, cleared
// when full, cost a probe, an insert and a delete for each new name (a
// flood of new hosts). The slot keeps the string's hash, compared first:
// a new name does not read the bytes of the one it replaces (cold since
// that name was last seen).
func (a *Adapter) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if a.strs == nil {
		a.strs = new([maxInterned]internSlot)
		clear(a.strs[:]) // written before read: see slotIndex.resize
		a.seed = maphash.MakeSeed()
	}
	h := maphash.Bytes(a.seed, b)
	slot := &a.strs[h&(maxInterned-1)]
	if slot.h == h && slot.s == string(b) {
		return slot.s
	}
	s := string(b)
	slot.h, slot.s = h, s
	return s
}

// internSlot is a slot of the intern table: a string and its hash.
type internSlot struct {
	h uint64
	s string
}

// addrSlice returns an empty slice with room for n addresses, carved from
// a shared chunk (its capacity is exactly n, so an append by the reader
// cannot reach the next observation's addresses): the arena's (UseArena),
// else a new one.
func (a *Adapter) addrSlice(n int) []netip.Addr {
	if n > len(a.addrs) {
		if a.ar != nil {
			a.addrs = a.ar.addrs.chunk(n, addrChunkSize)
		} else {
			a.addrs = make([]netip.Addr, max(n, addrChunkSize))
		}
	}
	s := a.addrs[:0:n]
	a.addrs = a.addrs[n:]
	return s
}

// Chunk sizes of the arena's server list entries and backup list names
// (a list of the NBT-dense mix holds about ten).
const (
	entryChunkSize  = 64
	serverChunkSize = 64
)

// slice returns an empty slice with room for n values: carved from c,
// the arena's chunks, when the adapter uses an arena (UseArena); else
// made at that size (the adapter's own arena never reuses memory, and
// these slices are few).
func slice[T any](a *Adapter, c *chunks[T], n, size int) []T {
	if a.ar != nil {
		return c.carve(n, size)
	}
	return make([]T, 0, n)
}

// NewAdapter makes an adapter.
func NewAdapter() *Adapter { return &Adapter{} }

// ShareSessions makes the adapter leave the names of NBSS sessions to a
// SessionBook the caller keeps: after each FromFrame, SessionNotes are
// the frame's session packets, to Apply to the book in frame order before
// the frame's observations are read (its SessionEvents have no names
// until then). tag tells this adapter's connections (its frames'
// tcp.stream numbers) from those of the other adapters sharing the book.
func (a *Adapter) ShareSessions(tag int) { a.shared, a.tag = true, tag }

// SessionNotes are the session packets of the frame of the last
// FromFrame, when the adapter shares its sessions (ShareSessions). The
// slice is reused by the next call.
func (a *Adapter) SessionNotes() []SessionNote { return a.notes }

// FromFrame is the stateless form of Adapter.FromFrame (session answers
// then carry no names).
func FromFrame(f *dissect.Frame) []Observation {
	a := Adapter{stateless: true}
	return a.FromFrame(f)
}

// FromFrame returns the observations in f, in frame order. The returned
// slice is reused by the next call; the observations themselves are not.

func (a *Adapter) FromFrame(f *dissect.Frame) []Observation {
	a.out, a.notes = a.out[:0], a.notes[:0]
	if f == nil {
		return nil
	}
	if len(f.Msgs) == 0 && len(f.Errs) == 0 && len(f.Bounds) == 0 {
		// Nothing to observe (a TCP segment within a message, an
		// acknowledgement): the frame's context is not made.
		return a.out
	}
	if f.Net.IPProto == 6 /* TCP */ && len(f.Errs) == 0 && len(f.Bounds) == 0 && !sessionObserved(f.Msgs) {
		// The session packets of a TCP segment (NBSS, SMB, SMB2, RAP)
		// make no observation but a session request's, its negative or
		// retarget answer's and a server list's: without them, the
		// frame's context is not made either (the NBT-dense mix: most of
		// its 175,000 TCP frames with SMB messages).
		return a.out
	}
	if len(f.Msgs) == 1 && len(f.Errs) == 0 && len(f.Bounds) == 0 {
		if m, ok := f.Msgs[0].(*dissect.NBNS); ok {
			// An NBNS packet alone (most observations of the
			// NBT-dense mix): its context is written into its event,
			// not made and then copied there.
			if o := a.nameEvent(nil, f, m); o != nil {
				a.out = append(a.out, o)
			}
			return a.out
		}
	}
	var base Meta
	frameMeta(&base, f)
	// dg is the datagram context for the browser frame that follows an
	// NBDGM (or a NetBEUI or IPX datagram): base until one comes, then
	// dgm (a copy of base only for the frames that have one).
	var dgm Meta
	dg := &base
	for _, msg := range f.Msgs {
		switch m := msg.(type) {
		case *dissect.NBNS:
			if o := a.nameEvent(&base, f, m); o != nil {
				a.out = append(a.out, o)
			}
		case *dissect.NBDGM:
			dgm = base
			dg = &dgm
			if m.HasSourceName {
				dg.SrcName = a.str(m.SourceName.Base())
			}
			if m.HasDestinationName {
				dg.DstName = a.str(m.DestinationName.Base())
				dg.DstSuffix = m.DestinationName.Suffix()
			}
			dg.DstGroup = m.Type == dissect.NBDGMDirectGroup
		case *dissect.NetBIOS:
			base = netbeuiMeta(base, &f.Net)
			dgm = a.netbeuiDatagram(base, m)
			dg = &dgm
		case *dissect.IPX:
			base = ipxMeta(base, m)
			dg = &base
		case *dissect.NBIPX:
			if m.PacketType == dissect.NBIPXDirectedDatagram {
				// The sender's name comes first on the wire, in the
				// field tshark calls the receiver's (WfW capture,
				// frames 14 and 59: WFW_HOST_1 and WFW_HOST_2 announce
				// themselves there, to __MSBROWSE__ and WORKGROUP).
				sender, receiver := &m.ReceiverName, &m.SenderName
				dgm = a.legacyNames(base, receiver, sender)
				dg = &dgm
			}
		case *dissect.NMPI:
			if m.Opcode == dissect.NMPIMailslotWrite {
				dgm = a.legacyNames(base, &m.Name, &m.SourceName)
				dgm.DstSuffix = nmpiSuffix(m.NameType, dgm.DstSuffix)
				dg = &dgm
			}
		case *dissect.Browser:
			if o := a.browserObservation(dg, m); o != nil {
				a.out = append(a.out, o)
			}
		case *dissect.LANMANAnnounce:
			if o := a.lanmanObservation(*dg, m); o != nil {
				a.out = append(a.out, o)
			}
		case *dissect.NBSS:
			if o := a.session(base, f.Net.TCPStream, m); o != nil {
				a.out = append(a.out, o)
			}
		case *dissect.RAPResponse:
			if o := a.serverList(base, m); o != nil {
				a.out = append(a.out, o)
			}
		}
	}
	for _, err := range f.Errs {
		if err != nil {
			// Field by field into the zeroed slot: a composite
			// literal was built on the stack and copied whole.
			p := a.arena().probs.new()
			p.Meta, p.Err = base, a.errs.text(err)
			a.out = append(a.out, p)
		}
	}
	for _, b := range f.Bounds {
		if b.Err != nil {
			// (A flood of new TCP conversations hits a bound frame after
			// frame: the NBT-dense mix, 10,411 times.)
			p := a.arena().probs.new()
			p.Meta, p.Err, p.Bound = base, a.bounds.text(b.Err), b.Bound
			a.out = append(a.out, p)
		}
	}
	return a.out
}

// sessionObserved reports whether FromFrame may make an observation of
// a TCP segment's messages: a session request, a negative or retarget
// session response, a RAP response.
func sessionObserved(msgs []dissect.Message) bool {
	for _, msg := range msgs {
		switch m := msg.(type) {
		case *dissect.NBSS:
			if m.Type == dissect.NBSSSessionRequest || m.Type == dissect.NBSSNegativeSessionResponse ||
				m.Type == dissect.NBSSRetargetSessionResponse {
				return true
			}
		case *dissect.RAPResponse:
			return true
		}
	}
	return false
}

// frameMeta writes the context of f into m (zero).
func frameMeta(m *Meta, f *dissect.Frame) {
	m.Time, m.Frame, m.Segment = f.Time, f.Number, f.SourceLabel
	if f.Net.HasIP {
		m.Src = netip.AddrFrom4(f.Net.Src)
		m.Dst = netip.AddrFrom4(f.Net.Dst)
	}
}

// nameEvent converts an NBNS message about a name (not node status),
// in meta's context (nil: f's, frameMeta).
func (a *Adapter) nameEvent(meta *Meta, f *dissect.Frame, n *dissect.NBNS) *NameEvent {
	resp := n.Flags.Response()
	var rr *dissect.NBNSResource
	var name *dissect.Name
	if resp {
		if len(n.Answers) > 0 {
			rr = &n.Answers[0]
			name = &rr.Name
		} else if len(n.Questions) > 0 {
			name = &n.Questions[0].Name
		}
	} else {
		if len(n.Questions) == 0 {
			return nil
		}
		if n.Questions[0].Type == dissect.NBNSTypeNBSTAT {
			return nil
		}
		name = &n.Questions[0].Name
		if len(n.Additionals) > 0 {
			rr = &n.Additionals[0]
		}
	}
	if name == nil || (rr != nil && rr.Type == dissect.NBNSTypeNBSTAT) {
		return nil
	}
	e := a.arena().names.new() // zeroed: its fields set one by one, not through a copy of the whole
	if meta != nil {
		e.Meta = *meta
	} else {
		frameMeta(&e.Meta, f)
	}
	e.Op, e.Response, e.RCode = NameOp(n.Flags.Opcode()), resp, uint8(n.Flags.RCode())
	e.Name, e.Suffix = a.str(name.Base()), name.Suffix()
	e.Bcast, e.ID = n.Flags.Has(dissect.NBNSFlagB), n.ID
	if rr != nil && len(rr.NB) == 1 {
		// One address (nearly every request and answer): no count first.
		nb := &rr.NB[0]
		e.TTL, e.Group, e.NodeType = rr.TTL, nb.Flags.Group(), uint8(nb.Flags.ONT())
		if !nb.NoAddr {
			e.Addrs = append(a.addrSlice(1), netip.AddrFrom4(nb.Addr))
		}
	} else if rr != nil {
		e.TTL = rr.TTL
		naddr := 0
		for i := range rr.NB {
			if !rr.NB[i].NoAddr && naddr < maxNameAddrs {
				naddr++
			}
		}
		if naddr > 0 {
			e.Addrs = a.addrSlice(naddr)
		}
		for i := range rr.NB {
			nb := &rr.NB[i]
			if i == 0 {
				e.Group = nb.Flags.Group()
				e.NodeType = uint8(nb.Flags.ONT())
			}
			if !nb.NoAddr && len(e.Addrs) < maxNameAddrs {
				e.Addrs = append(e.Addrs, netip.AddrFrom4(nb.Addr))
			}
		}
	}
	return e
}

// errMemo is the text of the last *dissect.DecodeError whose message
// was asked (text). A lossy or flooded capture hits the same error frame
// after frame (in the NBT-dense mix, the bound of the engine's TCP
// conversations), each time a new error of equal fields:
// their message is made once, not twice allocated each time.
type errMemo struct {
	last dissect.DecodeError
	msg  string
	ok   bool
}

// text is err's message (err.Error()).
func (m *errMemo) text(err error) string {
	de, ok := err.(*dissect.DecodeError)
	if !ok {
		return err.Error()
	}
	switch de.Err {
	case nil, dissect.ErrTruncated, dissect.ErrMalformed, dissect.ErrLimit, dissect.ErrUnsupported:
		// Comparable: a sentinel (another error may be of a type
		// that == cannot compare).
	default:
		return err.Error()
	}
	if m.ok && *de == m.last {
		return m.msg
	}
	m.last, m.msg, m.ok = *de, de.Error(), true
	return m.msg
}

// maxNameAddrs bounds the addresses kept from one NBNS resource record.
const maxNameAddrs = 16

// browserObservation converts a \MAILSLOT\BROWSE frame.
func (a *Adapter) browserObservation(meta *Meta, b *dissect.Browser) Observation {
	switch b.Command {
	case dissect.BrowserHostAnnouncement, dissect.BrowserDomainAnnouncement, dissect.BrowserLocalMasterAnnouncement:
		ann := a.arena().anns.new() // zeroed (see nameEvent)
		ann.Meta = *meta
		ann.Server, ann.ServerType = a.str(b.ServerName), uint32(b.ServerType)
		ann.Periodicity = time.Duration(b.Periodicity) * time.Millisecond
		ann.OSMajor, ann.OSMinor, ann.UpdateCount = b.OSMajor, b.OSMinor, b.UpdateCount
		switch b.Command {
		case dissect.BrowserHostAnnouncement:
			ann.Kind, ann.Comment = HostAnnouncement, a.str(b.Comment)
		case dissect.BrowserDomainAnnouncement:
			ann.Kind, ann.Comment = DomainAnnouncement, a.str(b.MasterName)
		default:
			ann.Kind, ann.Comment = LocalMasterAnnouncement, a.str(b.Comment)
		}
		return ann
	case dissect.BrowserRequestElection:
		e := a.arena().elecs.new() // zeroed (see nameEvent)
		e.Meta = *meta
		e.Ballot = Ballot{Version: b.ElectionVersion, Criteria: uint32(b.Criteria), Uptime: b.Uptime, Name: a.str(b.ServerName)}
		return e
	case dissect.BrowserAnnouncementRequest:
		r := a.arena().reqs.new()
		*r = AnnouncementRequest{Meta: *meta, ResponseName: a.str(b.ResponseName)}
		return r
	case dissect.BrowserGetBackupListRequest:
		r := a.arena().backReqs.new()
		*r = BackupListRequest{Meta: *meta, Count: b.BackupCount, Token: b.Token}
		return r
	case dissect.BrowserGetBackupListResponse:
		r := a.arena().backs.new()
		*r = BackupListResponse{Meta: *meta, Token: b.Token}
		if n := len(b.BackupServers); n > 0 {
			r.Servers = slice(a, &a.arena().servers, n, serverChunkSize)
			for _, s := range b.BackupServers {
				r.Servers = append(r.Servers, a.str(s))
			}
		}
		return r
	case dissect.BrowserBecomeBackup:
		r := a.arena().becomes.new()
		*r = BecomeBackup{Meta: *meta, Target: a.str(b.BrowserToPromote)}
		return r
	case dissect.BrowserMasterAnnouncement:
		r := a.arena().masters.new()
		*r = MasterAnnouncement{Meta: *meta, Master: a.str(b.MasterName)}
		return r
	case dissect.BrowserResetState:
		r := a.arena().resets.new()
		*r = ResetBrowserState{Meta: *meta, Flags: uint8(b.ResetFlags)}
		return r
	}
	return nil
}

// lanmanObservation converts a \MAILSLOT\LANMAN announcement (periodicity
// in seconds there).
func (a *Adapter) lanmanObservation(meta Meta, l *dissect.LANMANAnnounce) Observation {
	var kind AnnouncementKind
	switch dissect.BrowserCommand(l.Opcode) {
	case dissect.BrowserHostAnnouncement:
		kind = LANMANAnnouncement
	case dissect.BrowserDomainAnnouncement:
		kind = DomainAnnouncement
	default:
		return nil
	}
	ann := a.arena().anns.new()
	*ann = Announcement{Meta: meta, Kind: kind, Server: a.str(l.ServerName), ServerType: uint32(l.ServerType),
		Periodicity: time.Duration(l.Periodicity) * time.Second, OSMajor: l.OSMajor, OSMinor: l.OSMinor,
		Comment: a.str(l.Comment)}
	return ann
}

// session converts NBSS session requests and their negative or retarget
// answers.
func (a *Adapter) session(meta Meta, stream int, s *dissect.NBSS) Observation {
	k := sessionKey{a.tag, stream}
	switch s.Type {
	case dissect.NBSSSessionRequest:
		n := sessionNames{called: a.str(s.CalledName.Base()), calling: a.str(s.CallingName.Base())}
		switch {
		case a.shared:
			a.notes = append(a.notes, SessionNote{key: k, names: n})
		case !a.stateless:
			a.sessions.request(k, n)
		}
		return nil
	case dissect.NBSSNegativeSessionResponse, dissect.NBSSRetargetSessionResponse:
		e := a.arena().sessions.new()
		*e = SessionEvent{Meta: meta}
		if a.shared {
			a.notes = append(a.notes, SessionNote{key: k, Event: e})
		} else {
			a.sessions.answer(k, e)
		}
		if s.Type == dissect.NBSSNegativeSessionResponse {
			e.Negative, e.ErrorCode = true, uint8(s.ErrorCode)
		} else {
			e.Retarget = true
			e.RetargetTo = netip.AddrPortFrom(netip.AddrFrom4(s.RetargetIP), s.RetargetPort)
		}
		return e
	}
	return nil
}

// serverList converts a NetServerEnum2/3 response.
func (a *Adapter) serverList(meta Meta, r *dissect.RAPResponse) Observation {
	if r.Interim || !r.HasRequest {
		return nil
	}
	fn := r.Request.Function
	if fn != dissect.RAPNetServerEnum2 && fn != dissect.RAPNetServerEnum3 {
		return nil
	}
	l := a.arena().lists.new()
	*l = ServerList{Meta: meta, Server: meta.Src, Domain: a.str(r.Request.DomainBytes()),
		TypeMask: uint32(r.Request.ServerType), Status: uint16(r.Status), EntryCount: int(r.EntryCount),
		Available: int(r.Available)}
	if r.Request.Level >= 0 {
		l.Level = uint16(r.Request.Level)
	}
	if !r.HasAvailable {
		l.Available = l.EntryCount
	}
	if n := len(r.Servers); n > 0 {
		l.Entries = slice(a, &a.arena().entries, n, entryChunkSize)
	}
	for i := range r.Servers {
		s := &r.Servers[i]
		l.Entries = append(l.Entries, ServerEntry{Name: a.str(s.Name), OSMajor: s.Major, OSMinor: s.Minor,
			ServerType: uint32(s.Type), Comment: a.str(s.Comment)})
	}
	return l
}

// netbeuiMeta is meta for a NetBEUI frame: its senders and receivers are
// MAC addresses, a frame to a group address (the NetBIOS functional
// address 03:00:00:00:00:01, the broadcast) is the segment's broadcast.
func netbeuiMeta(meta Meta, n *dissect.Net) Meta {
	meta.Transport = TransportNetBEUI
	meta.Src = NodeAddr(TransportNetBEUI, 0, n.SrcMAC)
	meta.Dst = NodeAddr(TransportNetBEUI, 0, n.DstMAC)
	if n.DstMAC[0]&1 != 0 {
		meta.Dst = nodeBroadcast(TransportNetBEUI)
	}
	return meta
}

// ipxMeta is meta for an IPX packet: its senders and receivers are IPX
// network and node addresses, a packet to node ff:ff:ff:ff:ff:ff the
// segment's broadcast.
func ipxMeta(meta Meta, x *dissect.IPX) Meta {
	meta.Transport = TransportIPX
	var src, dst [6]byte
	copy(src[:], x.SrcNode)
	copy(dst[:], x.DstNode)
	meta.Src = NodeAddr(TransportIPX, x.SrcNet, src)
	meta.Dst = NodeAddr(TransportIPX, x.DstNet, dst)
	if dst[0]&1 != 0 {
		meta.Dst = nodeBroadcast(TransportIPX)
	}
	return meta
}

// netbeuiDatagram is the datagram context of a NetBEUI Datagram (to a
// name) or Datagram Broadcast (to all, no destination name).
func (a *Adapter) netbeuiDatagram(meta Meta, n *dissect.NetBIOS) Meta {
	if n.Command != dissect.NetBIOSDatagram && n.Command != dissect.NetBIOSDatagramBroadcast {
		return meta
	}
	var src, dst *[16]byte
	if n.HasSourceName {
		src = &n.SourceName
	}
	if n.HasDestName {
		dst = &n.DestName
	}
	return a.legacyNames(meta, dst, src)
}

// legacyNames is meta with the destination and source names of a NetBEUI
// or IPX datagram (nil when the frame has none); a datagram to the
// segment's broadcast counts as sent to a group.
func (a *Adapter) legacyNames(meta Meta, dst, src *[16]byte) Meta {
	if src != nil {
		meta.SrcName = a.str(rawBase(src))
	}
	if dst != nil {
		meta.DstName = a.str(rawBase(dst))
		meta.DstSuffix = dst[15]
	}
	meta.DstGroup = isNodeBroadcast(meta.Dst)
	return meta
}

// rawBase is the 15 characters of a raw NetBIOS name without the
// trailing spaces.
func rawBase(n *[16]byte) []byte {
	end := 15
	for end > 0 && n[end-1] == ' ' {
		end--
	}
	return n[:end]
}

// nmpiSuffix is the NetBIOS suffix an NMPI mailslot write means: its
// names end in 0x00 and its name type says what the destination is. A
// write to a workgroup (2) is NBT's to WORKGROUP<1d>, one to its browsers
// (3) NBT's to WORKGROUP<1e> (WfW capture: HostAnnouncements go to the
// workgroup, frame 42, LocalMasterAnnouncements to the browsers, frame 71,
// as their NetBEUI copies go to <1d> and <1e>).
func nmpiSuffix(nameType, suffix byte) byte {
	if suffix != 0x00 {
		return suffix
	}
	switch nameType {
	case 2:
		return 0x1d
	case 3:
		return 0x1e
	}
	return suffix
}
