package dissect

import (
	"testing"

	"github.com/gopacket/gopacket"
)

// The packets start after the IPX header; the values are what tshark
// 4.0.17 prints (-T fields -e nmpi.* -e netbios.nb_name*). wfw and vlan
// are ../shared/pcaps/netbios-legacy-wfw311-netbeui-ipx-browser-rap-
// netshareenum_wswiki-smb-legacy-implementation.pcapng and browser-host-
// announce-udp-netbeui-ipx-8021q_wswiki-vlan.pcap.

// nbipxWfW3 is wfw frame 3 (IPX type 4, 50 bytes): "NBIPX 94 Find name
// <01><02>__MSBROWSE__<02><01>". A 50-byte name packet has a route list,
// whatever its IPX type: tshark reads the first 32 bytes as networks.
const nbipxWfW3 = `
	00 01 57 46 57 5f 48 4f 53 54 5f 31 20 20 20 20 20 20 01 02 5f 5f 4d 53 42 52 4f 57 53 45 5f 5f  # "route list"
	00 01  # name type flags 0, Find name
	01 02 5f 5f 4d 53 42 52 4f 57 53 45 5f 5f 02 01  # <01><02>__MSBROWSE__<02><01>`

// nmpiWfW42 is wfw frame 42, its SMB cut: "BROWSER 243 Host Announcement
// WFW_HOST_2, ...", a mailslot write to socket 0x0553.
const nmpiWfW42 = `
	00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  # route list
	fc 02 00 00  # Mailslot write, workgroup, message ID 0
	57 4f 52 4b 47 52 4f 55 50 20 20 20 20 20 20 00  # WORKGROUP<00>
	57 46 57 5f 48 4f 53 54 5f 32 20 20 20 20 20 00  # WFW_HOST_2<00>
	ff 53 4d 42 25  # SMB (cut)`

// nbipxNames are the names of the built packets: WORKGROUP<1d>, HOST-A<00>.
const nbipxNames = `
	57 4f 52 4b 47 52 4f 55 50 20 20 20 20 20 20 1d  48 4f 53 54 2d 41 20 20 20 20 20 20 20 20 20 00`

var nbipxDecodeTests = []struct {
	name    string
	ipxType IPXPacketType
	pkt     string
	want    map[string]string
	info    string
	payload int
	next    gopacket.LayerType
}{
	{
		name: "wfw frame 3: Find name", ipxType: IPXTypePEP, pkt: nbipxWfW3,
		want: map[string]string{"nmpi.packettype": "0x01", "nmpi.name_flags": "0x00", "nmpi.name_flags.group": "0",
			"nmpi.name_flags.in_use": "0", "nmpi.name_flags.registered": "0", "nmpi.name_flags.duplicated": "0",
			"nmpi.name_flags.deregistered": "0",
			"nmpi.ipx_network":             "0x00015746,0x575f484f,0x53545f31,0x20202020,0x20200102,0x5f5f4d53,0x42524f57,0x53455f5f",
			"netbios.nb_name_type":         "0x01", "netbios.nb_name": "<01><02>__MSBROWSE__<02>"},
		info: "Find name <01><02>__MSBROWSE__<02><01>", next: gopacket.LayerTypePayload,
	},
	{
		// vlan frame 50 (IPX type 20): "NBIPX 98 Find name ERL<1d>".
		name: "vlan frame 50: routed Find name", ipxType: IPXTypeNetBIOSBroadcast, pkt: `
			00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  # route: network 0x00010000
			00 01  45 52 4c 20 20 20 20 20 20 20 20 20 20 20 20 1d  # Find name ERL<1d>`,
		want: map[string]string{"nmpi.packettype": "0x01", "nmpi.name_flags": "0x00", "nmpi.name_flags.group": "0",
			"nmpi.name_flags.in_use": "0", "nmpi.name_flags.registered": "0", "nmpi.name_flags.duplicated": "0",
			"nmpi.name_flags.deregistered": "0", "nmpi.ipx_network": "0x00010000",
			"netbios.nb_name_type": "0x1d", "netbios.nb_name": "ERL"},
		info: "Find name ERL<1d>", next: gopacket.LayerTypePayload,
	},
	{
		// wfw frame 14, its SMB cut: "BROWSER 207 Domain/Workgroup
		// Announcement WORKGROUP, Domain Enum".
		name: "wfw frame 14: Directed datagram", ipxType: IPXTypePEP, pkt: `
			00 0b  # connection control 0, Directed datagram
			57 46 57 5f 48 4f 53 54 5f 31 20 20 20 20 20 00  # receiver WFW_HOST_1<00>
			01 02 5f 5f 4d 53 42 52 4f 57 53 45 5f 5f 02 01  # sender <01><02>__MSBROWSE__<02><01>
			ff 53 4d 42 25  # SMB (cut)`,
		want: map[string]string{"nmpi.packettype": "0x0b", "nmpi.conn_control": "0x00", "nmpi.conn_control.sys_packet": "0",
			"nmpi.conn_control.ack": "0", "nmpi.conn_control.attention": "0", "nmpi.conn_control.end_msg": "0",
			"nmpi.conn_control.resend": "0", "netbios.nb_name_type": "0x00,0x01",
			"netbios.nb_name": "WFW_HOST_1,<01><02>__MSBROWSE__<02>"},
		info: "Directed datagram", payload: 5, next: LayerTypeSMB,
	},
	{
		// wfw frame 110: "NBIPX 100 Session data".
		name: "wfw frame 110: Session data", ipxType: IPXTypePEP, pkt: `
			41 06  # connection control 0x41 (ack required), Session data
			01 00 ff ff 00 00 26 00 00 00 26 00 00 00 00 00  # connection IDs 1, 0xffff; send 0; total 38; offset 0; length 38; receive 0; received 0
			57 46 57 5f 48 4f 53 54 5f 31 20 20 20 20 20 00 57 46 57 5f 48 4f 53 54 5f 32 20 20 20 20 20 20 90 05 25 00 0d 00`,
		want: map[string]string{"nmpi.packettype": "0x06", "nmpi.conn_control": "0x41", "nmpi.conn_control.sys_packet": "0",
			"nmpi.conn_control.ack": "1", "nmpi.conn_control.attention": "0", "nmpi.conn_control.end_msg": "0",
			"nmpi.conn_control.resend": "0", "nmpi.session.src_conn_id": "0x0001", "nmpi.session.dest_conn_id": "0xffff",
			"nmpi.session.send_seq_number": "0", "nmpi.session.total_data_length": "38", "nmpi.session.offset": "0",
			"nmpi.session.data_length": "38", "nmpi.session.recv_seq_number": "0", "nmpi.session.bytes_received": "0"},
		info: "Session data", payload: 38, next: gopacket.LayerTypePayload,
	},
	{
		// wfw frame 116: "NBIPX 62 Session end ACK".
		name: "wfw frame 116: Session end ACK", ipxType: IPXTypePEP, pkt: `80 08  01 00 01 00 00 00 00 00 00 00 00 00 01 00 00 00`,
		want: map[string]string{"nmpi.packettype": "0x08", "nmpi.conn_control": "0x80", "nmpi.conn_control.sys_packet": "1",
			"nmpi.conn_control.ack": "0", "nmpi.conn_control.attention": "0", "nmpi.conn_control.end_msg": "0",
			"nmpi.conn_control.resend": "0", "nmpi.session.src_conn_id": "0x0001", "nmpi.session.dest_conn_id": "0x0001",
			"nmpi.session.send_seq_number": "0", "nmpi.session.total_data_length": "0", "nmpi.session.offset": "0",
			"nmpi.session.data_length": "0", "nmpi.session.recv_seq_number": "1", "nmpi.session.bytes_received": "0"},
		info: "Session end ACK", next: gopacket.LayerTypePayload,
	},
	{
		name: "built: routed Name in use", ipxType: IPXTypeNetBIOSBroadcast, pkt: `
			00 00 01 02 00 00 00 00 00 00 03 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  # networks 0x102, 0x304
			80 04  57 4f 52 4b 47 52 4f 55 50 20 20 20 20 20 20 1d  # group name, Name in use WORKGROUP<1d>`,
		want: map[string]string{"nmpi.packettype": "0x04", "nmpi.name_flags": "0x80", "nmpi.name_flags.group": "1",
			"nmpi.name_flags.in_use": "0", "nmpi.name_flags.registered": "0", "nmpi.name_flags.duplicated": "0",
			"nmpi.name_flags.deregistered": "0", "nmpi.ipx_network": "0x00000102,0x00000304",
			"netbios.nb_name_type": "0x1d", "netbios.nb_name": "WORKGROUP"},
		info: "Name in use WORKGROUP<1d>", next: gopacket.LayerTypePayload,
	},
	{
		name: "built: Status query", ipxType: IPXTypePEP, pkt: `00 09  00 00 00 00 00 00 00 00 00 00`,
		want: map[string]string{"nmpi.packettype": "0x09"}, info: "Status query", next: gopacket.LayerTypePayload,
	},
	{
		name: "built: unknown type", ipxType: IPXTypePEP, pkt: `00 42`,
		want: map[string]string{"nmpi.packettype": "0x42"}, info: "Unknown", next: gopacket.LayerTypePayload,
	},
	{
		name: "built: Directed datagram, not SMB", ipxType: IPXTypePEP, pkt: `00 0b` + nbipxNames + ` 6e 6f 74 20 53 4d 42`,
		want: map[string]string{"nmpi.packettype": "0x0b", "nmpi.conn_control": "0x00", "nmpi.conn_control.sys_packet": "0",
			"nmpi.conn_control.ack": "0", "nmpi.conn_control.attention": "0", "nmpi.conn_control.end_msg": "0",
			"nmpi.conn_control.resend": "0", "netbios.nb_name_type": "0x1d,0x00", "netbios.nb_name": "WORKGROUP,HOST-A"},
		info: "Directed datagram", payload: 7, next: gopacket.LayerTypePayload,
	},
}

func TestNBIPXDecode(t *testing.T) {
	for _, tt := range nbipxDecodeTests {
		t.Run(tt.name, func(t *testing.T) {
			pkt := nbtHex(t, tt.pkt)
			var p NBIPX
			if err := p.DecodeIPX(pkt, tt.ipxType); err != nil {
				t.Fatalf("DecodeIPX: %v", err)
			}
			var tr Tree
			p.AppendTree(&tr)
			legacyCheck(t, &tr, tt.want, "nbipx", "netbios")
			if got := string(p.AppendInfo(nil)); got != tt.info {
				t.Errorf("info %q, want %q", got, tt.info)
			}
			if len(p.Payload) != tt.payload || p.NextLayerType() != tt.next {
				t.Errorf("payload %d bytes for %v, want %d for %v", len(p.Payload), p.NextLayerType(), tt.payload, tt.next)
			}
			if tr.Depth() != 0 {
				t.Errorf("tree left at depth %d", tr.Depth())
			}
		})
	}
	// DecodeFromBytes is DecodeIPX for an IPX type other than 20.
	var p NBIPX
	if err := p.DecodeFromBytes(nbtHex(t, nbipxWfW3), nil); err != nil || !p.HasRoutes || p.PacketType != NBIPXFindName {
		t.Errorf("DecodeFromBytes: %v, routes %v, type %v", err, p.HasRoutes, p.PacketType)
	}
}

var nmpiDecodeTests = []struct {
	name    string
	pkt     string
	want    map[string]string
	info    string
	payload int
}{
	{
		name: "wfw frame 42: Mailslot write", pkt: nmpiWfW42,
		want: map[string]string{"nmpi.opcode": "0xfc", "nmpi.name_type": "0x02", "nmpi.messageid": "0x0000",
			"netbios.nb_name_type": "0x00,0x00", "netbios.nb_name": "WORKGROUP,WFW_HOST_2"},
		info: "Mailslot write to WORKGROUP<00>", payload: 5,
	},
	{
		// wfw frame 103: "NMPI 112 Name WFW_HOST_2<20> found".
		name: "wfw frame 103: Name found", pkt: `
			00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
			f4 01 01 00  # Name found, machine, message ID 1
			57 46 57 5f 48 4f 53 54 5f 32 20 20 20 20 20 20  57 46 57 5f 48 4f 53 54 5f 31 20 20 20 20 20 00`,
		want: map[string]string{"nmpi.opcode": "0xf4", "nmpi.name_type": "0x01", "nmpi.messageid": "0x0001",
			"netbios.nb_name_type": "0x20,0x00", "netbios.nb_name": "WFW_HOST_2,WFW_HOST_1"},
		info: "Name WFW_HOST_2<20> found",
	},
	{
		name: "built: routed Delete name", pkt: `00 00 00 07 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
			f2 01 03 00` + nbipxNames,
		want: map[string]string{"nmpi.ipx_network": "0x00000007", "nmpi.opcode": "0xf2", "nmpi.name_type": "0x01",
			"nmpi.messageid": "0x0003", "netbios.nb_name_type": "0x1d,0x00", "netbios.nb_name": "WORKGROUP,HOST-A"},
		info: "Delete name WORKGROUP<1d>",
	},
	{
		name: "built: Messenger hangup", pkt: `00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
			f5 01 03 00` + nbipxNames,
		want: map[string]string{"nmpi.opcode": "0xf5", "nmpi.name_type": "0x01", "nmpi.messageid": "0x0003",
			"netbios.nb_name_type": "0x1d,0x00", "netbios.nb_name": "WORKGROUP,HOST-A"},
		info: "Messenger hangup on WORKGROUP<1d>",
	},
	{
		name: "built: Mailslot name found", pkt: `00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
			fe 03 03 00` + nbipxNames,
		want: map[string]string{"nmpi.opcode": "0xfe", "nmpi.name_type": "0x03", "nmpi.messageid": "0x0003",
			"netbios.nb_name_type": "0x1d,0x00", "netbios.nb_name": "WORKGROUP,HOST-A"},
		info: "Mailslot name WORKGROUP<1d> found",
	},
	{
		name: "built: unknown opcode", pkt: `00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
			99 03 03 00` + nbipxNames,
		want: map[string]string{"nmpi.opcode": "0x99", "nmpi.name_type": "0x03", "nmpi.messageid": "0x0003",
			"netbios.nb_name_type": "0x1d,0x00", "netbios.nb_name": "WORKGROUP,HOST-A"},
		info: "Unknown NMPI op 0x99: name WORKGROUP<1d>",
	},
}

func TestNMPIDecode(t *testing.T) {
	for _, tt := range nmpiDecodeTests {
		t.Run(tt.name, func(t *testing.T) {
			pkt := nbtHex(t, tt.pkt)
			var m NMPI
			if err := m.DecodeFromBytes(pkt, nil); err != nil {
				t.Fatalf("DecodeFromBytes: %v", err)
			}
			var tr Tree
			m.AppendTree(&tr)
			legacyCheck(t, &tr, tt.want, "nbipx", "netbios")
			if got := string(m.AppendInfo(nil)); got != tt.info {
				t.Errorf("info %q, want %q", got, tt.info)
			}
			next := gopacket.LayerTypePayload
			if tt.payload > 0 {
				next = LayerTypeSMB
			}
			if len(m.Payload) != tt.payload || m.NextLayerType() != next {
				t.Errorf("payload %d bytes for %v, want %d", len(m.Payload), m.NextLayerType(), tt.payload)
			}
		})
	}
}

func TestNBIPXMalformed(t *testing.T) {
	tests := []struct {
		name, pkt, field string
		ipxType          IPXPacketType
		want             map[string]string
	}{
		{name: "empty", field: "packet type", ipxType: IPXTypePEP, want: map[string]string{}},
		{name: "route list cut", pkt: `00 00 00 00`, field: "route list", ipxType: IPXTypeNetBIOSBroadcast, want: map[string]string{}},
		{
			// tshark: "Session data[Malformed Packet]", the control and the type.
			name: "Session data cut", pkt: `00 06 01`, field: "Session data", ipxType: IPXTypePEP,
			want: map[string]string{"nmpi.packettype": "0x06", "nmpi.conn_control": "0x00", "nmpi.conn_control.sys_packet": "0",
				"nmpi.conn_control.ack": "0", "nmpi.conn_control.attention": "0", "nmpi.conn_control.end_msg": "0",
				"nmpi.conn_control.resend": "0"},
		},
		// tshark reads the name for the info before anything: no field,
		// no info.
		{name: "name cut", pkt: `00 01 57 4f 52`, field: "Find name", ipxType: IPXTypePEP, want: map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p NBIPX
			err := p.DecodeIPX(nbtHex(t, tt.pkt), tt.ipxType)
			legacyDecodeError(t, err, ErrTruncated, "nbipx", tt.field)
			if p.Err != err || len(p.Payload) != 0 || p.NextLayerType() != gopacket.LayerTypePayload {
				t.Errorf("Err %v, payload %d", p.Err, len(p.Payload))
			}
			var tr Tree
			p.AppendTree(&tr)
			legacyMalformedNote(t, &tr, err)
			legacyCheck(t, &tr, tt.want, "nbipx")
			_ = p.AppendInfo(nil)
		})
	}
	var m NMPI
	err := m.DecodeFromBytes(nbtHex(t, nmpiWfW42)[:40], nil)
	legacyDecodeError(t, err, ErrTruncated, "nmpi", "packet")
	var tr Tree
	m.AppendTree(&tr)
	legacyMalformedNote(t, &tr, err)
	if m.NextLayerType() != gopacket.LayerTypePayload || len(m.AppendInfo(nil)) != 0 {
		t.Errorf("next %v, info %q", m.NextLayerType(), m.AppendInfo(nil))
	}
}

func TestNBIPXAllocs(t *testing.T) {
	for _, tt := range nbipxDecodeTests {
		pkt := nbtHex(t, tt.pkt)
		var p NBIPX
		var tr Tree
		info := make([]byte, 0, 128)
		run := func() {
			if err := p.DecodeIPX(pkt, tt.ipxType); err != nil {
				t.Fatal(err)
			}
			tr.Reset()
			p.AppendTree(&tr)
			info = p.AppendInfo(info[:0])
		}
		run()
		run()
		if n := testing.AllocsPerRun(50, run); n != 0 {
			t.Errorf("%s: %v allocations", tt.name, n)
		}
	}
	for _, tt := range nmpiDecodeTests {
		pkt := nbtHex(t, tt.pkt)
		var m NMPI
		var tr Tree
		info := make([]byte, 0, 128)
		run := func() {
			if err := m.DecodeFromBytes(pkt, nil); err != nil {
				t.Fatal(err)
			}
			tr.Reset()
			m.AppendTree(&tr)
			info = m.AppendInfo(info[:0])
		}
		run()
		run()
		if n := testing.AllocsPerRun(50, run); n != 0 {
			t.Errorf("%s: %v allocations", tt.name, n)
		}
	}
}

func BenchmarkNBIPX(b *testing.B) {
	pkt := nbtHex(b, nbipxWfW3)
	var p NBIPX
	var tr Tree
	b.ReportAllocs()
	b.SetBytes(int64(len(pkt)))
	for i := 0; i < b.N; i++ {
		if err := p.DecodeIPX(pkt, IPXTypePEP); err != nil {
			b.Fatal(err)
		}
		tr.Reset()
		p.AppendTree(&tr)
	}
}

func BenchmarkNMPI(b *testing.B) {
	pkt := nbtHex(b, nmpiWfW42)
	var m NMPI
	var tr Tree
	b.ReportAllocs()
	b.SetBytes(int64(len(pkt)))
	for i := 0; i < b.N; i++ {
		if err := m.DecodeFromBytes(pkt, nil); err != nil {
			b.Fatal(err)
		}
		tr.Reset()
		m.AppendTree(&tr)
	}
}

func FuzzNBIPX(f *testing.F) {
	for _, tt := range nbipxDecodeTests {
		f.Add(nbtHex(f, tt.pkt), uint8(tt.ipxType))
	}
	for _, tt := range nmpiDecodeTests {
		f.Add(nbtHex(f, tt.pkt), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, ipxType uint8) {
		var p NBIPX
		err := p.DecodeIPX(data, IPXPacketType(ipxType))
		if err != p.Err || len(p.Contents)+len(p.Payload) > len(data) {
			t.Fatalf("returned %v, Err %v; contents %d, payload %d of %d", err, p.Err, len(p.Contents), len(p.Payload), len(data))
		}
		var tr Tree
		p.AppendTree(&tr)
		_ = p.AppendInfo(nil)
		var m NMPI
		err = m.DecodeFromBytes(data, nil)
		if err != m.Err || len(m.Contents)+len(m.Payload) > len(data) {
			t.Fatalf("NMPI returned %v, Err %v", err, m.Err)
		}
		m.AppendTree(&tr)
		_ = m.AppendInfo(nil)
		if tr.Depth() != 0 {
			t.Fatalf("tree left at depth %d", tr.Depth())
		}
	})
}
