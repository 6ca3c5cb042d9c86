package metrics

import (
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// Serve's /metrics, scraped over HTTP as Prometheus does: the storm
// capture's counters and an escaped master name arrive, in the text
// format and gzip-compressed when asked.
func TestServeScrape(t *testing.T) {
	c := New(Options{})
	replay(t, c, labCapture(t, "storm"), "lab", nil)
	c.Snapshot(&timeline.Snapshot{Groups: []*timeline.Group{{Segment: "lab/198.18.1.255", Workgroup: "LABWG", LMB: []string{"EVIL\x1b[2J"}}}})
	srv, err := c.Serve("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	}()
	url := "http://" + srv.Addr().String() + "/metrics"

	expected := `
# HELP nbtsniff_frames_total Frames decoded, by the topmost NetBIOS protocol in them (other: nothing above TCP or UDP).
# TYPE nbtsniff_frames_total counter
nbtsniff_frames_total{protocol="browser"} 114
nbtsniff_frames_total{protocol="lanman"} 0
nbtsniff_frames_total{protocol="mailslot"} 0
nbtsniff_frames_total{protocol="nbdgm"} 0
nbtsniff_frames_total{protocol="nbns"} 221
nbtsniff_frames_total{protocol="nbss"} 0
nbtsniff_frames_total{protocol="other"} 0
nbtsniff_frames_total{protocol="rap"} 0
nbtsniff_frames_total{protocol="smb"} 0
nbtsniff_frames_total{protocol="smb2"} 0
nbtsniff_frames_total{protocol="smbtrans"} 0
# HELP nbtsniff_master_info The local master browser in office per segment and workgroup (1 per master; the series goes when the role ends).
# TYPE nbtsniff_master_info gauge
nbtsniff_master_info{master="EVIL\\x1b[2J",segment="lab/198.18.1.255",workgroup="LABWG"} 1
`
	if err := testutil.ScrapeAndCompare(url, strings.NewReader(expected), "nbtsniff_frames_total", "nbtsniff_master_info"); err != nil {
		t.Error(err)
	}

	// Plain text, as curl sees it, and gzip as Prometheus asks.
	for _, enc := range []string{"", "gzip"} {
		req, _ := http.NewRequest("GET", url, nil)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		if got := resp.Header.Get("Content-Encoding"); got != enc {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q", enc, got)
		}
		var body io.Reader = resp.Body
		if enc == "gzip" {
			// The transport did not decompress: the request set the header.
			body = gunzip(t, resp.Body)
		}
		parser := expfmt.NewTextParser(model.LegacyValidation)
		mfs, err := parser.TextToMetricFamilies(body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("parse %s: %v", enc, err)
		}
		mf := mfs["nbtsniff_elections_total"]
		if mf == nil || len(mf.GetMetric()) != 1 || mf.GetMetric()[0].GetCounter().GetValue() <= 5 {
			t.Errorf("%s: nbtsniff_elections_total = %v, want one series above 5", enc, mf)
		}
		if mfs["go_memstats_heap_alloc_bytes"] == nil || mfs["promhttp_metric_handler_requests_total"] == nil {
			t.Errorf("%s: the Go runtime and promhttp metrics are missing", enc)
		}
	}

	resp, err := http.Get("http://" + srv.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET / = %d, want 404 (only /metrics is served)", resp.StatusCode)
	}
}

// An address that cannot be listened on is an error at once.
func TestServeBadAddr(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c := New(Options{})
	if srv, err := c.Serve(ln.Addr().String()); err == nil {
		srv.Close()
		t.Errorf("Serve on a port in use: no error")
	}
	if _, err := c.Serve("nonsense"); err == nil {
		t.Errorf("Serve(\"nonsense\"): no error")
	}
}

func gunzip(t *testing.T, r io.Reader) io.Reader {
	t.Helper()
	z, err := gzip.NewReader(r)
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	return z
}
