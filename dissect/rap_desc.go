package dissect

// RAP descriptor strings: what their letters mean, how counts are read,
// and the item tables' vocabulary (kinds, how a value is shown, its role in
// the typed result). The walker that reads a block as a descriptor says,
// for requests, responses and every entry of a returned data block, is
// rap_walk.go.
//
// Byte order: little-endian, like the rest of RAP.
//
// A RAP call names its own layout with three ASCII descriptor strings
// (Leach/Naik, "CIFS Remote Administration Protocol", draft-leach-cifs-
// rap-spec-00, "Descriptor strings"; [MS-RAP] §2.5.1 and the descriptor
// tables of §2.5.5-§2.5.11): the parameter descriptor ("WrLehDz"), the data
// descriptor of the structures in the data block ("B16BBDz") and, when
// present, an auxiliary data descriptor. Each letter may be followed by a
// decimal count (B16: 16 bytes; b21: pointer to 21 bytes). The letters that
// can appear on the wire (LanMan's RemTypes.h, which [MS-RAP] follows):
//
//	W  word (16 bits), count: array of words
//	D  doubleword (32 bits), count: array
//	B  byte, count: array of bytes (fixed-length strings such as B16)
//	C  date and time, a doubleword
//	F  pad bytes, count
//	z  ASCIIZ string: inline in a request's parameters; in a data block a
//	   32-bit pointer resolved with the converter (see below)
//	b  bytes, count: inline in parameters, through a pointer in data
//	w d  word(s) / doubleword(s) through a pointer (inline in parameters)
//	g h i  byte(s) / word / doubleword returned in the response parameters
//	O  null pointer: nothing on the wire
//	r L  receive buffer pointer (not sent) and its 16-bit length
//	s T  send buffer pointer (not sent) and its 16-bit length
//	l  send buffer whose first word is its length (not sent in parameters)
//	e  16-bit entry count returned in the response parameters
//	N  16-bit count of auxiliary structures following a data structure
//	P  16-bit parameter number (SetInfo calls)
//	K  unstructured data block: nothing to decode
//
// Every other letter (the internal-only ones such as A, Q, X, c, G, J, U) is
// an error: ErrMalformed, "unknown descriptor letter".
//
// Which letters carry bytes depends on the block: a request's parameters
// hold what the client sends (W D b z L T P F), the response parameters
// what the server returns (e h i g), and the data block the structures.
// Pointers in a data block are 32 bits; the server puts its buffer address
// in the high 16 bits and the offset in the low 16 (converter rule, [MS-RAP]
// §2.5.11 and e.g. §2.5.6.3.2 RemarkOffsetLow; Leach/Naik "Converter"):
// offset = (pointer & 0xFFFF) - converter, where the converter is the
// second word of the response parameters; the offset is into the whole
// data block.
//
// The letters say how many bytes; what a value means comes from the
// function's item table (rap.go), as in Wireshark's packet-smb-pipe.c: each
// value letter takes the next item; when the table runs out, values get the
// generic smb_pipe.* fields, so that any descriptor decodes, known function
// or not.
//
// Where this walker and tshark 4.0 differ on purpose (tshark skips the
// letter without consuming bytes or ignores the count), we follow the
// descriptor: W and D counts in data (W3 is three words), C and P (two and
// four bytes), B in parameters, and an auxiliary data descriptor is used for
// the auxiliary structures (tshark re-uses the data descriptor there). None
// of these occur in NetShareEnum, NetServerEnum2/3, NetServerGetInfo,
// NetWkstaGetInfo or NetRemoteTOD.

// MaxRAPDescriptor bounds the descriptor strings kept for a pending request
// (RAPRequestInfo). The longest in [MS-RAP] (NetServerGetInfo level 3) is
// 52 letters.
const MaxRAPDescriptor = 96

// MaxRAPEntries bounds the structures decoded from one response data block.
const MaxRAPEntries = 4096

// maxRAPCount bounds a descriptor count (B16, b21): a data block is at most
// 65535 bytes.
const maxRAPCount = 0xffff

// rapMode says which block a descriptor is walked over.
type rapMode uint8

const (
	rapModeRequest rapMode = iota // request parameters, after the descriptors
	rapModeReply                  // response parameters, after status and converter
	rapModeData                   // one structure in a data block
)

// rapKind is the kind of value an item table entry expects (Wireshark's
// param_type_t): a word (W, h), a doubleword (D, i), bytes (B, b, g) or a
// string (z). O fills either of the last two.
type rapKind uint8

const (
	rapWord rapKind = iota + 1
	rapDword
	rapBytes
	rapStringz
)

// rapHow says how a value is shown beyond "a field with this value".
type rapHow uint8

const (
	rapPlain      rapHow = iota
	rapPad               // padding: consumed, not shown
	rapNameParent        // fixed-length name, also shown on the entry line
	rapServerType        // browser.server_type and its bits
	rapAbsTime           // FT_ABSOLUTE_TIME, seconds since 1970
	rapRelTime           // FT_RELATIVE_TIME, seconds
	rapLogonArgs         // NetWkstaUserLogon's 54 bytes: user, password, workstation
)

// rapRole says where a value goes in the typed result.
type rapRole uint8

const (
	roleNone rapRole = iota
	// request parameters
	roleLevel
	roleTypeMask
	roleDomain
	roleLastEntry
	roleReqName
	// response parameters
	roleAvailable
	// server_info_0/1
	roleServerName
	roleServerMajor
	roleServerMinor
	roleServerType
	roleServerComment
	// share_info_0/1/2
	roleShareName
	roleShareType
	roleShareComment
	roleSharePerms
	roleShareMaxUses
	roleShareCurUses
	roleSharePath
	// wksta_info_10
	roleWkComputer
	roleWkUser
	roleWkDomain
	roleWkMajor
	roleWkMinor
	roleWkLogonDomain
	roleWkOtherDomains
	// time_of_day_info
	roleTODTime
	roleTODMsecs
	roleTODHour
	roleTODMinute
	roleTODSecond
	roleTODHundredths
	roleTODZone
	roleTODInterval
	roleTODDay
	roleTODMonth
	roleTODYear
	roleTODWeekday
)

// rapItem is one entry of a function's item table: the field a value is
// shown as (0: not shown, Wireshark's no_hf; rapGenericField: the generic
// smb_pipe.* field), the kind of letter it expects, how it is shown and
// where it goes in the typed result.
type rapItem struct {
	f    FieldID
	kind rapKind
	how  rapHow
	role rapRole
}

// rapGenericField marks an item shown with the generic smb_pipe.* field of
// its letter (as if the table had run out) but still typed by its role.
const rapGenericField FieldID = ^FieldID(0)

// rapLetterKnown reports whether c may appear in a descriptor on the wire.
func rapLetterKnown(c byte) bool {
	switch c {
	case 'W', 'D', 'B', 'C', 'F', 'z', 'b', 'w', 'd', 'g', 'h', 'i', 'O',
		'r', 'L', 's', 'T', 'l', 'e', 'N', 'P', 'K':
		return true
	}
	return false
}

// rapCount reads the decimal count after a letter at desc[i:]. It returns
// the count (1 when there are no digits), the index after the digits and
// whether the count is within maxRAPCount.
func rapCount(desc []byte, i int) (count, next int, ok bool) {
	if i >= len(desc) || desc[i] < '0' || desc[i] > '9' {
		return 1, i, true
	}
	n := 0
	for i < len(desc) && desc[i] >= '0' && desc[i] <= '9' {
		n = n*10 + int(desc[i]-'0')
		if n > maxRAPCount {
			return 0, i, false
		}
		i++
	}
	return n, i, true
}

// rapCheckDescriptor validates a descriptor string: known letters, counts
// in range. It returns the index of the first bad byte and a detail, or -1.
func rapCheckDescriptor(desc []byte) (int, string) {
	for i := 0; i < len(desc); {
		c := desc[i]
		if !rapLetterKnown(c) {
			if c >= '0' && c <= '9' {
				return i, "count without a letter"
			}
			return i, "unknown descriptor letter"
		}
		_, next, ok := rapCount(desc, i+1)
		if !ok {
			return i, "descriptor count too large"
		}
		i = next
	}
	return -1, ""
}

// rapCString returns b up to its first NUL (a fixed-length ASCII field as
// Wireshark shows it).
func rapCString(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i:i]
		}
	}
	return b
}

// rapASCIIZ finds the ASCIIZ string at off: the string without its NUL and
// the length including it; ok is false when there is no NUL before the end.
func rapASCIIZ(b []byte, off int) (s []byte, n int, ok bool) {
	if off < 0 || off >= len(b) {
		return nil, 0, false
	}
	for i := off; i < len(b); i++ {
		if b[i] == 0 {
			return b[off:i:i], i - off + 1, true
		}
	}
	return nil, 0, false
}

// Constant values Wireshark shows for pointers that lead nowhere.
var (
	rapPastEndString = []byte("<String goes past end of frame>")
	rapEmpty         = []byte{}
)

// rapPrintable replaces non-printable bytes of a descriptor for an error
// message (error path only: allocates).
func rapPrintable(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c < 0x20 || c > 0x7e || c == '"' {
			out = append(out, '\\', 'x', hexdigits[c>>4], hexdigits[c&0xf])
		} else {
			out = append(out, c)
		}
	}
	return out
}

// itoa formats an int for error messages.
func rapItoa(n int) string {
	var b [24]byte
	return string(rapAppendInt(b[:0], n))
}

// appendInt appends the decimal form of n without allocating.
func rapAppendInt(b []byte, n int) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	var d [20]byte
	i := len(d)
	for {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(b, d[i:]...)
}

// hex32 formats v as 8 hex digits (error path).
func rapHex32(v uint32) string {
	var b [8]byte
	return string(rapAppendHex32(b[:0], v))
}

// appendHex32 appends v as 8 lower-case hex digits.
func rapAppendHex32(b []byte, v uint32) []byte {
	for s := 28; s >= 0; s -= 4 {
		b = append(b, hexdigits[(v>>uint(s))&0xf])
	}
	return b
}

// lowerASCII lower-cases a field name for an error message.
func rapLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
