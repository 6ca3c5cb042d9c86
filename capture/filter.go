package capture

import (
	"fmt"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// nbtIPv4 is the tcpdump expression for NetBIOS over TCP/IP on IPv4: name
// service (UDP 137), datagram service (UDP 138), session service (TCP 139),
// and SMB direct (TCP 445). Non-first fragments of UDP datagrams carry no
// ports; they are passed so that IPv4 reassembly can rebuild NBT datagrams
// (browser announcements over 1500 bytes are fragmented). Non-first TCP
// fragments are dropped: TCP segments are not fragmented in practice.
// "ip" alone does not look at the version nibble on Ethernet (it trusts
// the EtherType); the explicit test drops frames with a bogus version
// there too, as the decoders would.
const nbtIPv4 = "ip and ip[0] & 0xf0 = 0x40 and (udp port 137 or udp port 138" +
	" or tcp port 139 or tcp port 445 or (udp and ip[6:2] & 0x1fff != 0))"

// NBTFilter is the tcpdump expression the pure-Go backend runs in the
// kernel for Ethernet interfaces, and the libpcap backend's default:
// nbtIPv4, untagged or behind one 802.1Q tag.
const NBTFilter = "(" + nbtIPv4 + ") or (vlan and (" + nbtIPv4 + "))"

// Link header lengths the program knows.
const (
	ethernetHeader = 14
	dot1QHeader    = 18 // Ethernet with one 802.1Q tag
	rawIPHeader    = 0
)

// nbtProgram returns the classic BPF program equivalent to
// defaultFilter(lt) (live_pcap.go), accepting snaplen bytes of a matching frame. It knows
// Ethernet (with or without one 802.1Q tag) and raw IPv4.
func nbtProgram(lt layers.LinkType, snaplen uint32) ([]bpf.Instruction, error) {
	switch lt {
	case layers.LinkTypeEthernet:
		return ethernetProgram(snaplen), nil
	case layers.LinkTypeRaw, layers.LinkTypeIPv4:
		return ipv4Block(rawIPHeader, snaplen), nil
	}
	return nil, fmt.Errorf("no NetBIOS filter program for link type %s", lt)
}

// ethernetProgram dispatches on the EtherType to the IPv4 block, behind
// zero or one 802.1Q tag. As tcpdump -d would list it, with L the link
// header length of each block (14, then 18):
//
//	(000) ldh  [12]                     EtherType
//	(001) jeq  #0x800    jt 2    jf 28
//	(002) ...  ipv4Block(14), 26 instructions, ends in ret
//	(028) jeq  #0x8100   jt 29   jf 57  A still holds the EtherType
//	(029) ldh  [16]                     EtherType behind the tag
//	(030) jeq  #0x800    jt 31   jf 57
//	(031) ...  ipv4Block(18), 26 instructions, ends in ret
//	(057) ret  #0
//
// A tag the kernel stripped (VLAN offload) is not in the frame the program
// sees, so such frames take the untagged path.
func ethernetProgram(snaplen uint32) []bpf.Instruction {
	untagged := ipv4Block(ethernetHeader, snaplen)
	tagged := ipv4Block(dot1QHeader, snaplen)
	p := []bpf.Instruction{
		/* 000 */ bpf.LoadAbsolute{Off: 12, Size: 2},
		/* 001 */ jeq(1, 0x0800, 2, 28),
	}
	p = append(p, untagged...) // 002..027
	p = append(p,
		/* 028 */ jeq(28, 0x8100, 29, 57),
		/* 029 */ bpf.LoadAbsolute{Off: 16, Size: 2},
		/* 030 */ jeq(30, 0x0800, 31, 57),
	)
	p = append(p, tagged...) // 031..056
	return append(p /* 057 */, bpf.RetConstant{Val: 0})
}

// ipv4Block accepts the IPv4 packets of nbtIPv4 that start at offset l,
// returning snaplen, and rejects the rest, returning 0:
//
//	(00) ldb  [l]                       version and header length
//	(01) and  #0xf0
//	(02) jeq  #0x40     jt 3   jf 25    IPv4
//	(03) ldb  [l+9]                     protocol
//	(04) jeq  #17       jt 6   jf 5     UDP
//	(05) jeq  #6        jt 15  jf 25    TCP
//	(06) ldh  [l+6]                     flags, fragment offset
//	(07) jset #0x1fff   jt 24  jf 8     non-first UDP fragment: accept
//	(08) ldxb 4*([l]&0xf)               X = IP header length
//	(09) ldh  [x+l]                     source port
//	(10) jeq  #137      jt 24  jf 11
//	(11) jeq  #138      jt 24  jf 12
//	(12) ldh  [x+l+2]                   destination port
//	(13) jeq  #137      jt 24  jf 14
//	(14) jeq  #138      jt 24  jf 25
//	(15) ldh  [l+6]
//	(16) jset #0x1fff   jt 25  jf 17    non-first TCP fragment: reject
//	(17) ldxb 4*([l]&0xf)
//	(18) ldh  [x+l]                     source port
//	(19) jeq  #139      jt 24  jf 20
//	(20) jeq  #445      jt 24  jf 21
//	(21) ldh  [x+l+2]                   destination port
//	(22) jeq  #139      jt 24  jf 23
//	(23) jeq  #445      jt 24  jf 25
//	(24) ret  #snaplen
//	(25) ret  #0
//
// A load past the end of the frame rejects it, in the kernel and in
// bpf.VM alike.
func ipv4Block(l, snaplen uint32) []bpf.Instruction {
	return []bpf.Instruction{
		/* 00 */ bpf.LoadAbsolute{Off: l, Size: 1},
		/* 01 */ bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: 0xf0},
		/* 02 */ jeq(2, 0x40, 3, 25),
		/* 03 */ bpf.LoadAbsolute{Off: l + 9, Size: 1},
		/* 04 */ jeq(4, 17, 6, 5),
		/* 05 */ jeq(5, 6, 15, 25),
		/* 06 */ bpf.LoadAbsolute{Off: l + 6, Size: 2},
		/* 07 */ jset(7, 0x1fff, 24, 8),
		/* 08 */ bpf.LoadMemShift{Off: l},
		/* 09 */ bpf.LoadIndirect{Off: l, Size: 2},
		/* 10 */ jeq(10, 137, 24, 11),
		/* 11 */ jeq(11, 138, 24, 12),
		/* 12 */ bpf.LoadIndirect{Off: l + 2, Size: 2},
		/* 13 */ jeq(13, 137, 24, 14),
		/* 14 */ jeq(14, 138, 24, 25),
		/* 15 */ bpf.LoadAbsolute{Off: l + 6, Size: 2},
		/* 16 */ jset(16, 0x1fff, 25, 17),
		/* 17 */ bpf.LoadMemShift{Off: l},
		/* 18 */ bpf.LoadIndirect{Off: l, Size: 2},
		/* 19 */ jeq(19, 139, 24, 20),
		/* 20 */ jeq(20, 445, 24, 21),
		/* 21 */ bpf.LoadIndirect{Off: l + 2, Size: 2},
		/* 22 */ jeq(22, 139, 24, 23),
		/* 23 */ jeq(23, 445, 24, 25),
		/* 24 */ bpf.RetConstant{Val: snaplen},
		/* 25 */ bpf.RetConstant{Val: 0},
	}
}

// jeq is the instruction at index at that jumps to index jt if A == val,
// else to jf, in the block it is written in: listings keep absolute
// targets, the instruction wants relative skips.
func jeq(at int, val uint32, jt, jf int) bpf.JumpIf {
	return bpf.JumpIf{Cond: bpf.JumpEqual, Val: val, SkipTrue: skip(at, jt), SkipFalse: skip(at, jf)}
}

// jset jumps to jt if A & mask != 0, else to jf.
func jset(at int, mask uint32, jt, jf int) bpf.JumpIf {
	return bpf.JumpIf{Cond: bpf.JumpBitsSet, Val: mask, SkipTrue: skip(at, jt), SkipFalse: skip(at, jf)}
}

func skip(at, to int) uint8 { return uint8(to - at - 1) }
