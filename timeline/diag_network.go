package timeline

import (
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Causes on the network (Microsoft's notes on browser events 8003, 8021
// and 8032; Hertel, Implementing CIFS, the Browse Service, 3.7): a host
// whose netmask differs from its segment's, broadcasts forwarded between
// subnets, a host that cannot receive UDP 138, a host with two addresses
// on one segment. The hearing model (hearing.go) gives the evidence: where
// each address broadcasts, and the broadcasts foreign to a subnet.

type diagNet struct {
	// subnets: per capture label and subnet broadcast address, the hosts
	// that broadcast there (mask_mismatch).
	subnets  ordered[segKey, subnetUse]
	maskDirt []string // labels with a new host since the last check
	fwd      ordered[fwdKey, fwdRec]
	deaf     ordered[deafKey, deafRec]
	multi    ordered[hostKey, multiRec]
}

func newDiagNet() diagNet {
	return diagNet{subnets: newOrdered[segKey, subnetUse](), fwd: newOrdered[fwdKey, fwdRec](),
		deaf: newOrdered[deafKey, deafRec](), multi: newOrdered[hostKey, multiRec]()}
}

// ---- mask_mismatch ----

// subnetUse is the hosts seen sending to one subnet broadcast address.
type subnetUse struct {
	label string
	bcast netip.Addr
	hosts addrList
}

// noteBroadcastAddr records that src broadcasts to b (a new or changed
// subnet broadcast address of its record: once per address, not per frame).
func (t *Tracker) noteBroadcastAddr(label string, src, b netip.Addr, frame int) {
	u := t.dg.net.subnets.add(segKey{label, b})
	u.label, u.bcast = label, b
	if u.hosts.add(src, frame) && !slices.Contains(t.dg.net.maskDirt, label) {
		t.dg.net.maskDirt = append(t.dg.net.maskDirt, label)
	}
}

// checkMasks diagnoses a host that broadcasts to another directed
// broadcast address than the hosts around it, its address inside their
// subnet (mask25 capture: PC7, 198.18.1.17/25, sends to 198.18.1.127; ALPHA,
// BRAVO and CLIENT to 198.18.1.255). The majority is taken to be right:
// at least two hosts, more than use the other address.
func (t *Tracker) checkMasks(now time.Time) {
	dirty := t.dg.net.maskDirt
	t.dg.net.maskDirt = nil
	for _, label := range dirty {
		var uses []*subnetUse
		t.dg.net.subnets.each(func(k segKey, u *subnetUse) {
			if k.label == label {
				uses = append(uses, u)
			}
		})
		for _, minor := range uses {
			for _, major := range uses {
				if minor != major {
					t.maskPair(minor, major, now)
				}
			}
		}
	}
}

func (t *Tracker) maskPair(minor, major *subnetUse, now time.Time) {
	if major.hosts.n < 2 || major.hosts.n <= minor.hosts.n {
		return
	}
	net := subnetOf(major.bcast, major.hosts.addrs)
	for _, h := range minor.hosts.addrs {
		if !net.Contains(h) || !canBroadcast(h, major.bcast) || slices.Contains(major.hosts.addrs, h) {
			return
		}
	}
	if !net.Contains(minor.bcast) {
		return
	}
	seg := t.segString(major.label, major.bcast)
	var others []string
	for _, a := range major.hosts.addrs {
		others = append(others, t.hostName(a))
	}
	slices.Sort(others)
	if major.hosts.n > len(major.hosts.addrs) {
		others = append(others, "and "+itoa(major.hosts.n-len(major.hosts.addrs))+" more")
	}
	for i, h := range minor.hosts.addrs {
		name := t.hostName(h)
		own := subnetOf(minor.bcast, []netip.Addr{h})
		conf, basis := ConfidenceMedium, itoa(major.hosts.n)+" hosts ("+strings.Join(others, ", ")+") broadcast to "+
			major.bcast.String()+"; "+name+" to "+minor.bcast.String()+", an address inside their subnet "+net.String()
		if major.hosts.n >= 3 {
			conf = ConfidenceHigh
		}
		wg := ""
		if hr := t.findHost(seg, t.nameOf(h)); hr != nil {
			wg = hr.wg
		}
		fs := append([]int{minor.hosts.frames[i]}, major.hosts.frames...)
		t.diagnose(Diagnosis{Time: now, Kind: DiagMaskMismatch, Segment: seg, Workgroup: wg, Hosts: []string{name}, Addr: h,
			Confidence: conf, Basis: basis,
			Text: t.hostWithAddr(h) + " broadcasts to " + minor.bcast.String() + " (a /" + itoa(own.Bits()) + " netmask) while the other hosts of its segment use " +
				major.bcast.String() + " (/" + itoa(net.Bits()) + "): its netmask is wrong, and " +
				name + " and the others do not hear each other's broadcasts (separate elections, a local master on each side)",
			Fix: "set " + name + "'s netmask to " + netmask(net.Bits()) + " (" + h.String() + "/" + itoa(net.Bits()) +
				"; on Samba `interfaces = " + h.String() + "/" + itoa(net.Bits()) + "`): it broadcasts to " + minor.bcast.String() +
				" while the segment uses " + major.bcast.String(),
			Frames: fs}, h.String())
	}
}

// ---- broadcast_forwarded ----

// fwdKey is broadcasts of one subnet (its broadcast address) heard on
// another (dst), on one capture label.
type fwdKey struct {
	label    string
	src, dst netip.Addr
}

type fwdRec struct {
	seg    string
	srcs   addrList
	n      int // frames
	nbns   int // of which NBNS (UDP 137)
	frames frameList
	wg     string
	last   time.Time
	said   [2]int // the evidence when it was last diagnosed
}

// noteForwarded records a directed broadcast whose source is not in the
// subnet it addresses (hearing.go: place.foreign).
func (t *Tracker) noteForwarded(m *Meta, p place) {
	k := fwdKey{m.Segment, t.broadcastOf(m.Src), m.Dst}
	r := t.dg.net.fwd.add(k)
	r.seg = p.seg
	r.srcs.add(m.Src, m.Frame)
	r.n++
	if m.DstName == "" && m.SrcName == "" {
		r.nbns++
	}
	r.frames.add(m.Frame)
	r.last = m.Time
	if r.wg == "" && m.DstName != "" && m.DstName != msBrowse {
		switch m.DstSuffix {
		case 0x1b, 0x1d, 0x1e, 0x00:
			r.wg = t.canonName(m.DstName)
		}
	}
}

// checkForwarded diagnoses the broadcasts of one subnet arriving on
// another: a router forwarding them (an `ip helper-address` that relays
// UDP 137/138, directed-broadcast forwarding), seen at least twice.
func (t *Tracker) checkForwarded(now time.Time) {
	t.dg.net.fwd.each(func(k fwdKey, r *fwdRec) {
		sig := [2]int{scale(r.n), r.srcs.n}
		if r.n < 2 || r.said == sig {
			return
		}
		r.said = sig
		from := subnetOf(k.src, r.srcs.addrs).String()
		to := t.subnetOfBroadcast(k.label, k.dst)
		dst := k.dst.String()
		port := "UDP 138"
		switch {
		case r.nbns == r.n:
			port = "UDP 137"
		case r.nbns > 0:
			port = "UDP 137 and 138"
		}
		conf, basis := ConfidenceMedium, plural(r.n, "broadcast")+" from "+from+" addressed to "+dst
		if r.n >= 3 {
			conf = ConfidenceHigh
		}
		hosts := t.hostNames(r.srcs.addrs)
		t.diagnose(Diagnosis{Time: now, Kind: DiagBroadcastForwarded, Segment: r.seg, Workgroup: r.wg, Hosts: hosts, Addr: r.srcs.addrs[0],
			Confidence: conf, Basis: basis,
			Text: "broadcasts of " + from + " (" + andList(hosts) + ") arrive on " + r.seg + " addressed to " + dst +
				" (" + plural(r.n, "datagram") + ", " + port + "): a router forwards them, and the browsers here take the other subnet's " +
				"ballots and announcements for their own (elections and masters of one subnet disturb the other)",
			Fix: "stop forwarding " + port + " broadcasts from " + from + " to " + to.String() + " on the router between them " +
				"(remove the helper address or directed-broadcast forwarding for the NetBIOS ports): browse lists cross subnets " +
				"through a domain master browser or WINS, not by broadcast",
			Frames: []int(r.frames)}, k.src.String())
	})
}

// subnetOfBroadcast is the subnet of a broadcast address, from the hosts
// seen sending to it.
func (t *Tracker) subnetOfBroadcast(label string, b netip.Addr) netip.Prefix {
	if u := t.dg.net.subnets.get(segKey{label, b}); u != nil {
		return subnetOf(b, u.hosts.addrs)
	}
	return subnetOf(b, nil)
}

// ---- udp138_blocked ----

// deafKey is a host of a group.
type deafKey struct{ seg, wg, host string }

// deafRec is a host that went on voting after it lost, in one group.
type deafRec struct {
	g    *group
	host string
	said [3]int // the evidence when it was last diagnosed
}

// noteDeaf marks host of g as a candidate: it voted after a better ballot
// or started an election that changed nothing (storm.go).
func (t *Tracker) noteDeaf(g *group, host string) {
	r := t.dg.net.deaf.add(deafKey{g.seg, g.wg, host})
	r.g, r.host = g, host
}

// checkDeaf diagnoses a host that does not receive UDP 138: it starts
// elections that leave the master in office, goes on voting after better
// ballots that were no answer to a weaker one, and (the name service on
// UDP 137 works) claims WORKGROUP<1d> and is refused by the master
// (nofw138 capture: FWHOST, whose firewall drops inbound UDP 138).
func (t *Tracker) checkDeaf(now time.Time) {
	t.dg.net.deaf.each(func(k deafKey, r *deafRec) {
		g := r.g
		if g.gone {
			t.dg.net.deaf.del(k)
			return
		}
		v := g.voters[r.host]
		if v == nil || len(v.futile) < 2 || v.deaf < 3 {
			return
		}
		refused := t.dg.names.refused1d.get(hostKey{g.seg, r.host})
		sig := [3]int{len(v.futile), v.deaf, 0}
		if refused != nil {
			sig[2] = refused.n
		}
		if r.said == sig {
			return
		}
		r.said = sig
		// The elections it forced: futile elections that follow one
		// another within the settle time are one (it votes again after
		// dropping out, which starts a new election on the wire).
		forced := 0
		for i, s := range v.futile {
			if i == 0 || s.at.Sub(v.futile[i-1].at) > t.cfg.ElectionSettle {
				forced++
			}
		}
		conf := ConfidenceMedium
		basis := r.host + " forced " + plural(forced, "election") + " that left the master in office and sent " +
			plural(v.deaf, "ballot") + " after a better one"
		if refused != nil && refused.n > 0 {
			conf = ConfidenceHigh
			basis += ", and was refused " + displayName(g.wg, 0x1d) + " " + plural(refused.n, "time") + ": it hears UDP 137, not UDP 138"
		} else if forced >= 3 {
			conf = ConfidenceHigh
		}
		// The master in office that kept its elections, else the host
		// whose ballot beat it last.
		master := strings.ReplaceAll(v.kept, ",", " and ")
		if master == "" {
			master = v.beaten
		}
		if master == "" {
			master = "the master"
		}
		fs := []int(nil)
		for _, s := range v.futile {
			fs = append(fs, s.frame)
		}
		fs = append(fs, v.frames...)
		who := r.host
		if a := t.addrOf(g.seg, r.host); a.IsValid() && a.String() != r.host {
			who += " (" + a.String() + ")"
		}
		text := who + " does not receive browser datagrams (UDP 138): it forced " +
			plural(forced, "election") + " that " + master + " kept, and went on voting after better ballots (" +
			plural(v.deaf, "ballot") + " answering no weaker one)"
		if refused != nil && refused.n > 0 {
			fs = append(fs, refused.frames...)
			text += "; its name service works: it claimed " + displayName(g.wg, 0x1d) + " and was refused " + plural(refused.n, "time")
		}
		name := r.host
		if strings.Contains(name, ".") {
			name = "the host at " + name
		}
		t.diagnose(Diagnosis{Time: now, Kind: DiagUDP138Blocked, Segment: g.seg, Workgroup: g.wg, Hosts: []string{r.host},
			Addr: t.addrOf(g.seg, r.host), Confidence: conf, Basis: basis, Text: text,
			Fix: "allow inbound UDP 138 on " + name + " (a host firewall drops it: remove the rule, e.g. iptables `-p udp --dport 138 -j DROP`, " +
				"or enable the firewall's NetBIOS datagram rule): it cannot hear " + master + "'s announcements and ballots, so it keeps forcing elections",
			Frames: fs}, r.host)
	})
}

// ---- multihomed ----

// multiRec is one name announced from several addresses of one segment.
type multiRec struct {
	seg, name string
	addrs     addrList
	switches  int // announcements from another address than the one before
	frames    frameList
	said      [2]int // the evidence when it was last diagnosed
}

// noteMultihomed records an announcement of name from addr on seg where
// the one before came from prev (browse.go).
func (t *Tracker) noteMultihomed(seg, name string, prev, addr netip.Addr, frame int) {
	r := t.dg.net.multi.add(hostKey{seg, name})
	r.seg, r.name = seg, name
	r.addrs.add(prev, 0)
	r.addrs.add(addr, frame)
	r.switches++
	r.frames.add(frame)
}

// checkMultihomed diagnoses one NetBIOS name announced alternately from
// two addresses of one segment: a host with two addresses there, running
// a browser on each (multihomed capture: MULTI, 198.18.1.21 and
// 198.18.1.22). One change of address is a new lease, not that.
func (t *Tracker) checkMultihomed(now time.Time) {
	t.dg.net.multi.each(func(k hostKey, r *multiRec) {
		sig := [2]int{scale(r.switches), r.addrs.n}
		if r.switches < 2 || r.addrs.n < 2 || r.said == sig {
			return
		}
		r.said = sig
		keep := r.addrs.addrs[0]
		for _, g := range t.groupsOn(r.seg) {
			if ri := g.openRole(RoleLMB, r.name); ri != nil && slices.Contains(r.addrs.addrs, ri.Addr) {
				keep = ri.Addr
			}
		}
		var drop []string
		for _, a := range r.addrs.addrs {
			if a != keep {
				drop = append(drop, a.String())
			}
		}
		var all []string
		for _, a := range r.addrs.addrs {
			all = append(all, a.String())
		}
		conf := ConfidenceMedium
		if r.switches >= 3 {
			conf = ConfidenceHigh
		}
		bits := subnetOf(t.broadcastOf(keep), []netip.Addr{keep}).Bits()
		t.diagnose(Diagnosis{Time: now, Kind: DiagMultihomed, Segment: r.seg, Workgroup: t.hostWG(r.seg, r.name), Hosts: []string{r.name},
			Addr: keep, Confidence: conf,
			Basis: r.name + "'s announcements changed address " + plural(r.switches, "time") + " between " + andList(all),
			Text: r.name + " announces itself from " + itoa(r.addrs.n) + " addresses of " + r.seg + " (" + andList(all) +
				"): it runs a browser on each, registers and announces its names once per address, and can be master on one and not on the other",
			Fix: "give " + r.name + " one address on this segment: keep " + keep.String() + " and remove " + andList(drop) +
				" (on Samba `interfaces = " + keep.String() + "/" + itoa(bits) + "`): it registers and announces " + r.name +
				" from both " + andList(all),
			Frames: []int(r.frames)}, r.name)
	})
}

// hostWG is the workgroup host announces on seg ("" if none known).
func (t *Tracker) hostWG(seg, host string) string {
	if h := t.findHost(seg, host); h != nil {
		return h.wg
	}
	return ""
}
