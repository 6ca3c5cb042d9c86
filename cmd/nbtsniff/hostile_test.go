package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// rawHostile describes the first thing in out that must not reach a
// terminal or a log raw: a control character other than tab and line
// feed, DEL, a C1 control, a bidi control (U+061C, U+200E, U+200F,
// U+202A-U+202E, U+2066-U+2069), or a byte that is not UTF-8. "" if none.
func rawHostile(out []byte) string {
	for i := 0; i < len(out); {
		r, n := utf8.DecodeRune(out[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			return fmt.Sprintf("byte 0x%02x at %d is not UTF-8", out[i], i)
		case r < 0x20 && r != '\n' && r != '\t', r == 0x7f, r >= 0x80 && r <= 0x9f,
			r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			lo, hi := max(i-40, 0), min(i+40, len(out))
			return fmt.Sprintf("%U at %d: %q", r, i, out[lo:hi])
		}
		i += n
	}
	return ""
}

// Names, workgroups and comments from the wire carry right-to-left
// overrides, isolates, ANSI escapes, C1 controls and bytes that are not
// UTF-8 (testdata/crafted/hostile-strings.pcap, internal/crafted): every
// output mode prints them escaped, by output's one rule, and none of
// them raw. Each mode must show the hostile host name, escaped, so that
// the scan cannot pass on output that left it out.
func TestHostileStringsEscapedInEveryMode(t *testing.T) {
	const file = "../../testdata/crafted/hostile-strings.pcap"
	all := []string{"-T", "fields", "-E", "header=y", "-E", "occurrence=a"}
	for _, fi := range dissect.AllFields() {
		all = append(all, "-e", fi.Abbrev)
	}
	modes := [][]string{
		nil,
		{"-V"},
		{"-V", "-x"},
		{"-x"},
		{"-2", "-V"},
		all,
		{"-T", "json"},
		{"-T", "events"},
		{"--report"},
		{"--report=json"},
	}
	for _, m := range modes {
		name := strings.Join(m, " ")
		if len(name) > 40 {
			name = name[:40]
		}
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"--no-tui", "-r", file}, m...), strings.NewReader(""), &out, &errb)
		if code != 0 {
			t.Errorf("%s: exit %d: %s", name, code, errb.String())
		}
		for what, b := range map[string][]byte{"stdout": out.Bytes(), "stderr": errb.Bytes()} {
			if f := rawHostile(b); f != "" {
				t.Errorf("%s: %s: %s", name, what, f)
			}
		}
		// EXE.TXT after the override, escaped by the text rule or JSON's.
		if !bytes.Contains(out.Bytes(), []byte(`\xe2\x80\xaeEXE.TXT`)) && !bytes.Contains(out.Bytes(), []byte(`\u202eEXE.TXT`)) {
			t.Errorf("%s: the host name with its override is not in the output, escaped", name)
		}
	}
}
