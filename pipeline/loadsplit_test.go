package pipeline

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/feed"
	"github.com/nbtsniff/nbtsniff/internal/crafted"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// withSplitMin runs f with splitMinSize set to n.
func withSplitMin(t *testing.T, n int64, f func()) {
	t.Helper()
	old := splitMinSize
	splitMinSize = n
	defer func() { splitMinSize = old }()
	f()
}

// splitAndNot loads path with a second reader (every size split) and
// without, and compares the loaders' states; it returns the first.
func splitAndNot(t *testing.T, path string) *Loader {
	t.Helper()
	var split, alone *Loader
	withSplitMin(t, 0, func() { split = loadAll(t, files("mix="+path), LoaderConfig{}) })
	withSplitMin(t, math.MaxInt64, func() { alone = loadAll(t, files("mix="+path), LoaderConfig{}) })
	if alone.split != nil || split.split == nil {
		t.Fatalf("%s: second reader %v without, %v with", path, alone.split, split.split)
	}
	got, want := loaderState(t, split)+rowRefs(split), loaderState(t, alone)+rowRefs(alone)
	if got != want {
		gl, wl := bytes.Split([]byte(got), []byte("\n")), bytes.Split([]byte(want), []byte("\n"))
		for i := range min(len(gl), len(wl)) {
			if !bytes.Equal(gl[i], wl[i]) {
				t.Errorf("%s: line %d of the split load's state:\n%s\nof the load alone:\n%s", path, i+1, gl[i], wl[i])
				break
			}
		}
		t.Errorf("%s: the split load holds %d lines of state, the load alone %d", path, len(gl), len(wl))
	}
	return split
}

// refRecorder is a feed.Summarizer that notes the Ref of the row asked.
type refRecorder struct{ ref *feed.Ref }

func (r refRecorder) Columns(_ *feed.Row, ref feed.Ref) { *r.ref = ref }

// rowRefs lists how each row of l's index is listed: by its Ref (its
// kind, offset, length, link type and datum), or as text.
func rowRefs(l *Loader) string {
	x := l.Sample().Frames
	var ref feed.Ref
	x.SetSummarizer(refRecorder{&ref})
	var b bytes.Buffer
	for n := 1; n <= x.Len(); n++ {
		ref = feed.Ref{}
		x.Row(n)
		fmt.Fprintf(&b, "%d %+v\n", n, ref)
	}
	return b.String()
}

// rewritePcap writes the records of the pcap at path to a new file,
// through edit (which returns the records to write for each one, its
// index given), and returns the new file's path.
func rewritePcap(t *testing.T, path string, edit func(i int, ci gopacket.CaptureInfo, data []byte) [][]byte) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		data, ci, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range edit(i, ci, data) {
			ci := ci
			ci.CaptureLength, ci.Length = len(d), len(d)+ci.Length-len(data)
			if err := w.WritePacket(ci, d); err != nil {
				t.Fatal(err)
			}
		}
	}
	out := filepath.Join(t.TempDir(), "edited.pcap")
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// A load read by two readers, the second from a record in the middle of
// the file, holds what the load by one holds (frames, rows, events,
// snapshots, warnings), on lab captures in mixes of other traffic; the
// second reader's batches are taken, and it read to the end.
func TestSplitLoadIsTheLoad(t *testing.T) {
	for _, c := range []struct {
		lab       string
		lead, per int
	}{
		{"election.pcapng", 30000, 12}, // other traffic first, then NBT frames among it
		{"storm.pcapng", 200, 6},       // NBT frames from the start
		{"enum.pcapng", 20000, 3},
	} {
		l := splitAndNot(t, mixCaptureBy(t, c.lab, []time.Duration{time.Minute}, c.lead, c.per))
		if sp := l.split; !sp.taken || sp.stop.Load() || !sp.complete || sp.frames == 0 {
			t.Errorf("%s: second reader taken %v, halted %v, complete %v, %d frames", c.lab, sp.taken, sp.stop.Load(), sp.complete, sp.frames)
		}
	}
}

// A file cut short in its last record: the second reader stops before it,
// the reader skips the second one's records and warns of the cut itself.
func TestSplitLoadCutShort(t *testing.T) {
	path := mixCaptureBy(t, "election.pcapng", []time.Duration{time.Minute}, 30000, 12)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.pcap")
	if err := os.WriteFile(cut, b[:len(b)-7], 0o644); err != nil {
		t.Fatal(err)
	}
	l := splitAndNot(t, cut)
	if sp := l.split; !sp.taken || sp.complete || sp.frames == 0 {
		t.Errorf("second reader taken %v, complete %v, %d frames", sp.taken, sp.complete, sp.frames)
	}
	if len(l.Sample().Warnings) == 0 {
		t.Error("no warning of the file cut short")
	}
}

// A false start: just past the middle of the file, a frame whose payload
// is a chain of what look like pcap records. The second reader starts in
// it; the reader passes that offset, drops the second one, and the load
// is the load alone.
func TestSplitLoadFalseStart(t *testing.T) {
	path := mixCaptureBy(t, "election.pcapng", []time.Duration{time.Minute}, 30000, 12)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// Fake records: a header (time, 60 bytes captured of 60) and 60 bytes.
	var fake []byte
	for i := range 2 * splitChain {
		var h [pcapRecordHeader]byte
		binary.LittleEndian.PutUint32(h[0:], uint32(1_300_000_000+i))
		binary.LittleEndian.PutUint32(h[8:], 60)
		binary.LittleEndian.PutUint32(h[12:], 60)
		fake = append(append(fake, h[:]...), make([]byte, 60)...)
	}
	at, put := int64(24), false
	edited := rewritePcap(t, path, func(i int, ci gopacket.CaptureInfo, data []byte) [][]byte {
		at += int64(pcapRecordHeader + len(data))
		if put || at < st.Size()/2-200 {
			return [][]byte{data}
		}
		put = true
		// The fake records start 42+3 bytes into the frame's data: the
		// Ethernet, IPv4 and UDP headers, and 3 bytes that are no record.
		return [][]byte{data, crafted.UDPFrame(9, 8, 40000, 53, append([]byte{1, 2, 3}, fake...))}
	})
	l := splitAndNot(t, edited)
	if sp := l.split; !sp.stop.Load() {
		t.Errorf("the second reader was not dropped: started at %d", sp.start)
	}
}

// A datagram fragment before the middle: the kinds the second reader
// gave the frames of stateless datagrams after it are those of a reader
// that had seen none (rowMaker.fragSeen); it is dropped.
func TestSplitLoadFragmentBefore(t *testing.T) {
	path := mixCaptureBy(t, "election.pcapng", []time.Duration{time.Minute}, 30000, 12)
	frag := crafted.UDPFrame(9, 8, 40000, 137, make([]byte, 40))
	frag[14+6] = 0x20 // IPv4 more fragments
	edited := rewritePcap(t, path, func(i int, ci gopacket.CaptureInfo, data []byte) [][]byte {
		if i == 100 {
			return [][]byte{data, frag}
		}
		return [][]byte{data}
	})
	l := splitAndNot(t, edited)
	if sp := l.split; !sp.stop.Load() || !l.rows.fragSeen {
		t.Errorf("second reader halted %v, fragment seen %v", sp.stop.Load(), l.rows.fragSeen)
	}
}

// The second reader finds a record's start where one is: its offset
// follows from the reader's records.
func TestSplitFindsRecordStart(t *testing.T) {
	path := mixCaptureBy(t, "storm.pcapng", nil, 200, 6)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	var sp *splitRead
	withSplitMin(t, 0, func() { sp = newSplitRead(path, st.Size(), nil) })
	if sp == nil {
		t.Fatal("no start found")
	}
	defer sp.f.Close()
	b, _ := os.ReadFile(path)
	at := int64(capture.PcapFileHeaderSize)
	for at < sp.start {
		at += pcapRecordHeader + int64(binary.LittleEndian.Uint32(b[at+8:]))
	}
	if at != sp.start || at < st.Size()/2 {
		t.Errorf("start %d: the record there starts at %d (file of %d bytes)", sp.start, at, st.Size())
	}
	if sp.link != layers.LinkTypeEthernet || sp.nano != 1000 || sp.be {
		t.Errorf("link %v, nano %d, big-endian %v", sp.link, sp.nano, sp.be)
	}
}

// repeated is the mix of lab capture lab (mixCaptureBy, per) with each
// record written rep times: NBT frames enough for the second reader's
// half to hold more than splitKeptAhead of them.
func repeated(t *testing.T, lab string, per, rep int) string {
	t.Helper()
	return rewritePcap(t, mixCaptureBy(t, lab, []time.Duration{time.Minute}, 200, per), func(_ int, _ gopacket.CaptureInfo, data []byte) [][]byte {
		out := make([][]byte, rep)
		for i := range out {
			out[i] = data
		}
		return out
	})
}

// NBT frames among other traffic all along: the second reader waits for
// the reader once it holds splitKeptAhead frames to decode, then reads on
// into the load's own batches, which the reader hands on.
func TestSplitLoadWaitsAndRelays(t *testing.T) {
	l := splitAndNot(t, repeated(t, "enum.pcapng", 64, 10))
	if sp := l.split; !sp.taken || !sp.waited || !sp.complete || sp.stop.Load() {
		t.Errorf("second reader taken %v, waited %v, complete %v, halted %v", sp.taken, sp.waited, sp.complete, sp.stop.Load())
	}
}

// An NBT-dense capture: the second reader's first splitKeptAhead frames
// to decode come within splitFewFrames; it ends there, and the reader
// reads on from it alone.
func TestSplitLoadDenseEndsEarly(t *testing.T) {
	l := splitAndNot(t, repeated(t, "enum.pcapng", 2, 10))
	if sp := l.split; !sp.taken || sp.waited || sp.complete || sp.frames == 0 || sp.frames >= splitFewFrames {
		t.Errorf("second reader taken %v, waited %v, complete %v, %d frames", sp.taken, sp.waited, sp.complete, sp.frames)
	}
}

// A load cancelled before the reader comes to the second reader's start
// ends (the second reader halted, its arena released once it has
// returned), as does one cancelled at once.
func TestSplitLoadCancelled(t *testing.T) {
	path := repeated(t, "enum.pcapng", 64, 10)
	for _, after := range []int{0, 1, 100} {
		withSplitMin(t, 0, func() {
			op, err := Open(files(path))
			if err != nil {
				t.Fatal(err)
			}
			l, err := NewLoader(op, LoaderConfig{Timeline: timeline.DefaultConfig()})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			if after == 0 {
				cancel()
			} else {
				go func() {
					for l.Sample().Frames.Len() < after {
						time.Sleep(time.Millisecond)
					}
					cancel()
				}()
			}
			l.Start(ctx)
			select {
			case <-l.Done():
			case <-time.After(60 * time.Second):
				t.Fatal("loader did not finish")
			}
			cancel()
			if l.split == nil {
				t.Fatal("no second reader")
			}
			select {
			case <-l.split.exited:
			default:
				t.Error("the second reader had not returned")
			}
		})
	}
}
