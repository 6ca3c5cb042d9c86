package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/filter"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/pipeline"
)

// process opens the inputs, runs the pipeline over them into the output
// the flags ask for, and returns the exit status.
func process(ctx context.Context, o *options, stdin io.Reader, stdout, stderr io.Writer) int {
	if o.filter != "" {
		if _, err := filter.Compile(o.filter); err != nil {
			fmt.Fprintf(stderr, "nbtsniff: %v\n", describeFilterError(o.filter, err))
			return 2
		}
	}
	in, err := pipeline.Open(inputs(o, stdin))
	if err != nil {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 1
	}
	defer in.Close()

	out := bufio.NewWriterSize(stdout, 256<<10)
	defer out.Flush()
	sinks, done, err := openSinks(o, out)
	if err != nil {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 2
	}
	cfg := pipelineConfig(o, in)
	cfg.Warn = func(err error) { fmt.Fprintf(stderr, "nbtsniff: warning: %v\n", err) }
	pl, err := pipeline.New(in.Source, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 1
	}
	if wantsTwoPass(o) {
		if err := firstPass(ctx, pl, in); err != nil {
			fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
			return 1
		}
	}

	status := 0
	var se *pipeline.SinkError
	var we *pipeline.WriteError
	switch err := pl.Run(ctx, sinks); {
	case errors.As(err, &we):
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 1
	case errors.As(err, &se):
		if isBrokenPipe(err) {
			return 0
		}
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 1
	case err != nil: // reading: what was read is still printed
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		status = 1
	}
	if err := done(); err != nil && !isBrokenPipe(err) {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		status = 1
	}
	if err := pl.Close(); err != nil {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		status = 1
	}
	if in.Live || ctx.Err() != nil {
		st := pl.Stats()
		fmt.Fprintf(stderr, "%d packets captured\n%d packets dropped by kernel\n", pl.Packets(), st.Dropped)
		if st.IfDropped > 0 {
			fmt.Fprintf(stderr, "%d packets dropped by interface\n", st.IfDropped)
		}
	}
	return status
}

// inputs are the -r or -i of the command line.
func inputs(o *options, stdin io.Reader) pipeline.Inputs {
	return pipeline.Inputs{
		Files:  o.reads,
		Stdin:  stdin,
		Ifaces: o.ifaces,
		Live:   capture.LiveOptions{Snaplen: o.snaplen, Promisc: !o.noPromisc, Filter: o.bpf},
	}
}

// pipelineConfig turns the flags into the pipeline's configuration: what
// the output reads of each frame, and how many engines decode.
func pipelineConfig(o *options, in *pipeline.Opened) pipeline.Config {
	cfg := pipeline.Config{
		Labels:         segmentLabels(o, in.Labels),
		Count:          o.count,
		Write:          o.write,
		Live:           in.Live,
		GiveUpTCPHoles: o.tcpHoles,
		Engines:        engines(in),
		Needs:          needsOf(o),
	}
	cfg.SpreadTCP = !cfg.Needs.TCPStreamShown()
	if o.time == output.TimeDeltaDisplayed {
		// The time since the previous displayed frame is known only
		// to the one printer that sees every displayed frame in order.
		cfg.Engines = 1
	}
	return cfg
}

// engines is how many engines decode: one per core for files (not
// standard input, which may be a live pipe), one for anything else.
func engines(in *pipeline.Opened) int {
	if !in.Replayable || oneEngine {
		return 1
	}
	if forceEngines > 0 {
		return forceEngines
	}
	return pipeline.DefaultEngines()
}

// oneEngine keeps files on the one-engine loop, and forceEngines, when
// set, is the number of engines whatever the cores (tests that compare
// the two paths).
var (
	oneEngine    bool
	forceEngines int
)

// wantsTwoPass: -2, or -V / -T json over files, where a transaction
// fragment should name the frame that completes it.
func wantsTwoPass(o *options) bool {
	if len(o.ifaces) > 0 || inputs(o, nil).ReadsStdin() {
		return false
	}
	return o.twoPass || o.verbose || o.format == "json"
}

// firstPass runs the first pass of a two-pass analysis over the files
// opened again.
func firstPass(ctx context.Context, pl *pipeline.Pipeline, in *pipeline.Opened) error {
	again, err := in.Reopen()
	if err != nil {
		return err
	}
	defer again.Close()
	return pl.FirstPass(ctx, again.Source)
}

// needsOf is what the engines must build of each frame for the flags'
// output, display filter and timeline.
func needsOf(o *options) engine.Needs {
	return engine.NewNeeds(engine.Reads{Timeline: wantsTimeline(o), Fields: o.fields,
		Details: o.verbose || o.format == "json", Filter: o.filter})
}

// segmentLabels names the segment of each input: a file's LABEL= if given,
// else its base name without extension ("election" for
// testdata/pcaps/election.pcapng); an interface by its name.
func segmentLabels(o *options, labels []string) []string {
	out := slices.Clone(labels)
	for i, spec := range o.reads {
		if i < len(out) {
			out[i] = segmentLabel(spec, out[i])
		}
	}
	return out
}

func segmentLabel(spec, label string) string {
	if strings.Contains(spec, "=") && !strings.HasPrefix(spec, "=") {
		return label
	}
	base := filepath.Base(label)
	for _, ext := range []string{".gz", ".pcapng", ".pcap", ".cap"} {
		base = strings.TrimSuffix(base, ext)
	}
	if base == "" || base == "." {
		return label
	}
	return base
}

func isBrokenPipe(err error) bool {
	return errors.Is(err, syscallEPIPE)
}

func listInterfaces(stdout, stderr io.Writer) int {
	ifs, err := capture.ListInterfaces()
	if err != nil {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 1
	}
	for i, it := range ifs {
		fmt.Fprintf(stdout, "%d. %s", i+1, it.Name)
		if it.Description != "" {
			fmt.Fprintf(stdout, " (%s)", it.Description)
		}
		for _, a := range it.Addresses {
			fmt.Fprintf(stdout, " %s", a)
		}
		if !it.Up {
			fmt.Fprint(stdout, " [down]")
		}
		fmt.Fprintln(stdout)
	}
	return 0
}

func listFields(stdout io.Writer) int {
	for _, fi := range dissect.AllFields() {
		fmt.Fprintf(stdout, "F\t%s\t%s\t%s\t%s\n", fi.Name, fi.Abbrev, fi.Type, fi.Proto)
	}
	return 0
}
