package view

import (
	"errors"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nbtsniff/nbtsniff/feed"
	"github.com/nbtsniff/nbtsniff/filter"
)

// detailMsg brings a decoded frame back from feed.Source.Detail.
type detailMsg struct {
	n   int
	d   *frameDetail
	err error
}

const detailCacheSize = 16

// FramesModel is the packet list with its display filter bar, and the
// detail of one frame: its layered tree beside its hex dump, the bytes of
// the selected field highlighted, each layer in its colour. The list is
// drawn from the loader's compact index (only the visible rows); a frame's
// detail is decoded again on demand and the last few are cached.
type FramesModel struct {
	keys   TableKeys
	fkeys  FrameKeys
	styles *Styles
	src    feed.Source
	w, h   int
	clk    clock
	labels []string // the inputs: a segment column when more than one

	idx     feed.Index
	matches feed.Matches
	writing string // the -w file
	cur     int    // frame number under the cursor (0: none)
	off     int    // first list position shown
	tail    bool

	marks   []int
	markSet map[int]bool
	why     string
	note    string

	input   textinput.Model
	editing bool
	synErr  *filter.SyntaxError
	applied string

	open     int // frame whose detail is shown (0: the list)
	loading  int
	detail   *frameDetail
	errText  string
	cache    map[int]*frameDetail
	order    []int
	treeCur  int
	treeOff  int
	layersOn bool // the layers pane instead of the tree (L)
}

// NewFrames makes the Frames screen.
func NewFrames(keys TableKeys, fkeys FrameKeys, st *Styles, src feed.Source) FramesModel {
	ti := textinput.New()
	ti.Prompt = "filter> "
	ti.Placeholder = "Wireshark display filter, e.g. browser.command == 0x08"
	ti.CharLimit = 1000
	return FramesModel{keys: keys, fkeys: fkeys, styles: st, src: src, input: ti, cache: map[int]*frameDetail{}, markSet: map[int]bool{}, tail: true}
}

// SetSize sets the screen size.
func (m *FramesModel) SetSize(w, h int) {
	m.w, m.h = w, h
	m.input.Width = max(w-len(m.input.Prompt)-2, 10)
}

// SetData gives the screen the index and the frames passing the filter;
// writing is the -w file, where frames the index no longer holds are
// (live capture keeps a window of the latest frames).
func (m *FramesModel) SetData(idx feed.Index, mv feed.Matches, writing string) {
	m.idx, m.matches, m.writing = idx, mv, writing
	m.applied = mv.Expr
	n := m.count()
	if n == 0 {
		m.cur = 0
		return
	}
	if m.tail || m.cur == 0 {
		if m.tail {
			m.cur = m.numAt(n - 1)
		} else {
			m.cur = m.numAt(0)
		}
	}
	m.clamp()
}

func (m *FramesModel) count() int {
	if m.matches.Available {
		return m.matches.Len()
	}
	return m.idx.Len() - m.idx.Oldest() + 1
}

func (m *FramesModel) numAt(i int) int {
	if m.matches.Available {
		return m.matches.At(i)
	}
	return m.idx.Oldest() + i
}

// pos is the list position of frame n (or of the next one shown).
func (m *FramesModel) pos(n int) int {
	if m.matches.Available {
		i, _ := m.matches.Index(n)
		return min(i, max(m.count()-1, 0))
	}
	return min(max(n-m.idx.Oldest(), 0), max(m.count()-1, 0))
}

// windowNote says which frames the list no longer holds, and where they
// are: "" when it holds them all.
func (m *FramesModel) windowNote() string {
	old := m.idx.Oldest() - 1
	if old <= 0 {
		return ""
	}
	s := "frames 1-" + itoa(old) + " no longer listed (a live capture keeps a window of the latest frames): "
	if m.writing != "" {
		return s + "they are in " + esc(m.writing) + ", where their detail is read from"
	}
	return s + "gone (capture with -w FILE to keep them)"
}

func (m *FramesModel) listHeight() int { return max(m.h-3, 1) }

func (m *FramesModel) clamp() {
	if m.count() == 0 {
		return
	}
	p := m.pos(m.cur)
	m.cur = m.numAt(p)
	lh := m.listHeight()
	if p < m.off {
		m.off = p
	}
	if p >= m.off+lh {
		m.off = p - lh + 1
	}
	m.off = min(max(m.off, 0), max(m.count()-lh, 0))
}

// Jump marks frames as the evidence of something and puts the cursor on
// the first; a single frame is opened at once.
func (m *FramesModel) Jump(frames []int, why string) tea.Cmd {
	m.marks = uniqInts(frames)
	clear(m.markSet)
	for _, f := range m.marks {
		m.markSet[f] = true
	}
	m.why = why
	m.note = ""
	m.open = 0
	if len(m.marks) == 0 {
		m.note = "no frame for " + why
		return nil
	}
	first := m.marks[0]
	if m.matches.Available {
		if _, ok := m.matches.Index(first); !ok {
			m.src.SetDisplayFilter("")
			m.matches = feed.Matches{}
			m.note = "display filter cleared to show frame " + itoa(first)
		}
	}
	m.cur = first
	m.tail = false
	m.clamp()
	if len(m.marks) == 1 {
		return m.openFrame(first)
	}
	return nil
}

// Capturing reports whether the screen has the keyboard.
func (m *FramesModel) Capturing() bool { return m.editing }

func (m *FramesModel) openFrame(n int) tea.Cmd {
	m.open = n
	m.errText = ""
	m.treeCur, m.treeOff = 0, 0
	if d, ok := m.cache[n]; ok {
		m.detail = d
		m.loading = 0
		return nil
	}
	m.detail = nil
	m.loading = n
	src := m.src
	return func() tea.Msg {
		f, err := src.Detail(n)
		if err != nil {
			return detailMsg{n: n, err: err}
		}
		return detailMsg{n: n, d: newFrameDetail(f)}
	}
}

func (m *FramesModel) remember(d *frameDetail) {
	if _, ok := m.cache[d.number]; !ok {
		m.order = append(m.order, d.number)
		if len(m.order) > detailCacheSize {
			delete(m.cache, m.order[0])
			m.order = m.order[1:]
		}
	}
	m.cache[d.number] = d
}

// Update handles keys and decoded frames.
func (m FramesModel) Update(msg tea.Msg) (FramesModel, tea.Cmd) {
	switch msg := msg.(type) {
	case detailMsg:
		if msg.d != nil {
			m.remember(msg.d)
		}
		if msg.n == m.loading {
			m.loading = 0
			m.detail = msg.d
			if msg.err != nil {
				m.errText = msg.err.Error()
			}
			m.selectFirstField()
		}
		return m, nil
	case tea.KeyMsg:
		if m.editing {
			return m.updateFilter(msg)
		}
		if m.open != 0 {
			return m.updateDetail(msg)
		}
		return m.updateList(msg)
	}
	return m, nil
}

func (m FramesModel) updateFilter(msg tea.KeyMsg) (FramesModel, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEnter:
		expr := m.input.Value()
		if err := m.src.SetDisplayFilter(expr); err != nil {
			var se *filter.SyntaxError
			if errors.As(err, &se) {
				m.synErr = se
			}
			return m, nil
		}
		m.editing = false
		m.synErr = nil
		m.input.Blur()
		m.applied = strings.TrimSpace(expr)
		m.matches = feed.Matches{}
		m.off = 0
		return m, nil
	case tea.KeyEsc:
		m.editing = false
		m.synErr = nil
		m.input.Blur()
		return m, nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	m.synErr = nil
	if v := m.input.Value(); strings.TrimSpace(v) != "" {
		if _, err := filter.Compile(v); err != nil {
			var se *filter.SyntaxError
			if errors.As(err, &se) {
				m.synErr = se
			}
		}
	}
	return m, cmd
}

func (m FramesModel) updateList(msg tea.KeyMsg) (FramesModel, tea.Cmd) {
	n := m.count()
	p := m.pos(m.cur)
	lh := m.listHeight()
	switch {
	case key.Matches(msg, m.fkeys.DisplayFilter):
		m.editing = true
		m.input.SetValue(m.applied)
		m.input.CursorEnd()
		return m, m.input.Focus()
	case key.Matches(msg, m.keys.Up):
		p--
	case key.Matches(msg, m.keys.Down):
		p++
	case key.Matches(msg, m.keys.PageUp):
		p -= lh
	case key.Matches(msg, m.keys.PageDown):
		p += lh
	case key.Matches(msg, m.keys.Home):
		p = 0
	case key.Matches(msg, m.keys.End):
		p = n - 1
	case key.Matches(msg, m.fkeys.NextMark), key.Matches(msg, m.fkeys.PrevMark):
		next := key.Matches(msg, m.fkeys.NextMark)
		to := 0
		for _, f := range m.marks {
			if next && f > m.cur {
				to = f
				break
			}
			if !next && f < m.cur {
				to = f
			}
		}
		if to > 0 {
			m.cur = to
			m.tail = false
			m.clamp()
		}
		return m, nil
	case key.Matches(msg, m.keys.Open):
		if m.cur > 0 {
			return m, m.openFrame(m.cur)
		}
		return m, nil
	case key.Matches(msg, m.keys.Back):
		if len(m.marks) > 0 {
			m.marks, m.why = nil, ""
			clear(m.markSet)
		}
		return m, nil
	default:
		return m, nil
	}
	if n == 0 {
		return m, nil
	}
	p = min(max(p, 0), n-1)
	m.cur = m.numAt(p)
	m.tail = p == n-1
	m.clamp()
	return m, nil
}

// View renders the list or the detail.
func (m FramesModel) View() string {
	var out []string
	out = append(out, m.filterBar()...)
	if m.open != 0 {
		out = append(out, m.detailView(m.h-len(out))...)
	} else {
		out = append(out, m.listView(m.h-len(out))...)
	}
	for len(out) < m.h {
		out = append(out, "")
	}
	for i := range out {
		out[i] = fit(out[i], m.w)
	}
	return strings.Join(out[:m.h], "\n")
}

func (m *FramesModel) filterBar() []string {
	if m.editing {
		lines := []string{m.input.View()}
		if m.synErr != nil {
			col := len(m.input.Prompt) + width(m.synErr.Expr[:min(m.synErr.Pos, len(m.synErr.Expr))])
			lines = append(lines, m.styles.Error.Render(strings.Repeat(" ", col)+"^ "+m.synErr.Msg))
		} else {
			lines = append(lines, m.styles.Dim.Render("enter: apply   esc: cancel"))
		}
		return lines
	}
	s := "filter: "
	if m.applied == "" {
		s += "(none; / to set one)"
	} else {
		s += esc(m.applied)
		mv := m.matches
		s += "  ·  " + itoa(mv.Len()) + " of " + itoa(m.idx.Len()) + " frames"
		if !mv.Done {
			s += "  ·  filtering " + itoa(mv.Upto) + "/" + itoa(mv.From) + "…"
		}
		if mv.Err != nil {
			s += "  ·  " + esc(mv.Err.Error())
		}
	}
	l2 := ""
	if len(m.marks) > 0 {
		l2 = "marked: " + plural(len(m.marks), "frame") + " of " + esc(m.why) + " (n/N: next/previous, esc: clear)"
	}
	if m.note != "" {
		l2 = m.note + "  " + l2
	}
	if w := m.windowNote(); w != "" {
		l2 = w + "  " + l2
	}
	return []string{s, m.styles.Marked.Render(l2)}
}

// listCols are the widths of the list's columns: the frame number and the
// time from the largest value shown (a frame number is never cut), the
// segment only when several inputs are merged.
type listCols struct{ no, time, seg, addr, proto, len, info int }

func (m *FramesModel) listCols(h int) listCols {
	c := listCols{no: 3, time: 4, addr: 15, proto: 8, len: 5}
	if m.w < 100 {
		c.proto, c.len = 7, -1
	}
	if n := m.count(); n > 0 {
		c.no = max(c.no, len(itoa(m.numAt(n-1))))
	}
	for i := m.off; i < m.count() && i < m.off+h; i++ {
		c.time = max(c.time, width(m.timeCol(i, m.numAt(i))))
	}
	if len(m.labels) > 1 {
		c.seg = 3
		for _, l := range m.labels {
			c.seg = max(c.seg, min(width(m.segName(l)), 12))
		}
	}
	if m.w < 100 {
		c.addr = 15 - boolInt(c.seg > 0)*3
	}
	fixed := 2 + c.no + 1 + c.time + 1 + 2*(c.addr+1) + c.proto + 1 + max(c.len+1, 0)
	if c.seg > 0 {
		fixed += c.seg + 1
	}
	c.info = max(m.w-fixed, 10)
	return c
}

// segName is an input's label as the segment column shows it.
func (m *FramesModel) segName(label string) string {
	b := filepath.Base(label)
	for _, ext := range []string{".gz", ".pcapng", ".pcap", ".cap"} {
		if s := strings.TrimSuffix(b, ext); s != "" {
			b = s
		}
	}
	return esc(b)
}

// timeCol is the time column of frame num, the i-th of the list.
func (m *FramesModel) timeCol(i, num int) string {
	if !m.idx.Held(num) {
		return ""
	}
	// Times only: Row would derive the columns too.
	var prevS time.Time
	if i > 0 {
		prevS = m.idx.Time(m.numAt(i - 1))
	}
	c := m.clk
	c.first = m.idx.First()
	return c.frame(m.idx.Time(num), m.idx.Time(num-1), prevS)
}

func (m *FramesModel) listView(h int) []string {
	c := m.listCols(h - 1)
	opt := func(s string, w int, right bool) string {
		if w <= 0 {
			return ""
		}
		if right {
			return fitRight(s, w) + " "
		}
		return fit(s, w) + " "
	}
	hdr := "  " + fitRight("No.", c.no) + " " + fitRight("Time", c.time) + " " + opt("Seg", c.seg, false) + fit("Source", c.addr) + " " +
		fit("Destination", c.addr) + " " + fit("Proto", c.proto) + " " + opt("Len", c.len, true) + "Info"
	out := []string{m.styles.Header.Render(fit(hdr, m.w))}
	n := m.count()
	if n == 0 {
		msg := "no frame yet"
		if m.matches.Available {
			msg = "no frame passes the filter"
		}
		return append(out, m.styles.Dim.Render("  "+msg))
	}
	lh := h - 1
	for i := m.off; i < n && i < m.off+lh; i++ {
		num := m.numAt(i)
		r, ok := m.idx.Row(num)
		if !ok {
			continue
		}
		src, dst, proto, info := string(r.Src), string(r.Dst), string(r.Proto), string(r.Info)
		seg := ""
		if r.Source >= 0 && r.Source < len(m.labels) {
			seg = m.segName(m.labels[r.Source])
		}
		marker := "  "
		if m.markSet[num] {
			marker = " *"
		}
		if num == m.cur {
			marker = ">" + marker[1:]
		}
		line := marker + fitRight(itoa(num), c.no) + " " + fitRight(m.timeCol(i, num), c.time) + " " + opt(seg, c.seg, false) +
			fit(src, c.addr) + " " + fit(dst, c.addr) + " " + fit(proto, c.proto) + " " + opt(itoa(r.Length), c.len, true) +
			fit(info, c.info)
		line = fit(line, m.w)
		switch {
		case num == m.cur:
			line = m.styles.Selected.Render(line)
		case m.markSet[num]:
			line = m.styles.Marked.Render(line)
		case r.Errs > 0:
			line = m.styles.Error.Render(line)
		}
		out = append(out, line)
	}
	return out
}
