// Package testframes decodes captures for the tests of the packages that
// read decoded frames (filter, output): one engine over the whole file,
// each frame copied out, as a printer sees them.
package testframes

import (
	"errors"
	"io"
	"testing"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
)

// Load decodes the capture at path with the engine and returns a copy of
// each frame (the engine reuses one Frame). A capture that cannot be read
// fails the test.
func Load(tb testing.TB, path string) []*dissect.Frame {
	tb.Helper()
	src, err := capture.OpenFile(path, 0)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	defer src.Close()
	cfg := engine.DefaultConfig()
	cfg.Labels = []string{src.Label()}
	eng := engine.New(cfg)
	var pkt capture.Packet
	var frames []*dissect.Frame
	for {
		err := src.Next(&pkt)
		if errors.Is(err, io.EOF) {
			return frames
		}
		if err != nil {
			tb.Fatalf("read %s: %v", path, err)
		}
		c := new(dissect.Frame)
		eng.Decode(pkt.Data, pkt.CI, pkt.LinkType, pkt.Source).CopyTo(c)
		frames = append(frames, c)
	}
}
