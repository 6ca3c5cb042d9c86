package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
	"github.com/nbtsniff/nbtsniff/internal/crafted"
	"github.com/nbtsniff/nbtsniff/output"
)

// The differential test: for every capture in testdata/pcaps and
// ../shared/pcaps, `nbtsniff -T fields` and `tshark -T fields` over every
// field of the protocols in scope must print the same thing. It needs
// tshark (CI installs it); without it the test is skipped, saying so.

// diffProtos are the protocols whose fields are compared.
var diffProtos = []string{"nbns", "nbdgm", "nbss", "smb", "mailslot", "browser", "lanman"}

// captureFiles lists every capture the differential test covers: the
// repository's, those of the corpus (a corpus case each; without the
// corpus, the repository's alone) and NBTSNIFF_EXTRA_PCAPS's.
func captureFiles(t *testing.T) []string {
	t.Helper()
	files := append(corpus.Maybe(t, "*.pcap*"), corpus.Maybe(t, "synthetic/*")...)
	dirs := []string{"../../testdata/pcaps", "../../testdata/specframes", "../../testdata/crafted"}
	// NBTSNIFF_EXTRA_PCAPS: more directories of captures (colon-separated),
	// to run the differential tests on your own traffic.
	if extra := os.Getenv("NBTSNIFF_EXTRA_PCAPS"); extra != "" {
		dirs = append(dirs, filepath.SplitList(extra)...)
	}
	for _, dir := range dirs {
		for _, pat := range []string{"*.pcap", "*.pcapng", "*.cap", "*.pcap.gz", "*.pcapng.gz"} {
			m, _ := filepath.Glob(filepath.Join(dir, pat))
			for _, f := range m {
				// Some crafted files are no captures to compare
				// (crafted.NotCompared says why).
				if _, not := crafted.NotCompared[filepath.Base(f)]; !not || !strings.HasSuffix(filepath.Dir(f), "crafted") {
					files = append(files, f)
				}
			}
		}
	}
	// (testdata/crafted holds the captures of spec violations real
	// implementations commit, spec-*.pcap: tshark decodes past them, so
	// must we.)
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatal("no captures found in testdata/pcaps or testdata/specframes")
	}
	return files
}

func needTshark(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tshark")
	if err != nil {
		corpus.Skip(t, "tshark is not installed (apt-get install -y tshark); CI installs it")
	}
	return p
}

// runNbtsniff runs the command in-process and returns its standard output.
func runNbtsniff(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("nbtsniff %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	return out.Bytes()
}

func runTshark(t *testing.T, tshark string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(tshark, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark %s: %v: %s", strings.Join(args, " "), err, errb.String())
	}
	return out.Bytes()
}

// outOfContext reports the captures that are de-duplicated sets of single
// SMB messages cut out of their TCP streams (../shared/pcaps/MANIFEST.md,
// the nemesys files): every segment follows a hole nobody acknowledges.
// nbtsniff waits for such holes to be filled (an out-of-order segment may
// still come); tshark, with its default preferences, gives them up at once.
// These are compared with --tcp-give-up-holes, tshark's behaviour.
func outOfContext(file string) bool {
	return strings.Contains(filepath.Base(file), "_nemesys-")
}

// nbtPorts selects the frames of NetBIOS over TCP/IP.
const nbtPorts = "udp.port == 137 || udp.port == 138 || tcp.port == 139 || tcp.port == 445"

func TestTsharkFieldsDiff(t *testing.T) {
	tshark := needTshark(t)
	fields := []string{"frame.number"}
	for _, proto := range diffProtos {
		fields = append(fields, dissect.WiresharkAbbrevs(proto)...)
	}
	for _, f := range fields {
		if _, ok := dissect.LookupField(f); !ok {
			t.Errorf("field %s of tshark's list is not registered by any decoder", f)
		}
	}
	// Only frames on the NBT ports are compared here: the browser frames
	// carried over NetBEUI and IPX are compared, with their transports,
	// by TestTsharkNetBEUIIPXDiff (legacy_diff_test.go).
	args := []string{"-Y", nbtPorts, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	for _, file := range captureFiles(t) {
		file := file
		t.Run(filepath.Base(file), func(t *testing.T) {
			fargs := append([]string{"-r", file}, args...)
			want := runTshark(t, tshark, append([]string{"-n", "-o", "smb.trans_reassembly:TRUE"}, fargs...)...)
			extra := []string{}
			if outOfContext(file) {
				extra = append(extra, "--tcp-give-up-holes")
			}
			got := runNbtsniff(t, append(fargs, extra...)...)
			trans := multiMessageTransactions(t, file, extra)
			ex := tsharkExclusions(t, tshark, file)
			diffs, total := fieldDiffsExcept(fields, want, got, diffMax, trans.inside, ex)
			if total > 0 {
				t.Errorf("%d field values differ from tshark:\n  %s", total, strings.Join(diffs, "\n  "))
			}
			if len(trans.list) > 0 {
				compareTransactions(t, tshark, file, extra, trans.list)
			}
		})
	}
}

// exclusions are the frames where nbtsniff departs from tshark on
// purpose, as tshark itself marks them:
//
//   - after tshark finds an SMB message malformed, it stops reassembling
//     the rest of that TCP segment and frames what follows from the next
//     segment start (its framing then depends on an SMB decode failure);
//     nbtsniff keeps framing the stream by NBSS lengths. From the first
//     malformed frame of a TCP stream on, its nbss and smb fields are not
//     compared (synthetic/malformed-nbss139-smb1-ossfuzz-54883_zeek.pcap);
//   - tshark drops data it judges a retransmission that was never seen
//     the first time (a segment after the peer's ACK of it in a capture out
//     of time order, or a 4-tuple reused 700 s later without a SYN);
//     nbtsniff decodes those bytes, since they were seen only once. Such
//     frames, and smb.path later in their stream (the tree connect tshark
//     dropped), are not compared (the nemesys de-duplicated sets).
type exclusions struct {
	malformedFrom map[string]int // tcp.stream -> first malformed frame
	retrans       map[string]bool
	retransStream map[string]int // tcp.stream -> first dropped frame
	stream        map[string]string
}

func (ex exclusions) skip(frame, field string) bool {
	st, ok := ex.stream[frame]
	if !ok {
		return false
	}
	n := atoi(frame)
	if first, ok := ex.malformedFrom[st]; ok && n >= first && (strings.HasPrefix(field, "nbss.") || strings.HasPrefix(field, "smb.")) {
		return true
	}
	if ex.retrans[frame] {
		return true
	}
	if first, ok := ex.retransStream[st]; ok && n >= first && field == "smb.path" {
		return true
	}
	return false
}

func atoi(s string) int {
	n := 0
	fmt.Sscan(s, &n)
	return n
}

func tsharkExclusions(t *testing.T, tshark, file string) exclusions {
	t.Helper()
	out := runTshark(t, tshark, "-n", "-r", file, "-Y", "tcp.port == 139 || tcp.port == 445", "-T", "fields",
		"-e", "frame.number", "-e", "tcp.stream", "-e", "_ws.malformed", "-e", "tcp.analysis.retransmission",
		"-e", "tcp.analysis.spurious_retransmission", "-e", "nbss")
	ex := exclusions{malformedFrom: map[string]int{}, retrans: map[string]bool{}, retransStream: map[string]int{}, stream: map[string]string{}}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		c := strings.Split(line, "\t")
		if len(c) < 6 {
			continue
		}
		frame, st := c[0], c[1]
		ex.stream[frame] = st
		if c[2] != "" {
			if _, ok := ex.malformedFrom[st]; !ok {
				ex.malformedFrom[st] = atoi(frame)
			}
		}
		if (c[3] != "" || c[4] != "") && c[5] == "" {
			ex.retrans[frame] = true
			if _, ok := ex.retransStream[st]; !ok {
				ex.retransStream[st] = atoi(frame)
			}
		}
	}
	return ex
}

// transSet lists the SMB transactions nbtsniff merged from several
// messages: each as its frames, the last one completing it.
type transSet struct {
	list   [][]string
	inside map[string]bool // every frame of those transactions
}

// multiMessageTransactions asks nbtsniff which frames hold pieces of
// multi-message transactions (smb.segment on the completing frame).
func multiMessageTransactions(t *testing.T, file string, extra []string) transSet {
	t.Helper()
	out := runNbtsniff(t, append([]string{"-r", file, "-Y", "smb.segment", "-T", "fields", "-e", "frame.number", "-e", "smb.segment"}, extra...)...)
	ts := transSet{inside: map[string]bool{}}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		c := strings.Split(line, "\t")
		if len(c) != 2 || c[1] == "" {
			continue
		}
		frames := strings.Split(c[1], ",")
		ts.list = append(ts.list, frames)
		for _, fr := range frames {
			ts.inside[fr] = true
		}
	}
	return ts
}

// transFields are the fields of what a transaction carries (RAP and the
// browser bits RAP shows), compared per transaction rather than per frame.
func transField(f string) bool {
	return strings.HasPrefix(f, "lanman.") || f == "lanman" || strings.HasPrefix(f, "browser.")
}

// compareTransactions checks each merged transaction against tshark's
// two-pass view: tshark -2 shows the whole transaction on its first
// message, nbtsniff on the message that completes it.
func compareTransactions(t *testing.T, tshark, file string, extra []string, list [][]string) {
	t.Helper()
	fields := []string{"frame.number"}
	for _, p := range []string{"lanman", "browser"} {
		fields = append(fields, dissect.WiresharkAbbrevs(p)...)
	}
	args := []string{"-r", file, "-Y", nbtPorts, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	want := byFrame(runTshark(t, tshark, append([]string{"-n", "-2", "-o", "smb.trans_reassembly:TRUE"}, args...)...))
	got := byFrame(runNbtsniff(t, append(args, extra...)...))
	for _, frames := range list {
		first, last := frames[0], frames[len(frames)-1]
		w, g := want[first], got[last]
		for j := 1; j < len(fields); j++ {
			var wv, gv string
			if j < len(w) {
				wv = w[j]
			}
			if j < len(g) {
				gv = g[j]
			}
			if wv != gv {
				t.Errorf("transaction in frames %s: %s: tshark -2 (frame %s) %q, nbtsniff (frame %s) %q", strings.Join(frames, ","), fields[j], first, clip(wv), last, clip(gv))
			}
		}
	}
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "..."
	}
	return s
}

func byFrame(out []byte) map[string][]string {
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		c := strings.Split(line, "\t")
		m[c[0]] = c
	}
	return m
}

// fieldDiffsExcept compares two -T fields outputs column by column and
// returns one line per differing (frame, field), at most max of them,
// leaving out the transaction fields of the frames of multi-message
// transactions (compared separately) and the exclusions. A value
// equal to tshark's once tshark's is escaped the way nbtsniff escapes every
// wire string (tshark prints bytes that are not UTF-8 raw; nbtsniff never
// lets one reach the terminal, output.AppendEscaped) counts as equal.
func fieldDiffsExcept(fields []string, want, got []byte, max int, skip map[string]bool, ex exclusions) (diffs []string, total int) {
	wl := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	gl := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	if len(wl) != len(gl) {
		return []string{fmt.Sprintf("tshark printed %d lines, nbtsniff %d", len(wl), len(gl))}, 1
	}
	for i := range wl {
		wc := strings.Split(wl[i], "\t")
		gc := strings.Split(gl[i], "\t")
		for j, f := range fields {
			if skip[wc[0]] && transField(f) {
				continue
			}
			if ex.skip(wc[0], f) {
				continue
			}
			var w, g string
			if j < len(wc) {
				w = wc[j]
			}
			if j < len(gc) {
				g = gc[j]
			}
			if w != g && string(output.AppendEscaped(nil, []byte(w))) != g {
				total++
				if len(diffs) < max {
					diffs = append(diffs, fmt.Sprintf("frame %s %s: tshark %q, nbtsniff %q", wc[0], f, w, g))
				}
			}
		}
	}
	return diffs, total
}

func TestMain(m *testing.M) {
	if os.Getenv("NBTSNIFF_LAB_HELPER") != "" {
		os.Exit(labSnifferHelper()) // a process of TestLabLiveCapture, not a test run
	}
	if os.Getenv("NBTSNIFF_LAB_SENSOR") != "" {
		os.Exit(labSensorHelper()) // a process of TestLabMonitor
	}
	code := corpus.Main(m)
	removeBuilt()
	os.Exit(code)
}

// diffMax is how many differences a failing capture lists; set
// NBTSNIFF_DIFF_MAX to see more.
var diffMax = func() int {
	if v := os.Getenv("NBTSNIFF_DIFF_MAX"); v != "" {
		var n int
		fmt.Sscan(v, &n)
		if n > 0 {
			return n
		}
	}
	return 25
}()
