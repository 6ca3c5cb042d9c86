package natsfeed

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/nbtsniff/nbtsniff/capture"
)

// Overflow says what Publish does when MaxPending messages already wait
// for the server's acknowledgement (NATS down or too slow).
type Overflow int

const (
	// Block waits for room: the capture loop stalls, and a live capture's
	// kernel buffer fills and drops (counted by the kernel, capture.Stats).
	Block Overflow = iota
	// Drop drops the frame and counts it (PublisherStats.Dropped).
	Drop
)

// DefaultMaxPending is the default bound on frames sent and not yet
// acknowledged, plus frames waiting to be sent.
const DefaultMaxPending = 4096

// ErrClosed is returned by Publish after Close.
var ErrClosed = errors.New("natsfeed: publisher closed")

// PublisherOptions configure NewPublisher.
type PublisherOptions struct {
	// Segment is where the frames were captured (required).
	Segment Segment
	// Sensor identifies the publisher in every message and in the
	// Nats-Msg-Id header; "" means Segment.String(). One publisher per
	// segment at a time: frame numbers are per segment.
	Sensor string
	// Stream names the stream and, when any is set, its limits (the
	// stream is then created or updated with them).
	Stream StreamOptions
	Conn   ConnOptions
	// MaxPending bounds the messages kept until the server acknowledges
	// them; 0 means DefaultMaxPending.
	MaxPending int
	// Overflow chooses between blocking and dropping when MaxPending is
	// reached.
	Overflow Overflow
	// Replay says the input is a capture file replayed from its start on
	// every run: a frame's number is its position in the file, and frames
	// already in the stream (from an earlier, interrupted run) are skipped.
	// Without Replay (live capture) numbering continues after the last
	// frame in the stream.
	Replay bool
	// Heartbeat, when positive, publishes a heartbeat after this long
	// without a frame, with Clock's time as watermark and SourceStats'
	// counters. Live sensors want it (1 s): a quiet segment then holds the
	// central analyzer back by about this long, not by its MaxLag.
	Heartbeat time.Duration
	// Clock gives the watermark of heartbeats; nil means time.Now. A
	// paced replay (--realtime) passes its replay clock.
	Clock func() time.Time
	// SourceStats, if set, gives the capture counters (kernel drops) that
	// heartbeats and the end marker carry.
	SourceStats func() capture.Stats
	// AckWait is how long a message waits for its acknowledgement before
	// it is sent again; 0 means 5 s.
	AckWait time.Duration
}

// PublisherStats are a Publisher's counters.
type PublisherStats struct {
	Published  uint64 // frames the server stored
	Duplicates uint64 // frames sent again that the server already had
	Dropped    uint64 // frames dropped by Overflow == Drop
	Skipped    uint64 // Replay: frames found in the stream from an earlier run
	Resent     uint64 // messages sent again after a failure
	Failures   uint64 // failed sends and acknowledgements (each is retried)
	Pending    int    // messages not yet acknowledged
	Resumed    uint64 // the last frame number found in the stream at start
	LastSeq    uint64 // the last frame number given out
}

type outMsg struct {
	msg   *nats.Msg
	seq   uint64
	kind  Kind
	acked bool
	tries int
}

// Publisher publishes one segment's frames to JetStream. Publish is meant
// for one goroutine (the capture loop); Close and Stats may be called from
// any, and a Close ends a Publish blocked on a full queue with ErrClosed.
type Publisher struct {
	nc      *nats.Conn
	js      jetstream.JetStream
	stream  jetstream.Stream
	subject string
	sensor  []byte
	opts    PublisherOptions
	timeout time.Duration

	mu       sync.Mutex
	cond     *sync.Cond
	queue    []*outMsg // unacknowledged, in order; queue[:next] sent this round
	next     int
	inflight map[*nats.Msg]*outMsg
	rewind   bool // a send failed: resend from the first unacknowledged
	closed   bool // no more Publish
	stopped  bool // the sender goroutine must return
	seq      uint64
	pos      uint64
	lastTime int64
	lastPub  time.Time // wall time of the last frame or heartbeat queued
	st       PublisherStats

	stop chan struct{} // closed with stopped
	done chan struct{} // closed when send returns
	hb   chan struct{} // closed when heartbeats returns
}

// NewPublisher connects to url, creates or updates the stream and looks up
// the segment's last stored message, from which numbering resumes.
func NewPublisher(ctx context.Context, url string, opts PublisherOptions) (*Publisher, error) {
	if err := opts.Segment.validate(); err != nil {
		return nil, err
	}
	if opts.Sensor == "" {
		opts.Sensor = opts.Segment.String()
	}
	if err := checkSensor([]byte(opts.Sensor)); err != nil {
		return nil, fmt.Errorf("natsfeed: sensor id %q: %s", opts.Sensor, err)
	}
	if opts.MaxPending <= 0 {
		opts.MaxPending = DefaultMaxPending
	}
	if opts.AckWait <= 0 {
		opts.AckWait = 5 * time.Second
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Conn.Name == "" {
		opts.Conn.Name = "nbtsniff sensor " + opts.Sensor
	}
	p := &Publisher{
		subject:  opts.Segment.Subject(),
		sensor:   []byte(opts.Sensor),
		opts:     opts,
		timeout:  opts.Conn.timeout(),
		inflight: make(map[*nats.Msg]*outMsg),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
		hb:       make(chan struct{}),
	}
	p.cond = sync.NewCond(&p.mu)
	nc, err := dial(url, opts.Conn)
	if err != nil {
		return nil, err
	}
	p.nc = nc
	p.js, err = jetstream.New(nc,
		jetstream.WithPublishAsyncMaxPending(opts.MaxPending+2),
		jetstream.WithPublishAsyncTimeout(opts.AckWait),
		jetstream.WithPublishAsyncAckHandler(p.onAck),
		jetstream.WithPublishAsyncErrHandler(p.onErr),
		jetstream.WithDefaultTimeout(p.timeout))
	if err == nil {
		p.stream, err = ensureStream(ctx, p.js, opts.Stream, opts.Stream.limited())
	}
	if err == nil {
		p.st.Resumed, err = p.lastStored(ctx, p.timeout)
	}
	if err != nil {
		nc.Close()
		return nil, err
	}
	p.seq = p.st.Resumed
	p.st.LastSeq = p.seq
	p.lastPub = time.Now()
	go p.send()
	if opts.Heartbeat > 0 {
		go p.heartbeats()
	} else {
		close(p.hb)
	}
	return p, nil
}

// lastStored returns the frame number of the segment's last message in
// the stream (a heartbeat or end marker carries the last frame's), 0 when
// the segment has none. Messages on the subject that do not decode (not
// ours: anyone allowed to publish there may have put them) are stepped
// over, up to maxWalk stream sequences back.
func (p *Publisher) lastStored(ctx context.Context, timeout time.Duration) (uint64, error) {
	const maxWalk = 1024
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	raw, err := p.stream.GetLastMsgForSubject(ctx, p.subject)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("natsfeed: last message of %s: %w", p.subject, err)
	}
	var m Message
	top := raw.Sequence
	for seq, walked := top, 0; ; {
		if raw != nil && raw.Subject == p.subject && DecodeMessage(raw.Data, &m) == nil {
			return m.Seq, nil
		}
		if seq <= 1 {
			return 0, nil
		}
		if walked++; walked > maxWalk {
			return 0, fmt.Errorf("natsfeed: no message of %s decodes in the %d stream sequences before %d", p.subject, maxWalk, top)
		}
		seq--
		raw, err = p.stream.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			raw = nil // deleted, or aged out
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("natsfeed: message %d of %s: %w", seq, p.opts.Stream.name(), err)
		}
	}
}

// Resumed returns the last frame number found in the stream at start: in
// Replay mode, the number of leading frames Publish will skip.
func (p *Publisher) Resumed() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st.Resumed
}

// Publish queues one frame (its bytes are copied). It blocks or drops
// while MaxPending messages are unacknowledged, as Overflow says, and
// returns ErrClosed after Close.
func (p *Publisher) Publish(pkt *capture.Packet) error {
	if len(pkt.Data) > capture.MaxRecordSize {
		return fmt.Errorf("natsfeed: frame of %d bytes, more than %d", len(pkt.Data), capture.MaxRecordSize)
	}
	ts := pkt.CI.Timestamp.UnixNano()
	m := Message{
		Kind:      KindFrame,
		Time:      ts,
		LinkType:  pkt.LinkType,
		Interface: pkt.CI.InterfaceIndex,
		Length:    pkt.CI.Length,
		Sensor:    p.sensor,
		Data:      pkt.Data,
	}
	data := AppendMessage(make([]byte, 0, HeaderLen+len(p.sensor)+len(pkt.Data)), &m)

	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	p.pos++
	if p.opts.Replay && p.pos <= p.st.Resumed {
		p.st.Skipped++
		return nil
	}
	for len(p.queue) >= p.opts.MaxPending {
		if p.opts.Overflow == Drop {
			p.st.Dropped++
			return nil
		}
		p.cond.Wait()
		if p.closed {
			return ErrClosed
		}
	}
	seq := p.seq + 1
	if p.opts.Replay {
		seq = p.pos
	}
	p.seq = seq
	p.st.LastSeq = seq
	binary.BigEndian.PutUint64(data[8:], seq)
	msg := &nats.Msg{Subject: p.subject, Data: data, Header: nats.Header{}}
	msg.Header.Set(jetstream.MsgIDHeader, p.opts.Sensor+":"+strconv.FormatUint(seq, 10))
	p.enqueue(&outMsg{msg: msg, seq: seq, kind: KindFrame})
	if ts > p.lastTime {
		p.lastTime = ts
	}
	p.lastPub = time.Now()
	return nil
}

// marker builds a heartbeat or end message. p.mu is held.
func (p *Publisher) marker(kind Kind, wm int64) *outMsg {
	if wm < p.lastTime {
		wm = p.lastTime
	}
	m := Message{Kind: kind, Seq: p.seq, Time: wm, Sensor: p.sensor}
	if p.opts.SourceStats != nil {
		m.Stats = p.opts.SourceStats()
	}
	data := AppendMessage(make([]byte, 0, HeaderLen+len(p.sensor)+statsLen), &m)
	return &outMsg{msg: &nats.Msg{Subject: p.subject, Data: data}, seq: p.seq, kind: kind}
}

// enqueue appends to the queue and wakes the sender. p.mu is held.
func (p *Publisher) enqueue(o *outMsg) {
	p.queue = append(p.queue, o)
	p.st.Pending = len(p.queue)
	p.cond.Broadcast()
}

// heartbeats publishes a heartbeat after each idle Heartbeat interval.
func (p *Publisher) heartbeats() {
	defer close(p.hb)
	t := time.NewTicker(p.opts.Heartbeat / 4)
	defer t.Stop()
	for range t.C {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return
		}
		if now := time.Now(); now.Sub(p.lastPub) >= p.opts.Heartbeat && len(p.queue) < p.opts.MaxPending {
			p.enqueue(p.marker(KindHeartbeat, p.opts.Clock().UnixNano()))
			p.lastPub = now
		}
		p.mu.Unlock()
	}
}

// send is the one goroutine that hands messages to NATS, in order. After
// a failure it waits until nothing is in flight, looks up what the stream
// holds, and sends the rest again from the first unacknowledged message
// (go-back-N), so the stream keeps each segment's frames in order; the
// Nats-Msg-Id header makes the server drop what it had already stored.
func (p *Publisher) send() {
	defer close(p.done)
	for {
		p.mu.Lock()
		for !p.stopped && !(p.rewind && len(p.inflight) == 0) && (p.rewind || p.next >= len(p.queue)) {
			p.cond.Wait()
		}
		if p.stopped {
			p.mu.Unlock()
			return
		}
		if p.rewind {
			p.mu.Unlock()
			p.resync()
			continue
		}
		o := p.queue[p.next]
		p.next++
		if o.acked {
			p.mu.Unlock()
			continue
		}
		o.tries++
		if o.tries > 1 {
			p.st.Resent++
		}
		p.inflight[o.msg] = o
		p.mu.Unlock()
		if _, err := p.js.PublishMsgAsync(o.msg, jetstream.WithRetryAttempts(0)); err != nil {
			p.mu.Lock()
			if p.inflight[o.msg] == o {
				delete(p.inflight, o.msg)
				p.failed()
			}
			p.mu.Unlock()
		}
	}
}

// failed records a failed send or acknowledgement. p.mu is held.
func (p *Publisher) failed() {
	p.st.Failures++
	p.rewind = true
	p.cond.Broadcast()
}

// resync waits for the connection, drops from the queue the frames the
// stream already holds and restarts sending from the queue's head.
func (p *Publisher) resync() {
	for !p.nc.IsConnected() {
		if p.nc.IsClosed() || p.sleep(50*time.Millisecond) {
			return
		}
	}
	// A request sent just before the connection dropped is never
	// answered: keep the wait short, it is tried again.
	last, err := p.lastStored(context.Background(), min(p.timeout, time.Second))
	if err != nil {
		p.sleep(100 * time.Millisecond)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for n < len(p.queue) && p.queue[n].seq <= last && p.queue[n].kind != KindEnd {
		if p.queue[n].kind == KindFrame && !p.queue[n].acked {
			p.st.Duplicates++
		}
		n++
	}
	p.pop(n)
	p.next = 0
	p.rewind = false
}

// sleep waits d, or less when Close stops the sender; it reports a stop.
func (p *Publisher) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return false
	case <-p.stop:
		return true
	}
}

// pop removes the first n messages of the queue. p.mu is held.
func (p *Publisher) pop(n int) {
	if n == 0 {
		return
	}
	clear(p.queue[:n])
	p.queue = p.queue[n:]
	p.next -= n
	if p.next < 0 {
		p.next = 0
	}
	p.st.Pending = len(p.queue)
	p.cond.Broadcast()
}

func (p *Publisher) onAck(_ jetstream.JetStream, m *nats.Msg, ack *jetstream.PubAck) {
	p.mu.Lock()
	defer p.mu.Unlock()
	o := p.inflight[m]
	if o == nil {
		return
	}
	delete(p.inflight, m)
	o.acked = true
	if o.kind == KindFrame {
		if ack.Duplicate {
			p.st.Duplicates++
		} else {
			p.st.Published++
		}
	}
	n := 0
	for n < len(p.queue) && p.queue[n].acked {
		n++
	}
	p.pop(n)
	p.cond.Broadcast()
}

func (p *Publisher) onErr(_ jetstream.JetStream, m *nats.Msg, _ error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.inflight[m] == nil {
		return
	}
	delete(p.inflight, m)
	p.failed()
}

// Stats returns the counters so far.
func (p *Publisher) Stats() PublisherStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st
}

// Close publishes the end marker, waits until every message is
// acknowledged or ctx is done, and disconnects. It returns an error that
// says how many messages were not acknowledged, if any.
func (p *Publisher) Close(ctx context.Context) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	p.closed = true
	p.enqueue(p.marker(KindEnd, p.lastTime))
	stop := context.AfterFunc(ctx, func() {
		p.mu.Lock()
		p.cond.Broadcast()
		p.mu.Unlock()
	})
	for len(p.queue) > 0 && ctx.Err() == nil {
		p.cond.Wait()
	}
	stop()
	left := len(p.queue)
	p.stopped = true
	close(p.stop)
	p.cond.Broadcast()
	p.mu.Unlock()
	<-p.done
	<-p.hb
	p.nc.Close()
	if left > 0 {
		return fmt.Errorf("natsfeed: %s: %d messages not acknowledged: %w", p.subject, left, ctx.Err())
	}
	return nil
}
