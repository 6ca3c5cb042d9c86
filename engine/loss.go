package engine

import "github.com/nbtsniff/nbtsniff/reassembly"

// StreamLoss counts what the TCP streams on ports 139 and 445 lost: the
// bytes never captured (holes given up: at the peer's acknowledgement, on
// a timeout, past the out-of-order bounds, at the end of the capture),
// the bytes skipped to find the next session packet header after such a
// hole, and the packets cut short by the end of their stream. Each is
// also an expert note on the frame that noticed it.
type StreamLoss struct {
	Gaps      int   // holes given up
	Lost      int64 // bytes not captured, in those holes
	Skipped   int64 // bytes skipped to resynchronise
	Truncated int   // packets the end of their stream cut short
	Refused   int   // packets over a bound, skipped (oversize, buffer limit)
}

// Add adds o's counts to l.
func (l *StreamLoss) Add(o StreamLoss) {
	l.Gaps += o.Gaps
	l.Lost += o.Lost
	l.Skipped += o.Skipped
	l.Truncated += o.Truncated
	l.Refused += o.Refused
}

// count counts one anomaly of the stream reassembler.
func (l *StreamLoss) count(a *reassembly.StreamAnomaly) {
	switch a.Kind {
	case reassembly.StreamGap:
		l.Gaps++
		l.Lost += int64(a.Bytes)
	case reassembly.StreamSkipped:
		l.Skipped += int64(a.Bytes)
	case reassembly.StreamTruncated:
		l.Truncated++
	case reassembly.StreamOversize, reassembly.StreamBufferLimit:
		l.Refused++
	}
}

// StreamLoss is what the engine's TCP streams lost so far (see Finish and
// Close for the end of the capture).
func (e *Engine) StreamLoss() StreamLoss { return e.nbt.loss }
