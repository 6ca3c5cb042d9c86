package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// -r LABEL=FILE takes a named pipe, as bash's <(command) gives: the same
// report and events as the file, and -V prints every frame (a pipe is read
// once: no two-pass analysis, which would find it empty the second time).
func TestReadNamedPipe(t *testing.T) {
	file := pcap("dmb.subnetB.pcapng")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(t.TempDir(), "fifo")
	for _, mode := range [][]string{{"--report"}, {"-T", "events"}, {"-T", "fields", "-e", "frame.number", "-e", "nbns.name", "-e", "frame.time_epoch"}} {
		want := runOut(t, append([]string{"-r", "branch=" + file}, mode...)...)
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wg.Go(func() {
			f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
			if err != nil {
				t.Error(err)
				return
			}
			f.Write(data)
			f.Close()
		})
		got := runOut(t, append([]string{"-r", "branch=" + fifo}, mode...)...)
		wg.Wait()
		os.Remove(fifo)
		if got != want || len(want) == 0 {
			t.Errorf("-r branch=FIFO %v: %d bytes, the file %d: they differ:\n%s", mode, len(got), len(want), firstDiff([]byte(got), []byte(want)))
		}
	}

	// Standard input: -r branch=-.
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-r", "branch=-", "--report"}, bytes.NewReader(data), &out, &errb)
	if want := runOut(t, "-r", "branch="+file, "--report"); code != 0 || out.String() != want {
		t.Errorf("-r branch=- --report: exit %d (%s), same as the file: %v", code, errb.String(), out.String() == want)
	}

	// The README's recipe, with bash's process substitution and the
	// binary: -V over a pipe prints all 248 frames.
	bin := nbtsniffBinary(t)
	q := shellQuote
	for _, c := range []struct {
		args  string
		check func(got string) bool
	}{
		{"-T events", func(got string) bool { return got == runOut(t, "-r", "branch="+file, "-T", "events") }},
		{"-V", func(got string) bool {
			return strings.Count(got, "\nFrame ")+1 == 248 && strings.HasPrefix(got, "Frame 1:")
		}},
	} {
		cmd := exec.Command("bash", "-c", q(bin)+" -r branch=<(cat "+q(file)+") "+c.args)
		got, err := cmd.Output()
		if err != nil || !c.check(string(got)) {
			t.Errorf("nbtsniff -r branch=<(cat %s) %s: %v, %d bytes: not the file's output", file, c.args, err, len(got))
		}
	}
}
