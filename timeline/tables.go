package timeline

import (
	"encoding/binary"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// The tracker's bounded tables of places and parties: addresses (the
// segment each broadcasts on, its name), segments, hosts and groups, each
// found or created by key and evicted least recently seen first when full
// (doc.go, "Where things happen" and "Bounds").

// ipRec maps an address to the segment it broadcasts on and its name.
type ipRec struct {
	seg     string
	guessed bool
	label   string
	name    string
	last    time.Time
	addr    netip.Addr
	age     ageNode[*ipRec] // in Tracker.ipAge
	hash    uint64          // of its key, an IPv4 address (addrTable)
	bcast   netip.Addr      // its subnet broadcast address, from what it sent (hearing.go)
}

// addrTable maps addresses to their records. IPv4 addresses, all of them
// in practice, are keyed by their 32 bits in a slotIndex (hashing a
// uint32 is much cheaper than hashing a netip.Addr, and the table is read
// for nearly every frame; ipRec.hash is the hash of its key, so that the
// record forgotten for each new address of a flood leaves the table
// without being hashed again). The answer of the last IPv4 lookup or
// change is kept aside, a record or none: one observation looks up its
// sender's address four or five times (where, learnAddr, setName,
// ownBroadcast), and a lookup in a table of thousands of addresses is a
// cache miss or two. A new address of a flood is so looked up once, not
// three times before it is added.
type addrTable struct {
	v4     slotIndex[ipRec]
	seed   uint64 // of the hash of IPv4 keys
	other  map[netip.Addr]*ipRec
	lastA  netip.Addr // an IPv4 address, with lastIn: its record last (nil: not in the table)
	last   *ipRec
	lastIn bool // lastA and last are set
	// dead holds the records forgotten during the current observation,
	// free those forgotten before it, for reuse (nothing holds a record
	// past the observation that forgot it).
	dead, free []*ipRec
}

func newAddrTable() addrTable {
	return addrTable{seed: rand.Uint64(), other: make(map[netip.Addr]*ipRec)}
}

// v4key is an IPv4 address (or an IPv4-mapped IPv6 one) as a number. Its
// callers test Is4 first (an IPv6 address panics in As4). It reads the
// four bytes from As4, which the compiler inlines (Go 1.26) into a 4-byte
// store and load. The As16 it read until session 18, for want of
// inlining, stored the 16 bytes as one vector and read four of them back:
// a load the store cannot forward to, about 5 ns stalled on every address
// table lookup and broadcast test (canBroadcast alone was 1.4% of the
// NBT-dense run's cycles).
func v4key(a netip.Addr) uint32 {
	b := a.As4()
	return binary.BigEndian.Uint32(b[:])
}

// hash4 mixes an IPv4 key with the table's random seed (the finalizer of
// MurmurHash3: every bit of the key moves the low bits that pick a slot,
// and addresses chosen on the wire cannot be made to collide without the
// seed).
func (m *addrTable) hash4(k uint32) uint64 { return mixSeeded(uint64(k), m.seed) }

// mixSeeded is the finalizer of MurmurHash3 over k xor seed: each bit of
// k moves the low bits of the result. The tables seed it at random, so
// keys chosen on the wire do not pick their slots.
func mixSeeded(k, seed uint64) uint64 {
	x := k ^ seed
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

func (m *addrTable) get(a netip.Addr) *ipRec {
	if m.lastIn && m.lastA == a {
		return m.last
	}
	if a.Is4() {
		k := v4key(a)
		r := m.v4.find(m.hash4(k), func(r *ipRec) bool { return v4key(r.addr) == k })
		m.lastA, m.last, m.lastIn = a, r, true
		return r
	}
	return m.other[a]
}

// add puts r, whose address is not in the table, in it.
func (m *addrTable) add(r *ipRec) {
	if r.addr.Is4() {
		k := v4key(r.addr)
		r.hash = m.hash4(k)
		m.v4.add(r.hash, r)
		m.lastA, m.last, m.lastIn = r.addr, r, true
	} else {
		m.other[r.addr] = r
	}
}

// forget takes r out of the table; its record is reused after the
// current observation (Tracker.release).
func (m *addrTable) forget(r *ipRec) {
	if r.addr.Is4() {
		m.v4.remove(r.hash, r)
		if m.lastA == r.addr {
			m.last = nil // (not in the table now, if lastIn)
		}
	} else {
		delete(m.other, r.addr)
	}
	m.dead = append(m.dead, r)
}

// reuse is a forgotten record made a new one of a (nil: none to reuse).
func (m *addrTable) reuse(a netip.Addr) *ipRec {
	if r := popFree(&m.free); r != nil {
		*r = ipRec{addr: a}
		return r
	}
	return nil
}

func (m *addrTable) len() int { return m.v4.len() + len(m.other) }

type segKey struct {
	label string
	bcast netip.Addr
}

// isDirectedBroadcast reports x.x.x.255, the broadcast of the lab's /24s
// and of most real segments.
func isDirectedBroadcast(a netip.Addr) bool {
	if !a.Is4() {
		return false
	}
	b := a.As4()
	return b[3] == 255 && !(b[0] == 255 && b[1] == 255 && b[2] == 255)
}

func isLimitedBroadcast(a netip.Addr) bool {
	return a.Is4() && a.As4() == [4]byte{255, 255, 255, 255}
}

// segString names a segment: LABEL/BROADCAST, or BROADCAST alone.
func (t *Tracker) segString(label string, bcast netip.Addr) string {
	k := segKey{label, bcast}
	c := &t.lastSeg
	if c[0].set && c[0].k.bcast == bcast && sameString(c[0].k.label, label) {
		return c[0].s
	}
	if c[1].set && c[1].k.bcast == bcast && sameString(c[1].k.label, label) {
		c[0], c[1] = c[1], c[0]
		return c[0].s
	}
	if s, ok := t.segName[k]; ok {
		c[1] = c[0]
		c[0].k, c[0].s, c[0].set = k, s, true
		return s
	}
	var s string
	switch tr := AddrTransport(bcast); {
	case tr != TransportNBT && label == "":
		s = tr.String()
	case tr != TransportNBT:
		s = label + "/" + tr.String() // transport.go
	case !bcast.IsValid() && label == "":
		s = "-"
	case !bcast.IsValid():
		s = label
	case label == "":
		s = bcast.String()
	default:
		s = label + "/" + bcast.String()
	}
	if len(t.segName) < 4*t.cfg.MaxHosts {
		t.segName[k] = s
	}
	c[1] = c[0]
	c[0].k, c[0].s, c[0].set = k, s, true
	return s
}

// guessBroadcast is the x.x.x.255 of an address never seen broadcasting,
// the broadcast of its segment for a NetBEUI or IPX node (transport.go).
func guessBroadcast(a netip.Addr) netip.Addr {
	if !a.Is4() {
		if tr := AddrTransport(a); tr != TransportNBT {
			return nodeBroadcast(tr)
		}
		return netip.Addr{}
	}
	b := a.As4()
	b[3] = 255
	return netip.AddrFrom4(b)
}

// segOfAddr is the segment an address belongs to (learnt or guessed).
func (t *Tracker) segOfAddr(label string, a netip.Addr, now time.Time) string {
	if r := t.ips.get(a); r != nil {
		return r.seg
	}
	seg := t.segString(label, t.guessBroadcastOn(label, a))
	t.learnAddr(a, seg, label, true, now)
	return seg
}

func (t *Tracker) learnAddr(a netip.Addr, seg, label string, guessed bool, now time.Time) *ipRec {
	if !a.IsValid() {
		return nil
	}
	r := t.ips.get(a)
	if r == nil {
		if t.ips.len() >= t.cfg.MaxHosts {
			t.evictAddr()
		}
		if r = t.ips.reuse(a); r == nil {
			r = t.recs.newIP(ipRec{addr: a}, t.cfg.MaxHosts)
		}
		if now.After(r.last) {
			r.last = now // its place in the order at once (the tail, in a capture in order), not the head, then the tail
		}
		t.ips.add(r)
		t.ipAge.add(r)
	}
	if !guessed || r.seg == "" || r.guessed {
		r.seg, r.guessed, r.label = seg, guessed, label
	}
	if now.After(r.last) {
		r.last = now
		t.ipAge.later(r)
	}
	return r
}

func (t *Tracker) evictAddr() {
	r, ok := t.ipAge.oldest()
	if !ok {
		return
	}
	t.ipAge.remove(r)
	t.ips.forget(r)
	if !t.limitSeen("MaxHosts") {
		t.limit("MaxHosts", "address table full: forgot "+AddrString(r.addr))
	}
}

// nameOf is the NetBIOS name known for an address ("" if none).
func (t *Tracker) nameOf(a netip.Addr) string {
	if r := t.ips.get(a); r != nil {
		return r.name
	}
	return ""
}

// setName records the primary name of an address.
func (t *Tracker) setName(a netip.Addr, name string, now time.Time) {
	if name == "" || !a.IsValid() {
		return
	}
	r := t.ips.get(a)
	if r == nil {
		return
	}
	if r.name == "" {
		r.name = name
	}
	if now.After(r.last) {
		r.last = now
		t.ipAge.later(r)
	}
}

// canon upper-cases a NetBIOS name and trims trailing spaces. A name
// that is upper case already (nearly all are) is returned as it is,
// without a copy.
func canon(s string) string {
	n := len(s)
	for n > 0 && (s[n-1] == ' ' || s[n-1] == 0) {
		n--
	}
	s = s[:n]
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = upper(b[j])
			}
			return string(b)
		}
	}
	return s
}

// host returns (creating) the record of name on seg.
func (t *Tracker) host(seg, name string, addr netip.Addr, now time.Time) *hostRec {
	if name == "" {
		return nil
	}
	h := t.findHost(seg, name)
	if h == nil {
		if t.hosts.len() >= t.cfg.MaxHosts {
			t.evictHost()
		}
		if h = popFree(&t.hostFree); h != nil {
			*h = hostRec{seg: seg, name: name, first: now}
		} else { // written, not read first (see popFree)
			h = t.recs.newHost(hostRec{seg: seg, name: name, first: now}, t.cfg.MaxHosts)
		}
		if now.After(h.last) {
			h.last = now // its place in the order at once (see learnAddr)
		}
		t.hosts.add(h)
		t.lastHost = h
		t.hostMissSet = false
		t.hostAge.add(h)
	}
	if addr.IsValid() {
		h.addr = addr
	}
	if now.After(h.last) {
		h.last = now
		t.hostAge.later(h)
	}
	return h
}

// findHost is the record of name on seg (nil: none). The record last
// found is kept aside: an announcement looks its sender up two or three
// times. So is the key last not found, until a host is added: a new host
// is looked up before host adds it, and a flood of new hosts made that
// two probes of a table of thousands for each.
func (t *Tracker) findHost(seg, name string) *hostRec {
	if h := t.lastHost; h != nil && sameString(h.name, name) && sameString(h.seg, seg) {
		return h
	}
	if t.hostMissSet && t.hostMiss.name == name && t.hostMiss.seg == seg {
		return nil
	}
	h := t.hosts.get(seg, name)
	if h != nil {
		t.lastHost = h
	} else {
		t.hostMiss, t.hostMissSet = hostKey{seg, name}, true
	}
	return h
}

func (t *Tracker) evictHost() {
	oldest, ok := t.hostAge.oldest()
	if !ok {
		return
	}
	t.hostAge.remove(oldest)
	t.hosts.remove(oldest)
	if t.lastHost == oldest {
		t.lastHost = nil
	}
	t.hostDead = append(t.hostDead, oldest)
	if !t.limitSeen("MaxHosts") {
		t.limit("MaxHosts", "host table full: forgot "+oldest.name+" on "+oldest.seg)
	}
}

// group returns (creating) the state of wg on seg.
func (t *Tracker) group(seg, wg string, now time.Time) *group {
	k := groupKey{seg, wg}
	g := t.lastGroup
	if g == nil || g.wg != wg || g.seg != seg {
		g = t.groups[k]
	}
	if g == nil {
		if len(t.groups) >= t.cfg.MaxGroups {
			t.evictGroup()
		}
		g = &group{seg: seg, wg: wg, open: make(map[roleKey]*RoleInterval), browse: serverIndex{names: t.nameH}}
		if now.After(g.last) {
			g.last = now // its place in the order at once (see learnAddr)
		}
		t.groups[k] = g
		t.inOrder = t.inOrder[:0]
		t.groupAge.add(g)
		t.indexGroup(g)
		t.noteGroup(g)
	}
	if now.After(g.last) {
		g.last = now
		t.groupAge.later(g)
	}
	t.lastGroup = g
	return g
}

func (t *Tracker) findGroup(seg, wg string) *group { return t.groups[groupKey{seg, wg}] }

func (t *Tracker) evictGroup() {
	oldest, ok := t.groupAge.oldest()
	if !ok {
		return
	}
	t.groupAge.remove(oldest)
	t.unindexGroup(oldest)
	for e := range oldest.browse.all() {
		t.srvAge.remove(e)
		t.unscheduleEntry(e)
		t.srvDead = append(t.srvDead, e)
	}
	t.servers -= oldest.browse.len()
	t.roleHist.forget(oldest)
	t.elecHist.forget(oldest)
	t.removals.total -= len(oldest.removed)
	delete(t.groups, groupKey{oldest.seg, oldest.wg})
	oldest.gone = true
	t.inOrder = t.inOrder[:0]
	if t.lastGroup == oldest {
		t.lastGroup = nil
	}
	if !t.limitSeen("MaxGroups") {
		t.limit("MaxGroups", "workgroup table full: forgot "+oldest.wg+" on "+oldest.seg)
	}
}

// lessJoined orders two keys of up to three parts as the strings
// a1+"\x00"+a2[+"\x00"+a3] and b1+"\x00"+b2[+"\x00"+b3] would sort (an
// empty third part is left out), without building them: evictions break
// ties that way, as when the maps were keyed by those strings.
func lessJoined(a1, a2, a3, b1, b2, b3 string) bool {
	x, y := joined{p: [3]string{a1, a2, a3}}, joined{p: [3]string{b1, b2, b3}}
	if a3 != "" {
		x.n = 3
	} else {
		x.n = 2
	}
	if b3 != "" {
		y.n = 3
	} else {
		y.n = 2
	}
	for {
		ca, oka := x.next()
		cb, okb := y.next()
		switch {
		case !oka:
			return okb
		case !okb:
			return false
		case ca != cb:
			return ca < cb
		}
	}
}

// joined walks the bytes of n parts joined by NUL.
type joined struct {
	p    [3]string
	n    int
	i, j int // part, byte in it
}

func (x *joined) next() (byte, bool) {
	for x.i < x.n {
		if x.j < len(x.p[x.i]) {
			c := x.p[x.i][x.j]
			x.j++
			return c, true
		}
		x.i++
		x.j = 0
		if x.i < x.n {
			return 0, true
		}
	}
	return 0, false
}

// groupsOn lists the groups of one segment sorted by workgroup (the order
// of sortedGroups) in a slice reused by the next call.
func (t *Tracker) groupsOn(seg string) []*group {
	gs := append(t.groupScratch[:0], t.segGroups[seg]...)
	t.groupScratch = gs
	return gs
}

// indexGroup adds g to segGroups, in workgroup order.
func (t *Tracker) indexGroup(g *group) {
	gs := t.segGroups[g.seg]
	i, _ := slices.BinarySearchFunc(gs, g.wg, func(x *group, wg string) int { return strings.Compare(x.wg, wg) })
	t.segGroups[g.seg] = slices.Insert(gs, i, g)
	t.dg.brw.idx.add(g)
}

// unindexGroup takes g out of segGroups.
func (t *Tracker) unindexGroup(g *group) {
	t.dg.brw.idx.remove(g)
	gs := t.segGroups[g.seg]
	if i, ok := slices.BinarySearchFunc(gs, g.wg, func(x *group, wg string) int { return strings.Compare(x.wg, wg) }); ok && gs[i] == g {
		gs = slices.Delete(gs, i, i+1)
	}
	if len(gs) == 0 {
		delete(t.segGroups, g.seg)
	} else {
		t.segGroups[g.seg] = gs
	}
}

// groupsInOrder is sortedGroups kept until a group comes or goes, for
// the detectors (checkDomains: every 5 minutes of capture time): the
// caller must not change the slice, nor keep it.
func (t *Tracker) groupsInOrder() []*group {
	if len(t.inOrder) != len(t.groups) {
		t.inOrder = append(t.inOrder[:0], t.sortedGroups()...)
	}
	return t.inOrder
}

func (t *Tracker) sortedGroups() []*group {
	gs := make([]*group, 0, len(t.groups))
	for _, g := range t.groups {
		gs = append(gs, g)
	}
	// (segment, workgroup) tells the groups apart (t.groups' keys): the
	// order is total.
	slices.SortFunc(gs, func(a, b *group) int {
		if c := strings.Compare(a.seg, b.seg); c != 0 {
			return c
		}
		return strings.Compare(a.wg, b.wg)
	})
	return gs
}
