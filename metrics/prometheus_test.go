package metrics

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// requiredEnv turns the skips of the tests below into failures (.ci/run
// sets it, where Debian's prometheus package is installed).
const requiredEnv = "NBTSNIFF_PROMETHEUS_REQUIRED"

// tool finds a Prometheus program, skipping the test when it is absent
// (failing under NBTSNIFF_PROMETHEUS_REQUIRED=1).
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		msg := fmt.Sprintf("%s not installed (Debian package prometheus): %v", name, err)
		if os.Getenv(requiredEnv) == "1" {
			t.Fatalf("%s, and %s=1", msg, requiredEnv)
		}
		t.Skipf("%s; %s=1 makes this a failure", msg, requiredEnv)
	}
	return p
}

var rulesDir = filepath.Join("..", "contrib", "prometheus")

// The shipped rules pass promtool's checks and their unit tests.
func TestPromtoolRules(t *testing.T) {
	promtool := tool(t, "promtool")
	for _, args := range [][]string{
		{"check", "rules", "nbtsniff.rules.yml"},
		{"test", "rules", "nbtsniff.rules.test.yml"},
	} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = rulesDir
		out, err := cmd.CombinedOutput()
		if err != nil || !bytes.Contains(out, []byte("SUCCESS")) {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// Every nbtsniff_ metric the rules and their tests name is one the
// collector exports: a renamed metric cannot leave a rule that never fires.
func TestRulesUseExportedMetrics(t *testing.T) {
	exported := map[string]bool{}
	ch := make(chan *prometheus.Desc, 64)
	for _, coll := range New(Options{}).own {
		coll.Describe(ch)
	}
	close(ch)
	fq := regexp.MustCompile(`fqName: "([^"]+)"`)
	for d := range ch {
		if m := fq.FindStringSubmatch(d.String()); m != nil {
			exported[m[1]] = true
		}
	}
	if len(exported) != 19 {
		t.Errorf("the collector describes %d metrics, doc.go lists 19: %v", len(exported), exported)
	}
	re := regexp.MustCompile(`\bnbtsniff_[a-z_]+[a-z]`)
	for _, f := range []string{"nbtsniff.rules.yml", "nbtsniff.rules.test.yml", "../../metrics/doc.go"} {
		b, err := os.ReadFile(filepath.Join(rulesDir, f))
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, n := range re.FindAllString(string(b), -1) {
			names[n] = true
		}
		if len(names) < 6 {
			t.Errorf("%s names only %v", f, names)
		}
		for n := range names {
			if !exported[n] {
				t.Errorf("%s names %s, which the collector does not export", f, n)
			}
		}
	}
}

// A real Prometheus server scrapes Serve's endpoint and evaluates the
// shipped rules: the storm alert fires when the storm lab capture is
// replayed, and the escaped name of a master is stored as it was served.
func TestPrometheusScrapesAndAlerts(t *testing.T) {
	bin := tool(t, "prometheus")
	rules, err := filepath.Abs(filepath.Join(rulesDir, "nbtsniff.rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	const seg, wg = "lab/198.18.1.255", "LABWG"
	c := New(Options{})
	c.Snapshot(&timeline.Snapshot{Time: time.Now(), Groups: []*timeline.Group{{Segment: seg, Workgroup: wg, LMB: []string{"EVIL\x1b[2J"}}}})
	srv, err := c.Serve("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	dir := t.TempDir()
	cfg := fmt.Sprintf(`global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [%q]
scrape_configs:
  - job_name: nbtsniff
    static_configs:
      - targets: [%q]
`, rules, srv.Addr().String())
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	web := freePort(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var log bytes.Buffer
	cmd := exec.CommandContext(ctx, bin,
		"--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+web,
		"--log.level=warn")
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		cmd.Wait()
		if t.Failed() {
			t.Logf("prometheus log:\n%s", log.String())
		}
	}()
	api := "http://" + web

	// Scraped: the election counter's series exists, at 0.
	waitFor(t, ctx, "the first scrape of nbtsniff_elections_total", func() (bool, string) {
		r, err := query(api, `nbtsniff_elections_total{segment="`+seg+`",workgroup="`+wg+`"}`)
		return err == nil && len(r) == 1 && r[0].Value[1] == "0", fmt.Sprint(r, err)
	})
	r, err := query(api, `nbtsniff_master_info`)
	if err != nil || len(r) != 1 || r[0].Metric["master"] != `EVIL\x1b[2J` {
		t.Errorf("nbtsniff_master_info in Prometheus = %v (%v), want master EVIL\\x1b[2J", r, err)
	}
	if r, err := query(api, `up{job="nbtsniff"}`); err != nil || len(r) != 1 || r[0].Value[1] != "1" {
		t.Errorf("up = %v (%v)", r, err)
	}

	// The storm scenario, replayed through the frame loop: its elections
	// reach the next scrape together, and the rule fires.
	rp := replay(t, c, labCapture(t, "storm"), "lab", func(r *replayed, f *dissect.Frame) {
		if c.SnapshotDue(f.Time) {
			c.Snapshot(r.tr.Snapshot())
		}
	})
	waitFor(t, ctx, "the storm's frames in Prometheus", func() (bool, string) {
		r, err := query(api, `sum(nbtsniff_frames_total)`)
		return err == nil && len(r) == 1 && r[0].Value[1] == "335", fmt.Sprint(r, err)
	})
	if len(rp.events) == 0 {
		t.Fatal("the storm capture made no events")
	}
	waitFor(t, ctx, "NbtsniffElectionStorm firing", func() (bool, string) {
		alerts, err := firing(api)
		for _, a := range alerts {
			if a.Labels["alertname"] == "NbtsniffElectionStorm" && a.State == "firing" &&
				a.Labels["segment"] == seg && a.Labels["workgroup"] == wg {
				return true, ""
			}
		}
		return false, fmt.Sprint(alerts, err)
	})
}

// freePort returns a loopback address whose port was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitFor polls cond every 250 ms until it holds or ctx ends.
func waitFor(t *testing.T, ctx context.Context, what string, cond func() (bool, string)) {
	t.Helper()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	last := ""
	for {
		ok, state := cond()
		if ok {
			return
		}
		last = state
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v; last seen: %s", what, ctx.Err(), last)
		case <-tick.C:
		}
	}
}

type sample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

// query runs an instant query through Prometheus' HTTP API.
func query(api, q string) ([]sample, error) {
	var out struct {
		Status string `json:"status"`
		Data   struct {
			Result []sample `json:"result"`
		} `json:"data"`
	}
	if err := getJSON(api+"/api/v1/query?query="+url.QueryEscape(q), &out); err != nil {
		return nil, err
	}
	sort.Slice(out.Data.Result, func(i, j int) bool {
		return fmt.Sprint(out.Data.Result[i].Metric) < fmt.Sprint(out.Data.Result[j].Metric)
	})
	return out.Data.Result, nil
}

type alert struct {
	Labels map[string]string `json:"labels"`
	State  string            `json:"state"`
	Value  string            `json:"value"`
}

func firing(api string) ([]alert, error) {
	var out struct {
		Data struct {
			Alerts []alert `json:"alerts"`
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
