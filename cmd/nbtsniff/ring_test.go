package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/capture"
)

// ringFiles lists the files of a ring for -w DIR/STEM.EXT, oldest first,
// checking that they are named as tshark names them.
func ringFiles(t *testing.T, dir, stem, ext string) []string {
	t.Helper()
	all, err := filepath.Glob(filepath.Join(dir, stem+"_*"+ext))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^` + stem + `_\d{5}_\d{14}` + regexp.QuoteMeta(ext) + `$`)
	for _, f := range all {
		if !re.MatchString(filepath.Base(f)) {
			t.Errorf("ring file %s is not named STEM_NNNNN_YYYYMMDDHHMMSS%s", f, ext)
		}
	}
	return all // Glob sorts: the sequence number orders them
}

// -w FILE -b filesize:KB -b files:N (the conditions repeated, as tshark
// takes them) keeps the last N files of at most KB kilobytes each: read
// back one after the other they hold the capture's last frames, byte for
// byte. --events-file rotates the same way, and its files hold the last
// lines of -T events.
func TestRingBuffer(t *testing.T) {
	dir := t.TempDir()
	enum := pcap("enum.pcapng") // 1050 frames, ~370 kB
	code, stdout, stderr := runCLI("-r", enum, "-q", "-w", filepath.Join(dir, "ring.pcapng"), "-b", "filesize:20", "-b", "files:3",
		"--events-file", filepath.Join(dir, "events.jsonl"))
	if code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("-b: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	files := ringFiles(t, dir, "ring", ".pcapng")
	if len(files) != 3 {
		t.Fatalf("ring files %v, want the last 3", files)
	}
	var kept [][]byte
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() > 20000 {
			t.Errorf("%s is %d bytes, over filesize:20 (20000)", f, st.Size())
		}
		frames, err := frameData(f)
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, frames...)
	}
	all, err := frameData(enum)
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) == 0 || len(kept) >= len(all) {
		t.Fatalf("the ring keeps %d of %d frames", len(kept), len(all))
	}
	if d := compareFrames(kept, all[len(all)-len(kept):]); d != "" {
		t.Errorf("the ring's frames are not the capture's last %d: %s", len(kept), d)
	}
	// The first kept file's number: the files before it were deleted.
	if !strings.Contains(filepath.Base(files[0]), "_00") || strings.Contains(filepath.Base(files[0]), "_00001_") {
		t.Errorf("the oldest kept file is %s: the first files should have been deleted", files[0])
	}

	evFiles := ringFiles(t, dir, "events", ".jsonl")
	if len(evFiles) != 3 {
		t.Fatalf("events files %v, want the last 3", evFiles)
	}
	var evKept []byte
	for _, f := range evFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 20000 || len(b) == 0 || b[len(b)-1] != '\n' {
			t.Errorf("%s: %d bytes, want 1..20000 of whole lines", f, len(b))
		}
		evKept = append(evKept, b...)
	}
	events := []byte(runOut(t, "-r", enum, "-T", "events"))
	if !bytes.HasSuffix(events, evKept) || len(evKept) >= len(events) || !bytes.HasPrefix(events[len(events)-len(evKept)-1:], []byte("\n")) {
		t.Errorf("the events files (%d bytes) are not the last whole lines of -T events (%d bytes)", len(evKept), len(events))
	}
}

// -b duration:S rotates by capture time: the election capture (00:46:50 to
// 00:50:13) in 60-second files gives four files, each named by the
// capture time (UTC) of its first frame, and files:2 keeps the last two.
func TestRingBufferDuration(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runCLI("-r", pcap("election.pcapng"), "-q", "-w", filepath.Join(dir, "el.pcapng"), "-b", "duration:60,files:2")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	files := ringFiles(t, dir, "el", ".pcapng")
	if len(files) != 2 {
		t.Fatalf("files %v, want 2", files)
	}
	for i, f := range files {
		src, err := capture.OpenFile(f, 0)
		if err != nil {
			t.Fatal(err)
		}
		var first, last capture.Packet
		n := 0
		for src.Next(&last) == nil {
			if n == 0 {
				first = last
				first.Data = nil
			}
			n++
		}
		src.Close()
		name := first.CI.Timestamp.UTC().Format("20060102150405")
		if want := "_0000" + string(rune('3'+i)) + "_" + name + ".pcapng"; !strings.HasSuffix(f, want) {
			t.Errorf("file %d is %s, want it to end in %s (the 3rd and 4th of 60 s, named by the first frame)", i, f, want)
		}
		if d := last.CI.Timestamp.Sub(first.CI.Timestamp); n == 0 || d >= 60e9 {
			t.Errorf("%s: %d frames over %v, want under 60 s", f, n, d)
		}
	}
}

func TestRingBufferFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-b", "filesize:10"}, "-b needs -w FILE or --events-file FILE"},
		{[]string{"-w", "/tmp/x.pcapng", "-b", "files:3"}, "files:N needs filesize, duration or packets"},
		{[]string{"-w", "/tmp/x.pcapng", "-b", "size:3"}, `unknown condition "size"`},
		{[]string{"-w", "/tmp/x.pcapng", "-b", "filesize:0"}, "want KEY:N with N > 0"},
	} {
		code, _, stderr := runCLI(append([]string{"-r", pcap("election.pcapng")}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q: want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}
