package engine

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// NetBIOS over NetBEUI and over IPX, through the engine, on frames of
// ../shared/pcaps/netbios-legacy-wfw311-netbeui-ipx-browser-rap-
// netshareenum_wswiki-smb-legacy-implementation.pcapng ("wfw") and
// browser-host-announce-udp-netbeui-ipx-8021q_wswiki-vlan.pcap ("vlan"),
// and on frames built to the specs: no shared capture is needed.

func legacyFrame(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wfw frame 2, tshark: "BROWSER 190 Local Master Announcement WFW_HOST_1,
// Workstation, Server, Windows for Workgroups, Potential Browser, Master
// Browser": 802.3 (length 176), LLC UI to SAP 0xF0 at 14, NetBIOS
// Datagram at 17, SMB Trans to \MAILSLOT\BROWSE at 61.
const wfw2 = `030000000001000c29310d0100b0 f0f003
	2c00ffef0800000000000000574f524b47524f55502020202020201e5746575f484f53545f31202020202000
	ff534d42250000000000000000000000000000000000000000000000000000001100002b000000000000000000000000000000000000002b00560003000100010002
	003c005c4d41494c534c4f545c42524f575345000f05c0d401005746575f484f53545f310000000000000133032005000b0355aa4269742044696767657200`

// wfw frame 42, "BROWSER 243 Host Announcement WFW_HOST_2, ...": raw
// 802.3 IPX (type 20) to socket 0x0553 at 14, NMPI Mailslot write at 44,
// SMB at 112.
const wfw42 = `ffffffffffff000c298e87a600e5 ffff00e5001400000000ffffffffffff055300000000000c298e87a60553
	0000000000000000000000000000000000000000000000000000000000000000fc020000574f524b47524f5550202020202020005746575f484f53545f32202020202000
	ff534d42250000000000000000000000000000000000000000000000000000001100002d000000000000000000000000000000000000002d00560003000100010002003e005c4d41494c534c4f545
	c42524f57534500010360ea00005746575f484f53545f320000000000000133032000000b0355aa4269742053686f76656c657200`

// wfw frames 126, 128 and 129: SMB straight over IPX, from socket 0x0552
// to 0x0550: "Session Setup AndX Request; Tree Connect AndX, Path:
// \\WFW_HOST_2\IPC$", "LANMAN 139 NetShareEnum Request", "LANMAN 138
// NetShareEnum Response" (which only its request lets RAP decode).
const (
	wfw126 = `000c298e87a6000c29310d010099 ffff0099000400000000000c298e87a6055000000000000c29310d010552
	ff534d42730000000010000000000000000001010200000000006f55010001090a75004200960501000000011000800100000000000b00004249544449474745520004ff000000000018002e00d5ccd725087f89d79c4b998ad41275c082086819e6f1110f5c5c5746575f484f53545f325c495043240049504300`
	wfw128 = `000c298e87a6000c29310d01007d ffff007d000400000000000c298e87a6055000000000000c29310d010552
	ff534d42250000000000000000000000000001010300000000c86f550000010a0e13000000080000200000000088130000000013004c0000000000000020005c504950455c4c414e4d414e00000057724c65680042313342577a0001000020`
	wfw129 = `000c29310d01000c298e87a6007c ffff007c000400000000000c29310d01055200000000000c298e87a60550
	ff534d42250000000080000000000000000001010300000000c86f550000010a0a08001f0000000800370000001f003f000000000027000000917c0100010049504324000000000000000000bd0300a57cc28f52656d6f74652049504300`
)

// vlan frame 44, "BROWSER 184 Host Announcement ANANNI, ...": an 802.1Q
// tag (VLAN 5) whose type field is a length (166), then LLC and NetBIOS.
const vlan44 = `0300000000010020186273a1 8100 0005 00a6 f0f003
	2c00ffef080000000000000045524c2020202020202020202020201d414e414e4e4920202020202020202020
	ff534d422500000000000000000000000000000000000000000000000000000011000021000000000000000000e8030000000000000000210056000300
	01000000020032005c4d41494c534c4f545c42524f57534500010080fc0a00414e414e4e49000000000000000000000400031003000f0155aa00`

func protocols(f *dissect.Frame) string {
	if n := f.Tree.First(dissect.FieldFrameProtocols); n != nil {
		return string(n.S)
	}
	return ""
}

func TestNetBEUIAndIPXBrowser(t *testing.T) {
	for _, tt := range []struct {
		name, pkt, protos, info string
		layers                  []string
		msgs                    string // the layer types of f.Msgs
	}{
		{"wfw frame 2: NetBEUI", wfw2, "eth:llc:netbios:smb:mailslot:browser",
			"Local Master Announcement WFW_HOST_1, Workstation, Server, Windows for Workgroups, Potential Browser, Master Browser",
			[]string{"eth", "llc", "netbios", "smb", "mailslot", "browser"}, "NBTLLC NetBIOSFrames SMB Browser"},
		{"wfw frame 42: NMPI mailslot", wfw42, "eth:ipx:smb:mailslot:browser",
			"Host Announcement WFW_HOST_2, Workstation, Server, Windows for Workgroups",
			[]string{"eth", "ipx", "nbipx", "netbios", "smb", "mailslot", "browser"}, "NBTIPX NMPI SMB Browser"},
		{"vlan frame 44: NetBEUI in 802.1Q", vlan44, "eth:ethertype:vlan:llc:netbios:smb:mailslot:browser",
			"Host Announcement ANANNI, Workstation, Server, NT Workstation, Potential Browser, Backup Browser",
			[]string{"eth", "vlan", "llc", "netbios", "smb", "mailslot", "browser"}, "NBTLLC NetBIOSFrames SMB Browser"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := legacyFrame(t, tt.pkt)
			e := New(DefaultConfig())
			f := e.Decode(data, ciOf(len(data)), linkEthernet, 0)
			if f.Proto != "BROWSER" || string(f.Info) != tt.info || protocols(f) != tt.protos {
				t.Errorf("%s %q, protocols %q", f.Proto, f.Info, protocols(f))
			}
			for _, p := range tt.layers {
				if !hasProto(f, p) {
					t.Errorf("no %s layer", p)
				}
			}
			// The timeline gets the transport's header (it says the
			// transport and the datagram's names), then SMB and the
			// browser frame; and the Ethernet addresses.
			if len(f.Errs) != 0 || len(f.Msgs) != 4 {
				t.Fatalf("%d messages, errors %v", len(f.Msgs), f.Errs)
			}
			var kinds []string
			for _, m := range f.Msgs {
				kinds = append(kinds, m.LayerType().String())
			}
			if got := strings.Join(kinds, " "); got != tt.msgs {
				t.Errorf("messages %s, want %s", got, tt.msgs)
			}
			if _, ok := f.Msgs[3].(*dissect.Browser); !ok || !f.Net.HasMAC || f.Net.HasIP || f.Net.SrcMAC != [6]byte(data[6:12]) || f.Net.DstMAC != [6]byte(data[:6]) {
				t.Errorf("last message %T, net %+v", f.Msgs[3], f.Net)
			}
		})
	}
}

// An 802.1Q tag carrying a length shows it as tshark does: vlan.len.
func TestVLANLength(t *testing.T) {
	data := legacyFrame(t, vlan44)
	f := New(DefaultConfig()).Decode(data, ciOf(len(data)), linkEthernet, 0)
	n := f.Tree.First(dissect.FieldVLANLen)
	if n == nil || n.U != 166 || f.Tree.First(dissect.FieldVLANEtype) != nil || !f.Net.HasVLAN || f.Net.VLAN != 5 {
		t.Errorf("vlan.len %+v, VLAN %v %d", n, f.Net.HasVLAN, f.Net.VLAN)
	}
}

// SMB straight over IPX has the state of a connection: the NetShareEnum
// response is decoded with its request's descriptors.
func TestIPXSMBSession(t *testing.T) {
	e := New(DefaultConfig())
	var last *dissect.Frame
	for _, s := range []string{wfw126, wfw128, wfw129} {
		data := legacyFrame(t, s)
		last = e.Decode(data, ciOf(len(data)), linkEthernet, 0)
	}
	if last.Proto != "LANMAN" || !strings.HasPrefix(string(last.Info), "NetShareEnum response") || len(last.Errs) != 0 {
		t.Errorf("response: %s %q %v", last.Proto, last.Info, last.Errs)
	}
	if n := last.Tree.First(mustField(t, "lanman.share.name")); n == nil || string(n.S) != "IPC$" {
		t.Errorf("share name %+v", n)
	}
	// Without its request, RAP cannot decode the entries.
	e = New(DefaultConfig())
	data := legacyFrame(t, wfw129)
	f := e.Decode(data, ciOf(len(data)), linkEthernet, 0)
	if n := f.Tree.First(mustField(t, "lanman.share.name")); n != nil {
		t.Errorf("a share name without the request: %+v", n)
	}
}

func mustField(t *testing.T, abbrev string) dissect.FieldID {
	id, ok := dissect.LookupField(abbrev)
	if !ok {
		t.Fatalf("%s is not registered", abbrev)
	}
	return id
}

// builtNetBEUI is an 802.3 frame from 00:00:0c:0a:0a:0a to
// 00:00:0c:0b:0b:0b with an LLC I frame (N(S) ns) and the NetBIOS bytes.
func builtNetBEUI(t *testing.T, ns int, netbios string) []byte {
	t.Helper()
	nb := legacyFrame(t, netbios)
	b := legacyFrame(t, "00000c0b0b0b 00000c0a0a0a")
	n := len(nb) + 4
	b = append(b, byte(n>>8), byte(n), 0xF0, 0xF0, byte(ns<<1), 0)
	b = append(b, nb...)
	for len(b) < 60 {
		b = append(b, 0)
	}
	return b
}

// smbEcho is an SMB Echo Request (37 bytes).
const smbEcho = `ff534d422b00000000180120000000000000000000000000ffff0100000000000100050000`

// A message in three frames (Data First Middle, Data First Middle, Data
// Only Last of session 3/4) is decoded on the last, from a data source of
// its own, with tshark's list of its fragments; a lone Data Only Last
// carries its message whole.
func TestNetBIOSReassembly(t *testing.T) {
	echo := smbEcho
	frames := []string{
		"0e00ffef 15 03 0000 0000 0100 03 04" + echo[:20],
		"0e00ffef 15 00 0100 0000 0100 03 04" + echo[20:40],
		"0e00ffef 16 04 0000 0000 0100 03 04" + echo[40:],
		"0e00ffef 16 00 0000 0000 0200 03 04" + echo,
	}
	e := New(DefaultConfig())
	var got []*dissect.Frame
	for i, s := range frames {
		data := builtNetBEUI(t, i, s)
		f := e.Decode(data, ciOf(len(data)), linkEthernet, 0)
		var c dissect.Frame
		f.CopyTo(&c)
		got = append(got, &c)
	}
	for i := 0; i < 2; i++ {
		if got[i].Proto != "NetBIOS" || string(got[i].Info) != "Data First Middle" || !hasProto(got[i], "data") {
			t.Errorf("frame %d: %s %q", i+1, got[i].Proto, got[i].Info)
		}
	}
	f := got[2]
	if f.Proto != "SMB" || string(f.Info) != "Echo Request" || len(f.Tree.Sources) != 1 || f.Tree.Sources[0].Name != "Reassembled NetBIOS" {
		t.Fatalf("frame 3: %s %q, sources %v", f.Proto, f.Info, f.Tree.Sources)
	}
	var frags []uint64
	f.Tree.Each(dissect.FieldNetBIOSFragment, func(n *dissect.Node) { frags = append(frags, n.U) })
	count, length := f.Tree.First(dissect.FieldNetBIOSFragmentCount), f.Tree.First(dissect.FieldNetBIOSReassembledLength)
	if len(frags) != 3 || frags[0] != 1 || frags[2] != 3 || count == nil || count.U != 3 || length == nil || length.U != 37 {
		t.Errorf("fragments %v, count %+v, length %+v", frags, count, length)
	}
	if f := got[3]; f.Proto != "SMB" || len(f.Tree.Sources) != 0 || f.Tree.First(dissect.FieldNetBIOSFragment) != nil {
		t.Errorf("frame 4: %s %q, sources %v", f.Proto, f.Info, f.Tree.Sources)
	}
}

// Broken frames are decoded as far as they go and marked malformed.
func TestNetBEUIMalformed(t *testing.T) {
	for _, tt := range []struct {
		name, pkt, proto string
	}{
		{"LLC cut after the DSAP", "00000c0b0b0b00000c0a0a0a0001 f0" + strings.Repeat("00", 45), "LLC"},
		{"NetBIOS without its marker", "00000c0b0b0b00000c0a0a0a0008 f0f003 0e00eeee1f000000" + strings.Repeat("00", 38), "NetBIOS"},
		{"IPX cut", "00000c0b0b0b00000c0a0a0a000b ffff004000040000000000" + strings.Repeat("00", 35), "IPX"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := legacyFrame(t, tt.pkt)
			f := New(DefaultConfig()).Decode(data, ciOf(len(data)), linkEthernet, 0)
			if f.Proto != tt.proto || len(f.Errs) != 1 || hasHidden(f, dissect.FieldMalformed) == nil {
				t.Errorf("%s", frameText(f))
			}
		})
	}
}
