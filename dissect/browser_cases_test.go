package dissect

// Browser frames of real captures, of the Samba lab and built to the
// spec, with what they decode to.

// browserCase is one browser frame (the data block of the \MAILSLOT\BROWSE
// transaction) and what tshark -V (or, for frames built to the spec, the
// spec) says it holds.
type browserCase struct {
	name string
	data []byte
	want Browser // compared field by field (Err, data and lists excluded)
	info string
	// tree: expected -T fields values of some fields (tshark's).
	tree map[string]string
}

var browserRealCases = []browserCase{
	{
		// browser-elections-announce-req-domain-lmb_suricata-verify-tls-subjectaltname-cut.pcap frame 8:
		// "192.168.100.206 → 192.168.100.255 BROWSER 243 Host Announcement USER-PC, Workstation,
		// Server, NT Workstation, Potential Browser"
		name: "host announcement win7",
		data: []byte{
			0x01,                   // HostAnnouncement
			0x00,                   // UpdateCount 0
			0x80, 0xfc, 0x0a, 0x00, // Periodicity 720000 ms (12 minutes)
			'U', 'S', 'E', 'R', '-', 'P', 'C', 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ServerName
			0x06, 0x01, // OS 6.1
			0x03, 0x10, 0x01, 0x00, // ServerType 0x00011003
			0x0f, 0x01, // browser 15.1
			0x55, 0xaa, // Signature
			0x00, // Comment ""
		},
		want: Browser{Command: BrowserHostAnnouncement, Periodicity: 720000, ServerName: []byte("USER-PC"),
			OSMajor: 6, OSMinor: 1, ServerType: 0x00011003, ProtoMajor: 15, ProtoMinor: 1,
			Signature: 0xaa55, HasSignature: true, Comment: []byte{}},
		info: "Host Announcement USER-PC, Workstation, Server, NT Workstation, Potential Browser",
		tree: map[string]string{
			"browser.command": "0x01", "browser.period": "720000", "browser.server": "USER-PC",
			"browser.windows_version": "Windows 7 or Windows Server 2008 R2",
			"browser.server_type":     "0x00011003", "browser.server_type.workstation": "1",
			"browser.server_type.sql": "0", "browser.server_type.ntw": "1",
			"browser.server_type.browser.potential": "1", "browser.sig": "0xaa55", "browser.comment": "",
		},
	},
	{
		// same capture, frame 7: "BROWSER 220 Request Announcement USER-PC"
		name: "announcement request",
		data: []byte{0x02, 0x00, 'U', 'S', 'E', 'R', '-', 'P', 'C', 0x00},
		want: Browser{Command: BrowserAnnouncementRequest, ResponseName: []byte("USER-PC")},
		info: "Request Announcement USER-PC",
		tree: map[string]string{"browser.unused": "0x00", "browser.response_computer_name": "USER-PC"},
	},
	{
		// same capture, frame 12: "BROWSER 232 Browser Election Request"; tshark: Election
		// Version 1, Election Criteria 0x10010f20 (desire 0x20 WINS, 15.1, OS 0x10 NT
		// Workstation), Uptime 4294967295, Server Name USER-PC
		name: "request election win7",
		data: []byte{
			0x08,                   // RequestElection
			0x01,                   // Version
			0x20, 0x0f, 0x01, 0x10, // Criteria 0x10010f20
			0xff, 0xff, 0xff, 0xff, // Uptime
			0x00, 0x00, 0x00, 0x00, // Unused
			'U', 'S', 'E', 'R', '-', 'P', 'C', 0x00,
		},
		want: Browser{Command: BrowserRequestElection, ElectionVersion: 1, Criteria: 0x10010f20,
			ProtoMajor: 15, ProtoMinor: 1, Uptime: 0xffffffff, ServerName: []byte("USER-PC")},
		info: "Browser Election Request, criteria 0x10010f20 (OS level 16, browser 15.1, WINS client), from USER-PC",
		tree: map[string]string{
			"browser.election.criteria": "0x10010f20", "browser.election.desire": "0x20",
			"browser.election.desire.wins": "1", "browser.election.desire.backup": "0",
			"browser.proto_major": "15", "browser.proto_minor": "1", "browser.election.os": "0x10",
			"browser.election.os.ntw": "1", "browser.election.os.wfw": "0",
			"browser.uptime": "4294967295", "browser.server": "USER-PC",
		},
	},
	{
		// same capture, frame 26: "BROWSER 250 Domain/Workgroup Announcement WORKGROUP, NT
		// Workstation, Domain Enum". Windows 7 sends no signature: tshark shows "Mysterious
		// Field: 0x0008bd91" and "Master Browser Server Name: USER-PC". The bytes after the
		// NUL of WORKGROUP are not zero (e4 fd): the name stops at the NUL.
		name: "domain announcement without signature (win7)",
		data: []byte{
			0x0c, 0x00, 0x60, 0xea, 0x00, 0x00,
			'W', 'O', 'R', 'K', 'G', 'R', 'O', 'U', 'P', 0x00, 0x00, 0x00, 0x00, 0x00, 0xe4, 0xfd,
			0x03, 0x0a, // OS 3.10
			0x00, 0x10, 0x00, 0x80, // ServerType 0x80001000
			0x91, 0xbd, 0x08, 0x00, // no 0xAA55 at 30: "Mysterious Field"
			'U', 'S', 'E', 'R', '-', 'P', 'C', 0x00, // master browser
		},
		want: Browser{Command: BrowserDomainAnnouncement, Periodicity: 60000, ServerName: []byte("WORKGROUP"),
			OSMajor: 3, OSMinor: 10, ServerType: 0x80001000, Mysterious: 0x0008bd91, MasterName: []byte("USER-PC")},
		info: "Domain/Workgroup Announcement WORKGROUP, NT Workstation, Domain Enum, master browser USER-PC",
		tree: map[string]string{
			"browser.server": "WORKGROUP", "browser.mysterious_field": "0x0008bd91",
			"browser.mb_server": "USER-PC", "browser.sig": "", "browser.proto_major": "",
			"browser.windows_version": "", "browser.comment": "", "browser.server_type.domainenum": "1",
		},
	},
	{
		// browser-backuplist-req-domain-lmb-announce_ndpi-1kxun-cut.pcap frame 8:
		// "BROWSER 263 Domain/Workgroup Announcement WORKGROUP, NT Workstation, Domain Enum"
		// (Samba: with version 15.1 and signature)
		name: "domain announcement with signature (samba)",
		data: []byte{
			0x0c, 0x50, 0xe0, 0x93, 0x04, 0x00,
			'W', 'O', 'R', 'K', 'G', 'R', 'O', 'U', 'P', 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x04, 0x09, 0x00, 0x10, 0x00, 0x80, 0x0f, 0x01, 0x55, 0xaa,
			'S', 'A', 'N', 'J', 'I', '-', 'L', 'I', 'F', 'E', 'B', 'O', 'O', 'K', '-', 'L', 'H', '5', '3', '1', 0x00,
		},
		want: Browser{Command: BrowserDomainAnnouncement, UpdateCount: 0x50, Periodicity: 300000,
			ServerName: []byte("WORKGROUP"), OSMajor: 4, OSMinor: 9, ServerType: 0x80001000,
			ProtoMajor: 15, ProtoMinor: 1, Signature: 0xaa55, HasSignature: true,
			MasterName: []byte("SANJI-LIFEBOOK-LH531")},
		info: "Domain/Workgroup Announcement WORKGROUP, NT Workstation, Domain Enum, master browser SANJI-LIFEBOOK-LH531",
		tree: map[string]string{"browser.update_count": "80", "browser.sig": "0xaa55",
			"browser.mb_server": "SANJI-LIFEBOOK-LH531", "browser.mysterious_field": ""},
	},
	{
		// same capture, frame 7: "BROWSER 286 Local Master Announcement SANJI-LIFEBOOK-L,
		// Workstation, Server, Print Queue Server, Xenix Server, NT Workstation, NT Server,
		// Master Browser, DFS server". The 16-byte name has no NUL.
		name: "local master announcement samba 16-char name",
		data: []byte{
			0x0f, 0x50, 0xe0, 0x93, 0x04, 0x00,
			'S', 'A', 'N', 'J', 'I', '-', 'L', 'I', 'F', 'E', 'B', 'O', 'O', 'K', '-', 'L',
			0x04, 0x09, 0x03, 0x9a, 0x84, 0x00, 0x0f, 0x01, 0x55, 0xaa,
			's', 'a', 'n', 'j', 'i', '-', 'L', 'I', 'F', 'E', 'B', 'O', 'O', 'K', '-', 'L',
			'H', '5', '3', '1', ' ', 's', 'e', 'r', 'v', 'e', 'r', ' ', '(', 'S', 'a', 'm',
			'b', 'a', ',', ' ', 'U', 'b', 'u', 'n', 't', 'u', ')', 0x00,
		},
		want: Browser{Command: BrowserLocalMasterAnnouncement, UpdateCount: 0x50, Periodicity: 300000,
			ServerName: []byte("SANJI-LIFEBOOK-L"), OSMajor: 4, OSMinor: 9, ServerType: 0x00849a03,
			ProtoMajor: 15, ProtoMinor: 1, Signature: 0xaa55, HasSignature: true,
			Comment: []byte("sanji-LIFEBOOK-LH531 server (Samba, Ubuntu)")},
		info: "Local Master Announcement SANJI-LIFEBOOK-L, Workstation, Server, Print Queue Server, Xenix Server, NT Workstation, NT Server, Master Browser, DFS server",
		tree: map[string]string{"browser.server": "SANJI-LIFEBOOK-L", "browser.server_type": "0x00849a03",
			"browser.server_type.dfs": "1", "browser.server_type.nts": "1",
			"browser.comment": "sanji-LIFEBOOK-LH531 server (Samba, Ubuntu)"},
	},
	{
		// same capture, frame 14: "BROWSER 216 Get Backup List Request"; tshark: Backup List
		// Requested Count 4, Backup Request Token 17900
		name: "get backup list request",
		data: []byte{0x09, 0x04, 0xec, 0x45, 0x00, 0x00},
		want: Browser{Command: BrowserGetBackupListRequest, BackupCount: 4, Token: 17900},
		info: "Get Backup List Request, count 4, token 17900",
		tree: map[string]string{"browser.backup.count": "4", "browser.backup.token": "17900", "browser.backup.server": ""},
	},
	{
		// nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng frame 1:
		// "192.168.199.1 → 192.168.199.255 BROWSER 227 Become Backup Browser", sent by the
		// local master browser SCV (it announces itself as master in frame 106).
		name: "become backup from a real master (win8.1)",
		data: []byte{0x0b, 'D', 'E', 'S', 'K', 'T', 'O', 'P', '-', 'V', '1', 'F', 'A', '0', 'U', 'Q', 0x00},
		want: Browser{Command: BrowserBecomeBackup, BrowserToPromote: []byte("DESKTOP-V1FA0UQ")},
		info: "Become Backup Browser DESKTOP-V1FA0UQ",
		tree: map[string]string{"browser.browser_to_promote": "DESKTOP-V1FA0UQ"},
	},
	{
		// nbns-registration-browser-elections-udp-and-netbeui_ndpi-dos_win98_smb_netbeui.pcap
		// frame 135 (over NetBEUI, same bytes as the NBT copy): "BROWSER 168 Browser Election
		// Request"; tshark: criteria 0x01041500 (desire 0x00, browser 21.4, OS 0x01 WfW),
		// Uptime 100476, Server Name MDJR98. Windows 9x criteria.
		name: "request election win98",
		data: []byte{0x08, 0x01, 0x00, 0x15, 0x04, 0x01, 0x7c, 0x88, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
			'M', 'D', 'J', 'R', '9', '8', 0x00},
		want: Browser{Command: BrowserRequestElection, ElectionVersion: 1, Criteria: 0x01041500,
			ProtoMajor: 21, ProtoMinor: 4, Uptime: 100476, ServerName: []byte("MDJR98")},
		info: "Browser Election Request, criteria 0x01041500 (OS level 1, browser 21.4), from MDJR98",
		tree: map[string]string{"browser.proto_major": "21", "browser.proto_minor": "4",
			"browser.election.os": "0x01", "browser.election.os.wfw": "1", "browser.uptime": "100476"},
	},
	{
		// same capture, frame 141 (UDP 138): the zero-criteria election of a Win98 client
		name: "request election zero criteria",
		data: []byte{0x08, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'M', 'D', 'J', 'R', '9', '8', 0x00},
		want: Browser{Command: BrowserRequestElection, ElectionVersion: 1, ServerName: []byte("MDJR98")},
		info: "Browser Election Request, criteria 0x00000000 (OS level 0, browser 0.0), from MDJR98",
		tree: map[string]string{"browser.election.criteria": "0x00000000", "browser.election.desire": "0x00"},
	},
	{
		// netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng
		// frame 2 (over NetBEUI): "BROWSER 190 Local Master Announcement WFW_HOST_1, Workstation,
		// Server, Windows for Workgroups, Potential Browser, Master Browser": WfW 3.11, OS 1.51,
		// browser 11.3
		name: "local master announcement wfw 3.11",
		data: []byte{
			0x0f, 0x05, 0xc0, 0xd4, 0x01, 0x00,
			'W', 'F', 'W', '_', 'H', 'O', 'S', 'T', '_', '1', 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x01, 0x33, 0x03, 0x20, 0x05, 0x00, 0x0b, 0x03, 0x55, 0xaa,
			'B', 'i', 't', ' ', 'D', 'i', 'g', 'g', 'e', 'r', 0x00,
		},
		want: Browser{Command: BrowserLocalMasterAnnouncement, UpdateCount: 5, Periodicity: 120000,
			ServerName: []byte("WFW_HOST_1"), OSMajor: 1, OSMinor: 51, ServerType: 0x00052003,
			ProtoMajor: 11, ProtoMinor: 3, Signature: 0xaa55, HasSignature: true, Comment: []byte("Bit Digger")},
		info: "Local Master Announcement WFW_HOST_1, Workstation, Server, Windows for Workgroups, Potential Browser, Master Browser",
		tree: map[string]string{"browser.proto_major": "11", "browser.proto_minor": "3", "browser.server_type.wfw": "1"},
	},
	{
		// same capture, frame 14 (over IPX): "BROWSER 207 Domain/Workgroup Announcement
		// WORKGROUP, Domain Enum"; tshark: Mysterious Field 0x00000000, Master Browser Server
		// Name WFW_HOST_1
		name: "domain announcement without signature (wfw)",
		data: []byte{
			0x0c, 0x00, 0xc0, 0xd4, 0x01, 0x00,
			'W', 'O', 'R', 'K', 'G', 'R', 'O', 'U', 'P', 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00,
			'W', 'F', 'W', '_', 'H', 'O', 'S', 'T', '_', '1', 0x00,
		},
		want: Browser{Command: BrowserDomainAnnouncement, Periodicity: 120000, ServerName: []byte("WORKGROUP"),
			ServerType: 0x80000000, MasterName: []byte("WFW_HOST_1")},
		info: "Domain/Workgroup Announcement WORKGROUP, Domain Enum, master browser WFW_HOST_1",
		tree: map[string]string{"browser.mysterious_field": "0x00000000", "browser.mb_server": "WFW_HOST_1"},
	},
	{
		// same capture, frame 94 (over NetBEUI): "BROWSER 156 Get Backup List Request"; tshark:
		// count 2, token 1. WfW sends one byte more than the frame needs.
		name: "get backup list request wfw",
		data: []byte{0x09, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00},
		want: Browser{Command: BrowserGetBackupListRequest, BackupCount: 2, Token: 1},
		info: "Get Backup List Request, count 2, token 1",
	},
}

// Frames of the Samba 4.17 lab (testdata/pcaps, see ../../shared/lab):
// what the shared corpus lacks. Expected values from tshark.
var browserLabCases = []browserCase{
	{
		// testdata/pcaps/election.pcapng frame 163: "198.18.1.14 → 198.18.1.99 BROWSER 222 Get
		// Backup List Response" (DELTA answers nbtool's request of frame 162 with itself)
		name: "lab: get backup list response",
		data: []byte{0x0a, 0x01, 0x55, 0xd0, 0xa8, 0x9c, 'D', 'E', 'L', 'T', 'A', 0x00},
		want: Browser{Command: BrowserGetBackupListResponse, BackupCount: 1, Token: 2628309077},
		info: "Get Backup List Response, 1 server: DELTA",
		tree: map[string]string{"browser.backup.count": "1", "browser.backup.token": "2628309077", "browser.backup.server": "DELTA"},
	},
	{
		// same capture, frame 192: "198.18.1.15 → 198.18.1.255 BROWSER 225 Browser Election
		// Request": ECHO ("local master = no") asks for an election with version 0,
		// criteria 0 and an empty name
		name: "lab: zero election with empty name",
		data: []byte{0x08, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00},
		want: Browser{Command: BrowserRequestElection, ServerName: []byte{}},
		info: "Browser Election Request, criteria 0x00000000 (OS level 0, browser 0.0), from ",
		tree: map[string]string{"browser.election.version": "0", "browser.uptime": "0", "browser.server": ""},
	},
	{
		// testdata/pcaps/storm.pcapng frame 290: "198.18.1.16 → 198.18.1.14 BROWSER 212 Reset
		// Browser State Announcement": split brain healed, Samba sends 0x02 to __SAMBA__<20>
		name: "lab: reset browser state flush",
		data: []byte{0x0e, 0x02},
		want: Browser{Command: BrowserResetState, ResetFlags: ResetFlushList},
		info: "Reset Browser State Announcement: flush browse list",
		tree: map[string]string{"browser.reset_cmd": "0x02", "browser.reset_cmd.demote": "0",
			"browser.reset_cmd.flush": "1", "browser.reset_cmd.stop_lmb": "0"},
	},
	{
		// same capture, frame 326: "198.18.1.99 → 198.18.1.255 BROWSER 217 Become Backup
		// Browser": SYNTHETIC (nbtool.py become-backup; Samba never sends it)
		name: "lab: become backup (synthetic sender)",
		data: []byte{0x0b, 'B', 'R', 'A', 'V', 'O', 0x00},
		want: Browser{Command: BrowserBecomeBackup, BrowserToPromote: []byte("BRAVO")},
		info: "Become Backup Browser BRAVO",
		tree: map[string]string{"browser.browser_to_promote": "BRAVO"},
	},
	{
		// testdata/pcaps/dmb.pcapng frame 250: "198.18.2.11 → 198.18.1.11 BROWSER 216 Master
		// Announcement": the LMB of subnet B tells the DMB it is master
		name: "lab: master announcement",
		data: []byte{0x0d, 'L', 'M', 'B', 'B', 0x00},
		want: Browser{Command: BrowserMasterAnnouncement, MasterName: []byte("LMBB")},
		info: "Master Announcement LMBB",
		tree: map[string]string{"browser.mb_server": "LMBB"},
	},
}

// Frames BUILT TO THE SPEC ([MS-BRWS] §2.2, the Leach/Naik draft) for what
// neither the shared corpus nor the lab has (Samba never sends a WfW
// election, a Windows 9x announcement, a multi-name backup list, other reset
// flags), expected values from the spec; TestBrowserTshark also checks them
// against tshark.
var browserSpecCases = []browserCase{
	{
		// BUILT TO [MS-BRWS] §2.2.5: GetBackupListResponse, 2 servers, token 1
		name: "spec: get backup list response",
		data: []byte{0x0a, 0x02, 0x01, 0x00, 0x00, 0x00, 'D', 'E', 'L', 'T', 'A', 0x00, 'A', 'L', 'P', 'H', 'A', 0x00},
		want: Browser{Command: BrowserGetBackupListResponse, BackupCount: 2, Token: 1},
		info: "Get Backup List Response, 2 servers: DELTA, ALPHA",
		tree: map[string]string{"browser.backup.count": "2", "browser.backup.token": "1", "browser.backup.server": "DELTA,ALPHA"},
	},
	{
		// BUILT TO [MS-BRWS] §2.2.5: an empty list
		name: "spec: get backup list response empty",
		data: []byte{0x0a, 0x00, 0x07, 0x00, 0x00, 0x00},
		want: Browser{Command: BrowserGetBackupListResponse, Token: 7},
		info: "Get Backup List Response, 0 servers",
	},
	{
		// BUILT TO [MS-BRWS] §2.2.8: MasterAnnouncement of LMBB
		name: "spec: master announcement",
		data: []byte{0x0d, 'L', 'M', 'B', 'B', 0x00},
		want: Browser{Command: BrowserMasterAnnouncement, MasterName: []byte("LMBB")},
		info: "Master Announcement LMBB",
		tree: map[string]string{"browser.mb_server": "LMBB"},
	},
	{
		// BUILT TO [MS-BRWS] §2.2.9: ResetStateRequest RESET_STATE_STOP_MASTER
		name: "spec: reset browser state demote",
		data: []byte{0x0e, 0x01},
		want: Browser{Command: BrowserResetState, ResetFlags: ResetDemoteLMB},
		info: "Reset Browser State Announcement: demote LMB",
		tree: map[string]string{"browser.reset_cmd": "0x01", "browser.reset_cmd.demote": "1",
			"browser.reset_cmd.flush": "0", "browser.reset_cmd.stop_lmb": "0"},
	},
	{
		// BUILT TO [MS-BRWS] §2.2.9: all three flags
		name: "spec: reset browser state all",
		data: []byte{0x0e, 0x07},
		want: Browser{Command: BrowserResetState, ResetFlags: ResetDemoteLMB | ResetFlushList | ResetStop},
		info: "Reset Browser State Announcement: demote LMB, flush browse list, stop being a browser",
		tree: map[string]string{"browser.reset_cmd.flush": "1", "browser.reset_cmd.stop_lmb": "1"},
	},
	{
		// BUILT TO the Leach/Naik draft / Samba's note "WfWg uses 01040b01": a WfW
		// RequestElection, OS 0x01, browser 11.4, running backup
		name: "spec: request election wfw 11.4",
		data: []byte{0x08, 0x01, 0x01, 0x0b, 0x04, 0x01, 0x10, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 'W', 'F', 'W', 0x00},
		want: Browser{Command: BrowserRequestElection, ElectionVersion: 1, Criteria: 0x01040b01,
			ProtoMajor: 11, ProtoMinor: 4, Uptime: 10000, ServerName: []byte("WFW")},
		info: "Browser Election Request, criteria 0x01040b01 (OS level 1, browser 11.4, running backup browser), from WFW",
		tree: map[string]string{"browser.election.desire.backup": "1", "browser.proto_major": "11", "browser.proto_minor": "4"},
	},
	{
		// BUILT TO [MS-BRWS] §2.2.3 and Samba's criteria (os level 65, 15.1, potential +
		// preferred master + PDC/domain master)
		name: "spec: request election samba preferred domain master",
		data: []byte{0x08, 0x01, 0x8a, 0x0f, 0x01, 0x41, 0, 0, 0, 0, 0, 0, 0, 0, 'D', 'M', 'B', 0x00},
		want: Browser{Command: BrowserRequestElection, ElectionVersion: 1, Criteria: 0x41010f8a,
			ProtoMajor: 15, ProtoMinor: 1, ServerName: []byte("DMB")},
		info: "Browser Election Request, criteria 0x41010f8a (OS level 65, browser 15.1, potential browser, preferred master, PDC), from DMB",
		tree: map[string]string{"browser.election.desire.domain_master": "1", "browser.election.desire.nt": "1",
			"browser.election.desire.standby": "1", "browser.election.os.nts": "0"},
	},
	{
		// BUILT TO [MS-BRWS] §2.2.1: a HostAnnouncement from Windows 9x (browser 21.4, SV_TYPE_WINDOWS)
		name: "spec: host announcement win9x version 21.4",
		data: append([]byte{0x01, 0x03, 0x60, 0xea, 0x00, 0x00,
			'W', '9', '5', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			0x04, 0x00, 0x03, 0x20, 0x40, 0x00, 0x15, 0x04, 0x55, 0xaa}, "hi\x00"...),
		want: Browser{Command: BrowserHostAnnouncement, UpdateCount: 3, Periodicity: 60000,
			ServerName: []byte("W95"), OSMajor: 4, ServerType: SVTypeWorkstation | SVTypeServer | SVTypeWFW | SVTypeWindows,
			ProtoMajor: 21, ProtoMinor: 4, Signature: 0xaa55, HasSignature: true, Comment: []byte("hi")},
		info: "Host Announcement W95, Workstation, Server, Windows for Workgroups, Windows 95 or above",
		tree: map[string]string{"browser.server_type.w95": "1", "browser.comment": "hi"},
	},
	{
		// BUILT TO [MS-BRWS] §2.2: an opcode that is none of the ten frames
		name: "spec: unknown command",
		data: []byte{0x05, 0x01, 0x02},
		want: Browser{Command: 0x05},
		info: "Unknown command:0x05",
		tree: map[string]string{"browser.command": "0x05"},
	},
}
