package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
	"github.com/nbtsniff/nbtsniff/output"
)

// The differential test of NetBIOS over NetBEUI and over IPX: on every
// capture with IEEE 802.2 LLC or IPX frames (the Windows for Workgroups,
// Windows 98 and 802.1Q captures of ../shared/pcaps, and the capture built
// in legacy_frames_test.go), every field value of the transport layers
// (llc, netbios, ipx, nbipx: NBIPX and NMPI) and of what they carry (smb,
// mailslot, browser, lanman) must be tshark's, frame by frame; so must the
// protocol column and the info of the transport layers. The percentages
// per protocol are logged (go test -v).

// legacyProtos are the protocols whose fields are compared.
var legacyProtos = []string{"llc", "netbios", "ipx", "nbipx", "smb", "mailslot", "browser", "lanman"}

// legacyFilter selects the frames of those transports.
const legacyFilter = "llc || ipx"

// legacySMBGaps are the SMB values nbtsniff's SMB decoder does not give
// as tshark does, in frames its NBT path would decode the same way: Open
// AndX and Read MPX are not decoded (their smb.timeout and smb.padding
// are missing), and tshark stops at the primary domain of a Negotiate
// response whose byte count runs short (Windows for Workgroups and
// Windows 98 answering an LM 1.2 dialect), which nbtsniff reads. Keyed
// "capture frame field"; a gap that is no longer one fails the test.
var legacySMBGaps = map[string]bool{
	"netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng 305 smb.primary_domain": true,
	"netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng 379 smb.timeout":        true,
	"netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng 383 smb.timeout":        true,
	"netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng 385 smb.timeout":        true,
	"netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng 388 smb.padding":        true,
	"nbns-registration-browser-elections-udp-and-netbeui_ndpi-dos_win98_smb_netbeui.pcap 77 smb.primary_domain":                 true,
	"nbns-registration-browser-elections-udp-and-netbeui_ndpi-dos_win98_smb_netbeui.pcap 110 smb.timeout":                       true,
	"nbns-registration-browser-elections-udp-and-netbeui_ndpi-dos_win98_smb_netbeui.pcap 119 smb.timeout":                       true,
}

// legacyCount is the agreement on one protocol's values.
type legacyCount struct{ equal, total int }

func TestTsharkNetBEUIIPXDiff(t *testing.T) {
	tshark := needTshark(t)
	files := append(captureFiles(t), writeLegacyCapture(t, t.TempDir()))
	var fields []string
	for _, p := range legacyProtos {
		fields = append(fields, dissect.WiresharkAbbrevs(p)...)
	}
	for _, f := range fields {
		if _, ok := dissect.LookupField(f); !ok {
			t.Errorf("field %s of tshark's list is not registered", f)
		}
	}
	args := []string{"-Y", legacyFilter, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,", "-e", "frame.number", "-e", "_ws.col.Protocol", "-e", "_ws.col.Info"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	counts := map[string]*legacyCount{}
	for _, p := range legacyProtos {
		counts[p] = &legacyCount{}
	}
	seen := map[string]bool{}
	compared, ownCompared, corpusFiles := 0, 0, 0
	for _, file := range files {
		own := !strings.HasPrefix(filepath.Clean(file), filepath.Clean(corpus.Dir())+string(filepath.Separator))
		if !own {
			corpusFiles++
		}
		if !hasLegacyFrames(t, file) {
			continue
		}
		base := filepath.Base(file)
		fargs := append([]string{"-r", file}, args...)
		want := runTshark(t, tshark, append([]string{"-n", "-o", "smb.trans_reassembly:TRUE"}, fargs...)...)
		if len(want) == 0 {
			continue
		}
		got := runNbtsniff(t, fargs...)
		wl := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
		gl := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
		if len(wl) != len(gl) {
			t.Errorf("%s: tshark shows %d frames, nbtsniff %d", base, len(wl), len(gl))
			continue
		}
		compared++
		if own {
			ownCompared++
		}
		var diffs []string
		for i := range wl {
			wc, gc := strings.Split(wl[i], "\t"), strings.Split(gl[i], "\t")
			frame := wc[0]
			if d := legacyColumns(wc, gc); d != "" && len(diffs) < diffMax {
				diffs = append(diffs, "frame "+frame+": "+d)
			}
			for j, f := range fields {
				w, g := column(wc, j+3), column(gc, j+3)
				if w == "" && g == "" {
					continue
				}
				c := counts[dissect.Field(mustField(t, f)).Proto]
				c.total++
				key := base + " " + frame + " " + f
				if w == g || string(output.AppendEscaped(nil, []byte(w))) == g {
					c.equal++
					if legacySMBGaps[key] {
						t.Errorf("%s: listed as a gap of the SMB decoder, but equals tshark's: drop it from legacySMBGaps", key)
					}
					continue
				}
				if legacySMBGaps[key] {
					seen[key] = true
					continue
				}
				if len(diffs) < diffMax {
					diffs = append(diffs, fmt.Sprintf("frame %s %s: tshark %q, nbtsniff %q", frame, f, clip(w), clip(g)))
				}
			}
		}
		if len(diffs) > 0 {
			t.Errorf("%s: differs from tshark:\n  %s", base, strings.Join(diffs, "\n  "))
		}
	}
	// The repository's own two (testdata/specframes and the capture
	// written above), and with the corpus its NetBEUI and IPX captures
	// too.
	if ownCompared < 2 || corpusFiles > 0 && compared < 4 {
		t.Errorf("only %d captures with NetBEUI or IPX frames compared (%d of the repository)", compared, ownCompared)
	}
	for k := range legacySMBGaps {
		if seen[k] {
			continue
		}
		for _, file := range files {
			if strings.HasPrefix(k, filepath.Base(file)+" ") {
				t.Errorf("%s: a listed gap of the SMB decoder that was not seen", k)
			}
		}
	}
	var names []string
	for _, p := range legacyProtos {
		c := counts[p]
		if c.total > 0 {
			names = append(names, fmt.Sprintf("%s %d/%d (%.2f%%)", p, c.equal, c.total, 100*float64(c.equal)/float64(c.total)))
		}
	}
	sort.Strings(names)
	t.Logf("values equal to tshark's: %s", strings.Join(names, ", "))
}

func column(c []string, i int) string {
	if i < len(c) {
		return c[i]
	}
	return ""
}

func mustField(t *testing.T, abbrev string) dissect.FieldID {
	id, ok := dissect.LookupField(abbrev)
	if !ok {
		t.Fatalf("field %s is not registered", abbrev)
	}
	return id
}

// legacyColumns compares the protocol column and the info of a frame
// whose top layer is one of the transport layers (an SMB, browser or RAP
// frame says what the NBT path says).
func legacyColumns(w, g []string) string {
	// nbtsniff says a frame is malformed in the tree (and _ws.malformed),
	// not in the info, as its NBT path does.
	wp, gp, wi, gi := column(w, 1), column(g, 1), strings.TrimSuffix(column(w, 2), "[Malformed Packet]"), column(g, 2)
	switch wp {
	case "LLC", "NetBIOS", "IPX", "NBIPX", "NMPI":
	default:
		return ""
	}
	if wp != gp || wi != gi && string(output.AppendEscaped(nil, []byte(wi))) != gi {
		return fmt.Sprintf("columns: tshark %q %q, nbtsniff %q %q", wp, wi, gp, gi)
	}
	return ""
}

// hasLegacyFrames reports whether a capture holds an Ethernet frame with
// an 802.3 length or the IPX EtherType, straight or in an 802.1Q tag: the
// frames this test compares (tshark takes seconds to say there are none).
func hasLegacyFrames(t *testing.T, file string) bool {
	t.Helper()
	src, err := capture.OpenFile(file, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var pkt capture.Packet
	for {
		err := src.Next(&pkt)
		if errors.Is(err, io.EOF) {
			return false
		}
		var te *capture.TruncatedError
		if err != nil && !errors.As(err, &te) {
			t.Fatalf("%s: %v", file, err)
		}
		d := pkt.Data
		if pkt.LinkType != layers.LinkTypeEthernet || len(d) < 14 {
			continue
		}
		et := binary.BigEndian.Uint16(d[12:])
		if et == 0x8100 && len(d) >= 18 {
			et = binary.BigEndian.Uint16(d[16:])
		}
		if et <= 1500 || et == 0x8137 {
			return true
		}
	}
}
