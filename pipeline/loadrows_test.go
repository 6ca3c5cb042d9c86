package pipeline

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/feed"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
	"github.com/nbtsniff/nbtsniff/internal/crafted"
	"github.com/nbtsniff/nbtsniff/output"
)

// fullColumns decodes a capture in order through an engine that decodes
// every frame (what the loader did before it listed frames by reference)
// and returns each frame's list columns, errors and length.
func fullColumns(t *testing.T, paths ...string) []string {
	t.Helper()
	in, err := Open(files(paths...))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	pl, err := New(in.Source, Config{Labels: in.Labels, Live: true}) // no read-ahead: the loader does not finish
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for {
		f, err := pl.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		line := output.AppendSummary(nil, f)
		src, dst := summaryAddrs(line)
		info := output.AppendEscaped(nil, f.Info)
		if len(info) > maxInfoBytes {
			info = info[:maxInfoBytes]
		}
		out = append(out, rowText(src, dst, output.AppendEscapedString(nil, f.Proto), info, len(f.Errs), f.Len, f.Time))
	}
	return out
}

func rowText(src, dst, proto, info []byte, errs, length int, t time.Time) string {
	return string(src) + "|" + string(dst) + "|" + string(proto) + "|" + string(info) + "|" +
		itoa(errs) + "|" + itoa(length) + "|" + t.Format(time.RFC3339Nano)
}

// The frame list of a file shows, for every frame, what decoding the whole
// capture in order shows, though most frames are listed by reference and
// decoded again alone (loadrows.go): on the lab's captures, the corpus's,
// a built mix of other traffic (TCP conversations, UDP) and NBT, its gzip
// copy (listed as text), a copy cut to 80 bytes a frame (rows by reference
// hold no length of their own), with -c.
func TestListedColumnsAreTheFullDecode(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/pcaps/*.pcapng")
	paths = append(paths, corpus.Maybe(t, "*.pcap*")...)
	mix := writeMix(t)
	paths = append(paths, mix, gzipCopy(t, mix), cutCopy(t, mix, 80))
	refs := 0
	for _, p := range paths {
		want := fullColumns(t, p)
		l := loadAll(t, files(p), LoaderConfig{})
		s := l.Sample()
		if s.Frames.Len() != len(want) {
			t.Fatalf("%s: %d frames listed, %d decoded", filepath.Base(p), s.Frames.Len(), len(want))
		}
		// Last frame first: a screen is any frames, in any order.
		for i := len(want) - 1; i >= 0; i-- {
			w := want[i]
			r, _ := s.Frames.Row(i + 1)
			if got := rowText(r.Src, r.Dst, r.Proto, r.Info, r.Errs, r.Length, r.Time); got != w {
				t.Errorf("%s frame %d:\n listed  %q\n decoded %q", filepath.Base(p), i+1, got, w)
			}
		}
		if l.fast {
			refs += l.rows.sum.misses()
		}
	}
	if refs < 1000 {
		t.Errorf("only %d frames were decoded again by reference: the test shows little", refs)
	}
	// Merged inputs: each frame is read back from its own file.
	a, b := labPcap(t, "dmb.subnetA.pcapng"), labPcap(t, "dmb.subnetB.pcapng")
	want := fullColumns(t, a, mix, b)
	s := loadAll(t, files(a, mix, b), LoaderConfig{}).Sample()
	for i := len(want) - 1; i >= 0; i-- {
		r, _ := s.Frames.Row(i + 1)
		if got := rowText(r.Src, r.Dst, r.Proto, r.Info, r.Errs, r.Length, r.Time) + "|" + itoa(r.Source); !strings.HasPrefix(got, want[i]+"|") {
			t.Fatalf("merge, frame %d:\n listed  %q\n decoded %q", i+1, got, want[i])
		}
	}
	// -c: the list ends where the load did.
	s = loadAll(t, files(mix), LoaderConfig{Count: 7}).Sample()
	if r, ok := s.Frames.Row(7); s.Frames.Len() != 7 || !ok || len(r.Info) == 0 {
		t.Errorf("-c 7: %d frames, frame 7 %q", s.Frames.Len(), r.Info)
	}
}

// The index of a capture of other traffic holds its fixed-size records
// and little else: under 64 bytes a frame.
func TestIndexBytesPerFrame(t *testing.T) {
	mix := writeMix(t)
	s := loadAll(t, files(mix), LoaderConfig{}).Sample()
	if per := s.Frames.Bytes() / s.Frames.Len(); per > 64 {
		t.Errorf("%d bytes a frame held for %d frames", per, s.Frames.Len())
	}
}

// writeMix writes a pcap of TCP conversations (one picked up mid-way, a
// port reused) and UDP datagrams of other traffic, between the frames of
// a lab capture (NBNS, browser datagrams, SMB over NBSS).
func writeMix(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "mix.pcap")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(capture.MaxRecordSize, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	src, err := capture.OpenFile(labPcap(t, "enum.pcapng"), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	const syn, ack, psh = 0x02, 0x10, 0x08
	var p capture.Packet
	for i := 0; src.Next(&p) == nil; i++ {
		ts := p.CI.Timestamp
		write := func(data []byte) {
			ts = ts.Add(time.Microsecond)
			if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(data), Length: len(data)}, data); err != nil {
				t.Fatal(err)
			}
		}
		write(p.Data)
		port := uint16(40000 + i%50)
		switch i % 4 {
		case 0:
			write(crafted.TCPFrame(1, 2, port, 443, uint32(i*977), 0, syn, nil))
			write(crafted.TCPFrame(2, 1, 443, port, uint32(i*131), uint32(i*977+1), syn|ack, nil))
		case 1:
			write(crafted.TCPFrame(1, 2, port, 443, uint32(i*977+1), 55, ack|psh, bytes.Repeat([]byte("x"), i%300)))
			write(crafted.UDPFrame(3, 4, 53000+port%7, 53, []byte("dns-ish")))
		case 2:
			write(crafted.TCPFrame(5, 6, port, 80, uint32(i*7919), uint32(i), ack, []byte("GET /")))
		case 3:
			write(crafted.TCPFrame(6, 5, 80, port, uint32(i), uint32(i*7919+5), ack|psh, []byte("HTTP/1.1 200")))
		}
	}
	return out
}

func gzipCopy(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(raw)
	zw.Close()
	out := path + ".gz"
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// A display filter given at the start (-Y) over a file is a replay that
// follows the load: once both are done it has found the frames that the
// loader of an input it decodes in full (a gzip copy) matches as it goes.
func TestDisplayFilterFollowsTheLoad(t *testing.T) {
	mix := writeMix(t)
	for _, expr := range []string{"nbns || tcp.port == 443", "browser", "tcp.seq == 1 && tcp.len > 0"} {
		fast := loadAll(t, files(mix), LoaderConfig{DisplayFilter: expr})
		full := loadAll(t, files(gzipCopy(t, mix)), LoaderConfig{DisplayFilter: expr})
		if !fast.fast || full.fast {
			t.Fatal("the pcap is not loaded fast, or its gzip copy is")
		}
		var a, b feed.Matches
		for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(10 * time.Millisecond) {
			if a = fast.Sample().Matches; a.Done {
				break
			}
		}
		b = full.Sample().Matches
		if !a.Done || !b.Done || a.Len() != b.Len() || a.Len() == 0 {
			t.Fatalf("%q: fast load %d matches (done %v), full decode %d (done %v)", expr, a.Len(), a.Done, b.Len(), b.Done)
		}
		for i := range a.Len() {
			if a.At(i) != b.At(i) {
				t.Fatalf("%q: match %d is frame %d, full decode frame %d", expr, i, a.At(i), b.At(i))
			}
		}
	}
}

// cutCopy writes the frames of a capture cut to snap bytes each, their
// length on the wire kept (tcpdump -s).
func cutCopy(t *testing.T, path string, snap int) string {
	t.Helper()
	src, err := capture.OpenFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	out := path + ".cut.pcap"
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(uint32(snap), layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	var p capture.Packet
	for src.Next(&p) == nil {
		data := p.Data[:min(len(p.Data), snap)]
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: p.CI.Timestamp, CaptureLength: len(data), Length: p.CI.Length}, data); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
