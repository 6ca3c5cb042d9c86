package alert

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// sink records what it was sent; block, when set, holds each Send until
// it is closed (started says a Send began); err is returned by each Send.
type sink struct {
	mu      sync.Mutex
	got     []string
	block   chan struct{}
	started chan struct{}
	err     error
}

func (s *sink) Send(ctx context.Context, a *Alert) error {
	if s.started != nil {
		s.started <- struct{}{}
	}
	if s.block != nil {
		select {
		case <-s.block:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.mu.Lock()
	s.got = append(s.got, a.Kind+"/"+a.Host)
	s.mu.Unlock()
	return s.err
}

// outcomes records OnOutcome's calls.
type outcomes struct {
	mu  sync.Mutex
	got []string
}

func (o *outcomes) on(a *Alert, oc Outcome, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := oc.String() + " " + a.Kind + "/" + a.Host
	if err != nil {
		s += ": " + err.Error()
	}
	o.got = append(o.got, s)
}

var t0 = time.Date(2026, 11, 22, 0, 58, 11, 613000000, time.UTC)

func storm(at time.Duration, host string) Alert {
	return Alert{Time: t0.Add(at), Class: ClassAnomaly, Kind: "election_storm", Segment: "lab/198.18.1.255", Workgroup: "LABWG", Host: host}
}

// Deduplication per class, kind, segment, workgroup and host, on capture
// time: the window runs from the last alert sent.
func TestDedupWindow(t *testing.T) {
	s := &sink{}
	d := NewDispatcher(s, Options{Window: 10 * time.Minute})
	diag := storm(time.Minute, "DELTA")
	diag.Class = ClassDiagnosis
	split := storm(time.Minute, "DELTA")
	split.Kind = "split_brain"
	otherSeg := storm(time.Minute, "DELTA")
	otherSeg.Segment = "branch/10.1.2.255"
	noTime := storm(0, "DELTA")
	noTime.Time = time.Time{}
	steps := []struct {
		a    Alert
		want Outcome
	}{
		{storm(0, "DELTA"), Queued},
		{storm(time.Minute, "DELTA"), Deduplicated},
		{storm(time.Minute, "FOXTROT"), Queued},
		{split, Queued},
		{diag, Queued},
		{otherSeg, Queued},
		{storm(10*time.Minute-time.Millisecond, "DELTA"), Deduplicated},
		{storm(10*time.Minute, "DELTA"), Queued},
		{storm(15*time.Minute, "DELTA"), Deduplicated},
		{noTime, Deduplicated}, // no time: the latest seen (15 min), within the window
		{storm(20*time.Minute, "DELTA"), Queued},
	}
	for i, st := range steps {
		if got := d.Submit(st.a); got != st.want {
			t.Errorf("step %d (%s at %v): %v, want %v", i, st.a.Host, st.a.Time.Sub(t0), got, st.want)
		}
	}
	d.Close()
	want := "[election_storm/DELTA election_storm/FOXTROT split_brain/DELTA election_storm/DELTA election_storm/DELTA election_storm/DELTA election_storm/DELTA]"
	if fmt.Sprint(s.got) != want {
		t.Errorf("sent %v, want %v", s.got, want)
	}
	if d.Count(Sent) != 7 || d.Count(Deduplicated) != 4 || d.Count(Queued) != 7 {
		t.Errorf("counts: sent %d, deduplicated %d, queued %d", d.Count(Sent), d.Count(Deduplicated), d.Count(Queued))
	}
}

// The token bucket runs on the injected clock, not on the alerts' times.
func TestRateLimitInjectedClock(t *testing.T) {
	now := t0
	d := NewDispatcher(&sink{}, Options{Every: time.Minute, Burst: 2, Now: func() time.Time { return now }})
	defer d.Close()
	var got []string
	for i, step := range []struct {
		at time.Duration
		n  int
	}{{0, 3}, {30 * time.Second, 1}, {time.Minute, 2}, {5 * time.Minute, 3}} {
		now = t0.Add(step.at)
		var s []string
		for j := range step.n {
			// Alert times far apart: were they the clock, nothing would be limited.
			a := storm(time.Duration(i*10+j)*time.Hour, fmt.Sprintf("H%d%d", i, j))
			s = append(s, d.Submit(a).String())
		}
		got = append(got, step.at.String()+": "+strings.Join(s, " "))
	}
	want := "[0s: queued queued rate_limited 30s: rate_limited 1m0s: queued rate_limited 5m0s: queued queued rate_limited]"
	if fmt.Sprint(got) != want {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

// Without a clock, the capture time of the alerts fills the bucket: a
// replayed capture is limited as it was live.
func TestRateLimitCaptureTime(t *testing.T) {
	d := NewDispatcher(&sink{}, Options{Every: time.Minute, Burst: 1})
	defer d.Close()
	var got []string
	for i, at := range []time.Duration{0, 10 * time.Second, 59 * time.Second, 60 * time.Second, 61 * time.Second, 3 * time.Minute} {
		got = append(got, d.Submit(storm(at, fmt.Sprint("H", i))).String())
	}
	if want := "[queued rate_limited rate_limited queued rate_limited queued]"; fmt.Sprint(got) != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

// A sink that does not return holds its worker, never the caller: the
// queue fills and further alerts are QueueFull, reported at once.
func TestQueueFullNeverBlocks(t *testing.T) {
	s := &sink{block: make(chan struct{}), started: make(chan struct{}, 8)}
	var oc outcomes
	d := NewDispatcher(s, Options{Queue: 2, Timeout: time.Hour, OnOutcome: oc.on})
	if got := d.Submit(storm(0, "A")); got != Queued {
		t.Fatalf("first: %v", got)
	}
	<-s.started // the worker holds A; the queue is empty
	var got []string
	for _, h := range []string{"B", "C", "D", "E"} {
		got = append(got, d.Submit(storm(0, h)).String())
	}
	if want := "[queued queued queue_full queue_full]"; fmt.Sprint(got) != want {
		t.Errorf("got %v, want %v", got, want)
	}
	close(s.block)
	d.Close()
	if fmt.Sprint(s.got) != "[election_storm/A election_storm/B election_storm/C]" {
		t.Errorf("sent %v", s.got)
	}
	want := "[queue_full election_storm/D queue_full election_storm/E sent election_storm/A sent election_storm/B sent election_storm/C]"
	if fmt.Sprint(oc.got) != want {
		t.Errorf("outcomes %v\nwant     %v", oc.got, want)
	}
	if got := d.Submit(storm(0, "F")); got != Closed {
		t.Errorf("after Close: %v, want closed", got)
	}
}

// A failing sink is reported with its error and the next alert goes on.
func TestSinkFails(t *testing.T) {
	var oc outcomes
	d := NewDispatcher(&sink{err: errors.New("pager unreachable")}, Options{OnOutcome: oc.on})
	d.Submit(storm(0, "A"))
	d.Submit(storm(0, "B"))
	d.Close()
	want := "[failed election_storm/A: pager unreachable failed election_storm/B: pager unreachable]"
	if fmt.Sprint(oc.got) != want || d.Count(Failed) != 2 {
		t.Errorf("outcomes %v (failed %d), want %v", oc.got, d.Count(Failed), want)
	}
}

// The dedup table keeps at most MaxKeys alerts: the expired go first,
// then the oldest.
func TestDedupBounded(t *testing.T) {
	d := NewDispatcher(&sink{}, Options{Window: 10 * time.Minute, MaxKeys: 3})
	defer d.Close()
	for i, h := range []string{"A", "B", "C"} {
		d.Submit(storm(time.Duration(i)*time.Minute, h))
	}
	d.Submit(storm(3*time.Minute, "D")) // evicts A, the oldest
	if n := len(d.seen); n != 3 {
		t.Errorf("%d keys kept, want 3", n)
	}
	if got := d.Submit(storm(4*time.Minute, "A")); got != Queued {
		t.Errorf("A after eviction: %v, want queued", got)
	}
	if got := d.Submit(storm(4*time.Minute, "C")); got != Deduplicated {
		t.Errorf("C: %v, want deduplicated", got)
	}
	d.Submit(storm(30*time.Minute, "E")) // all others expired
	if n := len(d.seen); n != 1 {
		t.Errorf("%d keys kept after the window passed, want 1", n)
	}
}
