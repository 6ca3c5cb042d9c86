package main

import (
	"context"
	"fmt"
	"io"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/natsfeed"
	"github.com/nbtsniff/nbtsniff/pipeline"
)

// openInputs opens what the command line reads: -r files (at their
// capture pace with --realtime), -i interfaces, or the segments of
// --subscribe.
func openInputs(ctx context.Context, o *options, stdin io.Reader) (*pipeline.Opened, error) {
	m := &o.monitorOpts
	ins := inputs(ctx, o, stdin)
	var sub *subscription
	if m.subscribe != "" {
		var err error
		if sub, err = openSubscription(ctx, o); err != nil {
			return nil, err
		}
		ins = pipeline.Inputs{Feed: sub}
	}
	in, err := pipeline.Open(ins)
	if err != nil {
		if sub != nil {
			sub.Close()
		}
		return nil, err
	}
	if m.realtime {
		in.Source = newPaced(ctx, in.Source)
	}
	return in, nil
}

// unattended is what a run does besides its output (README, "Watching a
// network unattended"): the monitor, the -b ring, the --publish
// publisher, the --subscribe summary.
type unattended struct {
	o      *options
	in     *pipeline.Opened
	stderr io.Writer
	mon    *monitor
	pub    *natsfeed.Publisher
	ring   capture.RingOptions
	closed bool
	stop   chan struct{} // ends reportLate
	late   chan struct{} // closed when reportLate has returned
}

// openUnattended sets up the monitor and the publisher over opened
// inputs.
func openUnattended(ctx context.Context, o *options, in *pipeline.Opened, stderr io.Writer) (*unattended, error) {
	u := &unattended{o: o, in: in, stderr: stderr}
	u.ring, _ = capture.ParseRing(o.monitorOpts.ring) // checked with the flags
	var err error
	if u.mon, err = openMonitor(o, in, stderr); err != nil {
		return nil, err
	}
	if o.monitorOpts.publish != "" {
		if u.pub, err = openPublisher(ctx, o, in); err != nil {
			if u.mon != nil {
				u.mon.close()
			}
			return nil, err
		}
	}
	return u, nil
}

// watch is what the frame loop tells the monitor (nil without one).
func (u *unattended) watch() *pipeline.Watch {
	if u.mon == nil {
		return nil
	}
	return u.mon.watch()
}

// tap is the pipeline's Config.Tap: the publisher (nil without one).
func (u *unattended) tap() func(*capture.Packet) error {
	if u.pub == nil {
		return nil
	}
	return u.pub.Publish
}

// start begins the monitor's per-second updates, and, with tellLag, the
// report of late segments of --subscribe on stderr (not under the
// terminal UI, whose status line shows them).
func (u *unattended) start(tellLag bool) {
	if u.mon != nil {
		u.mon.start()
	}
	if sub, ok := u.in.Source.(*subscription); ok && tellLag {
		u.stop, u.late = make(chan struct{}), make(chan struct{})
		go func() {
			defer close(u.late)
			sub.reportLate(u.stderr, u.stop)
		}()
	}
}

// end finishes the run once its output is written and returns its exit
// status: the publisher waits for its acknowledgements, the subscriber
// says what it read, the alerts queued are sent; a --fail-on kind that
// occurred makes a status of 0 ExitFailOn.
func (u *unattended) end(status int) int {
	if u.closed {
		return status
	}
	u.closed = true
	if u.stop != nil {
		close(u.stop)
		<-u.late
	}
	if u.pub != nil {
		if err := closePublisher(u.pub, u.o.monitorOpts.segment, u.stderr); err != nil {
			fmt.Fprintf(u.stderr, "nbtsniff: %v\n", err)
			status = max(status, 1)
		}
	}
	if sub, ok := u.in.Source.(*subscription); ok {
		sub.summary(u.stderr)
	}
	if u.mon != nil {
		if err := u.mon.close(); err != nil {
			fmt.Fprintf(u.stderr, "nbtsniff: %v\n", err)
			status = max(status, 1)
		}
		status = u.mon.exitStatus(status)
	}
	return status
}
