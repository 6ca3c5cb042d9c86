package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// A file that ends in a read error (not a cut: a broken block, garbage
// after the gzip stream) is printed up to the error in every mode, the
// two-pass ones (-V, -T json, -2) included, then the error follows on
// standard error and the exit status is 1. stdout and stderr share one
// buffer here, so the order is checked too: the frames, then the error.
func TestTwoPassPrintsUpToReadError(t *testing.T) {
	for _, c := range []struct {
		file   string
		frames int
		err    string
	}{
		{"bad-block-after-1000.pcapng", 1000, "after 1000 records"},
		{"trailing-garbage.pcap.gz", 240, "after 240 records: gzip: invalid header"},
	} {
		for _, mode := range []struct {
			args  []string
			frame func(line string) bool
		}{
			{[]string{"-T", "fields", "-e", "frame.number"}, func(l string) bool { return l != "" && !strings.HasPrefix(l, "nbtsniff:") }},
			{[]string{"-2", "-T", "fields", "-e", "frame.number"}, func(l string) bool { return l != "" && !strings.HasPrefix(l, "nbtsniff:") }},
			{[]string{"-V"}, func(l string) bool { return strings.HasPrefix(l, "Frame ") }},
			{[]string{"-T", "json"}, func(l string) bool { return strings.HasPrefix(l, `{"frame":`) }},
		} {
			name := c.file + " " + strings.Join(mode.args, " ")
			var out bytes.Buffer
			args := append([]string{"--no-tui", "-r", "../../testdata/crafted/" + c.file}, mode.args...)
			code := run(context.Background(), args, strings.NewReader(""), &out, &out)
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			n, errAt := 0, -1
			for i, l := range lines {
				if mode.frame(l) {
					n++
					if errAt >= 0 {
						t.Errorf("%s: frame output after the error (line %d)", name, i+1)
						break
					}
				}
				if strings.HasPrefix(l, "nbtsniff: ") && strings.Contains(l, c.err) {
					errAt = i
				}
			}
			if n != c.frames {
				t.Errorf("%s: %d frames printed, want %d", name, n, c.frames)
			}
			if errAt < 0 {
				t.Errorf("%s: no error %q in the output", name, c.err)
			}
			if code != 1 {
				t.Errorf("%s: exit %d, want 1", name, code)
			}
		}
	}
}
