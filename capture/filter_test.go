package capture

import (
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"

	"github.com/nbtsniff/nbtsniff/internal/specframes"
)

// nbtReference decides, with gopacket's decoders instead of BPF, whether
// a frame is one the live filter must pass: IPv4 right behind the link
// header (Ethernet with at most one 802.1Q tag, or raw IP) carrying UDP
// 137/138 or TCP 139/445 in either direction, or a non-first UDP fragment.
func nbtReference(data []byte, lt layers.LinkType) bool {
	pkt := gopacket.NewPacket(data, lt, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	ls := pkt.Layers()
	i := 0
	if lt == layers.LinkTypeEthernet {
		if len(ls) < 1 || ls[0].LayerType() != layers.LayerTypeEthernet {
			return false
		}
		i = 1
		if len(ls) > i && ls[i].LayerType() == layers.LayerTypeDot1Q {
			i++
		}
	}
	if len(ls) <= i || ls[i].LayerType() != layers.LayerTypeIPv4 {
		return false
	}
	ip := ls[i].(*layers.IPv4)
	if ip.FragOffset != 0 {
		return ip.Protocol == layers.IPProtocolUDP
	}
	if len(ls) <= i+1 {
		return false
	}
	switch l4 := ls[i+1].(type) {
	case *layers.UDP:
		return nbtPort(uint16(l4.SrcPort), 137, 138) || nbtPort(uint16(l4.DstPort), 137, 138)
	case *layers.TCP:
		return nbtPort(uint16(l4.SrcPort), 139, 445) || nbtPort(uint16(l4.DstPort), 139, 445)
	}
	return false
}

func nbtPort(p uint16, a, b uint16) bool { return p == a || p == b }

// TestNBTProgram runs the in-kernel program in x/net/bpf's VM over every
// Ethernet and raw IP frame of the corpus and compares its verdict with
// the decoders'. The corpus holds NBT frames (passed), and NetBEUI, IPX,
// SMB over 445, DNS, ARP, ERSPAN-tunnelled NBNS, 802.1Q-tagged NBNS...
// so both verdicts are exercised.
func TestNBTProgram(t *testing.T) {
	const snaplen = 65535
	vms := map[layers.LinkType]*bpf.VM{}
	for _, lt := range []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeRaw} {
		prog, err := nbtProgram(lt, snaplen)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := bpf.Assemble(prog); err != nil {
			t.Fatalf("%v: assemble: %v", lt, err)
		}
		if vms[lt], err = bpf.NewVM(prog); err != nil {
			t.Fatalf("%v: %v", lt, err)
		}
	}
	if _, err := nbtProgram(layers.LinkTypeLinuxSLL, snaplen); err == nil {
		t.Error("a program for Linux SLL, which it does not know")
	}

	var passed, rejected, tagged, fragments int
	corpora(t)
	for _, tt := range corpusFiles {
		vm := vms[tt.linkType]
		if vm == nil {
			continue
		}
		for i, f := range openAll(t, corpus(t, tt.name), 0) {
			n, err := vm.Run(f.data)
			if err != nil {
				t.Fatalf("%s frame %d: %v", tt.name, i+1, err)
			}
			want := nbtReference(f.data, f.linkType)
			if (n != 0) != want {
				t.Errorf("%s frame %d: program returns %d, decoders say pass=%v", tt.name, i+1, n, want)
			}
			if n != 0 && n != snaplen {
				t.Errorf("%s frame %d: program returns %d, want the snap length", tt.name, i+1, n)
			}
			if want {
				passed++
				tagged += boolInt(isTagged(f))
				fragments += boolInt(isLaterFragment(f))
			} else {
				rejected++
			}
		}
	}
	t.Logf("%d frames passed (%d 802.1Q-tagged, %d later fragments), %d rejected", passed, tagged, fragments, rejected)
	if passed < 5000 || rejected < 1000 || tagged == 0 {
		t.Errorf("corpus does not exercise the program: %d passed, %d tagged, %d rejected", passed, tagged, rejected)
	}
}

func isTagged(f frame) bool {
	return f.linkType == layers.LinkTypeEthernet && len(f.data) > 13 && f.data[12] == 0x81 && f.data[13] == 0
}

func isLaterFragment(f frame) bool {
	pkt := gopacket.NewPacket(f.data, f.linkType, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	ip, ok := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
	return ok && ip.FragOffset != 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestNBTProgramEdges: frames cut short, a non-first TCP fragment, IPv6 on
// a raw IP link. Built from an NBNS query built to the spec
// (internal/specframes), and from a real one (nbns-winxp-query_wanderview
// frame 1: 192.168.1.102 → 192.168.1.255 UDP 137 → 137, NBNS name query).
func TestNBTProgramEdges(t *testing.T) {
	t.Run("spec", func(t *testing.T) { testNBTProgramEdges(t, specframes.Query(0x1001)) })
	t.Run("corpus", func(t *testing.T) {
		testNBTProgramEdges(t, openAll(t, corpus(t, "nbns-winxp-query_wanderview.pcap"), 0)[0].data)
	})
}

func testNBTProgramEdges(t *testing.T, query []byte) {
	prog, _ := nbtProgram(layers.LinkTypeEthernet, 100)
	vm, err := bpf.NewVM(prog)
	if err != nil {
		t.Fatal(err)
	}
	rawProg, _ := nbtProgram(layers.LinkTypeRaw, 100)
	rawVM, err := bpf.NewVM(rawProg)
	if err != nil {
		t.Fatal(err)
	}
	mod := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), query...)) }
	for _, tt := range []struct {
		name string
		vm   *bpf.VM
		data []byte
		want int
	}{
		{"NBNS query", vm, query, 100},
		{"cut before the ports", vm, query[:14+20+1], 0},
		{"cut in the IP header", vm, query[:14+5], 0},
		{"UDP 53", vm, mod(func(b []byte) []byte { b[34], b[35], b[36], b[37] = 0, 53, 0, 53; return b }), 0},
		{"later UDP fragment", vm, mod(func(b []byte) []byte { b[14+6], b[14+7] = 0, 185; return b }), 100},
		{"later TCP fragment", vm, mod(func(b []byte) []byte { b[14+9], b[14+6], b[14+7] = 6, 0, 185; return b }), 0},
		{"TCP 445", vm, mod(func(b []byte) []byte { b[14+9], b[36], b[37] = 6, 0x01, 0xbd; return b }), 100},
		{"IP options", vm, mod(func(b []byte) []byte { b[14] = 0x46; return append(b[:34], append([]byte{1, 1, 1, 1}, b[34:]...)...) }), 100},
		{"IPv6 ethertype", vm, mod(func(b []byte) []byte { b[12], b[13] = 0x86, 0xdd; return b }), 0},
		{"raw IPv4", rawVM, query[14:], 100},
		{"raw IPv6", rawVM, mod(func(b []byte) []byte { b[14] = 0x60; return b[14:] }), 0},
	} {
		if n, err := tt.vm.Run(tt.data); n != tt.want || err != nil {
			t.Errorf("%s: %d, %v; want %d", tt.name, n, err, tt.want)
		}
	}
}
