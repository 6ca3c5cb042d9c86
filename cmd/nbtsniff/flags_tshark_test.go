package main

import (
	"bytes"
	"strings"
	"testing"
)

// Every -t format prints the time column as tshark does, in the summary
// lines (compared up to the source and destination: the info column is
// nbtsniff's own) and in _ws.col.Time; with -Y, so that dd (since the
// previous displayed frame) differs from d.
func TestTsharkTimeFormats(t *testing.T) {
	tshark := needTshark(t)
	const file = "../../testdata/pcaps/election.pcapng"
	for _, tf := range []string{"r", "a", "ad", "adoy", "d", "dd", "e", "u", "ud", "udoy"} {
		args := []string{"-r", file, "-t", tf, "-Y", "browser"}
		want := runTshark(t, tshark, append([]string{"-n"}, args...)...)
		got := runNbtsniff(t, args...)
		wl, gl := lines(want), lines(got)
		if len(wl) != len(gl) || len(wl) < 10 {
			t.Fatalf("-t %s: tshark printed %d lines, nbtsniff %d", tf, len(wl), len(gl))
		}
		for i := range wl {
			w, _, _ := strings.Cut(wl[i], " → ")
			g, _, _ := strings.Cut(gl[i], " → ")
			if w != g {
				t.Errorf("-t %s line %d:\n  nbtsniff %q\n  tshark   %q", tf, i+1, g, w)
				break
			}
		}
		fargs := append(args, "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Time", "-e", "frame.time")
		want = runTshark(t, tshark, append([]string{"-n"}, fargs...)...)
		got = runNbtsniff(t, fargs...)
		if !bytes.Equal(got, want) {
			t.Errorf("-t %s -T fields: nbtsniff %q..., tshark %q...", tf, clip(string(got)), clip(string(want)))
		}
	}
}

func lines(b []byte) []string { return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") }

// -o takes tshark's preferences that apply, maps tcp.reassemble_out_of_order
// onto --tcp-give-up-holes, and refuses the others by name, saying why.
func TestTsharkPrefs(t *testing.T) {
	for _, c := range []struct {
		prefs   []string
		holes   bool
		wantErr string
	}{
		{prefs: []string{"smb.trans_reassembly:TRUE", "tcp.desegment_tcp_streams:true", "nbss.desegment_nbss_commands: TRUE"}},
		{prefs: []string{"tcp.reassemble_out_of_order:FALSE"}, holes: true},
		{prefs: []string{"tcp.reassemble_out_of_order:TRUE"}},
		{prefs: []string{"tcp.check_checksum:FALSE", "ip.defragment:TRUE"}},
		{prefs: []string{"smb.trans_reassembly:FALSE"}, wantErr: "always reassembles SMB transactions"},
		{prefs: []string{"tcp.desegment_tcp_streams:FALSE"}, wantErr: "always reassembles the TCP streams"},
		{prefs: []string{"tcp.check_checksum:TRUE"}, wantErr: "does not verify checksums"},
		{prefs: []string{"gui.column.format:x"}, wantErr: "no such preference; those that apply are"},
		{prefs: []string{"smb.trans_reassembly"}, wantErr: "expected PREF:VALUE"},
		{prefs: []string{"smb.trans_reassembly:maybe"}, wantErr: "is not TRUE or FALSE"},
	} {
		args := []string{"-r", "x.pcap"}
		for _, p := range c.prefs {
			args = append(args, "-o", p)
		}
		o, err := parseFlags(args, &bytes.Buffer{})
		if err == nil {
			err = o.check()
		}
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%v: %v", c.prefs, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%v: error %v, want one saying %q", c.prefs, err, c.wantErr)
		case err == nil && o.tcpHoles != c.holes:
			t.Errorf("%v: --tcp-give-up-holes is %v, want %v", c.prefs, o.tcpHoles, c.holes)
		}
	}
	o, err := parseFlags([]string{"-r", "x.pcap", "-n", "-t", "ad"}, &bytes.Buffer{})
	if err != nil || o.check() != nil {
		t.Fatalf("-n -t ad: %v", err)
	}
	if _, err := parseFlags([]string{"-r", "x.pcap", "-t", "xx"}, &bytes.Buffer{}); err == nil {
		o, _ := parseFlags([]string{"-r", "x.pcap", "-t", "xx"}, &bytes.Buffer{})
		if err := o.check(); err == nil || !strings.Contains(err.Error(), "unknown time format") {
			t.Errorf("-t xx: %v", err)
		}
	}
}
