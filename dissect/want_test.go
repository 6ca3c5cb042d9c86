package dissect_test

import (
	"errors"
	"io"
	"path/filepath"
	"sort"
	"testing"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
	"github.com/nbtsniff/nbtsniff/output"
)

// wantCaptures is every capture of the repository and of the shared
// corpus (those that it has).
func wantCaptures(t *testing.T) []string {
	var files []string
	for _, pat := range []string{"../testdata/pcaps/*.pcap*", "../testdata/specframes/*.pcap"} {
		m, _ := filepath.Glob(pat)
		if len(m) == 0 {
			t.Fatalf("no capture matches %s", pat)
		}
		files = append(files, m...)
	}
	files = append(files, corpus.Maybe(t, "*.pcap*")...)
	files = append(files, corpus.Maybe(t, "synthetic/*")...)
	sort.Strings(files)
	return files
}

// wantValue is a node as -T fields prints it.
type wantValue struct {
	id dissect.FieldID
	v  string
}

// wantFrame is what -T fields can print of a frame.
type wantFrame struct {
	values      []wantValue
	proto, info string
}

// line prints the values of the fields want, and the columns.
func (f *wantFrame) line(want []bool) string {
	var b []byte
	for _, v := range f.values {
		if want[v.id] {
			b = append(b, dissect.Field(v.id).Abbrev...)
			b = append(b, '=')
			b = append(b, v.v...)
			b = append(b, ' ')
		}
	}
	return string(b) + "| " + f.proto + " | " + f.info
}

// wantRun decodes a capture with the engine set up as -T fields sets it
// up for the fields want (nil: the whole tree).
func wantRun(t *testing.T, path string, want []dissect.FieldID) []wantFrame {
	src, err := capture.OpenFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	cfg := engine.DefaultConfig()
	if want != nil {
		// The info column is compared too.
		names := []string{"_ws.col.Info"}
		for _, id := range want {
			names = append(names, dissect.Field(id).Abbrev)
		}
		cfg.Needs = engine.NewNeeds(engine.Reads{Fields: names})
	}
	eng := engine.New(cfg)
	var pkt capture.Packet
	var out []wantFrame
	for {
		err := src.Next(&pkt)
		if errors.Is(err, io.EOF) {
			break
		}
		var te *capture.TruncatedError
		if errors.As(err, &te) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		f := eng.Decode(pkt.Data, pkt.CI, pkt.LinkType, 0)
		wf := wantFrame{proto: f.Proto, info: string(f.Info)}
		for i := range f.Tree.Nodes {
			n := &f.Tree.Nodes[i]
			if n.Field != 0 {
				wf.values = append(wf.values, wantValue{n.Field, string(output.AppendValue(nil, n))})
			}
		}
		out = append(out, wf)
	}
	eng.Close()
	return out
}

// With Want set, a layer skips what nobody prints (its whole description
// when no field of its FieldSet is wanted, texts, summaries, nodes of
// unwanted fields that open a subtree). What is printed must not change:
// for every protocol, asking for all its fields (its protocol field
// among them) gives exactly the values of the whole tree, frame by
// frame, whichever layer adds them. (A protocol without a field of its
// own name, which -e may also name, has no nodes but values: see
// Tree.Want.)
func TestWantKeepsEveryWantedValue(t *testing.T) {
	files := wantCaptures(t)
	all := dissect.AllFields()
	byProto := map[string][]dissect.FieldID{}
	for _, fi := range all {
		byProto[fi.Proto] = append(byProto[fi.Proto], fi.ID)
	}
	var protos []string
	for p := range byProto {
		protos = append(protos, p)
	}
	sort.Strings(protos)
	sets := [][]dissect.FieldID{}
	for _, p := range protos {
		sets = append(sets, byProto[p])
	}
	var nbt []dissect.FieldID
	for _, p := range []string{"nbns", "nbdgm", "nbss"} {
		nbt = append(nbt, byProto[p]...)
	}
	sets = append(sets, nbt)
	// Single fields that a layer of another protocol adds.
	for _, name := range []string{"nbtsniff.nbns.suffix", "nbtsniff.nbns.encoded_name", "smb_pipe.string_param", "data.data", "ip.src"} {
		if id, ok := dissect.LookupField(name); ok {
			sets = append(sets, []dissect.FieldID{id})
		}
	}
	for _, path := range files {
		full := wantRun(t, path, nil)
		for _, set := range sets {
			want := make([]bool, dissect.NumFields())
			for _, id := range set {
				want[id] = true
			}
			got := wantRun(t, path, set)
			if len(got) != len(full) {
				t.Fatalf("%s: %d frames, want %d", path, len(got), len(full))
			}
			for i := range got {
				if g, w := got[i].line(want), full[i].line(want); g != w {
					t.Errorf("%s frame %d, fields of %s:\n got %s\nwant %s", filepath.Base(path), i+1,
						dissect.Field(set[0]).Proto, g, w)
					break
				}
			}
		}
	}
}
