package dissect

import (
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// nbtHex decodes a packet literal: hex bytes, spaces and newlines, with
// "#" starting a comment that runs to the end of the line.
func nbtHex(tb testing.TB, s string) []byte {
	tb.Helper()
	var clean strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		clean.WriteString(strings.Join(strings.Fields(line), ""))
	}
	b, err := hex.DecodeString(clean.String())
	if err != nil {
		tb.Fatalf("bad packet literal: %v", err)
	}
	return b
}

// nbtFieldValues renders every node of a field the way tshark -T fields
// prints it (booleans 1/0, BASE_HEX as 0x%0Nx, occurrences joined by ",").
func nbtFieldValues(tb testing.TB, tr *Tree, abbrev string) string {
	tb.Helper()
	id, ok := LookupField(abbrev)
	if !ok {
		tb.Fatalf("field %s is not registered", abbrev)
	}
	var out []string
	tr.Each(id, func(n *Node) {
		fi := Field(n.Field)
		switch {
		case fi.Type == FTBoolean:
			if n.U != 0 {
				out = append(out, "1")
			} else {
				out = append(out, "0")
			}
		case fi.Type.IsInteger() && fi.Base == BaseHex:
			width := map[FieldType]int{FTUint8: 2, FTUint16: 4, FTUint24: 6, FTUint32: 8}[fi.Type]
			s := strconv.FormatUint(n.U, 16)
			for len(s) < width {
				s = "0" + s
			}
			out = append(out, "0x"+s)
		case fi.Type.IsInteger():
			out = append(out, strconv.FormatUint(n.U, 10))
		case fi.Type == FTIPv4:
			out = append(out, strconv.Itoa(int(n.U>>24))+"."+strconv.Itoa(int(n.U>>16&0xff))+"."+strconv.Itoa(int(n.U>>8&0xff))+"."+strconv.Itoa(int(n.U&0xff)))
		case fi.Type == FTBytes:
			out = append(out, hex.EncodeToString(n.S))
		default:
			out = append(out, string(n.S))
		}
	})
	return strings.Join(out, ",")
}

// nbtCheckFields compares every field of proto in tshark's list with want
// (a missing key means tshark shows no such field).
func nbtCheckFields(t *testing.T, tr *Tree, proto string, want map[string]string) {
	t.Helper()
	for k := range want {
		if !strings.HasPrefix(k, proto+".") {
			t.Errorf("want has %s, not a %s field", k, proto)
		}
	}
	for _, abbrev := range WiresharkAbbrevs(proto) {
		if got := nbtFieldValues(t, tr, abbrev); got != want[abbrev] {
			t.Errorf("%s = %q, tshark shows %q", abbrev, got, want[abbrev])
		}
	}
}

// nbdgmUserData is the user data of browser-host-announce-request_ppa-
// bethscomputer.pcap frame 2: an SMB Trans to \MAILSLOT\BROWSE carrying an
// AnnouncementRequest. The packets built below reuse it.
const nbdgmUserData = `
		ff 53 4d 42 25 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  # USER_DATA: SMB Trans, \MAILSLOT\BROWSE AnnouncementRequest
		11 00 00 12 00 00 00 00 00 00 00 00 00 e8 03 00 00 00 00 00 00 00 00 12 00 56 00 03 00 01 00 01
		00 02 00 23 00 5c 4d 41 49 4c 53 4c 4f 54 5c 42 52 4f 57 53 45 00 02 00 54 45 53 4c 41 2d 4d 41
		52 4b 45 54 49 4e 47 00`

// nbdgmBethscomputer2 is browser-host-announce-request_ppa-bethscomputer.pcap
// frame 2, tshark: "2 1.271630 192.168.0.122 → 192.168.0.255 BROWSER 228
// Request Announcement TESLA-MARKETING".
const nbdgmBethscomputer2 = `
		11 02 80 50  # MSG_TYPE 0x11 DIRECT_GROUP, FLAGS 0x02 (F, B node), DGM_ID 0x8050
		c0 a8 00 7a 00 8a  # SOURCE_IP 192.168.0.122, SOURCE_PORT 138
		00 ac 00 00  # DGM_LENGTH 172, PACKET_OFFSET 0
		20 46 45 45 46 46 44 45 4d 45 42 43 4e 45 4e 45 42 46 43 45 4c 45 46 46 45 45 4a 45 4f 45 48 41  # SOURCE_NAME TESLA-MARKETING<00>
		41 00
		20 46 45 45 46 46 44 45 4d 45 42 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 42  # DESTINATION_NAME TESLA<1d>
		4e 00` + nbdgmUserData

// nbdgmDecodeTests: real frames, and packets built to RFC 1002 §4.4 (no
// capture has them) whose expected values are what tshark 4.0.17 printed
// for them (-T fields -e nbdgm.*), frame by frame.
var nbdgmDecodeTests = []struct {
	name     string
	pkt      string
	want     map[string]string
	info     string
	err      error // sentinel, or nil
	payload  int   // len(Payload)
	src, dst string
}{
	{
		name: "bethscomputer frame 2, direct group",
		pkt:  nbdgmBethscomputer2,
		want: map[string]string{
			"nbdgm.type": "17", "nbdgm.flags": "0x02", "nbdgm.next": "0", "nbdgm.first": "1", "nbdgm.node_type": "0",
			"nbdgm.dgram_id": "0x8050", "nbdgm.src.ip": "192.168.0.122", "nbdgm.src.port": "138", "nbdgm.dgram_len": "172",
			"nbdgm.pkt_offset": "0", "nbdgm.source_name": "TESLA-MARKETING<00>", "nbdgm.destination_name": "TESLA<1d>",
		},
		info: "Direct_group datagram", payload: 104, src: "TESLA-MARKETING<00>", dst: "TESLA<1d>",
	},
	{
		// Built to RFC 1002 §4.4.2: DIRECT_UNIQUE from a P node, both names
		// with the scope CORP.EXAMPLE. tshark: "1 0.000000 192.168.0.122 →
		// 192.168.0.255 BROWSER 254 Request Announcement TESLA-MARKETING".
		name: "built: direct unique with scope",
		pkt: `
		10 06 10 01  # MSG_TYPE 0x10 DIRECT_UNIQUE, FLAGS 0x06 (F, P node), DGM_ID 0x1001
		c0 a8 00 7a 00 8a  # SOURCE_IP 192.168.0.122, SOURCE_PORT 138
		00 c6 00 00  # DGM_LENGTH 198, PACKET_OFFSET 0
		20 46 41 45 44 44 48 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 41 41  # SOURCE_NAME PC7<00>
		04 43 4f 52 50 07 45 58 41 4d 50 4c 45 00  # scope CORP.EXAMPLE
		20 45 47 45 4a 45 4d 45 46 46 44 46 43 46 47 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41  # DESTINATION_NAME FILESRV<20>
		04 43 4f 52 50 07 45 58 41 4d 50 4c 45 00  # scope CORP.EXAMPLE` + nbdgmUserData,
		want: map[string]string{
			"nbdgm.type": "16", "nbdgm.flags": "0x06", "nbdgm.next": "0", "nbdgm.first": "1", "nbdgm.node_type": "1",
			"nbdgm.dgram_id": "0x1001", "nbdgm.src.ip": "192.168.0.122", "nbdgm.src.port": "138", "nbdgm.dgram_len": "198",
			"nbdgm.pkt_offset": "0", "nbdgm.source_name": "PC7<00>.CORP.EXAMPLE", "nbdgm.destination_name": "FILESRV<20>.CORP.EXAMPLE",
		},
		info: "Direct_unique datagram", payload: 104, src: "PC7<00>.CORP.EXAMPLE", dst: "FILESRV<20>.CORP.EXAMPLE",
	},
	{
		// Built to RFC 1002 §4.4.2: BROADCAST from an M node. tshark: "2
		// 0.001000 192.168.0.122 → 192.168.0.255 BROWSER 228 Request
		// Announcement TESLA-MARKETING".
		name: "built: broadcast",
		pkt: `
		12 0a 10 02  # MSG_TYPE 0x12 BROADCAST, FLAGS 0x0a (F, M node), DGM_ID 0x1002
		c0 a8 00 7a 00 8a  # SOURCE_IP, SOURCE_PORT
		00 ac 00 00  # DGM_LENGTH 172, PACKET_OFFSET 0
		20 46 45 45 46 46 44 45 4d 45 42 43 4e 45 4e 45 42 46 43 45 4c 45 46 46 45 45 4a 45 4f 45 48 41 41 00  # SOURCE_NAME TESLA-MARKETING<00>
		20 43 4b 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 41 41 00  # DESTINATION_NAME *<00>` + nbdgmUserData,
		want: map[string]string{
			"nbdgm.type": "18", "nbdgm.flags": "0x0a", "nbdgm.next": "0", "nbdgm.first": "1", "nbdgm.node_type": "2",
			"nbdgm.dgram_id": "0x1002", "nbdgm.src.ip": "192.168.0.122", "nbdgm.src.port": "138", "nbdgm.dgram_len": "172",
			"nbdgm.pkt_offset": "0", "nbdgm.source_name": "TESLA-MARKETING<00>", "nbdgm.destination_name": "*<00>",
		},
		info: "Broadcast datagram", payload: 104,
	},
	{
		// Built to RFC 1002 §4.4.3. tshark: "3 0.002000 192.168.0.122 →
		// 192.168.0.255 NBDS 60 Datagram error".
		name: "built: datagram error 0x82",
		pkt: `
		13 0e 10 03  # MSG_TYPE 0x13 DATAGRAM ERROR, FLAGS 0x0e (F, NBDD), DGM_ID 0x1003
		c0 a8 00 7a 00 8a  # SOURCE_IP, SOURCE_PORT
		82  # ERROR_CODE DESTINATION NAME NOT PRESENT`,
		want: map[string]string{
			"nbdgm.type": "19", "nbdgm.flags": "0x0e", "nbdgm.next": "0", "nbdgm.first": "1", "nbdgm.node_type": "3",
			"nbdgm.dgram_id": "0x1003", "nbdgm.src.ip": "192.168.0.122", "nbdgm.src.port": "138", "nbdgm.error_code": "0x82",
		},
		info: "Datagram error",
	},
	{
		name: "built: datagram error 0x83", // tshark: frame 4, "Datagram error"
		pkt:  `13 0e 10 03 c0 a8 00 7a 00 8a 83`,
		want: map[string]string{
			"nbdgm.type": "19", "nbdgm.flags": "0x0e", "nbdgm.next": "0", "nbdgm.first": "1", "nbdgm.node_type": "3",
			"nbdgm.dgram_id": "0x1003", "nbdgm.src.ip": "192.168.0.122", "nbdgm.src.port": "138", "nbdgm.error_code": "0x83",
		},
		info: "Datagram error",
	},
	{
		name: "built: datagram error 0x84", // tshark: frame 5, "Datagram error"
		pkt:  `13 0e 10 03 c0 a8 00 7a 00 8a 84`,
		want: map[string]string{
			"nbdgm.type": "19", "nbdgm.flags": "0x0e", "nbdgm.next": "0", "nbdgm.first": "1", "nbdgm.node_type": "3",
			"nbdgm.dgram_id": "0x1003", "nbdgm.src.ip": "192.168.0.122", "nbdgm.src.port": "138", "nbdgm.error_code": "0x84",
		},
		info: "Datagram error",
	},
	{
		// Built to RFC 1002 §4.4.4. tshark: "7 0.006000 192.168.0.122 →
		// 192.168.0.255 NBDS 86 Datagram query request".
		name: "built: query request",
		pkt: `
		14 06 10 04 c0 a8 00 7a 00 8a  # MSG_TYPE 0x14 QUERY REQUEST, FLAGS 0x06, DGM_ID 0x1004, SOURCE_IP, SOURCE_PORT
		20 45 47 45 4a 45 4d 45 46 46 44 46 43 46 47 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 00  # DESTINATION_NAME FILESRV<20>`,
		want: map[string]string{
			"nbdgm.type": "20", "nbdgm.flags": "0x06", "nbdgm.next": "0", "nbdgm.first": "1", "nbdgm.node_type": "1",
			"nbdgm.dgram_id": "0x1004", "nbdgm.src.ip": "192.168.0.122", "nbdgm.src.port": "138", "nbdgm.destination_name": "FILESRV<20>",
		},
		info: "Datagram query request", dst: "FILESRV<20>",
	},
	{
		// Built to RFC 1002 §4.4.5. tshark: frame 8, "Datagram positive
		// query response".
		name: "built: positive query response",
		pkt: `
		15 06 10 04 c0 a8 00 7a 00 8a  # MSG_TYPE 0x15 POSITIVE QUERY RESPONSE
		20 45 47 45 4a 45 4d 45 46 46 44 46 43 46 47 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 00  # DESTINATION_NAME FILESRV<20>`,
		want: map[string]string{
			"nbdgm.type": "21", "nbdgm.flags": "0x06", "nbdgm.next": "0", "nbdgm.first": "1", "nbdgm.node_type": "1",
			"nbdgm.dgram_id": "0x1004", "nbdgm.src.ip": "192.168.0.122", "nbdgm.src.port": "138", "nbdgm.destination_name": "FILESRV<20>",
		},
		info: "Datagram positive query response",
	},
	{
		// Built to RFC 1002 §4.4.5. tshark: frame 9, "Datagram negative
		// query response".
		name: "built: negative query response",
		pkt: `
		16 06 10 04 c0 a8 00 7a 00 8a  # MSG_TYPE 0x16 NEGATIVE QUERY RESPONSE
		20 45 47 45 4a 45 4d 45 46 46 44 46 43 46 47 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 00  # DESTINATION_NAME FILESRV<20>`,
		want: map[string]string{
			"nbdgm.type": "22", "nbdgm.flags": "0x06", "nbdgm.next": "0", "nbdgm.first": "1", "nbdgm.node_type": "1",
			"nbdgm.dgram_id": "0x1004", "nbdgm.src.ip": "192.168.0.122", "nbdgm.src.port": "138", "nbdgm.destination_name": "FILESRV<20>",
		},
		info: "Datagram negative query response",
	},
	{
		// Built: an all-space name keeps its 15 spaces in tshark, and
		// unprintable characters print as <xx>. tshark: frame 10,
		// "Request Announcement TESLA-MARKETING".
		name: "built: blank and unprintable names",
		pkt: `
		11 02 10 05 c0 a8 00 7a 00 8a 00 ac 00 00  # DIRECT_GROUP, DGM_ID 0x1005, DGM_LENGTH 172
		20 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 00  # SOURCE_NAME: fifteen spaces, <20>
		20 45 42 45 43 41 42 45 44 45 45 48 50 45 46 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 42 4f 00  # DESTINATION_NAME "AB\x01CD\x7fE", spaces, <1e>` + nbdgmUserData,
		want: map[string]string{
			"nbdgm.type": "17", "nbdgm.flags": "0x02", "nbdgm.next": "0", "nbdgm.first": "1", "nbdgm.node_type": "0",
			"nbdgm.dgram_id": "0x1005", "nbdgm.src.ip": "192.168.0.122", "nbdgm.src.port": "138", "nbdgm.dgram_len": "172",
			"nbdgm.pkt_offset": "0", "nbdgm.source_name": "               <20>", "nbdgm.destination_name": "AB<01>CD<7f>E<1e>",
		},
		info: "Direct_group datagram", payload: 104,
	},
	{
		// Built: tshark accepts 'A'..'Z' in the first-level encoding ("ZQ"
		// decodes to 0x90), and a 30-byte label is 15 bytes long. tshark:
		// frame 11, "Request Announcement TESLA-MARKETING".
		name: "built: letters past P and a short label",
		pkt: `
		11 02 10 06 c0 a8 00 7a 00 8a 00 aa 00 00  # DIRECT_GROUP, DGM_ID 0x1006, DGM_LENGTH 170
		20 5a 51 45 50 46 43 45 4c 45 48 46 43 45 50 46 46 46 41 43 41 43 41 43 41 43 41 43 41 43 41 42 4e 00  # SOURCE_NAME WORKGROUP<1d>, "ZQ" for "FH"
		1e 46 44 45 49 45 50 46 43 46 45 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 00  # DESTINATION_NAME: a 30-byte label` + nbdgmUserData,
		want: map[string]string{
			"nbdgm.type": "17", "nbdgm.flags": "0x02", "nbdgm.next": "0", "nbdgm.first": "1", "nbdgm.node_type": "0",
			"nbdgm.dgram_id": "0x1006", "nbdgm.src.ip": "192.168.0.122", "nbdgm.src.port": "138", "nbdgm.dgram_len": "170",
			"nbdgm.pkt_offset": "0", "nbdgm.source_name": "<90>ORKGROUP<1d>", "nbdgm.destination_name": "Illegal NetBIOS name (15 bytes long)",
		},
		info: "Direct_group datagram", payload: 104,
	},
	{
		// Built: an odd-length label, and a lower-case letter. tshark: frame
		// 12, "Request Announcement TESLA-MARKETING".
		name: "built: odd label and lower case",
		pkt: `
		11 02 10 07 c0 a8 00 7a 00 8a 00 ab 00 00  # DIRECT_GROUP, DGM_ID 0x1007, DGM_LENGTH 171
		1f 45 50 45 45 45 45 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 00  # SOURCE_NAME: a 31-byte label
		20 45 4d 65 50 46 48 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 00  # DESTINATION_NAME LOW<20>, one 'e'` + nbdgmUserData,
		want: map[string]string{
			"nbdgm.type": "17", "nbdgm.flags": "0x02", "nbdgm.next": "0", "nbdgm.first": "1", "nbdgm.node_type": "0",
			"nbdgm.dgram_id": "0x1007", "nbdgm.src.ip": "192.168.0.122", "nbdgm.src.port": "138", "nbdgm.dgram_len": "171",
			"nbdgm.pkt_offset": "0", "nbdgm.source_name": "Illegal NetBIOS name (odd number of bytes)",
			"nbdgm.destination_name": "Illegal NetBIOS name (1st character not between A and Z in first-level encoding)",
		},
		info: "Direct_group datagram", payload: 104,
	},
	{
		// Built to RFC 1002 §4.4.1 (second fragment of three: M set, F
		// clear, PACKET_OFFSET 40). tshark: "14 0.013000 192.168.0.122 →
		// 192.168.0.255 NBDS 154 Direct_group datagram".
		name: "built: middle fragment",
		pkt: `
		11 01 10 08 c0 a8 00 7a 00 8a  # DIRECT_GROUP, FLAGS 0x01 (M), DGM_ID 0x1008
		00 62 00 28  # DGM_LENGTH 98, PACKET_OFFSET 40
		20 46 45 45 46 46 44 45 4d 45 42 43 4e 45 4e 45 42 46 43 45 4c 45 46 46 45 45 4a 45 4f 45 48 41 41 00  # SOURCE_NAME TESLA-MARKETING<00>
		20 46 45 45 46 46 44 45 4d 45 42 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 42 4e 00  # DESTINATION_NAME TESLA<1d>
		00 00 00 00 00 00 e8 03 00 00 00 00 00 00 00 00 12 00 56 00 03 00 01 00 01 00 02 00 23 00 5c  # USER_DATA bytes 40 to 69`,
		want: map[string]string{
			"nbdgm.type": "17", "nbdgm.flags": "0x01", "nbdgm.next": "1", "nbdgm.first": "0", "nbdgm.node_type": "0",
			"nbdgm.dgram_id": "0x1008", "nbdgm.src.ip": "192.168.0.122", "nbdgm.src.port": "138", "nbdgm.dgram_len": "98",
			"nbdgm.pkt_offset": "40", "nbdgm.source_name": "TESLA-MARKETING<00>", "nbdgm.destination_name": "TESLA<1d>",
		},
		info: "Direct_group datagram", payload: 30,
	},
	{
		// Built: MSG_TYPE 0x1f is not in RFC 1002. tshark: "16 0.015000
		// 192.168.0.122 → 192.168.0.255 NBDS 60 Unknown message type (0x1F)",
		// showing the common header only.
		name: "built: unknown type",
		pkt:  `1f 02 10 09 c0 a8 00 7a 00 8a 01 02 03 04`,
		want: map[string]string{
			"nbdgm.type": "31", "nbdgm.flags": "0x02", "nbdgm.next": "0", "nbdgm.first": "1", "nbdgm.node_type": "0",
			"nbdgm.dgram_id": "0x1009", "nbdgm.src.ip": "192.168.0.122", "nbdgm.src.port": "138",
		},
		info: "Unknown message type (0x1F)", err: ErrMalformed,
	},
	{
		// synthetic/malformed-fuzzed-nbns-nbdgm_ndpi-fuzz-2006-06-26-2594.pcap
		// frame 368, tshark: "368 774.814054 192.168.1.2 → 192.168.1.255
		// SMB 243 Trans Request" (0xb6 and '8' in the encoded names).
		name: "fuzzed frame 368, bad second characters",
		pkt: `
		11 0e 85 27 c0 a8 01 02 00 8a 00 bb 00 00  # DIRECT_GROUP, F, NBDD, DGM_ID 0x8527, DGM_LENGTH 187
		20 45 45 44 41 44 41 44 43 44 45 44 47 44 46 43 b6 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43  # SOURCE_NAME with 0xb6
		41 00
		20 45 46 45 44 45 4a 46 50 45 45 45 38 45 4e 45 42 45 4a 45 4f 43 41 43 41 43 41 43 41 43 41 42  # DESTINATION_NAME with '8'
		4e 00
		ff 53 4d 42 25 36 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  # USER_DATA
		00 00 00 21 00 00 00 00 00 00 00 00 00 e8 03 00 00 00 00 00 00 00 00 21 04 56 00 03 00 01 00 00
		00 02 00 36 00 5c 4d 41 49 4c 53 4c 4f 54 5c 42 52 4f 57 53 45 00 01 00 80 fc 0a 00 44 30 30 32
		34 36 35 00 00 00 00 00 00 00 00 00 05 00 03 61 00 00 0f 01 55 aa 00`,
		want: map[string]string{
			"nbdgm.type": "17", "nbdgm.flags": "0x0e", "nbdgm.next": "0", "nbdgm.first": "1", "nbdgm.node_type": "3",
			"nbdgm.dgram_id": "0x8527", "nbdgm.src.ip": "192.168.1.2", "nbdgm.src.port": "138", "nbdgm.dgram_len": "187",
			"nbdgm.pkt_offset":       "0",
			"nbdgm.source_name":      "Illegal NetBIOS name (2nd character not between A and Z in first-level encoding)",
			"nbdgm.destination_name": "Illegal NetBIOS name (2nd character not between A and Z in first-level encoding)",
		},
		info: "Direct_group datagram", payload: 119,
	},
	{
		// synthetic/malformed-fuzzed-nbns-nbdgm_ndpi-fuzz-2006-06-26-2594.pcap
		// frame 34, tshark: "34 54.257334 192.168.1.2 → 192.168.1.251 NBDS
		// 243 Direct_group datagram[Malformed Packet]": the source name
		// starts with 0xaa, a reserved label type.
		name: "fuzzed frame 34, reserved label type",
		pkt: `
		11 0e 84 ec c0 a8 01 02 00 8a 00 bb 00 00  # DIRECT_GROUP, DGM_ID 0x84ec, DGM_LENGTH 187
		aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa  # SOURCE_NAME: label type 0x80`,
		want: map[string]string{
			"nbdgm.type": "17", "nbdgm.flags": "0x0e", "nbdgm.next": "0", "nbdgm.first": "1", "nbdgm.node_type": "3",
			"nbdgm.dgram_id": "0x84ec", "nbdgm.src.ip": "192.168.1.2", "nbdgm.src.port": "138", "nbdgm.dgram_len": "187",
			"nbdgm.pkt_offset": "0",
		},
		info: "Direct_group datagram", err: ErrMalformed,
	},
	{
		// synthetic/malformed-fuzzed-nbns-nbdgm_ndpi-fuzz-2006-06-26-2594.pcap
		// frame 472, tshark: "472 1125.478628 192.168.1.41 → 192.168.1.255
		// NBDS 216 Direct_group datagram[Malformed Packet]". The source
		// name's third label is 0x46, an RFC 2673 extended label of
		// unknown type: tshark ends the name there ("<Unknown extended
		// label>", shown as the illegal-first-character text); the
		// destination name starts with one, where tshark throws.
		name: "fuzzed frame 472, unknown extended label",
		pkt: `
		11 02 91 53 c0 a8 01 29 00 8a 00 a0 00 00  # DIRECT_GROUP, DGM_ID 0x9153, DGM_LENGTH 160
		20 45 4d 45 42 45 43 44 42 44 42 44 42 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 41 41  # SOURCE_NAME: 32-byte label
		10 20 46 48 45 50 46 43 45 4c 45 48 46 43 45 50 46  # a 16-byte scope label
		46  # extended label type 0x46: the source name ends here
		46  # DESTINATION_NAME: extended label first
		41 43 41 43 41 43 41 43 41 43 41 43 41 42 4e 00 ff 53 4d 42 25 00 00 00 00 00 00 00 00 00 00 00
		00 00 00 00 00 00 4c 00 00 00 00 00 00 00 00 00 11 00 00 06 00 00 40 00 00 00 00 00 00 e8 03 00
		00 00 00 00 00 00 00 06 00 56 00 03 00 01 00 01 00 02 00 17 00 5c 4d 41 49 4c 53 4c 4f 54 5c 42
		52 4f 57 53 45 00 09 04 d8 00 cf 00`,
		want: map[string]string{
			"nbdgm.type": "17", "nbdgm.flags": "0x02", "nbdgm.next": "0", "nbdgm.first": "1", "nbdgm.node_type": "0",
			"nbdgm.dgram_id": "0x9153", "nbdgm.src.ip": "192.168.1.41", "nbdgm.src.port": "138", "nbdgm.dgram_len": "160",
			"nbdgm.pkt_offset":  "0",
			"nbdgm.source_name": "Illegal NetBIOS name (1st character not between A and Z in first-level encoding)",
		},
		info: "Direct_group datagram", err: ErrMalformed,
	},
}

func TestNBDGMDecode(t *testing.T) {
	for _, tt := range nbdgmDecodeTests {
		t.Run(tt.name, func(t *testing.T) {
			pkt := nbtHex(t, tt.pkt)
			var d NBDGM
			err := d.DecodeFromBytes(pkt, nil)
			switch {
			case tt.err == nil && err != nil:
				t.Fatalf("DecodeFromBytes: %v", err)
			case tt.err != nil && !errors.Is(err, tt.err):
				t.Fatalf("DecodeFromBytes error %v, want %v", err, tt.err)
			}
			if d.Err != err {
				t.Errorf("Err field %v, returned %v", d.Err, err)
			}
			var tr Tree
			d.AppendTree(&tr)
			nbtCheckFields(t, &tr, "nbdgm", tt.want)
			if got := string(d.AppendInfo(nil)); got != tt.info {
				t.Errorf("info %q, want %q", got, tt.info)
			}
			if len(d.Payload) != tt.payload {
				t.Errorf("payload %d bytes, want %d", len(d.Payload), tt.payload)
			}
			if tt.src != "" && d.SourceName.String() != tt.src {
				t.Errorf("SourceName %q, want %q", d.SourceName.String(), tt.src)
			}
			if tt.dst != "" && d.DestinationName.String() != tt.dst {
				t.Errorf("DestinationName %q, want %q", d.DestinationName.String(), tt.dst)
			}
			last := tr.Nodes[len(tr.Nodes)-1]
			if hasExpert := last.Flags&NodeError != 0 && strings.HasPrefix(last.Label, "[Malformed: "); hasExpert != (err != nil) {
				t.Errorf("last node %q: malformed note %v, decode error %v", last.Label, hasExpert, err)
			}
		})
	}
}

// TestNBDGMFragmentFlags checks Fragmented and NextLayerType against RFC
// 1001 §17.1.3 on the real frame and on its built middle fragment.
func TestNBDGMFragmentFlags(t *testing.T) {
	var d NBDGM
	if err := d.DecodeFromBytes(nbtHex(t, nbdgmBethscomputer2), nil); err != nil {
		t.Fatal(err)
	}
	if d.Fragmented() || d.NextLayerType() != LayerTypeSMB {
		t.Errorf("whole datagram: Fragmented %v, next %v", d.Fragmented(), d.NextLayerType())
	}
	if d.Flags.String() != "F|B node" || d.Flags.NodeType() != NBDGMBNode {
		t.Errorf("flags %q", d.Flags.String())
	}
	for _, tt := range nbdgmDecodeTests {
		if tt.name == "built: middle fragment" {
			if err := d.DecodeFromBytes(nbtHex(t, tt.pkt), nil); err != nil {
				t.Fatal(err)
			}
			if !d.Fragmented() || d.NextLayerType() == LayerTypeSMB || d.PacketOffset != 40 {
				t.Errorf("fragment: Fragmented %v, next %v, offset %d", d.Fragmented(), d.NextLayerType(), d.PacketOffset)
			}
		}
	}
}

// A DGM_LENGTH that disagrees with the UDP payload (counting the 14-byte
// header, or cut short) is no error: as tshark does, the user data is the
// rest of the payload, and an expert note says so (nbtsniff.expert).
// Frame 2 of bethscomputer.pcap with its length field changed, and cut.
func TestNBDGMLengthDisagrees(t *testing.T) {
	good := nbtHex(t, nbdgmBethscomputer2)
	withLen := func(n int) []byte {
		b := append([]byte(nil), good...)
		b[10], b[11] = byte(n>>8), byte(n)
		return b
	}
	whole := len(good) - nbdgmDirectLen
	tests := []struct {
		name    string
		pkt     []byte
		payload int
	}{
		{"length counts the header", withLen(whole + 14), len(good) - 82},
		{"length below the names", withLen(10), len(good) - 82},
		{"length 20 short", withLen(whole - 20), len(good) - 82},
		{"user data cut", good[:100], 100 - 82},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d NBDGM
			if err := d.DecodeFromBytes(tt.pkt, nil); err != nil {
				t.Fatalf("DecodeFromBytes: %v", err)
			}
			if !d.LengthDisagrees {
				t.Error("LengthDisagrees not set")
			}
			if len(d.Payload) != tt.payload {
				t.Errorf("payload %d bytes, want %d (the rest of the UDP payload)", len(d.Payload), tt.payload)
			}
			var tr Tree
			d.AppendTree(&tr)
			found := false
			for _, n := range tr.Nodes {
				if n.Field == FieldExpert && strings.HasPrefix(string(n.S), "Datagram length ") {
					found = true
				}
			}
			if !found {
				t.Error("no nbtsniff.expert note on the datagram length")
			}
		})
	}
	var d NBDGM
	if err := d.DecodeFromBytes(good, nil); err != nil || d.LengthDisagrees {
		t.Errorf("the real frame: error %v, LengthDisagrees %v", err, d.LengthDisagrees)
	}
}

// TestNBDGMMalformed cuts and corrupts the real frame.
func TestNBDGMMalformed(t *testing.T) {
	good := nbtHex(t, nbdgmBethscomputer2)
	with := func(i int, v byte) []byte {
		b := append([]byte(nil), good...)
		b[i] = v
		return b
	}
	tests := []struct {
		name  string
		pkt   []byte
		err   error
		field string
	}{
		{"empty", nil, ErrTruncated, "header"},
		{"one byte", good[:1], ErrTruncated, "header"},
		{"nine bytes", good[:9], ErrTruncated, "header"},
		{"no packet offset", good[:12], ErrTruncated, "datagram header"},
		{"no source name", good[:14], ErrTruncated, "source name"},
		{"half a source name", good[:30], ErrTruncated, "source name"},
		{"no destination name", good[:48], ErrTruncated, "destination name"},
		{"source name pointer loop", append(append([]byte(nil), good[:14]...), 0xc0, 0x00), ErrMalformed, "source name"},
		{"error without code", nbtHex(t, `13 0e 10 03 c0 a8 00 7a 00 8a`), ErrTruncated, "error code"},
		{"query without name", nbtHex(t, `14 06 10 04 c0 a8 00 7a 00 8a`), ErrTruncated, "destination name"},
		{"unknown type", with(0, 0x20), ErrMalformed, "message type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d NBDGM
			err := d.DecodeFromBytes(tt.pkt, nil)
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			var de *DecodeError
			if !errors.As(err, &de) || de.Field != tt.field || de.Proto != "nbdgm" {
				t.Errorf("error %#v, want field %q", err, tt.field)
			}
			var tr Tree
			d.AppendTree(&tr)
			last := tr.Nodes[len(tr.Nodes)-1]
			if last.Flags&NodeError == 0 || last.Label != "[Malformed: "+err.Error()+"]" {
				t.Errorf("last node %+v, want the malformed note", last)
			}
			if tr.Depth() != 0 {
				t.Errorf("tree left at depth %d", tr.Depth())
			}
			_ = d.AppendInfo(nil)
		})
	}
}

func TestNBDGMAllocs(t *testing.T) {
	pkt := nbtHex(t, nbdgmBethscomputer2)
	var d NBDGM
	var tr Tree
	info := make([]byte, 0, 128)
	run := func() {
		if err := d.DecodeFromBytes(pkt, nil); err != nil {
			t.Fatal(err)
		}
		tr.Reset()
		d.AppendTree(&tr)
		info = d.AppendInfo(info[:0])
	}
	run()
	run() // the tree's scratch space has grown
	if n := testing.AllocsPerRun(100, func() {
		if err := d.DecodeFromBytes(pkt, nil); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("DecodeFromBytes: %v allocations", n)
	}
	if n := testing.AllocsPerRun(100, run); n != 0 {
		t.Errorf("decode, tree and info: %v allocations", n)
	}
}

func BenchmarkNBDGM(b *testing.B) {
	pkt := nbtHex(b, nbdgmBethscomputer2)
	var d NBDGM
	var tr Tree
	b.ReportAllocs()
	b.SetBytes(int64(len(pkt)))
	for i := 0; i < b.N; i++ {
		if err := d.DecodeFromBytes(pkt, nil); err != nil {
			b.Fatal(err)
		}
		tr.Reset()
		d.AppendTree(&tr)
	}
}

func FuzzNBDGM(f *testing.F) {
	for _, tt := range nbdgmDecodeTests {
		f.Add(nbtHex(f, tt.pkt))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var d NBDGM
		err := d.DecodeFromBytes(data, nil)
		if err != d.Err {
			t.Fatalf("returned %v, Err %v", err, d.Err)
		}
		if len(d.Contents)+len(d.Payload) > len(data) {
			t.Fatalf("contents %d + payload %d > %d", len(d.Contents), len(d.Payload), len(data))
		}
		if err == nil && d.Type.HasNames() && !d.LengthDisagrees && len(d.Contents)+len(d.Payload) != nbdgmDirectLen+int(d.DatagramLength) {
			t.Fatalf("contents %d + payload %d, datagram length %d", len(d.Contents), len(d.Payload), d.DatagramLength)
		}
		var tr Tree
		d.AppendTree(&tr)
		if tr.Depth() != 0 {
			t.Fatalf("tree left at depth %d", tr.Depth())
		}
		for _, n := range tr.Nodes {
			if n.Off < 0 && n.Field != 0 || int(n.Off)+int(n.Len) > len(data) {
				t.Fatalf("node %s at %d+%d outside %d bytes", Field(n.Field).Abbrev, n.Off, n.Len, len(data))
			}
		}
		_ = d.AppendInfo(nil)
		_ = d.NextLayerType()
	})
}
