package view

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/feed"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// Issue 16's screens: details on demand, the end of a capture, segments,
// one clock, numbers that fit, filters that say so.

// TestGoldenRowDetails opens the detail (Enter) of a row of each table
// screen: every field, long texts wrapped, never cut.
func TestGoldenRowDetails(t *testing.T) {
	cases := []struct {
		capName, name string
		at            time.Duration // cursor after the first frame (0: the end)
		keys          []string
		want          []string // texts the detail must show whole
	}{
		// election.pcapng: DELTA is local master at the end (README);
		// its Browse List entry carries the role tags.
		{"election", "browse-detail", 120 * time.Second, []string{"4", "G", "enter"}, []string{"Name          DELTA", "Roles         LMB", "Server type   0x00049a03"}},
		// storm.pcapng: every daemon stopped; the Overview keeps the
		// last known master.
		{"storm", "overview-detail", 0, []string{"1", "enter"}, []string{"none now; last known DELTA"}},
		// storm.pcapng's split brain, its explanation whole.
		// (below the diagnosis of its two preferred masters, first)
		{"storm", "anomaly-detail", 0, []string{"7", "down", "down", "down", "enter"}, []string{"Explanation", "FOXTROT and DELTA both announce"}},
		// nofw138.pcapng: the Anomalies screen lists the diagnosis first,
		// its fix in the detail (testdata/lab/EXPECTED.md, "nofw138").
		{"nofw138", "diagnosis-detail", 0, []string{"7", "enter"}, []string{"Diagnosis", "udp138_blocked", "Fix", "allow inbound UDP 138 on FWHOST"}},
		// os255.pcapng mid-way (EXPECTED.md "os255": BIGOS at OS level
		// 255 over the DMB at 65): the Overview's detail says who would
		// win an election held now, the Browse List's why its host is or
		// is not the master and listed.
		{"os255", "prediction-detail", 100 * time.Second, []string{"1", "enter"}, []string{"Election now", "BIGOS"}},
		{"os255", "why-detail", 100 * time.Second, []string{"4", "enter"}, []string{"Why: on", "Master"}},
		{"election", "name-detail", 0, []string{"5", "enter"}, []string{"Owner 1"}},
		// dmb.pcapng: subnet B's local master syncs with the DMB on A.
		{"dmb", "overview-detail-b", 0, []string{"1", "down", "enter"}, []string{"its local master syncs with DMB on 198.18.1.255"}},
	}
	for _, c := range cases {
		l := loadAll(t, labPcap(t, c.capName+".pcapng"))
		for _, sz := range [][2]int{{80, 24}, {160, 48}} {
			m := newModel(t, l, sz[0], sz[1])
			if c.at > 0 {
				m = apply(m, cursorMsg{t: l.Sample().First.Add(c.at)})
			}
			m = apply(m, keys(c.keys...)...)
			v := m.View()
			checkFrame(t, v, sz[0], sz[1])
			for _, w := range c.want {
				if !strings.Contains(v, w) {
					t.Errorf("%s %s %dx%d: no %q in\n%s", c.capName, c.name, sz[0], sz[1], w, v)
				}
			}
			golden(t, fmt.Sprintf("%s.%s.%dx%d.golden", c.capName, c.name, sz[0], sz[1]), v)
			// Esc goes back to the table.
			if b := apply(m, keys("esc")...).View(); strings.Contains(b, "esc: back") {
				t.Errorf("%s %s: esc did not close the detail", c.capName, c.name)
			}
		}
	}
}

// TestRoleTags checks the short tags against the SV_TYPE bits ([MS-BRWS]
// §2.2.1.1): PDC only from SV_TYPE_DOMAIN_CTRL.
func TestRoleTags(t *testing.T) {
	for _, c := range []struct {
		typ  uint32
		want string
	}{
		{0x00051003, "LMB POT"},             // a Samba master: workstation, server, NT, potential, master
		{0x000a1003, "BKP DMB"},             // backup and domain master
		{0x00001003, ""},                    // no browser bit
		{0x00000008, "PDC"},                 // SV_TYPE_DOMAIN_CTRL alone
		{0x000f000b, "LMB BKP POT DMB PDC"}, // all of them, in the fixed order
	} {
		if got := roleTags(c.typ); got != c.want {
			t.Errorf("roleTags(%#08x) = %q, want %q", c.typ, got, c.want)
		}
	}
	if got := typeCell(0x00051003); !strings.HasPrefix(got, "LMB POT · Workstation") {
		t.Errorf("typeCell: %q", got)
	}
}

// TestGoldenClock cycles the time format (t) and checks that every screen
// writes times in it: r writes seconds since the first frame.
func TestGoldenClock(t *testing.T) {
	l := loadAll(t, labPcap(t, "storm.pcapng"))
	m := newModel(t, l, 120, 40)
	m = apply(m, keys("t", "t")...) // u -> ud -> r
	if m.clk.f.String() != "r" {
		t.Fatalf("after t t the format is %s", m.clk.f)
	}
	for _, s := range []int{screenTimeline, screenElections, screenFrames, screenAnomalies} {
		v := apply(m, keys(fmt.Sprint(s+1))...).View()
		checkFrame(t, v, 120, 40)
		if strings.Contains(v, "00:5") {
			t.Errorf("screen %s still shows a time of day under -t r:\n%s", screenTitles[s], v)
		}
		golden(t, fmt.Sprintf("storm.clock-r.%d-%s.120x40.golden", s+1, strings.ReplaceAll(strings.ToLower(screenTitles[s]), " ", "-")), v)
	}
	// ud: the date on the Elections screen and in Frames.
	ud := apply(newModel(t, l, 120, 40), keys("t", "3")...)
	if v := ud.View(); !strings.Contains(v, "2026-11-22 00:5") {
		t.Errorf("-t ud: no date on the Elections screen:\n%s", v)
	}
}

// TestGoldenElectionsFollowCursor: with the cursor pinned in the storm,
// the Elections screen says how many it hides and how to show them.
func TestGoldenElectionsFollowCursor(t *testing.T) {
	l := loadAll(t, labPcap(t, "storm.pcapng"))
	first := l.Sample().First
	m := newModel(t, l, 120, 40)
	m = apply(m, cursorMsg{t: first.Add(42 * time.Second)})
	v := apply(m, keys("3")...).View()
	checkFrame(t, v, 120, 40)
	if !strings.Contains(v, "4 of 10 elections shown (following the cursor at 00:58:25.836; press F to show all)") {
		t.Errorf("no note of the hidden elections:\n%s", v)
	}
	golden(t, "storm.at42s.3-elections.120x40.golden", v)
	if v := apply(m, keys("3", "F")...).View(); strings.Contains(v, "elections shown") {
		t.Errorf("F (follow) did not show every election:\n%s", v)
	}
}

// bigSource is a data source of many frames from two inputs, for the
// widths of numbers and the segment column.
type bigSource struct{ s *feed.Sample }

func (b bigSource) Sample() *feed.Sample               { return b.s }
func (b bigSource) SetDisplayFilter(string) error      { return nil }
func (b bigSource) DetailProgress() (int, int)         { return 0, 0 }
func (b bigSource) Detail(int) (*dissect.Frame, error) { return nil, errors.New("no detail") }

// TestGoldenBigFrameNumbers: frame numbers of a million and more are never
// cut, and a merge of two inputs shows each frame's segment.
func TestGoldenBigFrameNumbers(t *testing.T) {
	const n = 1_000_012
	s := &feed.Sample{Labels: []string{"/caps/subnetA.pcapng", "/caps/subnetB.pcapng"}, Done: true, Replayable: true}
	t0 := time.Date(2026, 11, 22, 0, 50, 0, 0, time.UTC)
	row := feed.Row{Src: []byte("198.18.1.12"), Dst: []byte("198.18.1.255"), Proto: []byte("BROWSER"), Info: []byte("Host Announcement ALPHA")}
	for i := 1; i <= n; i++ {
		row.Number, row.Time, row.Length, row.Source = i, t0.Add(time.Duration(i)*time.Millisecond), 243, i%2
		s.Frames.Add(&row)
	}
	s.First, s.Last = t0.Add(time.Millisecond), t0.Add(n*time.Millisecond)
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		m := newModel(t, bigSource{s}, sz[0], sz[1])
		v := apply(m, keys("6", "G")...).View()
		checkFrame(t, v, sz[0], sz[1])
		for _, w := range []string{"1000012 ", "1000011 ", "subnetA", "subnetB", "Seg"} {
			if !strings.Contains(v, w) {
				t.Errorf("%dx%d: no %q in\n%s", sz[0], sz[1], w, v)
			}
		}
		golden(t, fmt.Sprintf("big.6-frames.%dx%d.golden", sz[0], sz[1]), v)
	}
}

// TestCriteriaSources: the role byte is named by tshark's fields and
// explained by every source; 0x80 is never made a PDC (os255.pcapng: a
// Samba standalone server with "domain master = yes" votes 0x41010f8a).
func TestCriteriaSources(t *testing.T) {
	if got := criteriaBits(0x41010f8a); got != "standby domain_master nt" {
		t.Errorf("criteriaBits(0x41010f8a) = %q", got)
	}
	if got := criteriaBits(0x41010f12); got != "standby 0x10" {
		t.Errorf("criteriaBits(0x41010f12) = %q (an undefined bit shows as itself)", got)
	}
	cs := strings.Join(criteriaSources([]uint32{0x41010f8a}), "\n")
	for _, w := range []string{`0x80 nt: tshark "Windows NT Advanced Server"`, "Browse Service chapter: primary domain controller",
		"Samba nmbd: domain master = yes, also on a standalone server", "decides no role"} {
		if !strings.Contains(cs, w) {
			t.Errorf("criteriaSources: no %q in\n%s", w, cs)
		}
	}
	if criteriaSources([]uint32{0x00000000}) != nil {
		t.Error("criteriaSources of a forced ballot (criteria 0) is not empty")
	}
}

// TestGoldenSegmentsNarrow: with two segments (dmb.pcapng, two subnets
// merged) the segment column stays at 80 columns on every table, so that
// the rows of the two segments can be told apart.
func TestGoldenSegmentsNarrow(t *testing.T) {
	l := loadAll(t, labPcap(t, "dmb.pcapng"))
	m := newModel(t, l, 80, 24)
	for _, s := range []int{screenElections, screenNames, screenAnomalies} {
		v := apply(m, keys(fmt.Sprint(s+1))...).View()
		checkFrame(t, v, 80, 24)
		if !strings.Contains(v, "198.18.2.2") || !strings.Contains(v, "Segment") {
			t.Errorf("%s at 80x24 has no segment column:\n%s", screenTitles[s], v)
		}
		golden(t, fmt.Sprintf("dmb.%d-%s.80x24.golden", s+1, strings.ReplaceAll(strings.ToLower(screenTitles[s]), " ", "-")), v)
	}
}

// TestFramesEmptyFilter: a display filter that nothing has passed yet
// draws the empty list (a regression: the number column's width read the
// last match of none).
func TestFramesEmptyFilter(t *testing.T) {
	s := &feed.Sample{Labels: []string{"x.pcapng"}, Done: true}
	row := feed.Row{Number: 1, Time: time.Unix(1, 0), Src: []byte("a"), Dst: []byte("b"), Proto: []byte("NBNS"), Info: []byte("i")}
	s.Frames.Add(&row)
	s.Matches = feed.Matches{Expr: "nbns", Available: true}
	v := apply(newModel(t, bigSource{s}, 80, 24), keys("6")...).View()
	checkFrame(t, v, 80, 24)
	if !strings.Contains(v, "no frame passes the filter") {
		t.Errorf("empty filter result:\n%s", v)
	}
}

// TestGoldenLayers: L on an open frame shows its stack as a picture, each
// layer's bytes and the spec defining it; a layer decoded from a
// reassembled transaction names the frames it came from (enum.pcapng
// frame 1002: the NetServerEnum2 reply, frames 968-1002 per the -V tree).
func TestGoldenLayers(t *testing.T) {
	cases := []struct {
		capName string
		frame   int
		want    []string
	}{
		// storm.pcapng frame 124: CLIENT's forced RequestElection.
		{"storm", 124, []string{"Ethernet > IPv4 > UDP > NBDGM > SMB > SMB_COM_TRANSACTION > mailslot > browser", "RFC 1002 §4.4.1", "[MS-BRWS] §2.2", "bytes 42-"}},
		{"enum", 1002, []string{"NBSS > SMB > SMB_COM_TRANSACTION > RAP", "reassembled from frames 968, 969", "[MS-RAP] §2.5"}},
	}
	for _, c := range cases {
		l := loadAll(t, labPcap(t, c.capName+".pcapng"))
		for _, sz := range [][2]int{{80, 24}, {160, 48}} {
			m := newModel(t, l, sz[0], sz[1])
			m = apply(m, jumpMsg{frames: []int{c.frame}, why: "test"})
			v := apply(m, keys("L")...).View()
			checkFrame(t, v, sz[0], sz[1])
			if sz[0] == 160 {
				for _, w := range c.want {
					if !strings.Contains(v, w) {
						t.Errorf("%s frame %d: no %q in\n%s", c.capName, c.frame, w, v)
					}
				}
			}
			golden(t, fmt.Sprintf("%s.frame%d.layers.%dx%d.golden", c.capName, c.frame, sz[0], sz[1]), v)
		}
	}
}

// TestFrameColumnsFit: the Frame columns of the tables are as wide as the
// largest frame number (a frame of a million and more is never cut).
func TestFrameColumnsFit(t *testing.T) {
	st := asciiStyles()
	k := DefaultKeyMap()
	now := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
	snap := &timeline.Snapshot{Time: now, Anomalies: []*timeline.Anomaly{
		{Time: now, Frame: 1793612, Kind: timeline.AnomalySplitBrain, Segment: "x/10.0.0.255", Workgroup: "WG", Detail: "two masters"},
	}}
	a := NewAnomalies(k.Table, &st)
	a.SetSize(120, 20)
	a.SetState(stateInput{snap: snap, now: now, seg: segmentNamer{labels: []string{"x"}}, clk: newClock("u")})
	if v := a.View(); !strings.Contains(v, " 1793612 split_brain") {
		t.Errorf("frame 1793612 cut:\n%s", v)
	}
}

// TestWhyFieldsShownSegmentFirst: the Browse List detail of a host listed
// on two segments (NBT and IPX, as in the wswiki VLAN capture) explains
// the segment of the Browse List shown first, then the other.
func TestWhyFieldsShownSegmentFirst(t *testing.T) {
	now := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
	nbt, ipx := "lan/10.0.0.255", "lan/IPX"
	snap := &timeline.Snapshot{Time: now}
	for _, seg := range []string{nbt, ipx} {
		snap.Groups = append(snap.Groups, &timeline.Group{Segment: seg, Workgroup: "WG"})
		snap.Hosts = append(snap.Hosts, &timeline.Host{Segment: seg, Name: "HOST", Workgroup: "WG", FirstSeen: now, LastSeen: now})
	}
	in := stateInput{snap: snap, now: now, seg: segmentNamer{labels: []string{"lan"}}, clk: newClock("u")}
	for _, c := range []struct{ shown, first, second string }{
		{nbt, "WG on 10.0.0.255", "WG on IPX"},
		{ipx, "WG on IPX", "WG on 10.0.0.255"},
	} {
		var ons []string
		for _, f := range whyFields(in, "HOST", c.shown)() {
			if f.Label == "Why: on" {
				ons = append(ons, f.Value)
			}
		}
		if len(ons) != 2 || ons[0] != c.first || ons[1] != c.second {
			t.Errorf("Browse List of %s: why parts %q, want %q then %q", c.shown, ons, c.first, c.second)
		}
	}
}
