package output_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// The predictions section written ahead on a goroutine of its own (big
// snapshots) is byte for byte the section written in line, at its place:
// on every lab capture, on a hostile state and on a state of 3,000 hosts
// and Browse List entries (where the report writes it ahead by itself).
func TestReportPredictionsAheadSame(t *testing.T) {
	snaps := map[string]*timeline.Snapshot{"hostile": hostileSnapshot(), "flood": floodSnapshot(3000)}
	for _, scen := range []string{"deadwins", "dmb", "election", "enum", "multihomed", "relay", "storm", "two-workgroups"} {
		_, snaps[scen] = labTimeline(t, scen)
	}
	defer output.SetPredictAheadRowsForTest(output.SetPredictAheadRowsForTest(0))
	for name, snap := range snaps {
		output.SetPredictAheadRowsForTest(0)
		var ahead, inline bytes.Buffer
		if err := output.WriteReportWith(&ahead, snap, output.ReportOptions{Predict: true}); err != nil {
			t.Fatal(err)
		}
		output.SetPredictAheadRowsForTest(1 << 30)
		if err := output.WriteReportWith(&inline, snap, output.ReportOptions{Predict: true}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ahead.Bytes(), inline.Bytes()) {
			t.Errorf("%s: the report with its predictions written ahead differs:\n%s\nwant\n%s", name, ahead.Bytes(), inline.Bytes())
		}
		if !bytes.Contains(inline.Bytes(), []byte("\n== next: ")) {
			t.Errorf("%s: no predictions section in\n%s", name, inline.Bytes())
		}
	}
	// The flood's report is big enough to be written ahead by default.
	output.SetPredictAheadRowsForTest(2048)
	var def bytes.Buffer
	if err := output.WriteReportWith(&def, snaps["flood"], output.ReportOptions{Predict: true}); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(def.Bytes(), []byte(" no ballot heard (")); n != 3000 {
		t.Errorf("flood: %d contenders listed, want 3000", n)
	}
}

// floodSnapshot is a segment of n hosts, each announcing itself once.
func floodSnapshot(n int) *timeline.Snapshot {
	at := time.Date(2026, 11, 22, 0, 57, 43, 0, time.UTC)
	seg := "flood/198.18.1.255"
	s := &timeline.Snapshot{Time: at.Add(time.Duration(n) * 10 * time.Millisecond), First: at, Observations: n}
	g := &timeline.Group{Segment: seg, Workgroup: "LABWG"}
	for i := range n {
		name := fmt.Sprintf("H%07d", i)
		addr := netip.AddrFrom4([4]byte{198, 18, byte(2 + i/250), byte(1 + i%250)})
		t := at.Add(time.Duration(i) * 10 * time.Millisecond)
		g.Servers = append(g.Servers, &timeline.Server{Name: name, Type: 0x00019a03, OSMajor: 6, OSMinor: 1,
			Comment: "host " + name, Source: timeline.SourceAnnouncement, Addr: addr, Kind: "HostAnnouncement",
			FirstSeen: t, LastSeen: t, Expires: t.Add(12 * time.Minute), FirstFrame: i + 1, LastFrame: i + 1,
			Periodicity: 4 * time.Minute})
		s.Hosts = append(s.Hosts, &timeline.Host{Segment: seg, Name: name, Addr: addr, Workgroup: "LABWG",
			FirstSeen: t, LastSeen: t, Broadcast: netip.MustParseAddr("198.18.1.255")})
	}
	s.Groups = []*timeline.Group{g}
	s.Last = s.Time
	return s
}
