package main

import (
	"strings"
	"testing"
)

// A pcap record whose original length is less than its captured length
// (testdata/crafted/caplen-over-len.pcap: every tenth of 50 NBNS queries)
// is read whole, as tshark reads it, and marked as tshark marks it: the
// expert note under frame.len, _ws.expert and _ws.malformed set, and
// frame.protocols left alone. -T fields of those fields, and -Y
// _ws.malformed, print what tshark prints, line for line.
func TestTsharkCaplenOverLen(t *testing.T) {
	tshark := needTshark(t)
	const file = "../../testdata/crafted/caplen-over-len.pcap"
	args := []string{"-r", file, "-T", "fields", "-E", "occurrence=a"}
	for _, f := range []string{"frame.number", "frame.len", "frame.cap_len", "frame.protocols", "frame.len_lt_caplen",
		"_ws.malformed", "_ws.expert", "_ws.expert.message", "_ws.expert.severity", "_ws.expert.group", "nbns.name"} {
		args = append(args, "-e", f)
	}
	want := string(runTshark(t, tshark, append([]string{"-n"}, args...)...))
	got := string(runNbtsniff(t, args...))
	if got != want {
		wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
		for i := 0; i < len(wl) && i < len(gl); i++ {
			if wl[i] != gl[i] {
				t.Fatalf("line %d:\n  tshark   %q\n  nbtsniff %q", i+1, wl[i], gl[i])
			}
		}
		t.Fatalf("tshark printed %d lines, nbtsniff %d", len(wl), len(gl))
	}
	if n := strings.Count(want, "Frame length is less than captured length"); n != 10 {
		t.Fatalf("tshark marks %d frames, want 10: the capture does not test what it should", n)
	}
	flt := []string{"-r", file, "-Y", "_ws.malformed", "-T", "fields", "-e", "frame.number"}
	if g, w := string(runNbtsniff(t, flt...)), string(runTshark(t, tshark, flt...)); g != w {
		t.Errorf("-Y _ws.malformed: nbtsniff %q, tshark %q", g, w)
	}
	// -V: the note is under frame.len, as in tshark's tree.
	v := string(runNbtsniff(t, "-r", file, "-V", "-Y", "frame.number == 5"))
	if !strings.Contains(v, "    Frame Length: 82\n        [Expert Info (Error/Malformed): Frame length is less than captured length]\n") {
		t.Errorf("-V of frame 5 has no expert note under frame.len:\n%s", v)
	}
}
