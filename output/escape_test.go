package output_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/nbtsniff/nbtsniff/output"
)

func TestAppendEscaped(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"WORKGROUP<1d>", "WORKGROUP<1d>"},
		// tshark 4.0.17 -T fields, crafted host announcement: tab, LF and
		// CR become \t \n \r; backslash and quotes stay as they are.
		{"TAB\tNL\nCR\r", `TAB\tNL\nCR\r`},
		{`a\"b'c`, `a\"b'c`},
		// Other controls (tshark prints them raw): \xNN.
		{"\x00\x01\x02__MSBROWSE__\x02\x01", `\x00\x01\x02__MSBROWSE__\x02\x01`},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"del\x7f", `del\x7f`},
		// Valid UTF-8 is kept (tshark turns a comment's high bytes into
		// U+FFFD at decode time; that replacement is kept too).
		{"café ☺ \ufffd", "café ☺ \ufffd"},
		// C1 controls (U+009B is CSI) and bidi overrides: escaped per byte.
		{"a\u009b31mb", `a\xc2\x9b31mb`},
		{"evil\u202etxt.exe", `evil\xe2\x80\xaetxt.exe`},
		{"\u2066x\u2069", `\xe2\x81\xa6x\xe2\x81\xa9`},
		// Every other bidi control: LRM, RLM, ALM.
		{"\u200ea\u200fb\u061cc", `\xe2\x80\x8ea\xe2\x80\x8fb\xd8\x9cc`},
		// Invalid UTF-8 (an OEM code page name, a lone continuation byte,
		// an overlong encoding, a surrogate, a truncated sequence).
		{"M\x81LLER", `M\x81LLER`},
		{"\x80", `\x80`},
		{"\xc0\xaf", `\xc0\xaf`},
		{"\xed\xa0\x80", `\xed\xa0\x80`},
		{"ab\xe2\x82", `ab\xe2\x82`},
		{"\xff\xfe", `\xff\xfe`},
	}
	for _, tt := range tests {
		if got := string(output.AppendEscaped(nil, []byte(tt.in))); got != tt.want {
			t.Errorf("AppendEscaped(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := string(output.AppendEscapedString(nil, tt.in)); got != tt.want {
			t.Errorf("AppendEscapedString(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAppendEscapedAllocs(t *testing.T) {
	in := []byte("\x01\x02__MSBROWSE__\x02\x01 caf\xc3\xa9 \xff")
	buf := make([]byte, 0, 128)
	if a := testing.AllocsPerRun(100, func() { buf = output.AppendEscaped(buf[:0], in) }); a != 0 {
		t.Errorf("AppendEscaped allocates %.1f times", a)
	}
}

// checkEscaped is the property every text mode relies on.
func checkEscaped(t *testing.T, in, out []byte) {
	t.Helper()
	if !utf8.Valid(out) {
		t.Fatalf("AppendEscaped(%q) = %q: not valid UTF-8", in, out)
	}
	for _, r := range string(out) {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 ||
			r == 0x061c || r == 0x200e || r == 0x200f {
			t.Fatalf("AppendEscaped(%q) = %q: contains %U", in, out, r)
		}
	}
	// Nothing is lost: printable ASCII input comes out unchanged.
	plain := true
	for _, c := range in {
		if c < 0x20 || c >= 0x7f {
			plain = false
		}
	}
	if plain && !bytes.Equal(in, out) {
		t.Fatalf("AppendEscaped(%q) = %q: printable ASCII changed", in, out)
	}
}

func FuzzAppendEscaped(f *testing.F) {
	// Seeds: real names from the corpus and the crafted strings above.
	for _, s := range []string{
		"\x01\x02__MSBROWSE__\x02\x01", // c2 capture, __MSBROWSE__<01> registration
		"WORKGROUP<1d> (Local Master Browser)",
		"USER-PC",
		"A\x01\x1b\x7f\x80\xe9\\\"\t\xc3\xa9Z",
		"caf\xc3\xa9 \xf0\x9f\x98\x80 end",
		"\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80 x",
		"\u202e\u009b",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out := output.AppendEscaped(nil, in)
		checkEscaped(t, in, out)
		if s := output.AppendEscapedString([]byte("x"), string(in)); !bytes.Equal(s[1:], out) {
			t.Fatalf("AppendEscapedString(%q) = %q, AppendEscaped = %q", in, s[1:], out)
		}
		// The JSON writer's strings must always parse back.
		var v string
		js := output.AppendJSONStringForTest(nil, in)
		if err := json.Unmarshal(js, &v); err != nil {
			t.Fatalf("JSON string %s of %q does not parse: %v", js, in, err)
		}
		if utf8.Valid(in) && v != string(in) {
			t.Fatalf("JSON string %s of valid UTF-8 %q reads back as %q", js, in, v)
		}
	})
}
