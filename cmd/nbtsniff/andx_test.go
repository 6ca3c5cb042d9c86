package main

import (
	"bytes"
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// In -V, an AndX block's command line reads as tshark's: "AndXCommand:
// No further commands (0xff)" or "AndXCommand: Tree Connect AndX (0x75)",
// line for line on captures with AndX chains.
func TestVerboseAndXCommandAsTshark(t *testing.T) {
	ts := needTshark(t)
	caps := append(corpus.Maybe(t, "nbss139-smb1-dcerpc-trans-pipe_zeek-mapi-cut.pcap"),
		corpus.Maybe(t, "nbss139-smb1-spoolss-trans-pipe_ppa-printerproblem.pcap")...)
	caps = append(caps, "../../testdata/pcaps/enum.pcapng")
	offsets := regexp.MustCompile(`\s+\[[^\]]*\]$`)
	lines := func(out []byte) []string {
		var l []string
		for _, s := range strings.Split(string(out), "\n") {
			if strings.Contains(s, "AndXCommand") {
				l = append(l, offsets.ReplaceAllString(strings.TrimSpace(s), ""))
			}
		}
		return l
	}
	total := 0
	for _, c := range caps {
		var out, errs bytes.Buffer
		if code := run(context.Background(), []string{"-r", c, "-V"}, strings.NewReader(""), &out, &errs); code != 0 {
			t.Fatalf("%s: exit %d: %s", c, code, errs.String())
		}
		want, err := exec.Command(ts, "-n", "-r", c, "-V").Output()
		if err != nil {
			t.Fatalf("tshark -V %s: %v", c, err)
		}
		got, exp := lines(out.Bytes()), lines(want)
		if strings.Join(got, "\n") != strings.Join(exp, "\n") {
			t.Errorf("%s: %d AndXCommand lines, tshark %d:\n%s\ntshark:\n%s", c, len(got), len(exp), strings.Join(got, "\n"), strings.Join(exp, "\n"))
		}
		total += len(exp)
	}
	if total < 20 {
		t.Errorf("only %d AndXCommand lines in tshark's output", total)
	}
}
