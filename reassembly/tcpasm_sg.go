package reassembly

// The ScatterGather our assembler (tcpasm.go) hands to a Stream: the kept
// bytes, then the segment being added or the first queued page, then the
// queued pages that follow on.

import (
	"github.com/gopacket/gopacket"
	gpreassembly "github.com/gopacket/gopacket/reassembly"
)

type asmSG struct {
	all    []*asmChunk
	dir    gpreassembly.TCPFlowDirection
	skip   int
	saved  int
	toKeep int
	buf    []byte // Fetch's copy when the bytes are in several chunks
}

// Lengths is the number of bytes, and of those the kept ones (first).
func (sg *asmSG) Lengths() (int, int) {
	n := 0
	for _, c := range sg.all {
		n += len(c.b)
	}
	return n, sg.saved
}

// Fetch returns the first l bytes: the first chunk's own when they are all
// in it, else a copy valid until the next call.
func (sg *asmSG) Fetch(l int) []byte {
	if l <= len(sg.all[0].b) {
		return sg.all[0].b[:l]
	}
	sg.buf = sg.buf[:0]
	for _, c := range sg.all {
		sg.buf = append(sg.buf, c.b...)
	}
	return sg.buf[:l]
}

// KeepFrom asks for the bytes from offset on to come back next time.
func (sg *asmSG) KeepFrom(offset int) { sg.toKeep = offset }

// CaptureInfo is that of the segment the byte at offset came from.
func (sg *asmSG) CaptureInfo(offset int) gopacket.CaptureInfo {
	if ac := sg.ctxAt(offset); ac != nil {
		return ac.GetCaptureInfo()
	}
	return gopacket.CaptureInfo{}
}

// ctxAt is the context of the segment the byte at offset came from, or nil.
func (sg *asmSG) ctxAt(offset int) gpreassembly.AssemblerContext {
	if offset < 0 {
		return nil
	}
	at := 0
	for _, c := range sg.all {
		if at+len(c.b) > offset {
			return c.ac
		}
		at += len(c.b)
	}
	return nil
}

// Info is the direction, whether the bytes start the half (a SYN), end it
// (FIN or RST), and how many bytes were lost before them (-1: unknown).
func (sg *asmSG) Info() (gpreassembly.TCPFlowDirection, bool, bool, int) {
	return sg.dir, sg.all[0].start, sg.all[len(sg.all)-1].end, sg.skip
}

// Stats counts the chunks and the segments they start.
func (sg *asmSG) Stats() gpreassembly.TCPAssemblyStats {
	n := 0
	for _, c := range sg.all {
		if c.first {
			n++
		}
	}
	return gpreassembly.TCPAssemblyStats{Chunks: len(sg.all), Packets: n}
}
