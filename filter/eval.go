package filter

import (
	"bytes"
	"regexp"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// expr is a compiled test. eval must not allocate.
type expr interface {
	eval(f *dissect.Frame) bool
}

type andExpr struct{ a, b expr }

func (x *andExpr) eval(f *dissect.Frame) bool { return x.a.eval(f) && x.b.eval(f) }

type orExpr struct{ a, b expr }

func (x *orExpr) eval(f *dissect.Frame) bool { return x.a.eval(f) || x.b.eval(f) }

type notExpr struct{ a expr }

func (x *notExpr) eval(f *dissect.Frame) bool { return !x.a.eval(f) }

// cmpOp is a relational operator with Wireshark 4.0's meaning over the
// occurrences of a field.
type cmpOp uint8

const (
	opEq    cmpOp = iota // ==: some occurrence equals
	opNe                 // !=: the field is present and no occurrence equals
	opAllEq              // ===: the field is present and every occurrence equals
	opAnyNe              // ~=, !==: some occurrence differs
	opLt
	opLe
	opGt
	opGe
)

func (o cmpOp) ordered() bool { return o >= opLt }

// holds reports whether a comparison result c (-1, 0, 1) satisfies o.
func (o cmpOp) holds(c int) bool {
	if c == 2 { // unordered (NaN, or no value)
		return false
	}
	switch o {
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	case opGt:
		return c > 0
	case opGe:
		return c >= 0
	}
	return c == 0
}

// occurrence is one value of a field.
type occurrence struct {
	u  uint64
	fl float64
	b  []byte
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compare orders a value of class ca against one of class cb.
func compare(ca class, a occurrence, cb class, b occurrence) int {
	switch ca {
	case cUint, cIPv4:
		if cb == cInt && int64(b.u) < 0 {
			return 1
		}
		return cmpUint(a.u, b.u)
	case cInt:
		if cb == cUint && int64(a.u) < 0 {
			return -1
		}
		if cb == cUint {
			return cmpUint(a.u, b.u)
		}
		return cmpInt(int64(a.u), int64(b.u))
	case cFloat:
		switch {
		case a.fl < b.fl:
			return -1
		case a.fl > b.fl:
			return 1
		case a.fl == b.fl:
			return 0
		}
		return 2 // NaN: unordered, equal to nothing
	case cBytes:
		return bytes.Compare(a.b, b.b)
	}
	return 2
}

// litEq tests a value against a literal, an IPv4 network matching every
// address inside it.
func litEq(cls class, v *occurrence, l *lit) bool {
	switch cls {
	case cIPv4:
		m := l.netMask()
		return v.u&m == l.u&m
	case cFloat:
		return v.fl == l.f
	case cBytes:
		return bytes.Equal(v.b, l.b)
	}
	return v.u == l.u
}

func litCmp(cls class, v *occurrence, l *lit) int {
	return compare(cls, *v, cls, occurrence{u: l.u, fl: l.f, b: l.b})
}

// cmpExpr compares a field with one literal (or the values one name
// stands for).
type cmpExpr struct {
	ref  *fieldRef
	op   cmpOp
	lits []lit
}

func (x *cmpExpr) test(v *occurrence) (eq bool, c int) {
	if x.op.ordered() {
		return false, litCmp(x.ref.cls, v, &x.lits[0])
	}
	for i := range x.lits {
		if litEq(x.ref.cls, v, &x.lits[i]) {
			return true, 0
		}
	}
	return false, 0
}

func (x *cmpExpr) eval(f *dissect.Frame) bool {
	r := x.ref
	if r.fn == fnCount {
		n := countOf(f, r)
		if n == 0 {
			return false
		}
		v := occurrence{u: n}
		eq, c := x.test(&v)
		switch x.op {
		case opEq, opAllEq:
			return eq
		case opNe, opAnyNe:
			return !eq
		}
		return x.op.holds(c)
	}
	var scratch [16]byte
	present := false
	nodes := f.Tree.Nodes
	for i := range nodes {
		n := &nodes[i]
		if !r.has(n) {
			continue
		}
		u, fl, b, ok := r.get(f, n, &scratch)
		if !ok {
			continue
		}
		present = true
		v := occurrence{u, fl, b}
		eq, c := x.test(&v)
		switch x.op {
		case opEq:
			if eq {
				return true
			}
		case opNe:
			if eq {
				return false
			}
		case opAllEq:
			if !eq {
				return false
			}
		case opAnyNe:
			if !eq {
				return true
			}
		default:
			if x.op.holds(c) {
				return true
			}
		}
	}
	return present && (x.op == opNe || x.op == opAllEq)
}

func countOf(f *dissect.Frame, r *fieldRef) uint64 {
	var n uint64
	for i := range f.Tree.Nodes {
		if r.has(&f.Tree.Nodes[i]) {
			n++
		}
	}
	return n
}

// fieldCmpExpr compares two fields: true when some pair of occurrences
// satisfies the operator (== and the ordered ones), when every pair differs
// (!=), when every pair is equal (===), or when some pair differs (~=).
type fieldCmpExpr struct {
	a, b *fieldRef
	op   cmpOp
}

func (x *fieldCmpExpr) eval(f *dissect.Frame) bool {
	var sa, sb [16]byte
	nodes := f.Tree.Nodes
	present := false
	for i := range nodes {
		va, ok := value(f, x.a, &nodes[i], &sa)
		if !ok {
			continue
		}
		for j := range nodes {
			vb, ok := value(f, x.b, &nodes[j], &sb)
			if !ok {
				continue
			}
			present = true
			c := compare(x.a.cls, va, x.b.cls, vb)
			switch x.op {
			case opEq:
				if c == 0 {
					return true
				}
			case opNe:
				if c == 0 {
					return false
				}
			case opAllEq:
				if c != 0 {
					return false
				}
			case opAnyNe:
				if c != 0 {
					return true
				}
			default:
				if x.op.holds(c) {
					return true
				}
			}
		}
	}
	return present && (x.op == opNe || x.op == opAllEq)
}

// value returns the value of node n for r, or ok == false when n is not an
// occurrence of r. count() has a single value, given at the first node.
func value(f *dissect.Frame, r *fieldRef, n *dissect.Node, scratch *[16]byte) (occurrence, bool) {
	if r.fn == fnCount {
		if n != &f.Tree.Nodes[0] {
			return occurrence{}, false
		}
		c := countOf(f, r)
		return occurrence{u: c}, c > 0
	}
	if !r.has(n) {
		return occurrence{}, false
	}
	u, fl, b, ok := r.get(f, n, scratch)
	return occurrence{u, fl, b}, ok
}

// existsExpr: the field (or protocol) is present; with a slice, some
// occurrence is long enough for it.
type existsExpr struct{ ref *fieldRef }

func (x *existsExpr) eval(f *dissect.Frame) bool {
	var scratch [16]byte
	for i := range f.Tree.Nodes {
		n := &f.Tree.Nodes[i]
		if !x.ref.has(n) {
			continue
		}
		if !x.ref.hasSlice {
			return true
		}
		if _, _, _, ok := x.ref.get(f, n, &scratch); ok {
			return true
		}
	}
	return false
}

// maskExpr: "field & mask" alone is true when some occurrence has a bit of
// the mask set.
type maskExpr struct{ ref *fieldRef }

func (x *maskExpr) eval(f *dissect.Frame) bool {
	var scratch [16]byte
	for i := range f.Tree.Nodes {
		n := &f.Tree.Nodes[i]
		if !x.ref.has(n) {
			continue
		}
		if u, _, _, ok := x.ref.get(f, n, &scratch); ok && u != 0 {
			return true
		}
	}
	return false
}

type containsExpr struct {
	ref    *fieldRef
	needle []byte
}

func (x *containsExpr) eval(f *dissect.Frame) bool {
	var scratch [16]byte
	for i := range f.Tree.Nodes {
		n := &f.Tree.Nodes[i]
		if !x.ref.has(n) {
			continue
		}
		if _, _, b, ok := x.ref.get(f, n, &scratch); ok && bytes.Contains(b, x.needle) {
			return true
		}
	}
	return false
}

type matchesExpr struct {
	ref *fieldRef
	re  *regexp.Regexp
}

func (x *matchesExpr) eval(f *dissect.Frame) bool {
	for i := range f.Tree.Nodes {
		n := &f.Tree.Nodes[i]
		if !x.ref.has(n) {
			continue
		}
		// regexp keeps its input beyond escape analysis' reach, so no
		// stack scratch here: get allocates only for a MAC address held
		// in Node.U or an IPv4 slice, never for strings.
		if _, _, b, ok := x.ref.get(f, n, nil); ok && x.re.Match(b) {
			return true
		}
	}
	return false
}

type setElem struct {
	lo, hi  lit
	isRange bool
}

// inExpr: some occurrence is one of the elements or inside one of the
// ranges.
type inExpr struct {
	ref   *fieldRef
	elems []setElem
}

func (x *inExpr) member(v *occurrence) bool {
	cls := x.ref.cls
	for i := range x.elems {
		e := &x.elems[i]
		if !e.isRange {
			if litEq(cls, v, &e.lo) {
				return true
			}
			continue
		}
		lo, hi := litCmp(cls, v, &e.lo), litCmp(cls, v, &e.hi)
		if lo != 2 && hi != 2 && lo >= 0 && hi <= 0 {
			return true
		}
	}
	return false
}

func (x *inExpr) eval(f *dissect.Frame) bool {
	if x.ref.fn == fnCount {
		n := countOf(f, x.ref)
		v := occurrence{u: n}
		return n > 0 && x.member(&v)
	}
	var scratch [16]byte
	for i := range f.Tree.Nodes {
		n := &f.Tree.Nodes[i]
		if !x.ref.has(n) {
			continue
		}
		u, fl, b, ok := x.ref.get(f, n, &scratch)
		if !ok {
			continue
		}
		v := occurrence{u, fl, b}
		if x.member(&v) {
			return true
		}
	}
	return false
}
