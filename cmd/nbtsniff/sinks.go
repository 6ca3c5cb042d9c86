package main

import (
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
// parallel run writes with. done ends the output: the report is printed
// then.
func openSinks(o *options, w io.Writer) (s pipeline.Sinks, done func() error, err error) {
	s = pipeline.Sinks{Filter: o.filter, Out: w}
	if wantsTimeline(o) {
		ts, err := newTimelineSink(o, w)
		if err != nil {
			return s, nil, err
		}
		s.Timeline = ts.tl
		return s, ts.Close, nil
	}
	if s.Printer, err = newPrinter(o, w, true); err != nil {
		return s, nil, err
	}
	s.NewPrinter = func(w io.Writer) pipeline.Printer {
		p, _ := newPrinter(o, w, false) // the options were checked above
		return p
	}
	return s, func() error { return nil }, nil
}

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

type fieldsSink struct{ w *output.FieldsWriter }

func (s fieldsSink) Frame(f *dissect.Frame) error { return s.w.WriteFrame(f) }

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
