package dissect

import (
	"encoding/binary"
	"math/bits"
	"strconv"
)

// NetBIOS names, RFC 1001 §14 and RFC 1002 §4.1.
//
// A NetBIOS name is 16 bytes: 15 characters padded with spaces and a 16th
// byte, the suffix, that says what the name is for (<00> workstation, <20>
// server, <1d> local master browser, ...). On the wire it is "first-level
// encoded" into a 32-byte DNS label, each half-byte as 'A'+nibble (RFC 1001
// §14.1), followed by the NetBIOS scope as further DNS labels and a zero
// byte (§14.2). In NBNS the label sequence may end in a compression pointer
// (RFC 1002 §4.1, RFC 1035 §4.1.4).
//
// Display follows tshark 4.0 exactly (packet-nbt.c get_nbns_name and
// packet-netbios.c process_netbios_name), so that names diff cleanly:
//
//   - characters outside ' '..'~' are shown as <xx>, trailing spaces are
//     dropped, the suffix follows as <xx>, the scope as ".scope";
//   - a label that does not decode to 16 bytes is shown as one of tshark's
//     "Illegal NetBIOS name (...)" texts instead of the name. tshark accepts
//     'A'..'Z' (not only 'A'..'P') as half-bytes: 'Q'..'Z' give values 16..25
//     that spill into the neighbouring bits. Name.BadNibble still reports them.

// MaxNameHops bounds the label pointers followed while reading one name.
const MaxNameHops = 16

// maxScope bounds the scope text kept with a name (RFC 1002 limits a whole
// domain name to 255 bytes).
const maxScope = 255

// maxDottedName is the longest dotted name tshark 4.0 keeps (packet-dns.c
// expand_dns_name: a 255-byte buffer that also needs room for its NUL and
// counts the first label as if it had a dot); a longer one is shown as
// "<Name too long>", which then is no valid first-level encoding.
const maxDottedName = 253

// Name is a decoded NetBIOS name: a value type, not a string, until it leaves
// the decoder.
type Name struct {
	Raw [16]byte // the 16 decoded bytes: 15 characters and the suffix
	// Encoded is the first label as it was on the wire (normally 32 bytes of
	// 'A'..'P'). It aliases the packet. It is empty for a zero-length name.
	Encoded []byte
	// Scope is the scope ID in dotted form, aliasing the packet when it is a
	// single label, else pointing into the Name it was decoded into. Empty
	// when there is none. After copying a Name, use ScopeID.
	Scope    []byte
	scopeBuf [maxScope]byte
	scopeLen int // > 0 when Scope is held in scopeBuf
	// BadNibble is the index in Encoded of the first byte that is not a valid
	// half-byte ('A'..'P'), or -1 when the encoding is valid.
	BadNibble int
	// Short is set when the first label was not 32 bytes long (or the name
	// was empty); Raw then holds what could be decoded.
	Short bool
	// Long is set when the name and its scope exceed 253 characters in
	// dotted form (RFC 1035 §2.3.4; tshark shows "<Name too long>").
	Long bool
	// Extended is set when an RFC 2673 extended label (type 0x40) followed
	// the first label: an unknown one ends the name (tshark shows
	// "<Unknown extended label>"), a bit-string label right after the
	// first label leaves no valid first-level encoding. Either way tshark
	// shows the illegal-first-character text.
	Extended bool
}

// Suffix is the 16th byte: the name type.
func (n *Name) Suffix() byte { return n.Raw[15] }

// Valid reports whether the first-level encoding was correct and complete.
func (n *Name) Valid() bool { return n.BadNibble < 0 && !n.Short && !n.Long && !n.Extended }

// Base returns the 15 name characters without the trailing spaces.
func (n *Name) Base() []byte {
	// Eight characters at a time (most names end in spaces): XORed with
	// spaces, the last character that is not one is the highest byte
	// not zero.
	const spaces = 0x2020202020202020
	if w := binary.LittleEndian.Uint64(n.Raw[7:]) ^ spaces; w != 0 { // Raw[7:15]
		return n.Raw[:15-bits.LeadingZeros64(w)/8]
	}
	w := (binary.LittleEndian.Uint64(n.Raw[:]) ^ spaces) &^ (0xff << 56) // Raw[0:7]
	return n.Raw[:8-bits.LeadingZeros64(w)/8]
}

// ScopeID returns the scope in dotted form. Unlike the Scope field it stays
// right when the Name has been copied.
func (n *Name) ScopeID() []byte {
	if n.scopeLen > 0 {
		return n.scopeBuf[:n.scopeLen]
	}
	return n.Scope
}

const hexdigits = "0123456789abcdef"

// tshark 4.0's texts for names that are not a valid first-level encoding.
const (
	illegalName1st  = "Illegal NetBIOS name (1st character not between A and Z in first-level encoding)"
	illegalName2nd  = "Illegal NetBIOS name (2nd character not between A and Z in first-level encoding)"
	illegalNameOdd  = "Illegal NetBIOS name (odd number of bytes)"
	illegalNameLen1 = "Illegal NetBIOS name ("
	illegalNameLen2 = " bytes long)"
)

// AppendString appends the name the way tshark shows it, without the scope:
// the characters (non-printable ones as <xx>) without trailing spaces, then
// the suffix in angle brackets ("WORKGROUP<1d>", "<01><02>__MSBROWSE__<02><01>").
// A label that is not a valid first-level encoding gives tshark's
// "Illegal NetBIOS name (...)" text.
func (n *Name) AppendString(b []byte) []byte { return n.appendDisplay(b, false) }

// AppendWithScope appends the name as AppendString does, and then, if there
// is one, ".scope": the whole string tshark shows as nbns.name.
func (n *Name) AppendWithScope(b []byte) []byte { return n.appendDisplay(b, true) }

// String is for tests and debugging; decoders use AppendString.
func (n Name) String() string { return string(n.AppendWithScope(nil)) }

// dottedAt returns byte i of the name in dotted form (the first label, then
// "." and the scope), or 0 past its end: the C string tshark decodes.
func (n *Name) dottedAt(i int) byte {
	if i < len(n.Encoded) {
		return n.Encoded[i]
	}
	s := n.ScopeID()
	if len(s) == 0 {
		return 0
	}
	if i == len(n.Encoded) {
		return '.'
	}
	if i-len(n.Encoded)-1 < len(s) {
		return s[i-len(n.Encoded)-1]
	}
	return 0
}

// appendDisplay undoes the first-level encoding of the dotted name the way
// tshark's get_nbns_name does and formats the result.
func (n *Name) appendDisplay(b []byte, withScope bool) []byte {
	if n.Valid() {
		// The common case, without walking the dotted form byte by
		// byte: 32 half-bytes 'A'..'P' decode to Raw (decodeFirstLevel
		// did it), and the scope, if any, follows as ".scope", up to a
		// NUL as in tshark's C string.
		b = appendNetBIOSChars(b, &n.Raw, 1<<30)
		b = append(b, '<', hexdigits[n.Raw[15]>>4], hexdigits[n.Raw[15]&0xf], '>')
		if s := n.ScopeID(); withScope && len(s) > 0 {
			b = append(b, '.')
			for _, c := range s {
				if c == 0 {
					break
				}
				b = append(b, c)
			}
		}
		return b
	}
	return n.appendDotted(b, withScope)
}

// appendDotted is appendDisplay the way tshark does it: it walks the name
// in dotted form. appendDisplay takes it for names that are not Valid.
func (n *Name) appendDotted(b []byte, withScope bool) []byte {
	if len(n.Encoded) == 0 || n.Long || n.Extended {
		// tshark decodes "<Root>" or "<Name too long>": '<' is no half-byte.
		return append(b, illegalName1st...)
	}
	var raw [16]byte
	idx, i := 0, 0
	var c byte
	for {
		c = n.dottedAt(i)
		if c == 0 || c == '.' {
			break
		}
		if c < 'A' || c > 'Z' {
			return append(b, illegalName1st...)
		}
		hi := c - 'A'
		i++
		c = n.dottedAt(i)
		if c == 0 || c == '.' {
			return append(b, illegalNameOdd...)
		}
		if c < 'A' || c > 'Z' {
			return append(b, illegalName2nd...)
		}
		lo := c - 'A'
		i++
		if idx < 16 {
			raw[idx] = hi<<4 | lo
			idx++
		}
	}
	if idx != 16 {
		b = append(b, illegalNameLen1...)
		b = strconv.AppendInt(b, int64(idx), 10)
		return append(b, illegalNameLen2...)
	}
	b = appendNetBIOSChars(b, &raw, 1<<30)
	b = append(b, '<', hexdigits[raw[15]>>4], hexdigits[raw[15]&0xf], '>')
	if withScope && c == '.' {
		for ; ; i++ {
			c = n.dottedAt(i)
			if c == 0 {
				break
			}
			b = append(b, c)
		}
	}
	return b
}

// appendNetBIOSChars appends the first 15 bytes of raw the way tshark's
// process_netbios_name does: printable ASCII as is, other bytes as <xx>,
// at most limit-1 characters, then trailing spaces removed (tshark looks at
// no more than the last 15 characters: a name of 15 spaces stays as it is).
func appendNetBIOSChars(b []byte, raw *[16]byte, limit int) []byte {
	start := len(b)
	if limit > 15*4 {
		// The budget cannot run out (15 characters of at most 4 bytes):
		// no per-byte accounting. A name of printable characters, the
		// usual one, is copied at once, trailing spaces off (all 15 kept
		// when they are all spaces, as below).
		if printable15(raw) {
			end := 15
			for end > 0 && raw[end-1] == ' ' {
				end--
			}
			if end == 0 {
				end = 15
			}
			return append(b, raw[:end]...)
		}
		for _, c := range raw[:15] {
			if c >= ' ' && c <= '~' {
				b = append(b, c)
			} else {
				b = append(b, '<', hexdigits[c>>4], hexdigits[c&0xf], '>')
			}
		}
	} else {
		for _, c := range raw[:15] {
			if c >= ' ' && c <= '~' {
				b = putLimited(b, &limit, c)
			} else {
				b = putLimited(b, &limit, '<')
				b = putLimited(b, &limit, hexdigits[c>>4])
				b = putLimited(b, &limit, hexdigits[c&0xf])
				b = putLimited(b, &limit, '>')
			}
		}
	}
	s := b[start:]
	for k := 0; k < 15; k++ {
		p := len(s) - 1 - k
		if p < 0 {
			// tshark would read before its buffer here; keep nothing.
			return b[:start]
		}
		if s[p] != ' ' {
			return b[:start+p+1]
		}
	}
	return b
}

// printable15 reports whether the first 15 bytes of raw are all ' '..'~',
// eight bytes at a time (two overlapping words): a byte c below 0x80 is
// in range exactly when c+0x60 has its top bit set and c+0x01 has not.
func printable15(raw *[16]byte) bool {
	const (
		ones = 0x0101010101010101
		high = 0x80 * ones
	)
	for _, x := range [2]uint64{binary.LittleEndian.Uint64(raw[0:]), binary.LittleEndian.Uint64(raw[7:])} {
		if x&high != 0 || (x+0x60*ones)&^(x+0x01*ones)&high != high {
			return false
		}
	}
	return true
}

// putLimited appends c if the C-style budget allows (tshark: --len > 0).
func putLimited(b []byte, limit *int, c byte) []byte {
	*limit--
	if *limit > 0 {
		b = append(b, c)
	}
	return b
}

// NameSuffixMeaning names a 16th-byte value the way tshark 4.0 does
// (packet-netbios.c nb_name_type_vals, after Hertel, Implementing CIFS §3.5,
// and the browser draft), "Unknown" for the others. tshark names the suffix
// alone, so group is not used (an <00> group name is a workgroup, a unique
// one a workstation, but both print "Workstation/Redirector"); it is kept so
// that callers need not change.
func NameSuffixMeaning(suffix byte, group bool) string {
	_ = group
	switch suffix {
	case 0x00, 0x02:
		return "Workstation/Redirector"
	case 0x01:
		return "Browser"
	case 0x03:
		return "Messenger service/Main name"
	case 0x05:
		return "Forwarded name"
	case 0x06:
		return "RAS Server service"
	case 0x1b:
		return "Domain Master Browser"
	case 0x1c:
		return "Domain Controllers"
	case 0x1d:
		return "Local Master Browser"
	case 0x1e:
		return "Browser Election Service"
	case 0x1f:
		return "Net DDE Service"
	case 0x20:
		return "Server service"
	case 0x21:
		return "RAS client service"
	case 0x22:
		return "Exchange Interchange (MSMail Connector)"
	case 0x23:
		return "Exchange Store"
	case 0x24:
		return "Exchange Directory"
	case 0x2b:
		return "Lotus Notes Server service"
	case 0x30:
		return "Modem sharing server service"
	case 0x31:
		return "Modem sharing client service"
	case 0x43:
		return "SMS Clients Remote Control"
	case 0x44:
		return "SMS Administrators Remote Control Tool"
	case 0x45:
		return "SMS Clients Remote Chat"
	case 0x46:
		return "SMS Clients Remote Transfer"
	case 0x4c, 0x52:
		return "DEC Pathworks TCP/IP Service on Windows NT"
	case 0x6a:
		return "Microsoft Exchange IMC"
	case 0x87:
		return "Microsoft Exchange MTA"
	case 0xbe:
		return "Network Monitor Agent"
	case 0xbf:
		return "Network Monitor Analyzer"
	}
	return "Unknown"
}

// DecodeName reads a NetBIOS name at off in msg (RFC 1002 §4.1). msg is the
// whole message, so that compression pointers, which are offsets from its
// start, can be followed; at most MaxNameHops are followed, and a loop is
// an error, never a hang. It returns the offset just after the name as it
// appears at off (after the pointer if the name ends in one).
//
// A bad half-byte, a first label that is not 32 bytes long, a zero-length
// name (a lone zero byte) and an over-long name are not errors: the name is
// returned with BadNibble, Short or Long set, so that callers report it,
// show the raw label (Encoded) and go on, as tshark does. Errors are a label
// pointer loop, a pointer past the end, a pointer to an empty name, the
// reserved label type 0x80 (RFC 1035 §4.1.4), an RFC 2673 extended label
// (0x40) as the first byte, and data that ends inside the name
// (ErrTruncated). An extended label after the first label is read as
// tshark reads it (see Extended).
func DecodeName(proto string, msg []byte, off int, n *Name) (next int, err error) {
	// The usual name: one 32-byte label of half-bytes, no scope, what
	// the loop below makes of it in fewer steps.
	if off >= 0 && off+34 <= len(msg) && msg[off] == 32 && msg[off+33] == 0 {
		label := msg[off+1 : off+33]
		if decodeFirstLevel32((*[32]byte)(label), &n.Raw) {
			n.Encoded, n.Scope, n.scopeLen = label, nil, 0
			n.BadNibble, n.Short, n.Long, n.Extended = -1, false, false, false
			return off + 34, nil
		}
	}
	n.Raw = [16]byte{}
	n.Encoded = nil
	n.Scope = nil
	n.scopeLen = 0
	n.BadNibble = -1
	n.Short = false
	n.Long = false
	n.Extended = false
	pos := off
	next = -1
	hops := 0
	first := true
	dotted := 0 // length of the name in dotted form so far
	for {
		if pos >= len(msg) || pos < 0 {
			return 0, Truncated(proto, "name", pos, pos+1, len(msg))
		}
		l := int(msg[pos])
		switch l & 0xc0 {
		case 0xc0:
			if pos+1 >= len(msg) {
				return 0, Truncated(proto, "name pointer", pos, pos+2, len(msg))
			}
			if next < 0 {
				next = pos + 2
			}
			hops++
			if hops > MaxNameHops {
				return 0, Malformed(proto, "name", pos, "label pointer loop")
			}
			ptr := (l&0x3f)<<8 | int(msg[pos+1])
			if ptr >= len(msg) {
				return 0, Malformed(proto, "name pointer", pos, "points past the end of the message")
			}
			pos = ptr
			continue
		case 0x80:
			return 0, Malformed(proto, "name", pos, "reserved label type")
		case 0x40:
			// An RFC 2673 extended label, which RFC 1002 does not
			// allow; tshark's DNS name reader (packet-dns.c
			// expand_dns_name) takes it after a first label, so
			// nbtsniff does too. As the first byte of a name tshark
			// throws (frame 2 of a crafted datagram: no destination
			// name, "[Malformed Packet: NBDS]"): an error here.
			if first {
				return 0, Malformed(proto, "name", pos, "reserved label type")
			}
			if l != 0x41 {
				// Unknown extended label: the name ends after this
				// byte (capture malformed-fuzzed-nbns-nbdgm_ndpi-fuzz-
				// 2006-06-26-2594, frame 472: tshark shows the
				// source name as the illegal-first-character text).
				n.Extended = true
				if next < 0 {
					next = pos + 1
				}
				return next, nil
			}
			// Bit-string label: a bit count, then (count-1)/8+1
			// bytes, shown as \[x<hex>/<count>] with no dot before.
			if pos+1 >= len(msg) {
				return 0, Truncated(proto, "name bit-string label", pos, pos+2, len(msg))
			}
			cnt := int(msg[pos+1])
			nb := (cnt-1)/8 + 1
			if pos+2+nb > len(msg) {
				return 0, Truncated(proto, "name bit-string label", pos, pos+2+nb, len(msg))
			}
			if n.Scope == nil {
				n.Extended = true
			} else {
				n.appendBitString(msg[pos+2:pos+2+nb], cnt)
			}
			dotted += 3 + 2*nb + 1 + len(strconv.Itoa(cnt)) + 1
			pos += 2 + nb
			continue
		}
		if l == 0 {
			if next < 0 {
				next = pos + 1
			}
			if first {
				if hops > 0 {
					return 0, Malformed(proto, "name", pos, "pointer to an empty name")
				}
				// A zero-length name (tshark's "<Root>"): not a NetBIOS name.
				n.Encoded = msg[pos:pos]
				n.Short = true
				return next, nil
			}
			if dotted > maxDottedName {
				n.Long = true
			}
			return next, nil
		}
		if pos+1+l > len(msg) {
			return 0, Truncated(proto, "name label", pos, pos+1+l, len(msg))
		}
		label := msg[pos+1 : pos+1+l]
		if first {
			n.Encoded = label
			decodeFirstLevel(label, n)
			first = false
			dotted = l
		} else {
			n.appendScope(label)
			dotted += 1 + l
		}
		pos += 1 + l
	}
}

// copyOf makes n a copy of name m, its scope in its own scopeBuf when m
// holds it in m's (a scope of several labels).
func (n *Name) copyOf(m *Name) {
	n.Raw, n.Encoded, n.Scope, n.scopeLen = m.Raw, m.Encoded, m.Scope, m.scopeLen
	n.BadNibble, n.Short, n.Long, n.Extended = m.BadNibble, m.Short, m.Long, m.Extended
	if m.scopeLen > 0 {
		copy(n.scopeBuf[:m.scopeLen], m.scopeBuf[:m.scopeLen])
		n.Scope = n.scopeBuf[:m.scopeLen]
	}
}

// appendScope adds one scope label, aliasing the packet for the first label
// and copying into scopeBuf once there is more than one.
func (n *Name) appendScope(label []byte) {
	if n.Scope == nil {
		n.Scope = label
		return
	}
	if n.scopeLen == 0 {
		n.scopeLen = copy(n.scopeBuf[:], n.Scope)
	}
	if n.scopeLen < maxScope {
		n.scopeBuf[n.scopeLen] = '.'
		n.scopeLen++
	}
	n.scopeLen += copy(n.scopeBuf[n.scopeLen:], label)
	n.Scope = n.scopeBuf[:n.scopeLen]
}

// appendBitString adds a bit-string label to the scope as tshark writes it:
// \[x<hex bytes>/<bit count>], with no dot before it.
func (n *Name) appendBitString(bits []byte, cnt int) {
	if n.scopeLen == 0 {
		n.scopeLen = copy(n.scopeBuf[:], n.Scope)
	}
	var tmp [8]byte
	put := func(b []byte) {
		n.scopeLen += copy(n.scopeBuf[n.scopeLen:], b)
	}
	put([]byte{'\\', '[', 'x'})
	for _, c := range bits {
		put([]byte{hexdigits[c>>4], hexdigits[c&0xf]})
	}
	put([]byte{'/'})
	put(strconv.AppendInt(tmp[:0], int64(cnt), 10))
	put([]byte{']'})
	n.Scope = n.scopeBuf[:n.scopeLen]
}

// decodeFirstLevel undoes the half-ASCII encoding (RFC 1001 §14.1). Letters
// 'Q'..'Z' are decoded as tshark does (value 16..25, spilling into the next
// bits) so that Raw matches what tshark shows; BadNibble marks them.
func decodeFirstLevel(label []byte, n *Name) {
	if len(label) == 32 {
		if decodeFirstLevel32((*[32]byte)(label), &n.Raw) {
			return
		}
		for i := 0; i < 16; i++ {
			n.Raw[i] = (label[2*i]-'A')<<4 | (label[2*i+1] - 'A')
		}
	} else {
		n.Short = true
		for i := 0; i+1 < len(label) && i < 32; i += 2 {
			n.Raw[i/2] = (label[i]-'A')<<4 | (label[i+1] - 'A')
		}
	}
	for i, c := range label {
		if c < 'A' || c > 'P' {
			n.BadNibble = i
			break
		}
	}
}

// decodeFirstLevel32 decodes the usual label, 32 bytes 'A'..'P', eight
// bytes at a time, and reports false (raw then undefined) when a byte is
// not a half-byte. A byte c below 0x80 is 'A'..'P' (0x41..0x50) exactly
// when c+0x3f has its top bit set and c+0x2f has not; no byte carries into
// the next while all are below 0x80. The four words are checked together,
// with one branch.
func decodeFirstLevel32(label *[32]byte, raw *[16]byte) bool {
	const (
		ones = 0x0101010101010101
		high = 0x80 * ones
	)
	le := binary.LittleEndian
	x0, x1, x2, x3 := le.Uint64(label[0:]), le.Uint64(label[8:]), le.Uint64(label[16:]), le.Uint64(label[24:])
	in := func(x uint64) uint64 { return (x + 0x3f*ones) &^ (x + 0x2f*ones) }
	if (x0|x1|x2|x3)&high != 0 || in(x0)&in(x1)&in(x2)&in(x3)&high != high {
		return false
	}
	le.PutUint32(raw[0:], pack8(x0))
	le.PutUint32(raw[4:], pack8(x1))
	le.PutUint32(raw[8:], pack8(x2))
	le.PutUint32(raw[12:], pack8(x3))
	return true
}

// pack8 is the four raw bytes of eight half-byte characters 'A'..'P'
// (little-endian in x).
func pack8(x uint64) uint32 {
	const ones = 0x0101010101010101
	y := x - 0x41*ones // eight half-bytes, one per byte
	// Byte 2j of the 16-bit lane j is the high half-byte of raw byte j,
	// byte 2j+1 the low one: join them in the lane's low byte, then pack
	// the four lanes' low bytes.
	z := (y<<4)&0x00f000f000f000f0 | (y>>8)&0x000f000f000f000f
	z = (z | z>>8) & 0x0000ffff0000ffff
	return uint32(z | z>>16)
}

// EncodeName first-level encodes a 16-byte name into dst (32 bytes), for
// tests and tools.
func EncodeName(dst []byte, raw [16]byte) []byte {
	for _, c := range raw {
		dst = append(dst, 'A'+c>>4, 'A'+c&0xf)
	}
	return dst
}

// MakeName pads s with spaces to 15 characters and adds the suffix.
func MakeName(s string, suffix byte) [16]byte {
	var r [16]byte
	for i := range r[:15] {
		r[i] = ' '
	}
	copy(r[:15], s)
	r[15] = suffix
	return r
}
