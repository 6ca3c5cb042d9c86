package view

import (
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/nbtsniff/nbtsniff/feed"
	"github.com/nbtsniff/nbtsniff/pipeline"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// updating reports -update: rewrite the golden files under testdata/.
// The flag is defined by teatest's golden package, which this package's
// tests link.
func updating() bool {
	f := flag.Lookup("update")
	if f == nil {
		return false
	}
	v, _ := f.Value.(flag.Getter).Get().(bool)
	return v
}

// labPcap is a Samba lab capture of testdata/pcaps (repo root).
func labPcap(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join("..", "testdata", "pcaps", name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("lab capture %s (the Samba lab captures live in testdata/pcaps at the repo root): %v", p, err)
	}
	return p
}

// loadAll reads a capture to the end through the pipeline's loader, as
// the command does for the UI.
func loadAll(t testing.TB, path string) *pipeline.Loader {
	t.Helper()
	in, err := pipeline.Open(pipeline.Inputs{Files: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	l, err := pipeline.NewLoader(in, pipeline.LoaderConfig{Timeline: timeline.DefaultConfig()})
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

// asciiStyles are the styles with no colour at all, so that golden files
// hold plain text whatever the terminal running the tests.
func asciiStyles() Styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return NewStyles(r)
}

// fixedClock is the wall clock of the tests: live mode's "now" only.
func fixedClock() time.Time { return time.Date(2026, 11, 22, 1, 30, 0, 0, time.UTC) }

// newModel builds the UI over a loaded capture at a size.
func newModel(t testing.TB, l feed.Source, w, h int) Model {
	t.Helper()
	m := NewModel(l, asciiStyles(), fixedClock)
	return apply(m, tea.WindowSizeMsg{Width: w, Height: h})
}

// apply sends messages through Update, running the commands that answer
// synchronously with a message the model handles (jumps, cursor moves,
// frame details), as the bubbletea runtime would.
func apply(m Model, msgs ...tea.Msg) Model {
	for _, msg := range msgs {
		queue := []tea.Msg{msg}
		for len(queue) > 0 && len(queue) < 100 {
			mm, cmd := m.Update(queue[0])
			m = mm.(Model)
			queue = queue[1:]
			if cmd == nil {
				continue
			}
			done := make(chan tea.Msg, 1)
			go func() { done <- cmd() }()
			select {
			case r := <-done:
				switch r.(type) {
				case jumpMsg, cursorMsg, groupMsg, detailMsg:
					queue = append(queue, r)
				}
			case <-time.After(200 * time.Millisecond):
				// a blink or tick: not ours
			}
		}
	}
	return m
}

func keys(s ...string) []tea.Msg {
	var out []tea.Msg
	for _, k := range s {
		switch k {
		case "enter":
			out = append(out, tea.KeyMsg{Type: tea.KeyEnter})
		case "esc":
			out = append(out, tea.KeyMsg{Type: tea.KeyEsc})
		case "tab":
			out = append(out, tea.KeyMsg{Type: tea.KeyTab})
		case "up":
			out = append(out, tea.KeyMsg{Type: tea.KeyUp})
		case "down":
			out = append(out, tea.KeyMsg{Type: tea.KeyDown})
		case "left":
			out = append(out, tea.KeyMsg{Type: tea.KeyLeft})
		case "right":
			out = append(out, tea.KeyMsg{Type: tea.KeyRight})
		default:
			for _, r := range k {
				out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			}
		}
	}
	return out
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	got += "\n"
	p := filepath.Join("testdata", name)
	if updating() {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./view -update to create it, then review it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test ./view -run %s -update, then review the diff):\n--- got\n%s\n--- want\n%s", p, t.Name(), got, want)
	}
}

// checkFrame checks the invariants of every screen: exactly h lines of at
// most w cells, and no control character but the newlines.
func checkFrame(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Errorf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if n := width(l); n > w {
			t.Errorf("line %d is %d cells wide, more than %d: %q", i+1, n, w, l)
		}
		for _, r := range l {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Errorf("line %d holds control character %U: %q", i+1, r, l)
				break
			}
		}
	}
}
