package output

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// TimeFormat is the format of the summary line's time column, as tshark's
// -t option names it. The frame.time field is not affected (tshark's is
// not either).
type TimeFormat uint8

// The time formats of tshark 4.0's -t. Absolute times are in the local
// time zone (a, ad, adoy) or UTC (u, ud, udoy), with microseconds.
const (
	TimeRelative       TimeFormat = iota // r: seconds since the first frame (the default)
	TimeAbsolute                         // a: time of day
	TimeAbsoluteDate                     // ad: YYYY-MM-DD hh:mm:ss
	TimeAbsoluteDOY                      // adoy: YYYY/DOY hh:mm:ss
	TimeDelta                            // d: since the previous captured frame
	TimeDeltaDisplayed                   // dd: since the previous displayed frame
	TimeEpoch                            // e: seconds since 1970-01-01 UTC
	TimeUTC                              // u: UTC time of day
	TimeUTCDate                          // ud: UTC YYYY-MM-DD hh:mm:ss
	TimeUTCDOY                           // udoy: UTC YYYY/DOY hh:mm:ss
)

var timeFormats = []string{"r", "a", "ad", "adoy", "d", "dd", "e", "u", "ud", "udoy"}

// ParseTimeFormat reads a -t argument.
func ParseTimeFormat(s string) (TimeFormat, error) {
	for i, n := range timeFormats {
		if s == n {
			return TimeFormat(i), nil
		}
	}
	return 0, fmt.Errorf("-t %s: unknown time format (a, ad, adoy, d, dd, e, r, u, ud, udoy)", s)
}

func (t TimeFormat) String() string {
	if int(t) < len(timeFormats) {
		return timeFormats[t]
	}
	return "TimeFormat(" + strconv.Itoa(int(t)) + ")"
}

// Summary prints summary lines with a time format. It remembers the
// previous frame it printed, for TimeDeltaDisplayed: give it every frame
// printed, in order. The zero Summary is tshark's default (-t r).
type Summary struct {
	Time TimeFormat
	// Loc is the time zone of the absolute formats a, ad and adoy; nil
	// is the local time zone.
	Loc *time.Location

	prev time.Time
	seen bool
}

// Write writes the summary line of f.
func (s *Summary) Write(w io.Writer, f *dissect.Frame) error {
	return writePooled(w, f, s.Append)
}

// Append appends the summary line of f, with its newline.
func (s *Summary) Append(dst []byte, f *dissect.Frame) []byte {
	var tmp [64]byte
	return appendSummaryCol(dst, f, s.AppendTime(tmp[:0], f))
}

// AppendTime appends the time column of f (tshark's _ws.col.Time), and
// records f as the previous frame displayed.
func (s *Summary) AppendTime(dst []byte, f *dissect.Frame) []byte {
	dst = s.appendTime(dst, f)
	s.prev, s.seen = f.Time, true
	return dst
}

func (s *Summary) appendTime(dst []byte, f *dissect.Frame) []byte {
	switch s.Time {
	case TimeDelta:
		var d int64
		if n := f.Tree.First(dissect.FieldFrameTimeDelta); n != nil {
			d = int64(n.U)
		}
		return appendSeconds(dst, d)
	case TimeDeltaDisplayed:
		var d int64
		if s.seen {
			d = int64(f.Time.Sub(s.prev))
		}
		return appendSeconds(dst, d)
	case TimeEpoch:
		return appendSeconds(dst, f.Time.UnixNano())
	case TimeAbsolute, TimeAbsoluteDate, TimeAbsoluteDOY:
		loc := s.Loc
		if loc == nil {
			loc = time.Local
		}
		return appendClock(dst, f.Time.In(loc), s.Time-TimeAbsolute)
	case TimeUTC, TimeUTCDate, TimeUTCDOY:
		return appendClock(dst, f.Time.UTC(), s.Time-TimeUTC)
	}
	return appendSeconds(dst, int64(f.Rel))
}

// appendSeconds prints nanoseconds as seconds with 6 decimals, truncated
// like tshark's column for microsecond captures.
func appendSeconds(dst []byte, ns int64) []byte {
	u := uint64(ns)
	if ns < 0 {
		dst = append(dst, '-')
		u = uint64(-ns)
	}
	dst = strconv.AppendUint(dst, u/1e9, 10)
	return appendFrac(dst, u%1e9, 6)
}

// appendClock prints a time of day with microseconds, after the date
// (form 1: 2006-01-02, form 2: 2006/DOY) or alone (form 0).
func appendClock(dst []byte, t time.Time, form TimeFormat) []byte {
	switch form {
	case 1:
		dst = t.AppendFormat(dst, "2006-01-02 ")
	case 2:
		dst = t.AppendFormat(dst, "2006/002 ")
	}
	dst = t.AppendFormat(dst, "15:04:05")
	return appendFrac(dst, uint64(t.Nanosecond()), 6)
}
