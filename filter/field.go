package filter

import (
	"errors"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// class is how a value is compared.
type class uint8

const (
	cNone  class = iota // FT_NONE, or a protocol known only by its fields: presence only
	cUint               // unsigned integers, booleans (0/1), frame numbers, len(), count()
	cInt                // signed integers; absolute and relative times (nanoseconds)
	cFloat              // FT_DOUBLE
	cIPv4               // IPv4 addresses, compared as numbers, with networks
	cBytes              // strings, byte arrays, MAC addresses, protocols, slices
)

func classOf(t dissect.FieldType) class {
	switch t {
	case dissect.FTNone:
		return cNone
	case dissect.FTBoolean, dissect.FTUint8, dissect.FTUint16, dissect.FTUint24, dissect.FTUint32,
		dissect.FTUint64, dissect.FTFrameNum:
		return cUint
	case dissect.FTInt8, dissect.FTInt16, dissect.FTInt32, dissect.FTInt64, dissect.FTAbsTime, dissect.FTRelTime:
		return cInt
	case dissect.FTDouble:
		return cFloat
	case dissect.FTIPv4:
		return cIPv4
	}
	return cBytes // FT_STRING(Z), FT_BYTES, FT_ETHER, FT_PROTOCOL
}

func comparable(a, b class) bool {
	if a == b {
		return a != cNone
	}
	return a == cUint && b == cInt || a == cInt && b == cUint
}

const (
	fnNone uint8 = iota
	fnLen
	fnCount
)

// sliceSpec is a Wireshark range: [start:length], [start-end], [start],
// [:length], [start:]. A negative start counts from the end.
type sliceSpec struct {
	start  int
	length int
	toEnd  bool
}

func parseSliceSpec(w string) (sliceSpec, error) {
	bad := errors.New("bad range " + strconv.Quote(w) + ": use [start:length], [start-end], [start] or [start:]")
	var s sliceSpec
	if i := strings.IndexByte(w, ':'); i >= 0 {
		a, b := w[:i], w[i+1:]
		if a != "" {
			v, err := strconv.Atoi(a)
			if err != nil {
				return s, bad
			}
			s.start = v
		}
		if b == "" {
			s.toEnd = true
			return s, nil
		}
		v, err := strconv.Atoi(b)
		if err != nil || v <= 0 {
			return s, bad
		}
		s.length = v
		return s, nil
	}
	if i := strings.IndexByte(w[1:], '-'); i >= 0 {
		i++
		a, err1 := strconv.Atoi(w[:i])
		b, err2 := strconv.Atoi(w[i+1:])
		if err1 != nil || err2 != nil || a < 0 || b < a {
			return s, bad
		}
		s.start, s.length = a, b-a+1
		return s, nil
	}
	v, err := strconv.Atoi(w)
	if err != nil {
		return s, bad
	}
	s.start, s.length = v, 1
	return s, nil
}

func (s *sliceSpec) apply(b []byte) ([]byte, bool) {
	st := s.start
	if st < 0 {
		st += len(b)
	}
	if st < 0 || st > len(b) {
		return nil, false
	}
	if s.toEnd {
		return b[st:], true
	}
	if s.length > len(b)-st {
		return nil, false
	}
	return b[st : st+s.length], true
}

// fieldRef is a field as used in a test: its occurrences, optionally
// sliced, measured (len), counted (count) or masked (&).
type fieldRef struct {
	id      dissect.FieldID
	fi      *dissect.FieldInfo
	typ     dissect.FieldType
	cls     class // class of the value after slice/len/mask
	belongs []bool
	name    string // the field's name
	text    string // the operand as written: "len(nbns.name)"
	pos     int

	hasSlice bool
	slice    sliceSpec
	fn       uint8
	hasMask  bool
	mask     uint64
}

func newRef(id dissect.FieldID, t token) *fieldRef {
	fi := dissect.Field(id)
	return &fieldRef{id: id, fi: fi, typ: fi.Type, cls: classOf(fi.Type), name: t.val, text: t.val, pos: t.pos}
}

// newProtoRef stands for a protocol that has fields but no FT_PROTOCOL
// field of its own: its presence is the presence of any of its fields.
func newProtoRef(name string, t token) *fieldRef {
	n := dissect.NumFields()
	b := make([]bool, n)
	for i := 1; i < n; i++ {
		if dissect.Field(dissect.FieldID(i)).Proto == name {
			b[i] = true
		}
	}
	return &fieldRef{typ: dissect.FTProtocol, cls: cNone, belongs: b, name: name, text: name, pos: t.pos}
}

func (r *fieldRef) isString() bool { return r.typ == dissect.FTString || r.typ == dissect.FTStringz }

func (r *fieldRef) clsName() string {
	switch r.fn {
	case fnLen, fnCount:
		return "an integer"
	}
	if r.hasSlice {
		return "a byte slice"
	}
	if r.belongs != nil {
		return "a protocol"
	}
	return r.typ.String()
}

func (r *fieldRef) setSlice(s sliceSpec) error {
	if r.belongs != nil {
		return errors.New(r.name + " has no layer bytes to slice (its decoder registers no FT_PROTOCOL field)")
	}
	if r.cls != cBytes && r.cls != cIPv4 {
		return errors.New("only strings, byte fields, addresses and protocols can be sliced; " + r.name + " is " + r.typ.String())
	}
	r.hasSlice, r.slice, r.cls = true, s, cBytes
	return nil
}

func (r *fieldRef) setFunc(fn uint8) error {
	r.fn = fn
	switch fn {
	case fnCount:
		if r.belongs != nil {
			return errors.New("count() needs a field; " + r.name + " is known only by its fields")
		}
	case fnLen:
		if r.belongs != nil || r.cls != cBytes && r.cls != cIPv4 {
			return errors.New("len() works on strings, byte fields, addresses and protocols; " + r.name + " is " + r.clsName())
		}
	}
	r.cls = cUint
	return nil
}

// has reports whether node n is an occurrence of the field.
func (r *fieldRef) has(n *dissect.Node) bool {
	if r.belongs != nil {
		return int(n.Field) < len(r.belongs) && r.belongs[n.Field]
	}
	return n.Field == r.id
}

// get returns the value of one occurrence, after slice, len and mask. ok is
// false when a slice does not fit the value. scratch holds bytes that are
// not in the node (a MAC address or an IPv4 address being sliced); when it
// is nil and needed, one is allocated.
func (r *fieldRef) get(f *dissect.Frame, n *dissect.Node, scratch *[16]byte) (u uint64, fl float64, b []byte, ok bool) {
	if scratch == nil && (r.typ == dissect.FTEther && len(n.S) != 6 || r.typ == dissect.FTIPv4 && (r.hasSlice || r.fn == fnLen)) {
		scratch = new([16]byte)
	}
	switch r.typ {
	case dissect.FTBoolean:
		if n.U != 0 {
			u = 1
		}
	case dissect.FTDouble:
		fl = math.Float64frombits(n.U)
	case dissect.FTEther:
		if len(n.S) == 6 {
			b = n.S
		} else {
			for i := 0; i < 6; i++ {
				scratch[i] = byte(n.U >> (8 * uint(5-i)))
			}
			b = scratch[:6]
		}
	case dissect.FTIPv4:
		u = n.U & 0xffffffff
		if r.hasSlice || r.fn == fnLen {
			scratch[0], scratch[1], scratch[2], scratch[3] = byte(u>>24), byte(u>>16), byte(u>>8), byte(u)
			b = scratch[:4]
		}
	case dissect.FTProtocol:
		b = layerBytes(f, n)
	case dissect.FTString, dissect.FTStringz, dissect.FTBytes:
		b = n.S
	default:
		u = n.U
		if r.typ.IsSigned() {
			u = uint64(signExtend(r.typ, n.U))
		}
	}
	if r.hasSlice {
		if b, ok = r.slice.apply(b); !ok {
			return 0, 0, nil, false
		}
	}
	if r.fn == fnLen {
		u = uint64(len(b))
	}
	if r.hasMask {
		u &= r.mask
	}
	return u, fl, b, true
}

// signExtend makes sure a signed value stored in its type's width compares
// as negative.
func signExtend(t dissect.FieldType, v uint64) int64 {
	switch t {
	case dissect.FTInt8:
		return int64(int8(v))
	case dissect.FTInt16:
		return int64(int16(v))
	case dissect.FTInt32:
		return int64(int32(v))
	}
	return int64(v)
}

// layerBytes returns the bytes a protocol node covers in its data source.
func layerBytes(f *dissect.Frame, n *dissect.Node) []byte {
	data := f.Data
	if n.Src > 0 {
		if int(n.Src) > len(f.Tree.Sources) {
			return nil
		}
		data = f.Tree.Sources[n.Src-1].Data
	}
	if n.Off < 0 || int(n.Off) > len(data) || n.Len < 0 || int(n.Len) > len(data)-int(n.Off) {
		return nil
	}
	return data[n.Off : n.Off+n.Len]
}

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

// Value names, cached per field.
var (
	namesMu    sync.Mutex
	namesCache = map[dissect.FieldID]map[string][]uint64{}
)

// valueNames returns the value whose Values name is s (case-insensitive,
// as tshark's value_string lookup): the smallest one, as Values functions
// may repeat a name for values outside the field's bit mask. Names that
// start with "Unknown" name nothing. The table is built once per field by
// scanning 0..65535.
func valueNames(r *fieldRef, s string) []uint64 {
	namesMu.Lock()
	defer namesMu.Unlock()
	m, ok := namesCache[r.id]
	if !ok {
		m = map[string][]uint64{}
		max := typeMax(r.typ)
		if max > 0xffff {
			max = 0xffff
		}
		for v := uint64(0); v <= max; v++ {
			name := r.fi.Values(v)
			if name == "" || strings.HasPrefix(name, "Unknown") {
				continue
			}
			k := strings.ToLower(name)
			if _, dup := m[k]; !dup {
				m[k] = []uint64{v}
			}
		}
		namesCache[r.id] = m
	}
	return m[strings.ToLower(s)]
}

// Protocol names, recomputed when fields are registered.
var (
	protoMu    sync.Mutex
	protoSet   map[string]bool
	protoCount int
	abbrevs    []string
)

func protocols() map[string]bool {
	protoMu.Lock()
	defer protoMu.Unlock()
	if n := dissect.NumFields(); protoSet == nil || n != protoCount {
		protoSet = map[string]bool{}
		abbrevs = abbrevs[:0]
		for _, fi := range dissect.AllFields() {
			if fi.Proto != "" {
				protoSet[fi.Proto] = true
			}
			abbrevs = append(abbrevs, fi.Abbrev)
		}
		protoCount = n
	}
	return protoSet
}

// suggest returns the known field or protocol closest to name, or "".
func suggest(name string) string {
	ps := protocols()
	protoMu.Lock()
	cands := append([]string(nil), abbrevs...)
	protoMu.Unlock()
	for p := range ps {
		cands = append(cands, p)
	}
	best, bestD := "", 1<<30
	lname := strings.ToLower(name)
	for _, c := range cands {
		if abs(len(c)-len(name)) >= bestD {
			continue
		}
		d := levenshtein(lname, strings.ToLower(c))
		if d < bestD || d == bestD && c < best {
			best, bestD = c, d
		}
	}
	limit := len(name)/4 + 1
	if limit > 3 {
		limit = 3
	}
	if bestD <= limit && best != name {
		return best
	}
	return ""
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func levenshtein(a, b string) int {
	if len(a) > 100 || len(b) > 100 {
		return 1 << 20
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
