package view

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// Keyboard flows through the real bubbletea runtime (teatest), each step
// waiting on what the screen shows, never sleeping. Expected texts come
// from the lab's ground truth (testdata/pcaps/README.md, roles.tsv) and
// from tshark where it says so.

func startTUI(t *testing.T, capName string, w, h int) *teatest.TestModel {
	t.Helper()
	l := loadAll(t, labPcap(t, capName))
	m := NewModel(l, asciiStyles(), fixedClock)
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
}

// waitFor waits until everything in want has been drawn since the last
// wait. The renderer draws only the lines that changed: wait for text on
// those. The wait ends as soon as the text is there; its limit is for a
// loaded machine (CI runs packages in parallel on two cores: 10 s was
// reached once at a load average of 9, session 10).
func waitFor(t *testing.T, tm *teatest.TestModel, want ...string) {
	t.Helper()
	var seen []byte
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		seen = b
		for _, w := range want {
			if !bytes.Contains(b, []byte(w)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(30*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
	_ = seen
}

func press(tm *teatest.TestModel, ks ...string) {
	for _, m := range keys(ks...) {
		tm.Send(m)
	}
}

func quit(t *testing.T, tm *teatest.TestModel) {
	t.Helper()
	press(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

func TestFlowSwitchScreens(t *testing.T) {
	tm := startTUI(t, "election.pcapng", 120, 40)
	waitFor(t, tm, "[1 Overview]", "LABWG")
	press(tm, "3")
	waitFor(t, tm, "[3 Elections]", "Outcome")
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	waitFor(t, tm, "[4 Browse List]", "Browse List of LABWG")
	tm.Send(tea.KeyMsg{Type: tea.KeyShiftTab})
	waitFor(t, tm, "[3 Elections]")
	press(tm, "7")
	waitFor(t, tm, "[7 Anomalies]", "no anomaly")
	press(tm, "?")
	waitFor(t, tm, "any key closes this help", "zoom in")
	press(tm, "x")
	waitFor(t, tm, "no anomaly")
	quit(t, tm)
}

func TestFlowTableFilter(t *testing.T) {
	tm := startTUI(t, "election.pcapng", 120, 40)
	press(tm, "5")
	waitFor(t, tm, "[5 Names]", "ECHO<20>")
	press(tm, "/", "DELTA", "enter")
	// Names owned by DELTA (198.18.1.14, lab hosts file): DELTA<00>,
	// <03>, <20>, and the group and browser names it registered.
	waitFor(t, tm, "filter: DELTA", "DELTA<20>")
	press(tm, "esc")
	waitFor(t, tm, "ECHO<20>")
	quit(t, tm)
}

func TestFlowElectionToFrame(t *testing.T) {
	tm := startTUI(t, "election.pcapng", 120, 40)
	press(tm, "3", "down", "enter")
	// The second election: BRAVO (os level 32) forced it, CHARLIE (64)
	// won (README, ground truth per scenario; smb.conf os levels).
	waitFor(t, tm, "Election #2", "started 00:47:59.377 by BRAVO", "winner CHARLIE", "OS level 64 > 32")
	// f on the first round jumps to its frame: tshark shows frame 90 as
	// "Browser Election Request" from 198.18.1.12 (BRAVO) at 69.012490.
	press(tm, "f")
	waitFor(t, tm, "[6 Frames]", "Frame 90", "Command: Browser Election Request (0x08)")
	press(tm, "esc")
	waitFor(t, tm, "198.18.1.12")
	quit(t, tm)
}

func TestFlowTimeCursor(t *testing.T) {
	tm := startTUI(t, "election.pcapng", 120, 40)
	press(tm, "2")
	waitFor(t, tm, "[2 Timeline]", "follow (F)")
	// Back to the start of the capture, then from event to event of the
	// lane: the first election starts (roles.tsv: ALPHA forces it), then
	// ALPHA becomes local master at 00:47:13.395 (roles.tsv 00:47:13.395678).
	press(tm, "H", "H", "H", "H")
	waitFor(t, tm, "pinned", "cursor 00:46:50.364")
	press(tm, "]")
	waitFor(t, tm, "cursor 00:46:57.374")
	press(tm, "]")
	waitFor(t, tm, "cursor 00:47:13.395", "local master ALPHA since 00:47:13.395")
	// Every state screen follows the cursor.
	// (The status bar, unchanged, is not drawn again.)
	press(tm, "1")
	waitFor(t, tm, "[1 Overview]", "LABWG        ALPHA")
	press(tm, "F")
	waitFor(t, tm, "loaded")
	quit(t, tm)
}

func TestFlowDisplayFilter(t *testing.T) {
	tm := startTUI(t, "election.pcapng", 120, 40)
	press(tm, "6", "/", "browser.command ==")
	// The error position is shown while typing.
	waitFor(t, tm, "filter> browser.command ==", "^ ")
	press(tm, " 0x08", "enter")
	// tshark -Y "browser.command == 0x08" selects 23 frames (README:
	// Election 0x08 = 23 in election.pcapng).
	waitFor(t, tm, "filter: browser.command == 0x08  ·  23 of 222 frames")
	press(tm, "enter")
	waitFor(t, tm, "Browser Election Request (0x08)")
	quit(t, tm)
}

func TestFlowResize(t *testing.T) {
	tm := startTUI(t, "storm.pcapng", 80, 24)
	waitFor(t, tm, "4 Browse ")
	tm.Send(tea.WindowSizeMsg{Width: 160, Height: 48})
	waitFor(t, tm, "4 Browse List")
	tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	waitFor(t, tm, "4 Browse ")
	quit(t, tm)
	fm := tm.FinalModel(t).(Model)
	if v := fm.View(); len(strings.Split(v, "\n")) != 24 {
		t.Errorf("after resizing to 80x24 the view has %d lines", len(strings.Split(v, "\n")))
	}
}

// TestFlowDetailsAndClock: Enter opens a row's detail (every field), f
// still jumps to the frames, t changes the clock of every screen.
func TestFlowDetailsAndClock(t *testing.T) {
	tm := startTUI(t, "storm.pcapng", 120, 40)
	waitFor(t, tm, "[1 Overview]", "last DELTA")
	press(tm, "enter")
	waitFor(t, tm, "none now; last known DELTA", "esc: back")
	press(tm, "esc", "7", "enter")
	waitFor(t, tm, "Diagnosis", "preferred_masters", "Fix", "Evidence")
	press(tm, "esc", "down", "enter") // the latest anomaly, below the diagnosis
	waitFor(t, tm, "Explanation", "Evidence")
	press(tm, "f")
	waitFor(t, tm, "[6 Frames]", "marked:")
	// t: u -> ud: the date appears in the frame list and the status bar.
	press(tm, "esc", "t")
	waitFor(t, tm, "2026-11-22 00:59:32.116017", "-t ud")
	press(tm, "3")
	waitFor(t, tm, "[3 Elections]", "2026-11-22 00:5")
	quit(t, tm)
}

// TestFlowTimelineMarks: in the storm at the default zoom, elections and
// anomalies both show (each its row, counted when several share a column).
func TestFlowTimelineMarks(t *testing.T) {
	tm := startTUI(t, "storm.pcapng", 80, 24)
	press(tm, "2")
	waitFor(t, tm, "[2 Timeline]", "◆", "anomalies", "hosts +/-", "┤", "(2-9: count)")
	quit(t, tm)
}
