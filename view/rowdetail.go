package view

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Field is one line of a row's detail: a label and its whole value, never
// cut (the detail wraps it). Values are display text (wire strings
// already escaped). A Field with no Label continues the one before it.
type Field struct {
	Label, Value string
}

// The detail of a row (Enter on any table row): every field of the row,
// the long texts wrapped, scrolled with the table's keys; Esc goes back to
// the table. The table keeps the row by ID, so the detail follows the
// row when the rows are refreshed (the time cursor moves).

// OpenDetail shows the detail of the selected row; false if the row has
// none.
func (t *Table) OpenDetail() bool {
	r := t.Selected()
	if r == nil || len(r.Fields) == 0 {
		return false
	}
	t.detail, t.detailOff = r.ID, 0
	return true
}

// DetailOpen reports whether a row's detail is shown.
func (t *Table) DetailOpen() bool { return t.detail != "" }

// CloseDetail goes back to the table.
func (t *Table) CloseDetail() { t.detail = "" }

// updateDetail handles a key while the detail is shown.
func (t *Table) updateDetail(msg tea.KeyMsg) (bool, tea.Cmd) {
	switch {
	case key.Matches(msg, t.Keys.Back), key.Matches(msg, t.Keys.Open):
		t.detail = ""
	case key.Matches(msg, t.Keys.Up):
		t.detailOff--
	case key.Matches(msg, t.Keys.Down):
		t.detailOff++
	case key.Matches(msg, t.Keys.PageUp):
		t.detailOff -= 10
	case key.Matches(msg, t.Keys.PageDown):
		t.detailOff += 10
	case key.Matches(msg, t.Keys.Home):
		t.detailOff = 0
	default:
		return false, nil
	}
	t.detailOff = max(t.detailOff, 0)
	return true, nil
}

// DetailView renders the open row's detail in w x h cells: a title, the
// fields with their labels aligned and their values wrapped, a line of
// keys at the bottom.
func (t *Table) DetailView(title string, w, h int) string {
	var row *Row
	for i := range t.rows {
		if t.rows[i].ID == t.detail {
			row = &t.rows[i]
		}
	}
	var lines []string
	if row == nil {
		lines = []string{t.Styles.Dim.Render("(the row is gone at the cursor)")}
	} else {
		fields := row.Fields
		if row.More != nil {
			fields = append(slices.Clip(fields), row.More()...)
		}
		lines = detailLines(fields, w)
	}
	body := max(h-2, 1)
	off := min(t.detailOff, max(len(lines)-body, 0))
	out := []string{t.Styles.Title.Render(fit(title, w))}
	for i := off; i < off+body; i++ {
		s := ""
		if i < len(lines) {
			s = lines[i]
		}
		out = append(out, fit(s, w))
	}
	hint := "esc: back   ↑/↓ pgup/pgdn: scroll   f: its frames"
	if len(lines) > body {
		hint += "   (" + itoa(off+1) + "-" + itoa(min(off+body, len(lines))) + " of " + itoa(len(lines)) + " lines)"
	}
	out = append(out, t.Styles.Dim.Render(fit(hint, w)))
	return strings.Join(out, "\n")
}

// detailLines lays the fields out: "Label   value", the value wrapped
// under itself.
func detailLines(fs []Field, w int) []string {
	lw := 0
	for _, f := range fs {
		lw = max(lw, width(f.Label))
	}
	lw = min(lw, max(w/3, 8))
	vw := max(w-lw-4, 10)
	var out []string
	for _, f := range fs {
		lbl := fit(f.Label, lw)
		for i, l := range wrap(f.Value, vw) {
			if i > 0 {
				lbl = strings.Repeat(" ", lw)
			}
			out = append(out, "  "+lbl+"  "+l)
		}
	}
	return out
}
