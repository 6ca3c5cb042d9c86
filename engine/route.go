package engine

import (
	"encoding/binary"

	"github.com/gopacket/gopacket/layers"
)

// Several engines can share one capture (Engine.DecodeNth) when each frame
// that depends on the frames before it goes to the one engine that sees
// its whole flow, in order. Classify tells the frames apart; ShardOf says
// which engine may take an ordered frame's TCP state.

// FrameClass says which engines may decode a frame.
type FrameClass uint8

const (
	// ClassOrdered: the frame may depend on, or leave state for, other frames
	// (TCP streams, IPv4 fragments, tunnels, anything not recognised): one
	// engine must decode all of them, in order, or, for TCP state, all of
	// each shard (ShardOf).
	ClassOrdered FrameClass = iota
	// ClassStateless: an unfragmented IPv4 UDP datagram to or from port 137.
	// NBNS keeps no state between messages (RFC 1002 §4.2): any engine.
	ClassStateless
	// ClassDatagram: an unfragmented IPv4 UDP datagram to or from port 138
	// whose NBT datagram header says it is whole (RFC 1001 §17.1.3: F set,
	// M clear, offset 0), or is no direct/broadcast datagram at all. The
	// only state of the datagram service is fragments waiting for the rest
	// of their datagram: while no engine holds any, any engine.
	ClassDatagram
)

// Classify returns the class of a frame, and whether it may carry an NBT
// datagram fragment that Classify cannot see (an IPv4 fragment, a tunnel,
// a link it does not parse) or does see (a fragmented NBT datagram). From
// the first such frame on, ClassDatagram frames must go where ClassOrdered frames go:
// that engine may then hold fragments, and expires them as datagrams come.
// Ethernet (up to two VLAN tags), Linux SLL and SLL2, raw IPv4 and BSD
// null are parsed.
func Classify(data []byte, lt layers.LinkType) (c FrameClass, mayFragment bool) {
	c, mayFragment, _ = Route(data, lt)
	return c, mayFragment
}

// Route is Classify and ShardOf in one pass over the headers: what a
// reader dispatching frames to engines asks of every frame.
func Route(data []byte, lt layers.LinkType) (c FrameClass, mayFragment bool, shard int) {
	ip, ok, may := linkIPv4(data, lt)
	return routeIPv4(ip, ok, may)
}

// SkipOrRoute is, with test, n.Skippable(data, lt), and for a frame that
// is not skippable (or without test) Route: one pass over the link
// header, where a reader that asks both of every frame made two (the
// first half of a --report run's own headers parse, which the engine
// makes again). A skippable frame's class and shard are not worked out.
// Of an Ethernet frame whose tags (at most two) are 802.1Q and whose IPv4
// header is the usual one (version 4, 20 bytes, within the frame) it also
// reports where that header starts (ipOff: 14, 18 or 22; else 0): what
// Engine.DecodeRouted is given, so that the engine does not parse the
// link headers again.
func (n *Needs) SkipOrRoute(data []byte, lt layers.LinkType, test bool) (skip bool, c FrameClass, mayFragment bool, shard, ipOff int) {
	if lt == layers.LinkTypeEthernet {
		if skip, c, mayFragment, shard, ipOff, done := skipOrRouteEthernet(data, test, !n.set || n.sessions); done {
			return skip, c, mayFragment, shard, ipOff
		}
	}
	ip, ok, may := linkIPv4(data, lt)
	if test && skippableIPv4(ip, ok, !n.set || n.sessions) {
		return true, ClassOrdered, false, 0, 0
	}
	c, mayFragment, shard = routeIPv4(ip, ok, may)
	return false, c, mayFragment, shard, 0
}

// skipOrRouteEthernet is SkipOrRoute of an Ethernet frame (with up to two
// 802.1Q tags) that carries the usual IPv4 header (version 4, no options),
// with done set: the link header parsed in place and the IPv4 header's
// checks made once, then decideIPv4, where linkIPv4, skippableIPv4 and
// routeIPv4 each made their own tests of the version, the length and the
// fragment fields (the reader asks them of every frame). Of any other
// frame it reports nothing (done false). sessions is skippableIPv4's.
// ipOff is the IPv4 header's offset.
func skipOrRouteEthernet(data []byte, test, sessions bool) (skip bool, c FrameClass, mayFragment bool, shard, ipOff int, done bool) {
	if len(data) < 14 {
		return
	}
	be := binary.BigEndian
	et, off := be.Uint16(data[12:]), 14
	for tags := 0; et == 0x8100; tags++ {
		if tags == 2 || len(data) < off+4 {
			return
		}
		et, off = be.Uint16(data[off+2:]), off+4
	}
	// An 802.1ad tag (0x88a8) is left to linkIPv4: the engine's
	// decodeEthernetIPv4 takes no other tag than 802.1Q.
	if et != 0x0800 || len(data) < off+20 || data[off] != 0x45 {
		return
	}
	skip, c, mayFragment, shard = decideIPv4(data[off:], 20, test, sessions)
	return skip, c, mayFragment, shard, off, true
}

// decideIPv4 is SkipOrRoute's answer for an IPv4 header of version 4
// whose length ihl (at least 20) lies within ip: with test, whether the
// packet is skippable (unfragmented TCP or UDP within its total length,
// on no NBT port, with a header the engine decodes; sessions is
// skippableIPv4's), and of one that is not, its class, whether it may
// carry a fragment, and its shard (TCP's, fragment or not). The Ethernet
// pass, routeIPv4 and skippableIPv4 each check the header, then ask it.
func decideIPv4(ip []byte, ihl int, test, sessions bool) (skip bool, c FrameClass, mayFragment bool, shard int) {
	be := binary.BigEndian
	fragment := be.Uint16(ip[6:])&0x3fff != 0 // MF flag or a fragment offset
	proto := ip[9]
	if total := int(be.Uint16(ip[2:])); test && !fragment && total >= ihl && total <= len(ip) {
		l4 := ip[ihl:total]
		switch {
		// TCP: the ports first: a segment of the NBT ports is not
		// skippable whatever its options (the NBT-dense mix: every TCP
		// frame), and they are not walked.
		case proto == 6 && len(l4) >= 20 && !nbtPort(l4) && !(sessions && tcpNBTPort(l4)):
			if doff := int(l4[12]>>4) * 4; doff >= 20 && doff <= len(l4) && tcpOptionsValid(l4[20:doff]) {
				return true, ClassOrdered, false, 0
			}
		case proto == 17 && len(l4) >= 8 && !nbtPort(l4):
			if ulen := int(be.Uint16(l4[4:])); ulen >= 8 && ulen <= len(l4) {
				return true, ClassOrdered, false, 0
			}
		}
	}
	switch proto {
	case 6: // TCP: the shard of its address pair, fragment or not
		a, b := be.Uint32(ip[12:]), be.Uint32(ip[16:])
		if a > b {
			a, b = b, a
		}
		return false, ClassOrdered, fragment, shardOfPair(a, b)
	case 17: // UDP
		if fragment || len(ip) < ihl+8 {
			return false, ClassOrdered, true, 0
		}
	default: // GRE (ERSPAN) and others may tunnel anything
		return false, ClassOrdered, true, 0
	}
	sp, dp := be.Uint16(ip[ihl:]), be.Uint16(ip[ihl+2:])
	switch {
	case sp == 137 || dp == 137: // the engine's order: NBNS first
		return false, ClassStateless, false, 0
	case sp == 138 || dp == 138:
		if dgmFragment(ip[ihl+8:]) {
			return false, ClassOrdered, true, 0
		}
		return false, ClassDatagram, false, 0
	}
	return false, ClassOrdered, false, 0 // other UDP: shown as data
}

// routeIPv4 is Route of a frame whose link header linkIPv4 parsed (ip,
// ok, may: its results).
func routeIPv4(ip []byte, ok, may bool) (c FrameClass, mayFragment bool, shard int) {
	if !ok {
		return ClassOrdered, may, 0
	}
	if len(ip) < 20 || ip[0]>>4 != 4 {
		return ClassOrdered, true, 0
	}
	ihl := int(ip[0]&0x0f) * 4
	if ihl < 20 || len(ip) < ihl {
		return ClassOrdered, true, shardOfIPv4(ip)
	}
	_, c, mayFragment, shard = decideIPv4(ip, ihl, false, false)
	return c, mayFragment, shard
}

// linkIPv4 returns what follows the link header of a frame when the link
// says IPv4 comes next (Ethernet with up to two VLAN tags, Linux SLL and
// SLL2, raw IPv4, BSD null), with ok set; else whether the frame may still
// carry IPv4 that it does not parse (an unknown link type, more tags).
func linkIPv4(data []byte, lt layers.LinkType) (ip []byte, ok, mayCarry bool) {
	switch lt {
	case layers.LinkTypeEthernet:
		if len(data) < 14 {
			return nil, false, false // the engine decodes no IP from it
		}
		et, off := binary.BigEndian.Uint16(data[12:]), 14
		for tags := 0; et == 0x8100 || et == 0x88a8; tags++ {
			if tags == 2 || len(data) < off+4 {
				return nil, false, true
			}
			et, off = binary.BigEndian.Uint16(data[off+2:]), off+4
		}
		if et != 0x0800 {
			return nil, false, false // the engine decodes only IPv4
		}
		return data[off:], true, false
	case layers.LinkTypeLinuxSLL:
		if len(data) < 16 || binary.BigEndian.Uint16(data[14:]) != 0x0800 {
			return nil, false, true
		}
		return data[16:], true, false
	case layers.LinkTypeLinuxSLL2:
		if len(data) < 20 || binary.BigEndian.Uint16(data[0:]) != 0x0800 {
			return nil, false, true
		}
		return data[20:], true, false
	case layers.LinkTypeRaw, layers.LinkTypeIPv4, 12, 14:
		return data, true, false
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		if len(data) < 4 || (binary.LittleEndian.Uint32(data) != 2 && binary.BigEndian.Uint32(data) != 2) {
			return nil, false, true
		}
		return data[4:], true, false
	}
	return nil, false, true
}

// TCP state (connections, SMB transactions, tree connects, RAP requests
// awaiting their reply, tcp.stream's conversations) is kept in Shards
// independent shards. A frame's shard depends only on its own bytes
// (ShardOf): the address pair of its outermost IPv4 header when that
// header carries TCP (a segment or a fragment of one), else shard 0, which
// takes everything else (TCP inside tunnels, and anything ShardOf does not
// parse). Each shard applies its timeouts by the capture time of its own
// frames and has its share of the limits, so what a shard decodes does not
// depend on the frames of other shards. Several engines can so share a
// capture's TCP traffic, each taking whole shards (Engine.DecodeNth), and
// print what one engine prints, with one exception: tcp.stream numbers
// conversations across shards, so only an engine that sees every shard
// numbers them as tshark does.
const (
	addressShards = 8
	Shards        = 1 + addressShards
)

// ShardOf returns the shard of the TCP state a frame may touch (see
// Shards): 1 + a hash of its outermost IPv4 address pair, the same both
// ways, when that header carries TCP; else 0.
func ShardOf(data []byte, lt layers.LinkType) int {
	ip, _, _ := linkIPv4(data, lt)
	return shardOfIPv4(ip)
}

// shardOfIPv4 is ShardOf of the frame whose outermost IPv4 header starts ip.
func shardOfIPv4(ip []byte) int {
	if len(ip) < 20 || ip[0]>>4 != 4 || ip[9] != 6 {
		return 0
	}
	a, b := binary.BigEndian.Uint32(ip[12:]), binary.BigEndian.Uint32(ip[16:])
	if a > b {
		a, b = b, a
	}
	return shardOfPair(a, b)
}

// shardOfPair is the shard of the TCP state of the IPv4 address pair a,
// b, ordered (a <= b).
func shardOfPair(a, b uint32) int {
	// A 64-bit mix (splitmix64's finaliser) of the ordered pair.
	h := uint64(a)<<32 | uint64(b)
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return 1 + int(h%addressShards)
}

// dgmFragment reports whether an NBT datagram header says its datagram is
// in fragments (RFC 1002 §4.4.1: MSG_TYPE, FLAGS, ..., PACKET_OFFSET at 12).
// A header too short to tell is no fragment: the engine stops at it.
func dgmFragment(d []byte) bool {
	if len(d) < 14 || d[0] < 0x10 || d[0] > 0x12 {
		return false
	}
	flags := d[1]
	return flags&0x01 != 0 || flags&0x02 == 0 || binary.BigEndian.Uint16(d[12:]) != 0
}

// Skippable reports, from the raw bytes alone, whether a frame is an
// unfragmented IPv4 TCP segment or UDP datagram on none of the NBT ports
// (137, 138, 139, 445), directly on a link linkIPv4 parses, whose IPv4,
// TCP (options included) and UDP headers the engine decodes without an
// error: what the engine makes of such a frame is its link, IP and
// transport layers and a data payload, and nothing the timeline, NBT
// fields or the NBT layers read (Needs.SkipOther). Tunnels (GRE), other IP
// protocols, fragments, and anything it is not sure of are not skippable.
func Skippable(data []byte, lt layers.LinkType) bool { return skippable(data, lt, true) }

// skippable is Skippable; without sessions, a TCP segment on port 139 or
// 445 is skippable too (Needs.sessions: nothing read comes of the NBT
// sessions).
func skippable(data []byte, lt layers.LinkType, sessions bool) bool {
	ip, ok, _ := linkIPv4(data, lt)
	return skippableIPv4(ip, ok, sessions)
}

// skippableIPv4 is skippable of a frame whose link header linkIPv4
// parsed (ip, ok: its results).
func skippableIPv4(ip []byte, ok, sessions bool) bool {
	if !ok || len(ip) < 20 || ip[0]>>4 != 4 {
		return false
	}
	ihl := int(ip[0]&0x0f) * 4
	if ihl < 20 || len(ip) < ihl {
		return false
	}
	skip, _, _, _ := decideIPv4(ip, ihl, true, sessions)
	return skip
}

// nbtPort: either port of a TCP or UDP header is 137 or 138.
func nbtPort(l4 []byte) bool {
	sp, dp := binary.BigEndian.Uint16(l4), binary.BigEndian.Uint16(l4[2:])
	return sp == 137 || dp == 137 || sp == 138 || dp == 138
}

// tcpNBTPort: either port of a TCP header is 139 or 445.
func tcpNBTPort(l4 []byte) bool {
	sp, dp := binary.BigEndian.Uint16(l4), binary.BigEndian.Uint16(l4[2:])
	return sp == 139 || dp == 139 || sp == 445 || dp == 445
}

// tcpOptionsValid reports whether gopacket decodes the TCP options opts
// without an error (layers.TCP.DecodeFromBytes: after an end of list the
// rest is padding; a no-op is one byte; any other option has a length of
// at least 2 that fits).
func tcpOptionsValid(opts []byte) bool {
	for len(opts) > 0 {
		switch opts[0] {
		case 0: // end of list
			return true
		case 1: // no-op
			opts = opts[1:]
		default:
			if len(opts) < 2 {
				return false
			}
			n := int(opts[1])
			if n < 2 || n > len(opts) {
				return false
			}
			opts = opts[n:]
		}
	}
	return true
}
