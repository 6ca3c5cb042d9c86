package timeline

import (
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Roles over time, per host, segment and workgroup ([MS-BRWS] §1.3 and §3.3;
// the Leach/Naik browser draft; Hertel, Implementing CIFS, the Browse
// Service). The rules, with the frames that prove each change, are in doc.go.

// roleOrder is the order roles are ended in when a host leaves at once.
var roleOrder = [...]Role{RoleLMB, RoleDMB, RolePDC, RoleBackup, RolePotential}

// openRole returns the open interval of role for host, or nil.
func (g *group) openRole(role Role, host string) *RoleInterval {
	if isMasterRole(role) {
		for _, ri := range g.masters[role] {
			if ri.Host == host {
				return ri
			}
		}
		return nil
	}
	return g.open[roleKey{role, host}]
}

// isMasterRole says whether role's open intervals are in group.masters
// besides group.open.
func isMasterRole(role Role) bool { return role >= RoleLMB && role <= RolePDC }

// holders lists the hosts holding role, sorted.
func (g *group) holders(role Role) []*RoleInterval { return g.appendHolders(nil, role) }

// appendHolders is holders appended to out: a caller on a busy path
// lists them into an array of its own (a group has a master or two),
// not a new slice each time.
func (g *group) appendHolders(out []*RoleInterval, role Role) []*RoleInterval {
	if isMasterRole(role) {
		out = append(out, g.masters[role]...)
	} else {
		for _, ri := range g.open {
			if ri.Role == role {
				out = append(out, ri)
			}
		}
	}
	// A role's holders have different names (g.open's keys): the order
	// is total. slices.SortFunc, unlike sort.Slice, neither allocates
	// nor swaps by reflection (checkDomains asks every group's holders
	// every 5 minutes of capture time, elections each ballot).
	if len(out) > 1 {
		slices.SortFunc(out, func(a, b *RoleInterval) int { return strings.Compare(a.Host, b.Host) })
	}
	return out
}

// holderByAddr is the open interval of role held by the host at addr.
func (g *group) holderByAddr(role Role, addr netip.Addr) *RoleInterval {
	var found *RoleInterval
	for _, ri := range g.holders(role) {
		if ri.Addr == addr {
			found = ri
			break
		}
	}
	return found
}

// freeRole keeps ri, a closed interval no group keeps any more (the
// history's queue has passed it: nothing else holds one then; snapshots
// copy them), for beginRole: the NBT-dense mix opens 7,000 role intervals,
// most of them forgotten by their group's bound (MaxHistory) again.
func (t *Tracker) freeRole(ri *RoleInterval) {
	if len(t.roleFree) < maxRoleFree {
		t.roleFree = append(t.roleFree, ri)
	}
}

// maxRoleFree bounds Tracker.roleFree (the history's compaction frees
// hundreds at once; about 200 KB).
const maxRoleFree = 1024

// beginRole opens role for host unless it is open already (then the frame
// is added to its evidence). It returns the interval.
func (t *Tracker) beginRole(g *group, host string, addr netip.Addr, role Role, at time.Time, frame int, reason string, election int, evidence []int) *RoleInterval {
	if ri := g.openRole(role, host); ri != nil {
		ri.Frames = t.addFrame(ri.Frames, frame)
		if addr.IsValid() {
			ri.Addr = addr
		}
		return ri
	}
	// A closed interval the history forgot is used again (freeRole),
	// with its frames' room.
	ri := popFree(&t.roleFree)
	if ri != nil {
		*ri = RoleInterval{Host: host, Addr: addr, Role: role, Begin: at, BeginFrame: frame, BeginReason: reason, Election: election, Frames: ri.Frames[:0]}
	} else {
		ri = &RoleInterval{Host: host, Addr: addr, Role: role, Begin: at, BeginFrame: frame, BeginReason: reason, Election: election}
	}
	for _, f := range evidence {
		ri.Frames = t.addFrame(ri.Frames, f)
	}
	ri.Frames = t.addFrame(ri.Frames, frame)
	g.open[roleKey{role, host}] = ri
	if isMasterRole(role) {
		g.masters[role] = append(g.masters[role], ri)
	}
	if role == RoleDMB {
		t.dg.brw.dmbs.add(g.wg)
	}
	if t.emit != nil {
		t.send(Event{Time: at, Frame: frame, Kind: KindRoleBegin, Segment: g.seg, Workgroup: g.wg, Host: host, Addr: addr,
			Reason: reason, Frames: append([]int(nil), ri.Frames...), Data: roleChange(role, election)})
	}
	return ri
}

// holdRole is beginRole for a role the host most likely holds already
// (every announcement restates its roles): the reason, r1+r2+r3, is only
// built when the role begins (roleReason).
func (t *Tracker) holdRole(g *group, host string, addr netip.Addr, role Role, at time.Time, frame int, r1, r2, r3 string) {
	if ri := g.openRole(role, host); ri != nil {
		ri.Frames = t.addFrame(ri.Frames, frame)
		if addr.IsValid() {
			ri.Addr = addr
		}
		return
	}
	t.beginRole(g, host, addr, role, at, frame, t.roleReason(r1, r2, r3), 0, nil)
}

// roleReason is r1+r2+r3. holdRole's reasons are an announcement's kind
// and the text of a bit (a few kinds, a few bits), so the last few are
// kept and handed out again, not built for each role that begins (the
// NBT-dense mix begins 6,726).
func (t *Tracker) roleReason(r1, r2, r3 string) string {
	for i := range t.reasons {
		if c := &t.reasons[i]; c.s != "" && c.r1 == r1 && c.r2 == r2 && c.r3 == r3 {
			return c.s
		}
	}
	s := r1 + r2 + r3
	t.reasons[t.reasonNext] = builtReason{r1, r2, r3, s}
	t.reasonNext = (t.reasonNext + 1) % len(t.reasons)
	return s
}

// builtReason is one of roleReason's reasons, and its parts.
type builtReason struct{ r1, r2, r3, s string }

// endRole closes an open interval.
func (t *Tracker) endRole(g *group, ri *RoleInterval, at time.Time, frame int, reason string, election int, evidence []int) {
	if ri == nil || g.openRole(ri.Role, ri.Host) != ri {
		return
	}
	delete(g.open, roleKey{ri.Role, ri.Host})
	if isMasterRole(ri.Role) {
		ms := g.masters[ri.Role]
		i := slices.Index(ms, ri)
		ms[i] = ms[len(ms)-1]
		ms[len(ms)-1] = nil
		g.masters[ri.Role] = ms[:len(ms)-1]
	}
	ri.End, ri.EndFrame, ri.EndReason = at, frame, reason
	for _, f := range evidence {
		ri.Frames = t.addFrame(ri.Frames, f)
	}
	ri.Frames = t.addFrame(ri.Frames, frame)
	t.roleHist.keep(t, g, ri, t.cfg.MaxHistory)
	if t.emit == nil {
		return
	}
	ev := make([]int, 0, len(evidence)+1)
	ev = append(ev, evidence...)
	if frame > 0 && (len(ev) == 0 || ev[len(ev)-1] != frame) {
		ev = append(ev, frame)
	}
	t.send(Event{Time: at, Frame: frame, Kind: KindRoleEnd, Segment: g.seg, Workgroup: g.wg, Host: ri.Host, Addr: ri.Addr,
		Reason: reason, Frames: ev, Data: roleChange(ri.Role, election)})
}

// roleChanges are the data of the role events no election caused, shared
// by those events (which are read only): most role events are of that
// kind, and a change of role costs no allocation more than an event did
// when its fields were flat.
var roleChanges = [...]RoleChange{
	RolePotential: {Role: RolePotential},
	RoleBackup:    {Role: RoleBackup},
	RoleLMB:       {Role: RoleLMB},
	RoleDMB:       {Role: RoleDMB},
	RolePDC:       {Role: RolePDC},
}

// roleChange is the data of a role event.
func roleChange(role Role, election int) *RoleChange {
	if election == 0 && int(role) < len(roleChanges) {
		return &roleChanges[role]
	}
	return &RoleChange{Role: role, Election: election}
}

// endHostRoles ends every role host holds in g.
func (t *Tracker) endHostRoles(g *group, host string, at time.Time, frame int, reason string) {
	for _, role := range roleOrder {
		if ri := g.openRole(role, host); ri != nil {
			t.endRole(g, ri, at, frame, reason, 0, nil)
		}
	}
}

// claimMaster handles a host announcing itself local master (a
// LocalMasterAnnouncement, or a HostAnnouncement with the master browser
// bit) sent to dst, heard as p: it ends the election running on p's broadcast address
// with this host as winner, ends the other masters' roles when they heard
// it and lost that election or fell silent, flags a split brain when
// another master is still alive (and says so when the two cannot hear each
// other: two masters at once, neither ever stepping down), and opens the
// role. The way it claimed it is how1+how2, built only when the role
// begins.
func (t *Tracker) claimMaster(g *group, host string, addr netip.Addr, at time.Time, frame int, how1, how2 string, p place, dst netip.Addr) {
	if ri := g.openRole(RoleLMB, host); ri != nil {
		ri.Frames = t.addFrame(ri.Frames, frame)
		if r := g.runFor(p.aud); r != nil && r.leader != nil && r.leader.Host == host {
			// The master in office led the election and announces itself
			// again: it kept the role (Windows does so about a second
			// after its last ballot; Samba, which stays silent, ends
			// the election by the settle timer instead).
			t.endElection(g, r, OutcomeKept, host, at, frame, "the local master in office led and announced itself again")
		}
		return
	}
	how := how1 + how2
	election := 0
	if r := g.runFor(p.aud); r != nil {
		election = r.e.ID
		t.endElection(g, r, OutcomeWon, host, at, frame, "")
	}
	var lmbs [4]*RoleInterval
	for _, o := range g.appendHolders(lmbs[:0], RoleLMB) {
		heard, sure := t.hears(o.Addr, dst)
		note := ""
		if !sure {
			note = uncertain(o.Host, dst)
		}
		switch {
		case !heard:
			t.anomaly(AnomalySplitBrain, at, frame, g.seg, g.wg, host, addr,
				host+" and "+o.Host+" are both local master browsers of "+g.wg+" on "+g.seg+": "+
					t.apart(host, addr, dst, o.Host, o.Addr), frames(lastFrame(o.Frames), frame))
		case election != 0:
			t.endRole(g, o, at, frame, "lost election "+itoa(election)+" to "+host+note, election, nil)
		case t.silentSince(o, at):
			t.endRole(g, o, at, frame, "superseded by "+host+"'s "+how+" (nothing heard from "+o.Host+
				" for "+fmtDur(at.Sub(t.lastHeard(o)).Round(time.Millisecond))+")"+note, 0, nil)
		default:
			t.anomaly(AnomalySplitBrain, at, frame, g.seg, g.wg, host, addr,
				host+" and "+o.Host+" both announce themselves local master browser of "+g.wg+" on "+g.seg+note,
				frames(lastFrame(o.Frames), frame))
		}
	}
	t.beginRole(g, host, addr, RoleLMB, at, frame, how, election, nil)
	t.leaderInOffice(g, host)
	t.checkDMBDisplaced(g, host, addr, at, frame, election)
}

// checkDMBDisplaced flags a host that became local master of the subnet of
// its workgroup's domain master browser: the domain master should be the
// local master of its own subnet ([MS-BRWS] §3.3: it is the one the other
// local masters synchronise with; Samba's documentation: "domain master =
// yes" goes with "preferred master = yes" and the highest os level). The
// os255 capture: BIGOS (os level 255) takes the role from DMB (frame 117).
func (t *Tracker) checkDMBDisplaced(g *group, host string, addr netip.Addr, at time.Time, frame, election int) {
	var dmbs [4]*RoleInterval
	for _, d := range g.appendHolders(dmbs[:0], RoleDMB) {
		if d.Host == host || d.Addr == addr || !t.once("dmbdisplaced\x00"+g.seg+"\x00"+g.wg+"\x00"+d.Host+"\x00"+host) {
			continue
		}
		dn := d.Host // a <1b> registered before its owner's name was known is held by its address
		if n := t.nameOf(d.Addr); n != "" {
			dn = n
		}
		detail := host + " became local master browser of " + g.wg + " on " + g.seg + ", the subnet of its domain master browser " +
			dn + " (domain master since frame " + itoa(d.BeginFrame) + ")"
		if election != 0 {
			detail += " in election " + itoa(election)
		}
		hh, dh := t.findHost(g.seg, host), t.findHost(g.seg, dn)
		if hh != nil && hh.hasBallot && dh != nil && dh.hasBallot {
			if c, field, phrase := compareAt(hh.ballot, hh.ballotAt, effectiveBallot(dh), dh.ballotAt); c > 0 {
				detail += ": its ballot beat " + dn + "'s on " + field + " (" + phrase + ")"
				t.noteOverenabled(g, host, addr, hh.ballot, dn, effectiveBallot(dh), at, frames(d.BeginFrame, dh.ballotFrame, hh.ballotFrame, frame))
			}
		}
		detail += "; the domain master browser should be the local master of its own subnet"
		t.anomaly(AnomalyDMBDisplaced, at, frame, g.seg, g.wg, host, addr, detail, frames(d.BeginFrame, frame))
	}
}

// apart says why two masters do not hear each other: a, at aAddr, sent
// to aDst, which b does not accept; and whether a hears b's broadcasts.
func (t *Tracker) apart(a string, aAddr, aDst netip.Addr, b string, bAddr netip.Addr) string {
	bDeaf := t.deafTo(b, bAddr, aDst)
	if heard, _ := t.hears(aAddr, t.broadcastOf(bAddr)); heard {
		return b + " cannot hear " + a + " (" + bDeaf + ")"
	}
	return "they cannot hear each other (" + bDeaf + "; " + t.deafTo(a, aAddr, t.broadcastOf(bAddr)) + ")"
}

func lastFrame(fs []int) int {
	if len(fs) == 0 {
		return 0
	}
	return fs[len(fs)-1]
}

// lastHeard is when anything was last heard from the holder of a role.
func (t *Tracker) lastHeard(ri *RoleInterval) time.Time {
	last := ri.Begin
	if r := t.ips.get(ri.Addr); r != nil && r.last.After(last) {
		last = r.last
	}
	return last
}

// silentSince reports whether the holder has been silent for longer than
// SplitBrainWindow before at.
func (t *Tracker) silentSince(ri *RoleInterval, at time.Time) bool {
	return at.Sub(t.lastHeard(ri)) > t.cfg.SplitBrainWindow
}

// effectiveBallot is what a master would put forward now: its last known
// ballot with the master role bit set ([MS-BRWS] §2.2.3: 0x04 while
// running as master; the storm capture's DELTA, frame 127: 0x41010f0f).
func effectiveBallot(h *hostRec) Ballot {
	b := h.ballot
	b.Criteria |= RoleMasterBit
	return b
}

// serverTypeRoles opens and closes the roles that the ServerType bits of
// an announcement say the host holds ([MS-BRWS] §2.2.1 ServerType; the
// SV_TYPE_* bits of [MS-RAP] §2.5.5.2).
func (t *Tracker) serverTypeRoles(g *group, host string, addr netip.Addr, typ uint32, at time.Time, frame int, kind string) {
	set := func(role Role, bit uint32, with, without string) {
		if typ&bit != 0 {
			t.holdRole(g, host, addr, role, at, frame, kind, with, "")
		} else if ri := g.openRole(role, host); ri != nil {
			t.endRole(g, ri, at, frame, kind+without, 0, nil)
		}
	}
	set(RolePotential, svPotentialBrowser, " with SV_TYPE_POTENTIAL_BROWSER bit", " without SV_TYPE_POTENTIAL_BROWSER bit")
	set(RoleBackup, svBackupBrowser, " with SV_TYPE_BACKUP_BROWSER bit", " without SV_TYPE_BACKUP_BROWSER bit")
	if typ&svDomainCtrl != 0 {
		t.holdRole(g, host, addr, RolePDC, at, frame, kind, " with SV_TYPE_DOMAIN_CTRL bit", "")
	}
	if typ&svDomainMaster != 0 {
		t.holdRole(g, host, addr, RoleDMB, at, frame, kind, " with SV_TYPE_DOMAIN_MASTER bit", "")
	}
}

// SV_TYPE bits ([MS-RAP] §2.5.5.2 NetServerEnum2; [MS-BRWS] §2.2.1).
const (
	svDomainCtrl       = 0x00000008
	svPotentialBrowser = 0x00010000
	svBackupBrowser    = 0x00020000
	svMasterBrowser    = 0x00040000
	svDomainMaster     = 0x00080000
	svDomainEnum       = 0x80000000
)
