package output_test

import (
	"math"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/output"
)

// Test-only fields for the types no protocol in scope uses with these
// bases; their expected text follows the formats tshark 4.0 prints for
// the same ftype (see the comments).
var (
	fU24Hex = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.u24hex", Name: "U24", Type: dissect.FTUint24, Base: dissect.BaseHex})
	fU8Hex  = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.u8hex", Name: "U8", Type: dissect.FTUint8, Base: dissect.BaseHex})
	fI16    = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.i16", Name: "I16", Type: dissect.FTInt16, Base: dissect.BaseDec})
	fDecHex = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.dechex", Name: "DecHex", Type: dissect.FTUint16, Base: dissect.BaseDecHex})
	fAbs    = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.abstime", Name: "Arrival Time", Type: dissect.FTAbsTime})
	fRel    = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.reltime", Name: "Epoch Time", Type: dissect.FTRelTime})
	fDouble = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.double", Name: "Double", Type: dissect.FTDouble})
	fNone   = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.none", Name: "SEQ/ACK analysis", Type: dissect.FTNone})
	fU64Hex = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.u64hex", Name: "U64", Type: dissect.FTUint64, Base: dissect.BaseHex})
	fBytes  = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.bytes", Name: "Signature", Type: dissect.FTBytes})
)

func withUTC(t *testing.T) {
	old := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = old })
}

func TestAppendValue(t *testing.T) {
	withUTC(t)
	tests := []struct {
		name string
		node dissect.Node
		want string
	}{
		// c2 capture frame 1 (Registration NB WORKGROUP<1e>), tshark -T fields:
		{"FT_UINT16 BASE_HEX nbns.flags", dissect.Node{Field: id(t, "nbns.flags"), U: 0x2810}, "0x2810"},
		{"FT_UINT16 BASE_HEX nbns.id", dissect.Node{Field: id(t, "nbns.id"), U: 0xf0d6}, "0xf0d6"},
		{"FT_BOOLEAN nbns.flags.response", dissect.Node{Field: id(t, "nbns.flags.response"), U: 0}, "0"},
		{"FT_BOOLEAN set", dissect.Node{Field: id(t, "nbns.flags.response"), U: 0x8000}, "1"},
		{"FT_UINT16 BASE_HEX eth.type", dissect.Node{Field: id(t, "eth.type"), U: 0x0800}, "0x0800"},
		{"FT_UINT16 BASE_HEX_DEC ip.id", dissect.Node{Field: id(t, "ip.id"), U: 0x006e}, "0x006e"},
		{"FT_UINT8 BASE_HEX ip.flags", dissect.Node{Field: id(t, "ip.flags"), U: 0}, "0x00"},
		{"FT_UINT8 BASE_DEC ip.ttl", dissect.Node{Field: id(t, "ip.ttl"), U: 128}, "128"},
		{"FT_UINT16 BASE_HEX udp.checksum", dissect.Node{Field: id(t, "udp.checksum"), U: 0x1eeb}, "0x1eeb"},
		{"FT_IPv4 ip.src", dissect.Node{Field: id(t, "ip.src"), U: 0xc0a86479}, "192.168.100.121"},
		{"FT_ETHER eth.src", dissect.Node{Field: id(t, "eth.src"), S: []byte{0x52, 0x54, 0x00, 0x4a, 0x04, 0xaf}}, "52:54:00:4a:04:af"},
		{"FT_ETHER from U", dissect.Node{Field: id(t, "eth.src"), U: 0x5254004a04af}, "52:54:00:4a:04:af"},
		{"FT_STRING nbns.name", dissect.Node{Field: id(t, "nbns.name"), S: []byte("WORKGROUP<1e> (Browser Election Service)")}, "WORKGROUP<1e> (Browser Election Service)"},
		{"FT_PROTOCOL nbns", dissect.Node{Field: id(t, "nbns")}, "nbns"},
		// tshark -e frame prints the protocol's summary line, which the
		// engine may keep in S.
		{"FT_PROTOCOL with text", dissect.Node{Field: id(t, "frame"), S: []byte("Frame 1: 110 bytes on wire (880 bits), 110 bytes captured (880 bits)")},
			"Frame 1: 110 bytes on wire (880 bits), 110 bytes captured (880 bits)"},
		// c2 frame 2: frame.time_relative 0.109504000; frame 1:
		// frame.time "Jun  6, 2020 06:36:40.128128000 UTC" (TZ=UTC),
		// frame.time_epoch (FT_RELATIVE_TIME) 1591425400.128128000.
		{"FT_RELATIVE_TIME frame.time_relative", dissect.Node{Field: id(t, "frame.time_relative"), U: 109504000}, "0.109504000"},
		{"FT_RELATIVE_TIME epoch", dissect.Node{Field: fRel, U: 1591425400128128000}, "1591425400.128128000"},
		{"FT_RELATIVE_TIME negative", dissect.Node{Field: fRel, U: uint64(negNS(1500000000))}, "-1.500000000"},
		{"FT_ABSOLUTE_TIME", dissect.Node{Field: fAbs, U: 1591425400128128000}, "Jun  6, 2020 06:36:40.128128000 UTC"},
		// c2 frame 4 (Host Announcement USER-PC): browser.server_type
		// 0x00011003, browser.server USER-PC.
		{"FT_UINT32 BASE_HEX browser.server_type", dissect.Node{Field: id(t, "browser.server_type"), U: 0x00011003}, "0x00011003"},
		{"FT_STRINGZ browser.server", dissect.Node{Field: id(t, "browser.server"), S: []byte("USER-PC")}, "USER-PC"},
		// smb-on-windows-10 SMB frames: smb.signature 0000000000000000.
		{"FT_BYTES like smb.signature", dissect.Node{Field: fBytes, S: make([]byte, 8)}, "0000000000000000"},
		// tshark -T fields: FT_NONE prints 1 (tcp.analysis), FT_UINT8 hex
		// 0x01, FT_UINT24 0x000001 (two digits per byte of the type).
		{"FT_NONE", dissect.Node{Field: fNone}, "1"},
		{"FT_UINT8 hex", dissect.Node{Field: fU8Hex, U: 1}, "0x01"},
		{"FT_UINT24 hex", dissect.Node{Field: fU24Hex, U: 1}, "0x000001"},
		{"FT_UINT64 hex", dissect.Node{Field: fU64Hex, U: 0xdeadbeef}, "0x00000000deadbeef"},
		{"BASE_DEC_HEX prints decimal", dissect.Node{Field: fDecHex, U: 0x1234}, "4660"},
		{"FT_INT16 negative", dissect.Node{Field: fI16, U: uint64(negNS(300))}, "-300"},
		{"FT_DOUBLE", dissect.Node{Field: fDouble, U: math.Float64bits(0.5)}, "0.5"},
		// tshark 4.0.17 printed a crafted host name "TAB\tNL\nCR\r" as
		// TAB\tNL\nCR\r; other controls it prints raw, nbtsniff escapes.
		{"string escapes like tshark", dissect.Node{Field: id(t, "browser.server"), S: []byte("TAB\tNL\nCR\r")}, `TAB\tNL\nCR\r`},
		{"string control bytes", dissect.Node{Field: id(t, "browser.comment"), S: []byte("c\x01\x02\x1b[31m\x7f\\\"'")}, `c\x01\x02\x1b[31m\x7f\"'`},
	}
	for _, tt := range tests {
		got := string(output.AppendValue(nil, &tt.node))
		if got != tt.want {
			t.Errorf("%s: AppendValue = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func negNS(v int64) int64 { return -v }

func TestAppendValueAllocs(t *testing.T) {
	withUTC(t)
	nodes := []dissect.Node{
		{Field: id(t, "nbns.flags"), U: 0x2810},
		{Field: id(t, "ip.src"), U: 0xc0a86479},
		{Field: id(t, "nbns.name"), S: []byte("<01><02>__MSBROWSE__<02><01>")},
		{Field: fAbs, U: 1591425400128128000},
		{Field: fRel, U: 109504000},
		{Field: fBytes, S: make([]byte, 8)},
	}
	buf := make([]byte, 0, 256)
	for i := range nodes {
		n := &nodes[i]
		if a := testing.AllocsPerRun(100, func() { buf = output.AppendValue(buf[:0], n) }); a != 0 {
			t.Errorf("AppendValue(%s) allocates %.1f times", dissect.Field(n.Field).Abbrev, a)
		}
	}
}

func TestAppendDisplay(t *testing.T) {
	withUTC(t)
	tests := []struct {
		node dissect.Node
		want string
	}{
		// Value names from the field's Values function, the number in the
		// field's base inside parentheses (Wireshark's -V style).
		{dissect.Node{Field: id(t, "eth.type"), U: 0x0800}, "IPv4 (0x0800)"},
		{dissect.Node{Field: fDecHex, U: 0x11}, "17 (0x0011)"},
		{dissect.Node{Field: id(t, "ip.id"), U: 0x6e}, "0x006e (110)"},
		{dissect.Node{Field: fTResp, U: 1}, "True"},
		{dissect.Node{Field: fTResp, U: 0}, "False"},
		{dissect.Node{Field: fRel, U: 109504000}, "0.109504000 seconds"},
		{dissect.Node{Field: id(t, "nbns.flags"), U: 0x0110, S: []byte("Name query, Recursion desired")}, "0x0110, Name query, Recursion desired"},
		{dissect.Node{Field: id(t, "browser.server"), S: []byte("\x1b]0;pwned\x07")}, `\x1b]0;pwned\x07`},
	}
	for _, tt := range tests {
		if got := string(output.AppendDisplay(nil, &tt.node)); got != tt.want {
			t.Errorf("AppendDisplay(%s) = %q, want %q", dissect.Field(tt.node.Field).Abbrev, got, tt.want)
		}
	}
}
