package output

import (
	"bufio"
	"net/netip"
	"strconv"
	"unsafe"

	"github.com/nbtsniff/nbtsniff/internal/hugepage"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// LMHostsReport is an LMHOSTS file read for the report, as the lmhosts
// package parsed and checked it (the command copies it here: output
// prints, it does not read files).
type LMHostsReport struct {
	Path         string
	Entries      int
	Labels       map[netip.Addr]string // the file's name of each address
	Notes        []LMHostsNote
	NotesDropped int
	Findings     []LMHostsFinding
}

// LMHostsNote is a line of the file skipped or a keyword ignored.
type LMHostsNote struct {
	Line int
	Text string
}

// LMHostsFinding is an entry the wire contradicts (lmhosts.Finding).
type LMHostsFinding struct {
	Kind     string // other_address, not_domain_controller
	Line     int
	Name     string
	Addr     netip.Addr // the file's
	WireAddr netip.Addr // the wire's
	Segment  string
	Frames   []int
	Text     string
}

// labels are the names of the LMHOSTS file by address (nil without one).
func (opt *ReportOptions) labels() map[netip.Addr]string {
	if opt.LMHosts == nil {
		return nil
	}
	return opt.LMHosts.Labels
}

// why prints the answers to --why.
func (r *reporter) why() {
	for _, e := range r.opt.Why {
		r.line()
		r.line("== why ", esc(e.Query))
		if !e.Found {
			r.line("  ", esc(e.Text))
			continue
		}
		if e.Label != "" {
			r.line("  ", esc(e.Query), " is ", esc(e.Label), " in the LMHOSTS file (the wire did not name it)")
		}
		for _, p := range e.Parts {
			r.line("  [", esc(p.Workgroup), " on ", esc(p.Segment), ", ", addrString(p.Addr), "]")
			r.line("  master: ", esc(p.MasterWhy))
			if p.NeedText != "" {
				r.line("  to win: ", esc(p.NeedText))
			}
			r.line("  browse list: ", esc(p.ListWhy))
			if p.Subnets != "" {
				r.line("  other subnets: ", esc(p.Subnets))
			}
			if len(p.Frames) > 0 {
				r.line("  frames: ", joinInts(p.Frames))
			}
		}
	}
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return "-"
	}
	return a.String()
}

// predictions prints who would win an election now, and the forecasts.
// predictAheadRows is the size of a snapshot (hosts and Browse List
// entries) from which the predictions section is written on a goroutine
// of its own while the sections before it are written (predictionsAhead):
// below it both take well under a millisecond.
var predictAheadRows = 2048

// predictAhead reports whether s is big enough to write its predictions
// section ahead (predictAheadRows).
func predictAhead(s *timeline.Snapshot) bool {
	n := len(s.Hosts)
	for _, g := range s.Groups {
		n += len(g.Servers)
	}
	return n >= predictAheadRows
}

// predictionsAhead writes the predictions section of s on a goroutine of
// its own, in chunks handed to the report as they are made; the report
// writes them at the section's place (aheadChunks.writeTo). The two
// goroutines only read s and r.labels. At the end of a many-hosts
// --report (10,000 hosts: 10,000 Browse List rows before it, 18,000 lines
// of forecasts in it) the two halves each took about 5 ms of CPU on one
// goroutine.
func (r *reporter) predictionsAhead(s *timeline.Snapshot) *aheadChunks {
	a := &aheadChunks{full: make(chan []byte, aheadChunksMax), free: make(chan []byte, aheadChunksMax)}
	fs := make(chan []*timeline.Forecast, 1)
	go func() {
		a.hugeSlab(predictRows(s) * predictRowBytes)
		pr := &reporter{w: bufio.NewWriterSize(a, chunkSize), opt: r.opt, labels: r.labels}
		pr.predictionsWith(s, func() []*timeline.Forecast { return <-fs })
		pr.w.Flush()
		close(a.full)
	}()
	// The forecasts are made here, while the goroutine predicts the
	// elections (they are written after those): of the two halves of a
	// flood's report, the predictions were the longer by about as much.
	fs <- timeline.ForecastsByGroup(s)
	return a
}

// chunkSize is the size of a chunk of the predictions section written
// ahead.
const chunkSize = 64 << 10

// aheadChunksMax is the number of chunks made ahead and not yet written
// from which the predictions' goroutine waits for the report (16 MB).
const aheadChunksMax = 256

// aheadChunks is an io.Writer that hands what it is given on in chunks
// of chunkSize (full) to the report, which gives each back when it has
// written it (free): the chunks made before the report reaches the
// section are held, the rest reuse them. A section of megabytes was held
// whole in as much fresh memory (and a bytes.Buffer doubling its way
// there wrote twice that: 1,000 more page faults at the end of a
// 10,000-host --report).
type aheadChunks struct {
	full, free chan []byte
	// afterPredictions: the chunks of a tail (tailAhead) that leaves the
	// predictions out, written ahead on their own (predictionsAhead).
	afterPredictions bool
	slab             []byte // the room left for new chunks (hugeSlab), used by Write alone
}

// predictRowBytes is about the bytes of the predictions section per row
// of the snapshot (predictRows: a host a contender, a Browse List entry a
// forecast line): 135 in a flood's, and the block is rounded up to 2 MiB.
const predictRowBytes = 140

// predictRows is the hosts and Browse List entries of s.
func predictRows(s *timeline.Snapshot) int {
	n := len(s.Hosts)
	for _, g := range s.Groups {
		n += len(g.Servers)
	}
	return n
}

// hugeSlab makes the chunks of a section of about n bytes from one block
// advised to use huge pages (hugepage.Advise), from its first 2 MiB
// boundary on, when n is half a huge page or more: the chunks are held
// until the report reaches the section, each fresh memory, and a flood's
// 1.9 MB of predictions were some 470 page faults of 4 KiB (a third of the
// predictions' goroutine's time at the end of a 10,000-host --report),
// where a 2 MiB page is one. Past the block, chunks are made one by one.
func (a *aheadChunks) hugeSlab(n int) {
	if n < hugepage.Size/2 {
		return
	}
	n = min((n+hugepage.Size-1)&^(hugepage.Size-1), maxHugeSlab)
	b := make([]byte, n+hugepage.Size)
	hugepage.Advise(b)
	off := int((hugepage.Size - uintptr(unsafe.Pointer(unsafe.SliceData(b)))%hugepage.Size) % hugepage.Size)
	a.slab = b[off : off+n]
}

// maxHugeSlab is the most hugeSlab reserves.
const maxHugeSlab = 16 << 20

func (a *aheadChunks) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		var c []byte
		select {
		case c = <-a.free:
		default:
			if len(a.slab) >= chunkSize {
				c, a.slab = a.slab[:0:chunkSize], a.slab[chunkSize:]
			} else {
				c = make([]byte, 0, chunkSize)
			}
		}
		k := min(len(p), chunkSize)
		a.full <- append(c[:0], p[:k]...)
		p = p[k:]
	}
	return n, nil
}

// writeTo writes the chunks to w as they come, to the section's end, and
// gives each back.
func (a *aheadChunks) writeTo(w *bufio.Writer) {
	for c := range a.full {
		w.Write(c)
		select {
		case a.free <- c:
		default:
		}
	}
}

func (r *reporter) predictions(s *timeline.Snapshot) {
	r.predictionsWith(s, func() []*timeline.Forecast { return timeline.ForecastsByGroup(s) })
}

// predictionsWith is predictions, the forecasts (timeline.ForecastsByGroup)
// given by forecasts, asked once the elections are written.
func (r *reporter) predictionsWith(s *timeline.Snapshot, forecasts func() []*timeline.Forecast) {
	r.line()
	r.line("== next: an election held now, announcements, expiry, backup browsers")
	ps := timeline.Predict(s)
	printed := len(ps) > 0
	for _, p := range ps {
		r.line("  ", esc(p.Text))
		for i, c := range p.Contenders {
			ballot := "no ballot heard"
			if c.Ballot != nil {
				ballot = esc(c.Ballot.String())
			}
			b := r.lineBuffer(32 + 4*len(c.Host) + len(ballot) + 4*len(c.Evidence))
			b = append(b, "    "...)
			b = strconv.AppendInt(b, int64(i+1), 10)
			b = append(b, ". "...)
			b = AppendEscapedString(b, c.Host)
			b = append(append(b, ' '), ballot...)
			b = append(b, " ("...)
			b = AppendEscapedString(b, c.Evidence)
			r.w.Write(append(b, ")\n"...))
		}
		for _, u := range p.Uncertain {
			r.line("    uncertain: ", esc(u))
		}
	}
	for i, f := range forecasts() {
		if f.Backups.Hosts == 0 && len(f.Backups.Have) == 0 && len(f.Newcomers) == 0 {
			continue
		}
		printed = true
		r.line("  ", esc(f.Workgroup), " on ", esc(f.Segment), ": backup browsers: ", itoa(len(f.Backups.Have)), " (",
			orDash(append([]string(nil), f.Backups.Have...)), "), expected ", itoa(f.Backups.Expected), " for ",
			itoa(f.Backups.Hosts), " hosts (one per ", itoa(timeline.HostsPerBackup), ")")
		for _, n := range f.Newcomers {
			r.line("    new: ", esc(n.Text))
		}
		for _, srv := range s.Groups[i].Servers {
			e := timeline.ForecastEntry(s, srv)
			b := r.lineBuffer(160 + 4*len(e.Name) + len(e.Source))
			b = append(b, "    "...)
			b = AppendEscapedString(b, e.Name)
			if e.Next.IsZero() {
				b = append(append(b, ": from "...), e.Source...)
			} else {
				b = r.ts.appendTS(append(b, ": next announcement due "...), e.Next)
				if e.Overdue {
					b = append(b, " (overdue)"...)
				}
			}
			b = r.ts.appendTS(append(b, ", expires "...), e.Expires)
			r.w.Write(append(b, '\n'))
		}
	}
	if !printed {
		r.line("  (none: no potential browser and no Browse List entry now)")
	}
}

// lineBuffer is the writer's free space to make a line of about n bytes
// in and write at once (r.w.Write), the buffer flushed first if the line
// might not fit: the predictions of a flood are 14,000 such lines, and a
// piece written at a time was a call each. (A longer line is still
// written whole: append grows it elsewhere.)
func (r *reporter) lineBuffer(n int) []byte {
	if r.w.Available() < n {
		r.w.Flush()
	}
	return r.w.AvailableBuffer()
}

// lmhostsSection prints the LMHOSTS file's notes and findings.
func (r *reporter) lmhostsSection() {
	l := r.opt.LMHosts
	r.line()
	r.line("== LMHOSTS ", esc(l.Path), ": ", itoa(l.Entries), " entries; ", itoa(len(l.Findings)), plural(len(l.Findings), " finding", " findings"), " where the wire contradicts them")
	for _, n := range l.Notes {
		r.line("  line ", itoa(n.Line), ": ", esc(n.Text))
	}
	if l.NotesDropped > 0 {
		r.line("  (", itoa(l.NotesDropped), " more notes)")
	}
	for _, f := range l.Findings {
		r.line("  ", esc(f.Kind), " [", esc(f.Segment), "]: ", esc(f.Text))
		if len(f.Frames) > 0 {
			r.line("      frames: ", joinInts(f.Frames))
		}
	}
}

// unnamed keeps the labels of the addresses the wire never named (no
// host seen at it, no name registered from it with its owner known).
func unnamed(s *timeline.Snapshot, labels map[netip.Addr]string) map[netip.Addr]string {
	if len(labels) == 0 {
		return nil
	}
	out := make(map[netip.Addr]string, len(labels))
	for a, n := range labels {
		out[a] = n
	}
	for _, h := range s.Hosts {
		delete(out, h.Addr)
	}
	for _, n := range s.Names {
		for _, o := range n.Owners {
			if o.Host != "" {
				delete(out, o.Addr)
			}
		}
	}
	return out
}

// label is an address, with its LMHOSTS name when the wire gave none
// ("lmhosts:SPOOF@198.18.1.66").
func (r *reporter) label(a netip.Addr) string {
	if n, ok := r.labels[a]; ok {
		return "lmhosts:" + esc(n) + "@" + a.String()
	}
	return a.String()
}

// appendExtras adds the keys of the options to the JSON report: "next",
// "why" and "lmhosts".
func appendExtras(o *jsonObj, s *timeline.Snapshot, opt ReportOptions) {
	if opt.Predict {
		o.key("next")
		o.b = appendNext(o.b, s)
	}
	if opt.Why != nil {
		o.key("why")
		o.b = appendJSONArray(o.b, opt.Why, appendExplanation)
	}
	if opt.LMHosts != nil {
		o.key("lmhosts")
		o.b = appendLMHosts(o.b, opt.LMHosts)
	}
}

func appendNext(b []byte, s *timeline.Snapshot) []byte {
	o := newObj(b)
	o.key("predictions")
	o.b = appendJSONArray(o.b, timeline.Predict(s), func(b []byte, p *timeline.Prediction) []byte {
		po := newObj(b)
		po.str("segment", p.Segment)
		po.str("workgroup", p.Workgroup)
		po.addr("audience", p.Audience)
		po.str("winner", p.Winner)
		po.str("runner_up", p.RunnerUp)
		po.str("field", p.Field)
		po.str("margin", p.Margin)
		po.strs("masters", p.Masters)
		po.bool("change", p.Change)
		po.key("contenders")
		po.b = appendJSONArray(po.b, p.Contenders, func(b []byte, c timeline.Contender) []byte {
			co := newObj(b)
			co.str("host", c.Host)
			co.addr("addr", c.Addr)
			if c.Ballot != nil {
				co.raw("ballot", appendBallot(nil, *c.Ballot))
				co.time("ballot_at", c.BallotAt)
				co.int("ballot_frame", int64(c.BallotFrame))
			}
			co.bool("master", c.Master)
			co.str("evidence", c.Evidence)
			return co.end()
		})
		po.strs("uncertain", p.Uncertain)
		po.str("text", p.Text)
		return po.end()
	})
	o.key("forecasts")
	o.b = appendJSONArray(o.b, timeline.Forecasts(s), func(b []byte, f *timeline.Forecast) []byte {
		fo := newObj(b)
		fo.str("segment", f.Segment)
		fo.str("workgroup", f.Workgroup)
		fo.int("hosts", int64(f.Backups.Hosts))
		fo.int("backups_expected", int64(f.Backups.Expected))
		fo.strs("backups", f.Backups.Have)
		fo.key("newcomers")
		fo.b = appendJSONArray(fo.b, f.Newcomers, func(b []byte, n timeline.Newcomer) []byte {
			no := newObj(b)
			no.str("host", n.Host)
			no.time("first_seen", n.FirstSeen)
			no.bool("listed", n.Listed)
			no.time("listed_at", n.ListedAt)
			no.bool("overdue", n.Overdue)
			no.timeOpt("backups_by", n.BackupsBy)
			no.strs("subnets", n.Subnets)
			no.timeOpt("other_subnets_by", n.OtherBy)
			no.str("text", n.Text)
			return no.end()
		})
		fo.key("entries")
		fo.b = appendJSONArray(fo.b, f.Entries, func(b []byte, e timeline.EntryForecast) []byte {
			eo := newObj(b)
			eo.str("name", e.Name)
			eo.str("source", e.Source)
			eo.time("last", e.Last)
			eo.timeOpt("next", e.Next)
			eo.time("expires", e.Expires)
			eo.bool("overdue", e.Overdue)
			return eo.end()
		})
		return fo.end()
	})
	return o.end()
}

func appendExplanation(b []byte, e *timeline.Explanation) []byte {
	o := newObj(b)
	o.str("query", e.Query)
	o.str("host", e.Host)
	o.strOpt("label", e.Label)
	o.addrs("addrs", e.Addrs)
	o.bool("found", e.Found)
	o.strOpt("text", e.Text)
	o.key("parts")
	o.b = appendJSONArray(o.b, e.Parts, func(b []byte, p *timeline.HostExplanation) []byte {
		po := newObj(b)
		po.str("segment", p.Segment)
		po.str("workgroup", p.Workgroup)
		po.addr("addr", p.Addr)
		po.bool("master", p.Master)
		po.str("master_why", p.MasterWhy)
		po.key("needs")
		po.b = appendJSONArray(po.b, p.Needs, func(b []byte, n timeline.Need) []byte {
			no := newObj(b)
			no.str("field", n.Field)
			no.str("text", n.Text)
			return no.end()
		})
		po.strOpt("need_text", p.NeedText)
		po.bool("listed", p.Listed)
		po.str("list_why", p.ListWhy)
		po.strOpt("subnets", p.Subnets)
		po.ints("frames", p.Frames)
		return po.end()
	})
	return o.end()
}

func appendLMHosts(b []byte, l *LMHostsReport) []byte {
	o := newObj(b)
	o.str("path", l.Path)
	o.int("entries", int64(l.Entries))
	o.key("notes")
	o.b = appendJSONArray(o.b, l.Notes, func(b []byte, n LMHostsNote) []byte {
		no := newObj(b)
		no.int("line", int64(n.Line))
		no.str("text", n.Text)
		return no.end()
	})
	o.key("findings")
	o.b = appendJSONArray(o.b, l.Findings, func(b []byte, f LMHostsFinding) []byte {
		fo := newObj(b)
		fo.str("kind", f.Kind)
		fo.int("line", int64(f.Line))
		fo.str("name", f.Name)
		fo.addr("addr", f.Addr)
		fo.addr("wire_addr", f.WireAddr)
		fo.str("segment", f.Segment)
		fo.ints("frames", f.Frames)
		fo.str("text", f.Text)
		return fo.end()
	})
	return o.end()
}

// owner is a name's owner in the names section: an owner the wire did not
// name gets the LMHOSTS one.
func (r *reporter) owner(host string, a netip.Addr) string {
	if host != "" {
		return esc(host) + "@" + a.String()
	}
	return r.label(a)
}

func plural(n int, one, more string) string {
	if n == 1 {
		return one
	}
	return more
}
