package dissect

import (
	"errors"
	"strconv"
)

// Shared sentinels. Every decode error wraps exactly one of them, so callers
// can tell a capture that was cut short (ErrTruncated) from bytes that lie
// about themselves (ErrMalformed) or a configured bound that was hit
// (ErrLimit).
var (
	// ErrTruncated means the data ended before a field the header announced:
	// the capture was cut short (snaplen, a lost segment), not necessarily
	// that the sender lied.
	ErrTruncated = errors.New("truncated")
	// ErrMalformed means the bytes contradict themselves: a length past the
	// end of its container, a label pointer loop, a bad name encoding.
	ErrMalformed = errors.New("malformed")
	// ErrLimit means a configured bound (hops, entries, bytes) was reached.
	ErrLimit = errors.New("limit exceeded")
	// ErrUnsupported means a well-formed message of a kind nbtsniff does not
	// decode (SMB2, an unknown opcode).
	ErrUnsupported = errors.New("unsupported")
)

// DecodeError says which protocol, which field and which byte offset (within
// the layer) a decode stopped at. It unwraps to one of the sentinels.
//
// Its message reads "nbns: answer 2 name: label pointer loop (malformed)";
// the offset is kept in Offset for the tree and the hex view.
type DecodeError struct {
	Proto  string // "nbns", "smb", "rap", ...
	Field  string // "answer 2 name", "trans parameter block"
	Offset int    // byte offset within the layer, -1 if unknown
	Err    error  // one of the sentinels, possibly wrapped
	Detail string // extra words: "label pointer loop" (Truncated: see need)
	// need and have stand, for Truncated, for the Detail "need N bytes,
	// have M" while Detail is empty: a lossy capture truncates packet
	// after packet, and the text is built only if it is printed.
	need, have int
	sized      bool
}

func (e *DecodeError) Error() string {
	b := make([]byte, 0, 64)
	b = append(b, e.Proto...)
	b = append(b, ": "...)
	if e.Field != "" {
		b = append(b, e.Field...)
		b = append(b, ": "...)
	}
	if e.Detail != "" || e.sized {
		if e.Detail != "" {
			b = append(b, e.Detail...)
		} else {
			b = append(b, "need "...)
			b = strconv.AppendInt(b, int64(e.need), 10)
			b = append(b, " bytes, have "...)
			b = strconv.AppendInt(b, int64(e.have), 10)
		}
		if e.Err != nil {
			b = append(b, " ("...)
			b = append(b, e.Err.Error()...)
			b = append(b, ')')
		}
	} else if e.Err != nil {
		b = append(b, e.Err.Error()...)
	}
	return string(b)
}

// Unwrap lets errors.Is(err, ErrTruncated) work.
func (e *DecodeError) Unwrap() error { return e.Err }

// Truncated builds a DecodeError for data that ended early.
// Its Detail reads "need N bytes, have M" in the message (Error) only.
func Truncated(proto, field string, off, need, have int) error {
	return &DecodeError{Proto: proto, Field: field, Offset: off, Err: ErrTruncated, need: need, have: have, sized: true}
}

// Sizes returns, for an error built by Truncated, the bytes the layer
// needed and the bytes it had.
func (e *DecodeError) Sizes() (need, have int, ok bool) { return e.need, e.have, e.sized }

// Malformed builds a DecodeError for self-contradicting data.
func Malformed(proto, field string, off int, detail string) error {
	return &DecodeError{Proto: proto, Field: field, Offset: off, Err: ErrMalformed, Detail: detail}
}

// Limit builds a DecodeError for a bound that was reached.
func Limit(proto, field string, off int, detail string) error {
	return &DecodeError{Proto: proto, Field: field, Offset: off, Err: ErrLimit, Detail: detail}
}
