package view

import (
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nbtsniff/nbtsniff/feed"
)

// The screens, in tab order.
const (
	screenOverview = iota
	screenTimeline
	screenElections
	screenBrowse
	screenNames
	screenFrames
	screenAnomalies
	numScreens
)

var screenTitles = [numScreens]string{"Overview", "Timeline", "Elections", "Browse List", "Names", "Frames", "Anomalies"}

// screen is one tab of the UI. The root model holds one of each and loops
// over them for size, state, keys and view (as soft-serve's tabs do):
// what differs between screens is behind these methods, not in a switch.
type screen interface {
	// The screen's own keys, for the help (?); the table keys, shared by
	// every screen that usesTable, are listed once.
	help.KeyMap
	usesTable() bool
	SetSize(w, h int)
	// setData hands the screen what it shows, on every refresh.
	setData(d *screenData)
	// Capturing reports whether the screen has the keyboard (a text
	// field): the root's keys then go to it.
	Capturing() bool
	update(msg tea.Msg) tea.Cmd
	View() string
}

// screenData is what the root hands the screens on a refresh: the state at
// the time cursor for the state screens, the history and the frames for
// the Timeline and Frames screens.
type screenData struct {
	state  stateInput
	sample *feed.Sample
	latest time.Time // the right edge of time: last frame, or now (live)
	follow bool
	snapAt time.Time // time of the snapshot in state
}

// screens are the model's screens in tab order, as pointers into m.
func (m *Model) screens() [numScreens]screen {
	return [numScreens]screen{&m.overview, &m.lanes, &m.elections, &m.browse, &m.names, &m.frames, &m.anomalies}
}

// flat lists the bindings of a full help in one row (ShortHelp).
func flat(groups [][]key.Binding) []key.Binding {
	var out []key.Binding
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// The state screens: the state at the cursor, in a table.

func (m *OverviewModel) setData(d *screenData)     { m.SetState(d.state) }
func (m *OverviewModel) usesTable() bool           { return true }
func (m *OverviewModel) ShortHelp() []key.Binding  { return flat(m.FullHelp()) }
func (m *OverviewModel) FullHelp() [][]key.Binding { return nil }
func (m *OverviewModel) update(msg tea.Msg) (cmd tea.Cmd) {
	*m, cmd = m.Update(msg)
	return cmd
}

func (m *ElectionsModel) setData(d *screenData)     { m.SetState(d.state) }
func (m *ElectionsModel) usesTable() bool           { return true }
func (m *ElectionsModel) ShortHelp() []key.Binding  { return nil }
func (m *ElectionsModel) FullHelp() [][]key.Binding { return nil }
func (m *ElectionsModel) update(msg tea.Msg) (cmd tea.Cmd) {
	*m, cmd = m.Update(msg)
	return cmd
}

func (m *BrowseModel) setData(d *screenData)     { m.SetState(d.state) }
func (m *BrowseModel) usesTable() bool           { return true }
func (m *BrowseModel) ShortHelp() []key.Binding  { return flat(m.FullHelp()) }
func (m *BrowseModel) FullHelp() [][]key.Binding { return m.gkeys.FullHelp() }
func (m *BrowseModel) update(msg tea.Msg) (cmd tea.Cmd) {
	*m, cmd = m.Update(msg)
	return cmd
}

func (m *NamesModel) setData(d *screenData)     { m.SetState(d.state) }
func (m *NamesModel) usesTable() bool           { return true }
func (m *NamesModel) ShortHelp() []key.Binding  { return nil }
func (m *NamesModel) FullHelp() [][]key.Binding { return nil }
func (m *NamesModel) update(msg tea.Msg) (cmd tea.Cmd) {
	*m, cmd = m.Update(msg)
	return cmd
}

func (m *AnomaliesModel) setData(d *screenData)     { m.SetState(d.state) }
func (m *AnomaliesModel) usesTable() bool           { return true }
func (m *AnomaliesModel) ShortHelp() []key.Binding  { return nil }
func (m *AnomaliesModel) FullHelp() [][]key.Binding { return nil }
func (m *AnomaliesModel) update(msg tea.Msg) (cmd tea.Cmd) {
	*m, cmd = m.Update(msg)
	return cmd
}

// The Timeline: the whole history, and the cursor it moves.

func (m *LanesModel) setData(d *screenData) {
	s := d.sample
	m.SetData(s.Latest, s.Events, s.First, d.latest, d.state.now, d.follow, d.snapAt, d.state.seg, s.Frames.Time)
}
func (m *LanesModel) usesTable() bool           { return false }
func (m *LanesModel) Capturing() bool           { return false }
func (m *LanesModel) ShortHelp() []key.Binding  { return flat(m.FullHelp()) }
func (m *LanesModel) FullHelp() [][]key.Binding { return m.keys.FullHelp() }
func (m *LanesModel) update(msg tea.Msg) (cmd tea.Cmd) {
	*m, cmd = m.Update(msg)
	return cmd
}

// The Frames: the frame index and the frames passing the filter.

func (m *FramesModel) setData(d *screenData) {
	m.SetData(d.sample.Frames, d.sample.Matches, d.sample.Writing)
}
func (m *FramesModel) usesTable() bool          { return false }
func (m *FramesModel) ShortHelp() []key.Binding { return flat(m.FullHelp()) }
func (m *FramesModel) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.fkeys.DisplayFilter, m.keys.Open, m.fkeys.NextMark, m.fkeys.PrevMark, m.keys.Back}}
}
func (m *FramesModel) update(msg tea.Msg) (cmd tea.Cmd) {
	*m, cmd = m.Update(msg)
	return cmd
}
