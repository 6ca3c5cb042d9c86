package filter_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/filter"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// The display-filter differential: every expression of
// testdata/filters.txt, on every capture of testdata/pcaps (the lab's),
// testdata/specframes and ../shared/pcaps (the corpus, when it is there),
// must select the frames tshark 4.0 -Y selects. tshark runs once per
// capture: its io,stat tap counts the frames each expression selects and
// sums their numbers, and the two figures must be nbtsniff's. Where they
// differ, tshark -Y gives the frame list, compared frame by frame, leaving
// out only the frames whose protocol stack nbtsniff does not decode as
// tshark does (NetBEUI and IPX frames carrying the browser, IPv6): those
// are counted and logged, never silently equal.
//
// An expression with a comma (a set {a, b}) cannot go through io,stat,
// whose arguments are comma-separated: it runs with tshark -Y on its own.
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
	selected := make([]int, len(exprs)) // captures on which each selects some frame
	for _, path := range listCaptures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			frames := loadFrames(t, path)
			counts := tsharkCounts(t, tshark, path, exprs)
			var mismatch []int
			for i, f := range compiled {
				var n, sum int
				for _, fr := range frames {
					if f.Match(fr) {
						n++
						sum += fr.Number
					}
				}
				if n > 0 {
					selected[i]++
				}
				c, ok := counts[i]
				if !ok || c != [2]int{n, sum} {
					mismatch = append(mismatch, i)
				}
			}
			if len(mismatch) == 0 {
				return
			}
			// Compare frame by frame, outside the frames whose stack
			// differs.
			differs := stackDiffers(t, tshark, path, frames)
			for _, i := range mismatch {
				want := tsharkFrames(t, tshark, path, exprs[i])
				var got []int
				for _, fr := range frames {
					if compiled[i].Match(fr) {
						got = append(got, fr.Number)
					}
				}
				gotOut, wantOut, left := diffFrames(got, want, differs)
				if len(gotOut)+len(wantOut) > 0 {
					t.Errorf("%s: only nbtsniff selects %s; only tshark %s", exprs[i], short(gotOut), short(wantOut))
				} else if left > 0 {
					t.Logf("%s: %d frames of another protocol stack in tshark (NetBEUI, IPX, IPv6) not compared", exprs[i], left)
				}
			}
		})
	}
	never := 0
	for _, n := range selected {
		if n == 0 {
			never++
		}
	}
	t.Logf("%d expressions, %d of them select no frame of any capture", len(exprs), never)
}

// tsharkCounts runs tshark's io,stat with two columns per expression
// without a comma: the number of frames it selects and the sum of their
// numbers. Expressions with a comma run with -Y.
func tsharkCounts(t *testing.T, tshark, path string, exprs []string) map[int][2]int {
	t.Helper()
	arg := "io,stat,0"
	var idx []int
	out := map[int][2]int{}
	for i, e := range exprs {
		if strings.Contains(e, ",") {
			fr := tsharkFrames(t, tshark, path, e)
			sum := 0
			for _, n := range fr {
				sum += n
			}
			out[i] = [2]int{len(fr), sum}
			continue
		}
		arg += ",COUNT(frame.number)frame.number && (" + e + "),SUM(frame.number)frame.number && (" + e + ")"
		idx = append(idx, i)
	}
	b, err := exec.Command(tshark, "-n", "-r", path, "-q", "-z", arg).Output()
	if err != nil {
		t.Fatalf("tshark io,stat: %v", err)
	}
	cells := ioStatRow(t, string(b))
	if len(cells) != 1+2*len(idx) {
		t.Fatalf("io,stat row has %d cells, want %d", len(cells), 1+2*len(idx))
	}
	for k, i := range idx {
		n, err1 := strconv.Atoi(strings.TrimSpace(cells[1+2*k]))
		s, err2 := strconv.Atoi(strings.TrimSpace(cells[2+2*k]))
		if err1 != nil || err2 != nil {
			t.Fatalf("io,stat cells %q %q", cells[1+2*k], cells[2+2*k])
		}
		out[i] = [2]int{n, s}
	}
	return out
}

// ioStatRow returns the cells of the one interval row of an io,stat table
// (which may be wrapped over several lines when it has many columns:
// the cells of every "<>" row, in order).
func ioStatRow(t *testing.T, out string) []string {
	t.Helper()
	var cells []string
	for _, l := range strings.Split(out, "\n") {
		if !strings.Contains(l, "<>") {
			continue
		}
		c := strings.Split(strings.Trim(strings.TrimSpace(l), "|"), "|")
		if cells == nil {
			cells = c
		} else {
			cells = append(cells, c[1:]...)
		}
	}
	if cells == nil {
		t.Fatalf("no io,stat row in tshark's output:\n%s", out)
	}
	return cells
}

func tsharkFrames(t *testing.T, tshark, path, expr string) []int {
	t.Helper()
	cmd := exec.Command(tshark, "-n", "-r", path, "-Y", expr, "-T", "fields", "-e", "frame.number")
	var errb strings.Builder
	cmd.Stderr = &errb
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark -Y %q: %v: %s", expr, err, errb.String())
	}
	var out []int
	for _, l := range strings.Fields(string(b)) {
		n, _ := strconv.Atoi(l)
		out = append(out, n)
	}
	sort.Ints(out)
	return out
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
		if stackOf(f) != tsharkStack(lines[i]) {
			out[f.Number] = true
		}
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
