package main

import (
	"strings"
	"testing"
)

// _ws.malformed and _ws.short are fields like tshark's: display filters
// find the frames, -e prints them. In ossfuzz-54883 (zeek) tshark marks
// frame 6 malformed (and 8, which nbtsniff frames differently after the
// first malformed SMB message: see exclusions in tshark_diff_test.go).
func TestWiresharkMarkFields(t *testing.T) {
	const fuzz = "../../../shared/pcaps/synthetic/malformed-nbss139-smb1-ossfuzz-54883_zeek.pcap"
	out := string(runNbtsniff(t, "-r", fuzz, "-Y", "_ws.malformed", "-T", "fields", "-e", "frame.number", "-e", "_ws.malformed"))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "6\t_ws.malformed" {
		t.Errorf("-Y _ws.malformed: first line %q, want frame 6", lines[0])
	}
	for _, l := range lines {
		if !strings.HasSuffix(l, "\t_ws.malformed") {
			t.Errorf("-e _ws.malformed: line %q", l)
		}
	}
	if n := strings.Count(string(runNbtsniff(t, "-r", fuzz, "-Y", "_ws.short")), "\n"); n != 0 {
		t.Errorf("-Y _ws.short matched %d frames of a capture that cut none", n)
	}
	if n := strings.Count(string(runNbtsniff(t, "-r", fuzz, "-Y", "!_ws.malformed && smb")), "\n"); n == 0 {
		t.Error("-Y '!_ws.malformed && smb' matched nothing")
	}
}
