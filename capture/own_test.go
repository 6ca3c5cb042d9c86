package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// The tests of this file read the repository's own captures: the Samba
// lab's pcapng files (testdata/pcaps) and the pcap files built to the spec
// (testdata/specframes). They check what the tests of the shared corpus
// check, for a clone that does not have ../shared/pcaps.

// ownFiles is every capture of the repository with what capinfos says of
// it (capinfos -T -r -c -d -S -a -e -E -t FILE; times in microseconds).
var ownFiles = []struct {
	path             string
	format           string
	linkType         layers.LinkType
	count, dataSize  int
	earliest, latest int64
}{
	{"../testdata/pcaps/dmb.pcapng", formatPcapng, layers.LinkTypeEthernet, 534, 70783, 1795308774792292, 1795309003934820},
	{"../testdata/pcaps/dmb.subnetA.pcapng", formatPcapng, layers.LinkTypeEthernet, 286, 37052, 1795308774792292, 1795309003934820},
	{"../testdata/pcaps/dmb.subnetB.pcapng", formatPcapng, layers.LinkTypeEthernet, 248, 33731, 1795308793826763, 1795309003676356},
	{"../testdata/pcaps/election.pcapng", formatPcapng, layers.LinkTypeEthernet, 222, 33523, 1795308410364688, 1795308609657509},
	{"../testdata/pcaps/enum.pcapng", formatPcapng, layers.LinkTypeEthernet, 1056, 146001, 1795309013119389, 1795309054124914},
	{"../testdata/pcaps/storm.pcapng", formatPcapng, layers.LinkTypeEthernet, 335, 51682, 1795309063836564, 1795309205276563},
	{"../testdata/pcaps/two-workgroups.pcapng", formatPcapng, layers.LinkTypeEthernet, 231, 32601, 1795308615531835, 1795308769524390},
	{"../testdata/specframes/link-ethernet.pcap", formatPcap, layers.LinkTypeEthernet, 4, 350, 1767225600000000, 1767225600003000},
	{"../testdata/specframes/link-null.pcap", formatPcap, layers.LinkTypeNull, 1, 82, 1767225600000000, 1767225600000000},
	{"../testdata/specframes/link-raw.pcap", formatPcap, layers.LinkTypeRaw, 1, 78, 1767225600000000, 1767225600000000},
	{"../testdata/specframes/link-sll.pcap", formatPcap, layers.LinkTypeLinuxSLL, 1, 94, 1767225600000000, 1767225600000000},
	{"../testdata/specframes/link-sll2.pcap", formatPcap, layers.LinkTypeLinuxSLL2, 1, 98, 1767225600000000, 1767225600000000},
	// capinfos's data size, 452, counts frame 5 as on the wire (92 bytes,
	// 60 captured).
	{"../testdata/pcaps/deadwins.pcapng", formatPcapng, layers.LinkTypeEthernet, 236, 29578, 1796520249823003, 1796520369801855},
	{"../testdata/pcaps/mask25.pcapng", formatPcapng, layers.LinkTypeEthernet, 133, 19740, 1796518928124545, 1796519103040056},
	{"../testdata/pcaps/multihomed.pcapng", formatPcapng, layers.LinkTypeEthernet, 160, 22692, 1796519441199241, 1796519567244837},
	{"../testdata/pcaps/nofw138.pcapng", formatPcapng, layers.LinkTypeEthernet, 172, 27534, 1796518289374321, 1796518474833460},
	{"../testdata/pcaps/os255.pcapng", formatPcapng, layers.LinkTypeEthernet, 135, 18825, 1796519888484640, 1796520038920752},
	{"../testdata/pcaps/relay.pcapng", formatPcapng, layers.LinkTypeEthernet, 211, 33553, 1796519157284367, 1796519373469386},
	{"../testdata/pcaps/relay.subnetA.pcapng", formatPcapng, layers.LinkTypeEthernet, 75, 10697, 1796519186425661, 1796519372501452},
	{"../testdata/pcaps/relay.subnetB.pcapng", formatPcapng, layers.LinkTypeEthernet, 136, 22856, 1796519157284367, 1796519373469386},
	{"../testdata/pcaps/spoof.pcapng", formatPcapng, layers.LinkTypeEthernet, 152, 19320, 1796520846531470, 1796520947724486},
	{"../testdata/pcaps/twopreferred.pcapng", formatPcapng, layers.LinkTypeEthernet, 199, 29217, 1796519660538894, 1796519841157589},
	{"../testdata/pcaps/typo.pcapng", formatPcapng, layers.LinkTypeEthernet, 254, 33849, 1796520429775316, 1796520521196794},
	{"../testdata/specframes/udp-edges.pcap", formatPcap, layers.LinkTypeEthernet, 6, 420, 1767225600000000, 1767225600005000},
}

func TestOpenFileOwn(t *testing.T) {
	// testdata/crafted holds captures that break the format on purpose
	// (lost_test.go reads them).
	lab, _ := filepath.Glob("../testdata/pcaps/*.pcap*")
	spec, _ := filepath.Glob("../testdata/specframes/*.pcap*")
	found := append(lab, spec...)
	if len(found) != len(ownFiles) {
		t.Errorf("%d captures in testdata, %d in ownFiles", len(found), len(ownFiles))
	}
	for i, tt := range ownFiles {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			src, err := OpenFile(tt.path, i)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if got := fileFormat(src); got != tt.format {
				t.Errorf("format %s, want %s", got, tt.format)
			}
			checkCorpusFile(t, src, i, tt.linkType, tt.count, tt.dataSize, tt.earliest, tt.latest)
		})
	}
}

const (
	ownElection = "../testdata/pcaps/election.pcapng"
	ownEdges    = "../testdata/specframes/udp-edges.pcap"
)

// ownPcap is the lab's election capture rewritten as a little-endian
// microsecond pcap file: real frames in the classic format (222 records).
func ownPcap(t *testing.T) ([]byte, []frame) {
	t.Helper()
	frames := truncateMicro(openAll(t, ownElection, 0))
	return writePcap(t, binary.LittleEndian, magicPcapMicro, false, frames), frames
}

// TestGzipOwn: the magic bytes say gzip, whatever the name.
func TestGzipOwn(t *testing.T) {
	for _, path := range []string{ownElection, ownEdges} {
		want := openAll(t, path, 0)
		src, err := OpenFile(writeTemp(t, "capture.pcap", gzipBytes(t, readFile(t, path))), 0)
		if err != nil {
			t.Fatal(err)
		}
		got, err := readAll(t, src)
		src.Close()
		if err != nil || !src.(*fileSource).gzip {
			t.Fatalf("%s: gzip %v, error %v", path, src.(*fileSource).gzip, err)
		}
		sameFrames(t, got, want)
	}
}

// TestPcapVariantsOwn reads the election frames back from pcap files of
// both byte orders and both time resolutions.
func TestPcapVariantsOwn(t *testing.T) {
	_, want := ownPcap(t)
	for _, tt := range []struct {
		order binary.ByteOrder
		magic uint32
		nanos bool
	}{
		{binary.LittleEndian, magicPcapMicro, false},
		{binary.LittleEndian, magicPcapNano, true},
		{binary.BigEndian, magicPcapMicro, false},
		{binary.BigEndian, magicPcapNano, true},
	} {
		src, err := OpenReader(bytes.NewReader(writePcap(t, tt.order, tt.magic, tt.nanos, want)), "variant", 0)
		if err != nil {
			t.Fatal(err)
		}
		got, err := readAll(t, src)
		if err != nil {
			t.Fatal(err)
		}
		sameFrames(t, got, want)
	}
}

// TestTruncatedOwn cuts the pcap inside record 51 and the pcapng inside a
// block: the whole records come out, then a *TruncatedError; a cut gzip
// stream says so.
func TestTruncatedOwn(t *testing.T) {
	full, _ := ownPcap(t)
	ends := pcapRecordEnds(t, full)
	for _, cut := range []struct{ at, records int }{
		{ends[49] + 16 + 33, 50}, {ends[49] + 7, 50}, {ends[49] + 16, 50}, {len(full) - 1, 221}, {11, 0},
	} {
		path := writeTemp(t, "cut.pcap", full[:cut.at])
		src, err := OpenFile(path, 0)
		var frames []frame
		if err == nil {
			frames, err = readAll(t, src)
		}
		if len(frames) != cut.records {
			t.Errorf("cut at %d: %d records, want %d", cut.at, len(frames), cut.records)
		}
		checkTruncated(t, err, &TruncatedError{File: path, Offset: int64(cut.at), Records: cut.records})
	}

	ng := readFile(t, ownElection)
	blocks, packets := pcapngBlockEnds(t, ng)
	b := len(blocks) / 2
	path := writeTemp(t, "cut.pcapng", ng[:blocks[b]+41])
	src, err := OpenFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := readAll(t, src)
	if len(frames) != packets[b] {
		t.Errorf("pcapng: %d packets, want %d", len(frames), packets[b])
	}
	checkTruncated(t, err, &TruncatedError{File: path, Offset: int64(blocks[b] + 41), Records: packets[b]})

	gz := gzipBytes(t, full)
	src, err = OpenReader(bytes.NewReader(gz[:len(gz)/2]), "cut gzip", 0)
	if err != nil {
		t.Fatal(err)
	}
	frames, err = readAll(t, src)
	var te *TruncatedError
	if !errors.As(err, &te) || !te.Gzip || te.Records != len(frames) || len(frames) == 0 || len(frames) >= 222 {
		t.Errorf("cut gzip: %d frames, error %v", len(frames), err)
	}
}

// TestMalformedRecordOwn: a record that claims 4 GiB ends the file with
// ErrMalformed after the records before it.
func TestMalformedRecordOwn(t *testing.T) {
	full, _ := ownPcap(t)
	ends := pcapRecordEnds(t, full)
	binary.LittleEndian.PutUint32(full[ends[1]+8:], 0xfffffff0)
	src, err := OpenReader(bytes.NewReader(full), "bad", 0)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := readAll(t, src)
	var fe *FileError
	if len(frames) != 2 || !errors.As(err, &fe) || !errors.Is(err, ErrMalformed) || fe.Offset != int64(ends[1]) {
		t.Fatalf("%d frames, error %v", len(frames), err)
	}
}

// TestStdinOwn reads a pcap from an io.Reader.
func TestStdinOwn(t *testing.T) {
	src, err := OpenReader(bytes.NewReader(readFile(t, ownEdges)), "pipe", 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, src)
	if err != nil {
		t.Fatal(err)
	}
	sameFrames(t, got, openAll(t, ownEdges, 0))
	if src.Label() != "pipe" || got[4].length != 92 || got[4].capLen != 60 {
		t.Errorf("label %q, frame 5 %d of %d bytes", src.Label(), got[4].capLen, got[4].length)
	}
}

// TestMergeOwn: the lab's dmb.pcapng is mergecap's merge of its two
// subnets' captures; Merge gives the same frames in the same order.
func TestMergeOwn(t *testing.T) {
	var srcs []Source
	for i, p := range []string{"../testdata/pcaps/dmb.subnetA.pcapng", "../testdata/pcaps/dmb.subnetB.pcapng"} {
		src, err := OpenFile(p, i)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	m := Merge(srcs)
	defer m.Close()
	got, err := readAll(t, m)
	if err != nil {
		t.Fatal(err)
	}
	sameFrames(t, got, openAll(t, "../testdata/pcaps/dmb.pcapng", 0))
	if got[0].source != 0 || got[len(got)-1].source != 0 || !strings.Contains(m.Label(), "+") {
		t.Errorf("sources %d..%d, label %q", got[0].source, got[len(got)-1].source, m.Label())
	}
}

// TestWriterRoundTripOwn writes the merge of the files built to the spec,
// five link types, and reads it back: one pcapng interface per input.
func TestWriterRoundTripOwn(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/specframes/*.pcap")
	var srcs []Source
	for i, p := range paths {
		src, err := OpenFile(p, i)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	m := Merge(srcs)
	var buf bytes.Buffer
	w := NewPcapngWriter(&buf)
	var want []frame
	var p Packet
	for m.Next(&p) == nil {
		want = append(want, copyFrame(&p))
		if err := w.WritePacket(&p); err != nil {
			t.Fatal(err)
		}
	}
	m.Close()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	src, err := OpenReader(bytes.NewReader(buf.Bytes()), "round trip", 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, src)
	if err != nil {
		t.Fatal(err)
	}
	sameFrames(t, got, want)
	if n := src.(*fileSource).ng.NInterfaces(); n != len(paths) || len(want) != 14 {
		t.Errorf("%d interfaces for %d inputs, %d frames", n, len(paths), len(want))
	}
	checkWithCapinfos(t, buf.Bytes(), len(want))
}

// TestNextAllocsOwn: no allocation per frame once the buffer has grown.
func TestNextAllocsOwn(t *testing.T) {
	full, _ := ownPcap(t)
	for _, data := range [][]byte{full, readFile(t, ownElection)} {
		src, err := OpenReader(bytes.NewReader(data), "allocs", 0)
		if err != nil {
			t.Fatal(err)
		}
		var p Packet
		for range 20 {
			if err := src.Next(&p); err != nil {
				t.Fatal(err)
			}
		}
		if allocs := testing.AllocsPerRun(150, func() {
			if err := src.Next(&p); err != nil && err != io.EOF {
				t.Fatal(err)
			}
		}); allocs != 0 {
			t.Errorf("%v allocations per frame, want 0", allocs)
		}
	}
}

// TestNBTProgramOwn runs the in-kernel program over the frames of the
// repository's Ethernet and raw IP captures: the lab's NBT frames pass,
// the 802.1Q-tagged query passes, NetBEUI, IPX and the ERSPAN-tunnelled
// query do not (see TestNBTProgram for the corpus).
func TestNBTProgramOwn(t *testing.T) {
	var passed, rejected, tagged int
	for _, tt := range ownFiles {
		if tt.linkType != layers.LinkTypeEthernet && tt.linkType != layers.LinkTypeRaw {
			continue
		}
		prog, err := nbtProgram(tt.linkType, 65535)
		if err != nil {
			t.Fatal(err)
		}
		vm, err := bpf.NewVM(prog)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range openAll(t, tt.path, 0) {
			n, err := vm.Run(f.data)
			if err != nil {
				t.Fatalf("%s frame %d: %v", tt.path, i+1, err)
			}
			if want := nbtReference(f.data, f.linkType); (n != 0) != want {
				t.Errorf("%s frame %d: program returns %d, decoders say pass=%v", tt.path, i+1, n, want)
			} else if want {
				passed++
				tagged += boolInt(isTagged(f))
			} else {
				rejected++
			}
		}
	}
	t.Logf("%d frames passed (%d 802.1Q-tagged), %d rejected", passed, tagged, rejected)
	if passed < 1000 || rejected < 3 || tagged == 0 {
		t.Errorf("the captures do not exercise the program: %d passed, %d tagged, %d rejected", passed, tagged, rejected)
	}
}
