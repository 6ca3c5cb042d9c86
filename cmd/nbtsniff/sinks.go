package main

import (
	"errors"
	"fmt"
	"io"
	"syscall"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/filter"
	"github.com/nbtsniff/nbtsniff/output"
)

var syscallEPIPE = syscall.EPIPE

// openSinks builds the printers the flags ask for.
func openSinks(o *options, w io.Writer, labels []string) ([]frameSink, error) {
	if wantsTimeline(o) {
		ts, err := newTimelineSink(o, w)
		if err != nil {
			return nil, err
		}
		return []frameSink{ts}, nil
	}
	switch o.format {
	case "fields":
		fo, err := output.ParseFieldsOptions(o.fieldOpts)
		if err != nil {
			return nil, err
		}
		fw, err := output.NewFieldsWriter(w, o.fields, fo)
		if err != nil {
			return nil, err
		}
		return []frameSink{fieldsSink{fw}}, nil
	case "json":
		return []frameSink{jsonSink{output.NewJSONWriter(w)}}, nil
	}
	return []frameSink{&textSink{w: w, verbose: o.verbose, hex: o.hex}}, nil
}

// workerPrinter builds, for a decoding engine of its own (parallel.go),
// the printer the flags ask for, writing to w; the header, if any, is the
// command's sink's to print. Nil for the timeline.
func workerPrinter(o *options, w io.Writer) (frameSink, error) {
	if wantsTimeline(o) {
		return nil, nil
	}
	switch o.format {
	case "fields":
		fo, err := output.ParseFieldsOptions(o.fieldOpts)
		if err != nil {
			return nil, err
		}
		fo.Header, fo.BOM = false, false
		fw, err := output.NewFieldsWriter(w, o.fields, fo)
		if err != nil {
			return nil, err
		}
		return fieldsSink{fw}, nil
	case "json":
		return jsonSink{output.NewJSONWriter(w)}, nil
	}
	return &textSink{w: w, verbose: o.verbose, hex: o.hex}, nil
}

type fieldsSink struct{ w *output.FieldsWriter }

func (s fieldsSink) Frame(f *dissect.Frame) error { return s.w.WriteFrame(f) }
func (s fieldsSink) Close() error                 { return nil }

type jsonSink struct{ w *output.JSONWriter }

func (s jsonSink) Frame(f *dissect.Frame) error { return s.w.WriteFrame(f) }
func (s jsonSink) Close() error                 { return nil }

type textSink struct {
	w       io.Writer
	verbose bool
	hex     bool
}

func (s *textSink) Frame(f *dissect.Frame) error {
	var err error
	if s.verbose {
		err = output.WriteVerbose(s.w, f)
	} else {
		err = output.WriteSummary(s.w, f)
	}
	if err == nil && s.hex {
		err = output.WriteHex(s.w, f)
	}
	return err
}

func (s *textSink) Close() error { return nil }

// describeFilterError adds the expression with a caret under the error.
func describeFilterError(expr string, err error) error {
	var se *filter.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%v\n%s", err, se.Caret())
	}
	return err
}
