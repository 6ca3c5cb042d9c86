package dissect

// The value types of browser frames ([MS-BRWS] §2.2; Leach/Naik browser
// draft): the server type bits of announcements, the election criteria and
// their parts, and the flags of a ResetStateRequest.

import "strconv"

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
