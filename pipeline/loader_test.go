package pipeline

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/feed"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// labPcap is a Samba lab capture of testdata/pcaps (repo root).
func labPcap(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join("..", "testdata", "pcaps", name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("lab capture %s: %v (the Samba lab captures live in testdata/pcaps at the repo root)", p, err)
	}
	return p
}

// tsharkLines runs tshark and returns its output lines, or skips.
func tsharkLines(t *testing.T, args ...string) []string {
	t.Helper()
	if _, err := exec.LookPath("tshark"); err != nil {
		corpus.Skip(t, "tshark not installed")
	}
	out, err := exec.Command("tshark", args...).Output()
	if err != nil {
		t.Fatalf("tshark %v: %v", args, err)
	}
	return strings.Split(strings.TrimRight(string(out), "\n"), "\n")
}

// loadAll reads inputs to the end through a Loader.
func loadAll(t testing.TB, in Inputs, cfg LoaderConfig) *Loader {
	t.Helper()
	if cfg.Timeline == (timeline.Config{}) {
		cfg.Timeline = timeline.DefaultConfig()
	}
	op, err := Open(in)
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewLoader(op, cfg)
	if err != nil {
		t.Fatal(err)
	}
	l.Start(context.Background())
	select {
	case <-l.Done():
	case <-time.After(60 * time.Second):
		t.Fatal("loader did not finish")
	}
	return l
}

func files(paths ...string) Inputs { return Inputs{Files: paths} }

// The index holds one row per frame with tshark's source, destination and
// protocol columns.
func TestIndexColumnsMatchTshark(t *testing.T) {
	p := labPcap(t, "election.pcapng")
	s := loadAll(t, files(p), LoaderConfig{}).Sample()
	want := tsharkLines(t, "-r", p, "-T", "fields", "-e", "_ws.col.Source", "-e", "_ws.col.Destination", "-e", "_ws.col.Protocol")
	if s.Frames.Len() != len(want) {
		t.Fatalf("index has %d frames, tshark %d", s.Frames.Len(), len(want))
	}
	for i, w := range want {
		r, _ := s.Frames.Row(i + 1)
		if got := string(r.Src) + "\t" + string(r.Dst) + "\t" + string(r.Proto); got != w {
			t.Errorf("frame %d: index %q, tshark %q", i+1, got, w)
		}
	}
}

// The state at the time cursor is the state the lab's nmbd logged then
// (election.logs/roles.tsv, README "LMB sequence: ALPHA → CHARLIE → DELTA
// → (none) → CHARLIE").
func TestStateAtFollowsGroundTruth(t *testing.T) {
	s := loadAll(t, files(labPcap(t, "election.pcapng")), LoaderConfig{}).Sample()
	first := s.First
	cases := []struct {
		at  float64 // seconds after the first frame (README table)
		lmb string
	}{
		{10, ""},
		{30, "ALPHA"},   // is now LMB at 23.031
		{90, "CHARLIE"}, // at 86.037
		{120, "DELTA"},  // at 117.043
		{145, ""},       // DELTA went away at 138.981: no LMB
		{180, "CHARLIE"},
	}
	for _, c := range cases {
		at := first.Add(time.Duration(c.at * float64(time.Second)))
		snap := s.StateAt(at)
		if snap.Time.After(at) {
			t.Errorf("t=%v: snapshot of %v is after the cursor", c.at, snap.Time)
		}
		got := ""
		for _, g := range snap.Groups {
			if g.Workgroup == "LABWG" {
				got = strings.Join(g.LMB, ",")
			}
		}
		if got != c.lmb {
			t.Errorf("t=%vs: local master %q, want %q", c.at, got, c.lmb)
		}
	}
}

// verboseOf decodes a capture straight through one pipeline and returns
// the -V text of frame n, as nbtsniff -V prints it.
func verboseOf(t *testing.T, path string, n int) string {
	t.Helper()
	src, err := capture.OpenFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	p, err := New(src, Config{Labels: []string{src.Label()}})
	if err != nil {
		t.Fatal(err)
	}
	for {
		f, err := p.Next(context.Background())
		if err != nil {
			t.Fatalf("frame %d not found: %v", n, err)
		}
		if f.Number == n {
			return string(output.AppendVerbose(nil, f))
		}
	}
}

// A frame decoded again on demand (the replay through a fresh engine) is
// the frame -V prints, TCP reassembly included, going forward and
// backward.
func TestDetailIsTheVerboseFrame(t *testing.T) {
	p := labPcap(t, "enum.pcapng")
	l := loadAll(t, files(p), LoaderConfig{})
	// Frames of enum.pcapng: an NBNS one, and RAP requests and replies on
	// TCP 139 (tshark -2 -Y lanman), whose relative sequence numbers and
	// SMB transaction state come from the frames before them.
	lan := tsharkLines(t, "-2", "-r", p, "-Y", "lanman", "-T", "fields", "-e", "frame.number")
	nums := []int{5}
	for _, s := range lan[:min(len(lan), 2)] {
		nums = append(nums, atoi(t, s))
	}
	nums = append(nums, 3) // backwards: a new replay
	for _, n := range nums {
		f, err := l.Detail(n)
		if err != nil {
			t.Fatalf("Detail(%d): %v", n, err)
		}
		if got, want := string(output.AppendVerbose(nil, f)), verboseOf(t, p, n); got != want {
			t.Errorf("frame %d: detail differs from -V:\n%s\n--- want\n%s", n, got, want)
		}
	}
}

func atoi(t *testing.T, s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not a number: %q", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// From standard input (which cannot be read again) the frames are kept in
// memory, and the detail is the frame -V prints: the capture's frame
// numbers and times, the label aside.
func TestDetailFromStdin(t *testing.T) {
	p := labPcap(t, "election.pcapng")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	l := loadAll(t, Inputs{Files: []string{"-"}, Stdin: bytes.NewReader(data)}, LoaderConfig{})
	if l.Sample().Replayable {
		t.Fatal("stdin taken as replayable")
	}
	for _, n := range []int{90, 91} {
		f, err := l.Detail(n)
		if err != nil {
			t.Fatal(err)
		}
		got := string(output.AppendVerbose(nil, f))
		want := strings.ReplaceAll(verboseOf(t, p, n), p, "stdin")
		if got != want {
			t.Errorf("stdin detail of frame %d:\n%s\n--- file's -V:\n%s", n, got, want)
		}
	}
}

// The display filter over frames already read is computed by a replay;
// tshark -Y gives the same frames.
func TestDisplayFilterReplay(t *testing.T) {
	p := labPcap(t, "election.pcapng")
	l := loadAll(t, files(p), LoaderConfig{})
	const expr = "browser.command == 0x08"
	if err := l.SetDisplayFilter(expr); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	var mv feed.Matches
	for {
		mv = l.Sample().Matches
		if mv.Done || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	want := tsharkLines(t, "-r", p, "-Y", expr, "-T", "fields", "-e", "frame.number")
	var got []string
	for i := 0; i < mv.Len(); i++ {
		got = append(got, itoa(mv.At(i)))
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("filter %q: frames %v, tshark %v", expr, got, want)
	}
	if err := l.SetDisplayFilter("browser.command =="); err == nil {
		t.Error("a broken filter was accepted")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// The loader stops when its context is cancelled.
func TestLoaderCancel(t *testing.T) {
	op, err := Open(files(labPcap(t, "enum.pcapng")))
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewLoader(op, LoaderConfig{Timeline: timeline.DefaultConfig()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l.Start(ctx)
	select {
	case <-l.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("loader did not stop")
	}
	if s := l.Sample(); !s.Done || s.Frames.Len() > 1 {
		t.Errorf("after cancel: done %v, %d frames", s.Done, s.Frames.Len())
	}
}

// Count stops after N frames, and -w writes them.
func TestLoaderCountAndWrite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "w.pcapng")
	l := loadAll(t, files(labPcap(t, "storm.pcapng")), LoaderConfig{Count: 50, Write: out})
	if n := l.Sample().Frames.Len(); n != 50 {
		t.Errorf("-c 50: %d frames", n)
	}
	src, err := capture.OpenFile(out, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	n := 0
	var pkt capture.Packet
	for src.Next(&pkt) == nil {
		n++
	}
	if n != 50 {
		t.Errorf("-w file holds %d frames, want 50", n)
	}
}
