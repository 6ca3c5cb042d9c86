package capture

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"testing"
	"testing/iotest"

	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/internal/crafted"
)

// pcapgoFrames reads a pcap file with pcapgo's own loop: the reference the
// window's records are compared with.
func pcapgoFrames(t *testing.T, data []byte) []frame {
	t.Helper()
	r, err := pcapgo.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var frames []frame
	for {
		d, ci, err := r.ReadPacketData()
		if err == io.EOF {
			return frames
		}
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, frame{data: d, ci: ci.Timestamp, capLen: ci.CaptureLength, length: ci.Length, linkType: r.LinkType()})
	}
}

// noLen hides a reader's length, so that the source sizes its buffer as
// for a pipe (readBufferSize) and records straddle the buffer's end.
type noLen struct{ io.Reader }

// TestWindowRecordsAcrossReads: a 3 MB pcap file read through readers
// that return one byte, half of what is asked, or data with io.EOF, gives
// pcapgo's records, whole, in order, wherever the reads and the
// buffer cut them.
func TestWindowRecordsAcrossReads(t *testing.T) {
	data := crafted.BigPcap(3000, false)
	want := pcapgoFrames(t, data)
	for _, tt := range []struct {
		name string
		r    func() io.Reader
	}{
		{"one byte", func() io.Reader { return iotest.OneByteReader(bytes.NewReader(data)) }},
		{"half", func() io.Reader { return iotest.HalfReader(bytes.NewReader(data)) }},
		{"data with EOF", func() io.Reader { return iotest.DataErrReader(noLen{bytes.NewReader(data)}) }},
		{"sized", func() io.Reader { return bytes.NewReader(data) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src, err := OpenReader(tt.r(), "big", 0)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, src)
			if err != nil {
				t.Fatal(err)
			}
			sameFrames(t, got, want)
		})
	}
}

// TestWindowReadError: an input that fails in the middle of a record ends
// the source with that error, at the end of the last whole record.
func TestWindowReadError(t *testing.T) {
	data := crafted.BigPcap(3000, false)
	ends := pcapRecordEnds(t, data)
	broken := errors.New("disk on fire")
	cut := ends[1500] + 100 // in record 1502
	r := io.MultiReader(bytes.NewReader(data[:cut]), iotest.ErrReader(broken))
	src, err := OpenReader(r, "broken", 0)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := readAll(t, src)
	var fe *FileError
	if len(frames) != 1501 || !errors.As(err, &fe) || !errors.Is(err, broken) {
		t.Fatalf("%d frames, error %v; want 1501 frames and %v", len(frames), err, broken)
	}
	want := "broken: at byte " + strconv.Itoa(ends[1500]) + " after 1501 records: disk on fire"
	if err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if err := src.Next(&Packet{}); err != io.EOF {
		t.Errorf("Next after the error: %v, want io.EOF", err)
	}
}

// TestWindowNoProgress: a reader that returns nothing, forever, ends the
// source instead of spinning.
func TestWindowNoProgress(t *testing.T) {
	data := crafted.BigPcap(10, false)
	r := io.MultiReader(bytes.NewReader(data[:100]), stalled{})
	src, err := OpenReader(r, "stalled", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readAll(t, src); !errors.Is(err, io.ErrNoProgress) {
		t.Fatalf("error %v, want io.ErrNoProgress", err)
	}
}

type stalled struct{}

func (stalled) Read([]byte) (int, error) { return 0, nil }
