package output

import "strconv"

// Fields whose integer is a duration, written with its unit and, as
// tshark writes it, in words: "Uptime: 25000 ms (25 seconds)", "Time to
// live: 300 s (5 minutes)". The number stays first so that it is what the
// wire holds (-T fields prints it alone). Units from the fields'
// descriptions (tshark -G fields) and RFC 1002 §4.2.1.3 (TTL in seconds).
var durationUnits = map[string]int64{ // abbrev -> milliseconds per unit
	"browser.uptime": 1,    // "Server uptime in ms"
	"browser.period": 1,    // "Update Periodicity in ms"
	"smb.timeout":    1,    // "Timeout in milliseconds"
	"nbns.ttl":       1000, // seconds
}

// appendDuration appends " ms (25 seconds)" after the number of a
// duration field; false if the field is not one.
func appendDuration(dst []byte, abbrev string, v uint64) ([]byte, bool) {
	per, ok := durationUnits[abbrev]
	if !ok {
		return dst, false
	}
	if per == 1 {
		dst = append(dst, " ms ("...)
	} else {
		dst = append(dst, " s ("...)
	}
	dst = appendDurationWords(dst, v*uint64(per))
	return append(dst, ')'), true
}

// appendDurationWords writes milliseconds as tshark's time strings do:
// "1 day, 2 hours, 3 minutes, 4.500 seconds", "0 seconds".
func appendDurationWords(dst []byte, ms uint64) []byte {
	parts := []struct {
		n    uint64
		unit string
	}{
		{ms / 86400000, "day"}, {ms / 3600000 % 24, "hour"}, {ms / 60000 % 60, "minute"},
	}
	first := true
	for _, p := range parts {
		if p.n == 0 {
			continue
		}
		if !first {
			dst = append(dst, ", "...)
		}
		first = false
		dst = strconv.AppendUint(dst, p.n, 10)
		dst = append(dst, ' ')
		dst = append(dst, p.unit...)
		if p.n != 1 {
			dst = append(dst, 's')
		}
	}
	s, frac := ms/1000%60, ms%1000
	if s == 0 && frac == 0 && !first {
		return dst
	}
	if !first {
		dst = append(dst, ", "...)
	}
	dst = strconv.AppendUint(dst, s, 10)
	if frac != 0 {
		dst = append(dst, '.')
		dst = append(dst, strconv.FormatUint(frac+1000, 10)[1:]...)
	}
	if s == 1 && frac == 0 {
		return append(dst, " second"...)
	}
	return append(dst, " seconds"...)
}
