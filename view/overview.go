package view

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// OverviewModel is the first screen: one row per workgroup and segment
// with its current masters, backups, the size of its Browse List, how long
// since the last election, elections and anomalies in the last hour; then
// the latest anomalies. Enter opens the group's Browse List.
type OverviewModel struct {
	table  Table
	gkeys  GroupKeys
	styles *Styles
	in     stateInput
	w, h   int
	recent []string
	diags  []string // the diagnoses, first made first: what is wrong and the fix
}

// NewOverview makes the Overview screen.
func NewOverview(keys TableKeys, gkeys GroupKeys, st *Styles) OverviewModel {
	cols := []Column{
		{Title: "Segment", Width: 12, Flex: 1},
		{Title: "Workgroup", Width: 9, Flex: 1},
		{Title: "Local master", Width: 19, Flex: 2},
		{Title: "Domain master", Width: 15, Flex: 2},
		{Title: "Backups", Width: 7, Flex: 2, Drop: 2},
		{Title: "Srv", Width: 3, Right: true},
		{Title: "Election", Width: 8, Right: true},
		{Title: "El/h", Width: 4, Right: true, Drop: 1},
		{Title: "Anom/h", Width: 6, Right: true},
	}
	t := NewTable(cols, keys, st)
	t.Empty = "no workgroup seen yet"
	return OverviewModel{table: t, gkeys: gkeys, styles: st}
}

// SetSize sets the screen size.
func (m *OverviewModel) SetSize(w, h int) {
	m.w, m.h = w, h
	m.layout()
}

func (m *OverviewModel) layout() {
	th := min(max(m.table.Len()+2, 4), m.h-3)
	if m.table.Filtering() || m.table.FilterText() != "" {
		th++
	}
	m.table.SetSize(m.w, max(th, 3))
}

// SetState renders the state at the cursor.
func (m *OverviewModel) SetState(in stateInput) {
	m.in = in
	m.table.SetColumnWidth(0, segmentWidth(in))
	var rows []Row
	s := in.snap
	if s != nil {
		hour := in.now.Add(-time.Hour)
		for _, g := range s.Groups {
			k := keyOf(g)
			lastEl := "-"
			elH := 0
			for _, e := range g.Elections {
				if e.Start.After(in.now) {
					continue
				}
				lastEl = since(in.now, e.Start)
				if e.Running {
					lastEl = "running"
				}
				if e.Start.After(hour) {
					elH++
				}
			}
			anH := 0
			for _, a := range s.Anomalies {
				if a.Segment == g.Segment && a.Workgroup == g.Workgroup && a.Time.After(hour) && !a.Time.After(in.now) {
					anH++
				}
			}
			lmb := orDash(g.LMB)
			mark := markNone
			if len(g.LMB) > 1 {
				lmb = "SPLIT: " + lmb
				mark = markError
			}
			if len(g.LMB) == 0 {
				if r := lastRole(g, timeline.RoleLMB, in.now); r != nil {
					lmb = "last " + esc(r.Host) + " " + in.clk.sec(r.End)
				}
			}
			rows = append(rows, Row{
				ID:     k.seg + "\x00" + k.wg,
				Fields: groupFields(in, g, elH, anH),
				More:   predictionFields(in, g.Segment, g.Workgroup),
				Cells: []string{in.seg.name(g.Segment), esc(g.Workgroup), lmb, dmbCell(in, g), orDash(g.Backups),
					itoa(len(g.Servers)), lastEl, itoa(elH), itoa(anH)},
				Mark: mark,
			})
		}
		m.diags = m.diags[:0]
		for _, d := range s.Diagnoses {
			m.diags = append(m.diags, d.Kind.String()+" ["+in.seg.text(d.Segment)+"] "+esc(strings.Join(d.Hosts, ", "))+
				" ("+d.Confidence.String()+"): fix: "+in.seg.text(d.Fix))
		}
		m.recent = m.recent[:0]
		for i := len(s.Anomalies) - 1; i >= 0 && len(m.recent) < 20; i-- {
			a := s.Anomalies[i]
			m.recent = append(m.recent, in.clk.at(a.Time)+"  "+a.Kind.String()+"  "+in.seg.text(a.Detail))
		}
	}
	m.table.SetRows(rows)
	m.layout()
}

// Update handles keys: table moves, Enter opens the Browse List of the
// group, f jumps to its latest election's frames.
func (m OverviewModel) Update(msg tea.Msg) (OverviewModel, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	if !m.table.Filtering() && !m.table.DetailOpen() && key.Matches(km, m.gkeys.Browse) {
		if r := m.table.Selected(); r != nil {
			seg, wg, _ := strings.Cut(r.ID, "\x00")
			return m, send(groupMsg{key: groupKey{seg, wg}, screen: screenBrowse})
		}
		return m, nil
	}
	if !m.table.Filtering() && key.Matches(km, m.table.Keys.Frames) {
		if g := m.selectedGroup(); g != nil && len(g.Elections) > 0 {
			e := g.Elections[len(g.Elections)-1]
			return m, send(jumpMsg{frames: electionFrames(e), why: "election #" + itoa(e.ID)})
		}
		return m, nil
	}
	_, cmd := m.table.Update(km)
	m.layout()
	return m, cmd
}

func (m *OverviewModel) selectedGroup() *timeline.Group {
	r := m.table.Selected()
	if r == nil || m.in.snap == nil {
		return nil
	}
	seg, wg, _ := strings.Cut(r.ID, "\x00")
	return m.in.snap.Group(seg, wg)
}

// Capturing reports whether the screen has the keyboard (a filter line).
func (m *OverviewModel) Capturing() bool { return m.table.Filtering() }

// View renders the screen.
func (m OverviewModel) View() string {
	if m.table.DetailOpen() {
		return m.table.DetailView("Workgroup on a segment at "+m.in.clk.at(m.in.now), m.w, m.h)
	}
	var b strings.Builder
	b.WriteString(m.table.View())
	used := m.table.height
	left := m.h - used
	if len(m.diags) > 0 && left >= 3 {
		// The diagnoses come first: the causes found and their fixes
		// (Enter on the Anomalies screen, or --report, for the evidence).
		b.WriteString("\n" + fit("", m.w))
		b.WriteString("\n" + m.styles.Title.Render(fit("Diagnoses ("+itoa(len(m.diags))+")", m.w)))
		left -= 2
		shown := min(len(m.diags), max(1, left-3))
		for i := 0; i < shown; i++ {
			b.WriteString("\n" + fit("  "+m.diags[i], m.w))
		}
		left -= shown
	}
	if left >= 3 {
		n := 0
		if m.in.snap != nil {
			n = len(m.in.snap.Anomalies)
		}
		b.WriteString("\n" + fit("", m.w))
		b.WriteString("\n" + m.styles.Title.Render(fit("Latest anomalies ("+itoa(n)+")", m.w)))
		left -= 2
		for i := 0; i < left; i++ {
			line := ""
			if i < len(m.recent) {
				line = "  " + m.recent[i]
			} else if i == 0 {
				line = "  (none)"
			}
			b.WriteString("\n" + fit(line, m.w))
		}
	}
	return b.String()
}

// electionFrames are the frames of an election: its rounds and its end.
func electionFrames(e *timeline.ElectionRecord) []int {
	var fr []int
	fr = append(fr, e.StartFrame)
	for _, r := range e.Rounds {
		fr = append(fr, r.Frame)
	}
	fr = append(fr, e.EndFrame)
	return uniqInts(fr)
}

// lastRole is the latest interval of role in the group that ended at or
// before now (the last known holder when nobody holds it).
func lastRole(g *timeline.Group, role timeline.Role, now time.Time) *timeline.RoleInterval {
	var last *timeline.RoleInterval
	for _, r := range g.RolesOf(role) {
		if r.End.IsZero() || r.End.After(now) {
			continue
		}
		if last == nil || r.End.After(last.End) {
			last = r
		}
	}
	return last
}

// syncDMB is the domain master a group's local master synchronises with
// (timeline.Link), when that DMB is on another segment: "DMB on A/1.255".
func syncDMB(in stateInput, g *timeline.Group) string {
	if in.snap == nil {
		return ""
	}
	var best *timeline.Link
	for _, l := range in.snap.Links {
		if l.Workgroup == g.Workgroup && l.LMBSegment == g.Segment && l.DMBSegment != g.Segment && !l.First.After(in.now) {
			if best == nil || l.Last.After(best.Last) {
				best = l
			}
		}
	}
	if best == nil {
		return ""
	}
	return esc(best.DMB) + " on " + in.seg.name(best.DMBSegment)
}

// dmbCell is the Domain master column: the DMB on the segment, else the
// one on another segment its master syncs with, else the last known.
func dmbCell(in stateInput, g *timeline.Group) string {
	if len(g.DMB) > 0 {
		return orDash(g.DMB)
	}
	if s := syncDMB(in, g); s != "" {
		return "sync: " + s
	}
	if r := lastRole(g, timeline.RoleDMB, in.now); r != nil {
		return "last " + esc(r.Host) + " " + in.clk.sec(r.End)
	}
	return "-"
}

// groupFields are a workgroup's detail on the Overview.
func groupFields(in stateInput, g *timeline.Group, elH, anH int) []Field {
	lmb := orDash(g.LMB)
	if r := lastRole(g, timeline.RoleLMB, in.now); r != nil && len(g.LMB) == 0 {
		lmb = "none now; last known " + esc(r.Host) + " from " + in.clk.at(r.Begin) + " (frame " + itoa(r.BeginFrame) + ") to " +
			in.clk.at(r.End) + " (frame " + itoa(r.EndFrame) + "): " + esc(r.EndReason)
	}
	dmb := orDash(g.DMB)
	if s := syncDMB(in, g); s != "" {
		dmb += "; its local master syncs with " + s
	} else if r := lastRole(g, timeline.RoleDMB, in.now); r != nil && len(g.DMB) == 0 {
		dmb = "none now; last known " + esc(r.Host) + " until " + in.clk.at(r.End)
	}
	fs := []Field{
		{"Segment", in.seg.name(g.Segment)},
		{"Workgroup", esc(g.Workgroup)},
		{"Local master", lmb},
		{"Domain master", dmb},
		{"PDC", orDash(g.PDC)},
		{"Backups", orDash(g.Backups)},
		{"Potential", orDash(g.Potentials)},
		{"Browse List", plural(len(g.Servers), "server")},
		{"Elections", itoa(len(g.Elections)) + " kept, " + itoa(elH) + " in the last hour"},
		{"Anomalies", itoa(anH) + " in the last hour"},
	}
	for _, r := range g.Roles {
		if r.Begin.After(in.now) || (r.Role != timeline.RoleLMB && r.Role != timeline.RoleDMB) {
			continue
		}
		s := esc(r.Host) + " from " + in.clk.at(r.Begin)
		if !r.End.IsZero() && !r.End.After(in.now) {
			s += " to " + in.clk.at(r.End)
		}
		if r.BeginReason != "" {
			s += ": " + esc(r.BeginReason)
		}
		fs = append(fs, Field{"Role " + r.Role.String(), s})
	}
	return fs
}

// predictionFields are the Overview detail's prediction (issue 13): who
// would win an election held now on the group's segment, from each
// potential browser's latest ballot (timeline.Predict), and what makes it
// uncertain. Worked out only while the detail is shown.
func predictionFields(in stateInput, seg, wg string) func() []Field {
	return func() []Field {
		if in.snap == nil {
			return nil
		}
		var fs []Field
		for _, p := range timeline.Predict(in.snap) {
			if p.Segment != seg || p.Workgroup != wg {
				continue
			}
			fs = append(fs, Field{"Election now", in.seg.text(p.Text)})
			for i, c := range p.Contenders {
				ballot := "no ballot heard"
				if c.Ballot != nil {
					ballot = esc(c.Ballot.String())
				}
				fs = append(fs, Field{"", itoa(i+1) + ". " + esc(c.Host) + " " + ballot})
			}
			for _, u := range p.Uncertain {
				fs = append(fs, Field{"Uncertain", in.seg.text(u)})
			}
		}
		return fs
	}
}
