package main

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// messageFields identify the session packets and SMB messages of a
// capture by content: each field's multiset of values over the capture.
var messageFields = []string{"nbss.type", "nbss.length", "smb.cmd", "smb.mid", "smb.tid", "smb.uid", "smb.flags.response"}

// In its default mode nbtsniff waits for a missing TCP segment, where
// tshark gives the hole up at once; it must still decode at least every
// session packet and SMB message tshark does, on every capture of the
// differential test (../shared/pcaps, testdata, NBTSNIFF_EXTRA_PCAPS):
// where it shows one in a later frame than tshark (it waited, or the
// capture ended beyond a hole: engine.Finish), the values are compared by
// content, per field, over the capture. nbss139-smb1-smia2011, a capture
// deduplicated segment by segment, is the hard case: 3,447 NBSS messages
// before engine.Finish, 3,719 in tshark.
func TestDefaultModeDecodesEveryMessageTsharkDoes(t *testing.T) {
	tshark := needTshark(t)
	args := []string{"-Y", nbtPorts, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=\x1f"}
	for _, f := range messageFields {
		args = append(args, "-e", f)
	}
	files := append(captureFiles(t), "../../testdata/crafted/tcp139-hole-at-end.pcap")
	for _, file := range files {
		if why, ok := notMessages[filepath.Base(file)]; ok {
			t.Logf("%s: not compared: %s", filepath.Base(file), why)
			continue
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			fargs := append([]string{"-r", file}, args...)
			// The frames tshark itself finds malformed (a fuzzed
			// capture's random bytes read as a header) are not held
			// against nbtsniff.
			tw := runTshark(t, tshark, append(append([]string{"-n"}, fargs...), "-e", "_ws.malformed")...)
			want := valuesByField(wellFormed(tw, len(messageFields)), len(messageFields))
			got := valuesByField(runNbtsniff(t, fargs...), len(messageFields))
			for i, f := range messageFields {
				var missing []string
				for v, n := range want[i] {
					if k := n - got[i][v]; k > 0 {
						missing = append(missing, v+" x"+itoaT(k))
					}
				}
				if len(missing) > 0 {
					sort.Strings(missing)
					if len(missing) > 8 {
						missing = append(missing[:8], "...")
					}
					t.Errorf("%s: values tshark shows and nbtsniff does not: %s", f, strings.Join(missing, ", "))
				}
			}
		})
	}
}

// wellFormed drops the lines of -T fields output whose column n (the
// last, _ws.malformed) is set, and that column from the others.
func wellFormed(out []byte, n int) []byte {
	var b []byte
	for _, line := range strings.Split(string(out), "\n") {
		cols := strings.Split(line, "\t")
		if len(cols) <= n || cols[n] != "" {
			continue
		}
		b = append(append(b, strings.Join(cols[:n], "\t")...), '\n')
	}
	return b
}

// notMessages are the captures whose session packet headers tshark shows
// and nbtsniff does not, known and listed in the README's agreement table.
var notMessages = map[string]string{
	"malformed-nbss139-smb1-ossfuzz-54883_zeek.pcap": "OSS-Fuzz bytes: tshark shows a zero-length session message (frame 9) " +
		"and the header of a packet the capture ends inside (frame 39, 3,392 bytes); nbtsniff reports the second as cut short",
}

func itoaT(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoaT(n/10) + string(rune('0'+n%10))
}
