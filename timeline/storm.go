package timeline

import (
	"sort"
	"strings"
	"time"
)

// Election storms ([MS-BRWS] §3.3.5.8; Hertel, Implementing CIFS, the
// Browse Service, on browsers that keep forcing elections). Two rules
// raise election_storm: a count, more than StormCount elections of one
// workgroup on one segment within StormWindow; and a pattern, one host
// starting stormPatternCount elections within stormPatternWindow that
// change nothing (the master in office stays master) however far apart
// they are (a host forcing one every five minutes is no count), with
// the evidence that it does not hear the others when it goes on voting
// after a better ballot that was no answer to a weaker one (nofw138
// capture: FWHOST, whose firewall drops UDP 138, sends its ballot every
// two seconds after ALPHA's better one, frames 93-102).

// stormPatternCount and stormPatternWindow: the pattern rule.
const (
	stormPatternCount  = 3
	stormPatternWindow = time.Hour
)

// voter is what one host did in a group's elections, for the pattern.
type voter struct {
	futile []electionStart // elections it started that changed nothing, in the window
	deaf   int             // ballots sent after it lost, not answering a weaker one
	frames []int           // the latest of those
	beaten string          // who beat it the last time
	kept   string          // the master in office that its latest futile election left in office
	raised bool            // the pattern was raised and still holds
}

// countStart applies the count rule to an election host started.
func (t *Tracker) countStart(g *group, host string, at time.Time, frame int) {
	g.starts = append(g.starts, electionStart{at: at, frame: frame, host: host})
	i := 0
	for i < len(g.starts) && at.Sub(g.starts[i].at) > t.cfg.StormWindow {
		i++
	}
	if i > 0 || len(g.starts) > 4*t.cfg.StormCount+16 {
		if n := len(g.starts) - i; n > 4*t.cfg.StormCount+16 {
			i = len(g.starts) - (4*t.cfg.StormCount + 16)
		}
		g.starts = append(g.starts[:0], g.starts[i:]...)
	}
	if len(g.starts) > t.cfg.StormCount {
		if !g.inStorm {
			g.inStorm = true
			t.stormAnomaly(g, at, frame)
		}
	} else {
		g.inStorm = false
	}
}

func (t *Tracker) stormAnomaly(g *group, at time.Time, frame int) {
	counts := map[string]int{}
	var fs []int
	for _, s := range g.starts {
		counts[s.host]++
		fs = append(fs, s.frame)
	}
	hosts := make([]string, 0, len(counts))
	for h := range counts {
		hosts = append(hosts, h)
	}
	sort.Slice(hosts, func(i, j int) bool {
		if counts[hosts[i]] != counts[hosts[j]] {
			return counts[hosts[i]] > counts[hosts[j]]
		}
		return hosts[i] < hosts[j]
	})
	var by []string
	for _, h := range hosts {
		by = append(by, h+" ×"+itoa(counts[h]))
	}
	detail := itoa(len(g.starts)) + " elections for " + g.wg + " on " + g.seg + " within " + fmtDur(t.cfg.StormWindow) +
		" (more than " + itoa(t.cfg.StormCount) + "); started by " + strings.Join(by, ", ")
	top := ""
	if len(hosts) > 0 {
		top = hosts[0]
	}
	if v := g.voters[top]; v != nil && v.deaf > 0 {
		detail += "; " + deafText(top, v)
	}
	t.anomaly(AnomalyElectionStorm, at, frame, g.seg, g.wg, top, t.addrOf(g.seg, top), detail, fs)
}

// voterOf returns (creating) host's record in g, bounded by MaxRounds
// hosts per group (forgotten all at once when full).
func (t *Tracker) voterOf(g *group, host string) *voter {
	v := g.voters[host]
	if v == nil {
		if g.voters == nil || len(g.voters) >= t.cfg.MaxRounds {
			g.voters = make(map[string]*voter)
		}
		v = &voter{}
		g.voters[host] = v
	}
	return v
}

// lateBallot notes a ballot c sent after it had dropped out of run. Only
// one that answers no weaker ballot heard since counts: a browser that
// hears the better ballot stops sending, and takes part again only when
// a ballot it would beat comes (nofw138 capture: BRAVO, frames 151-160,
// answering FWHOST's; FWHOST, answering nothing).
func (t *Tracker) lateBallot(g *group, c *Candidate, frame int) {
	if !c.Dropped || c.Ballot.Forced() {
		return
	}
	if c.provoked {
		c.provoked = false
		return
	}
	v := t.voterOf(g, c.Host)
	t.noteDeaf(g, c.Host)
	v.deaf++
	v.beaten = c.DroppedBy
	v.frames = t.addFrame(v.frames, frame)
}

// provoke marks the dropped-out candidates of run whose ballot beats b,
// sent by host: they may take part again.
func provoke(run *electionRun, host string, b Ballot, at time.Time) {
	for _, o := range run.e.Candidates {
		if o.Dropped && o.Host != host {
			if orderAt(o.Ballot, o.Last, b, at) > 0 {
				o.provoked = true
			}
		}
	}
}

// futile notes an election that ended without changing the local master
// and applies the pattern rule to the host that started it.
func (t *Tracker) futile(g *group, e *ElectionRecord) {
	if e.Incumbent == "" || e.StartedBy == "" || strings.Contains(","+e.Incumbent+",", ","+e.StartedBy+",") {
		return
	}
	for _, h := range strings.Split(e.Incumbent, ",") {
		if g.openRole(RoleLMB, h) == nil {
			return // the master changed
		}
	}
	v := t.voterOf(g, e.StartedBy)
	i := 0
	for i < len(v.futile) && e.Start.Sub(v.futile[i].at) > stormPatternWindow {
		i++
	}
	v.futile = append(v.futile[i:], electionStart{at: e.Start, frame: e.StartFrame, host: e.StartedBy})
	v.kept = e.Incumbent
	t.noteDeaf(g, e.StartedBy)
	if len(v.futile) > 4*stormPatternCount {
		v.futile = v.futile[len(v.futile)-4*stormPatternCount:]
	}
	if len(v.futile) < stormPatternCount {
		v.raised = false
		return
	}
	if v.raised || g.inStorm {
		return
	}
	v.raised = true
	g.inStorm = true // the count rule says no more about this storm
	first, last := v.futile[0], v.futile[len(v.futile)-1]
	n := len(v.futile)
	detail := e.StartedBy + " started " + itoa(n) + " elections for " + g.wg + " on " + g.seg + " within " +
		fmtDur(last.at.Sub(first.at).Round(time.Second)) + " (one every " +
		fmtDur((last.at.Sub(first.at) / time.Duration(n-1)).Round(time.Second)) + " on average), and " +
		e.Incumbent + " stayed local master each time"
	if v.deaf > 0 {
		detail += "; " + deafText(e.StartedBy, v)
	}
	var fs []int
	for _, s := range v.futile {
		fs = append(fs, s.frame)
	}
	fs = append(fs, v.frames...)
	sort.Ints(fs)
	t.anomaly(AnomalyElectionStorm, e.End, e.EndFrame, g.seg, g.wg, e.StartedBy, t.addrOf(g.seg, e.StartedBy), detail, frames(fs...))
}

// deafText says that host went on voting after it lost.
func deafText(host string, v *voter) string {
	s := host + " went on voting after it lost (" + itoa(v.deaf) + " ballot"
	if v.deaf > 1 {
		s += "s"
	}
	s += " after a better one"
	if v.beaten != "" {
		s += ", " + v.beaten + "'s"
	}
	return s + ", none answering a weaker ballot): it does not hear the other browsers"
}
