package view

import (
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// zoomLevels are the time spans of one column of the Timeline screen.
var zoomLevels = []time.Duration{
	10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond,
	100 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond,
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// lane is one workgroup on one segment: who held local master, its
// elections, its storms and anomalies, all from the timeline's state.
type lane struct {
	key       groupKey
	roles     []*timeline.RoleInterval
	elections []*timeline.ElectionRecord
	storms    [][2]time.Time
	anomalies []*timeline.Anomaly
	dmb       []*timeline.RoleInterval
	hosts     []hostChange
}

// LanesModel is the Timeline screen: time runs left to right, one lane per
// workgroup and segment. The time cursor it moves is shared: every state
// screen shows the state at the cursor. In follow mode (live, or before
// the cursor is first moved) the cursor is "now", the right edge.
type LanesModel struct {
	keys   LaneKeys
	styles *Styles
	sn     segmentNamer
	clk    clock
	w, h   int

	lanes []lane
	hosts map[string]int // colour of each host
	// hostIdx is the host changes of each lane, read from the events as
	// they come (one for the copies of the model: it keeps what it read
	// of the events it was handed last, whichever copy handed them).
	hostIdx *hostIndex
	events  []timeline.Event
	first   time.Time
	last    time.Time // the latest time known: last frame, or now (live)

	sel    int
	top    int
	scale  time.Duration
	zoomed bool // the user chose the scale
	cursor time.Time
	follow bool
	end    time.Time // right edge of the view
	snapAt time.Time // time of the state shown (the snapshot at the cursor)
}

// NewLanes makes the Timeline screen.
func NewLanes(keys LaneKeys, st *Styles) LanesModel {
	return LanesModel{keys: keys, styles: st, follow: true, scale: time.Second, hosts: map[string]int{}, hostIdx: &hostIndex{}}
}

// SetSize sets the screen size.
func (m *LanesModel) SetSize(w, h int) {
	m.w, m.h = w, h
	m.fitView()
}

func (m *LanesModel) labelW() int { return min(max(m.w/5, 10), 22) }
func (m *LanesModel) plotW() int  { return max(m.w-m.labelW()-1, 10) }

// SetData gives the screen the whole history (the latest snapshot), the
// events, the capture's first and latest time, the time cursor and the
// time of the snapshot the state screens show. frameTime gives the time of
// a frame (for storm shading).
func (m *LanesModel) SetData(s *timeline.Snapshot, events []timeline.Event, first, last time.Time, cursor time.Time, follow bool, snapAt time.Time, sn segmentNamer, frameTime func(int) time.Time) {
	m.sn = sn
	m.events = events
	m.first, m.last = first, last
	m.follow = follow
	m.cursor = cursor
	m.snapAt = snapAt
	m.lanes = m.lanes[:0]
	if s != nil {
		if m.hostIdx == nil {
			m.hostIdx = &hostIndex{}
		}
		changes := m.hostIdx.changes(events)
		for _, g := range s.Groups {
			ln := lane{key: keyOf(g), roles: g.RolesOf(timeline.RoleLMB), elections: g.Elections, dmb: g.RolesOf(timeline.RoleDMB)}
			ln.hosts = changes[ln.key]
			if len(ln.dmb) == 0 {
				ln.dmb = syncBars(s, g, sn)
			}
			for _, ri := range ln.dmb {
				if _, ok := m.hosts[ri.Host]; !ok {
					m.hosts[ri.Host] = len(m.hosts)
				}
			}
			for _, ri := range ln.roles {
				if _, ok := m.hosts[ri.Host]; !ok {
					m.hosts[ri.Host] = len(m.hosts)
				}
			}
			for _, a := range s.Anomalies {
				if a.Segment != g.Segment || a.Workgroup != g.Workgroup {
					continue
				}
				ln.anomalies = append(ln.anomalies, a)
				if a.Kind == timeline.AnomalyElectionStorm {
					lo, hi := a.Time, a.Time
					for _, fr := range a.Frames {
						if t := frameTime(fr); !t.IsZero() {
							lo = minTime(lo, t)
							hi = maxTime(hi, t)
						}
					}
					ln.storms = append(ln.storms, [2]time.Time{lo, hi})
				}
			}
			m.lanes = append(m.lanes, ln)
		}
	}
	if m.sel >= len(m.lanes) {
		m.sel = max(len(m.lanes)-1, 0)
	}
	m.fitView()
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// fitView picks the scale (until the user zooms: the whole capture fits)
// and the right edge (the latest time when following; else so that the
// cursor is in view).
func (m *LanesModel) fitView() {
	pw := m.plotW()
	if !m.zoomed && !m.first.IsZero() {
		span := m.last.Sub(m.first)
		m.scale = zoomLevels[len(zoomLevels)-1]
		for _, z := range zoomLevels {
			if z*time.Duration(pw-1) >= span {
				m.scale = z
				break
			}
		}
	}
	if m.follow {
		m.cursor = m.last
	}
	if m.end.IsZero() || m.follow || !m.zoomed {
		m.end = m.last
		if !m.zoomed && !m.first.IsZero() {
			m.end = m.first.Add(m.scale * time.Duration(pw-1))
			if m.end.Before(m.last) {
				m.end = m.last
			}
		}
	}
	start := m.end.Add(-m.scale * time.Duration(pw-1))
	if m.cursor.Before(start) {
		m.end = m.cursor.Add(m.scale * time.Duration(pw/4))
	} else if m.cursor.After(m.end) {
		m.end = m.cursor.Add(m.scale * time.Duration(pw/8))
	}
}

func (m *LanesModel) start() time.Time {
	return m.end.Add(-m.scale * time.Duration(m.plotW()-1))
}

// col is the column of t (may be outside the plot).
func (m *LanesModel) col(t time.Time) int {
	d := t.Sub(m.start())
	c := int(d / m.scale)
	if d < 0 && d%m.scale != 0 {
		c--
	}
	return c
}

// Update handles the cursor keys and zoom.
func (m LanesModel) Update(msg tea.Msg) (LanesModel, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	move := func(t time.Time) (LanesModel, tea.Cmd) {
		if !m.first.IsZero() {
			if t.Before(m.first) {
				t = m.first
			}
			if t.After(m.last) {
				t = m.last
			}
		}
		m.cursor = t
		m.follow = false
		m.fitView()
		return m, send(cursorMsg{t: t})
	}
	pw := time.Duration(m.plotW())
	switch {
	case key.Matches(km, m.keys.Left):
		return move(m.cursor.Add(-m.scale))
	case key.Matches(km, m.keys.Right):
		return move(m.cursor.Add(m.scale))
	case key.Matches(km, m.keys.FarLeft):
		return move(m.cursor.Add(-m.scale * pw * 3 / 4))
	case key.Matches(km, m.keys.FarRight):
		return move(m.cursor.Add(m.scale * pw * 3 / 4))
	case key.Matches(km, m.keys.ZoomIn), key.Matches(km, m.keys.ZoomOut):
		i := sort.Search(len(zoomLevels), func(i int) bool { return zoomLevels[i] >= m.scale })
		if key.Matches(km, m.keys.ZoomIn) {
			i--
		} else {
			i++
		}
		i = min(max(i, 0), len(zoomLevels)-1)
		c := m.col(m.cursor)
		m.scale = zoomLevels[i]
		m.zoomed = true
		// Keep the cursor in the same column.
		m.end = m.cursor.Add(m.scale * time.Duration(m.plotW()-1-c))
		m.fitView()
	case key.Matches(km, m.keys.Up):
		m.sel = max(m.sel-1, 0)
	case key.Matches(km, m.keys.Down):
		m.sel = min(m.sel+1, max(len(m.lanes)-1, 0))
	case key.Matches(km, m.keys.PrevEvent), key.Matches(km, m.keys.NextEvent):
		ts := m.laneTimes()
		next := key.Matches(km, m.keys.NextEvent)
		var to time.Time
		for _, t := range ts {
			if next && t.After(m.cursor) {
				to = t
				break
			}
			if !next && t.Before(m.cursor) {
				to = t
			}
		}
		if !to.IsZero() {
			return move(to)
		}
	case key.Matches(km, m.keys.Frames):
		return m, send(jumpMsg{at: m.cursor, why: "cursor " + m.clk.at(m.cursor)})
	}
	return m, nil
}

// laneTimes are the moments something happened in the selected lane, in
// order: roles beginning and ending, elections starting and ending,
// anomalies.
func (m *LanesModel) laneTimes() []time.Time {
	if m.sel >= len(m.lanes) {
		return nil
	}
	ln := m.lanes[m.sel]
	var ts []time.Time
	add := func(t time.Time) {
		if !t.IsZero() {
			ts = append(ts, t)
		}
	}
	for _, r := range ln.roles {
		add(r.Begin)
		add(r.End)
	}
	for _, e := range ln.elections {
		add(e.Start)
		add(e.End)
	}
	for _, a := range ln.anomalies {
		add(a.Time)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	return ts
}

type cell struct {
	r  rune
	st *lipgloss.Style
}

func (m *LanesModel) renderRow(cells []cell) string {
	var b strings.Builder
	cc := m.col(m.cursor)
	for i, c := range cells {
		r := c.r
		if r == 0 {
			r = ' '
		}
		if i == cc && r == ' ' {
			b.WriteString(m.styles.Cursor.Render("│"))
			continue
		}
		if c.st != nil {
			b.WriteString(c.st.Render(string(r)))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (m *LanesModel) span(cells []cell, from, to time.Time, r rune, st *lipgloss.Style) (int, int) {
	a, z := m.col(from), m.col(to)
	if z < a {
		z = a
	}
	for c := max(a, 0); c <= z && c < len(cells); c++ {
		cells[c] = cell{r, st}
	}
	return a, z
}

// axis renders the time labels over the plot.
func (m *LanesModel) axis() string {
	pw := m.plotW()
	row := []rune(strings.Repeat(" ", pw))
	step := zoomLevels[len(zoomLevels)-1]
	lw := time.Duration(width(m.clk.sec(m.start())) + 2)
	for _, z := range zoomLevels {
		if z >= m.scale*lw && z >= time.Second {
			step = z
			break
		}
	}
	st := m.start()
	t := st.Truncate(step)
	if t.Before(st) {
		t = t.Add(step)
	}
	for ; ; t = t.Add(step) {
		c := m.col(t)
		if c >= pw || t.After(m.last) {
			break // the axis ends where the capture ends
		}
		lbl := []rune("┊" + m.clk.sec(t))
		if c+len(lbl) > pw {
			break
		}
		copy(row[c:], lbl)
	}
	return m.styles.Axis.Render(string(row))
}

// View renders the screen.
func (m LanesModel) View() string {
	lw, pw := m.labelW(), m.plotW()
	var out []string
	add := func(s string) { out = append(out, s) }
	add(fit("", lw+1) + m.axis())
	info := m.infoLines()
	avail := max(m.h-1-2-len(info), 2)
	// Lanes are shown whole, from top, as many as fit (the selected one
	// always).
	rows := func(i int) int { return len(m.laneRows(&m.lanes[i])) }
	if m.sel < m.top {
		m.top = m.sel
	}
	for m.top < m.sel {
		used := 0
		for i := m.top; i <= m.sel; i++ {
			used += rows(i)
		}
		if used <= avail {
			break
		}
		m.top++
	}
	if len(m.lanes) == 0 {
		add(m.styles.Dim.Render(fit("  no workgroup seen yet", m.w)))
	}
	used := 0
	for i := m.top; i < len(m.lanes); i++ {
		lr := m.laneRows(&m.lanes[i])
		if used+len(lr) > avail && i > m.top {
			break
		}
		used += len(lr)
		for j, r := range lr {
			lbl := r.label
			switch j {
			case 0:
				marker := " "
				if i == m.sel {
					marker = ">"
				}
				lbl = fit(marker+lbl, lw)
				if i == m.sel {
					lbl = m.styles.Bold.Render(lbl)
				}
			default:
				lbl = m.styles.Dim.Render(fit(" "+lbl, lw))
			}
			add(lbl + " " + r.cells)
		}
	}
	// The cursor row: a caret under the cursor column and its time.
	cc := m.col(m.cursor)
	cur := []rune(strings.Repeat(" ", pw))
	if cc >= 0 && cc < pw {
		cur[cc] = '▲'
		lbl := []rune(" " + m.clk.at(m.cursor))
		if cc+1+len(lbl) <= pw {
			copy(cur[cc+1:], lbl)
		} else if cc-len(lbl) >= 0 {
			copy(cur[cc-len(lbl):], []rune(m.clk.at(m.cursor)+" "))
		}
	}
	add(fit("", lw+1) + m.styles.Cursor.Render(string(cur)))
	for len(out) < m.h-len(info) {
		add("")
	}
	out = append(out, info...)
	for i := range out {
		out[i] = fit(out[i], m.w)
	}
	return strings.Join(out[:min(len(out), m.h)], "\n")
}

// infoLines say where the cursor is and what the selected lane looked like
// then: its local master, its last election, and its latest events up to
// the cursor.
func (m *LanesModel) infoLines() []string {
	mode := "pinned"
	if m.follow {
		mode = "follow (F)"
	}
	rel := ""
	if !m.first.IsZero() {
		rel = " (+" + secs(m.cursor.Sub(m.first)) + ")"
	}
	lines := []string{
		m.styles.Dim.Render("━ master ◆ election (2-9: count) ─ running ░ storm ! anomaly +- hosts ┤ end │ cursor"),
		"cursor " + m.clk.at(m.cursor) + rel + "  ·  " + m.scale.String() + "/column  ·  " + mode + asOf(m.clk, m.snapAt, m.cursor),
	}
	if m.sel >= len(m.lanes) {
		return lines
	}
	ln := &m.lanes[m.sel]
	var held []string
	for _, r := range ln.roles {
		if r.HeldAt(m.cursor) {
			held = append(held, esc(r.Host)+" since "+m.clk.at(r.Begin)+" (frame "+itoa(r.BeginFrame)+")")
		}
	}
	lm := "none"
	if len(held) > 0 {
		lm = strings.Join(held, "; ")
	}
	lines = append(lines, groupLabel(m.sn, ln.key)+": local master "+lm)
	var last *timeline.ElectionRecord
	for _, e := range ln.elections {
		if !e.Start.After(m.cursor) {
			last = e
		}
	}
	if last != nil {
		s := "last election #" + itoa(last.ID) + " at " + m.clk.at(last.Start)
		if last.End.IsZero() || last.End.After(m.cursor) {
			s += ": running"
		} else {
			s += ": " + last.Outcome.String()
			if last.Winner != "" {
				s += ", " + esc(last.Winner)
			}
		}
		lines = append(lines, s)
	}
	// The lane's events up to the cursor, latest first.
	n := max((m.h-8)/5, 2)
	i := sort.Search(len(m.events), func(i int) bool { return m.events[i].Time.After(m.cursor) })
	var evs []string
	for j := i - 1; j >= 0 && j > i-20000 && len(evs) < n; j-- {
		e := &m.events[j]
		if e.Segment != ln.key.seg || e.Workgroup != ln.key.wg || e.Kind == timeline.KindElectionBallot {
			continue
		}
		evs = append(evs, "  "+m.clk.at(e.Time)+" #"+itoa(e.Frame)+" "+eventLine(e, m.sn))
	}
	return append(lines, evs...)
}

// secs is a duration in seconds with 3 decimals.
func secs(d time.Duration) string {
	return strings.TrimSuffix(strings.TrimRight(formatFloat(d.Seconds(), 3), "0"), ".") + "s"
}

// eventLine is a one-line description of an event.
func eventLine(e *timeline.Event, sn segmentNamer) string {
	s := e.Kind.String()
	if e.Host != "" {
		s += " " + esc(e.Host)
	}
	if rc, ok := e.Data.(*timeline.RoleChange); ok {
		s += " " + rc.Role.String()
		if e.Reason != "" {
			s += ": " + esc(e.Reason)
		}
		return s
	}
	if e.Detail != "" {
		return s + ": " + sn.text(e.Detail)
	}
	switch d := e.Data.(type) {
	case *timeline.ElectionEnd:
		if d.Why != "" {
			return s + ": " + sn.text(d.Why)
		}
	case *timeline.ServerChange:
		return s + ": " + esc(d.Server.Name)
	case *timeline.NameInfo:
		return s + ": " + esc(d.Display())
	}
	if e.Reason != "" {
		s += ": " + esc(e.Reason)
	}
	return s
}

// asOf says which snapshot the state screens show, when it is not the
// cursor's own time.
func asOf(c clock, snap, cursor time.Time) string {
	if snap.IsZero() || snap.Equal(cursor) {
		return ""
	}
	return "  ·  state as of " + c.at(snap)
}
