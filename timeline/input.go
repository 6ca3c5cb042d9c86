package timeline

import (
	"net/netip"
	"time"
)

// The timeline is fed typed observations, one per protocol message that
// matters to the Browse Service. They carry no bytes: the adapter
// (FromFrame) turns decoded frames into observations, and tests can build
// them directly.

// Meta says where and when a message was seen.
type Meta struct {
	Time    time.Time
	Frame   int    // frame number in the (merged) capture
	Segment string // the capture source (file label or interface)
	Src     netip.Addr
	Dst     netip.Addr
	// SrcName and DstName are the source and destination NetBIOS names of
	// a datagram (NBDGM; NetBEUI's NetBIOS Frames; NBIPX or NMPI on IPX)
	// without suffix (empty for NBNS and TCP), DstSuffix the suffix of the
	// destination name.
	SrcName string
	DstName string
	// Transport is the NetBIOS transport: NBT (the zero value), NetBEUI or
	// IPX (transport.go). On NetBEUI and IPX, Src and Dst are node
	// addresses (NodeAddr: a MAC address, an IPX network and node), Dst
	// the segment's broadcast (nodeBroadcast) for a frame to all.
	// (The one-byte fields last: Meta is 136 bytes, not 144 with
	// Transport padded to a word after Segment; TestObservationSizes.)
	Transport Transport
	DstSuffix byte
	DstGroup  bool // the datagram was sent to a group name (DIRECT_GROUP; on NetBEUI and IPX: to a broadcast or group address)
}

// Observation is one of the types below.
type Observation interface{ meta() *Meta }

// AnnouncementKind tells which announcement a frame was.
type AnnouncementKind uint8

const (
	HostAnnouncement        AnnouncementKind = 1  // browser command 0x01
	DomainAnnouncement      AnnouncementKind = 12 // 0x0c
	LocalMasterAnnouncement AnnouncementKind = 15 // 0x0f
	LANMANAnnouncement      AnnouncementKind = 99 // \MAILSLOT\LANMAN host announcement
)

func (k AnnouncementKind) String() string {
	switch k {
	case HostAnnouncement:
		return "HostAnnouncement"
	case DomainAnnouncement:
		return "DomainAnnouncement"
	case LocalMasterAnnouncement:
		return "LocalMasterAnnouncement"
	case LANMANAnnouncement:
		return "LANMANAnnouncement"
	}
	return "Announcement"
}

// Announcement is a HostAnnouncement, LocalMasterAnnouncement,
// DomainAnnouncement or LAN Manager announcement.
type Announcement struct {
	Meta
	Server      string // the announced server (for DomainAnnouncement: the workgroup)
	Comment     string // for DomainAnnouncement: the master browser's name
	Periodicity time.Duration
	ServerType  uint32 // SV_TYPE_* bits
	Kind        AnnouncementKind
	OSMajor     uint8
	OSMinor     uint8
	UpdateCount uint8
}

// Election is a RequestElection frame: one candidate's ballot.
type Election struct {
	Meta
	Ballot Ballot
}

// Ballot is what a candidate puts forward in an election ([MS-BRWS]
// §2.2.6 RequestElection and §3.3.5.8 for the comparison; Hertel,
// Implementing CIFS, the Browse Service chapter): compared by version, then
// criteria, then uptime, then name.
type Ballot struct {
	Version  uint8
	Criteria uint32
	Uptime   uint32 // milliseconds since the browser started
	Name     string
}

// AnnouncementRequest asks every browser to announce itself (0x02).
type AnnouncementRequest struct {
	Meta
	ResponseName string
}

// BackupListRequest is a GetBackupListRequest (0x09).
type BackupListRequest struct {
	Meta
	Count uint8
	Token uint32
}

// BackupListResponse is a GetBackupListResponse (0x0a).
type BackupListResponse struct {
	Meta
	Token   uint32
	Servers []string
}

// BecomeBackup is a BecomeBackupRequest (0x0b).
type BecomeBackup struct {
	Meta
	Target string
}

// MasterAnnouncement is an LMB telling the DMB about itself (0x0d).
type MasterAnnouncement struct {
	Meta
	Master string
}

// ResetBrowserState tells a browser to demote, flush or stop (0x0e).
type ResetBrowserState struct {
	Meta
	Flags uint8 // 0x01 demote LMB, 0x02 flush browse list, 0x04 stop browsing
}

// NameOp is an NBNS opcode.
type NameOp uint8

const (
	NameQuery        NameOp = 0
	NameRegistration NameOp = 5
	NameRelease      NameOp = 6
	NameWACK         NameOp = 7
	NameRefresh      NameOp = 8
	NameRefreshAlt   NameOp = 9
	NameMultihomed   NameOp = 15
)

// NameEvent is an NBNS request or response about one name.
type NameEvent struct {
	Meta
	Name     string // without suffix, control characters as on the wire
	Addrs    []netip.Addr
	TTL      uint32
	ID       uint16
	Op       NameOp
	Response bool
	RCode    uint8
	Suffix   byte
	Group    bool
	NodeType uint8 // 0 B, 1 P, 2 M, 3 H
	Bcast    bool  // the B flag: a broadcast request
}

// ServerEntry is one entry of a NetServerEnum2 response.
type ServerEntry struct {
	Name       string
	OSMajor    uint8
	OSMinor    uint8
	ServerType uint32
	Comment    string
}

// ServerList is a NetServerEnum2 response seen on the wire: the list a
// browser actually handed out.
type ServerList struct {
	Meta
	Server     netip.Addr // who answered (Src)
	Domain     string     // the enumeration domain of the request ("" if unknown)
	TypeMask   uint32     // server types asked for
	Level      uint16
	Status     uint16
	Entries    []ServerEntry
	EntryCount int
	Available  int
}

// SessionEvent is an NBSS session request answered negatively or
// retargeted (or any session request, for the names seen).
type SessionEvent struct {
	Meta
	Called     string
	Calling    string
	Negative   bool
	ErrorCode  uint8
	Retarget   bool
	RetargetTo netip.AddrPort
}

// DecodeProblem is a frame that could not be fully decoded, or, with
// Bound set, a frame on which a bound of the decoder's state was hit
// (dissect.Frame.Bounds: Err says what was forgotten).
type DecodeProblem struct {
	Meta
	Err   string
	Bound string
}

func (m *Meta) meta() *Meta { return m }
