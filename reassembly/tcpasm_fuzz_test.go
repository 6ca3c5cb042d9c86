package reassembly

// Segment sequences built from bytes (the fuzzer's, or a seeded random
// source's) for the differential harness: overlaps, retransmissions with
// new bytes, holes, SYN/FIN/RST anywhere, sequence numbers that wrap,
// segments of several pages, flushes in between.

import (
	"encoding/binary"
	"fmt"
	"math/rand"
	"net"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	gpreassembly "github.com/gopacket/gopacket/reassembly"
)

// asmScript turns b into segments on up to three connections and runs
// them through p; every 7 bytes are one step.
func asmScript(tb testing.TB, p *asmPair, b []byte) {
	isn := [3][2]uint32{{1000, 5000}, {0xFFFFFF00, 0x7FFFFFF0}, {0xBFFFFFF0, 0x3FFFFFF8}}
	ts := time.Unix(1700000000, 0)
	frame := 0
	for len(b) >= 7 {
		op, flags, off, ln, dt := b[0], b[1], binary.BigEndian.Uint16(b[2:4]), binary.BigEndian.Uint16(b[4:6]), b[6]
		b = b[7:]
		ts = ts.Add(time.Duration(dt) * time.Millisecond)
		frame++
		if op&0xF0 == 0xF0 {
			// A flush now, with holes and idle connections young enough.
			opt := asmFlushAt(ts, p.lim)
			p.flush("flush op", func() string { f, c := p.gp.FlushWithOptions(opt); return asmPrint(f, c) },
				func() string { f, c := p.me.FlushWithOptions(opt); return asmPrint(f, c) })
			continue
		}
		c, d := int(op%3), int(op>>2)&1
		n := int(ln) % 2500
		if op&0x20 != 0 {
			n = int(ln) % 40
		}
		seq := isn[c][d] + uint32(int32(int16(off))) // around the ISN, before and after
		tcp := asmSegment(tb, c, d, seq, isn[c][1-d]+uint32(off>>3), flags, n, byte(frame))
		src, dst := asmAddr(c, d)
		p.add(frame, ts, &layers.IPv4{SrcIP: src, DstIP: dst}, tcp)
	}
	p.end()
}

func asmPrint(f, c int) string { return fmt.Sprint(f, c) }

func asmFlushAt(ts time.Time, lim asmLimits) gpreassembly.FlushOptions {
	return gpreassembly.FlushOptions{T: ts.Add(-lim.ooo), TC: ts.Add(-lim.idle)}
}

// asmAddr: connection c's client is 10.0.0.c, its server 10.0.1.1 (port
// 139, or 445 for c = 2); d = 1 is server to client.
func asmAddr(c, d int) (net.IP, net.IP) {
	cl, sv := net.IPv4(10, 0, 0, byte(c+1)).To4(), net.IPv4(10, 0, 1, 1).To4()
	if d == 1 {
		return sv, cl
	}
	return cl, sv
}

// asmSegment builds a decoded TCP segment; its payload is session packets
// of 6 bytes (type 0, length 2) with a mark, so that KeepFrom is used.
func asmSegment(tb testing.TB, c, d int, seq, ack uint32, flags byte, n int, mark byte) *layers.TCP {
	cp, sp := uint16(40000+c), uint16(139)
	if c == 2 {
		sp = 445
	}
	if d == 1 {
		cp, sp = sp, cp
	}
	hdr := make([]byte, 20, 20+n)
	binary.BigEndian.PutUint16(hdr[0:2], cp)
	binary.BigEndian.PutUint16(hdr[2:4], sp)
	binary.BigEndian.PutUint32(hdr[4:8], seq)
	binary.BigEndian.PutUint32(hdr[8:12], ack)
	hdr[12] = 5 << 4
	// SYN, ACK, FIN, RST, PSH: rare SYN, FIN and RST.
	var f byte
	if flags&0x07 == 1 {
		f |= 0x02
	}
	if flags&0x08 != 0 {
		f |= 0x10
	}
	if flags&0x70 == 0x10 {
		f |= 0x01
	}
	if flags&0x70 == 0x20 {
		f |= 0x04
	}
	hdr[13] = f
	for i := 0; i < n; i++ {
		switch (int(seq) + i) % 6 {
		case 0:
			hdr = append(hdr, 0)
		case 3:
			hdr = append(hdr, 2)
		case 1, 2:
			hdr = append(hdr, 0)
		default:
			hdr = append(hdr, mark)
		}
	}
	tcp := &layers.TCP{}
	if err := tcp.DecodeFromBytes(hdr, gopacket.NilDecodeFeedback); err != nil {
		tb.Fatal(err)
	}
	return tcp
}

// TestOwnAssemblerRandom runs 3,000 random segment sequences through both
// assemblers under each set of limits.
func TestOwnAssemblerRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	bad := 0
	for i := 0; i < 3000 && bad < 3; i++ {
		b := make([]byte, 7*(1+rng.Intn(60)))
		rng.Read(b)
		for j := 0; j+7 <= len(b); j += 7 {
			// Mostly near the ISN, mostly in order-ish.
			off := uint16(rng.Intn(6000) - 500)
			binary.BigEndian.PutUint16(b[j+2:], off)
		}
		lim := asmLimitSets[i%len(asmLimitSets)]
		p := newAsmPair(lim)
		asmScript(t, p, b)
		if n, first := p.diffs(); n > 0 {
			bad++
			t.Errorf("sequence %d (%x), %s limits: %d of %d events differ:\n%s", i, b, lim.name, n, len(p.ref.ev), first)
		}
	}
}

// asmFlushAge: a page queued behind the first one, and older, makes the
// first one old enough to be flushed (SYN; 100 bytes 1,000 ahead; 100
// bytes 500 ahead 100 ms later; a flush 30 ms later).
var asmFlushAge = []byte{0, 1, 0, 0, 0, 0, 0, 0, 8, 0x03, 0xE9, 0, 100, 0, 0, 8, 0x01, 0xF5, 0, 100, 100, 0xF0, 0, 0, 0, 0, 0, 30}

// TestOwnAssemblerFlushAge runs asmFlushAge under each set of limits, and
// with holes given up after 50 ms and no flush but asmFlushAge's.
func TestOwnAssemblerFlushAge(t *testing.T) {
	only := asmLimits{"flush-op-only", 10, 100, 50 * time.Millisecond, time.Hour, time.Hour, -1}
	for _, lim := range append([]asmLimits{only}, asmLimitSets...) {
		p := newAsmPair(lim)
		asmScript(t, p, asmFlushAge)
		if n, first := p.diffs(); n > 0 {
			t.Errorf("%s limits: %d of %d events differ:\n%s", lim.name, n, len(p.ref.ev), first)
		}
	}
}

// FuzzOwnAssembler: whatever the segments, our assembler makes the same
// callbacks as gopacket's.
func FuzzOwnAssembler(f *testing.F) {
	f.Add([]byte{0, 1, 0, 0, 0, 0, 1, 4, 1, 0, 0, 0, 0, 1, 0, 8, 0, 1, 0, 100, 1, 0, 8, 0, 200, 0, 50, 1, 0xF0, 0, 0, 0, 0, 0, 200})
	f.Add(asmFlushAge)
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 7*200 {
			return
		}
		for i, lim := range asmLimitSets {
			p := newAsmPair(lim)
			asmScript(t, p, b)
			if n, first := p.diffs(); n > 0 {
				t.Fatalf("limits %d (%s): %d of %d events differ:\n%s", i, lim.name, n, len(p.ref.ev), first)
			}
		}
	})
}

// TestOwnAssemblerForgetsClosed: connections closed by FIN, with no flush
// in between, do not pile up in the assembler.
func TestOwnAssemblerForgetsClosed(t *testing.T) {
	c := &streamCounter{}
	s := NewStreamReassembler(c, StreamLimits{})
	a := s.asm.(*tcpAssembler)
	b := newStreamBuilder(139)
	ts := time.Unix(1700000000, 0)
	frame := 0
	for i := 0; i < 5000; i++ {
		b.cport = uint16(1024 + i%60000)
		b.cseq, b.sseq = 1000, 9000
		for _, p := range []streamPacket{b.seg(t, true, "S", nil), b.seg(t, false, "SA", nil),
			b.seg(t, true, "A", []byte{0x85, 0, 0, 0}), b.seg(t, true, "FA", nil), b.seg(t, false, "FA", nil)} {
			frame++
			p.frame, p.ci.Timestamp = frame, ts
			s.Add(p.frame, p.ci.Timestamp, p.ip, p.tcp)
		}
	}
	if len(a.order) > 600 || len(a.conns) != 0 {
		t.Errorf("%d connections still listed, %d in the map, after 5000 closed", len(a.order), len(a.conns))
	}
	if c.msgs != 5000 {
		t.Errorf("%d keep-alives, want 5000", c.msgs)
	}
}
