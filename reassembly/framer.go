package reassembly

import "github.com/nbtsniff/nbtsniff/dissect"

// The NBSS framer: bytes in, what starts them out, as Suricata's parsers
// return Ok(consumed) or Incomplete(consumed, needed). It keeps no state
// and knows nothing of TCP, gaps, limits or how tshark shows a packet:
// the stream bookkeeping (stream.go) feeds it the bytes it has in order,
// acts on what it says, and keeps the rest.
//
// Framing, on port 139 (RFC 1002 §4.3.1) and 445 ([MS-SMB2] §2.1, direct):
// a 4-byte header (type, flags, length), then the body. The length has 17
// bits on 139 (16 and the E flag) and 24 on 445, and on 139 for a session
// message carrying SMB (dissect.NBSSUsesLongLength), which needs 8 bytes
// to tell.

// Framing is what FrameNBSS finds at the start of its input.
type Framing struct {
	// Consumed > 0: the input starts with a whole packet of Consumed
	// bytes, header included.
	Consumed int
	// Needed > 0: the input starts a packet, or a header, that is not all
	// there: Needed bytes in all, from the input's start, are needed to go
	// on (the 4-byte header, 8 bytes to see whether a session message on
	// port 139 carries SMB, or the whole packet once its header is read).
	Needed int
	// Length is the packet's length, header included, once its header is
	// read (whole or not), else 0: what the caller bounds.
	Length int
	// Lost: the input does not start with a plausible header (an unknown
	// type, reserved flags, a length that does not fit the type). The
	// caller resynchronises (ResyncNBSS).
	Lost bool
}

// FrameNBSS frames the session packet at the start of b, on a connection
// to port 445 (direct) or 139. b must not be empty.
func FrameNBSS(b []byte, direct bool) Framing {
	if !dissect.NBSSType(b[0]).Known() {
		return Framing{Lost: true}
	}
	if len(b) < dissect.NBSSHeaderLen {
		return Framing{Needed: dissect.NBSSHeaderLen}
	}
	if len(b) < 8 && b[0] == byte(dissect.NBSSSessionMessage) && b[1] > 1 && !direct {
		// Flags beyond E: a reserved bit on 139, or the high bits of a
		// 24-bit length if SMB follows. The signature tells.
		return Framing{Needed: 8}
	}
	if !dissect.NBSSPlausible(b, direct, false) {
		return Framing{Lost: true}
	}
	l, _ := dissect.NBSSLength(b, dissect.NBSSUsesLongLength(direct, b))
	total := dissect.NBSSHeaderLen + l
	if len(b) < total {
		return Framing{Needed: total, Length: total}
	}
	return Framing{Consumed: total, Length: total}
}

// ResyncNBSS looks, from b[from:] on, for where a session packet header
// could start after the framing lost track (a gap, a capture begun inside
// a connection): it returns the first such offset, or len(b), and whether
// a header there is to be believed anywhere. A session message carrying
// SMB, or a session request with its 32-byte name label, is believed
// anywhere (dissect.NBSSPlausible, strict). The other types, whose 4 bytes
// are too common in SMB data to mean much, and a session message too
// short yet to show its SMB signature, are believed only at the start of
// a TCP segment, where tshark looks: that is the caller's to check, and
// to call again from the next byte if it is not.
func ResyncNBSS(b []byte, from int, direct bool) (off int, anywhere bool) {
	for p := from; p < len(b); p++ {
		h := b[p:]
		switch dissect.NBSSType(h[0]) {
		case dissect.NBSSSessionMessage, dissect.NBSSSessionRequest:
			if dissect.NBSSPlausible(h, direct, true) {
				return p, true
			}
			if len(h) < 8 && dissect.NBSSPlausible(h, direct, false) {
				return p, false
			}
		case dissect.NBSSPositiveSessionResponse, dissect.NBSSNegativeSessionResponse,
			dissect.NBSSRetargetSessionResponse, dissect.NBSSSessionKeepAlive:
			if dissect.NBSSPlausible(h, direct, false) {
				return p, false
			}
		}
	}
	return len(b), false
}
