package natsfeed

// The message format, version 1. Byte order: big-endian (network order).
//
//	 0      2      3      4             6      7      8
//	+------+------+------+-------------+------+------+
//	| magic "NF"  | ver  | kind | link type   | slen | flags|
//	+-------------+------+------+-------------+------+------+
//	 8  sequence (uint64)
//	16  timestamp, ns since 1970-01-01 UTC (int64)
//	24  interface index (uint32)
//	28  length on the wire (uint32)
//	32  sensor id (slen bytes, 1..MaxSensorLen, UTF-8)
//	32+slen  body:
//	    KindFrame:     the frame bytes (0..capture.MaxRecordSize)
//	    KindHeartbeat, KindEnd: 24 bytes, the sensor's capture.Stats
//	                   (Received, Dropped, IfDropped, uint64 each)
//
// For a frame, sequence is the frame's number within its segment (1, 2,
// ...) and timestamp its capture time. For a heartbeat or an end marker,
// sequence is the number of the last frame published before it and
// timestamp the sensor's watermark: it will publish no frame captured
// earlier. Link type, interface and wire length are 0 there.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/capture"
)

// Version is the message format version this package writes and reads.
const Version = 1

// HeaderLen is the fixed part of every message, before the sensor id.
const HeaderLen = 32

// MaxSensorLen is the longest sensor id, in bytes.
const MaxSensorLen = 64

const statsLen = 24

var magic = [2]byte{'N', 'F'}

// Kind says what a message carries.
type Kind uint8

// Message kinds.
const (
	// KindFrame carries one captured frame.
	KindFrame Kind = 1
	// KindHeartbeat says the sensor is alive and has nothing earlier than
	// its timestamp left to publish; it also carries the sensor's capture
	// counters.
	KindHeartbeat Kind = 2
	// KindEnd says the sensor's input ended (end of a replayed file, or the
	// sensor stopped): the segment holds back nobody until it publishes
	// again.
	KindEnd Kind = 3
)

func (k Kind) String() string {
	switch k {
	case KindFrame:
		return "frame"
	case KindHeartbeat:
		return "heartbeat"
	case KindEnd:
		return "end"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Errors of DecodeMessage, wrapped in a *DecodeError.
var (
	// ErrTruncated: the message is shorter than its header says.
	ErrTruncated = errors.New("truncated")
	// ErrMalformed: a field holds an impossible value.
	ErrMalformed = errors.New("malformed")
	// ErrVersion: not a message of this format, or of another version.
	ErrVersion = errors.New("unsupported format")
)

// DecodeError says which field of a message was wrong and where.
type DecodeError struct {
	Field  string
	Offset int
	Err    error
	Detail string
}

func (e *DecodeError) Error() string {
	s := "natsfeed: " + e.Field + ": " + e.Err.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s + " (offset " + strconv.Itoa(e.Offset) + ")"
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Message is one decoded message. Sensor and Data alias the decoded bytes.
type Message struct {
	Kind      Kind
	Seq       uint64
	Time      int64 // ns since the Unix epoch
	LinkType  layers.LinkType
	Interface int
	Length    int // on the wire
	Sensor    []byte
	Data      []byte        // KindFrame
	Stats     capture.Stats // KindHeartbeat, KindEnd
}

// AppendMessage appends m's encoding to dst. The caller has checked the
// sensor id (checkSensor) and the frame's size.
func AppendMessage(dst []byte, m *Message) []byte {
	var h [HeaderLen]byte
	h[0], h[1] = magic[0], magic[1]
	h[2] = Version
	h[3] = byte(m.Kind)
	binary.BigEndian.PutUint16(h[4:], uint16(m.LinkType))
	h[6] = byte(len(m.Sensor))
	binary.BigEndian.PutUint64(h[8:], m.Seq)
	binary.BigEndian.PutUint64(h[16:], uint64(m.Time))
	binary.BigEndian.PutUint32(h[24:], uint32(m.Interface))
	binary.BigEndian.PutUint32(h[28:], uint32(m.Length))
	dst = append(dst, h[:]...)
	dst = append(dst, m.Sensor...)
	if m.Kind == KindFrame {
		return append(dst, m.Data...)
	}
	var st [statsLen]byte
	binary.BigEndian.PutUint64(st[0:], m.Stats.Received)
	binary.BigEndian.PutUint64(st[8:], m.Stats.Dropped)
	binary.BigEndian.PutUint64(st[16:], m.Stats.IfDropped)
	return append(dst, st[:]...)
}

// DecodeMessage decodes b into m, which it resets first. Sensor and Data
// alias b; nothing is allocated on success. Any byte string gives either
// a message whose every field is in range or a *DecodeError.
func DecodeMessage(b []byte, m *Message) error {
	*m = Message{}
	if len(b) < 4 {
		return &DecodeError{Field: "header", Offset: 0, Err: ErrTruncated, Detail: "need 4 bytes, have " + strconv.Itoa(len(b))}
	}
	if b[0] != magic[0] || b[1] != magic[1] {
		return &DecodeError{Field: "magic", Offset: 0, Err: ErrVersion, Detail: fmt.Sprintf("%#04x", binary.BigEndian.Uint16(b))}
	}
	if b[2] != Version {
		return &DecodeError{Field: "version", Offset: 2, Err: ErrVersion, Detail: strconv.Itoa(int(b[2]))}
	}
	if len(b) < HeaderLen {
		return &DecodeError{Field: "header", Offset: 0, Err: ErrTruncated, Detail: "need " + strconv.Itoa(HeaderLen) + " bytes, have " + strconv.Itoa(len(b))}
	}
	m.Kind = Kind(b[3])
	if m.Kind < KindFrame || m.Kind > KindEnd {
		return &DecodeError{Field: "kind", Offset: 3, Err: ErrMalformed, Detail: strconv.Itoa(int(b[3]))}
	}
	if b[7] != 0 {
		return &DecodeError{Field: "flags", Offset: 7, Err: ErrMalformed, Detail: "reserved bits set"}
	}
	m.LinkType = layers.LinkType(binary.BigEndian.Uint16(b[4:]))
	m.Seq = binary.BigEndian.Uint64(b[8:])
	m.Time = int64(binary.BigEndian.Uint64(b[16:]))
	m.Interface = int(binary.BigEndian.Uint32(b[24:]))
	m.Length = int(binary.BigEndian.Uint32(b[28:]))
	slen := int(b[6])
	if len(b) < HeaderLen+slen {
		return &DecodeError{Field: "sensor id", Offset: HeaderLen, Err: ErrTruncated, Detail: "need " + strconv.Itoa(slen) + " bytes, have " + strconv.Itoa(len(b)-HeaderLen)}
	}
	m.Sensor = b[HeaderLen : HeaderLen+slen]
	if err := checkSensor(m.Sensor); err != nil {
		return &DecodeError{Field: "sensor id", Offset: HeaderLen, Err: ErrMalformed, Detail: err.Error()}
	}
	body := b[HeaderLen+slen:]
	off := HeaderLen + slen
	if m.Kind == KindFrame {
		if m.Seq == 0 {
			return &DecodeError{Field: "sequence", Offset: 8, Err: ErrMalformed, Detail: "frame numbers start at 1"}
		}
		if len(body) > capture.MaxRecordSize {
			return &DecodeError{Field: "frame", Offset: off, Err: ErrMalformed, Detail: strconv.Itoa(len(body)) + " bytes, more than " + strconv.Itoa(capture.MaxRecordSize)}
		}
		m.Data = body
		return nil
	}
	if m.LinkType != 0 || m.Interface != 0 || m.Length != 0 {
		return &DecodeError{Field: "header", Offset: 4, Err: ErrMalformed, Detail: m.Kind.String() + " with frame fields set"}
	}
	if len(body) != statsLen {
		err := ErrMalformed
		if len(body) < statsLen {
			err = ErrTruncated
		}
		return &DecodeError{Field: m.Kind.String() + " counters", Offset: off, Err: err, Detail: "need " + strconv.Itoa(statsLen) + " bytes, have " + strconv.Itoa(len(body))}
	}
	m.Stats.Received = binary.BigEndian.Uint64(body[0:])
	m.Stats.Dropped = binary.BigEndian.Uint64(body[8:])
	m.Stats.IfDropped = binary.BigEndian.Uint64(body[16:])
	return nil
}

// checkSensor says what is wrong with a sensor id, or nil: 1 to
// MaxSensorLen bytes of UTF-8 without control characters (it goes into
// the Nats-Msg-Id header and into labels).
func checkSensor(id []byte) error {
	switch {
	case len(id) == 0:
		return errors.New("empty")
	case len(id) > MaxSensorLen:
		return errors.New("longer than " + strconv.Itoa(MaxSensorLen) + " bytes")
	}
	for len(id) > 0 {
		r, n := utf8.DecodeRune(id)
		if r == utf8.RuneError && n <= 1 {
			return errors.New("not UTF-8")
		}
		if unicode.IsControl(r) {
			return errors.New("control character")
		}
		id = id[n:]
	}
	return nil
}
