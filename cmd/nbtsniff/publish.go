package main

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/natsfeed"
	"github.com/nbtsniff/nbtsniff/pipeline"
)

// publishTimeout bounds how long the end of a run waits for the NATS
// server to acknowledge what was published.
const publishTimeout = 15 * time.Second

// openPublisher connects --publish: every frame read goes to the segment's
// subject, numbered by its position in the files when they are regular
// files (a replay, which a rerun completes), else after the last frame the
// stream holds (a live capture, a pipe). Live inputs, pipes and paced
// replays send a heartbeat after each quiet second, so that a central
// analyzer waits for them no longer than that.
func openPublisher(ctx context.Context, o *options, in *pipeline.Opened) (*natsfeed.Publisher, error) {
	m := &o.monitorOpts
	seg, err := natsfeed.ParseSegment(m.segment)
	if err != nil {
		return nil, fmt.Errorf("--segment: %v", err)
	}
	opt := natsfeed.PublisherOptions{
		Segment:     seg,
		Replay:      in.Replayable,
		SourceStats: in.Source.Stats,
	}
	if !in.Replayable || m.realtime {
		opt.Heartbeat = time.Second
	}
	if p, ok := in.Source.(*paced); ok {
		opt.Clock = p.clock
	}
	pub, err := natsfeed.NewPublisher(ctx, m.publish, opt)
	if err != nil {
		return nil, fmt.Errorf("--publish: %v", err)
	}
	return pub, nil
}

// closePublisher waits for the server's acknowledgements and says on
// stderr what was published.
func closePublisher(pub *natsfeed.Publisher, segment string, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), publishTimeout)
	defer cancel()
	err := pub.Close(ctx)
	st := pub.Stats()
	msg := fmt.Sprintf("nbtsniff: --publish: %d frames stored in segment %s", st.Published, segment)
	if st.Skipped > 0 {
		msg += fmt.Sprintf(", %d already there", st.Skipped)
	}
	if st.Dropped > 0 {
		msg += fmt.Sprintf(", %d dropped", st.Dropped)
	}
	fmt.Fprintln(stderr, msg)
	if err != nil {
		return fmt.Errorf("--publish: %v", err)
	}
	return nil
}

// paced is --realtime: a source of files handed out at the pace they were
// captured, the first frame at once. Its clock is the capture time the
// replay has reached, for the publisher's heartbeats.
type paced struct {
	pipeline.Source
	ctx   context.Context
	start atomic.Int64 // wall time of the first frame, ns
	first atomic.Int64 // its capture time, ns
}

func newPaced(ctx context.Context, src pipeline.Source) *paced {
	return &paced{Source: src, ctx: ctx}
}

// Next waits until the frame is due; a done context ends the input.
func (p *paced) Next(pkt *capture.Packet) error {
	if err := p.Source.Next(pkt); err != nil {
		return err
	}
	ts := pkt.CI.Timestamp.UnixNano()
	if p.start.Load() == 0 {
		p.first.Store(ts)
		p.start.Store(time.Now().UnixNano())
		return nil
	}
	due := time.Unix(0, p.start.Load()+ts-p.first.Load())
	wait := time.Until(due)
	if wait <= 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-p.ctx.Done():
		return io.EOF
	}
}

// clock is the capture time the replay has reached.
func (p *paced) clock() time.Time {
	start := p.start.Load()
	if start == 0 {
		return time.Time{}
	}
	return time.Unix(0, p.first.Load()+time.Now().UnixNano()-start)
}
