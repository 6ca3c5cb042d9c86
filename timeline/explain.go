package timeline

import (
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Explain answers --why HOST from a Snapshot: why HOST is or is not the
// local master of its workgroup, what it would need to win an election
// held now (against the predicted winner, in the Browse Service order of
// ballot.go), and why it is or is not in the Browse List (never announced,
// announced to another workgroup, expired or gone at T, not on the other
// subnets because nothing synchronises them). The sentences name the
// frames that prove them; Explanation keeps the typed facts for the TUI.

// Explanation is the answer for one host, per segment it was seen on.
type Explanation struct {
	Query string // as asked: a NetBIOS name or an address
	Host  string // the NetBIOS name ("" when the wire never named it)
	// Label is the name a local table gave the address (--lmhosts) when
	// the wire did not name it.
	Label string
	Addrs []netip.Addr
	Found bool
	Parts []*HostExplanation
	Text  string // when not Found: what is known of the query
}

// HostExplanation is the answer for one host on one segment and workgroup.
type HostExplanation struct {
	Segment   string
	Workgroup string
	Addr      netip.Addr
	// Master: it is the local master now. MasterWhy says why it is or is
	// not; Needs what it would need to win an election held now (empty
	// when it would win), NeedText the same as a sentence.
	Master    bool
	MasterWhy string
	Needs     []Need
	NeedText  string
	// Listed: it is in the Browse List of its workgroup on this segment
	// now. ListWhy says why or why not, Subnets where else it is (not)
	// listed.
	Listed  bool
	ListWhy string
	Subnets string
	Frames  []int
}

// Need is one change that would make a host win: its Field ("os level",
// "preferred master", "election version", "uptime") and the sentence.
type Need struct {
	Field string
	Text  string
}

// Explain explains host, a NetBIOS name or an address. labels names
// addresses the wire has not named (from an LMHOSTS file); it may be nil.
func Explain(s *Snapshot, query string, labels map[netip.Addr]string) *Explanation {
	x := &Explanation{Query: query}
	q := strings.TrimSpace(query)
	var hosts []*Host
	if a, ok := parseAddr(q); ok {
		x.Addrs = []netip.Addr{a}
		for _, h := range s.Hosts {
			if h.Addr == a {
				hosts = append(hosts, h)
				x.Host = h.Name
			}
		}
		if x.Host == "" {
			x.Host = nameOwnerOf(s, a)
		}
		if x.Host == "" && labels[a] != "" {
			x.Label = labels[a]
			x.Host = canon(labels[a])
			hosts = hostsNamed(s, x.Host)
		}
	} else {
		x.Host = canon(q)
		hosts = hostsNamed(s, x.Host)
		for a, n := range labels {
			if canon(n) == x.Host && !slices.Contains(x.Addrs, a) {
				x.Addrs = append(x.Addrs, a)
			}
		}
		slices.SortFunc(x.Addrs, func(a, b netip.Addr) int { return a.Compare(b) })
	}
	if len(hosts) == 0 {
		x.Text = notSeen(s, x)
		return x
	}
	x.Found = true
	preds := Predict(s)
	for _, h := range hosts {
		x.Parts = append(x.Parts, explainHost(s, h, preds))
	}
	return x
}

// parseAddr reads an address as the output writes it: an IP address, or
// a NetBEUI or IPX node (ParseNodeAddr). A host of a NetBEUI or IPX
// segment whose NetBIOS name is unknown is named by its node address
// ("00:0c:29:00:00:30"), which no NetBIOS name lookup would find: a
// NetBIOS name is upper case.
func parseAddr(q string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(q); err == nil {
		return a, true
	}
	return ParseNodeAddr(q)
}

func hostsNamed(s *Snapshot, name string) []*Host {
	var out []*Host
	for _, h := range s.Hosts {
		if h.Name == name {
			out = append(out, h)
		}
	}
	return out
}

// nameOwnerOf is the host that registered a name from a, or "".
func nameOwnerOf(s *Snapshot, a netip.Addr) string {
	for _, n := range s.Names {
		for _, o := range n.Owners {
			if o.Addr == a && o.Host != "" {
				return o.Host
			}
		}
	}
	return ""
}

// notSeen says what is known of a query that names no host seen.
func notSeen(s *Snapshot, x *Explanation) string {
	who := x.Query
	if x.Label != "" {
		who += " (" + x.Label + " in the LMHOSTS file)"
	}
	var regs []string
	for _, n := range s.Names {
		if canon(n.Name) != x.Host {
			continue
		}
		for _, o := range n.Owners {
			regs = append(regs, n.Display()+" from "+o.Addr.String()+" (frame "+itoa(o.RegFrame)+")")
		}
	}
	if len(regs) > 0 {
		return who + " registered " + strings.Join(regs, ", ") + " but sent no browser frame: it takes no part in elections and never announced itself, so it is in no Browse List"
	}
	var answered []string
	for _, n := range s.Names {
		for _, a := range n.Answers {
			if slices.Contains(x.Addrs, a.By) && len(answered) < 10 {
				answered = append(answered, n.Display()+" with "+a.Addr.String()+" (frame "+itoa(a.Frame)+")")
			}
		}
	}
	if len(answered) > 0 {
		return who + " sent no browser frame and registered no name, but answered name queries: " + strings.Join(answered, ", ") +
			"; it is not the master and is in no Browse List"
	}
	return who + " was not seen on the wire: no browser frame, no name registered: it is not the master and is in no Browse List"
}

// explainHost explains h in its group.
func explainHost(s *Snapshot, h *Host, preds []*Prediction) *HostExplanation {
	he := &HostExplanation{Segment: h.Segment, Workgroup: h.Workgroup, Addr: h.Addr}
	g := s.Group(h.Segment, h.Workgroup)
	if h.Workgroup == "" || g == nil {
		he.MasterWhy = h.Name + " sent no announcement or ballot naming a workgroup on " + h.Segment + ": it is not a browser there"
		he.ListWhy = h.Name + " never announced itself on " + h.Segment + ": it is in no Browse List there"
		return he
	}
	if home := homeSegment(s, g, h); home != "" {
		he.MasterWhy = h.Name + " (" + AddrString(h.Addr) + ") is a host of " + home + " (it broadcasts to " + AddrString(h.Broadcast) +
			"); its frames reach " + g.Segment + " only from its subnet (broadcasts a router forwards, or announcements sent to a browser here), " +
			"so it takes no part in the elections there and holds no role there"
	} else {
		explainMaster(s, g, h, preds, he)
	}
	explainList(s, g, h, he)
	slices.Sort(he.Frames)
	he.Frames = slices.Compact(he.Frames)
	if len(he.Frames) > 0 && he.Frames[0] == 0 {
		he.Frames = he.Frames[1:]
	}
	return he
}

// homeSegment is the other segment h belongs to when its own broadcast
// address is that segment's (a host of another subnet, heard here through
// a router that forwards its broadcasts, or known by a remote
// announcement), else "".
func homeSegment(s *Snapshot, g *Group, h *Host) string {
	if !h.Broadcast.IsValid() || h.Broadcast == segmentBroadcast(g.Segment) {
		return ""
	}
	for _, o := range s.Groups {
		if o.Segment != g.Segment && segmentBroadcast(o.Segment) == h.Broadcast {
			return o.Segment
		}
	}
	return ""
}

// predictionOf is the prediction among whose contenders host is.
func predictionOf(preds []*Prediction, seg, wg, host string) (*Prediction, *Contender) {
	for _, p := range preds {
		if p.Segment != seg || p.Workgroup != wg {
			continue
		}
		for i := range p.Contenders {
			if p.Contenders[i].Host == host {
				return p, &p.Contenders[i]
			}
		}
	}
	return nil, nil
}

// explainMaster says why h is or is not the local master of g, and what it
// would need to win an election held now.
func explainMaster(s *Snapshot, g *Group, h *Host, preds []*Prediction, he *HostExplanation) {
	he.Master = slices.Contains(g.LMB, h.Name)
	var b strings.Builder
	explainRole(s, g, h, he, &b)
	explainContest(g, h, preds, he, &b)
	he.MasterWhy = b.String()
	if len(he.Needs) > 0 {
		texts := make([]string, len(he.Needs))
		for i, n := range he.Needs {
			texts[i] = n.Text
		}
		he.NeedText = h.Name + " needs " + strings.Join(texts, ", or ")
	}
}

// explainRole says whether h is the local master, since when and by which
// election, or why not: gone, the role lost, an election lost, who is.
func explainRole(s *Snapshot, g *Group, h *Host, he *HostExplanation, b *strings.Builder) {
	where := g.Workgroup + " on " + g.Segment
	var last *RoleInterval
	for _, ri := range g.RolesOf(RoleLMB) {
		if ri.Host == h.Name {
			last = ri
		}
	}
	if he.Master {
		b.WriteString(h.Name + " is the local master browser of " + where)
		if last != nil {
			b.WriteString(" since " + fmtTime(last.Begin) + " (frame " + itoa(last.BeginFrame) + ": " + last.BeginReason + ")")
			he.Frames = append(he.Frames, last.BeginFrame)
			if e := electionRecord(g, last.Election); e != nil && e.Why != "" {
				b.WriteString("; election " + itoa(e.ID) + ": " + e.Why)
			}
		}
		return
	}
	b.WriteString(h.Name + " is not the local master browser of " + where)
	switch {
	case h.Away:
		b.WriteString(": it announced it was going away")
		if r := lastRemoval(g, h.Name); r != nil {
			b.WriteString(" at " + fmtTime(r.Time) + " (frame " + itoa(r.Frame) + ")")
			he.Frames = append(he.Frames, r.Frame)
		}
	case last != nil:
		b.WriteString(": it was from " + fmtTime(last.Begin) + " (frame " + itoa(last.BeginFrame) + ") to " +
			fmtTime(last.End) + " (frame " + itoa(last.EndFrame) + ": " + last.EndReason + ")")
		he.Frames = append(he.Frames, last.BeginFrame, last.EndFrame)
	}
	if c, e := lastCandidacy(g, h.Name); c != nil && (e.Running || e.Outcome == OutcomeUnfinished) && c.Dropped {
		b.WriteString("; it dropped out of election " + itoa(e.ID) + " (not over yet) at frame " + itoa(c.DroppedFrame) +
			" when it heard " + c.DroppedBy + "'s ballot")
		he.Frames = append(he.Frames, c.DroppedFrame)
	} else if c != nil && e.Winner != h.Name && e.Winner != "" {
		b.WriteString("; it lost election " + itoa(e.ID) + " (" + fmtTime(e.Start) + ") to " + e.Winner)
		if c.Dropped {
			b.WriteString(", dropping out at frame " + itoa(c.DroppedFrame) + " when it heard " + c.DroppedBy + "'s ballot")
			he.Frames = append(he.Frames, c.DroppedFrame)
		}
	}
	if slices.Contains(g.DMB, h.Name) {
		b.WriteString("; it is the domain master browser of " + g.Workgroup + ", which should also be the local master of its own subnet")
	}
	if len(g.LMB) > 0 {
		b.WriteString("; the local master is " + strings.Join(g.LMB, ", "))
		b.WriteString(hearingNote(s, g, h))
	} else {
		b.WriteString("; there is no local master now")
	}
}

// explainContest says how h stands in an election held now and what it
// would need to win it.
func explainContest(g *Group, h *Host, preds []*Prediction, he *HostExplanation, b *strings.Builder) {
	p, c := predictionOf(preds, g.Segment, g.Workgroup, h.Name)
	switch {
	case c == nil:
		if e := g.Server(h.Name); e != nil {
			b.WriteString("; it is not a potential browser: its " + e.Kind + " (frame " + itoa(e.LastFrame) + ", type " +
				hexString(uint64(e.Type), 8) + ") has no SV_TYPE_POTENTIAL_BROWSER bit and it sent no ballot, so it takes no part in elections")
			he.Needs = []Need{{Field: "browser", Text: "a browser service that takes part in elections (Samba: local master = yes; Windows: MaintainServerList = Yes or Auto)"}}
		} else if n, first := forcedBy(g, h.Name); n > 0 {
			b.WriteString("; it forced " + itoa(n) + " election(s) (the first at frame " + itoa(first) + ") with a version 0 or criteria 0 ballot, " +
				"as a client or browser that cannot find its master does, and such a ballot wins nothing: it is not a candidate")
			he.Frames = append(he.Frames, first)
		} else if !h.Away {
			b.WriteString("; it sent no ballot and no announcement with a browser bit: it is not a potential browser")
		}
	case p.Winner == h.Name, p.Winner == "":
		b.WriteString("; " + p.Text)
	default:
		b.WriteString("; in an election held now " + p.Winner + " would win")
		w := &p.Contenders[0]
		if c.Ballot != nil {
			_, field, phrase := compareAt(*w.Ballot, w.BallotAt, *c.Ballot, c.BallotAt)
			b.WriteString(" over " + h.Name + " on " + field + ": " + phrase)
		} else {
			b.WriteString(" (no ballot of " + h.Name + " was heard: its criteria are not known)")
		}
		he.Needs = needs(c, w)
	}
}

// hearingNote says when h and the master accept different broadcasts.
func hearingNote(s *Snapshot, g *Group, h *Host) string {
	if !h.Broadcast.IsValid() {
		return ""
	}
	for _, m := range g.LMB {
		for _, o := range s.Hosts {
			if o.Segment == g.Segment && o.Name == m && o.Broadcast.IsValid() && o.Broadcast != h.Broadcast {
				return " (" + h.Name + " accepts " + AddrString(h.Broadcast) + ", " + m + " broadcasts to " + AddrString(o.Broadcast) +
					": they cannot hear each other's elections)"
			}
		}
	}
	return ""
}

func electionRecord(g *Group, id int) *ElectionRecord {
	for _, e := range g.Elections {
		if e.ID == id && id != 0 {
			return e
		}
	}
	return nil
}

// lastCandidacy is host's candidacy in the latest election it sent a
// ballot in.
func lastCandidacy(g *Group, host string) (*Candidate, *ElectionRecord) {
	for i := len(g.Elections) - 1; i >= 0; i-- {
		for _, c := range g.Elections[i].Candidates {
			if c.Host == host {
				return c, g.Elections[i]
			}
		}
	}
	return nil, nil
}

// forcedBy counts the elections of g that host forced, with the first one's
// frame.
func forcedBy(g *Group, host string) (n, first int) {
	for _, e := range g.Elections {
		if e.Forced && e.StartedBy == host {
			if n == 0 {
				first = e.StartFrame
			}
			n++
		}
	}
	return n, first
}

func lastRemoval(g *Group, host string) *Removal {
	for i := len(g.Removed) - 1; i >= 0; i-- {
		if g.Removed[i].Server.Name == host {
			return g.Removed[i]
		}
	}
	return nil
}

// needs lists what c would need to beat w: the fields of the criteria in
// the comparison order, each the least change that wins.
func needs(c, w *Contender) []Need {
	wb := *w.Ballot
	osAbove := func() Need {
		return Need{Field: "os level", Text: "OS level above " + itoa(int(wb.OSLevel())) + " (" + w.Host + "'s)"}
	}
	if c.Ballot == nil {
		if wb.OSLevel() == 255 {
			return []Need{{Field: "os level", Text: "nothing it can set: " + w.Host + " has OS level 255, the highest (lower " + w.Host + "'s os level)"}}
		}
		return []Need{osAbove()}
	}
	cb := *c.Ballot
	if cb.Version < wb.Version {
		return []Need{{Field: "election version", Text: "a browser of election version " + itoa(int(wb.Version)) + " or later (it sends " + itoa(int(cb.Version)) + ")"}}
	}
	var out []Need
	if wb.OSLevel() == 255 {
		out = append(out, Need{Field: "os level", Text: "nothing it can set: " + w.Host + " has OS level 255, the highest (lower " + w.Host + "'s os level)"})
	} else if cb.OSLevel() <= wb.OSLevel() {
		out = append(out, osAbove())
	}
	if cb.OSLevel() == wb.OSLevel() {
		if cb.Criteria&prefMasterBit == 0 {
			p := cb
			p.Criteria |= prefMasterBit
			if orderAt(p, c.BallotAt, wb, w.BallotAt) > 0 {
				out = append(out, Need{Field: "preferred master", Text: "preferred master"})
			}
		}
		// The running master and backup bits are state, not settings:
		// with the same settings the longer uptime wins (twopreferred
		// capture: every restart hands the role to the other one).
		const running = RoleMasterBit | runningBackupBit
		if cb.Criteria&^running == wb.Criteria&^running {
			out = append(out, Need{Field: "uptime", Text: "a longer uptime than " + w.Host + "'s (with the same settings the longer uptime wins: it wins when " + w.Host + " restarts)"})
		}
	}
	return out
}

// The criteria role bits of a preferred master and of a running backup
// browser ([MS-BRWS] §2.2.3 Role 0x08 and 0x01).
const (
	prefMasterBit    = uint32(dissect.RolePreferredMaster)
	runningBackupBit = uint32(dissect.RoleBackup)
)

func explainList(s *Snapshot, g *Group, h *Host, he *HostExplanation) {
	where := g.Workgroup + " on " + g.Segment
	var b strings.Builder
	if e := g.Server(h.Name); e != nil {
		he.Listed = true
		b.WriteString(h.Name + " is in the Browse List of " + where + " since " + fmtTime(e.FirstSeen) + " (frame " + itoa(e.FirstFrame) + ")")
		if e.Source == SourceAnnouncement {
			b.WriteString(", announced last at " + fmtTime(e.LastSeen) + " (frame " + itoa(e.LastFrame) + ")")
			if e.Periodicity > 0 {
				b.WriteString(", next due " + fmtTime(e.LastSeen.Add(e.Periodicity)) + " (every " + fmtDur(e.Periodicity) + ")")
			}
		} else {
			b.WriteString(", only from a " + e.Source + " list (frame " + itoa(e.LastFrame) + "): it has not announced itself here")
		}
		b.WriteString("; the entry expires at " + fmtTime(e.Expires) + " unless it is announced again")
		he.Frames = append(he.Frames, e.FirstFrame, e.LastFrame)
	} else if r := lastRemoval(g, h.Name); r != nil {
		if r.Expired {
			b.WriteString(h.Name + " is not in the Browse List of " + where + ": its entry expired at " + fmtTime(r.Time) +
				", not announced since " + fmtTime(r.Server.LastSeen) + " (frame " + itoa(r.Server.LastFrame) + "; " + r.Reason + ")")
		} else {
			b.WriteString(h.Name + " is not in the Browse List of " + where + ": removed at " + fmtTime(r.Time) +
				" (frame " + itoa(r.Frame) + ", " + r.Reason + ")")
		}
		he.Frames = append(he.Frames, r.Frame)
	} else if other := otherWorkgroups(s, g, h.Name); len(other) > 0 {
		b.WriteString(h.Name + " is not in the Browse List of " + where + ": it announced itself to " + strings.Join(other, ", ") +
			", not " + g.Workgroup)
	} else {
		b.WriteString(h.Name + " is not in the Browse List of " + where + ": it never announced itself (no HostAnnouncement heard)")
		if due := h.FirstSeen.Add(AnnounceSteps[0]); due.After(s.Time) {
			b.WriteString("; a browser announces itself one minute after it starts: due by " + fmtTime(due))
		}
	}
	if he.Listed {
		// The lists of the other workgroups of the segment do not hold
		// it: a workgroup name typo shows here (typo capture: ACCT7 in
		// WROKGROUP is in no list of WORKGROUP).
		for _, o := range s.Groups {
			if o.Segment == g.Segment && o.Workgroup != g.Workgroup && o.Server(h.Name) == nil && len(o.Servers) > 0 {
				b.WriteString("; it is not in the Browse List of " + o.Workgroup + " on " + o.Segment + ": it announced itself to " +
					g.Workgroup + ", not " + o.Workgroup)
			}
		}
	}
	he.ListWhy = b.String()
	he.Subnets = subnetsNote(s, g, h.Name)
}

// otherWorkgroups lists the workgroups on g's segment whose Browse List
// holds name.
func otherWorkgroups(s *Snapshot, g *Group, name string) []string {
	var out []string
	for _, o := range s.Groups {
		if o.Segment == g.Segment && o.Workgroup != g.Workgroup && o.Server(name) != nil {
			out = append(out, o.Workgroup)
		}
	}
	return out
}

// subnetsNote says whether name is listed on the other segments of g's
// workgroup, and why not.
func subnetsNote(s *Snapshot, g *Group, name string) string {
	others := otherSegments(s, g)
	if len(others) == 0 {
		return ""
	}
	var on, off []string
	for _, o := range s.Groups {
		if o.Workgroup != g.Workgroup || o.Segment == g.Segment {
			continue
		}
		if e := o.Server(name); e != nil {
			on = append(on, o.Segment+" (from "+e.Source+", frame "+itoa(e.LastFrame)+")")
		} else {
			off = append(off, o.Segment)
		}
	}
	var parts []string
	if len(on) > 0 {
		parts = append(parts, "listed on "+strings.Join(on, ", "))
	}
	if len(off) > 0 {
		why := "not listed on " + strings.Join(off, ", ")
		dmb, dmbSeg := workgroupDMB(s, g.Workgroup)
		// The exchange that would carry it: this segment's local master
		// with the DMB, or, when the DMB is on this segment, the other
		// segments' local masters with it.
		var last time.Time
		for _, l := range s.Links {
			if l.Workgroup != g.Workgroup || !l.Last.After(last) {
				continue
			}
			if (dmbSeg == g.Segment && slices.Contains(off, l.LMBSegment)) || (dmbSeg != g.Segment && l.LMBSegment == g.Segment) {
				last = l.Last
			}
		}
		who := g.Segment + "'s local master"
		if dmbSeg == g.Segment {
			who = "the local master of " + strings.Join(off, ", ")
		}
		switch {
		case dmb == "":
			why += ": no domain master browser of " + g.Workgroup + " is known, and lists cross subnets only through it"
		case last.IsZero():
			why += ": not synced through the domain master browser " + dmb + " (no exchange between " + who + " and it was seen; they exchange lists every " +
				fmtDur(DMBSyncPeriod) + ")"
		default:
			why += ": the last exchange between " + who + " and the domain master browser " + dmb + " was at " + fmtTime(last) +
				"; the next is due by " + fmtTime(last.Add(DMBSyncPeriod))
		}
		parts = append(parts, why)
	}
	return strings.Join(parts, "; ")
}
