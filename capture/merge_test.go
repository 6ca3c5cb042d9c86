package capture

import (
	"bytes"
	"errors"
	"io"
	"sort"
	"testing"
)

// TestMerge merges three real captures from different years and link
// types, whose time ranges overlap: the result is sorted by time, keeps
// each input's own order, and Packet.Source says which input.
func TestMerge(t *testing.T) {
	names := []string{
		"nbns-query-browser-host-announce-backuplist_suricata-verify-sip-cut.pcap",            // 2005-07-04
		"synthetic/malformed-fuzzed-nbns-nbdgm_ndpi-fuzz-2006-06-26-2594.pcap",                // same capture, fuzzed, big-endian
		"nbns-registration-browser-elections-udp-and-netbeui_ndpi-dos_win98_smb_netbeui.pcap", // 2019
	}
	var inputs [][]frame
	var srcs []Source
	corpora(t, names...)
	for i, n := range names {
		path := corpus(t, n)
		inputs = append(inputs, openAll(t, path, i))
		src, err := OpenFile(path, i)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	m := Merge(srcs)
	defer m.Close()
	got, err := readAll(t, m)
	if err != nil {
		t.Fatal(err)
	}

	// What mergecap would give: a stable sort of the inputs by time.
	var want []frame
	for _, in := range inputs {
		want = append(want, in...)
	}
	sort.SliceStable(want, func(i, j int) bool { return want[i].ci.Before(want[j].ci) })
	sameFrames(t, got, want)
	for i := range want {
		if got[i].source != want[i].source {
			t.Fatalf("frame %d from input %d, want %d", i+1, got[i].source, want[i].source)
		}
	}
	if m.Label() != srcs[0].Label()+"+"+srcs[1].Label()+"+"+srcs[2].Label() {
		t.Errorf("label %q", m.Label())
	}
	if st := m.Stats(); st.Received != uint64(len(want)) {
		t.Errorf("Stats().Received = %d, want %d", st.Received, len(want))
	}
	interleaved := 0
	for i := 1; i < len(got); i++ {
		if got[i].source != got[i-1].source {
			interleaved++
		}
	}
	if interleaved < 100 {
		t.Errorf("only %d input changes: the inputs were not interleaved", interleaved)
	}
}

// TestMergeTies merges a capture with itself: equal timestamps come out in
// input order, and the Data of each returned frame is intact although the
// other input was read meanwhile (zero copy).
func TestMergeTies(t *testing.T) {
	path := corpus(t, xscanPcap)
	want := openAll(t, path, 0)
	a, err := OpenFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := OpenFile(path, 1)
	if err != nil {
		t.Fatal(err)
	}
	m := Merge([]Source{a, b})
	defer m.Close()
	var p Packet
	for i := range 2 * len(want) {
		if err := m.Next(&p); err != nil {
			t.Fatal(err)
		}
		w := want[i/2]
		if p.Source != i%2 || !bytes.Equal(p.Data, w.data) || !p.CI.Timestamp.Equal(w.ci) {
			t.Fatalf("frame %d: source %d, %d bytes at %v; want source %d, %d bytes at %v",
				i+1, p.Source, len(p.Data), p.CI.Timestamp, i%2, len(w.data), w.ci)
		}
	}
	if err := m.Next(&p); err != io.EOF {
		t.Fatalf("after the end: %v", err)
	}
}

// TestMergeError merges a truncated copy with a whole file: the
// *TruncatedError is returned once and the other input goes on to its end.
func TestMergeError(t *testing.T) {
	full := readFile(t, corpus(t, xscanPcap))
	ends := pcapRecordEnds(t, full)
	cut, err := OpenReader(bytes.NewReader(full[:ends[9]+5]), "cut", 0)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := OpenReader(bytes.NewReader(full), "whole", 1)
	if err != nil {
		t.Fatal(err)
	}
	m := Merge([]Source{cut, whole})
	var p Packet
	counts := [2]int{}
	errs := 0
	for {
		err := m.Next(&p)
		if err == io.EOF {
			break
		}
		var te *TruncatedError
		if errors.As(err, &te) {
			errs++
			if te.File != "cut" || te.Records != 10 || counts[0] != 10 {
				t.Errorf("error %v after %d frames of the cut input", err, counts[0])
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		counts[p.Source]++
	}
	if errs != 1 || counts != [2]int{10, 136} {
		t.Errorf("%d errors, frames per input %v; want 1 error, [10 136]", errs, counts)
	}
}

func TestMergeNone(t *testing.T) {
	var p Packet
	if err := Merge(nil).Next(&p); err != io.EOF {
		t.Errorf("Merge(nil).Next: %v, want io.EOF", err)
	}
}
