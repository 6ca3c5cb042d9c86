package filter

import (
	"errors"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Literals: the values a comparison is written with, parsed to the type
// of the field they are compared with.

// lit is a literal converted to the class of the field it is compared with.
type lit struct {
	u      uint64 // cUint, cInt (int64 bits), cIPv4
	f      float64
	b      []byte
	prefix int  // cIPv4: network prefix length, 32 for an address
	net    bool // cIPv4: written as a.b.c.d/n
}

func (l *lit) isCIDR() bool { return l.net && l.prefix < 32 }

// netMask is the mask of an IPv4 literal's prefix.
func (l *lit) netMask() uint64 {
	if l.prefix >= 32 || !l.net {
		return 0xffffffff
	}
	return 0xffffffff &^ (0xffffffff >> uint(l.prefix))
}

func typeMax(t dissect.FieldType) uint64 {
	switch t {
	case dissect.FTUint8:
		return math.MaxUint8
	case dissect.FTUint16:
		return math.MaxUint16
	case dissect.FTUint24:
		return 1<<24 - 1
	case dissect.FTUint32, dissect.FTFrameNum:
		return math.MaxUint32
	}
	return math.MaxUint64
}

func typeRange(t dissect.FieldType) (int64, int64) {
	switch t {
	case dissect.FTInt8:
		return math.MinInt8, math.MaxInt8
	case dissect.FTInt16:
		return math.MinInt16, math.MaxInt16
	case dissect.FTInt32:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

// parseLiteral converts a value token for comparison with r. A name from
// the field's Values (Wireshark's value_string) may stand for several
// values: every one is returned.
func parseLiteral(t token, r *fieldRef) ([]lit, error) {
	switch r.cls {
	case cUint:
		if r.fn == fnNone && !r.hasMask && r.typ == dissect.FTBoolean && t.kind != tChar {
			switch strings.ToLower(t.val) {
			case "true":
				return []lit{{u: 1}}, nil
			case "false":
				return []lit{{u: 0}}, nil
			}
			if t.kind == tString {
				return nil, errors.New(r.name + " is a boolean: compare it with 1, 0, True or False")
			}
		}
		if t.kind == tString || t.kind == tWord && !startsNumber(t.val) {
			if r.fn == fnNone && r.fi != nil && r.fi.Values != nil && r.typ != dissect.FTBoolean {
				if vs := valueNames(r, t.val); len(vs) > 0 {
					out := make([]lit, len(vs))
					for i, v := range vs {
						out[i] = lit{u: v}
						if r.hasMask {
							out[i].u &= r.mask
						}
					}
					return out, nil
				}
				return nil, errors.New(strconv.Quote(t.val) + " is not a value name of " + r.name)
			}
			if t.kind == tString {
				return nil, errors.New(r.name + " is " + r.clsName() + ": it cannot be compared with the string " + strconv.Quote(t.val))
			}
		}
		v, err := parseInt(t, r)
		if err != nil {
			return nil, err
		}
		if r.typ == dissect.FTBoolean && r.fn == fnNone && !r.hasMask && v != 0 {
			v = 1
		}
		return []lit{{u: v}}, nil
	case cInt:
		switch r.typ {
		case dissect.FTAbsTime:
			ns, err := parseAbsTime(t.val)
			if err != nil {
				return nil, err
			}
			return []lit{{u: uint64(ns)}}, nil
		case dissect.FTRelTime:
			ns, err := parseSeconds(t.val)
			if err != nil {
				return nil, errors.New(strconv.Quote(t.val) + " is not a time in seconds (" + r.name + " is FT_RELATIVE_TIME)")
			}
			return []lit{{u: uint64(ns)}}, nil
		}
		if t.kind == tString || t.kind == tWord && !startsNumber(t.val) {
			if r.fi != nil && r.fi.Values != nil {
				if vs := valueNames(r, t.val); len(vs) > 0 {
					out := make([]lit, len(vs))
					for i, v := range vs {
						out[i] = lit{u: uint64(signExtend(r.typ, v))}
					}
					return out, nil
				}
			}
			return nil, errors.New(strconv.Quote(t.val) + " is not a valid number for " + r.name)
		}
		if t.kind == tChar {
			return []lit{{u: uint64(t.val[0])}}, nil
		}
		v, err := strconv.ParseInt(t.val, 0, 64)
		if err != nil {
			return nil, errors.New(strconv.Quote(t.val) + " is not a valid number for " + r.name)
		}
		lo, hi := typeRange(r.typ)
		if v < lo || v > hi {
			return nil, errors.New(strconv.Quote(t.val) + " is out of range for " + r.name + " (" + r.typ.String() + ")")
		}
		if r.hasMask {
			v &= int64(r.mask)
		}
		return []lit{{u: uint64(v)}}, nil
	case cFloat:
		v, err := strconv.ParseFloat(t.val, 64)
		if err != nil || t.kind == tChar {
			return nil, errors.New(strconv.Quote(t.val) + " is not a valid number for " + r.name)
		}
		return []lit{{f: v}}, nil
	case cIPv4:
		if t.kind == tChar {
			return nil, errors.New(r.name + " is an IPv4 address, not a character")
		}
		if strings.Contains(t.val, "/") {
			p, err := netip.ParsePrefix(t.val)
			if err != nil || !p.Addr().Is4() {
				return nil, errors.New(strconv.Quote(t.val) + " is not an IPv4 network (a.b.c.d/n)")
			}
			a := p.Addr().As4()
			return []lit{{u: uint64(a[0])<<24 | uint64(a[1])<<16 | uint64(a[2])<<8 | uint64(a[3]), prefix: p.Bits(), net: true}}, nil
		}
		a, err := netip.ParseAddr(t.val)
		if err != nil || !a.Is4() {
			return nil, errors.New(strconv.Quote(t.val) + " is not an IPv4 address")
		}
		b := a.As4()
		return []lit{{u: uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3]), prefix: 32}}, nil
	case cBytes:
		switch {
		case t.kind == tChar:
			return []lit{{b: []byte(t.val)}}, nil
		case r.isString():
			return []lit{{b: []byte(t.val)}}, nil
		case t.kind == tString:
			return []lit{{b: []byte(t.val)}}, nil
		}
		if tsharkNames[strings.ToLower(t.val)] {
			return nil, errors.New("tshark reads " + strconv.Quote(t.val) + " as the Wireshark protocol of that name, not as bytes: write 0x" + t.val + " for one byte, or separate the bytes (" + t.val + ":…)")
		}
		if v, ok := hexByte(t.val); ok {
			return []lit{{b: []byte{v}}}, nil
		}
		b, err := parseHexBytes(t.val)
		if err != nil {
			return nil, errors.New(strconv.Quote(t.val) + " is not a byte string (aa:bb:cc) for " + r.name + "; quote it to compare text")
		}
		if r.typ == dissect.FTEther && !r.hasSlice && len(b) != 6 {
			return nil, errors.New(strconv.Quote(t.val) + " is not a MAC address (6 bytes)")
		}
		return []lit{{b: b}}, nil
	}
	return nil, errors.New(r.name + " has no value to compare")
}

// tsharkNames are the Wireshark 4.0 protocol names (tshark -G protocols)
// that are also hexadecimal words: on the right of a comparison tshark
// takes them for that protocol, so `frame[0] == ff` is never true there.
// Rather than answer differently, such a word is an error.
var tsharkNames = map[string]bool{
	"a11": true, "a21": true, "a615a": true, "aaf": true, "acf": true, "adb": true, "bfd": true,
	"c1222": true, "c15": true, "dc": true, "dcc": true, "e100": true, "e164": true, "e212": true,
	"fc": true, "fc00": true, "fefd": true, "ff": true,
}

// hexByte reads 0xNN, which tshark 4.0 accepts as one byte where bytes
// are expected (frame[0] == 0xff).
func hexByte(s string) (byte, bool) {
	if len(s) < 3 || len(s) > 4 || s[0] != '0' || s[1] != 'x' && s[1] != 'X' {
		return 0, false
	}
	v, err := strconv.ParseUint(s[2:], 16, 8)
	return byte(v), err == nil
}

func startsNumber(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	if c == '-' || c == '+' {
		if len(s) == 1 {
			return false
		}
		c = s[1]
	}
	return c >= '0' && c <= '9'
}

// parseInt reads an unsigned number (decimal, 0x hex, 0 octal, 0b binary) or
// a character constant, and checks it fits the field.
func parseInt(t token, r *fieldRef) (uint64, error) {
	if t.kind == tChar {
		return uint64(t.val[0]), nil
	}
	if strings.HasPrefix(t.val, "-") {
		if r.typ.IsSigned() {
			v, err := strconv.ParseInt(t.val, 0, 64)
			if err == nil {
				return uint64(v), nil
			}
		}
		return 0, errors.New(strconv.Quote(t.val) + " is negative, and " + r.name + " is unsigned")
	}
	v, err := strconv.ParseUint(t.val, 0, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, errors.New(strconv.Quote(t.val) + " is too big")
		}
		return 0, errors.New(strconv.Quote(t.val) + " is not a valid number for " + r.name)
	}
	if r.fn == fnNone {
		if max := typeMax(r.typ); v > max && r.typ != dissect.FTBoolean {
			return 0, errors.New(strconv.Quote(t.val) + " is too big for " + r.name + " (" + r.typ.String() + ", maximum " + strconv.FormatUint(max, 10) + ")")
		}
	}
	return v, nil
}

// parseHexBytes reads aa:bb:cc, aa-bb-cc, aabb.ccdd, aabbcc or a single aa.
func parseHexBytes(s string) ([]byte, error) {
	bad := errors.New("bad byte string")
	if s == "" {
		return nil, bad
	}
	var out []byte
	if strings.ContainsAny(s, ":-") {
		sep := byte(':')
		if strings.IndexByte(s, ':') < 0 {
			sep = '-'
		}
		for _, g := range strings.Split(s, string(sep)) {
			if len(g) < 1 || len(g) > 2 {
				return nil, bad
			}
			v, err := strconv.ParseUint(g, 16, 8)
			if err != nil {
				return nil, bad
			}
			out = append(out, byte(v))
		}
		return out, nil
	}
	s = strings.ReplaceAll(s, ".", "")
	if len(s)%2 != 0 && len(s) != 1 {
		return nil, bad
	}
	if len(s) == 1 {
		s = "0" + s
	}
	for i := 0; i < len(s); i += 2 {
		if !isHex(s[i]) || !isHex(s[i+1]) {
			return nil, bad
		}
		out = append(out, byte(hexVal(s[i])<<4|hexVal(s[i+1])))
	}
	return out, nil
}

// parseSeconds reads a decimal number of seconds into nanoseconds without
// going through a float ("10.75" is exactly 10750000000).
func parseSeconds(s string) (int64, error) {
	bad := errors.New("bad seconds")
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	ip, fp, _ := strings.Cut(s, ".")
	if ip == "" && fp == "" {
		return 0, bad
	}
	var sec int64
	if ip != "" {
		v, err := strconv.ParseUint(ip, 10, 63)
		if err != nil || v > math.MaxInt64/1000000000-1 {
			return 0, bad
		}
		sec = int64(v)
	}
	var frac int64
	for i := 0; i < 9; i++ {
		frac *= 10
		if i < len(fp) {
			c := fp[i]
			if c < '0' || c > '9' {
				return 0, bad
			}
			frac += int64(c - '0')
		}
	}
	for i := 9; i < len(fp); i++ {
		if fp[i] < '0' || fp[i] > '9' {
			return 0, bad
		}
	}
	ns := sec*1e9 + frac
	if neg {
		ns = -ns
	}
	return ns, nil
}

// absTimeLayouts are the forms an absolute time may take, in local time
// unless a zone is given: tshark's own ("Jun  6, 2020 06:36:40.128128000"),
// ISO 8601 with a space or a T, and RFC 3339.
var absTimeLayouts = []string{
	"Jan _2, 2006 15:04:05.999999999",
	"Jan 2, 2006 15:04:05.999999999",
	"Jan _2, 2006 15:04:05.999999999 MST",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
	time.RFC3339Nano,
}

func parseAbsTime(s string) (int64, error) {
	for _, l := range absTimeLayouts {
		if t, err := time.ParseInLocation(l, s, time.Local); err == nil {
			return t.UnixNano(), nil
		}
	}
	if ns, err := parseSeconds(s); err == nil {
		return ns, nil // seconds since the epoch
	}
	return 0, errors.New(strconv.Quote(s) + ` is not a time: use "Jun  6, 2020 06:36:40", "2020-06-06 06:36:40" or seconds since the epoch`)
}
