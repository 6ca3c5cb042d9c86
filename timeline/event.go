package timeline

import (
	"net/netip"
	"strings"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Event kinds (the "kind" of a -T events line; README documents each).
const (
	KindElectionStart   = "election.start"
	KindElectionBallot  = "election.ballot"
	KindElectionDropout = "election.dropout"
	KindElectionEnd     = "election.end"
	KindRoleBegin       = "role.begin"
	KindRoleEnd         = "role.end"
	KindBrowseAdd       = "browse.add"
	KindBrowseUpdate    = "browse.update"
	KindBrowseRemove    = "browse.remove"
	KindBrowseList      = "browse.list" // a NetServerEnum2 list seen on the wire
	KindDomainAdd       = "domain.add"
	KindDomainUpdate    = "domain.update"
	KindDomainRemove    = "domain.remove"
	KindNameRegister    = "name.register"
	KindNameRefresh     = "name.refresh"
	KindNameRelease     = "name.release"
	KindNameConflict    = "name.conflict"
	KindNameNegative    = "name.negative"
	KindNameAnswer      = "name.answer"
	KindMessage         = "browser.message" // AnnouncementRequest, GetBackupList*, BecomeBackup, MasterAnnouncement, ResetBrowserState
	KindAnomaly         = "anomaly"
)

// Roles a host holds in a workgroup on a segment.
const (
	RolePotential = "potential" // potential browser (SV_TYPE_POTENTIAL_BROWSER)
	RoleBackup    = "backup"    // backup browser (SV_TYPE_BACKUP_BROWSER)
	RoleLMB       = "lmb"       // local master browser
	RoleDMB       = "dmb"       // domain master browser (WORKGROUP<1b>)
	RolePDC       = "pdc"       // primary domain controller (criteria 0x80 or SV_TYPE_DOMAIN_CTRL)
)

// Anomaly kinds.
const (
	AnomalyElectionStorm    = "election_storm"
	AnomalyElectionTimeout  = "election_timeout"
	AnomalyElectionUnending = "election_unending"
	AnomalySplitBrain       = "split_brain"
	AnomalyRiggedElection   = "rigged_election"
	AnomalyResetBrowser     = "reset_browser_state"
	AnomalyDMBClaim         = "dmb_claim"
	AnomalyDMBConflict      = "dmb_conflict"
	AnomalyNameConflict     = "name_conflict"
	AnomalyNameNegative     = "name_negative"
	AnomalySessionRefused   = "session_refused"
	AnomalySessionRetarget  = "session_retarget"
	AnomalyEnumTruncated    = "enum_truncated"
	AnomalyEnumMismatch     = "enum_mismatch"
	AnomalyWrongName        = "wrong_name"
	AnomalyBadPeriodicity   = "bad_periodicity"
	AnomalyEntryExpired     = "entry_expired"
	AnomalyDecodeError      = "decode_error"
	AnomalyLimit            = "limit"
)

// Event is one line of the timeline. The first block is common to every
// kind; the rest is filled for the kinds that use it (MarshalJSON writes
// only what is set).
type Event struct {
	Time      time.Time
	Frame     int
	Kind      string
	Segment   string
	Workgroup string
	Host      string
	Addr      netip.Addr
	Frames    []int // evidence: the frames that show it, Frame included

	Role     string // role.*
	Reason   string // why a role began or ended, an entry left, a request was sent
	Election int    // election.* and the role changes an election caused: its number
	Round    int    // election.ballot: 1-based round in its election
	Ballot   *Ballot
	Forced   bool   // election.start: started by a forced (version 0 / criteria 0) ballot
	Outcome  string // election.end: won, kept, timeout, aborted, superseded, unfinished
	Winner   string
	RunnerUp string
	Why      string
	Flagged  bool     // election.end: the winner should have lost
	By       string   // election.dropout: the host whose ballot beat it; requests: the sender
	Target   string   // the host a request or reset was aimed at
	Server   *Server  // browse.*, domain.*
	Changed  []string // browse.update, domain.update: the fields that changed
	List     *ServerListSnapshot
	Name     *NameInfo // name.*
	Anomaly  string    // anomaly: its kind
	Detail   string    // a sentence for people
}

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
	o.str("kind", e.Kind)
	o.str("segment", e.Segment)
	o.str("workgroup", e.Workgroup)
	o.str("host", e.Host)
	o.addr("addr", e.Addr)
	o.strOpt("anomaly", e.Anomaly)
	o.strOpt("role", e.Role)
	o.intOpt("election", int64(e.Election))
	o.intOpt("round", int64(e.Round))
	if e.Ballot != nil {
		o.raw("ballot", appendBallotJSON(nil, *e.Ballot))
	}
	if e.Kind == KindElectionStart {
		o.bool("forced", e.Forced)
	}
	o.strOpt("outcome", e.Outcome)
	o.strOpt("winner", e.Winner)
	o.strOpt("runner_up", e.RunnerUp)
	o.strOpt("why", e.Why)
	if e.Kind == KindElectionEnd {
		o.bool("flagged", e.Flagged)
	}
	o.strOpt("by", e.By)
	o.strOpt("target", e.Target)
	if e.Server != nil {
		o.raw("server", e.Server.appendJSON(nil))
	}
	o.strs("changed", e.Changed)
	if e.List != nil {
		o.raw("list", e.List.appendJSON(nil))
	}
	if e.Name != nil {
		o.raw("name", e.Name.appendJSON(nil))
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
