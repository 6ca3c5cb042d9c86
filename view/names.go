package view

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// NamesModel is the NBNS name table at the time cursor: each name with its
// suffix and what the suffix means, unique or group, its owners, node
// type, when it was registered and released, conflicts. f jumps to the
// registration and release frames.
type NamesModel struct {
	table  Table
	keys   TableKeys
	styles *Styles
	frames map[string][]int
}

// NewNames makes the Names screen.
func NewNames(keys TableKeys, st *Styles) NamesModel {
	t := NewTable([]Column{
		{Title: "Segment", Width: 12, Flex: 1, Drop: 4},
		{Title: "Name", Width: 15, Flex: 2},
		{Title: "Meaning", Width: 16, Flex: 2},
		{Title: "Kind", Width: 6},
		{Title: "Owners", Width: 16, Flex: 3},
		{Title: "Node", Width: 4, Drop: 2},
		{Title: "Registered", Width: 12, Drop: 1},
		{Title: "Released", Width: 12, Drop: 3},
		{Title: "Confl", Width: 5, Right: true, Drop: 5},
	}, keys, st)
	t.Empty = "no NBNS name seen"
	return NamesModel{table: t, keys: keys, styles: st, frames: map[string][]int{}}
}

// SetSize sets the screen size.
func (m *NamesModel) SetSize(w, h int) { m.table.SetSize(w, h) }

// SetState renders the names known at the cursor.
func (m *NamesModel) SetState(in stateInput) {
	m.table.SetColumnDrop(0, segmentDrop(in.snap, 4))
	m.table.SetColumnWidth(0, segmentWidth(in))
	m.table.SetTimeColumn(6, in.clk)
	m.table.SetTimeColumn(7, in.clk)
	var rows []Row
	clear(m.frames)
	if in.snap != nil {
		for _, n := range in.snap.Names {
			ni := timeline.NameInfo{Name: n.Name, Suffix: n.Suffix, Group: n.Group}
			kind := "unique"
			if n.Group {
				kind = "group"
			}
			var owners, nodes []string
			var reg, rel time.Time
			var fr []int
			for _, o := range n.Owners {
				s := o.Addr.String()
				if o.Host != "" {
					s = esc(o.Host) + " " + s
				}
				switch {
				case o.Refused:
					s += " (refused)"
				case !o.Active && !o.Released.IsZero():
					s += " (released)"
				case !o.Active:
					s += " (inactive)"
				}
				if o.Via != "" && o.Via != "broadcast" {
					s += " via " + esc(o.Via)
				}
				owners = append(owners, s)
				if o.NodeType != "" && !contains(nodes, o.NodeType) {
					nodes = append(nodes, o.NodeType)
				}
				if !o.Registered.IsZero() && (reg.IsZero() || o.Registered.Before(reg)) {
					reg = o.Registered
				}
				if o.Released.After(rel) {
					rel = o.Released
				}
				fr = append(fr, o.RegFrame, o.RelFrame)
			}
			for _, a := range n.Answers {
				fr = append(fr, a.Frame)
			}
			id := n.Segment + "\x00" + ni.Display()
			m.frames[id] = uniqInts(fr)
			mark := markNone
			if n.Conflicts > 0 {
				mark = markError
			}
			fields := []Field{
				{"Segment", in.seg.name(n.Segment)},
				{"Name", esc(ni.Display())},
				{"Meaning", dissect.NameSuffixMeaning(n.Suffix, n.Group)},
				{"Kind", kind},
				{"Conflicts", itoa(n.Conflicts)},
				{"Negative answers", itoa(n.Negatives)},
				{"Last heard", in.clk.at(n.Last)},
			}
			for i, o := range n.Owners {
				fields = append(fields, Field{"Owner " + itoa(i+1), ownerText(in, o)})
			}
			for _, a := range n.Answers {
				fields = append(fields, Field{"Answer", a.Addr.String() + " from " + a.By.String() + ", " + in.clk.at(a.First) + " to " + in.clk.at(a.Last) + " (frame " + itoa(a.Frame) + ")"})
			}
			fields = append(fields, Field{"Frames", joinFrames(m.frames[id], 40)})
			rows = append(rows, Row{
				ID:     id,
				Fields: fields,
				Cells: []string{in.seg.name(n.Segment), esc(ni.Display()), dissect.NameSuffixMeaning(n.Suffix, n.Group), kind,
					strings.Join(owners, ", "), strings.Join(nodes, ","), in.clk.at(reg), in.clk.at(rel), itoa(n.Conflicts)},
				Mark: mark,
			})
		}
	}
	m.table.SetRows(rows)
}

func contains(v []string, s string) bool {
	for _, x := range v {
		if x == s {
			return true
		}
	}
	return false
}

// Capturing reports whether the screen has the keyboard.
func (m *NamesModel) Capturing() bool { return m.table.Filtering() }

// Update handles keys.
func (m NamesModel) Update(msg tea.Msg) (NamesModel, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	if !m.table.Filtering() && key.Matches(km, m.keys.Frames) {
		if r := m.table.Selected(); r != nil {
			return m, send(jumpMsg{frames: m.frames[r.ID], why: "name " + r.Cells[1]})
		}
		return m, nil
	}
	_, cmd := m.table.Update(km)
	return m, cmd
}

// View renders the screen.
func (m NamesModel) View() string {
	if m.table.DetailOpen() {
		return m.table.DetailView("NBNS name", m.table.width, m.table.height)
	}
	return m.table.View()
}

// ownerText is one owner of a name, every field.
func ownerText(in stateInput, o *timeline.Owner) string {
	s := o.Addr.String()
	if o.Host != "" {
		s = esc(o.Host) + " " + s
	}
	if o.NodeType != "" {
		s += ", " + o.NodeType + "-node"
	}
	if o.Via != "" {
		s += ", via " + esc(o.Via)
	}
	s += ", TTL " + itoa(int(o.TTL)) + "s"
	if !o.Registered.IsZero() {
		s += ", registered " + in.clk.at(o.Registered) + " (frame " + itoa(o.RegFrame) + ")"
	}
	if !o.Refreshed.IsZero() {
		s += ", refreshed " + in.clk.at(o.Refreshed)
	}
	if !o.Released.IsZero() {
		s += ", released " + in.clk.at(o.Released) + " (frame " + itoa(o.RelFrame) + ")"
	}
	switch {
	case o.Refused:
		s += ", refused"
	case o.Active:
		s += ", active"
	default:
		s += ", inactive"
	}
	if o.WINSConfirmed {
		s += ", confirmed by WINS"
	}
	return s
}
