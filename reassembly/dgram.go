package reassembly

// Fragmented NetBIOS datagrams (RFC 1002 §4.4.1; RFC 1001 §17.1.3).
//
// A DIRECT_UNIQUE, DIRECT_GROUP or BROADCAST datagram whose user data does
// not fit one UDP packet is sent as several, each with the full header and
// both names: the first with F set and PACKET_OFFSET 0, every one but the
// last with M set, and PACKET_OFFSET saying where its user data goes. All
// carry the same DGM_ID, unique per sender (SOURCE_IP, SOURCE_PORT).

import (
	"bytes"
	"strconv"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// DatagramKey identifies the fragments of one datagram: the header's
// SOURCE_IP, SOURCE_PORT and DGM_ID (kept by an NBDD that relays it).
type DatagramKey struct {
	SourceIP   [4]byte
	SourcePort uint16
	DatagramID uint16
}

// String is "192.168.0.122:138 id 0x8050".
func (k DatagramKey) String() string {
	b := make([]byte, 0, 32)
	for i, x := range k.SourceIP {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(x), 10)
	}
	b = append(b, ':')
	b = strconv.AppendUint(b, uint64(k.SourcePort), 10)
	b = append(b, " id 0x"...)
	b = strconv.AppendUint(b, uint64(k.DatagramID), 16)
	return string(b)
}

// DatagramLimits bounds the datagram reassembler.
type DatagramLimits struct {
	// MaxPending is how many datagrams may be waiting for fragments at
	// once; one more evicts the oldest.
	MaxPending int
	// MaxBytes is the largest user data of one datagram. PACKET_OFFSET is
	// 16 bits, so a datagram cannot meaningfully exceed 64 KiB.
	MaxBytes int
	// MaxFragments is the most fragments one datagram may have.
	MaxFragments int
	// Timeout is how long, in capture time after its first fragment, a
	// datagram may wait for the others.
	Timeout time.Duration
}

// DefaultDatagramLimits: 64 pending datagrams of at most 64 KiB in 128
// fragments, waiting at most 30 s of capture time.
func DefaultDatagramLimits() DatagramLimits {
	return DatagramLimits{MaxPending: 64, MaxBytes: 64 << 10, MaxFragments: 128, Timeout: 30 * time.Second}
}

// Datagram is a complete datagram's user data.
type Datagram struct {
	Key DatagramKey
	// Payload is the whole user data (the SMB message). For a datagram
	// that was not fragmented it aliases the NBDGM's Payload; otherwise it
	// belongs to the reassembler. Valid until the next call.
	Payload []byte
	// Frames are the frames whose fragments made it, in PACKET_OFFSET
	// order. Valid until the next call.
	Frames []int
	// First is the capture time of the first fragment seen.
	First time.Time
	// Fragmented is set when more than one packet made it.
	Fragmented bool
}

// DatagramAnomalyKind says what went wrong with a datagram.
type DatagramAnomalyKind uint8

const (
	// DatagramExpired: Timeout passed with fragments still missing; the
	// fragments received are dropped.
	DatagramExpired DatagramAnomalyKind = iota + 1
	// DatagramEvicted: MaxPending datagrams were waiting; the oldest was
	// dropped to make room.
	DatagramEvicted
	// DatagramTooLarge: the datagram exceeds MaxBytes or MaxFragments; it
	// is dropped, and its later fragments ignored.
	DatagramTooLarge
	// DatagramBadFragment: a fragment contradicts the others (a second
	// first or last fragment, a first fragment at a non-zero offset, data
	// past the end announced by the last fragment, overlapping bytes that
	// differ); it is ignored.
	DatagramBadFragment
	// DatagramIncomplete: FlushAll found the datagram still missing
	// fragments at the end of the capture.
	DatagramIncomplete
)

// String names the kind.
func (k DatagramAnomalyKind) String() string {
	switch k {
	case DatagramExpired:
		return "expired"
	case DatagramEvicted:
		return "evicted"
	case DatagramTooLarge:
		return "too large"
	case DatagramBadFragment:
		return "bad fragment"
	case DatagramIncomplete:
		return "incomplete"
	}
	return "unknown"
}

// DatagramAnomaly reports a datagram that could not be reassembled, or a
// fragment that was ignored.
type DatagramAnomaly struct {
	Kind DatagramAnomalyKind
	Key  DatagramKey
	// Frame is the frame of the fragment at fault (DatagramTooLarge,
	// DatagramBadFragment), else 0.
	Frame int
	// Frames are the fragments received so far (valid until the next call).
	Frames []int
	// Have is the user data bytes received; Want the total, when the last
	// fragment said it (else 0).
	Have, Want int
	// Err is a *dissect.DecodeError (proto "nbdgm") wrapping
	// dissect.ErrLimit, ErrTruncated or ErrMalformed, for the frame's
	// anomaly list.
	Err error
}

// DatagramReassembler puts fragmented datagrams back together. It is not
// safe for concurrent use. Its memory is bounded by DatagramLimits.
type DatagramReassembler struct {
	lim       DatagramLimits
	pending   []*dgramPending // in order of arrival of their first fragment
	free      []*dgramPending
	out       Datagram
	outBuf    []byte
	outFrames []int
	frames    []int // anomalies' Frames
	anoms     []DatagramAnomaly
	single    [1]int
}

type dgramFrag struct {
	off, n int // PACKET_OFFSET and length of this fragment's user data
	start  int // where its bytes are in dgramPending.buf
	frame  int
}

type dgramPending struct {
	key         DatagramKey
	first       time.Time
	frags       []dgramFrag // sorted by off
	buf         []byte
	haveFirst   bool
	total       int // from the last fragment, -1 until it is seen
	dropped     bool
	droppedSeen int
}

// NewDatagramReassembler makes a reassembler; zero limits take the
// defaults.
func NewDatagramReassembler(lim DatagramLimits) *DatagramReassembler {
	def := DefaultDatagramLimits()
	if lim.MaxPending <= 0 {
		lim.MaxPending = def.MaxPending
	}
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = def.MaxBytes
	}
	if lim.MaxFragments <= 0 {
		lim.MaxFragments = def.MaxFragments
	}
	if lim.Timeout <= 0 {
		lim.Timeout = def.Timeout
	}
	return &DatagramReassembler{lim: lim}
}

// Pending is the number of datagrams waiting for fragments.
func (r *DatagramReassembler) Pending() int { return len(r.pending) }

// Add takes one decoded datagram packet seen in frame at capture time ts.
// Call it for every DIRECT_UNIQUE, DIRECT_GROUP and BROADCAST packet that
// decoded without error: a packet that is not a fragment comes straight
// back as a Datagram without copying; a fragment is kept until the last
// one arrives, and then the whole user data comes back. Other types return
// nil.
//
// Before that, datagrams waiting longer than Timeout at ts are expired. The
// anomalies found (expiries, evictions, and this fragment's problems) are
// returned; both results are valid until the next call.
func (r *DatagramReassembler) Add(frame int, ts time.Time, d *dissect.NBDGM) (*Datagram, []DatagramAnomaly) {
	r.anoms = r.anoms[:0]
	r.expire(ts)
	if !d.Type.HasNames() {
		return nil, r.anoms
	}
	key := DatagramKey{SourceIP: d.SourceIP, SourcePort: d.SourcePort, DatagramID: d.DatagramID}
	if !d.Fragmented() {
		r.single[0] = frame
		r.out = Datagram{Key: key, Payload: d.Payload, Frames: r.single[:], First: ts}
		return &r.out, r.anoms
	}
	p := r.find(key)
	if p == nil {
		if len(r.pending) >= r.lim.MaxPending {
			r.drop(0, DatagramEvicted, dissect.Limit("nbdgm", "fragments", -1,
				"more than "+strconv.Itoa(r.lim.MaxPending)+" datagrams waiting for fragments: dropped the oldest"))
		}
		p = r.alloc(key, ts)
	}
	if p.dropped {
		p.droppedSeen++
		return nil, r.anoms
	}
	first := d.Flags.Has(dissect.NBDGMFlagFirst)
	last := !d.Flags.Has(dissect.NBDGMFlagMore)
	off, n := int(d.PacketOffset), len(d.Payload)
	// A retransmitted fragment is ignored; an overlapping one must agree.
	for _, f := range p.frags {
		lo, hi := max(f.off, off), min(f.off+f.n, off+n)
		if lo >= hi {
			continue
		}
		if !bytes.Equal(p.buf[f.start+lo-f.off:f.start+hi-f.off], d.Payload[lo-off:hi-off]) {
			r.bad(p, frame, "fragment at offset "+strconv.Itoa(off)+" overlaps earlier data with different bytes")
			return nil, r.anoms
		}
		if f.off == off && f.n == n {
			return nil, r.anoms
		}
	}
	switch {
	case first && off != 0:
		r.bad(p, frame, "first fragment at offset "+strconv.Itoa(off))
		return nil, r.anoms
	case first && p.haveFirst:
		r.bad(p, frame, "second first fragment")
		return nil, r.anoms
	case last && p.total >= 0 && off+n != p.total:
		r.bad(p, frame, "second last fragment, ending at "+strconv.Itoa(off+n)+" not "+strconv.Itoa(p.total))
		return nil, r.anoms
	case p.total >= 0 && off+n > p.total:
		r.bad(p, frame, "fragment ends at "+strconv.Itoa(off+n)+", past the last fragment's end "+strconv.Itoa(p.total))
		return nil, r.anoms
	case last:
		for i := range p.frags {
			if f := &p.frags[i]; f.off+f.n > off+n {
				r.bad(p, frame, "last fragment ends at "+strconv.Itoa(off+n)+", before data already received")
				return nil, r.anoms
			}
		}
	}
	if off+n > r.lim.MaxBytes || len(p.frags) >= r.lim.MaxFragments {
		r.tooLarge(p, frame, off+n)
		return nil, r.anoms
	}
	i := len(p.frags)
	for i > 0 && p.frags[i-1].off > off {
		i--
	}
	if len(p.buf)+n > r.lim.MaxBytes {
		r.tooLarge(p, frame, len(p.buf)+n)
		return nil, r.anoms
	}
	start := len(p.buf)
	p.buf = append(p.buf, d.Payload...)
	p.frags = append(p.frags, dgramFrag{})
	copy(p.frags[i+1:], p.frags[i:])
	p.frags[i] = dgramFrag{off: off, n: n, start: start, frame: frame}
	if first {
		p.haveFirst = true
	}
	if last {
		p.total = off + n
	}
	if !p.complete() {
		return nil, r.anoms
	}
	r.outBuf = r.outBuf[:0]
	r.outFrames = r.outFrames[:0]
	for _, f := range p.frags {
		if f.off+f.n > len(r.outBuf) {
			r.outBuf = append(r.outBuf, p.buf[f.start+len(r.outBuf)-f.off:f.start+f.n]...)
		}
		r.outFrames = append(r.outFrames, f.frame)
	}
	r.out = Datagram{Key: key, Payload: r.outBuf, Frames: r.outFrames, First: p.first, Fragmented: true}
	r.remove(p)
	return &r.out, r.anoms
}

// complete reports whether the last fragment is in and the fragments cover
// the user data from offset 0 without a hole. (The first fragment need not
// carry F: its offset 0 is what counts.)
func (p *dgramPending) complete() bool {
	if p.total < 0 {
		return false
	}
	end := 0
	for _, f := range p.frags {
		if f.off > end {
			return false
		}
		end = max(end, f.off+f.n)
	}
	return end == p.total
}

// Expire drops the datagrams that have waited longer than Timeout at now
// (capture time) and reports them. The result is valid until the next call.
func (r *DatagramReassembler) Expire(now time.Time) []DatagramAnomaly {
	r.anoms = r.anoms[:0]
	r.expire(now)
	return r.anoms
}

// FlushAll drops every datagram still waiting (at the end of a capture)
// and reports those that were missing fragments.
func (r *DatagramReassembler) FlushAll() []DatagramAnomaly {
	r.anoms = r.anoms[:0]
	for len(r.pending) > 0 {
		p := r.pending[0]
		if p.dropped {
			r.remove(p)
			continue
		}
		r.drop(0, DatagramIncomplete, dissect.Truncated("nbdgm", "fragments", -1, p.want(), p.have()))
	}
	return r.anoms
}

func (r *DatagramReassembler) expire(now time.Time) {
	for i := 0; i < len(r.pending); {
		p := r.pending[i]
		if now.Sub(p.first) <= r.lim.Timeout {
			i++
			continue
		}
		if p.dropped {
			r.remove(p)
			continue
		}
		r.drop(i, DatagramExpired, dissect.Truncated("nbdgm", "fragments", -1, p.want(), p.have()))
	}
}

func (p *dgramPending) have() int {
	n := 0
	for _, f := range p.frags {
		n += f.n
	}
	return n
}

// want is the total when known, else one more byte than received, so that
// a truncation error reads "need N, have M" with N > M.
func (p *dgramPending) want() int {
	if p.total >= 0 {
		return p.total
	}
	return p.have() + 1
}

func (r *DatagramReassembler) find(key DatagramKey) *dgramPending {
	for _, p := range r.pending {
		if p.key == key {
			return p
		}
	}
	return nil
}

func (r *DatagramReassembler) alloc(key DatagramKey, ts time.Time) *dgramPending {
	var p *dgramPending
	if n := len(r.free); n > 0 {
		p, r.free = r.free[n-1], r.free[:n-1]
	} else {
		p = new(dgramPending)
	}
	*p = dgramPending{key: key, first: ts, frags: p.frags[:0], buf: p.buf[:0], total: -1}
	r.pending = append(r.pending, p)
	return p
}

func (r *DatagramReassembler) remove(p *dgramPending) {
	for i, q := range r.pending {
		if q == p {
			copy(r.pending[i:], r.pending[i+1:])
			r.pending[len(r.pending)-1] = nil
			r.pending = r.pending[:len(r.pending)-1]
			break
		}
	}
	if cap(p.buf) > r.lim.MaxBytes {
		p.buf = nil
	}
	r.free = append(r.free, p)
}

// report adds an anomaly for p; its Frames are copied so that p can go.
func (r *DatagramReassembler) report(p *dgramPending, kind DatagramAnomalyKind, frame int, err error) {
	start := len(r.frames)
	if len(r.anoms) == 0 {
		r.frames = r.frames[:0]
		start = 0
	}
	for _, f := range p.frags {
		r.frames = append(r.frames, f.frame)
	}
	want := 0
	if p.total >= 0 {
		want = p.total
	}
	r.anoms = append(r.anoms, DatagramAnomaly{Kind: kind, Key: p.key, Frame: frame,
		Frames: r.frames[start:len(r.frames):len(r.frames)], Have: p.have(), Want: want, Err: err})
}

// drop reports and removes pending[i].
func (r *DatagramReassembler) drop(i int, kind DatagramAnomalyKind, err error) {
	p := r.pending[i]
	r.report(p, kind, 0, err)
	r.remove(p)
}

func (r *DatagramReassembler) bad(p *dgramPending, frame int, detail string) {
	r.report(p, DatagramBadFragment, frame, dissect.Malformed("nbdgm", "fragment", 12, detail))
	if len(p.frags) == 0 && !p.haveFirst {
		r.remove(p)
	}
}

// tooLarge drops p's data but keeps it, marked, until it expires, so that
// its later fragments are ignored quietly.
func (r *DatagramReassembler) tooLarge(p *dgramPending, frame, size int) {
	r.report(p, DatagramTooLarge, frame, dissect.Limit("nbdgm", "fragments", -1,
		"datagram of "+strconv.Itoa(size)+" bytes or "+strconv.Itoa(len(p.frags)+1)+" fragments exceeds the limits ("+
			strconv.Itoa(r.lim.MaxBytes)+" bytes, "+strconv.Itoa(r.lim.MaxFragments)+" fragments)"))
	p.dropped = true
	p.frags = p.frags[:0]
	p.buf = p.buf[:0]
}
