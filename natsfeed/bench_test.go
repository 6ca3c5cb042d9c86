package natsfeed

import (
	"context"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/nbtsniff/nbtsniff/capture"
)

// benchCopies is how many times the DMB scenario's frames go through per
// iteration, shifted in time (534 frames each).
const benchCopies = 20

// BenchmarkPublishSubscribe: frames per second through two sensors, a
// local nats-server (file storage) and the merging analyzer, against
// reading the same frames from the two capture files (-r A=... -r B=...).
// It reports both rates and their ratio (file/feed: how many times faster
// the files are read).
func BenchmarkPublishSubscribe(b *testing.B) {
	srv := startServer(b)
	a, bb := fileFrames(b, pcapA, 0), fileFrames(b, pcapB, 1)
	span := max(a[len(a)-1].ts.Sub(a[0].ts), bb[len(bb)-1].ts.Sub(bb[0].ts)) + time.Second
	shift := func(fs []frame) []frame {
		out := make([]frame, 0, len(fs)*benchCopies)
		for k := range benchCopies {
			for _, f := range fs {
				f.ts = f.ts.Add(time.Duration(k) * span)
				out = append(out, f)
			}
		}
		return out
	}
	a, bb = shift(a), shift(bb)
	total := len(a) + len(bb)

	nc, err := nats.Connect(srv.URL())
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		b.Fatal(err)
	}

	var feed time.Duration
	for b.Loop() {
		start := time.Now()
		var wg sync.WaitGroup
		for _, s := range []struct {
			seg    Segment
			frames []frame
		}{{segA, a}, {segB, bb}} {
			wg.Go(func() { publishFrames(b, srv.URL(), s.seg, s.frames, PublisherOptions{}) })
		}
		wg.Wait()
		sub, err := NewSubscriber(context.Background(), srv.URL(), SubscriberOptions{StopAtEnd: true})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		var p capture.Packet
		for sub.Next(&p) == nil {
			n++
		}
		sub.Close()
		feed += time.Since(start)
		if n != total {
			b.Fatalf("%d frames through NATS, want %d", n, total)
		}
		b.StopTimer()
		if err := js.DeleteStream(context.Background(), DefaultStream); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}

	// The same frames from the files, as many times.
	start := time.Now()
	for range b.N * benchCopies {
		m := capture.Merge([]capture.Source{openFile(b, pcapA, 0), openFile(b, pcapB, 1)})
		var p capture.Packet
		for m.Next(&p) != io.EOF {
		}
		m.Close()
	}
	file := time.Since(start)

	feedRate := float64(total*b.N) / feed.Seconds()
	fileRate := float64(total*b.N) / file.Seconds()
	b.ReportMetric(feedRate, "frames/s")
	b.ReportMetric(fileRate, "file-frames/s")
	b.ReportMetric(fileRate/feedRate, "file/feed")
	b.Logf("%d frames: publish+subscribe %.0f frames/s, files %.0f frames/s: the files are read %.1fx as fast",
		total, feedRate, fileRate, fileRate/feedRate)
}
