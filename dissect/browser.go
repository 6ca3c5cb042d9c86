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
//
// This file holds the frame struct and its decoding; the value types of the
// announcements and elections are in browser_types.go, the fields, the tree
// and the info column in browser_tree.go.

import (
	"bytes"
	"encoding/binary"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
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
// zero; byte slices alias the input. Contents is the frame; Payload is nil.
type Browser struct {
	layers.BaseLayer
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

	valid int // bytes of the fixed part that were present
	str   int // bytes of the trailing string on the wire, NUL included (0: absent)
}

// LayerType is LayerTypeBrowser.
func (b *Browser) LayerType() gopacket.LayerType { return LayerTypeBrowser }

// CanDecode is LayerTypeBrowser.
func (b *Browser) CanDecode() gopacket.LayerClass { return LayerTypeBrowser }

// NextLayerType is gopacket.LayerTypeZero: nothing follows a browser frame.
func (b *Browser) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

func (b *Browser) reset(data []byte) {
	servers := b.BackupServers[:0]
	*b = Browser{}
	b.BackupServers = servers
	b.Contents = data
}

// DecodeFromBytes decodes one browser frame: data is the data block of the
// \MAILSLOT\BROWSE transaction. Nothing is allocated on success (the
// backup server list reuses its memory from frame to frame).
func (b *Browser) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	b.reset(data)
	return decoded(&b.Err, b.decode(data), df)
}

func (b *Browser) decode(data []byte) error {
	if len(data) == 0 {
		return Truncated("browser", "command", 0, 1, 0)
	}
	b.Command = BrowserCommand(data[brOffCommand])
	switch b.Command {
	case BrowserHostAnnouncement, BrowserLocalMasterAnnouncement, BrowserDomainAnnouncement:
		return b.decodeAnnouncement(data)
	case BrowserAnnouncementRequest:
		b.valid = browserFixed(data, 2)
		if b.valid >= 2 {
			b.Unused = data[1]
		} else {
			return Truncated("browser", "announcement request", 0, 2, len(data))
		}
		return b.decodeString(&b.ResponseName, "response computer name", 2)
	case BrowserRequestElection:
		return b.decodeElection(data)
	case BrowserGetBackupListRequest:
		b.valid = browserFixed(data, 6)
		if b.valid >= 2 {
			b.BackupCount = data[brOffBackupCount]
		}
		if b.valid < 6 {
			return Truncated("browser", "get backup list request", 0, 6, len(data))
		}
		b.Token = binary.LittleEndian.Uint32(data[brOffBackupToken:])
		return nil
	case BrowserGetBackupListResponse:
		return b.decodeBackupList(data)
	case BrowserBecomeBackup:
		b.valid = 1
		return b.decodeString(&b.BrowserToPromote, "browser to promote", 1)
	case BrowserMasterAnnouncement:
		b.valid = 1
		return b.decodeString(&b.MasterName, "master browser name", 1)
	case BrowserResetState:
		b.valid = browserFixed(data, 2)
		if b.valid < 2 {
			return Truncated("browser", "reset browser state command", 1, 2, len(data))
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
func (b *Browser) decodeAnnouncement(d []byte) error {
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
		return Truncated("browser", "announcement", 0, brOffComment, len(d))
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
		return b.decodeString(&b.MasterName, "master browser name", brOffComment)
	}
	return b.decodeString(&b.Comment, "comment", brOffComment)
}

// decodeElection reads a RequestElection ([MS-BRWS] §2.2.3).
func (b *Browser) decodeElection(d []byte) error {
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
		return Truncated("browser", "election request", 0, brOffElServerName, len(d))
	}
	return b.decodeString(&b.ServerName, "server name", brOffElServerName)
}

// decodeBackupList reads a GetBackupListResponse ([MS-BRWS] §2.2.5).
func (b *Browser) decodeBackupList(d []byte) error {
	b.valid = browserFixed(d, brOffBackupList)
	if b.valid >= 2 {
		b.BackupCount = d[brOffBackupCount]
	}
	if b.valid < brOffBackupList {
		return Truncated("browser", "get backup list response", 0, brOffBackupList, len(d))
	}
	b.Token = binary.LittleEndian.Uint32(d[brOffBackupToken:])
	off := brOffBackupList
	for i := 0; i < int(b.BackupCount); i++ {
		if len(b.BackupServers) >= MaxBackupServers {
			return Limit("browser", "backup server list", off, "more than "+strconv.Itoa(MaxBackupServers)+" names")
		}
		n := bytes.IndexByte(d[off:], 0)
		if n < 0 {
			return Truncated("browser", "backup server "+strconv.Itoa(i+1), off, len(d)+1, len(d))
		}
		b.BackupServers = append(b.BackupServers, d[off:off+n])
		off += n + 1
	}
	return nil
}

// decodeString reads the NUL-terminated string that ends most frames.
func (b *Browser) decodeString(dst *[]byte, field string, off int) error {
	d := b.Contents
	n := -1
	if off <= len(d) {
		n = bytes.IndexByte(d[off:], 0)
	}
	if n < 0 {
		return Truncated("browser", field, off, len(d)+1, len(d))
	}
	*dst = d[off : off+n]
	b.str = n + 1
	return nil
}

// browserCString cuts b at its first NUL (Wireshark's stringzpad).
func browserCString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}
