package view

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/reassembly"
	"github.com/nbtsniff/nbtsniff/timeline"
)

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

// The index holds one row per frame with tshark's source, destination and
// protocol columns.
func TestIndexColumnsMatchTshark(t *testing.T) {
	p := labPcap(t, "election.pcapng")
	l := loadAll(t, Input{Files: []string{p}})
	s := l.Sample()
	want := tsharkLines(t, "-r", p, "-T", "fields", "-e", "_ws.col.Source", "-e", "_ws.col.Destination", "-e", "_ws.col.Protocol")
	if s.Frames.Len() != len(want) {
		t.Fatalf("index has %d frames, tshark %d", s.Frames.Len(), len(want))
	}
	for i, w := range want {
		r := s.Frames.row(i + 1)
		src, dst, proto, _ := s.Frames.cols(r)
		if got := src + "\t" + dst + "\t" + proto; got != w {
			t.Errorf("frame %d: index %q, tshark %q", i+1, got, w)
		}
	}
}

// The state at the time cursor is the state the lab's nmbd logged then
// (election.logs/roles.tsv, README "LMB sequence: ALPHA → CHARLIE → DELTA
// → (none) → CHARLIE").
func TestStateAtFollowsGroundTruth(t *testing.T) {
	l := loadAll(t, Input{Files: []string{labPcap(t, "election.pcapng")}})
	s := l.Sample()
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

// verboseOf decodes a capture straight through and returns the -V text of
// frame n, as nbtsniff -V prints it.
func verboseOf(t *testing.T, path string, n int) string {
	t.Helper()
	src, err := capture.OpenFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	cfg := reassembly.DefaultConfig()
	cfg.Labels = []string{src.Label()}
	eng := reassembly.New(cfg)
	var pkt capture.Packet
	for {
		if err := src.Next(&pkt); err != nil {
			t.Fatalf("frame %d not found: %v", n, err)
		}
		f := eng.Decode(pkt.Data, pkt.CI, pkt.LinkType, pkt.Source)
		if f.Number == n {
			return string(output.AppendVerbose(nil, f))
		}
	}
}

// detailText is the detail's tree as -V prints it (text and byte range).
func detailText(d *frameDetail) string {
	var b strings.Builder
	for _, l := range d.lines {
		b.WriteString(strings.Repeat("    ", l.depth) + l.text)
		if l.off >= 0 {
			b.WriteString("   [")
			if l.src > 0 {
				b.WriteString(d.sources[l.src].name + " ")
			}
			b.WriteString(itoa(l.off) + ":" + itoa(l.len) + "]")
		}
		b.WriteString("\n")
	}
	return b.String() + "\n"
}

// A frame re-decoded on demand (the replay through a fresh engine) is the
// frame -V prints, TCP reassembly included, going forward and backward.
func TestDetailIsTheVerboseTree(t *testing.T) {
	p := labPcap(t, "enum.pcapng")
	l := loadAll(t, Input{Files: []string{p}})
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
		d, err := l.Detail(n)
		if err != nil {
			t.Fatalf("Detail(%d): %v", n, err)
		}
		if got, want := detailText(d), verboseOf(t, p, n); got != want {
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
// memory and the detail still gives the capture's frame numbers and times.
func TestDetailFromStdin(t *testing.T) {
	p := labPcap(t, "election.pcapng")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	l := loadAll(t, Input{Files: []string{"-"}, Stdin: bytes.NewReader(data)})
	if l.replayable {
		t.Fatal("stdin taken as replayable")
	}
	d, err := l.Detail(90)
	if err != nil {
		t.Fatal(err)
	}
	got := detailText(d)
	want := verboseOf(t, p, 90)
	// The label differs (stdin, not the path); the tree does not.
	if !strings.Contains(got, "Frame 90:") || strings.Count(got, "\n") != strings.Count(want, "\n") {
		t.Errorf("stdin detail of frame 90:\n%s\n--- file's -V:\n%s", got, want)
	}
	for _, line := range strings.Split(want, "\n") {
		if strings.Contains(line, "Frame Number") || strings.Contains(line, "since reference") {
			if !strings.Contains(got, strings.TrimSpace(line)) {
				t.Errorf("stdin detail lacks %q", strings.TrimSpace(line))
			}
		}
	}
}

// The display filter over frames already read is computed by a replay;
// tshark -Y gives the same frames.
func TestDisplayFilterReplay(t *testing.T) {
	p := labPcap(t, "election.pcapng")
	l := loadAll(t, Input{Files: []string{p}})
	const expr = "browser.command == 0x08"
	if err := l.SetDisplayFilter(expr); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	var mv matchView
	for {
		mv = l.Sample().Matches
		if mv.Done || time.Now().After(deadline) {
			break
		}
		runtime_Gosched()
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

// Every string from the wire reaches the screen escaped.
func TestWireStringsEscaped(t *testing.T) {
	now := time.Date(2026, 11, 22, 0, 50, 0, 0, time.UTC)
	evil := "EVIL\x1b[2J\x07"
	snap := &timeline.Snapshot{
		Time: now,
		Groups: []*timeline.Group{{
			Segment: "eth0/10.0.0.255", Workgroup: "WG\x1b]0;x\x07", LMB: []string{evil},
			Servers: []*timeline.Server{{Name: evil, Comment: "bell\x07 \u202eevil", Type: 0x3, LastSeen: now, Expires: now.Add(time.Minute), Source: timeline.SourceAnnouncement}},
		}},
		Names:     []*timeline.NameState{{Segment: "eth0/10.0.0.255", Name: evil, Suffix: 0x20}},
		Anomalies: []*timeline.Anomaly{{Time: now, Kind: timeline.AnomalyWrongName, Segment: "eth0/10.0.0.255", Workgroup: "WG", Host: evil, Detail: "detail " + evil}},
	}
	st := asciiStyles()
	in := stateInput{snap: snap, now: now, seg: segmentNamer{labels: []string{"eth0"}}}
	keys := DefaultKeyMap()
	ov := NewOverview(keys.Table, &st)
	ov.SetSize(120, 20)
	ov.SetState(in)
	br := NewBrowse(keys.Table, keys.Group, &st)
	br.SetSize(120, 20)
	br.SetState(in)
	nm := NewNames(keys.Table, &st)
	nm.SetSize(120, 20)
	nm.SetState(in)
	an := NewAnomalies(keys.Table, &st)
	an.SetSize(120, 20)
	an.SetState(in)
	for name, v := range map[string]string{"overview": ov.View(), "browse": br.View(), "names": nm.View(), "anomalies": an.View()} {
		if strings.ContainsAny(v, "\x1b\x07\u202e") {
			t.Errorf("%s: a control character reached the screen: %q", name, v)
		}
		if !strings.Contains(v, `EVIL\x1b[2J`) {
			t.Errorf("%s: the escaped name is not shown: %q", name, v)
		}
	}
}

// NO_COLOR gives the Ascii profile: no colour, no attribute.
func TestNoColor(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	r := lipgloss.NewRenderer(io.Discard, termenv.WithTTY(true), termenv.WithProfile(termenv.TrueColor))
	if p := r.ColorProfile(); p != termenv.Ascii {
		t.Fatalf("profile with NO_COLOR: %v, want Ascii", p)
	}
	st := NewStyles(r)
	if got := st.Error.Render("x"); got != "x" {
		t.Errorf("styled text with NO_COLOR: %q", got)
	}
}

// The loader stops when its context is cancelled.
func TestLoaderCancel(t *testing.T) {
	l, err := NewLoader(Input{Files: []string{labPcap(t, "enum.pcapng")}, Timeline: timeline.DefaultConfig()})
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
	out := t.TempDir() + "/w.pcapng"
	l := loadAll(t, Input{Files: []string{labPcap(t, "storm.pcapng")}, Count: 50, Write: out})
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

func runtime_Gosched() { time.Sleep(time.Millisecond) }
