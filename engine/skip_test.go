package engine

import (
	"fmt"
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

// TestSkippedFields: every node of a frame Skipped makes is of a field
// Needs.SkippedFields lists, and frame.number, when listed, is on the
// frame once with its number (printers print such frames by number on
// that promise): under the needs of -T fields with and without
// frame.number, of everything and of the timeline; a frame cut short (its
// original length under its captured length: the expert note), one of an
// interface, of a labelled input.
func TestSkippedFields(t *testing.T) {
	t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	cis := []gopacket.CaptureInfo{
		{Timestamp: t0, CaptureLength: 60, Length: 60, InterfaceIndex: -1},
		{Timestamp: t0.Add(time.Second), CaptureLength: 60, Length: 50, InterfaceIndex: 2},
	}
	needs := []Needs{
		{},
		NewNeeds(Reads{Fields: []string{"frame.number", "nbns.name"}}),
		NewNeeds(Reads{Fields: []string{"nbns.name", "frame.len", "frame.time_delta"}}),
		NewNeeds(Reads{Fields: []string{"frame.number", "frame.cap_len", "_ws.expert", "_ws.malformed", "nbtsniff.source"}}),
		NewNeeds(Reads{Timeline: true}),
	}
	for i, nd := range needs {
		listed := map[dissect.FieldID]bool{}
		for _, id := range nd.SkippedFields() {
			listed[id] = true
		}
		e := New(Config{Needs: nd, Labels: []string{"", "seg"}})
		for j, ci := range cis {
			for source := range 2 {
				n := 10 + j*2 + source
				f := e.Skipped(n, t0, t0, ci.CaptureLength, ci, layers.LinkTypeEthernet, source)
				numbers := 0
				for k := range f.Tree.Nodes {
					nd := &f.Tree.Nodes[k]
					if nd.Field == 0 {
						continue
					}
					if !listed[nd.Field] {
						t.Errorf("needs %d, frame %d: node %s not in SkippedFields", i, n, dissect.Field(nd.Field).Abbrev)
					}
					if nd.Field == dissect.FieldFrameNumber {
						numbers++
						if nd.U != uint64(n) {
							t.Errorf("needs %d, frame %d: frame.number %d", i, n, nd.U)
						}
					}
				}
				if want := map[bool]int{true: 1}[listed[dissect.FieldFrameNumber]]; numbers != want {
					t.Errorf("needs %d, frame %d: %d frame.number nodes, want %d", i, n, numbers, want)
				}
			}
		}
	}
}

// TestSessionsSkippedForDatagramFields: with -T fields of the name and
// datagram services (and mailslot, browser) and frame fields only, the
// frames of the NBT sessions (TCP 139, 445) are skipped too
// (Needs.Skippable), and every frame of every real capture gives the
// same nodes of those fields as a decode of every frame. With an nbss
// or smb field they are not skipped.
func TestSessionsSkippedForDatagramFields(t *testing.T) {
	fields := []string{"frame.number", "frame.len", "frame.time_delta", "nbns.name", "nbns.flags", "nbdgm.source_name",
		"nbdgm.type", "mailslot.name", "browser.command", "browser.server", "browser.comment"}
	needs := NewNeeds(Reads{Fields: fields})
	if !needs.SkipOther() || needs.sessions {
		t.Fatalf("%q: SkipOther %v, sessions %v; want skipping, without sessions", fields, needs.SkipOther(), needs.sessions)
	}
	for _, more := range []string{"nbss.type", "smb.cmd", "frame.protocols", "lanman.function_code"} {
		if n := NewNeeds(Reads{Fields: append(fields[:len(fields):len(fields)], more)}); n.SkipOther() && !n.sessions {
			t.Errorf("with %s: the sessions' frames are skipped", more)
		}
	}
	sessions := 0
	for _, path := range sharedAndLabCaptures(t) {
		full := New(Config{Needs: NewNeeds(Reads{Fields: append(fields[:len(fields):len(fields)], "ip.src")})})
		skip := New(Config{Needs: needs})
		eachFrame(t, path, func(fr *captureFrame) {
			if needs.Skippable(fr.data, fr.lt) && !Skippable(fr.data, fr.lt) {
				sessions++
			}
			a := nodeText(skip.DecodeNth(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0), fields)
			b := nodeText(full.DecodeNth(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0), fields)
			if a != b {
				t.Errorf("%s frame %d: fields %q skipping, %q decoding", filepath.Base(path), fr.n, a, b)
			}
		})
	}
	t.Logf("%d frames of NBT sessions skipped", sessions)
	if sessions == 0 {
		t.Fatal("no frame of an NBT session was skipped: the test shows nothing")
	}
}

// TestDecodeNthKept: for every frame of the real captures that the needs
// do not skip (Needs.Skippable false, or a frame cut short), an engine
// given it by DecodeNthKept makes the frame DecodeNth makes (every node),
// under the needs of the timeline, of -T fields of NBT fields (sessions
// or datagrams only) and of everything; the two engines run side by side
// so that their state (streams, fragments) stays the same.
func TestDecodeNthKept(t *testing.T) {
	reads := []Reads{{Timeline: true}, {Fields: []string{"frame.number", "nbns.name", "nbss.type", "smb.cmd"}},
		{Fields: []string{"frame.number", "nbns.name", "browser.command"}}, {}}
	kept := 0
	for _, path := range sharedAndLabCaptures(t) {
		for _, r := range reads {
			n := NewNeeds(r)
			a, b := New(Config{Needs: n}), New(Config{Needs: n})
			eachFrame(t, path, func(fr *captureFrame) {
				if fr.ci.Length <= len(fr.data) && n.Skippable(fr.data, fr.lt) {
					return
				}
				kept++
				x := a.DecodeNth(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0)
				y := b.DecodeNthKept(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0)
				if x.Proto != y.Proto || treeText(x) != treeText(y) || len(x.Msgs) != len(y.Msgs) || len(x.Errs) != len(y.Errs) {
					t.Errorf("%s frame %d (%+v): DecodeNthKept made %s of %d nodes, DecodeNth %s of %d",
						filepath.Base(path), fr.n, r, y.Proto, len(y.Tree.Nodes), x.Proto, len(x.Tree.Nodes))
				}
			})
		}
	}
	if kept == 0 {
		t.Fatal("no frame decoded: the test shows nothing")
	}
}

// treeText is every node of f's tree, written out.
func treeText(f *dissect.Frame) string {
	var s []byte
	for i := range f.Tree.Nodes {
		n := &f.Tree.Nodes[i]
		s = fmt.Appendf(s, "%d/%d/%d/%d/%d/%d/%d/%q/%q\n", n.Field, n.Depth, n.Src, n.Flags, n.Off, n.Len, n.U, n.S, n.Label)
	}
	return string(s)
}
