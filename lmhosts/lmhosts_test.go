package lmhosts

import (
	"net/netip"
	"strings"
	"testing"
)

// The sample file of Microsoft's LMHOSTS documentation (lmhosts.sam),
// with its #INCLUDE block, and lines that must be skipped.
const sample = "# This is a sample LMHOSTS file\r\n" +
	"102.54.94.97     rhino         #PRE #DOM:networking  #net group's DC\r\n" +
	"102.54.94.102    \"appname  \\0x14\"                    #special app server\r\n" +
	"102.54.94.123    popular            #PRE             #source server\r\n" +
	"102.54.94.117    localsrv           #PRE             #needed for the include\r\n" +
	"\r\n" +
	"#BEGIN_ALTERNATE\r\n" +
	"#INCLUDE \\\\localsrv\\public\\lmhosts\r\n" +
	"#INCLUDE \\\\rhino\\public\\lmhosts\r\n" +
	"#END_ALTERNATE\r\n" +
	"10.0.0.5 \"Mixed Case     \\0x20\" #MH\n" +
	"not-an-address NAME\n" +
	"10.0.0.6\n" +
	"10.0.0.7 THISNAMEISTOOLONGX\n" +
	"10.0.0.8 \"unterminated\n" +
	"10.0.0.9 \"bad \\0xZZ\"\n" +
	"10.0.0.10 ALPHA#PRE\n"

func TestParseSample(t *testing.T) {
	f := ParseBytes([]byte(sample))
	want := []Entry{
		{Line: 2, Addr: netip.MustParseAddr("102.54.94.97"), Name: "RHINO", Pre: true, Domain: "NETWORKING"},
		// "appname  \0x14" is 10 bytes: no 16th byte, the escape is part of the name.
		{Line: 3, Addr: netip.MustParseAddr("102.54.94.102"), Name: "appname  \x14"},
		{Line: 4, Addr: netip.MustParseAddr("102.54.94.123"), Name: "POPULAR", Pre: true},
		{Line: 5, Addr: netip.MustParseAddr("102.54.94.117"), Name: "LOCALSRV", Pre: true},
		{Line: 11, Addr: netip.MustParseAddr("10.0.0.5"), Name: "Mixed Case", Suffix: 0x20, HasSuffix: true, MH: true},
		{Line: 17, Addr: netip.MustParseAddr("10.0.0.10"), Name: "ALPHA", Pre: true},
	}
	if len(f.Entries) != len(want) {
		t.Fatalf("got %d entries %+v, want %d", len(f.Entries), f.Entries, len(want))
	}
	for i := range want {
		if f.Entries[i] != want[i] {
			t.Errorf("entry %d: got %+v, want %+v", i, f.Entries[i], want[i])
		}
	}
	var notes []string
	for _, n := range f.Notes {
		notes = append(notes, n.Text)
	}
	got := strings.Join(notes, "|")
	for _, w := range []string{"#BEGIN_ALTERNATE ignored", "#INCLUDE ignored", "#END_ALTERNATE ignored", "not an IPv4 address",
		"address without a name", "name longer than 15 characters", "unterminated quoted name"} {
		if !strings.Contains(got, w) {
			t.Errorf("notes lack %q: %s", w, got)
		}
	}
	if n := strings.Count(got, "#INCLUDE ignored"); n != 2 {
		t.Errorf("%d #INCLUDE notes, want 2", n)
	}
	if l := f.Labels(); l[netip.MustParseAddr("102.54.94.97")] != "RHINO" || len(l) != len(want) {
		t.Errorf("labels %v", l)
	}
}

// Bounds: a long line is skipped, entries stop at MaxEntries, notes at 100.
func TestParseBounds(t *testing.T) {
	long := "10.0.0.1 " + strings.Repeat("A", MaxLine) + "\n10.0.0.2 B\n"
	f := ParseBytes([]byte(long))
	if len(f.Entries) != 1 || f.Entries[0].Name != "B" || len(f.Notes) != 1 {
		t.Errorf("long line: %+v %+v", f.Entries, f.Notes)
	}
	var b strings.Builder
	for i := 0; i < MaxEntries+5; i++ {
		b.WriteString("10.0.0.1 N\nx\n")
	}
	f = ParseBytes([]byte(b.String()))
	if len(f.Entries) != MaxEntries {
		t.Errorf("%d entries, want %d", len(f.Entries), MaxEntries)
	}
	if len(f.Notes) != maxNotes || f.NotesDropped == 0 {
		t.Errorf("%d notes, %d dropped", len(f.Notes), f.NotesDropped)
	}
	if _, err := Parse(strings.NewReader(strings.Repeat("#", MaxBytes+1))); err != ErrTooLarge {
		t.Errorf("oversized file: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("1.2.3.4 \"\\0x"))
	f.Add([]byte("1.2.3.4 \"AAAAAAAAAAAAAAAAAAAAAAA\""))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := ParseBytes(b)
		if len(p.Entries) > MaxEntries || len(p.Notes) > maxNotes {
			t.Fatalf("bounds: %d entries, %d notes", len(p.Entries), len(p.Notes))
		}
		for _, e := range p.Entries {
			if len(e.Name) == 0 || len(e.Name) > 15 || !e.Addr.Is4() {
				t.Fatalf("bad entry %+v", e)
			}
		}
	})
}
