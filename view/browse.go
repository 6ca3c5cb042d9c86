package view

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// BrowseModel is the Browse List of one workgroup on one segment at the
// time cursor, as the timeline reconstructed it, with the workgroups
// announced on the segment beside it. w/W choose the workgroup, s sorts,
// / filters, f jumps to the selected entry's frames.
type BrowseModel struct {
	table   Table
	domains Table
	keys    TableKeys
	gkeys   GroupKeys
	styles  *Styles
	in      stateInput
	w, h    int
	groups  []groupKey
	sel     groupKey
	frames  map[string][]int
	head    []string
	side    bool // domains beside the list (wide terminals) or under it
}

// NewBrowse makes the Browse List screen.
func NewBrowse(keys TableKeys, gkeys GroupKeys, st *Styles) BrowseModel {
	t := NewTable([]Column{
		{Title: "Name", Width: 10, Flex: 1},
		{Title: "Type", Width: 14, Flex: 6},
		{Title: "OS", Width: 4, Drop: 2},
		{Title: "Comment", Width: 10, Flex: 2},
		{Title: "Period", Width: 6, Right: true, Drop: 1},
		{Title: "Seen", Width: 6, Right: true},
		{Title: "Expires", Width: 7, Right: true},
		{Title: "Source", Width: 12, Flex: 1},
	}, keys, st)
	t.Empty = "the Browse List is empty at the cursor"
	d := NewTable([]Column{
		{Title: "Domain", Width: 10, Flex: 1},
		{Title: "Master browser", Width: 8, Flex: 1},
		{Title: "Seen", Width: 6, Right: true},
	}, keys, st)
	d.Empty = "no DomainAnnouncement"
	d.NoCursor = true
	return BrowseModel{table: t, domains: d, keys: keys, gkeys: gkeys, styles: st, frames: map[string][]int{}}
}

// SetSize sets the screen size.
func (m *BrowseModel) SetSize(w, h int) {
	m.w, m.h = w, h
	m.layout()
}

func (m *BrowseModel) layout() {
	hh := len(m.head)
	body := max(m.h-hh, 4)
	m.side = m.w >= 120
	if m.side {
		dw := min(40, m.w/4)
		m.table.SetSize(m.w-dw-1, body)
		m.domains.SetSize(dw, body)
		return
	}
	dh := min(max(m.domains.Len()+2, 3), body/3)
	m.table.SetSize(m.w, body-dh)
	m.domains.SetSize(m.w, dh)
}

// Select chooses the group shown.
func (m *BrowseModel) Select(k groupKey) { m.sel = k }

// Selected is the group shown.
func (m *BrowseModel) Selected() groupKey { return m.sel }

// SetState renders the list at the cursor.
func (m *BrowseModel) SetState(in stateInput) {
	m.in = in
	m.groups = groupsOf(in.snap)
	found := false
	for _, g := range m.groups {
		if g == m.sel {
			found = true
		}
	}
	if !found && len(m.groups) > 0 && m.sel == (groupKey{}) {
		m.sel = m.groups[0]
	}
	var rows []Row
	clear(m.frames)
	m.head = m.head[:0]
	title := "Browse List of " + groupLabel(in.seg, m.sel) + " at " + in.clk.at(in.now)
	if len(m.groups) > 1 {
		title += "  (w/W: " + groupsCount(m.groups) + ")"
	}
	m.head = append(m.head, m.styles.Title.Render(title))
	var g *timeline.Group
	if in.snap != nil {
		g = in.snap.Group(m.sel.seg, m.sel.wg)
	}
	if g != nil {
		for _, s := range g.Servers {
			os := strconv.Itoa(int(s.OSMajor)) + "." + strconv.Itoa(int(s.OSMinor))
			period := "-"
			if s.Periodicity > 0 {
				period = ago(s.Periodicity)
			}
			m.frames[s.Name] = s.Frames
			rows = append(rows, Row{
				ID:     s.Name,
				Fields: serverFields(in, s, os, period),
				More:   whyFields(in, s.Name, m.sel.seg),
				Cells: []string{esc(s.Name), typeCell(s.Type), os, esc(s.Comment), period,
					since(in.now, s.LastSeen), until(in.now, s.Expires), s.Source},
				Sort: []string{"", "0x" + hex32(s.Type), "", "", strconv.FormatInt(int64(s.Periodicity), 10),
					strconv.FormatInt(in.now.Sub(s.LastSeen).Nanoseconds(), 10), s.Expires.UTC().Format(time.RFC3339Nano)},
			})
		}
		lm := "local master " + orDash(g.LMB) + "  ·  domain master " + orDash(g.DMB) + "  ·  backups " + orDash(g.Backups)
		m.head = append(m.head, lm)
		if n := len(g.Lists); n > 0 {
			ls := g.Lists[n-1]
			s := "NetServerEnum2 lists seen: " + itoa(n) + "; latest " + in.clk.at(ls.Time) + " from " + esc(ls.Server) +
				" (frame " + itoa(ls.Frame) + "): " + itoa(ls.EntryCount) + " of " + itoa(ls.Available)
			if ls.Truncated {
				s += ", truncated"
			}
			if ls.Unchecked {
				s += "; not compared (no announcement heard)"
			}
			if len(ls.Missing) > 0 {
				s += "; missing " + orDash(ls.Missing)
			}
			if len(ls.Extra) > 0 {
				s += "; never announced " + orDash(ls.Extra)
			}
			m.head = append(m.head, s)
		}
	}
	m.table.SetRows(rows)
	var drows []Row
	if in.snap != nil {
		for _, ss := range in.snap.Segments {
			if ss.Segment != m.sel.seg {
				continue
			}
			for _, d := range ss.Domains {
				drows = append(drows, Row{ID: d.Name, Cells: []string{esc(d.Name), esc(d.Comment), since(in.now, d.LastSeen)}})
			}
		}
	}
	m.domains.SetRows(drows)
	m.layout()
}

// Capturing reports whether the screen has the keyboard.
func (m *BrowseModel) Capturing() bool { return m.table.Filtering() }

// Update handles keys.
func (m BrowseModel) Update(msg tea.Msg) (BrowseModel, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	if !m.table.Filtering() {
		switch {
		case key.Matches(km, m.gkeys.Next), key.Matches(km, m.gkeys.Prev):
			if len(m.groups) == 0 {
				return m, nil
			}
			i := 0
			for j, g := range m.groups {
				if g == m.sel {
					i = j
				}
			}
			if key.Matches(km, m.gkeys.Next) {
				i = (i + 1) % len(m.groups)
			} else {
				i = (i + len(m.groups) - 1) % len(m.groups)
			}
			return m, send(groupMsg{key: m.groups[i], screen: -1})
		case key.Matches(km, m.keys.Frames):
			if r := m.table.Selected(); r != nil {
				return m, send(jumpMsg{frames: m.frames[r.ID], why: "Browse List entry " + r.Cells[0]})
			}
			return m, nil
		}
	}
	_, cmd := m.table.Update(km)
	return m, cmd
}

// View renders the screen.
func (m BrowseModel) View() string {
	if m.table.DetailOpen() {
		return m.table.DetailView("Browse List entry of "+groupLabel(m.in.seg, m.sel)+" at "+m.in.clk.at(m.in.now), m.w, m.h)
	}
	head := make([]string, len(m.head))
	for i, h := range m.head {
		head[i] = fit(h, m.w)
	}
	var body string
	if m.side {
		l := strings.Split(m.table.View(), "\n")
		r := strings.Split(m.domains.View(), "\n")
		for i := range l {
			if i < len(r) {
				l[i] += " " + r[i]
			}
		}
		body = strings.Join(l, "\n")
	} else {
		body = m.table.View() + "\n" + m.domains.View()
	}
	return strings.Join(append(head, body), "\n")
}

// The browser-role bits of the server type, as short tags, in the order
// a reader looks for them ([MS-BRWS] §2.2.1.1 SV_TYPE_*): PDC is only the
// SV_TYPE_DOMAIN_CTRL bit the host announces, nothing derived.
var roleTagBits = []struct {
	tag string
	bit dissect.ServerType
}{
	{"LMB", dissect.SVTypeMasterBrowser},
	{"BKP", dissect.SVTypeBackupBrowser},
	{"POT", dissect.SVTypePotentialBrowser},
	{"DMB", dissect.SVTypeDomainMaster},
	{"PDC", dissect.SVTypeDomainCtrl},
}

// roleTags are the role bits set in t, "LMB POT" ("" when none).
func roleTags(t uint32) string {
	var tags []string
	for _, r := range roleTagBits {
		if dissect.ServerType(t).Has(r.bit) {
			tags = append(tags, r.tag)
		}
	}
	return strings.Join(tags, " ")
}

// typeCell is the Type column: the role tags first, then every bit.
func typeCell(t uint32) string {
	tags := roleTags(t)
	if tags == "" {
		return dissect.ServerType(t).String()
	}
	return tags + " · " + dissect.ServerType(t).String()
}

// serverFields are a Browse List entry's detail.
func serverFields(in stateInput, s *timeline.Server, os, period string) []Field {
	tags := roleTags(s.Type)
	if tags == "" {
		tags = "none (no browser-role bit set)"
	}
	fs := []Field{
		{"Name", esc(s.Name)},
		{"Roles", tags},
		{"Server type", "0x" + hex32(s.Type) + ": " + dissect.ServerType(s.Type).String()},
		{"OS version", os},
		{"Comment", esc(s.Comment)},
		{"Periodicity", period},
		{"Update count", itoa(int(s.UpdateCount))},
		{"Address", addrOrDash(timeline.AddrString(s.Addr), s.Addr.IsValid())}, // a NetBEUI node as its MAC address
		{"Heard as", esc(s.Kind)},
		{"Source", esc(s.Source)},
		{"First seen", in.clk.at(s.FirstSeen) + " (frame " + itoa(s.FirstFrame) + ")"},
		{"Last seen", in.clk.at(s.LastSeen) + " (frame " + itoa(s.LastFrame) + "), " + since(in.now, s.LastSeen) + " before the cursor"},
		{"Expires", in.clk.at(s.Expires) + " (" + until(in.now, s.Expires) + ")"},
		{"Frames", joinFrames(s.Frames, 40)},
	}
	return fs
}

func addrOrDash(s string, ok bool) string {
	if !ok {
		return "-"
	}
	return s
}

// groupsCount says what w/W cycles through: "2 workgroups", or "1
// workgroup on 2 segments" (a workgroup on two segments is one workgroup).
func groupsCount(gs []groupKey) string {
	wgs, segs := map[string]bool{}, map[string]bool{}
	for _, g := range gs {
		wgs[g.wg], segs[g.seg] = true, true
	}
	s := plural(len(wgs), "workgroup")
	if len(segs) > 1 {
		s += " on " + plural(len(segs), "segment")
	}
	return s
}

// whyFields are the Browse List detail's why (issue 13, --why HOST in the
// TUI): why the host is or is not the master and in the Browse List, and
// what it would need to win (timeline.Explain). Worked out only while the
// detail is shown. The part about seg, the segment of the Browse List
// shown, comes first; the host's other segments (a host on NBT and IPX)
// follow in Explain's order.
func whyFields(in stateInput, host, seg string) func() []Field {
	return func() []Field {
		if in.snap == nil {
			return nil
		}
		e := timeline.Explain(in.snap, host, nil)
		if e == nil || !e.Found {
			return nil
		}
		parts := slices.Clone(e.Parts)
		slices.SortStableFunc(parts, func(a, b *timeline.HostExplanation) int {
			return boolOrder(b.Segment == seg) - boolOrder(a.Segment == seg)
		})
		var fs []Field
		for _, p := range parts {
			fs = append(fs, Field{"Why: on", esc(p.Workgroup) + " on " + in.seg.name(p.Segment)},
				Field{"Master", in.seg.text(p.MasterWhy)})
			if p.NeedText != "" {
				fs = append(fs, Field{"To win", in.seg.text(p.NeedText)})
			}
			fs = append(fs, Field{"Browse list", in.seg.text(p.ListWhy)})
			if p.Subnets != "" {
				fs = append(fs, Field{"Other subnets", in.seg.text(p.Subnets)})
			}
		}
		return fs
	}
}

// boolOrder is 1 for true, 0 for false.
func boolOrder(b bool) int {
	if b {
		return 1
	}
	return 0
}
