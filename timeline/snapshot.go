package timeline

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"time"
)

// Snapshot returns an immutable deep copy of the state as of the last
// observation (or Advance). The TUI samples it; the report prints it.
// What the tracker no longer writes to (closed role intervals and
// elections, anomalies, the Browse Lists received) is copied once and
// shared by the snapshots that have it: the terminal UI keeps a ring of
// snapshots, each of which copied all of it again (the 1 GB mix of
// issue 15: 53 snapshots of up to 770 KB, over half of it those).
//
// The state as it stood at an earlier time T is obtained by replaying the
// observations into a new Tracker whose Config.At is T (nothing after T is
// taken, timers stop at T), then calling Finish(T) and Snapshot.
func (t *Tracker) Snapshot() *Snapshot { return t.snapshot(false) }

// FinalSnapshot is Snapshot for a tracker that is done with: after it,
// the tracker must not be used again (no Observe, Advance, Finish or
// Snapshot). Its Browse List entries are handed over as they are, not
// copied: a full list is 16,384 entries of 328 bytes, 5 MB of fresh
// memory written at the end of every --report. The snapshot is the same
// value Snapshot would give.
func (t *Tracker) FinalSnapshot() *Snapshot { return t.snapshot(true) }

// snapshot is Snapshot; final hands over the Browse List entries
// (FinalSnapshot).
func (t *Tracker) snapshot(final bool) *Snapshot {
	servers := cloneServers
	if final {
		servers = handOverServers
	}
	s := &Snapshot{Time: t.now, First: t.first, Last: t.last, Observations: t.n}
	groups := t.sortedGroups()
	// A long Browse List is sorted on a goroutine of its own while the
	// hosts and the rest are copied: the goroutine reads the list's index
	// and its entries' names, which nothing here writes before its result
	// is taken (snapGroup, after the hosts).
	ahead := make([]chan []*Server, len(groups))
	for i, g := range groups {
		if g.browse.len() >= sortAheadEntries {
			ahead[i] = make(chan []*Server, 1)
			go func(x *serverIndex, c chan<- []*Server) { c <- x.sorted() }(&g.browse, ahead[i])
		}
	}
	s.Hosts = t.snapHosts()
	for i, g := range groups {
		var sorted []*Server
		if ahead[i] != nil {
			sorted = <-ahead[i]
		} else {
			sorted = g.browse.sorted()
		}
		s.Groups = append(s.Groups, t.snapGroup(g, sorted, final, servers))
	}
	segs := make([]string, 0, len(t.segs))
	for k := range t.segs {
		segs = append(segs, k)
	}
	sort.Strings(segs)
	for _, k := range segs {
		ss := &SegmentState{Segment: k, Domains: servers(sortedServers(t.segs[k].domains))}
		s.Segments = append(s.Segments, ss)
	}
	for _, ns := range t.names {
		s.Names = append(s.Names, ns.clone())
	}
	// (segment, name, suffix) is a name's key: no ties, the order of
	// sort.Slice; without its swaps by reflection.
	slices.SortFunc(s.Names, func(a, b *NameState) int {
		if c := strings.Compare(a.Segment, b.Segment); c != 0 {
			return c
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.Suffix, b.Suffix)
	})
	for _, l := range t.links {
		c := *l
		c.Frames = append([]int(nil), l.Frames...)
		s.Links = append(s.Links, &c)
	}
	sort.Slice(s.Links, func(i, j int) bool {
		a, b := s.Links[i], s.Links[j]
		if a.Workgroup != b.Workgroup {
			return a.Workgroup < b.Workgroup
		}
		if a.LMBSegment+a.LMB != b.LMBSegment+b.LMB {
			return a.LMBSegment+a.LMB < b.LMBSegment+b.LMB
		}
		return a.DMBSegment+a.DMB < b.DMBSegment+b.DMB
	})
	for i := range t.anomalies {
		j := (t.anomalyHead + i) % len(t.anomalies)
		c := t.anomalyCopies[j]
		if c == nil || final {
			a := *t.anomalies[j]
			a.Frames = append([]int(nil), a.Frames...)
			c = &a
			if !final {
				t.anomalyCopies[j] = c
			}
		}
		s.Anomalies = append(s.Anomalies, c)
	}
	s.Diagnoses = t.diagnoses()
	s.Limits = append([]string(nil), t.limitOrder...)
	s.LimitHits = append([]int(nil), t.limitHits...)
	return s
}

// snapHosts copies the hosts, sorted by (segment, name).
func (t *Tracker) snapHosts() []*Host {
	n := t.hosts.len()
	if n == 0 {
		return nil
	}
	// Sorted first, then copied in that order: what reads the hosts
	// after (the forecasts, twice over in the predictions, the report)
	// walks the block in order, not all over it. A flood's hosts, of one
	// segment, are sorted by name by radix (sortByName).
	recs := make([]sortKey[hostRec], 0, n)
	one := true
	t.hosts.all(func(h *hostRec) bool {
		recs = append(recs, sortKey[hostRec]{prefix: namePrefix(h.name), name: h.name, e: h})
		one = one && h.seg == recs[0].e.seg
		return true
	})
	if one {
		sortByName(recs)
	} else {
		slices.SortFunc(recs, func(a, b sortKey[hostRec]) int { // (segment, name) is a host's key: no ties
			if c := strings.Compare(a.e.seg, b.e.seg); c != 0 {
				return c
			}
			return strings.Compare(a.name, b.name)
		})
	}
	// The hosts and their ballots in one block each, not an allocation
	// per host (thousands in a flood).
	hosts := make([]Host, n)
	var ballots []Ballot
	out := make([]*Host, n)
	for i, k := range recs {
		h, x := k.e, &hosts[i]
		*x = Host{Segment: h.seg, Name: h.name, Addr: h.addr, Workgroup: h.wg, FirstSeen: h.first, LastSeen: h.last}
		if h.hasBallot {
			if ballots == nil {
				ballots = make([]Ballot, 0, n)
			}
			ballots = append(ballots, h.ballot)
			x.Ballot, x.BallotAt, x.BallotFrame = &ballots[len(ballots)-1], h.ballotAt, h.ballotFrame
		}
		if r := t.ips.get(h.addr); r != nil && r.bcast.IsValid() {
			x.Broadcast = r.bcast
		}
		x.Away = h.away
		out[i] = x
	}
	return out
}

// sortAheadEntries is the entries of a Browse List from which a snapshot
// sorts it on a goroutine of its own (10,000 entries: about 1 ms, as long
// as copying the hosts).
var sortAheadEntries = 2048

// snapGroup copies g; sorted is its Browse List sorted by name; final:
// the snapshot no other follows (see frozenCopy).
func (t *Tracker) snapGroup(g *group, sorted []*Server, final bool, servers func([]*Server) []*Server) *Group {
	out := &Group{Segment: g.seg, Workgroup: g.wg}
	for _, ri := range g.holders(RoleLMB) {
		out.LMB = append(out.LMB, ri.Host)
	}
	for _, ri := range g.holders(RoleDMB) {
		out.DMB = append(out.DMB, ri.Host)
	}
	for _, ri := range g.holders(RolePDC) {
		out.PDC = append(out.PDC, ri.Host)
	}
	for _, ri := range g.holders(RoleBackup) {
		out.Backups = append(out.Backups, ri.Host)
	}
	for _, ri := range g.holders(RolePotential) {
		out.Potentials = append(out.Potentials, ri.Host)
	}
	out.Servers = servers(sorted)
	// Closed elections and role intervals are copied once and shared by
	// the snapshots after (frozenCopy); not by the final one, which no
	// other follows.
	// The final one gets the records themselves (handOverElection,
	// handOverRole): the tracker is done with them.
	for _, e := range g.elections {
		if final {
			out.Elections = append(out.Elections, handOverElection(e))
		} else {
			out.Elections = append(out.Elections, t.elecHist.frozenCopy(e, (*ElectionRecord).clone))
		}
	}
	for _, r := range g.runs {
		if final {
			out.Elections = append(out.Elections, handOverElection(r.e))
		} else {
			out.Elections = append(out.Elections, r.e.clone())
		}
	}
	for _, ri := range g.history {
		if final {
			out.Roles = append(out.Roles, handOverRole(ri))
		} else {
			out.Roles = append(out.Roles, t.roleHist.frozenCopy(ri, (*RoleInterval).clone))
		}
	}
	for _, ri := range g.open {
		if final {
			out.Roles = append(out.Roles, handOverRole(ri))
		} else {
			out.Roles = append(out.Roles, ri.clone())
		}
	}
	slices.SortStableFunc(out.Roles, func(a, b *RoleInterval) int { // stable, as sort.SliceStable
		if c := a.Begin.Compare(b.Begin); c != 0 {
			return c
		}
		if c := cmp.Compare(a.BeginFrame, b.BeginFrame); c != 0 {
			return c
		}
		if c := strings.Compare(a.Host, b.Host); c != 0 {
			return c
		}
		return strings.Compare(a.Role.String(), b.Role.String()) // as when roles were strings
	})
	for i := range g.lists {
		j := (g.listHead + i) % len(g.lists)
		c := g.listCopy[j]
		if c == nil || final {
			c = g.lists[j].clone()
			if !final {
				g.listCopy[j] = c
			}
		}
		out.Lists = append(out.Lists, c)
	}
	for _, x := range g.removed {
		r := *x
		r.Server = x.Server.copy()
		out.Removed = append(out.Removed, &r)
	}
	sort.Slice(out.Removed, func(i, j int) bool {
		a, b := out.Removed[i], out.Removed[j]
		if !a.Time.Equal(b.Time) {
			return a.Time.Before(b.Time)
		}
		return a.Server.Name < b.Server.Name
	})
	return out
}

// cloneServers copies entries (clone) into one block of records and one
// of evidence frames: a Browse List of thousands of entries is copied with
// three allocations, not two per entry. An entry without frames has nil
// ones, as clone gives; each entry's frames have no room to grow into the
// next one's.
func cloneServers(es []*Server) []*Server {
	if len(es) == 0 {
		return nil
	}
	n := 0
	for _, e := range es {
		n += len(e.Frames)
	}
	vals := make([]Server, len(es))
	frames := make([]int, 0, n)
	out := make([]*Server, len(es))
	for i, e := range es {
		c := &vals[i]
		*c = *e
		c.Frames = nil
		if len(e.Frames) > 0 {
			k := len(frames)
			frames = append(frames, e.Frames...)
			c.Frames = frames[k:len(frames):len(frames)]
		}
		c.grp, c.age, c.timer, c.hash = nil, ageNode[*Server]{}, 0, 0 // a copy is in no table
		out[i] = c
	}
	return out
}

// handOverServers gives entries to a final snapshot as they are: what
// cloneServers would give but the fields the tables use (the tracker is
// done with them) and the room of the frames to grow into.
func handOverServers(es []*Server) []*Server {
	if len(es) == 0 {
		return nil
	}
	for _, e := range es {
		e.Frames = exact(e.Frames)
	}
	return es
}

// exact is s as clone gives it: nil when empty, else with no room to
// grow into (an append makes a copy, never writes past its length).
func exact[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s[:len(s):len(s)]
}

// handOverRole gives ri to a final snapshot as it is: what clone would
// give (frames nil when none, no room to grow into), without the copy.
func handOverRole(ri *RoleInterval) *RoleInterval {
	ri.Frames = exact(ri.Frames)
	return ri
}

// handOverElection gives e to a final snapshot as it is: what clone would
// give (rounds nil when none, candidates never nil, no room to grow into:
// newElection's room past their lengths is not seen), without the copies.
func handOverElection(e *ElectionRecord) *ElectionRecord {
	e.Rounds = exact(e.Rounds)
	if e.Candidates == nil {
		e.Candidates = []*Candidate{}
	} else {
		e.Candidates = e.Candidates[:len(e.Candidates):len(e.Candidates)]
	}
	return e
}

func (ri *RoleInterval) clone() *RoleInterval {
	c := *ri
	c.Frames = append([]int(nil), ri.Frames...)
	return &c
}

func (e *ElectionRecord) clone() *ElectionRecord {
	c := *e
	c.Candidates = make([]*Candidate, len(e.Candidates))
	for i, x := range e.Candidates {
		y := *x
		c.Candidates[i] = &y
	}
	c.Rounds = append([]Round(nil), e.Rounds...)
	return &c
}

func (ns *NameState) clone() *NameState {
	c := *ns
	c.age = ageNode[*NameState]{} // a copy is in no table
	c.Owners = make([]*Owner, len(ns.Owners))
	for i, o := range ns.Owners {
		x := *o
		x.takenBy = nil
		c.Owners[i] = &x
	}
	c.Answers = make([]*Answer, len(ns.Answers))
	for i, a := range ns.Answers {
		x := *a
		c.Answers[i] = &x
	}
	return &c
}

// Group returns the state of wg on seg, or nil.
func (s *Snapshot) Group(seg, wg string) *Group {
	for _, g := range s.Groups {
		if g.Segment == seg && g.Workgroup == wg {
			return g
		}
	}
	return nil
}

// Server returns the Browse List entry name, or nil. g.Servers must be
// sorted by name, as Snapshot makes it.
func (g *Group) Server(name string) *Server {
	// Servers is sorted by name (Snapshot): a binary search, so that the
	// report's forecasts, which look up every new host of a group, cost
	// O(hosts log entries) and not O(hosts x entries) (issue 15: 10,000
	// hosts announcing in one workgroup spent half of --report here).
	i, ok := slices.BinarySearchFunc(g.Servers, name, func(e *Server, n string) int { return strings.Compare(e.Name, n) })
	if !ok {
		return nil
	}
	return g.Servers[i]
}

// serverCursor looks up the Browse List entries of a group by name, as
// Group.Server does: names asked in increasing order, as the hosts of a
// snapshot come (by segment and name), walk the sorted list once; a name
// out of that order is searched for.
type serverCursor struct {
	g    *Group
	i    int    // g.Servers[:i] are before the last name asked
	last string // the last name asked in order
}

func (c *serverCursor) get(name string) *Server {
	if name < c.last {
		return c.g.Server(name)
	}
	c.last = name
	sv := c.g.Servers
	for c.i < len(sv) && sv[c.i].Name < name {
		c.i++
	}
	if c.i < len(sv) && sv[c.i].Name == name {
		return sv[c.i]
	}
	return nil
}

// RolesOf lists the intervals of role, in time order.
func (g *Group) RolesOf(role Role) []*RoleInterval {
	var out []*RoleInterval
	for _, ri := range g.Roles {
		if ri.Role == role {
			out = append(out, ri)
		}
	}
	return out
}

// HeldAt reports whether the interval covers t.
func (ri *RoleInterval) HeldAt(t time.Time) bool {
	return !t.Before(ri.Begin) && (ri.End.IsZero() || t.Before(ri.End))
}
