package dissect

// RAP against tshark on the captures, field by field.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// ---- Field-by-field comparison with tshark ----

// TestRAPGolden compares every \PIPE\LANMAN frame of each capture with the
// fields tshark 4.0.17 printed for it, recorded once in testdata/rap/ with
// the command of rapTestTsharkArgs (go test -run TestRAPGolden -rap.update
// rewrites them when tshark is installed).
func TestRAPGolden(t *testing.T) {
	fields := rapTestFields()
	for _, c := range rapTestCaptures {
		c := c
		t.Run(filepath.Base(c), func(t *testing.T) {
			c := repoOrCorpus(t, c)
			golden := rapTestGoldenPath(c)
			if *rapUpdate {
				out, err := exec.Command("tshark", rapTestTsharkArgs(c, fields)...).Output()
				if err != nil {
					t.Fatalf("tshark: %v", err)
				}
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			text, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("golden file: %v (record it with -rap.update)", err)
			}
			want := rapTestParseTSV(t, string(text), fields)
			got := rapTestOurs(t, c, fields)
			// A capture without RAP (election, storm) checks that we find
			// none either.
			rapTestCompare(t, filepath.Base(c), want, got, fields)
			rapTestCheckTyped(t, c, want, fields)
		})
	}
}

// rapTestCheckTyped checks the typed result (what the timeline sees)
// against tshark's columns: status, counts, and the server and share lists.
func rapTestCheckTyped(t *testing.T, capture string, want map[int][]string, fields []string) {
	t.Helper()
	col := func(row []string, f string) string {
		for i, x := range fields {
			if x == f {
				return row[i]
			}
		}
		t.Fatalf("no column %s", f)
		return ""
	}
	for _, c := range rapTestCalls(t, capture) {
		var q RAPRequest
		_ = q.Decode(c.reqParams, c.reqData)
		info := q.Info()
		var r RAPResponse
		_ = r.Decode(c.params, c.data, &info)
		row, ok := want[c.respFrame]
		if !ok {
			continue
		}
		var names, types, comments []string
		for _, s := range r.Servers {
			names = append(names, string(s.Name))
			if s.HasInfo {
				types = append(types, fmt.Sprintf("0x%08x", uint32(s.Type)))
				comments = append(comments, string(s.Comment))
			}
		}
		var snames, stypes, scomments []string
		for _, s := range r.Shares {
			snames = append(snames, string(s.Name))
			if s.HasType {
				stypes = append(stypes, strconv.Itoa(int(s.Type)))
				scomments = append(scomments, string(s.Comment))
			}
		}
		type check struct{ field, got string }
		checks := []check{
			{"lanman.status", strconv.Itoa(int(r.Status))},
			{"lanman.convert", strconv.Itoa(int(r.Converter))},
		}
		if r.HasEntryCount {
			checks = append(checks, check{"lanman.entry_count", strconv.Itoa(int(r.EntryCount))})
		}
		switch {
		case r.Function.IsServerEnum():
			checks = append(checks, check{"lanman.server.name", strings.Join(names, ",")},
				check{"browser.server_type", strings.Join(types, ",")},
				check{"lanman.server.comment", strings.Join(comments, ",")})
		case r.Function == RAPNetShareEnum && info.Level == 1:
			checks = append(checks, check{"lanman.share.name", strings.Join(snames, ",")},
				check{"lanman.share.type", strings.Join(stypes, ",")},
				check{"lanman.share.comment", strings.Join(scomments, ",")})
		}
		for _, ck := range checks {
			if w := col(row, ck.field); w != ck.got {
				t.Errorf("%s frame %d typed %s: %q, tshark %q", filepath.Base(capture), c.respFrame, ck.field, ck.got, w)
			}
		}
		if a := col(row, "lanman.available_count"); r.HasAvailable && r.Function.IsServerEnum() && a != strconv.Itoa(int(r.Available)) {
			t.Errorf("%s frame %d typed available %d, tshark %q", filepath.Base(capture), c.respFrame, r.Available, a)
		}
	}
}

// TestRAPTshark is the live differential: the same comparison against the
// installed tshark. tshark takes one to two seconds to start whatever the
// capture, so by default it runs (in parallel) on the two richest captures,
// the Windows 10 NetServerEnum2 one and the lab's enum.pcapng; the golden
// test covers the rest. NBTSNIFF_RAP_ALL=1 sweeps every capture of the
// corpus (synthetic ones included) and of the lab. It skips when tshark is
// not installed, and with -short.
func TestRAPTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tshark")
	}
	if _, err := exec.LookPath("tshark"); err != nil {
		corpus.Skip(t, "tshark not installed")
	}
	fields := rapTestFields()
	caps := []string{rapTestWin10, rapTestLab + "enum.pcapng"}
	if os.Getenv("NBTSNIFF_RAP_ALL") != "" {
		caps = nil
		for _, dir := range []string{rapTestShared, rapTestShared + "synthetic/", rapTestLab} {
			for _, pat := range []string{"*.pcap", "*.pcapng"} {
				m, _ := filepath.Glob(filepath.Join(dir, pat))
				caps = append(caps, m...)
			}
		}
	}
	for _, c := range caps {
		c := c
		t.Run(filepath.Base(c), func(t *testing.T) {
			c := repoOrCorpus(t, c)
			t.Parallel()
			out, err := exec.Command("tshark", rapTestTsharkArgs(c, fields)...).Output()
			if err != nil {
				t.Fatalf("tshark: %v", err)
			}
			want := rapTestParseTSV(t, string(out), fields)
			if len(want) == 0 {
				if os.Getenv("NBTSNIFF_RAP_ALL") == "" {
					t.Fatal("tshark finds no RAP in a capture chosen for its RAP")
				}
				return // NBTSNIFF_RAP_ALL: a capture without RAP
			}
			rapTestCompare(t, filepath.Base(c), want, rapTestOurs(t, c, fields), fields)
		})
	}
}

// TestRAPLabEnum checks the Samba lab's enumeration scenario (enum.pcapng,
// testdata/pcaps/SUMMARY.md "RAP (\PIPE\LANMAN) calls"): the info column
// and the typed results, against tshark -2 for the names.
func TestRAPLabEnum(t *testing.T) {
	calls := rapTestCalls(t, rapTestLab+"enum.pcapng")
	byFrame := map[int]rapTestCall{}
	for _, c := range calls {
		byFrame[c.respFrame] = c
	}
	cases := []struct {
		frame     int // first response frame, where tshark -2 shows the RAP response
		fragments int // SMBtrans response messages (SUMMARY.md)
		info      string
		names     string // tshark: lanman.server.name or lanman.share.name
		truncated bool
	}{
		// "831 NetShareEnum reply status=0 entries=5/5"
		{831, 1, "NetShareEnum response, 5 entries", "public,software,projects,scratch,IPC$", false},
		// "930 NetServerEnum2 reply status=0 entries=45/45", 5 messages
		{930, 5, "NetServerEnum2 response, 45 of 45 entries", "", false},
		// "942 NetServerEnum2 reply status=0 entries=45/45", level 0, 2 messages
		{942, 2, "NetServerEnum2 response, 45 of 45 entries", "", false},
		// "946 NetServerEnum2 reply status=234 entries=3/45": ALIAS01..03
		{946, 1, "NetServerEnum2 response, status 234 (ERROR_MORE_DATA), 3 of 45 entries", "ALIAS01,ALIAS02,ALIAS03", true},
		// "968 NetServerEnum2 reply status=0 entries=45/45", 24 messages
		{968, 24, "NetServerEnum2 response, 45 of 45 entries", "", false},
	}
	for _, tc := range cases {
		c, ok := byFrame[tc.frame]
		if !ok {
			t.Errorf("no RAP call answered in frame %d", tc.frame)
			continue
		}
		if c.fragments != tc.fragments {
			t.Errorf("frame %d: %d response messages, want %d", tc.frame, c.fragments, tc.fragments)
		}
		var q RAPRequest
		if err := q.Decode(c.reqParams, c.reqData); err != nil {
			t.Fatal(err)
		}
		info := q.Info()
		var r RAPResponse
		if err := r.Decode(c.params, c.data, &info); err != nil {
			t.Errorf("frame %d: %v", tc.frame, err)
		}
		if got := string(r.AppendInfo(nil)); got != tc.info {
			t.Errorf("frame %d info %q, want %q", tc.frame, got, tc.info)
		}
		if r.Truncated() != tc.truncated {
			t.Errorf("frame %d truncated %v", tc.frame, r.Truncated())
		}
		var names []string
		for _, s := range r.Servers {
			names = append(names, string(s.Name))
		}
		for _, s := range r.Shares {
			names = append(names, string(s.Name))
		}
		if len(names) != int(r.EntryCount) {
			t.Errorf("frame %d: %d typed entries of %d", tc.frame, len(names), r.EntryCount)
		}
		if tc.names != "" && strings.Join(names, ",") != tc.names {
			t.Errorf("frame %d names %q, want %q", tc.frame, strings.Join(names, ","), tc.names)
		}
	}
}
