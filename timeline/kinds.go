package timeline

// The enumerations of what the timeline reports: event kinds, roles,
// election outcomes and anomaly kinds. Each prints (String, MarshalText)
// as the name -T events, --report and README use; the zero value of each
// is "none" and prints as "".

// EventKind is what an Event reports, and so which Data it carries.
type EventKind uint8

// Event kinds (the "kind" of a -T events line; README documents each),
// with the type of the event's Data.
const (
	KindElectionStart   EventKind = iota + 1 // *ElectionStart
	KindElectionBallot                       // *ElectionBallot
	KindElectionDropout                      // *ElectionDropout
	KindElectionEnd                          // *ElectionEnd
	KindRoleBegin                            // *RoleChange
	KindRoleEnd                              // *RoleChange
	KindBrowseAdd                            // *ServerChange
	KindBrowseUpdate                         // *ServerChange
	KindBrowseRemove                         // *ServerChange
	KindBrowseList                           // *ServerListSnapshot: a NetServerEnum2 list seen on the wire
	KindDomainAdd                            // *ServerChange
	KindDomainUpdate                         // *ServerChange
	KindDomainRemove                         // *ServerChange
	KindNameRegister                         // *NameInfo
	KindNameRefresh                          // *NameInfo
	KindNameRelease                          // *NameInfo
	KindNameConflict                         // *NameInfo
	KindNameNegative                         // *NameInfo
	KindNameAnswer                           // *NameInfo
	KindMessage                              // *Message: AnnouncementRequest, GetBackupList*, BecomeBackup, MasterAnnouncement, ResetBrowserState
	KindAnomaly                              // *Anomaly
	KindDiagnosis                            // *Diagnosis: a cause named from the wire, and its fix
)

var kindNames = [...]string{
	KindElectionStart:   "election.start",
	KindElectionBallot:  "election.ballot",
	KindElectionDropout: "election.dropout",
	KindElectionEnd:     "election.end",
	KindRoleBegin:       "role.begin",
	KindRoleEnd:         "role.end",
	KindBrowseAdd:       "browse.add",
	KindBrowseUpdate:    "browse.update",
	KindBrowseRemove:    "browse.remove",
	KindBrowseList:      "browse.list",
	KindDomainAdd:       "domain.add",
	KindDomainUpdate:    "domain.update",
	KindDomainRemove:    "domain.remove",
	KindNameRegister:    "name.register",
	KindNameRefresh:     "name.refresh",
	KindNameRelease:     "name.release",
	KindNameConflict:    "name.conflict",
	KindNameNegative:    "name.negative",
	KindNameAnswer:      "name.answer",
	KindMessage:         "browser.message",
	KindAnomaly:         "anomaly",
	KindDiagnosis:       "diagnosis",
}

func (k EventKind) String() string { return enumName(kindNames[:], k, "EventKind") }

// MarshalText is String, so that the kind is text in JSON.
func (k EventKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Role is a browser role a host holds in a workgroup on a segment.
type Role uint8

// Roles.
const (
	RolePotential Role = iota + 1 // potential browser (SV_TYPE_POTENTIAL_BROWSER)
	RoleBackup                    // backup browser (SV_TYPE_BACKUP_BROWSER)
	RoleLMB                       // local master browser
	RoleDMB                       // domain master browser (WORKGROUP<1b>)
	RolePDC                       // primary domain controller (SV_TYPE_DOMAIN_CTRL in its announcements)
)

var roleNames = [...]string{
	RolePotential: "potential",
	RoleBackup:    "backup",
	RoleLMB:       "lmb",
	RoleDMB:       "dmb",
	RolePDC:       "pdc",
}

func (r Role) String() string { return enumName(roleNames[:], r, "Role") }

// MarshalText is String.
func (r Role) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Outcome is how an election ended (zero while it runs).
type Outcome uint8

// Election outcomes.
const (
	OutcomeWon        Outcome = iota + 1 // the winner's LocalMasterAnnouncement ended it
	OutcomeKept                          // the master in office led and the rounds stopped
	OutcomeTimeout                       // no master announced within ElectionTimeout
	OutcomeAborted                       // the leading candidate went away
	OutcomeSuperseded                    // a new election was forced before it ended
	OutcomeUnfinished                    // still running at the end of the capture
)

var outcomeNames = [...]string{
	OutcomeWon:        "won",
	OutcomeKept:       "kept",
	OutcomeTimeout:    "timeout",
	OutcomeAborted:    "aborted",
	OutcomeSuperseded: "superseded",
	OutcomeUnfinished: "unfinished",
}

func (o Outcome) String() string { return enumName(outcomeNames[:], o, "Outcome") }

// MarshalText is String.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// AnomalyKind is what went wrong (doc.go, "Anomalies").
type AnomalyKind uint8

// Anomaly kinds.
const (
	AnomalyElectionStorm AnomalyKind = iota + 1
	AnomalyElectionTimeout
	AnomalyElectionUnending
	AnomalySplitBrain
	AnomalyRiggedElection
	AnomalyResetBrowser
	AnomalyDMBClaim
	AnomalyDMBConflict
	AnomalyNameConflict
	AnomalyNameNegative
	AnomalySessionRefused
	AnomalySessionRetarget
	AnomalyEnumTruncated
	AnomalyEnumMismatch
	AnomalyWrongName
	AnomalyBadPeriodicity
	AnomalyEntryExpired
	AnomalyDecodeError
	AnomalyLimit
	AnomalyTimeJump
	AnomalyDMBDisplaced
	AnomalyMultiTransport
)

var anomalyNames = [...]string{
	AnomalyElectionStorm:    "election_storm",
	AnomalyElectionTimeout:  "election_timeout",
	AnomalyElectionUnending: "election_unending",
	AnomalySplitBrain:       "split_brain",
	AnomalyRiggedElection:   "rigged_election",
	AnomalyResetBrowser:     "reset_browser_state",
	AnomalyDMBClaim:         "dmb_claim",
	AnomalyDMBConflict:      "dmb_conflict",
	AnomalyNameConflict:     "name_conflict",
	AnomalyNameNegative:     "name_negative",
	AnomalySessionRefused:   "session_refused",
	AnomalySessionRetarget:  "session_retarget",
	AnomalyEnumTruncated:    "enum_truncated",
	AnomalyEnumMismatch:     "enum_mismatch",
	AnomalyWrongName:        "wrong_name",
	AnomalyBadPeriodicity:   "bad_periodicity",
	AnomalyEntryExpired:     "entry_expired",
	AnomalyDecodeError:      "decode_error",
	AnomalyLimit:            "limit",
	AnomalyTimeJump:         "time_jump",
	AnomalyDMBDisplaced:     "dmb_displaced",
	AnomalyMultiTransport:   "multi_transport",
}

func (k AnomalyKind) String() string { return enumName(anomalyNames[:], k, "AnomalyKind") }

// MarshalText is String.
func (k AnomalyKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// enumName is names[v], or TYPE(v) for a value without a name.
func enumName[T ~uint8](names []string, v T, typ string) string {
	if int(v) < len(names) && (v == 0 || names[v] != "") {
		return names[v]
	}
	return typ + "(" + itoa(int(v)) + ")"
}
