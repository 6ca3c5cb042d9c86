package timeline

import (
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Prolific bindings (the browser draft; Hertel, Implementing CIFS, the
// Browse Service chapter, "Prolific Protocol Bindings", the biggie among
// the causes of election storms): Windows binds NetBIOS to NBT, NetBEUI
// and IPX at once, and each binding elects its own local master and keeps
// its own Browse List (transport.go). The tracker keeps them apart by
// segment, and tells, per capture source and host, what the host did on
// each: a multi_transport anomaly when
//
//   - it sends the same RequestElection (version, criteria, name) over a
//     second transport within bindingWindow of the first: one election per
//     binding (the Windows 98 capture: MDJR98's ballot over NetBEUI,
//     frame 140, and over NBT, frame 144, two seconds later, each the
//     second round of an election of its own); compared with the last
//     ballot sent over the other transport, once per run of such
//     elections and pair of transports;
//   - at the end (Finish), it is the local master of its workgroup on one
//     transport and not on another where it runs a browser too (it sent an
//     announcement or a ballot there).

// bindingWindow is how far apart the same ballot over two transports is
// still the same election.
const bindingWindow = 30 * time.Second

// numTransports is the number of Transport values.
const numTransports = int(TransportIPX) + 1

// bindKey is a host on a capture source.
type bindKey struct{ label, host string }

// binding is what a host did on each transport of a capture source.
type binding struct {
	key  bindKey
	hash uint64 // of key (Tracker.bindings)
	on   [numTransports]bindingOn
	// ballots is the last ballot on each transport; nil until the host
	// sends one (most hosts in a flood send none: a record without them
	// is half the size, and MaxHosts records are fresh memory).
	ballots *[numTransports]bindingBallot
	// reported is, per pair of transports (the lower first), when the
	// last same-election anomaly was (or would have been) raised; nil
	// until it is (most hosts run one transport: a third of the record).
	reported *[numTransports][numTransports]time.Time
}

// bindingOn is a host on one transport: its segment and workgroup there
// and its last frame.
type bindingOn struct {
	seg, wg   string
	lastFrame int
	seen      bool
}

// bindingBallot is the last ballot of a host on one transport.
type bindingBallot struct {
	has    bool
	ballot Ballot
	at     time.Time
	frame  int
}

// binding returns the record of host on the capture source of m (nil for
// no host). The table is bounded by MaxHosts: when full it starts afresh.
func (t *Tracker) binding(m *Meta, host string) *binding {
	if host == "" || int(m.Transport) >= numTransports {
		return nil
	}
	h := t.bindHash.hash(m.Segment, host)
	b := t.bindings.find(h, func(b *binding) bool { return b.key.host == host && b.key.label == m.Segment })
	if b == nil {
		if t.bindings.len() >= t.cfg.MaxHosts {
			t.bindings.clear()     // keeps its room: no growing again
			t.recs.resetBindings() // and its records
			t.bindSlab.reset()
		}
		b = t.recs.newBinding(t.cfg.MaxHosts)
		b.key, b.hash = bindKey{m.Segment, host}, h
		t.bindings.add(h, b)
	}
	return b
}

// bindingSlab holds the ballots of the bindings table's records in
// chunks, handed out again when the table starts afresh (nothing holds a
// record past the call that took it from the table). The records are
// Tracker.recs's.
type bindingSlab struct {
	ballots [][][numTransports]bindingBallot
	nb      int
}

// reset hands the ballots out again from the first.
func (s *bindingSlab) reset() { s.nb = 0 }

const bindingChunk = 256

// newBallots is a zeroed set of ballots, one per transport.
func (s *bindingSlab) newBallots() *[numTransports]bindingBallot {
	c, i := s.nb/bindingChunk, s.nb%bindingChunk
	if c == len(s.ballots) {
		s.ballots = append(s.ballots, make([][numTransports]bindingBallot, bindingChunk))
	}
	s.nb++
	b := &s.ballots[c][i]
	*b = [numTransports]bindingBallot{}
	return b
}

// seenOn notes that host runs a browser of workgroup wg on the transport
// and segment of m.
func (t *Tracker) seenOn(m *Meta, seg, wg, host string) {
	b := t.binding(m, host)
	if b == nil {
		return
	}
	on := &b.on[m.Transport]
	on.seen, on.seg, on.lastFrame = true, seg, m.Frame
	if wg != "" {
		on.wg = wg
	}
}

// ballotOn notes host's ballot on the transport of m, and raises the
// same-election anomaly when it sent that ballot over another transport
// within bindingWindow.
func (t *Tracker) ballotOn(m *Meta, seg, wg, host string, ballot Ballot) {
	t.seenOn(m, seg, wg, host)
	b := t.binding(m, host)
	if b == nil {
		return
	}
	tr := m.Transport
	if b.ballots == nil {
		b.ballots = t.bindSlab.newBallots()
	}
	for other := range b.ballots {
		o := &b.ballots[other]
		if Transport(other) == tr || !o.has || m.Time.Sub(o.at) > bindingWindow || m.Time.Before(o.at) {
			continue
		}
		if o.ballot.Version != ballot.Version || o.ballot.Criteria != ballot.Criteria || t.canonName(o.ballot.Name) != t.canonName(ballot.Name) {
			continue
		}
		lo, hi := min(Transport(other), tr), max(Transport(other), tr)
		if b.reported == nil {
			b.reported = new([numTransports][numTransports]time.Time)
		}
		last := b.reported[lo][hi]
		b.reported[lo][hi] = m.Time
		if !last.IsZero() && m.Time.Sub(last) <= bindingWindow {
			continue // the same run of elections
		}
		detail := host + " sent the same RequestElection (" + ballot.String() + ") over " + Transport(other).String() +
			" (frame " + itoa(o.frame) + ") and " + tr.String() + " (frame " + itoa(m.Frame) +
			"): each binding holds its own election (prolific bindings)"
		t.anomaly(AnomalyMultiTransport, m.Time, m.Frame, seg, wg, host, m.Src, detail, frames(o.frame, m.Frame))
		t.diagnoseBindings(m.Time, seg, wg, host, m.Src, ConfidenceHigh,
			"the same RequestElection over "+Transport(other).String()+" and "+tr.String(), frames(o.frame, m.Frame))
	}
	b.ballots[tr] = bindingBallot{has: true, ballot: ballot, at: m.Time, frame: m.Frame}
}

// checkBindings raises, at the end, the anomaly of a host that is the
// local master on some of its transports and not on others.
func (t *Tracker) checkBindings(at time.Time) {
	// Only a host heard in a workgroup on two transports or more can be
	// a master on one and not on another (checkBinding); the others, all
	// of a flood's thousands, were sorted and looked at for nothing.
	var bs []*binding
	for b := range t.bindings.all {
		if b.workgroupTransports() >= 2 {
			bs = append(bs, b)
		}
	}
	slices.SortFunc(bs, func(a, b *binding) int {
		if c := strings.Compare(a.key.label, b.key.label); c != 0 {
			return c
		}
		return strings.Compare(a.key.host, b.key.host)
	})
	for _, b := range bs {
		t.checkBinding(b.key.host, b, at)
	}
}

// workgroupTransports is the number of transports b was heard on in a
// workgroup (those checkBinding looks at).
func (b *binding) workgroupTransports() int {
	n := 0
	for tr := range b.on {
		if b.on[tr].seen && b.on[tr].wg != "" {
			n++
		}
	}
	return n
}

func (t *Tracker) checkBinding(host string, b *binding, at time.Time) {
	var master, not []string
	var first *RoleInterval
	var firstOn *bindingOn
	var fs []int
	last := 0
	for tr := range b.on {
		on := &b.on[tr]
		if !on.seen || on.wg == "" {
			continue
		}
		g := t.findGroup(on.seg, on.wg)
		if g == nil {
			continue
		}
		name := Transport(tr).String()
		if ri := g.openRole(RoleLMB, host); ri != nil {
			master = append(master, name)
			if first == nil {
				first, firstOn = ri, on
			}
			fs = append(fs, ri.BeginFrame)
		} else {
			if hs := g.holders(RoleLMB); len(hs) > 0 {
				name += " (where " + hs[0].Host + " is)"
			}
			not = append(not, name)
		}
		fs = append(fs, on.lastFrame)
		last = max(last, on.lastFrame)
	}
	if len(master) == 0 || len(not) == 0 {
		return
	}
	slices.Sort(fs)
	detail := host + " is the local master of " + firstOn.wg + " on " + strings.Join(master, " and ") + ", not on " +
		strings.Join(not, " and ") + ", where it runs a browser too: each binding elects its own master (prolific bindings)"
	t.anomaly(AnomalyMultiTransport, at, last, firstOn.seg, firstOn.wg, host, first.Addr, detail, frames(fs...))
	t.diagnoseBindings(at, firstOn.seg, firstOn.wg, host, first.Addr, ConfidenceMedium,
		"local master on "+strings.Join(master, " and ")+", not on "+strings.Join(not, " and "), frames(fs...))
}

// diagnoseBindings makes the prolific_bindings diagnosis (Hertel, the
// Browse Service, 3.7.1 "Prolific Protocol Bindings": each binding of
// NetBIOS is its own virtual LAN, with its own elections and browse
// list): host runs the Browser service over several transports.
func (t *Tracker) diagnoseBindings(at time.Time, seg, wg, host string, addr netip.Addr, c Confidence, basis string, fs []int) {
	t.diagnose(Diagnosis{Time: at, Kind: DiagProlificBindings, Segment: seg, Workgroup: wg, Hosts: []string{host}, Addr: addr,
		Confidence: c, Basis: basis,
		Text:   host + " runs the Browser service over several NetBIOS transports (NBT, NetBEUI, IPX): each binding holds its own elections and keeps its own browse list, so elections repeat per transport and the lists disagree",
		Fix:    "remove the NetBIOS bindings " + host + " does not need (unbind NetBEUI and NWLink IPX/SPX from its adapters, keeping NetBIOS over TCP/IP), or stop the Browser service from being a browser on them",
		Frames: fs}, host)
}
