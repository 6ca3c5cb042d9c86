package output

import (
	"net/netip"
	"strconv"
	"time"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// The JSON of the timeline's outputs (-T events, --report=json): objects
// whose keys come in the order they are added, times in
// timeline.TimeFormat. Their strings are escaped as -T json's are
// (appendJSONString).

// appendStateTime appends t in timeline.TimeFormat (UTC), or null for the
// zero time.
func appendStateTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = appendTS(b, t) // t.UTC().AppendFormat(b, timeline.TimeFormat), faster
	return append(b, '"')
}

// appendStateString appends s as a JSON string, escaped as -T json
// escapes (appendJSONString: controls, DEL, C1 and bidi controls and the
// line separators as \uXXXX; a byte that is not part of valid UTF-8 as
// \u00XX, its Latin-1 reading), so that no byte from the wire is lost and
// nothing raw reaches a terminal.
func appendStateString(b []byte, s string) []byte { return appendJSONStringS(b, s) }

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
	o.b = appendStateString(o.b, k)
	o.b = append(o.b, ':')
}

func (o *jsonObj) str(k, v string) {
	o.key(k)
	o.b = appendStateString(o.b, v)
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
	o.b = appendStateTime(o.b, t)
}

func (o *jsonObj) timeOpt(k string, t time.Time) {
	if !t.IsZero() {
		o.time(k, t)
	}
}

// hex writes v as a string of 0x and digits hex digits.
func (o *jsonObj) hex(k string, v uint64, digits int) {
	o.key(k)
	o.b = append(o.b, '"')
	o.b = appendHexN(o.b, v, digits)
	o.b = append(o.b, '"')
}

func (o *jsonObj) addr(k string, a netip.Addr) {
	if a.IsValid() {
		o.key(k)
		o.b = append(o.b, '"')
		o.b = timeline.AppendAddr(o.b, a) // a NetBEUI or IPX node as tshark writes it
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

// strs writes a list of strings, nothing when it is empty.
func (o *jsonObj) strs(k string, v []string) {
	if len(v) == 0 {
		return
	}
	o.key(k)
	o.b = appendStrList(o.b, v)
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
		o.b = timeline.AppendAddr(o.b, a) // a NetBEUI or IPX node as tshark writes it
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

// appendStrList writes a list of strings, [] when it is empty.
func appendStrList(b []byte, v []string) []byte {
	b = append(b, '[')
	for i, s := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendStateString(b, s)
	}
	return append(b, ']')
}

// appendJSONArray writes a list of objects.
func appendJSONArray[T any](b []byte, v []T, appendOne func([]byte, T) []byte) []byte {
	b = append(b, '[')
	for i, e := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendOne(b, e)
	}
	return append(b, ']')
}
