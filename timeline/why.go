package timeline

import (
	"sort"
	"strings"
	"time"
)

// Why an election was won or kept: the winner against its strongest real
// rival, compared in the Browse Service order ([MS-BRWS] §3.3.5.8; Samba
// nmbd_elections.c win_election). The rivals are the other candidates and
// the local master in office when the election started, which may lose
// without a ballot of its own in the election (Samba stops being master at
// the first better ballot it hears and sends none: os255 capture, DMB at
// BIGOS's frame 101), with the ballot it last sent and the master bit set.
// A forced ballot (version 0 or criteria 0) is no rival: it can only call
// an election, never win one (storm capture: CLIENT's).

// rival is a host the winner is compared with.
type rival struct {
	host     string
	ballot   Ballot
	at       time.Time
	frame    int
	wentAway bool
	office   bool // the master in office, without a ballot in this election
}

// rivals lists the winner's real rivals in an election: its other
// candidates that sent a real ballot, then the masters in office at its
// start that sent none in it, with the ballot they last sent. forced lists
// the candidates that only forced it. The rivals are appended to out (why
// passes an array of its own: most elections have a rival or two).
func (t *Tracker) rivals(out []rival, g *group, run *electionRun, winner string) (_ []rival, forced []string) {
	for _, c := range run.e.Candidates {
		if c.Host == winner {
			continue
		}
		if c.Ballot.Forced() {
			forced = append(forced, c.Host)
			continue
		}
		out = append(out, rival{host: c.Host, ballot: c.Ballot, at: c.Last, frame: c.LastFrame, wentAway: c.WentAway})
	}
	if run.e.Incumbent == "" {
		return out, forced
	}
	for _, h := range strings.Split(run.e.Incumbent, ",") {
		if h == winner || run.candidate(h) != nil {
			continue
		}
		r := rival{host: h, office: true}
		if hr := t.findHost(g.seg, h); hr != nil && hr.hasBallot {
			r.ballot, r.at, r.frame = effectiveBallot(hr), hr.ballotAt, hr.ballotFrame
		}
		out = append(out, r)
	}
	return out, forced
}

// stronger says whether a is the stronger rival: a ballot beats none.
func stronger(a, b *rival) bool {
	if a.frame == 0 || b.frame == 0 {
		return a.frame != 0
	}
	c := orderAt(a.ballot, a.at, b.ballot, b.at)
	return c > 0
}

// why explains a won or kept election: the winner against its strongest
// real rival. A winner whose ballot loses to a candidate still present is
// flagged.
func (t *Tracker) why(g *group, run *electionRun, winner string) (why, runnerUp, rigged string, fs []int) {
	var buf [4]rival
	rs, forced := t.rivals(buf[:0], g, run, winner)
	var ru, best *rival // strongest rival; strongest candidate still present
	for i := range rs {
		r := &rs[i]
		if ru == nil || stronger(r, ru) {
			ru = r
		}
		if !r.wentAway && !r.office && (best == nil || stronger(r, best)) {
			best = r
		}
	}
	note := ""
	if len(forced) > 0 {
		note = "; " + strings.Join(forced, ", ") + " only forced the election (version 0 or criteria 0: such a ballot wins nothing)"
	}
	if ru != nil {
		runnerUp = ru.host
	}
	var wb Ballot
	var wt time.Time
	var wf int
	switch wc := run.candidate(winner); {
	case wc != nil:
		wb, wt, wf = wc.Ballot, wc.Last, wc.LastFrame
		if ru != nil && ru.frame != 0 {
			// The winner's ballot nearest after the rival's last one:
			// the one that beat it.
			for _, r := range run.e.Rounds {
				if r.Host == winner && !r.Time.Before(ru.at) {
					wb, wt, wf = r.Ballot, r.Time, r.Frame
					break
				}
			}
		}
	default:
		h := t.findHost(g.seg, winner)
		if h == nil || !h.hasBallot {
			if ru == nil {
				return winner + " announced itself master; no ballot was heard in this election" + note, "", "", nil
			}
			return winner + " announced itself master without a ballot in this election; " + ru.host + " led the ballots" + note,
				runnerUp, "", nil
		}
		wb, wt, wf = h.ballot, h.ballotAt, h.ballotFrame
	}
	switch {
	case ru == nil:
		return winner + " was the only candidate" + note, "", "", nil
	case ru.frame == 0:
		return winner + " displaced the master in office " + ru.host + ", no ballot of which was heard" + note, runnerUp, "", nil
	}
	name := ru.host
	if ru.office {
		name += ", the master in office,"
	}
	cmp, field, phrase := compareAt(wb, wt, ru.ballot, ru.at)
	switch {
	case cmp > 0:
		why = winner + " beat " + name + " on " + field + ": " + phrase
	case cmp == 0:
		why = winner + " and " + ru.host + " sent identical ballots"
	case ru.wentAway:
		why = winner + " won after " + ru.host + ", whose ballot was better (" + field + ": " + phrase + "), went away"
	default:
		why = winner + " won although " + name + "'s ballot is better on " + field + ": " + phrase
	}
	if ru.office {
		why += " (its last ballot, frame " + itoa(ru.frame) + ", with the master bit)"
	}
	why += note
	if best != nil {
		if c, f, p := compareAt(best.ballot, best.at, wb, wt); c > 0 {
			rigged = winner + " became master of " + g.wg + " in election " + itoa(run.e.ID) + " although " + best.host +
				"'s ballot is better on " + f + ": " + p + " (" + winner + ": " + wb.String() + ", frame " + itoa(wf) +
				"; " + best.host + ": " + best.ballot.String() + ", frame " + itoa(best.frame) + ")"
			fs = frames(wf, best.frame)
			sort.Ints(fs)
		}
	}
	return why, runnerUp, rigged, fs
}
