package view

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
)

func kb(keys []string, help, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// GlobalKeys are the keys every screen understands (the root model
// handles them before routing a key to the active pane).
type GlobalKeys struct {
	Tab, BackTab key.Binding
	Screens      [7]key.Binding
	Help         key.Binding
	Quit         key.Binding
	Pause        key.Binding
	Follow       key.Binding // the time cursor back to "now"
	Clock        key.Binding // the next time format (tshark -t)
}

// TableKeys move in any table and filter it.
type TableKeys struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Filter                                key.Binding
	Sort                                  key.Binding
	Open                                  key.Binding
	Back                                  key.Binding
	Frames                                key.Binding // jump to the evidence frames
}

// LaneKeys drive the timeline's time cursor.
type LaneKeys struct {
	Left, Right          key.Binding
	FarLeft, FarRight    key.Binding
	ZoomIn, ZoomOut      key.Binding
	Up, Down             key.Binding
	PrevEvent, NextEvent key.Binding
	Frames               key.Binding
}

// GroupKeys select the workgroup and segment a screen shows.
type GroupKeys struct {
	Next, Prev key.Binding
	Browse     key.Binding // the Overview: open the group's Browse List
}

// FrameKeys are the frame list's and the frame detail's.
type FrameKeys struct {
	DisplayFilter key.Binding
	NextMark      key.Binding
	PrevMark      key.Binding
	Layers        key.Binding // an open frame: its layers instead of its tree
}

// Each group of keys is a bubbles help.KeyMap: the help screen (?) lists
// its FullHelp.
var (
	_ help.KeyMap = GlobalKeys{}
	_ help.KeyMap = TableKeys{}
	_ help.KeyMap = LaneKeys{}
	_ help.KeyMap = GroupKeys{}
)

func (k GlobalKeys) ShortHelp() []key.Binding { return []key.Binding{k.Help, k.Quit} }
func (k GlobalKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{append(append([]key.Binding{k.Tab, k.BackTab}, k.Screens[:]...), k.Help, k.Pause, k.Follow, k.Clock, k.Quit)}
}

func (k TableKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Filter, k.Open, k.Back}
}
func (k TableKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End, k.Filter, k.Sort, k.Open, k.Back, k.Frames}}
}

func (k LaneKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Left, k.Right, k.ZoomIn, k.ZoomOut}
}
func (k LaneKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Left, k.Right, k.FarLeft, k.FarRight, k.ZoomIn, k.ZoomOut, k.Up, k.Down, k.PrevEvent, k.NextEvent, k.Frames}}
}

func (k GroupKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Next, k.Prev} }
func (k GroupKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Next, k.Prev}} }

// KeyMap is every key of the UI, in one place (? lists them).
type KeyMap struct {
	Global GlobalKeys
	Table  TableKeys
	Lanes  LaneKeys
	Group  GroupKeys
	Frames FrameKeys
}

// DefaultKeyMap is the key map.
func DefaultKeyMap() KeyMap {
	var k KeyMap
	k.Global = GlobalKeys{
		Tab:     kb([]string{"tab"}, "tab", "next screen"),
		BackTab: kb([]string{"shift+tab"}, "shift+tab", "previous screen"),
		Help:    kb([]string{"?"}, "?", "show every key"),
		Quit:    kb([]string{"q", "ctrl+c"}, "q", "quit"),
		Pause:   kb([]string{"p"}, "p", "pause/resume the display (live)"),
		Follow:  kb([]string{"F"}, "F", "time cursor back to now (follow)"),
		Clock:   kb([]string{"t"}, "t", "next time format (tshark -t: "+strings.Join(clockFormats, " ")+")"),
	}
	for i, name := range screenTitles {
		d := string(rune('1' + i))
		k.Global.Screens[i] = kb([]string{d}, d, name)
	}
	k.Table = TableKeys{
		Up:       kb([]string{"up", "k"}, "↑/k", "up"),
		Down:     kb([]string{"down", "j"}, "↓/j", "down"),
		PageUp:   kb([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
		PageDown: kb([]string{"pgdown", "ctrl+f", " "}, "pgdn", "page down"),
		Home:     kb([]string{"home", "g"}, "g/home", "first row"),
		End:      kb([]string{"end", "G"}, "G/end", "last row"),
		Filter:   kb([]string{"/"}, "/", "filter the table"),
		Sort:     kb([]string{"s"}, "s", "sort by the next column"),
		Open:     kb([]string{"enter"}, "enter", "details (every field)"),
		Back:     kb([]string{"esc", "backspace"}, "esc", "back / clear filter"),
		Frames:   kb([]string{"f"}, "f", "jump to its frames"),
	}
	k.Lanes = LaneKeys{
		Left:      kb([]string{"left", "h"}, "←/h", "cursor back one column"),
		Right:     kb([]string{"right", "l"}, "→/l", "cursor on one column"),
		FarLeft:   kb([]string{"shift+left", "H"}, "H", "cursor back a screen"),
		FarRight:  kb([]string{"shift+right", "L"}, "L", "cursor on a screen"),
		ZoomIn:    kb([]string{"+", "="}, "+", "zoom in"),
		ZoomOut:   kb([]string{"-", "_"}, "-", "zoom out"),
		Up:        kb([]string{"up", "k"}, "↑/k", "previous lane"),
		Down:      kb([]string{"down", "j"}, "↓/j", "next lane"),
		PrevEvent: kb([]string{"["}, "[", "cursor to the previous event of the lane"),
		NextEvent: kb([]string{"]"}, "]", "cursor to the next event of the lane"),
		Frames:    kb([]string{"f"}, "f", "jump to the frames at the cursor"),
	}
	k.Group = GroupKeys{
		Next:   kb([]string{"w"}, "w", "next workgroup/segment"),
		Prev:   kb([]string{"W"}, "W", "previous workgroup/segment"),
		Browse: kb([]string{"b"}, "b", "open its Browse List"),
	}
	k.Frames = FrameKeys{
		DisplayFilter: kb([]string{"/"}, "/", "display filter (Wireshark syntax)"),
		NextMark:      kb([]string{"n"}, "n", "next marked frame"),
		PrevMark:      kb([]string{"N"}, "N", "previous marked frame"),
		Layers:        kb([]string{"L"}, "L", "an open frame: its layers (stack, bytes, specs)"),
	}
	return k
}
