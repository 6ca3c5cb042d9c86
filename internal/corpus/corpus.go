// Package corpus is the shared-capture tier of the tests: the public
// captures of ../shared/pcaps, beside the repository (see its MANIFEST.md).
// They are read in place and never copied into the project, so a clone
// alone does not have them; the tests that read them ask this package for
// them, and it keeps the count.
//
// Without the corpus, a corpus case skips (Path, Glob) or is left out
// (Maybe), unless NBTSNIFF_CORPUS_REQUIRED=1 is set (.ci/run sets it): then
// it fails. Either way, a package whose TestMain is
//
//	func TestMain(m *testing.M) { os.Exit(corpus.Main(m)) }
//
// prints one line when its tests end, saying how many corpus cases ran,
// how many could not, and why:
//
//	corpus (dissect): 0 of 211 shared-capture cases ran: ../shared/pcaps not found at /src/shared/pcaps (set NBTSNIFF_CORPUS_REQUIRED=1 to fail)
//
// Tests skipped for another reason (a missing tool, a privilege, the
// Samba lab) call Skip, and the line names them too.
//
// go test shows nothing of a package that passes unless -v is given, so
// without -v the line goes to the terminal (/dev/tty) when there is one,
// and to the test's output otherwise. A cached result prints nothing:
// -count=1 runs the tests again.
//
// The corpus's captures are listed in captures.txt; a case is one test's
// use of one capture.
package corpus

import (
	_ "embed"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// EnvRequired names the environment variable that turns a missing corpus
// into a failure.
const EnvRequired = "NBTSNIFF_CORPUS_REQUIRED"

//go:embed captures.txt
var captures string

// Names lists the captures of the corpus, relative to its directory
// ("x.pcap", "synthetic/y.pcap"), sorted.
func Names() []string {
	var out []string
	for _, l := range strings.Split(captures, "\n") {
		if l = strings.TrimSpace(l); l != "" && l[0] != '#' {
			out = append(out, l)
		}
	}
	return out
}

// state is what load found, and the counts of the cases so far.
var state struct {
	once     sync.Once
	root     string          // the module root
	dir      string          // the corpus directory, relative to the working directory
	abs      string          // the same, absolute (for messages)
	missing  string          // why the corpus cannot be read at all; "" when it can
	absent   map[string]bool // listed captures not in the directory
	unlisted []string        // captures in the directory that are not listed
	required bool

	mu          sync.Mutex
	cases       map[string]bool // test and capture: one case, however often asked for
	ran, notRun int
	why         []string            // distinct reasons for notRun, in order
	skipped     map[string][]string // Skip's reasons: the tests skipped for each
	reasons     []string            // the keys of skipped, in order
}

// load finds ../shared/pcaps beside the module root (the directory of
// go.mod above the working directory) and compares it with the list.
func load() {
	s := &state
	s.required = os.Getenv(EnvRequired) == "1"
	wd, err := os.Getwd()
	if err != nil {
		s.missing = "no working directory: " + err.Error()
		return
	}
	root := wd
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		up := filepath.Dir(root)
		if up == root {
			s.missing = "no go.mod above " + wd
			return
		}
		root = up
	}
	s.root = root
	s.abs = filepath.Join(filepath.Dir(root), "shared", "pcaps")
	if s.dir, err = filepath.Rel(wd, s.abs); err != nil {
		s.dir = s.abs
	}
	if fi, err := os.Stat(s.abs); err != nil || !fi.IsDir() {
		s.missing = "../shared/pcaps not found at " + s.abs
		return
	}
	s.absent = map[string]bool{}
	listed := map[string]bool{}
	for _, n := range Names() {
		listed[n] = true
		if _, err := os.Stat(filepath.Join(s.abs, filepath.FromSlash(n))); err != nil {
			s.absent[n] = true
		}
	}
	for _, pat := range []string{"*.pcap*", "*/*.pcap*", "*.cap"} {
		found, _ := filepath.Glob(filepath.Join(s.abs, pat))
		for _, f := range found {
			rel, _ := filepath.Rel(s.abs, f)
			if rel = filepath.ToSlash(rel); !listed[rel] {
				s.unlisted = append(s.unlisted, rel)
			}
		}
	}
}

// Dir is the path of the corpus directory from the test's working
// directory (the package directory), whether it is there or not.
func Dir() string {
	state.once.Do(load)
	return state.dir
}

// Path returns the path of one capture of the corpus (name as in Names),
// for one case. Without it, tb skips (fails when the corpus is required).
// A case is a top-level test and a capture: asking again for the same
// capture in the same test (or its subtests) is the same case.
func Path(tb testing.TB, name string) string {
	tb.Helper()
	p := Glob(tb, name)
	if len(p) != 1 {
		tb.Fatalf("corpus: %q is not one capture of internal/corpus/captures.txt", name)
	}
	return p[0]
}

// Case is for helpers given paths of both the repository and the corpus:
// a path under Dir is one case of the corpus (Path: tb skips without it,
// or fails when it is required); any other path is returned as it is.
func Case(tb testing.TB, p string) string {
	tb.Helper()
	rel, err := filepath.Rel(Dir(), p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return p
	}
	return Path(tb, filepath.ToSlash(rel))
}

// Skip skips tb for a reason other than the corpus (a missing tool, a
// privilege, the Samba lab), and Main's line names the test and the
// reason, so that go test ./... says what it did not run.
func Skip(tb testing.TB, reason string) {
	tb.Helper()
	name, _, _ := strings.Cut(tb.Name(), "/")
	state.mu.Lock()
	if state.skipped == nil {
		state.skipped = map[string][]string{}
	}
	if _, ok := state.skipped[reason]; !ok {
		state.reasons = append(state.reasons, reason)
	}
	if !slices.Contains(state.skipped[reason], name) {
		state.skipped[reason] = append(state.skipped[reason], name)
	}
	state.mu.Unlock()
	tb.Skip(reason)
}

// Glob returns the paths of the captures whose names match pattern
// (path.Match: "*.pcap*" is the real captures at the top level,
// "synthetic/*" the crafted ones, "*" does not cross "/"), one case each.
// If any of them cannot be read, tb skips (fails when the corpus is
// required).
func Glob(tb testing.TB, pattern string) []string {
	tb.Helper()
	paths, why := take(tb, pattern)
	if why != "" {
		if state.required {
			tb.Fatalf("corpus: %s (%s=1)", why, EnvRequired)
		}
		tb.Skipf("corpus: %s", why)
	}
	return paths
}

// Paths is Path for several captures at once: a test that reads them in
// turn asks first for all, so that the count says how many it would have
// read.
func Paths(tb testing.TB, names ...string) []string {
	tb.Helper()
	var out []string
	for _, n := range names {
		if !slices.Contains(Names(), n) {
			tb.Fatalf("corpus: %q is not a capture of internal/corpus/captures.txt", n)
		}
	}
	var why string
	for _, n := range names {
		p, w := take(tb, n)
		out = append(out, p...)
		if why == "" {
			why = w
		}
	}
	if why != "" {
		if state.required {
			tb.Fatalf("corpus: %s (%s=1)", why, EnvRequired)
		}
		tb.Skipf("corpus: %s", why)
	}
	return out
}

// Captures returns the paths of every capture of the corpus (Glob of all
// names), one case each.
func Captures(tb testing.TB) []string {
	tb.Helper()
	paths, why := take(tb, "")
	if why != "" {
		if state.required {
			tb.Fatalf("corpus: %s (%s=1)", why, EnvRequired)
		}
		tb.Skipf("corpus: %s", why)
	}
	return paths
}

// Maybe is Glob for a test that also runs on captures of its own: the
// matching captures that can be read, and none of the others, which are
// counted as not run (an error when the corpus is required) instead of
// skipping the test.
func Maybe(tb testing.TB, pattern string) []string {
	tb.Helper()
	paths, why := take(tb, pattern)
	if why != "" && state.required {
		tb.Errorf("corpus: %s (%s=1)", why, EnvRequired)
	}
	return paths
}

// take counts the cases of pattern ("" for every name) and returns the
// paths of those that can be read, and why the others cannot.
func take(tb testing.TB, pattern string) ([]string, string) {
	tb.Helper()
	state.once.Do(load)
	var names []string
	for _, n := range Names() {
		if ok, err := path.Match(pattern, n); pattern == "" || ok && err == nil {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		tb.Fatalf("corpus: no capture of internal/corpus/captures.txt matches %q", pattern)
	}
	var paths []string
	var absent []string
	for _, n := range names {
		switch {
		case state.missing != "":
		case state.absent[n]:
			absent = append(absent, n)
		default:
			paths = append(paths, filepath.Join(state.dir, filepath.FromSlash(n)))
		}
	}
	why := state.missing
	if why == "" && len(absent) > 0 {
		why = fmt.Sprintf("%d listed captures are not in %s: %s", len(absent), state.dir, strings.Join(absent, ", "))
	}
	state.mu.Lock()
	defer state.mu.Unlock()
	if state.cases == nil {
		state.cases = map[string]bool{}
	}
	test, _, _ := strings.Cut(tb.Name(), "/")
	for _, n := range names {
		if k := test + "\x00" + n; !state.cases[k] {
			state.cases[k] = true
			if why == "" || state.missing == "" && !state.absent[n] {
				state.ran++
			} else {
				state.notRun++
			}
		}
	}
	if why != "" && !slices.Contains(state.why, why) {
		state.why = append(state.why, why)
	}
	return paths, why
}

// Main runs the tests and prints the corpus line (none when no test of
// this run asked for the corpus, or called Skip). With the corpus
// required, captures in ../shared/pcaps that captures.txt does not list
// fail the run.
func Main(m *testing.M) int {
	code := m.Run()
	state.once.Do(load)
	s := &state
	s.mu.Lock()
	defer s.mu.Unlock()
	ran, notRun, why := s.ran, s.notRun, s.why
	if ran+notRun == 0 && len(s.reasons) == 0 {
		return code
	}
	var parts []string
	if ran+notRun > 0 {
		p := fmt.Sprintf("%d of %d shared-capture cases ran", ran, ran+notRun)
		if notRun > 0 {
			p += ": " + strings.Join(why, "; ")
			if !s.required {
				p += " (set " + EnvRequired + "=1 to fail)"
			}
		} else {
			p += " from " + s.dir
		}
		parts = append(parts, p)
	}
	if len(s.unlisted) > 0 {
		parts = append(parts, fmt.Sprintf("%d captures of %s are not in internal/corpus/captures.txt and did not run: %s",
			len(s.unlisted), s.dir, strings.Join(s.unlisted, ", ")))
		if s.required && code == 0 {
			code = 1
		}
	}
	for _, r := range s.reasons {
		parts = append(parts, "skipped "+strings.Join(s.skipped[r], ", ")+": "+r)
	}
	line := "corpus (" + pkgName() + "): " + strings.Join(parts, "; ")
	announce(line)
	return code
}

// pkgName is the package directory relative to the module root.
func pkgName() string {
	wd, _ := os.Getwd()
	if rel, err := filepath.Rel(state.root, wd); err == nil && state.root != "" && rel != "." {
		return filepath.ToSlash(rel)
	}
	return filepath.Base(wd)
}

// announce prints line where go test's user sees it: the test output with
// -v (or -json), else the terminal, which go test does not capture. The
// terminal is opened with syscall, not os, so that go test does not count
// it among the test's inputs and its cache keeps working.
func announce(line string) {
	if !testing.Verbose() {
		if fd, err := syscall.Open("/dev/tty", syscall.O_WRONLY, 0); err == nil {
			tty := os.NewFile(uintptr(fd), "/dev/tty")
			_, err = fmt.Fprintln(tty, line)
			tty.Close()
			if err == nil {
				return
			}
		}
	}
	fmt.Println(line)
}
