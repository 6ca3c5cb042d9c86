package timeline

import (
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Elections per segment and workgroup ([MS-BRWS] §2.2.3 RequestElection,
// §3.3.5.8 Receiving a RequestElection Frame; the Leach/Naik browser draft;
// Hertel, Implementing CIFS, the Browse Service). What starts, orders and
// ends one is described in doc.go.

// electionRun is the working state of a running election.
type electionRun struct {
	e *ElectionRecord
	// aud is the broadcast address the election is held on: the hosts
	// that accept it hear its ballots (hearing.go). A group has one
	// election per audience at a time: on the mask25 capture PC7's
	// ballots to 198.18.1.127 and the others' to 198.18.1.255 are two
	// elections that never meet.
	aud       netip.Addr
	leader    *Candidate
	lastRound time.Time
	lastFrame int
	seq       uint64
	unending  bool
}

// electionBlock is a new election's record with room for its first
// rounds and candidates, in one allocation (1,320 bytes, in the 1,408
// size class): the NBT-dense mix opens 2,680 elections, 85% of 6 rounds
// or fewer, 87% of one or two candidates. A record the history forgot
// is used again (freeElection), with what it grew.
type electionBlock struct {
	rec    ElectionRecord
	rounds [6]Round
	cands  [2]Candidate
	candp  [2]*Candidate
}

// newElection is a record for an election, zero but for the room of its
// rounds and candidates: one the history forgot (Tracker.elecFree) or a
// new block. Its Candidates, past their length, hold the records to
// reuse for the candidates (addRound), nil where there is none.
func (t *Tracker) newElection() *ElectionRecord {
	if e := popFree(&t.elecFree); e != nil {
		*e = ElectionRecord{Rounds: e.Rounds[:0], Candidates: e.Candidates[:0]}
		return e
	}
	blk := new(electionBlock)
	blk.candp = [2]*Candidate{&blk.cands[0], &blk.cands[1]}
	e := &blk.rec
	e.Rounds, e.Candidates = blk.rounds[:0], blk.candp[:0]
	return e
}

// freeElection keeps e, a closed election no group keeps any more (the
// history's queue has passed it: nothing else holds a record, its run or
// its candidates then; snapshots copy them), for newElection. A burst (the
// history's compaction frees hundreds at once) is kept up to
// maxElectionFree.
func (t *Tracker) freeElection(e *ElectionRecord) {
	if len(t.elecFree) < maxElectionFree {
		t.elecFree = append(t.elecFree, e)
	}
}

// maxElectionFree bounds Tracker.elecFree (about 1.5 MB).
const maxElectionFree = 1024

// candidate is the candidate host of the election (in its Candidates,
// at most MaxRounds, with different hosts), or nil. A scan, not a map: an
// election has a few candidates (5.4 ballots each on the NBT-dense mix),
// and a map was two allocations an election and a hash each ballot.
func (r *electionRun) candidate(host string) *Candidate {
	for _, c := range r.e.Candidates {
		if c.Host == host {
			return c
		}
	}
	return nil
}

// onElection handles a RequestElection.
func (t *Tracker) onElection(v *Election) {
	m := &v.Meta
	var p place
	p.seg, p.aud, p.bcast, p.foreign = t.placeOf(m, m.DstGroup)
	seg := p.seg
	b := v.Ballot
	name := t.canonName(m.SrcName)
	if name == "" {
		name = t.canonName(b.Name)
	}
	if name == "" {
		name = t.nameOf(m.Src)
	}
	if name == "" {
		name = AddrString(m.Src)
	}
	wg := t.canonName(m.DstName)
	if m.DstSuffix != 0x1e {
		if h := t.findHost(seg, name); h != nil && h.wg != "" {
			wg = h.wg
		}
		t.wrongName(seg, wg, name, m, "RequestElection", 0x1e)
	}
	// The destination counts: the same ballot sent to another broadcast
	// address is heard by other hosts (relay capture: AMASTER's frame 122
	// on subnet A, forwarded to subnet B as frame 123 3 ms later).
	f := newFP('E')
	f.addr(m.Src)
	f.addr(m.Dst)
	f.str(wg)
	f.u64(uint64(b.Version)<<32 | uint64(b.Criteria))
	f.u64(uint64(b.Uptime))
	f.str(b.Name)
	if t.duplicate(f, m.Time) {
		return
	}
	t.setName(m.Src, name, m.Time)
	h := t.host(seg, name, m.Src, m.Time)
	if h.wg == "" {
		h.wg = wg
	}
	t.ballotOn(m, seg, wg, name, b)
	g := t.group(seg, wg, m.Time)

	restarted := false
	if h.hasBallot && !b.Forced() {
		was := uptimeMS(h.ballot.Uptime, m.Time.Sub(h.ballotAt))
		if int64(b.Uptime)+20000 < was {
			restarted = true
			h.since = m.Time
			t.endHostRoles(g, name, m.Time, m.Frame, "restarted: its uptime went back from "+
				formatUptime(was)+" to "+formatUptime(int64(b.Uptime)))
		}
	}

	run := g.runFor(p.aud)
	if run != nil {
		c := run.candidate(name)
		switch {
		case b.Forced() && (c == nil || m.Time.Sub(c.Last) > t.cfg.ElectionSettle):
			// A forced ballot restarts the election on every browser
			// (storm capture: each of CLIENT's makes ALPHA, BRAVO and
			// CHARLIE log "Starting election"); the same sender repeating
			// it within ElectionSettle is a retransmission.
			t.endElection(g, run, OutcomeSuperseded, "", m.Time, m.Frame, name+" forced a new election")
			run = nil
		case c != nil && c.Dropped && c.Ballot.Forced() && !b.Forced():
			// The browser that forced the election takes part in it
			// with its real ballot (Wireshark wiki capture: OBSIDIAN's
			// forced ballot in frame 102, its own in 106): one election.
			// Its forced ballot lost to anything; the real one is judged
			// afresh.
			c.Dropped = false
		case c != nil && c.Dropped && m.Time.Sub(c.DroppedAt) > time.Second && !isResend(c, b, m.Time):
			t.lateBallot(g, c, m.Frame)
			t.endElection(g, run, OutcomeSuperseded, "", m.Time, m.Frame, name+" started a new election after dropping out")
			run = nil
		case c != nil && restarted:
			t.endElection(g, run, OutcomeSuperseded, "", m.Time, m.Frame, name+" restarted and started a new election")
			run = nil
		}
	}
	if run == nil {
		run = t.startElection(g, name, v, p)
	}
	t.addRound(g, run, name, v)

	// A master steps down as soon as it hears a better ballot; one that
	// cannot hear it stays master.
	var lmbs [4]*RoleInterval
	for _, o := range g.appendHolders(lmbs[:0], RoleLMB) {
		if o.Host == name {
			continue
		}
		heard, sure := t.hears(o.Addr, m.Dst)
		if !heard {
			continue
		}
		oh := t.findHost(seg, o.Host)
		if oh == nil || !oh.hasBallot {
			continue
		}
		if c, field, phrase := compareAt(b, m.Time, effectiveBallot(oh), oh.ballotAt); c > 0 {
			reason := "heard " + name + "'s better ballot (" + field + ": " + phrase + ")"
			if !sure {
				reason += uncertain(o.Host, m.Dst)
			}
			t.endRole(g, o, m.Time, m.Frame, reason, run.e.ID, frames(oh.ballotFrame))
			if run.e.Incumbent == o.Host && run.e.IncumbentEnd == 0 {
				run.e.IncumbentEnd = m.Frame
			}
		}
	}
	if !b.Forced() {
		h.ballot, h.ballotAt, h.ballotFrame, h.hasBallot = b, m.Time, m.Frame, true
	}
	t.scheduleElection(g, run)
}

// ballotResendGap bounds the time between a candidate's ballot and its
// resend. Windows sends its RequestElection again about once a second
// while the election runs (Wireshark wiki capture: OBSIDIAN's frames 13,
// 15, 17 and 19, 1.000 s apart; the Honeynet capture's frames 22-25),
// Samba every two seconds (election capture: ALPHA's frames 26-30); twice
// the slower of the two allows for one frame the capture missed.
const ballotResendGap = 4 * time.Second

// isResend says whether b, from candidate c at time at, repeats c's
// previous ballot in this election rather than opening a new election: a
// browser sends its RequestElection several times while the election runs
// ([MS-BRWS] §3.3.5.8 Receiving a RequestElection Frame, and the election
// timer that re-sends it; the Leach/Naik browser draft, "Elections";
// Hertel, Implementing CIFS, the Browse Service), and keeps sending the
// ballot it started with for a while even after hearing a better one. A
// resend has the same version, criteria and name, comes within
// ballotResendGap, and its uptime has not advanced (Windows: OBSIDIAN's
// uptime is 7467421 ms in all of frames 13-19, 3 s apart; TUMBLEWEED's
// 7473625 in frames 14-31) or has advanced by no more than the time
// elapsed (Samba recomputes it for each frame, in whole seconds: ALPHA's
// 6000, 8000, ... 2.0025 s apart). In the wiki capture OBSIDIAN's frame 17
// comes 1.89 s after TUMBLEWEED's better ballot (frame 14) knocked it out:
// without this rule each ~5-minute election cycle of that capture was
// counted twice.
func isResend(c *Candidate, b Ballot, at time.Time) bool {
	p := c.Ballot
	if b.Version != p.Version || b.Criteria != p.Criteria || canon(b.Name) != canon(p.Name) {
		return false
	}
	gap := at.Sub(c.Last)
	if gap < 0 || gap > ballotResendGap {
		return false
	}
	adv := int64(b.Uptime) - int64(p.Uptime)
	return adv >= 0 && adv <= gap.Milliseconds()+1000
}

// startElection opens an election with v, heard as p, as its first
// ballot. The local masters in office are those that hear it.
func (t *Tracker) startElection(g *group, name string, v *Election, p place) *electionRun {
	m := &v.Meta
	t.electionSeq++
	e := t.newElection()
	e.ID, e.Segment, e.Workgroup, e.Start, e.StartFrame = t.electionSeq, g.seg, g.wg, m.Time, m.Frame
	e.StartedBy, e.Forced, e.Running = name, v.Ballot.Forced(), true
	var inc []string
	var lmbs [4]*RoleInterval
	for _, o := range g.appendHolders(lmbs[:0], RoleLMB) {
		if heard, _ := t.hears(o.Addr, p.aud); heard {
			inc = append(inc, o.Host)
		}
	}
	e.Incumbent = strings.Join(inc, ",")
	run := popFree(&t.runFree)
	if run == nil {
		run = new(electionRun)
	}
	*run = electionRun{e: e, aud: p.aud}
	g.runs = append(g.runs, run)

	if t.emit != nil {
		detail := name + " started an election"
		if e.Forced {
			detail = "forced election (version " + itoa(int(v.Ballot.Version)) + ", criteria " +
				hexString(uint64(v.Ballot.Criteria), 8) + ") from " + name
		}
		if e.Incumbent != "" {
			detail += "; local master in office: " + e.Incumbent
		} else {
			detail += "; no local master in office"
		}
		t.send(Event{Time: m.Time, Frame: m.Frame, Kind: KindElectionStart, Segment: g.seg, Workgroup: g.wg, Host: name,
			Addr: m.Src, Detail: detail, Frames: frames(m.Frame),
			Data: &ElectionStart{Election: e.ID, Ballot: v.Ballot, Forced: e.Forced}})
	}

	t.countStart(g, name, m.Time, m.Frame)
	return run
}

func (t *Tracker) addrOf(seg, host string) netip.Addr {
	if h := t.findHost(seg, host); h != nil {
		return h.addr
	}
	return netip.Addr{}
}

// addRound records one ballot and who it knocked out.
func (t *Tracker) addRound(g *group, run *electionRun, name string, v *Election) {
	m := &v.Meta
	e := run.e
	b := v.Ballot
	n := len(e.Rounds) + e.RoundsDropped + 1
	if len(e.Rounds) < t.cfg.MaxRounds {
		e.Rounds = append(e.Rounds, Round{N: n, Time: m.Time, Frame: m.Frame, Host: name, Ballot: b})
	} else {
		e.RoundsDropped++
	}
	c := run.candidate(name)
	if c != nil {
		t.lateBallot(g, c, m.Frame)
	}
	provoke(run, name, b, m.Time)
	if c == nil {
		if i := len(e.Candidates); i < cap(e.Candidates) && i < t.cfg.MaxRounds && e.Candidates[:i+1][i] != nil {
			c = e.Candidates[:i+1][i] // newElection's room
			*c = Candidate{Host: name, Addr: m.Src, First: m.Time, FirstFrame: m.Frame}
		} else {
			c = &Candidate{Host: name, Addr: m.Src, First: m.Time, FirstFrame: m.Frame}
		}
		if len(e.Candidates) < t.cfg.MaxRounds {
			e.Candidates = append(e.Candidates, c)
		}
	}
	c.Ballot, c.Last, c.LastFrame, c.dst = b, m.Time, m.Frame, m.Dst
	c.Ballots++
	run.lastRound, run.lastFrame = m.Time, m.Frame
	if t.emit != nil {
		t.send(Event{Time: m.Time, Frame: m.Frame, Kind: KindElectionBallot, Segment: g.seg, Workgroup: g.wg, Host: name,
			Addr: m.Src, Frames: frames(m.Frame), Data: &ElectionBallot{Election: e.ID, Round: n, Ballot: b}})
	}

	l := run.leader
	switch {
	case l == nil:
		run.leader = c
	case l == c:
	default:
		// A candidate drops out at a better ballot it hears; one that
		// cannot hear it goes on (relay capture: AMASTER's ballots
		// forwarded to subnet B, where nothing answers it).
		if orderAt(l.Ballot, l.Last, b, m.Time) > 0 {
			if heard, _ := t.hears(c.Addr, l.dst); !c.Dropped && heard {
				t.dropOut(g, run, c, l, m.Time, m.Frame)
			}
			return
		}
		c.Dropped = false
		run.leader = c
		for _, o := range e.Candidates {
			if heard, _ := t.hears(o.Addr, m.Dst); o != c && !o.Dropped && heard {
				t.dropOut(g, run, o, c, m.Time, m.Frame)
			}
		}
	}
}

// dropOut marks c beaten by by's ballot.
func (t *Tracker) dropOut(g *group, run *electionRun, c, by *Candidate, at time.Time, frame int) {
	c.Dropped, c.DroppedAt, c.DroppedFrame, c.DroppedBy = true, at, frame, by.Host
	if t.emit == nil {
		return
	}
	_, field, phrase := compareAt(by.Ballot, by.Last, c.Ballot, c.Last)
	t.send(Event{Time: at, Frame: frame, Kind: KindElectionDropout, Segment: g.seg, Workgroup: g.wg, Host: c.Host,
		Addr: c.Addr, Detail: by.Host + "'s ballot beat it on " + field + ": " + phrase, Frames: frames(c.LastFrame, frame),
		Data: &ElectionDropout{Election: run.e.ID, By: by.Host}})
}

// scheduleElection sets the election's next timer: the settle time when
// the master in office leads, the timeout, or the "never ends" check.
func (t *Tracker) scheduleElection(g *group, run *electionRun) {
	at := run.lastRound.Add(t.cfg.ElectionTimeout)
	if t.incumbentSettles(g, run) {
		if s := run.lastRound.Add(t.cfg.ElectionSettle); s.Before(at) {
			at = s
		}
	}
	if !run.unending {
		if s := run.e.Start.Add(t.cfg.ElectionTimeout); s.Before(at) {
			at = s
		}
	}
	run.seq = t.pushTimer(timer{at: at, kind: timerElection, g: g, run: run})
}

// incumbentSettles reports an election the master in office leads, in
// office by the time the ballots settled (ElectionSettle after the last):
// it kept the role, and the election ended at its last ballot. A leader
// that took office later (announcing itself where the election was not
// held: another broadcast address of the segment) was not in office when
// the ballots settled; the election times out instead, and its end never
// comes more than ElectionSettle behind the events already sent
// (FuzzTracker).
func (t *Tracker) incumbentSettles(g *group, run *electionRun) bool {
	if run.leader == nil {
		return false
	}
	ri := g.openRole(RoleLMB, run.leader.Host)
	return ri != nil && !ri.Begin.After(run.lastRound.Add(t.cfg.ElectionSettle))
}

// leaderInOffice reschedules the elections of g that host leads when it
// takes office as local master there without ending them (claimMaster
// ends only the election on the broadcast address its claim went to):
// they now settle ElectionSettle after their last ballot, not at the
// timeout, so their ends are not sent late.
func (t *Tracker) leaderInOffice(g *group, host string) {
	for _, run := range g.runs {
		if run.leader != nil && run.leader.Host == host && t.incumbentSettles(g, run) {
			t.scheduleElection(g, run)
		}
	}
}

// electionTimer runs when an election's timer comes due.
func (t *Tracker) electionTimer(g *group, run *electionRun, at time.Time) {
	switch {
	case t.incumbentSettles(g, run) && !at.Before(run.lastRound.Add(t.cfg.ElectionSettle)):
		// It ended with the last ballot, the frame it cites; the settle
		// time only let the tracker know (its event comes that much later
		// than its time).
		t.endElection(g, run, OutcomeKept, run.leader.Host, run.lastRound, run.lastFrame,
			"the local master in office led and the ballots stopped")
		return
	case !at.Before(run.lastRound.Add(t.cfg.ElectionTimeout)):
		leader := ""
		if run.leader != nil {
			leader = run.leader.Host
		}
		t.endElection(g, run, OutcomeTimeout, "", at, run.lastFrame,
			"no local master announced within "+fmtDur(t.cfg.ElectionTimeout)+" of the last ballot")
		t.anomaly(AnomalyElectionTimeout, at, run.lastFrame, g.seg, g.wg, leader, t.addrOf(g.seg, leader),
			"election "+itoa(run.e.ID)+" for "+g.wg+" ended without a LocalMasterAnnouncement (last ballot frame "+
				itoa(run.lastFrame)+")", frames(run.e.StartFrame, run.lastFrame))
		return
	case !run.unending && !at.Before(run.e.Start.Add(t.cfg.ElectionTimeout)):
		run.unending = true
		t.anomaly(AnomalyElectionUnending, at, run.lastFrame, g.seg, g.wg, run.e.StartedBy, t.addrOf(g.seg, run.e.StartedBy),
			"election "+itoa(run.e.ID)+" for "+g.wg+" has been running for more than "+fmtDur(t.cfg.ElectionTimeout)+
				" ("+itoa(len(run.e.Rounds)+run.e.RoundsDropped)+" ballots)", frames(run.e.StartFrame, run.lastFrame))
	}
	t.scheduleElection(g, run)
}

// candidateAway notes a candidate leaving; an election whose leader
// leaves is aborted (no one else will claim the role: they already lost).
func (t *Tracker) candidateAway(g *group, host string, at time.Time, frame int) {
	for _, run := range slices.Clone(g.runs) {
		c := run.candidate(host)
		if c == nil {
			continue
		}
		c.WentAway = true
		if run.leader == c {
			t.endElection(g, run, OutcomeAborted, "", at, frame, "the leading candidate "+host+" went away")
		}
	}
}

// runFor is g's running election held on the broadcast address aud.
func (g *group) runFor(aud netip.Addr) *electionRun {
	for _, r := range g.runs {
		if r.aud == aud {
			return r
		}
	}
	return nil
}

// hasRun says whether run is one of g's running elections.
func (g *group) hasRun(run *electionRun) bool { return slices.Contains(g.runs, run) }

// endElection closes an election and says why it ended the way it did.
func (t *Tracker) endElection(g *group, run *electionRun, outcome Outcome, winner string, at time.Time, frame int, reason string) {
	e := run.e
	e.Running = false
	e.End, e.EndFrame, e.Outcome, e.Winner = at, frame, outcome, winner
	ran := false
	if i := slices.Index(g.runs, run); i >= 0 {
		g.runs = slices.Delete(g.runs, i, i+1)
		ran = true
	}

	leader := ""
	if run.leader != nil {
		leader = run.leader.Host
	}
	var rigged string
	var riggedFrames []int
	switch outcome {
	case OutcomeWon, OutcomeKept:
		e.Why, e.RunnerUp, rigged, riggedFrames = t.why(g, run, winner)
		e.Why += t.unheard(g, run)
		e.Flagged = rigged != ""
		e.FlagDetail = rigged
	default:
		e.Why = reason
		if leader != "" && outcome != OutcomeAborted {
			e.Why += "; " + leader + " led"
		}
	}
	if outcome != OutcomeUnfinished && (outcome != OutcomeWon || e.Incumbent == winner) {
		t.futile(g, e)
	}
	t.elecHist.keep(t, g, e, t.cfg.MaxElections)
	host := winner
	if host == "" {
		host = leader
	}
	if t.emit != nil {
		t.send(Event{Time: at, Frame: frame, Kind: KindElectionEnd, Segment: g.seg, Workgroup: g.wg, Host: host,
			Addr: t.addrOf(g.seg, host), Reason: reason, Frames: frames(e.StartFrame, frame),
			Data: &ElectionEnd{Election: e.ID, Outcome: outcome, Winner: winner, RunnerUp: e.RunnerUp, Why: e.Why, Flagged: e.Flagged}})
	}
	if rigged != "" {
		t.anomaly(AnomalyRiggedElection, at, frame, g.seg, g.wg, winner, t.addrOf(g.seg, winner), rigged, riggedFrames)
	}
	if outcome == OutcomeWon || outcome == OutcomeKept {
		t.notePreferred(g, run)
	}
	if ran && len(t.runFree) < maxRunFree {
		// The run is the next election's (startElection writes it
		// afresh: until then the callers that ended it still read it).
		// Its timers stay in the heap, told stale by their seq
		// (timerLive): the next run's timers get new ones.
		t.runFree = append(t.runFree, run)
	}
}

// maxRunFree bounds Tracker.runFree (a group runs one election per
// audience at a time: a few are enough).
const maxRunFree = 16
