package timeline

import (
	"slices"
	"sort"
	"strings"
	"time"
)

// NetServerEnum2 responses seen on the wire ([MS-RAP] §2.5.5.2; Leach/Naik
// RAP draft; [MS-BRWS] §3.3 for the LMB <-> DMB synchronisation): the
// list a browser actually handed out. Each is kept as a snapshot with its
// differences from the list reconstructed from announcements; a list
// exchanged between a local master and a domain master is merged into the
// asking master's Browse List (source "DMB sync"), and the entries a local
// master hands out that were never announced in the capture are added
// (source "NetServerEnum2").

// statusMoreData is ERROR_MORE_DATA: a partial list.
const statusMoreData = 234

func (t *Tracker) onServerList(s *ServerList) {
	m := &s.Meta
	f := newFP('L')
	f.addr(m.Src)
	f.addr(m.Dst)
	f.str(s.Domain)
	f.u64(uint64(s.TypeMask)<<32 | uint64(s.Level)<<16 | uint64(s.Status))
	f.u64(uint64(s.EntryCount)<<32 | uint64(uint32(s.Available)))
	for i := range s.Entries {
		f.str(s.Entries[i].Name)
		f.u64(uint64(s.Entries[i].ServerType))
		f.str(s.Entries[i].Comment)
	}
	if t.duplicate(f, m.Time) {
		return
	}
	srvAddr := s.Server
	if !srvAddr.IsValid() {
		srvAddr = m.Src
	}
	seg := t.segOfAddr(m.Segment, srvAddr, m.Time)
	responder := t.canonName(m.SrcName)
	if responder == "" {
		responder = t.nameOf(srvAddr)
	}
	if responder == "" {
		responder = AddrString(srvAddr)
	}
	rh := t.findHost(seg, responder)
	domainEnum := workgroupMask(s.TypeMask)
	wg := t.canonName(s.Domain)
	if (wg == "" || domainEnum) && rh != nil && rh.wg != "" {
		wg = rh.wg
	}
	if wg == "" {
		wg = "?"
	}
	g := t.group(seg, wg, m.Time)

	// The record a group's ring let go last is used again, with its
	// slices' room (the dense mix's lists come from a few masters, and
	// 1,407 of its 1,536 push an older one out of a ring of MaxSnapshots).
	snap := t.listSpare
	t.listSpare = nil
	if snap == nil {
		snap = new(ServerListSnapshot)
	}
	ents, missing, extra, diff := snap.Entries, snap.Missing[:0], snap.Extra[:0], snap.Different[:0]
	*snap = ServerListSnapshot{Time: m.Time, Frame: m.Frame, Server: responder, ServerAddr: srvAddr, Client: m.Dst,
		Domain: s.Domain, TypeMask: s.TypeMask, Level: s.Level, Status: s.Status, EntryCount: s.EntryCount,
		Available: s.Available, Missing: missing, Extra: extra, Different: diff}
	snap.Truncated = s.Status == statusMoreData || (s.Available > s.EntryCount && s.EntryCount >= 0)
	// Made at its length, not grown by doubling (half the bytes: lists
	// of hundreds of entries, a snapshot kept for each).
	if n := min(len(s.Entries), t.cfg.MaxServers); n > 0 {
		if cap(ents) >= n {
			snap.Entries = ents[:n]
		} else {
			snap.Entries = make([]ServerEntry, n)
		}
		for i := range snap.Entries {
			e := s.Entries[i]
			e.Name = t.canonName(e.Name)
			snap.Entries[i] = e
		}
	}

	// Who asked, and is this a master-to-master synchronisation?
	client := t.nameOf(m.Dst)
	clientSeg := t.segOfAddr(m.Segment, m.Dst, m.Time)
	isMaster := func(gr *group, host string) bool {
		return gr != nil && host != "" && (gr.openRole(RoleLMB, host) != nil || gr.openRole(RoleDMB, host) != nil)
	}
	cg := t.findGroup(clientSeg, wg)
	snap.Sync = clientSeg != seg && isMaster(cg, client) && isMaster(g, responder)

	// Compare only with something heard: a sniffer that sees no
	// broadcast (a span port on one server, a cut capture) would call
	// every listed name "never announced".
	switch {
	case domainEnum && t.heardWorkgroups(seg):
		t.diffDomains(snap, seg)
	case !domainEnum && heardServers(g):
		t.diffServers(snap, g, responder)
	default:
		snap.Unchecked = true
	}
	if len(g.lists) < t.cfg.MaxSnapshots {
		g.lists = append(g.lists, snap)
		g.listCopy = append(g.listCopy, nil)
	} else {
		// Nothing else holds the record pushed out (snapshots and
		// events get clones): it is the next list's.
		old := g.lists[g.listHead]
		g.lists[g.listHead], g.listCopy[g.listHead] = snap, nil
		g.listHead = (g.listHead + 1) % len(g.lists)
		old.release()
		t.listSpare = old
	}
	if t.emit != nil {
		what := "servers"
		if domainEnum {
			what = "workgroups"
		}
		detail := responder + " handed " + AddrString(m.Dst) + " " + itoa(s.EntryCount) + " of " + itoa(s.Available) + " " + what
		if s.Domain != "" {
			detail += " of domain " + s.Domain
		}
		if snap.Sync {
			detail += " (DMB synchronisation with " + client + ")"
		}
		t.send(Event{Time: m.Time, Frame: m.Frame, Kind: KindBrowseList, Segment: seg, Workgroup: wg, Host: responder,
			Addr: srvAddr, Data: snap.clone(), Detail: detail, Frames: frames(m.Frame)})
	}
	t.noteEnumStatus(seg, wg, responder, snap)
	if snap.Truncated {
		t.anomaly(AnomalyEnumTruncated, m.Time, m.Frame, seg, wg, responder, srvAddr,
			"NetServerEnum2 list from "+responder+" is truncated: "+itoa(s.EntryCount)+" of "+itoa(s.Available)+
				" entries (status "+itoa(int(s.Status))+")", frames(m.Frame))
	}
	if !snap.Sync && (len(snap.Missing) > 0 || len(snap.Extra) > 0 || len(snap.Different) > 0) {
		t.anomaly(AnomalyEnumMismatch, m.Time, m.Frame, seg, wg, responder, srvAddr,
			"NetServerEnum2 list from "+responder+" (domain "+quoteName(s.Domain)+") disagrees with the announcements: "+
				snap.DiffSummary(), frames(m.Frame))
	}

	// Merge.
	switch {
	case snap.Sync:
		t.mergeList(snap, clientSeg, wg, SourceSync, domainEnum)
		lmb, lmbSeg, dmb, dmbSeg := client, clientSeg, responder, seg
		if g.openRole(RoleDMB, responder) == nil {
			lmb, lmbSeg, dmb, dmbSeg = responder, seg, client, clientSeg
		}
		t.link(wg, lmb, lmbSeg, dmb, dmbSeg, m.Time, m.Frame)
	case g.openRole(RoleLMB, responder) != nil && !snap.Truncated:
		t.mergeList(snap, seg, wg, SourceEnum, domainEnum)
	}
}

// mergeList adds the entries of a list to a Browse List (or the domain
// list) of seg; entries known from announcements are left alone.
func (t *Tracker) mergeList(snap *ServerListSnapshot, seg, wg, source string, domainEnum bool) {
	if domainEnum {
		s := t.seg(seg, snap.Time)
		for _, e := range snap.Entries {
			if e.Name == "" {
				continue
			}
			t.upsertDomain(s, e.Name, snap.ServerAddr, Server{Kind: "NetServerEnum2", Type: e.ServerType,
				OSMajor: e.OSMajor, OSMinor: e.OSMinor, Comment: t.canonName(e.Comment)}, source, snap.Time, snap.Frame)
		}
		return
	}
	if snap.Level == 0 {
		return // names only: nothing to build an entry from
	}
	g := t.group(seg, wg, snap.Time)
	for _, e := range snap.Entries {
		if e.Name == "" {
			continue
		}
		var addr = t.addrOf(seg, e.Name)
		t.upsertServer(g, e.Name, addr, &Server{Kind: "NetServerEnum2", Type: e.ServerType, OSMajor: e.OSMajor,
			OSMinor: e.OSMinor, Comment: e.Comment}, source, snap.Time, snap.Frame)
	}
}

// svLocalListOnly asks for the responder's local entries only ([MS-RAP]
// §2.5.5.2 SV_TYPE_LOCAL_LIST_ONLY; Samba's DMB asks an LMB that way: the
// dmb capture's list in frame 336).
const svLocalListOnly = 0x40000000

// typeMatches says whether an entry of type typ answers a type mask.
func typeMatches(mask, typ uint32) bool {
	if mask != 0xffffffff {
		mask &^= svLocalListOnly
	}
	return mask == 0 || mask == 0xffffffff || typ&mask != 0
}

// heardServers says whether g's Browse List holds an entry learned from an
// announcement ([MS-BRWS] §3.3.5.3 HostAnnouncement and the Leach/Naik
// draft's LAN Manager announcements): the only thing a NetServerEnum2 server
// list ([MS-RAP] §2.5.5.2) can be checked against. Entries learned from
// other lists do not count. Without one, as in captures taken where the
// broadcasts do not reach (the evilfingers nmap FTP-bounce capture, frames
// 14, 43 and 55; the Arkime Windows 10 capture, frames 25 and 27: not one
// browser frame), every listed name would be "extra".
func heardServers(g *group) bool {
	for e := range g.browse.all() {
		if e.Source == SourceAnnouncement {
			return true
		}
	}
	return false
}

// heardWorkgroups says whether seg has heard a DomainAnnouncement
// ([MS-BRWS] §2.2.7) or a master of any workgroup (hasMaster: a master lists
// its own workgroup): what a workgroup list can be checked against.
func (t *Tracker) heardWorkgroups(seg string) bool {
	if s := t.segs[seg]; s != nil {
		for _, d := range s.domains {
			if d.Source == SourceAnnouncement {
				return true
			}
		}
	}
	for _, g := range t.groupsOn(seg) {
		if t.hasMaster(seg, g.wg) {
			return true
		}
	}
	return false
}

// listedIndex is snap's entries by name, in a map the tracker keeps
// (Tracker.listed, cleared after each use: diffServers made one for each
// list, 6% of the tracker's allocation on the NBT-dense mix). A list of
// more than maxListedIndex entries gets a map of its own: clearing costs
// what the map ever held.
func (t *Tracker) listedIndex(snap *ServerListSnapshot) map[string]*ServerEntry {
	listed := t.listed
	if len(snap.Entries) > maxListedIndex {
		listed = make(map[string]*ServerEntry, len(snap.Entries))
	} else if listed == nil {
		listed = make(map[string]*ServerEntry, 64)
		t.listed = listed
	}
	for i := range snap.Entries {
		listed[snap.Entries[i].Name] = &snap.Entries[i]
	}
	return listed
}

const maxListedIndex = 1024

// diffServers compares a server list with the reconstructed Browse List.
// Samba lists a master's own entry with SV_TYPE_POTENTIAL_BROWSER although
// its LocalMasterAnnouncement clears it (dmb capture: DMB's frame 223 says
// 0x000c9a03, its NetServerEnum2 entry 0x000d9a03): that bit is not
// reported as a difference for the responder's own entry.
func (t *Tracker) diffServers(snap *ServerListSnapshot, g *group, responder string) {
	listed := t.listedIndex(snap)
	defer clear(listed) // holds no snapshot alive
	localOnly := snap.TypeMask != 0xffffffff && snap.TypeMask&svLocalListOnly != 0
	// The Browse List is walked in no particular order and only what differs is
	// sorted by name afterwards (the list itself can be long).
	for e := range g.browse.all() {
		if !typeMatches(snap.TypeMask, e.Type) || (localOnly && e.Source != SourceAnnouncement) {
			continue
		}
		l := listed[e.Name]
		if l == nil {
			if !snap.Truncated && !t.notYetListed(g, responder, e, snap.Time) {
				snap.Missing = append(snap.Missing, e.Name)
			}
			continue
		}
		if snap.Level == 0 {
			continue
		}
		lt, et := l.ServerType, e.Type
		if e.Name == responder {
			lt &^= svPotentialBrowser
			et &^= svPotentialBrowser
		}
		if lt != et {
			snap.Different = append(snap.Different, EntryDiff{Name: e.Name, Field: "type",
				Listed: hexString(uint64(l.ServerType), 8), Announced: hexString(uint64(e.Type), 8)})
		}
		if l.Comment != e.Comment {
			snap.Different = append(snap.Different, EntryDiff{Name: e.Name, Field: "comment", Listed: l.Comment, Announced: e.Comment})
		}
	}
	sort.Strings(snap.Missing)
	// Stable: an entry's type difference stays before its comment one.
	slices.SortStableFunc(snap.Different, func(a, b EntryDiff) int { return strings.Compare(a.Name, b.Name) })
	for _, l := range snap.Entries {
		if !g.browse.has(l.Name) {
			snap.Extra = append(snap.Extra, l.Name)
		}
	}
	sort.Strings(snap.Extra)
}

// listLag is how long a master may take to put an announcement it heard
// into the lists it hands out: a NetServerEnum2 response is built when the
// request arrives, and leaves later (a list 17 ms older than the
// announcement it missed is no disagreement).
const listLag = time.Second

// notYetListed says whether entry e may be missing from the list responder
// handed out at at without anything being wrong: responder cannot have
// heard an announcement of e in time (none more than listLag before the
// list), or it became local master less than one announcement period of
// e's before and has not heard e announce since (a master learns each
// host from its announcements, Samba ignores them while it is not master:
// a new master's list fills over that period). The responder's own entry
// is always due.
func (t *Tracker) notYetListed(g *group, responder string, e *Server, at time.Time) bool {
	if e.Source != SourceAnnouncement || e.Name == responder {
		return false
	}
	heard := e.LastSeen // the latest announcement the responder could have listed
	if at.Sub(heard) < listLag {
		heard = e.prevSeen()
	}
	if heard.IsZero() {
		return true
	}
	// A new master asks every host to announce itself just before its
	// LocalMasterAnnouncement (dmb capture: BHOST answers in frame 87,
	// 0.2 ms before LMBB's frame 89): what it heard listLag before that
	// counts as heard as master.
	ri := g.openRole(RoleLMB, responder)
	if ri == nil || heard.After(ri.Begin.Add(-listLag)) {
		return false
	}
	period := e.Periodicity
	if !t.plausible(period) {
		period = t.cfg.DefaultExpiry / 3
	}
	return at.Sub(ri.Begin) < period
}

// diffDomains compares a workgroup list with the DomainAnnouncements.
func (t *Tracker) diffDomains(snap *ServerListSnapshot, seg string) {
	known := map[string]*Server{}
	if s := t.segs[seg]; s != nil {
		known = s.domains
	}
	listed := make(map[string]*ServerEntry, len(snap.Entries))
	for i := range snap.Entries {
		listed[snap.Entries[i].Name] = &snap.Entries[i]
	}
	for _, d := range sortedServers(known) {
		l := listed[d.Name]
		if l == nil {
			if !snap.Truncated {
				snap.Missing = append(snap.Missing, d.Name)
			}
			continue
		}
		if snap.Level > 0 && t.canonName(l.Comment) != d.Comment && l.Comment != "" {
			snap.Different = append(snap.Different, EntryDiff{Name: d.Name, Field: "master", Listed: t.canonName(l.Comment), Announced: d.Comment})
		}
	}
	for _, l := range snap.Entries {
		if _, ok := known[l.Name]; !ok && !t.hasMaster(seg, l.Name) {
			snap.Extra = append(snap.Extra, l.Name)
		}
	}
	sort.Strings(snap.Extra)
}

// hasMaster says whether a local or domain master of workgroup wg is heard
// on seg now. Such a workgroup is in every browser's workgroup list (its
// master lists its own workgroup and announces it), though its
// DomainAnnouncement may not have been captured yet: a master sends one
// only every 1 to 15 minutes ([MS-BRWS] §3.2.6), so a capture that starts
// shortly before a NetServerEnum2 has not seen it (the Windows 10 capture
// of ../shared/pcaps: the list in frame 249, the announcement in 801).
func (t *Tracker) hasMaster(seg, wg string) bool {
	g := t.findGroup(seg, wg)
	if g == nil {
		return false
	}
	return len(g.masters[RoleLMB]) > 0 || len(g.masters[RoleDMB]) > 0
}

// Workgroups says whether the list is one of workgroups: its type mask
// asks for SV_TYPE_DOMAIN_ENUM ([MS-RAP] §2.5.5.2), and not for every type.
func (s *ServerListSnapshot) Workgroups() bool { return workgroupMask(s.TypeMask) }

func workgroupMask(mask uint32) bool { return mask&svDomainEnum != 0 && mask != 0xffffffff }

// DiffSummary says in one line how the list differs from the
// announcements: "missing 2 (A, B), extra 1 (C), different 1 (D type
// 0x... vs 0x...)", the first five of each; "" when it does not.
func (s *ServerListSnapshot) DiffSummary() string {
	var parts []string
	list := func(what string, names []string) {
		if len(names) == 0 {
			return
		}
		shown := names
		more := ""
		if len(shown) > 5 {
			shown = shown[:5]
			more = ", ..."
		}
		parts = append(parts, what+" "+itoa(len(names))+" ("+strings.Join(shown, ", ")+more+")")
	}
	list("missing", s.Missing)
	list("extra", s.Extra)
	if len(s.Different) > 0 {
		var d []string
		for i, x := range s.Different {
			if i == 5 {
				d = append(d, "...")
				break
			}
			d = append(d, x.Name+" "+x.Field+" "+quoteName(x.Listed)+" vs "+quoteName(x.Announced))
		}
		parts = append(parts, "different "+itoa(len(s.Different))+" ("+strings.Join(d, "; ")+")")
	}
	return strings.Join(parts, ", ")
}

// release forgets the strings s holds (its slices keep their room) before
// it is used again.
func (s *ServerListSnapshot) release() {
	clear(s.Entries[:cap(s.Entries)])
	clear(s.Missing[:cap(s.Missing)])
	clear(s.Extra[:cap(s.Extra)])
	clear(s.Different[:cap(s.Different)])
	s.Entries, s.Missing, s.Extra, s.Different = s.Entries[:0], s.Missing[:0], s.Extra[:0], s.Different[:0]
}

func (s *ServerListSnapshot) clone() *ServerListSnapshot {
	c := *s
	c.Entries = append([]ServerEntry(nil), s.Entries...)
	c.Missing = append([]string(nil), s.Missing...)
	c.Extra = append([]string(nil), s.Extra...)
	c.Different = append([]EntryDiff(nil), s.Different...)
	return &c
}
