package timeline

import (
	"net/netip"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Event is one line of the timeline: a header common to every kind, and
// in Data what its kind carries (the Kind* constants say which type).
// Events are read only: Data may be shared with other events and with the
// tracker's records.
type Event struct {
	Time      time.Time
	Frame     int
	Kind      EventKind
	Segment   string
	Workgroup string
	Host      string
	Addr      netip.Addr
	// Reason says why a role began or ended, an entry or workgroup left,
	// an election ended or a name was refused; for browser.message, which
	// request or response it is.
	Reason string
	Detail string // a sentence for people
	Frames []int  // evidence: the frames that show it, Frame included
	Data   EventData
}

// EventData is what an event of one kind carries: *ElectionStart,
// *ElectionBallot, *ElectionDropout, *ElectionEnd, *RoleChange,
// *ServerChange, *ServerListSnapshot, *NameInfo, *Message or *Anomaly.
type EventData interface{ eventData() }

// ElectionStart is the data of election.start.
type ElectionStart struct {
	Election int    // the election's number
	Ballot   Ballot // the ballot that started it
	Forced   bool   // a forced ballot (version 0 / criteria 0) started it
}

// ElectionBallot is the data of election.ballot: one RequestElection.
type ElectionBallot struct {
	Election int
	Round    int // 1-based round in its election
	Ballot   Ballot
}

// ElectionDropout is the data of election.dropout.
type ElectionDropout struct {
	Election int
	By       string // the host whose ballot beat it
}

// ElectionEnd is the data of election.end.
type ElectionEnd struct {
	Election int
	Outcome  Outcome
	Winner   string
	RunnerUp string
	Why      string
	Flagged  bool // the winner should have lost
}

// RoleChange is the data of role.begin and role.end.
type RoleChange struct {
	Role     Role
	Election int // the election that caused it, 0 if none
}

// ServerChange is the data of browse.* (a Browse List entry) and domain.*
// (a workgroup of the domain list) except browse.list.
type ServerChange struct {
	Server  Server   // a copy of the entry
	Changed []string // browse.update, domain.update: the fields that changed
}

// Message is the data of browser.message (Event.Reason names the frame).
type Message struct {
	Target string // the host a request or reset was aimed at, if any
}

func (*ElectionStart) eventData()      {}
func (*ElectionBallot) eventData()     {}
func (*ElectionDropout) eventData()    {}
func (*ElectionEnd) eventData()        {}
func (*RoleChange) eventData()         {}
func (*ServerChange) eventData()       {}
func (*ServerListSnapshot) eventData() {}
func (*NameInfo) eventData()           {}
func (*Message) eventData()            {}
func (*Anomaly) eventData()            {}

// NameInfo describes the NBNS name of a name.* event.
type NameInfo struct {
	Name     string // without suffix
	Suffix   byte
	Group    bool
	NodeType string // B, P, M or H
	Addrs    []netip.Addr
	TTL      uint32
	Op       string // registration, refresh, release, query, ...
	Via      string // "broadcast" or "WINS 198.18.1.10"
	RCode    uint8
}

// Meaning is tshark's name for the suffix ("Local Master Browser").
func (n *NameInfo) Meaning() string { return dissect.NameSuffixMeaning(n.Suffix, n.Group) }

// Display is NAME<xx>.
func (n *NameInfo) Display() string { return displayName(n.Name, n.Suffix) }

// Meaning is tshark's name for the suffix ("Local Master Browser").
func (n *NameState) Meaning() string { return dissect.NameSuffixMeaning(n.Suffix, n.Group) }

// Display is NAME<xx>.
func (n *NameState) Display() string { return displayName(n.Name, n.Suffix) }

// nodeTypeName is the owner node type letter (RFC 1002 §4.2.1.3 ONT; H is
// Microsoft's hybrid node).
func nodeTypeName(t uint8) string {
	switch t {
	case 0:
		return "B"
	case 1:
		return "P"
	case 2:
		return "M"
	case 3:
		return "H"
	}
	return ""
}

func opName(op NameOp, resp bool) string {
	var s string
	switch op {
	case NameQuery:
		s = "query"
	case NameRegistration:
		s = "registration"
	case NameRelease:
		s = "release"
	case NameWACK:
		s = "wack"
	case NameRefresh, NameRefreshAlt:
		s = "refresh"
	case NameMultihomed:
		s = "multi-homed registration"
	default:
		s = "opcode " + hexString(uint64(op), 2)
	}
	if resp {
		s += " response"
	}
	return s
}
