package main

import (
	"encoding/binary"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

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
		out, _ := p.finish(t, 5*time.Second)
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
