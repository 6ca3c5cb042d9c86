package pipeline

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/capture"
)

// readAll reads p to its end and returns the number of frames and the
// error that ended it (nil at io.EOF).
func readAll(t *testing.T, p *Pipeline) (int, error) {
	t.Helper()
	n := 0
	for {
		f, err := p.Next(context.Background())
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if f.Number != n+1 {
			t.Fatalf("frame %d numbered %d", n+1, f.Number)
		}
		n++
	}
}

// cutCapture writes the first size bytes of a lab capture to a file.
func cutCapture(t *testing.T, name string, size int) string {
	t.Helper()
	b, err := os.ReadFile(labPcap(t, name))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "cut-"+name)
	if err := os.WriteFile(p, b[:size], 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// One policy for an input cut short, whoever reads: a warning, the whole
// records before the cut are read, the other inputs go on, and the cut is
// no packet (-c does not count it, -w does not write it).
// election.pcapng (222 frames, 00:46-00:50) cut at byte 20000 holds 116
// whole records; storm.pcapng (335 frames, 00:57-00:59) comes after them
// in the merge.
func TestReadPolicyCutInput(t *testing.T) {
	cut := cutCapture(t, "election.pcapng", 20000)
	for _, count := range []int{0, 126} {
		in, err := Open(Inputs{Files: []string{"A=" + cut, labPcap(t, "storm.pcapng")}})
		if err != nil {
			t.Fatal(err)
		}
		var warned []error
		w := filepath.Join(t.TempDir(), "w.pcapng")
		p, err := New(in.Source, Config{Labels: in.Labels, Count: count, Write: w, Warn: func(err error) { warned = append(warned, err) }})
		if err != nil {
			t.Fatal(err)
		}
		n, err := readAll(t, p)
		if err != nil {
			t.Fatalf("-c %d: %v", count, err)
		}
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
		in.Close()
		want := 116 + 335
		if count > 0 {
			want = count
		}
		if n != want {
			t.Errorf("-c %d: %d frames, want %d", count, n, want)
		}
		var te *capture.TruncatedError
		if len(warned) != 1 || !errors.As(warned[0], &te) || te.Records != 116 || te.File != cut {
			t.Errorf("-c %d: warnings %v, want one truncation of %s after 116 records, naming the path", count, warned, cut)
		}
		if in.Labels[0] != "A" {
			t.Errorf("labels %q: want A for A=FILE", in.Labels)
		}
		ws, err := capture.OpenFile(w, 0)
		if err != nil {
			t.Fatal(err)
		}
		var pkt capture.Packet
		written := 0
		for ws.Next(&pkt) == nil {
			written++
		}
		ws.Close()
		if written != want {
			t.Errorf("-c %d: -w wrote %d frames, want %d", count, written, want)
		}
	}
}

// Any other read error ends the run with the error, after the frames
// before it: here a pcap record that claims 16 MiB.
func TestReadPolicyBrokenInput(t *testing.T) {
	// The first frame of election.pcapng in a pcap file (a 24-byte file
	// header, then a 16-byte record header: seconds, fraction, captured
	// and original length), then a record header claiming 16 MiB.
	src, err := capture.OpenFile(labPcap(t, "election.pcapng"), 0)
	if err != nil {
		t.Fatal(err)
	}
	var pkt capture.Packet
	if err := src.Next(&pkt); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	w.WriteFileHeader(65535, pkt.LinkType)
	w.WritePacket(pkt.CI, pkt.Data)
	src.Close()
	bad := buf.Bytes()
	bad = binary.LittleEndian.AppendUint32(bad, 1)
	bad = binary.LittleEndian.AppendUint32(bad, 0)
	bad = binary.LittleEndian.AppendUint32(bad, 16<<20)
	bad = binary.LittleEndian.AppendUint32(bad, 16<<20)
	path := filepath.Join(t.TempDir(), "broken.pcap")
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := Open(Inputs{Files: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	p, err := New(in.Source, Config{Labels: in.Labels, Warn: func(err error) { t.Errorf("warned: %v", err) }})
	if err != nil {
		t.Fatal(err)
	}
	n, err := readAll(t, p)
	var fe *capture.FileError
	if n != 1 || !errors.As(err, &fe) || !errors.Is(err, capture.ErrMalformed) {
		t.Errorf("%d frames, error %v: want 1 frame, then a malformed-file error", n, err)
	}
}
