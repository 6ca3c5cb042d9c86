package timeline

import (
	"net/netip"
	"strings"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Event is one line of the timeline: a header common to every kind, and
// in Data what its kind carries (the Kind* constants say which type).
// Events are read only: Data may be shared with the tracker's records.
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

func displayName(name string, suffix byte) string {
	return name + "<" + strings.TrimPrefix(hexString(uint64(suffix), 2), "0x") + ">"
}

// MarshalJSON writes the -T events object: time, frame, kind, segment,
// workgroup, host first, in that order, then the fields of the kind, then
// the evidence frames. The output is a pure function of the event.
func (e Event) MarshalJSON() ([]byte, error) { return e.AppendJSON(nil), nil }

// AppendJSON appends the -T events object (no newline).
func (e *Event) AppendJSON(b []byte) []byte {
	o := newObj(b)
	o.time("time", e.Time)
	o.int("frame", int64(e.Frame))
	o.str("kind", e.Kind.String())
	o.str("segment", e.Segment)
	o.str("workgroup", e.Workgroup)
	o.str("host", e.Host)
	o.addr("addr", e.Addr)
	switch d := e.Data.(type) {
	case *Anomaly:
		o.strOpt("anomaly", d.Kind.String())
	case *RoleChange:
		o.strOpt("role", d.Role.String())
		o.intOpt("election", int64(d.Election))
	case *ElectionStart:
		o.intOpt("election", int64(d.Election))
		o.raw("ballot", appendBallotJSON(nil, d.Ballot))
		o.bool("forced", d.Forced)
	case *ElectionBallot:
		o.intOpt("election", int64(d.Election))
		o.intOpt("round", int64(d.Round))
		o.raw("ballot", appendBallotJSON(nil, d.Ballot))
	case *ElectionDropout:
		o.intOpt("election", int64(d.Election))
		o.strOpt("by", d.By)
	case *ElectionEnd:
		o.intOpt("election", int64(d.Election))
		o.strOpt("outcome", d.Outcome.String())
		o.strOpt("winner", d.Winner)
		o.strOpt("runner_up", d.RunnerUp)
		o.strOpt("why", d.Why)
		o.bool("flagged", d.Flagged)
	case *Message:
		o.strOpt("target", d.Target)
	case *ServerChange:
		o.raw("server", d.Server.appendJSON(nil))
		o.strs("changed", d.Changed)
	case *ServerListSnapshot:
		o.raw("list", d.appendJSON(nil))
	case *NameInfo:
		o.raw("name", d.appendJSON(nil))
	}
	o.strOpt("reason", e.Reason)
	o.strOpt("detail", e.Detail)
	o.ints("frames", e.Frames)
	return o.end()
}

func (n *NameInfo) appendJSON(b []byte) []byte {
	o := newObj(b)
	o.str("name", n.Name)
	o.hex("suffix", uint64(n.Suffix), 2)
	o.str("meaning", n.Meaning())
	o.bool("group", n.Group)
	o.strOpt("node_type", n.NodeType)
	o.addrs("addrs", n.Addrs)
	if n.TTL != 0 {
		o.int("ttl", int64(n.TTL))
	}
	o.strOpt("op", n.Op)
	o.strOpt("via", n.Via)
	if n.RCode != 0 {
		o.int("rcode", int64(n.RCode))
	}
	return o.end()
}

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
