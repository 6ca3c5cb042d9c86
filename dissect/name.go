package dissect

// NetBIOS names, RFC 1001 §14 and RFC 1002 §4.1.
//
// A NetBIOS name is 16 bytes: 15 characters padded with spaces and a 16th
// byte, the suffix, that says what the name is for (<00> workstation, <20>
// server, <1d> local master browser, ...). On the wire it is "first-level
// encoded" into a 32-byte DNS label, each half-byte as 'A'+nibble, followed
// by the NetBIOS scope as further DNS labels and a zero byte. In NBNS the
// label sequence may end in a compression pointer (RFC 1035 §4.1.4).

// MaxNameHops bounds the label pointers followed while reading one name.
const MaxNameHops = 16

// maxScope bounds the scope text kept with a name (RFC 1002 limits a whole
// domain name to 255 bytes).
const maxScope = 255

// Name is a decoded NetBIOS name: a value type, not a string, until it leaves
// the decoder.
type Name struct {
	Raw [16]byte // the 16 decoded bytes: 15 characters and the suffix
	// Encoded is the first label as it was on the wire (normally 32 bytes of
	// 'A'..'P'). It aliases the packet.
	Encoded []byte
	// Scope is the scope ID in dotted form, aliasing the packet when it is a
	// single label, else built into ScopeBuf. Empty when there is none.
	Scope    []byte
	scopeBuf [maxScope]byte
	// BadNibble is the index in Encoded of the first byte that is not a valid
	// half-byte ('A'..'P'), or -1 when the encoding is valid.
	BadNibble int
	// Short is set when the first label was not 32 bytes long; Raw then holds
	// what could be decoded.
	Short bool
}

// Suffix is the 16th byte: the name type.
func (n *Name) Suffix() byte { return n.Raw[15] }

// Valid reports whether the first-level encoding was correct.
func (n *Name) Valid() bool { return n.BadNibble < 0 && !n.Short }

// Base returns the 15 name characters without the trailing spaces.
func (n *Name) Base() []byte {
	end := 15
	for end > 0 && n.Raw[end-1] == ' ' {
		end--
	}
	return n.Raw[:end]
}

const hexdigits = "0123456789abcdef"

// AppendString appends the name the way Wireshark shows it: the characters
// without trailing spaces, then the suffix in angle brackets ("WORKGROUP<1d>").
// Control characters are kept as they are: printers escape them.
func (n *Name) AppendString(b []byte) []byte {
	b = append(b, n.Base()...)
	b = append(b, '<', hexdigits[n.Raw[15]>>4], hexdigits[n.Raw[15]&0xf], '>')
	return b
}

// AppendWithScope appends the name and, if there is one, ".scope".
func (n *Name) AppendWithScope(b []byte) []byte {
	b = n.AppendString(b)
	if len(n.Scope) > 0 {
		b = append(b, '.')
		b = append(b, n.Scope...)
	}
	return b
}

// String is for tests and debugging; decoders use AppendString.
func (n Name) String() string { return string(n.AppendWithScope(nil)) }

// NameSuffixMeaning names the common 16th-byte values (Hertel, Implementing
// CIFS §3.5, and the browser draft). Unique/group matters for some: <1c>
// and <1e> are group names, <1b> and <1d> unique.
func NameSuffixMeaning(suffix byte, group bool) string {
	switch suffix {
	case 0x00:
		if group {
			return "Workgroup/Domain name"
		}
		return "Workstation/Redirector"
	case 0x01:
		if group {
			return "Master Browser" // __MSBROWSE__<01>
		}
		return "Browser"
	case 0x03:
		return "Messenger service/Main name"
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
		return "NetDDE service"
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
	case 0x87:
		return "Microsoft Exchange MTA"
	case 0x6a:
		return "Microsoft Exchange IMC"
	case 0xbe:
		return "Network Monitor Agent"
	case 0xbf:
		return "Network Monitor Application"
	}
	return "Unknown"
}

// DecodeName reads a NetBIOS name at off in msg (RFC 1002 §4.1). msg is the
// whole message, so that compression pointers, which are offsets from its
// start, can be followed; at most MaxNameHops are followed, and a loop is
// an error, never a hang. It returns the offset just after the name as it
// appears at off (after the pointer if the name ends in one).
//
// On a bad half-byte, the name is still returned (with BadNibble set) and
// err is nil: callers report it and show the raw label.
func DecodeName(proto string, msg []byte, off int, n *Name) (next int, err error) {
	n.Raw = [16]byte{}
	n.Encoded = nil
	n.Scope = nil
	n.BadNibble = -1
	n.Short = false
	pos := off
	next = -1
	hops := 0
	first := true
	scopeLen := 0
	for {
		if pos >= len(msg) {
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
		case 0x40, 0x80:
			return 0, Malformed(proto, "name", pos, "reserved label type")
		}
		if l == 0 {
			if next < 0 {
				next = pos + 1
			}
			if first {
				return 0, Malformed(proto, "name", pos, "empty name")
			}
			if scopeLen > 0 && &n.Scope[0] == &n.scopeBuf[0] {
				n.Scope = n.scopeBuf[:scopeLen]
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
		} else {
			scopeLen = n.appendScope(label, scopeLen)
		}
		pos += 1 + l
	}
}

// appendScope adds one scope label, aliasing the packet for the first label
// and copying into scopeBuf once there is more than one.
func (n *Name) appendScope(label []byte, have int) int {
	if have == 0 && n.Scope == nil {
		n.Scope = label
		return len(label)
	}
	if len(n.Scope) > 0 && &n.Scope[0] != &n.scopeBuf[0] {
		have = copy(n.scopeBuf[:], n.Scope)
		n.Scope = n.scopeBuf[:have]
	}
	if have < maxScope {
		n.scopeBuf[have] = '.'
		have++
	}
	have += copy(n.scopeBuf[have:], label)
	n.Scope = n.scopeBuf[:have]
	return have
}

// decodeFirstLevel undoes the half-ASCII encoding (RFC 1001 §14.1).
func decodeFirstLevel(label []byte, n *Name) {
	if len(label) != 32 {
		n.Short = true
	}
	for i := 0; i+1 < len(label) && i < 32; i += 2 {
		hi, lo := label[i]-'A', label[i+1]-'A'
		if hi > 15 && n.BadNibble < 0 {
			n.BadNibble = i
		} else if lo > 15 && n.BadNibble < 0 {
			n.BadNibble = i + 1
		}
		n.Raw[i/2] = (hi&0xf)<<4 | lo&0xf
	}
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
