package natsfeed

import (
	"errors"
	"testing"
)

func TestSegmentSubject(t *testing.T) {
	for _, tt := range []struct {
		in, subject string
	}{
		{"paris/lan-2", "nbtsniff.frames.paris.lan-2"},
		{"HQ/vlan_10", "nbtsniff.frames.HQ.vlan_10"},
		// Wildcards, dots and spaces from a user (or a hostname off the
		// wire) are escaped: they cannot add or widen a subject token.
		{"a.b/c", "nbtsniff.frames.a%2Eb.c"},
		{"*/>", "nbtsniff.frames.%2A.%3E"},
		{"branch office/floor 1", "nbtsniff.frames.branch%20office.floor%201"},
		{"100%/x", "nbtsniff.frames.100%25.x"},
		{"Zürich/lan", "nbtsniff.frames.Z%C3%BCrich.lan"},
	} {
		seg, err := ParseSegment(tt.in)
		if err != nil {
			t.Errorf("ParseSegment(%q): %v", tt.in, err)
			continue
		}
		if got := seg.Subject(); got != tt.subject {
			t.Errorf("%q: subject %q, want %q", tt.in, got, tt.subject)
		}
		back, err := SegmentOfSubject(tt.subject)
		if err != nil || back != seg || back.String() != tt.in {
			t.Errorf("SegmentOfSubject(%q) = %v, %v; want %q", tt.subject, back, err, tt.in)
		}
	}
}

func TestParseSegmentErrors(t *testing.T) {
	for _, in := range []string{
		"", "lab", "/x", "x/", "a/b/c", "a/b\n", "a\x1b[31m/b", "a/\xff",
		"a/0123456789012345678901234567890123456789012345678901234567890123456789",
	} {
		if seg, err := ParseSegment(in); !errors.Is(err, ErrSegment) {
			t.Errorf("ParseSegment(%q) = %v, %v; want ErrSegment", in, seg, err)
		}
	}
}

func TestSegmentOfSubjectErrors(t *testing.T) {
	for _, subj := range []string{
		"nbtsniff.frames.a",        // one token
		"nbtsniff.frames.a.b.c",    // three
		"nbtsniff.other.a.b",       // another prefix
		"nbtsniff.frames.a%2.b",    // cut escape
		"nbtsniff.frames.a%2e.b",   // lower-case hex: not canonical
		"nbtsniff.frames.%61.b",    // 'a' escaped: not canonical
		"nbtsniff.frames.a%0A.b",   // a newline
		"nbtsniff.frames.a%2F.b",   // a '/'
		"nbtsniff.frames.a~.b",     // not escaped
		"nbtsniff.frames.a%FF.b",   // not UTF-8
		"nbtsniff.frames..b",       // empty
		"nbtsniff.frames.a.%ZZ",    // not hex
		"nbtsniff.frames.%E2%80.b", // cut UTF-8
	} {
		if seg, err := SegmentOfSubject(subj); !errors.Is(err, ErrSegment) {
			t.Errorf("SegmentOfSubject(%q) = %v, %v; want ErrSegment", subj, seg, err)
		}
	}
}

func TestFilterSubject(t *testing.T) {
	for _, tt := range []struct {
		in, want string
	}{
		{"", "nbtsniff.frames.>"},
		{">", "nbtsniff.frames.>"},
		{"paris.*", "nbtsniff.frames.paris.*"},
		{"paris/*", "nbtsniff.frames.paris.*"},
		{"paris", "nbtsniff.frames.paris.*"},
		{"*.lan", "nbtsniff.frames.*.lan"},
		{"*.*", "nbtsniff.frames.*.*"},
		{"paris.>", "nbtsniff.frames.paris.>"},
		{"paris/lan 2", "nbtsniff.frames.paris.lan%202"},
		{"a.b/c", "nbtsniff.frames.a%2Eb.c"},
		{"x*/y", "nbtsniff.frames.x%2A.y"}, // '*' inside a name is a character
		{"./x", "nbtsniff.frames.%2E.x"},
	} {
		got, err := FilterSubject(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("FilterSubject(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"a.b.c", "a/b/c", ">.x", "a/\n", ">/x"} {
		if got, err := FilterSubject(in); !errors.Is(err, ErrSegment) {
			t.Errorf("FilterSubject(%q) = %q, %v; want ErrSegment", in, got, err)
		}
	}
}

// FuzzSegmentOfSubject: a subject that parses is the one and only subject
// of its segment, and the segment is a valid one.
func FuzzSegmentOfSubject(f *testing.F) {
	f.Add("nbtsniff.frames.paris.lan-2")
	f.Add("nbtsniff.frames.branch%20office.floor%201")
	f.Add("nbtsniff.frames.Z%C3%BCrich.lan")
	f.Fuzz(func(t *testing.T, subj string) {
		seg, err := SegmentOfSubject(subj)
		if err != nil {
			if !errors.Is(err, ErrSegment) {
				t.Fatalf("error %v is no ErrSegment", err)
			}
			return
		}
		if seg.Subject() != subj {
			t.Fatalf("%q parses to %v, whose subject is %q", subj, seg, seg.Subject())
		}
		if _, err := ParseSegment(seg.String()); err != nil {
			t.Fatalf("%q parses to %v: %v", subj, seg, err)
		}
	})
}
