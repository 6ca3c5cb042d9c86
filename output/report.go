package output

import (
	"bufio"
	"io"
	"math"
	"net/netip"
	"strconv"
	"strings"
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
	// Predict adds what happens next after the workgroups
	// (timeline.Predict, timeline.Forecasts); Why the answers to --why,
	// first; LMHosts an LMHOSTS file's findings, and its names as labels of
	// the addresses the wire never named (predict.go).
	Predict bool
	Why     []*timeline.Explanation
	LMHosts *LMHostsReport
	// Streams, if set, is what the TCP streams on 139 and 445 lost: the
	// report's last section ("tcp_streams" in JSON).
	Streams *StreamLoss
}

// WriteReportWith is WriteReport, saying what opt says too.
func WriteReportWith(w io.Writer, s *timeline.Snapshot, opt ReportOptions) error {
	// A writer that buffers already (the command's output) is written to
	// as it is: a flood's 3.7 MB report went through a 4 KiB buffer into
	// it, copied twice. It is left to its owner to flush, as the report
	// left what it had handed to it: the error returned is the one it
	// met, if any, as the report's own buffer's last Flush into it
	// returned.
	bw, own := w.(*bufio.Writer)
	if !own {
		bw = bufio.NewWriter(w)
	}
	r := &reporter{w: bw, opt: opt, labels: unnamed(s, opt.labels())}
	if opt.Predict && predictAhead(s) {
		r.ahead = r.predictionsAhead(s)
	}
	r.report(s)
	if opt.Streams != nil {
		bw.WriteString(streamsSection(*opt.Streams))
	}
	if own {
		_, err := bw.Write(nil) // (its error, if it met one)
		return err
	}
	return bw.Flush()
}

type reporter struct {
	w      *bufio.Writer
	opt    ReportOptions
	labels map[netip.Addr]string // LMHOSTS names of the addresses the wire never named
	tab    aligner               // the table being laid out (its buffers serve every table)
	ahead  *aheadChunks          // the predictions section, written by another goroutine (predictionsAhead)
	ts     tsCache               // the times of the lines made in lineBuffer
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
	tail := r.tailAhead(s)
	r.diagnoses(s)
	r.why()
	for _, g := range s.Groups {
		r.group(g)
	}
	if tail != nil {
		if r.ahead != nil && tail.afterPredictions {
			r.ahead.writeTo(r.w)
		}
		tail.writeTo(r.w)
		return
	}
	r.tail(s)
}

// tail writes the sections after the workgroups: the predictions, the
// segments, the links, the names, the LMHOSTS file's findings and the
// anomalies.
func (r *reporter) tail(s *timeline.Snapshot) {
	switch {
	case r.ahead != nil:
		r.ahead.writeTo(r.w)
	case r.opt.Predict:
		r.predictions(s)
	}
	r.afterPredictions(s)
}

// afterPredictions writes the sections of the tail after the predictions.
func (r *reporter) afterPredictions(s *timeline.Snapshot) {
	r.segments(s)
	r.links(s)
	r.names(s)
	if r.opt.LMHosts != nil {
		r.lmhostsSection()
	}
	r.anomalies(s)
}

// diagnoses prints the causes named, first: what is wrong, how sure, and
// what to change.
func (r *reporter) diagnoses(s *timeline.Snapshot) {
	r.line()
	r.line("== diagnosis (", itoa(len(s.Diagnoses)), ")")
	if len(s.Diagnoses) == 0 {
		r.line("  (none)")
	}
	for i, d := range s.Diagnoses {
		where := esc(d.Segment)
		if where == "" {
			where = "several segments"
		}
		if d.Workgroup != "" {
			where = esc(d.Workgroup) + " on " + where
		}
		r.line("  ", itoa(i+1), ". ", d.Kind.String(), " [", where, "]: ", orDash(append([]string(nil), d.Hosts...)))
		r.line("     ", esc(d.Text))
		r.line("     fix: ", esc(d.Fix))
		r.line("     confidence: ", d.Confidence.String(), " (", esc(d.Basis), ")")
		r.line("     since ", ts(d.First), "; evidence frames: ", joinInts(d.Frames))
	}
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
	tw := &r.tab
	for _, ri := range masters {
		tw.str("  ")
		tw.str(ri.Role.String())
		tw.tab()
		tw.esc(ri.Host)
		tw.tab()
		tw.time(ri.Begin)
		tw.str(" frame ")
		tw.int(ri.BeginFrame)
		tw.tab()
		tw.str("-> ")
		if ri.End.IsZero() {
			tw.str("(still held)")
		} else {
			tw.time(ri.End)
			tw.str(" frame ")
			tw.int(ri.EndFrame)
		}
		tw.tab()
		tw.esc(ri.BeginReason)
		if !ri.End.IsZero() {
			tw.str(" / ")
			tw.esc(ri.EndReason)
		}
		tw.row()
	}
	tw.flush(r.w)

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
		for _, c := range e.Candidates {
			tw.str("     ")
			tw.esc(c.Host)
			tw.tab()
			tw.esc(c.Ballot.String())
			tw.tab()
			tw.int(c.Ballots)
			tw.str(" ballot(s), frames ")
			tw.int(c.FirstFrame)
			tw.str("-")
			tw.int(c.LastFrame)
			tw.tab()
			switch {
			case c.WentAway:
				tw.str("went away")
			case c.Dropped:
				tw.str("dropped out at frame ")
				tw.int(c.DroppedFrame)
				tw.str(" (beaten by ")
				tw.esc(c.DroppedBy)
				tw.str(")")
			default:
				tw.str("in to the end")
			}
			tw.row()
		}
		tw.flush(r.w)
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
	if len(g.Servers) > 0 {
		tw.streamLines(r.w, len(g.Servers)+1, func(i int) {
			if i == 0 {
				browseHeader(tw)
			} else {
				browseRow(tw, g.Servers[i-1])
			}
		}, func(i int, cells []int) bool {
			return i > 0 && browseWidths(g.Servers[i-1], cells)
		}, func(dst []byte, i int, width, cells []int) []byte {
			return browseLine(dst, &tw.ts, g.Servers[i-1], width, cells)
		})
	}
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
			r.line("  frame ", itoa(l.Frame), " ", ts(l.Time), ": ", esc(l.Server), " -> ", timeline.AddrString(l.Client), ", ", kind,
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
		tw := &r.tab
		for _, d := range sg.Domains {
			tw.str("  ")
			tw.esc(d.Name)
			tw.tab()
			tw.str("master ")
			tw.esc(d.Comment)
			tw.tab()
			tw.str(d.Source)
			tw.tab()
			tw.str("last ")
			tw.time(d.LastSeen)
			tw.str(" #")
			tw.int(d.LastFrame)
			tw.tab()
			tw.str("expires ")
			tw.time(d.Expires)
			tw.row()
		}
		tw.flush(r.w)
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
	tw := &r.tab
	for _, n := range s.Names {
		kind := "unique"
		if n.Group {
			kind = "group"
		}
		tw.str("  ")
		tw.esc(n.Segment)
		tw.tab()
		tw.esc(n.Display())
		tw.tab()
		tw.str(kind)
		tw.tab()
		tw.str(n.Meaning())
		tw.tab()
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
			x := r.owner(o.Host, o.Addr)
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
			answers = append(answers, r.label(a.Addr)+" (by "+r.label(a.By)+")")
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
		tw.str(strings.Join(owners, ", "))
		tw.str(extra)
		tw.row()
	}
	tw.flush(r.w)
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

// browseHeader lays out the header row of a Browse List.
func browseHeader(tw *aligner) {
	for i, h := range [...]string{"  NAME", "TYPE", "OS", "SOURCE", "FIRST SEEN", "LAST SEEN", "EXPIRES"} {
		if i > 0 {
			tw.tab()
		}
		tw.str(h)
	}
	tw.tab()
	tw.str("COMMENT")
	tw.row()
}

// browseWidths sets the widths of the cells of browseRow(e) in cells, as
// the aligner measures them, without laying the row out (the measuring
// pass of a Browse List of 10,000 entries laid every row out), and
// returns true; false if it cannot say (a name or comment that is not
// printable ASCII, a time outside years 0 to 9999: the row is measured
// laid out). browseRow's text is never tabwriter's markup: the wire's
// strings are escaped, the rest is ours.
func browseWidths(e *timeline.Server, cells []int) bool {
	if len(cells) != 8 {
		return false
	}
	name, ok := asciiWidth(e.Name)
	if !ok {
		return false
	}
	source, ok := asciiWidth(e.Source)
	if !ok {
		return false
	}
	first, last, expires := tsWidth(e.FirstSeen), tsWidth(e.LastSeen), tsWidth(e.Expires)
	if first < 0 || last < 0 || expires < 0 {
		return false
	}
	cells[0] = 2 + name
	cells[1] = 2 + max(8, hexDigitsOf(uint64(e.Type)))
	cells[2] = intWidth(int(e.OSMajor)) + 1 + intWidth(int(e.OSMinor))
	cells[3] = source
	cells[4] = first + 2 + intWidth(e.FirstFrame)
	cells[5] = last + 2 + intWidth(e.LastFrame)
	cells[6] = expires
	cells[7] = 0 // the last column: never padded, its width unused
	return true
}

// asciiWidth is the width of s written escaped when it is printable ASCII,
// which escaping leaves as it is.
func asciiWidth(s string) (int, bool) {
	for i := 0; i < len(s); i++ {
		if !safe[s[i]] {
			return 0, false
		}
	}
	return len(s), true
}

// tsWidth is the width of t as appendTS writes it, or -1 outside years 0
// to 9999.
func tsWidth(t time.Time) int {
	if t.IsZero() {
		return 1
	}
	if sec := t.Unix(); sec < tsMinUnix || sec > tsMaxUnix {
		return -1
	}
	return tsLen
}

// intWidth is the width of n in decimal.
func intWidth(n int) int {
	w := 1
	if n < 0 {
		w++
		if n == math.MinInt {
			return len(strconv.Itoa(n))
		}
		n = -n
	}
	for ; n >= 10; n /= 10 {
		w++
	}
	return w
}

// hexDigitsOf is the number of hex digits of v (1 for 0).
func hexDigitsOf(v uint64) int {
	w := 1
	for v >>= 4; v != 0; v >>= 4 {
		w++
	}
	return w
}

// browseLine appends the line of Browse List entry e as the aligner
// writes browseRow's row in columns of width (width[j]+2 for all but the
// last), its cells' widths cells (browseWidths): the same bytes, without
// laying the row out cell by cell (TestBrowseLineSame).
func browseLine(b []byte, ts *tsCache, e *timeline.Server, width, cells []int) []byte {
	b = append(b, "  "...)
	b = AppendEscapedString(b, e.Name)
	b = appendPad(b, width[0]+2-cells[0])
	b = appendHexN(b, uint64(e.Type), 8)
	b = appendPad(b, width[1]+2-cells[1])
	b = strconv.AppendInt(b, int64(e.OSMajor), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(e.OSMinor), 10)
	b = appendPad(b, width[2]+2-cells[2])
	b = append(b, e.Source...)
	b = appendPad(b, width[3]+2-cells[3])
	b = append(ts.appendTS(b, e.FirstSeen), " #"...)
	b = strconv.AppendInt(b, int64(e.FirstFrame), 10)
	b = appendPad(b, width[4]+2-cells[4])
	b = append(ts.appendTS(b, e.LastSeen), " #"...)
	b = strconv.AppendInt(b, int64(e.LastFrame), 10)
	b = appendPad(b, width[5]+2-cells[5])
	b = ts.appendTS(b, e.Expires)
	b = appendPad(b, width[6]+2-cells[6])
	b = AppendEscapedString(b, e.Comment)
	return append(b, '\n')
}

// browseRow lays out the row of Browse List entry e.
func browseRow(tw *aligner, e *timeline.Server) {
	tw.str("  ")
	tw.esc(e.Name)
	tw.tab()
	tw.buf = appendHexN(tw.buf, uint64(e.Type), 8)
	tw.tab()
	tw.int(int(e.OSMajor))
	tw.str(".")
	tw.int(int(e.OSMinor))
	tw.tab()
	tw.str(e.Source)
	tw.tab()
	tw.time(e.FirstSeen)
	tw.str(" #")
	tw.int(e.FirstFrame)
	tw.tab()
	tw.time(e.LastSeen)
	tw.str(" #")
	tw.int(e.LastFrame)
	tw.tab()
	tw.time(e.Expires)
	tw.tab()
	tw.esc(e.Comment)
	tw.row()
}
