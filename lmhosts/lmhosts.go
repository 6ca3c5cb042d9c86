package lmhosts

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
)

// Bounds on what Parse reads.
const (
	MaxBytes   = 1 << 20 // the whole file
	MaxEntries = 10000
	MaxLine    = 4096
	maxNotes   = 100
)

// ErrTooLarge is returned for a file over MaxBytes.
var ErrTooLarge = errors.New("lmhosts: file larger than 1 MiB")

// Entry is one name of the file.
type Entry struct {
	Line int
	Addr netip.Addr
	// Name is the NetBIOS name without its padding (upper case unless
	// quoted); Suffix is its 16th byte when the file gives it (a quoted
	// name of 16 bytes), with HasSuffix set.
	Name      string
	Suffix    byte
	HasSuffix bool
	Pre       bool   // #PRE
	MH        bool   // #MH
	Domain    string // #DOM:DOMAIN, upper case
}

// Note is a line the parser skipped or a keyword it ignored.
type Note struct {
	Line int
	Text string
}

// File is a parsed LMHOSTS file.
type File struct {
	Entries []Entry
	Notes   []Note
	// NotesDropped counts notes beyond the first 100.
	NotesDropped int
}

// Parse reads an LMHOSTS file from r (at most MaxBytes).
func Parse(r io.Reader) (*File, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("lmhosts: read: %w", err)
	}
	if len(b) > MaxBytes {
		return nil, ErrTooLarge
	}
	return ParseBytes(b), nil
}

// ParseBytes parses the bytes of an LMHOSTS file; input over MaxBytes is
// cut there with a note.
func ParseBytes(b []byte) *File {
	f := &File{}
	if len(b) > MaxBytes {
		b = b[:MaxBytes]
		f.note(0, "file cut at 1 MiB")
	}
	for n := 1; len(b) > 0; n++ {
		var line []byte
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			line, b = b, nil
		}
		if len(line) > MaxLine {
			f.note(n, "line longer than "+strconv.Itoa(MaxLine)+" bytes skipped")
			continue
		}
		f.line(n, strings.TrimRight(string(line), "\r"))
		if len(f.Entries) >= MaxEntries {
			if len(b) > 0 {
				f.note(n, "more than "+strconv.Itoa(MaxEntries)+" entries: the rest of the file is ignored")
			}
			break
		}
	}
	return f
}

func (f *File) note(line int, text string) {
	if len(f.Notes) >= maxNotes {
		f.NotesDropped++
		return
	}
	f.Notes = append(f.Notes, Note{Line: line, Text: text})
}

// line parses one line.
func (f *File) line(n int, s string) {
	t := strings.TrimSpace(s)
	if t == "" {
		return
	}
	if t[0] == '#' {
		kw := upperASCII(t)
		switch {
		case strings.HasPrefix(kw, "#INCLUDE"):
			f.note(n, "#INCLUDE ignored: the included file is not read")
		case strings.HasPrefix(kw, "#BEGIN_ALTERNATE"), strings.HasPrefix(kw, "#END_ALTERNATE"):
			f.note(n, strings.Fields(kw)[0]+" ignored")
		}
		return // a comment
	}
	addrText, rest := cut(t)
	a, err := netip.ParseAddr(addrText)
	if err != nil || !a.Is4() {
		f.note(n, "not an IPv4 address: "+strconv.Quote(addrText))
		return
	}
	e := Entry{Line: n, Addr: a}
	rest = strings.TrimLeft(rest, " \t")
	if rest == "" {
		f.note(n, "address without a name")
		return
	}
	if rest[0] == '"' {
		name, after, ok := quoted(rest[1:])
		if !ok {
			f.note(n, "unterminated quoted name or bad \\0xNN escape")
			return
		}
		if len(name) > 16 {
			f.note(n, "quoted name longer than 16 bytes")
			return
		}
		if len(name) == 16 {
			e.Suffix, e.HasSuffix = name[15], true
			name = name[:15]
		}
		e.Name = strings.TrimRight(name, " ")
		rest = after
	} else {
		var name string
		name, rest = cut(rest)
		if i := strings.IndexByte(name, '#'); i >= 0 {
			name, rest = name[:i], name[i:]+" "+rest
		}
		if len(name) > 15 {
			f.note(n, "name longer than 15 characters: "+strconv.Quote(name))
			return
		}
		e.Name = upperASCII(name)
	}
	if e.Name == "" {
		f.note(n, "empty name")
		return
	}
	f.keywords(n, rest, &e)
	f.Entries = append(f.Entries, e)
}

// keywords reads #PRE, #DOM: and #MH after the name; anything else after
// '#' is a comment.
func (f *File) keywords(n int, rest string, e *Entry) {
	for {
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" || rest[0] != '#' {
			if rest != "" {
				f.note(n, "text after the name ignored: "+strconv.Quote(rest))
			}
			return
		}
		word, after := cut(rest)
		up := upperASCII(word)
		switch {
		case up == "#PRE":
			e.Pre = true
		case up == "#MH":
			e.MH = true
		case strings.HasPrefix(up, "#DOM:") && len(up) > len("#DOM:"):
			if d := up[len("#DOM:"):]; len(d) <= 15 {
				e.Domain = d
			} else {
				f.note(n, "#DOM: domain name longer than 15 characters")
			}
		default:
			return // a comment
		}
		rest = after
	}
}

// cut splits s at its first space or tab.
func cut(s string) (word, rest string) {
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// quoted reads a quoted name after its opening quote: its bytes, with
// \0xNN escapes, and what follows the closing quote.
func quoted(s string) (name, rest string, ok bool) {
	var b []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return string(b), s[i+1:], true
		case c == '\\' && strings.HasPrefix(s[i:], `\0x`):
			if i+5 > len(s) {
				return "", "", false
			}
			v, err := strconv.ParseUint(s[i+3:i+5], 16, 8)
			if err != nil {
				return "", "", false
			}
			b = append(b, byte(v))
			i += 4
		default:
			b = append(b, c)
		}
		if len(b) > 16 {
			return string(b), "", true // too long: the caller says so
		}
	}
	return "", "", false
}

// Labels maps each address of the file to its first name (a #DOM: line's
// host name included).
func (f *File) Labels() map[netip.Addr]string {
	m := make(map[netip.Addr]string, len(f.Entries))
	for _, e := range f.Entries {
		if _, ok := m[e.Addr]; !ok {
			m[e.Addr] = e.Name
		}
	}
	return m
}

// upperASCII upper-cases ASCII letters only (names are bytes: a byte that
// is not UTF-8 stays one byte).
func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
