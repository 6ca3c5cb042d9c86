package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/nbtsniff/nbtsniff/output"
)

var errHelp = errors.New("help")

// options are the parsed command line.
type options struct {
	reads      []string // -r, each FILE or LABEL=FILE
	ifaces     []string // -i
	bpf        string   // -f (libpcap build only)
	write      string   // -w
	count      int      // -c
	verbose    bool     // -V
	hex        bool     // -x
	format     string   // -T: text, fields, json, events
	fields     []string // -e
	fieldOpts  []string // -E
	filter     string   // -Y
	report     string   // --report[=text|json]
	at         string   // --at
	why        []string // --why HOST (repeat)
	lmhosts    string   // --lmhosts FILE
	tui        bool
	noTUI      bool
	listIfaces bool // -D
	listFields bool // -G
	version    bool
	cpuProfile string // --cpuprofile FILE
	snaplen    int
	noPromisc  bool
	tcpHoles   bool
	twoPass    bool
	timeFlag   string            // -t
	time       output.TimeFormat // -t, parsed by check
	noResolve  bool              // -n: accepted, nbtsniff resolves no names
	prefs      []string          // -o PREF:VALUE
	flushEach  bool              // -l

	timelineOpts timelineFlags
	monitorOpts  monitorFlags
}

// monitorFlags are the flags of unattended runs (README, "Watching a
// network unattended"): metrics, alerts, the ring buffer, the events
// file, and frames to and from NATS.
type monitorFlags struct {
	quiet      bool     // -q
	ring       []string // -b, tshark's ring buffer conditions
	eventsFile string   // --events-file
	metrics    string   // --metrics ADDR
	failOn     string   // --fail-on KINDS
	onAlert    string   // --on-alert CMD
	syslog     string   // --syslog[=NETWORK:ADDRESS]; "local" for the flag alone
	publish    string   // --publish URL
	segment    string   // --segment SITE/NAME
	realtime   bool     // --realtime
	subscribe  string   // --subscribe URL
	segments   string   // --segments PATTERN
	maxLag     time.Duration
	batch      bool // --batch
}

// timelineFlags are the anomaly thresholds of the timeline.
type timelineFlags struct {
	stormCount  int
	stormWindow string
	electionMax string
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := pflag.NewFlagSet("nbtsniff", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.StringArrayVarP(&o.reads, "read", "r", nil, "read a pcap/pcapng file (gzip ok, - for stdin); LABEL=FILE names its segment; repeat to merge by time")
	fs.StringArrayVarP(&o.ifaces, "interface", "i", nil, "capture live on an interface (repeat for several)")
	fs.StringVarP(&o.bpf, "filter-bpf", "f", "", "BPF capture filter (needs the libpcap build: -tags pcap)")
	fs.StringVarP(&o.write, "write", "w", "", "write every frame read or captured to a pcapng file")
	fs.IntVarP(&o.count, "count", "c", 0, "stop after N frames")
	fs.BoolVarP(&o.verbose, "verbose", "V", false, "print the full layered protocol tree of each frame")
	fs.BoolVarP(&o.hex, "hex", "x", false, "print a hex and ASCII dump of each frame")
	fs.StringVarP(&o.format, "output", "T", "text", "output format: text, fields, json, events")
	fs.BoolVarP(&o.flushEach, "line-buffered", "l", false, "flush the output after each frame (as tshark -l): for a pipe read while capturing")
	fs.StringArrayVarP(&o.fields, "field", "e", nil, "field to print with -T fields (Wireshark name; repeat)")
	fs.StringArrayVarP(&o.fieldOpts, "field-option", "E", nil, "-T fields option: header=y|n, separator=/t|/s|C, occurrence=f|l|a, aggregator=,|/s|C, quote=d|s|n")
	fs.StringVarP(&o.filter, "display-filter", "Y", "", "display filter in Wireshark syntax")
	fs.StringVar(&o.report, "report", "", "print the timeline report: text (default) or json")
	fs.Lookup("report").NoOptDefVal = "text"
	fs.StringVar(&o.at, "at", "", "with --report: the state at this time (RFC 3339, or seconds since the first frame)")
	fs.StringArrayVar(&o.why, "why", nil, "explain `HOST` (NetBIOS name or IP address) in the report: why it is or is not the master, what it would need to win, why it is or is not in the Browse List (repeat; implies --report)")
	fs.StringVar(&o.lmhosts, "lmhosts", "", "read an LMHOSTS `FILE`: label addresses the wire has not named, and report the entries the wire contradicts (implies --report)")
	fs.BoolVar(&o.tui, "tui", false, "open the terminal UI even if output is not a terminal")
	fs.BoolVar(&o.noTUI, "no-tui", false, "never open the terminal UI")
	fs.BoolVarP(&o.listIfaces, "list-interfaces", "D", false, "list capture interfaces and exit")
	fs.BoolVarP(&o.listFields, "list-fields", "G", false, "list the field names nbtsniff knows and exit")
	fs.IntVarP(&o.snaplen, "snapshot-length", "s", 0, "live capture: bytes kept per frame (default 262144)")
	fs.BoolVarP(&o.noPromisc, "no-promiscuous-mode", "p", false, "live capture: do not put the interface in promiscuous mode")
	fs.BoolVarP(&o.twoPass, "two-pass", "2", false, "two-pass analysis (files only): every fragment of an SMB transaction says which frame completes it; on by default with -V and -T json")
	fs.StringVarP(&o.timeFlag, "time-format", "t", "r", "time column of summary lines and _ws.col.Time, as tshark: r (since the first frame), a, ad, adoy (local time), u, ud, udoy (UTC), e (epoch), d (since the previous frame), dd (since the previous displayed frame)")
	fs.BoolVarP(&o.noResolve, "no-name-resolution", "n", false, "accepted for tshark compatibility: nbtsniff never resolves addresses or ports to names")
	fs.StringArrayVarP(&o.prefs, "option", "o", nil, "tshark preference PREF:VALUE; those that apply: "+prefNames()+" (repeat)")
	fs.BoolVar(&o.tcpHoles, "tcp-give-up-holes", false, "treat a hole in a TCP stream as lost as soon as later data arrives (tshark's default) instead of waiting for an out-of-order segment")
	fs.IntVar(&o.timelineOpts.stormCount, "storm-count", 5, "anomaly: more than N elections of one workgroup on one segment within --storm-window is a storm")
	fs.StringVar(&o.timelineOpts.stormWindow, "storm-window", "5m", "anomaly: the election storm window")
	fs.StringVar(&o.timelineOpts.electionMax, "election-timeout", "2m", "an election with no winner after this long times out")
	m := &o.monitorOpts
	fs.BoolVarP(&m.quiet, "quiet", "q", false, "print no frames (for a sensor or monitor that publishes, serves metrics or writes --events-file)")
	fs.StringArrayVarP(&m.ring, "ring-buffer", "b", nil, "ring buffer for -w and --events-file, tshark's `CONDITIONS`: filesize:KB,files:N,duration:S,packets:N (repeatable)")
	fs.StringVar(&m.eventsFile, "events-file", "", "also write the timeline's events (-T events JSON lines) to `FILE`, rotated as -b says")
	fs.StringVar(&m.metrics, "metrics", "", "serve Prometheus metrics on `ADDR` (host:port) at /metrics while running")
	fs.StringVar(&m.failOn, "fail-on", "", "exit with status 3, after all output, if an anomaly or diagnosis of these `KINDS` occurred (comma-separated, or any)")
	fs.StringVar(&m.onAlert, "on-alert", "", "run `CMD` (with /bin/sh) for each new anomaly, its -T events JSON on standard input; deduplicated and rate-limited")
	fs.StringVar(&m.syslog, "syslog", "", "send each new anomaly to the local syslog, or to --syslog=`NET:ADDR`: unixgram:PATH, unix:PATH, udp:HOST:PORT, tcp:HOST:PORT")
	fs.Lookup("syslog").NoOptDefVal = syslogLocal
	fs.StringVar(&m.publish, "publish", "", "publish every frame read to NATS JetStream at `URL` (nats://HOST:4222); needs --segment")
	fs.StringVar(&m.segment, "segment", "", "with --publish: the segment the frames were captured on, `SITE/NAME`")
	fs.BoolVar(&m.realtime, "realtime", false, "with -r: replay the capture at the pace it was captured")
	fs.StringVar(&m.subscribe, "subscribe", "", "read the frames of the segments published to NATS JetStream at `URL`, merged by capture time, instead of -r or -i")
	fs.StringVar(&m.segments, "segments", "", "with --subscribe: which segments, a `PATTERN`: SITE.NAME, SITE.*, *.NAME or SITE (default: all)")
	fs.DurationVar(&m.maxLag, "max-lag", 0, "with --subscribe: how long a silent segment holds the others back (default 2s)")
	fs.BoolVar(&m.batch, "batch", false, "with --subscribe: read what the stream holds now, then end, as -r does (--report implies it)")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a Go CPU profile of the run to `FILE` (go tool pprof; bench/pgo.sh makes cmd/nbtsniff/default.pgo from them)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: nbtsniff [-r FILE]... [-i IFACE]... [--subscribe URL] [options]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil, errHelp
		}
		return nil, err
	}
	if fs.NArg() > 0 && o.filter == "" {
		// tshark accepts the display filter as trailing words.
		o.filter = strings.Join(fs.Args(), " ")
	}
	return o, nil
}

func (o *options) check() error {
	m := &o.monitorOpts
	if len(o.reads) == 0 && len(o.ifaces) == 0 && m.subscribe == "" {
		return errors.New("nothing to read: give -r FILE, -i IFACE or --subscribe URL (see --help)")
	}
	if len(o.reads) > 0 && len(o.ifaces) > 0 {
		return errors.New("-r and -i cannot be combined")
	}
	if err := m.check(o); err != nil {
		return err
	}
	switch o.format {
	case "text", "fields", "json", "events":
	default:
		return fmt.Errorf("-T %s: unknown output format (text, fields, json, events)", o.format)
	}
	if o.format == "fields" && len(o.fields) == 0 {
		return errors.New("-T fields needs at least one -e FIELD")
	}
	if len(o.fields) > 0 && o.format != "fields" {
		return errors.New("-e needs -T fields")
	}
	switch o.report {
	case "", "text", "json":
	default:
		return fmt.Errorf("--report=%s: unknown report format (text, json)", o.report)
	}
	if o.report == "" && (len(o.why) > 0 || o.lmhosts != "") {
		if o.format == "events" {
			return errors.New("--why and --lmhosts print in the report: use --report, not -T events")
		}
		o.report = "text"
	}
	for _, h := range o.why {
		if strings.TrimSpace(h) == "" {
			return errors.New("--why needs a NetBIOS name or an IP address")
		}
	}
	if o.at != "" && o.report == "" {
		return errors.New("--at needs --report")
	}
	if o.tui && o.noTUI {
		return errors.New("--tui and --no-tui cannot be combined")
	}
	if o.count < 0 {
		return errors.New("-c must not be negative")
	}
	tf, ok := output.ParseTimeFormat(o.timeFlag)
	if !ok {
		return fmt.Errorf("-t %s: unknown time format (a, ad, adoy, d, dd, e, r, u, ud, udoy)", o.timeFlag)
	}
	o.time = tf
	return o.applyPrefs()
}
