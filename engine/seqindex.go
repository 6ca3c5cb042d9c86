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
// not: an engine that skips other traffic sees only some of them. It is
// ParseSeq then SeqOf.
func (x *SeqIndex) Seq(data []byte, lt layers.LinkType, ts time.Time) (uint32, bool) {
	s, ok := ParseSeq(data, lt)
	if !ok {
		return 0, false
	}
	return x.SeqOf(&s), true
}

// SeqSegment is what a SeqIndex reads of a TCP segment (ParseSeq): a
// reader can take it from the frame's bytes on one goroutine and hand it,
// without the bytes, to the SeqIndex on another.
type SeqSegment struct {
	key      seqKey
	seq, ack uint32
	shard    uint8
	dir      uint8 // 1: from key.b to key.a
	flags    uint8 // of the TCP header
}

// ParseSeq reads what SeqOf needs of a frame whose relative sequence
// number Seq gives, and false for any other frame.
func ParseSeq(data []byte, lt layers.LinkType) (SeqSegment, bool) {
	ip, ok, _ := linkIPv4(data, lt)
	if !ok || len(ip) < 20 || ip[0]>>4 != 4 || ip[9] != 6 {
		return SeqSegment{}, false
	}
	ihl := int(ip[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(ip[2:]))
	if ihl < 20 || total < ihl || len(ip) < ihl || binary.BigEndian.Uint16(ip[6:])&0x3fff != 0 {
		return SeqSegment{}, false
	}
	l4 := ip[ihl:min(total, len(ip))]
	if len(l4) < 20 {
		return SeqSegment{}, false
	}
	doff := int(l4[12]>>4) * 4
	if doff < 20 || doff > len(l4) || !tcpOptionsValid(l4[20:doff]) || nbtPort(l4) || tcpNBTPort(l4) {
		return SeqSegment{}, false
	}
	a, b := binary.BigEndian.Uint32(ip[12:]), binary.BigEndian.Uint32(ip[16:])
	sport, dport := binary.BigEndian.Uint16(l4), binary.BigEndian.Uint16(l4[2:])
	// Ordered as tcpKeyOf orders them: dir is 1 when the frame goes from b to a.
	var dir uint8
	if a > b || a == b && sport > dport {
		a, b, sport, dport, dir = b, a, dport, sport, 1
	}
	return SeqSegment{
		key: seqKey{a: a, b: b, ports: uint32(sport)<<16 | uint32(dport)},
		seq: binary.BigEndian.Uint32(l4[4:]), ack: binary.BigEndian.Uint32(l4[8:]),
		shard: uint8(shardOfIPv4(ip)), dir: dir, flags: l4[13],
	}, true
}

// SeqOf returns the relative sequence number of segment s (ParseSeq's):
// segments must be given in frame order, as to Seq.
func (x *SeqIndex) SeqOf(s *SeqSegment) uint32 {
	sh := &x.shards[s.shard]
	if sh.slots == nil {
		sh.init(x.max)
	}
	return sh.seq(s.key, int(s.dir), s.seq, s.ack, s.flags&0x02 != 0, s.flags&0x10 != 0)
}
