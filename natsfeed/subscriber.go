package natsfeed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/nbtsniff/nbtsniff/capture"
)

// DefaultMaxLag is how long a silent segment holds the others back.
const DefaultMaxLag = 2 * time.Second

// backlogLag multiplies MaxLag for a segment that is not silent but whose
// retained messages are still on their way to the subscriber.
const backlogLag = 10

// SubscriberOptions configure NewSubscriber.
type SubscriberOptions struct {
	// Segments selects the segments (see FilterSubject); "" means all.
	Segments string
	// Stream names the stream. It is created with these limits if it does
	// not exist yet; an existing stream is left as it is.
	Stream StreamOptions
	Conn   ConnOptions
	// StartSeq starts every segment at this stream sequence; 0 means the
	// first message the stream retains.
	StartSeq uint64
	// MaxLag bounds, in wall time, how long a segment that sent nothing
	// holds back the frames of the others; 0 means DefaultMaxLag.
	MaxLag time.Duration
	// Queue is the number of messages buffered per segment; 0 means 1024.
	Queue int
	// Discover is how often the stream is asked for new segments; 0 means
	// every second.
	Discover time.Duration
	// StopAtEnd makes Next return io.EOF once every segment has been read
	// up to the last message the stream held when NewSubscriber looked.
	// Without it the Subscriber follows the stream until Close.
	StopAtEnd bool
}

// SubscriberStats are a Subscriber's counters.
type SubscriberStats struct {
	Frames       uint64 // frames handed out by Next
	Heartbeats   uint64 // heartbeats and end markers read
	DecodeErrors uint64 // messages that are not this format (or lie), and messages on subjects that name no segment
	Duplicates   uint64 // frames whose number was already seen on their segment, dropped
	Missing      uint64 // frame numbers skipped within a segment (lost on the way, or dropped by a sensor)
	Segments     int    // segments found
}

// Lag describes a segment that the merge stopped waiting for.
type Lag struct {
	Segment string
	Index   int
	// Silent is the wall time since the segment's last message.
	Silent time.Duration
	// Behind is how far the segment's watermark (its last frame or
	// heartbeat's time) trails the capture time of the merged output.
	Behind time.Duration
}

type item struct {
	m       Message
	seq     uint64 // stream sequence
	pending uint64 // messages of the segment after this one in the stream
}

type segState struct {
	idx      int
	seg      Segment
	label    string
	ch       chan item
	cons     jetstream.MessagesContext
	head     *item
	wm       int64 // capture time of the last message taken (frame or heartbeat)
	seen     bool  // a message was taken
	ended    bool  // the last message taken was an end marker, and the last in the stream
	backlog  bool  // the stream holds more of the segment than was taken
	finished bool  // StopAtEnd: the channel is closed and drained
	late     bool
	lastRecv time.Time
	sensor   capture.Stats
}

// Subscriber is a capture.Source over the stream: the frames of every
// matching segment, merged by capture time. Next and Close are meant for
// one goroutine; Stats, Counters, Labels, SegmentOf and Late for any.
type Subscriber struct {
	nc      *nats.Conn
	js      jetstream.JetStream
	stream  jetstream.Stream
	filter  string
	label   string
	opts    SubscriberOptions
	timeout time.Duration
	endSeq  uint64 // StopAtEnd: the stream's last sequence at start

	mu      sync.Mutex
	segs    []*segState
	known   map[string]bool
	outTime int64
	wake    chan struct{}
	closed  chan struct{}
	once    sync.Once
	wg      sync.WaitGroup
	stopBg  context.CancelFunc

	frames, heartbeats, decodeErrors, duplicates, missing atomic.Uint64
}

// NewSubscriber connects to url and starts reading every segment that
// matches opts.Segments from opts.StartSeq (or the start of the stream).
func NewSubscriber(ctx context.Context, url string, opts SubscriberOptions) (*Subscriber, error) {
	filter, err := FilterSubject(opts.Segments)
	if err != nil {
		return nil, err
	}
	if opts.MaxLag <= 0 {
		opts.MaxLag = DefaultMaxLag
	}
	if opts.Queue <= 0 {
		opts.Queue = 1024
	}
	if opts.Discover <= 0 {
		opts.Discover = time.Second
	}
	if opts.Conn.Name == "" {
		opts.Conn.Name = "nbtsniff analyzer"
	}
	pattern := opts.Segments
	if pattern == "" {
		pattern = ">"
	}
	s := &Subscriber{
		filter:  filter,
		label:   "nats:" + pattern,
		opts:    opts,
		timeout: opts.Conn.timeout(),
		known:   make(map[string]bool),
		wake:    make(chan struct{}, 1),
		closed:  make(chan struct{}),
	}
	if s.nc, err = dial(url, opts.Conn); err != nil {
		return nil, err
	}
	s.js, err = jetstream.New(s.nc, jetstream.WithDefaultTimeout(s.timeout))
	if err == nil {
		s.stream, err = ensureStream(ctx, s.js, opts.Stream, false)
	}
	if err == nil && opts.StopAtEnd {
		var info *jetstream.StreamInfo
		if info, err = s.stream.Info(ctx); err == nil {
			s.endSeq = info.State.LastSeq
		}
	}
	if err == nil {
		err = s.discover(ctx)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	if !opts.StopAtEnd {
		bg, cancel := context.WithCancel(context.Background())
		s.stopBg = cancel
		s.wg.Add(1)
		go s.discoverLoop(bg)
	}
	return s, nil
}

// discover adds the segments that appeared in the stream since the last
// look, in the order of their first message (so indexes are the same on
// every replay of the same stream), and starts reading each.
func (s *Subscriber) discover(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	info, err := s.stream.Info(ctx, jetstream.WithSubjectFilter(s.filter))
	if err != nil {
		return fmt.Errorf("natsfeed: stream %s: %w", s.opts.Stream.name(), err)
	}
	type found struct {
		seg         Segment
		first, last uint64
	}
	var add []found
	for subj, n := range info.State.Subjects {
		s.mu.Lock()
		known := s.known[subj]
		s.mu.Unlock()
		if known {
			continue
		}
		seg, err := SegmentOfSubject(subj)
		if err != nil {
			s.decodeErrors.Add(n)
			s.mu.Lock()
			s.known[subj] = true
			s.mu.Unlock()
			continue
		}
		f := found{seg: seg}
		start := max(s.opts.StartSeq, 1)
		raw, err := s.stream.GetMsg(ctx, start, jetstream.WithGetMsgSubject(subj))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue // nothing at or after StartSeq yet
		}
		if err != nil {
			return fmt.Errorf("natsfeed: first message of %s: %w", subj, err)
		}
		f.first = raw.Sequence
		if s.opts.StopAtEnd {
			if f.first > s.endSeq {
				continue
			}
			raw, err := s.stream.GetLastMsgForSubject(ctx, subj)
			if err != nil {
				return fmt.Errorf("natsfeed: last message of %s: %w", subj, err)
			}
			f.last = min(raw.Sequence, s.endSeq)
		}
		add = append(add, f)
	}
	sort.Slice(add, func(i, j int) bool { return add[i].first < add[j].first })
	for _, f := range add {
		if err := s.addSegment(ctx, f.seg, f.first, f.last); err != nil {
			return err
		}
	}
	return nil
}

func (s *Subscriber) discoverLoop(ctx context.Context) {
	defer s.wg.Done()
	t := time.NewTicker(s.opts.Discover)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// A failure (server restarting) is retried at the next tick.
		_ = s.discover(ctx)
	}
}

// addSegment starts an ordered consumer on one segment from stream
// sequence first; last, when not 0, is where it stops (StopAtEnd).
func (s *Subscriber) addSegment(ctx context.Context, seg Segment, first, last uint64) error {
	subj := seg.Subject()
	cons, err := s.js.OrderedConsumer(ctx, s.stream.CachedInfo().Config.Name, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{subj},
		DeliverPolicy:  jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:    first,
	})
	if err != nil {
		return fmt.Errorf("natsfeed: consumer on %s: %w", subj, err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(s.opts.Queue))
	if err != nil {
		return fmt.Errorf("natsfeed: consumer on %s: %w", subj, err)
	}
	s.mu.Lock()
	st := &segState{
		idx:      len(s.segs),
		seg:      seg,
		label:    seg.String(),
		ch:       make(chan item, s.opts.Queue),
		cons:     it,
		lastRecv: time.Now(),
		backlog:  true,
	}
	s.segs = append(s.segs, st)
	s.known[subj] = true
	s.mu.Unlock()
	s.wg.Add(1)
	go s.read(st, last)
	s.poke()
	return nil
}

func (s *Subscriber) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// read decodes one segment's messages into its channel, dropping frames
// whose number was already seen and counting numbers skipped.
func (s *Subscriber) read(st *segState, last uint64) {
	defer func() {
		close(st.ch)
		s.poke()
		s.wg.Done()
	}()
	var lastSeq uint64
	for {
		msg, err := st.cons.Next()
		if err != nil {
			if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return
			}
			select {
			case <-s.closed:
				return
			case <-time.After(100 * time.Millisecond):
			}
			continue
		}
		meta, err := msg.Metadata()
		if err != nil {
			s.decodeErrors.Add(1)
			continue
		}
		it := item{seq: meta.Sequence.Stream, pending: meta.NumPending}
		if err := DecodeMessage(msg.Data(), &it.m); err != nil {
			s.decodeErrors.Add(1)
		} else if it.m.Kind == KindFrame && it.m.Seq <= lastSeq {
			s.duplicates.Add(1)
		} else {
			if it.m.Kind == KindFrame {
				if lastSeq != 0 && it.m.Seq > lastSeq+1 {
					s.missing.Add(it.m.Seq - lastSeq - 1)
				}
				lastSeq = it.m.Seq
			}
			select {
			case st.ch <- it:
				s.poke()
			case <-s.closed:
				return
			}
		}
		if last != 0 && it.seq >= last {
			st.cons.Stop()
			return
		}
	}
}

// Next hands out the earliest pending frame of all segments, once every
// segment has either shown that it has nothing earlier (a later frame,
// heartbeat or end marker) or been silent for MaxLag. Packet.Data stays
// valid until the next call.
func (s *Subscriber) Next(p *capture.Packet) error {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		s.mu.Lock()
		best, wait, eof := s.pick(time.Now())
		if best != nil {
			h := best.head
			best.head = nil
			s.outTime = h.m.Time
			s.mu.Unlock()
			s.frames.Add(1)
			*p = capture.Packet{
				Data:     h.m.Data,
				LinkType: h.m.LinkType,
				Source:   best.idx,
			}
			p.CI.Timestamp = time.Unix(0, h.m.Time).UTC()
			p.CI.CaptureLength = len(h.m.Data)
			p.CI.Length = h.m.Length
			p.CI.InterfaceIndex = h.m.Interface
			return nil
		}
		s.mu.Unlock()
		if eof {
			return io.EOF
		}
		var tc <-chan time.Time
		if wait > 0 {
			if timer == nil {
				timer = time.NewTimer(wait)
			} else {
				timer.Reset(wait)
			}
			tc = timer.C
		}
		select {
		case <-s.wake:
		case <-tc:
		case <-s.closed:
			return io.EOF
		}
	}
}

// pull takes a segment's messages until it has a frame at its head.
// s.mu is held.
func (s *Subscriber) pull(st *segState, now time.Time) {
	for st.head == nil && !st.finished {
		var it item
		var ok bool
		select {
		case it, ok = <-st.ch:
		default:
			return
		}
		if !ok {
			st.finished = true
			return
		}
		st.lastRecv = now
		st.late = false
		st.seen = true
		// An end marker followed by more messages is a sensor that was
		// stopped and started again: it ends nothing.
		st.ended = it.m.Kind == KindEnd && it.pending == 0
		st.backlog = it.pending > 0
		if it.m.Time > st.wm || it.m.Kind == KindFrame {
			st.wm = it.m.Time
		}
		if it.m.Kind != KindFrame {
			s.heartbeats.Add(1)
			st.sensor = it.m.Stats
			continue
		}
		h := it
		st.head = &h
	}
}

// pick returns the segment whose head frame goes next, or how long to wait
// before asking again (0: until a message comes), or io.EOF's condition.
// s.mu is held.
func (s *Subscriber) pick(now time.Time) (best *segState, wait time.Duration, eof bool) {
	eof = s.opts.StopAtEnd
	for _, st := range s.segs {
		s.pull(st, now)
		if st.head != nil && (best == nil || st.head.m.Time < best.head.m.Time) {
			best = st
		}
		if st.head != nil || !st.finished {
			eof = false
		}
	}
	if best == nil {
		return nil, 0, eof
	}
	t := best.head.m.Time
	for _, st := range s.segs {
		if st == best || st.head != nil || st.finished || st.ended {
			continue
		}
		if st.seen && (st.wm > t || st.wm == t && st.idx > best.idx) {
			continue
		}
		// A segment whose next messages are already in the stream is
		// not silent: the consumer is catching up (a replay), and
		// waiting for it keeps the merge exact. It is waited for
		// longer, but not forever.
		limit := s.opts.MaxLag
		if st.backlog {
			limit *= backlogLag
		}
		if silent := now.Sub(st.lastRecv); silent >= limit {
			st.late = true
			continue
		} else if w := limit - silent; wait == 0 || w < wait {
			wait = w
		}
	}
	if wait > 0 {
		return nil, wait, false
	}
	return best, 0, false
}

// Label returns "nats:" and the segment pattern.
func (s *Subscriber) Label() string { return s.label }

// Labels returns each segment's label ("SITE/NAME"), by Packet.Source.
func (s *Subscriber) Labels() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.segs))
	for i, st := range s.segs {
		out[i] = st.label
	}
	return out
}

// SegmentOf returns the segment of Packet.Source index i.
func (s *Subscriber) SegmentOf(i int) (Segment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i < 0 || i >= len(s.segs) {
		return Segment{}, false
	}
	return s.segs[i].seg, true
}

// Late lists the segments the merge has stopped waiting for, by index.
func (s *Subscriber) Late() []Lag {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Lag
	for _, st := range s.segs {
		if !st.late {
			continue
		}
		out = append(out, Lag{
			Segment: st.label,
			Index:   st.idx,
			Silent:  now.Sub(st.lastRecv),
			Behind:  time.Duration(s.outTime - st.wm),
		})
	}
	return out
}

// SensorStats returns the capture counters that segment i's sensor last
// reported (kernel drops), zero before its first heartbeat.
func (s *Subscriber) SensorStats(i int) capture.Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i < 0 || i >= len(s.segs) {
		return capture.Stats{}
	}
	return s.segs[i].sensor
}

// Stats reports frames handed out as Received and the sensors' own
// kernel drops, summed, as Dropped and IfDropped.
func (s *Subscriber) Stats() capture.Stats {
	st := capture.Stats{Received: s.frames.Load()}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, seg := range s.segs {
		st.Dropped += seg.sensor.Dropped
		st.IfDropped += seg.sensor.IfDropped
	}
	return st
}

// Counters returns the subscriber's own counters.
func (s *Subscriber) Counters() SubscriberStats {
	s.mu.Lock()
	n := len(s.segs)
	s.mu.Unlock()
	return SubscriberStats{
		Frames:       s.frames.Load(),
		Heartbeats:   s.heartbeats.Load(),
		DecodeErrors: s.decodeErrors.Load(),
		Duplicates:   s.duplicates.Load(),
		Missing:      s.missing.Load(),
		Segments:     n,
	}
}

// Close stops every consumer and disconnects; a Next blocked in another
// goroutine returns io.EOF.
func (s *Subscriber) Close() error {
	s.once.Do(func() {
		close(s.closed)
		if s.stopBg != nil {
			s.stopBg()
		}
		s.mu.Lock()
		for _, st := range s.segs {
			st.cons.Stop()
		}
		s.mu.Unlock()
		s.wg.Wait()
		s.nc.Close()
	})
	return nil
}
