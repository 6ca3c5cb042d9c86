package view

import (
	"time"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// A lane's rows: the local master bars, the elections (a storm shaded),
// and, when the lane has any, the anomalies, the domain master bars and
// the hosts that came and went (+, or their count; - went; ± both).
// Marks never hide each other: each kind has its row, and several
// elections or anomalies in one column are counted (2-9, then +).

// hostChange is a Browse List entry added (a host came) or removed (went).
type hostChange struct {
	t    time.Time
	came bool
}

// hostIndex is the browse.add and browse.remove events of each group,
// in event order, kept from one refresh to the next: a Source only
// appends to its events (feed.Sample), so that a refresh reads only those
// that came since the last (a pass over all of them a lane made the most
// of a refresh with many groups). A slice of events that is not the one
// read before, grown, is read again from its start.
type hostIndex struct {
	base    *timeline.Event // the first event of the slice read
	n       int             // events of it read
	byGroup map[groupKey][]hostChange
}

// changes is the host changes of each group in events.
func (h *hostIndex) changes(events []timeline.Event) map[groupKey][]hostChange {
	if len(events) == 0 {
		*h = hostIndex{}
		return nil
	}
	if &events[0] != h.base || len(events) < h.n {
		*h = hostIndex{base: &events[0], byGroup: map[groupKey][]hostChange{}}
	}
	for i := h.n; i < len(events); i++ {
		e := &events[i]
		if e.Kind != timeline.KindBrowseAdd && e.Kind != timeline.KindBrowseRemove {
			continue
		}
		k := groupKey{e.Segment, e.Workgroup}
		h.byGroup[k] = append(h.byGroup[k], hostChange{e.Time, e.Kind == timeline.KindBrowseAdd})
	}
	h.n = len(events)
	return h.byGroup
}

// laneRow is one row of a lane: its label and its plot cells, rendered.
type laneRow struct {
	label, cells string
}

// countRune is the mark of n marks in one column: r for one, the count
// for 2-9, + for more.
func countRune(r rune, n int) rune {
	switch {
	case n <= 1:
		return r
	case n <= 9:
		return rune('0' + n)
	}
	return '+'
}

// endMark marks the column where the capture ends, on an empty cell.
func (m *LanesModel) endMark(cells []cell) {
	if c := m.col(m.last); c >= 0 && c < len(cells)-1 && cells[c+1].r == 0 {
		cells[c+1] = cell{'┤', &m.styles.Axis}
	}
}

func (m *LanesModel) bars(rs []*timeline.RoleInterval) []cell {
	pw := m.plotW()
	cells := make([]cell, pw)
	for _, ri := range rs {
		end := ri.End
		if end.IsZero() {
			end = m.last
		}
		st := m.styles.bar(m.hosts[ri.Host])
		a, z := m.span(cells, ri.Begin, end, '━', &st)
		name := []rune(esc(ri.Host))
		for i, p := 0, max(a, 0); i < len(name) && p <= z && p < pw; i, p = i+1, p+1 {
			cells[p] = cell{name[i], &st}
		}
	}
	return cells
}

// laneRows renders a lane.
func (m *LanesModel) laneRows(ln *lane) []laneRow {
	pw := m.plotW()
	inPlot := func(c int) bool { return c >= 0 && c < pw }
	lmb := m.bars(ln.roles)
	m.endMark(lmb)
	out := []laneRow{{esc(ln.key.wg), m.renderRow(lmb)}}

	marks := make([]cell, pw)
	for _, s := range ln.storms {
		m.span(marks, s[0], s[1], '░', &m.styles.Storm)
	}
	starts := map[int]int{}
	for _, e := range ln.elections {
		end := e.End
		if end.IsZero() {
			end = m.last
		}
		a, z := m.col(e.Start), m.col(end)
		for c := max(a+1, 0); c <= z && c < pw; c++ {
			if marks[c].r == 0 {
				marks[c] = cell{'─', &m.styles.Election}
			}
		}
		starts[a]++
	}
	for c, n := range starts {
		if inPlot(c) {
			marks[c] = cell{countRune('◆', n), &m.styles.Election}
		}
	}
	out = append(out, laneRow{m.sn.name(ln.key.seg), m.renderRow(marks)})

	if len(ln.anomalies) > 0 {
		an := make([]cell, pw)
		per := map[int]int{}
		for _, a := range ln.anomalies {
			per[m.col(a.Time)]++
		}
		for c, n := range per {
			if inPlot(c) {
				an[c] = cell{countRune('!', n), &m.styles.Anomaly}
			}
		}
		out = append(out, laneRow{"anomalies", m.renderRow(an)})
	}
	if len(ln.dmb) > 0 {
		out = append(out, laneRow{"domain master", m.renderRow(m.bars(ln.dmb))})
	}
	if len(ln.hosts) > 0 {
		hs := make([]cell, pw)
		came, went := map[int]int{}, map[int]int{}
		for _, h := range ln.hosts {
			if h.came {
				came[m.col(h.t)]++
			} else {
				went[m.col(h.t)]++
			}
		}
		for c := 0; c < pw; c++ {
			switch a, w := came[c], went[c]; {
			case a > 0 && w > 0:
				hs[c] = cell{'±', nil}
			case a > 0:
				hs[c] = cell{countRune('+', a), nil}
			case w > 0:
				hs[c] = cell{'-', &m.styles.Dim}
			}
		}
		out = append(out, laneRow{"hosts +/-", m.renderRow(hs)})
	}
	return out
}

// syncBars stand for the domain master of a segment that has none of its
// own: the synchronisation of its local master with the DMB on another
// segment (timeline.Link), as a bar labelled "DMB on A/198.18.1.255".
func syncBars(s *timeline.Snapshot, g *timeline.Group, sn segmentNamer) []*timeline.RoleInterval {
	var out []*timeline.RoleInterval
	for _, l := range s.Links {
		if l.Workgroup != g.Workgroup || l.LMBSegment != g.Segment || l.DMBSegment == g.Segment {
			continue
		}
		out = append(out, &timeline.RoleInterval{Host: l.DMB + " on " + sn.name(l.DMBSegment), Role: timeline.RoleDMB, Begin: l.First, End: l.Last})
	}
	return out
}
