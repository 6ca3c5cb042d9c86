package reassembly

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// frameText is everything a printer can read of a decoded frame.
func frameText(f *dissect.Frame) string {
	s := strconv.Itoa(f.Number) + "|" + f.Rel.String() + "|" + f.Proto + "|" + string(f.Info)
	for _, n := range f.Tree.Nodes {
		s += "|" + strconv.Itoa(int(n.Field)) + ":" + strconv.Itoa(int(n.Depth)) + ":" + strconv.FormatUint(n.U, 16) + ":" + string(n.S) + ":" + n.Label
	}
	for _, err := range f.Errs {
		s += "|" + err.Error()
	}
	return s
}

type packetReader interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	LinkType() layers.LinkType
}

func openCapture(t testing.TB, path string) packetReader {
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fh.Close() })
	if r, err := pcapgo.NewReader(fh); err == nil {
		return r
	}
	fh.Seek(0, 0)
	r, err := pcapgo.NewNgReader(fh, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r
}

// Every frame Stateless picks, decoded by a fresh engine with DecodeNth,
// is what the engine that saw the whole capture made of it; it picks the
// NBNS frames (of Ethernet, 802.1Q, Linux SLL and raw IP captures) and no
// TCP, NBT datagram or fragmented frame.
func TestStatelessFramesDecodeAlone(t *testing.T) {
	caps, _ := filepath.Glob("../../shared/pcaps/*.pcap*")
	if len(caps) == 0 {
		t.Skip("../shared/pcaps is missing (it comes with the project's shared directory)")
	}
	lab, _ := filepath.Glob("../testdata/pcaps/*.pcapng")
	picked, nbns := 0, 0
	for _, c := range append(caps, lab...) {
		r := openCapture(t, c)
		whole, alone := New(DefaultConfig()), New(DefaultConfig())
		var first, prev time.Time
		for n := 1; ; n++ {
			data, ci, err := r.ReadPacketData()
			if err != nil {
				break
			}
			if n == 1 {
				first, prev = ci.Timestamp, ci.Timestamp
			}
			f := whole.Decode(data, ci, r.LinkType(), 0)
			want := frameText(f)
			if f.Proto == "NBNS" {
				nbns++
			}
			if Stateless(data, r.LinkType()) {
				picked++
				if f.Net.IPProto == 6 || f.Proto == "NBDGM" || f.Net.Fragmented {
					t.Errorf("%s frame %d: %s (IP protocol %d) picked as stateless", c, n, f.Proto, f.Net.IPProto)
				}
				if got := frameText(alone.DecodeNth(n, first, prev, data, ci, r.LinkType(), 0)); got != want {
					t.Fatalf("%s frame %d: alone\n%.400s\nwith the capture\n%.400s", c, n, got, want)
				}
			}
			prev = ci.Timestamp
		}
	}
	if picked == 0 || picked < nbns*9/10 {
		t.Errorf("%d frames picked of %d NBNS frames", picked, nbns)
	}
	t.Logf("%d stateless frames, %d NBNS frames", picked, nbns)
}

func TestStatelessMalformed(t *testing.T) {
	for _, b := range [][]byte{nil, {0}, make([]byte, 13), make([]byte, 34), append(make([]byte, 12), 0x81, 0x00)} {
		for _, lt := range []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2, layers.LinkTypeRaw, layers.LinkTypeNull, 255} {
			if Stateless(b, lt) {
				t.Errorf("Stateless(%x, %v) = true", b, lt)
			}
		}
	}
}

// FuzzStateless: no input makes Stateless panic, and a frame it picks is
// one the engine decodes as unfragmented UDP.
func FuzzStateless(f *testing.F) {
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
		if !Stateless(data, layers.LinkType(lt)) {
			return
		}
		fr := New(DefaultConfig()).Decode(data, gopacket.CaptureInfo{CaptureLength: len(data), Length: len(data)}, layers.LinkType(lt), 0)
		if fr.Net.HasIP && (fr.Net.IPProto != 17 || fr.Net.Fragmented) {
			t.Errorf("picked a frame of IP protocol %d (fragmented %v)", fr.Net.IPProto, fr.Net.Fragmented)
		}
	})
}
