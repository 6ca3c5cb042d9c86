package output

import (
	"strconv"
	"strings"
	"time"
)

// TimeFormat is one of tshark's -t time display formats (tshark(1),
// "-t a|ad|adoy|d|dd|e|r|u|ud|udoy"): how a capture time is written.
// The zero value is TimeRelative, tshark's default.
type TimeFormat uint8

// The formats, with tshark's letters.
const (
	TimeRelative     TimeFormat = iota // r: seconds since the first frame
	TimeAbsolute                       // a: local time of day
	TimeAbsoluteDate                   // ad: local date and time
	TimeAbsoluteDOY                    // adoy: local year/day-of-year and time
	TimeDelta                          // d: seconds since the previous captured frame
	TimeDeltaShown                     // dd: seconds since the previous displayed frame
	TimeEpoch                          // e: seconds since 1970-01-01 UTC
	TimeUTC                            // u: UTC time of day
	TimeUTCDate                        // ud: UTC date and time
	TimeUTCDOY                         // udoy: UTC year/day-of-year and time
	numTimeFormats
)

var timeFormatLetters = [numTimeFormats]string{"r", "a", "ad", "adoy", "d", "dd", "e", "u", "ud", "udoy"}

// String is tshark's letter for the format ("ud").
func (f TimeFormat) String() string {
	if f >= numTimeFormats {
		return "TimeFormat(" + strconv.Itoa(int(f)) + ")"
	}
	return timeFormatLetters[f]
}

// ParseTimeFormat reads tshark's -t letter.
func ParseTimeFormat(s string) (TimeFormat, bool) {
	for i, l := range timeFormatLetters {
		if l == strings.ToLower(strings.TrimSpace(s)) {
			return TimeFormat(i), true
		}
	}
	return 0, false
}

// Relative reports whether the format writes a duration (r, d, dd) rather
// than a point in time.
func (f TimeFormat) Relative() bool {
	return f == TimeRelative || f == TimeDelta || f == TimeDeltaShown
}

// AppendTime appends t written in format f with digits decimals of the
// second (0-9). first is the first frame's time (r), prev the previous
// frame's (d, dd: the caller decides which previous frame); a zero prev
// writes 0. loc is the zone of a, ad and adoy (nil: time.Local).
func AppendTime(dst []byte, f TimeFormat, t, first, prev time.Time, digits int, loc *time.Location) []byte {
	digits = min(max(digits, 0), 9)
	switch f {
	case TimeRelative:
		return appendSeconds(dst, t.Sub(first), digits)
	case TimeDelta, TimeDeltaShown:
		if prev.IsZero() {
			return appendSeconds(dst, 0, digits)
		}
		return appendSeconds(dst, t.Sub(prev), digits)
	case TimeEpoch:
		return appendSeconds(dst, time.Duration(t.UnixNano()), digits)
	}
	if loc == nil {
		loc = time.Local
	}
	switch f {
	case TimeUTC, TimeUTCDate, TimeUTCDOY:
		t = t.UTC()
	default:
		t = t.In(loc)
	}
	switch f {
	case TimeAbsoluteDate, TimeUTCDate:
		dst = t.AppendFormat(dst, "2006-01-02 ")
	case TimeAbsoluteDOY, TimeUTCDOY:
		dst = t.AppendFormat(dst, "2006/002 ")
	}
	dst = t.AppendFormat(dst, "15:04:05")
	if digits > 0 {
		dst = appendFrac(dst, uint64(t.Nanosecond()), digits)
	}
	return dst
}

// appendSeconds writes d as seconds with digits decimals, truncated as
// tshark does ("-0.500000" for minus half a second).
func appendSeconds(dst []byte, d time.Duration, digits int) []byte {
	if d < 0 {
		dst = append(dst, '-')
		d = -d
	}
	dst = strconv.AppendInt(dst, int64(d/time.Second), 10)
	if digits > 0 {
		dst = appendFrac(dst, uint64(d%time.Second), digits)
	}
	return dst
}
