package filter

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// MaxDepth bounds the nesting of parentheses and negations, so that a
// hostile expression cannot exhaust the stack.
const MaxDepth = 64

// Filter is a compiled display filter. Match is safe for concurrent use.
type Filter struct {
	expr string
	root expr
}

// String returns the expression the filter was compiled from.
func (f *Filter) String() string { return f.expr }

// Match reports whether the frame passes the filter. It does not allocate.
func (f *Filter) Match(fr *dissect.Frame) bool { return f.root.eval(fr) }

// Compile parses a display filter in Wireshark 4.0's syntax and checks it
// against the registered fields. Errors are *SyntaxError with the position
// of the problem.
func Compile(s string) (*Filter, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{src: s, toks: toks}
	if p.peek().kind == tEOF {
		return nil, p.errAt(0, "the filter is empty")
	}
	root, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tOp && t.val == ")" {
			return nil, p.errAt(t.pos, `unexpected ")" with no "(" to close`)
		}
		if strings.Contains("+-*/%", t.val) && len(t.val) == 1 {
			return nil, p.errAt(t.pos, "arithmetic ("+t.val+") is a tshark 4.0 feature nbtsniff does not evaluate")
		}
		return nil, p.errAt(t.pos, "unexpected "+quoteTok(t)+": expected \"&&\", \"||\" or the end of the filter")
	}
	return &Filter{expr: s, root: root}, nil
}

// MustCompile is Compile for expressions known to be valid (tests, defaults).
func MustCompile(s string) *Filter {
	f, err := Compile(s)
	if err != nil {
		panic(err)
	}
	return f
}

type parser struct {
	src   string
	toks  []token
	i     int
	depth int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) peekAt(k int) token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) errAt(pos int, msg string) error {
	return &SyntaxError{Expr: p.src, Pos: pos, Msg: msg}
}

func quoteTok(t token) string {
	switch t.kind {
	case tEOF:
		return "end of filter"
	case tString:
		return strconv.Quote(t.val)
	}
	return `"` + t.val + `"`
}

func (p *parser) isOp(vals ...string) bool {
	t := p.peek()
	if t.kind != tOp && t.kind != tWord {
		return false
	}
	for _, v := range vals {
		if t.val == v {
			if t.kind == tWord && !isKeyword(v) {
				continue
			}
			return true
		}
	}
	return false
}

var keywords = map[string]bool{
	"and": true, "or": true, "not": true, "in": true, "contains": true, "matches": true,
	"eq": true, "ne": true, "gt": true, "ge": true, "lt": true, "le": true,
	"any_eq": true, "all_ne": true, "all_eq": true, "any_ne": true, "bitwise_and": true,
}

func isKeyword(s string) bool { return keywords[s] }

func (p *parser) enter(pos int) error {
	p.depth++
	if p.depth > MaxDepth {
		return p.errAt(pos, "the filter is nested too deeply (more than "+strconv.Itoa(MaxDepth)+" levels)")
	}
	return nil
}

// parseOr: and-terms joined by || (lowest precedence, as in tshark 4.0,
// where "a || b && c" is "a || (b && c)").
func (p *parser) parseOr() (expr, error) {
	left, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for p.isOp("||", "or") {
		op := p.next()
		if p.peek().kind == tEOF {
			return nil, p.errAt(op.pos, "expected a test after "+quoteTok(op))
		}
		right, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		left = &orExpr{left, right}
	}
	return left, nil
}

func (p *parser) parseAnd() (expr, error) {
	left, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for p.isOp("&&", "and") {
		op := p.next()
		if p.peek().kind == tEOF {
			return nil, p.errAt(op.pos, "expected a test after "+quoteTok(op))
		}
		right, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		left = &andExpr{left, right}
	}
	return left, nil
}

func (p *parser) parseUnary() (expr, error) {
	if p.isOp("!", "not") {
		op := p.next()
		if err := p.enter(op.pos); err != nil {
			return nil, err
		}
		if p.peek().kind == tEOF {
			return nil, p.errAt(op.pos, "expected a test after "+quoteTok(op))
		}
		x, err := p.parseUnary()
		p.depth--
		if err != nil {
			return nil, err
		}
		return &notExpr{x}, nil
	}
	return p.parsePrimary()
}

func (p *parser) parsePrimary() (expr, error) {
	t := p.peek()
	if t.kind == tOp && t.val == "(" {
		p.next()
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		x, err := p.parseOr()
		p.depth--
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c.kind != tOp || c.val != ")" {
			return nil, p.errAt(c.pos, `expected ")" to close the "(" at column `+strconv.Itoa(col(p.src, t.pos))+", found "+quoteTok(c))
		}
		p.next()
		return x, nil
	}
	return p.parseTest()
}

func col(s string, pos int) int {
	e := &SyntaxError{Expr: s, Pos: pos}
	return e.Column()
}

// relational operators and their meaning (Wireshark 4.0: == is "any
// occurrence equal", != is "no occurrence equal" (all_ne), ~= and !== are
// any_ne, === is all_eq).
var relOps = map[string]cmpOp{
	"==": opEq, "eq": opEq, "any_eq": opEq,
	"!=": opNe, "ne": opNe, "all_ne": opNe,
	"===": opAllEq, "all_eq": opAllEq,
	"!==": opAnyNe, "~=": opAnyNe, "any_ne": opAnyNe,
	"<": opLt, "lt": opLt, "<=": opLe, "le": opLe,
	">": opGt, "gt": opGt, ">=": opGe, "ge": opGe,
}

func (p *parser) parseTest() (expr, error) {
	t := p.peek()
	switch t.kind {
	case tEOF:
		return nil, p.errAt(t.pos, "expected a field, a protocol or \"(\"")
	case tString, tChar:
		return nil, p.errAt(t.pos, "a test starts with a field or a protocol, not the value "+quoteTok(t))
	case tOp:
		return nil, p.errAt(t.pos, "unexpected "+quoteTok(t)+": expected a field, a protocol or \"(\"")
	}
	if isKeyword(t.val) {
		return nil, p.errAt(t.pos, "unexpected "+quoteTok(t)+": expected a field, a protocol or \"(\"")
	}
	lhs, err := p.parseOperand(true)
	if err != nil {
		return nil, err
	}
	op := p.peek()
	if op.kind == tOp || op.kind == tWord && isKeyword(op.val) {
		if c, ok := relOps[op.val]; ok {
			p.next()
			return p.parseCompare(lhs, c, op)
		}
		switch op.val {
		case "contains":
			p.next()
			return p.parseContains(lhs, op)
		case "matches", "~":
			p.next()
			return p.parseMatches(lhs, op)
		case "in":
			p.next()
			return p.parseIn(lhs, op)
		case "not":
			if n := p.peekAt(1); n.kind == tWord && n.val == "in" {
				p.next()
				p.next()
				x, err := p.parseIn(lhs, n)
				if err != nil {
					return nil, err
				}
				return &notExpr{x}, nil
			}
		case "=":
			return nil, p.errAt(op.pos, `"=" is not an operator: use "==" to compare`)
		}
	}
	// A bare field: presence (or, after "&", a non-zero test).
	if lhs.fn != fnNone {
		return nil, p.errAt(lhs.pos, "a function's value must be compared (e.g. "+lhs.text+" > 0)")
	}
	if lhs.hasMask {
		return &maskExpr{ref: lhs}, nil
	}
	return &existsExpr{ref: lhs}, nil
}

// parseOperand reads a field, a protocol, count(field), len(field), with an
// optional slice [i:j] and an optional "& mask".
func (p *parser) parseOperand(lhs bool) (*fieldRef, error) {
	t := p.next()
	if t.kind != tWord {
		return nil, p.errAt(t.pos, "expected a field, found "+quoteTok(t))
	}
	if p.peek().kind == tOp && p.peek().val == "(" {
		switch t.val {
		case "max", "min":
			return nil, p.errAt(t.pos, t.val+"() is a tshark 4.0 function nbtsniff does not evaluate")
		}
		if _, ok := funcs[t.val]; !ok {
			if _, isField := dissect.LookupField(t.val); !isField && !protocols()[t.val] {
				return nil, p.errAt(t.pos, "unknown function "+strconv.Quote(t.val)+"(): nbtsniff knows len, count, upper, lower, string and abs")
			}
		}
	}
	if fn, ok := funcs[t.val]; ok && p.peek().kind == tOp && p.peek().val == "(" {
		p.next()
		inner := p.next()
		if inner.kind != tWord {
			return nil, p.errAt(inner.pos, t.val+"() takes a field, found "+quoteTok(inner))
		}
		ref, err := p.resolve(inner)
		if err != nil {
			return nil, err
		}
		if fn == fnLen {
			if err := p.parseSlice(ref); err != nil {
				return nil, err
			}
		}
		c := p.next()
		if c.kind != tOp || c.val != ")" {
			return nil, p.errAt(c.pos, `expected ")" after `+t.val+"("+inner.val)
		}
		ref.pos = t.pos
		ref.text = p.src[t.pos:c.end]
		if err := ref.setFunc(fn); err != nil {
			return nil, p.errAt(t.pos, err.Error())
		}
		return ref, nil
	}
	ref, err := p.resolve(t)
	if err != nil {
		return nil, err
	}
	if err := p.parseSlice(ref); err != nil {
		return nil, err
	}
	if p.isOp("&", "bitwise_and") {
		op := p.next()
		if ref.cls != cUint && ref.cls != cInt || ref.typ == dissect.FTAbsTime || ref.typ == dissect.FTRelTime {
			return nil, p.errAt(op.pos, `"&" needs an integer field; `+ref.name+" is "+ref.typ.String())
		}
		m := p.next()
		if m.kind != tWord && m.kind != tChar {
			return nil, p.errAt(m.pos, "expected a mask after "+quoteTok(op))
		}
		v, err := parseInt(m, ref)
		if err != nil {
			return nil, p.errAt(m.pos, err.Error())
		}
		ref.hasMask, ref.mask = true, v
		ref.text = p.src[ref.pos:m.end]
	}
	return ref, nil
}

// resolve turns a word into a field reference.
func (p *parser) resolve(t token) (*fieldRef, error) {
	if id, ok := dissect.LookupField(t.val); ok {
		return newRef(id, t), nil
	}
	if protocols()[t.val] {
		return newProtoRef(t.val, t), nil
	}
	msg := "unknown field " + strconv.Quote(t.val)
	if s := suggest(t.val); s != "" {
		msg += " (did you mean " + strconv.Quote(s) + "?)"
	} else if _, err := strconv.ParseFloat(t.val, 64); err == nil || strings.Count(t.val, ":") > 0 {
		msg = "expected a field or a protocol, not the value " + strconv.Quote(t.val)
	}
	return nil, p.errAt(t.pos, msg)
}

// parseSlice reads an optional [i:j], [i-j], [i], [:j], [i:] after a field.
func (p *parser) parseSlice(ref *fieldRef) error {
	t := p.peek()
	if t.kind != tOp || t.val != "[" {
		return nil
	}
	p.next()
	w := p.next()
	if w.kind != tWord {
		return p.errAt(w.pos, "expected a range such as 0:3, 1-2 or -1 inside [ ]")
	}
	c := p.next()
	if c.kind != tOp || c.val != "]" {
		return p.errAt(c.pos, `expected "]" to close the slice`)
	}
	s, err := parseSliceSpec(w.val)
	if err != nil {
		return p.errAt(w.pos, err.Error())
	}
	if err := ref.setSlice(s); err != nil {
		return p.errAt(t.pos, err.Error())
	}
	ref.text = p.src[ref.pos:c.end]
	return nil
}

func (p *parser) parseCompare(lhs *fieldRef, op cmpOp, opTok token) (expr, error) {
	if lhs.cls == cNone {
		return nil, p.errAt(lhs.pos, lhs.name+" is "+lhs.typ.String()+" and has no value: test its presence only")
	}
	v := p.peek()
	switch {
	case v.kind == tEOF, v.kind == tOp:
		return nil, p.errAt(v.pos, "expected a value after "+quoteTok(opTok))
	case v.kind == tWord && isKeyword(v.val):
		return nil, p.errAt(v.pos, "expected a value after "+quoteTok(opTok)+", found "+quoteTok(v))
	}
	if v.kind == tWord && isFieldName(v.val) {
		// Field-to-field comparison.
		rhs, err := p.parseOperand(false)
		if err != nil {
			return nil, err
		}
		if !comparable(lhs.cls, rhs.cls) {
			return nil, p.errAt(v.pos, "cannot compare "+lhs.text+" ("+lhs.clsName()+") with "+rhs.text+" ("+rhs.clsName()+")")
		}
		if op.ordered() && lhs.cls == cBytes && lhs.typ == dissect.FTProtocol {
			return nil, p.errAt(opTok.pos, "a protocol cannot be ordered")
		}
		x := &fieldCmpExpr{a: lhs, b: rhs, op: op}
		return p.noChain(x)
	}
	p.next()
	if op.ordered() && lhs.cls == cBytes && lhs.typ == dissect.FTProtocol && !lhs.hasSlice {
		return nil, p.errAt(opTok.pos, "a protocol cannot be ordered")
	}
	lits, err := parseLiteral(v, lhs)
	if err != nil {
		return nil, p.errAt(v.pos, err.Error())
	}
	if op.ordered() {
		for _, l := range lits {
			if l.isCIDR() {
				return nil, p.errAt(v.pos, "a network "+quoteTok(v)+" can only be tested with ==, != or in")
			}
		}
		lits = lits[:1]
	}
	return p.noChain(&cmpExpr{ref: lhs, op: op, lits: lits})
}

// noChain refuses "a == b == c", as tshark does.
func (p *parser) noChain(x expr) (expr, error) {
	t := p.peek()
	if t.kind == tOp || t.kind == tWord && isKeyword(t.val) {
		if _, ok := relOps[t.val]; ok || t.val == "contains" || t.val == "matches" || t.val == "~" || t.val == "in" {
			return nil, p.errAt(t.pos, "comparisons cannot be chained: join them with && or ||")
		}
	}
	return x, nil
}

func (p *parser) parseContains(lhs *fieldRef, opTok token) (expr, error) {
	if lhs.cls != cBytes {
		return nil, p.errAt(opTok.pos, `"contains" works on strings, byte fields and protocols; `+lhs.text+" is "+lhs.clsName())
	}
	v := p.next()
	if v.kind == tEOF || v.kind == tOp || v.kind == tWord && isKeyword(v.val) {
		return nil, p.errAt(v.pos, "expected a value after "+quoteTok(opTok))
	}
	lits, err := parseLiteral(v, lhs)
	if err != nil {
		return nil, p.errAt(v.pos, err.Error())
	}
	return p.noChain(&containsExpr{ref: lhs, needle: lits[0].b})
}

func (p *parser) parseMatches(lhs *fieldRef, opTok token) (expr, error) {
	if lhs.cls != cBytes {
		return nil, p.errAt(opTok.pos, `"matches" works on strings, byte fields and protocols; `+lhs.text+" is "+lhs.clsName())
	}
	v := p.next()
	if v.kind != tString {
		return nil, p.errAt(v.pos, "expected a quoted regular expression after "+quoteTok(opTok))
	}
	// tshark 4.0 matches case-insensitively unless the pattern says (?-i).
	re, err := regexp.Compile("(?i)" + v.val)
	if err != nil {
		msg := err.Error()
		if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "error parsing regexp") {
			msg = msg[i+2:]
		}
		return nil, p.errAt(v.pos, "bad regular expression: "+msg)
	}
	return p.noChain(&matchesExpr{ref: lhs, re: re})
}

func (p *parser) parseIn(lhs *fieldRef, opTok token) (expr, error) {
	if lhs.cls == cNone {
		return nil, p.errAt(lhs.pos, lhs.name+" is "+lhs.typ.String()+" and has no value: test its presence only")
	}
	open := p.next()
	if open.kind != tOp || open.val != "{" {
		return nil, p.errAt(open.pos, `expected "{" after `+quoteTok(opTok))
	}
	x := &inExpr{ref: lhs}
	for {
		t := p.peek()
		if t.kind == tOp && t.val == "}" {
			p.next()
			break
		}
		if t.kind == tOp && t.val == "," {
			p.next()
			continue
		}
		if t.kind == tEOF {
			return nil, p.errAt(open.pos, `the set is not closed (missing "}")`)
		}
		if t.kind == tOp || t.kind == tWord && isKeyword(t.val) {
			return nil, p.errAt(t.pos, "unexpected "+quoteTok(t)+" in a set")
		}
		p.next()
		// A range lo..hi: one word "1..10", or "1 .. 10", or "1.. 10".
		lo, hi := t, token{}
		isRange := false
		if t.kind == tWord {
			if i := strings.Index(t.val, ".."); i >= 0 {
				isRange = true
				lo = token{kind: tWord, pos: t.pos, end: t.pos + i, val: t.val[:i]}
				if rest := t.val[i+2:]; rest != "" {
					hi = token{kind: tWord, pos: t.pos + i + 2, end: t.end, val: rest}
				}
			}
		}
		if !isRange {
			if n := p.peek(); n.kind == tWord && strings.HasPrefix(n.val, "..") {
				isRange = true
				p.next()
				if rest := n.val[2:]; rest != "" {
					hi = token{kind: tWord, pos: n.pos + 2, end: n.end, val: rest}
				}
			}
		}
		if isRange && hi.kind == tEOF {
			h := p.next()
			if h.kind == tEOF || h.kind == tOp {
				return nil, p.errAt(h.pos, "expected the upper bound of the range")
			}
			hi = h
		}
		if isRange && lo.val == "" {
			return nil, p.errAt(t.pos, "expected the lower bound of the range")
		}
		los, err := parseLiteral(lo, lhs)
		if err != nil {
			return nil, p.errAt(lo.pos, err.Error())
		}
		if !isRange {
			for _, l := range los {
				x.elems = append(x.elems, setElem{lo: l})
			}
			continue
		}
		if lhs.cls == cBytes && lhs.typ == dissect.FTProtocol && !lhs.hasSlice {
			return nil, p.errAt(lo.pos, "a protocol cannot be ordered")
		}
		his, err := parseLiteral(hi, lhs)
		if err != nil {
			return nil, p.errAt(hi.pos, err.Error())
		}
		if los[0].isCIDR() || his[0].isCIDR() {
			return nil, p.errAt(lo.pos, "a range cannot have a network as a bound")
		}
		x.elems = append(x.elems, setElem{lo: los[0], hi: his[0], isRange: true})
	}
	if len(x.elems) == 0 {
		return nil, p.errAt(open.pos, "the set is empty")
	}
	return p.noChain(x)
}

func isFieldName(s string) bool {
	if _, ok := dissect.LookupField(s); ok {
		return true
	}
	return protocols()[s]
}
