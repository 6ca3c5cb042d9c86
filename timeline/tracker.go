package timeline

import (
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"
)

// Tracker turns observations into events and state. It is not safe for
// concurrent use: the engine calls Observe, Advance and Finish from one
// goroutine; readers use Snapshot, which returns an independent copy.
type Tracker struct {
	cfg  Config
	emit func(Event)

	now   time.Time // capture time reached (timers fired up to it)
	first time.Time
	last  time.Time
	n     int
	done  bool

	groups  map[groupKey]*group
	segs    map[string]*segState
	hosts   map[hostKey]*hostRec
	ips     addrTable
	segName map[segKey]string
	names   map[nameKey]*NameState
	txs     map[txKey]*nbnsTx
	txFree  []*nbnsTx // records of forgotten transactions, for reuse
	dedup   map[uint64]time.Time
	links   map[linkKey]*Link
	wins    map[netip.Addr]string // winsVia

	groupScratch []*group // groupsOn

	// dmbNames indexes the WORKGROUP<1b> names of names by workgroup, so
	// that checkDMBClaim, run on every announcement, looks at the few
	// names it can concern instead of scanning the whole table.
	dmbNames map[string][]*NameState

	// lastSeg is the latest segString answer: a capture is mostly one
	// segment, so most lookups hit it without hashing.
	lastSeg struct {
		k   segKey
		s   string
		set bool
	}

	timers    timerHeap
	timerSeq  uint64
	liveAfter int // live timers after the last compaction

	anomalies   []*Anomaly // ring
	anomalyHead int
	electionSeq int
	servers     int // Browse List entries over all groups
	limits      map[string]bool
	limitOrder  []string
	onceKeys    map[string]bool // one-off anomalies already raised (bounded)
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
	seg, wg   string
	last      time.Time
	open      map[roleKey]*RoleInterval
	history   []*RoleInterval // closed, ring of MaxHistory
	histHead  int
	browse    map[string]*Server
	elections []*ElectionRecord // closed, ring of MaxElections
	elecHead  int
	running   *electionRun
	starts    []electionStart
	inStorm   bool
	lists     []*ServerListSnapshot
	listHead  int
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
}

// ipRec maps an address to the segment it broadcasts on and its name.
type ipRec struct {
	seg     string
	guessed bool
	label   string
	name    string
	last    time.Time
}

// addrTable maps addresses to their records. IPv4 addresses, all of them
// in practice, are keyed by their 32 bits: hashing a uint32 is much cheaper
// than hashing a netip.Addr, and the table is read for nearly every frame.
type addrTable struct {
	v4    map[uint32]*ipRec
	other map[netip.Addr]*ipRec
}

func newAddrTable() addrTable {
	return addrTable{v4: make(map[uint32]*ipRec), other: make(map[netip.Addr]*ipRec)}
}

func v4key(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func (m *addrTable) get(a netip.Addr) *ipRec {
	if a.Is4() {
		return m.v4[v4key(a)]
	}
	return m.other[a]
}

func (m *addrTable) set(a netip.Addr, r *ipRec) {
	if a.Is4() {
		m.v4[v4key(a)] = r
	} else {
		m.other[a] = r
	}
}

func (m *addrTable) del(a netip.Addr) {
	if a.Is4() {
		delete(m.v4, v4key(a))
	} else {
		delete(m.other, a)
	}
}

func (m *addrTable) len() int { return len(m.v4) + len(m.other) }

// each calls fn for every entry, in no particular order.
func (m *addrTable) each(fn func(netip.Addr, *ipRec)) {
	for k, r := range m.v4 {
		fn(netip.AddrFrom4([4]byte{byte(k >> 24), byte(k >> 16), byte(k >> 8), byte(k)}), r)
	}
	for a, r := range m.other {
		fn(a, r)
	}
}

type segKey struct {
	label string
	bcast netip.Addr
}

// New makes a tracker; emit receives every event in order (it may be nil).
func New(cfg Config, emit func(Event)) *Tracker {
	return &Tracker{
		cfg:      cfg.normalize(),
		emit:     emit,
		groups:   make(map[groupKey]*group),
		segs:     make(map[string]*segState),
		hosts:    make(map[hostKey]*hostRec),
		ips:      newAddrTable(),
		segName:  make(map[segKey]string),
		names:    make(map[nameKey]*NameState),
		txs:      make(map[txKey]*nbnsTx),
		dedup:    make(map[uint64]time.Time),
		links:    make(map[linkKey]*Link),
		dmbNames: make(map[string][]*NameState),
		wins:     make(map[netip.Addr]string),
		limits:   make(map[string]bool),
		onceKeys: make(map[string]bool),
	}
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
	if !t.cfg.At.IsZero() && m.Time.After(t.cfg.At) {
		return
	}
	t.Advance(m.Time)
	if t.n == 0 {
		t.first = m.Time
	}
	t.n++
	if m.Time.After(t.last) {
		t.last = m.Time
	}
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
		if r := g.running; r != nil {
			t.endElection(g, r, OutcomeUnfinished, "", end, r.lastFrame, "unfinished at end of capture")
		}
	}
	t.done = true
}

// ---- segments, hosts and addresses ----

// isDirectedBroadcast reports x.x.x.255, the broadcast of the lab's /24s
// and of most real segments.
func isDirectedBroadcast(a netip.Addr) bool {
	if !a.Is4() {
		return false
	}
	b := a.As4()
	return b[3] == 255 && !(b[0] == 255 && b[1] == 255 && b[2] == 255)
}

func isLimitedBroadcast(a netip.Addr) bool {
	return a.Is4() && a.As4() == [4]byte{255, 255, 255, 255}
}

// segString names a segment: LABEL/BROADCAST, or BROADCAST alone.
func (t *Tracker) segString(label string, bcast netip.Addr) string {
	k := segKey{label, bcast}
	if t.lastSeg.set && t.lastSeg.k == k {
		return t.lastSeg.s
	}
	if s, ok := t.segName[k]; ok {
		t.lastSeg.k, t.lastSeg.s, t.lastSeg.set = k, s, true
		return s
	}
	var s string
	switch {
	case !bcast.IsValid() && label == "":
		s = "-"
	case !bcast.IsValid():
		s = label
	case label == "":
		s = bcast.String()
	default:
		s = label + "/" + bcast.String()
	}
	if len(t.segName) < 4*t.cfg.MaxHosts {
		t.segName[k] = s
	}
	t.lastSeg.k, t.lastSeg.s, t.lastSeg.set = k, s, true
	return s
}

// guessBroadcast is the x.x.x.255 of an address never seen broadcasting.
func guessBroadcast(a netip.Addr) netip.Addr {
	if !a.Is4() {
		return netip.Addr{}
	}
	b := a.As4()
	b[3] = 255
	return netip.AddrFrom4(b)
}

// locate returns the segment of a frame: its broadcast destination, or for
// unicast the segment its source was last seen broadcasting on. A
// broadcast teaches the source's segment.
func (t *Tracker) locate(m *Meta) string {
	if isDirectedBroadcast(m.Dst) {
		seg := t.segString(m.Segment, m.Dst)
		t.learnAddr(m.Src, seg, m.Segment, false, m.Time)
		return seg
	}
	if isLimitedBroadcast(m.Dst) {
		if r := t.ips.get(m.Src); r != nil && !r.guessed && r.label == m.Segment {
			r.last = m.Time
			return r.seg
		}
		return t.segString(m.Segment, m.Dst)
	}
	return t.segOfAddr(m.Segment, m.Src, m.Time)
}

// segOfAddr is the segment an address belongs to (learnt or guessed).
func (t *Tracker) segOfAddr(label string, a netip.Addr, now time.Time) string {
	if r := t.ips.get(a); r != nil {
		return r.seg
	}
	seg := t.segString(label, guessBroadcast(a))
	t.learnAddr(a, seg, label, true, now)
	return seg
}

func (t *Tracker) learnAddr(a netip.Addr, seg, label string, guessed bool, now time.Time) *ipRec {
	if !a.IsValid() {
		return nil
	}
	r := t.ips.get(a)
	if r == nil {
		if t.ips.len() >= t.cfg.MaxHosts {
			t.evictAddr()
		}
		r = &ipRec{}
		t.ips.set(a, r)
	}
	if !guessed || r.seg == "" || r.guessed {
		r.seg, r.guessed, r.label = seg, guessed, label
	}
	if now.After(r.last) {
		r.last = now
	}
	return r
}

func (t *Tracker) evictAddr() {
	var oldest netip.Addr
	var ot time.Time
	t.ips.each(func(a netip.Addr, r *ipRec) {
		if !oldest.IsValid() || r.last.Before(ot) || (r.last.Equal(ot) && a.Less(oldest)) {
			oldest, ot = a, r.last
		}
	})
	t.ips.del(oldest)
	t.limit("MaxHosts", "address table full: forgot "+oldest.String())
}

// nameOf is the NetBIOS name known for an address ("" if none).
func (t *Tracker) nameOf(a netip.Addr) string {
	if r := t.ips.get(a); r != nil {
		return r.name
	}
	return ""
}

// setName records the primary name of an address.
func (t *Tracker) setName(a netip.Addr, name string, now time.Time) {
	if name == "" || !a.IsValid() {
		return
	}
	r := t.ips.get(a)
	if r == nil {
		return
	}
	if r.name == "" {
		r.name = name
	}
	if now.After(r.last) {
		r.last = now
	}
}

// canon upper-cases a NetBIOS name and trims trailing spaces. A name
// that is upper case already (nearly all are) is returned as it is,
// without a copy.
func canon(s string) string {
	n := len(s)
	for n > 0 && (s[n-1] == ' ' || s[n-1] == 0) {
		n--
	}
	s = s[:n]
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = upper(b[j])
			}
			return string(b)
		}
	}
	return s
}

// host returns (creating) the record of name on seg.
func (t *Tracker) host(seg, name string, addr netip.Addr, now time.Time) *hostRec {
	if name == "" {
		return nil
	}
	k := hostKey{seg, name}
	h := t.hosts[k]
	if h == nil {
		if len(t.hosts) >= t.cfg.MaxHosts {
			t.evictHost()
		}
		h = &hostRec{seg: seg, name: name, first: now}
		t.hosts[k] = h
	}
	if addr.IsValid() {
		h.addr = addr
	}
	if now.After(h.last) {
		h.last = now
	}
	return h
}

func (t *Tracker) findHost(seg, name string) *hostRec {
	return t.hosts[hostKey{seg, name}]
}

func (t *Tracker) evictHost() {
	var key hostKey
	var oldest *hostRec
	for k, h := range t.hosts {
		if oldest == nil || h.last.Before(oldest.last) || (h.last.Equal(oldest.last) && lessJoined(k.seg, k.name, "", key.seg, key.name, "")) {
			key, oldest = k, h
		}
	}
	delete(t.hosts, key)
	t.limit("MaxHosts", "host table full: forgot "+oldest.name+" on "+oldest.seg)
}

// group returns (creating) the state of wg on seg.
func (t *Tracker) group(seg, wg string, now time.Time) *group {
	k := groupKey{seg, wg}
	g := t.groups[k]
	if g == nil {
		if len(t.groups) >= t.cfg.MaxGroups {
			t.evictGroup()
		}
		g = &group{seg: seg, wg: wg, open: make(map[roleKey]*RoleInterval), browse: make(map[string]*Server)}
		t.groups[k] = g
	}
	if now.After(g.last) {
		g.last = now
	}
	return g
}

func (t *Tracker) findGroup(seg, wg string) *group { return t.groups[groupKey{seg, wg}] }

func (t *Tracker) evictGroup() {
	var key groupKey
	var oldest *group
	for k, g := range t.groups {
		if oldest == nil || g.last.Before(oldest.last) || (g.last.Equal(oldest.last) && lessJoined(k.seg, k.wg, "", key.seg, key.wg, "")) {
			key, oldest = k, g
		}
	}
	t.servers -= len(oldest.browse)
	delete(t.groups, key)
	t.limit("MaxGroups", "workgroup table full: forgot "+oldest.wg+" on "+oldest.seg)
}

// lessJoined orders two keys of up to three parts as the strings
// a1+"\x00"+a2[+"\x00"+a3] and b1+"\x00"+b2[+"\x00"+b3] would sort (an
// empty third part is left out), without building them: evictions break
// ties that way, as when the maps were keyed by those strings.
func lessJoined(a1, a2, a3, b1, b2, b3 string) bool {
	x, y := joined{p: [3]string{a1, a2, a3}}, joined{p: [3]string{b1, b2, b3}}
	if a3 != "" {
		x.n = 3
	} else {
		x.n = 2
	}
	if b3 != "" {
		y.n = 3
	} else {
		y.n = 2
	}
	for {
		ca, oka := x.next()
		cb, okb := y.next()
		switch {
		case !oka:
			return okb
		case !okb:
			return false
		case ca != cb:
			return ca < cb
		}
	}
}

// joined walks the bytes of n parts joined by NUL.
type joined struct {
	p    [3]string
	n    int
	i, j int // part, byte in it
}

func (x *joined) next() (byte, bool) {
	for x.i < x.n {
		if x.j < len(x.p[x.i]) {
			c := x.p[x.i][x.j]
			x.j++
			return c, true
		}
		x.i++
		x.j = 0
		if x.i < x.n {
			return 0, true
		}
	}
	return 0, false
}

// groupsOn lists the groups of one segment sorted by workgroup (the order
// of sortedGroups) in a slice reused by the next call.
func (t *Tracker) groupsOn(seg string) []*group {
	gs := t.groupScratch[:0]
	for _, g := range t.groups {
		if g.seg == seg {
			gs = append(gs, g)
		}
	}
	slices.SortFunc(gs, func(a, b *group) int { return strings.Compare(a.wg, b.wg) })
	t.groupScratch = gs
	return gs
}

func (t *Tracker) sortedGroups() []*group {
	gs := make([]*group, 0, len(t.groups))
	for _, g := range t.groups {
		gs = append(gs, g)
	}
	sort.Slice(gs, func(i, j int) bool {
		if gs[i].seg != gs[j].seg {
			return gs[i].seg < gs[j].seg
		}
		return gs[i].wg < gs[j].wg
	})
	return gs
}

// ---- duplicates ----

// fingerprint is FNV-1a over the fields that make two frames the same.
type fingerprint uint64

func newFP(kind byte) fingerprint {
	f := fingerprint(14695981039346656037)
	f.byte(kind)
	return f
}

func (f *fingerprint) byte(c byte) {
	*f ^= fingerprint(c)
	*f *= 1099511628211
}

func (f *fingerprint) str(s string) {
	for i := 0; i < len(s); i++ {
		f.byte(s[i])
	}
	f.byte(0xff)
}

func (f *fingerprint) u64(v uint64) {
	for i := 0; i < 8; i++ {
		f.byte(byte(v >> (8 * i)))
	}
}

func (f *fingerprint) addr(a netip.Addr) {
	b := a.As16()
	for _, c := range b {
		f.byte(c)
	}
}

// duplicate reports whether the same content was seen within DupWindow
// (and records it).
func (t *Tracker) duplicate(f fingerprint, now time.Time) bool {
	k := uint64(f)
	if prev, ok := t.dedup[k]; ok && now.Sub(prev) <= t.cfg.DupWindow && !now.Before(prev) {
		return true
	}
	if len(t.dedup) >= 4096 {
		for key, at := range t.dedup {
			if now.Sub(at) > t.cfg.DupWindow {
				delete(t.dedup, key)
			}
		}
		if len(t.dedup) >= 4096 {
			clear(t.dedup)
		}
	}
	t.dedup[k] = now
	return false
}

// ---- events and anomalies ----

func (t *Tracker) send(e Event) {
	if t.emit != nil {
		t.emit(e)
	}
}

// anomaly records and emits one anomaly.
func (t *Tracker) anomaly(kind AnomalyKind, at time.Time, frame int, seg, wg, host string, addr netip.Addr, detail string, frames []int) {
	a := &Anomaly{Time: at, Frame: frame, Kind: kind, Segment: seg, Workgroup: wg, Host: host, Detail: detail, Frames: frames}
	if len(t.anomalies) < t.cfg.MaxAnomalies {
		t.anomalies = append(t.anomalies, a)
	} else {
		t.anomalies[t.anomalyHead] = a
		t.anomalyHead = (t.anomalyHead + 1) % len(t.anomalies)
	}
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

// limit notes a bound that was hit, raising one anomaly per bound.
func (t *Tracker) limit(which, detail string) {
	if t.limits[which] {
		return
	}
	t.limits[which] = true
	t.limitOrder = append(t.limitOrder, which)
	t.anomaly(AnomalyLimit, t.now, 0, "", "", "", netip.Addr{}, which+" reached: "+detail, nil)
}

// addFrame appends frame to an evidence list bounded to MaxEvidence
// (keeping the first and the latest ones).
func (t *Tracker) addFrame(fs []int, frame int) []int {
	if frame <= 0 || (len(fs) > 0 && fs[len(fs)-1] == frame) {
		return fs
	}
	if len(fs) < t.cfg.MaxEvidence {
		if fs == nil {
			// Room for every frame it will keep (up to 16): one
			// allocation, not one per doubling.
			fs = make([]int, 0, min(t.cfg.MaxEvidence, 16))
		}
		return append(fs, frame)
	}
	copy(fs[1:], fs[2:])
	fs[len(fs)-1] = frame
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
