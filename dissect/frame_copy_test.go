package dissect

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// A copy made by CopyTo keeps its values when every buffer the frame
// pointed into is overwritten, as the engine does with the next frame.
func TestFrameCopyToIsDeep(t *testing.T) {
	pkt := []byte("\x00\x01WORKGROUP       \x1d\xff\xfe")
	scratch := []byte("WORKGROUP<1d>")
	src := []byte("reassembled bytes")
	var f Frame
	f.Reset()
	f.Number, f.Time, f.Len, f.CapLen = 7, time.Unix(1700000000, 5), len(pkt), len(pkt)
	f.Data, f.Proto = pkt, "NBNS"
	f.Info = append(f.Info, "Name query NB WORKGROUP<1d>"...)
	f.Errs = append(f.Errs, errors.New("nbns: answer 1: truncated"))
	f.Tree.OpenText("NetBIOS Name Service", 0, len(pkt))
	f.Tree.Uint(1, 0, 2, 1)
	f.Tree.Bytes(2, 2, 16, pkt[2:18])
	f.Tree.Bytes(3, 2, 16, scratch)
	f.Tree.AddSource("Reassembled", src)
	f.Tree.Close()

	var c Frame
	n := f.CopyTo(&c)
	if want := len(pkt) + 16 + len(scratch) + len(src); n != want {
		t.Errorf("CopyTo copied %d bytes, want %d", n, want)
	}
	want := struct{ data, s2, s3, srcData, info string }{string(pkt), string(pkt[2:18]), string(scratch), string(src), string(f.Info)}
	for _, b := range [][]byte{pkt, scratch, src, f.Info} {
		for i := range b {
			b[i] = 'X'
		}
	}
	if string(c.Data) != want.data || string(c.Tree.Nodes[2].S) != want.s2 || string(c.Tree.Nodes[3].S) != want.s3 ||
		string(c.Tree.Sources[0].Data) != want.srcData || string(c.Info) != want.info {
		t.Errorf("the copy changed with the original's buffers: data %q nodes %q %q source %q info %q",
			c.Data, c.Tree.Nodes[2].S, c.Tree.Nodes[3].S, c.Tree.Sources[0].Data, c.Info)
	}
	if c.Number != 7 || !c.Time.Equal(f.Time) || c.Proto != "NBNS" || len(c.Errs) != 1 || c.Tree.Nodes[1].U != 1 || len(c.Tree.Nodes) != 4 {
		t.Errorf("copy %+v lost metadata or nodes", c)
	}
	// Reused, a copy allocates nothing.
	g := Frame{}
	f.CopyTo(&g)
	if a := testing.AllocsPerRun(100, func() { f.CopyTo(&g) }); a != 0 {
		t.Errorf("CopyTo into a used frame: %v allocations, want 0", a)
	}
	// An arena grown for a huge frame is let go for small ones.
	big := Frame{Data: bytes.Repeat([]byte{1}, 1<<20)}
	big.CopyTo(&g)
	f.CopyTo(&g)
	if cap(g.arena) >= 1<<20 {
		t.Errorf("arena kept %d bytes for a %d-byte frame", cap(g.arena), len(f.Data))
	}
}
