package engine

import (
	"encoding/binary"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
	"github.com/nbtsniff/nbtsniff/internal/specframes"
)

// udpEdgeFrames runs fn on each frame the UDP edge tests start from, in
// a subtest: a name query built to the spec (internal/specframes), and
// the real Windows XP name query of the wanderview capture (corpus). Both
// are Ethernet, IPv4 without options (UDP at 34, NBNS at 42), 92 bytes.
func udpEdgeFrames(t *testing.T, fn func(t *testing.T, data []byte, wire int)) {
	t.Run("spec", func(t *testing.T) {
		q := specframes.Query(0x1001)
		fn(t, q, len(q))
	})
	t.Run("corpus", func(t *testing.T) {
		r := openCapture(t, corpus.Path(t, "nbns-winxp-query_wanderview.pcap"))
		data, ci, err := r.ReadPacketData()
		if err != nil {
			t.Fatal(err)
		}
		if len(data) < 60 || binary.BigEndian.Uint16(data[36:]) != 137 {
			t.Fatalf("not the NBNS query: %d bytes", len(data))
		}
		fn(t, data, ci.Length)
	})
}

func hasHidden(f *dissect.Frame, id dissect.FieldID) *dissect.Node {
	for i := range f.Tree.Nodes {
		if n := &f.Tree.Nodes[i]; n.Field == id && n.Flags&dissect.NodeHidden != 0 {
			return n
		}
	}
	return nil
}

func hasProto(f *dissect.Frame, proto string) bool {
	for i := range f.Tree.Nodes {
		if n := &f.Tree.Nodes[i]; n.Field != 0 && dissect.Field(n.Field).Proto == proto {
			return true
		}
	}
	return false
}

// A UDP length of 0 is no jumbogram in IPv4 (gopacket reads it as one):
// tshark calls it "[BAD UDP LENGTH 0 < 8]" and decodes nothing above UDP
// (pevma/mrp's fuzzed NBNS capture has 1000 such frames).
func TestUDPLengthZero(t *testing.T) {
	udpEdgeFrames(t, func(t *testing.T, data []byte, _ int) {
		binary.BigEndian.PutUint16(data[38:], 0)
		e := New(DefaultConfig())
		f := e.Decode(data, ciOf(len(data)), linkEthernet, 0)
		if hasProto(f, "nbns") || !strings.HasSuffix(string(f.Info), "137 → 137 [BAD UDP LENGTH 0 < 8]") ||
			len(f.Errs) != 1 || hasHidden(f, dissect.FieldMalformed) == nil {
			t.Errorf("UDP length 0: %s", frameText(f))
		}
	})
}

// An empty datagram to port 137 or 138 carries no NBT message: tshark
// shows "UDP 62025 → 138 Len=0" (an nmap UDP scan in EvilFingers' captures;
// frames 3 and 4 of testdata/specframes/udp-edges.pcap).
func TestUDPEmptyNBTPort(t *testing.T) {
	udpEdgeFrames(t, func(t *testing.T, data []byte, _ int) {
		for _, port := range []uint16{137, 138} {
			data = data[:42]
			binary.BigEndian.PutUint16(data[16:], 28)   // IPv4 total length
			binary.BigEndian.PutUint16(data[36:], port) // destination port
			binary.BigEndian.PutUint16(data[38:], 8)    // UDP length
			binary.BigEndian.PutUint16(data[40:], 0)    // no checksum
			e := New(DefaultConfig())
			f := e.Decode(data, ciOf(len(data)), linkEthernet, 0)
			if hasProto(f, "nbns") || hasProto(f, "nbdgm") || f.Proto != "UDP" ||
				!strings.HasSuffix(string(f.Info), " → "+strconv.Itoa(int(port))+" Len=0") || len(f.Errs) != 0 {
				t.Errorf("empty datagram to %d: %s", port, frameText(f))
			}
		}
	})
}

// A frame the capture cut (snap length) is not malformed: tshark notes
// "[Packet size limited during capture: NBNS truncated]" and adds
// _ws.short (tcpdump's nbns-valgrind test capture: 68 of 92 bytes).
func TestSnapLengthCut(t *testing.T) {
	udpEdgeFrames(t, func(t *testing.T, data []byte, wire int) {
		cut := data[:60] // inside the question name
		e := New(DefaultConfig())
		ci := ciOf(len(cut))
		ci.Length = wire
		f := e.Decode(cut, ci, linkEthernet, 0)
		short := hasHidden(f, dissect.FieldShort)
		if len(f.Errs) != 0 || hasHidden(f, dissect.FieldMalformed) != nil || short == nil ||
			string(short.S) != "[Packet size limited during capture: NBNS truncated]" ||
			!strings.HasSuffix(string(f.Info), "[Packet size limited during capture]") {
			t.Errorf("cut frame: %s", frameText(f))
		}
		// The same bytes as a whole frame are malformed.
		f = e.Decode(cut, ciOf(len(cut)), linkEthernet, 0)
		if len(f.Errs) != 1 || hasHidden(f, dissect.FieldMalformed) == nil || hasHidden(f, dissect.FieldShort) != nil {
			t.Errorf("truncated frame: %s", frameText(f))
		}
	})
}

func ciOf(n int) gopacket.CaptureInfo {
	return gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0), CaptureLength: n, Length: n}
}

const linkEthernet = layers.LinkTypeEthernet

// The layers above NBT are skipped only for field lists that cannot show
// them (TestFieldsWithoutUpperLayers in cmd/nbtsniff compares the output).
func TestUpperNeeded(t *testing.T) {
	for _, c := range []struct {
		reads Reads
		want  bool
	}{
		{Reads{}, true},
		{Reads{Fields: []string{"nbns.name", "nbss.type", "nbdgm.type", "frame.number", "ip.src"}}, false},
		{Reads{Fields: []string{"nbns.name", "_ws.col.Info"}}, true},
		{Reads{Fields: []string{"nbss.type", "smb.cmd"}}, true},
		{Reads{Fields: []string{"nbss.type", "browser.server"}}, true},
		{Reads{Fields: []string{"nbss.type", "frame.protocols"}}, true},
		{Reads{Fields: []string{"nbss.type", "_ws.malformed"}}, true},
		{Reads{Fields: []string{"nbns.name"}, Filter: "nbns"}, true},
		{Reads{Timeline: true}, true},
		{Reads{Completions: true}, true},
	} {
		if got := NewNeeds(c.reads).upper; got != c.want {
			t.Errorf("NewNeeds(%+v).upper = %v", c.reads, got)
		}
	}
}
