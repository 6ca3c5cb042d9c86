package engine

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/internal/crafted"
)

// TestSkippableCarriesNoNBT: every frame of every real capture that
// Skippable passes is, decoded in full, a TCP or UDP frame on no NBT port
// with no message, no decode error and no short-capture mark; and frames
// with NBT messages are never skippable. Then an engine whose Needs skip
// such frames gives, for -T fields of NBT fields, the same nodes as one
// that decodes them.
func TestSkippableCarriesNoNBT(t *testing.T) {
	fields := []string{"frame.number", "frame.len", "nbns.name", "nbdgm.source_name", "nbss.type", "browser.command", "smb.cmd"}
	skipped, nbt := 0, 0
	for i, path := range sharedAndLabCaptures(t) {
		full := New(Config{})
		skip := New(Config{Needs: NewNeeds(Reads{Fields: fields})})
		keep := New(Config{Needs: NewNeeds(Reads{Fields: append(fields, "ip.src")})})
		if !skip.needs.SkipOther() || keep.needs.SkipOther() {
			t.Fatal("SkipOther: want it for NBT and frame fields only, not with ip.src")
		}
		check := func(fr *captureFrame) {
			f := full.DecodeNth(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0)
			if len(f.Msgs) > 0 {
				nbt++
			}
			if Skippable(fr.data, fr.lt) {
				skipped++
				n := &f.Net
				if len(f.Msgs) > 0 || len(f.Errs) > 0 || (f.Proto != "TCP" && f.Proto != "UDP") ||
					nbtPortNumber(n.SrcPort) || nbtPortNumber(n.DstPort) {
					t.Errorf("%s frame %d: skippable, but decodes to %s with %d messages, %d errors, ports %d/%d",
						filepath.Base(path), fr.n, f.Proto, len(f.Msgs), len(f.Errs), n.SrcPort, n.DstPort)
				}
			}
			a := nodeText(skip.DecodeNth(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0), fields)
			b := nodeText(keep.DecodeNth(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0), fields)
			if a != b {
				t.Errorf("%s frame %d: fields %q skipping, %q decoding", filepath.Base(path), fr.n, a, b)
			}
		}
		eachFrame(t, path, check)
		if i == 0 {
			// Frames of other traffic, built (internal/crafted): the
			// lab's captures hold NBT alone, and the corpus's mixed
			// ones may be absent.
			t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
			for i, data := range [][]byte{
				crafted.TCPFrame(1, 2, 50000, 443, 1000, 0, 0x02, nil),
				crafted.TCPFrame(2, 1, 443, 50000, 5000, 1001, 0x18, []byte("TLS-ish bytes")),
				crafted.UDPFrame(1, 2, 53000, 53, []byte("dns-ish payload")),
			} {
				check(&captureFrame{n: 1000 + i, data: data, lt: layers.LinkTypeEthernet, first: t0, prev: t0,
					ci: gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(data), Length: len(data), InterfaceIndex: -1}})
			}
		}
	}
	t.Logf("%d skippable frames, %d frames with NBT messages", skipped, nbt)
	if skipped == 0 || nbt == 0 {
		t.Fatal("the captures have no skippable frame or no NBT frame: the test shows nothing")
	}
}

func nbtPortNumber(p uint16) bool { return p == 137 || p == 138 || p == 139 || p == 445 }

// nodeText is the values of the nodes of the given fields, in tree order.
func nodeText(f *dissect.Frame, fields []string) string {
	want := map[dissect.FieldID]bool{}
	for _, name := range fields {
		if id, ok := dissect.LookupField(name); ok {
			want[id] = true
		}
	}
	var s []byte
	for i := range f.Tree.Nodes {
		n := &f.Tree.Nodes[i]
		if want[n.Field] {
			s = append(s, dissect.Field(n.Field).Abbrev...)
			s = append(s, '=')
			s = append(s, n.S...)
			s = append(s, byte(n.U), byte(n.U>>8), byte(n.U>>16), ' ')
		}
	}
	return string(s)
}
