package main

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nbtsniff/nbtsniff/internal/crafted"
)

// stdinCapture is a pcap file header and n NBNS queries, one a second,
// then the first 10 bytes of another record (a read interrupted there
// is in the middle of a record).
func stdinCapture(n int) (whole, partial []byte) {
	hdr := make([]byte, 24)
	binary.LittleEndian.PutUint32(hdr[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(hdr[4:], 2)
	binary.LittleEndian.PutUint16(hdr[6:], 4)
	binary.LittleEndian.PutUint32(hdr[16:], 65535)
	binary.LittleEndian.PutUint32(hdr[20:], 1)
	out := hdr
	for i := range n {
		f := crafted.NBNSQuery(1, uint16(i+1), "PIPE")
		rec := make([]byte, 16)
		binary.LittleEndian.PutUint32(rec[0:], uint32(1000+i))
		binary.LittleEndian.PutUint32(rec[8:], uint32(len(f)))
		binary.LittleEndian.PutUint32(rec[12:], uint32(len(f)))
		out = append(append(out, rec...), f...)
	}
	rec := make([]byte, 16)
	binary.LittleEndian.PutUint32(rec[0:], uint32(1000+n))
	binary.LittleEndian.PutUint32(rec[8:], 92)
	return out, rec[:10]
}

// SIGINT is honoured at once while standard input is a pipe that is open
// but idle (tcpdump -w - | nbtsniff -r -, with nothing to capture): the
// read that waits is interrupted. With -l each frame is flushed as it is
// decoded; without it, output to a pipe is buffered in blocks as tshark's
// is, and nothing read is lost at the interrupt. A pipe has no kernel
// counters, and a read interrupted in the middle of a record is no
// truncated file: neither is reported.
func TestSigintOnIdleStdinPipe(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds and runs the binary")
	}
	bin := nbtsniffBinary(t)
	whole, partial := stdinCapture(10)
	for _, flush := range []bool{true, false} {
		args := []string{bin, "-r", "-", "-T", "fields", "-e", "frame.number"}
		if flush {
			args = append(args, "-l")
		}
		p := start(t, args...)
		if _, err := p.stdin.Write(whole); err != nil {
			t.Fatal(err)
		}
		if flush {
			for i := 1; i <= 10; i++ {
				if l := p.readLineWithin(t, 10*time.Second); l != strconv.Itoa(i)+"\n" {
					t.Fatalf("-l: line %d is %q", i, l)
				}
			}
		}
		if _, err := p.stdin.Write(partial); err != nil {
			t.Fatal(err)
		}
		// The pipe stays open, and idle.
		if !flush {
			waitDrained(t, p)
		}
		time.Sleep(100 * time.Millisecond) // and, most likely, decoded
		p.signal(t, os.Interrupt)
		out, code := p.finish(t, 5*time.Second)
		// An interrupted read says where it stopped, and the shell's
		// status for SIGINT: every frame read was printed.
		printed := strings.Count(out, "\n")
		if flush {
			printed += 10
		}
		if code != 130 || !strings.Contains(p.stderr.String(), "nbtsniff: interrupted at frame "+strconv.Itoa(printed)+"\n") {
			t.Errorf("-l %v: exit %d, stderr %q: want 130 and interrupted at frame %d", flush, code, p.stderr.String(), printed)
		}
		if flush && out != "" {
			t.Errorf("-l: output after SIGINT %q: every frame was out before it", out)
		}
		if !flush {
			// What was decoded before the interrupt comes out at the
			// end, in order (the frames still in the read buffer when
			// SIGINT came are not decoded: it is honoured at once).
			want := ""
			for i := 1; i <= strings.Count(out, "\n"); i++ {
				want += strconv.Itoa(i) + "\n"
			}
			if out != want || strings.Count(out, "\n") > 10 {
				t.Errorf("output after SIGINT %q: want frames 1 to N in order", out)
			}
		}
		if e := p.stderr.String(); strings.Contains(e, "dropped by kernel") || strings.Contains(e, "truncated") || strings.Contains(e, "packets captured") {
			t.Errorf("-l %v: stderr %q: no kernel counters nor truncation for a pipe", flush, e)
		}
		p.stdin.Close()
	}
}

// A pipe whose writer stops in the middle of a record (tcpdump ended by
// the same Ctrl-C, in a terminal) is the end of the capture, not a
// truncated file: every whole frame is printed, nothing is warned.
func TestPipeWriterStopsMidRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds and runs the binary")
	}
	bin := nbtsniffBinary(t)
	whole, partial := stdinCapture(10)
	p := start(t, bin, "-r", "-", "-T", "fields", "-e", "frame.number")
	if _, err := p.stdin.Write(append(whole, partial...)); err != nil {
		t.Fatal(err)
	}
	p.stdin.Close()
	out, code := p.finish(t, 10*time.Second)
	if code != 0 || strings.Count(out, "\n") != 10 || p.stderr.Len() != 0 {
		t.Errorf("exit %d, %d frames, stderr %q: want 0, 10 and nothing", code, strings.Count(out, "\n"), p.stderr.String())
	}
}

// waitDrained waits until nbtsniff has read everything written to its
// standard input (the pipe holds nothing: FIONREAD on our end), for at
// most 10 s.
func waitDrained(t *testing.T, p *proc) {
	t.Helper()
	f, ok := p.stdin.(*os.File)
	if !ok {
		t.Fatalf("stdin is a %T, not a pipe", p.stdin)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if n, err := unixFIONREAD(f); err != nil || n == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("nbtsniff did not read its standard input within 10 s")
}

// An interrupted file run looks interrupted: Ctrl-C while nbtsniff reads
// a file says "interrupted at frame N" on standard error and exits 130,
// and what it printed is the N frames it read. Here -V of a file of
// 50,000 NBNS queries goes to a pipe the test stops reading: nbtsniff
// blocks in the middle of the file (its reader at most a few batches of
// frames ahead of the output), is interrupted, and finishes when the pipe
// is read again.
func TestInterruptedFileRun(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds and runs the binary")
	}
	bin := nbtsniffBinary(t)
	const total = 50000
	whole, _ := stdinCapture(total)
	file := filepath.Join(t.TempDir(), "queries.pcap")
	if err := os.WriteFile(file, whole, 0o644); err != nil {
		t.Fatal(err)
	}
	p := start(t, bin, "-r", file, "-V")
	if l := p.readLineWithin(t, 20*time.Second); !strings.HasPrefix(l, "Frame 1:") {
		t.Fatalf("first line %q", l)
	}
	waitBlocked(t, p)
	p.signal(t, os.Interrupt)
	out, code := p.finish(t, 20*time.Second)
	printed := 1 + strings.Count(out, "\nFrame ")
	m := regexp.MustCompile(`nbtsniff: interrupted at frame (\d+)\n`).FindStringSubmatch(p.stderr.String())
	if code != 130 || m == nil {
		t.Fatalf("exit %d, stderr %q: want 130 and where it was interrupted", code, p.stderr.String())
	}
	if n, _ := strconv.Atoi(m[1]); n != printed || n >= total {
		t.Errorf("interrupted at frame %s, %d frames printed (of %d)", m[1], printed, total)
	}
}

// An interrupted --report says so in the report, text and JSON: the
// capture comes down a FIFO (a file that waits, like a slow share) that
// the test stops feeding after 100 of its frames.
func TestInterruptedReport(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds and runs the binary")
	}
	bin := nbtsniffBinary(t)
	whole, err := os.ReadFile("../../testdata/pcaps/election.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json"} {
		fifo := filepath.Join(t.TempDir(), "capture.pcapng")
		if err := unix.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		p := start(t, bin, "-r", fifo, "--report="+format)
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0) // waits for nbtsniff to open it
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(whole[:20000]); err != nil { // 116 whole records, and a part
			t.Fatal(err)
		}
		waitFIFODrained(t, w)
		time.Sleep(100 * time.Millisecond) // and, most likely, decoded
		p.signal(t, os.Interrupt)
		out, code := p.finish(t, 10*time.Second)
		w.Close()
		m := regexp.MustCompile(`nbtsniff: interrupted at frame (\d+)\n`).FindStringSubmatch(p.stderr.String())
		if code != 130 || m == nil {
			t.Fatalf("%s: exit %d, stderr %q: want 130 and where it was interrupted", format, code, p.stderr.String())
		}
		want := "INTERRUPTED at frame " + m[1] + ": the state below is that of frames 1 to " + m[1] + " only\n"
		if format == "json" {
			want = `{"interrupted_at":` + m[1] + `,"time":`
		}
		if !strings.Contains(out, want) {
			t.Errorf("%s: the report does not say %q:\n%.400s", format, want, out)
		}
	}
}

// waitBlocked waits until the process is blocked writing to its standard
// output (the pipe is full: a thread waits in pipe_write), for at most
// 20 s.
func waitBlocked(t *testing.T, p *proc) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if blockedOnWrite(p.cmd.Process.Pid) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("nbtsniff never blocked on its output")
}

// blockedOnWrite reports whether any thread of pid waits in pipe_write.
func blockedOnWrite(pid int) bool {
	tasks, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/wchan")
	for _, f := range tasks {
		if b, err := os.ReadFile(f); err == nil && strings.Contains(string(b), "pipe_write") {
			return true
		}
	}
	return false
}

// waitFIFODrained waits until the FIFO behind w is empty, for at most
// 10 s.
func waitFIFODrained(t *testing.T, w *os.File) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if n, err := unixFIONREAD(w); err != nil || n == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("nbtsniff did not read the FIFO within 10 s")
}
