package output_test

import (
	"bytes"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
	"github.com/nbtsniff/nbtsniff/output"
)

// shapeCaptures are the captures the shape programs are checked on: the
// lab's, the crafted ones and the shared corpus.
func shapeCaptures(t *testing.T) []string {
	t.Helper()
	var paths []string
	for _, g := range []string{labPcaps + "/*.pcapng", "../testdata/crafted/*.pcap"} {
		m, err := filepath.Glob(g)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) < 20 {
		t.Fatalf("only %d lab and crafted captures", len(paths))
	}
	paths = append(paths, corpus.Maybe(t, "*")...)
	return append(paths, corpus.Maybe(t, "synthetic/*")...)
}

// shapeFields is every field the frames hold (its first registration by
// name), then one field twice, protocols with and without a field of
// their name, and tshark's columns.
func shapeFields(frames []*dissect.Frame) []string {
	var fields []string
	seen := map[string]bool{}
	for _, f := range frames {
		for i := range f.Tree.Nodes {
			a := dissect.Field(f.Tree.Nodes[i].Field).Abbrev
			if f.Tree.Nodes[i].Field != 0 && !seen[a] {
				seen[a] = true
				fields = append(fields, a)
			}
		}
	}
	slices.Sort(fields) // column order is not tree order
	return append(fields, "nbns.name", "frame.number", "nbns", "smb", "browser", "_ws", "nbtsniff",
		"_ws.col.No.", "_ws.col.Time", "_ws.col.Source", "_ws.col.Destination", "_ws.col.Protocol",
		"_ws.col.Length", "_ws.col.Info")
}

// TestFieldsShapeIsTheWalk prints every capture with each set of -E
// options by the programs of the frames' shapes, with a table small
// enough to start over many times, and by the walk over the nodes, and
// compares the lines. The frames hold their whole trees (more nodes and
// more shapes than -T fields keeps), some of them more nodes than a
// program is kept for.
func TestFieldsShapeIsTheWalk(t *testing.T) {
	withUTC(t)
	options := [][]string{
		nil,
		{"occurrence=f"},
		{"occurrence=l", "quote=s"},
		{"quote=d", "aggregator=;", "header=y"},
		{"separator=/s", "aggregator=/s", "occurrence=a", "quote=d"},
	}
	large := 0 // frames too large for a program
	for _, path := range shapeCaptures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			frames := loadFrames(t, path)
			for _, f := range frames {
				if len(f.Tree.Nodes) > output.MaxShapeNodesForTest {
					large++
				}
			}
			fields := shapeFields(frames)
			for _, opts := range options {
				o, err := output.ParseFieldsOptions(opts)
				if err != nil {
					t.Fatal(err)
				}
				var walk, shape, small bytes.Buffer
				fw, err := output.NewFieldsWriter(&walk, fields, o)
				if err != nil {
					t.Fatal(err)
				}
				output.SetWalkOnlyForTest(fw, true)
				fs, err := output.NewFieldsWriter(&shape, fields, o)
				if err != nil {
					t.Fatal(err)
				}
				fsmall, err := output.NewFieldsWriter(&small, fields, o)
				if err != nil {
					t.Fatal(err)
				}
				output.SetShapeLimitForTest(fsmall, 3)
				for _, f := range frames {
					for _, w := range []*output.FieldsWriter{fw, fs, fsmall} {
						if err := w.WriteFrame(f); err != nil {
							t.Fatal(err)
						}
					}
				}
				if output.ShapesForTest(fsmall) > 3 {
					t.Errorf("%d programs kept, limit 3", output.ShapesForTest(fsmall))
				}
				for _, got := range []*bytes.Buffer{&shape, &small} {
					if !bytes.Equal(got.Bytes(), walk.Bytes()) {
						t.Errorf("-E %v: the programs' lines differ from the walk's:\n%s", opts, firstDiff(got.Bytes(), walk.Bytes()))
					}
				}
			}
		})
	}
	if large == 0 {
		t.Errorf("no frame has more than %d nodes: the walk was not compared", output.MaxShapeNodesForTest)
	}
	t.Logf("%d frames printed by the walk", large)
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := range min(len(g), len(w)) {
		if !bytes.Equal(g[i], w[i]) {
			return "line " + strconv.Itoa(i+1) + ":\n got  " + string(g[i]) + "\n want " + string(w[i])
		}
	}
	return "lines: got " + strconv.Itoa(len(g)) + ", want " + strconv.Itoa(len(w))
}
