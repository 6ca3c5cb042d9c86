package timeline

import (
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// What happens next, from a Snapshot (the report and the TUI call it on
// the state they hold; nothing here changes the tracker):
//   - who would win an election held now, per segment, workgroup and
//     broadcast audience (hosts that cannot hear each other hold separate
//     elections: hearing.go), from each potential browser's latest ballot
//     in the Browse Service order (ballot.go), and the margin;
//   - when a host that just appeared should be in the Browse List and on
//     the other subnets of its workgroup, and when each entry expires;
//   - the backup browsers expected for the number of hosts against the
//     ones there are.
//
// The timing rules: a browser announces itself 1, 2, 4, 8 and 12 minutes
// apart after it starts, then every 12 minutes (the Leach/Naik browser
// draft; [MS-BRWS], the announcement timers; the HostAnnouncement
// periodicity says the current period); an entry expires when three
// announcement periods pass without one ([MS-BRWS] §3.3.5.3; browse.go);
// a local master and its domain master exchange lists every 15 minutes
// ([MS-BRWS] on the synchronisation of local and domain master browsers;
// the draft's MasterAnnouncement), and a backup browser copies its
// master's list as often; a local master keeps one backup browser for
// every 32 hosts (the Browse Service chapter; the draft on backup
// browsers).

// AnnounceSteps are the intervals between a new browser's first
// announcements; after the last one it repeats that interval.
var AnnounceSteps = [...]time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 12 * time.Minute}

// DMBSyncPeriod is how often a local master and its domain master browser
// exchange Browse Lists.
const DMBSyncPeriod = 15 * time.Minute

// BackupRefresh is how often a backup browser copies its master's Browse
// List (the draft's backup browser refresh: 15 minutes).
const BackupRefresh = 15 * time.Minute

// HostsPerBackup is the number of hosts one backup browser serves.
const HostsPerBackup = 32

// silentLimit: a host with a ballot but no entry and no role, silent this
// long, is gone (the Browse Service's longest entry life: three times the
// 12-minute maximum period, Config.DefaultExpiry's default).
const silentLimit = 36 * time.Minute

// newcomerWindow: a host first seen this long before the snapshot is still
// new (the end of its announcement backoff, 1+2+4+8+12 minutes).
const newcomerWindow = 27 * time.Minute

// Prediction is the outcome of an election held at Time among the
// potential browsers of one workgroup that hear one broadcast address on
// one segment.
type Prediction struct {
	Segment   string
	Workgroup string
	// Audience is the broadcast address the contenders accept: the
	// segment's, or another one (a host with a different netmask holds an
	// election of its own).
	Audience netip.Addr
	Time     time.Time
	// Contenders: the potential browsers with a known ballot, strongest
	// first, then those without one (Ballot nil).
	Contenders []Contender
	// Winner is the strongest known ballot ("" when none is known);
	// RunnerUp the next one. Field and Margin say what decided between
	// them ("criteria", "OS level 32 > 20"), as ballot.go compares.
	Winner   string
	RunnerUp string
	Field    string
	Margin   string
	// Masters are the local masters in office among the contenders' hosts
	// (on this audience); Change says the winner is not one of them.
	Masters []string
	Change  bool
	// Uncertain lists why the prediction may be wrong: contenders with no
	// ballot heard, hosts whose subnet broadcast is not known.
	Uncertain []string
	Text      string // one sentence
}

// Contender is one potential browser in a Prediction.
type Contender struct {
	Host        string
	Addr        netip.Addr
	Ballot      *Ballot // its latest real ballot, master bit set while it is master; nil: none heard
	BallotAt    time.Time
	BallotFrame int
	Master      bool   // local master in office
	Evidence    string // why it counts as a potential browser
}

// Forecast is the timing of one workgroup on one segment: Browse List
// entries, newcomers and backup browsers.
type Forecast struct {
	Segment   string
	Workgroup string
	Time      time.Time
	Entries   []EntryForecast
	Newcomers []Newcomer
	Backups   BackupCount
}

// EntryForecast is when one Browse List entry should be announced again
// and when it expires if it is not.
type EntryForecast struct {
	Name    string
	Source  string
	Last    time.Time
	Next    time.Time // zero: not announced (a copy from a list)
	Expires time.Time
	Overdue bool // Next is before the snapshot time
}

// Newcomer is a host first seen less than 27 minutes before the snapshot:
// when it is (or should be) in its master's Browse List and on the other
// subnets of its workgroup.
type Newcomer struct {
	Host      string
	FirstSeen time.Time
	Listed    bool      // in the Browse List now
	ListedAt  time.Time // when its entry was made, or when it is expected
	Overdue   bool      // expected before now, still not listed
	// BackupsBy is when the backup browsers should have it (zero: none).
	BackupsBy time.Time
	// Subnets lists the other segments of the workgroup; OtherBy is when
	// it should be listed there at the latest (zero: never, see Text).
	Subnets []string
	OtherBy time.Time
	Text    string
}

// BackupCount compares the backup browsers there are with those expected.
type BackupCount struct {
	Hosts    int      // Browse List entries
	Expected int      // one per HostsPerBackup hosts
	Have     []string // backup browsers other than the local master
}

// Predict returns the predictions of every workgroup and segment of s,
// sorted by segment, workgroup and audience.
func Predict(s *Snapshot) []*Prediction {
	var out []*Prediction
	for _, g := range s.Groups {
		out = append(out, predictGroup(s, g)...)
	}
	return out
}

// segmentBroadcast is the broadcast address in a segment's name
// ("lab/198.18.1.255"), or zero.
func segmentBroadcast(seg string) netip.Addr {
	i := strings.LastIndexByte(seg, '/')
	switch last := seg[i+1:]; last {
	case TransportNetBEUI.String():
		return nodeBroadcast(TransportNetBEUI)
	case TransportIPX.String():
		return nodeBroadcast(TransportIPX)
	default:
		a, err := netip.ParseAddr(last)
		if err != nil {
			return netip.Addr{}
		}
		return a
	}
}

// contenders lists the potential browsers of g with the broadcast address
// each accepts (zero: not known).
func contenders(s *Snapshot, g *Group) (cs []Contender, aud []netip.Addr) {
	elsewhere := map[netip.Addr]bool{} // the broadcast addresses of the other segments
	for _, o := range s.Groups {
		if o.Segment != g.Segment {
			if a := segmentBroadcast(o.Segment); a.IsValid() && a != segmentBroadcast(g.Segment) {
				elsewhere[a] = true
			}
		}
	}
	// A host of another segment known here by a unicast (remote)
	// announcement takes no part in this segment's elections.
	out := func(h *Host) bool {
		// (elsewhere is empty with one segment, as in a flood: its 4,096
		// hosts looked it up twice each.)
		return h.Segment != g.Segment || h.Workgroup != g.Workgroup || h.Away || len(elsewhere) > 0 && elsewhere[h.Broadcast]
	}
	// Made at the size of the hosts that may take part (thousands in a
	// flood: grown by append, the slices were copied into fresh memory
	// over and over at the end of a many-hosts --report).
	n := 0
	for _, h := range s.Hosts {
		if !out(h) {
			n++
		}
	}
	if n > 0 {
		cs, aud = make([]Contender, 0, n), make([]netip.Addr, 0, n)
	}
	list := serverCursor{g: g}
	var texts strings.Builder // the evidence strings, cut from one block (see evidence)
	texts.Grow(n * len("HostAnnouncement frame 1234567 type 0x00019a03"))
	for _, h := range s.Hosts {
		if out(h) {
			continue
		}
		c := Contender{Host: h.Name, Addr: h.Addr, Master: slices.Contains(g.LMB, h.Name)}
		e := list.get(h.Name)
		present := e != nil || c.Master || slices.Contains(g.Potentials, h.Name) || slices.Contains(g.Backups, h.Name)
		if h.Ballot != nil && !h.Ballot.Forced() {
			if !present && s.Time.Sub(h.LastSeen) > silentLimit {
				continue // silent for longer than any entry lives
			}
			b := *h.Ballot
			if c.Master {
				b.Criteria |= RoleMasterBit
			}
			c.Ballot, c.BallotAt, c.BallotFrame = &b, h.BallotAt, h.BallotFrame
			c.Evidence = "ballot frame " + itoa(h.BallotFrame)
		} else {
			switch {
			case e != nil && e.Type&(svPotentialBrowser|svBackupBrowser|svMasterBrowser) != 0:
				c.Evidence = evidence(&texts, e)
			case c.Master || slices.Contains(g.Potentials, h.Name) || slices.Contains(g.Backups, h.Name):
				c.Evidence = "browser role held"
			default:
				continue
			}
		}
		cs = append(cs, c)
		aud = append(aud, h.Broadcast)
	}
	return cs, aud
}

// evidence is the Contender.Evidence of a browser known by its Browse
// List entry: "HostAnnouncement frame 6 type 0x00019a03", written into
// texts and cut from it (texts never changes what it holds: the string
// stays as it is while more is written after it). A flood lists
// thousands: one block, not a string each.
func evidence(texts *strings.Builder, e *Server) string {
	var buf [96]byte
	b := append(append(buf[:0], e.Kind...), " frame "...)
	b = append(strconv.AppendInt(b, int64(e.LastFrame), 10), " type "...)
	start := texts.Len()
	texts.Write(appendHex(b, uint64(e.Type), 8))
	return texts.String()[start:]
}

// predictGroup predicts g's elections, one per audience.
func predictGroup(s *Snapshot, g *Group) []*Prediction {
	cs, auds := contenders(s, g)
	def := segmentBroadcast(g.Segment)
	byAud := map[netip.Addr]*Prediction{}
	var order []netip.Addr
	// The contenders unsure of their audience (thousands in a flood) are
	// each said to hear def: the sentences are cut from one block
	// (texts, as evidence does), the list made at its size.
	const unsureText = "'s subnet broadcast address is not known: taken to hear "
	nUnsure, hostBytes := 0, 0
	for i := range cs {
		if !auds[i].IsValid() {
			nUnsure++
			hostBytes += len(cs[i].Host)
		}
	}
	defText := ""
	var texts strings.Builder
	if nUnsure > 0 {
		defText = AddrString(def)
		texts.Grow(hostBytes + nUnsure*(len(unsureText)+len(defText)))
	}
	for i, c := range cs {
		a := auds[i]
		unsure := false
		if !a.IsValid() {
			a, unsure = def, true
		}
		auds[i] = a
		p := byAud[a]
		if p == nil {
			p = &Prediction{Segment: g.Segment, Workgroup: g.Workgroup, Audience: a, Time: s.Time}
			byAud[a] = p
			order = append(order, a)
		}
		if unsure {
			if p.Uncertain == nil {
				p.Uncertain = make([]string, 0, nUnsure+1) // and rank's sentence
			}
			start := texts.Len()
			texts.WriteString(c.Host)
			texts.WriteString(unsureText)
			texts.WriteString(defText)
			p.Uncertain = append(p.Uncertain, texts.String()[start:])
		}
	}
	if len(order) == 1 {
		// One audience, as on most segments: its contenders are cs, in
		// order (thousands in a flood: no copy).
		byAud[order[0]].Contenders = cs
	} else {
		for i, c := range cs {
			p := byAud[auds[i]]
			p.Contenders = append(p.Contenders, c)
		}
	}
	sort.Slice(order, func(i, j int) bool {
		// the segment's own audience first
		if (order[i] == def) != (order[j] == def) {
			return order[i] == def
		}
		return order[i].Less(order[j])
	})
	out := make([]*Prediction, 0, len(order))
	for _, a := range order {
		p := byAud[a]
		rank(p)
		out = append(out, p)
	}
	return out
}

// rank orders p's contenders, strongest known ballot first, and fills in
// the winner, the margin and the sentence.
func rank(p *Prediction) {
	less := func(i, j int) bool {
		a, b := &p.Contenders[i], &p.Contenders[j]
		if (a.Ballot == nil) != (b.Ballot == nil) {
			return a.Ballot != nil
		}
		if a.Ballot == nil {
			return a.Host < b.Host
		}
		c := orderAt(*a.Ballot, a.BallotAt, *b.Ballot, b.BallotAt)
		return c > 0
	}
	// Contenders come in the snapshot's host order (by name): with no
	// ballot heard, as in a flood of thousands, they are in order already
	// (by name, a total order), and a stable sort would leave them as
	// they are: checked in one pass (the sort moved every 100-byte
	// Contender about log n times). Ballots are compared with uptimes
	// shifted by their times: those are always sorted.
	if ballots(p.Contenders) || !sort.SliceIsSorted(p.Contenders, less) {
		sort.SliceStable(p.Contenders, less)
	}
	unknown, unknownBytes := 0, 0
	for _, c := range p.Contenders {
		if c.Master {
			p.Masters = append(p.Masters, c.Host)
		}
		if c.Ballot == nil {
			unknown++
			unknownBytes += len(c.Host)
		}
	}
	if unknown > 0 {
		// The names joined by ", " as they are listed (thousands in a
		// flood: written once at their size, not gathered and joined).
		const head, tail = "no ballot heard from ", ": its criteria are not known"
		var b strings.Builder
		b.Grow(len(head) + unknownBytes + 2*(unknown-1) + len(tail))
		b.WriteString(head)
		sep := ""
		for _, c := range p.Contenders {
			if c.Ballot == nil {
				b.WriteString(sep)
				b.WriteString(c.Host)
				sep = ", "
			}
		}
		b.WriteString(tail)
		p.Uncertain = append(p.Uncertain, b.String())
	}
	where := p.Workgroup + " on " + p.Segment
	if p.Audience.IsValid() && p.Audience != segmentBroadcast(p.Segment) {
		where += " among the hosts that accept " + AddrString(p.Audience)
	}
	if len(p.Contenders) == 0 || p.Contenders[0].Ballot == nil {
		p.Text = "an election of " + where + " now: no ballot known, no winner can be predicted"
		if len(p.Contenders) == 0 {
			p.Text = "an election of " + where + " now: no potential browser is present"
		}
		return
	}
	w := &p.Contenders[0]
	p.Winner = w.Host
	p.Change = !w.Master
	if len(p.Contenders) < 2 || p.Contenders[1].Ballot == nil {
		p.Text = p.Winner + " would win an election of " + where + " now: the only potential browser with a known ballot"
	} else {
		r := &p.Contenders[1]
		p.RunnerUp = r.Host
		_, p.Field, p.Margin = compareAt(*w.Ballot, w.BallotAt, *r.Ballot, r.BallotAt)
		p.Text = p.Winner + " would win an election of " + where + " now over " + r.Host + " on " + marginText(p.Field, p.Margin)
	}
	switch {
	case w.Master:
		p.Text += " (it is the local master: it keeps the role)"
	case len(p.Masters) > 0:
		p.Text += " (the local master now is " + strings.Join(p.Masters, ", ") + ")"
	default:
		p.Text += " (there is no local master now)"
	}
}

// ballots reports whether a contender of cs has a ballot.
func ballots(cs []Contender) bool {
	for i := range cs {
		if cs[i].Ballot != nil {
			return true
		}
	}
	return false
}

// marginText names what decided: the criteria phrase says it already ("OS
// level 32 > 20"); the other fields are named ("uptime 43 s > 38 s").
func marginText(field, phrase string) string {
	switch field {
	case "criteria":
		return phrase
	case "version":
		return "election version " + phrase
	}
	return field + " " + phrase
}

// Forecasts returns the timing forecasts of every workgroup and segment.
func Forecasts(s *Snapshot) []*Forecast { return forecasts(s, true) }

// ForecastsByGroup is Forecasts without the Entries: one forecast per
// s.Groups[i], in that order, whose entries are ForecastEntry of each of
// the group's Servers. A writer that prints them one after the other
// makes none (a 16,384-entry Browse List's forecasts were 2 MB of fresh
// memory written, then read once, at the end of a many-hosts --report).
func ForecastsByGroup(s *Snapshot) []*Forecast { return forecasts(s, false) }

func forecasts(s *Snapshot, entries bool) []*Forecast {
	srv := serverOwners(s)
	out := make([]*Forecast, 0, len(s.Groups))
	for _, g := range s.Groups {
		out = append(out, forecast(s, g, srv, entries))
	}
	return out
}

// ForecastEntry is the forecast of the Browse List entry e at the time of s.
func ForecastEntry(s *Snapshot, e *Server) EntryForecast {
	ef := EntryForecast{Name: e.Name, Source: e.Source, Last: e.LastSeen, Expires: e.Expires}
	if e.Source == SourceAnnouncement && e.Periodicity > 0 {
		ef.Next = e.LastSeen.Add(e.Periodicity)
		ef.Overdue = ef.Next.Before(s.Time)
	}
	return ef
}

// ownerKey is a name and an address it was registered from.
type ownerKey struct {
	name string
	addr netip.Addr
}

// serverOwners are the hosts that registered their server service name
// (NAME<20>) from an address: a host with a server service announces itself
// (the server service announces; a client alone does not).
func serverOwners(s *Snapshot) map[ownerKey]bool {
	m := map[ownerKey]bool{}
	for _, n := range s.Names {
		if n.Suffix != 0x20 || n.Group {
			continue
		}
		for _, o := range n.Owners {
			m[ownerKey{canon(n.Name), o.Addr}] = true
		}
	}
	return m
}

// forecast is g's forecast, with its Entries when entries is set.
func forecast(s *Snapshot, g *Group, srv map[ownerKey]bool, entries bool) *Forecast {
	f := &Forecast{Segment: g.Segment, Workgroup: g.Workgroup, Time: s.Time}
	if entries {
		f.Entries = make([]EntryForecast, 0, len(g.Servers))
		for _, e := range g.Servers {
			f.Entries = append(f.Entries, ForecastEntry(s, e))
		}
	}
	f.Backups.Hosts = len(g.Servers)
	f.Backups.Expected = (f.Backups.Hosts + HostsPerBackup - 1) / HostsPerBackup
	for _, b := range g.Backups {
		if !slices.Contains(g.LMB, b) {
			f.Backups.Have = append(f.Backups.Have, b)
		}
	}
	others := otherSegments(s, g)
	list := serverCursor{g: g}
	for _, h := range s.Hosts {
		if h.Segment != g.Segment || h.Workgroup != g.Workgroup || h.Away || s.Time.Sub(h.FirstSeen) > newcomerWindow {
			continue
		}
		listed := list.get(h.Name) != nil
		if !listed && !srv[ownerKey{h.Name, h.Addr}] {
			continue // a client without a server service announces nothing
		}
		if listed && len(others) == 0 && len(f.Backups.Have) == 0 {
			continue // listed, and no backup browser or other subnet to reach: nothing to foresee
		}
		f.Newcomers = append(f.Newcomers, newcomer(s, g, h, others, f.Backups.Have))
	}
	return f
}

// otherSegments lists the other segments where g's workgroup is.
func otherSegments(s *Snapshot, g *Group) []string {
	var out []string
	for _, o := range s.Groups {
		if o.Workgroup == g.Workgroup && o.Segment != g.Segment && !slices.Contains(out, o.Segment) {
			out = append(out, o.Segment)
		}
	}
	return out
}

// NextAnnouncement is when a browser that started at start announces
// itself next after now, on the backoff schedule of AnnounceSteps.
func NextAnnouncement(start, now time.Time) time.Time {
	t := start
	for i := 0; ; i++ {
		step := AnnounceSteps[len(AnnounceSteps)-1]
		if i < len(AnnounceSteps) {
			step = AnnounceSteps[i]
		}
		t = t.Add(step)
		if t.After(now) {
			return t
		}
	}
}

// newcomer forecasts when h is listed by its master and on the other
// segments of its workgroup.
func newcomer(s *Snapshot, g *Group, h *Host, others, backups []string) Newcomer {
	n := Newcomer{Host: h.Name, FirstSeen: h.FirstSeen, Subnets: others}
	e := g.Server(h.Name)
	var b strings.Builder
	if e != nil {
		n.Listed, n.ListedAt = true, e.FirstSeen
		b.WriteString(h.Name + " is in the Browse List since " + fmtTime(e.FirstSeen) + " (frame " + itoa(e.FirstFrame) + ")")
	} else {
		// Its first announcement is due one minute after it started.
		n.ListedAt = h.FirstSeen.Add(AnnounceSteps[0])
		if n.ListedAt.Before(s.Time) {
			n.Overdue = true
			b.WriteString(h.Name + " should have announced itself by " + fmtTime(n.ListedAt) +
				" (a browser announces one minute after it starts) and is still not in the Browse List")
		} else {
			b.WriteString(h.Name + " should be in the Browse List by " + fmtTime(n.ListedAt) + " (its first announcement, one minute after it started)")
		}
	}
	if len(backups) > 0 {
		// Backup browsers copy the master's list every BackupRefresh.
		n.BackupsBy = n.ListedAt.Add(BackupRefresh)
		b.WriteString("; the backup browsers (" + strings.Join(backups, ", ") + ") should have it by " + fmtTime(n.BackupsBy) +
			" (they copy the master's list every " + fmtDur(BackupRefresh) + ")")
	}
	if len(others) == 0 {
		n.Text = b.String()
		return n
	}
	var listedOn []string
	for _, o := range s.Groups {
		if o.Workgroup == g.Workgroup && o.Segment != g.Segment && o.Server(h.Name) != nil {
			listedOn = append(listedOn, o.Segment)
		}
	}
	dmb, dmbSeg := workgroupDMB(s, g.Workgroup)
	switch {
	case len(listedOn) == len(others):
		b.WriteString("; listed on " + strings.Join(listedOn, ", ") + " already")
	case dmb == "":
		b.WriteString("; no domain master browser of " + g.Workgroup + " is known: it will not reach " +
			strings.Join(others, ", ") + " (lists cross subnets only through the domain master browser)")
	case dmbSeg == g.Segment:
		// The domain master is this segment's master: the other local
		// masters copy its list at their next exchange with it.
		n.OtherBy = n.ListedAt.Add(DMBSyncPeriod)
		b.WriteString("; the domain master browser " + dmb + " is on this segment: the other subnets (" + strings.Join(others, ", ") +
			") should have it by " + fmtTime(n.OtherBy) + " (local masters copy its list every " + fmtDur(DMBSyncPeriod) + ")")
	default:
		// The DMB copies this segment's list at its next exchange with
		// the local master, and the other local masters copy the DMB's
		// at theirs: two sync periods at most.
		sync := nextSync(s, g, n.ListedAt)
		n.OtherBy = sync.Add(DMBSyncPeriod)
		b.WriteString("; the domain master browser " + dmb + " should have it by " + fmtTime(sync) +
			" and the other subnets (" + strings.Join(others, ", ") + ") by " + fmtTime(n.OtherBy) +
			" (lists are exchanged every " + fmtDur(DMBSyncPeriod) + ")")
	}
	n.Text = b.String()
	return n
}

// workgroupDMB names the domain master browser of wg and its segment, or
// "".
func workgroupDMB(s *Snapshot, wg string) (name, seg string) {
	for _, o := range s.Groups {
		if o.Workgroup == wg && len(o.DMB) > 0 {
			return o.DMB[0], o.Segment
		}
	}
	for _, l := range s.Links {
		if l.Workgroup == wg && l.DMB != "" {
			return l.DMB, l.DMBSegment
		}
	}
	return "", ""
}

// nextSync is the first list exchange between g's local master and the
// domain master at or after from: a sync period after the last one seen,
// or one period after from when none was seen.
func nextSync(s *Snapshot, g *Group, from time.Time) time.Time {
	var last time.Time
	for _, l := range s.Links {
		if l.Workgroup == g.Workgroup && (l.LMBSegment == g.Segment || l.DMBSegment == g.Segment) && l.Last.After(last) {
			last = l.Last
		}
	}
	if last.IsZero() {
		return from.Add(DMBSyncPeriod)
	}
	t := last.Add(DMBSyncPeriod)
	for t.Before(from) {
		t = t.Add(DMBSyncPeriod)
	}
	return t
}
