package output_test

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/output"
)

// bitLine is a tshark -V line of a bit field: "    .... ..1. = Standby: ...".
var bitLine = regexp.MustCompile(`^\s*([.01]{4}( [.01]{4})*) = ([^:]+):`)

// framesOfV splits tshark -V text into frames (each starts "Frame N:").
func framesOfV(text string) map[int][]string {
	out := map[int][]string{}
	n := 0
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "Frame ") {
			f, _, _ := strings.Cut(strings.TrimPrefix(l, "Frame "), ":")
			n, _ = strconv.Atoi(f)
		}
		out[n] = append(out[n], l)
	}
	return out
}

// TestVerboseBitFieldsTshark compares every bit-field line of the NBT,
// SMB and browser layers of -V with tshark -V on lab captures: the same
// bit pattern and field name ("..1. .... = Opcode:"), in the same order.
func TestVerboseBitFieldsTshark(t *testing.T) {
	for _, name := range []string{"election.pcapng", "dmb.pcapng", "enum.pcapng"} {
		path := filepath.Join(labPcaps, name)
		want := framesOfV(string(runTshark(t, "-r", path, "-V")))
		checked := 0
		for _, f := range loadFrames(t, path) {
			var got []string
			for _, l := range strings.Split(string(output.AppendVerbose(nil, f)), "\n") {
				if m := bitLine.FindStringSubmatch(l); m != nil {
					got = append(got, m[1]+" = "+m[3])
				}
			}
			var exp []string
			for _, l := range want[f.Number] {
				if m := bitLine.FindStringSubmatch(l); m != nil {
					exp = append(exp, m[1]+" = "+m[3])
				}
			}
			// tshark writes bit fields of layers nbtsniff shows
			// differently (IP, UDP, TCP flags): compare those we write.
			// A field tshark does not show on this frame at all is a
			// layer it shows on another (enum.pcapng's NetServerEnum2
			// replies, reassembled on their last segment): skipped.
			names := map[string]bool{}
			for _, e := range exp {
				_, n, _ := strings.Cut(e, " = ")
				names[n] = true
			}
			j := 0
			for _, g := range got {
				if _, n, _ := strings.Cut(g, " = "); !names[n] {
					continue
				}
				for j < len(exp) && exp[j] != g {
					j++
				}
				if j == len(exp) {
					t.Errorf("%s frame %d: %q is not in tshark's -V (in order): %q", name, f.Number, g, exp)
					break
				}
				checked++
			}
		}
		if checked < 100 {
			t.Errorf("%s: only %d bit-field lines compared", name, checked)
		}
	}
}

// TestVerboseUnitsAndPointer: durations carry their unit and tshark's
// words, and a compressed name pointer covers its two bytes.
func TestVerboseUnitsAndPointer(t *testing.T) {
	path := filepath.Join(labPcaps, "election.pcapng")
	frames := loadFrames(t, path)
	// Frame 1: ALPHA's registration, its additional record's name a
	// pointer (c0 0c at offset 92; tshark -T pdml: pos 93 size 1).
	v := string(output.AppendVerbose(nil, frames[0]))
	if frames[0].Data[92] != 0xc0 || !strings.Contains(v, "Name: ALPHA<20> (Server service)   [92:2]") {
		t.Errorf("frame 1: the pointer at 92 is not [92:2]:\n%s", v)
	}
	// Frame 6: a HostAnnouncement; tshark: "Update Periodicity: 1 minute".
	tv := framesOfV(string(runTshark(t, "-r", path, "-V", "-Y", "frame.number == 6")))[6]
	v = string(output.AppendVerbose(nil, frames[5]))
	for _, l := range tv {
		if words, ok := strings.CutPrefix(strings.TrimSpace(l), "Update Periodicity: "); ok {
			if !strings.Contains(v, "Update Periodicity: 60000 ms ("+words+")") {
				t.Errorf("frame 6: no %q in\n%s", "Update Periodicity: 60000 ms ("+words+")", v)
			}
			return
		}
	}
	t.Errorf("tshark -V of frame 6 has no Update Periodicity: %q", tv)
}
