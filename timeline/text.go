package timeline

import (
	"strconv"
	"strings"
	"time"
)

// What the tracker writes for people: the sentences of Event.Reason and
// Detail, the why of an election, the names of things. Renderers (the
// output package, the view) print these as they are.

// TimeFormat is how every time is written, in sentences and by the
// renderers: RFC 3339 in UTC with exactly nine fractional digits, so that
// lines sort and diff as text.
const TimeFormat = "2006-01-02T15:04:05.000000000Z07:00"

func itoa(n int) string { return strconv.Itoa(n) }

func fmtDur(d time.Duration) string { return d.String() }

func fmtTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// appendHex appends 0x and the low digits hex digits of v.
func appendHex(b []byte, v uint64, digits int) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '0', 'x')
	for i := digits - 1; i >= 0; i-- {
		b = append(b, hex[(v>>(4*uint(i)))&0xf])
	}
	return b
}

func hexString(v uint64, digits int) string { return string(appendHex(nil, v, digits)) }

// displayName is NAME<xx>.
func displayName(name string, suffix byte) string {
	return name + "<" + strings.TrimPrefix(hexString(uint64(suffix), 2), "0x") + ">"
}

// quoteName is n, or "" in quotes when it is empty.
func quoteName(n string) string {
	if n == "" {
		return `""`
	}
	return n
}
