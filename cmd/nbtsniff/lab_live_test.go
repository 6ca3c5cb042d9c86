package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// The live-capture test: the Samba lab (../shared/lab, see its README)
// runs the election scenario in network namespaces while nbtsniff, built
// with the default pure-Go backend (AF_PACKET, no libpcap), captures live
// on the switch namespace's bridge with -i, writing events (-T events) and
// every frame (-w), next to tcpdump on the same bridge. lab.sh stops the
// sniffer with SIGINT at the end: nbtsniff must flush and exit 0. Its
// frames must be tcpdump's (the pure-Go capture path misses nothing), and
// the -w file read back with -r must give byte for byte the same event
// stream as live capture did.
//
// It needs root, ip netns and the lab's tools (CI installs them and runs as
// root); without them it is skipped, saying which is missing, unless
// NBTSNIFF_LAB_REQUIRED is set (.ci/run sets it): then it fails. It takes
// about four minutes, so -short skips it; go test's default 10-minute
// timeout per package is tight with the tshark differential test in the
// same package: CI passes -timeout 30m.

// labScenario is the scenario run: one subnet, LMB hand-overs and
// elections (README: election, ~203 s timeline).
const labScenario = "election"

// labTools are the commands lab.sh checks for before it starts.
var labTools = []string{"ip", "nmbd", "smbd", "smbclient", "nmblookup", "smbcontrol", "tcpdump", "python3", "editcap", "mergecap"}

// labNeed is the time the run needs: build, ~203 s of timeline, the
// orderly shutdown, and the margin lab.sh's hard bound allows.
const labNeed = 7 * time.Minute

// labUnavailable skips the test, or fails it when CI said the lab must run.
func labUnavailable(t *testing.T, reason string) {
	t.Helper()
	if os.Getenv("NBTSNIFF_LAB_REQUIRED") != "" {
		t.Fatalf("%s (NBTSNIFF_LAB_REQUIRED is set: the lab must run here)", reason)
	}
	corpus.Skip(t, reason)
}

// labScript finds ../shared/lab/lab.sh from the repository root.
func labScript(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "lab", "lab.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		labUnavailable(t, fmt.Sprintf("the Samba lab script is missing: %v (expected at ../shared/lab/lab.sh from the repository root)", err))
	}
	return p
}

func requireLab(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		labUnavailable(t, fmt.Sprintf("the lab needs root (network namespaces, AF_PACKET): running as uid %d", os.Geteuid()))
	}
	var missing []string
	for _, tool := range labTools {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) > 0 {
		labUnavailable(t, fmt.Sprintf("the lab needs %s, not found in PATH (apt-get install -y samba smbclient tcpdump tshark iproute2 python3)", strings.Join(missing, ", ")))
	}
	if out, err := exec.Command("ip", "netns", "list").CombinedOutput(); err != nil {
		labUnavailable(t, fmt.Sprintf("ip netns does not work here: %v: %s", err, bytes.TrimSpace(out)))
	}
}

// shellQuote quotes s for bash.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func TestLabLiveCapture(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the live lab run takes about four minutes")
	}
	requireLab(t)
	lab := labScript(t)
	ctx := context.Background()
	if dl, ok := t.Deadline(); ok {
		if left := time.Until(dl); left < labNeed {
			t.Fatalf("only %v left before go test's -timeout: the lab run needs %v (run go test -timeout 30m)", left.Round(time.Second), labNeed)
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, dl.Add(-30*time.Second))
		defer cancel()
	}
	dir := t.TempDir()

	// The default build: no cgo, no -tags pcap, so -i is the pure-Go
	// AF_PACKET source (capture/live_linux.go).
	bin := filepath.Join(dir, "nbtsniff")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}

	// The sniffer command lab.sh runs in each switch namespace. bash -c
	// does not exec a command that has redirections: lab.sh's SIGINT would
	// reach bash, not nbtsniff. exec makes the signalled process ours: this
	// test binary as a thin wrapper (labSnifferHelper, from TestMain) that starts
	// tcpdump on the same bridge as a reference, then nbtsniff, forwards
	// signals to both and writes nbtsniff's exit status to live-X.rc.
	q := shellQuote
	stem := q(dir) + "/live-$SUBNET_NAME"
	sniffer := strings.Join([]string{
		"exec", q(self), "-test.run=^$", "-test.timeout=0",
		"--", stem + ".rc", q(dir) + "/tcpdump-$SUBNET_NAME.pcap",
		q(bin), "-i", `"$IFACE"`, "-w", stem + ".pcapng", "-T", "events",
		">", stem + ".jsonl", "2>", stem + ".err",
	}, " ")

	// Names of our own, so a lab someone left running cannot collide.
	prefix := "nbtt" + strconv.Itoa(os.Getpid()%100000)
	labLog := filepath.Join(dir, "lab.log")
	logf, err := os.Create(labLog)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.CommandContext(ctx, lab, "run", labScenario)
	cmd.Env = append(os.Environ(),
		"NBLAB_PREFIX="+prefix,
		"NBLAB_RUN="+filepath.Join(dir, "run"),
		"NBLAB_LOGS="+filepath.Join(dir, "logs"),
		"NBLAB_SNIFFER="+sniffer,
		"NBTSNIFF_LAB_HELPER=1",
	)
	cmd.Stdout, cmd.Stderr = logf, logf
	// On the deadline, SIGTERM: lab.sh's trap then stops the daemons and
	// deletes the namespaces (SIGKILL would leave them behind).
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = time.Minute
	start := time.Now()
	runErr := cmd.Run()
	took := time.Since(start)
	t.Logf("lab.sh run %s: %v (NBLAB_PREFIX=%s)", labScenario, took.Round(time.Second), prefix)
	if runErr != nil {
		t.Fatalf("lab.sh run %s: %v\n%s", labScenario, runErr, tail(labLog, 40))
	}
	checkLabSniffer(t, dir, bin, "A")
}

// The statistics nbtsniff prints on standard error when a live capture ends.
var (
	capturedLine = regexp.MustCompile(`^(\d+) packets captured$`)
	droppedLine  = regexp.MustCompile(`^(\d+) packets dropped by (kernel|interface)$`)
)

// checkLabSniffer checks what the sniffer of subnet sub left in dir.
func checkLabSniffer(t *testing.T, dir, bin, sub string) {
	t.Helper()
	path := func(ext string) string { return filepath.Join(dir, "live-"+sub+ext) }
	labLog := filepath.Join(dir, "lab.log")

	// Ctrl-C: the sniffer got SIGINT only (lab.sh sends SIGTERM after 5 s
	// if it is still running) and exited 0.
	rc, err := os.ReadFile(path(".rc"))
	if err != nil {
		t.Fatalf("the sniffer wrapper left no exit status: %v\nsniffer log: %s\nlab.sh:\n%s", err,
			tail(filepath.Join(dir, "logs", "sniffer-"+sub+".log"), 20), tail(labLog, 40))
	}
	status := strings.TrimSpace(string(rc))
	t.Logf("sniffer %s: %s", sub, status)
	if status != "signals=interrupt exit=0" {
		t.Errorf("nbtsniff -i under lab.sh: %q, want %q (SIGINT, then a clean flush and exit 0 within lab.sh's 5 s)\nstderr:\n%s",
			status, "signals=interrupt exit=0", tail(path(".err"), 20))
	}

	// Its standard error: the capture statistics and nothing else.
	errText, err := os.ReadFile(path(".err"))
	if err != nil {
		t.Fatal(err)
	}
	captured := -1
	for _, line := range strings.Split(strings.TrimSpace(string(errText)), "\n") {
		if m := capturedLine.FindStringSubmatch(line); m != nil {
			captured, _ = strconv.Atoi(m[1])
			continue
		}
		if m := droppedLine.FindStringSubmatch(line); m != nil {
			if m[1] != "0" {
				t.Logf("sniffer %s: %s", sub, line)
			}
			continue
		}
		t.Errorf("unexpected line on nbtsniff's standard error: %q", line)
	}
	if captured < 0 {
		t.Fatalf("no \"N packets captured\" line on nbtsniff's standard error (no orderly stop?):\n%s", errText)
	}

	// The -w file holds exactly the frames counted.
	frames := runBin(t, bin, "-r", path(".pcapng"), "-T", "fields", "-e", "frame.number")
	if n := bytes.Count(frames, []byte("\n")); n != captured || n == 0 {
		t.Errorf("-w file has %d frames, nbtsniff said %d packets captured", n, captured)
	}

	// The pure-Go AF_PACKET source saw what libpcap saw: the frames of
	// the reference tcpdump on the same bridge, byte for byte (timestamps,
	// and the order of frames sent at the same instant, may differ: two
	// sockets).
	ours, err := frameData(path(".pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := frameData(filepath.Join(dir, "tcpdump-"+sub+".pcap"))
	if err != nil {
		t.Fatal(err)
	}
	if d := compareFrames(ours, theirs); d != "" {
		t.Errorf("frames captured by nbtsniff -i (pure-Go AF_PACKET) differ from tcpdump's on the same bridge: %s", d)
	}

	// Live events == events of the -w file read back. The file is read
	// with the interface's label (br0=FILE), which names the segment of
	// every event, as live capture named it.
	live, err := os.ReadFile(path(".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	replay := runBin(t, bin, "-r", "br0="+path(".pcapng"), "-T", "events")
	if len(live) == 0 {
		t.Fatalf("live capture gave no events (%d frames captured)", captured)
	}
	if !bytes.Equal(live, replay) {
		t.Errorf("events from live capture (%d lines) differ from the events of its -w file (%d lines): first difference:\n%s",
			bytes.Count(live, []byte("\n")), bytes.Count(replay, []byte("\n")), firstDiff(live, replay))
	}
	kinds := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(live))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.Contains(l, `"kind":"role.begin"`) && strings.Contains(l, `"role":"lmb"`):
			kinds["role.begin lmb"]++
		case strings.Contains(l, `"kind":"election.start"`):
			kinds["election.start"]++
		}
	}
	for _, k := range []string{"role.begin lmb", "election.start"} {
		if kinds[k] == 0 {
			t.Errorf("no %s event in live capture of the %s scenario (%d events)", k, labScenario, bytes.Count(live, []byte("\n")))
		}
	}
	t.Logf("sniffer %s: %d frames (tcpdump: %d), %d events (%d role.begin lmb, %d election.start), identical to the -w file's",
		sub, captured, len(theirs), bytes.Count(live, []byte("\n")), kinds["role.begin lmb"], kinds["election.start"])
}

// frameData reads every frame's bytes from a capture file.
func frameData(path string) ([][]byte, error) {
	src, err := capture.OpenFile(path, 0)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var frames [][]byte
	var pkt capture.Packet
	for {
		err := src.Next(&pkt)
		if errors.Is(err, io.EOF) {
			return frames, nil
		}
		if err != nil {
			return frames, fmt.Errorf("%s: %w", path, err)
		}
		frames = append(frames, append([]byte(nil), pkt.Data...))
	}
}

// compareFrames describes the first difference between two frame lists.
func compareFrames(ours, ref [][]byte) string {
	// Same frames, byte for byte, in any order: two sockets on one bridge
	// may see frames sent at the same instant by two hosts in either order
	// (seen in CI: frames of .12 and .13 a few µs apart, swapped).
	count := map[string]int{}
	for _, f := range ref {
		count[string(f)]++
	}
	for i, f := range ours {
		if count[string(f)] == 0 {
			return fmt.Sprintf("frame %d (%d bytes % x...) is not in tcpdump's capture", i+1, len(f), f[:min(len(f), 48)])
		}
		count[string(f)]--
	}
	missing := 0
	for _, n := range count {
		missing += n
	}
	if missing > 0 || len(ours) != len(ref) {
		return fmt.Sprintf("nbtsniff has %d frames, tcpdump %d; %d of tcpdump's are missing", len(ours), len(ref), missing)
	}
	return ""
}

// runBin runs the built nbtsniff and returns its standard output.
func runBin(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("nbtsniff %s: %v: %s", strings.Join(args, " "), err, errb.String())
	}
	return out.Bytes()
}

// firstDiff shows the first differing line of two texts.
func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  live: %s\n  file: %s", i+1, x, y)
		}
	}
	return "(none)"
}

// tail returns the last n lines of a file, for failure messages.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// labSnifferHelper is the process lab.sh starts as the sniffer of
// TestLabLiveCapture (TestMain runs it when NBTSNIFF_LAB_HELPER is set):
//
//	nbtsniff.test -test.run=^$ -- RCFILE REFPCAP NBTSNIFF ARGS...
//
// It starts tcpdump on $IFACE writing REFPCAP (the reference: libpcap, with
// the lab's filter plus TCP 445, as nbtsniff's own filter), waits until it
// listens, then runs nbtsniff with the helper's standard output and error.
// It forwards SIGINT and SIGTERM to nbtsniff, and when nbtsniff ends it
// stops tcpdump and writes to RCFILE the signals it forwarded and how
// nbtsniff ended ("signals=interrupt exit=0", or "signal=killed"), then
// exits with that status.
func labSnifferHelper() int {
	args := flagArgs()
	if len(args) < 3 {
		fmt.Fprintln(os.Stderr, "lab sniffer helper: usage: -- RCFILE REFPCAP COMMAND ARGS...")
		return 2
	}
	return sniffHelper(args[0], args[1], args[2:])
}

// flagArgs returns the arguments after "--".
func flagArgs() []string {
	for i, a := range os.Args {
		if a == "--" {
			return os.Args[i+1:]
		}
	}
	return nil
}

// labFilter is what the reference tcpdump keeps: lab.sh's filter, and TCP
// 445 as nbtsniff's built-in filter (the lab has no IP fragments).
const labFilter = "udp port 137 or udp port 138 or tcp port 139 or tcp port 445"

func sniffHelper(rcFile, refPcap string, argv []string) int {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	fail := func(msg string) int {
		os.WriteFile(rcFile, []byte(msg+"\n"), 0o644)
		return 1
	}

	ref, err := startTcpdump(os.Getenv("IFACE"), refPcap)
	if err != nil {
		return fail("tcpdump: " + err.Error())
	}
	defer func() {
		ref.Process.Signal(os.Interrupt)
		ref.Wait()
	}()

	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return fail("start: " + err.Error())
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var got []string
	for {
		select {
		case s := <-sigs:
			got = append(got, s.String())
			cmd.Process.Signal(s)
		case err := <-done:
			// exit=N, or signal=NAME if nbtsniff was killed by a signal.
			code, status := 1, "error="+fmt.Sprint(err)
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok {
				switch {
				case ws.Signaled():
					code, status = 128+int(ws.Signal()), "signal="+ws.Signal().String()
				case ws.Exited():
					code, status = ws.ExitStatus(), "exit="+strconv.Itoa(ws.ExitStatus())
				}
			}
			os.WriteFile(rcFile, []byte(fmt.Sprintf("signals=%s %s\n", strings.Join(got, ","), status)), 0o644)
			return code
		}
	}
}

// startTcpdump starts tcpdump on iface and waits until it listens.
func startTcpdump(iface, out string) (*exec.Cmd, error) {
	logPath := out + ".log"
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command("tcpdump", "-i", iface, "-n", "-U", "-s", "0", "-w", out, labFilter)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	for range 100 {
		if b, _ := os.ReadFile(logPath); bytes.Contains(b, []byte("listening on")) {
			return cmd, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	b, _ := os.ReadFile(logPath)
	return nil, fmt.Errorf("did not start listening on %s within 5 s: %s", iface, bytes.TrimSpace(b))
}
