package timeline

import (
	"net/netip"
	"sort"
	"time"
)

// NetBIOS names from NBNS (RFC 1001 §15 and RFC 1002 §4.2: registration,
// refresh, release, query; Hertel, Implementing CIFS, the Name Service and
// the browser's special names). A request is tracked as a transaction (source,
// NAME_TRN_ID, name, opcode): its retransmissions and Samba's duplicate
// copies are not new events. Names live on the segment of their owner.

// txKey identifies one NBNS request and its retransmissions.
type txKey struct {
	src    netip.Addr
	id     uint16
	name   string
	suffix byte
	op     NameOp
}

type nbnsTx struct {
	first, last time.Time
	lastSend    time.Time
	sends       int // transmissions more than retransmitGap apart
}

// retransmitGap separates a retransmission from a duplicate copy (Samba's
// copies are microseconds apart; retransmissions 250 ms to 2 s).
const retransmitGap = 100 * time.Millisecond

// txLife is how long a transaction is remembered.
const txLife = 30 * time.Second

// bcastRegistrationSends is how often a B node sends a registration before
// it owns the name (RFC 1002 §6 BCAST_REQ_RETRY_COUNT = 3; RFC 1001 §15.2).
const bcastRegistrationSends = 3

func (t *Tracker) onName(v *NameEvent) {
	if v.Response {
		t.nameResponse(v)
		return
	}
	switch v.Op {
	case NameRegistration, NameMultihomed, NameRefresh, NameRefreshAlt, NameRelease:
		t.nameRequest(v)
	case NameQuery:
		t.locate(&v.Meta)
	}
}

func opClass(op NameOp) NameOp {
	switch op {
	case NameRefreshAlt:
		return NameRefresh
	case NameMultihomed:
		return NameRegistration
	}
	return op
}

func (t *Tracker) nameRequest(v *NameEvent) {
	m := &v.Meta
	seg := t.locate(m)
	name := canon(v.Name)
	key := txKey{src: m.Src, id: v.ID, name: name, suffix: v.Suffix, op: opClass(v.Op)}
	tx := t.txs[key]
	if tx != nil && m.Time.Sub(tx.last) < txLife && !m.Time.Before(tx.last) {
		if m.Time.Sub(tx.lastSend) > retransmitGap {
			tx.sends++
			tx.lastSend = m.Time
			if tx.sends == bcastRegistrationSends && v.Bcast && key.op == NameRegistration && v.Suffix == 0x1b && !v.Group {
				addr := m.Src
				if len(v.Addrs) > 0 {
					addr = v.Addrs[0]
				}
				host := t.nameOf(addr)
				if host == "" {
					host = addr.String()
				}
				g := t.group(seg, name, m.Time)
				t.beginRole(g, host, addr, RoleDMB, m.Time, m.Frame, "registered "+displayName(name, 0x1b)+
					" by broadcast ("+itoa(bcastRegistrationSends)+" transmissions, no objection)", 0, nil)
			}
		}
		tx.last = m.Time
		return
	}
	if len(t.txs) >= t.cfg.MaxNames {
		for k, x := range t.txs {
			if m.Time.Sub(x.last) >= txLife {
				delete(t.txs, k)
				t.txFree = append(t.txFree, x)
			}
		}
		if len(t.txs) >= t.cfg.MaxNames {
			for _, x := range t.txs {
				t.txFree = append(t.txFree, x)
			}
			clear(t.txs)
		}
		tx = nil // it may have gone: take a record afresh
	}
	if tx == nil {
		// Records of forgotten transactions are reused: the table turns
		// over all the time, and a new one would be garbage 30 s later.
		if n := len(t.txFree); n > 0 {
			tx = t.txFree[n-1]
			t.txFree[n-1] = nil
			t.txFree = t.txFree[:n-1]
		} else {
			tx = new(nbnsTx)
		}
		t.txs[key] = tx
	}
	*tx = nbnsTx{first: m.Time, last: m.Time, lastSend: m.Time, sends: 1}

	addr := m.Src
	if len(v.Addrs) > 0 && v.Addrs[0].IsValid() {
		addr = v.Addrs[0]
	}
	if addr != m.Src {
		t.segOfAddr(m.Segment, addr, m.Time)
	}
	if !v.Group && (v.Suffix == 0x00 || v.Suffix == 0x20) && key.op == NameRegistration {
		t.setName(addr, name, m.Time)
	}
	host := t.nameOf(addr)
	via := "broadcast"
	if !v.Bcast && !isDirectedBroadcast(m.Dst) && !isLimitedBroadcast(m.Dst) {
		via = t.winsVia(m.Dst)
	}
	ns := t.nameState(seg, name, v.Suffix, v.Group, m.Time)
	ns.lastFrame = m.Frame
	o := ns.owner(addr)
	switch key.op {
	case NameRegistration:
		if o != nil && o.Active {
			o.Refreshed = m.Time
			o.Via = via
			return
		}
		var reclaim *Owner // o gave the name up to another host that still holds it
		if o != nil && o.takenBy != nil && o.takenBy.Active && !v.Group {
			reclaim = o.takenBy
		}
		o = t.setOwner(ns, o, addr, host, via, v, m)
		t.send(Event{Time: m.Time, Frame: m.Frame, Kind: KindNameRegister, Segment: seg, Workgroup: t.nameWG(seg, name, v.Suffix, v.Group, host),
			Host: host, Addr: addr, Data: requestInfo(name, v, addr, via), Frames: frames(m.Frame)})
		if !v.Group {
			// A B node that registers a unique name without objection
			// takes it over (the old owner would have defended it, RFC
			// 1001 §15.2): the old owner is no longer active. Taking it
			// back while the other still holds it is a conflict.
			for _, x := range ns.Owners {
				if x != o && x.Active && x.Addr != addr && (x.Host == "" || x.Host != host) {
					x.Active = false
					x.takenBy = o
				}
			}
			if reclaim != nil {
				t.nameConflict(ns, reclaim, o, m, "keep registering")
			}
		}
		if v.Suffix == 0x1b && !v.Group {
			if h := t.findHost(t.segOfAddr(m.Segment, addr, m.Time), host); h != nil && h.wg != "" && h.wg != name &&
				t.once("dmbwg\x00"+seg+"\x00"+host+"\x00"+name) {
				t.anomaly(AnomalyDMBClaim, m.Time, m.Frame, seg, name, host, addr,
					host+", a member of "+h.wg+", registers "+displayName(name, 0x1b)+" (domain master of another workgroup)",
					frames(m.Frame))
			}
		}
	case NameRefresh:
		if o == nil {
			o = t.setOwner(ns, nil, addr, host, via, v, m)
		}
		o.Active = true
		o.Refreshed = m.Time
		t.send(Event{Time: m.Time, Frame: m.Frame, Kind: KindNameRefresh, Segment: seg, Workgroup: t.nameWG(seg, name, v.Suffix, v.Group, host),
			Host: host, Addr: addr, Data: requestInfo(name, v, addr, via), Frames: frames(m.Frame)})
	case NameRelease:
		if o == nil {
			o = &Owner{Addr: addr, Host: host, Via: via, NodeType: nodeTypeName(v.NodeType)}
			ns.addOwner(o, t.cfg.MaxEvidence*2)
		}
		o.Active = false
		o.Released, o.RelFrame = m.Time, m.Frame
		t.send(Event{Time: m.Time, Frame: m.Frame, Kind: KindNameRelease, Segment: seg, Workgroup: t.nameWG(seg, name, v.Suffix, v.Group, host),
			Host: host, Addr: addr, Data: requestInfo(name, v, addr, via), Frames: frames(m.Frame)})
		t.releaseRoles(seg, name, v.Suffix, addr, host, m)
	}
}

// requestInfo is the name of a name.* event for a request.
func requestInfo(name string, v *NameEvent, addr netip.Addr, via string) *NameInfo {
	return &NameInfo{Name: name, Suffix: v.Suffix, Group: v.Group, NodeType: nodeTypeName(v.NodeType),
		Addrs: []netip.Addr{addr}, TTL: v.TTL, Op: opName(v.Op, false), Via: via}
}

// winsVia is "WINS <address>", made once per name server: every refresh
// sent to a WINS server stores it in its owner.
func (t *Tracker) winsVia(a netip.Addr) string {
	if s, ok := t.wins[a]; ok {
		return s
	}
	s := "WINS " + a.String()
	if len(t.wins) >= t.cfg.MaxHosts {
		clear(t.wins)
	}
	t.wins[a] = s
	return s
}

// setOwner (re)registers addr as an owner of ns.
func (t *Tracker) setOwner(ns *NameState, o *Owner, addr netip.Addr, host, via string, v *NameEvent, m *Meta) *Owner {
	if o == nil {
		o = &Owner{Addr: addr}
		ns.addOwner(o, t.cfg.MaxEvidence*2)
	}
	o.Host, o.Via, o.NodeType, o.TTL = host, via, nodeTypeName(v.NodeType), v.TTL
	o.Registered, o.RegFrame, o.Active, o.Refused, o.WINSConfirmed = m.Time, m.Frame, true, false, false
	o.Released, o.RelFrame = time.Time{}, 0
	o.takenBy = nil
	return o
}

// releaseRoles ends the role a released browser name stood for: WG<1d>
// the local master, WG<1b> the domain master (a Samba master that loses
// an election sends no browser frame, only these releases: election
// capture, ALPHA after frame 90).
func (t *Tracker) releaseRoles(seg, name string, suffix byte, addr netip.Addr, host string, m *Meta) {
	var role Role
	switch suffix {
	case 0x00, 0x20:
		// A host releasing its own name is leaving: a master stopped that
		// way may release nothing else.
		for _, g := range t.groupsOn(seg) {
			for _, r := range roleOrder {
				if ri := g.openRole(r, name); ri != nil && ri.Addr == addr {
					t.endRole(g, ri, m.Time, m.Frame, "released its own name "+displayName(name, suffix)+": leaving", 0, nil)
				}
			}
		}
		return
	case 0x1d:
		role = RoleLMB
	case 0x1b:
		role = RoleDMB
	case 0x01:
		// __MSBROWSE__<01>: evidence for whatever master role addr holds here.
		for _, g := range t.groupsOn(seg) {
			if ri := g.holderByAddr(RoleLMB, addr); ri != nil {
				ri.Frames = t.addFrame(ri.Frames, m.Frame)
			}
		}
		return
	default:
		return
	}
	g := t.findGroup(seg, name)
	if g == nil {
		return
	}
	ri := g.holderByAddr(role, addr)
	if ri == nil && host != "" {
		ri = g.openRole(role, host)
	}
	if ri != nil {
		t.endRole(g, ri, m.Time, m.Frame, "released "+displayName(name, suffix), 0, nil)
	}
}

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
	name := canon(v.Name)
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
					"WINS "+m.Src.String()+" accepted its registration of "+displayName(name, 0x1b), 0, nil)
			}
			return
		}
		if o != nil {
			o.Refused, o.Active = true, false
		}
		from := m.Src.String()
		info := &NameInfo{Name: name, Suffix: v.Suffix, Group: v.Group, NodeType: nodeTypeName(v.NodeType),
			Addrs: append([]netip.Addr(nil), v.Addrs...), TTL: v.TTL, Op: opName(v.Op, true), Via: from, RCode: v.RCode}
		registrant := host
		if registrant == "" {
			registrant = addr.String() // a name not known for that address
		}
		detail := from + " refused " + registrant + "'s registration of " + displayName(name, v.Suffix) + ": " + rcodeName(v.RCode)
		if v.RCode == 6 || v.RCode == 7 {
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
			from := m.Src.String()
			info := &NameInfo{Name: name, Suffix: v.Suffix, Group: v.Group, Op: opName(v.Op, true), Via: from, RCode: v.RCode}
			t.send(Event{Time: m.Time, Frame: m.Frame, Kind: KindNameNegative, Segment: seg, Workgroup: workgroupOf(name, v.Suffix),
				Host: t.nameOf(m.Dst), Addr: m.Dst, Data: info, Reason: rcodeName(v.RCode),
				Detail: from + " answered " + displayName(name, v.Suffix) + ": " + rcodeName(v.RCode), Frames: frames(m.Frame)})
			return
		}
		if len(v.Addrs) == 0 {
			return
		}
		seg := t.segOfAddr(m.Segment, v.Addrs[0], m.Time)
		ns := t.nameState(seg, name, v.Suffix, v.Group, m.Time)
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
		from := m.Src.String()
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

// nameWG is the workgroup shown with a name event: the workgroup a browser
// or group name stands for, else the workgroup its owner announces.
func (t *Tracker) nameWG(seg, name string, suffix byte, group bool, host string) string {
	if wg := workgroupOf(name, suffix); wg != "" {
		return wg
	}
	if group && suffix == 0x00 {
		return name
	}
	if h := t.findHost(seg, host); h != nil {
		return h.wg
	}
	return ""
}

// workgroupOf is the workgroup a browser name stands for, "" for others.
func workgroupOf(name string, suffix byte) string {
	switch suffix {
	case 0x1b, 0x1c, 0x1d, 0x1e:
		return name
	}
	return ""
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

// nameState returns (creating) the record of a name.
func (t *Tracker) nameState(seg, name string, suffix byte, grp bool, now time.Time) *NameState {
	k := nameKey{seg, name, suffix}
	ns := t.names[k]
	if ns == nil {
		if len(t.names) >= t.cfg.MaxNames {
			var key nameKey
			var old *NameState
			for kk, x := range t.names {
				if old == nil || x.Last.Before(old.Last) || (x.Last.Equal(old.Last) &&
					lessJoined(kk.seg, kk.name, string(rune(kk.suffix)), key.seg, key.name, string(rune(key.suffix)))) {
					key, old = kk, x
				}
			}
			delete(t.names, key)
			if key.suffix == 0x1b {
				t.unindexDMBName(old)
			}
			t.limit("MaxNames", "name table full: forgot "+displayName(old.Name, old.Suffix)+" on "+old.Segment)
		}
		ns = &NameState{Segment: seg, Name: name, Suffix: suffix, Group: grp}
		t.names[k] = ns
		if suffix == 0x1b {
			t.dmbNames[name] = append(t.dmbNames[name], ns)
		}
	}
	if now.After(ns.Last) {
		ns.Last = now
	}
	return ns
}

func (ns *NameState) owner(a netip.Addr) *Owner {
	for _, o := range ns.Owners {
		if o.Addr == a {
			return o
		}
	}
	return nil
}

func (ns *NameState) answer(a netip.Addr) *Answer {
	for _, x := range ns.Answers {
		if x.Addr == a {
			return x
		}
	}
	return nil
}

// addOwner appends o, dropping the oldest released owner when full.
func (ns *NameState) addOwner(o *Owner, max int) {
	if len(ns.Owners) >= max {
		drop := 0
		for i, x := range ns.Owners {
			if !x.Active {
				drop = i
				break
			}
		}
		ns.Owners = append(ns.Owners[:drop], ns.Owners[drop+1:]...)
	}
	ns.Owners = append(ns.Owners, o)
}

// unindexDMBName takes an evicted WORKGROUP<1b> name out of dmbNames.
func (t *Tracker) unindexDMBName(ns *NameState) {
	list := t.dmbNames[ns.Name]
	for i, x := range list {
		if x == ns {
			list = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(t.dmbNames, ns.Name)
	} else {
		t.dmbNames[ns.Name] = list
	}
}

// dmbNamesHeldBy lists the names wg<1b> (one per segment) that addr holds
// (active), sorted by segment and name. It allocates only when it finds
// one, which is rare: the common case is an announcement from a host
// that holds no <1b> name of its workgroup.
func (t *Tracker) dmbNamesHeldBy(wg string, addr netip.Addr) []*NameState {
	var out []*NameState
	for _, ns := range t.dmbNames[wg] {
		if o := ns.owner(addr); o != nil && o.Active {
			out = append(out, ns)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Segment+out[i].Name < out[j].Segment+out[j].Name })
	return out
}

// ---- sessions and decode problems ----

func sessionError(code uint8) string {
	switch code {
	case 0x80:
		return "0x80 Not listening on called name"
	case 0x81:
		return "0x81 Not listening for calling name"
	case 0x82:
		return "0x82 Called name not present"
	case 0x83:
		return "0x83 Called name present, but insufficient resources"
	case 0x8f:
		return "0x8f Unspecified error"
	}
	return hexString(uint64(code), 2)
}

func (t *Tracker) onSession(v *SessionEvent) {
	if !v.Negative && !v.Retarget {
		return
	}
	m := &v.Meta
	f := newFP('S')
	f.addr(m.Src)
	f.addr(m.Dst)
	f.str(v.Called)
	f.str(v.Calling)
	f.u64(uint64(v.ErrorCode))
	if t.duplicate(f, m.Time) {
		return
	}
	seg := t.segOfAddr(m.Segment, m.Src, m.Time)
	called, calling := canon(v.Called), canon(v.Calling)
	server := t.nameOf(m.Src)
	if server == "" {
		server = called
	}
	// The names come from the session request, which the capture may
	// have missed: then only the addresses are known.
	client := m.Dst.String()
	if calling != "" {
		client = calling + " (" + client + ")"
	}
	to := ""
	if called != "" {
		to = " to " + called
	}
	if v.Negative {
		t.anomaly(AnomalySessionRefused, m.Time, m.Frame, seg, "", server, m.Src,
			"session request from "+client+to+" refused by "+m.Src.String()+": "+sessionError(v.ErrorCode), frames(m.Frame))
	}
	if v.Retarget {
		t.anomaly(AnomalySessionRetarget, m.Time, m.Frame, seg, "", server, m.Src,
			"session request from "+client+to+" retargeted by "+m.Src.String()+" to "+v.RetargetTo.String(),
			frames(m.Frame))
	}
}

func (t *Tracker) onDecodeProblem(v *DecodeProblem) {
	m := &v.Meta
	seg := t.locate(m)
	t.anomaly(AnomalyDecodeError, m.Time, m.Frame, seg, "", t.nameOf(m.Src), m.Src, v.Err, frames(m.Frame))
}
