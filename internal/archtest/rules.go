// Package archtest is the one place that states the architecture of
// nbtsniff: Rules, a table of the project packages each package may
// import, what it must not depend on, and whether it may read the wall
// clock. TestRules checks the tree against it (go list, the default
// pure-Go build and -tags pcap; test files are not checked).
//
// Data flows one way (../shared/STYLE.md, "The shape of the house"):
// capture reads frames; dissect decodes bytes; reassembly holds the state
// of streams, datagrams and transactions; engine drives dissect and
// reassembly over a frame; timeline turns decoded frames into events;
// output and filter print and select frames; pipeline owns the frame loop
// (source, engine, timeline, writer); view renders what it is given; the
// command wires them. Capture time drives everything below the command:
// replaying a capture gives the same answer, so the decoders, the state
// and the timeline never read the wall clock.
//
// To add a package, add its row; a package of the tree without a row
// fails the test, and a row whose package is not in the tree yet is
// skipped with a log line.
package archtest

// Rule is one row of the table.
type Rule struct {
	// Pkg is the package's directory under the module root.
	Pkg string
	// Allow lists the project packages Pkg may import directly; "*" is
	// any.
	Allow []string
	// Temp lists imports allowed for now, each with the change that
	// removes it. An exception the tree no longer needs fails the test,
	// so that it is deleted.
	Temp []string
	// Forbid lists packages Pkg must not depend on, even indirectly, in
	// the default build (a path ending in "/" is a tree).
	Forbid []string
	// NoClock: no call of ClockCalls in Pkg's non-test files.
	NoClock bool
}

// ClockCalls are the functions of package time that read the wall clock
// or wait on it.
var ClockCalls = []string{"Now", "Since", "Until", "Sleep", "After", "AfterFunc", "Tick", "NewTimer", "NewTicker"}

// tui is the terminal UI's tree of modules: the view's and the command's
// alone.
const tui = "github.com/charmbracelet/"

// Rules is the architecture, from the command down.
var Rules = []Rule{
	{Pkg: "cmd/nbtsniff", Allow: []string{"*"}},
	// The view talks to a data source (feed) and reads no file, runs no
	// engine.
	{Pkg: "view", Allow: []string{"dissect", "timeline", "output", "filter", "feed"}},
	{Pkg: "feed", Allow: []string{"dissect", "timeline"}, Forbid: []string{tui}},
	{Pkg: "pipeline", Allow: []string{"capture", "dissect", "engine", "reassembly", "timeline", "output", "filter", "feed", "internal/gcgoal", "internal/hugepage"}, Forbid: []string{tui}},
	// Running unattended: metrics, alerts, and sensors over NATS.
	{Pkg: "metrics", Allow: []string{"dissect", "timeline", "output"}, Forbid: []string{tui}},
	{Pkg: "alert", Allow: []string{"timeline", "output"}, Forbid: []string{tui}},
	{Pkg: "natsfeed", Allow: []string{"capture"}, Forbid: []string{tui}},
	{Pkg: "output", Allow: []string{"dissect", "timeline", "filter", "internal/hugepage"}, Forbid: []string{tui}},
	// A static name table (LMHOSTS) read and compared with the timeline's
	// state.
	{Pkg: "lmhosts", Allow: []string{"timeline"}, Forbid: []string{tui}, NoClock: true},
	{Pkg: "filter", Allow: []string{"dissect"}, Forbid: []string{tui}},
	{Pkg: "timeline", Allow: []string{"dissect", "internal/hugepage"}, Forbid: []string{tui}, NoClock: true},
	{Pkg: "engine", Allow: []string{"dissect", "reassembly", "internal/boundmap"}, Forbid: []string{tui}, NoClock: true},
	{Pkg: "reassembly", Allow: []string{"dissect", "internal/boundmap"}, Forbid: []string{tui}, NoClock: true},
	{Pkg: "dissect", Forbid: []string{tui}, NoClock: true},
	// capture is the start of the data flow; its default build is pure Go
	// (libpcap only with -tags pcap).
	{Pkg: "capture", Forbid: []string{tui, "github.com/gopacket/gopacket/pcap"}},

	// Test support.
	{Pkg: "internal/testframes", Allow: []string{"capture", "dissect", "engine", "reassembly", "pipeline"}, Forbid: []string{tui}},
	{Pkg: "internal/corpus", Forbid: []string{tui}},
	{Pkg: "internal/crafted", Forbid: []string{tui}},
	{Pkg: "internal/specframes", Forbid: []string{tui}},
	{Pkg: "internal/netnstest", Forbid: []string{tui}},
	{Pkg: "internal/archtest", Forbid: []string{tui}},
	{Pkg: "internal/gcgoal", Forbid: []string{tui}},
	{Pkg: "internal/hugepage", Forbid: []string{tui}},
	{Pkg: "internal/boundmap", Forbid: []string{tui}, NoClock: true},

	// The benchmarks (see bench/README.md).
	{Pkg: "bench", Allow: []string{"bench/synth", "capture", "dissect", "engine", "reassembly", "timeline", "output", "pipeline"}},
	{Pkg: "bench/synth", Allow: []string{"capture"}, Forbid: []string{tui}},
	{Pkg: "bench/mkcap", Allow: []string{"bench/synth", "capture"}, Forbid: []string{tui}},
	{Pkg: "bench/manyhosts", Allow: []string{"bench/synth"}, Forbid: []string{tui}},
	{Pkg: "bench/readloop", Allow: []string{"capture"}, Forbid: []string{tui}},
	{Pkg: "bench/timeit", Forbid: []string{tui}},
}
