package capture

import (
	"bytes"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// TestWriterRoundTrip writes the merge of an Ethernet and a raw IP capture
// and reads it back: same bytes, timestamps and link types, and one pcapng
// interface per (input, link type).
func TestWriterRoundTrip(t *testing.T) {
	names := []string{smiaPcap, rawIPPcap, sllPcap}
	corpora(t, names...)
	var srcs []Source
	for i, n := range names {
		src, err := OpenFile(corpus(t, n), i)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	m := Merge(srcs)
	defer m.Close()

	var buf bytes.Buffer
	w := NewPcapngWriter(&buf)
	w.SetLabel(0, "smia")
	var want []frame
	var p Packet
	for {
		err := m.Next(&p)
		if err != nil {
			break
		}
		want = append(want, copyFrame(&p))
		if err := w.WritePacket(&p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if len(want) != 3952+58+3 {
		t.Fatalf("merged %d frames", len(want))
	}

	src, err := OpenReader(bytes.NewReader(buf.Bytes()), "round trip", 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, src)
	if err != nil {
		t.Fatal(err)
	}
	sameFrames(t, got, want)
	ng := src.(*fileSource).ng
	if ng.NInterfaces() != 3 {
		t.Fatalf("%d interfaces, want 3", ng.NInterfaces())
	}
	wantIfaces := []struct {
		name string
		lt   layers.LinkType
	}{{"smia", layers.LinkTypeEthernet}, {"input 1", layers.LinkTypeRaw}, {"input 2", layers.LinkTypeLinuxSLL}}
	for _, wi := range wantIfaces {
		found := false
		for i := range ng.NInterfaces() {
			intf, _ := ng.Interface(i)
			found = found || intf.Name == wi.name && intf.LinkType == wi.lt
		}
		if !found {
			t.Errorf("no interface %q with link type %v", wi.name, wi.lt)
		}
	}
	checkWithCapinfos(t, buf.Bytes(), len(want))
}

// checkWithCapinfos asks Wireshark's capinfos (when installed) about the
// file: it must read it whole.
//
//	capinfos -T -r -c -E FILE  →  name, "per-packet" encapsulation, count
func checkWithCapinfos(t *testing.T, data []byte, count int) {
	t.Helper()
	capinfos, err := exec.LookPath("capinfos")
	if err != nil {
		return
	}
	path := writeTemp(t, "out.pcapng", data)
	out, err := exec.Command(capinfos, "-T", "-r", "-c", "-E", path).CombinedOutput()
	if err != nil {
		t.Fatalf("capinfos: %v: %s", err, out)
	}
	fields := strings.Split(strings.TrimSpace(string(out)), "\t")
	want := []string{path, "per-packet", strconv.Itoa(count)}
	if strings.Join(fields, "|") != strings.Join(want, "|") {
		t.Errorf("capinfos says %q, want %q", fields, want)
	}
}

// TestWriterEmpty: a writer closed without frames still writes a file
// that reads as a capture with no frames.
func TestWriterEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := NewPcapngWriter(&buf).Close(); err != nil {
		t.Fatal(err)
	}
	src, err := OpenReader(&buf, "empty", 0)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := readAll(t, src)
	if err != nil || len(frames) != 0 {
		t.Fatalf("%d frames, %v", len(frames), err)
	}
}
