package reassembly

import (
	"encoding/binary"

	"github.com/gopacket/gopacket/layers"
)

// Stateless reports whether a frame can be decoded by any engine, without
// the state the frames before it left: an unfragmented IPv4 UDP datagram
// to or from port 137 (NBNS keeps no state between messages, RFC 1002
// §4.2), reached through Ethernet with up to two VLAN tags, Linux SLL or
// SLL2, raw IPv4 or BSD null. Everything else (TCP streams, NBT datagram
// fragments, IPv4 fragments, tunnels) needs one engine that sees every
// frame of its flow in order. With DecodeNth, a capture can be spread over
// several engines: the stateless frames anywhere, the others all on one.
// A frame it cannot parse is not stateless.
func Stateless(data []byte, lt layers.LinkType) bool {
	var ip []byte
	switch lt {
	case layers.LinkTypeEthernet:
		if len(data) < 14 {
			return false
		}
		et, off := binary.BigEndian.Uint16(data[12:]), 14
		for tags := 0; (et == 0x8100 || et == 0x88a8) && tags < 2; tags++ {
			if len(data) < off+4 {
				return false
			}
			et, off = binary.BigEndian.Uint16(data[off+2:]), off+4
		}
		if et != 0x0800 {
			return false
		}
		ip = data[off:]
	case layers.LinkTypeLinuxSLL:
		if len(data) < 16 || binary.BigEndian.Uint16(data[14:]) != 0x0800 {
			return false
		}
		ip = data[16:]
	case layers.LinkTypeLinuxSLL2:
		if len(data) < 20 || binary.BigEndian.Uint16(data[0:]) != 0x0800 {
			return false
		}
		ip = data[20:]
	case layers.LinkTypeRaw, layers.LinkTypeIPv4, 12, 14:
		ip = data
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		if len(data) < 4 || (binary.LittleEndian.Uint32(data) != 2 && binary.BigEndian.Uint32(data) != 2) {
			return false
		}
		ip = data[4:]
	default:
		return false
	}
	if len(ip) < 20 || ip[0]>>4 != 4 || ip[9] != 17 {
		return false
	}
	ihl := int(ip[0]&0x0f) * 4
	if ihl < 20 || len(ip) < ihl+8 {
		return false
	}
	if binary.BigEndian.Uint16(ip[6:])&0x3fff != 0 { // MF flag or a fragment offset
		return false
	}
	sp, dp := binary.BigEndian.Uint16(ip[ihl:]), binary.BigEndian.Uint16(ip[ihl+2:])
	return sp == 137 || dp == 137
}
