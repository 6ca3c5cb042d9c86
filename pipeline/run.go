package pipeline

import (
	"context"
	"errors"
	"io"
	"runtime"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/filter"
)

// Printer prints decoded frames: a -V, -x, -T fields or JSON writer.
type Printer interface {
	Frame(f *dissect.Frame) error
}

// NumberPrinter is a Printer that can print the frames that carry no NBT
// (engine.Engine.Skipped) from their numbers alone, when it shows nothing
// else of them: -T fields (output.FieldsWriter) of NBT fields and
// frame.number. Run then builds no frame for them.
type NumberPrinter interface {
	Printer
	// ByNumber reports whether the text of a frame whose nodes are all
	// of fields (engine.Needs.SkippedFields) is its number's alone, and
	// sets the printer up to print such frames so.
	ByNumber(fields []dissect.FieldID) bool
	// AppendNumbered appends the text of the frames numbered from to to
	// (inclusive), as ByNumber said.
	AppendNumbered(dst []byte, from, to int) []byte
	// WriteNumbered writes it where Frame writes.
	WriteNumbered(from, to int) error
}

// Sinks are where Run sends the frames that pass the display filter: to
// the timeline when it is set, else to a printer.
type Sinks struct {
	// Filter is the display filter (-Y, Wireshark syntax); "" passes
	// every frame. Each engine compiles its own copy.
	Filter string
	// Timeline takes the frames' observations, in frame order.
	Timeline *Timeline
	// Printer prints the frames of a run with one engine.
	Printer Printer
	// NewPrinter makes, for each engine of a run with several, a printer
	// writing to w, which prints no header (Printer did); Run writes what
	// they print to Out in frame order.
	NewPrinter func(w io.Writer) Printer
	Out        io.Writer

	// Watch, if set, sees every frame decoded (Watch.Frame), before the
	// display filter.
	Watch *Watch
	// Monitor, if set, is a timeline fed every frame decoded, whatever
	// the display filter, beside the printer (when Timeline is not set):
	// its events and state go to a monitor (Timeline.SetWatch). Run
	// decodes with one engine then.
	Monitor *Timeline
}

// SinkError is an error of a printer or of the timeline (writing its
// events): the run stopped there.
type SinkError struct{ Err error }

func (e *SinkError) Error() string { return e.Err.Error() }
func (e *SinkError) Unwrap() error { return e.Err }

// DefaultEngines is how many engines decode a file at once: one per core,
// up to eight.
func DefaultEngines() int { return min(runtime.GOMAXPROCS(0), parMaxEngines) }

// Run reads every packet, decodes it and hands the frames that pass the
// filter to the sinks in frame order, then ends the engines' work. With
// Config.Engines above one (for files: a live source or a pipe goes
// through one engine) the frames are decoded by several engines at once
// (parallel.go), with output byte for byte that of one engine.
//
// It returns nil at the end of the input (or of ctx), a *SinkError when a
// sink failed, a *WriteError when the -w file did, or the source's error
// (after the frames before it were handed on). The caller then closes its
// sinks and the Pipeline.
func (p *Pipeline) Run(ctx context.Context, s Sinks) error {
	stop := p.closeOnDone(ctx)
	defer stop()
	if s.Timeline != nil {
		defer func() { s.Timeline.loss = p.StreamLoss() }()
	}
	if p.cfg.Engines > 1 && s.Monitor == nil {
		return p.runParallel(ctx, s)
	}
	var flt *filter.Filter
	if s.Filter != "" {
		var err error
		if flt, err = filter.Compile(s.Filter); err != nil {
			return err
		}
	}
	var sink Printer = s.Timeline
	if s.Timeline == nil {
		sink = s.Printer
	}
	var watch func(*dissect.Frame)
	if s.Watch != nil {
		watch = s.Watch.Frame
	}
	mode := p.skipModeOf(s)
	run := numberedRun{np: p.numberPrinter(s, mode)}
	if run.np != nil {
		mode = skipNumber
	}
	for {
		f, at, err := p.next(ctx, mode)
		if err != nil {
			ferr := run.flush()
			p.closeEngine()
			if ferr != nil {
				return ferr
			}
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if f == nil && mode == skipNumber { // skipped: printed by number
			run.add(p.cur.n)
			if p.cfg.Live || p.cfg.Waits { // each frame as it comes
				if err := run.flush(); err != nil {
					return err
				}
			}
			continue
		}
		if f == nil { // skipped: no engine sees it, the timeline's clock moves
			if err := s.Timeline.observe(nil, at); err != nil {
				return &SinkError{err}
			}
			continue
		}
		if err := run.flush(); err != nil {
			return err
		}
		if watch != nil {
			watch(f)
		}
		if s.Monitor != nil && s.Timeline == nil {
			if err := s.Monitor.Frame(f); err != nil {
				return &SinkError{err}
			}
		}
		if flt != nil && !flt.Match(f) {
			continue
		}
		if err := sink.Frame(f); err != nil {
			return &SinkError{err}
		}
	}
}

// numberPrinter is the printer of a run into s that prints the frames
// it skips by number (NumberPrinter), or nil: when they are skipped
// (mode), only printed (no timeline, no watch sees them) and the printer
// can.
func (p *Pipeline) numberPrinter(s Sinks, mode skipMode) NumberPrinter {
	if mode != skipFrame || s.Timeline != nil || s.Watch != nil && s.Watch.Frame != nil {
		return nil
	}
	np, ok := s.Printer.(NumberPrinter)
	if !ok || !np.ByNumber(p.cfg.Needs.SkippedFields()) {
		return nil
	}
	return np
}

// numberedRun is what Run skipped and prints by number (NumberPrinter)
// and has not printed yet: the frames from to to (from 0: none), printed
// before the next frame, or at the end.
type numberedRun struct {
	np       NumberPrinter
	from, to int
}

func (r *numberedRun) add(n int) {
	if r.from == 0 {
		r.from = n
	}
	r.to = n
}

func (r *numberedRun) flush() error {
	if r.from == 0 {
		return nil
	}
	err := r.np.WriteNumbered(r.from, r.to)
	r.from = 0
	if err != nil {
		return &SinkError{err}
	}
	return nil
}

// runParallel is Run with several engines.
func (p *Pipeline) runParallel(ctx context.Context, s Sinks) error {
	par, err := newParallel(p, p.cfg.Engines, s, p.cfg.SpreadTCP)
	if err != nil {
		return err
	}
	p.par = par
	var pkt capture.Packet
	var rerr error
	for {
		// The context is asked every parCtxEvery packets (a file's run
		// stops that much later at most): asked of every packet, it was
		// 0.4% of the NBT-dense mix's --report.
		if rerr = p.read(ctx, &pkt, p.n%parCtxEvery == 0); rerr != nil {
			break
		}
		if !par.add(&pkt) {
			break
		}
	}
	werr := par.wait()
	var we *WriteError
	if errors.As(rerr, &we) {
		return rerr
	}
	if werr != nil {
		return &SinkError{werr}
	}
	if errors.Is(rerr, io.EOF) {
		return nil
	}
	return rerr
}
