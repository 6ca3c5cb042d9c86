package filter

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tEOF    tokKind = iota
	tWord           // a field name, a keyword or an unquoted literal
	tString         // "..." or r"..." (Val holds the unescaped bytes)
	tChar           // 'a' (Val holds the byte)
	tOp             // an operator or punctuation (Val holds it)
)

type token struct {
	kind tokKind
	pos  int    // byte offset in the expression
	end  int    // byte offset just after the token
	val  string // word, operator, or unescaped string
}

// wordByte reports the bytes an unquoted word is made of: field names
// (nbns.flags.opcode, _ws.col.No.), numbers (0x2810, -5, 1.5), addresses
// (192.168.0.0/16, 52:54:00:4a:04:af) and bare strings (USER-PC).
func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '.' || c == ':' || c == '-' || c == '/' || c == '+' || c >= 0x80
}

// operators, longest first so that "===" wins over "==".
var operators = []string{
	"===", "!==", "==", "!=", "~=", "<=", ">=", "&&", "||",
	"<", ">", "!", "~", "&", "(", ")", "{", "}", "[", "]", ",", "=", "|", "^",
}

// lex splits the expression into tokens.
func lex(expr string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(expr) {
		c := expr[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == '"' || (c == 'r' || c == 'R') && i+1 < len(expr) && expr[i+1] == '"':
			raw := c != '"'
			start := i
			if raw {
				i++
			}
			s, end, err := lexString(expr, i, raw)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tString, pos: start, end: end, val: s})
			i = end
			continue
		case c == '\'':
			v, end, err := lexChar(expr, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tChar, pos: i, end: end, val: string([]byte{v})})
			i = end
			continue
		case wordByte(c):
			start := i
			for i < len(expr) && wordByte(expr[i]) {
				i++
			}
			w := expr[start:i]
			if !utf8.ValidString(w) {
				return nil, &SyntaxError{Expr: expr, Pos: start, Msg: "invalid UTF-8 in the expression"}
			}
			toks = append(toks, token{kind: tWord, pos: start, end: i, val: w})
			continue
		}
		found := false
		for _, op := range operators {
			if strings.HasPrefix(expr[i:], op) {
				toks = append(toks, token{kind: tOp, pos: i, end: i + len(op), val: op})
				i += len(op)
				found = true
				break
			}
		}
		if !found {
			r, _ := utf8.DecodeRuneInString(expr[i:])
			return nil, &SyntaxError{Expr: expr, Pos: i, Msg: "unexpected character " + strconv.QuoteRune(r)}
		}
	}
	toks = append(toks, token{kind: tEOF, pos: len(expr), end: len(expr)})
	return toks, nil
}

// lexString reads a double-quoted string starting at expr[i] == '"'. Escapes
// (not in raw strings): \\ \" \' \a \b \f \n \r \t \v, \xHH, \ooo (octal),
// \uXXXX and \UXXXXXXXX, as in Wireshark's display filters.
func lexString(expr string, i int, raw bool) (string, int, error) {
	start := i
	i++ // the quote
	var b []byte
	for i < len(expr) {
		c := expr[i]
		if c == '"' {
			return string(b), i + 1, nil
		}
		if c != '\\' {
			b = append(b, c)
			i++
			continue
		}
		if raw {
			// A raw string keeps the backslash; \" still does not end it.
			if i+1 < len(expr) {
				b = append(b, c, expr[i+1])
				i += 2
				continue
			}
			break
		}
		v, n, err := unescape(expr, i)
		if err != nil {
			return "", 0, err
		}
		b = append(b, v...)
		i += n
	}
	return "", 0, &SyntaxError{Expr: expr, Pos: start, Msg: "the string is not closed (missing \")"}
}

// unescape decodes one escape sequence at expr[i] == '\\' and returns its
// bytes and length.
func unescape(expr string, i int) ([]byte, int, error) {
	bad := func(msg string) ([]byte, int, error) {
		return nil, 0, &SyntaxError{Expr: expr, Pos: i, Msg: msg}
	}
	if i+1 >= len(expr) {
		return bad("a backslash ends the string")
	}
	c := expr[i+1]
	switch c {
	case '\\', '"', '\'':
		return []byte{c}, 2, nil
	case 'a':
		return []byte{7}, 2, nil
	case 'b':
		return []byte{8}, 2, nil
	case 'f':
		return []byte{12}, 2, nil
	case 'n':
		return []byte{'\n'}, 2, nil
	case 'r':
		return []byte{'\r'}, 2, nil
	case 't':
		return []byte{'\t'}, 2, nil
	case 'v':
		return []byte{11}, 2, nil
	case 'x':
		n := 0
		v := 0
		for n < 2 && i+2+n < len(expr) && isHex(expr[i+2+n]) {
			v = v<<4 | hexVal(expr[i+2+n])
			n++
		}
		if n == 0 {
			return bad(`\x needs one or two hex digits`)
		}
		return []byte{byte(v)}, 2 + n, nil
	case 'u', 'U':
		want := 4
		if c == 'U' {
			want = 8
		}
		if i+2+want > len(expr) {
			return bad(`\` + string(c) + ` needs ` + strconv.Itoa(want) + ` hex digits`)
		}
		v, err := strconv.ParseUint(expr[i+2:i+2+want], 16, 32)
		if err != nil || v > utf8.MaxRune {
			return bad(`\` + string(c) + ` needs ` + strconv.Itoa(want) + ` hex digits`)
		}
		return utf8.AppendRune(nil, rune(v)), 2 + want, nil
	}
	if c >= '0' && c <= '7' {
		n := 0
		v := 0
		for n < 3 && i+1+n < len(expr) && expr[i+1+n] >= '0' && expr[i+1+n] <= '7' {
			v = v<<3 | int(expr[i+1+n]-'0')
			n++
		}
		if v > 0xff {
			return bad("octal escape above \\377")
		}
		return []byte{byte(v)}, 1 + n, nil
	}
	return bad(`unknown escape \` + string(c))
}

// lexChar reads a character constant: 'a', '\n', '\x41', '\101'.
func lexChar(expr string, i int) (byte, int, error) {
	bad := &SyntaxError{Expr: expr, Pos: i, Msg: "a character constant is one character between single quotes"}
	if i+2 >= len(expr) {
		return 0, 0, bad
	}
	if expr[i+1] == '\\' {
		v, n, err := unescape(expr, i+1)
		if err != nil {
			return 0, 0, err
		}
		if len(v) != 1 || i+1+n >= len(expr) || expr[i+1+n] != '\'' {
			return 0, 0, bad
		}
		return v[0], i + 2 + n, nil
	}
	if expr[i+2] != '\'' || expr[i+1] >= 0x80 {
		return 0, 0, bad
	}
	return expr[i+1], i + 3, nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}
