package synth

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// TestMain prints how many cases of the shared capture corpus ran.
func TestMain(m *testing.M) { os.Exit(corpus.Main(m)) }

// root is the repository root from this package's directory.
const root = "../.."

// The SMIA capture: TCP 139 with a hole in nearly every stream, whose
// client ports each repetition moves (the part of the dense generator
// that rewrites bytes).
const smia = "nbss139-smb1-smia2011-deduped-msgs_nemesys-cut.pcap"

// detInputs is the dense and realistic mixes' input set for the test: the
// lab captures of testdata/pcaps, as Inputs lists them, and the SMIA
// capture of the corpus when it is there.
func detInputs(t *testing.T) []string {
	t.Helper()
	var lab []string
	for _, p := range Inputs(root) {
		if filepath.Dir(p) == filepath.Join(root, "testdata", "pcaps") {
			lab = append(lab, p)
		}
	}
	if len(lab) == 0 {
		t.Fatalf("no captures in %s/testdata/pcaps", root)
	}
	return append(lab, corpus.Maybe(t, smia)...)
}

// TestGeneratorsDeterministic: the three benchmark captures of issue 15
// (bench/mkcap -frames N, the dense mix; bench/mkcap -other M -seed S,
// the realistic mix; bench/manyhosts -hosts N -groups G) are the same
// file, byte for byte, each time they are made from the same arguments,
// from reading the inputs on (Load) to the last record; and the mix's
// seed and the many-hosts groups do change the file. Small sizes, but
// each covers more than one repetition of the cycle (client ports moved)
// and every branch of the generators.
func TestGeneratorsDeterministic(t *testing.T) {
	inputs := detInputs(t)
	if again := detInputs(t); !slices.Equal(inputs, again) {
		t.Fatalf("Inputs lists the captures in a different order the second time:\n%q\n%q", inputs, again)
	}
	dense := func(frames int) func() ([]byte, error) {
		return func() ([]byte, error) {
			c, err := Load(inputs)
			if err != nil {
				return nil, err
			}
			var b bytes.Buffer
			_, err = c.WritePcap(&b, frames)
			return b.Bytes(), err
		}
	}
	mix := func(other, nbt int, seed uint64) func() ([]byte, error) {
		return func() ([]byte, error) {
			c, err := Load(inputs)
			if err != nil {
				return nil, err
			}
			var b bytes.Buffer
			_, err = WriteMix(&b, c, other, nbt, seed)
			return b.Bytes(), err
		}
	}
	hosts := func(n, groups int) func() ([]byte, error) {
		return func() ([]byte, error) {
			templ, err := ManyHostsTemplate(root)
			if err != nil {
				return nil, err
			}
			var b bytes.Buffer
			err = WriteManyHosts(&b, templ, n, groups)
			return b.Bytes(), err
		}
	}
	c, err := Load(inputs)
	if err != nil {
		t.Fatal(err)
	}
	cycle := c.Len()
	gens := []struct {
		name     string
		gen      func() ([]byte, error)
		other    func() ([]byte, error) // other arguments: must differ
		frames   int
		otherArg string
	}{
		{"mkcap -frames " + fmt.Sprint(2*cycle+123), dense(2*cycle + 123), dense(2*cycle + 124), 2*cycle + 123, "-frames +1"},
		{"mkcap -other 5000 -frames 3000 -seed 7", mix(5000, 3000, 7), mix(5000, 3000, 8), 8000, "-seed 8"},
		{"manyhosts -hosts 3000 -groups 7", hosts(3000, 7), hosts(3000, 1), 3000, "-groups 1"},
	}
	for _, g := range gens {
		t.Run(g.name, func(t *testing.T) {
			a, err := g.gen()
			if err != nil {
				t.Fatal(err)
			}
			b, err := g.gen()
			if err != nil {
				t.Fatal(err)
			}
			if n, err := countRecords(a); err != nil || n != g.frames {
				t.Fatalf("%s: %d records (%v), want %d", g.name, n, err, g.frames)
			}
			if d := pcapDiff(a, b); d != "" {
				t.Errorf("%s made twice gives two different files: %s", g.name, d)
			}
			o, err := g.other()
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(a, o) {
				t.Errorf("%s and %s give the same file: the argument is not used", g.name, g.otherArg)
			}
		})
	}
}

// countRecords counts the records of a pcap file in memory.
func countRecords(p []byte) (int, error) {
	n := 0
	for off := 24; off < len(p); n++ {
		if off+16 > len(p) {
			return n, fmt.Errorf("record %d: header cut at byte %d", n+1, off)
		}
		off += 16 + int(binary.LittleEndian.Uint32(p[off+8:]))
	}
	return n, nil
}

// pcapDiff says where two pcap files (little-endian, as pcapgo writes
// them) first differ: the byte offset, the record (1-based, as frame
// numbers are) and the part of it, and the bytes there; "" if they are
// equal.
func pcapDiff(a, b []byte) string {
	if bytes.Equal(a, b) {
		return ""
	}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	where := "the file header"
	if i >= 24 {
		rec, off := 1, 24
		for off+16 <= len(a) {
			end := off + 16 + int(binary.LittleEndian.Uint32(a[off+8:]))
			if i < end {
				break
			}
			rec, off = rec+1, end
		}
		switch at := i - off; {
		case at < 8:
			where = fmt.Sprintf("record %d, its timestamp", rec)
		case at < 16:
			where = fmt.Sprintf("record %d, its lengths", rec)
		default:
			where = fmt.Sprintf("record %d, frame byte %d", rec, at-16)
		}
	}
	show := func(p []byte) string {
		if i >= len(p) {
			return "(end of file)"
		}
		return fmt.Sprintf("% x", p[i:min(i+16, len(p))])
	}
	return fmt.Sprintf("%d and %d bytes; first difference at byte %d (%s): %s against %s",
		len(a), len(b), i, where, show(a), show(b))
}

// TestPcapDiff: the failure message of TestGeneratorsDeterministic names
// the record and the part of it that differs.
func TestPcapDiff(t *testing.T) {
	templ, err := ManyHostsTemplate(root)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteManyHosts(&b, templ, 3, 1); err != nil {
		t.Fatal(err)
	}
	a := b.Bytes()
	rec := 16 + len(templ) // one record
	for _, c := range []struct {
		at   int
		want string
	}{
		{20, "first difference at byte 20 (the file header)"},
		{24 + rec + 3, "(record 2, its timestamp)"},
		{24 + 2*rec + 9, "(record 3, its lengths)"},
		{24 + rec + 16 + 26, "(record 2, frame byte 26)"},
	} {
		m := bytes.Clone(a)
		m[c.at] ^= 0xff
		if d := pcapDiff(a, m); !bytes.Contains([]byte(d), []byte(c.want)) {
			t.Errorf("byte %d changed: %q does not say %q", c.at, d, c.want)
		}
	}
	if d := pcapDiff(a, a[:len(a)-1]); !bytes.Contains([]byte(d), []byte("(end of file)")) {
		t.Errorf("a file cut short: %q", d)
	}
	if d := pcapDiff(a, bytes.Clone(a)); d != "" {
		t.Errorf("equal files: %q", d)
	}
}
