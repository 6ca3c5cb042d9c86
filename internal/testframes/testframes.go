// Package testframes decodes captures for the tests of the packages that
// read decoded frames (filter, output): the pipeline's loop with one
// engine over the whole file, each frame copied out, as a printer sees
// them.
package testframes

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/pipeline"
)

// Load decodes the capture at path and returns a copy of each frame (the
// engine reuses one Frame). A capture that cannot be read fails the test;
// one cut short is logged, and its whole records are decoded.
func Load(tb testing.TB, path string) []*dissect.Frame {
	tb.Helper()
	return LoadConfig(tb, path, pipeline.Config{})
}

// LoadConfig is Load with a pipeline configuration (GiveUpTCPHoles, ...);
// its Labels and Warn are set here.
func LoadConfig(tb testing.TB, path string, cfg pipeline.Config) []*dissect.Frame {
	tb.Helper()
	in, err := pipeline.Open(pipeline.Inputs{Files: []string{path}})
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	defer in.Close()
	cfg.Labels, cfg.Warn = in.Labels, func(err error) { tb.Logf("warning: %v", err) }
	p, err := pipeline.New(in.Source, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	defer p.Close()
	var frames []*dissect.Frame
	for {
		f, err := p.Next(context.Background())
		if errors.Is(err, io.EOF) {
			return frames
		}
		if err != nil {
			tb.Fatalf("read %s: %v", path, err)
		}
		c := new(dissect.Frame)
		f.CopyTo(c)
		frames = append(frames, c)
	}
}
