package output_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/nbtsniff/nbtsniff/output"
)

// TestTimeFormatTshark writes the time of the first frames of a lab
// capture in each -t format that does not depend on the local zone and
// compares with tshark's time column (run in UTC, so a/ad/adoy are checked
// too, with loc = UTC).
func TestTimeFormatTshark(t *testing.T) {
	path := filepath.Join(labPcaps, "storm.pcapng")
	frames := loadFrames(t, path)
	if len(frames) < 20 {
		t.Fatalf("%s: %d frames", path, len(frames))
	}
	for _, f := range allTimeFormats() {
		if f == TimeDeltaShown {
			continue // tshark's displayed frames are all frames here: the same as d
		}
		out := runTshark(t, "-r", path, "-t", f.String(), "-c", "20", "-T", "fields", "-e", "_ws.col.Time")
		want := strings.Split(strings.TrimSpace(string(out)), "\n")
		for i, w := range want {
			var prev time.Time
			if i > 0 {
				prev = frames[i-1].Time
			}
			got := string(AppendTime(nil, f, frames[i].Time, frames[0].Time, prev, 6, time.UTC))
			if got != w {
				t.Errorf("-t %s frame %d: got %q, tshark %q", f, i+1, got, w)
			}
		}
	}
}

func allTimeFormats() []TimeFormat {
	var v []TimeFormat
	for _, l := range []string{"r", "a", "ad", "adoy", "d", "dd", "e", "u", "ud", "udoy"} {
		f, ok := ParseTimeFormat(l)
		if !ok {
			panic(l)
		}
		v = append(v, f)
	}
	return v
}

func TestParseTimeFormat(t *testing.T) {
	for _, f := range allTimeFormats() {
		g, ok := ParseTimeFormat(f.String())
		if !ok || g != f {
			t.Errorf("ParseTimeFormat(%q) = %v, %v", f.String(), g, ok)
		}
	}
	if _, ok := ParseTimeFormat("x"); ok {
		t.Error("ParseTimeFormat(x) accepted")
	}
	// Negative durations and fewer digits.
	first := time.Unix(100, 0)
	if got := string(AppendTime(nil, TimeRelative, time.Unix(99, 5e8), first, time.Time{}, 3, nil)); got != "-0.500" {
		t.Errorf("relative -0.5s: %q", got)
	}
}
