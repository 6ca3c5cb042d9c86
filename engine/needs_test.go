package engine

import (
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// TestNeeds: what each consumer makes the engine build.
func TestNeeds(t *testing.T) {
	id := func(name string) dissect.FieldID {
		f, ok := dissect.LookupField(name)
		if !ok {
			t.Fatalf("no field %s", name)
		}
		return f
	}
	type built struct {
		tree, info, upper, protocols, convs, streamShown, completions bool
	}
	for _, c := range []struct {
		what  string
		reads Reads
		want  built
		kept  []string // the fields whose nodes are kept; nil: every field
	}{
		{"summary", Reads{}, built{tree: true, info: true, upper: true, protocols: true, convs: true}, nil},
		{"-V", Reads{Details: true}, built{tree: true, info: true, upper: true, protocols: true, convs: true, streamShown: true}, nil},
		{"-T fields NBT", Reads{Fields: []string{"nbns.name", "_ws.col.No.", "_ws.col.Length"}},
			built{tree: true}, []string{"nbns.name"}},
		// The protocol column names the top layer: BROWSER, not NBDGM.
		{"-T fields NBT, protocol column", Reads{Fields: []string{"nbns.name", "_ws.col.Protocol"}},
			built{tree: true, upper: true}, []string{"nbns.name"}},
		{"-T fields info", Reads{Fields: []string{"smb.cmd", "_ws.col.Info"}},
			built{tree: true, info: true, upper: true, convs: true}, []string{"smb.cmd"}},
		{"-T fields tcp.stream", Reads{Fields: []string{"tcp.stream"}},
			built{tree: true, convs: true, streamShown: true}, []string{"tcp.stream"}},
		{"-T fields tcp.seq", Reads{Fields: []string{"tcp.seq", "frame.protocols"}},
			built{tree: true, upper: true, protocols: true, convs: true}, []string{"tcp.seq", "frame.protocols"}},
		{"-T fields -Y", Reads{Fields: []string{"nbns.name"}, Filter: "nbns.name"},
			built{tree: true, info: true, upper: true, protocols: true, convs: true}, nil},
		{"-Y tcp.stream", Reads{Filter: "tcp.stream == 1"},
			built{tree: true, info: true, upper: true, protocols: true, convs: true, streamShown: true}, nil},
		{"timeline", Reads{Timeline: true}, built{upper: true, convs: true}, nil},
		{"timeline -Y", Reads{Timeline: true, Filter: "smb"},
			built{tree: true, info: true, upper: true, protocols: true, convs: true}, nil},
		{"first pass", Reads{Completions: true}, built{upper: true, convs: true, completions: true}, nil},
		{"-V -2", Reads{Completions: true, Details: true},
			built{tree: true, info: true, upper: true, protocols: true, convs: true, streamShown: true, completions: true}, nil},
	} {
		n := NewNeeds(c.reads)
		got := built{tree: n.tree, info: n.info, upper: n.upper, protocols: n.protocols, convs: n.convs,
			streamShown: n.TCPStreamShown(), completions: n.completions}
		if got != c.want {
			t.Errorf("%s: built %+v, want %+v", c.what, got, c.want)
		}
		if (n.want == nil) != (c.kept == nil) {
			t.Errorf("%s: keeps only some fields: %v, want %v", c.what, n.want != nil, c.kept != nil)
		}
		kept := 0
		for _, on := range n.want {
			if on {
				kept++
			}
		}
		for _, name := range c.kept {
			if !n.want[id(name)] {
				t.Errorf("%s: field %s not kept", c.what, name)
			}
		}
		if kept != len(c.kept) {
			t.Errorf("%s: %d fields kept, want %d", c.what, kept, len(c.kept))
		}
	}
	// Frames that carry no NBT are not skipped when a column shows their
	// protocol or addresses.
	for _, fields := range [][]string{{"nbns.name", "_ws.col.Protocol"}, {"nbns.name", "_ws.col.Source"}, {"nbns.name", "_ws.col.Destination"}} {
		if NewNeeds(Reads{Fields: fields}).SkipOther() {
			t.Errorf("%q: skips the frames that carry no NBT", fields)
		}
	}
	if !NewNeeds(Reads{Fields: []string{"nbns.name", "_ws.col.No.", "_ws.col.Time", "_ws.col.Length"}}).SkipOther() {
		t.Error("frame columns: does not skip the frames that carry no NBT")
	}
	// The zero Needs builds everything, as the summary does.
	e := New(Config{})
	if !e.needs.tree || !e.needs.info || e.needs.want != nil || !e.needs.convs || e.f.Tree.Off {
		t.Errorf("zero Needs: %+v", e.needs)
	}
	if (Needs{}).TCPStreamShown() {
		t.Error("zero Needs shows tcp.stream")
	}
}
