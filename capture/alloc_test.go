package capture

import (
	"bytes"
	"io"
	"testing"
)

// TestNextAllocs: reading a pcap file allocates nothing per frame once the
// record buffer has grown.
func TestNextAllocs(t *testing.T) {
	for _, name := range []string{smiaPcap, win10Pcapng} {
		t.Run(name, func(t *testing.T) {
			data := readFile(t, corpus(t, name))
			src, err := OpenReader(bytes.NewReader(data), name, 0)
			if err != nil {
				t.Fatal(err)
			}
			var p Packet
			for range 100 { // warm up: the record buffer grows
				if err := src.Next(&p); err != nil {
					t.Fatal(err)
				}
			}
			allocs := testing.AllocsPerRun(800, func() {
				if err := src.Next(&p); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("%v allocations per frame, want 0", allocs)
			}
		})
	}
}

// BenchmarkReadPcap reads a 3952-frame pcap file from memory.
func BenchmarkReadPcap(b *testing.B) {
	data := readFile(b, corpus(b, smiaPcap))
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	var p Packet
	for b.Loop() {
		src, err := OpenReader(bytes.NewReader(data), "bench", 0)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			err := src.Next(&p)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 3952 {
			b.Fatalf("read %d frames", n)
		}
	}
}
