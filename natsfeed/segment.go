package natsfeed

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SubjectPrefix is the first two tokens of every frame subject: a segment
// SITE/NAME publishes on SubjectPrefix.SITE.NAME.
const SubjectPrefix = "nbtsniff.frames"

// MaxTokenLen is the longest site or segment name, in bytes, before
// escaping.
const MaxTokenLen = 64

// ErrSegment is wrapped by every error about a segment name, a segment
// pattern or a frame subject.
var ErrSegment = errors.New("bad segment")

// Segment names one broadcast segment: a site and a subnet name within it,
// written SITE/NAME. Both are free text (UTF-8, no control characters, no
// '/', at most MaxTokenLen bytes); in a NATS subject they are escaped (see
// Subject), so no name can add, split or wildcard a subject token.
type Segment struct {
	Site, Name string
}

// ParseSegment parses "SITE/NAME".
func ParseSegment(s string) (Segment, error) {
	site, name, ok := strings.Cut(s, "/")
	if !ok {
		return Segment{}, fmt.Errorf("%w %q: want SITE/NAME", ErrSegment, s)
	}
	seg := Segment{Site: site, Name: name}
	if err := seg.validate(); err != nil {
		return Segment{}, err
	}
	return seg, nil
}

func (s Segment) validate() error {
	for _, t := range []string{s.Site, s.Name} {
		if err := checkToken(t); err != nil {
			return fmt.Errorf("%w %q: %s", ErrSegment, s.String(), err)
		}
	}
	return nil
}

// checkToken says what is wrong with a site or segment name, or nil.
func checkToken(t string) error {
	switch {
	case t == "":
		return errors.New("empty name")
	case len(t) > MaxTokenLen:
		return fmt.Errorf("name longer than %d bytes", MaxTokenLen)
	case !utf8.ValidString(t):
		return errors.New("not UTF-8")
	case strings.ContainsRune(t, '/'):
		return errors.New("'/' inside a name")
	}
	for _, r := range t {
		if unicode.IsControl(r) {
			return errors.New("control character")
		}
	}
	return nil
}

// String returns "SITE/NAME", the segment's label.
func (s Segment) String() string { return s.Site + "/" + s.Name }

// Subject returns the NATS subject of the segment's frames:
// SubjectPrefix + "." + escape(Site) + "." + escape(Name).
func (s Segment) Subject() string {
	return SubjectPrefix + "." + escapeToken(s.Site) + "." + escapeToken(s.Name)
}

// plain reports whether b stands for itself in a subject token; every
// other byte, '%' included, is written %XX (upper-case hex).
func plain(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' || b == '_'
}

func escapeToken(t string) string {
	n := 0
	for i := 0; i < len(t); i++ {
		if !plain(t[i]) {
			n++
		}
	}
	if n == 0 {
		return t
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(t)+2*n)
	for i := 0; i < len(t); i++ {
		c := t[i]
		if plain(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}

// unescapeToken reverses escapeToken. It accepts only the canonical form
// (upper-case hex, plain bytes never escaped), so one name has one subject.
func unescapeToken(t string) (string, error) {
	if !strings.Contains(t, "%") {
		for i := 0; i < len(t); i++ {
			if !plain(t[i]) {
				return "", fmt.Errorf("byte %#02x not escaped", t[i])
			}
		}
		return t, nil
	}
	b := make([]byte, 0, len(t))
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case plain(c):
			b = append(b, c)
		case c == '%' && i+2 < len(t) && upperHex(t[i+1]) >= 0 && upperHex(t[i+2]) >= 0:
			v := byte(upperHex(t[i+1])<<4 | upperHex(t[i+2]))
			if plain(v) {
				return "", fmt.Errorf("%q escaped", v)
			}
			b = append(b, v)
			i += 2
		default:
			return "", fmt.Errorf("bad escape at byte %d", i)
		}
	}
	return string(b), nil
}

func upperHex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// SegmentOfSubject parses a frame subject back into its segment. Subjects
// come from the server (anyone allowed to publish there may have chosen
// them), so this is as strict as ParseSegment.
func SegmentOfSubject(subject string) (Segment, error) {
	rest, ok := strings.CutPrefix(subject, SubjectPrefix+".")
	if !ok {
		return Segment{}, fmt.Errorf("%w: subject %q outside %s", ErrSegment, subject, SubjectPrefix)
	}
	site, name, ok := strings.Cut(rest, ".")
	if !ok || strings.Contains(name, ".") {
		return Segment{}, fmt.Errorf("%w: subject %q: want %s.SITE.NAME", ErrSegment, subject, SubjectPrefix)
	}
	var seg Segment
	var err error
	if seg.Site, err = unescapeToken(site); err != nil {
		return Segment{}, fmt.Errorf("%w: subject %q: site: %s", ErrSegment, subject, err)
	}
	if seg.Name, err = unescapeToken(name); err != nil {
		return Segment{}, fmt.Errorf("%w: subject %q: name: %s", ErrSegment, subject, err)
	}
	if err := seg.validate(); err != nil {
		return Segment{}, err
	}
	return seg, nil
}

// FilterSubject turns a --segments pattern into the NATS filter subject of
// the frames it selects. A pattern is one or two tokens separated by '/'
// or, when it has no '/', by '.': SITE.NAME, SITE.* (every segment of a
// site), *.NAME, *.* or > (everything). A single token other than > stands
// for a whole site (SITE means SITE.*). '*' and '>' are wildcards only as
// whole tokens ('>' last only); any other token is a name, escaped as
// in Subject.
func FilterSubject(pattern string) (string, error) {
	if pattern == "" || pattern == ">" {
		return SubjectPrefix + ".>", nil
	}
	sep := "."
	if strings.Contains(pattern, "/") {
		sep = "/"
	}
	toks := strings.Split(pattern, sep)
	if len(toks) == 1 {
		toks = append(toks, "*")
	}
	if len(toks) > 2 {
		return "", fmt.Errorf("%w pattern %q: want SITE%sNAME, either may be *", ErrSegment, pattern, sep)
	}
	out := SubjectPrefix
	for i, t := range toks {
		switch {
		case t == "*":
		case t == ">":
			if i != len(toks)-1 {
				return "", fmt.Errorf("%w pattern %q: '>' must be last", ErrSegment, pattern)
			}
		default:
			if err := checkToken(t); err != nil {
				return "", fmt.Errorf("%w pattern %q: %s", ErrSegment, pattern, err)
			}
			t = escapeToken(t)
		}
		out += "." + t
	}
	return out, nil
}
