package timeline

import (
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
		if b[i].Frame != want || b[i].Round != i+1 {
			t.Errorf("ballot %d: frame %d round %d, want frame %d round %d", i, b[i].Frame, b[i].Round, want, i+1)
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
