package capture

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// A pcap file's Stats count its records when the reader waits for more
// input (a pipe: the terminal UI shows the count then) and at its end,
// though not each record as it is read.
func TestPcapStatsWhileWaiting(t *testing.T) {
	var file bytes.Buffer
	w := pcapgo.NewWriter(&file)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	for i := range 5 {
		data := bytes.Repeat([]byte{byte(i)}, 60)
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * time.Second), CaptureLength: 60, Length: 60}, data); err != nil {
			t.Fatal(err)
		}
	}
	head, rest := file.Bytes()[:24+3*(16+60)], file.Bytes()[24+3*(16+60):]
	pr, pw := io.Pipe()
	go func() { pw.Write(head) }()
	src, err := OpenReader(pr, "pipe", 0)
	if err != nil {
		t.Fatal(err)
	}
	var p Packet
	for range 3 {
		if err := src.Next(&p); err != nil {
			t.Fatal(err)
		}
	}
	// The fourth waits for its bytes: by then the three are counted.
	got := make(chan error, 1)
	go func() { got <- src.Next(&p) }()
	deadline := time.Now().Add(10 * time.Second)
	for src.Stats().Received != 3 {
		if time.Now().After(deadline) {
			t.Fatalf("Stats().Received = %d while waiting for the fourth record, want 3", src.Stats().Received)
		}
		time.Sleep(time.Millisecond)
	}
	go func() { pw.Write(rest); pw.Close() }()
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	if err := src.Next(&p); err != nil {
		t.Fatal(err)
	}
	if err := src.Next(&p); err != io.EOF {
		t.Fatalf("after five records: %v, want io.EOF", err)
	}
	if n := src.Stats().Received; n != 5 {
		t.Errorf("Stats().Received = %d at the end, want 5", n)
	}
}
