package output_test

import (
	"bytes"
	"net/netip"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// The text report lays its tables out (master history, candidates,
// Browse Lists, workgroup lists, names) byte for byte as text/tabwriter
// did: on every lab capture, with and without what happens next, and on
// a state whose wire strings are hostile (controls, bidi overrides,
// bytes that are not UTF-8, tabs) or not ASCII.
func TestReportTablesAsTabwriter(t *testing.T) {
	snaps := map[string]*timeline.Snapshot{"hostile": hostileSnapshot()}
	for _, scen := range []string{"deadwins", "dmb", "election", "enum", "mask25", "multihomed", "nofw138", "os255",
		"relay", "spoof", "storm", "two-workgroups", "twopreferred", "typo"} {
		_, snaps[scen] = labTimeline(t, scen)
	}
	for name, snap := range snaps {
		for _, predict := range []bool{false, true} {
			opt := output.ReportOptions{Predict: predict}
			var got, want bytes.Buffer
			if err := output.WriteReportWith(&got, snap, opt); err != nil {
				t.Fatal(err)
			}
			output.SetAlignByTabwriterForTest(true)
			err := output.WriteReportWith(&want, snap, opt)
			output.SetAlignByTabwriterForTest(false)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("%s (predict %v): the report differs from text/tabwriter's layout:\n%s\nwant\n%s", name, predict, got.Bytes(), want.Bytes())
			}
			if bytes.Count(got.Bytes(), []byte("\n")) < 10 {
				t.Errorf("%s: a report of %d bytes", name, got.Len())
			}
		}
	}
}

// hostileSnapshot is a state with one of each table, its strings from a
// hostile or non-English wire.
func hostileSnapshot() *timeline.Snapshot {
	at := time.Date(2026, 11, 22, 0, 57, 43, 10_000_000, time.UTC)
	addr := netip.MustParseAddr("198.18.1.11")
	names := []string{"CHARLIE", "CAF\u00c9", "EVIL\x1b[31m\xff", "TAB\tNAME", "\u202eEXE.TXT", "\u65e5\u672c\u8a9e", ""}
	g := &timeline.Group{Segment: "lab/198.18.1.255", Workgroup: "LAB\u00c9WG\x07", LMB: []string{names[1]}}
	for i, n := range names {
		g.Servers = append(g.Servers, &timeline.Server{Name: n, Type: 0x00019a03, OSMajor: 6, OSMinor: 1,
			Comment: "comment \u00e9 \x85 " + n, Source: timeline.SourceAnnouncement, Addr: addr,
			FirstSeen: at, LastSeen: at.Add(time.Duration(i) * time.Second), Expires: at.Add(12 * time.Minute),
			FirstFrame: i + 1, LastFrame: 10*i + 1, Periodicity: 4 * time.Minute})
		g.Roles = append(g.Roles, &timeline.RoleInterval{Host: n, Addr: addr, Role: timeline.RoleLMB, Begin: at,
			BeginFrame: i + 1, BeginReason: "LocalMasterAnnouncement \u00e9\t" + n, End: at.Add(time.Minute), EndFrame: 99,
			EndReason: "heard \x1b[1m better ballot"})
	}
	g.Roles = append(g.Roles, &timeline.RoleInterval{Host: "OPEN\u00e9", Role: timeline.RoleDMB, Begin: at, BeginFrame: 3,
		BeginReason: "still"})
	e := &timeline.ElectionRecord{ID: 1, Segment: g.Segment, Workgroup: g.Workgroup, Start: at, StartFrame: 1,
		StartedBy: names[2], Winner: names[1], End: at.Add(time.Second), EndFrame: 9, Outcome: timeline.OutcomeWon}
	for i, n := range names {
		e.Candidates = append(e.Candidates, &timeline.Candidate{Host: n, Addr: addr, FirstFrame: i + 1, LastFrame: i + 5,
			Ballots: i, Dropped: i%2 == 1, DroppedFrame: i + 2, DroppedBy: names[(i+1)%len(names)], WentAway: i == 4})
	}
	g.Elections = []*timeline.ElectionRecord{e}
	sg := &timeline.SegmentState{Segment: "lab\x1b/198.18.1.255"}
	for i, n := range names {
		sg.Domains = append(sg.Domains, &timeline.Server{Name: "WG" + n, Comment: n, Source: timeline.SourceAnnouncement,
			LastSeen: at, LastFrame: i + 1, Expires: at.Add(45 * time.Minute)})
	}
	s := &timeline.Snapshot{Time: at.Add(time.Hour), First: at, Last: at.Add(time.Hour), Observations: 42,
		Groups: []*timeline.Group{g}, Segments: []*timeline.SegmentState{sg}}
	for i, n := range names {
		s.Names = append(s.Names, &timeline.NameState{Segment: g.Segment, Name: n, Suffix: byte(0x1b + i), Group: i%2 == 0,
			Owners: []*timeline.Owner{{Host: n, Addr: addr, Active: i%3 == 0, RegFrame: i, NodeType: "B"}}})
	}
	return s
}
