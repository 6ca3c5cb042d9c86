package view

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/nbtsniff/nbtsniff/feed"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

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

// The frame detail shows the tree -V prints, with the same byte ranges:
// of enum.pcapng, an NBNS frame, the first RAP request and reply on TCP 139
// (tshark -2 -Y lanman: frames 829 and 831; their relative sequence
// numbers and SMB transaction state come from the frames before them), and
// a frame before those (a new replay).
func TestDetailIsTheVerboseTree(t *testing.T) {
	l := loadAll(t, labPcap(t, "enum.pcapng"))
	for _, n := range []int{5, 829, 831, 3} {
		f, err := l.Detail(n)
		if err != nil {
			t.Fatalf("Detail(%d): %v", n, err)
		}
		if got, want := detailText(newFrameDetail(f)), string(output.AppendVerbose(nil, f)); got != want {
			t.Errorf("frame %d: detail differs from -V:\n%s\n--- want\n%s", n, got, want)
		}
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

// Every screen of the UI shows the hostile strings of
// testdata/crafted/hostile-strings.pcap (right-to-left overrides,
// isolates, ANSI escapes, C1 controls, bytes that are not UTF-8) escaped,
// and none of them raw: the frame list and a frame's detail too.
func TestHostileCaptureScreens(t *testing.T) {
	l := loadAll(t, filepath.Join("..", "testdata", "crafted", "hostile-strings.pcap"))
	m := newModel(t, l, 160, 50)
	shown := false
	for i, k := range []string{"1", "2", "3", "4", "5", "6", "7", "6", "enter"} {
		m = apply(m, keys(k)...)
		v := m.View()
		for j := 0; j < len(v); {
			r, n := utf8.DecodeRuneInString(v[j:])
			if r == utf8.RuneError && n <= 1 || r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r <= 0x9f ||
				r == 0x061c || r == 0x200e || r == 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
				t.Fatalf("key %s (step %d): %U reached the screen: %q", k, i, r, v[max(j-40, 0):min(j+40, len(v))])
			}
			j += n
		}
		shown = shown || strings.Contains(v, `\xe2\x80\xaeEXE.TXT`)
	}
	if !shown {
		t.Error("no screen showed the host name with its override, escaped")
	}
}

// A live capture's frame list is a window of the latest frames: the
// Frames screen lists from the oldest frame held and says where the
// others are (the -w file) or that they are gone.
func TestFramesWindowNote(t *testing.T) {
	var idx feed.Index
	t0 := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 10; i++ {
		idx.Add(&feed.Row{Number: i, Time: t0.Add(time.Duration(i) * time.Second), Src: []byte("10.0.0.1"), Dst: []byte("10.0.0.255"), Proto: []byte("NBNS"), Info: []byte("query " + itoa(i))})
	}
	idx = idx.DropOldest(4)
	st := asciiStyles()
	keys := DefaultKeyMap()
	for _, c := range []struct{ writing, want string }{
		{"", "frames 1-4 no longer listed (a live capture keeps a window of the latest frames): gone (capture with -w FILE to keep them)"},
		{"/tmp/live.pcapng", "frames 1-4 no longer listed (a live capture keeps a window of the latest frames): they are in /tmp/live.pcapng"},
	} {
		m := NewFrames(keys.Table, keys.Frames, &st, nil)
		m.SetSize(200, 20)
		m.SetData(idx, feed.Matches{}, c.writing)
		v := m.View()
		if !strings.Contains(v, c.want) {
			t.Errorf("-w %q: the screen does not say %q:\n%s", c.writing, c.want, v)
		}
		if !strings.Contains(v, "query 5") || strings.Contains(v, "query 4") {
			t.Errorf("the list does not start at frame 5:\n%s", v)
		}
	}
}
