package timeline

import (
	"net/netip"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Adapter turns decoded frames into observations. It copies every string
// it keeps (the engine reuses the frame and its decoders) and remembers, per
// TCP connection, the names of the last NBSS session request so that a
// negative or retargeted answer can say who called whom. The memory it
// keeps is bounded by maxSessions.
type Adapter struct {
	sessions map[int]sessionNames
	out      []Observation
}

type sessionNames struct {
	called, calling string
}

const maxSessions = 4096

// NewAdapter makes an adapter.
func NewAdapter() *Adapter { return &Adapter{sessions: make(map[int]sessionNames)} }

// FromFrame is the stateless form of Adapter.FromFrame (session answers
// then carry no names).
func FromFrame(f *dissect.Frame) []Observation {
	var a Adapter
	return a.FromFrame(f)
}

// FromFrame returns the observations in f, in frame order. The returned
// slice is reused by the next call; the observations themselves are not.
func (a *Adapter) FromFrame(f *dissect.Frame) []Observation {
	a.out = a.out[:0]
	if f == nil {
		return nil
	}
	base := Meta{Time: f.Time, Frame: f.Number, Segment: f.SourceLabel}
	if f.Net.HasIP {
		base.Src = netip.AddrFrom4(f.Net.Src)
		base.Dst = netip.AddrFrom4(f.Net.Dst)
	}
	dg := base // datagram context for the browser frame that follows an NBDGM
	for _, msg := range f.Msgs {
		switch m := msg.(type) {
		case *dissect.NBNS:
			if o := nameEvent(base, m); o != nil {
				a.out = append(a.out, o)
			}
		case *dissect.NBDGM:
			dg = base
			if m.HasSourceName {
				dg.SrcName = string(m.SourceName.Base())
			}
			if m.HasDestinationName {
				dg.DstName = string(m.DestinationName.Base())
				dg.DstSuffix = m.DestinationName.Suffix()
			}
			dg.DstGroup = m.Type == dissect.NBDGMDirectGroup
		case *dissect.Browser:
			if o := browserObservation(dg, m); o != nil {
				a.out = append(a.out, o)
			}
		case *dissect.LANMANAnnounce:
			if o := lanmanObservation(dg, m); o != nil {
				a.out = append(a.out, o)
			}
		case *dissect.NBSS:
			if o := a.session(base, f.Net.TCPStream, m); o != nil {
				a.out = append(a.out, o)
			}
		case *dissect.RAPResponse:
			if o := serverList(base, m); o != nil {
				a.out = append(a.out, o)
			}
		}
	}
	for _, err := range f.Errs {
		if err != nil {
			a.out = append(a.out, &DecodeProblem{Meta: base, Err: err.Error()})
		}
	}
	return a.out
}

// nameEvent converts an NBNS message about a name (not node status).
func nameEvent(meta Meta, n *dissect.NBNS) *NameEvent {
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
	e := &NameEvent{Meta: meta, Op: NameOp(n.Flags.Opcode()), Response: resp, RCode: uint8(n.Flags.RCode()),
		Name: string(name.Base()), Suffix: name.Suffix(), Bcast: n.Flags.Has(dissect.NBNSFlagB), ID: n.ID}
	if rr != nil {
		e.TTL = rr.TTL
		for i, nb := range rr.NB {
			if i == 0 {
				e.Group = nb.Flags.Group()
				e.NodeType = uint8(nb.Flags.ONT())
			}
			if !nb.NoAddr && len(e.Addrs) < 16 {
				e.Addrs = append(e.Addrs, netip.AddrFrom4(nb.Addr))
			}
		}
	}
	return e
}

// browserObservation converts a \MAILSLOT\BROWSE frame.
func browserObservation(meta Meta, b *dissect.Browser) Observation {
	switch b.Command {
	case dissect.BrowserHostAnnouncement, dissect.BrowserDomainAnnouncement, dissect.BrowserLocalMasterAnnouncement:
		a := &Announcement{Meta: meta, Server: string(b.ServerName), ServerType: uint32(b.ServerType),
			Periodicity: time.Duration(b.Periodicity) * time.Millisecond, OSMajor: b.OSMajor, OSMinor: b.OSMinor,
			UpdateCount: b.UpdateCount}
		switch b.Command {
		case dissect.BrowserHostAnnouncement:
			a.Kind, a.Comment = HostAnnouncement, string(b.Comment)
		case dissect.BrowserDomainAnnouncement:
			a.Kind, a.Comment = DomainAnnouncement, string(b.MasterName)
		default:
			a.Kind, a.Comment = LocalMasterAnnouncement, string(b.Comment)
		}
		return a
	case dissect.BrowserRequestElection:
		return &Election{Meta: meta, Ballot: Ballot{Version: b.ElectionVersion, Criteria: uint32(b.Criteria),
			Uptime: b.Uptime, Name: string(b.ServerName)}}
	case dissect.BrowserAnnouncementRequest:
		return &AnnouncementRequest{Meta: meta, ResponseName: string(b.ResponseName)}
	case dissect.BrowserGetBackupListRequest:
		return &BackupListRequest{Meta: meta, Count: b.BackupCount, Token: b.Token}
	case dissect.BrowserGetBackupListResponse:
		r := &BackupListResponse{Meta: meta, Token: b.Token}
		for _, s := range b.BackupServers {
			r.Servers = append(r.Servers, string(s))
		}
		return r
	case dissect.BrowserBecomeBackup:
		return &BecomeBackup{Meta: meta, Target: string(b.BrowserToPromote)}
	case dissect.BrowserMasterAnnouncement:
		return &MasterAnnouncement{Meta: meta, Master: string(b.MasterName)}
	case dissect.BrowserResetState:
		return &ResetBrowserState{Meta: meta, Flags: uint8(b.ResetFlags)}
	}
	return nil
}

// lanmanObservation converts a \MAILSLOT\LANMAN announcement (periodicity
// in seconds there).
func lanmanObservation(meta Meta, l *dissect.LANMANAnnounce) Observation {
	a := &Announcement{Meta: meta, Server: string(l.ServerName), ServerType: uint32(l.ServerType),
		Periodicity: time.Duration(l.Periodicity) * time.Second, OSMajor: l.OSMajor, OSMinor: l.OSMinor,
		Comment: string(l.Comment)}
	switch dissect.BrowserCommand(l.Opcode) {
	case dissect.BrowserHostAnnouncement:
		a.Kind = LANMANAnnouncement
	case dissect.BrowserDomainAnnouncement:
		a.Kind = DomainAnnouncement
	default:
		return nil
	}
	return a
}

// session converts NBSS session requests and their negative or retarget
// answers.
func (a *Adapter) session(meta Meta, stream int, s *dissect.NBSS) Observation {
	switch s.Type {
	case dissect.NBSSSessionRequest:
		n := sessionNames{called: string(s.CalledName.Base()), calling: string(s.CallingName.Base())}
		if a.sessions != nil {
			if len(a.sessions) >= maxSessions {
				clear(a.sessions)
			}
			a.sessions[stream] = n
		}
		return nil
	case dissect.NBSSNegativeSessionResponse, dissect.NBSSRetargetSessionResponse:
		n := a.sessions[stream]
		e := &SessionEvent{Meta: meta, Called: n.called, Calling: n.calling}
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
func serverList(meta Meta, r *dissect.RAPResponse) Observation {
	if r.Interim || !r.HasRequest {
		return nil
	}
	fn := r.Request.Function
	if fn != dissect.RAPNetServerEnum2 && fn != dissect.RAPNetServerEnum3 {
		return nil
	}
	l := &ServerList{Meta: meta, Server: meta.Src, Domain: string(r.Request.DomainBytes()),
		TypeMask: uint32(r.Request.ServerType), Status: uint16(r.Status), EntryCount: int(r.EntryCount),
		Available: int(r.Available)}
	if r.Request.Level >= 0 {
		l.Level = uint16(r.Request.Level)
	}
	if !r.HasAvailable {
		l.Available = l.EntryCount
	}
	for i := range r.Servers {
		s := &r.Servers[i]
		l.Entries = append(l.Entries, ServerEntry{Name: string(s.Name), OSMajor: s.Major, OSMinor: s.Minor,
			ServerType: uint32(s.Type), Comment: string(s.Comment)})
	}
	return l
}
