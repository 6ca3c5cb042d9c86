package timeline

import (
	"math/rand/v2"
	"net/netip"
	"time"
)

// NetBIOS names from NBNS (RFC 1001 §15 and RFC 1002 §4.2: registration,
// refresh, release, query; Hertel, Implementing CIFS, the Name Service and
// the browser's special names). A request is tracked as a transaction (source,
// NAME_TRN_ID, name, opcode): its retransmissions and Samba's duplicate
// copies are not new events. Names live on the segment of their owner.
// This file handles the requests; nameanswers.go the responses,
// nametable.go the table of names.

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
	// lastAt and sendAt are last and the last transmission more than
	// retransmitGap after the one before as instants: every request
	// compares its time with them (time.Time's Before and Add cost more).
	lastAt, sendAt instant
	sends          int // transmissions more than retransmitGap apart
	// key and name are its key in txTable.v4 (packTx, and the rest).
	key  uint64
	name string
	ns   *NameState // the name's record when it last started (nameStateFrom)
}

// txTable is the NBNS transactions by txKey. Those from an IPv4 address
// (all of them in practice) are found by the address, NAME_TRN_ID,
// suffix and opcode packed in one word, then by name: a lookup hashes
// 8 bytes, not the key's 24-byte address and its name (the transactions
// were 4-5% of the tracker on the NBT-dense mix, one lookup per request).
// The packed word's hash (txHash, the finalizer of MurmurHash3 with a
// random seed, as the address table's) picks a slot of a slotIndex, whose
// records keep their packed key and name: a map keyed by the word (until
// session 18) hashed it with memhash64 and probed its groups, a quarter
// of an NBNS request's time on the dense mix (BenchmarkTracker).
type txTable struct {
	v4    slotIndex[nbnsTx]
	seed  uint64
	other map[txKey]*nbnsTx
}

func newTxTable() txTable {
	return txTable{seed: rand.Uint64(), other: make(map[txKey]*nbnsTx)}
}

// packTx is k without its name, if its source is IPv4.
func packTx(k *txKey) (uint64, bool) {
	if !k.src.Is4() {
		return 0, false
	}
	return uint64(v4key(k.src))<<32 | uint64(k.id)<<16 | uint64(k.suffix)<<8 | uint64(k.op), true
}

// txHash is the slot hash of a packed key.
func (x *txTable) txHash(p uint64) uint64 { return mixSeeded(p, x.seed) }

func (x *txTable) len() int { return x.v4.len() + len(x.other) }

// get is the transaction of k, or nil.
func (x *txTable) get(k *txKey) *nbnsTx {
	p, ok := packTx(k)
	if !ok {
		return x.other[*k]
	}
	name := k.name
	return x.v4.find(x.txHash(p), func(tx *nbnsTx) bool { return tx.key == p && sameString(tx.name, name) })
}

// set makes tx k's transaction, in place of the one it had, if any (as
// a map's assignment).
func (x *txTable) set(k *txKey, tx *nbnsTx) {
	p, ok := packTx(k)
	if !ok {
		tx.key, tx.name = 0, ""
		x.other[*k] = tx
		return
	}
	h, name := x.txHash(p), k.name
	if old := x.v4.find(h, func(o *nbnsTx) bool { return o.key == p && sameString(o.name, name) }); old != nil {
		if old == tx {
			return
		}
		x.v4.remove(h, old)
	}
	tx.key, tx.name = p, name
	x.v4.add(h, tx)
}

// sweep forgets the transactions for which keep is false, appending
// their records to free, and returns free. (The records are listed
// first, then taken out: a removal moves the records after it back.)
func (x *txTable) sweep(keep func(*nbnsTx) bool, free []*nbnsTx) []*nbnsTx {
	n := len(free)
	for tx := range x.v4.all {
		if !keep(tx) {
			free = append(free, tx)
		}
	}
	for _, tx := range free[n:] {
		x.v4.remove(x.txHash(tx.key), tx)
	}
	for k, tx := range x.other {
		if !keep(tx) {
			delete(x.other, k)
			free = append(free, tx)
		}
	}
	return free
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
		t.placeOf(&v.Meta, v.Bcast)
		if !v.Bcast && v.Dst.IsValid() && !isDirectedBroadcast(v.Dst) && !isLimitedBroadcast(v.Dst) {
			t.noteWINSRequest(&v.Meta, "", v.Src, true)
		}
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
	var p place
	p.seg, p.aud, p.bcast, p.foreign = t.placeOf(m, v.Bcast)
	seg := p.seg
	if !v.Bcast && m.Dst.IsValid() && !isDirectedBroadcast(m.Dst) && !isLimitedBroadcast(m.Dst) {
		// Every transmission: a name server that never answers sees
		// each retransmission.
		t.noteWINSRequest(m, seg, m.Src, false)
	}
	name := t.canonName(v.Name)
	// (Written field by field: a composite literal is built aside and
	// copied 16 bytes at a time, loads its 8-, 2- and 1-byte stores cannot
	// forward to.)
	var key txKey
	key.src, key.id, key.name, key.suffix, key.op = m.Src, v.ID, name, v.Suffix, opClass(v.Op)
	tx := t.txs.get(&key)
	// (Compared as instants, with a time added, not a Sub: Sub checks its
	// difference with an Add and an Equal, and this is every NBNS
	// request's test.)
	at := instantOf(m.Time)
	if tx != nil && !at.before(tx.lastAt) && at.before(tx.lastAt.add(txLife)) {
		if tx.sendAt.add(retransmitGap).before(at) {
			tx.sends++
			tx.sendAt = at
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
		tx.last, tx.lastAt = m.Time, at
		return
	}
	if t.txs.len() >= t.cfg.MaxNames {
		t.txFree = t.txs.sweep(func(x *nbnsTx) bool { return m.Time.Sub(x.last) < txLife }, t.txFree)
		if t.txs.len() >= t.cfg.MaxNames {
			t.txFree = t.txs.sweep(func(*nbnsTx) bool { return false }, t.txFree)
		}
		tx = nil // it may have gone: take a record afresh
	}
	if tx == nil {
		// Records of forgotten transactions are reused: the table turns
		// over all the time, and a new one would be garbage 30 s later.
		tx = reuse(&t.txFree)
		tx.ns = nil
		t.txs.set(&key, tx)
	}
	// (Not *tx = nbnsTx{...}: its key and name stay.)
	tx.first, tx.last, tx.lastAt, tx.sendAt, tx.sends = m.Time, m.Time, at, at, 1

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
	if key.op == NameRegistration {
		t.noteNodeType(seg, addr, v, name)
		if v.Bcast {
			t.noteFallback(m.Src)
		}
	}
	ns := t.nameStateFrom(tx.ns, seg, name, v.Suffix, v.Group, m.Time)
	tx.ns = ns
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
		if o != nil && o.takenBy != nil && o.takenBy.Active && o.takenBy.epoch == t.epoch && !v.Group {
			// (Across a backward jump of the capture's clock the order of
			// the two registrations is not known: no conflict.)
			reclaim = o.takenBy
		}
		o = t.setOwner(ns, o, addr, host, via, v, m)
		if t.emit != nil {
			t.send(Event{Time: m.Time, Frame: m.Frame, Kind: KindNameRegister, Segment: seg, Workgroup: t.nameWG(seg, name, v.Suffix, v.Group, host),
				Host: host, Addr: addr, Data: requestInfo(name, v, addr, via), Frames: frames(m.Frame)})
		}
		if !v.Group {
			// A B node that registers a unique name without objection
			// takes it over (the old owner would have defended it, RFC
			// 1001 §15.2): the old owner is no longer active. Taking it
			// back while the other still holds it is a conflict. An
			// owner that cannot hear the broadcast registration could
			// not defend it and keeps the name (mask25 capture: ALPHA's
			// and PC7's LABWG<1d>, frames 94 and 96).
			for _, x := range ns.Owners {
				if x != o && x.Active && x.Addr != addr && (x.Host == "" || x.Host != host) && t.mayDefend(x.Addr, p, m.Dst) {
					x.Active = false
					x.takenBy = nil
					if x.epoch == t.epoch {
						x.takenBy = o
					}
				}
			}
			if reclaim != nil {
				t.nameConflict(ns, reclaim, o, m, "keep registering")
			}
		}
		if v.Suffix == 0x1b && !v.Group {
			t.note1B(seg, name, host, addr, m.Time, m.Frame)
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
		if t.emit != nil {
			t.send(Event{Time: m.Time, Frame: m.Frame, Kind: KindNameRefresh, Segment: seg, Workgroup: t.nameWG(seg, name, v.Suffix, v.Group, host),
				Host: host, Addr: addr, Data: requestInfo(name, v, addr, via), Frames: frames(m.Frame)})
		}
	case NameRelease:
		if o == nil {
			o = &Owner{Addr: addr, Host: host, Via: via, NodeType: nodeTypeName(v.NodeType)}
			ns.addOwner(o, t.cfg.MaxEvidence*2)
		}
		o.Active = false
		o.Released, o.RelFrame = m.Time, m.Frame
		if t.emit != nil {
			t.send(Event{Time: m.Time, Frame: m.Frame, Kind: KindNameRelease, Segment: seg, Workgroup: t.nameWG(seg, name, v.Suffix, v.Group, host),
				Host: host, Addr: addr, Data: requestInfo(name, v, addr, via), Frames: frames(m.Frame)})
		}
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
	o.epoch = t.epoch
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
		if h := t.findHost(seg, name); h != nil && h.addr == addr {
			h.away = true
		}
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
