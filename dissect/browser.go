package dissect

// Browser frames on \MAILSLOT\BROWSE: [MS-BRWS] §2.2 (§2.2.1-§2.2.10), the
// Leach/Naik CIFS/E browser draft (draft-leach-cifs-browser-spec-00, §6,
// the browser frames), Hertel, Implementing CIFS, part III (the Browse
// Service).
//
// Byte order: little-endian. Strings are OEM (ASCII/CP437), NUL-terminated,
// except the 16-byte NUL-padded server name of the announcements.
//
// The frame is the data block of a mailslot write (see mailslot.go); its
// first byte is the opcode. Layouts, offsets from the opcode:
//
//	HostAnnouncement (0x01), DomainAnnouncement (0x0C),
//	LocalMasterAnnouncement (0x0F), [MS-BRWS] §2.2.1, §2.2.7, §2.2.10:
//	 0 Opcode  1 UpdateCount  2 Periodicity (4, ms)  6 ServerName (16, NUL padded)
//	22 OSVersionMajor  23 OSVersionMinor  24 ServerType (4)
//	28 BrowserVersionMajor  29 BrowserVersionMinor  30 Signature (2, 0xAA55)
//	32 Comment (NUL-terminated)
//	   DomainAnnouncement: ServerName is the machine group, bytes 28-31 are
//	   the browser version and signature only when bytes 30-31 are 0xAA55
//	   (else Wireshark's "Mysterious Field"), and the string is the name of
//	   the master browser, not a comment.
//	AnnouncementRequest (0x02), §2.2.2:
//	 0 Opcode  1 Unused  2 ResponseName (NUL-terminated)
//	RequestElection (0x08), §2.2.3:
//	 0 Opcode  1 Version  2 Criteria (4)  6 Uptime (4, ms)  10 Unused (4)
//	14 ServerName (NUL-terminated)
//	GetBackupListRequest (0x09), §2.2.4:
//	 0 Opcode  1 RequestedCount  2 Token (4)
//	GetBackupListResponse (0x0A), §2.2.5:
//	 0 Opcode  1 BackupServerCount  2 Token (4)
//	 6 BackupServerList (BackupServerCount NUL-terminated names)
//	BecomeBackup (0x0B), §2.2.6:
//	 0 Opcode  1 BrowserToPromote (NUL-terminated)
//	MasterAnnouncement (0x0D), §2.2.8:
//	 0 Opcode  1 MasterBrowserServerName (NUL-terminated)
//	ResetStateRequest (0x0E), §2.2.9 (Wireshark: ResetBrowserState):
//	 0 Opcode  1 Type (flags)
//
// The tree follows Wireshark 4.0's packet-smb-browse.c field for field, so
// that -T fields output can be diffed with tshark's.

import (
	"bytes"
	"encoding/binary"
	"strconv"

	"github.com/gopacket/gopacket"
)

// BrowserCommand is the opcode, the first byte of a browser frame
// ([MS-BRWS] §2.2).
type BrowserCommand uint8

// Browser frame opcodes ([MS-BRWS] §2.2.1-§2.2.10).
const (
	BrowserHostAnnouncement        BrowserCommand = 0x01 // §2.2.1
	BrowserAnnouncementRequest     BrowserCommand = 0x02 // §2.2.2
	BrowserRequestElection         BrowserCommand = 0x08 // §2.2.3
	BrowserGetBackupListRequest    BrowserCommand = 0x09 // §2.2.4
	BrowserGetBackupListResponse   BrowserCommand = 0x0a // §2.2.5
	BrowserBecomeBackup            BrowserCommand = 0x0b // §2.2.6
	BrowserDomainAnnouncement      BrowserCommand = 0x0c // §2.2.7
	BrowserMasterAnnouncement      BrowserCommand = 0x0d // §2.2.8
	BrowserResetState              BrowserCommand = 0x0e // §2.2.9 ResetStateRequest
	BrowserLocalMasterAnnouncement BrowserCommand = 0x0f // §2.2.10
)

// String gives the command as tshark names it ("Host Announcement").
func (c BrowserCommand) String() string {
	if s := c.name(); s != "" {
		return s
	}
	return "Unknown command:0x" + string([]byte{hexdigits[c>>4], hexdigits[c&0xf]})
}

// Known reports whether the opcode is one of the ten browser frames.
func (c BrowserCommand) Known() bool { return c.name() != "" }

func (c BrowserCommand) name() string {
	switch c {
	case BrowserHostAnnouncement:
		return "Host Announcement"
	case BrowserAnnouncementRequest:
		return "Request Announcement"
	case BrowserRequestElection:
		return "Browser Election Request"
	case BrowserGetBackupListRequest:
		return "Get Backup List Request"
	case BrowserGetBackupListResponse:
		return "Get Backup List Response"
	case BrowserBecomeBackup:
		return "Become Backup Browser"
	case BrowserDomainAnnouncement:
		return "Domain/Workgroup Announcement"
	case BrowserMasterAnnouncement:
		return "Master Announcement"
	case BrowserResetState:
		return "Reset Browser State Announcement"
	case BrowserLocalMasterAnnouncement:
		return "Local Master Announcement"
	}
	return ""
}

// ServerType is the SV_TYPE bitmap of announcements and NetServerEnum2
// ([MS-SRVS] §2.2.2.7 "Software Type Flags"; [MS-RAP] NetServerEnum2).
type ServerType uint32

// Server type bits.
const (
	SVTypeWorkstation      ServerType = 0x00000001 // SV_TYPE_WORKSTATION
	SVTypeServer           ServerType = 0x00000002 // SV_TYPE_SERVER
	SVTypeSQLServer        ServerType = 0x00000004 // SV_TYPE_SQLSERVER
	SVTypeDomainCtrl       ServerType = 0x00000008 // SV_TYPE_DOMAIN_CTRL (PDC)
	SVTypeDomainBakCtrl    ServerType = 0x00000010 // SV_TYPE_DOMAIN_BAKCTRL (BDC)
	SVTypeTimeSource       ServerType = 0x00000020 // SV_TYPE_TIME_SOURCE
	SVTypeAFP              ServerType = 0x00000040 // SV_TYPE_AFP
	SVTypeNovell           ServerType = 0x00000080 // SV_TYPE_NOVELL
	SVTypeDomainMember     ServerType = 0x00000100 // SV_TYPE_DOMAIN_MEMBER
	SVTypePrintQServer     ServerType = 0x00000200 // SV_TYPE_PRINTQ_SERVER
	SVTypeDialinServer     ServerType = 0x00000400 // SV_TYPE_DIALIN_SERVER
	SVTypeXenixServer      ServerType = 0x00000800 // SV_TYPE_XENIX_SERVER (also SERVER_UNIX)
	SVTypeNT               ServerType = 0x00001000 // SV_TYPE_NT
	SVTypeWFW              ServerType = 0x00002000 // SV_TYPE_WFW
	SVTypeServerMFPN       ServerType = 0x00004000 // SV_TYPE_SERVER_MFPN
	SVTypeServerNT         ServerType = 0x00008000 // SV_TYPE_SERVER_NT
	SVTypePotentialBrowser ServerType = 0x00010000 // SV_TYPE_POTENTIAL_BROWSER
	SVTypeBackupBrowser    ServerType = 0x00020000 // SV_TYPE_BACKUP_BROWSER
	SVTypeMasterBrowser    ServerType = 0x00040000 // SV_TYPE_MASTER_BROWSER
	SVTypeDomainMaster     ServerType = 0x00080000 // SV_TYPE_DOMAIN_MASTER
	SVTypeOSF              ServerType = 0x00100000 // SV_TYPE_SERVER_OSF
	SVTypeVMS              ServerType = 0x00200000 // SV_TYPE_SERVER_VMS
	SVTypeWindows          ServerType = 0x00400000 // SV_TYPE_WINDOWS (Windows 95 and later)
	SVTypeDFS              ServerType = 0x00800000 // SV_TYPE_DFS
	SVTypeLocalListOnly    ServerType = 0x40000000 // SV_TYPE_LOCAL_LIST_ONLY
	SVTypeDomainEnum       ServerType = 0x80000000 // SV_TYPE_DOMAIN_ENUM
)

// serverTypeNames are the names Wireshark gives the bits in the info column
// (packet-smb-browse.c server_types), indexed by bit number.
var serverTypeNames = [32]string{
	0: "Workstation", 1: "Server", 2: "SQL Server", 3: "Domain Controller",
	4: "Backup Controller", 5: "Time Source", 6: "Apple Server", 7: "Novell Server",
	8: "Domain Member Server", 9: "Print Queue Server", 10: "Dialin Server",
	11: "Xenix Server", 12: "NT Workstation", 13: "Windows for Workgroups",
	15: "NT Server", 16: "Potential Browser", 17: "Backup Browser",
	18: "Master Browser", 19: "Domain Master Browser", 20: "OSF", 21: "VMS",
	22: "Windows 95 or above", 23: "DFS server", 30: "Local List Only",
	31: "Domain Enum",
}

// Has reports whether every bit of x is set.
func (s ServerType) Has(x ServerType) bool { return s&x == x }

// String lists the set bits in plain words, "Workstation, Server, NT
// Workstation, Potential Browser" (Wireshark's words, so it matches
// tshark's info column); "none" when no bit is set.
func (s ServerType) String() string {
	if s == 0 {
		return "none"
	}
	b := s.appendList(nil, "")
	return string(b)
}

// appendList appends sep+name for every set bit, the first without sep
// when sep is "".
func (s ServerType) appendList(b []byte, sep string) []byte {
	first := sep == ""
	for i := uint(0); i < 32; i++ {
		if s&(1<<i) == 0 {
			continue
		}
		if first {
			first = false
		} else if sep == "" {
			b = append(b, ", "...)
		} else {
			b = append(b, sep...)
		}
		if n := serverTypeNames[i]; n != "" {
			b = append(b, n...)
		} else {
			b = append(b, "Unknown server type:"...)
			b = strconv.AppendUint(b, uint64(i), 10)
		}
	}
	return b
}

// Criteria is the election criteria of a RequestElection ([MS-BRWS]
// §2.2.3; the Leach/Naik draft; Samba's nmbd): the top byte is the
// operating system value (Samba: "os level"), the middle 16 bits the
// browser protocol version (major in bits 8-15, minor in bits 16-23:
// 0x010f00 is 15.1, Windows 9x 21.4, WfW 11.4), the low byte the role bits.
type Criteria uint32

// OSLevel is the top byte (Samba's "os level"; [MS-BRWS]: 0x10 or 0x20;
// Wireshark: the Election OS bits, see OS).
func (c Criteria) OSLevel() uint8 { return uint8(c >> 24) }

// OS is the top byte read as Wireshark's browser.election.os bits.
func (c Criteria) OS() ElectionOS { return ElectionOS(c >> 24) }

// BrowserVersion is the browser protocol version in the middle 16 bits.
func (c Criteria) BrowserVersion() (major, minor uint8) { return uint8(c >> 8), uint8(c >> 16) }

// Roles is the low byte: the role ("desire") bits.
func (c Criteria) Roles() CriteriaRole { return CriteriaRole(c) }

// String is "0x41010f0a (OS level 65, browser 15.1, potential browser,
// preferred master)".
func (c Criteria) String() string { return string(c.appendString(nil)) }

func (c Criteria) appendString(b []byte) []byte {
	b = append(b, "0x"...)
	b = browserAppendHex(b, uint64(c), 8)
	b = append(b, " (OS level "...)
	b = strconv.AppendUint(b, uint64(c.OSLevel()), 10)
	maj, min := c.BrowserVersion()
	b = append(b, ", browser "...)
	b = strconv.AppendUint(b, uint64(maj), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(min), 10)
	if r := c.Roles(); r != 0 {
		b = append(b, ", "...)
		b = r.appendList(b)
	}
	return append(b, ')')
}

// CriteriaRole is the low byte of Criteria ([MS-BRWS] §2.2.3 "Role";
// Wireshark's browser.election.desire bits; the Leach/Naik draft's
// "desire" bits).
type CriteriaRole uint8

// Role bits. The comment gives Wireshark's field and, where it differs, the
// meaning [MS-BRWS] and Samba give the bit.
const (
	RoleBackup          CriteriaRole = 0x01 // desire.backup: running as a backup browser
	RoleStandby         CriteriaRole = 0x02 // desire.standby: potential browser (Samba: maintains server list)
	RoleMaster          CriteriaRole = 0x04 // desire.master: running as the master browser
	RolePreferredMaster CriteriaRole = 0x08 // desire.domain_master: [MS-BRWS]/Samba: preferred master
	RoleWINSClient      CriteriaRole = 0x20 // desire.wins: WINS client
	RolePDC             CriteriaRole = 0x80 // desire.nt: PDC / NT Advanced Server (Samba: domain master)
)

var criteriaRoleWords = [8]string{
	0: "running backup browser", 1: "potential browser", 2: "running master browser",
	3: "preferred master", 5: "WINS client", 7: "PDC",
}

// Has reports whether every bit of x is set.
func (r CriteriaRole) Has(x CriteriaRole) bool { return r&x == x }

// String lists the set bits in plain words ("potential browser, preferred
// master"), "none" when none is set.
func (r CriteriaRole) String() string {
	if r == 0 {
		return "none"
	}
	return string(r.appendList(nil))
}

func (r CriteriaRole) appendList(b []byte) []byte {
	first := true
	for i := uint(0); i < 8; i++ {
		if r&(1<<i) == 0 {
			continue
		}
		if !first {
			b = append(b, ", "...)
		}
		first = false
		if w := criteriaRoleWords[i]; w != "" {
			b = append(b, w...)
		} else {
			b = append(b, "bit 0x"...)
			b = browserAppendHex(b, 1<<i, 2)
		}
	}
	return b
}

// ElectionOS is the top byte of Criteria read as bits (Wireshark's
// browser.election.os; Leach/Naik draft: WfW 0x01, NT workstation 0x10, NT
// server 0x20).
type ElectionOS uint8

// Election OS bits.
const (
	ElectionOSWfW ElectionOS = 0x01 // Windows for Workgroups (and 9x)
	ElectionOSNTW ElectionOS = 0x10 // Windows NT Workstation
	ElectionOSNTS ElectionOS = 0x20 // Windows NT Server
)

// Has reports whether every bit of x is set.
func (o ElectionOS) Has(x ElectionOS) bool { return o&x == x }

// String lists the set bits ("WfW, NT Workstation"), "none" when none is.
func (o ElectionOS) String() string {
	if o&(ElectionOSWfW|ElectionOSNTW|ElectionOSNTS) == 0 {
		return "none"
	}
	var b []byte
	for _, x := range [...]struct {
		bit  ElectionOS
		word string
	}{{ElectionOSWfW, "WfW"}, {ElectionOSNTW, "NT Workstation"}, {ElectionOSNTS, "NT Server"}} {
		if o&x.bit != 0 {
			if len(b) > 0 {
				b = append(b, ", "...)
			}
			b = append(b, x.word...)
		}
	}
	return string(b)
}

// ResetStateFlags is the Type byte of a ResetStateRequest ([MS-BRWS]
// §2.2.9; Wireshark's browser.reset_cmd).
type ResetStateFlags uint8

// Reset flags.
const (
	ResetDemoteLMB ResetStateFlags = 0x01 // RESET_STATE_STOP_MASTER: stop being master, become a backup
	ResetFlushList ResetStateFlags = 0x02 // RESET_STATE_CLEAR_ALL: flush the browse list, stop being master
	ResetStop      ResetStateFlags = 0x04 // RESET_STATE_STOP: stop being a browser
)

// Has reports whether every bit of x is set.
func (f ResetStateFlags) Has(x ResetStateFlags) bool { return f&x == x }

// String lists the set flags in plain words ("demote LMB, flush browse
// list"), "no flags" when none is set.
func (f ResetStateFlags) String() string { return string(f.appendList(nil)) }

func (f ResetStateFlags) appendList(b []byte) []byte {
	n := len(b)
	for _, x := range [...]struct {
		bit  ResetStateFlags
		word string
	}{{ResetDemoteLMB, "demote LMB"}, {ResetFlushList, "flush browse list"}, {ResetStop, "stop being a browser"}} {
		if f&x.bit != 0 {
			if len(b) > n {
				b = append(b, ", "...)
			}
			b = append(b, x.word...)
		}
	}
	if other := f &^ (ResetDemoteLMB | ResetFlushList | ResetStop); other != 0 {
		if len(b) > n {
			b = append(b, ", "...)
		}
		b = append(b, "unknown bits 0x"...)
		b = browserAppendHex(b, uint64(other), 2)
	}
	if len(b) == n {
		b = append(b, "no flags"...)
	}
	return b
}

// BrowserSignature is the constant that ends the fixed part of
// announcements ([MS-BRWS] §2.2.1 Signature).
const BrowserSignature = 0xaa55

// MaxBackupServers bounds the names kept from a GetBackupListResponse: the
// count is one byte, so this is never below what the frame announces.
const MaxBackupServers = 255

// Offsets in browser frames (see the diagram at the top of the file).
const (
	brOffCommand      = 0
	brOffUpdateCount  = 1
	brOffPeriodicity  = 2
	brOffServerName   = 6
	brServerNameLen   = 16
	brOffOSMajor      = 22
	brOffOSMinor      = 23
	brOffServerType   = 24
	brOffProtoMajor   = 28
	brOffProtoMinor   = 29
	brOffSignature    = 30
	brOffComment      = 32 // also the fixed length of an announcement
	brOffElVersion    = 1
	brOffCriteria     = 2
	brOffUptime       = 6
	brOffElUnused     = 10
	brOffElServerName = 14
	brOffBackupCount  = 1
	brOffBackupToken  = 2
	brOffBackupList   = 6
)

// Browser is one \MAILSLOT\BROWSE frame. Fields not used by Command are
// zero; byte slices alias the input.
type Browser struct {
	Command BrowserCommand

	// HostAnnouncement, DomainAnnouncement, LocalMasterAnnouncement.
	UpdateCount uint8
	Periodicity uint32 // announcement interval, milliseconds
	// ServerName is the announcing server (for a DomainAnnouncement: the
	// machine group), up to the first NUL of its 16 bytes; for a
	// RequestElection, the sender's name.
	ServerName []byte
	OSMajor    uint8
	OSMinor    uint8
	ServerType ServerType
	// ProtoMajor/ProtoMinor are the browser protocol version (15.1; 21.4
	// from Windows 9x; 11.x from WfW). For a RequestElection they are
	// copied from Criteria.
	ProtoMajor uint8
	ProtoMinor uint8
	Signature  uint16
	// HasSignature is false for a DomainAnnouncement whose bytes 30-31 are
	// not 0xAA55: bytes 28-31 are then Mysterious (Wireshark's "Mysterious
	// Field"), and ProtoMajor/ProtoMinor/Signature are zero.
	HasSignature bool
	Mysterious   uint32
	Comment      []byte // Host/LocalMasterAnnouncement comment
	// MasterName is the master browser's name: the string of a
	// DomainAnnouncement and the body of a MasterAnnouncement.
	MasterName []byte

	// AnnouncementRequest.
	Unused       uint8
	ResponseName []byte

	// RequestElection (ServerName above is the sender).
	ElectionVersion uint8
	Criteria        Criteria
	Uptime          uint32 // milliseconds

	// GetBackupListRequest (BackupCount = servers wanted) and
	// GetBackupListResponse (BackupCount = servers listed).
	BackupCount   uint8
	Token         uint32
	BackupServers [][]byte // at most MaxBackupServers

	// BecomeBackup.
	BrowserToPromote []byte

	// ResetStateRequest.
	ResetFlags ResetStateFlags

	// Err is the error DecodeFromBytes returned, nil on success.
	Err error

	data  []byte // the frame
	valid int    // bytes of the fixed part that were present
	str   int    // bytes of the trailing string on the wire, NUL included (0: absent)
}

var (
	fBrowser              = RegisterField(FieldInfo{Abbrev: "browser", Name: "Microsoft Windows Browser Protocol", Type: FTProtocol})
	fBrowserCommand       = WiresharkField("browser.command")
	fBrowserUpdateCount   = WiresharkField("browser.update_count")
	fBrowserPeriod        = WiresharkField("browser.period")
	fBrowserServer        = WiresharkField("browser.server")
	fBrowserMBServer      = WiresharkField("browser.mb_server")
	fBrowserResetCmd      = WiresharkField("browser.reset_cmd")
	fBrowserOSMajor       = WiresharkField("browser.os_major")
	fBrowserOSMinor       = WiresharkField("browser.os_minor")
	fBrowserServerType    = WiresharkField("browser.server_type")
	fBrowserElVersion     = WiresharkField("browser.election.version")
	fBrowserProtoMajor    = WiresharkField("browser.proto_major")
	fBrowserProtoMinor    = WiresharkField("browser.proto_minor")
	fBrowserSig           = WiresharkField("browser.sig")
	fBrowserComment       = WiresharkField("browser.comment")
	fBrowserUnused        = WiresharkField("browser.unused")
	fBrowserResponseName  = WiresharkField("browser.response_computer_name")
	fBrowserCriteria      = WiresharkField("browser.election.criteria")
	fBrowserDesire        = WiresharkField("browser.election.desire")
	fBrowserElOS          = WiresharkField("browser.election.os")
	fBrowserUptime        = WiresharkField("browser.uptime")
	fBrowserBackupCount   = WiresharkField("browser.backup.count")
	fBrowserBackupToken   = WiresharkField("browser.backup.token")
	fBrowserBackupServer  = WiresharkField("browser.backup.server")
	fBrowserPromote       = WiresharkField("browser.browser_to_promote")
	fBrowserWindowsVer    = WiresharkField("browser.windows_version")
	fBrowserMysterious    = WiresharkField("browser.mysterious_field")
	browserServerTypeBits = browserBits([]browserBitDef{
		{"browser.server_type.workstation", 0x00000001, "This is a Workstation", "This is NOT a Workstation"},
		{"browser.server_type.server", 0x00000002, "This is a Server", "This is NOT a Server"},
		{"browser.server_type.sql", 0x00000004, "This is an SQL server", "This is NOT an SQL server"},
		{"browser.server_type.domain_controller", 0x00000008, "This is a Domain Controller", "This is NOT a Domain Controller"},
		{"browser.server_type.backup_controller", 0x00000010, "This is a Backup Controller", "This is NOT a Backup Controller"},
		{"browser.server_type.time", 0x00000020, "This is a Time Source", "This is NOT a Time Source"},
		{"browser.server_type.apple", 0x00000040, "This is an Apple host", "This is NOT an Apple host"},
		{"browser.server_type.novell", 0x00000080, "This is a Novell server", "This is NOT a Novell server"},
		{"browser.server_type.member", 0x00000100, "This is a Domain Member server", "This is NOT a Domain Member server"},
		{"browser.server_type.print", 0x00000200, "This is a Print Queue server", "This is NOT a Print Queue server"},
		{"browser.server_type.dialin", 0x00000400, "This is a Dialin server", "This is NOT a Dialin server"},
		{"browser.server_type.xenix", 0x00000800, "This is a Xenix server", "This is NOT a Xenix server"},
		{"browser.server_type.ntw", 0x00001000, "This is an NT Workstation", "This is NOT an NT Workstation"},
		{"browser.server_type.wfw", 0x00002000, "This is a WfW host", "This is NOT a WfW host"},
		{"browser.server_type.nts", 0x00008000, "This is an NT Server", "This is NOT an NT Server"},
		{"browser.server_type.browser.potential", 0x00010000, "This is a Potential Browser", "This is NOT a Potential Browser"},
		{"browser.server_type.browser.backup", 0x00020000, "This is a Backup Browser", "This is NOT a Backup Browser"},
		{"browser.server_type.browser.master", 0x00040000, "This is a Master Browser", "This is NOT a Master Browser"},
		{"browser.server_type.browser.domain_master", 0x00080000, "This is a Domain Master Browser", "This is NOT a Domain Master Browser"},
		{"browser.server_type.osf", 0x00100000, "This is an OSF host", "This is NOT an OSF host"},
		{"browser.server_type.vms", 0x00200000, "This is a VMS host", "This is NOT a VMS host"},
		{"browser.server_type.w95", 0x00400000, "This is a Windows 95 or above host", "This is NOT a Windows 95 or above host"},
		{"browser.server_type.dfs", 0x00800000, "This is a DFS server", "THis is NOT a DFS server"},
		{"browser.server_type.local", 0x40000000, "This is a local list only request", "This is NOT a local list only request"},
		{"browser.server_type.domainenum", 0x80000000, "This is a Domain Enum request", "This is NOT a Domain Enum request"},
	})
	browserDesireBits = browserBits([]browserBitDef{
		{"browser.election.desire.backup", 0x01, "Backup Browse Server", "NOT Backup Browse Server"},
		{"browser.election.desire.standby", 0x02, "Standby Browse Server", "NOT Standby Browse Server"},
		{"browser.election.desire.master", 0x04, "Master Browser", "NOT Master Browser"},
		{"browser.election.desire.domain_master", 0x08, "Domain Master Browse Server", "NOT Domain Master Browse Server"},
		{"browser.election.desire.wins", 0x20, "WINS Client", "NOT WINS Client"},
		{"browser.election.desire.nt", 0x80, "Windows NT Advanced Server", "NOT Windows NT Advanced Server"},
	})
	browserElOSBits = browserBits([]browserBitDef{
		{"browser.election.os.wfw", 0x01, "Windows for Workgroups", "Not Windows for Workgroups"},
		{"browser.election.os.ntw", 0x10, "Windows NT Workstation", "Not Windows NT Workstation"},
		{"browser.election.os.nts", 0x20, "Windows NT Server", "Not Windows NT Server"},
	})
	browserResetBits = browserBits([]browserBitDef{
		{"browser.reset_cmd.demote", 0x01, "Demote an LMB to a Backup Browser", "Do not demote an LMB to a Backup Browser"},
		{"browser.reset_cmd.flush", 0x02, "Flush the Browse List", "Do not Flush the Browse List"},
		{"browser.reset_cmd.stop_lmb", 0x04, "Stop Being a Local Master Browser", "Do not Stop Being a Local Master Browser"},
	})
)

// browserBitDef describes one boolean of a bitmask: Wireshark field, mask
// and the true/false words tshark -V prints.
type browserBitDef struct {
	abbrev      string
	mask        uint32
	true, false string
}

type browserBit struct {
	id   FieldID
	mask uint32
}

func browserBits(defs []browserBitDef) []browserBit {
	out := make([]browserBit, len(defs))
	for i, d := range defs {
		id := WiresharkField(d.abbrev)
		t, f := d.true, d.false
		SetValues(id, func(v uint64) string {
			if v != 0 {
				return t
			}
			return f
		})
		out[i] = browserBit{id, d.mask}
	}
	return out
}

func init() {
	SetValues(fBrowserCommand, func(v uint64) string { return BrowserCommand(v).name() })
	SetValues(fBrowserResetCmd, func(v uint64) string {
		switch v {
		case 0x01:
			return "Stop being a master browser and become a backup browser"
		case 0x02:
			return "Discard browse lists, stop being a master browser, and try again"
		case 0x04:
			return "Stop being a master browser for ever"
		}
		return ""
	})
}

// LayerType is LayerTypeBrowser.
func (b *Browser) LayerType() gopacket.LayerType { return LayerTypeBrowser }

// CanDecode is LayerTypeBrowser.
func (b *Browser) CanDecode() gopacket.LayerClass { return LayerTypeBrowser }

// NextLayerType is gopacket.LayerTypeZero: nothing follows a browser frame.
func (b *Browser) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// LayerPayload is nil.
func (b *Browser) LayerPayload() []byte { return nil }

func (b *Browser) reset(data []byte) {
	servers := b.BackupServers[:0]
	*b = Browser{}
	b.BackupServers = servers
	b.data = data
}

// DecodeFromBytes decodes one browser frame: data is the data block of the
// \MAILSLOT\BROWSE transaction. Nothing is allocated on success (the
// backup server list reuses its memory from frame to frame).
func (b *Browser) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	b.reset(data)
	if len(data) == 0 {
		return b.fail(Truncated("browser", "command", 0, 1, 0), df)
	}
	b.Command = BrowserCommand(data[brOffCommand])
	switch b.Command {
	case BrowserHostAnnouncement, BrowserLocalMasterAnnouncement, BrowserDomainAnnouncement:
		return b.decodeAnnouncement(data, df)
	case BrowserAnnouncementRequest:
		b.valid = browserFixed(data, 2)
		if b.valid >= 2 {
			b.Unused = data[1]
		} else {
			return b.fail(Truncated("browser", "announcement request", 0, 2, len(data)), df)
		}
		return b.decodeString(&b.ResponseName, "response computer name", 2, df)
	case BrowserRequestElection:
		return b.decodeElection(data, df)
	case BrowserGetBackupListRequest:
		b.valid = browserFixed(data, 6)
		if b.valid >= 2 {
			b.BackupCount = data[brOffBackupCount]
		}
		if b.valid < 6 {
			return b.fail(Truncated("browser", "get backup list request", 0, 6, len(data)), df)
		}
		b.Token = binary.LittleEndian.Uint32(data[brOffBackupToken:])
		return nil
	case BrowserGetBackupListResponse:
		return b.decodeBackupList(data, df)
	case BrowserBecomeBackup:
		b.valid = 1
		return b.decodeString(&b.BrowserToPromote, "browser to promote", 1, df)
	case BrowserMasterAnnouncement:
		b.valid = 1
		return b.decodeString(&b.MasterName, "master browser name", 1, df)
	case BrowserResetState:
		b.valid = browserFixed(data, 2)
		if b.valid < 2 {
			return b.fail(Truncated("browser", "reset browser state command", 1, 2, len(data)), df)
		}
		b.ResetFlags = ResetStateFlags(data[1])
		return nil
	}
	// Unknown opcode: tshark shows only the command, and so do we.
	b.valid = 1
	return nil
}

// browserFixed is how many of the first n bytes of a fixed layout are there.
func browserFixed(data []byte, n int) int {
	if len(data) < n {
		return len(data)
	}
	return n
}

// decodeAnnouncement reads HostAnnouncement, DomainAnnouncement and
// LocalMasterAnnouncement ([MS-BRWS] §2.2.1, §2.2.7, §2.2.10).
func (b *Browser) decodeAnnouncement(d []byte, df gopacket.DecodeFeedback) error {
	b.valid = browserFixed(d, brOffComment)
	if b.valid >= brOffUpdateCount+1 {
		b.UpdateCount = d[brOffUpdateCount]
	}
	if b.valid >= brOffServerName {
		b.Periodicity = binary.LittleEndian.Uint32(d[brOffPeriodicity:])
	}
	if b.valid >= brOffOSMajor {
		b.ServerName = browserCString(d[brOffServerName : brOffServerName+brServerNameLen])
	}
	if b.valid >= brOffServerType {
		b.OSMajor, b.OSMinor = d[brOffOSMajor], d[brOffOSMinor]
	}
	if b.valid >= brOffProtoMajor {
		b.ServerType = ServerType(binary.LittleEndian.Uint32(d[brOffServerType:]))
	}
	if b.valid < brOffComment {
		// Wireshark reads the signature before showing bytes 28-31 of a
		// DomainAnnouncement, so none of them is shown if it is missing.
		if b.Command == BrowserDomainAnnouncement && b.valid > brOffProtoMajor {
			b.valid = brOffProtoMajor
		}
		if b.Command != BrowserDomainAnnouncement && b.valid > brOffProtoMajor {
			b.ProtoMajor = d[brOffProtoMajor]
		}
		if b.Command != BrowserDomainAnnouncement && b.valid > brOffProtoMinor {
			b.ProtoMinor = d[brOffProtoMinor]
		}
		return b.fail(Truncated("browser", "announcement", 0, brOffComment, len(d)), df)
	}
	sig := binary.LittleEndian.Uint16(d[brOffSignature:])
	if b.Command == BrowserDomainAnnouncement && sig != BrowserSignature {
		// Seen from Windows 7 (browser-elections-announce-req-domain-lmb,
		// frame 26: 0x0008bd91) and WfW (legacy-wfw311 frame 14: 0): the
		// four bytes are neither version nor signature.
		b.Mysterious = binary.LittleEndian.Uint32(d[brOffProtoMajor:])
	} else {
		b.HasSignature = true
		b.ProtoMajor, b.ProtoMinor = d[brOffProtoMajor], d[brOffProtoMinor]
		b.Signature = sig
	}
	if b.Command == BrowserDomainAnnouncement {
		return b.decodeString(&b.MasterName, "master browser name", brOffComment, df)
	}
	return b.decodeString(&b.Comment, "comment", brOffComment, df)
}

// decodeElection reads a RequestElection ([MS-BRWS] §2.2.3).
func (b *Browser) decodeElection(d []byte, df gopacket.DecodeFeedback) error {
	b.valid = browserFixed(d, brOffElServerName)
	if b.valid >= 2 {
		b.ElectionVersion = d[brOffElVersion]
	}
	if b.valid >= brOffUptime {
		b.Criteria = Criteria(binary.LittleEndian.Uint32(d[brOffCriteria:]))
		b.ProtoMajor, b.ProtoMinor = b.Criteria.BrowserVersion()
	}
	if b.valid >= brOffElUnused {
		b.Uptime = binary.LittleEndian.Uint32(d[brOffUptime:])
	}
	if b.valid < brOffElServerName {
		return b.fail(Truncated("browser", "election request", 0, brOffElServerName, len(d)), df)
	}
	return b.decodeString(&b.ServerName, "server name", brOffElServerName, df)
}

// decodeBackupList reads a GetBackupListResponse ([MS-BRWS] §2.2.5).
func (b *Browser) decodeBackupList(d []byte, df gopacket.DecodeFeedback) error {
	b.valid = browserFixed(d, brOffBackupList)
	if b.valid >= 2 {
		b.BackupCount = d[brOffBackupCount]
	}
	if b.valid < brOffBackupList {
		return b.fail(Truncated("browser", "get backup list response", 0, brOffBackupList, len(d)), df)
	}
	b.Token = binary.LittleEndian.Uint32(d[brOffBackupToken:])
	off := brOffBackupList
	for i := 0; i < int(b.BackupCount); i++ {
		if len(b.BackupServers) >= MaxBackupServers {
			return b.fail(Limit("browser", "backup server list", off, "more than "+strconv.Itoa(MaxBackupServers)+" names"), df)
		}
		n := bytes.IndexByte(d[off:], 0)
		if n < 0 {
			return b.fail(Truncated("browser", "backup server "+strconv.Itoa(i+1), off, len(d)+1, len(d)), df)
		}
		b.BackupServers = append(b.BackupServers, d[off:off+n])
		off += n + 1
	}
	return nil
}

// decodeString reads the NUL-terminated string that ends most frames.
func (b *Browser) decodeString(dst *[]byte, field string, off int, df gopacket.DecodeFeedback) error {
	d := b.data
	n := -1
	if off <= len(d) {
		n = bytes.IndexByte(d[off:], 0)
	}
	if n < 0 {
		return b.fail(Truncated("browser", field, off, len(d)+1, len(d)), df)
	}
	*dst = d[off : off+n]
	b.str = n + 1
	return nil
}

func (b *Browser) fail(err error, df gopacket.DecodeFeedback) error {
	b.Err = err
	if df != nil {
		df.SetTruncated()
	}
	return err
}

// browserCString cuts b at its first NUL (Wireshark's stringzpad).
func browserCString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// Wireshark's browser.windows_version values (packet-smb-browse.c
// SET_WINDOWS_VERSION_STRING): empty for any OS version pair it does not
// know, including 10.0 and 6.2/6.3.
var (
	browserWinNone  = []byte{}
	browserWin7     = []byte("Windows 7 or Windows Server 2008 R2")
	browserWinVista = []byte("Windows Vista or Windows Server 2008")
	browserWin2003  = []byte("Windows Server 2003 R2 or Windows Server 2003")
	browserWinXP    = []byte("Windows XP")
	browserWin2000  = []byte("Windows 2000")
)

// browserWindowsVersion names an OS version pair as Wireshark does.
func browserWindowsVersion(major, minor uint8) []byte {
	switch {
	case major == 6 && minor == 1:
		return browserWin7
	case major == 6 && minor == 0:
		return browserWinVista
	case major == 5 && minor == 2:
		return browserWin2003
	case major == 5 && minor == 1:
		return browserWinXP
	case major == 5 && minor == 0:
		return browserWin2000
	}
	return browserWinNone
}

// browserFields is every field AppendTree may add below the protocol node:
// with none of them wanted, it adds that node only (see FieldSet).
var browserFields = NewFieldSet("browser")

// AppendTree adds the "browser" protocol and its fields in tshark 4.0's
// order, offsets from the first byte of the frame (the caller sets t.Base
// to the transaction data offset). After a decode error the fields decoded
// so far are shown, then "[Malformed: ...]".
func (b *Browser) AppendTree(t *Tree) {
	d := b.data
	t.Open(fBrowser, 0, len(d))
	if !t.WantsSet(browserFields) {
		t.Close() // -T fields prints none of its fields
		return
	}
	if len(d) > 0 {
		t.Uint(fBrowserCommand, brOffCommand, 1, uint64(b.Command))
	}
	switch b.Command {
	case BrowserHostAnnouncement, BrowserLocalMasterAnnouncement, BrowserDomainAnnouncement:
		b.treeAnnouncement(t)
	case BrowserAnnouncementRequest:
		if b.valid >= 2 {
			t.Uint(fBrowserUnused, 1, 1, uint64(b.Unused))
		}
		if b.str > 0 {
			t.Bytes(fBrowserResponseName, 2, b.str, b.ResponseName)
		}
	case BrowserRequestElection:
		if b.valid >= 2 {
			t.Uint(fBrowserElVersion, brOffElVersion, 1, uint64(b.ElectionVersion))
		}
		if b.valid >= brOffUptime {
			c := uint64(b.Criteria)
			t.Open(fBrowserCriteria, brOffCriteria, 4).U = c
			browserAppendBits(t, fBrowserDesire, browserDesireBits, brOffCriteria, 1, uint32(c&0xff))
			t.Uint(fBrowserProtoMajor, brOffCriteria+1, 1, uint64(b.ProtoMajor))
			t.Uint(fBrowserProtoMinor, brOffCriteria+2, 1, uint64(b.ProtoMinor))
			browserAppendBits(t, fBrowserElOS, browserElOSBits, brOffCriteria+3, 1, uint32(c>>24))
			t.Close()
		}
		if b.valid >= brOffElUnused {
			t.Uint(fBrowserUptime, brOffUptime, 4, uint64(b.Uptime))
		}
		if b.str > 0 {
			t.Bytes(fBrowserServer, brOffElServerName, b.str, b.ServerName)
		}
	case BrowserGetBackupListRequest, BrowserGetBackupListResponse:
		if b.valid >= 2 {
			t.Uint(fBrowserBackupCount, brOffBackupCount, 1, uint64(b.BackupCount))
		}
		if b.valid >= brOffBackupList {
			t.Uint(fBrowserBackupToken, brOffBackupToken, 4, uint64(b.Token))
		}
		off := brOffBackupList
		for _, s := range b.BackupServers {
			t.Bytes(fBrowserBackupServer, off, len(s)+1, s)
			off += len(s) + 1
		}
	case BrowserBecomeBackup:
		if b.str > 0 {
			t.Bytes(fBrowserPromote, 1, b.str, b.BrowserToPromote)
		}
	case BrowserMasterAnnouncement:
		if b.str > 0 {
			t.Bytes(fBrowserMBServer, 1, b.str, b.MasterName)
		}
	case BrowserResetState:
		if b.valid >= 2 {
			browserAppendBits(t, fBrowserResetCmd, browserResetBits, 1, 1, uint32(b.ResetFlags))
		}
	}
	if b.Err != nil {
		mailslotExpert(t, b.Err, len(d))
	}
	t.Close()
}

func (b *Browser) treeAnnouncement(t *Tree) {
	v := b.valid
	if v >= brOffUpdateCount+1 {
		t.Uint(fBrowserUpdateCount, brOffUpdateCount, 1, uint64(b.UpdateCount))
	}
	if v >= brOffServerName {
		t.Uint(fBrowserPeriod, brOffPeriodicity, 4, uint64(b.Periodicity))
	}
	if v >= brOffOSMajor {
		n := t.Bytes(fBrowserServer, brOffServerName, brServerNameLen, b.ServerName)
		if b.Command == BrowserDomainAnnouncement {
			n.Label = "Domain/Workgroup"
		} else {
			n.Label = "Host Name"
		}
	}
	if v >= brOffServerType {
		browserAppendWindowsVersion(t, brOffOSMajor, b.OSMajor, b.OSMinor)
		t.Uint(fBrowserOSMajor, brOffOSMajor, 1, uint64(b.OSMajor))
		t.Uint(fBrowserOSMinor, brOffOSMinor, 1, uint64(b.OSMinor))
	}
	if v >= brOffProtoMajor {
		browserAppendBits(t, fBrowserServerType, browserServerTypeBits, brOffServerType, 4, uint32(b.ServerType))
	}
	if b.Command == BrowserDomainAnnouncement && !b.HasSignature {
		if v >= brOffComment {
			t.Uint(fBrowserMysterious, brOffProtoMajor, 4, uint64(b.Mysterious))
		}
	} else {
		if v >= brOffProtoMinor {
			t.Uint(fBrowserProtoMajor, brOffProtoMajor, 1, uint64(b.ProtoMajor))
		}
		if v >= brOffSignature {
			t.Uint(fBrowserProtoMinor, brOffProtoMinor, 1, uint64(b.ProtoMinor))
		}
		if v >= brOffComment {
			t.Uint(fBrowserSig, brOffSignature, 2, uint64(b.Signature))
		}
	}
	if b.str > 0 {
		if b.Command == BrowserDomainAnnouncement {
			t.Bytes(fBrowserMBServer, brOffComment, b.str, b.MasterName)
		} else {
			t.Bytes(fBrowserComment, brOffComment, b.str, b.Comment)
		}
	}
}

// browserAppendWindowsVersion adds Wireshark's generated
// browser.windows_version (2 bytes at the OS version).
func browserAppendWindowsVersion(t *Tree, off int, major, minor uint8) {
	t.Bytes(fBrowserWindowsVer, off, 2, browserWindowsVersion(major, minor))
}

// browserAppendBits adds a bitmask field and one boolean child per bit, all
// spanning the mask's bytes, as Wireshark's proto_tree_add_bitmask does.
func browserAppendBits(t *Tree, parent FieldID, bits []browserBit, off, n int, v uint32) {
	t.Open(parent, off, n).U = uint64(v)
	for _, bit := range bits {
		t.Bool(bit.id, off, n, v&bit.mask != 0)
	}
	t.Close()
}

// AppendInfo appends the info column: tshark's words first ("Host
// Announcement USER-PC, Workstation, Server, NT Workstation, Potential
// Browser"), then, for frames where tshark shows only the command, the
// values that matter in plain words ("Browser Election Request, criteria
// 0x10010f20 (OS level 16, browser 15.1, WINS client), from USER-PC").
// Names are appended raw: printers escape them.
func (b *Browser) AppendInfo(buf []byte) []byte {
	buf = browserAppendCommand(buf, b.Command)
	switch b.Command {
	case BrowserHostAnnouncement, BrowserLocalMasterAnnouncement, BrowserDomainAnnouncement:
		if b.valid < brOffOSMajor {
			break
		}
		buf = append(buf, ' ')
		buf = append(buf, b.ServerName...)
		if b.valid >= brOffProtoMajor {
			buf = b.ServerType.appendList(buf, ", ")
		}
		if b.Command == BrowserDomainAnnouncement && b.Err == nil {
			buf = append(buf, ", master browser "...)
			buf = append(buf, b.MasterName...)
		}
	case BrowserAnnouncementRequest:
		if b.Err == nil {
			buf = append(buf, ' ')
			buf = append(buf, b.ResponseName...)
		}
	case BrowserRequestElection:
		if b.valid >= brOffUptime {
			buf = append(buf, ", criteria "...)
			buf = b.Criteria.appendString(buf)
		}
		if b.Err == nil {
			buf = append(buf, ", from "...)
			buf = append(buf, b.ServerName...)
		}
	case BrowserGetBackupListRequest:
		if b.Err == nil {
			buf = append(buf, ", count "...)
			buf = strconv.AppendUint(buf, uint64(b.BackupCount), 10)
			buf = append(buf, ", token "...)
			buf = strconv.AppendUint(buf, uint64(b.Token), 10)
		}
	case BrowserGetBackupListResponse:
		if b.valid >= 2 {
			buf = append(buf, ", "...)
			buf = strconv.AppendUint(buf, uint64(b.BackupCount), 10)
			if b.BackupCount == 1 {
				buf = append(buf, " server"...)
			} else {
				buf = append(buf, " servers"...)
			}
			for i, s := range b.BackupServers {
				if i == 0 {
					buf = append(buf, ": "...)
				} else {
					buf = append(buf, ", "...)
				}
				buf = append(buf, s...)
			}
		}
	case BrowserBecomeBackup:
		if b.Err == nil {
			buf = append(buf, ' ')
			buf = append(buf, b.BrowserToPromote...)
		}
	case BrowserMasterAnnouncement:
		if b.Err == nil {
			buf = append(buf, ' ')
			buf = append(buf, b.MasterName...)
		}
	case BrowserResetState:
		if b.valid >= 2 {
			buf = append(buf, ": "...)
			buf = b.ResetFlags.appendList(buf)
		}
	}
	return buf
}

func browserAppendCommand(b []byte, c BrowserCommand) []byte {
	if s := c.name(); s != "" {
		return append(b, s...)
	}
	return append(append(b, "Unknown command:0x"...), hexdigits[c>>4], hexdigits[c&0xf])
}

// browserAppendHex appends v as digits lower-case hex digits, zero padded.
func browserAppendHex(b []byte, v uint64, digits int) []byte {
	for i := digits - 1; i >= 0; i-- {
		b = append(b, hexdigits[(v>>(4*uint(i)))&0xf])
	}
	return b
}
