package dissect

import (
	"errors"
	"strconv"

	"github.com/gopacket/gopacket"
)

// The error helpers every decoder uses, and only these:
//
//   - Truncated, Malformed and Limit build the error where the decoder
//     finds the problem (in the decoder's own words: proto, field, offset);
//   - within re-homes the error of a nested decoder (DecodeName) in the
//     layer that called it;
//   - decoded ends every DecodeFromBytes: Err is set, df is told about a
//     truncation, the error is returned;
//   - appendMalformed and errAt end a layer's tree with tshark's
//     "[Malformed: ...]" note, placed where the error says.

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
	return decodeError(proto, field, off, ErrMalformed, detail)
}

// Limit builds a DecodeError for a bound that was reached.
func Limit(proto, field string, off int, detail string) error {
	return decodeError(proto, field, off, ErrLimit, detail)
}

// decodeError is a DecodeError wrapping sentinel, with detail in its
// message.
func decodeError(proto, field string, off int, sentinel error, detail string) *DecodeError {
	return &DecodeError{Proto: proto, Field: field, Offset: off, Err: sentinel, Detail: detail}
}

// isTruncated reports whether err is a DecodeError wrapping ErrTruncated
// (without the cost of errors.Is on the hot path).
func isTruncated(err error) bool {
	de, ok := err.(*DecodeError)
	return ok && de.Err == ErrTruncated
}

// within re-homes an error of a nested decoder (DecodeName reads a name in
// the layer's bytes) in the layer that called it: Field becomes field, and
// the offset, when the error has one, moves by base, where the nested
// decoder's bytes start in the layer. It returns nil when err is not a
// *DecodeError.
func within(err error, field string, base int) *DecodeError {
	de, ok := err.(*DecodeError)
	if !ok {
		return nil
	}
	de.Field = field
	if de.Offset >= 0 {
		de.Offset += base
	}
	return de
}

// decoded ends every DecodeFromBytes: it keeps err in the layer's Err
// (which reset has set to nil), tells df when the data ended early
// (ErrTruncated: the gopacket meaning of SetTruncated), and returns err.
func decoded(errp *error, err error, df gopacket.DecodeFeedback) error {
	if err != nil {
		failed(errp, err, df)
	}
	return err
}

// failed is decoded's error path, apart so that decoded inlines.
func failed(errp *error, err error, df gopacket.DecodeFeedback) {
	*errp = err
	if df != nil && isTruncated(err) {
		df.SetTruncated()
	}
}

// errAt is where err says decoding stopped: its DecodeError offset when
// that is within [0, limit], else def.
func errAt(err error, def, limit int) int {
	if de, ok := err.(*DecodeError); ok && de.Offset >= 0 && de.Offset <= limit {
		return de.Offset
	}
	return def
}

// appendMalformed ends a layer's tree with tshark's note on a decode
// error, "[Malformed: ...]", at off for n bytes.
func appendMalformed(t *Tree, err error, off, n int) *Node {
	return t.Expert("[Malformed: "+err.Error()+"]", off, n)
}
