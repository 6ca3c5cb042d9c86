package capture

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/internal/crafted"
)

func TestParseRing(t *testing.T) {
	for _, tt := range []struct {
		specs []string
		want  RingOptions
		err   string
	}{
		{[]string{"filesize:1000,files:5"}, RingOptions{FileSize: 1000000, Files: 5}, ""},
		{[]string{"duration:60", "files:3"}, RingOptions{Duration: time.Minute, Files: 3}, ""},
		{[]string{"packets:10"}, RingOptions{Records: 10}, ""},
		{[]string{"files:3"}, RingOptions{}, "files:N needs"},
		{[]string{"size:3"}, RingOptions{}, `unknown condition "size"`},
		{[]string{"filesize:-1"}, RingOptions{}, "want KEY:N"},
		{[]string{"filesize"}, RingOptions{}, "want KEY:N"},
	} {
		got, err := ParseRing(tt.specs)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want %q", tt.specs, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q: %+v, %v; want %+v", tt.specs, got, err, tt.want)
		}
	}
}

// TestRingWriter writes 50 frames a second apart into rings rotated by
// size, by capture time and by count: every file is a whole pcapng that
// reads back, no more than files:N are kept, and the kept files hold the
// newest frames in order with nothing lost between them.
func TestRingWriter(t *testing.T) {
	for _, tt := range []struct {
		spec      string
		perFile   int // frames in each full file
		wantFiles int
	}{
		{"packets:7,files:3", 7, 3},
		{"duration:10,files:4", 10, 4},
		{"filesize:2,files:2", 0, 2}, // 2000 bytes: ~16 frames of 92 bytes
		{"duration:20", 20, 3},       // 50 frames: 20+20+10, none deleted
	} {
		t.Run(tt.spec, func(t *testing.T) {
			opt, err := ParseRing([]string{tt.spec})
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			rw := NewRingWriter(filepath.Join(dir, "out.pcapng"), opt)
			rw.SetLabel(0, "lab")
			src, err := OpenReader(bytes.NewReader(crafted.CaplenOverLen()), "in", 0)
			if err != nil {
				t.Fatal(err)
			}
			var p Packet
			for src.Next(&p) == nil {
				if err := rw.WritePacket(&p); err != nil {
					t.Fatal(err)
				}
			}
			if err := rw.Close(); err != nil {
				t.Fatal(err)
			}
			files := rw.Files()
			entries, _ := os.ReadDir(dir)
			if len(files) != tt.wantFiles || len(entries) != tt.wantFiles {
				t.Fatalf("%d files kept, %d on disk, want %d", len(files), len(entries), tt.wantFiles)
			}
			var last time.Time
			total := 0
			for i, name := range files {
				if !strings.HasPrefix(filepath.Base(name), "out_") || !strings.HasSuffix(name, ".pcapng") {
					t.Errorf("file name %s", name)
				}
				frames := openAll(t, name, 0)
				if len(frames) == 0 {
					t.Fatalf("%s: no frames", name)
				}
				if i < len(files)-1 && tt.perFile > 0 && len(frames) != tt.perFile {
					t.Errorf("%s: %d frames, want %d", name, len(frames), tt.perFile)
				}
				if fi, _ := os.Stat(name); opt.FileSize > 0 && fi.Size() > opt.FileSize {
					t.Errorf("%s: %d bytes, over %d", name, fi.Size(), opt.FileSize)
				}
				if !last.IsZero() && frames[0].ci.Sub(last) != time.Second {
					t.Errorf("%s starts %v after the previous file's last frame", name, frames[0].ci.Sub(last))
				}
				last = frames[len(frames)-1].ci
				total += len(frames)
			}
			if last.Unix() != 1049 {
				t.Errorf("last frame kept at %d, want the last one written (1049)", last.Unix())
			}
			if opt.Files == 0 && total != 50 {
				t.Errorf("%d frames in all, want 50", total)
			}
		})
	}
}

// TestRingWriterNoFrames: a ring that got no frame leaves no file.
func TestRingWriterNoFrames(t *testing.T) {
	dir := t.TempDir()
	rw := NewRingWriter(filepath.Join(dir, "out.pcapng"), RingOptions{Records: 1})
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	if e, _ := os.ReadDir(dir); len(e) != 0 {
		t.Errorf("%d files", len(e))
	}
}
