package natsfeed

import (
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/capture"
)

// t0 is the capture time of the synthetic frames below.
var t0 = time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)

func synth(at time.Duration, b byte) *capture.Packet {
	p := &capture.Packet{Data: []byte{b, b, b, b}, LinkType: layers.LinkTypeEthernet}
	p.CI.Timestamp = t0.Add(at)
	p.CI.CaptureLength = 4
	p.CI.Length = 60
	return p
}

func newPub(t *testing.T, url string, opts PublisherOptions) *Publisher {
	t.Helper()
	pub, err := NewPublisher(testCtx(t), url, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pub.Close(testCtx(t)) })
	return pub
}

func publish(t *testing.T, pub *Publisher, p *capture.Packet) {
	t.Helper()
	if err := pub.Publish(p); err != nil {
		t.Fatal(err)
	}
	waitAcked(t, pub)
}

// nextWithin returns the next frame's first byte and how long Next took.
func nextWithin(t *testing.T, sub *Subscriber, limit time.Duration) (byte, int, time.Duration) {
	t.Helper()
	start := time.Now()
	done := make(chan error, 1)
	var p capture.Packet
	go func() { done <- sub.Next(&p) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(limit):
		t.Fatalf("no frame within %v", limit)
	}
	return p.Data[0], p.Source, time.Since(start)
}

// TestSilentSegmentDelaysAtMostMaxLag: a sensor that stops sending (no
// heartbeat, no end marker: it died) holds the other segment back for
// MaxLag, then is reported late until it sends again.
func TestSilentSegmentDelaysAtMostMaxLag(t *testing.T) {
	srv := startServer(t)
	pubA := newPub(t, srv.URL(), PublisherOptions{Segment: segA})
	pubB := newPub(t, srv.URL(), PublisherOptions{Segment: segB})
	publish(t, pubA, synth(1*time.Millisecond, 'a'))
	publish(t, pubB, synth(0, 'b'))

	const maxLag = 300 * time.Millisecond
	sub, err := NewSubscriber(testCtx(t), srv.URL(), SubscriberOptions{Segments: "lab.*", MaxLag: maxLag, Discover: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if b, src, _ := nextWithin(t, sub, 5*time.Second); b != 'b' || src != 1 {
		t.Fatalf("first frame %c from %d, want b from 1 (the earlier)", b, src)
	}
	// a's frame waits for b, which says nothing more.
	b, _, took := nextWithin(t, sub, 5*time.Second)
	if b != 'a' || took < maxLag/2 {
		t.Fatalf("frame %c after %v, want a after about %v", b, took, maxLag)
	}
	late := sub.Late()
	if len(late) != 1 || late[0].Segment != "lab/subnetB" || late[0].Index != 1 ||
		late[0].Behind != time.Millisecond || late[0].Silent < maxLag {
		t.Fatalf("late %+v, want lab/subnetB, 1 ms behind, silent for %v or more", late, maxLag)
	}
	// A late segment holds nobody back.
	publish(t, pubA, synth(2*time.Millisecond, 'c'))
	if b, _, took := nextWithin(t, sub, 5*time.Second); b != 'c' || took >= maxLag {
		t.Fatalf("frame %c after %v, want c at once", b, took)
	}
	// It is on time again once it sends.
	publish(t, pubB, synth(3*time.Millisecond, 'd'))
	if b, _, _ := nextWithin(t, sub, 5*time.Second); b != 'd' {
		t.Fatalf("frame %c, want d", b)
	}
	for _, l := range sub.Late() {
		if l.Segment == "lab/subnetB" {
			t.Errorf("late %+v after it sent", l)
		}
	}
	if got := sub.Labels(); len(got) != 2 || got[0] != "lab/subnetA" || got[1] != "lab/subnetB" {
		t.Errorf("labels %q: indexes follow the first message of each segment", got)
	}
	if seg, ok := sub.SegmentOf(1); !ok || seg != segB {
		t.Errorf("SegmentOf(1) = %v, %v", seg, ok)
	}
}

// TestHeartbeatsAndEndRelease: a quiet sensor's heartbeats, and a finished
// sensor's end marker, let the other segment's frames through long
// before MaxLag.
func TestHeartbeatsAndEndRelease(t *testing.T) {
	srv := startServer(t)
	clock := func() time.Time { return t0.Add(10 * time.Second) }
	sensor := capture.Stats{Received: 42, Dropped: 7, IfDropped: 1}
	pubA := newPub(t, srv.URL(), PublisherOptions{Segment: segA, Heartbeat: 50 * time.Millisecond, Clock: clock,
		SourceStats: func() capture.Stats { return sensor }})
	pubB := newPub(t, srv.URL(), PublisherOptions{Segment: segB})
	publish(t, pubA, synth(0, 'a'))
	publish(t, pubB, synth(time.Second, 'b'))

	sub, err := NewSubscriber(testCtx(t), srv.URL(), SubscriberOptions{Segments: "lab.*", MaxLag: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if b, _, _ := nextWithin(t, sub, 5*time.Second); b != 'a' {
		t.Fatalf("frame %c, want a", b)
	}
	// b waits for a's next heartbeat (watermark t0+10s), not a minute.
	if b, _, took := nextWithin(t, sub, 10*time.Second); b != 'b' || took > 5*time.Second {
		t.Fatalf("frame %c after %v", b, took)
	}
	if got := sub.SensorStats(0); got != sensor {
		t.Errorf("sensor stats %+v, want %+v", got, sensor)
	}
	if st := sub.Stats(); st.Received != 2 || st.Dropped != 7 || st.IfDropped != 1 {
		t.Errorf("stats %+v", st)
	}
	// Past the watermark, b waits again for a until a ends.
	publish(t, pubB, synth(20*time.Second, 'c'))
	if err := pubA.Close(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if b, _, took := nextWithin(t, sub, 10*time.Second); b != 'c' || took > 5*time.Second {
		t.Fatalf("frame %c after %v", b, took)
	}
	if late := sub.Late(); len(late) != 0 {
		t.Errorf("late %+v", late)
	}
}
