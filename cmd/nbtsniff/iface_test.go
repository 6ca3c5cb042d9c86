package main

import (
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// TestInterfaceIDPerInput: two inputs merged (-r A=.. -r B=..) number
// their interfaces as tshark does on the same captures merged by mergecap
// -I none (testdata/pcaps/dmb.pcapng is dmb.subnetA + dmb.subnetB so
// merged, README "Provenance"): frame.interface_id 0 for A, 1 for B.
func TestInterfaceIDPerInput(t *testing.T) {
	ts := needTshark(t)
	dir := "../../testdata/pcaps/"
	fields := []string{"-T", "fields", "-e", "frame.time_epoch", "-e", "frame.interface_id", "-e", "ip.src", "-e", "ip.dst"}
	code, out, stderr := runCLI(append([]string{"-r", "A=" + dir + "dmb.subnetA.pcapng", "-r", "B=" + dir + "dmb.subnetB.pcapng"}, fields...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want, err := exec.Command(ts, append([]string{"-r", dir + "dmb.pcapng"}, fields...)...).Output()
	if err != nil {
		t.Fatal(err)
	}
	sorted := func(s string) []string {
		l := strings.Split(strings.TrimSpace(s), "\n")
		sort.Strings(l)
		return l
	}
	g, w := sorted(out), sorted(string(want))
	if len(g) != len(w) || len(g) < 500 {
		t.Fatalf("%d frames, tshark %d", len(g), len(w))
	}
	ids := map[string]int{}
	for i := range g {
		if g[i] != w[i] {
			t.Fatalf("frame line %d: %q, tshark %q", i, g[i], w[i])
		}
		ids[strings.Split(g[i], "\t")[1]]++
	}
	if ids["0"] == 0 || ids["1"] == 0 {
		t.Errorf("interface ids %v: want 0 and 1", ids)
	}
}
