package timeline

import (
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Causes in the name service (RFC 1001 §10 and §15, RFC 1002 §4.2; Hertel,
// Implementing CIFS, the Name Service and the Browse Service's 3.7): a
// WINS address that never answers, hosts of one segment using different
// WINS servers, P nodes beside B nodes, P nodes without a domain master
// browser, NBNS spoofing (Responder-style poisoning) and hosts that claim
// WORKGROUP<1b> when they should not.

type diagNames struct {
	wins      ordered[winsKey, winsRec]
	responses int // NBNS responses seen at all: the capture is not one-way
	// winsGen counts the changes to wins that can make a split;
	// splitGen is winsGen when the split was last looked at.
	winsGen, splitGen int
	// lastWINS is the name server each client last sent a unicast
	// request to (a broadcast registration after it is a fallback).
	lastWINS  ordered[netip.Addr, winsKey]
	refused1d ordered[hostKey, refusal]
	nodes     ordered[string, nodeMix] // per segment
	pnodes    ordered[netip.Addr, pnodeRec]
	answerers ordered[netip.Addr, answerer]
	regs1b    ordered[netip.Addr, reg1b]
	pdcs      ordered[string, pdcRec] // per workgroup: the hosts announcing SV_TYPE_DOMAIN_CTRL
}

func newDiagNames() diagNames {
	return diagNames{wins: newOrdered[winsKey, winsRec](), refused1d: newOrdered[hostKey, refusal](),
		nodes: newOrdered[string, nodeMix](), lastWINS: newOrdered[netip.Addr, winsKey](), pnodes: newOrdered[netip.Addr, pnodeRec](),
		answerers: newOrdered[netip.Addr, answerer](), regs1b: newOrdered[netip.Addr, reg1b](), pdcs: newOrdered[string, pdcRec]()}
}

// refusal counts the refused registrations of one host's WORKGROUP<1d>.
type refusal struct {
	n      int
	frames frameList
}

// noteRefused1d records a negative answer to host's registration of
// wg<1d> (a master defending its name: the host cannot have heard it
// announce, or it would not claim the name).
func (t *Tracker) noteRefused1d(seg, host string, frame int) {
	if host == "" {
		return
	}
	r := t.dg.names.refused1d.add(hostKey{seg, host})
	r.n++
	r.frames.add(frame)
}

// ---- wins_unreachable, wins_split ----

type winsKey struct {
	label  string
	server netip.Addr
}

// winsRec is the unicast NBNS requests to one address.
type winsRec struct {
	seg         string // the segment of its first client
	clients     addrList
	reqs        int
	regs        int // registrations, refreshes and releases (queries are the rest)
	frames      frameList
	first, last time.Time
	answered    bool
	said        [3]int // the evidence when it was last diagnosed
	fallbacks   int    // registrations its clients then sent by broadcast: they gave up on it
}

// noteWINSRequest records a unicast registration, refresh or release
// (query: a unicast query to an address some host registers with) sent
// by client to server.
func (t *Tracker) noteWINSRequest(m *Meta, seg string, client netip.Addr, query bool) {
	k := winsKey{m.Segment, m.Dst}
	r := t.dg.names.wins.get(k)
	if r == nil {
		if query {
			return
		}
		r = t.dg.names.wins.add(k)
		r.seg, r.first = seg, m.Time
	}
	if r.clients.add(client, m.Frame) && r.answered {
		t.dg.names.winsGen++
	}
	r.reqs++
	if !query {
		r.regs++
		*t.dg.names.lastWINS.add(client) = k
	}
	r.frames.add(m.Frame)
	r.last = m.Time
}

// noteFallback records a broadcast registration from client: after
// unicast ones to a name server, it gave up on that server (RFC 1001
// §15.1.1: an M or H node falls back to broadcast; Windows 98 in the ndpi
// dos_win98 capture of ../shared/pcaps, frames 9-18 then 21-41).
func (t *Tracker) noteFallback(client netip.Addr) {
	k := t.dg.names.lastWINS.get(client)
	if k == nil {
		return
	}
	if r := t.dg.names.wins.get(*k); r != nil && !r.answered {
		r.fallbacks++
	}
}

// noteNBNSResponse records an NBNS response from src.
func (t *Tracker) noteNBNSResponse(m *Meta) {
	t.dg.names.responses++
	if r := t.dg.names.wins.get(winsKey{m.Segment, m.Src}); r != nil && !r.answered {
		r.answered = true
		t.dg.names.winsGen++
	}
}

// winsWait is how long a request waits for its answer before the WINS
// server counts as not answering (RFC 1002 §6: UCAST_REQ_RETRY_TIMEOUT
// 5 s, retried).
const winsWait = 10 * time.Second

// checkWINS diagnoses a WINS address that never answers (deadwins
// capture: 83 requests to 198.18.1.250 from four hosts, not one answer),
// and hosts of one segment registering with different WINS servers.
func (t *Tracker) checkWINS(now time.Time) {
	t.dg.names.wins.each(func(k winsKey, r *winsRec) {
		// Unanswered for winsWait, and it is not that the capture misses
		// the answers: others' NBNS answers are on the wire, or the
		// clients fell back to broadcast.
		// (The time last: the tests before it are of integers.)
		if r.answered || (t.dg.names.responses == 0 && r.fallbacks == 0) || r.regs == 0 || r.reqs < 4 ||
			(r.clients.n < 2 && r.reqs < 6) || r.said == [3]int{scale(r.reqs), r.clients.n, scale(r.fallbacks)} || now.Sub(r.first) < winsWait {
			return
		}
		r.said = [3]int{scale(r.reqs), r.clients.n, scale(r.fallbacks)}
		clients := t.hostNames(r.clients.addrs)
		basis := plural(r.reqs, "request") + " from " + plural(r.clients.n, "host") + " in " +
			fmtDur(r.last.Sub(r.first).Round(time.Second)) + ", no answer"
		if t.dg.names.responses > 0 {
			basis += "; other NBNS answers are on the wire"
		}
		if r.fallbacks > 0 {
			basis += "; " + plural(r.fallbacks, "registration") + " then sent by broadcast: the clients gave up on it"
		}
		conf := ConfidenceMedium
		if r.reqs >= 8 && (r.clients.n >= 2 || r.fallbacks > 0) {
			conf = ConfidenceHigh
		}
		server := t.hostName(k.server)
		t.diagnose(Diagnosis{Time: now, Kind: DiagWINSUnreachable, Segment: r.seg, Hosts: append([]string{server}, clients...),
			Addr: k.server, Confidence: conf, Basis: basis,
			Text: "the WINS server " + k.server.String() + " never answers: " + requestCounts(r) + " from " + andList(clients) + " since " + fmtTime(r.first) +
				", not one answer; each waits for its timeout before it falls back to broadcast, and names never reach WINS",
			Fix: "point the WINS server setting of " + andList(clients) + " at a running WINS server, or remove it (Samba `wins server`, " +
				"Windows TCP/IP WINS settings or DHCP option 44): " + k.server.String() + " never answers a registration or a query",
			Frames: []int(r.frames)}, k.server.String())
	})
	if t.dg.names.winsGen == t.dg.names.splitGen {
		return
	}
	t.dg.names.splitGen = t.dg.names.winsGen
	bySeg := map[string][]winsKey{}
	var segs []string
	t.dg.names.wins.each(func(k winsKey, r *winsRec) {
		if r.answered && r.regs > 0 {
			if _, ok := bySeg[r.seg]; !ok {
				segs = append(segs, r.seg)
			}
			bySeg[r.seg] = append(bySeg[r.seg], k)
		}
	})
	for _, seg := range segs {
		t.winsSplit(now, seg, bySeg[seg])
	}
}

// requestCounts is "14 NBNS requests (registrations, refreshes or
// releases)", or with "and N queries".
func requestCounts(r *winsRec) string {
	s := plural(r.reqs, "NBNS request") + " (" + itoa(r.regs) + " registrations, refreshes or releases"
	if q := r.reqs - r.regs; q > 0 {
		s += ", " + itoa(q) + " queries"
	}
	return s + ")"
}

// winsSplit diagnoses the hosts of one segment registering with different
// WINS servers, none with two of them (a host that registers with two
// says they serve the same hosts, a primary and a secondary): each set
// resolves only its own names unless the servers replicate.
func (t *Tracker) winsSplit(now time.Time, seg string, keys []winsKey) {
	if len(keys) < 2 {
		return
	}
	for i, k := range keys {
		for _, o := range keys[i+1:] {
			for _, c := range t.dg.names.wins.get(k).clients.addrs {
				if slices.Contains(t.dg.names.wins.get(o).clients.addrs, c) {
					return
				}
			}
		}
	}
	var parts []string
	var servers []string
	var fs []int
	var addr netip.Addr
	for i, k := range keys {
		r := t.dg.names.wins.get(k)
		own := r.clients.addrs
		if i == 0 {
			addr = k.server
		}
		servers = append(servers, k.server.String())
		parts = append(parts, k.server.String()+" ("+andList(t.hostNames(own))+")")
		fs = append(fs, r.clients.frames...)
	}
	t.diagnose(Diagnosis{Time: now, Kind: DiagWINSSplit, Segment: seg, Hosts: servers, Addr: addr, Confidence: ConfidenceMedium,
		Basis:  "each host registers with one of " + itoa(len(servers)) + " WINS servers, none with both; replication between them is not on this wire",
		Text:   "the hosts of " + seg + " use different WINS servers: " + andList(parts) + ": unless the servers replicate, each set cannot resolve the other's names",
		Fix:    "give every host of the segment the same WINS server (DHCP option 44), or set up replication between " + andList(servers),
		Frames: fs}, strings.Join(servers, ","))
}

// ---- node_types_mixed, pnode_no_dmb ----

// nodeMix is the B and P nodes that registered names on one segment.
type nodeMix struct {
	b, p     addrList
	lastSeen int
}

type pnodeRec struct {
	seg, wg string
	at      time.Time
	frame   int
}

// noteNodeType records a registration's owner node type (RFC 1002
// §4.2.1.3 ONT: 0 B, 1 P).
func (t *Tracker) noteNodeType(seg string, addr netip.Addr, v *NameEvent, name string) {
	switch {
	case v.NodeType == 0 && v.Bcast:
		t.dg.names.nodes.add(seg).b.add(addr, v.Frame)
	case v.NodeType == 1 && !v.Bcast:
		t.dg.names.nodes.add(seg).p.add(addr, v.Frame)
		if v.Group && v.Suffix == 0x00 {
			r := t.dg.names.pnodes.add(addr)
			if r.wg == "" {
				r.seg, r.wg, r.at, r.frame = seg, name, v.Time, v.Frame
			}
		}
	}
}

// checkNodeTypes diagnoses P nodes and B nodes on one segment: a P node
// never broadcasts and a B node never asks the name server, so neither
// resolves the other's names (H and M nodes do both).
func (t *Tracker) checkNodeTypes(now time.Time) {
	t.dg.names.nodes.each(func(seg string, r *nodeMix) {
		if r.b.n == 0 || r.p.n == 0 || r.lastSeen == r.b.n+r.p.n {
			return
		}
		r.lastSeen = r.b.n + r.p.n
		ps, bs := t.hostNames(r.p.addrs), t.hostNames(r.b.addrs)
		t.diagnose(Diagnosis{Time: now, Kind: DiagNodeTypesMixed, Segment: seg, Hosts: append(ps, bs...), Addr: r.p.addrs[0],
			Confidence: ConfidenceMedium,
			Basis:      plural(r.p.n, "P node") + " registered with a name server, " + plural(r.b.n, "B node") + " by broadcast",
			Text: "P nodes (" + andList(ps) + ") and B nodes (" + andList(bs) + ") share " + seg + ": a P node never broadcasts and a B node " +
				"never asks the name server, so they cannot resolve each other's names",
			Fix: "give every host of the segment the same node type: make the B nodes hybrid (H node, with a WINS server: DHCP options 44 and 46) " +
				"or the P nodes H nodes",
			Frames: append(append([]int(nil), r.p.frames...), r.b.frames...)}, seg)
	})
}

// checkPNodes diagnoses P nodes whose workgroup has no domain master
// browser: a P node gets its browse list through the DMB only.
func (t *Tracker) checkPNodes(now time.Time) {
	byWG := map[string][]netip.Addr{}
	var wgs []string
	var seg string
	fs := map[string][]int{}
	t.dg.names.pnodes.each(func(a netip.Addr, r *pnodeRec) {
		if r.wg == "" || now.Sub(r.at) < 2*time.Minute || t.dmbKnown(r.wg) {
			return
		}
		if _, ok := byWG[r.wg]; !ok {
			wgs = append(wgs, r.wg)
		}
		byWG[r.wg] = append(byWG[r.wg], a)
		fs[r.wg] = append(fs[r.wg], r.frame)
		seg = r.seg
	})
	for _, wg := range wgs {
		hosts := t.hostNames(byWG[wg])
		t.diagnose(Diagnosis{Time: now, Kind: DiagPNodeNoDMB, Segment: seg, Workgroup: wg, Hosts: hosts, Addr: byWG[wg][0],
			Confidence: ConfidenceMedium,
			Basis:      "no host registered or announced " + displayName(wg, 0x1b) + " in the capture",
			Text:       "the P nodes " + andList(hosts) + " of " + wg + " have no domain master browser to ask: they do not broadcast, so without " + displayName(wg, 0x1b) + " in WINS their browse list stays empty",
			Fix:        "make one host the domain master browser of " + wg + " and register it with WINS (Samba `domain master = yes` on the PDC or one server; Windows: the PDC), or make the P nodes H nodes",
			Frames:     fs[wg]}, wg)
	}
}

// dmbKnown reports a domain master browser of wg: an active owner of
// wg<1b>, or a group of wg on some segment with a dmb role.
func (t *Tracker) dmbKnown(wg string) bool {
	for _, ns := range t.dmbNames[wg] {
		for _, o := range ns.Owners {
			if o.Active {
				return true
			}
		}
	}
	return t.dg.brw.dmbs.get(wg) != nil
}

// ---- nbns_spoofing ----

// answerer is an address that answered name queries with its own address
// for names it did not register.
type answerer struct {
	seg       string
	names     []nbName // distinct, bounded
	bases     []string // the names without suffix, distinct, bounded
	nbases    int
	conflicts []string // "NAME<xx> of OWNER": registered by another host
	taken     []nbName // the names of conflicts
	victims   addrList // who asked
	frames    frameList
	said      [3]int // the evidence when it was last diagnosed
}

// nbName is a NetBIOS name and its suffix.
type nbName struct {
	name   string
	suffix byte
}

// noteAnswer looks at a positive answer to a name query: from, answering
// with its own address for a unique name it did not register (spoof
// capture: 198.18.1.66 answers for ALPHA<00>, BRAVO<00>, LABWG<1d>, WPAD,
// ...).
func (t *Tracker) noteAnswer(ns *NameState, m *Meta, v *NameEvent) {
	if v.Group || !containsAddr(v.Addrs, m.Src) || ns.owner(m.Src) != nil {
		return
	}
	self := t.nameOf(m.Src)
	if self != "" && self == ns.Name {
		return // its own name, registered before the capture
	}
	var owner *Owner
	for _, o := range ns.Owners {
		if o.Active && o.Addr != m.Src && (o.Host == "" || o.Host != self) {
			owner = o
		}
	}
	r := t.dg.names.answerers.add(m.Src)
	r.seg = ns.Segment
	d := nbName{ns.Name, ns.Suffix}
	if !slices.Contains(r.names, d) && len(r.names) < maxDiagList {
		r.names = append(r.names, d)
	}
	if !slices.Contains(r.bases, ns.Name) {
		r.nbases++
		if len(r.bases) < maxDiagList {
			r.bases = append(r.bases, ns.Name)
		}
	}
	if owner != nil && !slices.Contains(r.taken, d) && len(r.taken) < maxDiagList {
		o := owner.Host
		if o == "" {
			o = owner.Addr.String()
		}
		r.taken = append(r.taken, d)
		r.conflicts = append(r.conflicts, displayName(d.name, d.suffix)+" of "+o)
		r.frames.add(owner.RegFrame)
	}
	r.victims.add(m.Dst, m.Frame)
	r.frames.add(m.Frame)
}

// checkSpoofing diagnoses an address answering name queries with its own
// address for many names it did not register, or for names other hosts
// registered: NBT-NS poisoning.
func (t *Tracker) checkSpoofing(now time.Time) {
	t.dg.names.answerers.each(func(a netip.Addr, r *answerer) {
		n := len(r.conflicts)
		if !(r.nbases >= 4 || (n >= 1 && r.nbases >= 3) || (n >= 2 && r.nbases >= 2)) {
			return
		}
		if n == 0 && t.nameOf(a) != "" {
			// A host with a name of its own answering for other names
			// nobody else claims: aliases it registered before the
			// capture (Samba's netbios aliases), not proof of spoofing.
			return
		}
		sig := [3]int{r.nbases, n, r.victims.n}
		if r.said == sig {
			return
		}
		r.said = sig
		conf := ConfidenceMedium
		basis := "it answered for " + plural(r.nbases, "name") + " it never registered"
		if n > 0 {
			conf = ConfidenceHigh
			basis += ", " + itoa(n) + " of them registered by other hosts"
		}
		victims := t.hostNames(r.victims.addrs)
		text := t.hostWithAddr(a) + " answers name queries with its own address for names it does not own"
		if n > 0 {
			text += ": names other hosts registered (" + strings.Join(r.conflicts, ", ") + ")"
		}
		var rest []string
		for _, x := range r.names {
			if !slices.Contains(r.taken, x) {
				rest = append(rest, displayName(x.name, x.suffix))
			}
		}
		if len(rest) > 0 {
			if n > 0 {
				text += " and"
			} else {
				text += ":"
			}
			text += " names no host registered here (" + strings.Join(rest, ", ")
			if r.nbases > len(r.bases) {
				text += ", and more"
			}
			text += ")"
		}
		text += "; asked by " + andList(victims) + ": NBT-NS poisoning (Responder-style), the hosts that asked now talk to it"
		t.diagnose(Diagnosis{Time: now, Kind: DiagNBNSSpoofing, Segment: r.seg, Hosts: []string{t.hostName(a)}, Addr: a,
			Confidence: conf, Basis: basis, Text: text,
			Fix: "remove the host at " + a.String() + " from the network (or stop the program answering there): it answers name queries for names " +
				"it does not own; on the clients, use WINS or DNS instead of broadcast name resolution",
			Frames: []int(r.frames)}, a.String())
	})
}

// ---- troublemaker_1b ----

// reg1b is a registration of WORKGROUP<1b>, to check.
type reg1b struct {
	seg, wg, host string
	at            time.Time
	frame         int
	lmbFrame      int       // the host became local master this shortly before
	lmbAt         time.Time // then
}

// pdcRec lists the hosts of a workgroup that announce themselves primary
// domain controller.
type pdcRec struct {
	hosts  []string
	frames []int
}

// notePDC records a host announcing SV_TYPE_DOMAIN_CTRL in wg.
func (t *Tracker) notePDC(wg, host string, frame int) {
	r := t.dg.names.pdcs.add(wg)
	if !slices.Contains(r.hosts, host) && len(r.hosts) < maxDiagList {
		r.hosts = append(r.hosts, host)
		r.frames = append(r.frames, frame)
	}
}

// lmbFlipWindow: a WORKGROUP<1b> registered this soon after its host
// became local master is the old Samba bug's.
const lmbFlipWindow = 30 * time.Second

// note1B records a registration of wg<1b> by host at addr.
func (t *Tracker) note1B(seg, wg, host string, addr netip.Addr, at time.Time, frame int) {
	r := t.dg.names.regs1b.add(addr)
	*r = reg1b{seg: seg, wg: wg, host: host, at: at, frame: frame}
	if g := t.findGroup(seg, wg); g != nil && host != "" {
		if ri := g.openRole(RoleLMB, host); ri != nil && at.Sub(ri.Begin) <= lmbFlipWindow {
			r.lmbFrame, r.lmbAt = ri.BeginFrame, ri.Begin
		}
	}
}

// check1B diagnoses a host that claims WORKGROUP<1b> but should not: the
// workgroup's primary domain controller is another host, or it registered
// the name when it became local master and does not announce itself
// domain master (the old Samba bug).
func (t *Tracker) check1B(now time.Time) {
	t.dg.names.regs1b.each(func(a netip.Addr, r *reg1b) {
		host := r.host
		if host == "" {
			host = t.hostName(a)
		}
		if p := t.dg.names.pdcs.get(r.wg); p != nil && !slices.Contains(p.hosts, host) {
			t.dg.names.regs1b.del(a)
			t.diagnose(Diagnosis{Time: now, Kind: DiagTroublemaker1B, Segment: r.seg, Workgroup: r.wg, Hosts: []string{host}, Addr: a,
				Confidence: ConfidenceHigh, Basis: andList(p.hosts) + " announces itself primary domain controller of " + r.wg,
				Text: host + " claims " + displayName(r.wg, 0x1b) + ", the domain master browser's name, but the primary domain controller of " +
					r.wg + " is " + andList(p.hosts) + ": the domain master browser must be the PDC",
				Fix: "stop " + host + " from claiming the domain master role (Samba `domain master = no`); the PDC " + andList(p.hosts) +
					" is the domain master browser",
				Frames: append([]int{r.frame}, p.frames...)}, host)
			return
		}
		if r.lmbFrame == 0 || now.Sub(r.at) < t.cfg.DMBGrace {
			if now.Sub(r.at) > 10*t.cfg.DMBGrace {
				t.dg.names.regs1b.del(a)
			}
			return
		}
		g := t.findGroup(r.seg, r.wg)
		if g == nil {
			return
		}
		e := g.browse.get(host)
		if e == nil || e.Type&svDomainMaster != 0 || !e.LastSeen.After(r.at.Add(t.cfg.DMBGrace)) {
			if e != nil && e.Type&svDomainMaster != 0 {
				t.dg.names.regs1b.del(a)
			}
			return
		}
		t.dg.names.regs1b.del(a)
		t.diagnose(Diagnosis{Time: now, Kind: DiagTroublemaker1B, Segment: r.seg, Workgroup: r.wg, Hosts: []string{host}, Addr: a,
			Confidence: ConfidenceMedium,
			Basis:      "it registered " + displayName(r.wg, 0x1b) + " " + fmtDur(r.at.Sub(r.lmbAt).Round(time.Second)) + " after it became local master, and announces no domain master bit",
			Text: host + " registered " + displayName(r.wg, 0x1b) + " as soon as it became local master, and does not announce itself domain master: " +
				"the old Samba bug; the other segments' local masters sync with it as if it were the domain master browser",
			Fix:    "upgrade Samba on " + host + ", or set `domain master = no` on it unless it is the PDC",
			Frames: []int{r.lmbFrame, r.frame, e.LastFrame}}, host)
	})
}
