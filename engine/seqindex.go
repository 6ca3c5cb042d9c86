package engine

import (
	"encoding/binary"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// SeqIndex gives the relative TCP sequence number that an engine decoding
// every frame shows in the info column of a TCP segment it would skip
// (Skippable), without decoding it: its conversations are those of
// tcp.stream, one table per shard with the engine's bound (Config.
// MaxTCPStreams), the first sequence number of each direction kept.
// A reader that skips other traffic (the terminal UI's loader) keeps the
// number beside the frame and shows the info column of a decode of the
// frame alone with it (the rest of that column depends on the frame's
// bytes only).
//
// It follows the skipped segments only: an engine that also decodes NBT
// conversations in the same shard forgets its least recently seen
// conversation at other times once a shard holds more than its share of
// MaxTCPStreams; below that bound the numbers are the same.
type SeqIndex struct {
	shards [Shards]tcpIndex
	max    int
	next   int
}

// NewSeqIndex makes a SeqIndex with the bound of engines made with cfg.
func NewSeqIndex(cfg Config) *SeqIndex {
	if cfg.MaxTCPStreams <= 0 {
		cfg.MaxTCPStreams = DefaultConfig().MaxTCPStreams
	}
	return &SeqIndex{max: shareOf(cfg.MaxTCPStreams)}
}

// Seq returns the relative sequence number of a Skippable TCP segment
// captured at ts, and false for a frame that is no Skippable TCP segment
// (which it leaves alone).
func (x *SeqIndex) Seq(data []byte, lt layers.LinkType, ts time.Time) (uint32, bool) {
	if !Skippable(data, lt) {
		return 0, false
	}
	return x.SkippableSeq(data, lt, ts)
}

// SkippableSeq is Seq of a frame the caller found Skippable (it does not
// check again).
func (x *SeqIndex) SkippableSeq(data []byte, lt layers.LinkType, ts time.Time) (uint32, bool) {
	ip, _, _ := linkIPv4(data, lt)
	if ip[9] != 6 {
		return 0, false
	}
	l4 := ip[int(ip[0]&0x0f)*4:]
	var n dissect.Net
	copy(n.Src[:], ip[12:16])
	copy(n.Dst[:], ip[16:20])
	n.SrcPort, n.DstPort = binary.BigEndian.Uint16(l4), binary.BigEndian.Uint16(l4[2:])
	tc := layers.TCP{
		Seq: binary.BigEndian.Uint32(l4[4:]),
		Ack: binary.BigEndian.Uint32(l4[8:]),
		SYN: l4[13]&0x02 != 0,
		ACK: l4[13]&0x10 != 0,
	}
	sh := &x.shards[shardOfIPv4(ip)]
	if sh.convs == nil {
		sh.init(x.max, &x.next)
	}
	sq, _ := sh.lookup(&n, &tc, ts)
	return sq.Seq, true
}
