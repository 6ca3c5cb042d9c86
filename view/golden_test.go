package view

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Golden files of every screen's View() at fixed sizes, built from the
// timelines of the Samba lab captures (testdata/pcaps, see its README for
// what happens in each). Regenerate with go test ./view -update and review
// the diff like code. The clock is fixed and the styles have no colour, so
// the files are plain text.

var sizes = [][2]int{{80, 24}, {120, 40}, {160, 48}}

// TestGoldenScreens renders each screen of each lab capture at the end
// of the capture (follow mode), at every size.
func TestGoldenScreens(t *testing.T) {
	for _, capName := range []string{"storm", "election"} {
		l := loadAll(t, labPcap(t, capName+".pcapng"))
		for _, sz := range sizes {
			m := newModel(t, l, sz[0], sz[1])
			for i, title := range screenTitles {
				if title == "Frames" && sz[0] == 120 {
					continue // the list is the same as at 160 less the Info column
				}
				m = apply(m, keys(fmt.Sprint(i+1))...)
				v := m.View()
				checkFrame(t, v, sz[0], sz[1])
				name := fmt.Sprintf("%s.%d-%s.%dx%d.golden", capName, i+1, strings.ReplaceAll(strings.ToLower(title), " ", "-"), sz[0], sz[1])
				golden(t, name, v)
			}
		}
	}
}

// TestGoldenCursor renders the state screens with the time cursor pinned
// in the middle of a capture: the Browse List as it was then.
func TestGoldenCursor(t *testing.T) {
	cases := []struct {
		capName string
		at      time.Duration // after the first frame
		screens []int
	}{
		// election: DELTA is local master from t=117.043 (README).
		{"election", 120 * time.Second, []int{screenOverview, screenTimeline, screenBrowse, screenNames}},
		// dmb: two subnets merged, a DMB on A, a local master on B.
		{"dmb", 200 * time.Second, []int{screenOverview, screenBrowse, screenTimeline}},
		// two-workgroups: two workgroups on one segment.
		{"two-workgroups", 150 * time.Second, []int{screenOverview, screenTimeline}},
		// enum: NetServerEnum2 lists.
		{"enum", 40 * time.Second, []int{screenBrowse}},
	}
	for _, c := range cases {
		t.Run(c.capName, func(t *testing.T) {
			l := loadAll(t, labPcap(t, c.capName+".pcapng"))
			first := l.Sample().First
			for _, sz := range [][2]int{{80, 24}, {160, 48}} {
				m := newModel(t, l, sz[0], sz[1])
				m = apply(m, cursorMsg{t: first.Add(c.at)})
				for _, s := range c.screens {
					m = apply(m, keys(fmt.Sprint(s+1))...)
					v := m.View()
					checkFrame(t, v, sz[0], sz[1])
					name := fmt.Sprintf("%s.at%ds.%d-%s.%dx%d.golden", c.capName, int(c.at.Seconds()), s+1,
						strings.ReplaceAll(strings.ToLower(screenTitles[s]), " ", "-"), sz[0], sz[1])
					golden(t, name, v)
				}
			}
		})
	}
}

// TestGoldenDetails renders an election opened, a frame opened (tree and
// hex side by side when wide, stacked when narrow) and the help.
func TestGoldenDetails(t *testing.T) {
	l := loadAll(t, labPcap(t, "storm.pcapng"))
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		m := newModel(t, l, sz[0], sz[1])
		// Election #2 of the storm: forced by CLIENT, aborted.
		e := apply(m, keys("3", "down", "enter")...)
		checkFrame(t, e.View(), sz[0], sz[1])
		golden(t, fmt.Sprintf("storm.election2.%dx%d.golden", sz[0], sz[1]), e.View())
		// Its first round's frame (124), opened from the rounds table.
		f := apply(e, keys("f")...)
		checkFrame(t, f.View(), sz[0], sz[1])
		golden(t, fmt.Sprintf("storm.frame124.%dx%d.golden", sz[0], sz[1]), f.View())
		h := apply(m, keys("?")...)
		checkFrame(t, h.View(), sz[0], sz[1])
		golden(t, fmt.Sprintf("help.%dx%d.golden", sz[0], sz[1]), h.View())
	}
}
