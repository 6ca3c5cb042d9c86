package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

// The printers and the timeline run on a second goroutine when reading a
// file (pipeline.go), and on the decoding goroutine otherwise: both must
// print the same bytes, for every output mode, on captures with SMB
// transactions, RAP and reassembled TCP (TestTsharkFieldsDiff holds the
// two-goroutine path itself to tshark's output).
func TestPipelinePrintsWhatTheLoopPrints(t *testing.T) {
	captures := []string{
		"../../testdata/pcaps/enum.pcapng",
		"../../testdata/pcaps/storm.pcapng",
		"../../../shared/pcaps/nbss139-smb1-smia2011-deduped-msgs_nemesys-cut.pcap",
		"../../../shared/pcaps/nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng",
	}
	modes := [][]string{
		nil,
		{"-V", "-x"},
		{"-T", "json"},
		{"-T", "fields", "-e", "frame.number", "-e", "nbns.name", "-e", "smb.cmd", "-e", "browser.command", "-e", "_ws.col.Info", "-E", "quote=d", "-E", "occurrence=a"},
		{"-T", "events"},
		{"--report"},
		{"--report=json"},
		{"-Y", "browser || nbss.type == 0", "-T", "fields", "-e", "frame.number", "-e", "browser.server", "-e", "nbss.type"},
	}
	for _, c := range captures {
		_, err := os.Stat(c)
		if errors.Is(err, os.ErrNotExist) {
			t.Skipf("%s is missing (../shared/pcaps comes with the project's shared directory)", c)
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range modes {
			name := c[strings.LastIndex(c, "/")+1:] + " " + strings.Join(m, " ")
			var two, one, errs bytes.Buffer
			if code := run(context.Background(), append([]string{"-r", c}, m...), strings.NewReader(""), &two, &errs); code != 0 {
				t.Fatalf("%s: exit %d: %s", name, code, errs.String())
			}
			noPipeline = true
			code := run(context.Background(), append([]string{"-r", c}, m...), strings.NewReader(""), &one, &errs)
			noPipeline = false
			if code != 0 {
				t.Fatalf("%s (one goroutine): exit %d: %s", name, code, errs.String())
			}
			if two.Len() == 0 {
				t.Errorf("%s: no output", name)
			}
			if !bytes.Equal(two.Bytes(), one.Bytes()) {
				t.Errorf("%s: two goroutines and one print different output (%d and %d bytes)", name, two.Len(), one.Len())
			}
		}
	}
}

// failWriter fails every write after the first n bytes.
type failWriter struct{ n int }

var errFull = errors.New("disk full")

func (w *failWriter) Write(b []byte) (int, error) {
	if w.n < len(b) {
		return 0, errFull
	}
	w.n -= len(b)
	return len(b), nil
}

// A printer that fails stops the decoder and the error is reported once.
func TestPipelineStopsOnWriteError(t *testing.T) {
	var errb bytes.Buffer
	code := run(context.Background(), []string{"-r", "../../testdata/pcaps/storm.pcapng", "-V"}, strings.NewReader(""), &failWriter{n: 1000}, &errb)
	if code != 1 || strings.Count(errb.String(), "disk full") != 1 {
		t.Errorf("exit %d, stderr %q: want 1 and the error once", code, errb.String())
	}
}
