package output

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// WriteReport writes the plain-text report a person reads top to bottom
// (--report):
// per workgroup and segment the master history, the elections with the
// why, the Browse List, the NetServerEnum2 lists seen, then the workgroup
// lists, the links between segments, the names and the anomalies with
// their frame numbers. Bytes from the wire are escaped (\xNN).
func WriteReport(w io.Writer, s *timeline.Snapshot) error {
	return WriteReportWith(w, s, ReportOptions{})
}

// ReportOptions is what a report says besides the state.
type ReportOptions struct {
	// Interrupted: the run was interrupted (Ctrl-C) after InterruptedAt
	// frames, and the report covers those only. The text report says so
	// under its title, the JSON document in "interrupted_at".
	Interrupted   bool
	InterruptedAt int
}

// WriteReportWith is WriteReport, saying what opt says too.
func WriteReportWith(w io.Writer, s *timeline.Snapshot, opt ReportOptions) error {
	bw := bufio.NewWriter(w)
	r := &reporter{w: bw, opt: opt}
	r.report(s)
	return bw.Flush()
}

type reporter struct {
	w   *bufio.Writer
	opt ReportOptions
}

func (r *reporter) line(parts ...string) {
	for _, p := range parts {
		r.w.WriteString(p)
	}
	r.w.WriteByte('\n')
}

// esc makes a wire string safe for a terminal by the one rule of every
// output mode (AppendEscapedString: controls, DEL, C1 controls, bidi
// controls and bytes that are not UTF-8 become \xNN, tab \t).
func esc(s string) string {
	for i := 0; i < len(s); i++ {
		if !safe[s[i]] {
			return string(AppendEscapedString(nil, s))
		}
	}
	return s
}

func ts(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(timeline.TimeFormat)
}

func orDash(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	for i := range s {
		s[i] = esc(s[i])
	}
	return strings.Join(s, ", ")
}

func (r *reporter) report(s *timeline.Snapshot) {
	r.line("nbtsniff timeline report")
	if r.opt.Interrupted {
		r.line("INTERRUPTED at frame ", itoa(r.opt.InterruptedAt), ": the state below is that of frames 1 to ", itoa(r.opt.InterruptedAt), " only")
	}
	r.line("state at ", ts(s.Time), "; ", itoa(s.Observations), " observations from ", ts(s.First), " to ", ts(s.Last))
	if len(s.Limits) > 0 {
		hit := make([]string, len(s.Limits))
		for i, l := range s.Limits {
			hit[i] = l
			if i < len(s.LimitHits) {
				hit[i] += " ×" + itoa(s.LimitHits[i])
			}
		}
		r.line("bounds hit (older state was evicted): ", strings.Join(hit, ", "))
	}
	for _, g := range s.Groups {
		r.group(g)
	}
	r.segments(s)
	r.links(s)
	r.names(s)
	r.anomalies(s)
}

func (r *reporter) group(g *timeline.Group) {
	r.line()
	r.line("== ", esc(g.Workgroup), " on ", esc(g.Segment))
	r.line("local master: ", orDash(append([]string(nil), g.LMB...)), "; domain master: ", orDash(append([]string(nil), g.DMB...)),
		"; PDC: ", orDash(append([]string(nil), g.PDC...)))
	r.line("backup browsers: ", orDash(append([]string(nil), g.Backups...)), "; potential browsers: ",
		orDash(append([]string(nil), g.Potentials...)))

	var masters []*timeline.RoleInterval
	for _, ri := range g.Roles {
		if ri.Role == timeline.RoleLMB || ri.Role == timeline.RoleDMB || ri.Role == timeline.RolePDC {
			masters = append(masters, ri)
		}
	}
	r.line()
	r.line("master history:")
	if len(masters) == 0 {
		r.line("  (none)")
	}
	tw := tabwriter.NewWriter(r.w, 0, 0, 2, ' ', 0)
	for _, ri := range masters {
		end, why := "(still held)", ""
		if !ri.End.IsZero() {
			end = ts(ri.End) + " frame " + itoa(ri.EndFrame)
			why = " / " + esc(ri.EndReason)
		}
		tw.Write([]byte("  " + ri.Role.String() + "\t" + esc(ri.Host) + "\t" + ts(ri.Begin) + " frame " + itoa(ri.BeginFrame) + "\t-> " + end +
			"\t" + esc(ri.BeginReason) + why + "\n"))
	}
	tw.Flush()

	r.line()
	r.line("elections:")
	if len(g.Elections) == 0 {
		r.line("  (none)")
	}
	for _, e := range g.Elections {
		start := "started by " + esc(e.StartedBy)
		if e.Forced {
			start = "forced by " + esc(e.StartedBy) + " (version 0 / criteria 0)"
		}
		end := "running"
		if !e.Running {
			end = e.Outcome.String() + " at " + ts(e.End) + " frame " + itoa(e.EndFrame)
		}
		r.line("  #", itoa(e.ID), " ", ts(e.Start), " frame ", itoa(e.StartFrame), ", ", start, "; ", end)
		if e.Incumbent != "" {
			inc := "  master in office: " + esc(e.Incumbent)
			if e.IncumbentEnd > 0 {
				inc += ", stepped down at frame " + itoa(e.IncumbentEnd)
			}
			r.line("   ", inc)
		}
		if e.Winner != "" {
			r.line("     winner: ", esc(e.Winner))
		}
		if e.Why != "" {
			r.line("     why: ", esc(e.Why))
		}
		if e.Flagged {
			r.line("     FLAGGED: ", esc(e.FlagDetail))
		}
		tw := tabwriter.NewWriter(r.w, 0, 0, 2, ' ', 0)
		for _, c := range e.Candidates {
			out := "in to the end"
			switch {
			case c.WentAway:
				out = "went away"
			case c.Dropped:
				out = "dropped out at frame " + itoa(c.DroppedFrame) + " (beaten by " + esc(c.DroppedBy) + ")"
			}
			tw.Write([]byte("     " + esc(c.Host) + "\t" + esc(c.Ballot.String()) + "\t" + itoa(c.Ballots) + " ballot(s), frames " +
				itoa(c.FirstFrame) + "-" + itoa(c.LastFrame) + "\t" + out + "\n"))
		}
		tw.Flush()
		var rounds []string
		for _, rd := range e.Rounds {
			rounds = append(rounds, itoa(rd.Frame)+" "+esc(rd.Host))
		}
		if len(rounds) > 0 {
			more := ""
			if e.RoundsDropped > 0 {
				more = " (+" + itoa(e.RoundsDropped) + " more)"
			}
			r.line("     rounds: ", strings.Join(rounds, ", "), more)
		}
	}

	r.line()
	r.line("browse list (", itoa(len(g.Servers)), " servers):")
	tw = tabwriter.NewWriter(r.w, 0, 0, 2, ' ', 0)
	if len(g.Servers) > 0 {
		tw.Write([]byte("  NAME\tTYPE\tOS\tSOURCE\tFIRST SEEN\tLAST SEEN\tEXPIRES\tCOMMENT\n"))
	}
	for _, e := range g.Servers {
		tw.Write([]byte("  " + esc(e.Name) + "\t" + hexString(uint64(e.Type), 8) + "\t" + osVersion(e.OSMajor, e.OSMinor) + "\t" +
			e.Source + "\t" + ts(e.FirstSeen) + " #" + itoa(e.FirstFrame) + "\t" + ts(e.LastSeen) + " #" + itoa(e.LastFrame) +
			"\t" + ts(e.Expires) + "\t" + esc(e.Comment) + "\n"))
	}
	tw.Flush()
	if len(g.Lists) > 0 {
		r.line()
		r.line("NetServerEnum2 lists seen:")
		for _, l := range g.Lists {
			kind := "servers"
			if l.Workgroups() {
				kind = "workgroups"
			}
			flags := ""
			if l.Truncated {
				flags += " TRUNCATED"
			}
			if l.Sync {
				flags += " (DMB sync)"
			}
			r.line("  frame ", itoa(l.Frame), " ", ts(l.Time), ": ", esc(l.Server), " -> ", l.Client.String(), ", ", kind,
				" of ", quoteName(esc(l.Domain)), " level ", itoa(int(l.Level)), ", status ", itoa(int(l.Status)), ", ",
				itoa(l.EntryCount), "/", itoa(l.Available), " entries", flags)
			if d := l.DiffSummary(); d != "" {
				r.line("    differs from announcements: ", esc(d))
			}
			if l.Unchecked {
				r.line("    not compared: nothing announced on this segment to compare it with")
			}
		}
	}
}

func (r *reporter) segments(s *timeline.Snapshot) {
	r.line()
	r.line("== workgroups announced per segment (DomainAnnouncement)")
	if len(s.Segments) == 0 {
		r.line("  (none)")
	}
	for _, sg := range s.Segments {
		r.line(esc(sg.Segment), ":")
		tw := tabwriter.NewWriter(r.w, 0, 0, 2, ' ', 0)
		for _, d := range sg.Domains {
			tw.Write([]byte("  " + esc(d.Name) + "\tmaster " + esc(d.Comment) + "\t" + d.Source + "\tlast " + ts(d.LastSeen) +
				" #" + itoa(d.LastFrame) + "\texpires " + ts(d.Expires) + "\n"))
		}
		tw.Flush()
	}
}

func (r *reporter) links(s *timeline.Snapshot) {
	if len(s.Links) == 0 {
		return
	}
	r.line()
	r.line("== LMB <-> DMB synchronisation")
	for _, l := range s.Links {
		r.line("  ", esc(l.Workgroup), ": ", esc(l.LMB), " (", esc(l.LMBSegment), ") <-> ", esc(l.DMB), " (", esc(l.DMBSegment),
			"), ", ts(l.First), " to ", ts(l.Last), ", frames ", joinInts(l.Frames))
	}
}

func (r *reporter) names(s *timeline.Snapshot) {
	r.line()
	r.line("== names (NBNS)")
	if len(s.Names) == 0 {
		r.line("  (none)")
	}
	tw := tabwriter.NewWriter(r.w, 0, 0, 2, ' ', 0)
	for _, n := range s.Names {
		kind := "unique"
		if n.Group {
			kind = "group"
		}
		head := "  " + esc(n.Segment) + "\t" + esc(n.Display()) + "\t" + kind + "\t" +
			n.Meaning()
		var owners []string
		for _, o := range n.Owners {
			st := "active"
			switch {
			case o.Refused:
				st = "refused"
			case !o.Active && !o.Released.IsZero():
				st = "released #" + itoa(o.RelFrame)
			case !o.Active:
				st = "inactive"
			}
			x := o.Addr.String()
			if o.Host != "" {
				x = esc(o.Host) + "@" + x
			}
			if o.NodeType != "" {
				x += " " + o.NodeType
			}
			if o.RegFrame > 0 {
				x += " reg #" + itoa(o.RegFrame)
			}
			x += " " + st
			if o.Via != "" && o.Via != "broadcast" {
				x += " via " + o.Via
			}
			owners = append(owners, x)
		}
		var answers []string
		for _, a := range n.Answers {
			answers = append(answers, a.Addr.String()+" (by "+a.By.String()+")")
		}
		extra := ""
		if len(answers) > 0 {
			extra = "; answers: " + strings.Join(answers, ", ")
		}
		if n.Conflicts > 0 {
			extra += "; conflicts: " + itoa(n.Conflicts)
		}
		if n.Negatives > 0 {
			extra += "; negative responses: " + itoa(n.Negatives)
		}
		tw.Write([]byte(head + "\t" + strings.Join(owners, ", ") + extra + "\n"))
	}
	tw.Flush()
}

func (r *reporter) anomalies(s *timeline.Snapshot) {
	r.line()
	r.line("== anomalies (", itoa(len(s.Anomalies)), ")")
	if len(s.Anomalies) == 0 {
		r.line("  (none)")
	}
	for _, a := range s.Anomalies {
		where := ""
		if a.Workgroup != "" || a.Segment != "" {
			where = " [" + esc(a.Workgroup) + " on " + esc(a.Segment) + "]"
		}
		r.line("  ", ts(a.Time), " frame ", itoa(a.Frame), " ", a.Kind.String(), where, ": ", esc(a.Detail))
		if len(a.Frames) > 0 {
			r.line("      frames: ", joinInts(a.Frames))
		}
	}
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = itoa(n)
	}
	return strings.Join(s, ", ")
}

func itoa(n int) string { return strconv.Itoa(n) }

// hexString is 0x and v in digits hex digits.
func hexString(v uint64, digits int) string { return string(appendHexN(nil, v, digits)) }

func quoteName(n string) string {
	if n == "" {
		return `""`
	}
	return n
}
