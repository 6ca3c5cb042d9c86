package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/natsfeed"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/pipeline"
)

// subscription is --subscribe: the segments' frames from NATS, merged by
// capture time, as the pipeline's input (a pipeline.Feed). Its labels are
// the segments' SITE/NAME, which -r SITE/NAME=FILE gives files too.
type subscription struct {
	*natsfeed.Subscriber
}

// openSubscription connects --subscribe. It follows the stream until
// interrupted, or, with --batch or --report, reads what the stream holds
// now and ends.
func openSubscription(ctx context.Context, o *options) (*subscription, error) {
	m := &o.monitorOpts
	sub, err := natsfeed.NewSubscriber(ctx, m.subscribe, natsfeed.SubscriberOptions{
		Segments:  m.segments,
		MaxLag:    m.maxLag,
		StopAtEnd: m.batch || o.report != "",
	})
	if err != nil {
		return nil, fmt.Errorf("--subscribe: %v", err)
	}
	return &subscription{sub}, nil
}

// InputStats are the capture counters segment i's sensor last reported.
func (s *subscription) InputStats(i int) capture.Stats { return s.SensorStats(i) }

// Status names the segments the merge has stopped waiting for: the
// terminal UI's status line shows it.
func (s *subscription) Status() string {
	late := s.Late()
	if len(late) == 0 {
		return ""
	}
	parts := make([]string, len(late))
	for i, l := range late {
		parts[i] = fmt.Sprintf("%s (silent %v, %v behind)", output.AppendEscapedString(nil, l.Segment),
			l.Silent.Round(time.Second), l.Behind.Round(100*time.Millisecond))
	}
	return "late: " + strings.Join(parts, ", ")
}

// summary says on stderr what the subscriber read, and what was lost or
// repeated on the way.
func (s *subscription) summary(stderr io.Writer) {
	c := s.Counters()
	msg := fmt.Sprintf("nbtsniff: --subscribe: %d frames from %d segments", c.Frames, c.Segments)
	if c.Duplicates > 0 {
		msg += fmt.Sprintf(", %d repeated frames dropped", c.Duplicates)
	}
	if c.Missing > 0 {
		msg += fmt.Sprintf(", %d frames missing", c.Missing)
	}
	if c.DecodeErrors > 0 {
		msg += fmt.Sprintf(", %d messages not understood", c.DecodeErrors)
	}
	fmt.Fprintln(stderr, msg)
}

// reportLate says on stderr, once a second until stop is closed, which
// segments the merge stopped waiting for, and which came back.
func (s *subscription) reportLate(stderr io.Writer, stop <-chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	late := map[string]bool{}
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		now := map[string]bool{}
		for _, l := range s.Late() {
			now[l.Segment] = true
			if !late[l.Segment] {
				fmt.Fprintf(stderr, "nbtsniff: --subscribe: segment %s is late (silent %v, %v behind): the others go on without it\n",
					output.AppendEscapedString(nil, l.Segment), l.Silent.Round(100*time.Millisecond), l.Behind.Round(100*time.Millisecond))
			}
		}
		for seg := range late {
			if !now[seg] {
				fmt.Fprintf(stderr, "nbtsniff: --subscribe: segment %s is back\n", output.AppendEscapedString(nil, seg))
			}
		}
		late = now
	}
}

var _ pipeline.Feed = (*subscription)(nil)
