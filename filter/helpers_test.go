package filter_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
	"github.com/nbtsniff/nbtsniff/internal/testframes"
)

// capturePath is the path of a capture: a name not starting with "../" is
// a case of the corpus (skipped without it); the repository's must be
// there.
func capturePath(t testing.TB, name string) string {
	t.Helper()
	if !strings.HasPrefix(name, "../") {
		return corpus.Path(t, name)
	}
	if _, err := os.Stat(name); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestMain prints how many cases of the shared capture corpus ran.
func TestMain(m *testing.M) { os.Exit(corpus.Main(m)) }

// loadFrames decodes a capture with the engine (testframes.Load).
func loadFrames(t testing.TB, path string) []*dissect.Frame { return testframes.Load(t, path) }

func needTshark(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("tshark")
	if err != nil {
		corpus.Skip(t, "tshark is not installed: the differential test needs tshark 4.0")
	}
	return p
}

func id(t testing.TB, abbrev string) dissect.FieldID {
	t.Helper()
	if id, ok := dissect.LookupField(abbrev); ok {
		return id
	}
	return dissect.WiresharkField(abbrev)
}

// c2Frame builds frames 1, 2 and 4 of
// nbns-registration-browser-elections_pcap-attack-dns-txt-c2-cut.pcap by
// hand, with the field values tshark prints for them:
//
//	1   0.000000 192.168.100.121 → 192.168.100.255 NBNS 110 Registration NB WORKGROUP<1e>
//	2   0.109504 192.168.100.121 → 192.168.100.255 NBNS 92 Name query NB ISATAP<00>
//	4   0.780078 192.168.100.121 → 192.168.100.255 BROWSER 243 Host Announcement USER-PC, ...
func c2Frame(t testing.TB, n int) *dissect.Frame {
	var data []byte
	switch n {
	case 1:
		data = make([]byte, 110)
	case 2:
		data = make([]byte, 92)
	default:
		data = make([]byte, 243)
	}
	// Layer bytes for "contains" on a protocol: the NBNS question name of
	// frame 1 starts at 54 with its first-level encoding.
	if n == 1 {
		copy(data[54:], " FHEPFCELEHFCEPFFFACACACACACACABO")
	}
	f := &dissect.Frame{Number: n, Data: data, Len: len(data), CapLen: len(data), Time: time.Unix(1591425400, 128128000)}
	tr := &f.Tree
	tr.Open(id(t, "frame"), 0, len(data))
	tr.Uint(id(t, "frame.number"), -1, 0, uint64(n))
	tr.Uint(id(t, "frame.len"), -1, 0, uint64(len(data)))
	tr.Uint(id(t, "frame.time_relative"), -1, 0, map[int]uint64{1: 0, 2: 109504000, 4: 780078000}[n])
	tr.Close()
	tr.Open(id(t, "eth"), 0, 14)
	tr.Bytes(id(t, "eth.dst"), 0, 6, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	tr.Bytes(id(t, "eth.src"), 6, 6, []byte{0x52, 0x54, 0x00, 0x4a, 0x04, 0xaf})
	tr.Uint(id(t, "eth.type"), 12, 2, 0x0800)
	tr.Close()
	tr.Open(id(t, "ip"), 14, 20)
	tr.Uint(id(t, "ip.ttl"), 22, 1, 128)
	tr.Uint(id(t, "ip.proto"), 23, 1, 17)
	tr.IPv4(id(t, "ip.src"), 26, [4]byte{192, 168, 100, 121})
	tr.IPv4(id(t, "ip.dst"), 30, [4]byte{192, 168, 100, 255})
	tr.Close()
	tr.Open(id(t, "udp"), 34, 8)
	port := uint64(137)
	if n == 4 {
		port = 138
	}
	tr.Uint(id(t, "udp.srcport"), 34, 2, port)
	tr.Uint(id(t, "udp.dstport"), 36, 2, port)
	tr.Close()
	switch n {
	case 1:
		tr.Open(id(t, "nbns"), 42, 68)
		tr.Uint(id(t, "nbns.id"), 0, 2, 0xf0d6)
		tr.Uint(id(t, "nbns.flags"), 2, 2, 0x2810)
		tr.Bool(id(t, "nbns.flags.response"), 2, 2, false)
		tr.Uint(id(t, "nbns.flags.opcode"), 2, 2, 5)
		tr.Bytes(id(t, "nbns.name"), 12, 34, []byte("WORKGROUP<1e>"))
		tr.Bytes(id(t, "nbns.name"), 50, 2, []byte("WORKGROUP<1e> (Browser Election Service)"))
		tr.IPv4(id(t, "nbns.addr"), 64, [4]byte{192, 168, 100, 121})
		tr.Close()
	case 2:
		tr.Open(id(t, "nbns"), 42, 50)
		tr.Uint(id(t, "nbns.id"), 0, 2, 0xf0d7)
		tr.Uint(id(t, "nbns.flags"), 2, 2, 0x0110)
		tr.Bool(id(t, "nbns.flags.response"), 2, 2, false)
		tr.Uint(id(t, "nbns.flags.opcode"), 2, 2, 0)
		tr.Bytes(id(t, "nbns.name"), 12, 34, []byte("ISATAP<00>"))
		tr.Close()
	case 4:
		tr.Open(id(t, "browser"), 209, 34)
		tr.Uint(id(t, "browser.command"), 209, 1, 1)
		tr.Bytes(id(t, "browser.server"), 215, 16, []byte("USER-PC"))
		tr.Uint(id(t, "browser.server_type"), 233, 4, 0x00011003)
		tr.Bytes(id(t, "browser.comment"), 242, 1, []byte(""))
		tr.Close()
	}
	return f
}
