package main

import (
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// _ws.malformed and _ws.short are fields like tshark's: display filters
// find the frames, -e prints them. In udp-edges.pcap (built to the spec)
// tshark marks frames 2 (a UDP length of 0) and 6 (a question count that
// lies) malformed, and frame 5 cut by the snap length. In ossfuzz-54883
// (zeek, corpus) it marks frame 6 malformed (and 8, which nbtsniff frames
// differently after the first malformed SMB message: see exclusions in
// tshark_diff_test.go), and none cut.
func TestWiresharkMarkFields(t *testing.T) {
	for _, c := range []struct {
		name  string
		path  func(t *testing.T) string
		first string // the first line of -Y _ws.malformed
		short int    // frames -Y _ws.short matches
		clean string // a protocol of frames not malformed
	}{
		{"spec", func(*testing.T) string { return "../../testdata/specframes/udp-edges.pcap" }, "2\t_ws.malformed", 1, "nbns"},
		{"corpus", func(t *testing.T) string {
			return corpus.Path(t, "synthetic/malformed-nbss139-smb1-ossfuzz-54883_zeek.pcap")
		}, "6\t_ws.malformed", 0, "smb"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := c.path(t)
			out := string(runNbtsniff(t, "-r", p, "-Y", "_ws.malformed", "-T", "fields", "-e", "frame.number", "-e", "_ws.malformed"))
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if lines[0] != c.first {
				t.Errorf("-Y _ws.malformed: first line %q, want %q", lines[0], c.first)
			}
			for _, l := range lines {
				if !strings.HasSuffix(l, "\t_ws.malformed") {
					t.Errorf("-e _ws.malformed: line %q", l)
				}
			}
			if n := strings.Count(string(runNbtsniff(t, "-r", p, "-Y", "_ws.short")), "\n"); n != c.short {
				t.Errorf("-Y _ws.short matched %d frames, want %d", n, c.short)
			}
			if n := strings.Count(string(runNbtsniff(t, "-r", p, "-Y", "!_ws.malformed && "+c.clean)), "\n"); n == 0 {
				t.Errorf("-Y '!_ws.malformed && %s' matched nothing", c.clean)
			}
		})
	}
}
