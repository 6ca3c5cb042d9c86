package view

import (
	"io"
	"os"
	"strings"
	"sync/atomic"

	"github.com/nbtsniff/nbtsniff/capture"
)

// countingReader counts the bytes read from a file, for the progress bar.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// splitSpec splits "LABEL=FILE" as capture.OpenFile does: a part before
// "=" that is empty or looks like a path, or a spec naming an existing
// file as a whole, makes the spec a plain path that labels itself.
func splitSpec(spec string) (label, path string) {
	label, path, ok := strings.Cut(spec, "=")
	if !ok || label == "" || strings.ContainsAny(label, `/\`) || fileExists(spec) {
		label, path = spec, spec
	}
	if label == "-" {
		label = "stdin"
	}
	return label, path
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// fileSource closes the file under a capture read from it.
type fileSource struct {
	capture.Source
	f *os.File
}

func (s fileSource) Close() error {
	err := s.Source.Close()
	s.f.Close()
	return err
}

// openFiles opens every -r input, merged by time, counting the bytes read
// into count (when not nil) and adding up the sizes of the files.
func openFiles(in Input, count *atomic.Int64) (capture.Source, []string, int64, error) {
	var srcs []capture.Source
	var labels []string
	var total int64
	fail := func(err error) (capture.Source, []string, int64, error) {
		for _, s := range srcs {
			s.Close()
		}
		return nil, nil, 0, err
	}
	for i, spec := range in.Files {
		label, path := splitSpec(spec)
		var s capture.Source
		if path == "-" {
			var err error
			s, err = capture.OpenReader(in.Stdin, label, i)
			if err != nil {
				return fail(err)
			}
		} else {
			f, err := os.Open(path)
			if err != nil {
				return fail(err)
			}
			if st, err := f.Stat(); err == nil {
				total += st.Size()
			}
			var r io.Reader = f
			if count != nil {
				r = countingReader{f, count}
			}
			cs, err := capture.OpenReader(r, label, i)
			if err != nil {
				f.Close()
				return fail(err)
			}
			s = fileSource{cs, f}
		}
		srcs = append(srcs, s)
		labels = append(labels, s.Label())
	}
	if len(srcs) == 1 {
		return srcs[0], labels, total, nil
	}
	return capture.Merge(srcs), labels, total, nil
}

// openLive opens every -i interface, merged.
func openLive(in Input) (capture.Source, []string, error) {
	var srcs []capture.Source
	var labels []string
	for i, iface := range in.Ifaces {
		lo := in.Live
		lo.Index = i
		s, err := capture.OpenLive(iface, lo)
		if err != nil {
			for _, s := range srcs {
				s.Close()
			}
			return nil, nil, err
		}
		srcs = append(srcs, s)
		labels = append(labels, s.Label())
	}
	if len(srcs) == 1 {
		return srcs[0], labels, nil
	}
	return capture.Merge(srcs), labels, nil
}
