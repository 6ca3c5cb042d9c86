package dissect_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// nameLabel first-level encodes a 16-byte name as a 32-byte label with its
// length byte (RFC 1001 §14.1).
func nameLabel(s string, suffix byte) []byte {
	b := []byte{32}
	return dissect.EncodeName(b, dissect.MakeName(s, suffix))
}

// rawLabel is a label with its length byte.
func rawLabel(s string) []byte { return append([]byte{byte(len(s))}, s...) }

// Names built to RFC 1001 §14 / RFC 1002 §4.1, each followed by the root
// label. Expected strings are tshark 4.0.17's nbns.name for the same bytes
// in a name query (frames built with the same bytes, read with
// `tshark -T fields -e nbns.name`), or the RFC's decoding.
func TestDecodeNameDisplay(t *testing.T) {
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	rep := func(s string, n int) string { return strings.Repeat(s, n) }
	tests := []struct {
		name      string
		wire      []byte
		want      string // AppendWithScope: nbns.name
		base      string // AppendString: without the scope
		valid     bool
		badNibble int
		short     bool
		long      bool
		scope     string
	}{
		{"workstation", cat(nameLabel("XYKON-2", 0x00), []byte{0}), "XYKON-2<00>", "XYKON-2<00>", true, -1, false, false, ""},
		{"local master browser", cat(nameLabel("WORKGROUP", 0x1d), []byte{0}), "WORKGROUP<1d>", "WORKGROUP<1d>", true, -1, false, false, ""},
		// nbns-winxp-nbstat-response_wanderview.pcap frame 1 names it
		// "<01><02>__MSBROWSE__<02><01>".
		{"msbrowse", cat([]byte{32}, dissect.EncodeName(nil, [16]byte{1, 2, '_', '_', 'M', 'S', 'B', 'R', 'O', 'W', 'S', 'E', '_', '_', 2, 1}), []byte{0}),
			"<01><02>__MSBROWSE__<02><01>", "<01><02>__MSBROWSE__<02><01>", true, -1, false, false, ""},
		// nbns-winxp-registration-negative-response_wanderview.pcap frame 1:
		// "VMWINXP<20>.example.com".
		{"scope", cat(nameLabel("VMWINXP", 0x20), rawLabel("example"), rawLabel("com"), []byte{0}),
			"VMWINXP<20>.example.com", "VMWINXP<20>", true, -1, false, false, "example.com"},
		{"one-label scope", cat(nameLabel("FOO", 0x00), rawLabel("SCOPE"), []byte{0}), "FOO<00>.SCOPE", "FOO<00>", true, -1, false, false, "SCOPE"},
		// tshark keeps a name of 15 spaces as it is: it looks at no more
		// than 15 trailing characters and finds no other one.
		{"all spaces", cat([]byte{32}, []byte(rep("CA", 15)+"AA"), []byte{0}), rep(" ", 15) + "<00>", rep(" ", 15) + "<00>", true, -1, false, false, ""},
		{"control characters", cat([]byte{32}, []byte(rep("AB", 16)), []byte{0}), rep("<01>", 16), rep("<01>", 16), true, -1, false, false, ""},
		// 'Q'..'Z' are bad half-bytes; tshark decodes them anyway:
		// ('Q'-'A')<<4 | ('Z'-'A') = 0x100|0x19 -> 0x19.
		{"bad half-byte Q..Z", cat([]byte{32}, []byte("QZ"+rep("EG", 15)), []byte{0}), "<19>FFFFFFFFFFFFFF<46>", "<19>FFFFFFFFFFFFFF<46>", false, 0, false, false, ""},
		{"bad half-byte 1st", cat([]byte{32}, []byte("a"+rep("A", 31)), []byte{0}),
			"Illegal NetBIOS name (1st character not between A and Z in first-level encoding)", "Illegal NetBIOS name (1st character not between A and Z in first-level encoding)", false, 0, false, false, ""},
		{"bad half-byte 2nd", cat([]byte{32}, []byte("E1"+rep("A", 30)), []byte{0}),
			"Illegal NetBIOS name (2nd character not between A and Z in first-level encoding)", "Illegal NetBIOS name (2nd character not between A and Z in first-level encoding)", false, 1, false, false, ""},
		{"15 pairs", cat([]byte{30}, []byte(rep("EG", 15)), []byte{0}), "Illegal NetBIOS name (15 bytes long)", "Illegal NetBIOS name (15 bytes long)", false, -1, true, false, ""},
		{"odd length", cat([]byte{31}, []byte(rep("EG", 15)+"E"), []byte{0}), "Illegal NetBIOS name (odd number of bytes)", "Illegal NetBIOS name (odd number of bytes)", false, -1, true, false, ""},
		// tshark keeps the first 16 of 17 pairs and calls the name valid.
		{"17 pairs", cat([]byte{34}, []byte(rep("EG", 17)), []byte{0}), "FFFFFFFFFFFFFFF<46>", "FFFFFFFFFFFFFFF<46>", false, -1, true, false, ""},
		// A dot inside the label ends the name for tshark (it decodes the
		// dotted string).
		{"dot in label", cat([]byte{32}, []byte("EGEGEG.GEGEGEGEGEGEGEGEGEGEGEGEG"), []byte{0}), "Illegal NetBIOS name (3 bytes long)", "Illegal NetBIOS name (3 bytes long)", false, 6, false, false, ""},
		{"zero-length", []byte{0}, "Illegal NetBIOS name (1st character not between A and Z in first-level encoding)",
			"Illegal NetBIOS name (1st character not between A and Z in first-level encoding)", false, -1, true, false, ""},
		// 32 + 3*64 + 29 = 253 characters in dotted form: the longest kept.
		{"253 characters", cat(nameLabel("F", 0x46), rawLabel(rep("a", 63)), rawLabel(rep("b", 63)), rawLabel(rep("c", 63)), rawLabel(rep("d", 28)), []byte{0}),
			"F<46>." + rep("a", 63) + "." + rep("b", 63) + "." + rep("c", 63) + "." + rep("d", 28), "F<46>", true, -1, false, false,
			rep("a", 63) + "." + rep("b", 63) + "." + rep("c", 63) + "." + rep("d", 28)},
		{"254 characters", cat(nameLabel("F", 0x46), rawLabel(rep("a", 63)), rawLabel(rep("b", 63)), rawLabel(rep("c", 63)), rawLabel(rep("d", 29)), []byte{0}),
			"Illegal NetBIOS name (1st character not between A and Z in first-level encoding)", "Illegal NetBIOS name (1st character not between A and Z in first-level encoding)", false, -1, false, true,
			rep("a", 63) + "." + rep("b", 63) + "." + rep("c", 63) + "." + rep("d", 29)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var n dissect.Name
			next, err := dissect.DecodeName("nbns", tc.wire, 0, &n)
			if err != nil {
				t.Fatalf("DecodeName: %v", err)
			}
			if next != len(tc.wire) {
				t.Errorf("next = %d, want %d", next, len(tc.wire))
			}
			if got := string(n.AppendWithScope(nil)); got != tc.want {
				t.Errorf("AppendWithScope = %q, want %q", got, tc.want)
			}
			if got := string(n.AppendString(nil)); got != tc.base {
				t.Errorf("AppendString = %q, want %q", got, tc.base)
			}
			if n.Valid() != tc.valid || n.BadNibble != tc.badNibble || n.Short != tc.short || n.Long != tc.long {
				t.Errorf("Valid %v BadNibble %d Short %v Long %v, want %v %d %v %v", n.Valid(), n.BadNibble, n.Short, n.Long, tc.valid, tc.badNibble, tc.short, tc.long)
			}
			if got := string(n.ScopeID()); got != tc.scope {
				t.Errorf("ScopeID = %q, want %q", got, tc.scope)
			}
			if len(tc.wire) > 1 && !bytes.Equal(n.Encoded, tc.wire[1:1+tc.wire[0]]) {
				t.Errorf("Encoded = %q, want the raw first label", n.Encoded)
			}
		})
	}
}

func TestNameValueCopyKeepsScope(t *testing.T) {
	wire := bytes.Join([][]byte{nameLabel("HOST", 0x20), rawLabel("corp"), rawLabel("example"), rawLabel("com"), {0}}, nil)
	var n dissect.Name
	if _, err := dissect.DecodeName("nbns", wire, 0, &n); err != nil {
		t.Fatal(err)
	}
	c := n
	// Reuse the original for another name: the copy must not change.
	if _, err := dissect.DecodeName("nbns", append(nameLabel("OTHER", 0), rawLabel("x.y")...), 0, &n); err == nil {
		t.Fatal("want an error for a name without its terminating label")
	}
	other := bytes.Join([][]byte{nameLabel("OTHER", 0), rawLabel("zz"), rawLabel("yy"), {0}}, nil)
	if _, err := dissect.DecodeName("nbns", other, 0, &n); err != nil {
		t.Fatal(err)
	}
	if got := string(c.ScopeID()); got != "corp.example.com" {
		t.Errorf("copy ScopeID = %q, want corp.example.com", got)
	}
	if got := c.String(); got != "HOST<20>.corp.example.com" {
		t.Errorf("copy String = %q", got)
	}
	if got := string(c.Base()); got != "HOST" || c.Suffix() != 0x20 {
		t.Errorf("Base %q Suffix %#x", got, c.Suffix())
	}
}

// Pointers (RFC 1002 §4.1, RFC 1035 §4.1.4): followed, bounded, never a hang.
func TestDecodeNameErrors(t *testing.T) {
	good := nameLabel("FOO", 0)
	tests := []struct {
		name   string
		msg    []byte
		off    int
		is     error
		detail string
	}{
		{"pointer to itself", []byte{0xc0, 0x00}, 0, dissect.ErrMalformed, "label pointer loop"},
		{"two pointers looping", []byte{0xc0, 0x02, 0xc0, 0x00}, 0, dissect.ErrMalformed, "label pointer loop"},
		{"label then loop", append(append([]byte{}, good...), 0xc0, byte(len(good))), 0, dissect.ErrMalformed, "label pointer loop"},
		{"pointer past the end", []byte{0xc0, 0x40}, 0, dissect.ErrMalformed, "points past the end of the message"},
		{"pointer to an empty name", []byte{0, 0xc0, 0x00}, 1, dissect.ErrMalformed, "pointer to an empty name"},
		{"reserved label type 0x40", []byte{0x41, 0x08, 0}, 0, dissect.ErrMalformed, "reserved label type"},
		{"reserved label type 0x80", []byte{0x80, 0}, 0, dissect.ErrMalformed, "reserved label type"},
		{"empty message", nil, 0, dissect.ErrTruncated, ""},
		{"label cut short", good[:20], 0, dissect.ErrTruncated, ""},
		{"no root label", good, 0, dissect.ErrTruncated, ""},
		{"pointer cut short", []byte{0xc0}, 0, dissect.ErrTruncated, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var n dissect.Name
			_, err := dissect.DecodeName("nbns", tc.msg, tc.off, &n)
			if !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
			var de *dissect.DecodeError
			if !errors.As(err, &de) || de.Proto != "nbns" {
				t.Fatalf("err %v is not an nbns DecodeError", err)
			}
			if tc.detail != "" && de.Detail != tc.detail {
				t.Errorf("detail = %q, want %q", de.Detail, tc.detail)
			}
		})
	}
}

// A chain of MaxNameHops pointers is followed; one more is a loop.
func TestDecodeNameHopBound(t *testing.T) {
	chain := func(hops int) []byte {
		msg := append([]byte{}, nameLabel("FOO", 0)...)
		msg = append(msg, 0)
		// pointer k points to pointer k-1; the first points to the name.
		prev := 0
		for k := 0; k < hops; k++ {
			at := len(msg)
			msg = append(msg, 0xc0|byte(prev>>8), byte(prev))
			prev = at
		}
		return msg
	}
	var n dissect.Name
	msg := chain(dissect.MaxNameHops)
	if _, err := dissect.DecodeName("nbns", msg, len(msg)-2, &n); err != nil {
		t.Fatalf("%d hops: %v", dissect.MaxNameHops, err)
	}
	if got := n.String(); got != "FOO<00>" {
		t.Errorf("name = %q", got)
	}
	msg = chain(dissect.MaxNameHops + 1)
	if _, err := dissect.DecodeName("nbns", msg, len(msg)-2, &n); !errors.Is(err, dissect.ErrMalformed) {
		t.Fatalf("%d hops: err = %v, want a loop error", dissect.MaxNameHops+1, err)
	}
}

// tshark 4.0's packet-netbios.c nb_name_type_vals.
func TestNameSuffixMeaning(t *testing.T) {
	for _, tc := range []struct {
		suffix byte
		want   string
	}{
		{0x00, "Workstation/Redirector"}, {0x01, "Browser"}, {0x03, "Messenger service/Main name"},
		{0x1b, "Domain Master Browser"}, {0x1c, "Domain Controllers"}, {0x1d, "Local Master Browser"},
		{0x1e, "Browser Election Service"}, {0x1f, "Net DDE Service"}, {0x20, "Server service"},
		{0xbf, "Network Monitor Analyzer"}, {0x7f, "Unknown"},
	} {
		for _, g := range []bool{false, true} {
			if got := dissect.NameSuffixMeaning(tc.suffix, g); got != tc.want {
				t.Errorf("NameSuffixMeaning(%#x, %v) = %q, want %q", tc.suffix, g, got, tc.want)
			}
		}
	}
}

func TestEncodeMakeNameRoundTrip(t *testing.T) {
	raw := dissect.MakeName("WORKGROUP", 0x1d)
	if string(raw[:15]) != "WORKGROUP      " || raw[15] != 0x1d {
		t.Fatalf("MakeName = %q", raw)
	}
	enc := dissect.EncodeName(nil, raw)
	// RFC 1001 §14.1: 'W' = 0x57 -> "FH".
	if string(enc[:2]) != "FH" || len(enc) != 32 {
		t.Fatalf("EncodeName = %q", enc)
	}
	var n dissect.Name
	if _, err := dissect.DecodeName("nbns", append(append([]byte{32}, enc...), 0), 0, &n); err != nil {
		t.Fatal(err)
	}
	if n.Raw != raw || !n.Valid() {
		t.Errorf("decoded %q valid %v", n.Raw, n.Valid())
	}
}

// DecodeName's usual name (one 32-byte label, no scope) is what its loop
// makes of the same bytes reached through a label pointer (which the
// shortcut does not take): valid labels, and labels with a byte that is
// no half-byte at each position, cut short by the message's end or
// followed by a scope.
func TestDecodeNameUsualIsTheLoop(t *testing.T) {
	label := dissect.EncodeName(nil, dissect.MakeName("VMWINXP", 0x1b))
	var labels [][]byte
	labels = append(labels, label, dissect.EncodeName(nil, [16]byte{0, 0xff, 0x80, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}))
	for i := range label {
		for _, c := range []byte{'Q', 'Z', 'a', '@', 0x80, 0xc1, 0} {
			l := append([]byte{}, label...)
			l[i] = c
			labels = append(labels, l)
		}
	}
	for _, l := range labels {
		for _, tail := range [][]byte{{0}, {}, {3, 'c', 'o', 'm', 0}} {
			name := append(append([]byte{32}, l...), tail...)
			msg := append([]byte{0xc0, 2}, name...) // a pointer to the name at 2, read by the loop
			var fast, loop dissect.Name
			next, err := dissect.DecodeName("nbns", msg, 2, &fast)
			lnext, lerr := dissect.DecodeName("nbns", msg, 0, &loop)
			if (err == nil) != (lerr == nil) || err == nil && (next != len(msg) || lnext != 2 || fast.Raw != loop.Raw ||
				string(fast.Encoded) != string(loop.Encoded) || string(fast.ScopeID()) != string(loop.ScopeID()) ||
				fast.BadNibble != loop.BadNibble || fast.Short != loop.Short || fast.Long != loop.Long || fast.Extended != loop.Extended) {
				t.Fatalf("% x: at the name %+v (%d, %v), through a pointer %+v (%d, %v)", name, fast, next, err, loop, lnext, lerr)
			}
		}
	}
}
