package output

import (
	"bufio"
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// alignBoth lays rows out with the aligner (cells ended by tab, rows by
// row; open is text after the last row, left unterminated) and with
// text/tabwriter.NewWriter(w, 0, 0, 2, ' ', 0), given each row in one
// Write as the report used to, and returns both.
func alignBoth(rows [][]string, open string) (got, want []byte) {
	var a aligner
	var gb bytes.Buffer
	gw := bufio.NewWriter(&gb)
	var wb bytes.Buffer
	tw := tabwriter.NewWriter(&wb, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				a.tab()
			}
			a.str(c)
		}
		a.row()
		tw.Write([]byte(strings.Join(r, "\t") + "\n"))
	}
	if open != "" {
		a.str(open)
		tw.Write([]byte(open))
	}
	a.flush(gw)
	gw.Flush()
	tw.Flush()
	return gb.Bytes(), wb.Bytes()
}

// alignStream lays rows out with aligner.stream, after a table flushed
// before (the aligner's buffers reused, as in the report).
func alignStream(rows [][]string) []byte {
	var a aligner
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	a.str("before")
	a.tab()
	a.str("x\ty")
	a.row()
	a.flush(w)
	a.stream(w, len(rows), func(i int) {
		for j, c := range rows[i] {
			if j > 0 {
				a.tab()
			}
			a.str(c)
		}
		a.row()
	})
	w.Flush()
	return bytes.TrimPrefix(b.Bytes(), []byte("before  x  y\n"))
}

// The report's tables come out of the aligner as they came out of
// text/tabwriter: rows as the report makes them (escaped wire names,
// UTF-8 comments, timestamps, empty cells), and the cases the aligner
// hands to tabwriter (unequal rows, tabwriter's control bytes in a cell,
// text after the last row).
func TestAlignerIsTabwriter(t *testing.T) {
	at := time.Date(2026, 11, 22, 0, 57, 43, 10_000_000, time.UTC)
	server := func(name, comment string, frame int) []string {
		return []string{"  " + esc(name), hexString(0x00019a03, 8), osVersion(6, 1), timeline.SourceAnnouncement,
			ts(at) + " #" + itoa(frame), ts(at.Add(time.Second)) + " #" + itoa(frame+1), ts(at.Add(3 * time.Minute)), esc(comment)}
	}
	for _, c := range []struct {
		name string
		rows [][]string
		open string
	}{
		{"none", nil, ""},
		{"browse list", [][]string{
			{"  NAME", "TYPE", "OS", "SOURCE", "FIRST SEEN", "LAST SEEN", "EXPIRES", "COMMENT"},
			server("CHARLIE", "Samba lab host CHARLIE", 6),
			server("CAF\u00c9", "caf\u00e9 au lait \u65e5\u672c\u8a9e", 7),
			server("EVIL\x1b[31m\xff", "tab\there\nnewline \u202e bidi \u0085", 8),
			server("", "", 9),
			server("\x01\x02__MSBROWSE__\x02", "\xc3", 10000),
		}, ""},
		{"one column", [][]string{{"  a"}, {"  b\u00e9"}, {""}}, ""},
		{"empty cells", [][]string{{"", "", ""}, {"x", "", "y"}, {"", "zz", ""}}, ""},
		{"wide and combining runes", [][]string{{"\u65e5\u672c", "e\u0301", "x"}, {"ab", "cd", "y"}}, ""},
		{"invalid UTF-8", [][]string{{"\xe2\x82", "\xf0\x9f\x98", "x"}, {"\xc0\xaf", "ok", "y"}}, ""},
		{"unequal rows", [][]string{{"a", "b", "c"}, {"dd", "e"}, {"f", "g", "h", "i"}}, ""},
		{"vertical tab", [][]string{{"a\vb", "c"}, {"d", "e"}}, ""},
		{"form feed", [][]string{{"a", "b\fc"}, {"d", "e"}}, ""},
		{"newline", [][]string{{"a", "b\nc", "x"}, {"d", "e", "f"}}, ""},
		{"escape byte", [][]string{{"a\xffb\xffc", "x"}, {"d", "e"}}, ""},
		{"one escape byte", [][]string{{"a\xffb", "x"}, {"d", "e"}}, ""},
		{"open row", [][]string{{"a", "b"}}, "c\td"},
		{"long padding", [][]string{{strings.Repeat("n", 200), "x"}, {"", "y"}}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, want := alignBoth(c.rows, c.open)
			if !bytes.Equal(got, want) {
				t.Errorf("aligner:\n%q\ntabwriter:\n%q", got, want)
			}
			if c.open == "" {
				if got := alignStream(c.rows); !bytes.Equal(got, want) {
					t.Errorf("stream:\n%q\ntabwriter:\n%q", got, want)
				}
			}
		})
	}
}

// stream measures a table's times by a placeholder of their width
// (aligner.measuring) and writes them in the second pass: the table is
// the one tabwriter makes of the times written out, also with times of
// other widths in the column (none, years past 9999 and before 0).
func TestAlignerStreamTimes(t *testing.T) {
	at := time.Date(2026, 11, 22, 0, 57, 43, 10_000_000, time.UTC)
	for _, times := range [][]time.Time{
		{at, at.Add(time.Hour), at.Add(-time.Nanosecond)},
		{at, {}, at.Add(time.Second)},
		{{}, {}},
		{at, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(-1, 6, 15, 12, 30, 0, 5, time.UTC), at},
	} {
		var rows [][]string
		for i, tm := range times {
			rows = append(rows, []string{"  H" + itoa(i), ts(tm) + " #" + itoa(i), ts(tm), "x"})
		}
		_, want := alignBoth(rows, "")
		var a aligner
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		a.stream(w, len(times), func(i int) {
			a.str("  H")
			a.int(i)
			a.tab()
			a.time(times[i])
			a.str(" #")
			a.int(i)
			a.tab()
			a.time(times[i])
			a.tab()
			a.str("x")
			a.row()
		})
		w.Flush()
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("times %v:\nstream    %q\ntabwriter %q", times, b.Bytes(), want)
		}
	}
}

// The aligner's buffers serve the next table: a table laid out after
// another is laid out alone.
func TestAlignerReuse(t *testing.T) {
	var a aligner
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	for _, r := range [][]string{{"a\u00e9\u00e9\u00e9\u00e9", "b", "c"}, {"x", "y\tz"}} {
		for i, c := range r {
			if i > 0 {
				a.tab()
			}
			a.str(c)
		}
		a.row()
		a.flush(w)
	}
	a.str("s")
	a.tab()
	a.str("t")
	a.row()
	a.flush(w)
	w.Flush()
	if want := "a\u00e9\u00e9\u00e9\u00e9  b  c\nx  y  z\ns  t\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// FuzzAligner: for any cells, the aligner writes what text/tabwriter
// writes. In the input, 0x1e ends a row and 0x1f a cell, so that cells
// can hold tabs, newlines and tabwriter's other control bytes.
func FuzzAligner(f *testing.F) {
	f.Add([]byte("  NAME\x1fTYPE\x1fCOMMENT\x1e  CHARLIE\x1f0x00019a03\x1fSamba\x1e"))
	f.Add([]byte("caf\xc3\xa9\x1fx\x1e\xe6\x97\xa5\x1fy\x1e"))
	f.Add([]byte("a\x1fb\x1fc\x1ed\x1fe\x1e"))
	f.Add([]byte("a\tb\x1fc\x1e\xff\x1fd\x1eopen"))
	f.Add([]byte("\x1f\x1f\x1e\x1e\x1f"))
	f.Fuzz(func(t *testing.T, in []byte) {
		parts := strings.Split(string(in), "\x1e")
		var rows [][]string
		for _, r := range parts[:len(parts)-1] {
			rows = append(rows, strings.Split(r, "\x1f"))
		}
		open := strings.ReplaceAll(parts[len(parts)-1], "\x1f", "\t")
		got, want := alignBoth(rows, open)
		if !bytes.Equal(got, want) {
			t.Errorf("rows %q open %q:\naligner   %q\ntabwriter %q", rows, open, got, want)
		}
		if open == "" {
			if got := alignStream(rows); !bytes.Equal(got, want) {
				t.Errorf("rows %q:\nstream    %q\ntabwriter %q", rows, got, want)
			}
		}
	})
}

// appendTS writes what time.Time.Format writes with timeline.TimeFormat
// in UTC, for times in and out of years 0-9999 and in other zones.
func TestAppendTSIsFormat(t *testing.T) {
	zone := time.FixedZone("X", -(9*3600 + 30*60))
	for _, tm := range []time.Time{
		time.Date(2026, 11, 22, 0, 57, 43, 10_000_000, time.UTC),
		time.Date(2026, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(0, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 6, 15, 12, 30, 0, 5, time.UTC),
		time.Date(2000, 2, 29, 1, 2, 3, 4, zone),
		time.Date(2026, 1, 1, 0, 0, 0, 0, zone),
		time.Unix(1<<40, 7),
		time.Unix(0, 0),
		time.Unix(tsMinUnix, 0), time.Unix(tsMinUnix-1, 999_999_999),
		time.Unix(tsMaxUnix, 999_999_999), time.Unix(tsMaxUnix+1, 0),
		time.Date(1600, 2, 29, 23, 59, 59, 0, time.UTC), time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2100, 2, 28, 12, 0, 0, 0, time.UTC), time.Date(2400, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 123_456_789, time.UTC),
		{},
	} {
		want := "-"
		if !tm.IsZero() {
			want = tm.UTC().Format(timeline.TimeFormat)
		}
		if got := ts(tm); got != want {
			t.Errorf("ts(%v) = %q, want %q", tm, got, want)
		}
		if got := string(appendTS([]byte("x"), tm)); got != "x"+want {
			t.Errorf("appendTS(x, %v) = %q, want %q", tm, got, "x"+want)
		}
	}
	// Every day of years 0 to 9999 at some time of day (a seeded walk),
	// and each second of a day around the epoch.
	rng := rand.New(rand.NewPCG(1, 2))
	for sec := int64(tsMinUnix); sec <= tsMaxUnix; sec += 86400 {
		tm := time.Unix(sec+rng.Int64N(86400), rng.Int64N(1e9))
		if got, want := string(appendTS(nil, tm)), tm.UTC().Format(timeline.TimeFormat); got != want {
			t.Fatalf("appendTS(%d) = %q, want %q", tm.Unix(), got, want)
		}
	}
	for sec := int64(-86400); sec < 86400; sec++ {
		tm := time.Unix(sec, 0)
		if got, want := string(appendTS(nil, tm)), tm.UTC().Format(timeline.TimeFormat); got != want {
			t.Fatalf("appendTS(%d) = %q, want %q", sec, got, want)
		}
	}
}

// cellWidth is utf8.RuneCount of a cell, and false for a cell holding a
// byte tabwriter takes for markup (tab, newline, vertical tab, form
// feed, 0xff): cells of every length up to 40 from printable ASCII,
// controls, those bytes, UTF-8 and invalid bytes, each at every place.
func TestCellWidth(t *testing.T) {
	pieces := []string{"a", "Z", " ", "~", "\x00", "\x1f", "\x7f", "\t", "\n", "\v", "\f", "\r", "\xff", "\xc3\xa9", "\u65e5", "\xf0\x9f\x98\x80", "\x80", "\xc3", "\xe2\x82"}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n <= 40; n++ {
		for k := 0; k < 200; k++ {
			var b []byte
			for len(b) < n {
				if rng.IntN(4) == 0 {
					b = append(b, pieces[rng.IntN(len(pieces))]...)
				} else {
					b = append(b, byte('!'+rng.IntN(94)))
				}
			}
			markup := bytes.ContainsAny(b, "\t\n\v\f") || bytes.IndexByte(b, 0xff) >= 0
			w, ok := cellWidth(b)
			if ok == markup || ok && w != utf8.RuneCount(b) {
				t.Fatalf("cellWidth(%q) = %d, %v; want %d, %v", b, w, ok, utf8.RuneCount(b), !markup)
			}
		}
	}
}

// BenchmarkAppendTS writes the times of a 10,000-host Browse List's rows
// (10 ms apart, one day).
func BenchmarkAppendTS(b *testing.B) {
	t0 := time.Date(2026, 11, 22, 0, 57, 43, 0, time.UTC)
	var buf []byte
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		buf = appendTS(buf[:0], t0.Add(time.Duration(i%10000)*10*time.Millisecond))
	}
}

// browseWidths gives the widths the aligner measures of browseRow's
// cells, or declines (a name, source or comment that is not printable
// ASCII, a time outside years 0 to 9999); the entries a flood lists
// (printable ASCII, times of this century) it never declines.
func TestBrowseWidths(t *testing.T) {
	at := time.Date(2026, 11, 22, 0, 57, 43, 10_000_000, time.UTC)
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	type entry struct {
		e       timeline.Server
		decline bool
	}
	var entries []entry
	for _, name := range []string{"H0001234", "", "A", "WITH SPACE~!", strings.Repeat("N", 40), "back\\slash"} {
		for _, frames := range [][2]int{{1, 1}, {0, 9}, {-5, 10}, {1<<31 + 7, 1 << 40}, {math.MinInt, math.MaxInt}} {
			entries = append(entries, entry{e: timeline.Server{Name: name, Type: 0x00019a03, OSMajor: 6, OSMinor: 1,
				Source: timeline.SourceAnnouncement, Comment: "Samba " + name, FirstSeen: at, LastSeen: at.Add(time.Hour),
				Expires: at.Add(2 * time.Hour), FirstFrame: frames[0], LastFrame: frames[1]}})
		}
	}
	for _, typ := range []uint32{0, 0xf, 0xffffffff} {
		entries = append(entries, entry{e: timeline.Server{Name: "T", Type: typ, OSMajor: 255, OSMinor: 0, Source: "DMB sync",
			FirstSeen: at, LastSeen: at, FirstFrame: 3, LastFrame: 4}}) // Expires zero: "-"
	}
	entries = append(entries,
		entry{e: timeline.Server{Name: "CAF\u00c9", Source: timeline.SourceAnnouncement, FirstSeen: at}, decline: true},
		entry{e: timeline.Server{Name: "TAB\tNAME", Source: timeline.SourceAnnouncement}, decline: true},
		entry{e: timeline.Server{Name: "X", Source: "odd\tsource"}, decline: true},
		entry{e: timeline.Server{Name: "X", Source: "NetServerEnum2", LastSeen: far}, decline: true},
		entry{e: timeline.Server{Name: "X", Source: "NetServerEnum2", FirstSeen: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}, decline: true},
		entry{e: timeline.Server{Name: "X", Source: "NetServerEnum2", Comment: "\x1b[31m \u65e5\u672c \xff"}},
	)
	for _, c := range entries {
		e := &c.e
		var a aligner
		browseRow(&a, e)
		var want []int
		for _, cell := range a.cells {
			want = append(want, int(cell.width))
		}
		got := make([]int, 8)
		ok := browseWidths(e, got)
		if ok == c.decline {
			t.Errorf("%q: browseWidths %v, want %v", e.Name, ok, !c.decline)
		}
		if ok && !slices.Equal(got[:7], want[:7]) {
			t.Errorf("%q frames %d %d: widths %v, laid out %v", e.Name, e.FirstFrame, e.LastFrame, got[:7], want[:7])
		}
		if ok && a.tw {
			t.Errorf("%q: a row measured by browseWidths needs tabwriter", e.Name)
		}
	}
	if browseWidths(&entries[0].e, make([]int, 7)) {
		t.Error("browseWidths measured a table of 7 columns")
	}
}

// tsCache writes what appendTS writes, whatever came before: times of one
// second, of the next, back again, none, years before 0 and after 9999,
// and the second of a time outside them.
func TestTSCache(t *testing.T) {
	at := time.Date(2026, 11, 22, 0, 57, 43, 10_000_000, time.UTC)
	times := []time.Time{at, at.Add(time.Millisecond), at.Add(999_999_999 - 10_000_000), at.Add(time.Second),
		at, {}, at.Add(-time.Nanosecond), time.Date(10000, 1, 1, 0, 0, 0, 7, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 8, time.UTC),
		time.Date(-1, 6, 15, 12, 30, 0, 5, time.UTC), at.In(time.FixedZone("X", 3600)), time.Unix(0, 0), time.Unix(0, 1),
		time.Unix(-1, 999_999_999), time.Unix(tsMinUnix, 0), time.Unix(tsMaxUnix, 999_999_999), time.Unix(tsMaxUnix+1, 0)}
	rng := rand.New(rand.NewPCG(7, 11))
	for range 2000 {
		times = append(times, at.Add(time.Duration(rng.Int64N(int64(3*time.Second)))), at.Add(time.Duration(rng.Int64N(int64(10*time.Second)))))
	}
	var c tsCache
	for _, tm := range times {
		got := c.appendTS([]byte("x"), tm)
		if want := appendTS([]byte("x"), tm); !bytes.Equal(got, want) {
			t.Fatalf("tsCache %v: %q, want %q", tm, got, want)
		}
	}
}

// streamWidths writes what tabwriter writes when widths measures some
// rows (every other one here, from their cells) and declines the others,
// for tables of one row, of many, and those tabwriter must lay out.
func TestAlignerStreamWidths(t *testing.T) {
	tables := [][][]string{
		{{"  NAME", "TYPE", "COMMENT"}},
		{{"  NAME", "TYPE", "COMMENT"}, {"  H0001", "0x00019a03", "x"}, {"  CAF\u00c9", "0x1", "\u65e5"}, {"  LONGER NAME", "0x2", ""}},
		{{"a", "b"}, {"ccc", "d"}, {"e", "ffff"}, {"g", "h"}, {"iiiii", "j"}},
		{{"a", "b\tc"}, {"d", "e"}, {"f", "g"}},
		{{"a", "b", "c"}, {"dd", "e"}, {"f", "g", "h"}},
	}
	for _, rows := range tables {
		_, want := alignBoth(rows, "")
		var a aligner
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		asked := 0
		a.streamWidths(w, len(rows), func(i int) {
			for j, c := range rows[i] {
				if j > 0 {
					a.tab()
				}
				a.str(c)
			}
			a.row()
		}, func(i int, cells []int) bool {
			asked++
			if i%2 == 1 || len(cells) != len(rows[i]) {
				return false
			}
			for j, c := range rows[i] {
				n, ok := cellWidth([]byte(c))
				if !ok {
					return false
				}
				cells[j] = n
			}
			return true
		})
		w.Flush()
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("rows %q:\nstreamWidths %q\ntabwriter    %q", rows, b.Bytes(), want)
		}
		if plain := !strings.Contains(rows[0][1], "\t"); plain && len(rows) > 2 && asked == 0 {
			t.Errorf("rows %q: widths never asked", rows)
		}
	}
}

// A Browse List written a line at a time (browseLine, for the rows
// browseWidths measures) is byte for byte the table tabwriter lays out:
// entries browseWidths measures and entries it declines, in one table,
// names and comments of every width (a comment longer than the room
// made for a line, lineRoom, among them), frames of every width, types
// of more than 8 hex digits' worth and zero times, through writers
// small and large.
func TestBrowseLineSame(t *testing.T) {
	at := time.Date(2026, 11, 22, 0, 57, 43, 10_000_000, time.UTC)
	var servers []*timeline.Server
	for i, name := range []string{"H0001234", "", "A", "WITH SPACE~!", strings.Repeat("N", 40), "back\\slash", "CAF\u00c9", "TAB\tNAME"} {
		for j, frames := range [][2]int{{1, 1}, {0, 9}, {-5, 10}, {1<<31 + 7, 1 << 40}} {
			comment := "Samba " + name
			if i == 2 && j == 1 {
				comment = strings.Repeat("long comment ", 60) // 780 bytes: more than lineRoom
			}
			servers = append(servers, &timeline.Server{Name: name, Type: uint32(0x00019a03 << (i % 2)), OSMajor: uint8(6 * j), OSMinor: 1,
				Source: timeline.SourceAnnouncement, Comment: comment, FirstSeen: at.Add(time.Duration(i*j) * time.Second),
				LastSeen: at.Add(time.Hour), Expires: at.Add(2 * time.Hour), FirstFrame: frames[0], LastFrame: frames[1]})
		}
	}
	servers = append(servers, &timeline.Server{Name: "T", Type: 0xffffffff, OSMajor: 255, Source: "DMB sync", FirstSeen: at, LastSeen: at,
		FirstFrame: 3, LastFrame: 4}) // Expires zero: "-"
	for _, list := range [][]*timeline.Server{servers, servers[:1], servers[:5], servers[2:3]} {
		row := func(a *aligner) func(i int) {
			return func(i int) {
				if i == 0 {
					browseHeader(a)
				} else {
					browseRow(a, list[i-1])
				}
			}
		}
		widths := func(i int, cells []int) bool { return i > 0 && browseWidths(list[i-1], cells) }
		var want bytes.Buffer
		ww := bufio.NewWriter(&want)
		var ta aligner
		alignByTabwriter = true
		ta.streamWidths(ww, len(list)+1, row(&ta), widths)
		alignByTabwriter = false
		ww.Flush()
		for _, size := range []int{16, 4096, 1 << 20} {
			var got bytes.Buffer
			gw := bufio.NewWriterSize(&got, size)
			var a aligner
			lines := 0
			a.streamLines(gw, len(list)+1, row(&a), widths, func(dst []byte, i int, width, cells []int) []byte {
				lines++
				return browseLine(dst, &a.ts, list[i-1], width, cells)
			})
			gw.Flush()
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("%d entries, writer of %d: lines written\n%s\nwant (tabwriter)\n%s", len(list), size, got.Bytes(), want.Bytes())
			}
			if measured := list[0].Name == "H0001234"; measured && lines == 0 {
				t.Errorf("%d entries: no line written by browseLine", len(list))
			}
		}
	}
}
