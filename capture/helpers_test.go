package capture

import (
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	shared "github.com/nbtsniff/nbtsniff/internal/corpus"
)

// corpus returns the path of a capture of the shared corpus (see its
// MANIFEST.md), read in place, never copied into the project: a corpus
// case, skipped without the corpus (own_test.go tests the same on the
// repository's captures).
func corpus(t testing.TB, name string) string {
	t.Helper()
	return shared.Path(t, name)
}

// corpora asks for several captures of the corpus at once (shared.Paths),
// for a test that reads them in turn; nil is every capture of corpusFiles.
func corpora(t testing.TB, names ...string) {
	t.Helper()
	if names == nil {
		for _, tt := range corpusFiles {
			names = append(names, tt.name)
		}
	}
	shared.Paths(t, names...)
}

// Corpus files used by several tests.
const (
	smiaPcap    = "nbss139-smb1-smia2011-deduped-msgs_nemesys-cut.pcap"                                // 3952 Ethernet frames
	rawIPPcap   = "nbss139-smb1-maccdc2012-rawip-linktype_nemesys-cut.pcap"                            // 58 raw IP frames
	sllPcap     = "nbns-query-linux-cooked-sll_pcapplusplus-sll-cut.pcap"                              // 3 Linux SLL frames
	win10Pcapng = "nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng" // 1000 frames
	xscanPcap   = "nbns-nbstat-nbss139-negative-session-smb1_evilfingers-xscan-cut.pcap"               // 136 frames
	ndpiPcapng  = "nbns-query-nbstat-nbss-request-browser_ndpi-netbios.pcap"                           // pcapng despite its name
)

// frame is a copy of a Packet that outlives the next call to Next.
type frame struct {
	data     []byte
	ci       time.Time
	capLen   int
	length   int
	linkType layers.LinkType
	source   int
}

func copyFrame(p *Packet) frame {
	return frame{
		data:     append([]byte(nil), p.Data...),
		ci:       p.CI.Timestamp,
		capLen:   p.CI.CaptureLength,
		length:   p.CI.Length,
		linkType: p.LinkType,
		source:   p.Source,
	}
}

// readAll reads src to its end and returns copies of its frames and the
// error that ended it (nil for io.EOF).
func readAll(t testing.TB, src Source) ([]frame, error) {
	t.Helper()
	var frames []frame
	var p Packet
	for {
		err := src.Next(&p)
		if err == io.EOF {
			return frames, nil
		}
		if err != nil {
			return frames, err
		}
		frames = append(frames, copyFrame(&p))
	}
}

// openAll opens a file and reads it all, failing the test on any error.
func openAll(t testing.TB, path string, index int) []frame {
	t.Helper()
	src, err := OpenFile(path, index)
	if err != nil {
		t.Fatalf("OpenFile(%s): %v", path, err)
	}
	defer src.Close()
	frames, err := readAll(t, src)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return frames
}

// sameFrames compares data, timestamps and link types.
func sameFrames(t *testing.T, got, want []frame) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d frames, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if string(g.data) != string(w.data) || !g.ci.Equal(w.ci) || g.linkType != w.linkType || g.length != w.length {
			t.Fatalf("frame %d: got %d bytes at %v link %v len %d, want %d bytes at %v link %v len %d",
				i+1, len(g.data), g.ci, g.linkType, g.length, len(w.data), w.ci, w.linkType, w.length)
		}
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
