package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/charmbracelet/x/term"

	"github.com/nbtsniff/nbtsniff/filter"
	"github.com/nbtsniff/nbtsniff/pipeline"
	"github.com/nbtsniff/nbtsniff/view"
)

// wantsTUI says whether to open the terminal UI: --tui and --no-tui force
// it; otherwise it opens when standard output is a terminal and no text
// output mode was asked for (-T other than the default, -V, -x, -e,
// --report).
func wantsTUI(o *options, stdout io.Writer) bool {
	if o.noTUI {
		return false
	}
	if o.tui {
		return true
	}
	if o.verbose || o.hex || o.format != "text" || len(o.fields) > 0 || o.report != "" || o.listIfaces || o.listFields || o.version || o.monitorOpts.quiet {
		return false
	}
	f, ok := stdout.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// runTUI runs the terminal UI over the inputs of the command line (-r or
// -i, -c, -w, -Y as the frame list's filter, the timeline thresholds): a
// pipeline.Loader reads them, view shows what it has, and the loader is
// stopped and waited for when the UI ends, so that a -w file is complete.
// It returns the exit status.
func runTUI(ctx context.Context, o *options, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := timelineConfig(o)
	if err != nil {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 2
	}
	// The UI's end (q) ends the load too: a read waiting on standard
	// input is interrupted then as on Ctrl-C.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	in, err := openInputs(ctx, o, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 1
	}
	if seg := o.monitorOpts.segment; seg != "" {
		for i := range in.Labels {
			in.Labels[i] = seg // as segmentLabels names them
		}
	}
	un, err := openUnattended(ctx, o, in, stderr)
	if err != nil {
		in.Close()
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 1
	}
	defer un.end(0)
	l, err := pipeline.NewLoader(in, pipeline.LoaderConfig{
		Count:          o.count,
		Write:          o.write,
		GiveUpTCPHoles: o.tcpHoles,
		Timeline:       cfg,
		DisplayFilter:  o.filter,
		Ring:           un.ring,
		Tap:            un.tap(),
		Watch:          un.watch(),
	})
	if err != nil {
		var se *filter.SyntaxError
		if errors.As(err, &se) {
			fmt.Fprintf(stderr, "nbtsniff: %v\n%s\n", err, se.Caret())
			return 2
		}
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 1
	}
	opt := view.Options{Mouse: true}
	if f, ok := stdout.(*os.File); ok {
		opt.Output = f
	}
	// Standard input is the capture: keys come from the terminal.
	opt.InputTTY = inputs(ctx, o, nil).ReadsStdin()
	// The collector's default (GOGC=100): the frame index is outside the
	// Go heap and its runs of other traffic take some 13 bytes a frame, so
	// a heap goal of twice the live heap keeps the UI under 150 MB for a
	// 1 GB capture (issue 15); GOGC=50, which it had when rows took 24
	// bytes, cost some 10% more CPU in the load for 7 MB less.
	un.start(false)
	l.Start(ctx)
	err = view.Run(ctx, l, opt)
	cancel()
	l.Wait()
	if err != nil {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return un.end(1)
	}
	return un.end(0)
}
