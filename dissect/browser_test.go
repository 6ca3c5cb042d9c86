package dissect

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

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

// browserCompare checks the typed fields of a decoded frame.
func browserCompare(t *testing.T, got, want *Browser) {
	t.Helper()
	type view struct {
		Command                           BrowserCommand
		UpdateCount                       uint8
		Periodicity                       uint32
		ServerName                        string
		OSMajor, OSMinor                  uint8
		ServerType                        ServerType
		ProtoMajor, ProtoMinor            uint8
		Signature                         uint16
		HasSignature                      bool
		Mysterious                        uint32
		Comment, MasterName, ResponseName string
		Unused, ElectionVersion           uint8
		Criteria                          Criteria
		Uptime                            uint32
		BackupCount                       uint8
		Token                             uint32
		BrowserToPromote                  string
		ResetFlags                        ResetStateFlags
	}
	mk := func(b *Browser) view {
		return view{b.Command, b.UpdateCount, b.Periodicity, string(b.ServerName), b.OSMajor, b.OSMinor,
			b.ServerType, b.ProtoMajor, b.ProtoMinor, b.Signature, b.HasSignature, b.Mysterious,
			string(b.Comment), string(b.MasterName), string(b.ResponseName), b.Unused, b.ElectionVersion,
			b.Criteria, b.Uptime, b.BackupCount, b.Token, string(b.BrowserToPromote), b.ResetFlags}
	}
	if g, w := mk(got), mk(want); g != w {
		t.Errorf("decoded\n%+v\nwant\n%+v", g, w)
	}
}

func browserAllCases() []browserCase {
	var all []browserCase
	all = append(all, browserRealCases...)
	all = append(all, browserLabCases...)
	return append(all, browserSpecCases...)
}

func TestBrowserDecode(t *testing.T) {
	for _, tc := range browserAllCases() {
		t.Run(tc.name, func(t *testing.T) {
			var b Browser
			if err := b.DecodeFromBytes(tc.data, gopacket.NilDecodeFeedback); err != nil {
				t.Fatal(err)
			}
			browserCompare(t, &b, &tc.want)
			if got := string(b.AppendInfo(nil)); got != tc.info {
				t.Errorf("info\n%q\nwant\n%q", got, tc.info)
			}
			var tr Tree
			b.AppendTree(&tr)
			for f, want := range tc.tree {
				if got := msFieldValues(&tr, f); got != want {
					t.Errorf("%s = %q, want %q", f, got, want)
				}
			}
			for _, n := range tr.Nodes {
				if n.Flags&NodeError != 0 {
					t.Errorf("unexpected expert note %q", n.Label)
				}
				if n.Off < 0 || int(n.Off+n.Len) > len(tc.data) {
					t.Errorf("%s at %d+%d outside the %d-byte frame", Field(n.Field).Abbrev, n.Off, n.Len, len(tc.data))
				}
			}
		})
	}
}

func TestBrowserBackupList(t *testing.T) {
	// BUILT TO [MS-BRWS] §2.2.5 (see browserSpecCases): the list itself.
	var b Browser
	if err := b.DecodeFromBytes(browserSpecCases[0].data, nil); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range b.BackupServers {
		names = append(names, string(s))
	}
	if strings.Join(names, ",") != "DELTA,ALPHA" {
		t.Errorf("BackupServers %q", names)
	}
	// Reuse for a shorter list must not keep old names.
	if err := b.DecodeFromBytes([]byte{0x0a, 0x01, 0, 0, 0, 0, 'X', 0}, nil); err != nil {
		t.Fatal(err)
	}
	if len(b.BackupServers) != 1 || string(b.BackupServers[0]) != "X" {
		t.Errorf("after reuse: %q", b.BackupServers)
	}
	// A full list of 255 names (the count is one byte).
	d := []byte{0x0a, 0xff, 0, 0, 0, 0}
	for i := 0; i < 255; i++ {
		d = append(d, 'A', 0)
	}
	if err := b.DecodeFromBytes(d, nil); err != nil || len(b.BackupServers) != 255 {
		t.Errorf("255 names: %v, %d", err, len(b.BackupServers))
	}
}

func TestBrowserTypes(t *testing.T) {
	// Values from the corpus (tshark's info column for the ServerType words).
	if got := ServerType(0x00849a03).String(); got != "Workstation, Server, Print Queue Server, Xenix Server, NT Workstation, NT Server, Master Browser, DFS server" {
		t.Errorf("ServerType %q", got)
	}
	if got := ServerType(0x4000).String(); got != "Unknown server type:14" {
		t.Errorf("ServerType bit 14 %q", got)
	}
	if !ServerType(0x00051003).Has(SVTypeMasterBrowser|SVTypePotentialBrowser) || ServerType(0x00051003).Has(SVTypeBackupBrowser) {
		t.Error("ServerType.Has")
	}
	// Samba's criteria from the lab README (gotcha 13): 0x41010f0b.
	c := Criteria(0x41010f0b)
	if c.OSLevel() != 65 || c.Roles() != RoleBackup|RoleStandby|RolePreferredMaster {
		t.Errorf("criteria parts %d %v", c.OSLevel(), c.Roles())
	}
	if maj, min := c.BrowserVersion(); maj != 15 || min != 1 {
		t.Errorf("browser version %d.%d", maj, min)
	}
	if got := c.String(); got != "0x41010f0b (OS level 65, browser 15.1, running backup browser, potential browser, preferred master)" {
		t.Errorf("criteria %q", got)
	}
	if got := Criteria(0x20000000).OS().String(); got != "NT Server" {
		t.Errorf("election OS %q", got)
	}
	if got := CriteriaRole(0xa4).String(); got != "running master browser, WINS client, PDC" {
		t.Errorf("roles %q", got)
	}
	if got := ResetStateFlags(0).String(); got != "no flags" {
		t.Errorf("reset flags %q", got)
	}
	if got := ResetStateFlags(0x12).String(); got != "flush browse list, unknown bits 0x10" {
		t.Errorf("reset flags %q", got)
	}
	if BrowserCommand(0x0e).String() != "Reset Browser State Announcement" || BrowserCommand(0x42).String() != "Unknown command:0x42" || BrowserCommand(3).Known() {
		t.Error("BrowserCommand.String")
	}
}

func TestBrowserMalformed(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want error
		// fields tshark would still show before the exception, and their values
		tree map[string]string
	}{
		{"empty", nil, ErrTruncated, nil},
		{"host announcement cut in the name", []byte{0x01, 0x00, 0x80, 0xfc, 0x0a, 0x00, 'U', 'S'}, ErrTruncated,
			map[string]string{"browser.update_count": "0", "browser.period": "720000", "browser.server": ""}},
		{"host announcement cut in the version", []byte{0x01, 0x00, 0x80, 0xfc, 0x0a, 0x00,
			'U', 'S', 'E', 'R', '-', 'P', 'C', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x06, 0x01, 0x03, 0x10, 0x01, 0x00, 0x0f}, ErrTruncated,
			map[string]string{"browser.server": "USER-PC", "browser.server_type": "0x00011003", "browser.proto_major": "15", "browser.proto_minor": "", "browser.sig": ""}},
		{"host announcement without comment NUL", append([]byte{0x01, 0x00, 0x80, 0xfc, 0x0a, 0x00,
			'U', 'S', 'E', 'R', '-', 'P', 'C', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x06, 0x01, 0x03, 0x10, 0x01, 0x00, 0x0f, 0x01, 0x55, 0xaa}, "abc"...), ErrTruncated,
			map[string]string{"browser.sig": "0xaa55", "browser.comment": ""}},
		{"domain announcement cut before the signature", []byte{0x0c, 0x00, 0x60, 0xea, 0x00, 0x00,
			'W', 'G', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x03, 0x0a, 0x00, 0x10, 0x00, 0x80, 0x91}, ErrTruncated,
			map[string]string{"browser.server_type": "0x80001000", "browser.mysterious_field": "", "browser.proto_major": ""}},
		{"announcement request without name", []byte{0x02}, ErrTruncated, map[string]string{"browser.unused": ""}},
		{"announcement request name without NUL", []byte{0x02, 0x00, 'A', 'B'}, ErrTruncated,
			map[string]string{"browser.unused": "0x00", "browser.response_computer_name": ""}},
		{"election cut in the criteria", []byte{0x08, 0x01, 0x20, 0x0f}, ErrTruncated,
			map[string]string{"browser.election.version": "1", "browser.election.criteria": ""}},
		{"election without name", []byte{0x08, 0x01, 0x20, 0x0f, 0x01, 0x10, 1, 0, 0, 0, 0, 0}, ErrTruncated,
			map[string]string{"browser.election.criteria": "0x10010f20", "browser.uptime": "1", "browser.server": ""}},
		{"backup list request cut", []byte{0x09, 0x04, 0xec}, ErrTruncated,
			map[string]string{"browser.backup.count": "4", "browser.backup.token": ""}},
		{"backup list response with fewer names than its count", []byte{0x0a, 0x03, 1, 0, 0, 0, 'A', 0, 'B', 0}, ErrTruncated,
			map[string]string{"browser.backup.count": "3", "browser.backup.server": "A,B"}},
		{"become backup without NUL", []byte{0x0b, 'X'}, ErrTruncated, map[string]string{"browser.browser_to_promote": ""}},
		{"master announcement empty", []byte{0x0d}, ErrTruncated, map[string]string{"browser.mb_server": ""}},
		{"reset without flags", []byte{0x0e}, ErrTruncated, map[string]string{"browser.reset_cmd": ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b Browser
			err := b.DecodeFromBytes(tc.data, gopacket.NilDecodeFeedback)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			var de *DecodeError
			if !errors.As(err, &de) || !strings.HasPrefix(err.Error(), "browser: ") || b.Err != err {
				t.Fatalf("not a browser DecodeError kept in Err: %v", err)
			}
			var tr Tree
			b.AppendTree(&tr)
			for f, want := range tc.tree {
				if got := msFieldValues(&tr, f); got != want {
					t.Errorf("%s = %q, want %q", f, got, want)
				}
			}
			last := tr.Nodes[len(tr.Nodes)-1]
			if last.Flags&NodeError == 0 || !strings.HasPrefix(last.Label, "[Malformed: browser: ") {
				t.Errorf("tree does not end with the malformed note: %+v", last)
			}
			b.AppendInfo(nil) // must not panic on partial frames
		})
	}
}

// TestBrowserGolden decodes every mailslot frame of every capture that has
// a golden TSV under testdata/browser (recorded from tshark 4.0.17 with
// testdata/browser/gen.sh) and compares every mailslot.* and browser.*
// field, all occurrences, with tshark's. Frames carried over NetBEUI or IPX
// are found by their SMB signature: the mailslot and browser bytes are the
// same as over NBT.
func TestBrowserGolden(t *testing.T) {
	goldens, _ := filepath.Glob("testdata/browser/*.tsv")
	if len(goldens) == 0 {
		t.Fatal("no golden TSVs in testdata/browser")
	}
	seen := map[string]int{} // browser.command / lanman values covered
	for _, g := range goldens {
		base := strings.TrimSuffix(filepath.Base(g), ".tsv")
		t.Run(base, func(t *testing.T) {
			path := browserFindCapture(t, base)
			gold := msReadGolden(t, g)
			frames := msReadFrames(t, path)
			var tr Tree
			var d msDecoded
			for _, fr := range frames {
				row, want := gold.rows[fr.num]
				tx, found := msFindTrans(fr, want)
				if !want {
					if found && tx.udp && !tx.oob && IsMailslotWrite(tx.name, len(tx.data)) {
						t.Errorf("frame %d: decoded a mailslot tshark does not show", fr.num)
					}
					continue
				}
				if !found {
					t.Errorf("frame %d: no mailslot transaction found", fr.num)
					continue
				}
				msDecodeFrame(tx, fr.data, &tr, &d)
				if len(d.errs) > 0 {
					t.Errorf("frame %d: %v", fr.num, d.errs)
				}
				for i, f := range gold.header[1:] {
					if got := msFieldValues(&tr, f); got != row[i+1] {
						t.Errorf("frame %d %s = %q, tshark %q", fr.num, f, got, row[i+1])
					}
				}
				if c := row[browserCol(gold.header, "browser.command")]; c != "" {
					seen[string(MailslotKindOf(tx.name).String())+" "+c]++
				}
			}
		})
	}
	var keys []string
	for k, n := range seen {
		keys = append(keys, k+"×"+strconv.Itoa(n))
	}
	sort.Strings(keys)
	t.Logf("commands compared with tshark: %s", strings.Join(keys, " "))
}

func browserCol(header []string, f string) int {
	for i, h := range header {
		if h == f {
			return i
		}
	}
	return 0
}

// browserFindCapture finds the capture a golden TSV was recorded from: a
// lab capture, or one of the corpus (a corpus case).
func browserFindCapture(t *testing.T, base string) string {
	for _, ext := range []string{".pcapng", ".pcap"} {
		if p := filepath.Join(msLabPcaps, base+ext); fileExists(p) {
			return p
		}
		for _, name := range []string{base + ext, "synthetic/" + base + ext} {
			if slices.Contains(corpus.Names(), name) {
				return corpus.Path(t, name)
			}
		}
	}
	t.Fatalf("no capture %s(.pcap|.pcapng) in %s or the corpus for its golden file", base, msLabPcaps)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestBrowserMalformedCapture: the tcpdump crash reproducer whose SMB
// transaction fields tcpdump read out of bounds decodes without a panic.
// Its mailslot and browser bytes are well formed (tshark shows a clean
// AnnouncementRequest from DJP95S0J and no expert note; only the NBDGM
// destination name is an illegal encoding, byte 0xb7): so no error here.
func TestBrowserMalformedCapture(t *testing.T) {
	p := msCapture(t, filepath.Join(msSharedPcaps, "synthetic"), "malformed-browser-announce-request_tcpdump-smb_print_trans-oobr2.pcap")
	frames := msReadFrames(t, p)
	tx, ok := msFindTrans(frames[0], false)
	if !ok {
		t.Fatal("no transaction found")
	}
	var tr Tree
	var d msDecoded
	msDecodeFrame(tx, frames[0].data, &tr, &d)
	if len(d.errs) != 0 {
		t.Errorf("errors %v", d.errs)
	}
	if got := string(d.info); got != "Request Announcement DJP95S0J" {
		t.Errorf("info %q", got)
	}
	// Every truncation of the frame's transaction data still decodes
	// without a panic, with a DecodeError.
	for n := 0; n < len(tx.data); n++ {
		var b Browser
		err := b.DecodeFromBytes(tx.data[:n], nil)
		var de *DecodeError
		if !errors.As(err, &de) || !errors.Is(err, ErrTruncated) {
			t.Errorf("cut to %d bytes: %v", n, err)
		}
		tr.Reset()
		b.AppendTree(&tr)
	}
}

// TestBrowserFuzzedCapture runs every UDP 138 mailslot of the nDPI fuzz
// trace (randomly corrupted bytes) through the decoders: errors are fine,
// panics are not, and tshark decodes no browser frame in it.
func TestBrowserFuzzedCapture(t *testing.T) {
	p := msCapture(t, filepath.Join(msSharedPcaps, "synthetic"), "malformed-fuzzed-nbns-nbdgm_ndpi-fuzz-2006-06-26-2594.pcap")
	var tr Tree
	var d msDecoded
	n := 0
	for _, fr := range msReadFrames(t, p) {
		tx, ok := msFindTrans(fr, false)
		if !ok {
			continue
		}
		n++
		msDecodeFrame(tx, fr.data, &tr, &d)
		// tshark shows no mailslot when the transaction's data lies past
		// the message (frame 464: DataOffset 193): that is for SMBtrans to
		// reject; the decoders only must not panic on what is left.
		if d.ms.Kind == MailslotBrowse && !tx.oob {
			t.Errorf("frame %d: decoded as \\MAILSLOT\\BROWSE (%q), tshark does not", fr.num, d.ms.Name)
		}
	}
	t.Logf("%d corrupted transactions decoded", n)
}

func TestBrowserAllocs(t *testing.T) {
	var b Browser
	var tr Tree
	var info []byte
	for _, tc := range browserAllCases() {
		allocs := testing.AllocsPerRun(50, func() {
			if err := b.DecodeFromBytes(tc.data, nil); err != nil {
				t.Fatal(err)
			}
			tr.Reset()
			b.AppendTree(&tr)
			info = b.AppendInfo(info[:0])
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per frame, want 0", tc.name, allocs)
		}
	}
}

func BenchmarkBrowserDecode(b *testing.B) {
	for _, tc := range []browserCase{browserRealCases[0], browserRealCases[2], browserSpecCases[0]} {
		b.Run(tc.name, func(b *testing.B) {
			var br Browser
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.data)))
			for i := 0; i < b.N; i++ {
				if err := br.DecodeFromBytes(tc.data, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBrowserTree(b *testing.B) {
	var br Browser
	var tr Tree
	var info []byte
	data := browserRealCases[0].data
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := br.DecodeFromBytes(data, nil); err != nil {
			b.Fatal(err)
		}
		tr.Reset()
		br.AppendTree(&tr)
		info = br.AppendInfo(info[:0])
	}
}

func FuzzBrowser(f *testing.F) {
	for _, s := range msFuzzSeeds(f, true) {
		f.Add(s)
	}
	for _, tc := range browserAllCases() {
		f.Add(tc.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var b Browser
		err := b.DecodeFromBytes(data, nil)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a *DecodeError", err)
			}
			if b.Err != err {
				t.Fatal("Err not kept")
			}
		}
		var tr Tree
		b.AppendTree(&tr)
		b.AppendInfo(nil)
		for _, n := range tr.Nodes {
			if n.Off < 0 || int(n.Off)+int(n.Len) > len(data) {
				t.Fatalf("node %s at %d+%d outside %d bytes", Field(n.Field).Abbrev, n.Off, n.Len, len(data))
			}
		}
		if tr.Depth() != 0 {
			t.Fatalf("tree left open at depth %d", tr.Depth())
		}
	})
}

// --- live differential test against tshark ---

type browserPDMLField struct {
	Name   string             `xml:"name,attr"`
	Pos    int                `xml:"pos,attr"`
	Size   int                `xml:"size,attr"`
	Show   string             `xml:"show,attr"`
	Fields []browserPDMLField `xml:"field"`
}

type browserPDMLPacket struct {
	Protos []browserPDMLField `xml:"proto"`
}

// browserPDMLItem is one node as "name pos size show", in tree order.
func browserPDMLItems(p browserPDMLPacket) (num int, items []string) {
	var walk func(f browserPDMLField, proto bool)
	walk = func(f browserPDMLField, proto bool) {
		show := f.Show
		if proto {
			show = ""
		}
		items = append(items, fmt.Sprintf("%s %d %d %q", f.Name, f.Pos, f.Size, show))
		for _, c := range f.Fields {
			walk(c, false)
		}
	}
	for _, pr := range p.Protos {
		switch pr.Name {
		case "geninfo":
			for _, f := range pr.Fields {
				if f.Name == "num" {
					num, _ = strconv.Atoi(f.Show)
				}
			}
		case "mailslot", "browser":
			walk(pr, true)
		case "fake-field-wrapper":
			// Undissected bytes: tshark's "data" protocol, whose bytes it
			// shows as "0d:4c:00".
			for _, f := range pr.Fields {
				if f.Name == "data" {
					for _, c := range f.Fields {
						c.Show = strings.ReplaceAll(c.Show, ":", "")
						walk(c, false)
					}
				}
			}
		}
	}
	return num, items
}

func browserTreeItems(tr *Tree) []string {
	var items []string
	for i := range tr.Nodes {
		n := &tr.Nodes[i]
		if n.Field == 0 {
			continue
		}
		fi := Field(n.Field)
		if fi.Proto != "mailslot" && fi.Proto != "browser" && fi.Proto != "data" || n.Field == FieldData {
			continue
		}
		show := msValue(n)
		if fi.Type == FTProtocol {
			show = ""
		}
		items = append(items, fmt.Sprintf("%s %d %d %q", fi.Abbrev, n.Off, n.Len, show))
	}
	return items
}

// browserTsharkDiff runs tshark -T pdml on a capture and compares, frame by
// frame, every mailslot and browser node in tree order: name, position,
// size and value.
func browserTsharkDiff(t *testing.T, tshark, path string, scan bool) {
	out, err := exec.Command(tshark, "-r", path, "-Y", "mailslot", "-T", "pdml").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	var doc struct {
		Packets []browserPDMLPacket `xml:"packet"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("pdml: %v", err)
	}
	frames := msReadFrames(t, path)
	byNum := map[int]msFrame{}
	for _, f := range frames {
		byNum[f.num] = f
	}
	var tr Tree
	var d msDecoded
	shown := map[int]bool{}
	for _, p := range doc.Packets {
		num, _ := browserPDMLItems(p)
		shown[num] = true
	}
	// Frames tshark shows no mailslot in: nbtsniff must not either.
	for _, fr := range frames {
		if shown[fr.num] {
			continue
		}
		if tx, ok := msFindTrans(fr, false); ok && !tx.oob {
			msDecodeFrame(tx, fr.data, &tr, &d)
			if items := browserTreeItems(&tr); len(items) > 0 {
				t.Errorf("frame %d: tshark shows no mailslot, nbtsniff shows\n  %s", fr.num, strings.Join(items, "\n  "))
			}
		}
	}
	compared := 0
	defer func() {
		if compared == 0 {
			t.Errorf("no frame compared")
		}
		t.Logf("%d frames identical to tshark", compared)
	}()
	for _, p := range doc.Packets {
		num, want := browserPDMLItems(p)
		fr, ok := byNum[num]
		if !ok {
			t.Fatalf("frame %d not in the capture", num)
		}
		tx, ok := msFindTrans(fr, scan)
		if !ok {
			t.Errorf("frame %d: no transaction found", num)
			continue
		}
		msDecodeFrame(tx, fr.data, &tr, &d)
		compared++
		got := browserTreeItems(&tr)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("frame %d differs from tshark:\nnbtsniff:\n  %s\ntshark:\n  %s", num,
				strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
	}
}

// browserTsharkDefault picks the captures the live test runs by default,
// to keep go test fast: the lab captures (dmb.pcapng, not its two
// per-subnet halves), and the shared ones that hold
// what the others do not (Win7 elections and domain announcement without
// signature, Win10 BecomeBackup, Win98 criteria, WfW over NetBEUI/IPX, a
// Samba LMB with a 16-character name). NBTSNIFF_TSHARK_ALL=1 runs them all.
func browserTsharkDefault(base, path string) bool {
	if strings.HasPrefix(path, msLabPcaps) {
		return !strings.Contains(base, ".subnet") // dmb.pcapng holds both subnets
	}
	for _, p := range []string{"browser-elections-announce-req-domain-lmb_", "nbss139-smb1-rap-netserverenum2-win10",
		"nbns-registration-browser-elections-udp-and-netbeui", "netbios-legacy-wfw311", "browser-backuplist-req-domain-lmb"} {
		if strings.HasPrefix(base, p) {
			return true
		}
	}
	return false
}

// TestBrowserTshark is the live differential test: when tshark is
// installed (and not with -short), captures with mailslot frames (the lab
// captures, a selection of the shared corpus, all of it with
// NBTSNIFF_TSHARK_ALL=1, and a capture of the frames built to the spec
// above, written to a temporary file) are dissected by tshark and by
// nbtsniff, and every mailslot/browser node must agree in order, position,
// length and value. TestBrowserGolden covers every capture without tshark.
func TestBrowserTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not running tshark")
	}
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		corpus.Skip(t, "tshark not installed: skipping the live differential test")
	}
	goldens, _ := filepath.Glob("testdata/browser/*.tsv")
	all := os.Getenv("NBTSNIFF_TSHARK_ALL") != ""
	for _, g := range goldens {
		base := strings.TrimSuffix(filepath.Base(g), ".tsv")
		where := base // the lab's path, for browserTsharkDefault
		if p := filepath.Join(msLabPcaps, base+".pcapng"); fileExists(p) {
			where = p
		}
		if !all && !browserTsharkDefault(base, where) {
			continue
		}
		t.Run(base, func(t *testing.T) {
			path := browserFindCapture(t, base)
			t.Parallel()
			browserTsharkDiff(t, tshark, path, true)
		})
	}
	t.Run("built-to-spec", func(t *testing.T) {
		t.Parallel()
		var msgs []browserSynth
		for _, tc := range browserSpecCases {
			msgs = append(msgs, browserSynth{`\MAILSLOT\BROWSE`, tc.data})
		}
		for _, tc := range lanmanSpecCases {
			msgs = append(msgs, browserSynth{`\MAILSLOT\LANMAN`, tc.data})
		}
		// Mailslots shown as data: the name match is case-sensitive, as
		// in tshark (a lower-case "\mailslot\" is no mailslot at all).
		msgs = append(msgs, browserSynth{`\MAILSLOT\browse`, []byte{0x0d, 'L', 0}},
			browserSynth{`\MAILSLOT\MESSNGR`, []byte("hello\x00")},
			browserSynth{`\mailslot\BROWSE`, []byte{0x0d, 'L', 0}},
			// No data: tshark shows an "Interim reply", no mailslot.
			browserSynth{`\MAILSLOT\BROWSE`, nil})
		p := filepath.Join(t.TempDir(), "spec.pcap")
		browserWritePcap(t, p, msgs)
		browserTsharkDiff(t, tshark, p, false)
	})
}

type browserSynth struct {
	mailslot string
	data     []byte
}

// browserWritePcap writes mailslot messages as NBT datagrams (Ethernet,
// IPv4, UDP 138, RFC 1002 §4.4.1 DIRECT_GROUP, SMB_COM_TRANSACTION as
// [MS-MAIL] §2.2.1 lays it out) into a pcap file.
func browserWritePcap(t *testing.T, path string, msgs []browserSynth) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	for i, m := range msgs {
		smb := browserBuildTrans(m.mailslot, m.data)
		src := MakeName("SPEC", 0x00)
		dst := MakeName("LABWG", 0x1d)
		dgm := []byte{0x11, 0x02, 0x00, byte(i), 198, 18, 1, 99, 0x00, 0x8a, 0, 0, 0x00, 0x00}
		dgm = append(dgm, 0x20)
		dgm = EncodeName(dgm, src)
		dgm = append(dgm, 0x00, 0x20)
		dgm = EncodeName(dgm, dst)
		dgm = append(dgm, 0x00)
		binary.BigEndian.PutUint16(dgm[10:], uint16(len(dgm)-14+len(smb)))
		dgm = append(dgm, smb...)
		eth := &layers.Ethernet{SrcMAC: []byte{2, 0, 0xc6, 0x12, 1, 99}, DstMAC: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, EthernetType: layers.EthernetTypeIPv4}
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: []byte{198, 18, 1, 99}, DstIP: []byte{198, 18, 1, 255}}
		udp := &layers.UDP{SrcPort: 138, DstPort: 138}
		if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
			t.Fatal(err)
		}
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
			eth, ip, udp, gopacket.Payload(dgm)); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		ci := gopacket.CaptureInfo{CaptureLength: len(data), Length: len(data)}
		if err := w.WritePacket(ci, data); err != nil {
			t.Fatal(err)
		}
	}
}

// browserBuildTrans builds a class 2 mailslot write ([MS-MAIL] §2.2.1).
func browserBuildTrans(mailslot string, data []byte) []byte {
	smb := make([]byte, 32, 128+len(data))
	copy(smb, "\xffSMB\x25")
	w := make([]byte, 1+28)
	w[0] = 17
	le := binary.LittleEndian
	le.PutUint16(w[3:], uint16(len(data)))  // TotalDataCount
	le.PutUint32(w[13:], 1000)              // Timeout
	le.PutUint16(w[23:], uint16(len(data))) // DataCount
	w[27] = 3                               // SetupCount
	smb = append(smb, w...)
	smb = append(smb, 1, 0, 1, 0, 2, 0) // write, priority 1, class 2
	name := append([]byte(mailslot), 0)
	smb = le.AppendUint16(smb, uint16(len(name)+len(data)))
	smb = append(smb, name...)
	le.PutUint16(smb[57:], uint16(len(smb))) // DataOffset
	return append(smb, data...)
}

// TestBrowserMessagesAlias: decoded names point into the frame (nothing is
// copied), so the timeline must copy what it keeps.
func TestBrowserMessagesAlias(t *testing.T) {
	data := append([]byte(nil), browserRealCases[0].data...)
	var b Browser
	if err := b.DecodeFromBytes(data, nil); err != nil {
		t.Fatal(err)
	}
	data[6] = 'X'
	if !bytes.HasPrefix(b.ServerName, []byte("XSER")) {
		t.Errorf("ServerName %q does not alias the input", b.ServerName)
	}
}
