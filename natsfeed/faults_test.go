package natsfeed

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// waitAcked waits until pub has no unacknowledged message.
func waitAcked(t testing.TB, pub *Publisher) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for pub.Stats().Pending > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("still %d pending", pub.Stats().Pending)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestServerCrashMidPublish: the server is killed (SIGKILL) after a third
// of the frames, the sensor goes on capturing into its bounded queue while
// the server is down, and finishes after the restart. The stream then
// holds every frame once, in order.
func TestServerCrashMidPublish(t *testing.T) {
	srv := startServer(t)
	a := fileFrames(t, pcapA, 0)
	pub, err := NewPublisher(testCtx(t), srv.URL(), PublisherOptions{Segment: segA, Replay: true, AckWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	third := len(a) / 3
	publish := func(frames []frame) {
		for i := range frames {
			pkt := frames[i].packet()
			if err := pub.Publish(&pkt); err != nil {
				t.Fatal(err)
			}
		}
	}
	publish(a[:third])
	waitAcked(t, pub)
	srv.kill()
	publish(a[third : 2*third])
	time.Sleep(300 * time.Millisecond) // sends fail meanwhile
	if st := pub.Stats(); st.Pending != 2*third-third+1 && st.Pending != 2*third-third {
		t.Errorf("while the server is down: %d pending, want the %d frames published since", st.Pending, third)
	}
	srv.start()
	publish(a[2*third:])
	if err := pub.Close(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	st := pub.Stats()
	if st.Published != uint64(len(a)) || st.Failures == 0 {
		t.Errorf("stats %+v: want %d frames published and some failures", st, len(a))
	}
	got, sub := subscribeAll(t, srv.URL(), SubscriberOptions{Segments: segA.String()})
	sameFrames(t, got, a)
	if c := sub.Counters(); c.Duplicates != 0 || c.Missing != 0 {
		t.Errorf("subscriber counters %+v", c)
	}
}

// TestServerRestartsWhilePublishing: two sensors publish at their own pace
// while the server is stopped and started twice under them, and an
// analyzer follows the stream throughout. Every frame arrives once; a
// fresh analyzer then reads exactly -r A=... -r B=....
func TestServerRestartsWhilePublishing(t *testing.T) {
	srv := startServer(t)
	a, b := fileFrames(t, pcapA, 0), fileFrames(t, pcapB, 1)

	// The stream must exist before the analyzer follows it.
	publishFrames(t, srv.URL(), segA, a[:1], PublisherOptions{Replay: true})
	sub, err := NewSubscriber(testCtx(t), srv.URL(), SubscriberOptions{Segments: "lab.*", MaxLag: 100 * time.Millisecond, Discover: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	received := make(chan []frame, 1)
	go func() {
		var out []frame
		var p = frame{}.packet()
		for len(out) < len(a)+len(b) {
			if err := sub.Next(&p); err != nil {
				break
			}
			out = append(out, copyFrame(&p))
		}
		received <- out
	}()

	errs := make(chan error, 2)
	for _, s := range []struct {
		seg    Segment
		frames []frame
	}{{segA, a}, {segB, b}} {
		go func() {
			pub, err := NewPublisher(context.Background(), srv.URL(), PublisherOptions{Segment: s.seg, Replay: true, AckWait: time.Second})
			if err != nil {
				errs <- err
				return
			}
			for i := range s.frames {
				pkt := s.frames[i].packet()
				if err := pub.Publish(&pkt); err != nil {
					errs <- err
					return
				}
				time.Sleep(3 * time.Millisecond)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			errs <- pub.Close(ctx)
		}()
	}
	for range 2 {
		time.Sleep(250 * time.Millisecond)
		srv.terminate()
		time.Sleep(200 * time.Millisecond)
		srv.start()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var got []frame
	select {
	case got = <-received:
	case <-time.After(30 * time.Second):
		sub.Close()
		got = <-received
	}
	// Live, the merge order depends on arrival; each segment's own order
	// and content may not.
	for i, want := range [][]frame{a, b} {
		var seg []frame
		for _, f := range got {
			if f.src == i {
				seg = append(seg, f)
			}
		}
		sameFrames(t, seg, want)
	}
	if c := sub.Counters(); c.Duplicates != 0 || c.Missing != 0 || c.DecodeErrors != 0 {
		t.Errorf("following analyzer: %+v", c)
	}
	replayed, _ := subscribeAll(t, srv.URL(), SubscriberOptions{Segments: "lab.*"})
	sameFrames(t, replayed, merged(t))
}

// terminate stops the server as an operator would (SIGTERM).
func (s *natsServer) terminate() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	_ = s.cmd.Wait()
	s.cmd = nil
}

// TestSensorKilledAndRestarted: a sensor process replaying a capture is
// killed (SIGKILL) mid-run and started again on the same file; it resumes
// after the last frame the stream holds.
func TestSensorKilledAndRestarted(t *testing.T) {
	srv := startServer(t)
	a := fileFrames(t, pcapA, 0)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSensor$")
	cmd.Env = append(os.Environ(), "NATSFEED_HELPER_URL="+srv.URL())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	n := 0
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "published "); ok {
			if n, _ = strconv.Atoi(v); n >= len(a)/2 {
				break
			}
		}
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if n < len(a)/2 {
		t.Fatalf("the sensor process published %d frames before it was killed", n)
	}

	// The stream holds about the n frames the sensor reported as queued:
	// fewer if the kill lost some not yet acknowledged (Publish queues),
	// more if it queued others between its report and the kill. Whatever
	// it holds, the restarted sensor skips exactly that and publishes the
	// rest, and the subscriber gets each frame once.
	st := publishFrames(t, srv.URL(), segA, a, PublisherOptions{Replay: true})
	if st.Resumed == 0 || st.Resumed > uint64(len(a)) || st.Skipped != st.Resumed || st.Published != uint64(len(a))-st.Resumed {
		t.Errorf("restarted sensor %+v: killed after %d of %d frames", st, n, len(a))
	}
	got, sub := subscribeAll(t, srv.URL(), SubscriberOptions{Segments: segA.String()})
	sameFrames(t, got, a)
	if c := sub.Counters(); c.Duplicates != 0 || c.Missing != 0 {
		t.Errorf("subscriber counters %+v", c)
	}
}

// TestHelperSensor is the sensor process of TestSensorKilledAndRestarted.
func TestHelperSensor(t *testing.T) {
	url := os.Getenv("NATSFEED_HELPER_URL")
	if url == "" {
		t.Skip("run by TestSensorKilledAndRestarted")
	}
	pub, err := NewPublisher(context.Background(), url, PublisherOptions{Segment: segA, Replay: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range fileFrames(t, pcapA, 0) {
		pkt := f.packet()
		if err := pub.Publish(&pkt); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("published %d\n", i+1)
		time.Sleep(2 * time.Millisecond)
	}
	select {} // killed before it ends
}

// TestMalformedMessages: messages of another format, lying ones, and ones
// on a subject that names no segment are counted, not fatal.
func TestMalformedMessages(t *testing.T) {
	srv := startServer(t)
	a := fileFrames(t, pcapA, 0)
	publishFrames(t, srv.URL(), segA, a[:10], PublisherOptions{Replay: true})
	nc, err := nats.Connect(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	for _, m := range []struct {
		subject string
		data    []byte
	}{
		{segA.Subject(), []byte(`{"frame": "not this format"}`)},
		{segA.Subject(), patch(frameMsg, 6, 0xff)}, // sensor id past the end
		{segA.Subject(), nil},
		{"nbtsniff.frames.lab%zz.x", frameMsg}, // no segment
		{"nbtsniff.frames.lab.x.y", frameMsg},  // no segment (3 tokens)
	} {
		if err := nc.Publish(m.subject, m.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	publishFrames(t, srv.URL(), segA, a, PublisherOptions{Replay: true})
	got, sub := subscribeAll(t, srv.URL(), SubscriberOptions{})
	sameFrames(t, got, a)
	if c := sub.Counters(); c.DecodeErrors != 5 || c.Segments != 1 {
		t.Errorf("counters %+v, want 5 decode errors and 1 segment", c)
	}
}
