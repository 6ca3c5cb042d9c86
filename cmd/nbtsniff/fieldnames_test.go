package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Every field nbtsniff registers under a name outside its own
// "nbtsniff." namespace is one tshark has: -e, -Y and the JSON keys never
// invent a Wireshark name.
func TestFieldNamesAreTsharks(t *testing.T) {
	ts := needTshark(t)
	out, err := exec.Command(ts, "-G", "fields").Output()
	if err != nil {
		t.Fatalf("tshark -G fields: %v", err)
	}
	known := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Split(line, "\t"); len(f) > 2 && (f[0] == "F" || f[0] == "P") {
			known[f[2]] = true
		}
	}
	n := 0
	for _, fi := range dissect.AllFields() {
		if strings.HasPrefix(fi.Abbrev, "nbtsniff.") {
			continue
		}
		n++
		if !known[fi.Abbrev] {
			t.Errorf("%s (%s) is no tshark field: register it under nbtsniff.", fi.Abbrev, fi.Name)
		}
	}
	if n < 300 {
		t.Errorf("only %d fields checked", n)
	}
}
