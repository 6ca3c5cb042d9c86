package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/filter"
)

// frameSink consumes decoded frames (printers, the timeline).
type frameSink interface {
	Frame(f *dissect.Frame) error
	Close() error
}

// process opens the sources, decodes every frame and hands it to the sinks.
func process(ctx context.Context, o *options, stdin io.Reader, stdout, stderr io.Writer) int {
	var flt *filter.Filter
	if o.filter != "" {
		var err error
		if flt, err = filter.Compile(o.filter); err != nil {
			fmt.Fprintf(stderr, "nbtsniff: %v\n", describeFilterError(o.filter, err))
			return 2
		}
	}
	src, labels, live, err := openSources(o, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 1
	}
	defer src.Close()

	out := bufio.NewWriterSize(stdout, 256<<10)
	defer out.Flush()
	sinks, err := openSinks(o, out, labels)
	if err != nil {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 2
	}
	var pw *capture.Writer
	if o.write != "" {
		wf, err := os.Create(o.write)
		if err != nil {
			fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
			return 1
		}
		defer wf.Close()
		pw = capture.NewPcapngWriter(wf)
		for i, l := range labels {
			pw.SetLabel(i, l)
		}
	}

	// Ctrl-C: a live source is closed from here, which ends a blocked
	// read; a file source is left to the loop, which checks ctx.
	if live {
		go func() {
			<-ctx.Done()
			src.Close()
		}()
	}

	cfg := engine.DefaultConfig()
	cfg.Labels = labels
	cfg.GiveUpTCPHoles = o.tcpHoles
	cfg.Needs = needsOf(o)
	var comp map[int]int
	if wantsTwoPass(o) {
		if comp, err = firstPass(o, cfg); err != nil {
			fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
			return 1
		}
	}
	newEngine := func(deferSessions bool) *engine.Engine {
		c := cfg
		c.DeferSessions = deferSessions
		e := engine.New(c)
		if comp != nil {
			e.SetCompletions(comp)
		}
		return e
	}
	// Files (not a pipe, which may be live) are decoded by one engine per
	// core (parallel.go), anything else by one engine here.
	var par *parallel
	var eng *engine.Engine
	if k := parEngines(); k > 1 && !live && !readsStdin(o) && len(sinks) == 1 && !oneEngine {
		newPrinter := func(w *spanWriter) frameSink {
			p, _ := workerPrinter(o, w) // the options were checked by openSinks
			return p
		}
		if par, err = newParallel(k, newEngine, o.filter, sinks[0], newPrinter, out, !cfg.Needs.TCPStreamShown()); err != nil {
			fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
			return 2
		}
		defer par.wait() // stops the goroutines on an early return
	} else {
		eng = newEngine(false)
	}
	var pkt capture.Packet
	status := 0
	for n := 0; o.count == 0 || n < o.count; n++ {
		if ctx.Err() != nil {
			break
		}
		err := src.Next(&pkt)
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			var te *capture.TruncatedError
			if errors.As(err, &te) {
				fmt.Fprintf(stderr, "nbtsniff: warning: %v\n", err)
				continue
			}
			if ctx.Err() != nil {
				break
			}
			fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
			status = 1
			break
		}
		if pw != nil {
			if err := pw.WritePacket(&pkt); err != nil {
				fmt.Fprintf(stderr, "nbtsniff: -w %s: %v\n", o.write, err)
				return 1
			}
		}
		if par != nil {
			if !par.add(&pkt) {
				break
			}
			continue
		}
		f := eng.Decode(pkt.Data, pkt.CI, pkt.LinkType, pkt.Source)
		if flt != nil && !flt.Match(f) {
			continue
		}
		for _, s := range sinks {
			if err := s.Frame(f); err != nil {
				if isBrokenPipe(err) {
					return 0
				}
				fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
				return 1
			}
		}
	}
	if par != nil {
		if err := par.wait(); err != nil {
			if isBrokenPipe(err) {
				return 0
			}
			fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
			return 1
		}
	}
	if eng != nil {
		eng.Close()
	}
	for _, s := range sinks {
		if err := s.Close(); err != nil && !isBrokenPipe(err) {
			fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
			status = 1
		}
	}
	if pw != nil {
		if err := pw.Close(); err != nil {
			fmt.Fprintf(stderr, "nbtsniff: -w %s: %v\n", o.write, err)
			status = 1
		}
	}
	if live || ctx.Err() != nil {
		st := src.Stats()
		var frames int
		if par != nil {
			frames = par.n
		} else {
			frames = eng.Frames()
		}
		fmt.Fprintf(stderr, "%d packets captured\n%d packets dropped by kernel\n", frames, st.Dropped)
		if st.IfDropped > 0 {
			fmt.Fprintf(stderr, "%d packets dropped by interface\n", st.IfDropped)
		}
	}
	return status
}

// wantsTwoPass: -2, or -V / -T json over files, where a transaction
// fragment should name the frame that completes it.
func wantsTwoPass(o *options) bool {
	if len(o.ifaces) > 0 {
		return false
	}
	for _, r := range o.reads {
		if r == "-" || hasSuffixDash(r) {
			return false
		}
	}
	return o.twoPass || o.verbose || o.format == "json"
}

// firstPass runs the engine over the files without printing and returns
// which frame completed each multi-message SMB transaction. Only the
// transactions matter: no protocol tree, no info column, and the frames
// that cannot carry a session packet (engine.Classify: NBNS, whole NBT
// datagrams) are counted but not decoded.
func firstPass(o *options, cfg engine.Config) (map[int]int, error) {
	src, _, _, err := openSources(o, nil)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	cfg.Needs = engine.NewNeeds(engine.Reads{Completions: true})
	eng := engine.New(cfg)
	var pkt capture.Packet
	var first, prev time.Time
	for n := 1; o.count == 0 || n <= o.count; n++ {
		err := src.Next(&pkt)
		if err != nil {
			var te *capture.TruncatedError
			if errors.As(err, &te) {
				n--
				continue
			}
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, err
		}
		if n == 1 {
			first, prev = pkt.CI.Timestamp, pkt.CI.Timestamp
		}
		if c, _ := engine.Classify(pkt.Data, pkt.LinkType); c == engine.ClassOrdered {
			eng.DecodeNth(n, first, prev, pkt.Data, pkt.CI, pkt.LinkType, pkt.Source)
		}
		prev = pkt.CI.Timestamp
	}
	eng.Close()
	return eng.Completions(), nil
}

// needsOf says what the output the flags ask for reads of each frame
// (engine.Needs): the timeline only typed messages, -T fields only its
// fields, a display filter anything.
func needsOf(o *options) engine.Needs {
	return engine.NewNeeds(engine.Reads{Timeline: wantsTimeline(o), Fields: o.fields,
		Details: o.verbose || o.format == "json", Filter: o.filter})
}

// openSources opens every -r (merged by time) or -i.
func openSources(o *options, stdin io.Reader) (capture.Source, []string, bool, error) {
	var srcs []capture.Source
	var labels []string
	closeAll := func() {
		for _, s := range srcs {
			s.Close()
		}
	}
	for i, spec := range o.reads {
		var s capture.Source
		var err error
		if spec == "-" || hasSuffixDash(spec) {
			label := "stdin"
			if spec != "-" {
				label = spec[:len(spec)-2]
			}
			s, err = capture.OpenReader(stdin, label, i)
		} else {
			s, err = capture.OpenFile(spec, i)
		}
		if err != nil {
			closeAll()
			return nil, nil, false, err
		}
		srcs = append(srcs, s)
		labels = append(labels, segmentLabel(spec, s.Label()))
	}
	if o.bpf != "" && !capture.CompilesFilters {
		closeAll()
		return nil, nil, false, errors.New("-f needs the libpcap build (go build -tags pcap); the pure-Go build always captures UDP 137/138 and TCP 139/445 only")
	}
	if o.bpf != "" && len(o.ifaces) == 0 {
		closeAll()
		return nil, nil, false, errors.New("-f is a capture filter for -i; use -Y to filter frames read from files")
	}
	for i, iface := range o.ifaces {
		lo := capture.LiveOptions{Snaplen: o.snaplen, Promisc: !o.noPromisc, Filter: o.bpf, Index: i}
		s, err := capture.OpenLive(iface, lo)
		if err != nil {
			closeAll()
			return nil, nil, false, err
		}
		srcs = append(srcs, s)
		labels = append(labels, s.Label())
	}
	if len(srcs) == 1 {
		return srcs[0], labels, len(o.ifaces) > 0, nil
	}
	return capture.Merge(srcs), labels, len(o.ifaces) > 0, nil
}

// segmentLabel names the segment of an input: its LABEL= if given, else
// the file's base name without extension ("election" for
// testdata/pcaps/election.pcapng).
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

// oneEngine keeps files on the one-engine loop (for tests that compare
// the two paths).
var oneEngine bool

// readsStdin says whether an input is standard input (-r - or
// -r LABEL=-), which may be a live pipe from tcpdump.
func readsStdin(o *options) bool {
	for _, r := range o.reads {
		if r == "-" || hasSuffixDash(r) {
			return true
		}
	}
	return false
}

func hasSuffixDash(spec string) bool {
	return len(spec) > 2 && spec[len(spec)-2:] == "=-"
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
