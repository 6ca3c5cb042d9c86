package engine

import (
	"encoding/binary"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// netText is what the timeline reads of a frame decoded without a tree:
// its number, times, protocol column, network fields, messages (their
// decoded values), errors and bounds hit.
func netText(f *dissect.Frame) string {
	s := fmt.Sprintf("%d|%v|%v|%s|%q|%+v", f.Number, f.Time, f.Rel, f.Proto, f.Info, f.Net)
	for _, m := range f.Msgs {
		s += fmt.Sprintf("|%T %+v", m, m)
	}
	for _, err := range f.Errs {
		s += "|" + err.Error()
	}
	for _, b := range f.Bounds {
		s += "|" + b.Bound + ": " + b.Err.Error()
	}
	return s
}

// Every frame of the captures decodes the same through
// decodeEthernetIPv4, decodeNBTUDP and decodeIPv4Header as through
// gopacket's layers (an engine with slowLink), for the timeline (no
// tree) and with the whole tree: the frames they take, and every other
// frame, and a TCP segment's IPv4 header (which the stream reassembler
// reads) is the same. decodeNBTUDP must take most of the NBNS and
// datagram frames.
func TestDecodeEthernetIPv4IsTheLayers(t *testing.T) {
	taken, nbt, eth := 0, 0, 0
	for _, c := range sharedAndLabCaptures(t) {
		cfg := Config{Needs: NewNeeds(Reads{Timeline: true})}
		fast, slow := New(cfg), New(cfg)
		slow.slowLink = true
		probe := New(cfg)
		// With the whole tree, only decodeIPv4Header is taken: the
		// frames' trees are the layers'.
		treeFast, treeSlow := New(DefaultConfig()), New(DefaultConfig())
		treeSlow.slowLink = true
		eachFrame(t, c, func(fr *captureFrame) {
			if got, want := frameText(treeFast.DecodeNth(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0)),
				frameText(treeSlow.DecodeNth(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0)); got != want {
				t.Fatalf("%s frame %d, the whole tree:\n%.1200s\nthrough the layers:\n%.1200s", c, fr.n, got, want)
			}
			if !reflect.DeepEqual(treeFast.ip, treeSlow.ip) {
				t.Fatalf("%s frame %d: IPv4 header %+v, through the layers %+v", c, fr.n, treeFast.ip, treeSlow.ip)
			}
			if fr.lt == layers.LinkTypeEthernet {
				probe.begin(fr.data, len(fr.data), &fr.ci, fr.lt, 0)
				if probe.decodeEthernetIPv4(&probe.f, fr.data) {
					eth++
				}
				if ip, ok, _ := linkIPv4(fr.data, fr.lt); ok {
					probe.begin(fr.data, len(fr.data), &fr.ci, fr.lt, 0)
					if probe.decodeNBTUDP(&probe.f, ip, len(fr.data)-len(ip)) {
						taken++
					}
				}
			}
			want := netText(slow.DecodeNth(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0))
			if want := slow.f.Proto; want == "NBNS" || want == "NBDGM" || want == "SMB" || want == "MAILSLOT" || want == "BROWSER" {
				nbt++
			}
			if got := netText(fast.DecodeNth(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0)); got != want {
				t.Fatalf("%s frame %d:\n%.1200s\nthrough the layers:\n%.1200s", c, fr.n, got, want)
			}
			if slow.f.Net.IPProto == 6 && !reflect.DeepEqual(fast.ip, slow.ip) {
				t.Fatalf("%s frame %d: TCP's IPv4 header %+v, through the layers %+v", c, fr.n, fast.ip, slow.ip)
			}
		})
		fast.Close()
		slow.Close()
	}
	if taken == 0 || taken < nbt/2 {
		t.Errorf("decodeNBTUDP took %d frames of %d NBNS and datagram frames", taken, nbt)
	}
	t.Logf("decodeEthernetIPv4 took %d frames, decodeNBTUDP %d of %d NBNS and datagram frames", eth, taken, nbt)
}

// Frames decodeNBTUDP leaves to the layers: each differs from a frame it
// takes in one header field.
func TestDecodeNBTUDPLeaves(t *testing.T) {
	ok := udpFrame(t, []byte{0x11, 0x02, 0x80, 0x50, 192, 168, 0, 122, 0, 138, 0, 8, 0, 0, 0, 0})
	e := New(Config{Needs: NewNeeds(Reads{Timeline: true})})
	ci := gopacket.CaptureInfo{CaptureLength: len(ok), Length: len(ok)}
	e.begin(ok, len(ok), &ci, layers.LinkTypeEthernet, 0)
	if !e.decodeNBTUDP(&e.f, ok[14:], 14) {
		t.Fatal("a whole NBT datagram over IPv4 and UDP 138 not taken")
	}
	for _, c := range []struct {
		name string
		edit func(b []byte) []byte
		link bool // decodeEthernetIPv4 leaves it (else it takes it, and decodeNBTUDP leaves its IPv4)
	}{
		{"IPv6 ethertype", func(b []byte) []byte { b[12], b[13] = 0x86, 0xdd; return b }, true},
		{"three tags", func(b []byte) []byte {
			tag := []byte{0x81, 0x00, 0, 1}
			return append(append(append(append(append([]byte{}, b[:12]...), tag...), tag...), tag...), b[12:]...)
		}, true},
		{"a tag cut", func(b []byte) []byte { return append(b[:12:12], 0x81, 0x00, 0) }, true},
		{"IPv4 options", func(b []byte) []byte { b[14] = 0x46; return b }, false},
		{"IP version 6", func(b []byte) []byte { b[14] = 0x65; return b }, false},
		{"TCP", func(b []byte) []byte { b[14+9] = 6; return b }, false},
		{"more fragments", func(b []byte) []byte { b[14+6] |= 0x20; return b }, false},
		{"fragment offset", func(b []byte) []byte { b[14+7] = 1; return b }, false},
		{"total length 0", func(b []byte) []byte { b[14+2], b[14+3] = 0, 0; return b }, false},
		{"total length past the frame", func(b []byte) []byte { binary.BigEndian.PutUint16(b[14+2:], uint16(len(b)-14+1)); return b }, false},
		{"UDP length 0", func(b []byte) []byte { b[34+4], b[34+5] = 0, 0; return b }, false},
		{"UDP length 8", func(b []byte) []byte { b[34+4], b[34+5] = 0, 8; return b }, false},
		{"UDP length past IPv4", func(b []byte) []byte { b[34+5]++; return b }, false},
		{"other ports", func(b []byte) []byte { b[34+1], b[34+3] = 139, 139; return b }, false},
		{"cut", func(b []byte) []byte { return b[:14+int(binary.BigEndian.Uint16(b[14+2:]))-1] }, false},
		{"IPv4 header cut", func(b []byte) []byte { return b[:14+27] }, false},
	} {
		b := c.edit(append([]byte{}, ok...))
		ci := gopacket.CaptureInfo{CaptureLength: len(b), Length: len(b)}
		e.begin(b, len(b), &ci, layers.LinkTypeEthernet, 0)
		if c.link {
			if e.decodeEthernetIPv4(&e.f, b) {
				t.Errorf("%s: taken", c.name)
			}
		} else if e.decodeNBTUDP(&e.f, b[14:], 14) {
			t.Errorf("%s: taken", c.name)
		}
		if e.f.Net != (dissect.Net{TCPStream: -1}) || len(e.f.Msgs) != 0 || e.f.Proto != "" {
			t.Errorf("%s: left, but the frame was changed: %+v %q", c.name, e.f.Net, e.f.Proto)
		}
	}
}

// Given the IPv4 header's offset by Needs.SkipOrRoute (DecodeRouted, as
// the parallel engines are), an engine without a tree decodes every
// frame of the captures as gopacket's layers do (slowLink; the frames it
// is given are not Skippable: DecodeNthKept), the
// VLAN of tagged frames included; and the offset is given for most
// frames, tagged ones among them. Every tag but 802.1Q, and a header
// that is not the usual one, gives none.
func TestDecodeRoutedAtIPv4Offset(t *testing.T) {
	given, tagged := 0, 0
	cfg := Config{Needs: NewNeeds(Reads{Timeline: true})}
	for _, c := range sharedAndLabCaptures(t) {
		self, at := New(cfg), New(cfg)
		self.slowLink = true // through gopacket's layers
		eachFrame(t, c, func(fr *captureFrame) {
			_, _, _, shard, ipOff := cfg.Needs.SkipOrRoute(fr.data, fr.lt, false)
			// decodeIPv4At sends a frame with a shard (> 0) past
			// decodeNBTUDP: only TCP gets one.
			if shard > 0 && ipOff > 0 && fr.data[ipOff+9] != 6 {
				t.Fatalf("%s frame %d: shard %d for IPv4 protocol %d", c, fr.n, shard, fr.data[ipOff+9])
			}
			if ipOff > 0 {
				given++
				if ipOff > 14 {
					tagged++
				}
			}
			want := netText(self.DecodeNthKept(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0))
			if got := netText(at.DecodeRouted(fr.n, &fr.first, &fr.prev, fr.data, &fr.ci, fr.lt, 0, shard, ipOff)); got != want {
				t.Fatalf("%s frame %d, given IPv4 at %d:\n%.1200s\nthrough the layers:\n%.1200s", c, fr.n, ipOff, got, want)
			}
		})
		self.Close()
		at.Close()
	}
	if given == 0 || tagged == 0 {
		t.Errorf("the IPv4 header's offset given for %d frames, %d of them tagged", given, tagged)
	}
	t.Logf("the IPv4 header's offset given for %d frames, %d of them tagged", given, tagged)
	ok := udpFrame(t, []byte{0x11, 0x02, 0x80, 0x50, 192, 168, 0, 122, 0, 138, 0, 8, 0, 0, 0, 0})
	tag := func(b []byte, et byte, vlan byte) []byte {
		return append(append(append([]byte{}, b[:12]...), 0x81+et, 0, 0, vlan), b[12:]...)
	}
	for _, c := range []struct {
		name string
		b    []byte
		off  int
	}{
		{"untagged", ok, 14},
		{"802.1Q", tag(ok, 0, 7), 18},
		{"two 802.1Q", tag(tag(ok, 0, 7), 0, 9), 22},
		{"802.1ad", func() []byte { b := tag(ok, 0, 7); b[12], b[13] = 0x88, 0xa8; return b }(), 0},
		{"IPv4 options", func() []byte { b := append([]byte{}, ok...); b[14] = 0x46; return b }(), 0},
	} {
		if _, _, _, _, off := cfg.Needs.SkipOrRoute(c.b, layers.LinkTypeEthernet, false); off != c.off {
			t.Errorf("%s: IPv4 header at %d, want %d", c.name, off, c.off)
		}
	}
}

// errText is what a report reads of a frame's decoding: its errors and
// the bounds hit.
func errText(f *dissect.Frame) string {
	s := ""
	for _, err := range f.Errs {
		s += "|" + err.Error()
	}
	for _, b := range f.Bounds {
		s += "|" + b.Bound + ": " + b.Err.Error()
	}
	return s
}

// For the timeline (no tree, no info column: dissect.SMB's SkipText and
// SkipBodies), every frame of the captures, the crafted ones with their
// malformed SMB too, has the errors and bounds of the whole tree's decode.
func TestTimelineErrorsAreTheTree(t *testing.T) {
	crafted, _ := filepath.Glob("../testdata/crafted/*.pcap")
	errs := 0
	for _, c := range append(sharedAndLabCaptures(t), crafted...) {
		tl, full := New(Config{Needs: NewNeeds(Reads{Timeline: true})}), New(DefaultConfig())
		eachFrame(t, c, func(fr *captureFrame) {
			want := errText(full.DecodeNth(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0))
			if got := errText(tl.DecodeNth(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0)); got != want {
				t.Fatalf("%s frame %d, for the timeline:\n%s\nthe whole tree:\n%s", c, fr.n, got, want)
			}
			if want != "" {
				errs++
			}
		})
		tl.Close()
		full.Close()
	}
	if errs == 0 {
		t.Fatal("no frame with an error or a bound hit")
	}
	t.Logf("%d frames with errors or bounds hit", errs)
}
