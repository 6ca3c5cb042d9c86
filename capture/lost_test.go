package capture

import (
	"bytes"
	"testing"

	"github.com/nbtsniff/nbtsniff/internal/crafted"
)

// TestGzipOverBudget: a gzip capture whose compressed stream is larger than
// the per-record budget is read to its end. The budget bounds one record,
// not the file: it was never reset on the compressed stream, so an 80 MB
// gzip stopped after 64 MiB with "record budget exceeded". The budget is
// made small here so that a 3 MB file exercises the same path.
func TestGzipOverBudget(t *testing.T) {
	defer func(b int64) { recordBudget = b }(recordBudget)
	recordBudget = 256 << 10
	const n = 3000 // 3 MB, over ten budgets
	for _, z := range []bool{false, true} {
		data := crafted.BigPcap(n, z)
		if z && len(data) < 10*int(recordBudget) {
			t.Fatalf("gzip stream is %d bytes, want over %d", len(data), 10*recordBudget)
		}
		src, err := OpenReader(bytes.NewReader(data), "big", 0)
		if err != nil {
			t.Fatal(err)
		}
		frames, err := readAll(t, src)
		if err != nil || len(frames) != n {
			t.Fatalf("gzip %v: %d of %d frames, error %v", z, len(frames), n, err)
		}
	}
}

// TestCaplenOverLen: a pcap record whose captured length exceeds its
// original length is read, as tshark reads it, with both lengths as the
// file gives them, and the file goes on (it was refused whole: 0 of 50).
func TestCaplenOverLen(t *testing.T) {
	src, err := OpenReader(bytes.NewReader(crafted.CaplenOverLen()), "caplen", 0)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := readAll(t, src)
	if err != nil || len(frames) != 50 {
		t.Fatalf("%d of 50 frames, error %v", len(frames), err)
	}
	for i, f := range frames {
		want := len(f.data)
		if i%10 == 4 {
			want -= 10
		}
		if f.capLen != len(f.data) || f.length != want {
			t.Errorf("frame %d: caplen %d len %d data %d; want len %d", i+1, f.capLen, f.length, len(f.data), want)
		}
	}
}
