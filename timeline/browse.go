package timeline

import (
	"net/netip"
	"sort"
	"strings"
	"time"
)

// Browse Lists per workgroup and segment, and the workgroup list per
// segment ([MS-BRWS] §3.3.5.3 Receiving a HostAnnouncement Frame, §2.2.7
// DomainAnnouncement and its receiving rule in §3.3.5, §3.2.6 the
// announcement timers; the Leach/Naik browser draft; Hertel, Implementing
// CIFS, the Browse Service).

// msBrowse is the name DomainAnnouncements go to: \x01\x02__MSBROWSE__\x02<01>.
const msBrowse = "\x01\x02__MSBROWSE__\x02"

// onAnnouncement handles Host, LocalMaster, LAN Manager and Domain
// announcements.
func (t *Tracker) onAnnouncement(a *Announcement) {
	m := &a.Meta
	seg := t.locate(m)
	if m.Dst.IsValid() && !isDirectedBroadcast(m.Dst) && !isLimitedBroadcast(m.Dst) {
		// A unicast announcement (Samba's "remote announce") goes into the
		// Browse List of the browser it was sent to.
		seg = t.segOfAddr(m.Segment, m.Dst, m.Time)
	}
	if a.Kind == DomainAnnouncement {
		t.onDomainAnnouncement(seg, a)
		return
	}
	server := canon(a.Server)
	if server == "" {
		server = canon(m.SrcName)
	}
	if server == "" {
		return
	}
	src := canon(m.SrcName)
	if src == "" {
		src = server
	}
	t.setName(m.Src, src, m.Time)
	kind := a.Kind.String()
	expect := byte(0x1d)
	switch a.Kind {
	case LocalMasterAnnouncement:
		expect = 0x1e
	case LANMANAnnouncement:
		expect = 0x00
	}
	wg := canon(m.DstName)
	if m.DstName != "" && m.DstSuffix != expect {
		if m.DstSuffix != 0x1d && m.DstSuffix != 0x1e && m.DstSuffix != 0x00 {
			if h := t.findHost(seg, server); h != nil && h.wg != "" {
				wg = h.wg
			}
		}
		t.wrongName(seg, wg, server, m, kind, expect)
	}
	if wg == "" {
		if h := t.findHost(seg, server); h != nil {
			wg = h.wg
		}
	}
	h := t.host(seg, server, m.Src, m.Time)
	if wg != "" {
		h.wg = wg
	}
	g := t.group(seg, wg, m.Time)
	if a.ServerType == 0 {
		t.goingAway(g, server, m.Src, m.Time, m.Frame, kind)
		return
	}
	e := t.upsertServer(g, server, m.Src, Server{Kind: kind, Type: a.ServerType, OSMajor: a.OSMajor, OSMinor: a.OSMinor,
		Comment: a.Comment, Periodicity: a.Periodicity, UpdateCount: a.UpdateCount}, SourceAnnouncement, m.Time, m.Frame)
	if e != nil && !e.badPeriod && !t.plausible(a.Periodicity) {
		e.badPeriod = true
		what := "absent (0)"
		if a.Periodicity > 0 {
			what = "implausible (" + fmtDur(a.Periodicity) + ")"
		}
		t.anomaly(AnomalyBadPeriodicity, m.Time, m.Frame, g.seg, g.wg, server, m.Src,
			server+"'s "+kind+" periodicity is "+what+"; its entry expires after "+fmtDur(t.cfg.DefaultExpiry), frames(m.Frame))
	}
	if a.Kind == LocalMasterAnnouncement {
		// Samba clears SV_TYPE_POTENTIAL_BROWSER in its LocalMasterAnnouncement
		// (dmb capture frame 223: 0x000c9a03): a missing bit there ends nothing.
		if a.ServerType&svPotentialBrowser != 0 {
			t.holdRole(g, server, m.Src, RolePotential, m.Time, m.Frame, kind, " with SV_TYPE_POTENTIAL_BROWSER bit", "")
		}
		if a.ServerType&svDomainMaster != 0 {
			t.holdRole(g, server, m.Src, RoleDMB, m.Time, m.Frame, kind, " with SV_TYPE_DOMAIN_MASTER bit", "")
		}
		if a.ServerType&svDomainCtrl != 0 {
			t.holdRole(g, server, m.Src, RolePDC, m.Time, m.Frame, kind, " with SV_TYPE_DOMAIN_CTRL bit", "")
		}
	} else {
		t.serverTypeRoles(g, server, m.Src, a.ServerType, m.Time, m.Frame, kind)
	}
	switch {
	case a.Kind == LocalMasterAnnouncement:
		t.claimMaster(g, server, m.Src, m.Time, m.Frame, kind, "")
	case a.ServerType&svMasterBrowser != 0:
		t.claimMaster(g, server, m.Src, m.Time, m.Frame, kind, " with SV_TYPE_MASTER_BROWSER bit")
	default:
		if ri := g.openRole(RoleLMB, server); ri != nil {
			t.endRole(g, ri, m.Time, m.Frame, kind+" without SV_TYPE_MASTER_BROWSER bit", 0, nil)
		}
	}
	t.checkDMBClaim(g, server, m.Src, a.ServerType, m.Time, m.Frame)
}

// goingAway handles an announcement with server type 0: the host leaves
// the Browse List at once and gives up every role (Samba sends it, with
// periodicity 0, when nmbd stops: election capture frames 165-166).
func (t *Tracker) goingAway(g *group, server string, addr netip.Addr, at time.Time, frame int, kind string) {
	reason := "going away: " + kind + " with server type 0"
	if h := t.findHost(g.seg, server); h != nil {
		// Its next instance starts afresh: no ballot known, no restart to detect.
		h.hasBallot = false
	}
	if _, ok := g.browse[server]; ok {
		t.removeServer(g, server, at, frame, reason)
	}
	t.endHostRoles(g, server, at, frame, reason)
	t.candidateAway(g, server, at, frame)
}

// plausible reports whether an announced periodicity can be used for
// expiry.
func (t *Tracker) plausible(p time.Duration) bool {
	return p >= t.cfg.MinPeriodicity && p <= t.cfg.MaxPeriodicity
}

// expiry is when an entry last seen at at expires: three announced
// periods, or DefaultExpiry when the period is absent or implausible, or
// SyncExpiry for entries learnt from lists.
func (t *Tracker) expiry(source string, p time.Duration, at time.Time) time.Time {
	if source != SourceAnnouncement {
		return at.Add(t.cfg.SyncExpiry)
	}
	if t.plausible(p) {
		return at.Add(3 * p)
	}
	return at.Add(t.cfg.DefaultExpiry)
}

// upsertServer adds or refreshes a Browse List entry. Entries learnt from
// announcements are not overwritten by list entries.
func (t *Tracker) upsertServer(g *group, name string, addr netip.Addr, s Server, source string, at time.Time, frame int) *Server {
	e := g.browse[name]
	if e == nil {
		if t.servers >= t.cfg.MaxServers {
			t.evictServer()
		}
		e = &Server{Name: name, FirstSeen: at, FirstFrame: frame}
		g.browse[name] = e
		t.servers++
		setServer(e, s, addr, source, at, frame)
		e.Frames = t.addFrame(e.Frames, frame)
		e.Expires = t.expiry(source, s.Periodicity, at)
		e.seq = t.schedule(e.Expires, timerBrowse, g, nil, name)
		t.send(Event{Time: at, Frame: frame, Kind: KindBrowseAdd, Segment: g.seg, Workgroup: g.wg, Host: name, Addr: e.Addr,
			Data: &ServerChange{Server: e.copy()}, Frames: frames(frame)})
		return e
	}
	if source == SourceEnum {
		// A list a master hands out adds what was never seen here; it
		// does not overwrite what was.
		return e
	}
	// Otherwise the latest word wins, as in the masters' own lists: a DMB
	// synchronisation overrides an older announcement (dmb capture: BHOST's
	// remote announcement, frame 171, says 0x00009a03; LMBB's list at the
	// 122 s sync says 0x00019a03, and so does the DMB's list at 150 s).
	var changed []string // only an event reads it
	if e.Type != s.Type {
		changed = append(changed, "type")
	}
	if e.Comment != s.Comment && !(source != SourceAnnouncement && s.Comment == "") {
		changed = append(changed, "comment")
	}
	if (e.OSMajor != s.OSMajor || e.OSMinor != s.OSMinor) && source == SourceAnnouncement {
		changed = append(changed, "os_version")
	}
	if e.Source != source {
		changed = append(changed, "source")
	}
	if addr.IsValid() && e.Addr.IsValid() && e.Addr != addr {
		changed = append(changed, "addr")
	}
	if source != SourceAnnouncement {
		// Lists carry no periodicity, and level 0 lists no comment or
		// version: keep what the announcements said.
		if s.Comment == "" {
			s.Comment = e.Comment
		}
		if s.OSMajor == 0 && s.OSMinor == 0 {
			s.OSMajor, s.OSMinor = e.OSMajor, e.OSMinor
		}
		if s.Periodicity == 0 {
			s.Periodicity = e.Periodicity
		}
	}
	prev := e.Expires
	setServer(e, s, addr, source, at, frame)
	e.Frames = t.addFrame(e.Frames, frame)
	e.Expires = t.expiry(source, s.Periodicity, at)
	if source != SourceAnnouncement && prev.After(e.Expires) {
		e.Expires = prev
	}
	e.seq = t.schedule(e.Expires, timerBrowse, g, nil, name)
	if len(changed) > 0 {
		t.send(Event{Time: at, Frame: frame, Kind: KindBrowseUpdate, Segment: g.seg, Workgroup: g.wg, Host: name, Addr: e.Addr,
			Data: &ServerChange{Server: e.copy(), Changed: changed}, Frames: frames(frame)})
	}
	return e
}

func setServer(e *Server, s Server, addr netip.Addr, source string, at time.Time, frame int) {
	e.Kind, e.Type, e.OSMajor, e.OSMinor, e.Comment = s.Kind, s.Type, s.OSMajor, s.OSMinor, s.Comment
	e.Periodicity, e.UpdateCount, e.Source = s.Periodicity, s.UpdateCount, source
	if addr.IsValid() {
		e.Addr = addr
	}
	e.LastSeen, e.LastFrame = at, frame
}

// clone is an independent copy.
func (e *Server) clone() *Server {
	c := e.copy()
	return &c
}

// copy is an independent copy, as a value.
func (e *Server) copy() Server {
	c := *e
	c.Frames = append([]int(nil), e.Frames...)
	return c
}

func (t *Tracker) removeServer(g *group, name string, at time.Time, frame int, reason string) {
	e := g.browse[name]
	if e == nil {
		return
	}
	delete(g.browse, name)
	t.servers--
	t.send(Event{Time: at, Frame: frame, Kind: KindBrowseRemove, Segment: g.seg, Workgroup: g.wg, Host: name, Addr: e.Addr,
		Data: &ServerChange{Server: e.copy()}, Reason: reason, Frames: frames(frame)})
}

// expireServer removes an entry whose host went silent.
func (t *Tracker) expireServer(g *group, name string, at time.Time) {
	e := g.browse[name]
	var reason string
	switch {
	case e.Source != SourceAnnouncement:
		reason = "expired: not listed again for " + fmtDur(t.cfg.SyncExpiry)
	case t.plausible(e.Periodicity):
		reason = "expired: not announced for 3 × " + fmtDur(e.Periodicity)
	default:
		reason = "expired: not announced for " + fmtDur(t.cfg.DefaultExpiry) + " (periodicity absent or implausible)"
	}
	last := e.LastFrame
	t.removeServer(g, name, at, last, reason)
	if e.Source == SourceAnnouncement {
		t.anomaly(AnomalyEntryExpired, at, last, g.seg, g.wg, name, e.Addr,
			name+" went silent: last announced "+fmtTime(e.LastSeen)+" (frame "+itoa(last)+"), "+reason, frames(last))
		t.endHostRoles(g, name, at, last, "silent: "+reason)
		t.candidateAway(g, name, at, last)
	}
}

func (t *Tracker) evictServer() {
	var og *group
	var on string
	var oe *Server
	for _, g := range t.groups {
		for n, e := range g.browse {
			if oe == nil || e.LastSeen.Before(oe.LastSeen) || (e.LastSeen.Equal(oe.LastSeen) && n < on) {
				og, on, oe = g, n, e
			}
		}
	}
	if oe == nil {
		return
	}
	delete(og.browse, on)
	t.servers--
	t.limit("MaxServers", "Browse List full: forgot "+on+" of "+og.wg+" on "+og.seg)
}

// wrongName flags a browser frame sent to a name other than the one the
// Browse Service says ([MS-BRWS] §2.2: HostAnnouncement to WORKGROUP<1d>,
// LocalMasterAnnouncement and RequestElection to WORKGROUP<1e>, LAN Manager
// announcements to WORKGROUP<00>, DomainAnnouncement to
// \x01\x02__MSBROWSE__\x02<01>).
func (t *Tracker) wrongName(seg, wg, host string, m *Meta, what string, expect byte) {
	if m.DstName == "" || !t.once("wrong\x00"+seg+"\x00"+host+"\x00"+what+"\x00"+m.DstName) {
		return
	}
	want := "WORKGROUP"
	if wg != "" {
		want = wg
	}
	t.anomaly(AnomalyWrongName, m.Time, m.Frame, seg, wg, host, m.Src,
		what+" from "+host+" sent to "+displayName(m.DstName, m.DstSuffix)+" instead of "+displayName(want, expect),
		frames(m.Frame))
}

// ---- workgroups (DomainAnnouncement) ----

func (t *Tracker) seg(seg string, now time.Time) *segState {
	s := t.segs[seg]
	if s == nil {
		if len(t.segs) >= t.cfg.MaxGroups {
			var key string
			var old *segState
			for k, x := range t.segs {
				if old == nil || x.last.Before(old.last) || (x.last.Equal(old.last) && k < key) {
					key, old = k, x
				}
			}
			delete(t.segs, key)
			t.limit("MaxGroups", "segment table full: forgot "+key)
		}
		s = &segState{seg: seg, domains: make(map[string]*Server)}
		t.segs[seg] = s
	}
	if now.After(s.last) {
		s.last = now
	}
	return s
}

func (t *Tracker) onDomainAnnouncement(seg string, a *Announcement) {
	m := &a.Meta
	wg := canon(a.Server)
	master := canon(a.Comment)
	sender := canon(m.SrcName)
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
			t.limit("MaxGroups", "domain list of "+s.seg+" full: ignored "+wg)
			return
		}
		e = &Server{Name: wg, FirstSeen: at, FirstFrame: frame}
		s.domains[wg] = e
		setServer(e, d, addr, source, at, frame)
		e.Frames = t.addFrame(e.Frames, frame)
		e.Expires = at.Add(t.cfg.DomainExpiry)
		e.seq = t.schedule(e.Expires, timerDomain, nil, s, wg)
		t.send(Event{Time: at, Frame: frame, Kind: KindDomainAdd, Segment: s.seg, Workgroup: wg, Host: d.Comment, Addr: e.Addr,
			Data: &ServerChange{Server: e.copy()}, Frames: frames(frame)})
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
	setServer(e, d, addr, source, at, frame)
	e.Frames = t.addFrame(e.Frames, frame)
	e.Expires = at.Add(t.cfg.DomainExpiry)
	e.seq = t.schedule(e.Expires, timerDomain, nil, s, wg)
	if len(changed) > 0 {
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
	t.send(Event{Time: at, Frame: frame, Kind: KindDomainRemove, Segment: s.seg, Workgroup: wg, Host: e.Comment, Addr: e.Addr,
		Data: &ServerChange{Server: e.copy()}, Reason: reason, Frames: frames(frame)})
}

func (t *Tracker) expireDomain(s *segState, wg string, at time.Time) {
	e := s.domains[wg]
	t.removeDomain(s, wg, at, e.LastFrame, "expired: not announced for "+fmtDur(t.cfg.DomainExpiry))
}

// ---- other browser frames ----

// message emits a browser.message event for a request or response.
func (t *Tracker) message(m *Meta, seg, wg, host, what, target, detail string) {
	t.send(Event{Time: m.Time, Frame: m.Frame, Kind: KindMessage, Segment: seg, Workgroup: wg, Host: host, Addr: m.Src,
		Reason: what, Data: message(target), Detail: detail, Frames: frames(m.Frame)})
}

// noTarget is the data of the messages aimed at no one host, shared by
// them (events are read only).
var noTarget = &Message{}

func message(target string) *Message {
	if target == "" {
		return noTarget
	}
	return &Message{Target: target}
}

func (t *Tracker) sender(m *Meta) string {
	name := canon(m.SrcName)
	if name == "" {
		name = t.nameOf(m.Src)
	}
	if name == "" && m.Src.IsValid() {
		name = m.Src.String()
	}
	t.setName(m.Src, canon(m.SrcName), m.Time)
	return name
}

func (t *Tracker) onAnnouncementRequest(v *AnnouncementRequest) {
	m := &v.Meta
	f := newFP('R')
	f.addr(m.Src)
	f.str(m.DstName)
	f.str(v.ResponseName)
	if t.duplicate(f, m.Time) {
		return
	}
	seg := t.locate(m)
	name := t.sender(m)
	t.message(m, seg, canon(m.DstName), name, "AnnouncementRequest", "",
		name+" asks every browser of "+displayName(m.DstName, m.DstSuffix)+" to announce itself")
}

func (t *Tracker) onBackupListRequest(v *BackupListRequest) {
	m := &v.Meta
	f := newFP('Q')
	f.addr(m.Src)
	f.u64(uint64(v.Token))
	if t.duplicate(f, m.Time) {
		return
	}
	seg := t.locate(m)
	name := t.sender(m)
	t.message(m, seg, canon(m.DstName), name, "GetBackupListRequest", "",
		name+" asks "+displayName(m.DstName, m.DstSuffix)+" for "+itoa(int(v.Count))+" backup browsers (token "+
			hexString(uint64(v.Token), 8)+")")
}

func (t *Tracker) onBackupListResponse(v *BackupListResponse) {
	m := &v.Meta
	f := newFP('B')
	f.addr(m.Src)
	f.u64(uint64(v.Token))
	for _, s := range v.Servers {
		f.str(s)
	}
	if t.duplicate(f, m.Time) {
		return
	}
	seg := t.locate(m)
	name := t.sender(m)
	wg := ""
	if h := t.findHost(seg, name); h != nil {
		wg = h.wg
	}
	var list []string
	for _, s := range v.Servers {
		list = append(list, canon(s))
	}
	t.message(m, seg, wg, name, "GetBackupListResponse", "",
		name+" lists backup browsers: "+strings.Join(list, ", ")+" (token "+hexString(uint64(v.Token), 8)+")")
	if wg == "" {
		return
	}
	g := t.group(seg, wg, m.Time)
	if ri := g.openRole(RoleLMB, name); ri != nil {
		ri.Frames = t.addFrame(ri.Frames, m.Frame)
	}
	for _, s := range list {
		if s == "" || s == name {
			continue
		}
		var addr netip.Addr
		if h := t.findHost(seg, s); h != nil {
			addr = h.addr
		}
		t.beginRole(g, s, addr, RoleBackup, m.Time, m.Frame, "listed in "+name+"'s GetBackupListResponse", 0, nil)
	}
}

func (t *Tracker) onBecomeBackup(v *BecomeBackup) {
	m := &v.Meta
	f := newFP('K')
	f.addr(m.Src)
	f.str(v.Target)
	if t.duplicate(f, m.Time) {
		return
	}
	seg := t.locate(m)
	name := t.sender(m)
	target := canon(v.Target)
	t.message(m, seg, canon(m.DstName), name, "BecomeBackupRequest", target,
		name+" asks "+target+" to become a backup browser")
}

func (t *Tracker) onMasterAnnouncement(v *MasterAnnouncement) {
	m := &v.Meta
	f := newFP('M')
	f.addr(m.Src)
	f.addr(m.Dst)
	f.str(v.Master)
	if t.duplicate(f, m.Time) {
		return
	}
	seg := t.locate(m)
	lmb := canon(v.Master)
	if lmb == "" {
		lmb = t.sender(m)
	}
	t.setName(m.Src, lmb, m.Time)
	wg := ""
	if h := t.findHost(seg, lmb); h != nil {
		wg = h.wg
	}
	dmbSeg := t.segOfAddr(m.Segment, m.Dst, m.Time)
	dmb := ""
	if n := canon(m.DstName); n != "" && n != "*" && m.DstSuffix == 0x00 {
		dmb = canon(m.DstName)
	}
	if dmb == "" {
		dmb = t.nameOf(m.Dst)
	}
	t.message(m, seg, wg, lmb, "MasterAnnouncement", dmb,
		lmb+" tells the domain master "+dmb+" ("+m.Dst.String()+") that it is the local master of "+wg)
	if wg == "" || dmb == "" {
		return
	}
	if g := t.findGroup(seg, wg); g != nil {
		if ri := g.openRole(RoleLMB, lmb); ri != nil {
			ri.Frames = t.addFrame(ri.Frames, m.Frame)
		}
	}
	dg := t.group(dmbSeg, wg, m.Time)
	t.beginRole(dg, dmb, m.Dst, RoleDMB, m.Time, m.Frame, "received "+lmb+"'s MasterAnnouncement", 0, nil)
	t.link(wg, lmb, seg, dmb, dmbSeg, m.Time, m.Frame)
}

// link records an LMB <-> DMB synchronisation.
func (t *Tracker) link(wg, lmb, lmbSeg, dmb, dmbSeg string, at time.Time, frame int) {
	k := linkKey{wg, lmb, lmbSeg, dmb, dmbSeg}
	l := t.links[k]
	if l == nil {
		if len(t.links) >= t.cfg.MaxGroups {
			t.limit("MaxGroups", "link table full: ignored "+lmb+" -> "+dmb)
			return
		}
		l = &Link{Workgroup: wg, LMB: lmb, LMBSegment: lmbSeg, DMB: dmb, DMBSegment: dmbSeg, First: at}
		t.links[k] = l
	}
	l.Last = at
	l.Frames = t.addFrame(l.Frames, frame)
}

func (t *Tracker) onReset(v *ResetBrowserState) {
	m := &v.Meta
	f := newFP('Z')
	f.addr(m.Src)
	f.addr(m.Dst)
	f.u64(uint64(v.Flags))
	if t.duplicate(f, m.Time) {
		return
	}
	seg := t.locate(m)
	name := t.sender(m)
	wg := ""
	if h := t.findHost(seg, name); h != nil {
		wg = h.wg
	}
	targetSeg := seg
	target := ""
	if isDirectedBroadcast(m.Dst) || isLimitedBroadcast(m.Dst) {
		target = "every browser of " + displayName(m.DstName, m.DstSuffix)
	} else {
		targetSeg = t.segOfAddr(m.Segment, m.Dst, m.Time)
		target = t.nameOf(m.Dst)
		if target == "" && m.DstSuffix != 0x20 {
			target = canon(m.DstName)
		}
		if target == "" {
			target = m.Dst.String()
		}
	}
	var what []string
	if v.Flags&0x01 != 0 {
		what = append(what, "stop being local master (0x01)")
	}
	if v.Flags&0x02 != 0 {
		what = append(what, "flush its browse list (0x02)")
	}
	if v.Flags&0x04 != 0 {
		what = append(what, "stop browsing (0x04)")
	}
	if len(what) == 0 {
		what = append(what, "nothing known ("+hexString(uint64(v.Flags), 2)+")")
	}
	detail := name + " told " + target + " (" + displayName(m.DstName, m.DstSuffix) + " at " + m.Dst.String() + ") to " +
		strings.Join(what, " and ")
	t.message(m, seg, wg, name, "ResetBrowserState", target, detail)
	t.anomaly(AnomalyResetBrowser, m.Time, m.Frame, seg, wg, name, m.Src, detail, frames(m.Frame))
	if v.Flags&0x05 == 0 || wg == "" {
		return
	}
	g := t.findGroup(targetSeg, wg)
	if g == nil {
		return
	}
	for _, ri := range g.holders(RoleLMB) {
		if ri.Addr == m.Dst || ri.Host == target || isDirectedBroadcast(m.Dst) {
			t.endRole(g, ri, m.Time, m.Frame, "ResetBrowserState from "+name, 0, nil)
		}
	}
	if v.Flags&0x04 != 0 {
		for _, role := range []Role{RoleBackup, RolePotential} {
			for _, ri := range g.holders(role) {
				if ri.Addr == m.Dst || ri.Host == target || isDirectedBroadcast(m.Dst) {
					t.endRole(g, ri, m.Time, m.Frame, "ResetBrowserState from "+name+": stop browsing", 0, nil)
				}
			}
		}
	}
}

// checkDMBClaim flags a host holding WORKGROUP<1b> that announces itself
// without the domain master bit after DMBGrace, or that announces another
// workgroup.
func (t *Tracker) checkDMBClaim(g *group, host string, addr netip.Addr, typ uint32, at time.Time, frame int) {
	if typ&svDomainMaster != 0 || len(t.dmbNames[g.wg]) == 0 {
		return
	}
	for _, n := range t.dmbNamesHeldBy(g.wg, addr) {
		for _, o := range n.Owners {
			if o.Active && o.Addr == addr && at.Sub(o.Registered) > t.cfg.DMBGrace &&
				t.once("dmbclaim\x00"+g.seg+"\x00"+host+"\x00"+g.wg) {
				t.anomaly(AnomalyDMBClaim, at, frame, g.seg, g.wg, host, addr,
					host+" holds "+displayName(g.wg, 0x1b)+" (registered frame "+itoa(o.RegFrame)+
						") but announces itself without the domain master bit", frames(o.RegFrame, frame))
			}
		}
	}
}

// sortedServers returns a group's entries sorted by name.
func sortedServers(m map[string]*Server) []*Server {
	out := make([]*Server, 0, len(m))
	for _, e := range m {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
