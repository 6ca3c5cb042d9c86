package dissect

import (
	"testing"

	"github.com/gopacket/gopacket"
)

// The captures quoted below are in ../shared/pcaps:
//
//	wfw: netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng
//	vlan: browser-host-announce-udp-netbeui-ipx-8021q_wswiki-vlan.pcap
//
// The packets start at the LLC header (after the 802.3 header); the
// values are what tshark 4.0.17 prints (-T fields -e llc.*).

// llcWfW2 is wfw frame 2 without its browser frame, tshark: "2 0.981911
// VMware_31:0d:01 → NETBIOS- BROWSER 190 Local Master Announcement
// WFW_HOST_1, ...".
const llcWfW2 = `
	f0 f0 03  # DSAP NetBIOS, SSAP NetBIOS (command), control UI
	2c 00 ff ef 08  # NetBIOS: length 44, delimiter, Datagram (cut here)`

// uFrame are the values of an LLC UI command between NetBIOS SAPs.
var llcNetBIOSUI = map[string]string{
	"llc.dsap": "0xf0", "llc.dsap.sap": "120", "llc.dsap.ig": "0", "llc.ssap": "0xf0", "llc.ssap.sap": "120",
	"llc.ssap.cr": "0", "llc.control": "0x0003", "llc.control.u_modifier_cmd": "0x00", "llc.control.ftype": "0x03",
}

var llcDecodeTests = []struct {
	name    string
	pkt     string
	want    map[string]string
	info    string
	payload int
	next    gopacket.LayerType
}{
	{name: "wfw frame 2: UI", pkt: llcWfW2, want: llcNetBIOSUI,
		info: "U, func=UI; DSAP NetBIOS Individual, SSAP NetBIOS Command", payload: 5, next: LayerTypeNetBIOS},
	{
		// wfw frame 107, tshark: "LLC 17 U P, func=SABME; DSAP NetBIOS
		// Individual, SSAP NetBIOS Command".
		name: "wfw frame 107: SABME", pkt: `f0 f0 7f  # DSAP, SSAP, control: SABME, P`,
		want: map[string]string{"llc.dsap": "0xf0", "llc.dsap.sap": "120", "llc.dsap.ig": "0", "llc.ssap": "0xf0",
			"llc.ssap.sap": "120", "llc.ssap.cr": "0", "llc.control": "0x007f", "llc.control.p": "1",
			"llc.control.u_modifier_cmd": "0x1b", "llc.control.ftype": "0x03"},
		info: "U P, func=SABME; DSAP NetBIOS Individual, SSAP NetBIOS Command", next: gopacket.LayerTypePayload,
	},
	{
		// wfw frame 109: "U F, func=UA; DSAP NetBIOS Individual, SSAP NetBIOS Response".
		name: "wfw frame 109: UA", pkt: `f0 f1 73  # DSAP, SSAP with C/R (response), control: UA, F`,
		want: map[string]string{"llc.dsap": "0xf0", "llc.dsap.sap": "120", "llc.dsap.ig": "0", "llc.ssap": "0xf1",
			"llc.ssap.sap": "120", "llc.ssap.cr": "1", "llc.control": "0x0073", "llc.control.f": "1",
			"llc.control.u_modifier_resp": "0x18", "llc.control.ftype": "0x03"},
		info: "U F, func=UA; DSAP NetBIOS Individual, SSAP NetBIOS Response", next: gopacket.LayerTypePayload,
	},
	{
		// wfw frame 111: "S P, func=RR, N(R)=0; DSAP NetBIOS Individual, SSAP NetBIOS Command".
		name: "wfw frame 111: RR", pkt: `f0 f0 01 01  # control 0x0101: S, RR, P, N(R) 0`,
		want: map[string]string{"llc.dsap": "0xf0", "llc.dsap.sap": "120", "llc.dsap.ig": "0", "llc.ssap": "0xf0",
			"llc.ssap.sap": "120", "llc.ssap.cr": "0", "llc.control": "0x0101", "llc.control.n_r": "0", "llc.control.p": "1",
			"llc.control.s_ftype": "0x0000", "llc.control.ftype": "0x0001"},
		info: "S P, func=RR, N(R)=0; DSAP NetBIOS Individual, SSAP NetBIOS Command", next: gopacket.LayerTypePayload,
	},
	{
		// wfw frame 115: "NetBIOS 32 Session Initialize".
		name: "wfw frame 115: I frame", pkt: `
			f0 f0 00 01  # control 0x0100: I, N(S) 0, N(R) 0, P
			0e 00 ff ef 19 8f bc 05 08 00 0e 00 08 0e  # NetBIOS Session Initialize`,
		want: map[string]string{"llc.dsap": "0xf0", "llc.dsap.sap": "120", "llc.dsap.ig": "0", "llc.ssap": "0xf0",
			"llc.ssap.sap": "120", "llc.ssap.cr": "0", "llc.control": "0x0100", "llc.control.n_r": "0", "llc.control.n_s": "0",
			"llc.control.p": "1", "llc.control.ftype": "0x0000"},
		info: "I P, N(R)=0, N(S)=0; DSAP NetBIOS Individual, SSAP NetBIOS Command", payload: 14, next: LayerTypeNetBIOS,
	},
	{
		// vlan frame 326, cut: "LLC 794 U, func=UI; SNAP, OUI 0x00000C
		// (Cisco Systems, Inc), PID 0x0105".
		name: "vlan frame 326: SNAP, Cisco", pkt: `
			aa aa 03  # DSAP SNAP, SSAP SNAP, UI
			00 00 0c 01 05  # OUI Cisco, PID 0x0105 (CGMP)
			01 01 03 04  # (cut)`,
		want: map[string]string{"llc.dsap": "0xaa", "llc.dsap.sap": "85", "llc.dsap.ig": "0", "llc.ssap": "0xaa",
			"llc.ssap.sap": "85", "llc.ssap.cr": "0", "llc.control": "0x0003", "llc.control.u_modifier_cmd": "0x00",
			"llc.control.ftype": "0x03", "llc.oui": "12", "llc.cisco_pid": "0x0105"},
		info: "U, func=UI; SNAP, OUI 0x00000C (Cisco Systems, Inc), PID 0x0105", payload: 4, next: gopacket.LayerTypePayload,
	},
	{
		// vlan frame 78 (an ARP request in SNAP), cut.
		name: "vlan frame 78: SNAP, EtherType", pkt: `aa aa 03 00 00 00 08 06  # SNAP, OUI 0, ARP
			00 01 08 00`,
		want: map[string]string{"llc.dsap": "0xaa", "llc.dsap.sap": "85", "llc.dsap.ig": "0", "llc.ssap": "0xaa",
			"llc.ssap.sap": "85", "llc.ssap.cr": "0", "llc.control": "0x0003", "llc.control.u_modifier_cmd": "0x00",
			"llc.control.ftype": "0x03", "llc.oui": "0", "llc.type": "0x0806"},
		info:    "U, func=UI; SNAP, OUI 0x000000 (Officially Xerox, but 0:0:0:0:0:0 is more common), PID 0x0806",
		payload: 4, next: gopacket.LayerTypePayload,
	},
	{
		// vlan frame 72 (AppleTalk NBP), cut.
		name: "vlan frame 72: SNAP, AppleTalk", pkt: `aa aa 03 08 00 07 80 9b  # OUI Apple, PID DDP`,
		want: map[string]string{"llc.dsap": "0xaa", "llc.dsap.sap": "85", "llc.dsap.ig": "0", "llc.ssap": "0xaa",
			"llc.ssap.sap": "85", "llc.ssap.cr": "0", "llc.control": "0x0003", "llc.control.u_modifier_cmd": "0x00",
			"llc.control.ftype": "0x03", "llc.oui": "524295", "llc.apple_atalk_pid": "0x809b"},
		info: "U, func=UI; SNAP, OUI 0x080007 (Apple, Inc.), PID 0x809B", next: gopacket.LayerTypePayload,
	},
	{
		// Built (ISO/IEC 8802-2 §5.3.2): RNR response, F, N(R) 1.
		name: "built: RNR", pkt: `f0 f1 05 03  # control 0x0305: S, RNR, F, N(R) 1`,
		want: map[string]string{"llc.dsap": "0xf0", "llc.dsap.sap": "120", "llc.dsap.ig": "0", "llc.ssap": "0xf1",
			"llc.ssap.sap": "120", "llc.ssap.cr": "1", "llc.control": "0x0305", "llc.control.n_r": "1", "llc.control.f": "1",
			"llc.control.s_ftype": "0x0001", "llc.control.ftype": "0x0001"},
		info: "S F, func=RNR, N(R)=1; DSAP NetBIOS Individual, SSAP NetBIOS Response", next: gopacket.LayerTypePayload,
	},
	{
		// Built: XID command with P to a group DSAP (tshark shows the XID).
		name: "built: XID to a group", pkt: `43 42 bf  # DSAP 0x42 group, SSAP 0x42, XID P
			81 01 00  # XID information`,
		want: map[string]string{"llc.dsap": "0x43", "llc.dsap.sap": "33", "llc.dsap.ig": "1", "llc.ssap": "0x42",
			"llc.ssap.sap": "33", "llc.ssap.cr": "0", "llc.control": "0x00bf", "llc.control.p": "1",
			"llc.control.u_modifier_cmd": "0x2b", "llc.control.ftype": "0x03"},
		info: "U P, func=XID; DSAP Spanning Tree BPDU Group, SSAP Spanning Tree BPDU Command", payload: 3, next: gopacket.LayerTypePayload,
	},
	{
		name: "built: DM", pkt: `f0 f1 1f  # DM, F`,
		want: map[string]string{"llc.dsap": "0xf0", "llc.dsap.sap": "120", "llc.dsap.ig": "0", "llc.ssap": "0xf1",
			"llc.ssap.sap": "120", "llc.ssap.cr": "1", "llc.control": "0x001f", "llc.control.f": "1",
			"llc.control.u_modifier_resp": "0x03", "llc.control.ftype": "0x03"},
		info: "U F, func=DM; DSAP NetBIOS Individual, SSAP NetBIOS Response", next: gopacket.LayerTypePayload,
	},
	{
		name: "built: FRMR", pkt: `f0 f1 87 01 02 03  # FRMR and its information field`,
		want: map[string]string{"llc.dsap": "0xf0", "llc.dsap.sap": "120", "llc.dsap.ig": "0", "llc.ssap": "0xf1",
			"llc.ssap.sap": "120", "llc.ssap.cr": "1", "llc.control": "0x0087",
			"llc.control.u_modifier_resp": "0x21", "llc.control.ftype": "0x03"},
		info: "U, func=FRMR; DSAP NetBIOS Individual, SSAP NetBIOS Response", payload: 3, next: gopacket.LayerTypePayload,
	},
	{
		// Built: IPX over 802.2 (no data: the IPX decoder is not called).
		name: "built: NetWare SAP", pkt: `e0 e0 03`,
		want: map[string]string{"llc.dsap": "0xe0", "llc.dsap.sap": "112", "llc.dsap.ig": "0", "llc.ssap": "0xe0",
			"llc.ssap.sap": "112", "llc.ssap.cr": "0", "llc.control": "0x0003", "llc.control.u_modifier_cmd": "0x00",
			"llc.control.ftype": "0x03"},
		info: "U, func=UI; DSAP NetWare Individual, SSAP NetWare Command", next: gopacket.LayerTypePayload,
	},
}

func TestLLCDecode(t *testing.T) {
	for _, tt := range llcDecodeTests {
		t.Run(tt.name, func(t *testing.T) {
			pkt := nbtHex(t, tt.pkt)
			var l LLC
			if err := l.DecodeFromBytes(pkt, nil); err != nil {
				t.Fatalf("DecodeFromBytes: %v", err)
			}
			var tr Tree
			l.AppendTree(&tr)
			legacyCheck(t, &tr, tt.want, "llc")
			if got := string(l.AppendInfo(nil)); got != tt.info {
				t.Errorf("info %q, want %q", got, tt.info)
			}
			if len(l.Payload) != tt.payload || len(l.Contents)+len(l.Payload) != len(pkt) {
				t.Errorf("contents %d, payload %d bytes, want payload %d", len(l.Contents), len(l.Payload), tt.payload)
			}
			if got := l.NextLayerType(); got != tt.next {
				t.Errorf("next layer %v, want %v", got, tt.next)
			}
			if tr.Depth() != 0 {
				t.Errorf("tree left at depth %d", tr.Depth())
			}
		})
	}
}

// The U frame's frame type prints as one byte (0x03), the I and S frames'
// as two (0x0000, 0x0001): tshark registers llc.control.ftype twice.
func TestLLCFrameTypeWidth(t *testing.T) {
	for _, tt := range []struct {
		pkt  string
		byte bool
	}{{"f0 f0 03", true}, {"f0 f0 01 00", false}, {"f0 f0 00 00", false}} {
		var l LLC
		if err := l.DecodeFromBytes(nbtHex(t, tt.pkt), nil); err != nil {
			t.Fatal(err)
		}
		var tr Tree
		l.AppendTree(&tr)
		n := tr.First(FieldLLCFtype)
		if n == nil || (n.Flags&NodeByte != 0) != tt.byte {
			t.Errorf("%s: ftype node %+v, one byte wide: %v", tt.pkt, n, tt.byte)
		}
	}
}

func TestLLCMalformed(t *testing.T) {
	tests := []struct {
		name, pkt, field string
		fields           int // llc.dsap ... nodes kept
	}{
		{"empty", ``, "header", 0},
		{"DSAP only", `f0`, "header", 3},
		{"no control", `f0 f0`, "header", 6},
		{"I frame cut in its control", `f0 f0 00`, "control", 6},
		{"S frame cut in its control", `f0 f0 01`, "control", 6},
		{"SNAP cut in its OUI", `aa aa 03 00 00`, "SNAP header", 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l LLC
			err := l.DecodeFromBytes(nbtHex(t, tt.pkt), nil)
			legacyDecodeError(t, err, ErrTruncated, "llc", tt.field)
			if l.Err != err {
				t.Errorf("Err %v, returned %v", l.Err, err)
			}
			var tr Tree
			l.AppendTree(&tr)
			legacyMalformedNote(t, &tr, err)
			n := 0
			for _, nd := range tr.Nodes {
				if nd.Field != 0 && nd.Field != FieldLLC {
					n++
				}
			}
			if n != tt.fields {
				t.Errorf("%d field nodes, want %d", n, tt.fields)
			}
			if l.NextLayerType() != gopacket.LayerTypePayload {
				t.Errorf("next layer %v after an error", l.NextLayerType())
			}
			_ = l.AppendInfo(nil)
		})
	}
}

func TestLLCAllocs(t *testing.T) {
	for _, pkt := range [][]byte{nbtHex(t, llcWfW2), nbtHex(t, `f0 f0 00 01`), nbtHex(t, `aa aa 03 00 00 0c 01 05`)} {
		var l LLC
		var tr Tree
		info := make([]byte, 0, 128)
		run := func() {
			if err := l.DecodeFromBytes(pkt, nil); err != nil {
				t.Fatal(err)
			}
			tr.Reset()
			l.AppendTree(&tr)
			info = l.AppendInfo(info[:0])
		}
		run()
		run()
		if n := testing.AllocsPerRun(100, func() { _ = l.DecodeFromBytes(pkt, nil) }); n != 0 {
			t.Errorf("DecodeFromBytes: %v allocations", n)
		}
		if n := testing.AllocsPerRun(100, run); n != 0 {
			t.Errorf("decode, tree and info: %v allocations", n)
		}
	}
}

func BenchmarkLLC(b *testing.B) {
	pkt := nbtHex(b, `f0 f0 00 01 0e 00 ff ef 19 8f bc 05 08 00 0e 00 08 0e`)
	var l LLC
	var tr Tree
	b.ReportAllocs()
	b.SetBytes(int64(len(pkt)))
	for i := 0; i < b.N; i++ {
		if err := l.DecodeFromBytes(pkt, nil); err != nil {
			b.Fatal(err)
		}
		tr.Reset()
		l.AppendTree(&tr)
	}
}

func FuzzLLC(f *testing.F) {
	for _, tt := range llcDecodeTests {
		f.Add(nbtHex(f, tt.pkt))
	}
	f.Add([]byte{0xaa, 0xaa, 0x00, 0x01, 0x00, 0x00, 0x00, 0x81, 0x37})
	f.Fuzz(func(t *testing.T, data []byte) {
		var l LLC
		err := l.DecodeFromBytes(data, nil)
		if err != l.Err {
			t.Fatalf("returned %v, Err %v", err, l.Err)
		}
		if err == nil && len(l.Contents)+len(l.Payload) != len(data) {
			t.Fatalf("contents %d + payload %d != %d", len(l.Contents), len(l.Payload), len(data))
		}
		var tr Tree
		l.AppendTree(&tr)
		if tr.Depth() != 0 {
			t.Fatalf("tree left at depth %d", tr.Depth())
		}
		_ = l.AppendInfo(nil)
		_ = l.NextLayerType()
	})
}
