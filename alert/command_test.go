package alert

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// skipNoShell: the command sink runs /bin/sh.
func skipNoShell(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skipf("no /bin/sh: %v", err)
	}
}

// The command gets the event's JSON and a newline on its standard input
// and the alert's fields, escaped, in its environment.
func TestCommandInput(t *testing.T) {
	skipNoShell(t)
	dir := t.TempDir()
	ev := timeline.Event{Time: t0, Frame: 282, Kind: timeline.KindAnomaly, Data: &timeline.Anomaly{Kind: timeline.AnomalySplitBrain},
		Segment: "lab/198.18.1.255", Workgroup: "LABWG", Host: "EVIL\x1b[2J", Detail: "DELTA and FOXTROT\nboth", Frames: []int{270, 282}}
	a, ok := FromEvent(&ev)
	if !ok {
		t.Fatal("FromEvent: not an alert")
	}
	line := fmt.Sprintf(`cat > %[1]s/stdin; env | grep ^NBTSNIFF_ALERT_ | sort > %[1]s/env`, shellQuote(dir))
	var oc outcomes
	d := NewDispatcher(NewCommand(line), Options{OnOutcome: oc.on})
	d.Submit(a)
	d.Close()
	if fmt.Sprint(oc.got) != "[sent split_brain/EVIL\x1b[2J]" {
		t.Fatalf("outcomes %q", oc.got)
	}
	stdin, err := os.ReadFile(filepath.Join(dir, "stdin"))
	if err != nil {
		t.Fatal(err)
	}
	if want := string(output.AppendEvent(nil, &ev)) + "\n"; string(stdin) != want {
		t.Errorf("stdin %q, want %q", stdin, want)
	}
	if !strings.Contains(string(stdin), `"host":"EVIL\u001b[2J"`) {
		t.Errorf("the JSON does not escape the host: %s", stdin)
	}
	env, err := os.ReadFile(filepath.Join(dir, "env"))
	if err != nil {
		t.Fatal(err)
	}
	want := `NBTSNIFF_ALERT_CLASS=anomaly
NBTSNIFF_ALERT_HOST=EVIL\x1b[2J
NBTSNIFF_ALERT_KIND=split_brain
NBTSNIFF_ALERT_SEGMENT=lab/198.18.1.255
NBTSNIFF_ALERT_TIME=2026-11-22T00:58:11.613Z
NBTSNIFF_ALERT_WORKGROUP=LABWG
`
	if string(env) != want {
		t.Errorf("environment:\n%s\nwant:\n%s", env, want)
	}
}

// A command that exits non-zero is reported failed with its exit status
// and its output, escaped; the next alert runs.
func TestCommandFails(t *testing.T) {
	skipNoShell(t)
	var oc outcomes
	d := NewDispatcher(NewCommand(`printf 'no route to pager \033[31m\n' >&2; exit 2`), Options{OnOutcome: oc.on})
	d.Submit(storm(0, "A"))
	d.Submit(storm(0, "B"))
	d.Close()
	want := `[failed election_storm/A: exit status 2: no route to pager \x1b[31m failed election_storm/B: exit status 2: no route to pager \x1b[31m]`
	if fmt.Sprint(oc.got) != want {
		t.Errorf("outcomes %q\nwant     %q", oc.got, want)
	}
}

// A command past the timeout is killed with every process it started,
// reported timed out, and the dispatcher goes on.
func TestCommandTimeout(t *testing.T) {
	skipNoShell(t)
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	line := fmt.Sprintf(`sleep 600 & echo $! > %s; wait`, shellQuote(pidFile))
	var oc outcomes
	d := NewDispatcher(NewCommand(line), Options{Timeout: 300 * time.Millisecond, OnOutcome: oc.on})
	start := time.Now()
	d.Submit(storm(0, "A"))
	d.Close()
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Close took %v", took)
	}
	if len(oc.got) != 1 || !strings.HasPrefix(oc.got[0], "timed_out election_storm/A: timed out after 300ms") {
		t.Errorf("outcomes %q", oc.got)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	// The background sleep dies (SIGKILL is delivered asynchronously):
	// gone, or a zombie waiting for a reaper.
	deadline := time.Now().Add(5 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return
		}
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(f) > 0 && (f[0] == "Z" || f[0] == "X") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the command's child %d survived the timeout by 5 s: %s", pid, stat)
		}
		<-tick.C
	}
}
