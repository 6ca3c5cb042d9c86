package view

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nbtsniff/nbtsniff/feed"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// tickEvery is how often the UI samples the loader.
const tickEvery = 150 * time.Millisecond

type tickMsg time.Time

func tick() tea.Cmd { return tea.Tick(tickEvery, func(t time.Time) tea.Msg { return tickMsg(t) }) }

// Model is the root of the UI: a tab bar, the active screen and a status
// bar. It samples its data source on a tick, owns the time cursor, and
// routes each message to the screen it concerns (screens.go); the screens
// decide how to draw what the timeline and the decoders produced, never
// what happened.
type Model struct {
	src    feed.Source
	keys   KeyMap
	styles *Styles
	clock  func() time.Time

	w, h    int
	screen  int
	help    bool
	confirm bool
	paused  bool

	sample  *feed.Sample
	rateAt  time.Time
	rateN   int
	rate    float64
	cursor  time.Time
	follow  bool
	sn      segmentNamer
	clk     clock
	lastKey refreshKey
	loading bool
	// rest: the data of a refresh that only the active screen has had
	// yet (doneMsg); the other screens get it with the next message
	// (restMsg, or any other, before it is handled).
	rest *screenData

	overview  OverviewModel
	lanes     LanesModel
	elections ElectionsModel
	browse    BrowseModel
	names     NamesModel
	frames    FramesModel
	anomalies AnomaliesModel
}

// refreshKey tells whether the screens need new data.
type refreshKey struct {
	latest  *timeline.Snapshot
	frames  int
	matches int
	cursor  time.Time
	follow  bool
	expr    string
	done    bool
}

// NewModel builds the UI over a data source. clock is the wall clock
// (live mode's "now"); tests pass a fixed one.
func NewModel(src feed.Source, st Styles, clock func() time.Time) Model {
	keys := DefaultKeyMap()
	s := &st
	m := Model{
		src:       src,
		keys:      keys,
		styles:    s,
		clock:     clock,
		follow:    true,
		clk:       newClock(clockFormats[0]),
		w:         80,
		h:         24,
		overview:  NewOverview(keys.Table, keys.Group, s),
		lanes:     NewLanes(keys.Lanes, s),
		elections: NewElections(keys.Table, s),
		browse:    NewBrowse(keys.Table, keys.Group, s),
		names:     NewNames(keys.Table, s),
		frames:    NewFrames(keys.Table, keys.Frames, s, src),
		anomalies: NewAnomalies(keys.Table, s),
	}
	m.takeSample()
	m.layout()
	m.refresh(true)
	return m
}

// Init starts the sampling tick.
func (m Model) Init() tea.Cmd {
	if d, ok := m.src.(doner); ok {
		return tea.Batch(tick(), func() tea.Msg { <-d.Done(); return doneMsg{} })
	}
	return tick()
}

// doner is a Source that says when it has finished reading (the loader).
type doner interface{ Done() <-chan struct{} }

// doneMsg says the Source has finished: the UI samples it at once, not
// at the next tick (up to tickEvery later), so that "loaded" shows as soon
// as it is. Only the active screen is handed the data then (what is
// drawn); the others right after, with restMsg: handing every screen a
// loaded 1 GB capture's state took some 2 ms (BenchmarkRefresh; the
// Names and Anomalies screens most of it), which the loaded screen
// waited for.
type doneMsg struct{}

// restMsg hands the screens other than the active one the data of the
// last refresh (Model.rest).
type restMsg struct{}

func (m *Model) takeSample() {
	s := m.src.Sample()
	now := m.clock()
	if m.sample != nil && !m.rateAt.IsZero() {
		if dt := now.Sub(m.rateAt); dt >= time.Second {
			m.rate = float64(s.Frames.Len()-m.rateN) / dt.Seconds()
			m.rateAt, m.rateN = now, s.Frames.Len()
		}
	} else {
		m.rateAt, m.rateN = now, s.Frames.Len()
	}
	m.sample = s
	m.sn = segmentNamer{labels: s.Labels}
	m.clk.first = s.First
}

func (m *Model) bodyHeight() int {
	h := m.h - 2
	if m.loading {
		h--
	}
	return max(h, 3)
}

func (m *Model) layout() {
	m.loading = m.sample != nil && !m.sample.Done && !m.sample.Live
	for _, sc := range m.screens() {
		sc.SetSize(m.w, m.bodyHeight())
	}
}

// latestTime is the right edge of time: the last frame, or the wall clock
// when capturing live.
func (m *Model) latestTime() time.Time {
	s := m.sample
	if s.Live && !s.Done {
		return m.clock().UTC()
	}
	if s.Latest != nil && s.Latest.Time.After(s.Last) {
		return s.Latest.Time
	}
	return s.Last
}

// refresh hands each screen the state at the cursor.
func (m *Model) refresh(force bool) {
	if d := m.refreshData(force); d != nil {
		for _, sc := range m.screens() {
			sc.setData(d)
		}
	}
}

// refreshActive hands the active screen the state at the cursor, and
// keeps it for the others (Model.rest; restMsg hands it them).
func (m *Model) refreshActive() tea.Cmd {
	d := m.refreshData(false)
	if d == nil {
		return nil
	}
	m.screens()[m.screen].setData(d)
	m.rest = d
	return func() tea.Msg { return restMsg{} }
}

// refreshRest hands the screens other than the active one the data that
// refreshActive kept, if any.
func (m *Model) refreshRest() {
	d := m.rest
	if d == nil {
		return
	}
	m.rest = nil
	for i, sc := range m.screens() {
		if i != m.screen {
			sc.setData(d)
		}
	}
}

// refreshData is what a refresh hands the screens: the state at the
// cursor, or nil when nothing changed since the last one (and not
// force).
func (m *Model) refreshData(force bool) *screenData {
	m.refreshRest() // the older data first, should a screen keep some of it
	s := m.sample
	if m.follow {
		m.cursor = m.latestTime()
	}
	k := refreshKey{latest: s.Latest, frames: s.Frames.Len(), matches: s.Matches.Len(), cursor: m.cursor, follow: m.follow, expr: s.Matches.Expr, done: s.Done}
	if !force && k == m.lastKey && !s.Live {
		return nil
	}
	if k.done != m.lastKey.done {
		m.lastKey = k
		m.layout()
	}
	m.lastKey = k
	snap := s.Latest
	if !m.follow {
		snap = s.StateAt(m.cursor)
	}
	var snapAt time.Time
	if snap != nil {
		snapAt = snap.Time
	}
	return &screenData{
		state:  stateInput{snap: snap, now: m.cursor, seg: m.sn, clk: m.clk},
		sample: s,
		latest: m.latestTime(),
		follow: m.follow,
		snapAt: snapAt,
	}
}

// Update routes a message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.refreshRest() // every screen up to date before any message
	switch msg := msg.(type) {
	case restMsg:
		return m, nil
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.layout()
		m.refresh(true)
		return m, nil
	case tickMsg:
		if !m.paused {
			m.takeSample()
			m.refresh(false)
		}
		return m, tick()
	case doneMsg:
		if !m.paused {
			m.takeSample()
			return m, m.refreshActive()
		}
		return m, nil
	case jumpMsg:
		frames := msg.frames
		if len(frames) == 0 && !msg.at.IsZero() {
			if n := m.sample.Frames.FrameAt(msg.at); n > 0 {
				frames = []int{n}
			}
		}
		m.screen = screenFrames
		return m, m.frames.Jump(frames, msg.why)
	case cursorMsg:
		m.follow = msg.follow
		if !msg.follow {
			m.cursor = msg.t
		}
		m.refresh(true)
		return m, nil
	case groupMsg:
		m.browse.Select(msg.key)
		if msg.screen >= 0 {
			m.screen = msg.screen
		}
		m.refresh(true)
		return m, nil
	case detailMsg:
		var cmd tea.Cmd
		m.frames, cmd = m.frames.Update(msg)
		return m, cmd
	case tea.MouseMsg:
		return m.mouse(msg)
	case tea.KeyMsg:
		return m.key(msg)
	}
	return m.route(msg)
}

// capturing reports whether the active screen has the keyboard.
func (m *Model) capturing() bool { return m.screens()[m.screen].Capturing() }

func (m Model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	// Keys typed faster than the program reads them arrive as one message
	// of several runes: outside a text field, take them one at a time.
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && !m.capturing() {
		var cmds []tea.Cmd
		var mm tea.Model = m
		for _, r := range msg.Runes {
			var cmd tea.Cmd
			mm, cmd = mm.(Model).key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
			cmds = append(cmds, cmd)
		}
		return mm, tea.Batch(cmds...)
	}
	if m.confirm {
		switch msg.String() {
		case "y", "Y":
			return m, tea.Quit
		case "n", "N", "esc", "q":
			m.confirm = false
		}
		return m, nil
	}
	if m.help {
		m.help = false
		return m, nil
	}
	if msg.Type == tea.KeyCtrlC {
		return m.quit()
	}
	if m.capturing() {
		return m.route(msg)
	}
	g := m.keys.Global
	switch {
	case key.Matches(msg, g.Quit):
		return m.quit()
	case key.Matches(msg, g.Help):
		m.help = true
		return m, nil
	case key.Matches(msg, g.Tab):
		m.screen = (m.screen + 1) % numScreens
		return m, nil
	case key.Matches(msg, g.BackTab):
		m.screen = (m.screen + numScreens - 1) % numScreens
		return m, nil
	case key.Matches(msg, g.Pause):
		m.paused = !m.paused
		return m, nil
	case key.Matches(msg, g.Clock):
		m.clk = m.clk.next()
		m.refresh(true)
		return m, nil
	case key.Matches(msg, g.Follow):
		m.follow = true
		m.refresh(true)
		return m, nil
	}
	for i, b := range g.Screens {
		if key.Matches(msg, b) {
			m.screen = i
			return m, nil
		}
	}
	return m.route(msg)
}

func (m Model) quit() (tea.Model, tea.Cmd) {
	if m.sample.Live && m.sample.Writing != "" && !m.sample.Done {
		m.confirm = true
		return m, nil
	}
	return m, tea.Quit
}

// route hands a message to the active screen.
func (m Model) route(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.screens()[m.screen].update(msg)
	return m, cmd
}

// mouse: a click on the tab bar switches screens (a bonus; the keyboard
// does everything).
func (m Model) mouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	if msg.Action != tea.MouseActionPress || msg.Button != tea.MouseButtonLeft || msg.Y != 0 {
		return m, nil
	}
	x := 0
	for i, t := range m.tabTitles() {
		w := width(t) + 1
		if msg.X >= x && msg.X < x+w {
			m.screen = i
			break
		}
		x += w
	}
	return m, nil
}

func (m *Model) tabTitles() []string {
	out := make([]string, len(screenTitles))
	long := 0
	for _, n := range screenTitles {
		long += len(n) + 4
	}
	for i, n := range screenTitles {
		if long > m.w {
			n = strings.TrimSuffix(n, " List")
		}
		out[i] = " " + itoa(i+1) + " " + n + " "
	}
	return out
}

// View renders the whole screen: exactly h lines of w cells.
func (m Model) View() string {
	var out []string
	var tabs strings.Builder
	for i, t := range m.tabTitles() {
		if i == m.screen {
			tabs.WriteString(m.styles.TabActive.Render("[" + strings.TrimSpace(t) + "]"))
		} else {
			tabs.WriteString(m.styles.TabInactive.Render(t))
		}
	}
	out = append(out, fit(tabs.String(), m.w))
	if m.loading {
		out = append(out, m.progressLine())
	}
	bh := m.bodyHeight()
	var body string
	if m.help {
		body = m.helpView(bh)
	} else {
		body = m.screens()[m.screen].View()
	}
	lines := strings.Split(body, "\n")
	for i := 0; i < bh; i++ {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		out = append(out, fit(l, m.w))
	}
	out = append(out, m.statusLine())
	return strings.Join(out, "\n")
}

func (m *Model) progressLine() string {
	s := m.sample
	frac := 0.0
	if s.Total > 0 {
		frac = min(float64(s.Read)/float64(s.Total), 1)
	}
	el := m.clock().Sub(s.Started)
	txt := " " + itoa(int(frac*100)) + "%  " + humanCount(float64(s.Frames.Len())) + " frames"
	if el > 0 {
		txt += "  " + humanCount(float64(s.Frames.Len())/el.Seconds()) + " frames/s"
	}
	if frac > 0.01 && el > 0 {
		left := time.Duration(float64(el) * (1 - frac) / frac)
		txt += "  " + ago(left.Round(time.Second)) + " left"
	}
	bw := max(m.w-width(txt)-3, 10)
	fill := int(frac * float64(bw))
	bar := "[" + m.styles.Progress.Render(strings.Repeat("█", fill)) + strings.Repeat("░", bw-fill) + "]"
	return fit(bar+txt, m.w)
}

func (m *Model) statusLine() string {
	s := m.sample
	if m.confirm {
		return m.styles.Error.Render(fit(" Stop the capture and quit? "+esc(s.Writing)+" is being written.  y / n", m.w))
	}
	var parts []string
	var names []string
	for _, l := range s.Labels {
		names = append(names, filepath.Base(l))
	}
	parts = append(parts, esc(strings.Join(names, "+")))
	parts = append(parts, plural(s.Frames.Len(), "frame"))
	if o := s.Frames.Oldest(); o > 1 {
		parts = append(parts, "listing from frame "+itoa(o))
	}
	switch {
	case s.Live && !s.Done:
		parts = append(parts, "LIVE "+humanCount(m.rate)+" frames/s", "drops "+itoa(int(s.Stats.Dropped+s.Stats.IfDropped)))
	case s.Done:
		parts = append(parts, "loaded")
	default:
		parts = append(parts, "loading")
	}
	parts = append(parts, "-t "+m.clk.f.String())
	if m.paused {
		parts = append(parts, "PAUSED (p)")
	}
	if s.Writing != "" {
		parts = append(parts, "-w "+esc(filepath.Base(s.Writing)))
	}
	if !m.follow {
		parts = append(parts, "cursor "+m.clk.at(m.cursor)+" (F: now)")
	}
	if s.Err != nil {
		parts = append(parts, "error: "+esc(s.Err.Error()))
	} else if len(s.Warnings) > 0 {
		parts = append(parts, "warning: "+esc(s.Warnings[len(s.Warnings)-1]))
	}
	right := "? help  q quit "
	left := " " + strings.Join(parts, " · ")
	return m.styles.StatusBar.Render(fit(left, m.w-width(right)-1) + " " + right)
}

// helpSection is a titled group of keys on the help screen.
type helpSection struct {
	title string
	keys  help.KeyMap
}

// helpSections are the help's two columns: the keys of every screen and
// the table keys on the left, each screen's own keys on the right.
func (m *Model) helpSections() (left, right []helpSection) {
	var tables []string
	for i, sc := range m.screens() {
		if sc.usesTable() {
			tables = append(tables, screenTitles[i])
		}
		if len(sc.FullHelp()) > 0 {
			right = append(right, helpSection{screenTitles[i], sc})
		}
	}
	left = []helpSection{
		{"Everywhere", m.keys.Global},
		{"Tables (" + strings.Join(tables, ", ") + ")", m.keys.Table},
	}
	return left, right
}

// helpView lists every key (?), from the FullHelp of each key map.
func (m *Model) helpView(h int) string {
	lines := func(secs []helpSection) []string {
		var out []string
		for i, sec := range secs {
			if i > 0 {
				out = append(out, "")
			}
			out = append(out, m.styles.Title.Render(sec.title))
			for _, b := range flat(sec.keys.FullHelp()) {
				hp := b.Help()
				out = append(out, "  "+m.styles.Key.Render(fit(hp.Key, 12))+" "+hp.Desc)
			}
		}
		return out
	}
	l, r := m.helpSections()
	left, right := lines(l), lines(r)
	var out []string
	if m.w >= 100 {
		cw := m.w / 2
		for i := 0; i < max(len(left), len(right)); i++ {
			a, b := "", ""
			if i < len(left) {
				a = left[i]
			}
			if i < len(right) {
				b = right[i]
			}
			out = append(out, fit(a, cw)+b)
		}
	} else {
		out = append(left, "")
		out = append(out, right...)
	}
	out = append([]string{m.styles.Dim.Render("any key closes this help  ·  times: -t " + m.clk.name() + ", t for the next format")}, out...)
	if len(out) > h {
		out = out[:h]
	}
	return strings.Join(out, "\n")
}
