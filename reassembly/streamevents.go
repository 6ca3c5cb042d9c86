package reassembly

// What the stream reassembler hands over (NBSSMessage, StreamAnomaly, to
// an NBSSHandler), and in which order: at once while a segment is added,
// queued and sorted by connection during a flush.

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// NBSSMessage is one complete session packet handed to the handler.
type NBSSMessage struct {
	Conn *Conn
	Dir  Direction
	// Frame is the frame being added when the packet was completed: show
	// it there. (During Flush and FlushAll, the last frame added.)
	Frame int
	// FirstFrame is the frame that held the packet's first byte.
	FirstFrame int
	// Time is the capture time of Frame.
	Time time.Time
	// Data is the whole packet, header included, in stream order. It
	// aliases the segment being added when the packet lies in it (the
	// engine can find its offset in the frame), else it is a copy. Valid
	// until the next call to Add, Flush or FlushAll.
	Data []byte
	// Skipped is the number of bytes skipped in this direction, since the
	// previous packet, to find this one's header (after a gap, or when the
	// capture started inside a connection). Lost bytes are not counted:
	// they come as a StreamGap anomaly.
	Skipped int
	// Reassembled is set when the packet was spread over more than one
	// TCP segment.
	Reassembled bool
	// LongLength is how tshark 4.0 shows the header (see
	// dissect.NBSSLongLengthAsTshark): set NBSS.LongLength to it, and
	// NBSS.Direct to Conn.Direct, before decoding Data.
	LongLength bool
}

// StreamAnomalyKind says what a StreamAnomaly is.
type StreamAnomalyKind uint8

const (
	// StreamGap: bytes of the stream were not captured (Bytes of them); the
	// packet they belonged to, if any, is lost (Need says its length), and
	// the framing resynchronises after the gap.
	StreamGap StreamAnomalyKind = iota + 1
	// StreamSkipped: Bytes bytes that start no plausible header were
	// skipped looking for one (Data holds those of this frame).
	StreamSkipped
	// StreamOversize: a header announced Need bytes, more than the limit;
	// the packet is skipped, not buffered.
	StreamOversize
	// StreamTruncated: the stream ended (FIN, RST, idle timeout, end of
	// capture) Bytes bytes into a packet of Need bytes.
	StreamTruncated
	// StreamBufferLimit: MaxBuffered was reached; the packet of Need bytes
	// is skipped.
	StreamBufferLimit
	// StreamConnLimit: MaxConns connections are tracked; a new one is not
	// (Conn is nil).
	StreamConnLimit
)

// String names the kind.
func (k StreamAnomalyKind) String() string {
	switch k {
	case StreamGap:
		return "gap"
	case StreamSkipped:
		return "skipped"
	case StreamOversize:
		return "oversize"
	case StreamTruncated:
		return "truncated"
	case StreamBufferLimit:
		return "buffer limit"
	case StreamConnLimit:
		return "connection limit"
	}
	return "unknown"
}

// StreamAnomaly reports lost, skipped or dropped stream bytes.
type StreamAnomaly struct {
	Kind  StreamAnomalyKind
	Conn  *Conn
	Dir   Direction
	Frame int // the frame being added
	Bytes int
	Need  int
	// Data, for StreamSkipped, holds the bytes skipped within this call,
	// for tshark's nbss.continuation_data (see dissect.AppendNBSSContinuation).
	// Like NBSSMessage.Data, valid until the next call to Add, Flush or
	// FlushAll.
	Data []byte
	// err is what Cause returns; nil for a gap, whose error is built only
	// when asked for (holes are common: a capture that drops segments has
	// one in nearly every stream, and -T fields never reads the text).
	err error
}

// Cause is the anomaly as a *dissect.DecodeError (proto "nbss") wrapping
// dissect.ErrTruncated (gap, truncated), ErrMalformed (skipped) or
// ErrLimit (oversize, buffer and connection limits). For a gap it is
// built on each call.
func (a *StreamAnomaly) Cause() error {
	if a.err != nil || a.Kind != StreamGap {
		return a.err
	}
	var buf [80]byte
	b := strconv.AppendInt(buf[:0], int64(a.Bytes), 10)
	b = append(b, " bytes not captured"...)
	if a.Need > 0 {
		b = append(b, ", inside a packet of "...)
		b = strconv.AppendInt(b, int64(a.Need), 10)
		b = append(b, " bytes"...)
	}
	return truncated(string(b))
}

// SetCause makes err what Cause returns: for an anomaly recorded with its
// Cause and handed on later (the engine's session stage).
func (a *StreamAnomaly) SetCause(err error) { a.err = err }

// NBSSHandler receives what the stream reassembler finds, synchronously
// from Add, Flush and FlushAll. The *NBSSMessage and *StreamAnomaly are
// reused for the next call; the bytes they point to stay valid until the
// next call to Add, Flush or FlushAll.
type NBSSHandler interface {
	OnMessage(m *NBSSMessage)
	OnAnomaly(a *StreamAnomaly)
}

func (s *StreamReassembler) anomaly(a StreamAnomaly) {
	s.anom = a
	s.sendAnomaly()
}

// sendAnomaly hands s.anom to the handler, or queues it during a flush.
// (nbssStream.report writes s.anom field by field: a StreamAnomaly
// literal is built on the stack and copied, its 16-byte loads stalling
// on the stores just made; a gap is reported for each of 65,000 holes a
// pass of the dense capture.)
func (s *StreamReassembler) sendAnomaly() {
	if s.deferring {
		// a.Data comes from stable: it lasts until the next call to Add,
		// Flush or FlushAll, past the end of this flush.
		s.queue = append(s.queue, queuedEvent{anomaly: true, a: s.anom})
		return
	}
	s.h.OnAnomaly(&s.anom)
}

// queuedEvent is a handler call held back during a flush.
type queuedEvent struct {
	anomaly bool
	m       NBSSMessage
	a       StreamAnomaly
}

func (q *queuedEvent) conn() int {
	c := q.m.Conn
	if q.anomaly {
		c = q.a.Conn
	}
	if c == nil {
		return -1
	}
	return c.Index
}

// deliverMessage hands a packet to the handler, or queues it during a
// flush.
func (s *StreamReassembler) deliverMessage(m *NBSSMessage) {
	if s.deferring {
		// m.Data comes from stable, as a.Data in anomaly: no copy.
		s.queue = append(s.queue, queuedEvent{m: *m})
		return
	}
	s.h.OnMessage(m)
}

// flushInOrder runs a gopacket flush, which visits connections in map
// order, and hands what it produced to the handler ordered by connection
// index (each connection's own order kept): replaying a capture must give
// the same output every time.
func (s *StreamReassembler) flushInOrder(flush func()) {
	s.deferring, s.queue = true, s.queue[:0]
	flush()
	s.deferring = false
	// Most flushes produce nothing, or events of one connection: sort
	// only when needed, and sort indices, not the large events.
	s.order = s.order[:0]
	for i := range s.queue {
		s.order = append(s.order, int32(i))
	}
	for i := 1; i < len(s.queue); i++ {
		if s.queue[i].conn() < s.queue[i-1].conn() {
			slices.SortStableFunc(s.order, func(a, b int32) int { return cmp.Compare(s.queue[a].conn(), s.queue[b].conn()) })
			break
		}
	}
	for _, i := range s.order {
		q := &s.queue[i]
		if q.anomaly {
			s.anom = q.a
			s.h.OnAnomaly(&s.anom)
		} else {
			s.msg = q.m
			s.h.OnMessage(&s.msg)
		}
	}
	s.queue = s.queue[:0]
}
