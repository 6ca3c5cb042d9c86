package timeline

import (
	"net/netip"
	"slices"
	"time"
)

// Tracker turns observations into events and state. It is not safe for
// concurrent use: the engine calls Observe, Advance and Finish from one
// goroutine; readers use Snapshot, which returns an independent copy.
type Tracker struct {
	cfg  Config
	emit func(Event)

	now time.Time // capture time reached (timers fired up to it)
	// quiet: nothing is due before it (no timer of the heap or the
	// browseQueue, no diagnosis tick), and Config.At is zero. Advance
	// sets it, scheduling a timer lowers it (dueAt); zero: unknown. An
	// observation at or after now and before quiet skips Advance (Observe),
	// which would find nothing to do (the NBT-dense mix: nearly all).
	quiet time.Time
	// nowAt and quietAt are now and quiet as instants (Observe compares
	// an observation's time with them: two words each, not time.Time's
	// Before twice).
	nowAt, quietAt instant
	frame          int // the frame of the observation being taken in (0 while only timers run): a bound hit names it
	first          time.Time
	last           time.Time
	lastAt         instant // last as an instant (Observe: not time.Time's After on every observation)
	n              int
	done           bool

	groups map[groupKey]*group
	// bindings: what each host did on each transport (bindings.go).
	bindings slotIndex[binding]
	bindHash pairHash
	nameH    *nameHash // hashes the names of hosts, bindings and Browse List entries
	bindSlab bindingSlab
	segs     map[string]*segState
	hosts    hostIndex
	ips      addrTable
	segName  map[segKey]string
	names    map[nameKey]*NameState
	txs      txTable
	txFree   []*nbnsTx // records of forgotten transactions, for reuse
	dedup    map[uint64]time.Time
	links    map[linkKey]*Link
	wins     map[netip.Addr]string // winsVia
	// oddBcast holds the subnet broadcast addresses other than x.x.x.255
	// that hosts sent to (hearing.go).
	oddBcast map[netip.Addr]struct{}
	// bcastsOn lists per capture label the subnet broadcast addresses
	// hosts were seen sending to (hearing.go, guessBroadcastOn).
	bcastsOn map[string][]netip.Addr
	// lastSubnet is the pair noteSubnet last found or put in bcastsOn.
	lastSubnet struct {
		label string
		b     netip.Addr
		set   bool
	}

	groupScratch []*group // groupsOn
	// inOrder: the groups in sortedGroups' order (groupsInOrder), empty
	// once a group came or went.
	inOrder []*group
	// lastHost is the host record last found (findHost); hostDead the
	// records forgotten during the current observation, hostFree those
	// forgotten before it, for reuse (release).
	lastHost           *hostRec
	hostMiss           hostKey // with hostMissSet: the key findHost last did not find
	hostMissSet        bool
	lastGroup          *group // the group group last found or made
	hostDead, hostFree []*hostRec
	srvDead, srvFree   []*Server               // the same for Browse List entries
	srvRecs            recSlab[Server]         // new Browse List entries
	remFree            []*Removal              // removals no group remembers (freeRemoval)
	elecFree           []*ElectionRecord       // elections the history forgot (freeElection)
	roleFree           []*RoleInterval         // role intervals the history forgot (freeRole)
	listed             map[string]*ServerEntry // listedIndex's map
	listSpare          *ServerListSnapshot     // the list a group's ring let go last, for the next (onServerList)
	runFree            []*electionRun          // ended elections' working state, for the next (endElection, startElection)
	reasons            [24]builtReason         // roleReason's last reasons, in turn
	reasonNext         int
	expiries           [8]expiry // expiryFor's last expiries, in turn
	expiryNext         int
	domFree            []*Server // removed workgroup list entries, for the next (removeDomain, upsertDomain)
	removalSeq         uint64    // the latest Removal.seq
	recs               hostSlab  // new host, address and binding records
	frame1             []int     // the rest of frameSlot's chunk

	// The tables' eviction orders (aged.go): least recently seen first.
	ipAge    aged[*ipRec]
	hostAge  aged[*hostRec]
	groupAge aged[*group]
	segAge   aged[*segState]
	nameAge  aged[*NameState]
	srvAge   aged[*Server] // Browse List entries of every group
	// The closed history of every group together (history.go).
	roleHist globalHistory[*RoleInterval]
	elecHist globalHistory[*ElectionRecord]
	removals removalHistory // entries removed from the Browse Lists (history.go)
	// segGroups lists each segment's groups sorted by workgroup (groupsOn).
	segGroups map[string][]*group

	// dmbNames indexes the WORKGROUP<1b> names of names by workgroup, so
	// that checkDMBClaim, run on every announcement, looks at the few
	// names it can concern instead of scanning the whole table.
	dmbNames map[string][]*NameState

	// lastSeg holds the two latest segString answers, the latest first:
	// a capture is mostly one segment, so most lookups hit it without
	// hashing; a frame forwarded from another subnet names two (where it
	// was heard and its sender's own), one after the other.
	lastSeg [2]struct {
		k   segKey
		s   string
		set bool
	}

	timers    timerHeap
	browseQ   browseQueue // Browse List expiries that came in deadline order (timers.go)
	timerSeq  uint64
	lastSlot  int32 // the slot of the timer pushed last
	liveAfter int   // live timers after the last compaction

	// epoch counts the backward jumps of the capture's clock (more than
	// timeJump): what happened before one cannot be ordered with what
	// happens after it.
	epoch int

	anomalies   []*Anomaly // ring
	anomalyHead int
	// anomalyCopies are the snapshots' copies of anomalies (the same
	// places), made by the first snapshot that has each and shared by
	// the next: an anomaly is not written again.
	anomalyCopies []*Anomaly
	electionSeq   int
	servers       int // Browse List entries over all groups
	// limitOrder lists the bounds hit, in the order first hit, and
	// limitHits their hits (a few bounds: a scan is cheaper than a map
	// lookup on every eviction of a flood).
	limitOrder []string
	limitHits  []int
	onceKeys   map[string]bool // one-off anomalies already raised (bounded)

	dg diagState // the diagnoses and their detectors' tables (diagnosis.go)

	canons *canonMemo // canonName's
}

// The maps are keyed by structs of the strings that identify a record:
// hashing them builds no string, where a concatenated key was a new string
// (and an allocation) per lookup.

// groupKey identifies a group: segment and workgroup.
type groupKey struct{ seg, wg string }

// hostKey identifies a host: segment and name.
type hostKey struct{ seg, name string }

// nameKey identifies an NBNS name: segment, name and suffix.
type nameKey struct {
	seg, name string
	suffix    byte
}

// linkKey identifies an LMB <-> DMB link.
type linkKey struct{ wg, lmb, lmbSeg, dmb, dmbSeg string }

// roleKey identifies an open role interval of a group.
type roleKey struct {
	role Role
	host string
}

// group is one (segment, workgroup).
type group struct {
	seg, wg string
	last    time.Time
	open    map[roleKey]*RoleInterval
	// masters holds the open intervals of the roles a group has one or
	// two holders of (lmb, dmb, pdc; indexed by Role), as g.open does,
	// in no order: openRole and appendHolders read them without hashing
	// the host's name or walking every open role of the group (each
	// announcement asks for a host's lmb and pdc roles, each ballot for
	// the masters).
	masters   [RolePDC + 1][]*RoleInterval
	history   []*RoleInterval   // closed, the latest MaxHistory, oldest first (history.go)
	browse    serverIndex       // the Browse List
	elections []*ElectionRecord // closed, the latest MaxElections, oldest first
	runs      []*electionRun    // running, one per broadcast address (election.go)
	starts    []electionStart
	inStorm   bool
	gone      bool              // evicted (evictGroup): asked instead of Tracker.groups, where it never comes back
	voters    map[string]*voter // storm.go
	lists     []*ServerListSnapshot
	listCopy  []*ServerListSnapshot // the snapshots' copies of lists, as anomalyCopies
	listHead  int
	removed   map[string]*Removal // the latest removal per name not listed again, at most MaxHistory
	age       ageNode[*group]     // in Tracker.groupAge
	// strip is wg without its digits, stripPos its place in the
	// workgroup_typo index (typos.go).
	strip    string
	stripPos int
	histSeen int // globalHistory.compact's count of the group's entries; 0 outside it
}

type electionStart struct {
	at    time.Time
	frame int
	host  string
}

// segState holds the workgroups announced on one segment.
type segState struct {
	seg     string
	domains map[string]*Server
	last    time.Time
	age     ageNode[*segState] // in Tracker.segAge
}

// hostRec is one NetBIOS host on one segment.
type hostRec struct {
	seg, name   string
	addr        netip.Addr
	wg          string
	first, last time.Time
	ballot      Ballot
	ballotAt    time.Time
	ballotFrame int
	hasBallot   bool
	// away: it announced it was going away. (Beside hasBallot: 256
	// bytes a record, not 288.)
	away bool
	age  ageNode[*hostRec] // in Tracker.hostAge
	hash uint64            // of its key (hostIndex)
	// since is when its current instance started (zero: not seen
	// restart): its first announcement after it went away, or a ballot
	// whose uptime went back.
	since time.Time
}

// New makes a tracker; emit receives every event in order (it may be nil).
func New(cfg Config, emit func(Event)) *Tracker {
	nameH := newNameHash()
	t := &Tracker{
		cfg:      cfg.normalize(),
		emit:     emit,
		groups:   make(map[groupKey]*group),
		segs:     make(map[string]*segState),
		nameH:    nameH,
		hosts:    newHostIndex(nameH),
		bindHash: newPairHash(nameH),
		ips:      newAddrTable(),
		segName:  make(map[segKey]string),
		names:    make(map[nameKey]*NameState),
		txs:      newTxTable(),
		dedup:    make(map[uint64]time.Time),
		links:    make(map[linkKey]*Link),
		dmbNames: make(map[string][]*NameState),
		wins:     make(map[netip.Addr]string),
		oddBcast: make(map[netip.Addr]struct{}),
		bcastsOn: make(map[string][]netip.Addr),
		onceKeys: make(map[string]bool),
		dg:       newDiagState(),
		nowAt:    instantOf(time.Time{}),
		quietAt:  instantOf(time.Time{}),
		lastAt:   instantOf(time.Time{}),
		canons:   new(canonMemo),

		ipAge:     newAgedAddrs(),
		hostAge:   newAgedHosts(),
		groupAge:  newAgedGroups(),
		segAge:    newAgedSegs(),
		nameAge:   newAgedNames(),
		srvAge:    newAgedServers(),
		roleHist:  newGlobalHistory("MaxHistoryTotal", "role interval", cfg.MaxHistoryTotal, func(g *group) *[]*RoleInterval { return &g.history }),
		elecHist:  newGlobalHistory("MaxElectionsTotal", "election", cfg.MaxElectionsTotal, func(g *group) *[]*ElectionRecord { return &g.elections }),
		segGroups: make(map[string][]*group),
	}
	t.elecHist.free = t.freeElection
	t.roleHist.free = t.freeRole
	return t
}

// Config returns the configuration in use (defaults filled in).
func (t *Tracker) Config() Config { return t.cfg }

// Observe feeds one observation, in capture order. Timers due before it
// (expiries, election timeouts) fire first. With Config.At set, anything
// after At is ignored.
func (t *Tracker) Observe(o Observation) {
	if o == nil || t.done {
		return
	}
	m := o.meta()
	if m == nil {
		return
	}
	if at := instantOf(m.Time); !at.before(t.nowAt) && at.before(t.quietAt) {
		// Nothing is due yet (quiet): Advance would only move now. (No
		// clock jump either: last is at most now.)
		t.release()
		t.now, t.nowAt = m.Time, at
		t.takeAt(o, m, at)
		return
	}
	if !t.cfg.At.IsZero() && m.Time.After(t.cfg.At) {
		return
	}
	if t.n > 0 && m.Time.Before(t.last) && m.Time.Before(t.last.Add(-timeJump)) {
		t.clockJump(m)
	}
	t.release()
	t.Advance(m.Time)
	if t.n == 0 {
		t.first = m.Time
	}
	t.takeAt(o, m, instantOf(m.Time))
}

// takeAt counts o, whose meta is m and time at, and hands it to the
// handler of its kind (take) as the frame being taken.
func (t *Tracker) takeAt(o Observation, m *Meta, at instant) {
	t.n++
	t.dg.lastFrame = m.Frame
	if t.lastAt.before(at) {
		t.last, t.lastAt = m.Time, at
	}
	t.frame = m.Frame
	t.take(o)
	t.frame = 0
}

// take hands o to the handler of its kind.
func (t *Tracker) take(o Observation) {
	switch v := o.(type) {
	case *Announcement:
		t.onAnnouncement(v)
	case *Election:
		t.onElection(v)
	case *AnnouncementRequest:
		t.onAnnouncementRequest(v)
	case *BackupListRequest:
		t.onBackupListRequest(v)
	case *BackupListResponse:
		t.onBackupListResponse(v)
	case *BecomeBackup:
		t.onBecomeBackup(v)
	case *MasterAnnouncement:
		t.onMasterAnnouncement(v)
	case *ResetBrowserState:
		t.onReset(v)
	case *NameEvent:
		t.onName(v)
	case *ServerList:
		t.onServerList(v)
	case *SessionEvent:
		t.onSession(v)
	case *DecodeProblem:
		t.onDecodeProblem(v)
	}
}

// release makes the records forgotten before this observation free for
// reuse: no caller holds one any more.
func (t *Tracker) release() {
	// Most observations forget nothing: three length tests, inlined,
	// not three calls that return four slices each.
	if len(t.ips.dead)|len(t.hostDead)|len(t.srvDead) != 0 {
		t.recycleDead()
	}
}

// recycleDead is release's work when something was forgotten.
func (t *Tracker) recycleDead() {
	if len(t.ips.dead) > 0 {
		t.ips.free, t.ips.dead = recycle(t.ips.free, t.ips.dead)
	}
	if len(t.hostDead) > 0 {
		t.hostFree, t.hostDead = recycle(t.hostFree, t.hostDead)
	}
	if len(t.srvDead) > 0 {
		t.srvFree, t.srvDead = recycle(t.srvFree, t.srvDead)
	}
}

// maxFree bounds each list of records kept for reuse: a full table
// forgets one record for each it makes, and a burst of expiries need not
// be kept.
const maxFree = 64

// reuse takes the last record of free, as it was left, or a new one.
func reuse[T any](free *[]*T) *T {
	if r := popFree(free); r != nil {
		return r
	}
	return new(T)
}

// popFree takes the last record of free, as it was left (nil: none). A
// caller that gets nil makes the record with its values (&T{...}), not
// new(T) then *p = T{...}: the compiler reads a record it stores through
// (a nil check) or copies from (a slice field reused), and a first read
// of fresh memory maps the kernel's zero page, which the write then
// replaces (a second page fault, and a TLB flush on every core running
// the process). A flood of new hosts makes two records a frame.
func popFree[T any](free *[]*T) *T {
	n := len(*free)
	if n == 0 {
		return nil
	}
	r := (*free)[n-1]
	(*free)[n-1] = nil
	*free = (*free)[:n-1]
	return r
}

// recycle moves the records of dead to free, up to maxFree there, and
// returns both.
func recycle[T any](free, dead []*T) ([]*T, []*T) {
	// Most observations forget nothing, a flood's one record of each
	// table: a loop, not a copy and a clear of a slice.
	for i, r := range dead {
		if len(free) < maxFree {
			free = append(free, r)
		}
		dead[i] = nil
	}
	return free, dead[:0]
}

// Advance fires every timer due at or before now (Browse List and domain
// expiry, election timeouts). The engine calls it with the last frame time
// at the end of a capture and periodically in live mode.
func (t *Tracker) Advance(now time.Time) {
	if !t.cfg.At.IsZero() && now.After(t.cfg.At) {
		now = t.cfg.At
	}
	if now.Before(t.now) {
		return
	}
	t.fireTimers(now)
	t.now = now
	t.diagTick(now)
	t.quiet = t.quietUntil()
	t.nowAt, t.quietAt = instantOf(t.now), instantOf(t.quiet)
}

// instant is a time as Unix seconds and nanoseconds, which order as
// time.Time.Before does.
type instant struct {
	sec  int64
	nsec int32
}

func instantOf(tm time.Time) instant { return instant{tm.Unix(), int32(tm.Nanosecond())} }

func (a instant) before(b instant) bool { return a.sec < b.sec || a.sec == b.sec && a.nsec < b.nsec }

// add is a plus d, as time.Time's Add (d a constant: the divisions fold).
func (a instant) add(d time.Duration) instant {
	s, n := a.sec+int64(d/time.Second), a.nsec+int32(d%time.Second)
	if n >= 1e9 {
		s, n = s+1, n-1e9
	} else if n < 0 {
		s, n = s-1, n+1e9
	}
	return instant{s, n}
}

// Finish ends the capture at end: timers fire up to end, running
// elections are closed as unfinished (an anomaly only if older than
// ElectionTimeout), roles stay open. With Config.At set, end is At. Observe
// does nothing afterwards.
func (t *Tracker) Finish(end time.Time) {
	if t.done {
		return
	}
	if !t.cfg.At.IsZero() {
		// The state at At: nothing after it was taken, timers run to it.
		end = t.cfg.At
	}
	if end.IsZero() || end.Before(t.last) {
		end = t.last
	}
	t.Advance(end)
	for _, g := range t.sortedGroups() {
		for _, r := range slices.Clone(g.runs) {
			t.endElection(g, r, OutcomeUnfinished, "", end, r.lastFrame, "unfinished at end of capture")
		}
	}
	t.checkBindings(end)
	t.diagFinish(end)
	t.done = true
}

// timeJump is how far back a timestamp may be from the latest one before
// it counts as the capture's clock jumping back (frames of merged
// interfaces can be out of order by microseconds).
const timeJump = time.Second

// clockJump notes a timestamp that jumps back: one anomaly for the first
// jump (a capture whose clock jumps back once usually does so again: two
// recordings concatenated, a clock reset), and a new epoch each time, so
// that what happened before a jump is not ordered against what happens
// after it (a name registered again after the jump is no conflict).
func (t *Tracker) clockJump(m *Meta) {
	t.epoch++
	if t.epoch > 1 {
		return
	}
	back := t.last.Sub(m.Time)
	t.anomaly(AnomalyTimeJump, m.Time, m.Frame, "", "", "", netip.Addr{},
		"capture time jumps back "+fmtDur(back.Round(time.Millisecond))+" at frame "+itoa(m.Frame)+" (from "+
			fmtTime(t.last)+" to "+fmtTime(m.Time)+"); the frames are not in time order: nothing before a jump is "+
			"compared with what follows it (name conflicts), and further jumps are not reported", frames(m.Frame))
}

// ---- events and anomalies ----

func (t *Tracker) send(e Event) {
	if t.emit != nil {
		t.emit(e)
	}
}

// anomaly records and emits one anomaly.
func (t *Tracker) anomaly(kind AnomalyKind, at time.Time, frame int, seg, wg, host string, addr netip.Addr, detail string, frames []int) {
	var a *Anomaly
	if len(t.anomalies) < t.cfg.MaxAnomalies {
		a = new(Anomaly)
		t.anomalies = append(t.anomalies, a)
		t.anomalyCopies = append(t.anomalyCopies, nil)
	} else {
		// The ring's oldest record goes. Nothing but the ring holds it
		// when no one receives the events (snapshots copy anomalies, and
		// only an event hands out the record itself): it is written over.
		a = t.anomalies[t.anomalyHead]
		if t.emit != nil {
			a = new(Anomaly)
			t.anomalies[t.anomalyHead] = a
		}
		t.anomalyCopies[t.anomalyHead] = nil
		t.anomalyHead = (t.anomalyHead + 1) % len(t.anomalies)
	}
	*a = Anomaly{Time: at, Frame: frame, Kind: kind, Segment: seg, Workgroup: wg, Host: host, Detail: detail, Frames: frames}
	t.send(Event{Time: at, Frame: frame, Kind: KindAnomaly, Segment: seg, Workgroup: wg, Host: host, Addr: addr,
		Detail: detail, Frames: frames, Data: a})
}

// once reports whether key is new (a one-off anomaly not raised yet).
func (t *Tracker) once(key string) bool {
	if t.onceKeys[key] {
		return false
	}
	if len(t.onceKeys) >= t.cfg.MaxNames {
		clear(t.onceKeys)
	}
	t.onceKeys[key] = true
	return true
}

// limit notes a bound that was hit, raising one anomaly per bound and
// counting every hit (Snapshot.LimitHits).
//
// Callers test t.limitSeen(which) first, so that the detail is built
// once, not on every eviction past the bound.
func (t *Tracker) limit(which, detail string) {
	t.limitAt(which, detail, t.now, t.frame, "")
}

// limitSeen counts another hit of a bound whose anomaly was raised
// already, and reports whether it was: then the caller builds no detail.
func (t *Tracker) limitSeen(which string) bool {
	for i, l := range t.limitOrder {
		if l == which {
			t.limitHits[i]++
			return true
		}
	}
	return false
}

// limitAt is limit for a bound hit on frame (0: none) at time at, on
// segment seg.
func (t *Tracker) limitAt(which, detail string, at time.Time, frame int, seg string) {
	if t.limitSeen(which) {
		return
	}
	t.limitOrder = append(t.limitOrder, which)
	t.limitHits = append(t.limitHits, 1)
	var evidence []int
	if frame > 0 {
		evidence = []int{frame}
	}
	t.anomaly(AnomalyLimit, at, frame, seg, "", "", netip.Addr{}, which+" reached: "+detail, evidence)
}

// addFrame appends frame to an evidence list bounded to MaxEvidence
// (keeping the first and the latest ones).
func (t *Tracker) addFrame(fs []int, frame int) []int {
	if frame <= 0 || (len(fs) > 0 && fs[len(fs)-1] == frame) {
		return fs
	}
	if len(fs) < t.cfg.MaxEvidence {
		switch {
		case fs == nil:
			// Room for one frame: most records of a flood of new
			// hosts never get a second (16,384 Browse List entries
			// held 64 bytes each for one frame, all fresh memory).
			fs = t.frameSlot()
		case len(fs) == 1 && cap(fs) == 1:
			// Then room for every frame it will keep (up to 16): one
			// more allocation, not one per doubling.
			fs = append(make([]int, 0, min(t.cfg.MaxEvidence, 16)), fs[0])
		}
		return append(fs, frame)
	}
	copy(fs[1:], fs[2:])
	fs[len(fs)-1] = frame
	return fs
}

// frameChunk is the one-frame evidence lists a chunk of frameSlot holds
// (512 bytes: a chunk lives as long as any of its lists, and one
// long-lived record holds no more than that).
const frameChunk = 64

// frameSlot is an empty evidence list with room for one frame, carved
// from a chunk (an allocation a new record in a flood of new hosts, 90%
// of the tracker's allocations then, is one a chunk). A list that gets a
// second frame moves to memory of its own (addFrame); the slot stays its
// record's, reused with it.
func (t *Tracker) frameSlot() []int {
	if len(t.frame1) == 0 {
		t.frame1 = make([]int, frameChunk)
	}
	fs := t.frame1[:0:1]
	t.frame1 = t.frame1[1:]
	return fs
}

func frames(fs ...int) []int {
	out := make([]int, 0, len(fs))
	for _, f := range fs {
		if f > 0 && (len(out) == 0 || out[len(out)-1] != f) {
			out = append(out, f)
		}
	}
	return out
}
