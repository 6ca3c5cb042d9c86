package output_test

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/output"
)

func TestHexDump(t *testing.T) {
	// tshark -x, c2 capture frame 2 (Name query NB ISATAP<00>, 92 bytes):
	want := `0000  ff ff ff ff ff ff 52 54 00 4a 04 af 08 00 45 00   ......RT.J....E.
0010  00 4e 00 6f 00 00 80 11 ef 66 c0 a8 64 79 c0 a8   .N.o.....f..dy..
0020  64 ff 00 89 00 89 00 3a 7b 53 f0 d7 01 10 00 01   d......:{S......
0030  00 00 00 00 00 00 20 45 4a 46 44 45 42 46 45 45   ...... EJFDEBFEE
0040  42 46 41 43 41 43 41 43 41 43 41 43 41 43 41 43   BFACACACACACACAC
0050  41 43 41 43 41 41 41 00 00 20 00 01               ACACAAA.. ..

`
	data := unhexDump(t, want)
	f := &dissect.Frame{Number: 2, Data: data}
	var buf bytes.Buffer
	if err := output.WriteHex(&buf, f); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// unhexDump reads the bytes back from tshark -x lines.
func unhexDump(t testing.TB, dump string) []byte {
	var out []byte
	for _, line := range strings.Split(dump, "\n") {
		if len(line) < 6 || !isHexLine(line) {
			continue
		}
		h := line[6:]
		if len(h) > 47 {
			h = h[:47]
		}
		b, err := hex.DecodeString(strings.ReplaceAll(strings.TrimSpace(h), " ", ""))
		if err != nil {
			t.Fatalf("bad dump line %q: %v", line, err)
		}
		out = append(out, b...)
	}
	return out
}

func isHexLine(l string) bool {
	for i := 0; i < 4; i++ {
		if !strings.ContainsRune("0123456789abcdef", rune(l[i])) {
			return false
		}
	}
	return l[4:6] == "  "
}

// TestHexDiffTshark compares whole tshark -x outputs of real captures.
func TestHexDiffTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tshark: skipped with -short")
	}
	needTshark(t)
	for _, name := range []string{
		"nbns-registration-browser-elections_pcap-attack-dns-txt-c2-cut.pcap",
		"nbns-query-linux-cooked-sll_pcapplusplus-sll-cut.pcap",
		"nbss139-session-full-scanner-winxp_wanderview.pcap",
		"../testdata/specframes/link-ethernet.pcap",
		"../testdata/specframes/link-sll2.pcap",
		"../testdata/specframes/udp-edges.pcap",
	} {
		t.Run(name, func(t *testing.T) {
			path := capturePath(t, name)
			var buf bytes.Buffer
			for _, f := range loadFrames(t, path) {
				f.Tree.Sources = nil // compare the frame bytes only
				output.WriteHex(&buf, f)
			}
			want := string(runTshark(t, "-r", path, "-x"))
			if got := buf.String(); got != want {
				gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
				for i := 0; i < len(gl) && i < len(wl); i++ {
					if gl[i] != wl[i] {
						t.Errorf("%s: line %d:\ngot  %q\nwant %q", name, i+1, gl[i], wl[i])
						break
					}
				}
				if len(gl) != len(wl) {
					t.Errorf("%s: %d lines, tshark %d", name, len(gl), len(wl))
				}
			}
		})
	}
}

func TestHexDataSources(t *testing.T) {
	// tshark -x, synthetic/edge-nbss139-split-session-msg_zeek.pcap frame 5:
	// the frame and the reassembled NBSS message, each titled.
	want := `Frame (90 bytes):
0000  00 00 00 00 00 02 00 00 00 00 00 01 08 00 45 00   ..............E.
0010  00 4c 00 01 00 00 40 06 66 a9 0a 00 00 01 0a 00   .L....@.f.......
0020  00 02 d4 31 00 8b 00 00 03 f1 00 00 07 d1 50 18   ...1..........P.
0030  20 00 bc fb 00 00 41 41 41 41 41 41 41 41 41 41    .....AAAAAAAAAA
0040  41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41   AAAAAAAAAAAAAAAA
0050  41 41 00 00 00 04 ff 53 4d 42                     AA.....SMB
Reassembled TCP (36 bytes):
0000  00 00 00 20 ff 53 4d 42 41 41 41 41 41 41 41 41   ... .SMBAAAAAAAA
0010  41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41   AAAAAAAAAAAAAAAA
0020  41 41 41 41                                       AAAA

`
	parts := strings.SplitN(want, "Reassembled TCP (36 bytes):\n", 2)
	f := &dissect.Frame{Data: unhexDump(t, parts[0])}
	f.Tree.AddSource("Reassembled TCP", unhexDump(t, parts[1]))
	if got := string(output.AppendHex(nil, f)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
