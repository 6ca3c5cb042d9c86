package alert

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Sink delivers alerts: a command (Command), the syslog (Syslog).
type Sink interface {
	// Send delivers one alert. ctx ends at the dispatcher's Timeout; a
	// Send that outlives it is reported as timed out.
	Send(ctx context.Context, a *Alert) error
}

// Outcome is what became of an alert handed to a Dispatcher.
type Outcome uint8

// Outcomes. Submit returns Queued or one of the three drops at once; the
// worker reports Sent, Failed or TimedOut later.
const (
	Queued       Outcome = iota + 1 // waiting for the sink
	Deduplicated                    // same kind, segment, workgroup and host within Window
	RateLimited                     // over the token bucket's rate
	QueueFull                       // the sink is behind by Queue alerts: skipped
	Sent                            // the sink took it
	Failed                          // the sink returned an error (a command's non-zero exit)
	TimedOut                        // the sink took longer than Timeout (a command is killed)
	Closed                          // submitted after Close
	numOutcomes
)

var outcomeNames = [...]string{
	Queued:       "queued",
	Deduplicated: "deduplicated",
	RateLimited:  "rate_limited",
	QueueFull:    "queue_full",
	Sent:         "sent",
	Failed:       "failed",
	TimedOut:     "timed_out",
	Closed:       "closed",
}

func (o Outcome) String() string {
	if o > 0 && o < numOutcomes {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", uint8(o))
}

// Options tune a Dispatcher. The zero value deduplicates nothing and
// limits nothing; DefaultOptions is what the command line uses.
type Options struct {
	// Window: an alert with the class, kind, segment, workgroup and host
	// of one sent less than Window earlier is Deduplicated. 0: none is.
	Window time.Duration
	// Every and Burst: a token bucket of Burst tokens, one more every
	// Every; an alert finding it empty is RateLimited. Every 0: no limit.
	Every time.Duration
	Burst int
	// Queue is the most alerts waiting for the sink; one more is
	// QueueFull. <1: DefaultQueue.
	Queue int
	// Timeout bounds one Send. <=0: DefaultTimeout.
	Timeout time.Duration
	// MaxKeys bounds the alerts remembered for Window. <1: DefaultMaxKeys.
	MaxKeys int
	// Now is the clock of Window and of the rate limit. nil: the alert's
	// capture time (a replayed capture is deduplicated and limited as it
	// was live, and tests are deterministic).
	Now func() time.Time
	// OnOutcome, if set, is told every outcome but Queued, with the
	// sink's error for Failed and TimedOut. Drops are reported from
	// Submit's goroutine, the rest from the dispatcher's worker: it must
	// not block.
	OnOutcome func(a *Alert, o Outcome, err error)
}

// Defaults.
const (
	DefaultQueue   = 64
	DefaultTimeout = 30 * time.Second
	DefaultMaxKeys = 4096
)

// DefaultOptions: the same alert at most every 10 minutes, 10 alerts at
// once and then one every 6 seconds (10 a minute), 64 waiting, 30 s per
// command.
func DefaultOptions() Options {
	return Options{Window: 10 * time.Minute, Every: 6 * time.Second, Burst: 10, Queue: DefaultQueue, Timeout: DefaultTimeout}
}

type dedupKey struct {
	class               Class
	kind, seg, wg, host string
}

// Dispatcher hands alerts to one sink without ever blocking its caller:
// Submit deduplicates, rate-limits and queues (bounded); one worker
// goroutine sends them in order.
type Dispatcher struct {
	sink Sink
	opt  Options
	q    chan Alert
	done chan struct{}

	mu      sync.Mutex
	lim     *rate.Limiter
	seen    map[dedupKey]time.Time
	last    time.Time // latest clock reading (for alerts without a time)
	closed  bool
	counts  [numOutcomes]atomic.Uint64
	closing sync.Once
}

// NewDispatcher starts the worker of sink.
func NewDispatcher(sink Sink, o Options) *Dispatcher {
	if o.Queue < 1 {
		o.Queue = DefaultQueue
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxKeys < 1 {
		o.MaxKeys = DefaultMaxKeys
	}
	d := &Dispatcher{sink: sink, opt: o, q: make(chan Alert, o.Queue), done: make(chan struct{}), seen: make(map[dedupKey]time.Time)}
	if o.Every > 0 {
		d.lim = rate.NewLimiter(rate.Every(o.Every), max(o.Burst, 1))
	}
	go d.work()
	return d
}

// Submit hands a to the sink: it returns at once with Queued, or with
// Deduplicated, RateLimited, QueueFull or Closed when a is dropped.
func (d *Dispatcher) Submit(a Alert) Outcome {
	o := d.admit(&a)
	if o != Queued {
		d.report(&a, o, nil)
	}
	return o
}

func (d *Dispatcher) admit(a *Alert) Outcome {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return Closed
	}
	now := d.clock(a)
	k := dedupKey{a.Class, a.Kind, a.Segment, a.Workgroup, a.Host}
	if d.opt.Window > 0 {
		if t, ok := d.seen[k]; ok && now.Sub(t) < d.opt.Window {
			return Deduplicated
		}
	}
	if d.lim != nil && !d.lim.AllowN(now, 1) {
		return RateLimited
	}
	select {
	case d.q <- *a:
	default:
		return QueueFull
	}
	d.counts[Queued].Add(1)
	if d.opt.Window > 0 {
		d.remember(k, now)
	}
	return Queued
}

// clock is the time of the window and the limiter for a.
func (d *Dispatcher) clock(a *Alert) time.Time {
	var now time.Time
	if d.opt.Now != nil {
		now = d.opt.Now()
	} else {
		now = a.Time
	}
	if now.IsZero() {
		now = d.last
	}
	if now.After(d.last) {
		d.last = now
	}
	return now
}

// remember notes that k was sent at now, keeping at most MaxKeys: when
// full, the keys whose window has passed go, then the oldest.
func (d *Dispatcher) remember(k dedupKey, now time.Time) {
	if _, ok := d.seen[k]; !ok && len(d.seen) >= d.opt.MaxKeys {
		var oldest dedupKey
		var ot time.Time
		for x, t := range d.seen {
			if now.Sub(t) >= d.opt.Window {
				delete(d.seen, x)
			} else if ot.IsZero() || t.Before(ot) {
				oldest, ot = x, t
			}
		}
		if len(d.seen) >= d.opt.MaxKeys {
			delete(d.seen, oldest)
		}
	}
	d.seen[k] = now
}

func (d *Dispatcher) work() {
	defer close(d.done)
	for a := range d.q {
		ctx, cancel := context.WithTimeout(context.Background(), d.opt.Timeout)
		err := d.sink.Send(ctx, &a)
		o := Sent
		switch {
		case err == nil:
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			o, err = TimedOut, fmt.Errorf("timed out after %v (%w)", d.opt.Timeout, err)
		default:
			o = Failed
		}
		cancel()
		d.report(&a, o, err)
	}
}

func (d *Dispatcher) report(a *Alert, o Outcome, err error) {
	d.counts[o].Add(1)
	if d.opt.OnOutcome != nil {
		d.opt.OnOutcome(a, o, err)
	}
}

// Count is how many alerts had outcome o so far.
func (d *Dispatcher) Count(o Outcome) uint64 {
	if o == 0 || o >= numOutcomes {
		return 0
	}
	return d.counts[o].Load()
}

// Close stops taking alerts and waits for the queued ones to be sent:
// at most Queue times Timeout.
func (d *Dispatcher) Close() {
	d.closing.Do(func() {
		d.mu.Lock()
		d.closed = true
		close(d.q)
		d.mu.Unlock()
	})
	<-d.done
}
