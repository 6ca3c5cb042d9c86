package output

import (
	"slices"
	"sync/atomic"
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
// practice) are written here, from the Unix time: the date by the
// days-from-civil inverse of Howard Hinnant's chrono algorithms, the
// digits in pairs; the others by time.Time.AppendFormat, which is several
// times slower (TestAppendTSIsFormat holds the two to the same bytes). A
// 10,000-host Browse List writes 30,000 times; t.UTC, t.Date and t.Clock
// took half of its row's time.
func appendTS(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, '-')
	}
	sec := t.Unix()
	if sec < tsMinUnix || sec > tsMaxUnix {
		return t.UTC().AppendFormat(b, timeline.TimeFormat)
	}
	days, sod := sec/86400, sec%86400
	if sod < 0 {
		days, sod = days-1, sod+86400
	}
	year, month, day := civilDateCached(days)
	hour, minute, s := int(sod/3600), int(sod/60%60), int(sod%60)
	ns := int(t.Nanosecond())
	// The 30 bytes written in place, not appended one by one (each
	// append checked the capacity).
	b = slices.Grow(b, tsLen)
	d := (*[tsLen]byte)(b[len(b) : len(b)+tsLen])
	d[0], d[1] = digitPairs[2*(year/100)], digitPairs[2*(year/100)+1]
	d[2], d[3] = digitPairs[2*(year%100)], digitPairs[2*(year%100)+1]
	d[4] = '-'
	d[5], d[6], d[7] = digitPairs[2*month], digitPairs[2*month+1], '-'
	d[8], d[9], d[10] = digitPairs[2*day], digitPairs[2*day+1], 'T'
	d[11], d[12], d[13] = digitPairs[2*hour], digitPairs[2*hour+1], ':'
	d[14], d[15], d[16] = digitPairs[2*minute], digitPairs[2*minute+1], ':'
	d[17], d[18], d[19] = digitPairs[2*s], digitPairs[2*s+1], '.'
	putNanos((*[tsLen - tsHead]byte)(d[tsHead:]), ns)
	return b[:len(b)+tsLen]
}

// tsHead is the length of what a time appendTS writes shares with every
// time of its second: "2006-01-02T15:04:05.".
const tsHead = len("2006-01-02T15:04:05.")

// putNanos writes the nanoseconds ns (0 to 999,999,999) in 9 digits, and
// the Z.
func putNanos(d *[tsLen - tsHead]byte, ns int) {
	d[0] = byte('0' + ns/100_000_000)
	ns %= 100_000_000
	hi, lo := ns/10_000, ns%10_000 // 4 digits each
	d[1], d[2] = digitPairs[2*(hi/100)], digitPairs[2*(hi/100)+1]
	d[3], d[4] = digitPairs[2*(hi%100)], digitPairs[2*(hi%100)+1]
	d[5], d[6] = digitPairs[2*(lo/100)], digitPairs[2*(lo/100)+1]
	d[7], d[8] = digitPairs[2*(lo%100)], digitPairs[2*(lo%100)+1]
	d[9] = 'Z'
}

// tsCache is appendTS remembering the last seconds it wrote: a report's
// times come many to a second (a flood's hosts 10 ms apart), and only
// the nanoseconds differ. A line holds times of a few seconds that come
// back line after line (an announcement due and its expiry 2 minutes
// later; first seen, last seen, expires): tsSeconds of them are kept.
// Each writer (an aligner, a reporter) keeps one.
type tsCache struct {
	secs [tsSeconds]struct {
		sec  int64
		head [tsHead]byte // "2006-01-02T15:04:05." of sec; empty: none yet
	}
	next int // the one to replace
}

const tsSeconds = 4

// appendTS is appendTS.
func (c *tsCache) appendTS(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, '-')
	}
	sec := t.Unix()
	for i := range c.secs {
		if e := &c.secs[i]; e.sec == sec && e.head[0] != 0 {
			b = slices.Grow(b, tsLen)
			d := (*[tsLen]byte)(b[len(b) : len(b)+tsLen])
			*(*[tsHead]byte)(d[:]) = e.head
			putNanos((*[tsLen - tsHead]byte)(d[tsHead:]), t.Nanosecond())
			return b[:len(b)+tsLen]
		}
	}
	n := len(b)
	b = appendTS(b, t)
	if sec >= tsMinUnix && sec <= tsMaxUnix {
		e := &c.secs[c.next]
		c.next = (c.next + 1) % tsSeconds
		e.sec = sec
		copy(e.head[:], b[n:])
	}
	return b
}

// tsLen is the length of a time appendTS writes itself (years 0 to 9999).
const tsLen = len("2006-01-02T15:04:05.000000000Z")

// The Unix times of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the
// years appendTS writes itself.
const (
	tsMinUnix = -62167219200
	tsMaxUnix = 253402300799
)

// civilDate is the proleptic Gregorian date of days since 1970-01-01
// (Hinnant, "chrono-Compatible Low-Level Date Algorithms", civil_from_days).
func civilDate(days int64) (year, month, day int) {
	z := days + 719468
	era := z / 146097
	if z < 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097                                  // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // [0, 365]
	mp := (5*doy + 2) / 153                                // [0, 11], from March
	day = int(doy - (153*mp+2)/5 + 1)
	month = int(mp + 3)
	if mp >= 10 {
		month = int(mp - 9)
	}
	year = int(yoe + era*400)
	if month <= 2 {
		year++
	}
	return year, month, day
}

// civilDateCached is civilDate, remembering the last day asked: the times
// of a report fall on a few days (a 10,000-host report writes 50,000 times
// of one day, and civilDate was two thirds of appendTS). The day and its
// date are one word (lastDate), so that the report's goroutines share it
// without a lock: days+719528 (0 to 3,652,424 for years 0 to 9999) above
// the year, the month and the day; 0, never a date, is none.
func civilDateCached(days int64) (year, month, day int) {
	if v := lastDate.Load(); v != 0 && int64(v>>23) == days+719528 {
		return int(v >> 9 & (1<<14 - 1)), int(v >> 5 & 15), int(v & 31)
	}
	year, month, day = civilDate(days)
	lastDate.Store(uint64(days+719528)<<23 | uint64(year)<<9 | uint64(month)<<5 | uint64(day))
	return year, month, day
}

var lastDate atomic.Uint64

const digitPairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"
