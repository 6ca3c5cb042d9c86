package view

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/nbtsniff/nbtsniff/feed"
	"github.com/nbtsniff/nbtsniff/pipeline"
)

// stagedSource is a loaded capture that says nothing was read until
// loaded is set: what the UI sees of a load before and after its end.
type stagedSource struct {
	*pipeline.Loader
	loaded bool
}

func (s *stagedSource) Sample() *feed.Sample {
	if !s.loaded {
		return &feed.Sample{Labels: s.Loader.Sample().Labels, Replayable: true}
	}
	return s.Loader.Sample()
}

// TestDoneRefreshesEveryScreen: at the load's end (doneMsg) only the
// active screen is handed the loaded state before it is drawn; every
// other screen has it from the next message on, restMsg or a key, and
// shows what a UI opened on the loaded capture shows.
func TestDoneRefreshesEveryScreen(t *testing.T) {
	l := loadAll(t, labPcap(t, "storm.pcapng"))
	want := newModel(t, l, 160, 48)
	src := &stagedSource{Loader: l}
	m := newModel(t, src, 160, 48)
	if v := m.View(); !strings.Contains(v, "loading") {
		t.Fatalf("the staged load is not loading:\n%s", v)
	}
	src.loaded = true
	mm, cmd := m.Update(doneMsg{})
	m = mm.(Model)
	if got, w := m.View(), want.View(); got != w {
		t.Errorf("the screen drawn at the load's end:\n%s\nwant:\n%s", got, w)
	}
	if cmd == nil {
		t.Fatal("doneMsg: no command for the other screens")
	}
	if msg, ok := cmd().(restMsg); !ok {
		t.Fatalf("doneMsg's command gave %T, want restMsg", msg)
	}
	// By a key alone (restMsg not come yet), and after restMsg.
	for _, first := range []tea.Msg{nil, restMsg{}} {
		m := m
		if first != nil {
			m = apply(m, first)
		}
		for _, k := range []string{"2", "3", "4", "5", "6", "7", "1"} {
			got, w := apply(m, keys(k)...).View(), apply(want, keys(k)...).View()
			if got != w {
				t.Errorf("screen %s after the load's end (restMsg first: %v):\n%s\nwant:\n%s", k, first != nil, got, w)
			}
		}
	}
}
