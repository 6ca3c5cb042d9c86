package filter

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// SyntaxError is a display filter that does not compile: a parse error, an
// unknown field, a value that does not fit the field. Pos is the byte offset
// in Expr where the problem starts.
type SyntaxError struct {
	Expr string
	Pos  int
	Msg  string
}

// Column is the 1-based column (in characters) of Pos.
func (e *SyntaxError) Column() int {
	p := e.Pos
	if p > len(e.Expr) {
		p = len(e.Expr)
	}
	if p < 0 {
		p = 0
	}
	return utf8.RuneCountInString(e.Expr[:p]) + 1
}

// Error reads `filter: column 12: expected a value after "=="`.
func (e *SyntaxError) Error() string {
	return "filter: column " + strconv.Itoa(e.Column()) + ": " + e.Msg
}

// Caret renders the expression and, on the next line, a caret under the
// column of the error (tabs are kept so the caret lines up):
//
//	nbns.flags.opcode == && nbns
//	                     ^
func (e *SyntaxError) Caret() string {
	var b strings.Builder
	// Never print control characters of the expression raw.
	for _, r := range e.Expr {
		if r < 0x20 && r != '\t' || r == 0x7f {
			r = ' '
		}
		b.WriteRune(r)
	}
	b.WriteByte('\n')
	col := 0
	for _, r := range e.Expr {
		if col == e.Column()-1 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		col++
	}
	b.WriteByte('^')
	return b.String()
}
