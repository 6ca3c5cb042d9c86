package view

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// Messages the panes send the root model (as the result of a tea.Cmd).

// jumpMsg asks for the Frames screen with these frames marked as
// evidence, the cursor on the first.
type jumpMsg struct {
	frames []int
	at     time.Time // when frames is empty: the frame at this time
	why    string
}

// cursorMsg moves the shared time cursor; follow puts it back on "now".
type cursorMsg struct {
	t      time.Time
	follow bool
}

// groupMsg selects a workgroup and segment (and optionally a screen).
type groupMsg struct {
	key    groupKey
	screen int // -1: stay
}

func send(m tea.Msg) tea.Cmd { return func() tea.Msg { return m } }

// groupKey names a workgroup on a segment.
type groupKey struct{ seg, wg string }

func keyOf(g *timeline.Group) groupKey { return groupKey{g.Segment, g.Workgroup} }

// groupLabel is "LABWG on 198.18.1.255".
func groupLabel(sn segmentNamer, k groupKey) string {
	wg := esc(k.wg)
	if wg == "" {
		wg = "(no workgroup)"
	}
	return wg + " on " + sn.name(k.seg)
}

// stateInput is what the state screens render: the timeline's state at
// the time cursor and the time itself ("now" for durations such as
// "last seen 12s ago").
type stateInput struct {
	snap *timeline.Snapshot
	now  time.Time
	seg  segmentNamer
	clk  clock
}

// segmentDrop is the Drop of a segment column: never dropped when the
// state holds several segments (rows would look alike), else drop.
func segmentDrop(s *timeline.Snapshot, drop int) int {
	if s == nil {
		return drop
	}
	seen := map[string]bool{}
	for _, g := range s.Groups {
		seen[g.Segment] = true
	}
	for _, n := range s.Names {
		seen[n.Segment] = true
	}
	if len(seen) > 1 {
		return 0
	}
	return drop
}

// segmentWidth is the width of a segment column: the longest segment name
// of the state (at least 12, at most 20).
func segmentWidth(in stateInput) int {
	w := 12
	if in.snap == nil {
		return w
	}
	for _, g := range in.snap.Groups {
		w = max(w, width(in.seg.name(g.Segment)))
	}
	return min(w, 20)
}

// groupsOf lists the groups of a snapshot (sorted by the timeline).
func groupsOf(s *timeline.Snapshot) []groupKey {
	if s == nil {
		return nil
	}
	out := make([]groupKey, 0, len(s.Groups))
	for _, g := range s.Groups {
		out = append(out, keyOf(g))
	}
	return out
}

// uniqInts sorts and de-duplicates frame numbers, dropping zeros.
func uniqInts(v []int) []int {
	out := make([]int, 0, len(v))
	seen := map[int]bool{}
	for _, n := range v {
		if n > 0 && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sortInts(out)
	return out
}

func sortInts(v []int) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j] < v[j-1]; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

// wrap cuts text into lines of at most w cells at spaces.
func wrap(s string, w int) []string {
	if w <= 4 {
		return []string{trunc(s, w)}
	}
	var out []string
	for width(s) > w {
		cut := -1
		n := 0
		for i, r := range s {
			if n >= w {
				break
			}
			if r == ' ' {
				cut = i
			}
			n++
		}
		if cut <= 0 {
			line := trunc(s, w)
			out = append(out, line)
			s = s[len(line)-len("…"):]
			if len(line) < len("…") {
				break
			}
			continue
		}
		out = append(out, s[:cut])
		s = s[cut+1:]
	}
	return append(out, s)
}
