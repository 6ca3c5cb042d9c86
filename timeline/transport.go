package timeline

import (
	"encoding/hex"
	"net/netip"
	"strconv"
)

// Transports. Windows binds NetBIOS to TCP/IP (NBT), NetBEUI and NWLink
// (IPX) at once, and each binding is a LAN of its own: its own election,
// its own local master, its own Browse List (the browser draft and
// Hertel, Implementing CIFS, "Prolific Protocol Bindings"). The tracker
// keeps them apart by segment: a NetBEUI or IPX frame belongs to the
// segment "LABEL/NetBEUI" or "LABEL/IPX" of its capture source, next to
// the NBT segments "LABEL/BROADCAST" (doc.go, "Where things happen").
//
// A NetBEUI or IPX sender has no IP address: it is its NetBIOS name and
// its node address on the transport, the MAC address (NetBEUI) or the
// IPX network and node. So that the tables that key hosts by address keep
// working, a node address is carried in a netip.Addr outside the IPv4
// world the rest of the tracker lives in: the IPv6 address
// 100:TT00:NNNN:NNNN:0:MMMM:MMMM:MMMM (TT the transport, N the IPX
// network, M the node). It never reaches the output as such: AppendAddr
// writes it as tshark does ("00:0c:29:31:0d:01", "00000000.000c29310d01").
// Every broadcast of a NetBEUI or IPX segment is heard by every host on
// it: there is no subnet there.

// Transport is the NetBIOS transport a message came over.
type Transport uint8

const (
	TransportNBT     Transport = iota // NetBIOS over TCP/IP (RFC 1001/1002): UDP 137/138, TCP 139
	TransportNetBEUI                  // NetBIOS Frames over IEEE 802.2 LLC (SAP 0xF0)
	TransportIPX                      // NetBIOS over IPX: NBIPX (socket 0x0455) and NMPI mailslots (0x0553)
)

func (t Transport) String() string {
	switch t {
	case TransportNBT:
		return "NBT"
	case TransportNetBEUI:
		return "NetBEUI"
	case TransportIPX:
		return "IPX"
	}
	return "transport " + strconv.Itoa(int(t))
}

// nodeMark is the first byte of a node address (see above).
const nodeMark = 0x01

// NodeAddr is the address of a NetBEUI or IPX sender (its MAC address, or
// its IPX network and node) as the tracker keeps it. The zero Addr for
// TransportNBT.
func NodeAddr(tr Transport, network uint32, node [6]byte) netip.Addr {
	if tr == TransportNBT {
		return netip.Addr{}
	}
	var b [16]byte
	b[0], b[2] = nodeMark, byte(tr)
	b[4], b[5], b[6], b[7] = byte(network>>24), byte(network>>16), byte(network>>8), byte(network)
	copy(b[10:], node[:])
	return netip.AddrFrom16(b)
}

// AddrTransport is the transport of an address: NBT for an IP address,
// NetBEUI or IPX for a node address made by NodeAddr.
func AddrTransport(a netip.Addr) Transport {
	if !a.Is6() {
		return TransportNBT
	}
	b := a.As16()
	if b[0] != nodeMark || b[1] != 0 || b[3] != 0 || b[8] != 0 || b[9] != 0 {
		return TransportNBT
	}
	switch tr := Transport(b[2]); tr {
	case TransportNetBEUI, TransportIPX:
		return tr
	}
	return TransportNBT
}

// nodeBroadcast is the address every host of a NetBEUI or IPX segment
// listens to: the place of an election there (place.aud) and the key of
// the segment's name.
func nodeBroadcast(tr Transport) netip.Addr {
	return NodeAddr(tr, 0, [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
}

// isNodeBroadcast reports the broadcast address of a NetBEUI or IPX segment.
func isNodeBroadcast(a netip.Addr) bool {
	tr := AddrTransport(a)
	return tr != TransportNBT && a == nodeBroadcast(tr)
}

// isBroadcastDst reports any broadcast destination: x.x.x.255,
// 255.255.255.255, or a NetBEUI or IPX segment's.
func isBroadcastDst(a netip.Addr) bool {
	return isDirectedBroadcast(a) || isLimitedBroadcast(a) || isNodeBroadcast(a)
}

// AppendAddr appends a as the output shows it: an IP address as
// netip.Addr does, a NetBEUI node as its MAC address
// ("00:0c:29:31:0d:01"), an IPX node as network.node
// ("00000000.000c29310d01", tshark's ipx.src), a segment's broadcast as
// "NetBEUI broadcast" or "IPX broadcast".
func AppendAddr(b []byte, a netip.Addr) []byte {
	tr := AddrTransport(a)
	if tr == TransportNBT {
		return a.AppendTo(b)
	}
	if a == nodeBroadcast(tr) {
		return append(append(b, tr.String()...), " broadcast"...)
	}
	x := a.As16()
	if tr == TransportIPX {
		b = hex.AppendEncode(b, x[4:8])
		b = append(b, '.')
		return hex.AppendEncode(b, x[10:16])
	}
	for i, c := range x[10:16] {
		if i > 0 {
			b = append(b, ':')
		}
		b = hex.AppendEncode(b, []byte{c})
	}
	return b
}

// ParseNodeAddr reads a node address as AppendAddr writes it (the
// inverse for a host, not a broadcast): a NetBEUI node's MAC address
// ("00:0c:29:31:0d:01") or an IPX network.node ("00000000.000c29310d01"),
// hex digits of either case. ok is false for anything else.
func ParseNodeAddr(s string) (a netip.Addr, ok bool) {
	var node [6]byte
	switch {
	case len(s) == 17:
		for i := range node {
			if i > 0 && s[3*i-1] != ':' {
				return netip.Addr{}, false
			}
			if _, err := hex.Decode(node[i:i+1], []byte(s[3*i:3*i+2])); err != nil {
				return netip.Addr{}, false
			}
		}
		return NodeAddr(TransportNetBEUI, 0, node), true
	case len(s) == 21 && s[8] == '.':
		var net [4]byte
		if _, err := hex.Decode(net[:], []byte(s[:8])); err != nil {
			return netip.Addr{}, false
		}
		if _, err := hex.Decode(node[:], []byte(s[9:])); err != nil {
			return netip.Addr{}, false
		}
		return NodeAddr(TransportIPX, uint32(net[0])<<24|uint32(net[1])<<16|uint32(net[2])<<8|uint32(net[3]), node), true
	}
	return netip.Addr{}, false
}

// AddrString is AppendAddr as a string.
func AddrString(a netip.Addr) string {
	if AddrTransport(a) == TransportNBT {
		return a.String()
	}
	return string(AppendAddr(nil, a))
}
