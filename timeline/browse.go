package timeline

import (
	"net/netip"
	"time"
)

// Browse Lists per workgroup and segment ([MS-BRWS] §3.3.5.3 Receiving a
// HostAnnouncement Frame, §3.2.6 the announcement timers; the Leach/Naik
// browser draft; Hertel, Implementing CIFS, the Browse Service): entries
// added, refreshed, expired and evicted, and the roles an announcement
// states. The workgroup list is in domains.go, the other browser frames in
// messages.go.

// onAnnouncement handles Host, LocalMaster, LAN Manager and Domain
// announcements.
func (t *Tracker) onAnnouncement(a *Announcement) {
	m := &a.Meta
	var p place
	p.seg, p.aud, p.bcast, p.foreign = t.placeOf(m, m.DstGroup)
	seg := p.seg
	if m.Dst.IsValid() && !p.bcast {
		// A unicast announcement (Samba's "remote announce") goes into the
		// Browse List of the browser it was sent to.
		seg = t.segOfAddr(m.Segment, m.Dst, m.Time)
	}
	if a.Kind == DomainAnnouncement {
		t.onDomainAnnouncement(seg, a)
		return
	}
	server := t.canonName(a.Server)
	if server == "" {
		server = t.canonName(m.SrcName)
	}
	if server == "" {
		return
	}
	src := t.canonName(m.SrcName)
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
	wg := t.canonName(m.DstName)
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
	if p.bcast && !p.foreign && m.Src.IsValid() {
		if old := t.findHost(seg, server); old != nil && old.addr.IsValid() && old.addr != m.Src {
			t.noteMultihomed(seg, server, old.addr, m.Src, m.Frame)
		}
	}
	h := t.host(seg, server, m.Src, m.Time)
	if wg != "" {
		h.wg = wg
	}
	if p.bcast {
		t.seenOn(m, seg, h.wg, server)
	}
	if h.away && a.ServerType != 0 {
		h.away, h.since = false, m.Time
	}
	g := t.group(seg, wg, m.Time)
	if a.ServerType == 0 {
		t.goingAway(g, server, m.Src, m.Time, m.Frame, kind)
		return
	}
	if a.ServerType&svDomainCtrl != 0 && !p.foreign && g.openRole(RolePDC, server) == nil {
		t.notePDC(wg, server, m.Frame)
	}
	s := &Server{Kind: kind, Type: a.ServerType, OSMajor: a.OSMajor, OSMinor: a.OSMinor,
		Comment: a.Comment, Periodicity: a.Periodicity, UpdateCount: a.UpdateCount}
	s.set(srvLocal, p.bcast && !p.foreign)
	e := t.upsertServer(g, server, m.Src, s, SourceAnnouncement, m.Time, m.Frame)
	if e != nil && !e.has(srvBadPeriod) && !t.plausible(a.Periodicity) {
		e.set(srvBadPeriod, true)
		what := "absent (0)"
		if a.Periodicity > 0 {
			what = "implausible (" + fmtDur(a.Periodicity) + ")"
		}
		t.anomaly(AnomalyBadPeriodicity, m.Time, m.Frame, g.seg, g.wg, server, m.Src,
			server+"'s "+kind+" periodicity is "+what+"; its entry expires after "+fmtDur(t.cfg.DefaultExpiry), frames(m.Frame))
	}
	if p.foreign {
		// Forwarded from another subnet (relay capture, frames 152-155):
		// the browsers here list it, but it holds no role here.
		return
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
		t.claimMaster(g, server, m.Src, m.Time, m.Frame, kind, "", p, m.Dst)
	case a.ServerType&svMasterBrowser != 0:
		t.claimMaster(g, server, m.Src, m.Time, m.Frame, kind, " with SV_TYPE_MASTER_BROWSER bit", p, m.Dst)
	default:
		// A host with two addresses on one segment runs a browser on each
		// (multihomed capture: MULTI is master on 198.18.1.21 and still
		// announces itself a potential browser from 198.18.1.22, frame
		// 143): only the master's own address ends its role so.
		if ri := g.openRole(RoleLMB, server); ri != nil && (ri.Addr == m.Src || !ri.Addr.IsValid()) {
			t.endRole(g, ri, m.Time, m.Frame, kind+" without SV_TYPE_MASTER_BROWSER bit", 0, nil)
		}
	}
	t.checkDMBClaim(g, server, m.Src, a.ServerType, m.Time, m.Frame)
}

// awayReason is goingAway's reason for announcements of kind (a kind's
// String): the same few, over and over, written out once (the dense mix
// alternates kinds, and a reason made for the last kind only was made
// again for most of them).
func awayReason(kind string) string {
	switch kind {
	case "HostAnnouncement":
		return "going away: HostAnnouncement with server type 0"
	case "LocalMasterAnnouncement":
		return "going away: LocalMasterAnnouncement with server type 0"
	case "LANMANAnnouncement":
		return "going away: LANMANAnnouncement with server type 0"
	case "DomainAnnouncement":
		return "going away: DomainAnnouncement with server type 0"
	}
	return "going away: " + kind + " with server type 0"
}

// goingAway handles an announcement with server type 0: the host leaves
// the Browse List at once and gives up every role (Samba sends it, with
// periodicity 0, when nmbd stops: election capture frames 165-166).
func (t *Tracker) goingAway(g *group, server string, addr netip.Addr, at time.Time, frame int, kind string) {
	reason := awayReason(kind)
	if h := t.findHost(g.seg, server); h != nil {
		// Its next instance starts afresh: no ballot known, no restart to detect.
		h.hasBallot, h.away = false, true
	}
	if g.browse.has(server) {
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
func (t *Tracker) upsertServer(g *group, name string, addr netip.Addr, s *Server, source string, at time.Time, frame int) *Server {
	e := g.browse.get(name)
	if e == nil {
		if t.servers >= t.cfg.MaxServers {
			t.evictServer()
		}
		if e = popFree(&t.srvFree); e != nil {
			*e = Server{Name: name, FirstSeen: at, FirstFrame: frame, grp: g, Frames: e.Frames[:0]}
		} else { // written, not read first (see popFree)
			e = t.srvRecs.add(Server{Name: name, FirstSeen: at, FirstFrame: frame, grp: g}, t.cfg.MaxServers)
		}
		g.browse.add(e)
		if r, ok := g.removed[name]; ok {
			delete(g.removed, name)
			t.removals.total--
			t.freeRemoval(r)
		}
		t.servers++
		setServer(e, s, addr, source, at, frame)
		t.srvAge.add(e)
		e.Frames = t.addFrame(e.Frames, frame)
		e.Expires = t.expiry(source, s.Periodicity, at)
		e.seq = t.scheduleEntry(e)
		if t.emit != nil { // the event and its copy only for a reader
			t.send(Event{Time: at, Frame: frame, Kind: KindBrowseAdd, Segment: g.seg, Workgroup: g.wg, Host: name, Addr: e.Addr,
				Data: &ServerChange{Server: e.copy()}, Frames: frames(frame)})
		}
		return e
	}
	if source == SourceEnum || (source != SourceAnnouncement && e.has(srvLocal)) {
		// A list a master hands out adds what was never seen here; it
		// does not overwrite what was. A host's own latest announcement
		// on its segment wins over any copy: the domain master's list is
		// an older copy of this segment's (a local master losing its
		// master bit to it while the same state names it the local
		// master).
		return e
	}
	// Otherwise the latest word wins, as in the masters' own lists: a DMB
	// synchronisation overrides an older announcement sent from another
	// segment (dmb capture: BHOST's remote announcement to the DMB, frame
	// 171, says 0x00009a03; LMBB's list at the 122 s sync says 0x00019a03,
	// and so does the DMB's list at 150 s).
	var changed []string // only an event reads it: made only for a reader (--report has none)
	if t.emit != nil {
		changed = serverChanges(e, s, addr, source)
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
	if source == SourceAnnouncement && e.Source == SourceAnnouncement {
		e.setPrevSeen(e.LastSeen)
	}
	setServer(e, s, addr, source, at, frame)
	t.srvAge.touch(e)
	e.Frames = t.addFrame(e.Frames, frame)
	e.Expires = t.expiry(source, s.Periodicity, at)
	if source != SourceAnnouncement && prev.After(e.Expires) {
		e.Expires = prev
	}
	e.seq = t.scheduleEntry(e)
	if len(changed) > 0 && t.emit != nil {
		t.send(Event{Time: at, Frame: frame, Kind: KindBrowseUpdate, Segment: g.seg, Workgroup: g.wg, Host: name, Addr: e.Addr,
			Data: &ServerChange{Server: e.copy(), Changed: changed}, Frames: frames(frame)})
	}
	return e
}

// serverChanges names the fields of the Browse List entry e that s, from
// source (and addr), changes.
func serverChanges(e, s *Server, addr netip.Addr, source string) []string {
	var changed []string
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
	return changed
}

func setServer(e *Server, s *Server, addr netip.Addr, source string, at time.Time, frame int) {
	e.Kind, e.Type, e.OSMajor, e.OSMinor, e.Comment = s.Kind, s.Type, s.OSMajor, s.OSMinor, s.Comment
	e.Periodicity, e.UpdateCount, e.Source = s.Periodicity, s.UpdateCount, source
	e.set(srvLocal, s.has(srvLocal))
	if addr.IsValid() {
		e.Addr = addr
	}
	e.LastSeen, e.LastFrame = at, frame
}

// copy is an independent copy, as a value.
func (e *Server) copy() Server {
	c := *e
	c.Frames = append([]int(nil), e.Frames...)
	c.grp, c.age, c.timer, c.hash = nil, ageNode[*Server]{}, 0, 0 // a copy is in no table
	return c
}

func (t *Tracker) removeServer(g *group, name string, at time.Time, frame int, reason string) {
	e := g.browse.get(name)
	if e == nil {
		return
	}
	g.browse.remove(e)
	t.srvAge.remove(e)
	t.unscheduleEntry(e)
	t.srvDead = append(t.srvDead, e)
	t.servers--
	t.keepRemoval(g, t.newRemoval(e, at, frame, reason))
	if t.emit != nil {
		t.send(Event{Time: at, Frame: frame, Kind: KindBrowseRemove, Segment: g.seg, Workgroup: g.wg, Host: name, Addr: e.Addr,
			Data: &ServerChange{Server: e.copy()}, Reason: reason, Frames: frames(frame)})
	}
}

// expireServer removes an entry whose host went silent.
func (t *Tracker) expireServer(g *group, name string, at time.Time) {
	e := g.browse.get(name)
	var x *expiry
	switch {
	case e.Source != SourceAnnouncement:
		x = t.expiryFor(expiryListed, 0)
	case t.plausible(e.Periodicity):
		x = t.expiryFor(expiryAnnounced, e.Periodicity)
	default:
		x = t.expiryFor(expiryDefault, 0)
	}
	reason := x.reason
	last := e.LastFrame
	t.removeServer(g, name, at, last, reason)
	if r := g.removed[name]; r != nil {
		r.Expired = true
	}
	if e.Source == SourceAnnouncement {
		t.anomaly(AnomalyEntryExpired, at, last, g.seg, g.wg, name, e.Addr,
			name+" went silent: last announced "+fmtTime(e.LastSeen)+" (frame "+itoa(last)+"), "+reason, frames(last))
		t.endHostRoles(g, name, at, last, x.silent)
		t.candidateAway(g, name, at, last)
	}
}

// expiry is expireServer's reason for removing an entry, and the reason
// for ending its host's roles.
type expiry struct {
	how            int           // expiryListed, expiryAnnounced, expiryDefault
	period         time.Duration // expiryAnnounced: the entry's periodicity
	reason, silent string
}

const (
	expiryListed    = iota + 1 // learnt from lists: SyncExpiry
	expiryAnnounced            // 3 periods
	expiryDefault              // no plausible periodicity: DefaultExpiry
)

// expiryFor is the expiry of how (and period), kept for the last few: the
// entries of a capture have a few periodicities, and the NBT-dense mix
// expires 6,000 entries a run, each of which built both texts.
func (t *Tracker) expiryFor(how int, period time.Duration) *expiry {
	for i := range t.expiries {
		if x := &t.expiries[i]; x.how == how && x.period == period {
			return x
		}
	}
	x := &t.expiries[t.expiryNext]
	t.expiryNext = (t.expiryNext + 1) % len(t.expiries)
	x.how, x.period = how, period
	switch how {
	case expiryListed:
		x.reason = "expired: not listed again for " + fmtDur(t.cfg.SyncExpiry)
	case expiryAnnounced:
		x.reason = "expired: not announced for 3 × " + fmtDur(period)
	default:
		x.reason = "expired: not announced for " + fmtDur(t.cfg.DefaultExpiry) + " (periodicity absent or implausible)"
	}
	x.silent = "silent: " + x.reason
	return x
}

// newRemoval is the removal of e, in a record a removal forgotten
// before left (freeRemoval) if there is one: on the NBT-dense mix hosts
// leave and are listed again all the time, and a new record of 350 bytes
// for each was 13% of the tracker's allocation.
func (t *Tracker) newRemoval(e *Server, at time.Time, frame int, reason string) *Removal {
	t.removalSeq++
	r := popFree(&t.remFree)
	if r == nil {
		return &Removal{Server: e.copy(), Time: at, Frame: frame, Reason: reason, seq: t.removalSeq}
	}
	fr := r.Server.Frames[:0]
	*r = Removal{Server: *e, Time: at, Frame: frame, Reason: reason, seq: t.removalSeq}
	r.Server.Frames = append(fr, e.Frames...)
	if len(e.Frames) == 0 {
		r.Server.Frames = nil // as copy gives
	}
	r.Server.grp, r.Server.age, r.Server.timer, r.Server.hash = nil, ageNode[*Server]{}, 0, 0 // a copy is in no table
	return r
}

// freeRemoval keeps r, which no group remembers any more (nothing else
// holds a removal: snapshots copy them), for newRemoval.
func (t *Tracker) freeRemoval(r *Removal) {
	if len(t.remFree) < maxFree {
		t.remFree = append(t.remFree, r)
	}
}

// keepRemoval remembers an entry that left the Browse List (explain.go
// says when and why a host is not in it): the latest per name, until the
// name is listed again, at most MaxHistory per group (the oldest goes) and
// MaxHistoryTotal over all groups (history.go).
func (t *Tracker) keepRemoval(g *group, r *Removal) {
	if g.removed == nil {
		g.removed = make(map[string]*Removal)
	}
	if _, ok := g.removed[r.Server.Name]; !ok && len(g.removed) >= t.cfg.MaxHistory {
		var oldest *Removal
		for _, x := range g.removed {
			if oldest == nil || x.Time.Before(oldest.Time) || (x.Time.Equal(oldest.Time) && x.Server.Name < oldest.Server.Name) {
				oldest = x
			}
		}
		delete(g.removed, oldest.Server.Name)
		t.removals.total--
		t.freeRemoval(oldest)
	}
	old, again := g.removed[r.Server.Name]
	g.removed[r.Server.Name] = r
	if again {
		t.freeRemoval(old)
	}
	if !again {
		t.removals.kept(t, g, r, t.cfg.MaxHistoryTotal)
	}
}

func (t *Tracker) evictServer() {
	oe, ok := t.srvAge.oldest()
	if !ok {
		return
	}
	og, on := oe.grp, oe.Name
	t.srvAge.remove(oe)
	t.unscheduleEntry(oe)
	t.srvDead = append(t.srvDead, oe)
	og.browse.remove(oe)
	t.servers--
	if !t.limitSeen("MaxServers") {
		t.limit("MaxServers", "Browse List full: forgot "+on+" of "+og.wg+" on "+og.seg)
	}
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

// checkDMBClaim flags a host holding WORKGROUP<1b> that announces itself
// without the domain master bit DMBGrace after it registered the name and
// after it (re)started.
func (t *Tracker) checkDMBClaim(g *group, host string, addr netip.Addr, typ uint32, at time.Time, frame int) {
	if typ&svDomainMaster != 0 || len(t.dmbNames[g.wg]) == 0 {
		return
	}
	if h := t.findHost(g.seg, host); h != nil && at.Sub(h.since) <= t.cfg.DMBGrace {
		// Restarted: it announces before it has registered WORKGROUP<1b>
		// again (its earlier registration is still on record).
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
//
// It sorts the keys, each with its first 8 bytes as a number, and the
// entries only then: comparing two entries' names read each entry and its
// name from wherever they are in the heap, and a full Browse List (4096
// entries) took milliseconds to sort.
func sortedServers(m map[string]*Server) []*Server {
	keys := make([]serverKey, 0, len(m))
	for name, e := range m {
		keys = append(keys, serverKey{prefix: namePrefix(name), name: name, e: e})
	}
	return sortServerKeys(keys)
}

// sortServerKeys sorts the entries of keys by name (a name is the key of
// its table: no ties).
func sortServerKeys(keys []serverKey) []*Server {
	sortByName(keys)
	out := make([]*Server, len(keys))
	for i, k := range keys {
		out[i] = k.e
	}
	return out
}

// serverKey is an entry of a Browse List with its name to sort by.
type serverKey = sortKey[Server]

// namePrefix is the first 8 bytes of s as a big-endian number, padded
// with zeros: two names whose prefixes differ sort as their prefixes do
// (a zero pad sorts before any byte, as a shorter name before a longer
// one it begins), and names whose prefixes are equal need their whole
// comparison.
func namePrefix(s string) uint64 {
	var p uint64
	for i := range 8 {
		p <<= 8
		if i < len(s) {
			p |= uint64(s[i])
		}
	}
	return p
}
