package timeline

import (
	"net/netip"
	"strings"
	"time"
)

// The browser frames that are neither announcements nor ballots ([MS-BRWS]
// §2.2: AnnouncementRequest, GetBackupListRequest and Response,
// BecomeBackup, MasterAnnouncement, ResetBrowserState): each is a
// browser.message event, and some change roles (a host listed as a backup,
// the domain master a local master announces itself to, a reset master) or
// tie segments together (Link).

// message emits a browser.message event for a request or response.
func (t *Tracker) message(m *Meta, seg, wg, host, what, target, detail string) {
	if t.emit == nil {
		return
	}
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
	name := t.canonName(m.SrcName)
	if name == "" {
		name = t.nameOf(m.Src)
	}
	if name == "" && m.Src.IsValid() {
		name = AddrString(m.Src)
	}
	t.setName(m.Src, t.canonName(m.SrcName), m.Time)
	return name
}

func (t *Tracker) onAnnouncementRequest(v *AnnouncementRequest) {
	m := &v.Meta
	f := newFP('R')
	f.addr(m.Src)
	f.addr(m.Dst)
	f.str(m.DstName)
	f.str(v.ResponseName)
	if t.duplicate(f, m.Time) {
		return
	}
	seg := t.locate(m)
	name := t.sender(m)
	if t.emit != nil { // the message's words only for a reader
		t.message(m, seg, t.canonName(m.DstName), name, "AnnouncementRequest", "",
			name+" asks every browser of "+displayName(m.DstName, m.DstSuffix)+" to announce itself")
	}
}

func (t *Tracker) onBackupListRequest(v *BackupListRequest) {
	m := &v.Meta
	f := newFP('Q')
	f.addr(m.Src)
	f.addr(m.Dst)
	f.u64(uint64(v.Token))
	if t.duplicate(f, m.Time) {
		return
	}
	seg := t.locate(m)
	name := t.sender(m)
	t.noteBackupAsk(seg, t.canonName(m.DstName), m)
	if t.emit != nil {
		t.message(m, seg, t.canonName(m.DstName), name, "GetBackupListRequest", "",
			name+" asks "+displayName(m.DstName, m.DstSuffix)+" for "+itoa(int(v.Count))+" backup browsers (token "+
				hexString(uint64(v.Token), 8)+")")
	}
}

func (t *Tracker) onBackupListResponse(v *BackupListResponse) {
	m := &v.Meta
	f := newFP('B')
	f.addr(m.Src)
	f.addr(m.Dst)
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
		list = append(list, t.canonName(s))
	}
	if t.emit != nil {
		t.message(m, seg, wg, name, "GetBackupListResponse", "",
			name+" lists backup browsers: "+strings.Join(list, ", ")+" (token "+hexString(uint64(v.Token), 8)+")")
	}
	if wg == "" {
		return
	}
	t.noteBackupAnswer(seg, wg)
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
	f.addr(m.Dst)
	f.str(v.Target)
	if t.duplicate(f, m.Time) {
		return
	}
	seg := t.locate(m)
	name := t.sender(m)
	if t.emit != nil {
		target := t.canonName(v.Target)
		t.message(m, seg, t.canonName(m.DstName), name, "BecomeBackupRequest", target,
			name+" asks "+target+" to become a backup browser")
	}
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
	lmb := t.canonName(v.Master)
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
	if n := t.canonName(m.DstName); n != "" && n != "*" && m.DstSuffix == 0x00 {
		dmb = t.canonName(m.DstName)
	}
	if dmb == "" {
		dmb = t.nameOf(m.Dst)
	}
	t.message(m, seg, wg, lmb, "MasterAnnouncement", dmb,
		lmb+" tells the domain master "+dmb+" ("+AddrString(m.Dst)+") that it is the local master of "+wg)
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
			if !t.limitSeen("MaxGroups") {
				t.limit("MaxGroups", "link table full: ignored "+lmb+" -> "+dmb)
			}
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
	if isBroadcastDst(m.Dst) {
		target = "every browser of " + displayName(m.DstName, m.DstSuffix)
	} else {
		targetSeg = t.segOfAddr(m.Segment, m.Dst, m.Time)
		target = t.nameOf(m.Dst)
		if target == "" && m.DstSuffix != 0x20 {
			target = t.canonName(m.DstName)
		}
		if target == "" {
			target = AddrString(m.Dst)
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
	detail := name + " told " + target + " (" + displayName(m.DstName, m.DstSuffix) + " at " + AddrString(m.Dst) + ") to " +
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
		if ri.Addr == m.Dst || ri.Host == target || isDirectedBroadcast(m.Dst) || isNodeBroadcast(m.Dst) {
			t.endRole(g, ri, m.Time, m.Frame, "ResetBrowserState from "+name, 0, nil)
		}
	}
	if v.Flags&0x04 != 0 {
		for _, role := range []Role{RoleBackup, RolePotential} {
			for _, ri := range g.holders(role) {
				if ri.Addr == m.Dst || ri.Host == target || isDirectedBroadcast(m.Dst) || isNodeBroadcast(m.Dst) {
					t.endRole(g, ri, m.Time, m.Frame, "ResetBrowserState from "+name+": stop browsing", 0, nil)
				}
			}
		}
	}
}
