package view

import (
	"time"

	"github.com/nbtsniff/nbtsniff/output"
)

// clockFormats are the formats the time key (t) cycles through, tshark's
// -t letters (output.TimeFormat); the first is the default.
var clockFormats = []string{"u", "ud", "r", "d", "a", "ad", "e", "udoy"}

// clock writes capture times in one of tshark's -t formats, the same on
// every screen. A time that is not a frame's (a role began, the cursor)
// has no previous frame: under d and dd it is written relative to the
// first frame, as r does.
type clock struct {
	f     output.TimeFormat
	first time.Time
	loc   *time.Location // zone of a, ad, adoy (nil: local)
}

func newClock(letter string) clock {
	f, _ := output.ParseTimeFormat(letter)
	return clock{f: f}
}

// at is a point in time, to the millisecond; "-" for the zero time.
func (c clock) at(t time.Time) string { return c.digits(t, 3) }

// width is the cells a time takes written by at.
func (c clock) width() int {
	t := c.first
	if t.IsZero() {
		t = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return max(width(c.at(t.Add(1000*time.Second))), 4)
}

// numeric reports whether times are written as numbers of seconds (r, d,
// dd, e): right-aligned in columns.
func (c clock) numeric() bool { return c.f.Relative() || c.f == output.TimeEpoch }

// sec is a point in time to the second (the Timeline's axis).
func (c clock) sec(t time.Time) string { return c.digits(t, 0) }

func (c clock) digits(t time.Time, n int) string {
	if t.IsZero() {
		return "-"
	}
	f := c.f
	if f == output.TimeDelta || f == output.TimeDeltaShown {
		f = output.TimeRelative
	}
	return string(output.AppendTime(nil, f, t, c.first, time.Time{}, n, c.loc))
}

// frame is a frame's time column, to the microsecond: prev is the frame
// before it (d) or the frame shown before it (dd).
func (c clock) frame(t, prevCaptured, prevShown time.Time) string {
	prev := prevCaptured
	if c.f == output.TimeDeltaShown {
		prev = prevShown
	}
	return string(output.AppendTime(nil, c.f, t, c.first, prev, 6, c.loc))
}

// name is the format's tshark letter and what it means.
func (c clock) name() string {
	switch c.f {
	case output.TimeRelative:
		return "r (seconds since the first frame)"
	case output.TimeAbsolute:
		return "a (local time)"
	case output.TimeAbsoluteDate:
		return "ad (local date and time)"
	case output.TimeAbsoluteDOY:
		return "adoy (local year/day and time)"
	case output.TimeDelta:
		return "d (since the previous frame)"
	case output.TimeDeltaShown:
		return "dd (since the previous frame shown)"
	case output.TimeEpoch:
		return "e (seconds since 1970)"
	case output.TimeUTC:
		return "u (UTC time)"
	case output.TimeUTCDate:
		return "ud (UTC date and time)"
	case output.TimeUTCDOY:
		return "udoy (UTC year/day and time)"
	}
	return c.f.String()
}

// next is the clock with the next format of clockFormats.
func (c clock) next() clock {
	for i, l := range clockFormats {
		if l == c.f.String() {
			n := newClock(clockFormats[(i+1)%len(clockFormats)])
			n.first, n.loc = c.first, c.loc
			return n
		}
	}
	n := newClock(clockFormats[0])
	n.first, n.loc = c.first, c.loc
	return n
}
