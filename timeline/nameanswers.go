package timeline

import (
	"net/netip"
)

// NBNS responses (RFC 1002 §4.2): a WINS server accepting or refusing a
// registration, a node defending its name, a name server or owner answering
// a query. A refusal is a name.conflict or name.negative and an anomaly; a
// positive query answer records which addresses answer for the name.

// nameResponse handles answers: WINS and defenders' registration answers,
// query answers.
func (t *Tracker) nameResponse(v *NameEvent) {
	m := &v.Meta
	f := newFP('N')
	f.addr(m.Src)
	f.addr(m.Dst)
	f.u64(uint64(v.ID)<<24 | uint64(v.Op)<<16 | uint64(v.RCode)<<8 | uint64(v.Suffix))
	f.str(v.Name)
	for _, a := range v.Addrs {
		f.addr(a)
	}
	if t.duplicate(f, m.Time) {
		return
	}
	t.noteNBNSResponse(m)
	name := t.canonName(v.Name)
	switch opClass(v.Op) {
	case NameRegistration, NameRefresh:
		addr := m.Dst
		if len(v.Addrs) > 0 && v.Addrs[0].IsValid() {
			addr = v.Addrs[0]
		}
		if v.RCode != 0 && addr == m.Src && m.Dst.IsValid() && !isDirectedBroadcast(m.Dst) && !isLimitedBroadcast(m.Dst) {
			// A node defending its name (RFC 1002 §5.1.1.5) answers with
			// its own address; the refused registrant is the one the
			// answer goes to (Windows XP, wanderview capture of
			// ../shared/pcaps).
			addr = m.Dst
		}
		seg := t.segOfAddr(m.Segment, addr, m.Time)
		host := t.nameOf(addr)
		ns := t.nameState(seg, name, v.Suffix, v.Group, m.Time)
		o := ns.owner(addr)
		if v.RCode == 0 {
			if o != nil {
				o.WINSConfirmed = true
			}
			if v.Suffix == 0x1b && !v.Group {
				if host == "" {
					host = addr.String()
				}
				g := t.group(seg, name, m.Time)
				t.beginRole(g, host, addr, RoleDMB, m.Time, m.Frame,
					"WINS "+AddrString(m.Src)+" accepted its registration of "+displayName(name, 0x1b), 0, nil)
			}
			return
		}
		if o != nil {
			o.Refused, o.Active = true, false
		}
		from := AddrString(m.Src)
		info := &NameInfo{Name: name, Suffix: v.Suffix, Group: v.Group, NodeType: nodeTypeName(v.NodeType),
			Addrs: append([]netip.Addr(nil), v.Addrs...), TTL: v.TTL, Op: opName(v.Op, true), Via: from, RCode: v.RCode}
		registrant := host
		if registrant == "" {
			registrant = addr.String() // a name not known for that address
		}
		detail := from + " refused " + registrant + "'s registration of " + displayName(name, v.Suffix) + ": " + rcodeName(v.RCode)
		if v.RCode == 6 || v.RCode == 7 {
			if v.Suffix == 0x1d && !v.Group {
				t.noteRefused1d(seg, host, m.Frame)
			}
			ns.Conflicts++
			t.send(Event{Time: m.Time, Frame: m.Frame, Kind: KindNameConflict, Segment: seg, Workgroup: workgroupOf(name, v.Suffix),
				Host: host, Addr: addr, Data: info, Reason: rcodeName(v.RCode), Detail: detail, Frames: frames(m.Frame)})
			kind := AnomalyNameConflict
			if v.Suffix == 0x1b {
				kind = AnomalyDMBConflict
			}
			t.anomaly(kind, m.Time, m.Frame, seg, workgroupOf(name, v.Suffix), host, addr, detail, frames(m.Frame))
			return
		}
		ns.Negatives++
		t.send(Event{Time: m.Time, Frame: m.Frame, Kind: KindNameNegative, Segment: seg, Workgroup: workgroupOf(name, v.Suffix),
			Host: host, Addr: addr, Data: info, Reason: rcodeName(v.RCode), Detail: detail, Frames: frames(m.Frame)})
		t.anomaly(AnomalyNameNegative, m.Time, m.Frame, seg, workgroupOf(name, v.Suffix), host, addr, detail, frames(m.Frame))
	case NameQuery:
		if v.RCode != 0 {
			if isDirectedBroadcast(m.Dst) {
				return
			}
			seg := t.segOfAddr(m.Segment, m.Dst, m.Time)
			ns := t.nameState(seg, name, v.Suffix, v.Group, m.Time)
			ns.Negatives++
			from := AddrString(m.Src)
			info := &NameInfo{Name: name, Suffix: v.Suffix, Group: v.Group, Op: opName(v.Op, true), Via: from, RCode: v.RCode}
			t.send(Event{Time: m.Time, Frame: m.Frame, Kind: KindNameNegative, Segment: seg, Workgroup: workgroupOf(name, v.Suffix),
				Host: t.nameOf(m.Dst), Addr: m.Dst, Data: info, Reason: rcodeName(v.RCode),
				Detail: from + " answered " + displayName(name, v.Suffix) + ": " + rcodeName(v.RCode), Frames: frames(m.Frame)})
			return
		}
		if len(v.Addrs) == 0 {
			return
		}
		seg := t.segOfAddr(m.Segment, t.answerAddr(v, m.Src), m.Time)
		ns := t.nameState(seg, name, v.Suffix, v.Group, m.Time)
		t.noteAnswer(ns, m, v)
		changed := false
		for _, a := range v.Addrs {
			if !a.IsValid() {
				continue
			}
			if x := ns.answer(a); x != nil {
				x.Last, x.By = m.Time, m.Src
				continue
			}
			if len(ns.Answers) >= 2*t.cfg.MaxEvidence {
				copy(ns.Answers, ns.Answers[1:])
				ns.Answers = ns.Answers[:len(ns.Answers)-1]
			}
			ns.Answers = append(ns.Answers, &Answer{Addr: a, By: m.Src, First: m.Time, Last: m.Time, Frame: m.Frame})
			changed = true
		}
		if !changed {
			return
		}
		from := AddrString(m.Src)
		via := "owner " + from
		if !containsAddr(v.Addrs, m.Src) {
			via = "name server " + from
		}
		info := &NameInfo{Name: name, Suffix: v.Suffix, Group: v.Group, NodeType: nodeTypeName(v.NodeType),
			Addrs: append([]netip.Addr(nil), v.Addrs...), TTL: v.TTL, Op: opName(v.Op, true), Via: via}
		owner := t.nameOf(v.Addrs[0])
		t.send(Event{Time: m.Time, Frame: m.Frame, Kind: KindNameAnswer, Segment: seg,
			Workgroup: t.nameWG(seg, name, v.Suffix, v.Group, owner), Host: owner, Addr: v.Addrs[0], Data: info, Frames: frames(m.Frame)})
	}
}

// answerAddr is the address whose segment a positive query answer is
// about: the answerer's own when it answers for itself (a multihomed host
// lists every address it has, the evilfingers xscan capture's frame 17:
// 192.168.88.1, 192.168.28.1 and 192.168.1.120, from the last one), else
// the first listed address already known, else the first one.
func (t *Tracker) answerAddr(v *NameEvent, from netip.Addr) netip.Addr {
	if containsAddr(v.Addrs, from) {
		return from
	}
	for _, a := range v.Addrs {
		if r := t.ips.get(a); r != nil && !r.guessed {
			return a
		}
	}
	return v.Addrs[0]
}

func containsAddr(as []netip.Addr, a netip.Addr) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

// nameConflict reports two owners of one unique name.
func (t *Tracker) nameConflict(ns *NameState, a, b *Owner, m *Meta, how string) {
	ns.Conflicts++
	detail := displayName(ns.Name, ns.Suffix) + " is unique but " + ownerName(a) + " and " + ownerName(b) + " " + how + " it"
	info := &NameInfo{Name: ns.Name, Suffix: ns.Suffix, Group: ns.Group, Addrs: []netip.Addr{a.Addr, b.Addr}, Op: "registration"}
	wg := workgroupOf(ns.Name, ns.Suffix)
	t.send(Event{Time: m.Time, Frame: m.Frame, Kind: KindNameConflict, Segment: ns.Segment, Workgroup: wg, Host: b.Host,
		Addr: b.Addr, Data: info, Detail: detail, Frames: frames(a.RegFrame, m.Frame)})
	kind := AnomalyNameConflict
	if ns.Suffix == 0x1b {
		kind = AnomalyDMBConflict
		detail = "two hosts claim " + displayName(ns.Name, 0x1b) + ": " + ownerName(a) + " and " + ownerName(b)
	}
	t.anomaly(kind, m.Time, m.Frame, ns.Segment, wg, b.Host, b.Addr, detail, frames(a.RegFrame, m.Frame))
}

func ownerName(o *Owner) string {
	if o.Host != "" {
		return o.Host + " (" + o.Addr.String() + ")"
	}
	return o.Addr.String()
}

func rcodeName(r uint8) string {
	switch r {
	case 1:
		return "FMT_ERR (format error)"
	case 2:
		return "SRV_ERR (server failure)"
	case 3:
		return "NAM_ERR (no such name)"
	case 4:
		return "IMP_ERR (unsupported request)"
	case 5:
		return "RFS_ERR (refused)"
	case 6:
		return "ACT_ERR (name owned by another node)"
	case 7:
		return "CFT_ERR (name in conflict)"
	}
	return "rcode " + itoa(int(r))
}
