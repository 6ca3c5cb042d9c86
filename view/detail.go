package view

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/output"
)

// detailLine is one line of a frame's protocol tree, as the -V view
// prints it, with the bytes it covers.
type detailLine struct {
	text  string // escaped
	depth int
	src   int // 0: the frame, n: sources[n]
	off   int // -1: no bytes
	len   int
	layer int // index of the layer (top-level node) it belongs to
	err   bool
}

// detailSource is one buffer of the hex view: the frame, or a reassembled
// buffer.
type detailSource struct {
	name string
	data []byte
}

// frameDetail is a decoded frame rendered once, owned by the UI: the frame
// itself was reused by the engine the moment the next one was decoded.
type frameDetail struct {
	number  int
	lines   []detailLine
	sources []detailSource
	// layerOf gives, for each byte of the frame, the layer that covers it
	// (-1: none), for colouring the hex dump.
	layerOf []int16
	errs    []string
}

func newFrameDetail(f *dissect.Frame) *frameDetail {
	d := &frameDetail{number: f.Number}
	d.sources = append(d.sources, detailSource{name: "Frame", data: append([]byte(nil), f.Data...)})
	for _, s := range f.Tree.Sources {
		d.sources = append(d.sources, detailSource{name: esc(s.Name), data: append([]byte(nil), s.Data...)})
	}
	d.layerOf = make([]int16, len(f.Data))
	for i := range d.layerOf {
		d.layerOf[i] = -1
	}
	layer := -1
	var buf []byte
	for i := range f.Tree.Nodes {
		n := &f.Tree.Nodes[i]
		if n.Flags&dissect.NodeHidden != 0 {
			continue
		}
		if n.Depth == 0 {
			layer++
		}
		buf = output.AppendNodeText(buf[:0], f, n)
		ln := detailLine{
			text:  escBytes(buf),
			depth: int(n.Depth),
			src:   int(n.Src),
			off:   int(n.Off),
			len:   int(n.Len),
			layer: layer,
			err:   n.Flags&dissect.NodeError != 0,
		}
		if ln.src > len(f.Tree.Sources) {
			ln.src = 0
		}
		d.lines = append(d.lines, ln)
		if n.Depth == 0 && n.Src == 0 && n.Off >= 0 {
			end := min(int(n.Off)+int(n.Len), len(d.layerOf))
			for b := max(int(n.Off), 0); b < end; b++ {
				d.layerOf[b] = int16(layer)
			}
		}
	}
	for _, e := range f.Errs {
		d.errs = append(d.errs, esc(e.Error()))
	}
	return d
}

// The Frames screen with a frame open: its tree beside (or above) its
// hex dump.

func (m *FramesModel) selectFirstField() {
	// Start on the topmost NBT-and-above layer: the last top-level node.
	if m.detail == nil {
		return
	}
	for i, l := range m.detail.lines {
		if l.depth == 0 {
			m.treeCur = i
		}
	}
	// The layer at the top, unless everything fits.
	m.treeOff = max(min(m.treeCur-2, len(m.detail.lines)-(m.h-6)), 0)
}

func (m FramesModel) updateDetail(msg tea.KeyMsg) (FramesModel, tea.Cmd) {
	nl := 0
	if m.detail != nil {
		nl = len(m.detail.lines)
	}
	switch {
	case key.Matches(msg, m.fkeys.Layers):
		m.layersOn = !m.layersOn
	case key.Matches(msg, m.keys.Back):
		m.open = 0
		m.loading = 0
	case key.Matches(msg, m.keys.Up):
		m.treeCur = max(m.treeCur-1, 0)
	case key.Matches(msg, m.keys.Down):
		m.treeCur = min(m.treeCur+1, max(nl-1, 0))
	case key.Matches(msg, m.keys.PageUp):
		m.treeCur = max(m.treeCur-10, 0)
	case key.Matches(msg, m.keys.PageDown):
		m.treeCur = min(m.treeCur+10, max(nl-1, 0))
	case key.Matches(msg, m.keys.Home):
		m.treeCur = 0
	case key.Matches(msg, m.keys.End):
		m.treeCur = max(nl-1, 0)
	case key.Matches(msg, m.fkeys.NextMark), key.Matches(msg, m.fkeys.PrevMark):
		// Next or previous frame: among the marks if there are any, else
		// in the list.
		next := key.Matches(msg, m.fkeys.NextMark)
		to := 0
		if len(m.marks) > 0 {
			for _, f := range m.marks {
				if next && f > m.open {
					to = f
					break
				}
				if !next && f < m.open {
					to = f
				}
			}
		} else if p := m.pos(m.open); next && p+1 < m.count() {
			to = m.numAt(p + 1)
		} else if !next && p > 0 {
			to = m.numAt(p - 1)
		}
		if to > 0 {
			m.cur = to
			m.clamp()
			return m, m.openFrame(to)
		}
	}
	return m, nil
}

const hexLineW = 73 // "0000  " + 16×3 + " " + 16 + margin

func (m *FramesModel) detailView(h int) []string {
	if m.loading != 0 || m.detail == nil {
		if m.errText != "" {
			return []string{m.styles.Error.Render("frame " + itoa(m.open) + ": " + esc(m.errText)), "esc: back"}
		}
		at, want := m.src.DetailProgress()
		s := "decoding frame " + itoa(m.open) + "…"
		if want == m.open && at > 0 && at < want {
			s += " (replaying the capture through the engine: " + itoa(at) + "/" + itoa(want) + ")"
		}
		return []string{s}
	}
	d := m.detail
	sel := d.lines[min(m.treeCur, len(d.lines)-1)]
	title := "Frame " + itoa(d.number) + "  ·  selected: " + trunc(sel.text, 40)
	if sel.off >= 0 {
		title += "  [" + d.sources[sel.src].name + " " + itoa(sel.off) + ":" + itoa(sel.len) + "]"
	}
	title += "  ·  ↑↓ field  L layers  n/N frame  esc back"
	out := []string{m.styles.Title.Render(trunc(title, m.w))}
	h--
	side := m.w >= 150
	var treeW, treeH, hexH int
	if side {
		treeW, treeH, hexH = m.w-hexLineW-1, h, h
	} else {
		treeW = m.w
		treeH = max(h*11/20, 3)
		if m.layersOn {
			treeH = max(h-5, 3) // the layers first; a few lines of hex
		}
		hexH = h - treeH
	}
	tree := m.treeLines(treeW, treeH)
	if m.layersOn {
		tree = m.layersLines(treeW, treeH)
	}
	hex := m.hexLines(hexH)
	if side {
		for i := 0; i < h; i++ {
			l, r := "", ""
			if i < len(tree) {
				l = tree[i]
			}
			if i < len(hex) {
				r = hex[i]
			}
			out = append(out, fit(l, treeW)+" "+r)
		}
		return out
	}
	for len(tree) < treeH {
		tree = append(tree, "")
	}
	return append(append(out, tree...), hex...)
}

func (m *FramesModel) treeLines(w, h int) []string {
	d := m.detail
	if m.treeCur < m.treeOff {
		m.treeOff = m.treeCur
	}
	if m.treeCur >= m.treeOff+h {
		m.treeOff = m.treeCur - h + 1
	}
	var out []string
	for i := m.treeOff; i < len(d.lines) && len(out) < h; i++ {
		l := d.lines[i]
		marker := "  "
		if i == m.treeCur {
			marker = "> "
		}
		s := fit(marker+strings.Repeat("  ", l.depth)+l.text, w)
		switch {
		case i == m.treeCur:
			s = m.styles.Selected.Render(s)
		case l.err:
			s = m.styles.Error.Render(s)
		default:
			s = m.styles.layer(l.layer).Render(s)
		}
		out = append(out, s)
	}
	return out
}

// hexLines renders the hex dump of the data source of the selected field,
// its bytes highlighted: between [ and ] on each line (visible without
// colour), and reversed where there is colour; the frame's bytes are
// coloured by layer.
func (m *FramesModel) hexLines(h int) []string {
	d := m.detail
	sel := d.lines[min(m.treeCur, len(d.lines)-1)]
	src := d.sources[sel.src]
	data := src.data
	hiA, hiZ := -1, -1
	if sel.off >= 0 {
		hiA, hiZ = sel.off, sel.off+max(sel.len, 1)
	}
	var out []string
	title := src.name + " (" + plural(len(data), "byte") + ")"
	out = append(out, m.styles.Dim.Render(title))
	rows := (len(data) + 15) / 16
	top := 0
	if hiA >= 0 && hiA/16 >= h-2 {
		top = max(min(hiA/16-(h-1)/3, rows-(h-1)), 0)
	}
	for r := top; r < rows && len(out) < h; r++ {
		var b strings.Builder
		o := strconv.FormatInt(int64(r*16), 16)
		b.WriteString(strings.Repeat("0", max(4-len(o), 0)) + o + " ")
		var asc strings.Builder
		for c := 0; c <= 16; c++ {
			i := r*16 + c
			in := i >= hiA && i < hiZ && i < len(data)
			prevIn := c > 0 && i-1 >= hiA && i-1 < hiZ && i-1 < len(data)
			switch {
			case in && !prevIn:
				b.WriteByte('[')
			case prevIn && !in:
				b.WriteByte(']')
			default:
				b.WriteByte(' ')
			}
			if c == 16 {
				break
			}
			if i >= len(data) {
				b.WriteString("  ")
				continue
			}
			x := data[i]
			ch := "."
			if x >= 0x20 && x < 0x7f {
				ch = string(rune(x))
			}
			st := m.styles.Dim
			if sel.src == 0 && i < len(d.layerOf) {
				st = m.styles.layer(int(d.layerOf[i]))
			}
			if in {
				st = m.styles.Highlight
			}
			b.WriteString(st.Render(hex2(x)))
			asc.WriteString(st.Render(ch))
		}
		b.WriteString(" " + asc.String())
		out = append(out, b.String())
	}
	return out
}

func hex2(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&15]})
}
