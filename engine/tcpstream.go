package engine

import (
	"encoding/binary"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/internal/boundmap"
)

// tcpIndex numbers TCP conversations the way tshark's tcp.stream does (in
// order of first appearance, from a counter shared by the shards) and
// keeps the first sequence number seen per direction for relative sequence
// numbers. It is bounded: the least recently seen conversation is
// forgotten when full (an O(1) LRU list).
type tcpIndex struct {
	max        int
	next       *int
	convs      map[tcpKey]*tcpConv
	key        tcpKey   // the segment's key, for convs to hash in place (as reassembly's segKey)
	grown      bool     // convs made again at its bound (boundmap.Remake)
	head, tail *tcpConv // most and least recently seen
}

// tcpKey is the endpoints ordered (a first), as big-endian numbers, and
// their ports a<<16 | b: three words the compiler keeps in registers (a
// key of byte arrays was built on the stack in pieces and read back at
// once in wider loads, which stalled on the stores, every segment).
type tcpKey struct{ a, b, ports uint32 }

// tcpConv's fields are in the order that packs them in 48 bytes (a
// size class: 64 in the order of their meaning; one per conversation).
type tcpConv struct {
	key        tcpKey // 12 bytes
	haveISN    [2]bool
	index      int
	isn        [2]uint32
	prev, next *tcpConv
}

func (x *tcpIndex) init(max int, next *int) {
	x.max, x.next = max, next
	x.convs = make(map[tcpKey]*tcpConv)
}

// key orders the endpoints so both directions map to one conversation;
// dir is 0 when the frame goes from a to b.
func tcpKeyOf(n *dissect.Net) (tcpKey, int) {
	// Big-endian numbers compare as the bytes do (string comparison was a
	// call to cmpstring per segment).
	src, dst := binary.BigEndian.Uint32(n.Src[:]), binary.BigEndian.Uint32(n.Dst[:])
	if src > dst || (src == dst && n.SrcPort > n.DstPort) {
		return tcpKey{a: dst, b: src, ports: uint32(n.DstPort)<<16 | uint32(n.SrcPort)}, 1
	}
	return tcpKey{a: src, b: dst, ports: uint32(n.SrcPort)<<16 | uint32(n.DstPort)}, 0
}

// lookup returns the conversation's tcp.stream and the segment's relative
// sequence and acknowledgment numbers, and whether the least recently seen
// conversation was forgotten to make room for this one.
func (x *tcpIndex) lookup(n *dissect.Net, tc *layers.TCP, ts time.Time) (sq dissect.TCPSeq, forgot bool) {
	k, dir := tcpKeyOf(n)
	x.key = k
	// Segments of one conversation often follow each other: the most
	// recently seen conversation (the head) is checked before the map.
	c := x.head
	if c == nil || c.key != k {
		c = x.convs[x.key]
	}
	if c != nil && tc.SYN && !tc.ACK && c.haveISN[dir] && tc.Seq != c.isn[dir] {
		// A new SYN on a known 4-tuple starts a new conversation (port reuse).
		x.remove(c)
		c = nil
	}
	if c == nil {
		var old *tcpConv
		if len(x.convs) >= x.max && x.tail != nil {
			old = x.tail
			x.remove(old)
			forgot = true
		}
		if old == nil {
			old = new(tcpConv)
		}
		// The forgotten conversation's record is taken for the new one:
		// nothing else points to it.
		c = old
		*c = tcpConv{key: k, index: *x.next}
		*x.next++
		if !x.grown && len(x.convs) >= boundmap.At && x.max > boundmap.At {
			x.convs, x.grown = boundmap.Remake(x.convs, x.max), true
		}
		x.convs[x.key] = c
		x.pushFront(c)
	} else if c != x.head {
		x.unlink(c)
		x.pushFront(c)
	}
	if !c.haveISN[dir] {
		// The SYN's sequence number is relative 0; a conversation picked
		// up mid-way starts at relative 1, as tshark shows it.
		c.isn[dir], c.haveISN[dir] = tc.Seq, true
		if !tc.SYN {
			c.isn[dir] = tc.Seq - 1
		}
	}
	// Without the ACK flag tshark shows the raw number.
	sq = dissect.TCPSeq{Stream: c.index, Seq: tc.Seq - c.isn[dir], Ack: tc.Ack}
	if tc.ACK {
		// The other direction not seen yet: this ACK tells where it
		// is, and its next byte is relative 1.
		if o := 1 - dir; !c.haveISN[o] {
			c.isn[o], c.haveISN[o] = tc.Ack-1, true
		}
		sq.Ack = tc.Ack - c.isn[1-dir]
	}
	return sq, forgot
}

func (x *tcpIndex) remove(c *tcpConv) {
	x.unlink(c)
	delete(x.convs, c.key)
}

func (x *tcpIndex) unlink(c *tcpConv) {
	if c.prev != nil {
		c.prev.next = c.next
	} else if x.head == c {
		x.head = c.next
	}
	if c.next != nil {
		c.next.prev = c.prev
	} else if x.tail == c {
		x.tail = c.prev
	}
	c.prev, c.next = nil, nil
}

func (x *tcpIndex) pushFront(c *tcpConv) {
	c.next = x.head
	if x.head != nil {
		x.head.prev = c
	}
	x.head = c
	if x.tail == nil {
		x.tail = c
	}
}

// decodeTCPHeader decodes the TCP header at the start of data into tc as
// gopacket's TCP.DecodeFromBytes does, but for the options, which it
// leaves undecoded (nothing here reads Options, Padding or Multipath; it
// empties the first two and clears the third), and the unexported ports
// TransportFlow reads. It reports false, leaving tc for DecodeFromBytes,
// whose errors and truncation it then gives, when the header is short or
// its data offset out of range. gopacket's option loop (an append per
// option, an MPTCP parser) was half its cost, on every TCP segment.
func decodeTCPHeader(tc *layers.TCP, data []byte) bool {
	if len(data) < 20 {
		return false
	}
	off := int(data[12]>>4) * 4
	if off < 20 || off > len(data) {
		return false
	}
	tc.SrcPort = layers.TCPPort(binary.BigEndian.Uint16(data[0:2]))
	tc.DstPort = layers.TCPPort(binary.BigEndian.Uint16(data[2:4]))
	tc.Seq = binary.BigEndian.Uint32(data[4:8])
	tc.Ack = binary.BigEndian.Uint32(data[8:12])
	tc.DataOffset = data[12] >> 4
	fl := data[13]
	tc.FIN = fl&0x01 != 0
	tc.SYN = fl&0x02 != 0
	tc.RST = fl&0x04 != 0
	tc.PSH = fl&0x08 != 0
	tc.ACK = fl&0x10 != 0
	tc.URG = fl&0x20 != 0
	tc.ECE = fl&0x40 != 0
	tc.CWR = fl&0x80 != 0
	tc.NS = data[12]&0x01 != 0
	tc.Window = binary.BigEndian.Uint16(data[14:16])
	tc.Checksum = binary.BigEndian.Uint16(data[16:18])
	tc.Urgent = binary.BigEndian.Uint16(data[18:20])
	tc.Options = tc.Options[:0]
	tc.Padding = tc.Padding[:0]
	tc.Multipath = false
	tc.Contents = data[:off]
	tc.Payload = data[off:]
	return true
}
