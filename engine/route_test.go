package engine

import (
	"encoding/binary"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// hasDgmFragment reports whether the frame's NBT datagram is a fragment.
func hasDgmFragment(f *dissect.Frame) bool {
	for _, m := range f.Msgs {
		if d, ok := m.(*dissect.NBDGM); ok && d.Fragmented() {
			return true
		}
	}
	return false
}

// Every frame Classify lets any engine decode (NBNS, and NBT datagrams
// while no fragment was seen), decoded by a fresh engine with DecodeNth,
// is what the engine that saw the whole capture made of it. It picks the
// NBNS and NBT datagram frames of Ethernet, 802.1Q, Linux SLL and raw IP
// captures, never a TCP or fragmented frame, and says mayFragment at or
// before every datagram or IPv4 fragment.
func TestClassifiedFramesDecodeAlone(t *testing.T) {
	picked, nbt := 0, 0
	for _, c := range sharedAndLabCaptures(t) {
		whole, alone := New(DefaultConfig()), New(DefaultConfig())
		fragments := false
		eachFrame(t, c, func(fr *captureFrame) {
			class, may := Classify(fr.data, fr.lt)
			fragments = fragments || may
			f := whole.Decode(fr.data, fr.ci, fr.lt, 0)
			want := frameText(f)
			if f.Proto == "NBNS" || f.Net.DstPort == 138 || f.Net.SrcPort == 138 {
				nbt++
			}
			if (f.Net.Fragmented || hasDgmFragment(f)) && !fragments {
				t.Errorf("%s frame %d: a fragment, and mayFragment was never said", c, fr.n)
			}
			if class == ClassStateless || class == ClassDatagram && !fragments {
				picked++
				if f.Net.IPProto != 17 || f.Net.Fragmented || hasDgmFragment(f) {
					t.Errorf("%s frame %d: %s (IP protocol %d) picked", c, fr.n, f.Proto, f.Net.IPProto)
				}
				if got := frameText(alone.DecodeNth(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0)); got != want {
					t.Fatalf("%s frame %d: alone\n%.400s\nwith the capture\n%.400s", c, fr.n, got, want)
				}
			}
		})
	}
	if picked < nbt*9/10 {
		t.Errorf("%d frames picked of %d NBNS and datagram frames", picked, nbt)
	}
	t.Logf("%d frames picked of %d NBNS and datagram frames", picked, nbt)
}

// An NBT datagram fragment (M set) is Ordered and mayFragment; the same
// datagram whole is ClassDatagram.
func TestClassifyDatagramFragment(t *testing.T) {
	// 0x11 DIRECT_GROUP, flags F (whole), id, 10.0.0.1:138, length, offset 0.
	dgm := []byte{0x11, 0x02, 0, 1, 10, 0, 0, 1, 0, 138, 0, 0, 0, 0}
	whole := udpFrame(t, dgm)
	if c, may := Classify(whole, layers.LinkTypeEthernet); c != ClassDatagram || may {
		t.Errorf("whole datagram: %v %v", c, may)
	}
	dgm[1] = 0x03 // F and M: the first of several
	if c, may := Classify(udpFrame(t, dgm), layers.LinkTypeEthernet); c != ClassOrdered || !may {
		t.Errorf("first fragment: %v %v", c, may)
	}
	dgm[1], dgm[13] = 0x00, 64 // a later fragment at offset 64
	if c, may := Classify(udpFrame(t, dgm), layers.LinkTypeEthernet); c != ClassOrdered || !may {
		t.Errorf("later fragment: %v %v", c, may)
	}
}

func TestClassifyMalformed(t *testing.T) {
	for _, b := range [][]byte{nil, {0}, make([]byte, 13), make([]byte, 34), append(make([]byte, 12), 0x81, 0x00)} {
		for _, lt := range []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2, layers.LinkTypeRaw, layers.LinkTypeNull, 255} {
			if c, _ := Classify(b, lt); c != ClassOrdered {
				t.Errorf("Classify(%x, %v) = %v", b, lt, c)
			}
		}
	}
}

// FuzzClassify: no input makes Classify panic, and a frame it lets any
// engine decode is one the engine decodes as unfragmented UDP, with no NBT
// datagram fragment in it.
func FuzzClassify(f *testing.F) {
	for _, c := range []string{"../testdata/pcaps/election.pcapng"} {
		r := openCapture(f, c)
		for i := 0; i < 20; i++ {
			data, _, err := r.ReadPacketData()
			if err != nil {
				break
			}
			f.Add(data, uint8(r.LinkType()))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, lt uint8) {
		checkSkipOrRoute(t, "fuzz", 0, data, layers.LinkType(lt))
		c, may := Classify(data, layers.LinkType(lt))
		if c == ClassOrdered {
			return
		}
		fr := New(DefaultConfig()).Decode(data, gopacket.CaptureInfo{CaptureLength: len(data), Length: len(data)}, layers.LinkType(lt), 0)
		if may || fr.Net.HasIP && (fr.Net.IPProto != 17 || fr.Net.Fragmented) || hasDgmFragment(fr) {
			t.Errorf("class %v (mayFragment %v) for a frame of IP protocol %d (fragmented %v, datagram fragment %v)",
				c, may, fr.Net.IPProto, fr.Net.Fragmented, hasDgmFragment(fr))
		}
	})
}

// SkipOrRoute is Skippable (with test) and Route in one pass: the same
// answers on every frame of the lab's and the shared captures, for needs
// that skip the sessions' frames and needs that do not.
func TestSkipOrRouteIsBoth(t *testing.T) {
	for _, path := range sharedAndLabCaptures(t) {
		eachFrame(t, path, func(fr *captureFrame) { checkSkipOrRoute(t, filepath.Base(path), fr.n, fr.data, fr.lt) })
	}
}

func checkSkipOrRoute(t *testing.T, name string, n int, data []byte, lt layers.LinkType) {
	t.Helper()
	c, may, shard := Route(data, lt)
	for _, needs := range []Needs{NewNeeds(Reads{Timeline: true}), NewNeeds(Reads{Fields: []string{"nbns.name"}}), {}} {
		for _, test := range []bool{false, true} {
			skip, c2, may2, shard2, _ := needs.SkipOrRoute(data, lt, test)
			want := test && needs.Skippable(data, lt)
			switch {
			case skip != want:
				t.Errorf("%s frame %d: SkipOrRoute(test %v) skips %v, Skippable %v", name, n, test, skip, want)
			case !skip && (c2 != c || may2 != may || shard2 != shard):
				t.Errorf("%s frame %d: SkipOrRoute(test %v) routes %v %v %d, Route %v %v %d", name, n, test, c2, may2, shard2, c, may, shard)
			}
		}
	}
}

// SkipOrRoute's pass over the usual IPv4 header (skipOrRouteIPv4) gives
// what Skippable and Route give, on a header changed field by field from
// a UDP and a TCP frame: every branch of the pass (fragments, lengths
// past the packet or the frame, protocols, ports, TCP data offsets and
// options, UDP lengths, datagram fragments, a packet cut after its IPv4
// header).
func TestSkipOrRouteUsualHeader(t *testing.T) {
	// 0x11 DIRECT_GROUP, flags F (whole), id, 10.0.0.1:138, length, offset 0.
	udp := udpFrame(t, []byte{0x11, 0x02, 0, 1, 10, 0, 0, 1, 0, 138, 0, 0, 0, 0, 1, 2, 3, 4})
	// The same frame as TCP 1025 -> 80 with a 24-byte header: a
	// maximum segment size option.
	tcp := append([]byte(nil), udp[:34]...)
	tcp[14+9] = 6
	tcp = append(tcp, 0x04, 0x01, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x60, 0x18, 0x10, 0, 0, 0, 0, 0, 2, 4, 5, 0xb4)
	binary.BigEndian.PutUint16(tcp[14+2:], uint16(len(tcp)-14))
	const ip = 14
	type change struct {
		name string
		f    func(b []byte) []byte
	}
	port := func(off int, p uint16) func([]byte) []byte {
		return func(b []byte) []byte { binary.BigEndian.PutUint16(b[ip+20+off:], p); return b }
	}
	set := func(off int, v byte) func([]byte) []byte {
		return func(b []byte) []byte { b[off] = v; return b }
	}
	changes := []change{
		{"as is", func(b []byte) []byte { return b }},
		{"MF", set(ip+6, 0x20)},
		{"fragment offset", set(ip+7, 1)},
		{"DF", set(ip+6, 0x40)},
		{"GRE", set(ip+9, 47)},
		{"ICMP", set(ip+9, 1)},
		{"UDP", set(ip+9, 17)},
		{"TCP", set(ip+9, 6)},
		{"total 19", func(b []byte) []byte { binary.BigEndian.PutUint16(b[ip+2:], 19); return b }},
		{"total 20", func(b []byte) []byte { binary.BigEndian.PutUint16(b[ip+2:], 20); return b }},
		{"total 27", func(b []byte) []byte { binary.BigEndian.PutUint16(b[ip+2:], 27); return b }},
		{"total past the frame", func(b []byte) []byte { binary.BigEndian.PutUint16(b[ip+2:], uint16(len(b)-ip+1)); return b }},
		{"total 0 (TSO)", func(b []byte) []byte { binary.BigEndian.PutUint16(b[ip+2:], 0); return b }},
		{"cut after the IPv4 header", func(b []byte) []byte { return b[:ip+20] }},
		{"cut in the UDP header", func(b []byte) []byte { return b[:ip+27] }},
		{"cut after 8 bytes", func(b []byte) []byte { return b[:ip+28] }},
		{"source port 137", port(0, 137)},
		{"destination port 137", port(2, 137)},
		{"source port 138", port(0, 138)},
		{"ports 1025, 53", func(b []byte) []byte { port(0, 1025)(b); return port(2, 53)(b) }},
		{"ports 139, 80", func(b []byte) []byte { port(0, 139)(b); return port(2, 80)(b) }},
		{"ports 1025, 445", func(b []byte) []byte { port(0, 1025)(b); return port(2, 445)(b) }},
		{"ports 1025, 80", func(b []byte) []byte { port(0, 1025)(b); return port(2, 80)(b) }},
		{"UDP length 7", port(4, 7)},
		{"UDP length 8", port(4, 8)},
		{"UDP length past the packet", port(4, 200)},
		{"datagram fragment (M)", set(ip+28+1, 0x03)},
		{"datagram fragment (offset)", set(ip+28+13, 64)},
		{"TCP data offset 16", set(ip+20+12, 0x40)},
		{"TCP data offset 60", set(ip+20+12, 0xf0)},
		{"TCP option length 1", set(ip+20+21, 1)},
		{"TCP option length past the header", set(ip+20+21, 9)},
		{"TCP end of options", set(ip+20+20, 0)},
		{"addresses swapped", func(b []byte) []byte {
			var a [4]byte
			copy(a[:], b[ip+12:])
			copy(b[ip+12:], b[ip+16:ip+20])
			copy(b[ip+16:], a[:])
			return b
		}},
		{"options (IHL 6)", set(ip, 0x46)},
		{"IPv6 version", set(ip, 0x65)},
	}
	n := 0
	for _, base := range []struct {
		name string
		b    []byte
	}{{"udp", udp}, {"tcp", tcp}} {
		for _, c := range changes {
			for _, more := range []func([]byte) []byte{func(b []byte) []byte { return b }, port(0, 1025), port(2, 80),
				func(b []byte) []byte { port(0, 1025)(b); return port(2, 53)(b) }} {
				b := c.f(more(append([]byte(nil), base.b...)))
				n++
				checkSkipOrRoute(t, base.name+" "+c.name, n, b, layers.LinkTypeEthernet)
				// And behind VLAN tags: one, two (802.1ad outside),
				// three (more than the pass takes).
				for _, tags := range [][]uint16{{0x8100}, {0x88a8, 0x8100}, {0x8100, 0x8100, 0x8100}, {0x88a8}} {
					tagged := append([]byte(nil), b[:12]...)
					for _, tpid := range tags {
						tagged = binary.BigEndian.AppendUint16(tagged, tpid)
						tagged = append(tagged, 0x00, 0x05) // VLAN 5
					}
					tagged = append(tagged, b[12:]...)
					checkSkipOrRoute(t, fmt.Sprintf("%s %s tags %x", base.name, c.name, tags), n, tagged, layers.LinkTypeEthernet)
					for cut := 12; c.name == "as is" && cut <= 14+4*len(tags)+20; cut++ { // cut in the tags or the IPv4 header
						checkSkipOrRoute(t, fmt.Sprintf("%s tags %x cut at %d", base.name, tags, cut), n, tagged[:cut], layers.LinkTypeEthernet)
					}
				}
			}
		}
	}
	// The pass answers both ways: frames skipped, and frames of each class.
	needs := NewNeeds(Reads{Timeline: true})
	if skip, _, _, _, _ := needs.SkipOrRoute(tcp, layers.LinkTypeEthernet, true); !skip {
		t.Error("TCP 1025 -> 80 not skipped")
	}
	for _, w := range []struct {
		b []byte
		c FrameClass
	}{{udp, ClassDatagram}, {port(0, 137)(append([]byte(nil), udp...)), ClassStateless}, {port(2, 139)(append([]byte(nil), tcp...)), ClassOrdered}} {
		if skip, c, _, _, _ := needs.SkipOrRoute(w.b, layers.LinkTypeEthernet, true); skip || c != w.c {
			t.Errorf("skip %v class %v, want %v", skip, c, w.c)
		}
	}
}
