package output_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
	"github.com/nbtsniff/nbtsniff/internal/testframes"
)

// sharedPcaps is the shared capture corpus, read in place (never copied).
const sharedPcaps = "../../shared/pcaps"

// labPcaps holds the Samba lab captures of this repository.
const labPcaps = "../testdata/pcaps"

// capturePath is the path of a capture: a bare name or one under
// sharedPcaps is a case of the corpus (skipped without it); the
// repository's must be there.
func capturePath(t testing.TB, name string) string {
	t.Helper()
	p := name
	if !filepath.IsAbs(p) && filepath.Dir(p) == "." {
		p = filepath.Join(sharedPcaps, name)
	}
	if c := corpus.Case(t, p); c != p {
		return c
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestMain prints how many cases of the shared capture corpus ran.
func TestMain(m *testing.M) { os.Exit(corpus.Main(m)) }

func needTshark(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("tshark")
	if err != nil {
		corpus.Skip(t, "tshark is not installed: the differential test needs tshark 4.0")
	}
	return p
}

// runTshark runs tshark in the UTC time zone with name resolution off.
func runTshark(t testing.TB, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(needTshark(t), append([]string{"-n"}, args...)...)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("tshark %v: %v: %s", args, err, ee.Stderr)
		}
		t.Fatalf("tshark %v: %v", args, err)
	}
	return out
}

// loadFrames decodes a capture with the engine (testframes.Load).
func loadFrames(t testing.TB, path string) []*dissect.Frame { return testframes.Load(t, path) }

// id returns the FieldID of a registered field, registering it from
// tshark's list if no decoder has yet.
func id(t testing.TB, abbrev string) dissect.FieldID {
	t.Helper()
	if id, ok := dissect.LookupField(abbrev); ok {
		return id
	}
	return dissect.WiresharkField(abbrev)
}

// treeBuilder builds a frame by hand, the way decoders emit nodes.
type treeBuilder struct {
	t testing.TB
	f *dissect.Frame
}

func newFrame(t testing.TB, number int, data []byte) *treeBuilder {
	f := &dissect.Frame{Number: number, Data: data, Len: len(data), CapLen: len(data)}
	f.Net.TCPStream = -1
	return &treeBuilder{t: t, f: f}
}

func (b *treeBuilder) open(abbrev string, off, n int) *treeBuilder {
	b.f.Tree.Open(id(b.t, abbrev), off, n)
	return b
}

func (b *treeBuilder) close() *treeBuilder { b.f.Tree.Close(); return b }

func (b *treeBuilder) uint(abbrev string, off, n int, v uint64) *treeBuilder {
	b.f.Tree.Uint(id(b.t, abbrev), off, n, v)
	return b
}

func (b *treeBuilder) str(abbrev string, off, n int, s string) *treeBuilder {
	b.f.Tree.Bytes(id(b.t, abbrev), off, n, []byte(s))
	return b
}

func (b *treeBuilder) ip(abbrev string, off int, a [4]byte) *treeBuilder {
	b.f.Tree.IPv4(id(b.t, abbrev), off, a)
	return b
}

// c2Frame1 is frame 1 of the c2 capture, built by hand with the values
// tshark prints for it:
//
//	1   0.000000 192.168.100.121 → 192.168.100.255 NBNS 110 Registration NB WORKGROUP<1e>
func c2Frame1(t testing.TB) *dissect.Frame {
	data := make([]byte, 110)
	b := newFrame(t, 1, data)
	f := b.f
	f.Time = time.Unix(1591425400, 128128000)
	f.Proto = "NBNS"
	f.Info = []byte("Registration NB WORKGROUP<1e>")
	f.Net.HasIP = true
	f.Net.Src = [4]byte{192, 168, 100, 121}
	f.Net.Dst = [4]byte{192, 168, 100, 255}
	b.open("frame", 0, 110).uint("frame.number", -1, 0, 1).uint("frame.len", -1, 0, 110).close()
	b.open("eth", 0, 14)
	f.Tree.Bytes(id(t, "eth.dst"), 0, 6, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Tree.Bytes(id(t, "eth.src"), 6, 6, []byte{0x52, 0x54, 0x00, 0x4a, 0x04, 0xaf})
	b.uint("eth.type", 12, 2, 0x0800).close()
	b.open("ip", 14, 20).uint("ip.id", 18, 2, 0x006e).uint("ip.flags", 20, 1, 0).uint("ip.ttl", 22, 1, 128).
		uint("ip.proto", 23, 1, 17).ip("ip.src", 26, [4]byte{192, 168, 100, 121}).ip("ip.dst", 30, [4]byte{192, 168, 100, 255}).close()
	b.open("udp", 34, 8).uint("udp.srcport", 34, 2, 137).uint("udp.dstport", 36, 2, 137).uint("udp.length", 38, 2, 76).
		uint("udp.checksum", 40, 2, 0x1eeb).close()
	b.open("nbns", 42, 68).uint("nbns.id", 42, 2, 0xf0d6).uint("nbns.flags", 44, 2, 0x2810)
	f.Tree.Bool(id(t, "nbns.flags.response"), 44, 2, false)
	b.str("nbns.name", 54, 34, "WORKGROUP<1e>").str("nbns.name", 88, 2, "WORKGROUP<1e> (Browser Election Service)").
		ip("nbns.addr", 106, [4]byte{192, 168, 100, 121}).close()
	return f
}
