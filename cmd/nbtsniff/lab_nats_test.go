package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Timings of the dmb-nats run (the scenario's timeline is ~230 s): sensor
// B is restarted after restartSensor of its run, the analyzer killed and
// started again restartAnalyzer after lab.sh started.
const (
	restartSensor   = 90 * time.Second
	restartAnalyzer = 110 * time.Second
)

// analyzer is a central analyzer process: --subscribe -T events.
type analyzer struct {
	cmd     *exec.Cmd
	out     string
	errPath string
	metrics string
	exited  chan struct{}
}

func startAnalyzer(bin, url, dir, metrics string, n int) (*analyzer, error) {
	a := &analyzer{
		out:     filepath.Join(dir, fmt.Sprintf("analyzer.%d.jsonl", n)),
		errPath: filepath.Join(dir, fmt.Sprintf("analyzer.%d.err", n)),
		metrics: metrics,
		exited:  make(chan struct{}),
	}
	stdout, err := os.Create(a.out)
	if err != nil {
		return nil, err
	}
	stderr, err := os.Create(a.errPath)
	if err != nil {
		return nil, err
	}
	// --max-lag 10s: a segment holds the others back that long, so that
	// a loaded machine cannot make the live merge give up on a sensor.
	a.cmd = exec.Command(bin, "--subscribe", url, "-T", "events", "--max-lag", "10s", "--metrics", a.metrics)
	a.cmd.Stdout, a.cmd.Stderr = stdout, stderr
	if err := a.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		a.cmd.Wait()
		stdout.Close()
		stderr.Close()
		close(a.exited)
	}()
	return a, nil
}

// frames is what the analyzer's metrics count (-1 if they cannot be read).
func (a *analyzer) frames() float64 {
	m, err := scrape("http://" + a.metrics + "/metrics")
	if err != nil {
		return -1
	}
	return m["sum nbtsniff_frames_total"]
}

func labDMBNATS(t *testing.T, lab, bin, _ string) {
	dir := t.TempDir()
	srv := startNATS(t)
	natsAddr := strings.TrimPrefix(srv.url, "nats://")
	path := func(name string) string { return filepath.Join(dir, name) }
	sensor := func(sub string, runs ...string) *sensorPlan {
		p := &sensorPlan{
			RootNetns: fmt.Sprintf("/proc/%d/ns/net", os.Getpid()),
			ToRoot:    []forward{{Listen: "127.0.0.1:4222", Dial: natsAddr}},
			Bin:       bin,
			RC:        path("sensor-" + sub + ".rc"),
		}
		for i, name := range runs {
			r := sensorRun{
				Args:   []string{"-i", "br0", "-q", "-w", path(name + ".pcapng"), "--publish", "nats://127.0.0.1:4222", "--segment", "lab/" + sub},
				Stdout: path(name + ".out"), Stderr: path(name + ".err"),
			}
			if i < len(runs)-1 {
				r.Stop = restartSensor
			}
			p.Runs = append(p.Runs, r)
		}
		return p
	}
	plans := map[string]*sensorPlan{"A": sensor("A", "A.1"), "B": sensor("B", "B.1", "B.2")}

	first, err := startAnalyzer(bin, srv.url, dir, freeAddr(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer first.cmd.Process.Kill()
	// Mid-run, the analyzer is killed and started again: it replays the
	// stream and follows it on.
	type restarted struct {
		a    *analyzer
		seen float64 // frames the first had read when killed
		err  error
	}
	second := make(chan restarted, 1)
	metrics2 := freeAddr(t)
	time.AfterFunc(restartAnalyzer, func() {
		seen := first.frames()
		first.cmd.Process.Kill()
		<-first.exited
		a, err := startAnalyzer(bin, srv.url, dir, metrics2, 2)
		second <- restarted{a, seen, err}
	})
	runLab(t, lab, "dmb", dir, plans)
	r := <-second
	if r.err != nil {
		t.Fatal(r.err)
	}
	defer r.a.cmd.Process.Kill()
	if r.seen <= 0 {
		t.Errorf("the first analyzer had read %v frames when killed, want some: it was not killed mid-run", r.seen)
	}
	if ws, _ := first.cmd.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Errorf("the first analyzer ended with %v before it was killed: %s", first.cmd.ProcessState, tail(first.errPath, 10))
	}

	// What each sensor run captured and published: its -w file, each
	// frame stored once.
	files := []string{"A.1", "B.1", "B.2"}
	total := 0
	published := regexp.MustCompile(`(?m)^nbtsniff: --publish: (\d+) frames stored in segment lab/[AB]$`)
	for _, f := range files {
		frames, err := frameData(path(f + ".pcapng"))
		if err != nil {
			t.Fatal(err)
		}
		total += len(frames)
		errText, _ := os.ReadFile(path(f + ".err"))
		m := published.FindSubmatch(errText)
		if m == nil || string(m[1]) != strconv.Itoa(len(frames)) || len(frames) == 0 {
			t.Errorf("sensor run %s: its -w file has %d frames; its stderr:\n%s", f, len(frames), errText)
		}
		t.Logf("sensor run %s: %d frames", f, len(frames))
	}

	// The restarted analyzer catches up with every frame, then stops on
	// SIGINT and prints the events of them all.
	deadline := time.Now().Add(90 * time.Second)
	for r.a.frames() != float64(total) && time.Now().Before(deadline) {
		time.Sleep(500 * time.Millisecond)
	}
	r.a.cmd.Process.Signal(os.Interrupt)
	select {
	case <-r.a.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("the analyzer did not stop on SIGINT:\n%s", tail(r.a.errPath, 10))
	}
	if code := r.a.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("the restarted analyzer exited %d:\n%s", code, tail(r.a.errPath, 10))
	}
	errText, _ := os.ReadFile(r.a.errPath)
	if want := fmt.Sprintf("nbtsniff: --subscribe: %d frames from 2 segments\n", total); !bytes.Contains(errText, []byte(want)) {
		t.Errorf("the restarted analyzer's stderr lacks %q (a frame missing or repeated?):\n%s", want, errText)
	}
	got, err := os.ReadFile(r.a.out)
	if err != nil {
		t.Fatal(err)
	}
	want := runBin(t, bin, "-r", "lab/A="+path("A.1.pcapng"), "-r", "lab/B="+path("B.1.pcapng"), "-r", "lab/B="+path("B.2.pcapng"), "-T", "events")
	if len(want) == 0 || !bytes.Equal(got, want) {
		t.Errorf("the central analyzer's events (%d lines) differ from -r lab/A=... -r lab/B=... over the sensors' -w files (%d lines):\n%s",
			bytes.Count(got, []byte("\n")), bytes.Count(want, []byte("\n")), firstDiff(got, want))
	}
	for _, seg := range []string{`"segment":"lab/A/198.18.1.255"`, `"segment":"lab/B/198.18.2.255"`, `"kind":"role.begin"`} {
		if !bytes.Contains(got, []byte(seg)) {
			t.Errorf("no %s in the analyzer's events", seg)
		}
	}
	t.Logf("central analyzer: %d frames, %d events (the first had read %v when killed at %v)", total, bytes.Count(got, []byte("\n")), r.seen, restartAnalyzer)
}
