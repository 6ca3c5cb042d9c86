package timeline

import (
	"strconv"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Ballots are compared the way every browser compares a RequestElection
// with its own ([MS-BRWS] §3.3.5.8 Receiving a RequestElection Frame; the
// Leach/Naik browser draft; Hertel, Implementing CIFS, the Browse Service;
// Samba nmbd_elections.c win_election): the higher election version wins, then
// the higher criteria as an unsigned 32-bit number (OS level in the top
// byte, then the browser protocol version, then the role bits), then the
// longer uptime, then the name that sorts first (case-insensitively).

// RoleMasterBit is the criteria role bit a browser sets while it is the
// local master ([MS-BRWS] §2.2.3 Role 0x04).
const RoleMasterBit = 0x04

// Forced reports a ballot that can only start an election, never win it:
// version 0 or criteria 0, which is what a browser that cannot find a
// master, or a local master shutting down, sends ([MS-BRWS] §3.3.7; the
// election capture's ECHO, frame 192).
func (b Ballot) Forced() bool { return b.Version == 0 || b.Criteria == 0 }

// OSLevel is the top byte of the criteria.
func (b Ballot) OSLevel() uint8 { return uint8(b.Criteria >> 24) }

// RoleBits is the low byte of the criteria.
func (b Ballot) RoleBits() uint8 { return uint8(b.Criteria) }

// BrowserVersion is the browser protocol version in the middle of the
// criteria, "15.1" for 0x010f00 (major in bits 8-15, minor in 16-23).
func (b Ballot) BrowserVersion() string {
	maj, min := dissect.Criteria(b.Criteria).BrowserVersion()
	return strconv.Itoa(int(maj)) + "." + strconv.Itoa(int(min))
}

// Roles names the role bits ("potential browser, preferred master").
func (b Ballot) Roles() string { return dissect.Criteria(b.Criteria).Roles().String() }

// Compare orders two ballots sent at the same moment: positive when a
// wins, negative when b wins, 0 for identical ballots.
func (b Ballot) Compare(o Ballot) int { return ballotOrder(b, o, 0) }

// compareAt compares a sent at ta with b sent at tb: the uptime of the one
// sent earlier is carried forward to the later time, as the browser that
// receives the later ballot would see it.
func compareAt(a Ballot, ta time.Time, b Ballot, tb time.Time) (int, string, string) {
	shift := tb.Sub(ta) // > 0: a is older, its uptime grew by shift
	return compareBallots(a, b, shift)
}

// orderAt is compareAt's sign alone.
func orderAt(a Ballot, ta time.Time, b Ballot, tb time.Time) int {
	return ballotOrder(a, b, tb.Sub(ta))
}

// ballotOrder is compareBallots' sign alone: most callers only ask who
// wins, and the phrase is a few strings made (the NBT-dense mix compares
// each ballot with the candidates that dropped out: 8% of the tracker's
// allocations were phrases nobody read).
func ballotOrder(a, b Ballot, shift time.Duration) int {
	switch {
	case a.Version != b.Version:
		return order(a.Version > b.Version)
	case a.Criteria != b.Criteria:
		return order(a.Criteria > b.Criteria)
	}
	ua, ub := shiftedUptimes(a, b, shift)
	if ua != ub {
		return order(ua > ub)
	}
	return -compareNames(a.Name, b.Name)
}

// order is 1 if a wins, else -1.
func order(a bool) int {
	if a {
		return 1
	}
	return -1
}

// compareBallots compares a and b, a's uptime advanced by shift (negative:
// b's uptime advanced by -shift). It returns the sign, the field that
// decided ("version", "criteria", "uptime", "name", "" for a tie) and the
// comparison as a phrase written winner first ("OS level 32 > 20").
func compareBallots(a, b Ballot, shift time.Duration) (int, string, string) {
	if a.Version != b.Version {
		w, l := a, b
		sign := 1
		if a.Version < b.Version {
			w, l, sign = b, a, -1
		}
		return sign, "version", strconv.Itoa(int(w.Version)) + " > " + strconv.Itoa(int(l.Version))
	}
	if a.Criteria != b.Criteria {
		w, l := a, b
		sign := 1
		if a.Criteria < b.Criteria {
			w, l, sign = b, a, -1
		}
		return sign, "criteria", criteriaPhrase(w.Criteria, l.Criteria)
	}
	ua, ub := shiftedUptimes(a, b, shift)
	if ua != ub {
		if ua > ub {
			return 1, "uptime", formatUptime(ua) + " > " + formatUptime(ub)
		}
		return -1, "uptime", formatUptime(ub) + " > " + formatUptime(ua)
	}
	switch c := compareNames(a.Name, b.Name); {
	case c < 0:
		return 1, "name", quoteName(a.Name) + " < " + quoteName(b.Name)
	case c > 0:
		return -1, "name", quoteName(b.Name) + " < " + quoteName(a.Name)
	}
	return 0, "", "identical ballots"
}

// shiftedUptimes are a's and b's uptimes in milliseconds, a's advanced
// by shift (negative: b's advanced by -shift).
func shiftedUptimes(a, b Ballot, shift time.Duration) (ua, ub int64) {
	ua, ub = uptimeMS(a.Uptime, 0), uptimeMS(b.Uptime, 0)
	if shift > 0 {
		ua = uptimeMS(a.Uptime, shift)
	} else if shift < 0 {
		ub = uptimeMS(b.Uptime, -shift)
	}
	return ua, ub
}

// uptimeMS is the uptime in whole milliseconds after d more has passed.
func uptimeMS(ms uint32, d time.Duration) int64 {
	return int64(ms) + int64((d+time.Millisecond/2)/time.Millisecond)
}

// criteriaPhrase says which part of two different criteria decided, the
// winner's first: the OS level, the browser version or the role bits.
func criteriaPhrase(w, l uint32) string {
	if w>>24 != l>>24 {
		return "OS level " + strconv.Itoa(int(w>>24)) + " > " + strconv.Itoa(int(l>>24))
	}
	bw, bl := Ballot{Criteria: w}, Ballot{Criteria: l}
	if (w>>8)&0xffff != (l>>8)&0xffff {
		return "browser version " + bw.BrowserVersion() + " > " + bl.BrowserVersion()
	}
	return "role bits " + hexString(uint64(w&0xff), 2) + " (" + bw.Roles() + ") > " +
		hexString(uint64(l&0xff), 2) + " (" + bl.Roles() + ")"
}

// formatUptime writes milliseconds as seconds, "35 s" or "35.250 s".
func formatUptime(ms int64) string {
	if ms%1000 == 0 {
		return strconv.FormatInt(ms/1000, 10) + " s"
	}
	s := strconv.FormatInt(ms/1000, 10) + "."
	frac := strconv.FormatInt(1000+ms%1000, 10)[1:]
	return s + frac + " s"
}

// compareNames compares ASCII case-insensitively, as strcasecmp does.
func compareNames(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := upper(a[i]), upper(b[i])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// String is a one-line summary: "v1 0x14010f02 (OS 20, 15.1, potential
// browser) up 14 s ALPHA".
func (b Ballot) String() string {
	s := "v" + strconv.Itoa(int(b.Version)) + " " + hexString(uint64(b.Criteria), 8) +
		" (OS " + strconv.Itoa(int(b.OSLevel())) + ", " + b.BrowserVersion() + ", " + b.Roles() + ")" +
		" up " + formatUptime(int64(b.Uptime))
	if b.Name != "" {
		s += " " + b.Name
	} else {
		s += ` ""`
	}
	return s
}
