package timeline

import "time"

// Config holds the thresholds of the anomaly rules and the bounds on the
// state kept. Every duration is measured in capture time.
type Config struct {
	// StormCount and StormWindow: more than StormCount elections of one
	// workgroup on one segment starting within StormWindow is an election
	// storm.
	StormCount  int
	StormWindow time.Duration
	// ElectionTimeout: an election with no LocalMasterAnnouncement within
	// this long after its last RequestElection has timed out; one still
	// running this long after it started "never ends".
	ElectionTimeout time.Duration
	// ElectionSettle: when the local master already in office leads an
	// election and the RequestElections stop for this long, it kept the
	// role (a master that wins again sends no new LocalMasterAnnouncement).
	ElectionSettle time.Duration
	// DupWindow: the same frame content from the same address within this
	// long is a duplicate (Samba sends most broadcasts twice, once per
	// bound interface) and is not a new event. It must stay well below the
	// interval at which Windows re-sends a frame on purpose, or real
	// rounds are lost: Samba's copies come at most 1.5 ms apart in the lab
	// captures (testdata/pcaps: browser copies 8 µs to 0.28 ms, NBNS copies
	// up to 1.49 ms, dmb frames 230-231), while Windows re-sends a
	// RequestElection about once a second, the closest 0.906 s apart (the
	// Wireshark wiki's smb-browser-elections capture, TUMBLEWEED's frames
	// 14 and 16; [MS-BRWS] §3.3.5.8, the Leach/Naik browser draft on
	// election retransmissions) and an AnnouncementRequest 1.5 s apart.
	// 250 ms sits between the two with a wide margin on both sides.
	DupWindow time.Duration
	// DefaultExpiry is how long a Browse List entry lives when its
	// announced periodicity is absent or implausible (the Browse Service's
	// 36 minutes: three times the 12-minute maximum period).
	DefaultExpiry time.Duration
	// MinPeriodicity and MaxPeriodicity bound a plausible announced
	// periodicity; outside it the periodicity is flagged and DefaultExpiry
	// is used.
	MinPeriodicity time.Duration
	MaxPeriodicity time.Duration
	// DomainExpiry is how long a workgroup learnt from a DomainAnnouncement
	// lives without a new one (45 minutes).
	DomainExpiry time.Duration
	// SyncExpiry is how long an entry learnt from a NetServerEnum2 list
	// (DMB synchronisation, or a list a master handed out) lives without
	// being seen again.
	SyncExpiry time.Duration
	// SplitBrainWindow: when another host announces itself local master
	// while the master in office was heard within this long, both are
	// masters (split brain); otherwise the old master is taken to have gone
	// away quietly and its role ends.
	SplitBrainWindow time.Duration
	// DMBGrace: a host holding WORKGROUP<1b> that still announces itself
	// without the domain master bit this long after registering it is
	// flagged.
	DMBGrace time.Duration

	// Bounds. Hitting one evicts the least recently seen item and raises
	// one "limit" anomaly per bound.
	MaxHosts     int // hosts (name + segment) and address mappings
	MaxNames     int // NBNS names and pending NBNS transactions
	MaxServers   int // Browse List entries over all workgroups and segments
	MaxElections int // elections kept per workgroup and segment (history)
	MaxGroups    int // (segment, workgroup) pairs
	MaxHistory   int // role intervals kept per workgroup and segment
	// MaxHistoryTotal and MaxElectionsTotal bound the closed role
	// intervals and elections kept over all workgroups and segments
	// (history.go): the oldest closed first is forgotten.
	MaxHistoryTotal   int
	MaxElectionsTotal int
	MaxAnomalies      int // anomalies kept in the state (all are emitted)
	MaxSnapshots      int // NetServerEnum2 snapshots kept per workgroup and segment
	MaxRounds         int // RequestElection rounds kept per election
	MaxEvidence       int // evidence frame numbers kept per role, entry or name

	// At, when set, makes the tracker ignore every observation after it
	// and stop its timers there: the state is then the state as it stood
	// at At (this is how --report --at is computed: replay the capture
	// with At set).
	At time.Time
}

// DefaultConfig returns the thresholds the command line uses by default.
func DefaultConfig() Config {
	return Config{
		StormCount:        5,
		StormWindow:       5 * time.Minute,
		ElectionTimeout:   2 * time.Minute,
		ElectionSettle:    15 * time.Second,
		DupWindow:         250 * time.Millisecond,
		DefaultExpiry:     36 * time.Minute,
		MinPeriodicity:    time.Second,
		MaxPeriodicity:    time.Hour,
		DomainExpiry:      45 * time.Minute,
		SyncExpiry:        36 * time.Minute,
		DMBGrace:          time.Minute,
		SplitBrainWindow:  time.Minute,
		MaxHosts:          4096,
		MaxNames:          16384,
		MaxServers:        16384,
		MaxElections:      64,
		MaxGroups:         1024,
		MaxHistory:        256,
		MaxHistoryTotal:   8192,
		MaxElectionsTotal: 2048,
		MaxAnomalies:      1024,
		MaxSnapshots:      32,
		MaxRounds:         64,
		MaxEvidence:       8,
	}
}

// normalize fills zero fields with the defaults.
func (c Config) normalize() Config {
	d := DefaultConfig()
	setInt := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	setDur := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	setInt(&c.StormCount, d.StormCount)
	setDur(&c.StormWindow, d.StormWindow)
	setDur(&c.ElectionTimeout, d.ElectionTimeout)
	setDur(&c.ElectionSettle, d.ElectionSettle)
	setDur(&c.DupWindow, d.DupWindow)
	setDur(&c.DefaultExpiry, d.DefaultExpiry)
	setDur(&c.MinPeriodicity, d.MinPeriodicity)
	setDur(&c.MaxPeriodicity, d.MaxPeriodicity)
	setDur(&c.DomainExpiry, d.DomainExpiry)
	setDur(&c.SyncExpiry, d.SyncExpiry)
	setDur(&c.DMBGrace, d.DMBGrace)
	setDur(&c.SplitBrainWindow, d.SplitBrainWindow)
	setInt(&c.MaxHosts, d.MaxHosts)
	setInt(&c.MaxNames, d.MaxNames)
	setInt(&c.MaxServers, d.MaxServers)
	setInt(&c.MaxElections, d.MaxElections)
	setInt(&c.MaxGroups, d.MaxGroups)
	setInt(&c.MaxHistory, d.MaxHistory)
	setInt(&c.MaxHistoryTotal, d.MaxHistoryTotal)
	setInt(&c.MaxElectionsTotal, d.MaxElectionsTotal)
	setInt(&c.MaxAnomalies, d.MaxAnomalies)
	setInt(&c.MaxSnapshots, d.MaxSnapshots)
	setInt(&c.MaxRounds, d.MaxRounds)
	setInt(&c.MaxEvidence, d.MaxEvidence)
	return c
}
