package capture

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	shared "github.com/nbtsniff/nbtsniff/internal/corpus"
)

// FuzzOpenReader opens arbitrary bytes as a capture and reads every frame.
// It must not panic, must hand out no frame over MaxRecordSize, and must
// end every input with io.EOF or an error that names the input.
func FuzzOpenReader(f *testing.F) {
	seeds := []string{"../testdata/specframes/udp-edges.pcap", "../testdata/specframes/link-sll.pcap"}
	for _, name := range []string{
		"nbns-winxp-nbstat-response_wanderview.pcap",
		"nbss139-session-request-winxp_wanderview.pcap",
		"nbss139-session-smb1-to-smb2-negotiate_wswiki-SMB-locking-139-flow.pcapng", // pcap inside
		sllPcap,
	} {
		seeds = append(seeds, shared.Maybe(f, name)...)
	}
	for _, p := range seeds {
		f.Add(readFile(f, p))
	}
	for _, p := range append([]string{"../testdata/pcaps/election.pcapng"}, shared.Maybe(f, win10Pcapng)...) {
		ng := readFile(f, p)
		f.Add(ng[:4096])                            // pcapng, cut
		f.Add(gzipBytes(f, ng[:2048]))              // gzip of pcapng, cut
		f.Add(append(ng[:1024:1024], ng[:1024]...)) // two sections
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := OpenReader(bytes.NewReader(data), "fuzz", 0)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		var p Packet
		for n := 0; ; n++ {
			err := src.Next(&p)
			if err == io.EOF {
				break
			}
			if err != nil {
				checkFuzzError(t, err)
				var te *TruncatedError
				if errors.As(err, &te) && te.Records != n {
					t.Fatalf("truncated after %d records, says %d", n, te.Records)
				}
				break
			}
			if len(p.Data) > MaxRecordSize || p.CI.CaptureLength != len(p.Data) {
				t.Fatalf("frame %d: %d bytes, capture length %d", n+1, len(p.Data), p.CI.CaptureLength)
			}
		}
		if err := src.Next(&p); err != io.EOF {
			t.Fatalf("Next after the end: %v", err)
		}
	})
}

func checkFuzzError(t *testing.T, err error) {
	t.Helper()
	if !strings.HasPrefix(err.Error(), "fuzz: ") {
		t.Fatalf("error does not name the input: %v", err)
	}
}
