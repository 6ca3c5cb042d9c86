package engine

import (
	"errors"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// udpFrame wraps an NBT datagram in Ethernet, IPv4 and UDP 138 → 138.
func udpFrame(tb testing.TB, payload []byte) []byte {
	tb.Helper()
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: net.IP{192, 168, 0, 122}, DstIP: net.IP{192, 168, 0, 255}}
	udp := &layers.UDP{SrcPort: 138, DstPort: 138}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		tb.Fatal(err)
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, udp, gopacket.Payload(payload)); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func fieldText(f *dissect.Frame, abbrev string) (string, bool) {
	id, ok := dissect.LookupField(abbrev)
	if !ok {
		return "", false
	}
	n := f.Tree.First(id)
	if n == nil {
		return "", false
	}
	if n.S != nil {
		return string(n.S), true
	}
	return "", true
}

// TestEngineDatagramFragments feeds the engine a real datagram
// (browser-host-announce-request_ppa-bethscomputer.pcap frame 2, an
// AnnouncementRequest) split into three fragments built to RFC 1002
// §4.4.1: the first two frames carry no browser frame, the third carries
// the whole reassembled one and lists the fragments' frames.
func TestEngineDatagramFragments(t *testing.T) {
	frags := dgramFragments(t, 0x8050, 30, 70)
	e := New(DefaultConfig())
	t0 := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	for i, fr := range frags {
		data := udpFrame(t, fr)
		ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * time.Millisecond), CaptureLength: len(data), Length: len(data)}
		f := e.Decode(data, ci, layers.LinkTypeEthernet, 0)
		_, hasBrowser := fieldText(f, "browser.command")
		if i < len(frags)-1 {
			if hasBrowser {
				t.Errorf("frame %d: a browser frame decoded from a fragment", f.Number)
			}
			continue
		}
		if !hasBrowser {
			t.Fatalf("frame %d: no browser frame after the last fragment; info %q", f.Number, f.Info)
		}
		if name, _ := fieldText(f, "browser.response_computer_name"); name != "TESLA-MARKETING" {
			t.Errorf("response name %q, want TESLA-MARKETING", name)
		}
		var list string
		for _, n := range f.Tree.Nodes {
			if n.Label == "[Reassembled NBT datagram from fragments in frames]" {
				list = string(n.S)
			}
		}
		if list != "1, 2, 3" {
			t.Errorf("fragment list %q, want \"1, 2, 3\"", list)
		}
		if len(f.Errs) != 0 {
			t.Errorf("errors: %v", f.Errs)
		}
	}
}

// FuzzEngine feeds arbitrary frames (as Ethernet and as raw IPv4, in
// sequences, so that stream, datagram and transaction state is exercised)
// to the whole pipeline. Nothing may panic, and every node must point
// inside its data source.
func FuzzEngine(f *testing.F) {
	// Seeds: the lab enum capture's frames 925-940 (NetServerEnum2 request
	// and the first pieces of its 5-message response) and fragments.
	if fh, err := os.Open("../testdata/pcaps/enum.pcapng"); err == nil {
		r, err := pcapgo.NewNgReader(fh, pcapgo.DefaultNgReaderOptions)
		for n := 1; err == nil && n <= 940; n++ {
			data, _, rerr := r.ReadPacketData()
			if rerr != nil {
				break
			}
			if n >= 925 {
				f.Add(data)
			}
		}
		fh.Close()
	}
	for _, fr := range dgramFragments(f, 0x8050, 30, 70) {
		f.Add(udpFrame(f, fr))
	}
	tl := Config{Needs: NewNeeds(Reads{Timeline: true})}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, routed, layered := New(DefaultConfig()), New(DefaultConfig()), New(DefaultConfig())
		// Without a tree (the timeline's), and with the whole tree: the
		// link, IPv4 and UDP headers read in place decode as gopacket's
		// layers do (slowLink).
		layered.slowLink = true
		fast, slow, given, slowKept := New(tl), New(tl), New(tl), New(tl)
		slow.slowLink, slowKept.slowLink = true, true
		t0 := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
		prev := t0
		for i, lt := range []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeRaw, layers.LinkTypeEthernet} {
			ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * time.Second), CaptureLength: len(data), Length: len(data)}
			want := netText(slow.Decode(data, ci, lt, 0))
			if got := netText(fast.Decode(data, ci, lt, 0)); got != want {
				t.Fatalf("link %v, no tree:\n%.600s\nthrough the layers:\n%.600s", lt, got, want)
			}
			// Given the IPv4 header's offset by its reader, as the
			// parallel engines are (with frames not Skippable), as
			// through the layers.
			_, _, _, sh, ipOff := tl.Needs.SkipOrRoute(data, lt, false)
			want = netText(slowKept.DecodeNthKept(i+1, t0, prev, data, ci, lt, 0))
			if got := netText(given.DecodeRouted(i+1, &t0, &prev, data, &ci, lt, 0, sh, ipOff)); got != want {
				t.Fatalf("link %v, no tree, given IPv4 at %d:\n%.600s\nthrough the layers:\n%.600s", lt, ipOff, got, want)
			}
			fr := e.Decode(data, ci, lt, 0)
			if got, want := frameText(fr), frameText(layered.Decode(data, ci, lt, 0)); got != want {
				t.Fatalf("link %v:\n%.600s\nthrough the layers:\n%.600s", lt, got, want)
			}
			// The timeline's decode (no tree: SMB's SkipText and
			// SkipBodies) finds the errors and bounds of the whole one.
			if got, want := errText(&fast.f), errText(fr); got != want {
				t.Fatalf("link %v, no tree: errors %s\nwith the tree: %s", lt, got, want)
			}
			// Given its shard by Route, as the parallel reader gives it,
			// an engine decodes the frame the same.
			_, _, shard := Route(data, lt)
			if got, want := frameText(routed.DecodeNthRouted(i+1, t0, prev, data, ci, lt, 0, shard)), frameText(fr); got != want {
				t.Fatalf("link %v, given shard %d:\n%.600s\nfinding it:\n%.600s", lt, shard, got, want)
			}
			prev = ci.Timestamp
			for _, n := range fr.Tree.Nodes {
				src := fr.Data
				if n.Src > 0 {
					if int(n.Src) > len(fr.Tree.Sources) {
						t.Fatalf("node %+v: data source %d of %d", n, n.Src, len(fr.Tree.Sources))
					}
					src = fr.Tree.Sources[n.Src-1].Data
				}
				if n.Off >= 0 && int(n.Off)+int(n.Len) > len(src) && n.Flags&dissect.NodeGenerated == 0 {
					t.Fatalf("field %s at %d+%d outside its %d-byte source", dissect.Field(n.Field).Abbrev, n.Off, n.Len, len(src))
				}
			}
		}
		e.Close()
		routed.Close()
		layered.Close()
		fast.Close()
		slow.Close()
		given.Close()
		slowKept.Close()
	})
}

// TestEngineRAPResponseWithoutRequest replays the lab's enum.pcapng without
// frame 929 (the NetServerEnum2 request of the 5-message response in
// frames 930-935): the merged response is still shown as RAP on its
// completing frame, decoded as far as it can be without the request's
// descriptors, and says so.
func TestEngineRAPResponseWithoutRequest(t *testing.T) {
	fh, err := os.Open("../testdata/pcaps/enum.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	r, err := pcapgo.NewNgReader(fh, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	e := New(DefaultConfig())
	found := false
	for n := 1; ; n++ {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		if n == 929 {
			continue
		}
		f := e.Decode(data, ci, layers.LinkTypeEthernet, 0)
		if n == 935 {
			found = true
			if !strings.Contains(string(f.Info), "request not seen") || f.Proto != "LANMAN" {
				t.Errorf("frame 935: %s %q, want a LANMAN response saying its request was not seen", f.Proto, f.Info)
			}
			if _, ok := fieldText(f, "lanman.status"); !ok {
				t.Errorf("frame 935: no lanman.status")
			}
		}
	}
	if !found {
		t.Fatal("capture ended before frame 935")
	}
}

// TestEngineDeterministic: replaying a capture gives the same frames every
// time. The de-duplicated SMIA capture has a hole in nearly every stream,
// so many connections are flushed by timeout in the same frame; gopacket
// visits them in map order, which the stream reassembler must not leak.
func TestEngineDeterministic(t *testing.T) {
	run := func() []string {
		fh, err := os.Open(corpus.Path(t, "nbss139-smb1-smia2011-deduped-msgs_nemesys-cut.pcap"))
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		r, err := pcapgo.NewReader(fh)
		if err != nil {
			t.Fatal(err)
		}
		e := New(DefaultConfig())
		var out []string
		for {
			data, ci, err := r.ReadPacketData()
			if err != nil {
				break
			}
			f := e.Decode(data, ci, r.LinkType(), 0)
			line := string(f.Info)
			for _, n := range f.Tree.Nodes {
				line += "|" + strconv.Itoa(int(n.Field)) + ":" + strconv.FormatUint(n.U, 16) + ":" + string(n.S)
			}
			out = append(out, line)
		}
		return out
	}
	first := run()
	for i := 0; i < 3; i++ {
		again := run()
		if len(again) != len(first) {
			t.Fatalf("run %d: %d frames, first run %d", i+2, len(again), len(first))
		}
		for j := range first {
			if first[j] != again[j] {
				t.Fatalf("run %d: frame %d differs:\n%.300s\n%.300s", i+2, j+1, first[j], again[j])
			}
		}
	}
}

// A bound of the engine's state hit on a frame is on the frame
// (Frame.Bounds) and counted (BoundHits): 5,000 SYNs over the 8 shards of
// 512 connections evict 904 of them, and the session after them a 905th;
// tcp.stream's conversations (as many per shard) forget as many.
func TestBoundHitsOnFramesAndCounted(t *testing.T) {
	fh, err := os.Open("../testdata/crafted/synflood-then-enum.pcap")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	r, err := pcapgo.NewReader(fh)
	if err != nil {
		t.Fatal(err)
	}
	e := New(DefaultConfig())
	onFrames := 0
	for {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		f := e.Decode(data, ci, r.LinkType(), 0)
		for _, b := range f.Bounds {
			if b.Bound != BoundConns && b.Bound != BoundStreams || !errors.Is(b.Err, dissect.ErrLimit) {
				t.Fatalf("frame %d: bound %+v", f.Number, b)
			}
			onFrames++
		}
	}
	e.Close()
	hits := e.BoundHits()
	want := []BoundCount{{BoundStreams, 905}, {BoundConns, 905}}
	if !slices.Equal(hits, want) || onFrames != 2*905 {
		t.Errorf("bound hits %+v, %d on frames: want %+v", hits, onFrames, want)
	}
}
