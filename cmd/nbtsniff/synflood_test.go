package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/output"
)

// 5,000 bare SYNs to TCP 139 from spoofed addresses fill the connection
// table of every shard; an ordinary NetServerEnum2 session a minute
// later (testdata/crafted/synflood-then-enum.pcap, built by
// internal/crafted from enum.pcapng's session) must still be decoded as
// tshark decodes it, with and without --tcp-give-up-holes: the SYNs,
// which never carried payload, are evicted for it. Hitting the bound is
// a limit anomaly of the timeline, counted in the report.
func TestSynFloodDoesNotBlindSessions(t *testing.T) {
	tshark := needTshark(t)
	const file = "../../testdata/crafted/synflood-then-enum.pcap"
	fields := []string{"frame.number"}
	for _, p := range []string{"nbss", "smb", "lanman"} {
		fields = append(fields, dissect.WiresharkAbbrevs(p)...)
	}
	args := []string{"-r", file, "-Y", "frame.number > 5000", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	want := runTshark(t, tshark, append([]string{"-n", "-o", "smb.trans_reassembly:TRUE"}, args...)...)
	fc := -1
	for i, f := range fields {
		if f == "lanman.function_code" {
			fc = i
		}
	}
	n := 0
	for _, l := range strings.Split(string(want), "\n") {
		if c := strings.Split(l, "\t"); fc >= 0 && fc < len(c) && c[fc] == "104" {
			n++
		}
	}
	if n != 4 {
		t.Fatalf("tshark sees %d NetServerEnum2 messages (function 104) in the session, want 4: the capture does not test what it should", n)
	}
	for _, extra := range [][]string{nil, {"--tcp-give-up-holes"}} {
		got := runNbtsniff(t, append(args, extra...)...)
		diffs, total := fieldDiffs(fields, want, got, diffMax)
		if total > 0 {
			t.Errorf("%v: %d field values differ from tshark:\n  %s", extra, total, strings.Join(diffs, "\n  "))
		}
		lanman := string(runNbtsniff(t, append([]string{"-r", file, "-Y", "lanman"}, extra...)...))
		if n := strings.Count(lanman, "NetServerEnum2"); n != 4 {
			t.Errorf("%v: %d NetServerEnum2 frames, want the session's 4:\n%s", extra, n, lanman)
		}
	}
	report := string(runNbtsniff(t, "-r", file, "--report"))
	if !strings.Contains(report, "bounds hit (older state was evicted): MaxStreams ×905, MaxConns ×905") {
		t.Errorf("--report does not count the connections evicted, nor the conversations tcp.stream forgot (904 SYNs over the 8 × 512 slots, then the session's):\n%s", report)
	}
	events := string(runNbtsniff(t, "-r", file, "-T", "events"))
	if !strings.Contains(events, `"kind":"anomaly"`) || !strings.Contains(events, `"anomaly":"limit"`) || !strings.Contains(events, "MaxConns reached") {
		t.Errorf("-T events has no limit anomaly for the connection table")
	}
	if !strings.Contains(events, `"kind":"browse.list"`) {
		t.Errorf("-T events has no browse.list: the timeline did not see the session's NetServerEnum2 response")
	}
}

// fieldDiffs compares two -T fields outputs column by column and returns
// one line per differing (frame, field), at most max of them.
func fieldDiffs(fields []string, want, got []byte, max int) (diffs []string, total int) {
	wl := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	gl := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	if len(wl) != len(gl) {
		return []string{fmt.Sprintf("tshark printed %d lines, nbtsniff %d", len(wl), len(gl))}, 1
	}
	for i := range wl {
		wc := strings.Split(wl[i], "\t")
		gc := strings.Split(gl[i], "\t")
		for j, f := range fields {
			var w, g string
			if j < len(wc) {
				w = wc[j]
			}
			if j < len(gc) {
				g = gc[j]
			}
			if w != g && string(output.AppendEscaped(nil, []byte(w))) != g {
				total++
				if len(diffs) < max {
					diffs = append(diffs, fmt.Sprintf("frame %s %s: tshark %q, nbtsniff %q", wc[0], f, w, g))
				}
			}
		}
	}
	return diffs, total
}
