package natsfeed

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/capture"
)

// The two sensors of the DMB lab scenario: one capture per subnet.
var (
	pcapA = filepath.Join("..", "testdata", "pcaps", "dmb.subnetA.pcapng")
	pcapB = filepath.Join("..", "testdata", "pcaps", "dmb.subnetB.pcapng")
	segA  = Segment{Site: "lab", Name: "subnetA"}
	segB  = Segment{Site: "lab", Name: "subnetB"}
)

// frame is a copy of a capture.Packet, kept after the next Next.
type frame struct {
	data   []byte
	ts     time.Time
	lt     layers.LinkType
	iface  int
	length int
	src    int
}

func (f frame) String() string {
	return fmt.Sprintf("src %d %s lt %d if %d len %d/%d", f.src, f.ts.Format(time.RFC3339Nano), f.lt, f.iface, len(f.data), f.length)
}

func copyFrame(p *capture.Packet) frame {
	return frame{
		data:   bytes.Clone(p.Data),
		ts:     p.CI.Timestamp,
		lt:     p.LinkType,
		iface:  p.CI.InterfaceIndex,
		length: p.CI.Length,
		src:    p.Source,
	}
}

// readAll reads src to its end; any error but io.EOF fails the test.
func readAll(t testing.TB, src capture.Source) []frame {
	t.Helper()
	var out []frame
	var p capture.Packet
	for {
		err := src.Next(&p)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: frame %d: %v", src.Label(), len(out)+1, err)
		}
		out = append(out, copyFrame(&p))
	}
}

func openFile(t testing.TB, path string, index int) capture.Source {
	t.Helper()
	src, err := capture.OpenFile(path, index)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// merged is what -r A=dmb.subnetA.pcapng -r B=dmb.subnetB.pcapng reads.
func merged(t testing.TB) []frame {
	t.Helper()
	m := capture.Merge([]capture.Source{openFile(t, pcapA, 0), openFile(t, pcapB, 1)})
	return readAll(t, m)
}

// publishFrames publishes frames with a new publisher, and closes it.
func publishFrames(t testing.TB, url string, seg Segment, frames []frame, opts PublisherOptions) PublisherStats {
	t.Helper()
	opts.Segment = seg
	pub, err := NewPublisher(testCtx(t), url, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range frames {
		pkt := frames[i].packet()
		if err := pub.Publish(&pkt); err != nil {
			t.Fatalf("publish %s frame %d: %v", seg, i+1, err)
		}
	}
	if err := pub.Close(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	return pub.Stats()
}

func (f frame) packet() capture.Packet {
	p := capture.Packet{Data: f.data, LinkType: f.lt, Source: f.src}
	p.CI.Timestamp = f.ts
	p.CI.CaptureLength = len(f.data)
	p.CI.Length = f.length
	p.CI.InterfaceIndex = f.iface
	return p
}

func fileFrames(t testing.TB, path string, index int) []frame {
	t.Helper()
	return readAll(t, openFile(t, path, index))
}

// subscribeAll reads the whole retained stream, merged.
func subscribeAll(t testing.TB, url string, opts SubscriberOptions) ([]frame, *Subscriber) {
	t.Helper()
	opts.StopAtEnd = true
	sub, err := NewSubscriber(testCtx(t), url, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sub.Close() })
	return readAll(t, sub), sub
}

// sameFrames fails unless got and want hold the same frames in the same
// order: bytes, time, link type, interface, length and input index.
func sameFrames(t testing.TB, got, want []frame) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d frames, want %d", len(got), len(want))
	}
	bad := 0
	for i := range min(len(got), len(want)) {
		g, w := got[i], want[i]
		if !bytes.Equal(g.data, w.data) || !g.ts.Equal(w.ts) || g.lt != w.lt || g.iface != w.iface || g.length != w.length || g.src != w.src {
			t.Errorf("frame %d: got %v, want %v", i+1, g, w)
			if bad++; bad == 5 {
				t.Fatal("too many differences")
			}
		}
	}
}

// TestMergedEqualsFiles: two sensors publish the DMB scenario's two
// subnets; the analyzer's merge is -r A=... -r B=... frame for frame.
func TestMergedEqualsFiles(t *testing.T) {
	srv := startServer(t)
	a, b := fileFrames(t, pcapA, 0), fileFrames(t, pcapB, 1)
	if len(a) == 0 || len(b) == 0 {
		t.Fatal("empty test captures")
	}
	stA := publishFrames(t, srv.URL(), segA, a, PublisherOptions{Replay: true})
	stB := publishFrames(t, srv.URL(), segB, b, PublisherOptions{Replay: true})
	if stA.Published != uint64(len(a)) || stB.Published != uint64(len(b)) {
		t.Errorf("published %d and %d, want %d and %d", stA.Published, stB.Published, len(a), len(b))
	}
	got, sub := subscribeAll(t, srv.URL(), SubscriberOptions{Segments: "lab.*"})
	sameFrames(t, got, merged(t))
	if labels := sub.Labels(); len(labels) != 2 || labels[0] != "lab/subnetA" || labels[1] != "lab/subnetB" {
		t.Errorf("labels %q", labels)
	}
	c := sub.Counters()
	if c.DecodeErrors != 0 || c.Duplicates != 0 || c.Missing != 0 || c.Heartbeats != 2 {
		t.Errorf("counters %+v, want 2 end markers and no errors", c)
	}

	// Restarted, the analyzer reads the same frames again; a second run of
	// the sensors on the same files adds nothing.
	again, _ := subscribeAll(t, srv.URL(), SubscriberOptions{Segments: "lab.*"})
	sameFrames(t, again, got)
	st := publishFrames(t, srv.URL(), segA, a, PublisherOptions{Replay: true})
	if st.Skipped != uint64(len(a)) || st.Published != 0 {
		t.Errorf("second run: %+v, want all %d frames skipped", st, len(a))
	}
	again, _ = subscribeAll(t, srv.URL(), SubscriberOptions{Segments: "lab.*"})
	sameFrames(t, again, got)

	// A pattern for one segment reads that segment only.
	onlyB, _ := subscribeAll(t, srv.URL(), SubscriberOptions{Segments: "lab/subnetB"})
	for i := range b {
		b[i].src = 0
	}
	sameFrames(t, onlyB, b)
}

// TestRestartedSensorMerge: a sensor stopped (end marker) and started
// again leaves an end marker in the middle of its segment; replaying the
// stream, that marker must not let the other segment run ahead. Queue 1
// keeps the analyzer's buffers empty, so the marker is often the last
// message it holds of that segment.
func TestRestartedSensorMerge(t *testing.T) {
	srv := startServer(t)
	a, b := fileFrames(t, pcapA, 0), fileFrames(t, pcapB, 1)
	publishFrames(t, srv.URL(), segA, a[:len(a)/3], PublisherOptions{Replay: true})
	publishFrames(t, srv.URL(), segB, b, PublisherOptions{Replay: true})
	publishFrames(t, srv.URL(), segA, a, PublisherOptions{Replay: true})
	for range 3 {
		got, sub := subscribeAll(t, srv.URL(), SubscriberOptions{Queue: 1})
		sameFrames(t, got, merged(t))
		if c := sub.Counters(); c.Heartbeats != 3 || c.Duplicates != 0 || c.Missing != 0 {
			t.Errorf("counters %+v, want 3 end markers", c)
		}
	}
}
