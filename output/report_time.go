package output

import (
	"time"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// ts writes a time of the report: timeline.TimeFormat in UTC, "-" for
// none.
func ts(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return string(appendTS(make([]byte, 0, len(timeline.TimeFormat)-5), t))
}

// appendTS appends t as ts writes it. Years 0 to 9999 (all of them in
// practice) are written here, digit by digit; the others by
// time.Time.AppendFormat, which is several times slower
// (TestAppendTSIsFormat holds the two to the same bytes).
func appendTS(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, '-')
	}
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, timeline.TimeFormat)
	}
	hour, minute, sec := t.Clock()
	b = append(b, byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-')
	b = append2(b, int(month), '-')
	b = append2(b, day, 'T')
	b = append2(b, hour, ':')
	b = append2(b, minute, ':')
	b = append2(b, sec, '.')
	ns := t.Nanosecond()
	var d [9]byte
	for i := 8; i >= 0; i-- {
		d[i] = byte('0' + ns%10)
		ns /= 10
	}
	return append(append(b, d[:]...), 'Z')
}

// append2 appends v (0-99) in two digits, then sep.
func append2(b []byte, v int, sep byte) []byte {
	return append(b, byte('0'+v/10), byte('0'+v%10), sep)
}
