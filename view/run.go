package view

import (
	"context"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
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

// Run opens the inputs, starts the loader and runs the terminal UI until
// the user quits or ctx is cancelled. An error opening the inputs (or
// compiling the display filter) is returned before the UI starts; the
// caller prints it. When the UI ends, the loader is stopped and waited
// for, so that a -w file is complete.
func Run(ctx context.Context, in Input, opt Options) error {
	l, err := NewLoader(in)
	if err != nil {
		return err
	}
	out := opt.Output
	if out == nil {
		out = os.Stdout
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	l.Start(ctx)
	r := lipgloss.NewRenderer(out)
	m := NewModel(l, NewStyles(r), time.Now)
	popts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx), tea.WithOutput(out)}
	if opt.InputTTY {
		popts = append(popts, tea.WithInputTTY())
	}
	if opt.Mouse {
		popts = append(popts, tea.WithMouseCellMotion())
	}
	_, err = tea.NewProgram(m, popts...).Run()
	cancel()
	l.Wait()
	if err == tea.ErrProgramKilled && ctx.Err() != nil {
		err = nil
	}
	return err
}
