package filter

import (
	"errors"
	"math"
	"strconv"
	"strings"

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
	fnUpper  // upper(string field): ASCII upper case, as tshark's
	fnLower  // lower(string field)
	fnString // string(integer, address or MAC field): its text
	fnAbs    // abs(integer field)
)

// funcs maps the display-filter functions of tshark 4.0 that nbtsniff
// evaluates to their codes. max() and min() are tshark's too, but are
// refused by name (see parseOperand) rather than answered differently.
var funcs = map[string]uint8{"len": fnLen, "count": fnCount, "upper": fnUpper, "lower": fnLower, "string": fnString, "abs": fnAbs}

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

func (r *fieldRef) isString() bool {
	return r.typ == dissect.FTString || r.typ == dissect.FTStringz || r.fn == fnString
}

func (r *fieldRef) clsName() string {
	switch r.fn {
	case fnLen, fnCount:
		return "an integer"
	case fnUpper, fnLower, fnString:
		return "a string"
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
	case fnUpper, fnLower:
		if !r.typ.IsString() || r.hasSlice {
			return errors.New("upper() and lower() work on string fields; " + r.name + " is " + r.typ.String())
		}
		r.cls = cBytes
		return nil
	case fnString:
		switch {
		case r.typ.IsInteger(), r.typ == dissect.FTIPv4, r.typ == dissect.FTEther:
		default:
			return errors.New("string() works on integer, IPv4 address and MAC address fields here; " + r.name + " is " + r.typ.String())
		}
		if r.hasSlice {
			return errors.New("string() of a slice is not supported")
		}
		r.cls = cBytes
		return nil
	case fnAbs:
		if !r.typ.IsInteger() {
			return errors.New("abs() works on integer fields here; " + r.name + " is " + r.typ.String())
		}
		return nil
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
		// tshark 4.0 slices and measures a protocol over its tree item
		// (the header -V highlights: len(udp) is 8) but compares and
		// searches its whole data (udp contains "X" finds the payload).
		b = layerBytes(f, n, r.hasSlice || r.fn == fnLen)
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
	switch r.fn {
	case fnLen:
		u = uint64(len(b))
	case fnUpper, fnLower:
		b = foldASCII(b, r.fn == fnUpper)
	case fnString:
		b = stringOf(r.typ, n, u, b)
	case fnAbs:
		if r.typ.IsSigned() && int64(u) < 0 {
			u = uint64(-int64(u))
		}
	}
	if r.hasMask {
		u &= r.mask
	}
	return u, fl, b, true
}

// foldASCII returns a copy of b in ASCII upper or lower case (it
// allocates: upper() and lower() are the filter functions that do).
func foldASCII(b []byte, upper bool) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		switch {
		case upper && c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case !upper && c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// stringOf is string(field) as tshark 4.0 writes it: integers in decimal,
// IPv4 addresses dotted, MAC addresses as aa:bb:cc:dd:ee:ff. It allocates.
func stringOf(t dissect.FieldType, n *dissect.Node, u uint64, b []byte) []byte {
	switch {
	case t == dissect.FTIPv4:
		return []byte(strconv.Itoa(int(u>>24&255)) + "." + strconv.Itoa(int(u>>16&255)) + "." + strconv.Itoa(int(u>>8&255)) + "." + strconv.Itoa(int(u&255)))
	case t == dissect.FTEther:
		const hexd = "0123456789abcdef"
		out := make([]byte, 0, 17)
		for i, c := range b {
			if i > 0 {
				out = append(out, ':')
			}
			out = append(out, hexd[c>>4], hexd[c&15])
		}
		return out
	case t.IsSigned():
		return strconv.AppendInt(nil, int64(u), 10)
	}
	return strconv.AppendUint(nil, u, 10)
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

// layerBytes returns the bytes a protocol node covers in its data source:
// with item set, its own byte range; otherwise its value as a filter sees
// it: Wireshark's protocol value is the data its dissector
// was handed, header and payload, which the decoders record in Node.U
// (ProtoSpan) when it is longer than the node's own byte range. A span
// running past its data source (a reassembled datagram's header in the
// frame) stops at the end of it.
func layerBytes(f *dissect.Frame, n *dissect.Node, item bool) []byte {
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
	span := dissect.ProtoSpan(n)
	if item {
		span = dissect.ProtoItemLen(n)
	}
	end := int(n.Off) + min(max(span, int(n.Len)), len(data)-int(n.Off))
	return data[n.Off:end]
}
