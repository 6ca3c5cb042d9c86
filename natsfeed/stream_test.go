package natsfeed

import (
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func streamConfig(t *testing.T, url string) jetstream.StreamConfig {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	s, err := js.Stream(testCtx(t), DefaultStream)
	if err != nil {
		t.Fatal(err)
	}
	return s.CachedInfo().Config
}

// TestStreamLimits: a sensor with limits sets them; one without leaves
// them; the oldest frames go first past MaxBytes, and the analyzer then
// reads the frames kept, counting none missing.
func TestStreamLimits(t *testing.T) {
	srv := startServer(t)
	a := fileFrames(t, pcapA, 0)
	publishFrames(t, srv.URL(), segA, a[:1], PublisherOptions{Replay: true})
	cfg := streamConfig(t, srv.URL())
	if cfg.MaxAge != DefaultMaxAge || cfg.MaxBytes != -1 || cfg.Duplicates != DefaultDuplicates ||
		cfg.Discard != jetstream.DiscardOld || cfg.Storage != jetstream.FileStorage {
		t.Errorf("default stream %+v", cfg)
	}

	const maxBytes = 16 << 10
	lim := StreamOptions{MaxAge: time.Hour, MaxBytes: maxBytes, Duplicates: time.Minute}
	publishFrames(t, srv.URL(), segA, a[:len(a)/2], PublisherOptions{Replay: true, Stream: lim})
	publishFrames(t, srv.URL(), segA, a, PublisherOptions{Replay: true})
	cfg = streamConfig(t, srv.URL())
	if cfg.MaxAge != time.Hour || cfg.MaxBytes != maxBytes || cfg.Duplicates != time.Minute {
		t.Errorf("stream after a sensor with limits and one without: %+v", cfg)
	}

	got, sub := subscribeAll(t, srv.URL(), SubscriberOptions{})
	if len(got) == 0 || len(got) >= len(a) {
		t.Fatalf("%d frames kept of %d under %d bytes", len(got), len(a), maxBytes)
	}
	sameFrames(t, got, a[len(a)-len(got):])
	if c := sub.Counters(); c.Missing != 0 || c.Duplicates != 0 {
		t.Errorf("counters %+v", c)
	}
	if cfg := streamConfig(t, srv.URL()); cfg.MaxBytes != maxBytes {
		t.Errorf("the analyzer changed the stream: %+v", cfg)
	}
}

// TestStartSeq: an analyzer started at a stream sequence reads from there.
func TestStartSeq(t *testing.T) {
	srv := startServer(t)
	a := fileFrames(t, pcapA, 0)
	publishFrames(t, srv.URL(), segA, a, PublisherOptions{Replay: true})
	// Stream sequences 1..len(a) are the frames, len(a)+1 the end marker.
	got, _ := subscribeAll(t, srv.URL(), SubscriberOptions{StartSeq: 101})
	sameFrames(t, got, a[100:])
}
