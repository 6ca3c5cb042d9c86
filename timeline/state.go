package timeline

import (
	"net/netip"
	"time"
)

// The state types below are both the tracker's working records and, deep
// copied, what Snapshot returns. A Snapshot is never changed after it is
// made, so a renderer (the TUI, the report) can read it while the tracker
// goes on.

// Snapshot is the whole state at one moment.
type Snapshot struct {
	Time         time.Time // the state as of this capture time
	First, Last  time.Time // first and last observation
	Observations int
	Groups       []*Group        // per segment and workgroup, sorted
	Segments     []*SegmentState // per segment: the workgroups announced there
	Names        []*NameState    // NBNS names, sorted by segment and name
	Hosts        []*Host         // every host seen, sorted by segment and name
	Links        []*Link         // LMB <-> DMB synchronisation across segments
	Anomalies    []*Anomaly      // the latest MaxAnomalies, in time order
	Diagnoses    []*Diagnosis    // the causes named, in the order they were first made (diagnosis.go)
	Limits       []string        // bounds that were hit (state was evicted)
	LimitHits    []int           // how many times each of Limits was hit: the items it evicted (MaxHosts: hosts and addresses)
}

// Group is one workgroup on one broadcast segment: where elections and
// local masters live.
type Group struct {
	Segment   string
	Workgroup string
	// Current roles (hosts, sorted): usually one LMB; two or more is a
	// split brain.
	LMB        []string
	DMB        []string
	PDC        []string
	Backups    []string
	Potentials []string
	Servers    []*Server             // the Browse List reconstructed, sorted by name
	Elections  []*ElectionRecord     // the latest MaxElections, oldest first
	Roles      []*RoleInterval       // role history, open roles last-ended = zero End
	Lists      []*ServerListSnapshot // NetServerEnum2 lists seen, latest MaxSnapshots
	Removed    []*Removal            // entries that left the Browse List and were not listed again (the latest per name, at most MaxHistory), oldest first
}

// SegmentState holds what is known per segment regardless of workgroup.
type SegmentState struct {
	Segment string
	Domains []*Server // workgroups from DomainAnnouncements (Name = workgroup, Comment = its master)
}

// Server is one Browse List entry with every field of the latest
// announcement ([MS-BRWS] §2.2.1), or one workgroup of the domain list.
type Server struct {
	Name        string
	Kind        string // HostAnnouncement, LocalMasterAnnouncement, LANMANAnnouncement, DomainAnnouncement, NetServerEnum2
	Type        uint32 // SV_TYPE_* bits
	OSMajor     uint8
	OSMinor     uint8
	UpdateCount uint8
	flags       serverFlags
	Comment     string // for a workgroup: the name of its master browser
	Periodicity time.Duration
	Addr        netip.Addr
	Source      string // "announcement", "NetServerEnum2" or "DMB sync"
	FirstSeen   time.Time
	LastSeen    time.Time
	Expires     time.Time
	FirstFrame  int
	LastFrame   int
	Frames      []int // the latest evidence frames

	// The small fields sit beside each other (Type and the bytes above,
	// timer and prevNsec), the flags are bits and prevSeen is kept in 12
	// bytes, not a time.Time's 24: a Browse List holds up to MaxServers
	// records, all fresh memory in a flood, and each took 352 bytes
	// instead of 288 (BenchmarkManyHosts).
	timer int32 // the slot of its expiry timer + 1 (0: none; inQueue: in Tracker.browseQ; timers.go)
	// prevSec and prevNsec: the announcement heard before the latest one
	// (zero if none), to tell what a master could have listed
	// (serverlist.go): prevSeen and setPrevSeen.
	prevNsec int32
	prevSec  int64            // seconds since January 1, year 1 (time.Time's zero)
	seq      uint64           // timer sequence
	grp      *group           // the group whose Browse List holds it (nil for copies and domain entries)
	age      ageNode[*Server] // in Tracker.srvAge
	hash     uint64           // of its name (serverIndex)
}

// serverFlags are the bits of Server.flags.
type serverFlags uint8

const (
	// srvBadPeriod: the periodicity was already flagged.
	srvBadPeriod serverFlags = 1 << iota
	// srvLocal: the latest word is the host's own announcement broadcast
	// on this segment, which no copy from a list overrides.
	srvLocal
)

func (e *Server) has(f serverFlags) bool { return e.flags&f != 0 }

func (e *Server) set(f serverFlags, on bool) {
	if on {
		e.flags |= f
	} else {
		e.flags &^= f
	}
}

// unixOfZero is time.Time{}.Unix(): prevSec counts from it, so that a
// zero record holds a zero prevSeen.
const unixOfZero = -62135596800

// prevSeen is the time of the announcement heard before the latest one,
// zero if none (the same instant as set; its location is not kept).
func (e *Server) prevSeen() time.Time {
	if e.prevSec == 0 && e.prevNsec == 0 {
		return time.Time{}
	}
	return time.Unix(e.prevSec+unixOfZero, int64(e.prevNsec))
}

func (e *Server) setPrevSeen(t time.Time) {
	e.prevSec, e.prevNsec = t.Unix()-unixOfZero, int32(t.Nanosecond())
}

// Entry sources.
const (
	SourceAnnouncement = "announcement"
	SourceEnum         = "NetServerEnum2"
	SourceSync         = "DMB sync"
)

// RoleInterval is one role held by one host, with the frames that prove it.
// End is zero while the role is held.
type RoleInterval struct {
	Host        string
	Addr        netip.Addr
	Role        Role
	Begin       time.Time
	BeginFrame  int
	BeginReason string
	End         time.Time
	EndFrame    int
	EndReason   string
	Election    int // the election that made it begin, 0 if none
	Frames      []int
}

// ElectionRecord is one election on one segment for one workgroup.
type ElectionRecord struct {
	ID         int
	Segment    string
	Workgroup  string
	Start      time.Time
	StartFrame int
	StartedBy  string // host of the first RequestElection
	Forced     bool   // that first ballot was version 0 or criteria 0
	Incumbent  string // the local master when it started, if any
	// IncumbentEnd is the frame at which the incumbent stepped down
	// during the election (0: it did not, or there was none).
	IncumbentEnd  int
	Candidates    []*Candidate // in order of their first ballot
	Rounds        []Round      // every RequestElection, the first MaxRounds
	RoundsDropped int          // rounds beyond MaxRounds (counted only)
	Running       bool
	End           time.Time
	EndFrame      int
	Outcome       Outcome // zero while it runs
	Winner        string
	RunnerUp      string
	Why           string
	Flagged       bool // the winner should have lost
	FlagDetail    string
}

// Candidate is one host that sent a RequestElection in an election.
type Candidate struct {
	Host         string
	Addr         netip.Addr
	Ballot       Ballot // the latest
	FirstFrame   int
	LastFrame    int
	First        time.Time
	Last         time.Time
	Ballots      int
	Dropped      bool // heard a better ballot (Samba and Windows stop sending then)
	DroppedAt    time.Time
	DroppedFrame int
	DroppedBy    string
	WentAway     bool // announced it was going away during the election

	dst      netip.Addr // where its latest ballot was sent (who heard it: hearing.go)
	provoked bool       // dropped out, and a ballot it beats came since (storm.go)
}

// Round is one RequestElection.
type Round struct {
	N      int
	Time   time.Time
	Frame  int
	Host   string
	Ballot Ballot
}

// ServerListSnapshot is a NetServerEnum2 response seen on the wire (the
// list a browser actually handed out) and how it differs from the list
// reconstructed from announcements at that moment.
type ServerListSnapshot struct {
	Time       time.Time
	Frame      int
	Server     string // who answered
	ServerAddr netip.Addr
	Client     netip.Addr
	Domain     string // as asked ("" = the server's own)
	TypeMask   uint32
	Level      uint16
	Status     uint16
	EntryCount int
	Available  int
	Entries    []ServerEntry
	Truncated  bool
	Sync       bool // between a local master and a domain master
	// Unchecked: nothing heard on the segment to compare the list with
	// (no announcement of the group's servers; for a workgroup list, no
	// DomainAnnouncement and no master). Missing, Extra and Different are
	// then empty and say nothing.
	Unchecked bool
	Missing   []string // reconstructed from announcements, not in the list
	Extra     []string // in the list, never announced
	Different []EntryDiff
}

// EntryDiff is one field that differs between the list and the
// announcements.
type EntryDiff struct {
	Name      string
	Field     string // type or comment
	Listed    string
	Announced string
}

// NameState is one NBNS name on one segment.
type NameState struct {
	Segment   string
	Name      string
	Suffix    byte
	Group     bool
	Owners    []*Owner  // who registered it
	Answers   []*Answer // addresses given in positive query responses
	Conflicts int
	Negatives int
	Last      time.Time

	lastFrame int
	age       ageNode[*NameState] // in Tracker.nameAge
}

// Owner is one address that registered a name.
type Owner struct {
	Addr          netip.Addr
	Host          string
	NodeType      string
	Via           string // broadcast, or WINS <address>
	TTL           uint32
	Registered    time.Time
	RegFrame      int
	Refreshed     time.Time
	Released      time.Time
	RelFrame      int
	WINSConfirmed bool
	Refused       bool
	Active        bool

	takenBy *Owner // the owner that registered the unique name after it
	epoch   int    // Tracker.epoch when it registered
}

// Answer is an address a name server or owner gave for the name.
type Answer struct {
	Addr  netip.Addr
	By    netip.Addr // who answered
	First time.Time
	Last  time.Time
	Frame int
}

// Anomaly is something that went wrong, with the frames that show it.
type Anomaly struct {
	Time      time.Time
	Frame     int
	Kind      AnomalyKind
	Segment   string
	Workgroup string
	Host      string
	Detail    string
	Frames    []int
}

// Host is one NetBIOS host on one segment.
type Host struct {
	Segment   string
	Name      string
	Addr      netip.Addr
	Workgroup string
	FirstSeen time.Time
	LastSeen  time.Time
	Ballot    *Ballot // the latest ballot heard from it
	BallotAt  time.Time
	// BallotFrame is the frame of Ballot (0 without one).
	BallotFrame int
	// Broadcast is the subnet broadcast address it sends to, and so
	// accepts (hearing.go); zero when not known.
	Broadcast netip.Addr
	// Away: its latest word was that it is going away (an announcement
	// with server type 0); it holds no role and no ballot until it
	// announces itself again.
	Away bool
}

// Removal is a Browse List entry that left the list: it expired (its host
// went silent) or its host announced it was going away.
type Removal struct {
	Server  Server // the entry as it was
	Time    time.Time
	Frame   int
	Reason  string
	Expired bool
	// seq tells this removal from an earlier one kept in the same
	// record (Tracker.remFree): removalHistory's refs carry it.
	seq uint64
}

// Link is the synchronisation between a local master on one segment and
// the domain master of its workgroup (MasterAnnouncement, NetServerEnum2
// between them): it ties segments of one workgroup together.
type Link struct {
	Workgroup  string
	LMB        string
	LMBSegment string
	DMB        string
	DMBSegment string
	First      time.Time
	Last       time.Time
	Frames     []int
}
