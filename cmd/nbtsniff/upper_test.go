package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// -T fields that asks only for NBT fields skips decoding what NBT carries
// (engine.upperNeeded): on every capture its output must be what the
// full decode prints for the same fields. One more field (smb.cmd) makes
// the engine decode everything; its column is dropped before comparing.
func TestFieldsWithoutUpperLayers(t *testing.T) {
	nbt := []string{"-T", "fields", "-e", "frame.number", "-e", "tcp.stream"}
	for _, p := range []string{"nbns", "nbdgm", "nbss"} {
		for _, f := range dissect.WiresharkAbbrevs(p) {
			nbt = append(nbt, "-e", f)
		}
	}
	full := append(append([]string(nil), nbt...), "-e", "smb.cmd")
	compared := 0
	for _, c := range captureFiles(t) {
		for _, extra := range [][]string{nil, {"--tcp-give-up-holes"}} {
			var skip, all, errs bytes.Buffer
			args := append([]string{"-r", c}, extra...)
			if code := run(context.Background(), append(args, nbt...), strings.NewReader(""), &skip, &errs); code != 0 {
				t.Fatalf("%s: exit %d: %s", c, code, errs.String())
			}
			if code := run(context.Background(), append(args, full...), strings.NewReader(""), &all, &errs); code != 0 {
				t.Fatalf("%s: exit %d: %s", c, code, errs.String())
			}
			sl, al := strings.Split(skip.String(), "\n"), strings.Split(all.String(), "\n")
			if len(sl) != len(al) {
				t.Errorf("%s %v: %d lines without the layers above NBT, %d with", c, extra, len(sl), len(al))
				continue
			}
			for i := range sl {
				if j := strings.LastIndexByte(al[i], '\t'); j >= 0 {
					al[i] = al[i][:j]
				}
				if sl[i] != al[i] {
					t.Errorf("%s %v: line %d differs:\n  without: %.300s\n  with:    %.300s", c, extra, i+1, sl[i], al[i])
					break
				}
			}
			compared += len(sl)
		}
	}
	if compared == 0 {
		t.Fatal("no capture compared")
	}
}
