package view

import (
	"github.com/charmbracelet/lipgloss"
)

// Styles holds every style of the UI. It is built once from a renderer
// (whose colour profile follows the terminal and NO_COLOR) and handed to
// each pane: there are no global style variables. With the Ascii profile
// (no colour, as in golden tests) every style renders its text unchanged,
// so nothing the user must see depends on colour alone: the row cursor is
// a ">" marker, highlighted hex bytes are upper case, lanes use distinct
// characters.
type Styles struct {
	TabActive   lipgloss.Style
	TabInactive lipgloss.Style
	TabBar      lipgloss.Style

	Title    lipgloss.Style // a pane's heading line
	Header   lipgloss.Style // table column headings
	Selected lipgloss.Style // the row under the cursor
	Marked   lipgloss.Style // rows marked as evidence
	Dim      lipgloss.Style
	Bold     lipgloss.Style
	Error    lipgloss.Style
	Warn     lipgloss.Style
	OK       lipgloss.Style
	Key      lipgloss.Style // a key in help and the status bar

	StatusBar lipgloss.Style
	Progress  lipgloss.Style // the filled part of the progress bar

	// Lanes of the timeline.
	Bars     []lipgloss.Style // one per host, cycled
	Election lipgloss.Style
	Storm    lipgloss.Style
	Anomaly  lipgloss.Style
	Cursor   lipgloss.Style
	Axis     lipgloss.Style

	// Frame detail: one colour per protocol layer, cycled, and the
	// highlighted bytes of the selected field.
	Layers    []lipgloss.Style
	Highlight lipgloss.Style
}

// NewStyles builds the styles for a renderer. Colours are the 16 ANSI
// colours, which every colour terminal has; the renderer maps them down
// (or drops them) according to its profile.
func NewStyles(r *lipgloss.Renderer) Styles {
	ns := r.NewStyle
	color := func(s string) lipgloss.Color { return lipgloss.Color(s) }
	s := Styles{
		TabActive:   ns().Bold(true).Reverse(true),
		TabInactive: ns().Foreground(color("7")),
		TabBar:      ns(),
		Title:       ns().Bold(true),
		Header:      ns().Bold(true).Underline(true),
		Selected:    ns().Reverse(true),
		Marked:      ns().Foreground(color("3")),
		Dim:         ns().Faint(true),
		Bold:        ns().Bold(true),
		Error:       ns().Foreground(color("1")).Bold(true),
		Warn:        ns().Foreground(color("3")),
		OK:          ns().Foreground(color("2")),
		Key:         ns().Bold(true).Foreground(color("6")),
		StatusBar:   ns().Reverse(true),
		Progress:    ns().Foreground(color("2")),
		Election:    ns().Foreground(color("3")).Bold(true),
		Storm:       ns().Foreground(color("1")),
		Anomaly:     ns().Foreground(color("1")).Bold(true),
		Cursor:      ns().Foreground(color("5")).Bold(true),
		Axis:        ns().Faint(true),
		Highlight:   ns().Reverse(true).Bold(true),
	}
	for _, col := range []string{"4", "2", "5", "6", "3", "12", "10", "13"} {
		s.Bars = append(s.Bars, ns().Foreground(color(col)))
	}
	for _, col := range []string{"7", "4", "2", "6", "5", "3", "12", "10", "13", "14"} {
		s.Layers = append(s.Layers, ns().Foreground(color(col)))
	}
	return s
}

// bar is the style of the i-th host's bar.
func (s *Styles) bar(i int) lipgloss.Style { return s.Bars[i%len(s.Bars)] }

// layer is the style of the i-th protocol layer of a frame.
func (s *Styles) layer(i int) lipgloss.Style {
	if i < 0 {
		return s.Dim
	}
	return s.Layers[i%len(s.Layers)]
}
