package view

import (
	"sort"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// Column describes a table column: its heading, its width (the least it
// gets), its share of spare width (Flex) and its alignment.
type Column struct {
	Title string
	Width int
	Flex  int
	Right bool
	// Drop, when not 0, lets the column go on a narrow terminal: the
	// highest Drop first, before any column is shrunk.
	Drop int
}

// Row is one table row. Cells are display text (wire strings already
// escaped); Sort, when set, holds per-column sort keys (times as sortable
// text); ID keeps the cursor on the same row when the rows are refreshed.
type Row struct {
	ID    string
	Cells []string
	Sort  []string
	Mark  rowMark
	// Fields are the row's detail (Enter): every field, never cut.
	Fields []Field
	// More, if set, adds fields worked out only while the detail is
	// shown (a prediction, the why of a host): too costly for every row.
	More func() []Field
}

type rowMark uint8

const (
	markNone rowMark = iota
	markEvidence
	markError
	markDim
)

// Table is a scrolling table with a row cursor, a "/" filter over every
// cell and a sort column ("s" cycles). It is the bubbles-style component
// the list screens are made of.
type Table struct {
	Columns []Column
	Keys    TableKeys
	Styles  *Styles

	rows      []Row
	view      []int // rows shown: filtered, sorted
	cursor    int
	offset    int
	width     int
	height    int
	input     textinput.Model
	filtering bool
	filterStr string
	sortCol   int // -1: the rows' own order
	sortDesc  bool
	Empty     string // shown when there is no row
	NoCursor  bool   // a table that only shows (no row is selected)
	detail    string // ID of the row whose detail is shown ("": the table)
	detailOff int    // first line of the detail shown
}

// NewTable makes a table.
func NewTable(cols []Column, keys TableKeys, st *Styles) Table {
	ti := textinput.New()
	ti.Prompt = "/"
	ti.CharLimit = 200
	return Table{Columns: cols, Keys: keys, Styles: st, input: ti, sortCol: -1, Empty: "(none)"}
}

// SetColumnWidth sets the least width of column i (a time column follows
// the clock's format).
func (t *Table) SetColumnWidth(i, w int) {
	if i >= 0 && i < len(t.Columns) {
		t.Columns[i].Width = w
	}
}

// SetTimeColumn sizes column i for times written by clock c: as wide as
// a time, numbers (r, d, e) aligned right.
func (t *Table) SetTimeColumn(i int, c clock) {
	if i >= 0 && i < len(t.Columns) {
		t.Columns[i].Width = c.width()
		t.Columns[i].Right = c.numeric()
	}
}

// SetColumnDrop sets whether column i may go on a narrow terminal (0:
// never); a segment column must stay when there are several segments.
func (t *Table) SetColumnDrop(i, drop int) {
	if i >= 0 && i < len(t.Columns) {
		t.Columns[i].Drop = drop
	}
}

// SetSize sets the table's size in cells (header and filter line included).
func (t *Table) SetSize(w, h int) {
	t.width, t.height = w, max(h, 2)
	t.clamp()
}

// SetRows replaces the rows, keeping the cursor on the row with the same
// ID if it is still there.
func (t *Table) SetRows(rows []Row) {
	var id string
	if r := t.Selected(); r != nil {
		id = r.ID
	}
	t.rows = rows
	t.rebuild()
	if id != "" {
		t.SelectID(id)
	}
	t.clamp()
}

// SelectID moves the cursor to the row with that ID; false if it is not
// shown.
func (t *Table) SelectID(id string) bool {
	for i, ri := range t.view {
		if t.rows[ri].ID == id {
			t.cursor = i
			t.clamp()
			return true
		}
	}
	return false
}

// Selected is the row under the cursor, or nil.
func (t *Table) Selected() *Row {
	if t.cursor < 0 || t.cursor >= len(t.view) {
		return nil
	}
	return &t.rows[t.view[t.cursor]]
}

// Len is the number of rows shown.
func (t *Table) Len() int { return len(t.view) }

// Filtering reports whether the filter line has the keyboard.
func (t *Table) Filtering() bool { return t.filtering }

// FilterText is the filter in force.
func (t *Table) FilterText() string { return t.filterStr }

// SetFilter sets the filter text.
func (t *Table) SetFilter(s string) {
	t.filterStr = s
	t.input.SetValue(s)
	t.rebuild()
	t.clamp()
}

func (t *Table) rebuild() {
	t.view = t.view[:0]
	f := strings.ToLower(t.filterStr)
	for i := range t.rows {
		if f == "" || rowContains(&t.rows[i], f) {
			t.view = append(t.view, i)
		}
	}
	if c := t.sortCol; c >= 0 && c < len(t.Columns) {
		sort.SliceStable(t.view, func(a, b int) bool {
			ka, kb := sortKey(&t.rows[t.view[a]], c), sortKey(&t.rows[t.view[b]], c)
			if t.sortDesc {
				return lessKey(kb, ka)
			}
			return lessKey(ka, kb)
		})
	}
}

func rowContains(r *Row, f string) bool {
	for _, c := range r.Cells {
		if strings.Contains(strings.ToLower(c), f) {
			return true
		}
	}
	return false
}

func sortKey(r *Row, c int) string {
	if c < len(r.Sort) && r.Sort[c] != "" {
		return r.Sort[c]
	}
	if c < len(r.Cells) {
		return r.Cells[c]
	}
	return ""
}

// lessKey compares numbers as numbers, other text case-insensitively.
func lessKey(a, b string) bool {
	fa, ea := strconv.ParseFloat(a, 64)
	fb, eb := strconv.ParseFloat(b, 64)
	if ea == nil && eb == nil {
		return fa < fb
	}
	return strings.ToLower(a) < strings.ToLower(b)
}

func (t *Table) bodyHeight() int {
	h := t.height - 1 // header
	if t.filtering || t.filterStr != "" {
		h--
	}
	return max(h, 1)
}

func (t *Table) clamp() {
	if t.cursor >= len(t.view) {
		t.cursor = len(t.view) - 1
	}
	if t.cursor < 0 {
		t.cursor = 0
	}
	bh := t.bodyHeight()
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+bh {
		t.offset = t.cursor - bh + 1
	}
	if t.offset > max(len(t.view)-bh, 0) {
		t.offset = max(len(t.view)-bh, 0)
	}
	if t.offset < 0 {
		t.offset = 0
	}
}

// MoveTo puts the cursor on the i-th row shown.
func (t *Table) MoveTo(i int) {
	t.cursor = i
	t.clamp()
}

// Update handles a key. It reports whether the key was the table's.
func (t *Table) Update(msg tea.KeyMsg) (bool, tea.Cmd) {
	if t.filtering {
		switch msg.Type {
		case tea.KeyEnter:
			t.filtering = false
			t.input.Blur()
			return true, nil
		case tea.KeyEsc:
			t.filtering = false
			t.input.Blur()
			t.SetFilter("")
			return true, nil
		}
		var cmd tea.Cmd
		t.input, cmd = t.input.Update(msg)
		t.filterStr = t.input.Value()
		t.rebuild()
		t.clamp()
		return true, cmd
	}
	if t.detail != "" {
		return t.updateDetail(msg)
	}
	switch {
	case key.Matches(msg, t.Keys.Open):
		return t.OpenDetail(), nil
	case key.Matches(msg, t.Keys.Up):
		t.cursor--
	case key.Matches(msg, t.Keys.Down):
		t.cursor++
	case key.Matches(msg, t.Keys.PageUp):
		t.cursor -= t.bodyHeight()
	case key.Matches(msg, t.Keys.PageDown):
		t.cursor += t.bodyHeight()
	case key.Matches(msg, t.Keys.Home):
		t.cursor = 0
	case key.Matches(msg, t.Keys.End):
		t.cursor = len(t.view) - 1
	case key.Matches(msg, t.Keys.Filter):
		t.filtering = true
		t.input.SetValue(t.filterStr)
		t.input.CursorEnd()
		return true, t.input.Focus()
	case key.Matches(msg, t.Keys.Sort):
		t.cycleSort()
	case key.Matches(msg, t.Keys.Back) && t.filterStr != "":
		t.SetFilter("")
	default:
		return false, nil
	}
	t.clamp()
	return true, nil
}

// cycleSort goes: own order, column 0 up, column 0 down, column 1 up ...
func (t *Table) cycleSort() {
	switch {
	case t.sortCol < 0:
		t.sortCol, t.sortDesc = 0, false
	case !t.sortDesc:
		t.sortDesc = true
	default:
		t.sortCol++
		t.sortDesc = false
		if t.sortCol >= len(t.Columns) {
			t.sortCol = -1
		}
	}
	t.rebuild()
}

// widths shares the width out: the columns that may go are dropped
// (highest Drop first, width 0) while the others do not fit, then every
// column gets its Width, shrinking the widest when they still do not fit,
// then the spare cells go to the Flex columns.
func (t *Table) widths() []int {
	ws := make([]int, len(t.Columns))
	shown := make([]bool, len(t.Columns))
	for i := range shown {
		shown[i] = true
	}
	need := func() (sum, n int) {
		for i, c := range t.Columns {
			if shown[i] {
				sum += c.Width
				n++
			}
		}
		return
	}
	for {
		sum, n := need()
		if sum+n+1 <= t.width {
			break
		}
		drop := -1
		for i, c := range t.Columns {
			if shown[i] && c.Drop > 0 && (drop < 0 || c.Drop > t.Columns[drop].Drop) {
				drop = i
			}
		}
		if drop < 0 {
			break
		}
		shown[drop] = false
	}
	sum, n := need()
	avail := t.width - 2 - (n - 1) // cursor marker, gaps
	flex := 0
	for i, c := range t.Columns {
		if shown[i] {
			ws[i] = c.Width
			flex += c.Flex
		} else {
			ws[i] = -1
		}
	}
	// Too wide: shrink the widest column, the flexible ones (free text)
	// first, so that times and numbers keep their width.
	for sum > avail {
		wi := -1
		for i, c := range t.Columns {
			if c.Flex > 0 && ws[i] > 3 && (wi < 0 || ws[i] > ws[wi]) {
				wi = i
			}
		}
		if wi < 0 {
			for i := range ws {
				if ws[i] > 3 && (wi < 0 || ws[i] > ws[wi]) {
					wi = i
				}
			}
		}
		if wi < 0 {
			break
		}
		ws[wi]--
		sum--
	}
	if spare := avail - sum; spare > 0 && flex > 0 {
		given := 0
		last := -1
		for i, c := range t.Columns {
			if shown[i] && c.Flex > 0 {
				add := spare * c.Flex / flex
				ws[i] += add
				given += add
				last = i
			}
		}
		ws[last] += spare - given
	}
	return ws
}

// View renders the table in exactly its height.
func (t *Table) View() string {
	ws := t.widths()
	var b strings.Builder
	var hdr []string
	for i, c := range t.Columns {
		if ws[i] < 0 {
			continue
		}
		title := c.Title
		if i == t.sortCol {
			if t.sortDesc {
				title += "↓"
			} else {
				title += "↑"
			}
		}
		if c.Right {
			hdr = append(hdr, fitRight(title, ws[i]))
		} else {
			hdr = append(hdr, fit(title, ws[i]))
		}
	}
	b.WriteString(t.Styles.Header.Render(fit("  "+strings.Join(hdr, " "), t.width)))
	lines := 1
	bh := t.bodyHeight()
	if len(t.view) == 0 {
		b.WriteString("\n" + t.Styles.Dim.Render(fit("  "+t.Empty, t.width)))
		lines++
	}
	for i := t.offset; i < len(t.view) && i < t.offset+bh; i++ {
		r := &t.rows[t.view[i]]
		var cells []string
		for c := range t.Columns {
			if ws[c] < 0 {
				continue
			}
			v := ""
			if c < len(r.Cells) {
				v = r.Cells[c]
			}
			if t.Columns[c].Right {
				cells = append(cells, fitRight(v, ws[c]))
			} else {
				cells = append(cells, fit(v, ws[c]))
			}
		}
		marker := "  "
		if r.Mark == markEvidence {
			marker = " *"
		}
		cur := i == t.cursor && !t.NoCursor
		if cur {
			marker = ">" + marker[1:]
		}
		line := fit(marker+strings.Join(cells, " "), t.width)
		switch {
		case cur:
			line = t.Styles.Selected.Render(line)
		case r.Mark == markEvidence:
			line = t.Styles.Marked.Render(line)
		case r.Mark == markError:
			line = t.Styles.Error.Render(line)
		case r.Mark == markDim:
			line = t.Styles.Dim.Render(line)
		}
		b.WriteString("\n" + line)
		lines++
	}
	for ; lines < t.height-boolInt(t.filtering || t.filterStr != ""); lines++ {
		b.WriteString("\n" + strings.Repeat(" ", t.width))
	}
	if t.filtering {
		t.input.Width = max(t.width-2, 1)
		b.WriteString("\n" + fit(t.input.View(), t.width))
	} else if t.filterStr != "" {
		b.WriteString("\n" + t.Styles.Dim.Render(fit("filter: "+t.filterStr+"  ("+itoa(len(t.view))+" of "+itoa(len(t.rows))+", esc clears)", t.width)))
	}
	return b.String()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
