package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"syscall"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/filter"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/pipeline"
)

var syscallEPIPE = syscall.EPIPE

// openSinks builds the output the flags ask for: the timeline (-T events,
// --report), or a printer, with the headerless printer each engine of a
// parallel run writes with, or nothing (-q). watch, if not nil, is a
// monitor: it sees every frame, and the events and state of the timeline
// (the output's, or one of its own beside a printer). done ends the
// output: the report is printed then (interrupted after a number of
// frames, or -1). each flushes w after every frame (or event).
func openSinks(o *options, w *bufio.Writer, each bool, watch *pipeline.Watch) (s pipeline.Sinks, done func(interrupted int) error, err error) {
	s = pipeline.Sinks{Filter: o.filter, Out: w, Watch: watch}
	quiet := o.monitorOpts.quiet
	if wantsTimeline(o) || quiet && watch != nil {
		ts, err := newTimelineSink(o, w)
		if err != nil {
			return s, nil, err
		}
		if each {
			ts.flush = w.Flush
		}
		if watch != nil {
			ts.tl.SetWatch(watch)
		}
		s.Timeline = ts.tl
		return s, func(interrupted int) error {
			ts.interrupted, ts.interruptedAt = interrupted >= 0, interrupted
			return ts.Close()
		}, nil
	}
	if quiet {
		s.Printer = discard{}
		s.NewPrinter = func(io.Writer) pipeline.Printer { return discard{} }
		return s, func(int) error { return nil }, nil
	}
	if s.Printer, err = newPrinter(o, w, true); err != nil {
		return s, nil, err
	}
	if each {
		s.Printer = flushing{s.Printer, w}
	}
	s.NewPrinter = func(w io.Writer) pipeline.Printer {
		p, _ := newPrinter(o, w, false) // the options were checked above
		return p
	}
	if watch == nil {
		return s, func(int) error { return nil }, nil
	}
	cfg, err := timelineConfig(o)
	if err != nil {
		return s, nil, err
	}
	s.Monitor = pipeline.NewTimeline(cfg, nil)
	s.Monitor.SetWatch(watch)
	return s, func(int) error { return s.Monitor.Finish() }, nil
}

// discard prints nothing (-q).
type discard struct{}

func (discard) Frame(*dissect.Frame) error { return nil }

// newPrinter builds the printer the flags ask for, writing to w; header
// says whether it prints the -T fields header (and BOM) if asked.
func newPrinter(o *options, w io.Writer, header bool) (pipeline.Printer, error) {
	switch o.format {
	case "fields":
		fo, err := output.ParseFieldsOptions(o.fieldOpts)
		if err != nil {
			return nil, err
		}
		if !header {
			fo.Header, fo.BOM = false, false
		}
		fo.Time = o.time
		fw, err := output.NewFieldsWriter(w, o.fields, fo)
		if err != nil {
			return nil, err
		}
		return fieldsSink{fw}, nil
	case "json":
		return jsonSink{output.NewJSONWriter(w)}, nil
	}
	return &textSink{w: w, verbose: o.verbose, hex: o.hex, sum: output.Summary{Time: o.time}}, nil
}

// flushing flushes its writer after each frame (-l, a terminal).
type flushing struct {
	p pipeline.Printer
	w *bufio.Writer
}

func (f flushing) Frame(fr *dissect.Frame) error {
	if err := f.p.Frame(fr); err != nil {
		return err
	}
	return f.w.Flush()
}

// fieldsSink is the -T fields printer; the pipeline prints the frames
// that carry no NBT by number through it (pipeline.NumberPrinter).
type fieldsSink struct{ *output.FieldsWriter }

func (s fieldsSink) Frame(f *dissect.Frame) error { return s.WriteFrame(f) }

type jsonSink struct{ w *output.JSONWriter }

func (s jsonSink) Frame(f *dissect.Frame) error { return s.w.WriteFrame(f) }

type textSink struct {
	w       io.Writer
	verbose bool
	hex     bool
	sum     output.Summary
}

func (s *textSink) Frame(f *dissect.Frame) error {
	var err error
	if s.verbose {
		err = output.WriteVerbose(s.w, f)
	} else {
		err = s.sum.Write(s.w, f)
	}
	if err == nil && s.hex {
		err = output.WriteHex(s.w, f)
	}
	return err
}

// describeFilterError adds the expression with a caret under the error.
func describeFilterError(expr string, err error) error {
	var se *filter.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%v\n%s", err, se.Caret())
	}
	return err
}
