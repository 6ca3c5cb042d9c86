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
	year, month, day := civilDate(days)
	hour, minute, s := int(sod/3600), int(sod/60%60), int(sod%60)
	ns := t.Nanosecond()
	b = append(b, digitPairs[2*(year/100)], digitPairs[2*(year/100)+1], digitPairs[2*(year%100)], digitPairs[2*(year%100)+1], '-')
	b = append2(b, month, '-')
	b = append2(b, day, 'T')
	b = append2(b, hour, ':')
	b = append2(b, minute, ':')
	b = append2(b, s, '.')
	b = append(b, byte('0'+ns/100_000_000))
	ns %= 100_000_000
	b = append(b, digitPairs[2*(ns/1_000_000)], digitPairs[2*(ns/1_000_000)+1])
	ns %= 1_000_000
	b = append(b, digitPairs[2*(ns/10_000)], digitPairs[2*(ns/10_000)+1])
	ns %= 10_000
	b = append(b, digitPairs[2*(ns/100)], digitPairs[2*(ns/100)+1], digitPairs[2*(ns%100)], digitPairs[2*(ns%100)+1], 'Z')
	return b
}

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

// append2 appends v (0-99) in two digits, then sep.
func append2(b []byte, v int, sep byte) []byte {
	return append(b, digitPairs[2*v], digitPairs[2*v+1], sep)
}
