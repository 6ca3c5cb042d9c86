package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// pcap is a capture of testdata/pcaps.
func pcap(name string) string { return filepath.Join("..", "..", "testdata", "pcaps", name) }

// anomalyLines are the -T events lines of the anomalies in out.
func anomalyLines(out string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, `"kind":"anomaly"`) {
			lines = append(lines, l)
		}
	}
	return lines
}

// --fail-on: the storm capture's election_storm makes the exit status 3,
// after the output is printed whole; a kind that does not occur leaves it
// 0 with the same output; an unknown kind is a usage error that lists the
// kinds. Whatever the output (the report, frames with a monitor timeline
// beside the printer, -q), the status is the same.
func TestFailOn(t *testing.T) {
	storm := pcap("storm.pcapng")
	for _, mode := range [][]string{
		{"--report"},
		{"-T", "events"},
		{"-T", "fields", "-e", "frame.number", "-e", "browser.command"},
		{"-T", "fields", "-e", "frame.number"}, // no field above NBT: the monitor still reads the browser
		{"-q"},
	} {
		args := append([]string{"-r", storm}, mode...)
		code, want, stderr := runCLI(args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		code, got, stderr := runCLI(append(args, "--fail-on", "dmb_conflict,name_conflict")...)
		if code != 0 || got != want || stderr != "" {
			t.Errorf("%v --fail-on dmb_conflict,name_conflict (not in the capture): exit %d, stderr %q, output same: %v; want 0, nothing, true",
				args, code, stderr, got == want)
		}
		for _, kinds := range []string{"election_storm", "dmb_conflict, election_storm", "any"} {
			code, got, stderr = runCLI(append(args, "--fail-on", kinds)...)
			if code != 3 {
				t.Errorf("%v --fail-on %q: exit %d, want 3 (stderr %q)", args, kinds, code, stderr)
			}
			if got != want {
				t.Errorf("%v --fail-on %q: the output differs from the run without it (%d bytes, want %d): not everything was printed", args, kinds, len(got), len(want))
			}
			first := "anomaly election_storm segment=storm/198.18.1.255 workgroup=LABWG host=CLIENT"
			n := "1 alert"
			if kinds == "any" {
				n = "5 alerts" // 4 anomalies and the diagnosis preferred_masters (DELTA and FOXTROT)
			}
			if !strings.HasPrefix(stderr, "nbtsniff: "+n+" of the --fail-on kinds, the first: "+first) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("%v --fail-on %q: stderr %q, want one line naming %s and the first (%s)", args, kinds, stderr, n, first)
			}
		}
	}
	if strings.Contains(runOut(t, "-r", storm, "--report"), "election_storm") == false {
		t.Fatal("the storm report names no election_storm: the capture changed?")
	}
	code, _, stderr := runCLI("-r", storm, "--fail-on", "storm")
	if code != 2 || !strings.Contains(stderr, `unknown kind "storm"`) || !strings.Contains(stderr, "election_storm, election_timeout") {
		t.Errorf("--fail-on storm: exit %d, %q: want 2 and the list of kinds", code, stderr)
	}
	// A diagnosis kind is a --fail-on kind too (mask25: PC7's netmask).
	code, _, stderr = runCLI("-r", pcap("mask25.pcapng"), "-q", "--fail-on", "mask_mismatch")
	if code != 3 || !strings.HasPrefix(stderr, "nbtsniff: 2 alerts of the --fail-on kinds, the first: diagnosis mask_mismatch segment=mask25/198.18.1.255 workgroup=LABWG host=PC7") {
		t.Errorf("--fail-on mask_mismatch on mask25: exit %d, %q", code, stderr)
	}
	// An error wins over --fail-on: a capture cut short is read to its
	// cut, warned about, and exits 0 or 3 as it would whole; a file that
	// does not exist exits 1.
	code, _, _ = runCLI("-r", "/nonexistent.pcapng", "--fail-on", "any")
	if code != 1 {
		t.Errorf("a missing file with --fail-on: exit %d, want 1", code)
	}
}

// runOut runs the CLI and returns its standard output, failing on a
// status other than 0.
func runOut(t *testing.T, args ...string) string {
	t.Helper()
	code, out, stderr := runCLI(args...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, stderr)
	}
	return out
}

// --on-alert runs the command for each new anomaly or diagnosis with its
// -T events JSON on standard input, deduplicated by kind, segment,
// workgroup and host: nofw138's three name_conflict anomalies of FWHOST
// within three minutes make one run, its election_storm another, its
// diagnosis udp138_blocked a third. A command that fails is said on
// standard error and the run goes on.
func TestOnAlert(t *testing.T) {
	dir := t.TempDir()
	got := filepath.Join(dir, "alerts")
	cmd := "cat >> " + shellQuote(got)
	nofw := pcap("nofw138.pcapng")
	code, _, stderr := runCLI("-r", nofw, "-q", "--on-alert", cmd)
	if code != 0 || stderr != "" {
		t.Fatalf("--on-alert: exit %d, stderr %q", code, stderr)
	}
	b, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	events := runOut(t, "-r", nofw, "-T", "events")
	all := anomalyLines(events)
	if len(all) != 4 {
		t.Fatalf("nofw138 has %d anomalies, want 4 (3 name_conflict, 1 election_storm):\n%s", len(all), strings.Join(all, "\n"))
	}
	var diag []string
	for _, l := range strings.Split(events, "\n") {
		if strings.Contains(l, `"kind":"diagnosis"`) {
			diag = append(diag, l)
		}
	}
	if len(diag) != 1 {
		t.Fatalf("nofw138 has %d diagnosis events, want 1 (udp138_blocked)", len(diag))
	}
	// Frames 112 (name_conflict) and 138 (election_storm), and the
	// diagnosis, a line each.
	want := all[0] + "\n" + all[1] + "\n" + diag[0] + "\n"
	if string(b) != want {
		t.Errorf("--on-alert got:\n%s\nwant the first name_conflict and the election_storm, as -T events prints them:\n%s", b, want)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Errorf("--on-alert's standard input is not JSON: %v: %s", err, l)
		}
	}

	code, _, stderr = runCLI("-r", nofw, "-q", "--on-alert", "cat >/dev/null; echo oops; exit 7")
	if code != 0 || strings.Count(stderr, "\n") != 3 || !strings.Contains(stderr, "nbtsniff: --on-alert: anomaly name_conflict segment=nofw138/198.18.1.255") ||
		!strings.Contains(stderr, "nbtsniff: --on-alert: diagnosis udp138_blocked segment=nofw138/198.18.1.255") ||
		!strings.Contains(stderr, ": failed: ") || !strings.Contains(stderr, "oops") {
		t.Errorf("a failing --on-alert command: exit %d, stderr %q: want 0 and each failure on a line, with its output", code, stderr)
	}
}

// --syslog=unixgram:PATH writes one line per new anomaly to the socket, in
// the syslog format, tagged nbtsniff, facility daemon, severity warning.
func TestSyslogSocket(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "log")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	code, _, stderr := runCLI("-r", pcap("storm.pcapng"), "-T", "fields", "-e", "frame.number", "--syslog=unixgram:"+sock)
	if code != 0 || stderr != "" {
		t.Fatalf("--syslog: exit %d, stderr %q", code, stderr)
	}
	var lines []string
	buf := make([]byte, 4096)
	for {
		conn.SetReadDeadline(time.Now().Add(time.Second))
		n, err := conn.Read(buf)
		if err != nil {
			break
		}
		lines = append(lines, string(buf[:n]))
	}
	// <28>: facility daemon (3) * 8 + severity warning (4).
	// <29>: severity notice, a diagnosis.
	re := regexp.MustCompile(`^(<28>\w{3} [ \d]\d \d\d:\d\d:\d\d nbtsniff\[\d+\]: anomaly|<29>\w{3} [ \d]\d \d\d:\d\d:\d\d nbtsniff\[\d+\]: diagnosis) (\w+) segment=storm/198\.18\.1\.255 workgroup=LABWG host=(\w+) time=2026-11-22T\S+Z: .+\n$`)
	var got []string
	for _, l := range lines {
		m := re.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("syslog line %q is not in the expected format", l)
			continue
		}
		got = append(got, m[2]+" "+m[3])
	}
	want := []string{"election_storm CLIENT", "split_brain FOXTROT", "reset_browser_state FOXTROT", "reset_browser_state DELTA",
		"preferred_masters FOXTROT"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("syslog got %q, want %q", got, want)
	}
	code, _, stderr = runCLI("-r", pcap("storm.pcapng"), "--syslog=file:/tmp/x")
	if code != 2 || !strings.Contains(stderr, "unixgram:PATH") {
		t.Errorf("--syslog=file:/tmp/x: exit %d, %q: want 2 and the forms", code, stderr)
	}
}

// --metrics serves the frame loop's metrics while -r reads: the storm
// capture, fed through standard input that stays open, is counted whole,
// then scraped, before the input ends.
func TestMetricsWhileReading(t *testing.T) {
	addr := freeAddr(t)
	data, err := os.ReadFile(pcap("storm.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	var errb bytes.Buffer
	go func() {
		code := run(t.Context(), []string{"-r", "lab=-", "-q", "--metrics", addr}, pr, io.Discard, &errb)
		if code != 0 {
			done <- fmt.Errorf("exit %d: %s", code, errb.String())
		}
		close(done)
	}()
	if _, err := pw.Write(data); err != nil {
		t.Fatal(err)
	}
	// The counts the events give, and tshark's count of browser frames
	// (tshark -r storm.pcapng -Y browser: 114).
	events := runOut(t, "-r", "lab="+pcap("storm.pcapng"), "-T", "events")
	lmb := 0
	for _, l := range strings.Split(events, "\n") {
		if strings.Contains(l, `"kind":"role.begin"`) && strings.Contains(l, `"role":"lmb"`) {
			lmb++
		}
	}
	want := map[string]float64{
		`nbtsniff_elections_total{segment="lab/198.18.1.255",workgroup="LABWG"}`:                              float64(strings.Count(events, `"kind":"election.start"`)),
		`nbtsniff_role_changes_total{change="begin",role="lmb",segment="lab/198.18.1.255",workgroup="LABWG"}`: float64(lmb),
		`nbtsniff_anomalies_total{kind="election_storm",segment="lab/198.18.1.255"}`:                          1,
		`nbtsniff_anomalies_total{kind="split_brain",segment="lab/198.18.1.255"}`:                             1,
		`nbtsniff_frames_total{protocol="browser"}`:                                                           114,
	}
	// Scraped until every frame is counted and the timeline has taken
	// them in: the frames are counted as they are decoded, the timeline's
	// metrics as it observes them, a moment later (a loaded machine once
	// showed 3 of 4 role begins with all 335 frames counted).
	var metrics map[string]float64
	deadline := time.Now().Add(30 * time.Second)
	for {
		metrics, err = scrape("http://" + addr + "/metrics")
		if err == nil && metrics["sum nbtsniff_frames_total"] == 335 && matches(metrics, want) {
			break
		}
		if time.Now().After(deadline) {
			if err != nil || metrics["sum nbtsniff_frames_total"] != 335 {
				t.Fatalf("scrape: %v; frames %v, want 335", err, metrics["sum nbtsniff_frames_total"])
			}
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	for name, want := range want {
		if metrics[name] != want || want == 0 {
			t.Errorf("%s = %v, want %v", name, metrics[name], want)
		}
	}
	if _, ok := metrics[`nbtsniff_masters{segment="lab/198.18.1.255",workgroup="LABWG"}`]; !ok {
		t.Errorf("no nbtsniff_masters of LABWG: no snapshot reached the metrics")
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get("http://" + addr + "/metrics"); err == nil {
		t.Error("the metrics server is still up after the run")
	}
}

// freeAddr is a loopback address whose port was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// scrape reads a /metrics page in the text format: each sample by its
// name and labels, and "sum NAME" for each metric's total.
func scrape(url string) (map[string]float64, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "#") || l == "" {
			continue
		}
		i := strings.LastIndexByte(l, ' ')
		v, err := strconv.ParseFloat(l[i+1:], 64)
		if err != nil {
			return nil, fmt.Errorf("%q: %v", l, err)
		}
		out[l[:i]] = v
		name := l[:i]
		if j := strings.IndexByte(name, '{'); j >= 0 {
			name = name[:j]
		}
		out["sum "+name] += v
	}
	return out, sc.Err()
}

// matches reports whether metrics holds every value of want.
func matches(metrics, want map[string]float64) bool {
	for name, v := range want {
		if metrics[name] != v {
			return false
		}
	}
	return true
}
