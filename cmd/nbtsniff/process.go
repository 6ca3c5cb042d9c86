package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/charmbracelet/x/term"

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
	in, err := openInputs(ctx, o, stdin)
	if err != nil {
		if ctx.Err() != nil { // interrupted before the file header
			fmt.Fprintf(stderr, "nbtsniff: interrupted at frame 0\n")
			return interruptStatus(ctx)
		}
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 1
	}
	defer in.Close()
	un, err := openUnattended(ctx, o, in, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 1
	}
	defer un.end(0)

	size, each := outputBuffering(o, in, stdout)
	out := bufio.NewWriterSize(stdout, size)
	defer out.Flush()
	sinks, done, err := openSinks(o, out, each, un.watch())
	if err != nil {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 2
	}
	cfg := pipelineConfig(o, in)
	cfg.Ring, cfg.Tap = un.ring, un.tap()
	if each {
		cfg.Engines = 1 // frames go out one by one, as they are decoded
	}
	cfg.Warn = func(err error) {
		if !in.StreamCut(err) { // a pipe whose writer stopped: no truncated file
			fmt.Fprintf(stderr, "nbtsniff: warning: %v\n", err)
		}
	}
	pl, err := pipeline.New(in.Source, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 1
	}
	// A read error of the first pass ends it, not the run: the second
	// pass prints the frames before it, then meets it again.
	var firstErr error
	if wantsTwoPass(o) && in.Replayable {
		again, err := in.Reopen()
		if err != nil {
			fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
			return 1
		}
		firstErr = pl.FirstPass(ctx, again.Source)
		again.Close()
		if ctx.Err() != nil && !in.Live {
			fmt.Fprintf(stderr, "nbtsniff: interrupted in the first pass (-2): nothing printed\n")
			return interruptStatus(ctx)
		}
	}

	un.start(true)
	status := 0
	var se *pipeline.SinkError
	var we *pipeline.WriteError
	err = pl.Run(ctx, sinks)
	if err == nil && firstErr != nil {
		err = firstErr
	}
	switch {
	case errors.As(err, &we):
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 1
	case errors.As(err, &se):
		if isBrokenPipe(err) {
			return 0
		}
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 1
	case err != nil: // reading: what was read is printed, then the error
		out.Flush()
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		status = 1
	}
	// Ctrl-C ends live capture; anything else it interrupts is
	// incomplete, and says so.
	interrupted := -1
	if ctx.Err() != nil && !in.Live {
		interrupted = pl.Packets()
	}
	if err := done(interrupted); err != nil && !isBrokenPipe(err) {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		status = 1
	}
	if err := pl.Close(); err != nil {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		status = 1
	}
	out.Flush()
	if in.Live {
		// Live capture ends with Ctrl-C: the kernel's counters, read
		// before the socket was closed. A pipe or a file has none.
		st := pl.Stats()
		fmt.Fprintf(stderr, "%d packets captured\n%d packets dropped by kernel\n", pl.Packets(), st.Dropped)
		if st.IfDropped > 0 {
			fmt.Fprintf(stderr, "%d packets dropped by interface\n", st.IfDropped)
		}
	}
	if interrupted >= 0 {
		fmt.Fprintf(stderr, "nbtsniff: interrupted at frame %d\n", interrupted)
		return un.end(interruptStatus(ctx))
	}
	return un.end(status)
}

// inputs are the -r or -i of the command line; a read that waits on
// standard input or a pipe ends when ctx does (Ctrl-C).
func inputs(ctx context.Context, o *options, stdin io.Reader) pipeline.Inputs {
	return pipeline.Inputs{
		Files:  o.reads,
		Stdin:  stdin,
		Ifaces: o.ifaces,
		Live:   capture.LiveOptions{Snaplen: o.snaplen, Promisc: !o.noPromisc, Filter: o.bpf},
		Done:   ctx.Done(),
	}
}

// outputBuffering is how standard output is buffered, as tshark's stdio
// buffers it: with -l, or on a terminal, flushed after each frame (each
// says so); when the input waits (live capture, standard input, a pipe),
// in 4 KiB blocks, so that a reader down a pipe sees the frames as they
// come, a block at a time (tshark without -l); reading files, in blocks
// of outputBlock.
func outputBuffering(o *options, in *pipeline.Opened, stdout io.Writer) (size int, each bool) {
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
		return 4 << 10, true
	}
	if o.flushEach {
		return 4 << 10, true
	}
	if in.Waits {
		return 4 << 10, false
	}
	return outputBlock, false
}

// outputBlock is the output buffer of a run over files. A line written
// into a buffer that stays in the caches costs less than one written into
// 256 KiB streaming through them: measured (issue 15, session 12;
// bench/timeit, 9 interleaved rounds, fastest and median CPU), the 78
// fields of bench/fields.sh on the NBT-dense mix on one core 0.294/0.299 s
// at 256 KiB against 0.284/0.290 (16 KiB), 0.286/0.289 (32), 0.283/0.291
// (64), 0.286/0.290 (128); -V of the dense mix (2 GB) 4.60/4.99 s against
// 4.17/4.35 at 64 KiB; -T fields of the realistic mix (9 MB) the same
// within the noise. The write calls are 4 times as many, 1 per 64 KiB.
const outputBlock = 64 << 10

// pipelineConfig turns the flags into the pipeline's configuration: what
// the output reads of each frame, and how many engines decode.
func pipelineConfig(o *options, in *pipeline.Opened) pipeline.Config {
	cfg := pipeline.Config{
		Labels:         segmentLabels(o, in.Labels),
		Count:          o.count,
		InputSize:      in.Size,
		Write:          o.write,
		Live:           in.Live,
		Waits:          in.Waits,
		GiveUpTCPHoles: o.tcpHoles,
		Engines:        engines(in),
		Needs:          needsOf(o),
	}
	cfg.SpreadTCP = !cfg.Needs.TCPStreamShown()
	if o.time == output.TimeDeltaShown {
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

// wantsTwoPass: -2, or -V / -T json over files (Opened.Replayable: not
// standard input, a pipe or an interface), where a transaction fragment
// should name the frame that completes it.
func wantsTwoPass(o *options) bool {
	return o.twoPass || o.verbose || o.format == "json"
}

// needsOf is what the engines must build of each frame for the flags'
// output, display filter and timeline.
//
// -q prints nothing: only its monitor's timeline reads the frames. A
// monitor beside a printer (-T fields with --metrics, say) reads every
// layer, so the printer's fields do not prune the tree.
func needsOf(o *options) engine.Needs {
	quiet := o.monitorOpts.quiet
	r := engine.Reads{Timeline: wantsTimeline(o) || quiet, Fields: o.fields,
		Details: o.verbose || o.format == "json", Filter: o.filter}
	if quiet {
		r.Fields, r.Details = nil, false
	} else if o.monitorOpts.wanted() {
		r.Fields = nil
	}
	return engine.NewNeeds(r)
}

// segmentLabels names the segment of each input: a file's LABEL= if given,
// else its base name without extension ("election" for
// testdata/pcaps/election.pcapng); an interface by its name.
//
// With --publish, every input is the --segment it is published as, so
// that what the sensor sees itself is named as the central analyzer names
// it.
func segmentLabels(o *options, labels []string) []string {
	out := slices.Clone(labels)
	if seg := o.monitorOpts.segment; seg != "" {
		for i := range out {
			out[i] = seg
		}
		return out
	}
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
