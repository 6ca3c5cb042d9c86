package capture

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// pcapOf writes the frames of a real capture (the election lab's) to a
// pcap file and returns its path.
func pcapOf(t *testing.T) string {
	t.Helper()
	src, err := OpenFile("../testdata/pcaps/election.pcapng", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var buf bytes.Buffer
	w := pcapgo.NewWriterNanos(&buf)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	var p Packet
	for src.Next(&p) == nil {
		if err := w.WritePacket(p.CI, p.Data); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "election.pcap")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOpenPcapAtIsOpenFile: from any record's offset on, OpenPcapAt gives
// the packets OpenFile gives from that record on, offsets and all, and
// ends as it ends.
func TestOpenPcapAtIsOpenFile(t *testing.T) {
	path := pcapOf(t)
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type rec struct {
		data   string
		off    int64
		caplen int
		length int
		ts     int64
	}
	var all []rec
	src, err := OpenFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	var p Packet
	for src.Next(&p) == nil {
		all = append(all, rec{string(p.Data), p.Offset, p.CI.CaptureLength, p.CI.Length, p.CI.Timestamp.UnixNano()})
	}
	src.Close()
	if len(all) < 10 {
		t.Fatalf("%d records", len(all))
	}
	for _, k := range []int{1, len(all) / 2, len(all) - 1} {
		off := all[k].off - pcapRecordHeader
		at, err := OpenPcapAt(file[:PcapFileHeaderSize], bytes.NewReader(file[off:]), off, path, 3, int64(len(file))-off)
		if err != nil {
			t.Fatal(err)
		}
		i := k
		for {
			err := at.Next(&p)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("from record %d: %v", k, err)
			}
			got := rec{string(p.Data), p.Offset, p.CI.CaptureLength, p.CI.Length, p.CI.Timestamp.UnixNano()}
			if i >= len(all) || got != all[i] || p.Source != 3 || p.LinkType != layers.LinkTypeEthernet {
				t.Fatalf("from record %d: record %d differs: offset %d, want %d", k, i, p.Offset, all[min(i, len(all)-1)].off)
			}
			i++
		}
		if i != len(all) {
			t.Errorf("from record %d: ended after record %d of %d", k, i, len(all))
		}
	}
	// Cut short: the error OpenFile's source gives, at the file's offset.
	off := all[len(all)/2].off - pcapRecordHeader
	at, err := OpenPcapAt(file[:PcapFileHeaderSize], bytes.NewReader(file[off:len(file)-3]), off, path, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	for err = at.Next(&p); err == nil; err = at.Next(&p) {
	}
	var te *TruncatedError
	if !errors.As(err, &te) || te.Offset != int64(len(file))-3 {
		t.Errorf("cut short: %v, want a TruncatedError at offset %d", err, len(file)-3)
	}
}

func TestOpenPcapAtRefusesOtherHeaders(t *testing.T) {
	ng, err := os.ReadFile("../testdata/pcaps/election.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenPcapAt(ng[:PcapFileHeaderSize], bytes.NewReader(ng[100:]), 100, "ng", 0, -1); !errors.Is(err, ErrUnknownFormat) && !errors.Is(err, ErrMalformed) {
		t.Errorf("a pcapng header: %v", err)
	}
	if _, err := OpenPcapAt(ng[:10], bytes.NewReader(nil), 100, "short", 0, -1); !errors.Is(err, ErrMalformed) {
		t.Errorf("a short header: %v", err)
	}
}
