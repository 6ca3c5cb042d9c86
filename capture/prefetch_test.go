package capture

import (
	"errors"
	"io"
	"runtime"
	"testing"
	"time"
)

// Prefetch hands out every record of the sources it reads ahead, in order,
// with the same bytes, times, link types and input indexes: a file larger
// than a batch, and two files merged by time.
func TestPrefetchSameFrames(t *testing.T) {
	smia := corpus(t, smiaPcap) // 3952 frames: 16 batches
	win10 := corpus(t, win10Pcapng)
	want := openAll(t, smia, 0)
	p := Prefetch(mustOpen(t, smia, 0))
	got, err := readAll(t, p)
	if err != nil {
		t.Fatal(err)
	}
	sameFrames(t, got, want)
	if err := p.Next(&Packet{}); err != io.EOF {
		t.Errorf("after the end: %v, want io.EOF", err)
	}
	p.Close()

	merged := func() Source { return Merge([]Source{mustOpen(t, smia, 0), mustOpen(t, win10, 1)}) }
	want, err = readAll(t, merged())
	if err != nil {
		t.Fatal(err)
	}
	got, err = readAll(t, Prefetch(merged()))
	if err != nil {
		t.Fatal(err)
	}
	sameFrames(t, got, want)
	for i := range want {
		if got[i].source != want[i].source {
			t.Fatalf("frame %d: input %d, want %d", i+1, got[i].source, want[i].source)
		}
	}
}

// A file cut in the middle of a record: the whole records, then the same
// *TruncatedError as without prefetching, then io.EOF.
func TestPrefetchTruncated(t *testing.T) {
	full := readFile(t, corpus(t, smiaPcap))
	cut := writeTemp(t, "cut.pcap", full[:len(full)*2/3+5])
	want, wantErr := readAll(t, mustOpen(t, cut, 0))
	p := Prefetch(mustOpen(t, cut, 0))
	defer p.Close()
	got, gotErr := readAll(t, p)
	var te *TruncatedError
	if !errors.As(wantErr, &te) || gotErr == nil || gotErr.Error() != wantErr.Error() {
		t.Fatalf("error %v, want %v", gotErr, wantErr)
	}
	sameFrames(t, got, want)
	if err := p.Next(&Packet{}); err != io.EOF {
		t.Errorf("after the warning: %v, want io.EOF", err)
	}
}

// Closing before the end stops the reading goroutine.
func TestPrefetchCloseEarly(t *testing.T) {
	before := runtime.NumGoroutine()
	p := Prefetch(mustOpen(t, corpus(t, smiaPcap), 0))
	var pkt Packet
	if err := p.Next(&pkt); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	p.Close() // twice is harmless
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after Close, %d before", n, before)
	}
}

func mustOpen(t *testing.T, path string, index int) Source {
	t.Helper()
	s, err := OpenFile(path, index)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
