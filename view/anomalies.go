package view

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// AnomaliesModel lists the diagnoses the timeline made (first, marked
// "!"), then the anomalies it found, newest first, with the explanation
// of the selected one (a diagnosis's fix); Enter opens its details, f
// jumps to its evidence.
type AnomaliesModel struct {
	table   Table
	keys    TableKeys
	styles  *Styles
	w, h    int
	details map[string]string
	frames  map[string][]int
	note    string // what following the cursor hides
}

// NewAnomalies makes the Anomalies screen.
func NewAnomalies(keys TableKeys, st *Styles) AnomaliesModel {
	t := NewTable([]Column{
		{Title: "Time", Width: 12},
		{Title: "Frame", Width: 5, Right: true, Drop: 2},
		{Title: "Kind", Width: 14},
		{Title: "Workgroup", Width: 9},
		{Title: "Segment", Width: 12, Flex: 1, Drop: 3},
		{Title: "Host", Width: 8, Drop: 1},
		{Title: "Explanation", Width: 24, Flex: 4},
	}, keys, st)
	t.Empty = "no anomaly"
	return AnomaliesModel{table: t, keys: keys, styles: st, details: map[string]string{}, frames: map[string][]int{}}
}

// SetSize sets the screen size.
func (m *AnomaliesModel) SetSize(w, h int) {
	m.w, m.h = w, h
	m.table.SetSize(w, max(h-4-boolInt(m.note != ""), 3))
}

// SetState renders the anomalies known at the cursor.
func (m *AnomaliesModel) SetState(in stateInput) {
	m.table.SetColumnDrop(4, segmentDrop(in.snap, 3))
	m.table.SetColumnWidth(4, segmentWidth(in))
	m.table.SetTimeColumn(0, in.clk)
	var rows []Row
	clear(m.details)
	clear(m.frames)
	if in.snap != nil {
		// The diagnoses first (issue 13): the causes found, each with its
		// fix and evidence (Enter: details, f: the frames).
		for _, d := range in.snap.Diagnoses {
			id := "diagnosis\x00" + d.Kind.String() + "\x00" + d.Segment + "\x00" + d.Workgroup + "\x00" + strings.Join(d.Hosts, ",")
			hosts := esc(strings.Join(d.Hosts, ", "))
			text := in.seg.text(d.Text)
			m.details[id] = text + " | fix: " + in.seg.text(d.Fix) + " | confidence: " + d.Confidence.String() + " (" + in.seg.text(d.Basis) + ")"
			m.frames[id] = uniqInts(d.Frames)
			rows = append(rows, Row{
				ID: id,
				Fields: []Field{
					{"Diagnosis", d.Kind.String()},
					{"Since", in.clk.at(d.First)},
					{"Workgroup", esc(d.Workgroup)},
					{"Segment", in.seg.name(d.Segment)},
					{"Hosts", hosts},
					{"Confidence", d.Confidence.String() + ": " + in.seg.text(d.Basis)},
					{"What is wrong", text},
					{"Fix", in.seg.text(d.Fix)},
					{"Evidence", "frames " + joinFrames(m.frames[id], 60)},
				},
				Cells: []string{in.clk.at(d.Time), itoa(d.Frame), "! " + d.Kind.String(), esc(d.Workgroup), in.seg.name(d.Segment), hosts, text},
				Sort:  []string{d.Time.UTC().Format(time.RFC3339Nano)},
				Mark:  markError,
			})
		}
		for i := len(in.snap.Anomalies) - 1; i >= 0; i-- {
			a := in.snap.Anomalies[i]
			id := a.Time.UTC().Format(time.RFC3339Nano) + "\x00" + a.Kind.String() + "\x00" + itoa(a.Frame) + "\x00" + a.Segment + "\x00" + a.Workgroup
			m.details[id] = in.seg.text(a.Detail)
			m.frames[id] = uniqInts(append([]int{a.Frame}, a.Frames...))
			rows = append(rows, Row{
				ID: id,
				Fields: []Field{
					{"Time", in.clk.at(a.Time)},
					{"Frame", itoa(a.Frame)},
					{"Kind", a.Kind.String()},
					{"Workgroup", esc(a.Workgroup)},
					{"Segment", in.seg.name(a.Segment)},
					{"Host", esc(a.Host)},
					{"Explanation", in.seg.text(a.Detail)},
					{"Evidence", "frames " + joinFrames(m.frames[id], 60)},
				},
				Cells: []string{in.clk.at(a.Time), itoa(a.Frame), a.Kind.String(), esc(a.Workgroup), in.seg.name(a.Segment), esc(a.Host), in.seg.text(a.Detail)},
				Sort:  []string{a.Time.UTC().Format(time.RFC3339Nano)},
			})
		}
	}
	// A frame number is never cut: the column is as wide as the largest.
	fw := 5
	for _, r := range rows {
		fw = max(fw, len(r.Cells[1]))
	}
	m.table.SetColumnWidth(1, fw)
	m.table.SetRows(rows)
}

// Capturing reports whether the screen has the keyboard.
func (m *AnomaliesModel) Capturing() bool { return m.table.Filtering() }

// Update handles keys.
func (m AnomaliesModel) Update(msg tea.Msg) (AnomaliesModel, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	if !m.table.Filtering() && key.Matches(km, m.keys.Frames) {
		if r := m.table.Selected(); r != nil {
			why := r.Cells[2] + " anomaly"
			if isDiagnosisRow(r) {
				why = strings.TrimPrefix(r.Cells[2], "! ") + " diagnosis"
			}
			return m, send(jumpMsg{frames: m.frames[r.ID], why: why})
		}
		return m, nil
	}
	_, cmd := m.table.Update(km)
	return m, cmd
}

// View renders the table and the selected anomaly's explanation.
func (m AnomaliesModel) View() string {
	if m.table.DetailOpen() {
		title := "Anomaly"
		if r := m.table.Selected(); r != nil && isDiagnosisRow(r) {
			title = "Diagnosis"
		}
		return m.table.DetailView(title, m.w, m.h)
	}
	var b strings.Builder
	if m.note != "" {
		b.WriteString(m.styles.Marked.Render(fit(m.note, m.w)) + "\n")
	}
	b.WriteString(m.table.View())
	lines := []string{""}
	if r := m.table.Selected(); r != nil {
		fr := m.frames[r.ID]
		ev := "evidence: frames " + joinFrames(fr, 12) + "  (enter: details, f: jump)"
		lines = append(lines, wrap(m.details[r.ID], m.w)...)
		lines = append(lines, m.styles.Dim.Render(ev))
	}
	for i := 0; i < m.h-m.table.height-boolInt(m.note != ""); i++ {
		s := ""
		if i < len(lines) {
			s = lines[i]
		}
		b.WriteString("\n" + fit(s, m.w))
	}
	return b.String()
}

// isDiagnosisRow reports whether r is a diagnosis, not an anomaly.
func isDiagnosisRow(r *Row) bool { return strings.HasPrefix(r.ID, "diagnosis\x00") }

// joinFrames is "12, 14, 15" (at most n, then "…").
func joinFrames(v []int, n int) string {
	var s []string
	for i, f := range v {
		if i == n {
			s = append(s, "… ("+itoa(len(v))+")")
			break
		}
		s = append(s, itoa(f))
	}
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ", ")
}
