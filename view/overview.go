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
	styles *Styles
	in     stateInput
	w, h   int
	recent []string
}

// NewOverview makes the Overview screen.
func NewOverview(keys TableKeys, st *Styles) OverviewModel {
	cols := []Column{
		{Title: "Segment", Width: 12, Flex: 2},
		{Title: "Workgroup", Width: 9, Flex: 1},
		{Title: "Local master", Width: 12, Flex: 1},
		{Title: "Domain master", Width: 9, Flex: 1},
		{Title: "Backups", Width: 7, Flex: 2},
		{Title: "Srv", Width: 3, Right: true},
		{Title: "Election", Width: 8, Right: true},
		{Title: "El/h", Width: 4, Right: true},
		{Title: "Anom/h", Width: 6, Right: true},
	}
	t := NewTable(cols, keys, st)
	t.Empty = "no workgroup seen yet"
	return OverviewModel{table: t, styles: st}
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
			rows = append(rows, Row{
				ID: k.seg + "\x00" + k.wg,
				Cells: []string{in.seg.name(g.Segment), esc(g.Workgroup), lmb, orDash(g.DMB), orDash(g.Backups),
					itoa(len(g.Servers)), lastEl, itoa(elH), itoa(anH)},
				Mark: mark,
			})
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
	if !m.table.Filtering() && key.Matches(km, m.table.Keys.Open) {
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
	var b strings.Builder
	b.WriteString(m.table.View())
	used := m.table.height
	left := m.h - used
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
