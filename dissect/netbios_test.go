package dissect

import (
	"testing"

	"github.com/gopacket/gopacket"
)

// The packets start at the NetBIOS header (after LLC); the values are
// what tshark 4.0.17 prints (-T fields -e netbios.*). wfw and win98 are
// ../shared/pcaps/netbios-legacy-wfw311-netbeui-ipx-browser-rap-
// netshareenum_wswiki-smb-legacy-implementation.pcapng and nbns-
// registration-browser-elections-udp-and-netbeui_ndpi-dos_win98_smb_netbeui.pcap.

// netbiosWfW2 is wfw frame 2, its SMB cut: "BROWSER 190 Local Master
// Announcement WFW_HOST_1, ...".
const netbiosWfW2 = `
	2c 00 ff ef  # LENGTH 44, delimiter 0xEFFF
	08 00 00 00  # Datagram, DATA1, DATA2
	00 00 00 00  # correlators
	57 4f 52 4b 47 52 4f 55 50 20 20 20 20 20 20 1e  # receiver WORKGROUP<1e>
	57 46 57 5f 48 4f 53 54 5f 31 20 20 20 20 20 00  # sender WFW_HOST_1<00>
	ff 53 4d 42 25  # SMB (cut)`

// netbiosNames are the two names of the built name frames: WORKGROUP<1d>
// and HOST-A<00>.
const netbiosNames = `
	57 4f 52 4b 47 52 4f 55 50 20 20 20 20 20 20 1d  # WORKGROUP<1d>
	48 4f 53 54 2d 41 20 20 20 20 20 20 20 20 20 00  # HOST-A<00>`

var netbiosDecodeTests = []struct {
	name    string
	pkt     string
	want    map[string]string
	info    string
	payload int
	next    gopacket.LayerType
}{
	{name: "wfw frame 2: Datagram", pkt: netbiosWfW2,
		want: map[string]string{"netbios.command": "0x08", "netbios.hdr_len": "44", "netbios.delimiter": "0xefff",
			"netbios.nb_name_type": "0x1e,0x00", "netbios.nb_name": "WORKGROUP,WFW_HOST_1"},
		info: "Datagram", payload: 5, next: LayerTypeSMB},
	{
		// wfw frame 104: "NetBIOS 61 Name Query for WFW_HOST_2<20>".
		name: "wfw frame 104: Name Query", pkt: `
			2c 00 ff ef 0a  # Name Query
			00 0e 00  # DATA1, DATA2: local session 0x0e, caller's name unique
			00 00 0e 00  # xmit, resp correlator 0x000e
			57 46 57 5f 48 4f 53 54 5f 32 20 20 20 20 20 20  # WFW_HOST_2<20>
			57 46 57 5f 48 4f 53 54 5f 31 20 20 20 20 20 00  # WFW_HOST_1<00>`,
		want: map[string]string{"netbios.command": "0x0a", "netbios.hdr_len": "44", "netbios.delimiter": "0xefff",
			"netbios.resp_corrl": "0x000e", "netbios.call_name_type": "0x00", "netbios.nb_name_type": "0x20,0x00",
			"netbios.nb_name": "WFW_HOST_2,WFW_HOST_1", "netbios.local_session_no": "0x0e"},
		info: "Name Query for WFW_HOST_2<20>", next: gopacket.LayerTypePayload,
	},
	{
		// wfw frame 106: "NetBIOS 61 Name Recognized - WFW_HOST_2<20>".
		name: "wfw frame 106: Name Recognized", pkt: `
			2c 00 ff ef 0e  00 08 00  0e 00 08 00  # local session 0x08, xmit 0x000e, resp 0x0008
			57 46 57 5f 48 4f 53 54 5f 31 20 20 20 20 20 00  # WFW_HOST_1<00>
			57 46 57 5f 48 4f 53 54 5f 32 20 20 20 20 20 20  # WFW_HOST_2<20>`,
		want: map[string]string{"netbios.command": "0x0e", "netbios.hdr_len": "44", "netbios.delimiter": "0xefff",
			"netbios.xmit_corrl": "0x000e", "netbios.resp_corrl": "0x0008", "netbios.call_name_type": "0x00",
			"netbios.nb_name_type": "0x00,0x20", "netbios.nb_name": "WFW_HOST_1,WFW_HOST_2", "netbios.local_session_no": "0x08"},
		info: "Name Recognized - WFW_HOST_2<20>", next: gopacket.LayerTypePayload,
	},
	{
		// wfw frame 115: "NetBIOS 32 Session Initialize".
		name: "wfw frame 115: Session Initialize", pkt: `
			0e 00 ff ef 19  # LENGTH 14, Session Initialize
			8f bc 05  # flags 0x8f (SEND.NO.ACK, largest frame 7, version 2), max receive 1468
			08 00 0e 00  # xmit 0x0008, resp 0x000e
			08 0e  # remote session 0x08, local session 0x0e`,
		want: map[string]string{"netbios.command": "0x19", "netbios.hdr_len": "14", "netbios.delimiter": "0xefff",
			"netbios.xmit_corrl": "0x0008", "netbios.resp_corrl": "0x000e", "netbios.version": "1", "netbios.largest_frame": "7",
			"netbios.max_data_recv_size": "1468", "netbios.local_session": "0x0e", "netbios.remote_session": "0x08",
			"netbios.flags": "0x8f", "netbios.flags.send_no_ack": "1"},
		info: "Session Initialize", next: gopacket.LayerTypePayload,
	},
	{
		// wfw frame 117: "NetBIOS 32 Session Confirm".
		name: "wfw frame 117: Session Confirm", pkt: `0e 00 ff ef 17  81 bc 05  0e 00 08 00  0e 08`,
		want: map[string]string{"netbios.command": "0x17", "netbios.hdr_len": "14", "netbios.delimiter": "0xefff",
			"netbios.xmit_corrl": "0x000e", "netbios.resp_corrl": "0x0008", "netbios.version": "1",
			"netbios.max_data_recv_size": "1468", "netbios.local_session": "0x08", "netbios.remote_session": "0x0e",
			"netbios.flags": "0x81", "netbios.flags.send_no_ack": "1"},
		info: "Session Confirm", next: gopacket.LayerTypePayload,
	},
	{
		// wfw frame 121: "NetBIOS 32 Session End".
		name: "wfw frame 121: Session End", pkt: `0e 00 ff ef 18  00 00 00  00 00 00 00  08 0e`,
		want: map[string]string{"netbios.command": "0x18", "netbios.hdr_len": "14", "netbios.delimiter": "0xefff",
			"netbios.termination_indicator": "0x0000", "netbios.local_session": "0x0e", "netbios.remote_session": "0x08"},
		info: "Session End", next: gopacket.LayerTypePayload,
	},
	{
		// win98 frame 75, its SMB cut: "SMB 174 Negotiate Protocol Request".
		name: "win98 frame 75: Data Only Last", pkt: `
			0e 00 ff ef 16  # Data Only Last
			04 00 00  # flags 0x04 (ACK_WITH_DATA allowed), re-sync 0
			00 00 01 00  # xmit 0, resp 1
			15 03  # remote 0x15, local 0x03
			ff 53 4d 42 72  # SMB Negotiate (cut)`,
		want: map[string]string{"netbios.command": "0x16", "netbios.hdr_len": "14", "netbios.delimiter": "0xefff",
			"netbios.xmit_corrl": "0x0000", "netbios.resp_corrl": "0x0001", "netbios.local_session": "0x03",
			"netbios.remote_session": "0x15", "netbios.flags": "0x04", "netbios.flags.ack": "0",
			"netbios.flags.ack_with_data": "1", "netbios.flags.ack_expected": "0", "netbios.resync_indicator": "0x0000"},
		info: "Data Only Last", payload: 5, next: LayerTypeSMB,
	},
	{
		// win98 frame 87: "NetBIOS 60 Data Ack".
		name: "win98 frame 87: Data Ack", pkt: `0e 00 ff ef 14  00 00 00  28 00 00 00  15 03`,
		want: map[string]string{"netbios.command": "0x14", "netbios.hdr_len": "14", "netbios.delimiter": "0xefff",
			"netbios.xmit_corrl": "0x0028", "netbios.local_session": "0x03", "netbios.remote_session": "0x15"},
		info: "Data Ack", next: gopacket.LayerTypePayload,
	},
	{
		name: "built: Status Query", pkt: `2c 00 ff ef 03  00 c8 00  00 00 07 00` + netbiosNames,
		want: map[string]string{"netbios.command": "0x03", "netbios.hdr_len": "44", "netbios.delimiter": "0xefff",
			"netbios.resp_corrl": "0x0007", "netbios.nb_name_type": "0x1d,0x00", "netbios.nb_name": "WORKGROUP,HOST-A",
			"netbios.status_buffer_len": "200", "netbios.status_request": "0"},
		info: "Status Query", next: gopacket.LayerTypePayload,
	},
	{
		name: "built: Status Response", pkt: `2c 00 ff ef 0f  02 23 c1  07 00 00 00  # DATA2 0xc123: both bits, 291 bytes` + netbiosNames,
		want: map[string]string{"netbios.command": "0x0f", "netbios.hdr_len": "44", "netbios.delimiter": "0xefff",
			"netbios.xmit_corrl": "0x0007", "netbios.call_name_type": "0xc1", "netbios.nb_name_type": "0x1d,0x00",
			"netbios.nb_name": "WORKGROUP,HOST-A", "netbios.data2": "0xc123", "netbios.data2.frame": "1",
			"netbios.data2.user": "1", "netbios.data2.status": "291", "netbios.status_response": "2"},
		info: "Status Response", next: gopacket.LayerTypePayload,
	},
	{
		name: "built: Name In Conflict", pkt: `2c 00 ff ef 02  00 00 00  00 00 00 00` + netbiosNames,
		want: map[string]string{"netbios.command": "0x02", "netbios.hdr_len": "44", "netbios.delimiter": "0xefff",
			"netbios.nb_name_type": "0x1d,0x00", "netbios.nb_name": "WORKGROUP,HOST-A"},
		info: "Name In Conflict", next: gopacket.LayerTypePayload,
	},
	{
		name: "built: Add Name Response", pkt: `2c 00 ff ef 0d  01 01 00  09 00 00 00  # in process, group name` + netbiosNames,
		want: map[string]string{"netbios.command": "0x0d", "netbios.hdr_len": "44", "netbios.delimiter": "0xefff",
			"netbios.xmit_corrl": "0x0009", "netbios.nb_name_type": "0x1d,0x00", "netbios.nb_name": "WORKGROUP,HOST-A",
			"netbios.status": "1", "netbios.name_type": "1"},
		info: "Add Name Response", next: gopacket.LayerTypePayload,
	},
	{
		// tshark's "Weird.": a datagram whose sender name is ten zero bytes
		// and a MAC address.
		name: "built: Datagram from a MAC", pkt: `
			2c 00 ff ef 08  00 00 00  00 00 00 00
			57 4f 52 4b 47 52 4f 55 50 20 20 20 20 20 20 1e  # WORKGROUP<1e>
			00 00 00 00 00 00 00 00 00 00  00 00 0c 0a 0a 0a  # zeros, MAC
			ff 53 4d 42  # SMB`,
		want: map[string]string{"netbios.command": "0x08", "netbios.hdr_len": "44", "netbios.delimiter": "0xefff",
			"netbios.nb_name_type": "0x1e", "netbios.nb_name": "WORKGROUP", "netbios.datagram_mac": "00:00:0c:0a:0a:0a"},
		info: "Datagram", payload: 4, next: LayerTypeSMB,
	},
	{
		name: "built: Data First Middle", pkt: `0e 00 ff ef 15  03 00 00  00 00 01 00  03 04  ff 53 4d 42`,
		want: map[string]string{"netbios.command": "0x15", "netbios.hdr_len": "14", "netbios.delimiter": "0xefff",
			"netbios.xmit_corrl": "0x0000", "netbios.resp_corrl": "0x0001", "netbios.local_session": "0x04",
			"netbios.remote_session": "0x03", "netbios.flags": "0x03", "netbios.flags.ack": "0",
			"netbios.flags.ack_expected": "1", "netbios.flags.recv_cont_req": "1", "netbios.resync_indicator": "0x0000"},
		info: "Data First Middle", payload: 4, next: gopacket.LayerTypePayload,
	},
	{
		name: "built: No Receive", pkt: `0e 00 ff ef 1a  02 64 00  00 00 00 00  03 04`,
		want: map[string]string{"netbios.command": "0x1a", "netbios.hdr_len": "14", "netbios.delimiter": "0xefff",
			"netbios.no_receive_flags": "0x02", "netbios.no_receive_flags.send_no_ack": "1",
			"netbios.num_data_bytes_accepted": "100", "netbios.local_session": "0x04", "netbios.remote_session": "0x03"},
		info: "No Receive", next: gopacket.LayerTypePayload,
	},
	{
		name: "built: Receive Continue", pkt: `0e 00 ff ef 1c  00 00 00  05 00 00 00  03 04`,
		want: map[string]string{"netbios.command": "0x1c", "netbios.hdr_len": "14", "netbios.delimiter": "0xefff",
			"netbios.xmit_corrl": "0x0005", "netbios.local_session": "0x04", "netbios.remote_session": "0x03"},
		info: "Receive Continue", next: gopacket.LayerTypePayload,
	},
	{
		name: "built: unknown command", pkt: `0e 00 ff ef 05  00 00 00  00 00 00 00  03 04`,
		want: map[string]string{"netbios.command": "0x05", "netbios.hdr_len": "14", "netbios.delimiter": "0xefff",
			"netbios.unknown_command_data": "1"},
		info: "Unknown (0x05)", next: gopacket.LayerTypePayload,
	},
	{
		// tshark clamps a command past its table to 0x21 and stops.
		name: "built: command past the table", pkt: `0e 00 ff ef 42  00 00 00  00 00 00 00  03 04`,
		want: map[string]string{"netbios.command": "0x21", "netbios.hdr_len": "14", "netbios.delimiter": "0xefff"},
		info: "Unknown (0x21)", next: gopacket.LayerTypePayload,
	},
	{
		name: "built: a stray byte before the header", pkt: `00  0e 00 ff ef 1f  00 00 00  00 00 00 00  03 04`,
		want: map[string]string{"netbios.command": "0x1f", "netbios.hdr_len": "14", "netbios.delimiter": "0xefff",
			"netbios.local_session": "0x04", "netbios.remote_session": "0x03"},
		info: "Session Alive", next: gopacket.LayerTypePayload,
	},
	{
		name: "built: Terminate Trace", pkt: `0c 00 ff ef 07  00 00 00  00 00 00 00`,
		want: map[string]string{"netbios.command": "0x07", "netbios.hdr_len": "12", "netbios.delimiter": "0xefff"},
		info: "Terminate Trace", next: gopacket.LayerTypePayload,
	},
}

func TestNetBIOSDecode(t *testing.T) {
	for _, tt := range netbiosDecodeTests {
		t.Run(tt.name, func(t *testing.T) {
			pkt := nbtHex(t, tt.pkt)
			var n NetBIOS
			if err := n.DecodeFromBytes(pkt, nil); err != nil {
				t.Fatalf("DecodeFromBytes: %v", err)
			}
			var tr Tree
			n.AppendTree(&tr)
			legacyCheck(t, &tr, tt.want, "netbios")
			if got := string(n.AppendInfo(nil)); got != tt.info {
				t.Errorf("info %q, want %q", got, tt.info)
			}
			if len(n.Payload) != tt.payload {
				t.Errorf("payload %d bytes, want %d", len(n.Payload), tt.payload)
			}
			if got := n.NextLayerType(); got != tt.next {
				t.Errorf("next layer %v, want %v", got, tt.next)
			}
			if tr.Depth() != 0 || n.InfoFromBelow() {
				t.Errorf("tree depth %d, info from below %v", tr.Depth(), n.InfoFromBelow())
			}
		})
	}
}

// A frame cut short keeps, in the tree, every field tshark reads before
// the first one it cannot; when the info's name is cut, there is no tree
// and the info stays LLC's, as in tshark.
func TestNetBIOSMalformed(t *testing.T) {
	tests := []struct {
		name, pkt, field string
		err              error
		want             map[string]string // nil: no NetBIOS node
		info             string
		below            bool
	}{
		{name: "empty", pkt: ``, field: "header", err: ErrTruncated, below: true},
		{name: "three bytes", pkt: `0e 00 ff`, field: "header", err: ErrTruncated, below: true},
		{name: "no marker", pkt: `0e 00 ee ee 1f`, field: "delimiter", err: ErrMalformed, info: "Bad packet, no 0xEFFF marker"},
		{name: "no command", pkt: `0e 00 ff ef`, field: "command", err: ErrTruncated, below: true},
		{
			// tshark: "Data Only Last[Malformed Packet]" with the fields
			// up to the re-sync indicator.
			name: "Data Only Last cut", pkt: `0e 00 ff ef 16 00 00 00 00`, field: "Data Only Last", err: ErrTruncated,
			want: map[string]string{"netbios.command": "0x16", "netbios.hdr_len": "14", "netbios.delimiter": "0xefff",
				"netbios.flags": "0x00", "netbios.flags.ack": "0", "netbios.flags.ack_with_data": "0",
				"netbios.flags.ack_expected": "0", "netbios.resync_indicator": "0x0000"},
			info: "Data Only Last",
		},
		{
			// tshark reads the info's name first: no tree, LLC's info.
			name: "Name Recognized cut", pkt: `2c 00 ff ef 0e 00 ff 00 09 00 00 00 57`, field: "Name Recognized",
			err: ErrTruncated, below: true,
		},
		{
			name: "Status Query cut in its sender", pkt: `2c 00 ff ef 03 00 c8 00 00 00 07 00
				57 4f 52 4b 47 52 4f 55 50 20 20 20 20 20 20 1d  48 4f 53  # WORKGROUP<1d>, HOS`,
			field: "Status Query", err: ErrTruncated,
			want: map[string]string{"netbios.command": "0x03", "netbios.hdr_len": "44", "netbios.delimiter": "0xefff",
				"netbios.resp_corrl": "0x0007", "netbios.nb_name_type": "0x1d", "netbios.nb_name": "WORKGROUP",
				"netbios.status_buffer_len": "200", "netbios.status_request": "0"},
			info: "Status Query",
		},
		{
			name: "header length past the end", pkt: `40 00 ff ef 16 00 00 00 00 00 01 00 15 03 ff 53`, field: "length", err: ErrMalformed,
			want: map[string]string{"netbios.command": "0x16", "netbios.hdr_len": "64", "netbios.delimiter": "0xefff",
				"netbios.xmit_corrl": "0x0000", "netbios.resp_corrl": "0x0001", "netbios.local_session": "0x03",
				"netbios.remote_session": "0x15", "netbios.flags": "0x00", "netbios.flags.ack": "0",
				"netbios.flags.ack_with_data": "0", "netbios.flags.ack_expected": "0", "netbios.resync_indicator": "0x0000"},
			info: "Data Only Last",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n NetBIOS
			err := n.DecodeFromBytes(nbtHex(t, tt.pkt), nil)
			legacyDecodeError(t, err, tt.err, "netbios", tt.field)
			if n.Err != err {
				t.Errorf("Err %v, returned %v", n.Err, err)
			}
			var tr Tree
			n.AppendTree(&tr)
			legacyMalformedNote(t, &tr, err)
			if (tr.First(FieldNetBIOS) != nil) != (tt.want != nil) {
				t.Errorf("NetBIOS node present: %v, want %v", tr.First(FieldNetBIOS) != nil, tt.want != nil)
			}
			if tt.want != nil {
				legacyCheck(t, &tr, tt.want, "netbios")
			}
			if got := string(n.AppendInfo(nil)); got != tt.info {
				t.Errorf("info %q, want %q", got, tt.info)
			}
			if n.InfoFromBelow() != tt.below {
				t.Errorf("info from below %v, want %v", n.InfoFromBelow(), tt.below)
			}
			if n.NextLayerType() != gopacket.LayerTypePayload || len(n.Payload) != 0 {
				t.Errorf("next layer %v, payload %d bytes after an error", n.NextLayerType(), len(n.Payload))
			}
		})
	}
}

func TestNetBIOSAllocs(t *testing.T) {
	for _, tt := range netbiosDecodeTests {
		pkt := nbtHex(t, tt.pkt)
		var n NetBIOS
		var tr Tree
		info := make([]byte, 0, 128)
		run := func() {
			if err := n.DecodeFromBytes(pkt, nil); err != nil {
				t.Fatal(err)
			}
			tr.Reset()
			n.AppendTree(&tr)
			info = n.AppendInfo(info[:0])
		}
		run()
		run()
		if a := testing.AllocsPerRun(50, func() { _ = n.DecodeFromBytes(pkt, nil) }); a != 0 {
			t.Errorf("%s: DecodeFromBytes: %v allocations", tt.name, a)
		}
		if a := testing.AllocsPerRun(50, run); a != 0 {
			t.Errorf("%s: decode, tree and info: %v allocations", tt.name, a)
		}
	}
}

func BenchmarkNetBIOS(b *testing.B) {
	pkt := nbtHex(b, netbiosWfW2)
	var n NetBIOS
	var tr Tree
	b.ReportAllocs()
	b.SetBytes(int64(len(pkt)))
	for i := 0; i < b.N; i++ {
		if err := n.DecodeFromBytes(pkt, nil); err != nil {
			b.Fatal(err)
		}
		tr.Reset()
		n.AppendTree(&tr)
	}
}

func FuzzNetBIOS(f *testing.F) {
	for _, tt := range netbiosDecodeTests {
		f.Add(nbtHex(f, tt.pkt))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var n NetBIOS
		err := n.DecodeFromBytes(data, nil)
		if err != n.Err {
			t.Fatalf("returned %v, Err %v", err, n.Err)
		}
		if len(n.Contents) > len(data) || len(n.Payload) > len(data) {
			t.Fatalf("contents %d, payload %d of %d bytes", len(n.Contents), len(n.Payload), len(data))
		}
		var tr Tree
		n.AppendTree(&tr)
		if tr.Depth() != 0 {
			t.Fatalf("tree left at depth %d", tr.Depth())
		}
		_ = n.AppendInfo(nil)
		_ = n.NextLayerType()
	})
}
