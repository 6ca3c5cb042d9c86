package timeline

import (
	"slices"
	"testing"
	"time"
)

// Windows re-sends its RequestElection about once a second, with the same
// ballot ([MS-BRWS] §3.3.5.8; the Leach/Naik browser draft). Those are
// rounds, not Samba's per-interface copies (which come within 1.5 ms in
// the lab captures): the duplicate filter must let them through.
//
// Honeynet suspicious-time capture (/work/extpcaps, see SOURCES.md),
// 8FD12EDD2DC1462 (XP, criteria 0x10010f20, uptime 201364 ms in all four):
//
//	22  15.073992  10.0.2.15 → 10.0.2.255  BROWSER 240 Browser Election Request
//	23  16.077494  10.0.2.15 → 10.0.2.255  BROWSER 240 Browser Election Request
//	24  17.077158  10.0.2.15 → 10.0.2.255  BROWSER 240 Browser Election Request  (0.999664 s after 23)
//	25  18.078743  10.0.2.15 → 10.0.2.255  BROWSER 240 Browser Election Request
//
// With a 1 s window frame 24 was taken for a copy of 23: "(3 ballots)".
func TestWindowsBallotResendsAreRounds(t *testing.T) {
	const name, wg = "8FD12EDD2DC1462", "WORKGROUP"
	evs, snap := run(DefaultConfig(), 0,
		elect(22, 15.073992, "15", name, wg, 1, 0x10010f20, 201364),
		elect(23, 16.077494, "15", name, wg, 1, 0x10010f20, 201364),
		elect(24, 17.077158, "15", name, wg, 1, 0x10010f20, 201364),
		elect(25, 18.078743, "15", name, wg, 1, 0x10010f20, 201364),
		// A Samba-style copy of frame 25 (0.2 ms later) is still a copy.
		elect(26, 18.078943, "15", name, wg, 1, 0x10010f20, 201364),
	)
	b := kinds(evs, KindElectionBallot)
	if len(b) != 4 {
		t.Fatalf("%d election.ballot events, want 4 (frames 22-25): %+v", len(b), b)
	}
	for i, want := range []int{22, 23, 24, 25} {
		if r := data[*ElectionBallot](b[i]).Round; b[i].Frame != want || r != i+1 {
			t.Errorf("ballot %d: frame %d round %d, want frame %d round %d", i, b[i].Frame, r, want, i+1)
		}
	}
	g := snap.Group("lan/10.0.0.255", wg)
	if g == nil || len(g.Elections) != 1 {
		t.Fatalf("group %+v", g)
	}
	if e := g.Elections[0]; len(e.Rounds) != 4 || len(e.Candidates) != 1 || e.Candidates[0].Ballots != 4 {
		t.Errorf("election %+v", e)
	}
}

// The default window keeps the lab's Samba copies out and Windows' resends
// in (see Config.DupWindow for the measurements).
func TestDupWindowBetweenSambaAndWindows(t *testing.T) {
	d := DefaultConfig().DupWindow
	if sambaCopy := 1487 * time.Microsecond; d <= sambaCopy {
		t.Errorf("DupWindow %v lets Samba's copies through (up to %v apart)", d, sambaCopy)
	}
	if windowsResend := 906 * time.Millisecond; d >= windowsResend {
		t.Errorf("DupWindow %v swallows Windows' resends (from %v apart)", d, windowsResend)
	}
}

// A candidate that dropped out and keeps re-sending the ballot it started
// with is still in the same election. Wireshark wiki smb-browser-elections
// capture (/work/extpcaps, see SOURCES.md), tshark -Y browser:
//
//	 5  235.725952  192.168.123.2 → .255  Local Master Announcement TUMBLEWEED
//	13  241.738484  192.168.123.1 → .255  Request Election OBSIDIAN    0x10010f20 up 7467421
//	14  241.848104  192.168.123.2 → .255  Request Election TUMBLEWEED  0x10010f24 up 7473625
//	15  242.738524  OBSIDIAN (same ballot)    16  242.754362  TUMBLEWEED (same ballot, 0.906 s after 14)
//	17  243.738568  OBSIDIAN (same ballot)    18  243.832540  TUMBLEWEED
//	19  244.738618  OBSIDIAN (same ballot)    20  244.770010  TUMBLEWEED (0.937 s after 18)
//	29  245.770036  30  246.770058  31  247.770084  TUMBLEWEED
//	32  248.770152  Local Master Announcement TUMBLEWEED
//
// OBSIDIAN drops out at frame 14; its frame 17 comes 1.89 s later with the
// same ballot, uptime unchanged: a resend, not a new election (the report
// used to show election #1 "superseded" at frame 17 and #2 from 17 on).
func TestResentBallotAfterDropoutIsSameElection(t *testing.T) {
	const wg = "SYNERITY"
	const obs, tw = "OBSIDIAN", "TUMBLEWEED"
	const oc, tc, ou, tu = 0x10010f20, 0x10010f24, 7467421, 7473625
	evs, snap := run(DefaultConfig(), 270,
		lma(5, 235.725952, "2", tw, wg),
		elect(13, 241.738484, "1", obs, wg, 1, oc, ou),
		elect(14, 241.848104, "2", tw, wg, 1, tc, tu),
		elect(15, 242.738524, "1", obs, wg, 1, oc, ou),
		elect(16, 242.754362, "2", tw, wg, 1, tc, tu),
		elect(17, 243.738568, "1", obs, wg, 1, oc, ou),
		elect(18, 243.832540, "2", tw, wg, 1, tc, tu),
		elect(19, 244.738618, "1", obs, wg, 1, oc, ou),
		elect(20, 244.770010, "2", tw, wg, 1, tc, tu),
		elect(29, 245.770036, "2", tw, wg, 1, tc, tu),
		elect(30, 246.770058, "2", tw, wg, 1, tc, tu),
		elect(31, 247.770084, "2", tw, wg, 1, tc, tu),
		lma(32, 248.770152, "2", tw, wg),
	)
	if s := kinds(evs, KindElectionStart); len(s) != 1 || s[0].Frame != 13 {
		t.Fatalf("election.start = %+v, want one, at frame 13", s)
	}
	end := kinds(evs, KindElectionEnd)
	if len(end) != 1 || data[*ElectionEnd](end[0]).Outcome != OutcomeKept || data[*ElectionEnd](end[0]).Winner != tw {
		t.Fatalf("election.end = %+v, want one, kept by %s", end, tw)
	}
	if d := kinds(evs, KindElectionDropout); len(d) != 1 || d[0].Host != obs || d[0].Frame != 14 {
		t.Errorf("dropouts = %+v", d)
	}
	e := snap.Group("lan/10.0.0.255", wg).Elections[0]
	var got []int
	for _, r := range e.Rounds {
		got = append(got, r.Frame)
	}
	want := []int{13, 14, 15, 16, 17, 18, 19, 20, 29, 30, 31}
	if !slices.Equal(got, want) {
		t.Errorf("rounds %v, want %v", got, want)
	}
	if len(e.Candidates) != 2 || e.Candidates[0].Ballots != 4 || e.Candidates[1].Ballots != 7 {
		t.Errorf("candidates %+v", e.Candidates)
	}
}

// The browser that forces an election takes part in it with its real
// ballot. Wireshark wiki capture, frames 102-118:
//
//	102  933.363044  192.168.123.1  Request Election, version 0, criteria 0 (forced)
//	103  933.466886  TUMBLEWEED 0x10010f24 up 8165234 (and 104, 105 at 1 s intervals)
//	106  935.872378  OBSIDIAN   0x10010f20 up 8159015 (and 108, 110, 112 at 1 s intervals)
//	107 ... 118      TUMBLEWEED, same ballot
//
// OBSIDIAN's forced ballot "dropped out" at 103; its own ballot 2.5 s later
// used to end the forced election as superseded and open another.
func TestForcerJoinsItsElection(t *testing.T) {
	const wg = "SYNERITY"
	const obs, tw = "OBSIDIAN", "TUMBLEWEED"
	const oc, tc, ou, tu = 0x10010f20, 0x10010f24, 8159015, 8165234
	forced := elect(102, 933.363044, "1", "", wg, 0, 0, 0)
	forced.Meta.SrcName = obs
	evs, snap := run(DefaultConfig(), 960,
		lma(58, 855.784592, "2", tw, wg),
		forced,
		elect(103, 933.466886, "2", tw, wg, 1, tc, tu),
		elect(104, 934.466910, "2", tw, wg, 1, tc, tu),
		elect(105, 935.466932, "2", tw, wg, 1, tc, tu),
		elect(106, 935.872378, "1", obs, wg, 1, oc, ou),
		elect(107, 935.966900, "2", tw, wg, 1, tc, tu),
		elect(108, 936.863194, "1", obs, wg, 1, oc, ou),
		elect(109, 936.920040, "2", tw, wg, 1, tc, tu),
		elect(110, 937.863256, "1", obs, wg, 1, oc, ou),
		elect(111, 937.920054, "2", tw, wg, 1, tc, tu),
		elect(112, 938.863288, "1", obs, wg, 1, oc, ou),
		elect(113, 938.951324, "2", tw, wg, 1, tc, tu),
		elect(116, 939.951342, "2", tw, wg, 1, tc, tu),
		elect(117, 940.951368, "2", tw, wg, 1, tc, tu),
		elect(118, 941.951380, "2", tw, wg, 1, tc, tu),
	)
	if s := kinds(evs, KindElectionStart); len(s) != 1 || s[0].Frame != 102 || !data[*ElectionStart](s[0]).Forced {
		t.Fatalf("election.start = %+v, want one, forced, at frame 102", s)
	}
	if end := kinds(evs, KindElectionEnd); len(end) != 1 || data[*ElectionEnd](end[0]).Outcome != OutcomeKept || data[*ElectionEnd](end[0]).Winner != tw {
		t.Fatalf("election.end = %+v", end)
	}
	// The real ballot is judged on its own: beaten on the role bits at 106.
	d := kinds(evs, KindElectionDropout)
	if len(d) != 2 || d[1].Host != obs || d[1].Frame != 106 || data[*ElectionDropout](d[1]).By != tw ||
		d[1].Detail != "TUMBLEWEED's ballot beat it on criteria: role bits 0x24 (running master browser, WINS client) > 0x20 (WINS client)" {
		t.Errorf("dropouts = %+v", d)
	}
	e := snap.Group("lan/10.0.0.255", wg).Elections[0]
	if len(e.Rounds) != 15 {
		t.Errorf("%d rounds, want 15", len(e.Rounds))
	}
}

// What is not a resend still starts a new election after a dropout: the
// same ballot long after the previous one, a ballot whose uptime jumped
// ahead of the time elapsed, or a different ballot.
func TestNotAResendStartsNewElection(t *testing.T) {
	tests := []struct {
		name     string
		next     *Election
		newElect bool
	}{
		{"resend, uptime unchanged", elect(4, 11, "1", "FS2", "CORP", 1, 0x14010f02, 10000), false},
		{"resend, uptime advanced by the time elapsed (Samba)", elect(4, 12, "1", "FS2", "CORP", 1, 0x14010f02, 12000), false},
		{"same ballot after the resend gap", elect(4, 15, "1", "FS2", "CORP", 1, 0x14010f02, 10000), true},
		{"uptime ahead of the time elapsed", elect(4, 12, "1", "FS2", "CORP", 1, 0x14010f02, 40000), true},
		{"other criteria", elect(4, 12, "1", "FS2", "CORP", 1, 0x14010f06, 12000), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, _ := run(DefaultConfig(), 0,
				elect(2, 10, "1", "FS2", "CORP", 1, 0x14010f02, 10000),
				elect(3, 10.2, "2", "DC1", "CORP", 1, 0x20010f02, 50000),
				tt.next,
			)
			want := 1
			if tt.newElect {
				want = 2
			}
			if s := kinds(evs, KindElectionStart); len(s) != want {
				t.Errorf("%d elections, want %d", len(s), want)
			}
		})
	}
}

// Windows' master in office that leads an election announces itself again
// a second after its last ballot (TUMBLEWEED in the Wireshark wiki's
// smb-browser-elections capture: ballots to frame 31, LocalMasterAnnouncement
// in 32): the election ends there, kept, not 15 s later by the timer.
func TestIncumbentAnnouncementEndsElection(t *testing.T) {
	evs, snap := run(DefaultConfig(), 60,
		lma(1, 0, "12", "TUMBLEWEED", "WG"),
		elect(2, 10, "11", "OBSIDIAN", "WG", 1, 0x10010f20, 7467),
		elect(3, 10.5, "12", "TUMBLEWEED", "WG", 1, 0x10010f24, 7473),
		elect(4, 11, "11", "OBSIDIAN", "WG", 1, 0x10010f20, 7467),
		elect(5, 11.5, "12", "TUMBLEWEED", "WG", 1, 0x10010f24, 7473),
		lma(6, 12.5, "12", "TUMBLEWEED", "WG"),
	)
	g := snap.Group("lan/10.0.0.255", "WG")
	if len(g.Elections) != 1 {
		t.Fatalf("%d elections", len(g.Elections))
	}
	e := g.Elections[0]
	if e.Outcome != OutcomeKept || e.Winner != "TUMBLEWEED" || e.EndFrame != 6 {
		t.Errorf("election = outcome %s, winner %s, end frame %d; want kept by TUMBLEWEED at frame 6", e.Outcome, e.Winner, e.EndFrame)
	}
	if a := anomalies(evs, AnomalyElectionTimeout); len(a) != 0 {
		t.Errorf("timeout anomaly: %+v", a)
	}
}
