package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// The Ethernet and 802.1Q fields print as tshark prints them on every
// frame of every capture, NBT or not: an IEEE 802.3 frame (NetBEUI, IPX)
// has a length (eth.len) and no type, a type/length of 0 is a type.
func TestTsharkLinkFieldsDiff(t *testing.T) {
	tshark := needTshark(t)
	args := []string{"-T", "fields", "-e", "frame.number"}
	for _, f := range []string{"eth.dst", "eth.src", "eth.type", "eth.len", "vlan.id"} {
		args = append(args, "-e", f)
	}
	lengths := 0
	for _, file := range captureFiles(t) {
		fargs := append([]string{"-r", file}, args...)
		want := runTshark(t, tshark, append([]string{"-n"}, fargs...)...)
		got := runNbtsniff(t, fargs...)
		if !bytes.Equal(got, want) {
			gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
			for i := 0; i < len(gl) && i < len(wl); i++ {
				if gl[i] != wl[i] {
					t.Errorf("%s line %d:\n  nbtsniff %q\n  tshark   %q", filepath.Base(file), i+1, gl[i], wl[i])
					break
				}
			}
			continue
		}
		for _, l := range strings.Split(string(want), "\n") {
			if f := strings.Split(l, "\t"); len(f) > 4 && f[4] != "" {
				lengths++
			}
		}
	}
	if lengths == 0 {
		t.Error("no IEEE 802.3 frame in the captures: eth.len was not compared")
	}
}
