package reassembly

import (
	"os"
	"strconv"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// frameText is everything a printer can read of a decoded frame.
func frameText(f *dissect.Frame) string {
	s := strconv.Itoa(f.Number) + "|" + f.Rel.String() + "|" + f.Proto + "|" + string(f.Info)
	for _, n := range f.Tree.Nodes {
		s += "|" + strconv.Itoa(int(n.Field)) + ":" + strconv.Itoa(int(n.Depth)) + ":" + strconv.FormatUint(n.U, 16) + ":" + string(n.S) + ":" + n.Label +
			":" + strconv.Itoa(int(n.Src)) + "@" + strconv.Itoa(int(n.Off)) + "+" + strconv.Itoa(int(n.Len)) + "/" + strconv.Itoa(int(n.Flags))
	}
	for _, src := range f.Tree.Sources {
		s += "|source " + src.Name + ":" + string(src.Data)
	}
	for _, err := range f.Errs {
		s += "|" + err.Error()
	}
	return s
}

type packetReader interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	LinkType() layers.LinkType
}

func openCapture(t testing.TB, path string) packetReader {
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fh.Close() })
	if r, err := pcapgo.NewReader(fh); err == nil {
		return r
	}
	fh.Seek(0, 0)
	r, err := pcapgo.NewNgReader(fh, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r
}
