package pipeline

import (
	"errors"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"github.com/nbtsniff/nbtsniff/capture"
)

// Inputs are what to read, as the command line gives them: files (-r),
// interfaces (-i), or a feed from elsewhere (--subscribe).
type Inputs struct {
	// Files are -r specs, FILE or LABEL=FILE (SplitSpec), merged by time;
	// path "-" reads Stdin. A file may be a named pipe (-r
	// branch=<(ssh sensor tcpdump -U -w - ...)): it is read once, as
	// standard input is.
	Files []string
	Stdin io.Reader
	// Ifaces are -i interfaces; Live holds the options of each (its Index
	// is set per interface).
	Ifaces []string
	Live   capture.LiveOptions
	// Done, when closed, interrupts a read that waits for input
	// (standard input, a pipe or FIFO given as a file): the read
	// returns ErrInterrupted at once (the CLI closes it on Ctrl-C).
	// Files, which never wait, and interfaces (which the pipeline closes
	// when its context ends) do not need it.
	Done <-chan struct{}
	// Feed, if set, is the only input: a source of frames from elsewhere
	// (a NATS subscriber) that waits for them, as an interface does.
	Feed Feed
}

// Feed is a Source of several inputs that waits for frames, as an
// interface does, and whose inputs may grow while it runs (the segments
// of a NATS subscriber): Labels names them by Packet.Source, InputStats
// gives each one's capture counters, Status says in one line what holds
// the frames back ("" when nothing does). Labels, InputStats and Status
// may be called from any goroutine.
type Feed interface {
	Source
	Labels() []string
	InputStats(i int) capture.Stats
	Status() string
}

// ReadsStdin reports whether an input is standard input (-r - or
// -r LABEL=-), which may be a live pipe from tcpdump and cannot be read
// twice.
func (in Inputs) ReadsStdin() bool {
	for _, spec := range in.Files {
		if _, path := SplitSpec(spec); path == "-" {
			return true
		}
	}
	return false
}

// Opened are the inputs, open: one Source that merges them.
type Opened struct {
	// Source delivers the frames of every input, merged by time.
	Source Source
	// Labels name the inputs, in Packet.Source order: LABEL, else the
	// file's path ("stdin" for -), or the interface.
	Labels []string
	// Live: the inputs are interfaces, or a Feed: they wait for frames.
	Live bool
	// WallClock: the inputs are interfaces, whose capture time is the
	// wall clock, so that a quiet capture's time may be advanced by it.
	WallClock bool
	// Replayable: every input is a regular file, which Reopen reads again
	// from its start (standard input, pipes, interfaces and feeds cannot
	// be).
	Replayable bool
	// Waits: an input may wait for packets indefinitely (an interface,
	// standard input, a pipe): a run over it ends when interrupted, and
	// its output is read as it comes.
	Waits bool
	// Size is the sum of the files' sizes (0 if unknown), Read how much of
	// them has been read so far (for a progress bar).
	Size int64

	in      Inputs
	read    atomic.Int64
	srcs    []capture.Source // each input, by Packet.Source
	feed    Feed
	streams map[string]bool // the names (in errors) of inputs that wait
}

// StreamCut reports whether err is a stream (standard input, a pipe)
// that ended in the middle of a record: its writer stopped (tcpdump
// ended by the same Ctrl-C), which is no truncated file to warn about.
func (o *Opened) StreamCut(err error) bool {
	var te *capture.TruncatedError
	return errors.As(err, &te) && o.streams[te.File]
}

func (o *Opened) stream(name string) {
	if o.streams == nil {
		o.streams = map[string]bool{}
	}
	o.streams[name] = true
}

// Read is the number of bytes read from the files so far. It may be
// called from any goroutine.
func (o *Opened) Read() int64 { return o.read.Load() }

// Open opens every input: the files merged by time (a capture.Source
// reading each, its errors naming the file), or the interfaces. A capture
// filter (Live.Filter, -f) needs interfaces and the libpcap build. On an
// error, whatever was opened is closed again.
func Open(in Inputs) (*Opened, error) {
	if in.Feed != nil {
		if len(in.Files) > 0 || len(in.Ifaces) > 0 {
			return nil, errors.New("a feed cannot be merged with files or interfaces")
		}
		return &Opened{Source: in.Feed, Labels: in.Feed.Labels(), Live: true, Waits: true, in: in, feed: in.Feed}, nil
	}
	o := &Opened{in: in, Live: len(in.Ifaces) > 0, WallClock: len(in.Ifaces) > 0, Replayable: len(in.Ifaces) == 0 && !in.ReadsStdin()}
	o.Waits = !o.Replayable
	var srcs []capture.Source
	fail := func(err error) (*Opened, error) {
		for _, s := range srcs {
			s.Close()
		}
		return nil, err
	}
	for i, spec := range in.Files {
		s, err := o.openFile(spec, i)
		if err != nil {
			return fail(err)
		}
		srcs = append(srcs, s)
		o.Labels = append(o.Labels, s.Label())
	}
	if in.Live.Filter != "" && !capture.CompilesFilters {
		return fail(errors.New("-f needs the libpcap build (go build -tags pcap); the pure-Go build always captures UDP 137/138 and TCP 139/445 only"))
	}
	if in.Live.Filter != "" && len(in.Ifaces) == 0 {
		return fail(errors.New("-f is a capture filter for -i; use -Y to filter frames read from files"))
	}
	for i, iface := range in.Ifaces {
		lo := in.Live
		lo.Index = i
		s, err := capture.OpenLive(iface, lo)
		if err != nil {
			return fail(err)
		}
		srcs = append(srcs, s)
		o.Labels = append(o.Labels, s.Label())
	}
	o.srcs = srcs
	o.Source = capture.Merge(srcs)
	return o, nil
}

// CurrentLabels names the inputs as they are now: Labels, or, for a Feed,
// its inputs so far. It may be called from any goroutine.
func (o *Opened) CurrentLabels() []string {
	if o.feed != nil {
		return o.feed.Labels()
	}
	return o.Labels
}

// InputStats are input i's capture counters (kernel drops of one
// interface; for a Feed, what its input reports). It may be called from
// any goroutine.
func (o *Opened) InputStats(i int) capture.Stats {
	if o.feed != nil {
		return o.feed.InputStats(i)
	}
	if i < 0 || i >= len(o.srcs) {
		return capture.Stats{}
	}
	return o.srcs[i].Stats()
}

// Status says in one line what holds a Feed's frames back ("" when
// nothing does, and for other inputs).
func (o *Opened) Status() string {
	if o.feed != nil {
		return o.feed.Status()
	}
	return ""
}

// Reopen opens the same files again, to read them from the start: for a
// second pass, or to decode a frame again. Only Replayable inputs can be.
func (o *Opened) Reopen() (*Opened, error) {
	if !o.Replayable {
		return nil, errors.New("the input cannot be read again (standard input or live capture)")
	}
	return Open(o.in)
}

// Close closes the inputs.
func (o *Opened) Close() error { return o.Source.Close() }

// SplitSpec splits a -r spec into its label and path, as
// capture.SplitSpec does, and also takes a label with a slash, such as a
// NATS segment's SITE/NAME, when the part after '=' is a file and the whole
// spec is not: -r hq/lan=capture.pcapng names the segment as a subscriber
// of the sensor at site hq, segment lan, names it.
func SplitSpec(spec string) (label, path string) {
	label, path = capture.SplitSpec(spec)
	if l, p, ok := strings.Cut(spec, "="); ok && label == spec && strings.ContainsAny(l, `/\`) && l != "" && !exists(spec) && (p == "-" || exists(p)) {
		return l, p
	}
	return label, path
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// openFile opens one -r input: standard input, or a file read through a
// byte counter (Read), labelled by its spec, its errors naming its path as
// capture.OpenFile's do. A file that is not a regular file (a named pipe)
// makes the inputs not Replayable: it can be read only once.
func (o *Opened) openFile(spec string, index int) (capture.Source, error) {
	label, path := SplitSpec(spec)
	if path == "-" {
		o.stream(label)
		return capture.OpenReader(o.waiting(o.in.Stdin), label, index)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *os.PathError names the file
	}
	cf := &countedFile{f: f, size: -1, n: &o.read}
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		cf.size = st.Size()
		o.Size += st.Size()
	} else {
		// A pipe or FIFO: it waits for data, and cannot be read again.
		o.Replayable, o.Waits = false, true
		o.stream(path)
	}
	r := cf.reader()
	if cf.size < 0 {
		r = o.waiting(r)
	}
	s, err := capture.OpenReader(r, path, index)
	if err != nil {
		f.Close()
		return nil, err
	}
	return labelled{Source: s, label: label, f: f}, nil
}

// waiting wraps an input that may wait for data so that closing
// Inputs.Done interrupts its reads.
func (o *Opened) waiting(r io.Reader) io.Reader {
	if o.in.Done == nil || r == nil {
		return r
	}
	return newInterruptible(r, o.in.Done)
}

// countedFile counts the bytes read from a file into n.
type countedFile struct {
	f    *os.File
	size int64 // -1: not a regular file
	read int64
	n    *atomic.Int64
}

func (c *countedFile) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	c.read += int64(n)
	c.n.Add(int64(n))
	return n, err
}

// sized tells capture.OpenReader the bytes left (so it sizes its buffer as
// capture.OpenFile does for a regular file).
type sized struct{ *countedFile }

func (s sized) Len() int { return int(max(s.size-s.read, 0)) }

func (c *countedFile) reader() io.Reader {
	if c.size < 0 {
		return c
	}
	return sized{c}
}

// labelled is a file Source with its spec's label, which closes the file.
type labelled struct {
	capture.Source
	label string
	f     *os.File
}

func (s labelled) Label() string { return s.label }

func (s labelled) Close() error {
	err := s.Source.Close()
	s.f.Close()
	return err
}
