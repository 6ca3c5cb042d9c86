package view

import (
	"context"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/nbtsniff/nbtsniff/feed"
)

// Options are how Run talks to the terminal.
type Options struct {
	// Output is the terminal (os.Stdout when nil). Its colour profile is
	// detected from the environment, NO_COLOR included.
	Output *os.File
	// InputTTY reads keys from the controlling terminal instead of
	// standard input (when standard input is the capture: -r -).
	InputTTY bool
	// Mouse enables clicks on the tab bar.
	Mouse bool
}

// renderFPS is how often bubbletea's renderer writes the view out, at
// most (its highest rate): a view is drawn only at the renderer's next
// tick, so the screen that says "loaded" came up to a 60th of a second
// after the load had ended at the default of 60 (0.3-12 ms after its
// View, in tmux, on the 1 GB mix; bench/README.md, session 13). A tick
// with nothing new to draw writes nothing.
const renderFPS = 120

// Run runs the terminal UI over src until the user quits or ctx is
// cancelled. The caller starts what fills src (pipeline.Loader) and stops
// it afterwards.
func Run(ctx context.Context, src feed.Source, opt Options) error {
	out := opt.Output
	if out == nil {
		out = os.Stdout
	}
	r := lipgloss.NewRenderer(out)
	m := NewModel(src, NewStyles(r), time.Now)
	popts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx), tea.WithOutput(out), tea.WithFPS(renderFPS)}
	if opt.InputTTY {
		popts = append(popts, tea.WithInputTTY())
	}
	if opt.Mouse {
		popts = append(popts, tea.WithMouseCellMotion())
	}
	_, err := tea.NewProgram(m, popts...).Run()
	if err == tea.ErrProgramKilled && ctx.Err() != nil {
		err = nil
	}
	return err
}
