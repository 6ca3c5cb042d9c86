package engine

import (
	"encoding/binary"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// SeqIndex gives the relative TCP sequence number that an engine decoding
// every frame shows in the info column of a TCP segment of other traffic
// (on none of the NBT ports), without decoding it: its conversations are those of
// tcp.stream, one table per shard with the engine's bound (Config.
// MaxTCPStreams), the first sequence number of each direction kept
// (seqTable: tcpIndex's conversations in a table cheaper to look up).
// A reader that skips other traffic (the terminal UI's loader) keeps the
// number beside the frame and shows the info column of a decode of the
// frame alone with it (the rest of that column depends on the frame's
// bytes only).
//
// It follows the conversations of other traffic only: an engine that also
// decodes NBT conversations in the same shard forgets its least recently
// seen conversation at other times once a shard holds more than its share
// of MaxTCPStreams; below that bound the numbers are the same. Segments in
// IPv4 fragments or tunnels are not seen.
type SeqIndex struct {
	shards [Shards]seqTable
	max    int
}

// NewSeqIndex makes a SeqIndex with the bound of engines made with cfg.
func NewSeqIndex(cfg Config) *SeqIndex {
	if cfg.MaxTCPStreams <= 0 {
		cfg.MaxTCPStreams = DefaultConfig().MaxTCPStreams
	}
	return &SeqIndex{max: shareOf(cfg.MaxTCPStreams)}
}

// Seq returns the relative sequence number of a TCP segment on none of
// the NBT ports, in an unfragmented IPv4 datagram directly on a link the
// engine parses, whose TCP header was captured whole and decodes without
// an error (Skippable frames, and such segments cut short by the capture
// or carrying IP options), captured at ts; false for any other frame
// (which it leaves alone). Every such segment must be given, skipped or
// not: an engine that skips other traffic sees only some of them.
func (x *SeqIndex) Seq(data []byte, lt layers.LinkType, ts time.Time) (uint32, bool) {
	var seg SeqSegment
	if _, ok := SkipSegment(data, lt, &seg); ok {
		return x.SeqOf(&seg), true
	}
	return 0, false
}

// SeqSegment is what a SeqIndex reads of a TCP segment (SkipSegment) to
// give its relative sequence number (SeqOf): 24 bytes.
type SeqSegment struct {
	key      seqKey
	seq, ack uint32
	dir      uint8
	flags    uint8 // the TCP header's
}

// SkipSegment is Skippable(data, lt) and whether the frame is a segment
// Seq gives a number for (hasSeq), in one parse of the frame's headers
// (the second parse cost the UI's loader some 6 ns a frame), the segment
// read into seg for SeqOf to number later, in frame order (the loader
// reads on one goroutine and numbers on another).
func SkipSegment(data []byte, lt layers.LinkType, seg *SeqSegment) (skip, hasSeq bool) {
	ip, ok, _ := linkIPv4(data, lt)
	if !ok || len(ip) < 20 || ip[0]>>4 != 4 {
		return false, false
	}
	ihl := int(ip[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(ip[2:]))
	if ihl < 20 || total < ihl || len(ip) < ihl || binary.BigEndian.Uint16(ip[6:])&0x3fff != 0 {
		return false, false
	}
	whole := total <= len(ip) // Skippable: the whole datagram captured
	switch ip[9] {
	case 17: // UDP: skippable or not, no sequence number
		if !whole {
			return false, false
		}
		l4 := ip[ihl:total]
		if len(l4) < 8 {
			return false, false
		}
		if ulen := int(binary.BigEndian.Uint16(l4[4:])); ulen < 8 || ulen > len(l4) {
			return false, false
		}
		return !nbtPort(l4), false
	case 6:
	default:
		return false, false
	}
	l4 := ip[ihl:min(total, len(ip))]
	if len(l4) < 20 {
		return false, false
	}
	doff := int(l4[12]>>4) * 4
	if doff < 20 || doff > len(l4) || !tcpOptionsValid(l4[20:doff]) || nbtPort(l4) || tcpNBTPort(l4) {
		return false, false
	}
	a, b := binary.BigEndian.Uint32(ip[12:]), binary.BigEndian.Uint32(ip[16:])
	sport, dport := binary.BigEndian.Uint16(l4), binary.BigEndian.Uint16(l4[2:])
	// Ordered as tcpKeyOf orders them: dir is 1 when the frame goes from b to a.
	var dir uint8
	if a > b || a == b && sport > dport {
		a, b, sport, dport, dir = b, a, dport, sport, 1
	}
	// Field by field: a composite literal is built on the stack and
	// copied, its 16-byte loads stalling on the stores just made.
	seg.key.a, seg.key.b, seg.key.ports = a, b, uint32(sport)<<16|uint32(dport)
	seg.seq, seg.ack = binary.BigEndian.Uint32(l4[4:]), binary.BigEndian.Uint32(l4[8:])
	seg.dir, seg.flags = dir, l4[13]
	return whole, true
}

// SeqOf is the relative sequence number of the segment seg (SkipSegment
// read it): segments must come to SeqOf in frame order, all of them.
func (x *SeqIndex) SeqOf(seg *SeqSegment) uint32 {
	sh := &x.shards[shardOfPair(seg.key.a, seg.key.b)]
	if sh.slots == nil {
		sh.init(x.max)
	}
	return sh.seq(seg.key, int(seg.dir), seg.seq, seg.ack, seg.flags&0x02 != 0, seg.flags&0x10 != 0)
}
