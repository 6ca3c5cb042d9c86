package timeline

import (
	"net/netip"
	"strconv"
	"time"
	"unicode/utf8"
)

// TimeFormat is how every time is written: RFC 3339 in UTC with exactly
// nine fractional digits, so that lines sort and diff as text.
const TimeFormat = "2006-01-02T15:04:05.000000000Z07:00"

// appendTime appends t in TimeFormat (UTC), or null for the zero time.
func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, TimeFormat)
	return append(b, '"')
}

// appendJSONString appends s as a JSON string. Control characters, DEL and
// the line separators are escaped; a byte that is not part of valid UTF-8
// is written as \u00XX (read as Latin-1), so no byte from the wire is lost
// and nothing raw reaches a terminal.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\t':
				b = append(b, '\\', 't')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			i++
			continue
		}
		if r == '\u2028' || r == '\u2029' || (r >= 0x80 && r < 0xa0) {
			b = append(b, '\\', 'u')
			b = append(b, hex[(r>>12)&0xf], hex[(r>>8)&0xf], hex[(r>>4)&0xf], hex[r&0xf])
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// jsonObj writes one JSON object with keys in the order they are added.
type jsonObj struct {
	b     []byte
	comma bool
}

func newObj(b []byte) jsonObj { return jsonObj{b: append(b, '{')} }

func (o *jsonObj) key(k string) {
	if o.comma {
		o.b = append(o.b, ',')
	}
	o.comma = true
	o.b = appendJSONString(o.b, k)
	o.b = append(o.b, ':')
}

func (o *jsonObj) str(k, v string) {
	o.key(k)
	o.b = appendJSONString(o.b, v)
}

// strOpt writes k only when v is not empty.
func (o *jsonObj) strOpt(k, v string) {
	if v != "" {
		o.str(k, v)
	}
}

func (o *jsonObj) int(k string, v int64) {
	o.key(k)
	o.b = strconv.AppendInt(o.b, v, 10)
}

func (o *jsonObj) intOpt(k string, v int64) {
	if v != 0 {
		o.int(k, v)
	}
}

func (o *jsonObj) bool(k string, v bool) {
	o.key(k)
	o.b = strconv.AppendBool(o.b, v)
}

func (o *jsonObj) boolOpt(k string, v bool) {
	if v {
		o.bool(k, v)
	}
}

func (o *jsonObj) time(k string, t time.Time) {
	o.key(k)
	o.b = appendTime(o.b, t)
}

func (o *jsonObj) timeOpt(k string, t time.Time) {
	if !t.IsZero() {
		o.time(k, t)
	}
}

func (o *jsonObj) hex(k string, v uint64, digits int) {
	o.key(k)
	o.b = append(o.b, '"')
	o.b = appendHex(o.b, v, digits)
	o.b = append(o.b, '"')
}

func (o *jsonObj) addr(k string, a netip.Addr) {
	if a.IsValid() {
		o.key(k)
		o.b = append(o.b, '"')
		o.b = a.AppendTo(o.b)
		o.b = append(o.b, '"')
	}
}

func (o *jsonObj) ints(k string, v []int) {
	if len(v) == 0 {
		return
	}
	o.key(k)
	o.b = append(o.b, '[')
	for i, n := range v {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = strconv.AppendInt(o.b, int64(n), 10)
	}
	o.b = append(o.b, ']')
}

func (o *jsonObj) strs(k string, v []string) {
	if len(v) == 0 {
		return
	}
	o.key(k)
	o.b = append(o.b, '[')
	for i, s := range v {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = appendJSONString(o.b, s)
	}
	o.b = append(o.b, ']')
}

func (o *jsonObj) addrs(k string, v []netip.Addr) {
	if len(v) == 0 {
		return
	}
	o.key(k)
	o.b = append(o.b, '[')
	for i, a := range v {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = append(o.b, '"')
		o.b = a.AppendTo(o.b)
		o.b = append(o.b, '"')
	}
	o.b = append(o.b, ']')
}

// raw writes an already encoded value.
func (o *jsonObj) raw(k string, v []byte) {
	o.key(k)
	o.b = append(o.b, v...)
}

func (o *jsonObj) end() []byte { return append(o.b, '}') }

func appendHex(b []byte, v uint64, digits int) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '0', 'x')
	for i := digits - 1; i >= 0; i-- {
		b = append(b, hex[(v>>(4*uint(i)))&0xf])
	}
	return b
}

func hexString(v uint64, digits int) string { return string(appendHex(nil, v, digits)) }
