package engine

import (
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
			skip, c2, may2, shard2 := needs.SkipOrRoute(data, lt, test)
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
