package capture

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Every frame of a pcap and of a pcapng file can be read again from its
// Offset: the bytes there are the frame's Data. A gzip file's frames have
// none (0).
func TestPacketOffset(t *testing.T) {
	for _, name := range []string{"storm.pcapng", "dmb.subnetA.pcapng", "enum.pcapng"} {
		p := filepath.Join("..", "testdata", "pcaps", name)
		checkOffsets(t, p, false)
		// The same frames as a pcap file (Ethernet, microseconds).
		checkOffsets(t, writePcapCopy(t, p), false)
	}
	gz := filepath.Join(t.TempDir(), "storm.pcapng.gz")
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "pcaps", "storm.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(raw)
	zw.Close()
	if err := os.WriteFile(gz, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	checkOffsets(t, gz, true)
}

func checkOffsets(t *testing.T, path string, none bool) {
	t.Helper()
	src, err := OpenFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var p Packet
	n, known := 0, 0
	for {
		if err := src.Next(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		n++
		if p.Offset == 0 {
			continue
		}
		known++
		if none {
			t.Fatalf("%s frame %d: offset %d in a gzip file", path, n, p.Offset)
		}
		got := make([]byte, len(p.Data))
		if _, err := f.ReadAt(got, p.Offset); err != nil || !bytes.Equal(got, p.Data) {
			t.Fatalf("%s frame %d: bytes at offset %d differ from the frame (%v)", path, n, p.Offset, err)
		}
	}
	// pcapng: the first packet follows the interface block in the same
	// read; every other one is known.
	if !none && known < n-1 {
		t.Errorf("%s: %d of %d frames have an offset", path, known, n)
	}
}

// writePcapCopy writes the frames of a capture as a pcap file.
func writePcapCopy(t *testing.T, path string) string {
	t.Helper()
	src, err := OpenFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	out := filepath.Join(t.TempDir(), filepath.Base(path)+".pcap")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(MaxRecordSize, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	var p Packet
	for src.Next(&p) == nil {
		if err := w.WritePacket(p.CI, p.Data); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
