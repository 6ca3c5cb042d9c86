package dissect

// NBDGM against tshark on whole captures.

import (
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// nbtCapturePacket is one frame of a capture, decoded by gopacket.
type nbtCapturePacket struct {
	frame int
	ci    gopacket.CaptureInfo
	pkt   gopacket.Packet
}

// nbtReadCapture reads a pcap or pcapng file from ../../shared/pcaps, or
// from the repository's testdata/pcaps when the name starts so, skipping
// the test if it is missing.
func nbtReadCapture(tb testing.TB, name string) []nbtCapturePacket {
	tb.Helper()
	path := name
	switch {
	case strings.HasPrefix(name, "testdata/pcaps/"): // the Samba lab captures, at the repository root
		path = filepath.Join("..", name)
	case !strings.HasPrefix(name, "/") && !strings.HasPrefix(name, "."):
		path = corpus.Path(tb, name)
	}
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var src interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	var lt layers.LinkType
	magic := make([]byte, 4)
	if _, err := io.ReadFull(f, magic); err != nil {
		tb.Fatal(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		tb.Fatal(err)
	}
	if string(magic) == "\x0a\x0d\x0d\x0a" {
		r, err := pcapgo.NewNgReader(f, pcapgo.DefaultNgReaderOptions)
		if err != nil {
			tb.Fatal(err)
		}
		src, lt = r, r.LinkType()
	} else {
		r, err := pcapgo.NewReader(f)
		if err != nil {
			tb.Fatal(err)
		}
		src, lt = r, r.LinkType()
	}
	var out []nbtCapturePacket
	for n := 1; ; n++ {
		data, ci, err := src.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatalf("%s frame %d: %v", name, n, err)
		}
		var first gopacket.Decoder = lt
		if lt == layers.LinkTypeRaw || lt == 12 || lt == 14 {
			first = layers.LayerTypeIPv4
		}
		p := gopacket.NewPacket(data, first, gopacket.Default)
		out = append(out, nbtCapturePacket{frame: n, ci: ci, pkt: p})
	}
	return out
}

// TestNBDGMCapturesMatchTshark decodes every UDP 138 packet of the shared
// corpus and compares all nbdgm.* fields with what tshark 4.0.17 printed,
// kept in testdata/tshark/nbdgm-fields.tsv (the command is in its first
// line).
func TestNBDGMCapturesMatchTshark(t *testing.T) {
	golden, err := os.ReadFile("testdata/tshark/nbdgm-fields.tsv")
	if err != nil {
		t.Fatal(err)
	}
	cols := []string{"nbdgm.type", "nbdgm.flags", "nbdgm.next", "nbdgm.first", "nbdgm.node_type", "nbdgm.dgram_id",
		"nbdgm.src.ip", "nbdgm.src.port", "nbdgm.dgram_len", "nbdgm.pkt_offset", "nbdgm.error_code",
		"nbdgm.source_name", "nbdgm.destination_name"}
	want := map[string]map[int]string{} // capture, frame: tab-joined fields
	for _, line := range strings.Split(string(golden), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		n, _ := strconv.Atoi(f[1])
		if want[f[0]] == nil {
			want[f[0]] = map[int]string{}
		}
		want[f[0]][n] = f[2]
	}
	// Where nbtsniff says more than tshark, on purpose.
	known := map[string]string{
		// The UDP length field says 38582: gopacket gives no payload.
		"synthetic/malformed-fuzzed-nbns-nbdgm_ndpi-fuzz-2006-06-26-2594.pcap 468": "bad UDP length",
		// After the source name's second label, 0x46 is a reserved label
		// type: tshark prints the name as illegal and then throws; nbtsniff
		// stops at the reserved label and shows no source name.
		"synthetic/malformed-fuzzed-nbns-nbdgm_ndpi-fuzz-2006-06-26-2594.pcap 472": "reserved label type",
	}
	files := make([]string, 0, len(want))
	for k := range want {
		files = append(files, k)
	}
	sort.Strings(files)
	var shared []string // asked for at once, so that the count says how many
	for _, f := range files {
		if !strings.HasPrefix(f, "testdata/") {
			shared = append(shared, f)
		}
	}
	corpus.Paths(t, shared...)
	total := 0
	for _, name := range files {
		seen := map[int]bool{}
		for _, cp := range nbtReadCapture(t, name) {
			udp, _ := cp.pkt.Layer(layers.LayerTypeUDP).(*layers.UDP)
			if udp == nil || (udp.SrcPort != PortNBDGM && udp.DstPort != PortNBDGM) {
				continue
			}
			key := name + " " + strconv.Itoa(cp.frame)
			w, ok := want[name][cp.frame]
			if !ok {
				t.Errorf("%s: tshark shows no NBDGM", key)
				continue
			}
			seen[cp.frame] = true
			var d NBDGM
			err := d.DecodeFromBytes(udp.Payload, nil)
			var tr Tree
			d.AppendTree(&tr)
			got := make([]string, len(cols))
			for i, c := range cols {
				got[i] = nbtFieldValues(t, &tr, c)
			}
			if g := strings.Join(got, "\t"); g != w {
				if _, ok := known[key]; !ok {
					t.Errorf("%s:\n got %q\nwant %q (decode error %v)", key, g, w, err)
				}
				continue
			}
			total++
		}
		for n := range want[name] {
			if !seen[n] && known[name+" "+strconv.Itoa(n)] == "" {
				t.Errorf("%s frame %d: tshark shows NBDGM, not decoded here", name, n)
			}
		}
	}
	if total < 100 {
		t.Errorf("only %d frames compared", total)
	}
}
