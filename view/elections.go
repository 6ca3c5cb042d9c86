package view

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// ElectionsModel is the table of elections; Enter opens one: its
// candidates with their ballots decoded, its rounds in order, who dropped
// out when, the winner and why it won (all as the timeline decided).
type ElectionsModel struct {
	table  Table
	rounds Table
	keys   TableKeys
	styles *Styles
	in     stateInput
	w, h   int
	open   *timeline.ElectionRecord
	openID string
	byID   map[string]*timeline.ElectionRecord
	note   string // what following the cursor hides
}

// NewElections makes the Elections screen.
func NewElections(keys TableKeys, st *Styles) ElectionsModel {
	t := NewTable([]Column{
		{Title: "#", Width: 3, Right: true},
		{Title: "Workgroup", Width: 9},
		{Title: "Segment", Width: 12, Drop: 3},
		{Title: "Started", Width: 12},
		{Title: "By", Width: 8, Flex: 1},
		{Title: "Rnd", Width: 3, Right: true, Drop: 1},
		{Title: "Cand", Width: 4, Right: true, Drop: 2},
		{Title: "Outcome", Width: 10},
		{Title: "Winner", Width: 8, Flex: 1},
		{Title: "Why", Width: 24, Flex: 3},
	}, keys, st)
	t.Empty = "no election seen"
	r := NewTable([]Column{
		{Title: "Rnd", Width: 3, Right: true},
		{Title: "Time", Width: 12},
		{Title: "Frame", Width: 5, Right: true},
		{Title: "Host", Width: 8, Flex: 1},
		{Title: "Ver", Width: 3, Right: true},
		{Title: "Criteria", Width: 10, Drop: 1},
		{Title: "OS", Width: 3, Right: true},
		{Title: "Brws", Width: 4},
		{Title: "Role bits", Width: 16, Flex: 3},
		{Title: "Uptime", Width: 7, Right: true},
	}, keys, st)
	return ElectionsModel{table: t, rounds: r, keys: keys, styles: st, byID: map[string]*timeline.ElectionRecord{}}
}

// SetSize sets the screen size.
func (m *ElectionsModel) SetSize(w, h int) {
	m.w, m.h = w, h
	m.table.SetSize(w, h-boolInt(m.note != ""))
	m.layoutDetail()
}

func elecID(e *timeline.ElectionRecord) string {
	return e.Segment + "\x00" + e.Workgroup + "\x00" + strconv.Itoa(e.ID)
}

// SetState renders the elections known at the cursor, newest last.
func (m *ElectionsModel) SetState(in stateInput) {
	m.in = in
	m.table.SetColumnDrop(2, segmentDrop(in.snap, 3))
	m.table.SetColumnWidth(2, segmentWidth(in))
	m.table.SetTimeColumn(3, in.clk)
	m.rounds.SetTimeColumn(1, in.clk)
	var rows []Row
	clear(m.byID)
	if in.snap != nil {
		var all []*timeline.ElectionRecord
		for _, g := range in.snap.Groups {
			all = append(all, g.Elections...)
		}
		sortElections(all)
		for _, e := range all {
			id := elecID(e)
			m.byID[id] = e
			by := esc(e.StartedBy)
			if e.Forced {
				by += " (forced)"
			}
			outcome := e.Outcome.String()
			if e.Running {
				outcome = "running"
			}
			mark := markNone
			if e.Flagged {
				mark = markError
				outcome += " !"
			}
			rows = append(rows, Row{
				ID: id,
				Cells: []string{itoa(e.ID), esc(e.Workgroup), in.seg.name(e.Segment), in.clk.at(e.Start), by,
					itoa(len(e.Rounds) + e.RoundsDropped), itoa(len(e.Candidates)), outcome, esc(e.Winner), in.seg.text(e.Why)},
				Sort: []string{"", "", "", e.Start.UTC().Format(time.RFC3339Nano)},
				Mark: mark,
			})
		}
	}
	m.table.SetRows(rows)
	if m.openID != "" {
		if e, ok := m.byID[m.openID]; ok {
			m.setOpen(e)
		}
	}
}

func sortElections(v []*timeline.ElectionRecord) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j].Start.Before(v[j-1].Start); j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

func (m *ElectionsModel) setOpen(e *timeline.ElectionRecord) {
	m.open = e
	m.openID = elecID(e)
	var rows []Row
	for _, r := range e.Rounds {
		b := r.Ballot
		rows = append(rows, Row{
			ID: itoa(r.N),
			Cells: []string{itoa(r.N), m.in.clk.at(r.Time), itoa(r.Frame), esc(r.Host), itoa(int(b.Version)),
				"0x" + hex32(b.Criteria), itoa(int(b.OSLevel())), b.BrowserVersion(), criteriaBits(b.Criteria), uptime(b.Uptime)},
		})
	}
	fw := 5 // a frame number is never cut
	for _, r := range rows {
		fw = max(fw, len(r.Cells[2]))
	}
	m.rounds.SetColumnWidth(2, fw)
	m.rounds.SetRows(rows)
	m.layoutDetail()
}

func hex32(v uint32) string {
	s := strconv.FormatUint(uint64(v), 16)
	return strings.Repeat("0", 8-len(s)) + s
}

func uptime(ms uint32) string { return ago(time.Duration(ms) * time.Millisecond) }

func (m *ElectionsModel) detailHead() []string {
	e := m.open
	if e == nil {
		return nil
	}
	var l []string
	head := "Election #" + itoa(e.ID) + "  ·  " + groupLabel(m.in.seg, groupKey{e.Segment, e.Workgroup}) +
		"  ·  started " + m.in.clk.at(e.Start) + " by " + esc(e.StartedBy) + " (frame " + itoa(e.StartFrame) + ")"
	if e.Forced {
		head += ", forced (version 0 / criteria 0)"
	}
	l = append(l, m.styles.Title.Render(head))
	if e.Incumbent != "" {
		s := "master in office: " + esc(e.Incumbent)
		if e.IncumbentEnd > 0 {
			s += ", stepped down at frame " + itoa(e.IncumbentEnd)
		}
		l = append(l, s)
	}
	oc := "outcome: " + e.Outcome.String()
	if e.Running {
		oc = "outcome: running"
	}
	if !e.End.IsZero() {
		oc += " at " + m.in.clk.at(e.End) + " (frame " + itoa(e.EndFrame) + ")"
	}
	if e.Winner != "" {
		oc += "  ·  winner " + esc(e.Winner)
	}
	if e.RunnerUp != "" {
		oc += "  ·  runner-up " + esc(e.RunnerUp)
	}
	l = append(l, oc)
	if e.Why != "" {
		for _, w := range wrap("why: "+m.in.seg.text(e.Why), m.w) {
			l = append(l, m.styles.Bold.Render(w))
		}
	}
	if e.Flagged {
		l = append(l, m.styles.Error.Render("flagged: "+m.in.seg.text(e.FlagDetail)))
	}
	l = append(l, "", m.styles.Title.Render("Candidates"))
	for _, c := range e.Candidates {
		b := c.Ballot
		s := "  " + esc(c.Host) + "  v" + itoa(int(b.Version)) + " 0x" + hex32(b.Criteria) +
			"  OS " + itoa(int(b.OSLevel())) + "  browser " + b.BrowserVersion() + "  role bits " + criteriaBits(b.Criteria) +
			"  up " + uptime(b.Uptime) + "  " + plural(c.Ballots, "ballot") +
			" (frames " + itoa(c.FirstFrame) + "-" + itoa(c.LastFrame) + ")"
		switch {
		case c.WentAway:
			s += "  went away"
		case c.Dropped:
			s += "  dropped out " + m.in.clk.at(c.DroppedAt) + " (frame " + itoa(c.DroppedFrame) + ", beaten by " + esc(c.DroppedBy) + ")"
		default:
			s += "  in to the end"
		}
		l = append(l, s)
	}
	var crit []uint32
	for _, c := range e.Candidates {
		crit = append(crit, c.Ballot.Criteria)
	}
	if cs := criteriaSources(crit); len(cs) > 0 {
		// Wrapped when there is room, a line a bit (cut) when less, a
		// pointer to a taller terminal when none: the rounds come first.
		var full []string
		for _, s := range cs[1:] {
			for i, w := range wrap(strings.TrimSpace(s), m.w-4) {
				full = append(full, strings.Repeat(" ", 2+2*min(i, 1))+w)
			}
		}
		room := m.h - len(l) - 2 - 2 - 6 // blank+title, rounds title+blank, 6 rows of rounds
		switch {
		case len(full) <= room:
			l = append(l, "", m.styles.Title.Render(cs[0]))
			l = append(l, full...)
		case len(cs)-1 <= room:
			l = append(l, "", m.styles.Title.Render(cs[0]))
			l = append(l, cs[1:]...)
		default:
			l = append(l, "", m.styles.Dim.Render("(role bits: the sources disagree on their meaning; a taller terminal shows what each says)"))
		}
	}
	rd := "Rounds"
	if e.RoundsDropped > 0 {
		rd += " (" + itoa(e.RoundsDropped) + " more not kept)"
	}
	l = append(l, "", m.styles.Title.Render(rd+"  (f: jump to the round's frame, esc: back)"))
	return l
}

func (m *ElectionsModel) layoutDetail() {
	if m.open == nil {
		return
	}
	hh := len(m.detailHead())
	m.rounds.SetSize(m.w, max(m.h-hh, 3))
}

// Capturing reports whether the screen has the keyboard.
func (m *ElectionsModel) Capturing() bool {
	if m.open != nil {
		return m.rounds.Filtering()
	}
	return m.table.Filtering()
}

// Update handles keys: Enter opens an election, Esc closes it, f jumps to
// its frames (or the selected round's).
func (m ElectionsModel) Update(msg tea.Msg) (ElectionsModel, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	if m.open != nil {
		if !m.rounds.Filtering() {
			switch {
			case key.Matches(km, m.keys.Back) && m.rounds.FilterText() == "":
				m.open, m.openID = nil, ""
				return m, nil
			case key.Matches(km, m.keys.Frames), key.Matches(km, m.keys.Open):
				if r := m.rounds.Selected(); r != nil {
					n, _ := strconv.Atoi(r.Cells[2])
					return m, send(jumpMsg{frames: []int{n}, why: "election #" + itoa(m.open.ID) + " round " + r.Cells[0]})
				}
				return m, nil
			}
		}
		_, cmd := m.rounds.Update(km)
		return m, cmd
	}
	if !m.table.Filtering() {
		switch {
		case key.Matches(km, m.keys.Open):
			if r := m.table.Selected(); r != nil {
				if e := m.byID[r.ID]; e != nil {
					m.setOpen(e)
				}
			}
			return m, nil
		case key.Matches(km, m.keys.Frames):
			if r := m.table.Selected(); r != nil {
				if e := m.byID[r.ID]; e != nil {
					return m, send(jumpMsg{frames: electionFrames(e), why: "election #" + itoa(e.ID)})
				}
			}
			return m, nil
		}
	}
	_, cmd := m.table.Update(km)
	return m, cmd
}

// View renders the table or the open election.
func (m ElectionsModel) View() string {
	if m.open == nil {
		if m.note != "" {
			return m.styles.Marked.Render(fit(m.note, m.w)) + "\n" + m.table.View()
		}
		return m.table.View()
	}
	head := m.detailHead()
	for i := range head {
		head[i] = fit(head[i], m.w)
	}
	return strings.Join(head, "\n") + "\n" + m.rounds.View()
}
