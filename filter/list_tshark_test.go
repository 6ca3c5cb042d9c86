package filter_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/filter"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
	"github.com/nbtsniff/nbtsniff/internal/testframes"
	"github.com/nbtsniff/nbtsniff/pipeline"
)

// The display-filter differential: every expression of
// testdata/filters.txt, on every capture of testdata/pcaps (the lab's),
// testdata/specframes and ../shared/pcaps (the corpus, when it is there),
// must select the frames tshark 4.0 selects. tshark runs once per capture
// with testdata/select.lua, one tap per expression (the display-filter
// engine of -Y), which lists the frames each selects. Where a list
// differs from nbtsniff's, the frames compared leave out only those whose
// protocol stack nbtsniff does not decode as tshark does (NetBEUI and IPX
// frames carrying the browser, IPv6) and, for tests of what a transaction
// carries, the pieces of multi-message transactions: those are counted
// and logged, never silently equal.
//
// Without tshark the test fails when NBTSNIFF_CORPUS_REQUIRED=1 (CI) and
// otherwise skips, saying so in the corpus line.

const filterList = "testdata/filters.txt"

func readFilterList(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(filterList)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l != "" && l[0] != '#' {
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// needTsharkRequired is needTshark, except that a missing tshark fails the
// test when the corpus is required (CI installs tshark).
func needTsharkRequired(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("tshark"); err != nil && os.Getenv(corpus.EnvRequired) == "1" {
		t.Fatalf("tshark is not installed and %s=1: the display-filter differential cannot run", corpus.EnvRequired)
	}
	return needTshark(t)
}

func listCaptures(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"../testdata/pcaps/*.pcapng", "../testdata/specframes/*.pcap"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no capture in testdata/pcaps")
	}
	files = append(files, corpus.Maybe(t, "*.pcap*")...)
	return append(files, corpus.Maybe(t, "synthetic/*")...)
}

func TestFilterListTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tshark on every capture: skipped with -short")
	}
	tshark := needTsharkRequired(t)
	exprs := readFilterList(t)
	if len(exprs) < 100 {
		t.Fatalf("%s has %d expressions, want at least 100", filterList, len(exprs))
	}
	compiled := make([]*filter.Filter, len(exprs))
	for i, e := range exprs {
		f, err := filter.Compile(e)
		if err != nil {
			t.Errorf("%s: %v", e, err)
			continue
		}
		compiled[i] = f
	}
	if t.Failed() {
		t.FailNow()
	}
	var mu sync.Mutex
	selected := make([]int, len(exprs)) // captures on which each selects some frame
	t.Cleanup(func() {
		var never []string
		for i, n := range selected {
			if n == 0 {
				never = append(never, exprs[i])
			}
		}
		t.Logf("%d expressions, %d of them select no frame of any capture: %s", len(exprs), len(never), strings.Join(never, " ; "))
	})
	for _, path := range listCaptures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			// tshark runs take most of the time: two at once.
			t.Parallel()
			// The de-duplicated sets of SMB messages cut out of their
			// streams are read as tshark reads them, giving holes up
			// (cmd/nbtsniff outOfContext).
			frames := testframes.LoadConfig(t, path, pipeline.Config{GiveUpTCPHoles: strings.Contains(filepath.Base(path), "_nemesys-")})
			want := tsharkSelect(t, tshark, path, exprs)
			got := make([][]int, len(exprs))
			var mismatch []int
			for i, f := range compiled {
				for _, fr := range frames {
					if f.Match(fr) {
						got[i] = append(got[i], fr.Number)
					}
				}
				if len(got[i]) > 0 {
					mu.Lock()
					selected[i]++
					mu.Unlock()
				}
				if !slices.Equal(got[i], want[i]) {
					mismatch = append(mismatch, i)
				}
			}
			if len(mismatch) == 0 {
				return
			}
			// Compare frame by frame, outside the frames whose stack
			// differs.
			differs := stackDiffers(t, tshark, path, frames)
			dropped, afterDrop := tsharkDropped(t, tshark, path, frames)
			differs = union(differs, dropped)
			inTrans := transactionFrames(frames)
			for _, i := range mismatch {
				skip := differs
				if transExpr(exprs[i]) && len(inTrans) > 0 {
					skip = union(skip, inTrans)
				}
				if strings.Contains(exprs[i], "smb.path") {
					skip = union(skip, afterDrop)
				}
				gotOut, wantOut, left := diffFrames(got[i], want[i], skip)
				if len(gotOut)+len(wantOut) > 0 {
					t.Errorf("%s: only nbtsniff selects %s; only tshark %s", exprs[i], short(gotOut), short(wantOut))
				} else if left > 0 {
					t.Logf("%s: %d differing frames not compared: decoded over another stack (NetBEUI, IPX, IPv6, ICMP), malformed on one side only, dropped by tshark as a retransmission, or a piece of a multi-message transaction", exprs[i], left)
				}
			}
		})
	}
}

// tsharkSelect runs tshark once over a capture with testdata/select.lua,
// which puts one tap per expression (the display-filter engine of -Y) and
// returns the frames each selects.
func tsharkSelect(t *testing.T, tshark, path string, exprs []string) [][]int {
	t.Helper()
	dir := t.TempDir()
	list, out := filepath.Join(dir, "filters"), filepath.Join(dir, "selected")
	if err := os.WriteFile(list, []byte(strings.Join(exprs, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs("testdata/select.lua")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tshark, "-n", "-q", "-r", path, "-X", "lua_script:"+script)
	cmd.Env = append(os.Environ(), "NBT_FILTERS="+list, "NBT_OUT="+out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tshark with select.lua: %v: %s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("tshark with select.lua wrote nothing (is tshark built with Lua?): %v", err)
	}
	sel := make([][]int, len(exprs))
	seen := 0
	for _, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		num, rest, _ := strings.Cut(l, "\t")
		i, err := strconv.Atoi(num)
		if err != nil || i < 1 || i > len(exprs) {
			t.Fatalf("select.lua: bad line %q", l)
		}
		seen++
		if strings.HasPrefix(rest, "ERR") {
			t.Errorf("tshark does not compile %q: %s", exprs[i-1], rest)
			continue
		}
		for _, f := range strings.Split(rest, ",") {
			if f == "" {
				continue
			}
			n, err := strconv.Atoi(f)
			if err != nil {
				t.Fatalf("select.lua: bad frame number %q", f)
			}
			sel[i-1] = append(sel[i-1], n)
		}
	}
	if seen != len(exprs) {
		t.Fatalf("select.lua answered %d expressions of %d", seen, len(exprs))
	}
	return sel
}

// stackDiffers returns the frames whose protocol stack (comparedProtos)
// tshark and nbtsniff see differently.
func stackDiffers(t *testing.T, tshark, path string, frames []*dissect.Frame) map[int]bool {
	t.Helper()
	b, err := exec.Command(tshark, "-n", "-r", path, "-T", "fields", "-e", "frame.protocols").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != len(frames) {
		t.Fatalf("%d frames, tshark %d", len(frames), len(lines))
	}
	out := map[int]bool{}
	for i, f := range frames {
		if stackOf(f) != tsharkStack(lines[i]) || otherTransport(lines[i]) || malformedOf(f) != strings.Contains(lines[i], "_ws.malformed") {
			out[f.Number] = true
		}
	}
	return out
}

// otherTransport reports a frame tshark decodes over a stack nbtsniff
// does not (NetBIOS over NetBEUI or IPX, IPv6, the datagram quoted in an
// ICMP error).
func otherTransport(protocols string) bool {
	for _, p := range strings.Split(protocols, ":") {
		switch p {
		case "llc", "ipx", "netbios", "nbipx", "ipv6", "icmp":
			return true
		}
	}
	return false
}

// malformedOf reports whether nbtsniff marked the frame malformed; where
// tshark does not agree, the decoders differ (their own differential
// tests say so), and the filter is not what is compared.
func malformedOf(f *dissect.Frame) bool {
	for i := range f.Tree.Nodes {
		if f.Tree.Nodes[i].Field == dissect.FieldMalformed {
			return true
		}
	}
	return false
}

// tsharkDropped returns the frames whose TCP data tshark drops as a
// retransmission of data it never saw (a segment after the peer's ACK of
// it in a capture out of time order, a 4-tuple reused without a SYN), which
// nbtsniff decodes, and the frames of their TCP streams from there on:
// smb.path, which tshark fills from the tree connect it saw, differs there
// (cmd/nbtsniff's exclusions, the same rule).
func tsharkDropped(t *testing.T, tshark, path string, frames []*dissect.Frame) (dropped, after map[int]bool) {
	t.Helper()
	b, err := exec.Command(tshark, "-n", "-r", path, "-Y", "tcp.analysis.retransmission || tcp.analysis.spurious_retransmission",
		"-T", "fields", "-e", "frame.number", "-e", "tcp.stream", "-e", "nbss").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	dropped, after = map[int]bool{}, map[int]bool{}
	first := map[int]int{} // tcp.stream -> first dropped frame
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		c := strings.Split(l, "\t")
		if len(c) < 3 || c[2] != "" {
			continue
		}
		n, err1 := strconv.Atoi(c[0])
		st, err2 := strconv.Atoi(c[1])
		if err1 != nil || err2 != nil {
			continue
		}
		dropped[n] = true
		if _, ok := first[st]; !ok {
			first[st] = n
		}
	}
	for _, f := range frames {
		if from, ok := first[f.Net.TCPStream]; ok && f.Net.TCPStream >= 0 && f.Number >= from {
			after[f.Number] = true
		}
	}
	return dropped, after
}

// transactionFrames are the frames of SMB transactions nbtsniff merged
// from several messages (smb.segment on the completing frame). tshark's
// single pass shows an unreassembled first piece with some of the
// transaction's fields, nbtsniff the whole transaction on the frame that
// completes it; the -T fields differential compares those per
// transaction (cmd/nbtsniff compareTransactions), so here the frames of
// such transactions are left out of tests on what they carry.
func transactionFrames(frames []*dissect.Frame) map[int]bool {
	seg, ok := dissect.LookupField("smb.segment")
	out := map[int]bool{}
	if !ok {
		return out
	}
	for _, f := range frames {
		for i := range f.Tree.Nodes {
			if n := &f.Tree.Nodes[i]; n.Field == seg {
				out[int(n.U)] = true
				out[f.Number] = true
			}
		}
	}
	return out
}

// transExpr reports whether an expression tests what a transaction
// carries (RAP, the browser).
func transExpr(e string) bool {
	return strings.Contains(e, "lanman") || strings.Contains(e, "browser")
}

func union(a, b map[int]bool) map[int]bool {
	out := make(map[int]bool, len(a)+len(b))
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// diffFrames returns the frames only one side selects, outside skip, and
// how many differing frames were left out because they are in skip.
func diffFrames(got, want []int, skip map[int]bool) (onlyGot, onlyWant []int, left int) {
	g, w := map[int]bool{}, map[int]bool{}
	for _, n := range got {
		g[n] = true
	}
	for _, n := range want {
		w[n] = true
	}
	for _, n := range got {
		if !w[n] {
			if skip[n] {
				left++
			} else {
				onlyGot = append(onlyGot, n)
			}
		}
	}
	for _, n := range want {
		if !g[n] {
			if skip[n] {
				left++
			} else {
				onlyWant = append(onlyWant, n)
			}
		}
	}
	return onlyGot, onlyWant, left
}
