package main

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// messageFields identify the session packets and SMB messages of a
// capture by content: each field's multiset of values over the capture.
var messageFields = []string{"nbss.type", "nbss.length", "smb.cmd", "smb.mid", "smb.pid", "smb.tid", "smb.uid", "smb.flags.response"}

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
		t.Run(filepath.Base(file), func(t *testing.T) {
			fargs := append([]string{"-r", file}, args...)
			want := valuesByField(runTshark(t, tshark, append([]string{"-n"}, fargs...)...), len(messageFields))
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

func itoaT(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoaT(n/10) + string(rune('0'+n%10))
}
