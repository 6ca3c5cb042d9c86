package dissect

import (
	"testing"

	"github.com/gopacket/gopacket"
)

// The packets start at the IPX header; the values are what tshark 4.0.17
// prints (-T fields -e ipx.*). wfw and vlan are ../shared/pcaps/netbios-
// legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-
// implementation.pcapng and browser-host-announce-udp-netbeui-ipx-8021q_wswiki-vlan.pcap.

// ipxWfW3 is wfw frame 3 (raw 802.3): "NBIPX 94 Find name
// <01><02>__MSBROWSE__<02><01>".
const ipxWfW3 = `
	ff ff 00 50 00 04  # checksum 0xffff, length 80, hops 0, type PEP
	00 00 00 00 ff ff ff ff ff ff 04 55  # dst net 0, node broadcast, socket 0x0455 (NetBIOS)
	00 00 00 00 00 0c 29 31 0d 01 04 55  # src net 0, node 00:0c:29:31:0d:01, socket 0x0455
	00 01 57 46 57 5f 48 4f 53 54 5f 31 20 20 20 20 20 20 01 02 5f 5f 4d 53 42 52 4f 57 53 45 5f 5f  # NBIPX (50 bytes)
	00 01 01 02 5f 5f 4d 53 42 52 4f 57 53 45 5f 5f 02 01`

var ipxDecodeTests = []struct {
	name    string
	pkt     string
	want    map[string]string
	column  string
	info    string
	payload int
	next    IPXNext
}{
	{
		name: "wfw frame 3: NBIPX", pkt: ipxWfW3,
		want: map[string]string{"ipx.checksum": "0xffff", "ipx.src": "00000000.000c29310d01", "ipx.dst": "00000000.ffffffffffff",
			"ipx.addr": "00000000.000c29310d01,00000000.ffffffffffff", "ipx.len": "80", "ipx.hops": "0", "ipx.packet_type": "0x04",
			"ipx.dst.net": "0x00000000", "ipx.dst.node": "ff:ff:ff:ff:ff:ff", "ipx.dst.socket": "0x0455", "ipx.src.net": "0x00000000",
			"ipx.src.node": "00:0c:29:31:0d:01", "ipx.src.socket": "0x0455", "ipx.net": "0x00000000,0x00000000",
			"ipx.node": "ff:ff:ff:ff:ff:ff,00:0c:29:31:0d:01", "ipx.socket": "0x0455,0x0455"},
		column: "IPX", info: "NetBIOS (0x0455)", payload: 50, next: IPXNextNBIPX,
	},
	{
		// wfw frame 13: "NMPI 112 Claim name WFW_HOST_2<20>", from socket
		// 0x0550 to 0x0551: NMPI, not SMB.
		name: "wfw frame 13: NMPI from the SMB server socket", pkt: `
			ff ff 00 62 00 14  # length 98, type 20 (NetBIOS broadcast)
			00 00 00 00 ff ff ff ff ff ff 05 51  # to 0x0551 (name query)
			00 00 00 00 00 0c 29 8e 87 a6 05 50  # from 0x0550 (SMB server)
			00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  # route list
			f1 01 00 00  # Claim name, machine, message ID 0
			57 46 57 5f 48 4f 53 54 5f 32 20 20 20 20 20 20  57 46 57 5f 48 4f 53 54 5f 32 20 20 20 20 20 20`,
		want: map[string]string{"ipx.checksum": "0xffff", "ipx.src": "00000000.000c298e87a6", "ipx.dst": "00000000.ffffffffffff",
			"ipx.addr": "00000000.000c298e87a6,00000000.ffffffffffff", "ipx.len": "98", "ipx.hops": "0", "ipx.packet_type": "0x14",
			"ipx.dst.net": "0x00000000", "ipx.dst.node": "ff:ff:ff:ff:ff:ff", "ipx.dst.socket": "0x0551", "ipx.src.net": "0x00000000",
			"ipx.src.node": "00:0c:29:8e:87:a6", "ipx.src.socket": "0x0550", "ipx.net": "0x00000000,0x00000000",
			"ipx.node": "ff:ff:ff:ff:ff:ff,00:0c:29:8e:87:a6", "ipx.socket": "0x0551,0x0550"},
		column: "IPX", info: "NWLink SMB Name Query (0x0551)", payload: 68, next: IPXNextNMPI,
	},
	{
		// wfw frame 118, cut: "SMB 218 Negotiate Protocol Request", from
		// the redirector socket to the server's.
		name: "wfw frame 118: SMB", pkt: `
			ff ff 00 cc 00 04  00 00 00 00 00 0c 29 8e 87 a6 05 50  00 00 00 00 00 0c 29 31 0d 01 05 52
			ff 53 4d 42 72  # SMB (cut)`,
		want: map[string]string{"ipx.checksum": "0xffff", "ipx.src": "00000000.000c29310d01", "ipx.dst": "00000000.000c298e87a6",
			"ipx.addr": "00000000.000c29310d01,00000000.000c298e87a6", "ipx.len": "204", "ipx.hops": "0", "ipx.packet_type": "0x04",
			"ipx.dst.net": "0x00000000", "ipx.dst.node": "00:0c:29:8e:87:a6", "ipx.dst.socket": "0x0550", "ipx.src.net": "0x00000000",
			"ipx.src.node": "00:0c:29:31:0d:01", "ipx.src.socket": "0x0552", "ipx.net": "0x00000000,0x00000000",
			"ipx.node": "00:0c:29:8e:87:a6,00:0c:29:31:0d:01", "ipx.socket": "0x0550,0x0552"},
		column: "IPX", info: "NWLink SMB Server (0x0550)", payload: 5, next: IPXNextSMB,
	},
	{
		// vlan frame 3 (Ethernet II, type 0x8137): "IPX RIP 64 Request".
		name: "vlan frame 3: RIP", pkt: `
			ff ff 00 28 00 01  00 00 00 00 ff ff ff ff ff ff 04 53  00 05 68 00 08 00 07 84 12 de 04 53
			00 01 00 05 25 82 ff ff ff ff  # RIP request`,
		want: map[string]string{"ipx.checksum": "0xffff", "ipx.src": "00056800.0800078412de", "ipx.dst": "00000000.ffffffffffff",
			"ipx.addr": "00056800.0800078412de,00000000.ffffffffffff", "ipx.len": "40", "ipx.hops": "0", "ipx.packet_type": "0x01",
			"ipx.dst.net": "0x00000000", "ipx.dst.node": "ff:ff:ff:ff:ff:ff", "ipx.dst.socket": "0x0453", "ipx.src.net": "0x00056800",
			"ipx.src.node": "08:00:07:84:12:de", "ipx.src.socket": "0x0453", "ipx.net": "0x00000000,0x00056800",
			"ipx.node": "ff:ff:ff:ff:ff:ff,08:00:07:84:12:de", "ipx.socket": "0x0453,0x0453"},
		column: "IPX RIP", info: "Request", payload: 10, next: IPXNextOther,
	},
	{
		// vlan frame 222 (IPX over LLC), cut: "IPX SAP 117 General Response".
		name: "vlan frame 222: SAP", pkt: `
			ff ff 00 60 00 00  00 05 6c 00 ff ff ff ff ff ff 04 52  00 05 6c 00 00 60 b0 7a e0 e8 04 52
			00 02 03 0c  # General Response (cut)`,
		want: map[string]string{"ipx.checksum": "0xffff", "ipx.src": "00056c00.0060b07ae0e8", "ipx.dst": "00056c00.ffffffffffff",
			"ipx.addr": "00056c00.0060b07ae0e8,00056c00.ffffffffffff", "ipx.len": "96", "ipx.hops": "0", "ipx.packet_type": "0x00",
			"ipx.dst.net": "0x00056c00", "ipx.dst.node": "ff:ff:ff:ff:ff:ff", "ipx.dst.socket": "0x0452", "ipx.src.net": "0x00056c00",
			"ipx.src.node": "00:60:b0:7a:e0:e8", "ipx.src.socket": "0x0452", "ipx.net": "0x00056c00,0x00056c00",
			"ipx.node": "ff:ff:ff:ff:ff:ff,00:60:b0:7a:e0:e8", "ipx.socket": "0x0452,0x0452"},
		column: "IPX SAP", info: "General Response", payload: 4, next: IPXNextOther,
	},
	{
		// Built: sockets nobody knows, a length that counts less than the
		// frame holds (the rest is padding).
		name: "built: unknown sockets, padded", pkt: `
			ff ff 00 22 00 04  00 00 00 00 00 00 0c 0b 0b 0b 44 44  00 00 00 00 00 00 0c 0a 0a 0a 44 45
			64 61 74 61  00 00 00 00  # "data", padding`,
		want: map[string]string{"ipx.checksum": "0xffff", "ipx.src": "00000000.00000c0a0a0a", "ipx.dst": "00000000.00000c0b0b0b",
			"ipx.addr": "00000000.00000c0a0a0a,00000000.00000c0b0b0b", "ipx.len": "34", "ipx.hops": "0", "ipx.packet_type": "0x04",
			"ipx.dst.net": "0x00000000", "ipx.dst.node": "00:00:0c:0b:0b:0b", "ipx.dst.socket": "0x4444", "ipx.src.net": "0x00000000",
			"ipx.src.node": "00:00:0c:0a:0a:0a", "ipx.src.socket": "0x4445", "ipx.net": "0x00000000,0x00000000",
			"ipx.node": "00:00:0c:0b:0b:0b,00:00:0c:0a:0a:0a", "ipx.socket": "0x4444,0x4445"},
		column: "IPX", info: "Unknown (0x4444)", payload: 4, next: IPXNextData,
	},
}

func TestIPXDecode(t *testing.T) {
	for _, tt := range ipxDecodeTests {
		t.Run(tt.name, func(t *testing.T) {
			pkt := nbtHex(t, tt.pkt)
			var x IPX
			if err := x.DecodeFromBytes(pkt, nil); err != nil {
				t.Fatalf("DecodeFromBytes: %v", err)
			}
			var tr Tree
			x.AppendTree(&tr)
			legacyCheck(t, &tr, tt.want, "ipx")
			if got := string(x.AppendInfo(nil)); got != tt.info || x.Column() != tt.column {
				t.Errorf("columns %q %q, want %q %q", x.Column(), got, tt.column, tt.info)
			}
			if len(x.Payload) != tt.payload || x.Next() != tt.next {
				t.Errorf("payload %d bytes for %d, want %d for %d", len(x.Payload), x.Next(), tt.payload, tt.next)
			}
			// The address fields are hidden, as in tshark's -V.
			for _, f := range []FieldID{FieldIPXSrc, FieldIPXDst, FieldIPXAddr, FieldIPXNet, FieldIPXNode, FieldIPXSocket} {
				tr.Each(f, func(n *Node) {
					if n.Flags&NodeHidden == 0 {
						t.Errorf("%s is not hidden", Field(f).Abbrev)
					}
				})
			}
			if tr.Depth() != 0 {
				t.Errorf("tree left at depth %d", tr.Depth())
			}
		})
	}
	var x IPX
	_ = x.DecodeFromBytes(nbtHex(t, ipxWfW3), nil)
	if x.NextLayerType() != LayerTypeNBIPX || x.AppendSrcAddr(nil) == nil || string(x.AppendDstAddr(nil)) != "00000000.ffffffffffff" {
		t.Errorf("next layer %v, destination %s", x.NextLayerType(), x.AppendDstAddr(nil))
	}
}

func TestIPXMalformed(t *testing.T) {
	good := nbtHex(t, ipxWfW3)
	short := append([]byte(nil), good...)
	short[2], short[3] = 0, 28 // length 28
	tests := []struct {
		name  string
		pkt   []byte
		err   error
		field string
		node  bool // the IPX node is there
	}{
		{"empty", nil, ErrTruncated, "header", false},
		{"cut in the header", good[:29], ErrTruncated, "header", false},
		{"length below the header", short, ErrMalformed, "length", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var x IPX
			err := x.DecodeFromBytes(tt.pkt, nil)
			legacyDecodeError(t, err, tt.err, "ipx", tt.field)
			if x.Err != err || x.NextLayerType() != gopacket.LayerTypePayload || len(x.Payload) != 0 {
				t.Errorf("Err %v, next %v, payload %d", x.Err, x.NextLayerType(), len(x.Payload))
			}
			var tr Tree
			x.AppendTree(&tr)
			legacyMalformedNote(t, &tr, err)
			if (tr.First(FieldIPX) != nil) != tt.node {
				t.Errorf("IPX node: %v, want %v (tshark reads the sockets before it adds the layer)", tr.First(FieldIPX) != nil, tt.node)
			}
			_ = x.AppendInfo(nil)
		})
	}
}

func TestIPXAllocs(t *testing.T) {
	pkt := nbtHex(t, ipxWfW3)
	var x IPX
	var tr Tree
	info := make([]byte, 0, 128)
	run := func() {
		if err := x.DecodeFromBytes(pkt, nil); err != nil {
			t.Fatal(err)
		}
		tr.Reset()
		x.AppendTree(&tr)
		info = x.AppendInfo(info[:0])
	}
	run()
	run()
	if n := testing.AllocsPerRun(100, func() { _ = x.DecodeFromBytes(pkt, nil) }); n != 0 {
		t.Errorf("DecodeFromBytes: %v allocations", n)
	}
	if n := testing.AllocsPerRun(100, run); n != 0 {
		t.Errorf("decode, tree and info: %v allocations", n)
	}
}

func BenchmarkIPX(b *testing.B) {
	pkt := nbtHex(b, ipxWfW3)
	var x IPX
	var tr Tree
	b.ReportAllocs()
	b.SetBytes(int64(len(pkt)))
	for i := 0; i < b.N; i++ {
		if err := x.DecodeFromBytes(pkt, nil); err != nil {
			b.Fatal(err)
		}
		tr.Reset()
		x.AppendTree(&tr)
	}
}

func FuzzIPX(f *testing.F) {
	for _, tt := range ipxDecodeTests {
		f.Add(nbtHex(f, tt.pkt))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var x IPX
		err := x.DecodeFromBytes(data, nil)
		if err != x.Err {
			t.Fatalf("returned %v, Err %v", err, x.Err)
		}
		if len(x.Contents)+len(x.Payload) > len(data) {
			t.Fatalf("contents %d + payload %d > %d", len(x.Contents), len(x.Payload), len(data))
		}
		var tr Tree
		x.AppendTree(&tr)
		if tr.Depth() != 0 {
			t.Fatalf("tree left at depth %d", tr.Depth())
		}
		_ = x.AppendInfo(nil)
		_, _ = x.Next(), x.Column()
	})
}
