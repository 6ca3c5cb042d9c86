package timeline

import (
	"math/bits"
	"net/netip"
	"slices"
	"strings"
)

// Hearing is not symmetric. A frame reaches a host only if the host
// accepts its destination: its own address, the limited broadcast
// 255.255.255.255, or the directed broadcast address of its own subnet
// (RFC 919 §7, RFC 922 §7; RFC 1001 §15 and §17 send NetBIOS broadcasts
// there). A host whose netmask differs from the rest of its wire sends to
// another broadcast address and accepts another one: on the mask25
// capture PC7 (198.18.1.17/25) sends every broadcast to 198.18.1.127,
// which the /24 hosts take for someone's unicast address, and drops their
// 198.18.1.255; nmbd's logs show two local masters of LABWG at once,
// neither ever hearing the other.
//
// The tracker learns each address's subnet broadcast address from what it
// sends (a directed broadcast it sends is its own subnet's: the highest bit
// where its address and that broadcast differ, and every bit below it, is
// a host bit, set in the broadcast), and a frame moves the state of the
// hosts that hear it only (a master stepping down at a better ballot, a
// candidate dropping out, a master losing an election, a name taken over).
// A host whose subnet broadcast address is not known (its address record
// was evicted under pressure) is taken to hear the broadcasts of a subnet
// that can hold it, and the texts that depend on it say that this is
// uncertain.
//
// A directed broadcast whose source is not inside the subnet it addresses
// (198.18.1.11 to 198.18.2.255 on the relay capture: a router forwarding
// UDP 138 broadcasts) is heard on that subnet but is foreign to it: it
// teaches nothing about its sender's segment, and its sender holds no
// role there.

// place is where a frame was heard and who could hear it (placeOf). Its
// frame's capture label and destination are the frame's Meta's.
type place struct {
	seg string
	// aud is the broadcast address whose hosts hear the frame: its
	// destination when it is a directed broadcast, else the sender's own
	// subnet broadcast (known or guessed).
	aud     netip.Addr
	bcast   bool // any broadcast: directed, limited or a sender's own subnet broadcast
	foreign bool // a directed broadcast from outside the subnet it addresses
}

// locate returns the segment of a frame (doc.go, "Where things happen").
func (t *Tracker) locate(m *Meta) string {
	seg, _, _, _ := t.placeOf(m, m.DstGroup)
	return seg
}

// placeOf places a frame: the fields of its place. marked says the sender
// flagged it a broadcast (the NBNS B flag, an NBDGM group datagram): a
// destination other than x.x.x.255 is taken for a subnet broadcast only
// then. A directed broadcast teaches the sender's segment and its subnet
// broadcast address; a unicast frame belongs to the segment its source was
// last seen broadcasting on.
//
// (Its results are four values, not a place: the observations' handlers
// take them into a place of their own field by field. A place returned
// was stored by the caller aside, field by field, and copied 16 bytes at
// a time into its variable at once, loads its stores could not forward
// to: a stall on each NBNS request, announcement and election.)
func (t *Tracker) placeOf(m *Meta, marked bool) (seg string, aud netip.Addr, bcast, foreign bool) {
	if m.Transport != TransportNBT {
		p := t.whereNode(m)
		return p.seg, p.aud, p.bcast, p.foreign
	}
	switch {
	case isDirectedBroadcast(m.Dst):
		seg = t.segString(m.Segment, m.Dst)
		bcast, aud = true, m.Dst
		if m.Src.IsValid() && !t.ownBroadcast(m.Segment, m.Src, m.Dst) {
			// Its sender's name is known, its segment is not this one.
			foreign = true
			t.segOfAddr(m.Segment, m.Src, m.Time)
			t.noteForwarded(m, place{seg, aud, bcast, foreign})
			return
		}
		if r := t.learnAddr(m.Src, seg, m.Segment, false, m.Time); r != nil {
			if r.bcast != m.Dst {
				// (Stored only when it changes: nearly every sender keeps
				// its broadcast address.)
				t.noteBroadcastAddr(m.Segment, m.Src, m.Dst, m.Frame)
				r.bcast = m.Dst
			}
			t.noteSubnet(m.Segment, m.Dst)
		}
	case isLimitedBroadcast(m.Dst):
		bcast = true
		if r := t.ips.get(m.Src); r != nil && !r.guessed && r.label == m.Segment {
			r.last = m.Time
			t.ipAge.touch(r)
			seg = r.seg
		} else {
			seg = t.segString(m.Segment, m.Dst)
		}
		aud = t.broadcastOf(m.Src)
	case marked && m.Src.IsValid() && t.ownBroadcast(m.Segment, m.Src, m.Dst) && !t.isHostAddr(m.Dst):
		// A subnet broadcast other than x.x.x.255 (PC7's 198.18.1.127):
		// the frame stays on its sender's segment, heard by the hosts of
		// that subnet only.
		seg = t.segOfAddr(m.Segment, m.Src, m.Time)
		bcast, aud = true, m.Dst
		if r := t.ips.get(m.Src); r != nil {
			if r.bcast != m.Dst {
				t.noteBroadcastAddr(m.Segment, m.Src, m.Dst, m.Frame)
			}
			r.bcast = m.Dst
		}
		t.noteBroadcast(m.Dst)
		t.noteSubnet(m.Segment, m.Dst)
	default:
		seg = t.segOfAddr(m.Segment, m.Src, m.Time)
		aud = t.broadcastOf(m.Src)
	}
	return
}

// whereNode places a NetBEUI or IPX frame (transport.go): on its
// transport's segment of its capture source, a broadcast heard by every
// host there, a frame to one node heard by that node.
func (t *Tracker) whereNode(m *Meta) place {
	b := nodeBroadcast(m.Transport)
	p := place{seg: t.segString(m.Segment, b), aud: b, bcast: isNodeBroadcast(m.Dst)}
	if r := t.learnAddr(m.Src, p.seg, m.Segment, false, m.Time); r != nil {
		r.bcast = b
	}
	return p
}

// ownBroadcast reports whether dst can be the directed broadcast address of
// src's own subnet (canBroadcast) and src was not seen sending to another
// directed broadcast on the same wire (a router forwarding its broadcasts
// to a subnet next to its own). A host whose netmask is changed during the
// capture is taken for a forwarder afterwards: the capture cannot tell the
// two apart.
func (t *Tracker) ownBroadcast(label string, src, dst netip.Addr) bool {
	if !canBroadcast(src, dst) {
		return false
	}
	if r := t.ips.get(src); r != nil && r.bcast.IsValid() && r.bcast != dst && sameString(r.label, label) {
		return false
	}
	return true
}

// canBroadcast reports whether dst can be the directed broadcast address
// of a subnet holding src: from the highest bit where the two differ down,
// every bit of dst is set (a prefix of /8 to /30 holds both, dst its
// broadcast). 198.18.1.127 can be 198.18.1.17's (/25), 198.18.2.255 cannot
// be 198.18.1.11's.
func canBroadcast(src, dst netip.Addr) bool {
	if !src.Is4() || !dst.Is4() || src == dst {
		return false
	}
	s, d := v4key(src), v4key(dst)
	k := max(bits.Len32(s^d), 2)
	if k > 24 {
		return false
	}
	host := uint32(1)<<k - 1
	return d&host == host
}

// broadcastOf is the subnet broadcast address a learnt from what it
// sent, else its x.x.x.255.
func (t *Tracker) broadcastOf(a netip.Addr) netip.Addr {
	if r := t.ips.get(a); r != nil && r.bcast.IsValid() {
		return r.bcast
	}
	return guessBroadcast(a)
}

// hears says whether the host at a can have received a frame sent to dst,
// and whether that is sure: a host accepts its own address, the limited
// broadcast and its own subnet's broadcast address. For a host whose
// subnet broadcast is not known a broadcast of a subnet that can hold it
// is taken to reach it, not surely.
func (t *Tracker) hears(a, dst netip.Addr) (heard, sure bool) {
	if !a.IsValid() || !dst.IsValid() {
		return true, false
	}
	if AddrTransport(dst) != TransportNBT {
		// No subnets on NetBEUI and IPX: every host hears a broadcast.
		return dst == a || isNodeBroadcast(dst), true
	}
	if dst == a || isLimitedBroadcast(dst) {
		return true, true
	}
	r := t.ips.get(a)
	if r == nil || !r.bcast.IsValid() {
		if t.isKnownBroadcast(dst) && canBroadcast(a, dst) {
			return true, false
		}
		return false, true
	}
	return r.bcast == dst, true
}

// isHostAddr reports an address known as a host's own (it sent from it).
func (t *Tracker) isHostAddr(a netip.Addr) bool {
	r := t.ips.get(a)
	return r != nil && !r.guessed
}

// noteBroadcast remembers a subnet broadcast address other than x.x.x.255
// that a host sent to (bounded: forgotten all at once when full).
func (t *Tracker) noteBroadcast(a netip.Addr) {
	if _, ok := t.oddBcast[a]; ok {
		return
	}
	if len(t.oddBcast) >= t.cfg.MaxHosts {
		clear(t.oddBcast)
	}
	t.oddBcast[a] = struct{}{}
}

// maxSubnets bounds the subnet broadcasts remembered per capture label.
const maxSubnets = 64

// noteSubnet remembers that hosts of label send to the subnet broadcast b.
func (t *Tracker) noteSubnet(label string, b netip.Addr) {
	// Most broadcasts go where the one before went: that pair is in
	// the list (only this function takes any out, and it notes the pair
	// it puts in).
	if last := &t.lastSubnet; last.set && last.b == b && sameString(last.label, label) {
		return
	}
	list := t.bcastsOn[label]
	if !slices.Contains(list, b) {
		if list == nil && len(t.bcastsOn) >= t.cfg.MaxGroups {
			clear(t.bcastsOn)
		}
		if len(list) >= maxSubnets {
			list = list[1:]
		}
		t.bcastsOn[label] = append(list, b)
	}
	t.lastSubnet.label, t.lastSubnet.b, t.lastSubnet.set = label, b, true
}

// guessBroadcastOn is the subnet broadcast address of an address never
// seen broadcasting: the narrowest subnet broadcast its wire's hosts were
// seen sending to that can hold it (10.0.4.24 on a wire whose /23 sends to
// 10.0.5.255: the ndpi netbios capture, frame 69), else its x.x.x.255.
// An address listed in a name query answer or met only as a destination
// is not given a segment of its own that way.
func (t *Tracker) guessBroadcastOn(label string, a netip.Addr) netip.Addr {
	best, bestBits := netip.Addr{}, 0
	for _, b := range t.bcastsOn[label] {
		if !canBroadcast(a, b) {
			continue
		}
		if n := bits.Len32(v4key(a) ^ v4key(b)); !best.IsValid() || n < bestBits {
			best, bestBits = b, n
		}
	}
	if best.IsValid() {
		return best
	}
	return guessBroadcast(a)
}

// isKnownBroadcast reports x.x.x.255 or a destination some host was seen
// using as its subnet broadcast (198.18.1.127 once PC7 sent to it).
func (t *Tracker) isKnownBroadcast(a netip.Addr) bool {
	if isDirectedBroadcast(a) {
		return true
	}
	_, ok := t.oddBcast[a]
	return ok
}

// deafTo explains why the host at a cannot hear a frame sent to dst:
// "PC7 (198.18.1.17) accepts 198.18.1.127, not 198.18.1.255".
func (t *Tracker) deafTo(host string, a, dst netip.Addr) string {
	return host + " (" + a.String() + ") accepts " + t.broadcastOf(a).String() + ", not " + dst.String()
}

// uncertain is the note a text gets when it took host to hear dst without
// evidence either way.
func uncertain(host string, dst netip.Addr) string {
	return "; that " + host + " heard " + dst.String() + " is uncertain: its subnet broadcast address is not known"
}

// mayDefend says whether the owner of a name at a could have heard a
// registration to dst placed as p (a unicast one goes to a name server,
// which arbitrates).
func (t *Tracker) mayDefend(a netip.Addr, p place, dst netip.Addr) bool {
	if !p.bcast {
		return true
	}
	heard, _ := t.hears(a, dst)
	return heard
}

// heldBy is an open role interval of a group and its host (unheard).
type heldBy struct {
	host string
	ri   *RoleInterval
}

// unheard names the browsers of g that cannot have heard an election held
// on run.aud: its candidates and the potential browsers and masters of the
// group whose own subnet broadcast is another one. "; PC7 (198.18.1.17)
// accepts 198.18.1.127, not 198.18.1.255: it did not hear this election".
// Those taken to hear it without evidence are named as uncertain. It says
// nothing when every one of them surely could hear it.
func (t *Tracker) unheard(g *group, run *electionRun) string {
	var deaf, unsure []string
	add := func(host string, a netip.Addr) {
		switch heard, sure := t.hears(a, run.aud); {
		case !heard && sure:
			deaf = append(deaf, t.deafTo(host, a, run.aud))
		case !sure:
			unsure = append(unsure, host)
		}
	}
	// Each host once: the candidates (one each), then the holders of
	// the roles, by name, not among them (a host holding both roles
	// comes twice, side by side). The holders are listed with their
	// intervals, not looked up again by key, and no set of the names
	// seen is made (an election that ends: 2,700 on the NBT-dense mix).
	for _, c := range run.e.Candidates {
		add(c.Host, c.Addr)
	}
	var buf [16]heldBy // most groups have fewer open roles: no allocation
	keys := buf[:0]
	for k, ri := range g.open {
		if k.role == RolePotential || k.role == RoleLMB {
			keys = append(keys, heldBy{k.host, ri})
		}
	}
	slices.SortFunc(keys, func(a, b heldBy) int { return strings.Compare(a.host, b.host) })
	for i, k := range keys {
		if i > 0 && keys[i-1].host == k.host || run.candidate(k.host) != nil {
			continue
		}
		add(k.host, k.ri.Addr)
	}
	s := ""
	switch n := len(deaf); {
	case n == 0:
	case n == 1:
		s = "; " + deaf[0] + ": it did not hear this election"
	default:
		if n > 4 {
			deaf = append(deaf[:4], "and "+itoa(n-4)+" more")
		}
		s = "; " + strings.Join(deaf, "; ") + ": they did not hear this election"
	}
	if n := len(unsure); n > 0 {
		if n > 4 {
			unsure = append(unsure[:4], "and "+itoa(n-4)+" more")
		}
		s += "; whether " + strings.Join(unsure, ", ") + " heard it is uncertain: the subnet broadcast address is not known"
	}
	return s
}
