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

// lowerFields are the frame, IPv4, UDP and TCP fields compared with tshark
// on every IPv4 frame of every capture.
var lowerFields = []string{
	"frame.number", "frame.time", "frame.time_epoch", "frame.time_relative", "frame.time_delta",
	"frame.len", "frame.cap_len", "eth.addr", "eth.src.oui", "eth.dst.oui", "eth.addr.oui",
	"eth.dst.ig", "eth.src.lg", "eth.ig", "eth.lg",
	"ip.addr", "ip.src", "ip.dst", "ip.version", "ip.hdr_len", "ip.dsfield", "ip.dsfield.dscp",
	"ip.dsfield.ecn", "ip.len", "ip.id", "ip.flags", "ip.flags.rb", "ip.flags.df", "ip.flags.mf",
	"ip.frag_offset", "ip.ttl", "ip.proto", "ip.checksum", "ip.checksum.status",
	"udp.port", "udp.srcport", "udp.dstport", "udp.length", "udp.checksum", "udp.checksum.status",
	"udp.payload", "tcp.port", "tcp.srcport", "tcp.dstport", "tcp.stream", "tcp.len", "tcp.seq",
	"tcp.seq_raw", "tcp.nxtseq", "tcp.ack", "tcp.ack_raw", "tcp.hdr_len", "tcp.flags",
	"tcp.flags.res", "tcp.flags.ae", "tcp.flags.cwr", "tcp.flags.ece", "tcp.flags.urg",
	"tcp.flags.ack", "tcp.flags.push", "tcp.flags.reset", "tcp.flags.syn", "tcp.flags.fin",
	"tcp.flags.str", "tcp.window_size_value", "tcp.checksum", "tcp.checksum.status",
	"tcp.urgent_pointer", "tcp.payload",
}

// The lower layers' fields print as tshark prints them on every IPv4
// frame of every capture, except those tshark sees inside an ICMP error
// (nbtsniff does not decode ICMP: the quoted header is not a second IP
// layer there), which are counted, and the fuzzed capture, whose broken
// IP and TCP headers the two decoders reject differently (a frame tshark
// takes for TCP renumbers every tcp.stream after it): it is named in the
// log, not compared.
func TestTsharkLowerFieldsDiff(t *testing.T) {
	tshark := needTshark(t)
	args := []string{"-T", "fields", "-E", "occurrence=a"}
	for _, f := range lowerFields {
		args = append(args, "-e", f)
	}
	compared, icmp := 0, 0
	for _, file := range captureFiles(t) {
		if strings.HasPrefix(filepath.Base(file), "malformed-fuzzed-") {
			t.Logf("%s: fuzzed headers, not compared", filepath.Base(file))
			continue
		}
		extra := []string{}
		if outOfContext(file) {
			extra = append(extra, "--tcp-give-up-holes")
		}
		want := byFrame(runTshark(t, tshark, append([]string{"-n", "-r", file, "-Y", "ip && !icmp"}, args...)...))
		got := byFrame(runNbtsniff(t, append(append([]string{"-r", file, "-Y", "ip"}, args...), extra...)...))
		icmp += len(got) - len(want)
		n := 0
		for frame, w := range want {
			if frame == "" {
				continue
			}
			g, ok := got[frame]
			if !ok {
				t.Errorf("%s frame %s: tshark shows it, nbtsniff does not", filepath.Base(file), frame)
				continue
			}
			for i, f := range lowerFields {
				var wv, gv string
				if i < len(w) {
					wv = w[i]
				}
				if i < len(g) {
					gv = g[i]
				}
				if wv != gv {
					t.Errorf("%s frame %s %s: tshark %q, nbtsniff %q", filepath.Base(file), frame, f, clip(wv), clip(gv))
				}
			}
			n++
		}
		compared += n
	}
	t.Logf("%d IPv4 frames compared on %d fields; %d frames inside ICMP errors left out", compared, len(lowerFields), icmp)
	if compared == 0 {
		t.Error("no IPv4 frame compared")
	}
}
