package engine

import (
	"encoding/binary"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
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
		s += "|" + strconv.Itoa(int(n.Field)) + ":" + strconv.Itoa(int(n.Depth)) + ":" + strconv.FormatUint(n.U, 16) + ":" + string(n.S) + ":" + n.Label +
			":" + strconv.Itoa(int(n.Src)) + "@" + strconv.Itoa(int(n.Off)) + "+" + strconv.Itoa(int(n.Len)) + "/" + strconv.Itoa(int(n.Flags))
	}
	for _, src := range f.Tree.Sources {
		s += "|source " + src.Name + ":" + string(src.Data)
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

// sharedAndLabCaptures lists the real captures of the corpus (if it is
// there), the lab captures of testdata/pcaps and the frames built to the
// spec of testdata/specframes.
func sharedAndLabCaptures(t testing.TB) []string {
	lab, _ := filepath.Glob("../testdata/pcaps/*.pcapng")
	spec, _ := filepath.Glob("../testdata/specframes/*.pcap")
	if len(lab) == 0 || len(spec) == 0 {
		t.Fatal("no captures in testdata/pcaps or testdata/specframes")
	}
	return append(append(corpus.Maybe(t, "*.pcap*"), lab...), spec...)
}

// captureFrame is one frame of a capture with what DecodeNth needs: its
// number (from 1), and the capture times of the first frame and of the
// one before it.
type captureFrame struct {
	n           int
	data        []byte
	ci          gopacket.CaptureInfo
	lt          layers.LinkType
	first, prev time.Time
}

// eachFrame calls fn for every frame of the capture at path, in order.
func eachFrame(t testing.TB, path string, fn func(fr *captureFrame)) {
	r := openCapture(t, path)
	fr := captureFrame{lt: r.LinkType()}
	for fr.n = 1; ; fr.n++ {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			return
		}
		if fr.n == 1 {
			fr.first, fr.prev = ci.Timestamp, ci.Timestamp
		}
		fr.data, fr.ci = data, ci
		fn(&fr)
		fr.prev = ci.Timestamp
	}
}

// dgramReal returns the UDP payload of
// browser-host-announce-request_ppa-bethscomputer.pcap frame 2, tshark:
// "2 1.271630 192.168.0.122 → 192.168.0.255 BROWSER 228 Request
// Announcement TESLA-MARKETING": a DIRECT_GROUP datagram, DGM_ID 0x8050,
// 34-byte names, 104 bytes of user data. It is a corpus case
// (internal/corpus).
func dgramReal(tb testing.TB) []byte {
	tb.Helper()
	path := corpus.Path(tb, "browser-host-announce-request_ppa-bethscomputer.pcap")
	r := openCapture(tb, path)
	for n := 1; ; n++ {
		data, _, err := r.ReadPacketData()
		if err != nil {
			break
		}
		if n != 2 {
			continue
		}
		p := gopacket.NewPacket(data, r.LinkType(), gopacket.Default)
		udp, _ := p.Layer(layers.LayerTypeUDP).(*layers.UDP)
		if udp == nil || udp.DstPort != layers.UDPPort(dissect.PortNBDGM) {
			tb.Fatal("frame 2 is not a datagram")
		}
		return udp.Payload
	}
	tb.Fatal("no frame 2")
	return nil
}

// dgramFragments splits the real datagram's user data at the given
// offsets, built to RFC 1002 §4.4.1: each fragment has the header and both
// names, F on the first, M on all but the last, PACKET_OFFSET set and
// DGM_LENGTH counting the names and its own data. id replaces DGM_ID.
func dgramFragments(tb testing.TB, id uint16, cuts ...int) [][]byte {
	real := dgramReal(tb)
	const names = 14 + 34 + 34
	hdr, user := real[:names], real[names:]
	var out [][]byte
	prev := 0
	for i, c := range append(cuts, len(user)) {
		f := append([]byte(nil), hdr...)
		f[1] &^= byte(dissect.NBDGMFlagFirst | dissect.NBDGMFlagMore)
		if i == 0 {
			f[1] |= byte(dissect.NBDGMFlagFirst)
		}
		if i < len(cuts) {
			f[1] |= byte(dissect.NBDGMFlagMore)
		}
		binary.BigEndian.PutUint16(f[2:], id)
		binary.BigEndian.PutUint16(f[10:], uint16(68+c-prev))
		binary.BigEndian.PutUint16(f[12:], uint16(prev))
		out = append(out, append(f, user[prev:c]...))
		prev = c
	}
	return out
}
