package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
)

// natsServer is a nats-server with JetStream on a free loopback port, its
// store in a test directory. Without nats-server the test is skipped,
// unless NBTSNIFF_NATS_REQUIRED=1 (as in CI), which makes it fail.
type natsServer struct {
	cmd *exec.Cmd
	url string
	log bytes.Buffer
}

func startNATS(t *testing.T) *natsServer {
	t.Helper()
	bin, err := exec.LookPath("nats-server")
	if err != nil {
		if os.Getenv("NBTSNIFF_NATS_REQUIRED") == "1" {
			t.Fatalf("nats-server not found and NBTSNIFF_NATS_REQUIRED=1: %v", err)
		}
		t.Skip("nats-server not installed (Debian package nats-server); NBTSNIFF_NATS_REQUIRED=1 makes this a failure")
	}
	addr := freeAddr(t)
	host, port, _ := net.SplitHostPort(addr)
	s := &natsServer{url: "nats://" + addr}
	s.cmd = exec.Command(bin, "-a", host, "-p", port, "-js", "-sd", t.TempDir())
	s.cmd.Stdout, s.cmd.Stderr = &s.log, &s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		s.cmd.Wait()
		if t.Failed() {
			t.Logf("nats-server log:\n%s", s.log.String())
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("nats-server on %s not ready: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The sensors and the central analyzer over NATS, as the README shows
// them: two captures of the DMB scenario's subnets published with -r
// (numbered by position, so that a rerun adds nothing), and --subscribe
// --report gives the report of -r lab/A=... -r lab/B=... over the same
// files, byte for byte; --batch -T events the same events; --segments
// picks one segment.
func TestPublishSubscribeReport(t *testing.T) {
	srv := startNATS(t)
	a, b := pcap("dmb.subnetA.pcapng"), pcap("dmb.subnetB.pcapng")
	for _, s := range []struct{ seg, file, want string }{
		{"lab/A", a, "nbtsniff: --publish: 286 frames stored in segment lab/A\n"},
		{"lab/B", b, "nbtsniff: --publish: 248 frames stored in segment lab/B\n"},
		{"lab/A", a, "nbtsniff: --publish: 0 frames stored in segment lab/A, 286 already there\n"},
	} {
		code, out, stderr := runCLI("-r", s.file, "-q", "--publish", srv.url, "--segment", s.seg)
		if code != 0 || out != "" || stderr != s.want {
			t.Fatalf("-r %s --publish --segment %s: exit %d, stdout %q, stderr %q; want 0, nothing, %q", s.file, s.seg, code, out, stderr, s.want)
		}
	}
	summary := "534 packets captured\n0 packets dropped by kernel\nnbtsniff: --subscribe: 534 frames from 2 segments\n"
	for _, c := range []struct {
		sub, files []string
	}{
		{[]string{"--report"}, []string{"--report"}},
		{[]string{"--report=json"}, []string{"--report=json"}},
		{[]string{"--batch", "-T", "events"}, []string{"-T", "events"}},
	} {
		want := runOut(t, append([]string{"-r", "lab/A=" + a, "-r", "lab/B=" + b}, c.files...)...)
		code, got, stderr := runCLI(append([]string{"--subscribe", srv.url}, c.sub...)...)
		if code != 0 || stderr != summary {
			t.Errorf("--subscribe %v: exit %d, stderr %q, want 0 and %q", c.sub, code, stderr, summary)
		}
		if got != want {
			t.Errorf("--subscribe %v differs from -r lab/A=... -r lab/B=... %v:\n%s", c.sub, c.files, firstDiff([]byte(got), []byte(want)))
		}
	}
	want := runOut(t, "-r", "lab/B="+b, "--report")
	code, got, stderr := runCLI("--subscribe", srv.url, "--segments", "lab.B", "--report")
	if code != 0 || got != want {
		t.Errorf("--subscribe --segments lab.B --report: exit %d (%s); same as -r lab/B=...: %v", code, stderr, got == want)
	}
}

// A central analyzer following the stream (no --batch) with --metrics: it
// names each segment as it appears (lab/B after lab/A's frames), its
// metrics count every frame, and on SIGINT it prints the events of what
// it read.
func TestSubscribeFollows(t *testing.T) {
	srv := startNATS(t)
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--subscribe", srv.url, "-T", "events", "--metrics", addr}, strings.NewReader(""), &out, &errb)
	}()
	// waitMetrics waits until the metrics show want frames and ok says
	// they hold what else is wanted; the per-segment gauges are set once
	// a second.
	waitMetrics := func(want float64, ok func(map[string]float64) bool) map[string]float64 {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			m, err := scrape("http://" + addr + "/metrics")
			if err == nil && m["sum nbtsniff_frames_total"] == want && ok(m) {
				return m
			}
			if time.Now().After(deadline) {
				t.Fatalf("the analyzer counts %v frames (%v), want %v; metrics:\n%v", m["sum nbtsniff_frames_total"], err, want, m)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	any := func(map[string]float64) bool { return true }
	publish := func(seg, file string) {
		if code, _, stderr := runCLI("-r", file, "-q", "--publish", srv.url, "--segment", seg); code != 0 {
			t.Fatalf("--publish %s: %s", seg, stderr)
		}
	}
	publish("lab/A", pcap("dmb.subnetA.pcapng"))
	waitMetrics(286, any)
	publish("lab/B", pcap("dmb.subnetB.pcapng"))
	// Each segment's capture lag (these frames are weeks old) and its
	// sensor's kernel drops (none: it read a file).
	waitMetrics(534, func(m map[string]float64) bool {
		for _, seg := range []string{"lab/A", "lab/B"} {
			lag, ok := m[`nbtsniff_capture_lag_seconds{source="`+seg+`"}`]
			drops, ok2 := m[`nbtsniff_kernel_drops_total{interface="`+seg+`"}`]
			if !ok || !ok2 || lag < 86400 || drops != 0 {
				return false
			}
		}
		return true
	})
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	events := out.String()
	for _, seg := range []string{"lab/A/198.18.1.255", "lab/B/198.18.2.255"} {
		if !strings.Contains(events, `"segment":"`+seg+`"`) {
			t.Errorf("no event of segment %s: the segment found later was not named", seg)
		}
	}
	if strings.Contains(events, `"segment":"/`) {
		t.Error("an event has a segment without a label")
	}
	if !strings.Contains(errb.String(), "nbtsniff: --subscribe: 534 frames from 2 segments\n") {
		t.Errorf("stderr %q", errb.String())
	}
}

// --realtime hands the frames out at the pace of their capture times.
func TestRealtimePaces(t *testing.T) {
	base := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	src := &memSource{}
	for _, ms := range []int{0, 100, 300, 300, 400} {
		src.times = append(src.times, base.Add(time.Duration(ms)*time.Millisecond))
	}
	p := newPaced(context.Background(), src)
	start := time.Now()
	var pkt capture.Packet
	var at []time.Duration
	for p.Next(&pkt) == nil {
		at = append(at, time.Since(start))
	}
	if len(at) != 5 {
		t.Fatalf("%d frames, want 5", len(at))
	}
	for i, ms := range []int{0, 100, 300, 300, 400} {
		want := time.Duration(ms) * time.Millisecond
		if at[i] < want || at[i] > want+300*time.Millisecond {
			t.Errorf("frame %d handed out after %v, want %v", i+1, at[i], want)
		}
	}
	if c := p.clock(); c.Before(base.Add(400*time.Millisecond)) || c.After(base.Add(time.Second)) {
		t.Errorf("the replay clock reads %v, want just after the last frame's time", c)
	}
	// A done context ends a wait.
	ctx, cancel := context.WithCancel(context.Background())
	src = &memSource{times: []time.Time{base, base.Add(time.Hour)}}
	p = newPaced(ctx, src)
	p.Next(&pkt)
	time.AfterFunc(50*time.Millisecond, cancel)
	if err := p.Next(&pkt); err != io.EOF {
		t.Errorf("Next after cancel: %v, want io.EOF", err)
	}
}

// memSource hands out empty frames at the given times.
type memSource struct {
	mu    sync.Mutex
	times []time.Time
}

func (m *memSource) Next(p *capture.Packet) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.times) == 0 {
		return io.EOF
	}
	*p = capture.Packet{}
	p.CI.Timestamp = m.times[0]
	m.times = m.times[1:]
	return nil
}
func (m *memSource) Stats() capture.Stats { return capture.Stats{} }
func (m *memSource) Close() error         { return nil }

// syncBuffer is a bytes.Buffer safe for a writer and a reader in two
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A sensor that dies (SIGKILL: no end marker) holds the analyzer back at
// most --max-lag: the analyzer says which segment is late and goes on
// with the others.
func TestSubscribeSaysLate(t *testing.T) {
	srv := startNATS(t)
	bin := nbtsniffBinary(t)
	// Segment B replays the election capture, eleven minutes older than
	// the storm that segment A replays: A's frames wait for B.
	b := exec.Command(bin, "-r", pcap("election.pcapng"), "-q", "--realtime", "--publish", srv.url, "--segment", "lab/B")
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	defer b.Process.Kill()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	var errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--subscribe", srv.url, "-T", "events", "--max-lag", "1s"}, strings.NewReader(""), &out, &errb)
	}()
	time.Sleep(2 * time.Second) // B publishes its first seconds
	b.Process.Kill()
	b.Wait()
	if code, _, stderr := runCLI("-r", pcap("storm.pcapng"), "-q", "--publish", srv.url, "--segment", "lab/A"); code != 0 {
		t.Fatalf("--publish lab/A: %s", stderr)
	}
	late := regexp.MustCompile(`nbtsniff: --subscribe: segment lab/B is late \(silent \d+(\.\d)?s, 1\d?m[\d.]+s behind\): the others go on without it\n`)
	deadline := time.Now().Add(20 * time.Second)
	for !late.MatchString(errb.String()) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !late.MatchString(errb.String()) {
		t.Errorf("stderr %q: want lab/B said late", errb.String())
	}
	if !strings.Contains(out.String(), `"segment":"lab/A/198.18.1.255","workgroup":"LABWG","host":"CLIENT","addr":"198.18.1.99","anomaly":"election_storm"`) {
		t.Errorf("the storm on lab/A did not go on without lab/B: %d bytes of events", out.Len())
	}
}
