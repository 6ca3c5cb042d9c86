package output

import (
	"bufio"
	"encoding/binary"
	"slices"
	"strconv"
	"text/tabwriter"
	"time"
	"unicode/utf8"
)

// aligner lays a table of the report out in columns exactly as
// text/tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) does when each row is
// written with one Write and the block ends with Flush, without its cost:
// tabwriter keeps a cell record per cell and copies the whole block
// through a buffer it grows as it goes (a 10,000-host Browse List spent a
// third of the report's time there). Here a row is its cells' text one
// after the other; the table's width of each column but the last is the
// most runes of its cells (utf8.RuneCount, as tabwriter counts) plus 2;
// each cell but the last of its row is padded to it with spaces, the
// last is written as it is.
//
// That holds when every row has the same number of cells and no cell
// holds a byte tabwriter takes for markup (tab, newline, vertical tab,
// form feed, or its Escape byte 0xff): otherwise the block is written
// through text/tabwriter itself, so the output is the same in every case.
// The buffers are kept for the next table.
type aligner struct {
	// buf holds the block as tabwriter would have been given it: cells
	// ended by '\t', rows by '\n'.
	buf []byte
	// cells holds per cell the end of its text in buf and its width;
	// rows the number of cells of each row.
	cells []alignCell
	rows  []int32
	start int  // where the current cell begins in buf
	n     int  // cells in the current row so far
	tw    bool // a row needs tabwriter (see above)
	width []int
	ts    tsCache // for time
	// rowWidth: the widths of a row's cells, for streamWidths;
	// knownWidths: the row being laid out has its widths there
	// (streamWidths' second pass), endCell does not measure.
	rowWidth    []int
	knownWidths bool
	// measuring: stream's first pass, which keeps only the cells'
	// widths: a time is written as tsPlaceholder, the width
	// appendTS gives it (the same for every time of years 0 to 9999).
	measuring bool
}

type alignCell struct {
	end, width int32
}

// reset empties the aligner for a new table.
func (a *aligner) reset() {
	a.buf, a.cells, a.rows, a.width = a.buf[:0], a.cells[:0], a.rows[:0], a.width[:0]
	a.start, a.n, a.tw = 0, 0, false
}

// str appends s to the current cell.
func (a *aligner) str(s string) { a.buf = append(a.buf, s...) }

// esc appends the wire string s, escaped (esc), to the current cell.
func (a *aligner) esc(s string) { a.buf = AppendEscapedString(a.buf, s) }

// int appends n in decimal to the current cell.
func (a *aligner) int(n int) { a.buf = strconv.AppendInt(a.buf, int64(n), 10) }

// time appends t as ts writes it to the current cell.
func (a *aligner) time(t time.Time) {
	if a.measuring && !t.IsZero() {
		if sec := t.Unix(); sec >= tsMinUnix && sec <= tsMaxUnix {
			a.buf = append(a.buf, tsPlaceholder...)
			return
		}
	}
	a.buf = a.ts.appendTS(a.buf, t)
}

// tsPlaceholder stands for a time while a table is measured.
const tsPlaceholder = "0000-00-00T00:00:00.000000000Z"

// tab ends the current cell; the next text goes into a new one.
func (a *aligner) tab() {
	a.endCell()
	a.buf = append(a.buf, '\t')
	a.start = len(a.buf)
}

// row ends the current cell and its row.
func (a *aligner) row() {
	a.endCell()
	a.buf = append(a.buf, '\n')
	a.start = len(a.buf)
	if len(a.rows) > 0 && int(a.rows[0]) != a.n {
		a.tw = true
	}
	a.rows = append(a.rows, int32(a.n))
	a.n = 0
}

func (a *aligner) endCell() {
	if a.knownWidths {
		a.cells = append(a.cells, alignCell{end: int32(len(a.buf))})
		a.n++
		return
	}
	w, ok := cellWidth(a.buf[a.start:])
	if !ok {
		a.tw = true
	}
	a.cells = append(a.cells, alignCell{end: int32(len(a.buf)), width: int32(w)})
	a.n++
}

// cellWidth is the width tabwriter gives the text of a cell (its runes,
// utf8.RuneCount), and whether tabwriter would take it as plain text.
func cellWidth(b []byte) (int, bool) {
	n, i := 0, 0
	// Eight bytes at a time while they are all printable ASCII (no byte
	// below 0x20, none from 0x80): most cells are nothing else.
	for ; i+8 <= len(b); i, n = i+8, n+8 {
		x := binary.LittleEndian.Uint64(b[i:])
		if (x-0x2020202020202020)&^x&0x8080808080808080 != 0 || x&0x8080808080808080 != 0 {
			break
		}
	}
	for i < len(b) {
		n++
		c := b[i]
		if c < utf8.RuneSelf {
			if c == '\t' || c == '\n' || c == '\v' || c == '\f' {
				return 0, false
			}
			i++
			continue
		}
		if c == tabwriter.Escape {
			return 0, false
		}
		// An invalid byte counts as a rune of its own, as in RuneCount
		// (and 0xff is never inside a valid sequence: it is seen here).
		_, size := utf8.DecodeRune(b[i:])
		i += size
	}
	return n, true
}

// flush writes the table to w and empties the aligner. (Text after the
// last row is written as tabwriter writes it, unterminated.)
func (a *aligner) flush(w *bufio.Writer) {
	if a.tw || a.start < len(a.buf) || alignByTabwriter {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		tw.Write(a.buf)
		tw.Flush()
		a.reset()
		return
	}
	if len(a.rows) == 0 {
		a.reset()
		return
	}
	cols := int(a.rows[0])
	a.zeroWidths(cols)
	a.widen(cols)
	a.writeCells(w, cols)
	a.reset()
}

// zeroWidths makes the widths of the columns of a table of cols columns
// zero (the last column has none: it is never padded).
func (a *aligner) zeroWidths(cols int) {
	a.width = append(a.width[:0], make([]int, max(cols-1, 0))...)
}

// widen widens the columns to the cells laid out, rows of cols cells.
func (a *aligner) widen(cols int) {
	for i, c := range a.cells {
		if j := i % cols; j < cols-1 && int(c.width) > a.width[j] {
			a.width[j] = int(c.width)
		}
	}
}

// writeCells writes the cells laid out, rows of cols cells, each but the
// last of its row padded to its column's width and the gap of 2.
func (a *aligner) writeCells(w *bufio.Writer, cols int) {
	pos := 0
	for i, c := range a.cells {
		j := i % cols
		w.Write(a.buf[pos:c.end])
		pos = int(c.end) + 1 // past its '\t' or '\n'
		if j < cols-1 {
			pad(w, a.width[j]+2-int(c.width))
		} else {
			w.WriteByte('\n')
		}
	}
}

// lineRoom is the room in the writer's buffer streamLines makes for a
// line before it writes one (a longer line is still written whole: append
// grows it elsewhere).
const lineRoom = 512

// appendPad appends n spaces.
func appendPad(b []byte, n int) []byte {
	for n > len(spaces) {
		b = append(b, spaces...)
		n -= len(spaces)
	}
	return append(b, spaces[:n]...)
}

// alignByTabwriter sends every table through text/tabwriter: the tests
// compare the report so written with the aligner's.
var alignByTabwriter = false

const spaces = "                                                                "

// pad writes n spaces.
func pad(w *bufio.Writer, n int) {
	for n > len(spaces) {
		w.WriteString(spaces)
		n -= len(spaces)
	}
	w.WriteString(spaces[:n])
}

// stream writes a table of n rows to w, row(i) writing row i into the
// aligner (cells ended by tab, the row by row), as a.flush would write
// it, without holding the table: a first pass measures the columns, a
// second writes each row as it is made again. A Browse List of 16,384
// entries laid out at once was 3.5 MB of fresh memory cleared and
// written at the end of a many-hosts --report. A table that needs
// tabwriter (see aligner) is made whole and flushed as before.
func (a *aligner) stream(w *bufio.Writer, n int, row func(i int)) {
	a.streamWidths(w, n, row, nil)
}

// streamWidths is stream, the columns measured by widths where it can:
// widths(i, cells) sets the widths of row i's cells (len(cells) of them,
// as the first row has) and returns true if the row would be laid out
// with as many cells, none of them text tabwriter takes for markup (see
// aligner); false, and the row is laid out to be measured.
func (a *aligner) streamWidths(w *bufio.Writer, n int, row func(i int), widths func(i int, cells []int) bool) {
	a.streamLines(w, n, row, widths, nil)
}

// streamLines is streamWidths; line, when not nil, writes row i whose
// cells' widths widths gave (cells) at once, padded, into dst: each cell
// but the last followed by width[j]+2-cells[j] spaces (appendPad), the
// last by a newline, as writeCells writes the row laid out. A Browse List
// row of 10,000 laid out (the aligner's cells) and written cell by cell
// took some 250 ns (browseLine).
func (a *aligner) streamLines(w *bufio.Writer, n int, row func(i int), widths func(i int, cells []int) bool,
	line func(dst []byte, i int, width, cells []int) []byte) {
	a.flush(w) // (empty: the tables before were flushed)
	cols, ok := -1, !alignByTabwriter
	a.measuring = true
	for i := 0; i < n && ok; i++ {
		if cols > 0 && widths != nil {
			cells := a.rowWidth[:0]
			for range cols {
				cells = append(cells, 0)
			}
			a.rowWidth = cells
			if widths(i, cells) {
				for j, wd := range cells[:cols-1] {
					a.width[j] = max(a.width[j], wd)
				}
				continue
			}
		}
		row(i)
		if cols < 0 {
			cols = a.n0()
			a.zeroWidths(cols)
		}
		if ok = !a.tw && a.n0() == cols; ok {
			a.widen(cols)
		}
		a.clearRows()
	}
	a.measuring = false
	if !ok {
		a.reset()
		for i := range n {
			row(i)
		}
		a.flush(w)
		return
	}
	if widths != nil {
		a.rowWidth = slices.Grow(a.rowWidth[:0], cols)[:cols]
	}
	for i := range n {
		// A row widths measures is laid out without measuring its
		// cells again (endCell): they take its widths.
		known := widths != nil && widths(i, a.rowWidth[:cols])
		if known && line != nil {
			if w.Available() < lineRoom {
				w.Flush()
			}
			w.Write(line(w.AvailableBuffer(), i, a.width, a.rowWidth[:cols]))
			continue
		}
		a.knownWidths = known
		row(i)
		a.knownWidths = false
		if known {
			for j := range a.cells {
				a.cells[j].width = int32(a.rowWidth[j])
			}
		}
		a.writeCells(w, cols)
		a.clearRows()
	}
	a.reset()
}

// clearRows empties the rows laid out, keeping the columns' widths.
func (a *aligner) clearRows() {
	a.buf, a.cells, a.rows = a.buf[:0], a.cells[:0], a.rows[:0]
	a.start = 0
}

// n0 is the number of cells of the first row laid out (0: none).
func (a *aligner) n0() int {
	if len(a.rows) == 0 {
		return 0
	}
	return int(a.rows[0])
}
