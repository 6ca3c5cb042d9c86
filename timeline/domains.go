package timeline

import (
	"net/netip"
	"time"
)

// The workgroup list per segment, from DomainAnnouncements ([MS-BRWS]
// §2.2.7 DomainAnnouncement and its receiving rule in §3.3.5; the
// Leach/Naik browser draft): each workgroup with the name of its master,
// expiring after DomainExpiry.

// msBrowse is the name DomainAnnouncements go to: \x01\x02__MSBROWSE__\x02<01>.
const msBrowse = "\x01\x02__MSBROWSE__\x02"

func (t *Tracker) seg(seg string, now time.Time) *segState {
	s := t.segs[seg]
	if s == nil {
		if len(t.segs) >= t.cfg.MaxGroups {
			if old, ok := t.segAge.oldest(); ok {
				t.segAge.remove(old)
				delete(t.segs, old.seg)
				if !t.limitSeen("MaxGroups") {
					t.limit("MaxGroups", "segment table full: forgot "+old.seg)
				}
			}
		}
		s = &segState{seg: seg, domains: make(map[string]*Server)}
		if now.After(s.last) {
			s.last = now // its place in segAge at once (see learnAddr)
		}
		t.segs[seg] = s
		t.segAge.add(s)
	}
	if now.After(s.last) {
		s.last = now
		t.segAge.later(s)
	}
	return s
}

func (t *Tracker) onDomainAnnouncement(seg string, a *Announcement) {
	m := &a.Meta
	wg := t.canonName(a.Server)
	master := t.canonName(a.Comment)
	sender := t.canonName(m.SrcName)
	if sender == "" {
		sender = master
	}
	t.setName(m.Src, sender, m.Time)
	if m.DstName != "" && (m.DstName != msBrowse || m.DstSuffix != 0x01) {
		t.wrongName(seg, wg, sender, m, "DomainAnnouncement", 0x01)
	}
	if wg == "" {
		return
	}
	if h := t.host(seg, sender, m.Src, m.Time); h != nil && h.wg == "" {
		h.wg = wg
	}
	s := t.seg(seg, m.Time)
	if a.ServerType == 0 {
		t.removeDomain(s, wg, m.Time, m.Frame, "going away: DomainAnnouncement with server type 0")
		return
	}
	t.upsertDomain(s, wg, m.Src, Server{Kind: a.Kind.String(), Type: a.ServerType, OSMajor: a.OSMajor, OSMinor: a.OSMinor,
		Comment: master, Periodicity: a.Periodicity, UpdateCount: a.UpdateCount}, SourceAnnouncement, m.Time, m.Frame)
	if g := t.findGroup(seg, wg); g != nil {
		if ri := g.openRole(RoleLMB, sender); ri != nil {
			ri.Frames = t.addFrame(ri.Frames, m.Frame)
		}
	}
}

func (t *Tracker) upsertDomain(s *segState, wg string, addr netip.Addr, d Server, source string, at time.Time, frame int) {
	e := s.domains[wg]
	if e == nil {
		if len(s.domains) >= t.cfg.MaxGroups {
			if !t.limitSeen("MaxGroups") {
				t.limit("MaxGroups", "domain list of "+s.seg+" full: ignored "+wg)
			}
			return
		}
		if e = popFree(&t.domFree); e == nil {
			e = new(Server)
		}
		*e = Server{Name: wg, FirstSeen: at, FirstFrame: frame}
		s.domains[wg] = e
		setServer(e, &d, addr, source, at, frame)
		e.Frames = t.addFrame(e.Frames, frame)
		e.Expires = at.Add(t.cfg.DomainExpiry)
		e.seq = t.schedule(e.Expires, timerDomain, nil, s, wg)
		if t.emit != nil {
			t.send(Event{Time: at, Frame: frame, Kind: KindDomainAdd, Segment: s.seg, Workgroup: wg, Host: d.Comment, Addr: e.Addr,
				Data: &ServerChange{Server: e.copy()}, Frames: frames(frame)})
		}
		return
	}
	if e.Source == SourceAnnouncement && source != SourceAnnouncement {
		return
	}
	var changed []string // only an event reads it
	if e.Comment != d.Comment && d.Comment != "" {
		changed = append(changed, "master")
	}
	if e.Type != d.Type {
		changed = append(changed, "type")
	}
	if d.Comment == "" {
		d.Comment = e.Comment
	}
	setServer(e, &d, addr, source, at, frame)
	e.Frames = t.addFrame(e.Frames, frame)
	e.Expires = at.Add(t.cfg.DomainExpiry)
	e.seq = t.schedule(e.Expires, timerDomain, nil, s, wg)
	if len(changed) > 0 && t.emit != nil {
		t.send(Event{Time: at, Frame: frame, Kind: KindDomainUpdate, Segment: s.seg, Workgroup: wg, Host: d.Comment,
			Addr: e.Addr, Data: &ServerChange{Server: e.copy(), Changed: changed}, Frames: frames(frame)})
	}
}

func (t *Tracker) removeDomain(s *segState, wg string, at time.Time, frame int, reason string) {
	e := s.domains[wg]
	if e == nil {
		return
	}
	delete(s.domains, wg)
	if t.emit != nil {
		t.send(Event{Time: at, Frame: frame, Kind: KindDomainRemove, Segment: s.seg, Workgroup: wg, Host: e.Comment, Addr: e.Addr,
			Data: &ServerChange{Server: e.copy()}, Reason: reason, Frames: frames(frame)})
	}
	// Nothing holds the record now (events and snapshots get copies; its
	// timer finds the workgroup by name and is told stale by its seq):
	// the next workgroup heard takes it (the NBT-dense mix removes and
	// adds 1,346 a run).
	if len(t.domFree) < maxDomFree {
		t.domFree = append(t.domFree, e)
	}
}

// maxDomFree bounds Tracker.domFree.
const maxDomFree = 8

func (t *Tracker) expireDomain(s *segState, wg string, at time.Time) {
	e := s.domains[wg]
	t.removeDomain(s, wg, at, e.LastFrame, "expired: not announced for "+fmtDur(t.cfg.DomainExpiry))
}
