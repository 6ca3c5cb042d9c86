package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestLabMonitor runs nbtsniff unattended in the Samba lab, two scenarios
// at once (each lab under its own namespace prefix), against the real
// components:
//
//   - storm: a live sensor on the bridge (-i br0 -q -w --metrics
//     --events-file --on-alert) is scraped by a real Prometheus loaded
//     with contrib/prometheus's rules, and NbtsniffElectionStorm fires
//     (Prometheus' /api/v1/alerts) while the storm goes on; the events
//     file equals -T events of its -w file, and the alert command got the
//     storm's event.
//   - dmb: a sensor on each subnet (-i br0 -w --publish --segment
//     lab/A|B) and a central analyzer (--subscribe -T events) in the
//     test's namespace, through a real nats-server; sensor B is restarted
//     mid-run, then the analyzer is killed (SIGKILL) and started again.
//     The restarted analyzer's events equal those of -r lab/A=... -r
//     lab/B=... over the sensors' own -w files, it read every frame the
//     sensors wrote, and none twice.
//
// The gates are TestLabLiveCapture's (root, ip netns, the lab's tools;
// NBTSNIFF_LAB_REQUIRED), plus prometheus and nats-server
// (NBTSNIFF_PROMETHEUS_REQUIRED, NBTSNIFF_NATS_REQUIRED). The two
// scenarios take about four minutes together; -short skips them.
func TestLabMonitor(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the lab runs take about four minutes")
	}
	requireLab(t)
	lab := labScript(t)
	tools := map[string]string{}
	for name, env := range map[string]string{"prometheus": "NBTSNIFF_PROMETHEUS_REQUIRED", "nats-server": "NBTSNIFF_NATS_REQUIRED"} {
		p, err := exec.LookPath(name)
		if err != nil {
			msg := fmt.Sprintf("%s not installed (apt-get install prometheus nats-server): %v", name, err)
			if os.Getenv(env) == "1" || os.Getenv("NBTSNIFF_LAB_REQUIRED") != "" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
		tools[name] = p
	}
	bin := nbtsniffBinary(t)
	t.Run("storm-prometheus", func(t *testing.T) {
		t.Parallel()
		labStormPrometheus(t, lab, bin, tools["prometheus"])
	})
	t.Run("dmb-nats", func(t *testing.T) {
		t.Parallel()
		labDMBNATS(t, lab, bin, tools["nats-server"])
	})
}

// runLab runs a scenario with the sensor harness as its sniffer; it
// returns when lab.sh is done.
func runLab(t *testing.T, lab, scenario, dir string, plans map[string]*sensorPlan) {
	t.Helper()
	planFile, err := writePlans(dir, plans)
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	logPath := filepath.Join(dir, "lab.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.CommandContext(ctx, lab, "run", scenario)
	cmd.Env = append(os.Environ(),
		"NBLAB_PREFIX=nbm"+scenario[:1]+strconv.Itoa(os.Getpid()%10000),
		"NBLAB_RUN="+filepath.Join(dir, "run"),
		"NBLAB_LOGS="+filepath.Join(dir, "logs"),
		"NBLAB_SNIFFER=exec "+shellQuote(self)+` -test.run='^$' -test.timeout=0 -- `+shellQuote(planFile)+` "$SUBNET_NAME"`,
		"NBTSNIFF_LAB_SENSOR=1",
	)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = time.Minute
	start := time.Now()
	err = cmd.Run()
	t.Logf("lab.sh run %s: %v", scenario, time.Since(start).Round(time.Second))
	if err != nil {
		t.Fatalf("lab.sh run %s: %v\n%s", scenario, err, tail(logPath, 40))
	}
	for sub, p := range plans {
		rc, err := os.ReadFile(p.RC)
		if err != nil {
			t.Fatalf("sensor %s left no exit status: %v\n%s", sub, err, tail(logPath, 30))
		}
		for _, l := range strings.Split(strings.TrimSpace(string(rc)), "\n") {
			t.Logf("sensor %s: %s", sub, l)
			if !strings.HasSuffix(l, " exit=0") {
				t.Errorf("sensor %s: %s, want a clean exit 0", sub, l)
			}
		}
	}
}

func labStormPrometheus(t *testing.T, lab, bin, prometheus string) {
	dir := t.TempDir()
	target := freeAddr(t) // the sensor's metrics, forwarded to this namespace
	path := func(name string) string { return filepath.Join(dir, name) }
	plans := map[string]*sensorPlan{"A": {
		RootNetns: fmt.Sprintf("/proc/%d/ns/net", os.Getpid()),
		FromRoot:  []forward{{Listen: target, Dial: "127.0.0.1:9137"}},
		Bin:       bin,
		RC:        path("sensor-A.rc"),
		Runs: []sensorRun{{
			Args: []string{"-i", "br0", "-q", "-w", path("storm.pcapng"), "--metrics", "127.0.0.1:9137",
				"--events-file", path("events.jsonl"), "--on-alert", "cat >> " + shellQuote(path("alerts.jsonl"))},
			Stdout: path("sensor-A.out"), Stderr: path("sensor-A.err"),
		}},
	}}
	api := startPrometheus(t, prometheus, dir, target)

	// Poll Prometheus while the lab runs: when did the storm alert fire?
	var fired, scraped atomic.Int64
	stop := make(chan struct{})
	polled := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(polled)
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Second):
			}
			if r, err := promQuery(api, `sum(nbtsniff_frames_total)`); err == nil && len(r) == 1 && scraped.Load() == 0 && r[0] != "0" {
				scraped.Store(int64(time.Since(start)))
			}
			alerts, _ := promAlerts(api)
			for _, a := range alerts {
				if a.Labels["alertname"] == "NbtsniffElectionStorm" && a.State == "firing" &&
					a.Labels["segment"] == "br0/198.18.1.255" && a.Labels["workgroup"] == "LABWG" && fired.Load() == 0 {
					fired.Store(int64(time.Since(start)))
				}
			}
		}
	}()
	runLab(t, lab, "storm", dir, plans)
	ran := time.Since(start)
	close(stop)
	<-polled
	if scraped.Load() == 0 {
		t.Errorf("Prometheus never scraped a frame from the live sensor")
	}
	if fired.Load() == 0 {
		t.Errorf("NbtsniffElectionStorm did not fire during the storm scenario (%v)", ran.Round(time.Second))
	} else {
		t.Logf("Prometheus: first frames scraped at %v, NbtsniffElectionStorm firing at %v of %v",
			time.Duration(scraped.Load()).Round(time.Second), time.Duration(fired.Load()).Round(time.Second), ran.Round(time.Second))
	}

	// The events file is the -w file's events; the alert command got the
	// storm's event line.
	events, err := os.ReadFile(path("events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	replay := runBin(t, bin, "-r", "br0="+path("storm.pcapng"), "-T", "events")
	if len(events) == 0 || !bytes.Equal(events, replay) {
		t.Errorf("--events-file (%d lines) differs from the events of the -w file (%d lines):\n%s",
			bytes.Count(events, []byte("\n")), bytes.Count(replay, []byte("\n")), firstDiff(events, replay))
	}
	alerts, err := os.ReadFile(path("alerts.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var storm string
	for _, l := range strings.Split(string(events), "\n") {
		if strings.Contains(l, `"anomaly":"election_storm"`) {
			storm = l
			break
		}
	}
	if storm == "" || !strings.Contains(string(alerts), storm+"\n") {
		t.Errorf("--on-alert did not get the storm's event %q; it got:\n%s", storm, alerts)
	}
}

// startPrometheus starts a Prometheus scraping target every second with
// the project's rules, and returns its API's base URL.
func startPrometheus(t *testing.T, bin, dir, target string) string {
	t.Helper()
	rules, err := filepath.Abs(filepath.Join("..", "..", "contrib", "prometheus", "nbtsniff.rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files: [%q]\nscrape_configs:\n  - job_name: nbtsniff\n    static_configs:\n      - targets: [%q]\n", rules, target)
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	web := freeAddr(t)
	logf, err := os.Create(filepath.Join(dir, "prometheus.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "tsdb"), "--web.listen-address="+web, "--log.level=warn")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		logf.Close()
		if t.Failed() {
			t.Logf("prometheus log:\n%s", tail(logf.Name(), 30))
		}
	})
	api := "http://" + web
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if resp, err := http.Get(api + "/-/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return api
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("prometheus not ready on %s:\n%s", web, tail(logf.Name(), 20))
		}
	}
}

// promQuery returns the values of an instant query.
func promQuery(api, q string) ([]string, error) {
	var out struct {
		Data struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := getJSON(api+"/api/v1/query?query="+url.QueryEscape(q), &out); err != nil {
		return nil, err
	}
	var vals []string
	for _, r := range out.Data.Result {
		vals = append(vals, fmt.Sprint(r.Value[1]))
	}
	return vals, nil
}

type promAlert struct {
	Labels map[string]string `json:"labels"`
	State  string            `json:"state"`
}

func promAlerts(api string) ([]promAlert, error) {
	var out struct {
		Data struct {
			Alerts []promAlert `json:"alerts"`
		} `json:"data"`
	}
	err := getJSON(api+"/api/v1/alerts", &out)
	return out.Data.Alerts, err
}

func getJSON(u string, v any) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", u, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}
