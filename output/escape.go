package output

import "unicode/utf8"

const hexDigits = "0123456789abcdef"

// safe[b] is true for the ASCII bytes that are printed as they are: the
// printable range 0x20-0x7e. Everything else goes through the slow path.
var safe = func() (t [256]bool) {
	for b := 0x20; b < 0x7f; b++ {
		t[b] = true
	}
	return t
}()

// AppendEscaped appends b to dst with everything that could upset a
// terminal or a line-oriented reader escaped. It is the one escaping rule of
// every text mode (summary, -V, -x titles, -T fields) and of the TUI:
//
//   - printable ASCII (0x20-0x7e) is copied, backslash included, as tshark
//     does;
//   - tab, line feed and carriage return become \t, \n and \r, exactly as
//     tshark 4.0 escapes them in -T fields;
//   - every other control byte (0x00-0x1f, 0x7f) becomes \xNN, lower-case
//     hex (tshark prints those raw; nbtsniff never does);
//   - valid UTF-8 is copied, except the C1 controls U+0080-U+009F and the
//     bidi controls (U+061C, U+200E, U+200F, U+202A-U+202E,
//     U+2066-U+2069), whose bytes become \xNN each;
//   - each byte that is not part of valid UTF-8 becomes \xNN.
//
// So the result is valid UTF-8 with no byte below 0x20 and no 0x7f, and it
// never allocates when dst has room.
func AppendEscaped(dst, b []byte) []byte {
	for len(b) > 0 {
		// Fast path: a run of safe ASCII.
		i := 0
		for i < len(b) && safe[b[i]] {
			i++
		}
		dst = append(dst, b[:i]...)
		b = b[i:]
		if len(b) == 0 {
			break
		}
		c := b[0]
		if c < utf8.RuneSelf {
			dst = appendCtl(dst, c)
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 || unsafeRune(r) {
			for _, x := range b[:size] {
				dst = append(dst, '\\', 'x', hexDigits[x>>4], hexDigits[x&0xf])
			}
		} else {
			dst = append(dst, b[:size]...)
		}
		b = b[size:]
	}
	return dst
}

// AppendEscapedString is AppendEscaped for a string.
func AppendEscapedString(dst []byte, s string) []byte {
	for len(s) > 0 {
		i := 0
		for i < len(s) && safe[s[i]] {
			i++
		}
		dst = append(dst, s[:i]...)
		s = s[i:]
		if len(s) == 0 {
			break
		}
		c := s[0]
		if c < utf8.RuneSelf {
			dst = appendCtl(dst, c)
			s = s[1:]
			continue
		}
		r, size := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && size <= 1 || unsafeRune(r) {
			for i := 0; i < size; i++ {
				x := s[i]
				dst = append(dst, '\\', 'x', hexDigits[x>>4], hexDigits[x&0xf])
			}
		} else {
			dst = append(dst, s[:size]...)
		}
		s = s[size:]
	}
	return dst
}

func appendCtl(dst []byte, c byte) []byte {
	switch c {
	case '\t':
		return append(dst, '\\', 't')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	}
	return append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
}

// unsafeRune reports the valid non-ASCII runes that are escaped anyway:
// C1 controls (a terminal takes U+009B as CSI) and every bidi control
// that can make a line read differently from its bytes (Unicode's
// Bidi_Control: ALM U+061C, LRM and RLM U+200E-U+200F, the embeddings
// and overrides U+202A-U+202E, the isolates U+2066-U+2069).
func unsafeRune(r rune) bool {
	return r >= 0x80 && r <= 0x9f || r == 0x061c || r == 0x200e || r == 0x200f ||
		r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// appendJSONString appends b as a JSON string literal. Valid UTF-8 is kept
// (with ", \ and control characters escaped the JSON way, and U+007F, the C1
// controls, U+2028 and U+2029 as \uXXXX so that any JSON reader and any
// terminal are safe); each byte that is not valid UTF-8 becomes \u00XX, its
// Latin-1 reading (JSON strings cannot hold raw bytes).
func appendJSONString(dst, b []byte) []byte {
	dst = append(dst, '"')
	for len(b) > 0 {
		i := 0
		for i < len(b) && safe[b[i]] && b[i] != '"' && b[i] != '\\' {
			i++
		}
		dst = append(dst, b[:i]...)
		b = b[i:]
		if len(b) == 0 {
			break
		}
		c := b[0]
		if c < utf8.RuneSelf {
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = appendU(dst, rune(c))
			}
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size <= 1:
			dst = appendU(dst, rune(c))
		case unsafeRune(r) || r == 0x2028 || r == 0x2029:
			dst = appendU(dst, r)
		default:
			dst = append(dst, b[:size]...)
		}
		b = b[size:]
	}
	return append(dst, '"')
}

func appendJSONStringS(dst []byte, s string) []byte {
	// Field names and labels are ASCII almost always: avoid a conversion.
	plain := true
	for i := 0; i < len(s); i++ {
		if !safe[s[i]] || s[i] == '"' || s[i] == '\\' {
			plain = false
			break
		}
	}
	if plain {
		dst = append(dst, '"')
		dst = append(dst, s...)
		return append(dst, '"')
	}
	return appendJSONString(dst, []byte(s))
}

func appendU(dst []byte, r rune) []byte {
	return append(dst, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
}
