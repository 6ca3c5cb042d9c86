package dissect

// The fields, tree and info column of browser frames, as Wireshark 4.0's
// packet-smb-browse.c shows them.

import (
	"math"
	"strconv"
)

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
	d := b.Contents
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
		appendMalformed(t, b.Err, errAt(b.Err, len(d), math.MaxInt), 0)
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
