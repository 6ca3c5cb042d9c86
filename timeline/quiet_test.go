package timeline

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"path/filepath"
	"testing"
	"time"
)

// checkQuiet fails unless nothing the tracker would do in Advance is due
// before tr.quiet: no timer of the heap, no live timer of the
// browseQueue, no diagnosis tick.
func checkQuiet(t *testing.T, what string, tr *Tracker) {
	t.Helper()
	if tr.nowAt != instantOf(tr.now) || tr.quietAt != instantOf(tr.quiet) {
		t.Fatalf("%s: now %v and quiet %v as instants %+v and %+v", what, tr.now, tr.quiet, tr.nowAt, tr.quietAt)
	}
	if tr.quiet.IsZero() {
		return
	}
	if !tr.cfg.At.IsZero() {
		t.Fatalf("%s: quiet %v with Config.At set", what, tr.quiet)
	}
	if tr.quiet.After(tr.dg.due) {
		t.Fatalf("%s: quiet %v after the diagnosis tick %v", what, tr.quiet, tr.dg.due)
	}
	for _, k := range tr.timers.keys {
		if at := time.Unix(k.sec, int64(k.nsec)); at.Before(tr.quiet) {
			t.Fatalf("%s: quiet %v after a timer of the heap due %v", what, tr.quiet, at)
		}
	}
	q := &tr.browseQ
	for i := range q.len() {
		if x := q.at(i); x.live() && x.deadline().Before(tr.quiet) {
			t.Fatalf("%s: quiet %v after the Browse List expiry of %s due %v", what, tr.quiet, x.srv.Name, x.deadline())
		}
	}
}

// eventLines renders events for comparison (their data by value).
func eventLines(evs []Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		d, err := json.Marshal(e.Data)
		if err != nil {
			d = []byte(err.Error())
		}
		e.Data = nil
		out[i] = fmt.Sprintf("%+v %s", e, d)
	}
	return out
}

// TestQuietObservations: the observations that skip Advance (before
// Tracker.quiet) leave the tracker as Advance would. On every lab
// capture, at default and at small bounds (Browse List entries forgotten
// and timers rescheduled all the time) and with timers shorter than the
// diagnoses' 10 s (so that a timer scheduled lowers quiet), quiet never passes a due timer or
// tick after any observation, and the events and the final report are
// those of a tracker that takes every observation through Advance.
func TestQuietObservations(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(labDir, "*.pcapng"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no lab captures in %s: %v", labDir, err)
	}
	small := DefaultConfig()
	small.MaxServers, small.MaxHosts, small.MaxNames = 8, 16, 16
	// Short timers: deadlines before the next diagnosis tick (10 s), in
	// the heap and in the browseQueue.
	short := DefaultConfig()
	short.ElectionTimeout, short.ElectionSettle = 1500*time.Millisecond, 700*time.Millisecond
	short.MinPeriodicity, short.MaxPeriodicity = time.Millisecond, 2*time.Millisecond
	short.DefaultExpiry, short.SyncExpiry, short.DomainExpiry = 3*time.Second, 2*time.Second, 4*time.Second
	shortSmall := short
	shortSmall.MaxServers, shortSmall.MaxHosts, shortSmall.MaxNames = 8, 16, 16
	skipped := 0
	for _, p := range paths {
		obs := readObservations(t, p, "lab")
		for ci, cfg := range []Config{DefaultConfig(), small, short, shortSmall} {
			what := fmt.Sprintf("%s, config %d", filepath.Base(p), ci)
			var fast, slow []Event
			a := New(cfg, func(e Event) { fast = append(fast, e) })
			b := New(cfg, func(e Event) { slow = append(slow, e) })
			var last time.Time
			for i, o := range obs {
				m := o.meta()
				if at := instantOf(m.Time); !at.before(a.nowAt) && at.before(a.quietAt) {
					skipped++
				}
				a.Observe(o)
				checkQuiet(t, fmt.Sprintf("%s, after observation %d (frame %d)", what, i, m.Frame), a)
				b.quiet, b.quietAt = time.Time{}, instantOf(time.Time{}) // every observation through Advance
				b.Observe(o)
				last = m.Time
			}
			a.Finish(last)
			b.Finish(last)
			fl, sl := eventLines(fast), eventLines(slow)
			if len(fl) != len(sl) {
				t.Fatalf("%s: %d events, %d through Advance", what, len(fl), len(sl))
			}
			for i := range fl {
				if fl[i] != sl[i] {
					t.Fatalf("%s: event %d is\n%s\nthrough Advance\n%s", what, i, fl[i], sl[i])
				}
			}
			fa, err := json.Marshal(a.FinalSnapshot())
			if err != nil {
				t.Fatal(err)
			}
			fb, err := json.Marshal(b.FinalSnapshot())
			if err != nil {
				t.Fatal(err)
			}
			if string(fa) != string(fb) {
				t.Fatalf("%s: the final snapshots differ", what)
			}
		}
	}
	if skipped == 0 {
		t.Fatal("no observation skipped Advance: the test tests nothing")
	}
	t.Logf("%d observations skipped Advance", skipped)
}

// TestQuietLowered: each way a timer is scheduled lowers quiet to its
// deadline (the heap, the browseQueue, a heap timer moved earlier), and
// quietUntil reads the browseQueue past a stale head, whose entry may
// since hold a later deadline than the live timers behind it.
func TestQuietLowered(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	far := t0.Add(time.Hour)
	newTr := func() *Tracker {
		tr := New(DefaultConfig(), nil)
		tr.dg.due = far
		tr.quiet, tr.quietAt = far, instantOf(far)
		return tr
	}
	entry := func(at time.Time) *Server {
		e := &Server{Name: "HOST", Expires: at}
		e.age.in = true
		return e
	}

	tr := newTr()
	tr.schedule(t0.Add(5*time.Second), timerDomain, nil, &segState{}, "WG")
	if !tr.quiet.Equal(t0.Add(5*time.Second)) || tr.quietAt != instantOf(tr.quiet) {
		t.Errorf("a heap timer: quiet %v, want %v", tr.quiet, t0.Add(5*time.Second))
	}

	tr = newTr()
	e := entry(t0.Add(7 * time.Second))
	e.seq = tr.scheduleEntry(e)
	if e.timer != inQueue || !tr.quiet.Equal(e.Expires) {
		t.Errorf("a queued expiry: timer %d, quiet %v, want in the queue, %v", e.timer, tr.quiet, e.Expires)
	}

	// An expiry earlier than the queue's tail goes into the heap; moved
	// earlier again, its heap timer is reset.
	tr = newTr()
	late := entry(t0.Add(30 * time.Minute))
	late.seq = tr.scheduleEntry(late)
	e = entry(t0.Add(20 * time.Minute))
	e.seq = tr.scheduleEntry(e)
	if e.timer <= 0 {
		t.Fatalf("an expiry before the queue's tail: timer %d, want one in the heap", e.timer)
	}
	tr.quiet, tr.quietAt = far, instantOf(far)
	e.Expires = t0.Add(3 * time.Second)
	e.seq = tr.scheduleEntry(e)
	if !tr.quiet.Equal(e.Expires) || tr.quietAt != instantOf(e.Expires) {
		t.Errorf("a heap expiry moved earlier: quiet %v, want %v", tr.quiet, e.Expires)
	}

	// A stale head (its entry refreshed since, the refresh's timer
	// elsewhere) does not hide the live timer behind it.
	tr = newTr()
	a, b := entry(t0.Add(10*time.Second)), entry(t0.Add(20*time.Second))
	a.seq = tr.scheduleEntry(a)
	b.seq = tr.scheduleEntry(b)
	a.seq++
	a.Expires = t0.Add(50 * time.Second)
	if q := tr.quietUntil(); !q.Equal(b.Expires) {
		t.Errorf("a stale head: quietUntil %v, want the live timer's %v", q, b.Expires)
	}
	tr.cfg.At = far
	if q := tr.quietUntil(); !q.IsZero() {
		t.Errorf("with Config.At: quietUntil %v, want zero", q)
	}
}

// TestInstantOrder: instants order as time.Time.Before, across the
// second, before 1970, at the zero time and far ahead.
func TestInstantOrder(t *testing.T) {
	base := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	times := []time.Time{{}, time.Unix(0, 0), time.Unix(-1, 999999999), time.Unix(-1, 0), base, base.Add(time.Nanosecond),
		base.Add(-time.Nanosecond), base.Add(time.Second), base.Add(999999999), base.Add(1000000001),
		time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), base.In(time.FixedZone("X", 3600))}
	for _, a := range times {
		for _, b := range times {
			if got, want := instantOf(a).before(instantOf(b)), a.Before(b); got != want {
				t.Errorf("%v before %v: %v, want %v", a, b, got, want)
			}
		}
	}
}

// TestInstantAdd holds instant.add to time.Time's Add: the transactions'
// windows (txLife, retransmitGap) from times on both sides of a second's
// end, before 1970 and at the zero time, and backwards.
func TestInstantAdd(t *testing.T) {
	base := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	times := []time.Time{base, base.Add(899_999_999), base.Add(900_000_000), base.Add(999_999_999), base.Add(1),
		time.Unix(-1, 950_000_000), time.Unix(-2, 0), time.Time{}, time.Unix(0, 0), base.In(time.FixedZone("x", -7200))}
	for _, tm := range times {
		for _, d := range []time.Duration{txLife, retransmitGap, time.Nanosecond, -retransmitGap, -txLife, 1500 * time.Millisecond, 0} {
			if got, want := instantOf(tm).add(d), instantOf(tm.Add(d)); got != want {
				t.Errorf("instantOf(%v).add(%v) = %+v, want %+v", tm, d, got, want)
			}
		}
	}
}

// TestLastTime: the snapshot's Last is the latest observation's time
// (lastAt keeps it as an instant): frames out of order by less than a
// clock jump, an equal time, both the quiet and the Advance path.
func TestLastTime(t *testing.T) {
	base := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	tr := New(DefaultConfig(), nil)
	obs := func(at time.Time, frame int) {
		tr.Observe(&NameEvent{Meta: Meta{Time: at, Frame: frame, Src: netip.MustParseAddr("198.18.1.11"),
			Dst: netip.MustParseAddr("198.18.1.255")}, Op: NameQuery, Bcast: true, Name: "HOST", Suffix: 0x20})
	}
	steps := []struct {
		at   time.Time
		last time.Time
	}{
		{base, base},
		{base.Add(5 * time.Second), base.Add(5 * time.Second)},
		{base.Add(2 * time.Second), base.Add(5 * time.Second)},
		{base.Add(5*time.Second - time.Nanosecond), base.Add(5 * time.Second)},
		{base.Add(5 * time.Second), base.Add(5 * time.Second)},
		{base.Add(5*time.Second + time.Nanosecond), base.Add(5*time.Second + time.Nanosecond)},
		{base.Add(time.Hour), base.Add(time.Hour)},
		{base.Add(time.Hour - time.Second), base.Add(time.Hour)},
	}
	for i, s := range steps {
		obs(s.at, i+1)
		if got := tr.Snapshot().Last; !got.Equal(s.last) {
			t.Fatalf("after %v (step %d): Last %v, want %v", s.at, i, got, s.last)
		}
	}
}
