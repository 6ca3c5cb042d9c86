package capture

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket/layers"

	shared "github.com/nbtsniff/nbtsniff/internal/corpus"
)

// TestPcapngSections concatenates pcapng files (cat a b > c): every
// section's packets come out, each with the link type of its own section's
// interface, though each section numbers its interfaces from 0.
func TestPcapngSections(t *testing.T) {
	corpora(t, win10Pcapng, ndpiPcapng, rawIPPcap)
	win10 := openAll(t, corpus(t, win10Pcapng), 0)
	ndpi := openAll(t, corpus(t, ndpiPcapng), 0)
	raw := openAll(t, corpus(t, rawIPPcap), 0)
	rawNg := pcapngOf(t, raw) // section 3: one raw IP interface

	data := append(readFile(t, corpus(t, win10Pcapng)), readFile(t, corpus(t, ndpiPcapng))...)
	data = append(data, rawNg...)
	src, err := OpenReader(bytes.NewReader(data), "sections", 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, src)
	if err != nil {
		t.Fatal(err)
	}
	want := append(append(append([]frame(nil), win10...), ndpi...), raw...)
	sameFrames(t, got, want)
	if got[len(got)-1].linkType != layers.LinkTypeRaw || got[0].linkType != layers.LinkTypeEthernet {
		t.Errorf("link types %v .. %v", got[0].linkType, got[len(got)-1].linkType)
	}
}

// pcapngOf writes frames with Writer.
func pcapngOf(t *testing.T, frames []frame) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewPcapngWriter(&buf)
	for _, f := range frames {
		p := f.packet()
		if err := w.WritePacket(&p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func (f frame) packet() Packet {
	p := Packet{Data: f.data, LinkType: f.linkType, Source: f.source}
	p.CI.Timestamp, p.CI.CaptureLength, p.CI.Length = f.ci, len(f.data), f.length
	return p
}

// TestPcapngMergecap reads a pcapng file with three interfaces of
// different link types written by Wireshark's mergecap, an independent
// writer:
//
//	mergecap -F pcapng -w merged.pcapng RAWIP SLL ETHER
func TestPcapngMergecap(t *testing.T) {
	mergecap, err := exec.LookPath("mergecap")
	if err != nil {
		shared.Skip(t, "mergecap not installed")
	}
	corpora(t, rawIPPcap, sllPcap, "nbns-winxp-bcast-query-full_wanderview.pcap")
	inputs := []string{corpus(t, rawIPPcap), corpus(t, sllPcap), corpus(t, "nbns-winxp-bcast-query-full_wanderview.pcap")}
	out := filepath.Join(t.TempDir(), "merged.pcapng")
	cmd := exec.Command(mergecap, append([]string{"-F", "pcapng", "-w", out}, inputs...)...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mergecap: %v: %s", err, msg)
	}
	var want []frame
	for i, in := range inputs {
		want = append(want, openAll(t, in, i)...)
	}
	got := openAll(t, out, 0)
	counts := map[layers.LinkType]int{}
	for _, f := range got {
		counts[f.linkType]++
	}
	if len(got) != len(want) || counts[layers.LinkTypeRaw] != 58 || counts[layers.LinkTypeLinuxSLL] != 3 || counts[layers.LinkTypeEthernet] != 4 {
		t.Fatalf("got %d frames by link type %v, want 58 raw IP, 3 SLL, 4 Ethernet", len(got), counts)
	}
	// mergecap sorts by time; match each frame to its input's frame.
	byKey := map[string]frame{}
	for _, f := range want {
		byKey[f.ci.String()+string(f.data)] = f
	}
	for i, g := range got {
		w, ok := byKey[g.ci.String()+string(g.data)]
		if !ok || w.linkType != g.linkType {
			t.Fatalf("frame %d (%v, %d bytes, %v) not in the inputs with that link type", i+1, g.ci, len(g.data), g.linkType)
		}
	}
}
