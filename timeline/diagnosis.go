package timeline

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Diagnoses: from what went wrong to why, and what to change. An anomaly
// says that something is wrong (two masters at once, an election storm); a
// diagnosis names its cause from the wire, with the frames that prove it, a
// confidence and the fix in words an administrator can act on ("set PC7's
// netmask to 255.255.255.0: it broadcasts to 198.18.1.127 while the segment
// uses 198.18.1.255"). The causes are those of the Browse Service's "It
// Can't Happen Here" (Hertel, Implementing CIFS, the Browse Service, 3.7),
// and the network ones behind Microsoft's browser events 8003, 8021 and
// 8032 (mask mismatches, forwarded broadcasts, a blocked datagram port,
// multihomed hosts), and NBNS spoofing.
//
// Each cause is one detector, in the file of its family: diag_network.go
// (the wire: masks, forwarding, UDP 138, multihoming), diag_names.go (NBNS:
// WINS, node types, spoofing, WORKGROUP<1b>), diag_browse.go (the browsers:
// workgroup names, elections, domain masters, lists). A detector keeps
// what it needs in small bounded tables, fed from the code that handles
// each frame at a constant cost, and decides in diagCheck, which runs every
// diagEvery of capture time (and once more at Finish) over those tables
// only: nothing scans every host per frame. The detectors that need to see
// a whole workgroup across segments (no domain master, a local master that
// never synchronises) run every diagSlowEvery, over the groups, and wait for
// at least a synchronisation period of evidence.
//
// A diagnosis is emitted once per kind, segment, workgroup and subject (the
// host or address it is about), when its evidence suffices; it is emitted
// again, at most maxDiagUpdates times, when it becomes more certain or
// concerns more hosts. Everything runs on capture time, so a replay gives
// the same diagnoses.

// DiagnosisKind is the cause a diagnosis names.
type DiagnosisKind uint8

// Diagnosis kinds (doc.go, "Diagnoses", and README say what each needs).
const (
	DiagMaskMismatch       DiagnosisKind = iota + 1 // a host broadcasts to another subnet broadcast address than its segment
	DiagBroadcastForwarded                          // broadcasts of one subnet arrive on another (router helper, directed broadcasts)
	DiagUDP138Blocked                               // a host does not receive UDP 138 (host firewall)
	DiagMultihomed                                  // one NetBIOS name from two addresses on one segment
	DiagNBNSSpoofing                                // one address answers name queries for names it does not own
	DiagWINSUnreachable                             // NBNS requests to a WINS address that never answers
	DiagWINSSplit                                   // hosts of one segment use different WINS servers
	DiagNodeTypesMixed                              // P nodes and B nodes on one segment
	DiagPNodeNoDMB                                  // P nodes in a workgroup without a domain master browser
	DiagWorkgroupTypo                               // a small workgroup whose name is a near-miss of a bigger one
	DiagNoPotentialBrowser                          // hosts of a workgroup, and no browser to serve them
	DiagOverenabledBrowser                          // a master that won on OS level or preferred master against a better choice
	DiagPreferredMasters                            // two preferred masters at the same OS level: every restart is an election
	DiagProlificBindings                            // the same host's browser elections or mastership on two transports (bindings.go)
	DiagNoDMB                                       // a workgroup on several segments with no domain master browser
	DiagIsolatedWorkgroups                          // workgroups of different segments that never learn of each other
	DiagLMBNeverSyncs                               // a local master that never synchronises with its domain master
	DiagTroublemaker1B                              // a host claiming WORKGROUP<1b> that should not
	DiagEnumRefused                                 // a NetServerEnum2 refused
)

var diagKindNames = [...]string{
	DiagMaskMismatch:       "mask_mismatch",
	DiagBroadcastForwarded: "broadcast_forwarded",
	DiagUDP138Blocked:      "udp138_blocked",
	DiagMultihomed:         "multihomed",
	DiagNBNSSpoofing:       "nbns_spoofing",
	DiagWINSUnreachable:    "wins_unreachable",
	DiagWINSSplit:          "wins_split",
	DiagNodeTypesMixed:     "node_types_mixed",
	DiagPNodeNoDMB:         "pnode_no_dmb",
	DiagWorkgroupTypo:      "workgroup_typo",
	DiagNoPotentialBrowser: "no_potential_browser",
	DiagOverenabledBrowser: "overenabled_browser",
	DiagPreferredMasters:   "preferred_masters",
	DiagProlificBindings:   "prolific_bindings",
	DiagNoDMB:              "no_dmb",
	DiagIsolatedWorkgroups: "isolated_workgroups",
	DiagLMBNeverSyncs:      "lmb_never_syncs",
	DiagTroublemaker1B:     "troublemaker_1b",
	DiagEnumRefused:        "enum_refused",
}

func (k DiagnosisKind) String() string { return enumName(diagKindNames[:], k, "DiagnosisKind") }

// MarshalText is String.
func (k DiagnosisKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// DiagnosisKinds lists every diagnosis kind, in the order of the constants.
func DiagnosisKinds() []DiagnosisKind {
	out := make([]DiagnosisKind, 0, len(diagKindNames)-1)
	for k := DiagMaskMismatch; int(k) < len(diagKindNames); k++ {
		out = append(out, k)
	}
	return out
}

// Confidence says how sure a diagnosis is.
type Confidence uint8

// Confidences.
const (
	ConfidenceLow    Confidence = iota + 1 // the wire fits the cause, and other causes too
	ConfidenceMedium                       // the wire shows the cause; a little more evidence would settle it
	ConfidenceHigh                         // the wire proves it
)

var confidenceNames = [...]string{
	ConfidenceLow:    "low",
	ConfidenceMedium: "medium",
	ConfidenceHigh:   "high",
}

func (c Confidence) String() string { return enumName(confidenceNames[:], c, "Confidence") }

// MarshalText is String.
func (c Confidence) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Diagnosis is one cause named from the wire: the data of a diagnosis
// event, and an entry of Snapshot.Diagnoses.
type Diagnosis struct {
	Time       time.Time // when it was made, or last strengthened
	Frame      int       // the latest evidence frame
	First      time.Time // when it was first made
	Kind       DiagnosisKind
	Segment    string
	Workgroup  string
	Hosts      []string // the hosts it is about, the ones to change first (a name, or an address when no name is known)
	Addr       netip.Addr
	Confidence Confidence
	Basis      string // why that confidence
	Text       string // what is wrong, in one line
	Fix        string // what to change
	Frames     []int  // evidence, in capture order (bounded)
	Updates    int    // how often it was strengthened after it was first made

	subject string // what it is about (dedup key, with kind, segment and workgroup)
}

func (*Diagnosis) eventData() {}

func (d *Diagnosis) clone() *Diagnosis {
	c := *d
	c.Hosts = slices.Clone(d.Hosts)
	c.Frames = slices.Clone(d.Frames)
	return &c
}

// Bounds and periods of the diagnoses.
const (
	maxDiagnoses   = 256 // diagnoses kept (further ones are a limit)
	maxDiagUpdates = 3   // re-emissions of one diagnosis
	maxDiagFrames  = 16  // evidence frames of one diagnosis
	maxDiagTable   = 256 // entries of each detector's table
	maxDiagList    = 16  // addresses or names kept per entry
	// diagEvery is how often the detectors decide, in capture time.
	diagEvery = 10 * time.Second
	// diagSlowEvery is how often the detectors that look at whole
	// workgroups across segments decide.
	diagSlowEvery = 5 * time.Minute
	// syncPeriod is how long a local master may go without synchronising
	// with its domain master ([MS-BRWS] §3.3.6: every 12 minutes on
	// Windows; Samba every 15), with some slack: the detectors that
	// depend on a synchronisation wait that long for evidence.
	syncPeriod = 20 * time.Minute
)

type diagKey struct {
	kind             DiagnosisKind
	seg, wg, subject string
}

// diagState is the diagnoses made and the detectors' tables.
type diagState struct {
	next, nextSlow time.Time
	due            time.Time    // the earlier of next and nextSlow
	list           []*Diagnosis // in the order they were first made
	byKey          map[diagKey]*Diagnosis
	lastFrame      int // the latest frame observed

	net   diagNet   // diag_network.go
	names diagNames // diag_names.go
	brw   diagBrowse
}

func newDiagState() diagState {
	return diagState{byKey: make(map[diagKey]*Diagnosis), net: newDiagNet(), names: newDiagNames(), brw: newDiagBrowse()}
}

// diagTick runs the detectors when their time has come (from Advance).
func (t *Tracker) diagTick(now time.Time) {
	if t.n == 0 {
		return
	}
	if t.dg.next.IsZero() {
		t.dg.next, t.dg.nextSlow = now.Add(diagEvery), now.Add(diagSlowEvery)
		t.dg.due = t.dg.next
		return
	}
	if now.Before(t.dg.due) { // (most observations)
		return
	}
	if !now.Before(t.dg.next) {
		t.dg.next = now.Add(diagEvery)
		t.diagCheck(now)
	}
	if !now.Before(t.dg.nextSlow) {
		t.dg.nextSlow = now.Add(diagSlowEvery)
		t.diagSlow(now)
	}
	t.dg.due = t.dg.next
	if t.dg.nextSlow.Before(t.dg.due) {
		t.dg.due = t.dg.nextSlow
	}
}

// diagCheck runs the detectors that decide on their own tables.
func (t *Tracker) diagCheck(now time.Time) {
	t.checkMasks(now)
	t.checkForwarded(now)
	t.checkDeaf(now)
	t.checkMultihomed(now)
	t.checkWINS(now)
	t.checkNodeTypes(now)
	t.checkSpoofing(now)
	t.checkTypos(now)
	t.checkNoBrowser(now)
	t.check1B(now)
}

// diagSlow runs the detectors that look at whole workgroups.
func (t *Tracker) diagSlow(now time.Time) {
	t.checkDomains(now)
	t.checkPNodes(now)
}

// diagFinish decides once more at the end of the capture.
func (t *Tracker) diagFinish(end time.Time) {
	if t.n == 0 {
		return
	}
	t.diagCheck(end)
	t.diagSlow(end)
}

// diagnose records d about subject, and emits it when it is new, or more
// certain, or about more hosts than before (at most maxDiagUpdates times).
// d comes by value: a detector that decides again (a flood of forwarded
// broadcasts, every 10 s) copies it into the one kept and allocates none.
func (t *Tracker) diagnose(v Diagnosis, subject string) {
	d := &v
	d.subject = subject
	d.Frames = boundFrames(d.Frames)
	if len(d.Frames) > 0 {
		d.Frame = d.Frames[len(d.Frames)-1]
	}
	k := diagKey{d.Kind, d.Segment, d.Workgroup, subject}
	old := t.dg.byKey[k]
	if old == nil {
		if len(t.dg.list) >= maxDiagnoses {
			t.limit("MaxDiagnoses", "diagnosis table full: ignored "+d.Kind.String()+" on "+d.Segment)
			return
		}
		d.First = d.Time
		kept := new(Diagnosis)
		*kept = *d
		t.dg.byKey[k] = kept
		t.dg.list = append(t.dg.list, kept)
		t.sendDiagnosis(kept)
		return
	}
	more := false
	for _, h := range d.Hosts {
		if !slices.Contains(old.Hosts, h) {
			more = true
		}
	}
	if d.Confidence < old.Confidence {
		d.Confidence, d.Basis = old.Confidence, old.Basis
	}
	if (d.Confidence > old.Confidence || more) && old.Updates < maxDiagUpdates {
		d.First, d.Updates = old.First, old.Updates+1
		*old = *d
		t.sendDiagnosis(old)
		return
	}
	// Nothing new enough to say again: the state keeps the latest
	// evidence and words (the report shows them), the event stream does
	// not repeat itself.
	d.Time, d.First, d.Updates = old.Time, old.First, old.Updates
	*old = *d
}

func (t *Tracker) sendDiagnosis(d *Diagnosis) {
	if t.emit == nil { // the copy only for a reader
		return
	}
	c := d.clone()
	host := ""
	if len(c.Hosts) > 0 {
		host = c.Hosts[0]
	}
	t.send(Event{Time: c.Time, Frame: c.Frame, Kind: KindDiagnosis, Segment: c.Segment, Workgroup: c.Workgroup, Host: host,
		Addr: c.Addr, Frames: c.Frames, Data: c})
}

// diagnoses returns copies of the diagnoses made, in the order they were
// first made.
func (t *Tracker) diagnoses() []*Diagnosis {
	out := make([]*Diagnosis, 0, len(t.dg.list))
	for _, d := range t.dg.list {
		out = append(out, d.clone())
	}
	return out
}

// ---- helpers of the detectors ----

// boundFrames sorts and deduplicates evidence frames and keeps at most
// maxDiagFrames: the first half and the latest ones.
func boundFrames(fs []int) []int {
	out := make([]int, 0, len(fs))
	for _, f := range fs {
		if f > 0 {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > maxDiagFrames {
		h := maxDiagFrames / 2
		out = append(out[:h], out[len(out)-(maxDiagFrames-h):]...)
	}
	return out
}

// addrList is a bounded list of distinct addresses with the first frame of
// each.
type addrList struct {
	addrs  []netip.Addr
	frames []int
	n      int    // distinct addresses seen (may exceed len(addrs))
	bits   uint64 // addrBit of every address in addrs
}

// add notes a, seen in frame, and reports whether it is new. An address
// whose bit is not set is not in the list: a flood of new senders (every
// frame a forwarded broadcast from a new host) skips the search.
func (l *addrList) add(a netip.Addr, frame int) bool {
	bit := addrBit(a)
	if l.bits&bit != 0 && slices.Contains(l.addrs, a) {
		return false
	}
	l.n++
	switch n := len(l.addrs); {
	case n == 1:
		// Room for one, then for all: most lists hold one address, and a
		// flood's fill up (not 1, 2, 4, 8 and 16 in five allocations).
		l.addrs = append(make([]netip.Addr, 0, maxDiagList), l.addrs[0], a)
		l.frames = append(make([]int, 0, maxDiagList), l.frames[0], frame)
	case n < maxDiagList:
		l.addrs = append(l.addrs, a)
		l.frames = append(l.frames, frame)
	default:
		return true
	}
	l.bits |= bit
	return true
}

// addrBit is one of 64 bits chosen by the address's bytes.
func addrBit(a netip.Addr) uint64 {
	b := a.As16()
	x := binary.LittleEndian.Uint64(b[:8]) ^ binary.LittleEndian.Uint64(b[8:])
	x ^= x >> 32
	x ^= x >> 16
	x ^= x >> 8
	return 1 << (x & 63)
}

// hostName is the NetBIOS name known for a, else a as text.
func (t *Tracker) hostName(a netip.Addr) string {
	if n := t.nameOf(a); n != "" {
		return n
	}
	return a.String()
}

// hostWithAddr is "PC7 (198.18.1.17)", or the address alone.
func (t *Tracker) hostWithAddr(a netip.Addr) string {
	if n := t.nameOf(a); n != "" {
		return n + " (" + a.String() + ")"
	}
	return a.String()
}

// names lists the hosts of addrs (names, else addresses), sorted.
func (t *Tracker) hostNames(addrs []netip.Addr) []string {
	if len(addrs) == 0 {
		return nil
	}
	out := make([]string, 0, len(addrs)) // one allocation, not five
	for _, a := range addrs {
		if n := t.hostName(a); !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// andList joins names as "A", "A and B", "A, B and C".
func andList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// subnetOf is the subnet whose directed broadcast address is b and which
// holds the hosts: the narrowest prefix that does (the hosts' addresses
// and b share it, and every host bit of b is set).
func subnetOf(b netip.Addr, hosts []netip.Addr) netip.Prefix {
	if !b.Is4() {
		return netip.Prefix{}
	}
	bk := v4key(b)
	k := 1
	for _, h := range hosts {
		if h.Is4() {
			k = max(k, bits.Len32(v4key(h)^bk))
		}
	}
	if len(hosts) == 0 && b.As4()[3] == 255 {
		k = 8
	}
	for k < 24 && bk&(uint32(1)<<k-1) != uint32(1)<<k-1 {
		k++
	}
	p, _ := b.Prefix(32 - k)
	return p
}

// netmask writes a prefix length as a dotted mask (24: 255.255.255.0).
func netmask(bits int) string {
	m := ^uint32(0) << (32 - bits)
	return netip.AddrFrom4([4]byte{byte(m >> 24), byte(m >> 16), byte(m >> 8), byte(m)}).String()
}

// scale is n to within a factor of two (its bit length): a detector
// whose count only grew within its scale has nothing new to say, so its
// words are built O(log n) times, not at every frame of evidence.
func scale(n int) int { return bits.Len(uint(n)) }

// plural is n and word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return itoa(n) + " " + word + "s"
}

// ordered is a detector's table: a map in the order its keys were added,
// bounded to maxDiagTable (the oldest entry goes first), so that the
// detectors decide in the same order on every replay. The entry last
// added (or found by add) is kept aside: a flood from one subnet notes
// its forwarded broadcasts under one key, frame after frame. The order
// holds the entries beside their keys: the detectors walk their tables
// every 10 s of capture time (each), without a lookup per entry.
type ordered[K comparable, V any] struct {
	m     map[K]*V
	order []orderedEntry[K, V]
	lastK K
	lastV *V // nil: none kept aside
}

// orderedEntry is an entry of an ordered table, in its order.
type orderedEntry[K comparable, V any] struct {
	k K
	v *V
}

func newOrdered[K comparable, V any]() ordered[K, V] { return ordered[K, V]{m: make(map[K]*V)} }

// get is the entry of k, or nil. What it finds is kept aside, as add's:
// a detector asks for the same entry again and again (a name server's,
// on every request sent to it).
func (o *ordered[K, V]) get(k K) *V {
	if o.lastV != nil && o.lastK == k {
		return o.lastV
	}
	v := o.m[k]
	if v != nil {
		o.lastK, o.lastV = k, v
	}
	return v
}

// add returns the entry of k, made (zero) if it is new.
func (o *ordered[K, V]) add(k K) *V {
	if o.lastV != nil && o.lastK == k {
		return o.lastV
	}
	if v := o.m[k]; v != nil {
		o.lastK, o.lastV = k, v
		return v
	}
	if len(o.order) >= maxDiagTable {
		o.forget(o.order[0].k)
		delete(o.m, o.order[0].k)
		o.order = o.order[1:]
	}
	v := new(V)
	o.m[k] = v
	o.order = append(o.order, orderedEntry[K, V]{k, v})
	o.lastK, o.lastV = k, v
	return v
}

// forget drops the entry kept aside if it is k's.
func (o *ordered[K, V]) forget(k K) {
	if o.lastV != nil && o.lastK == k {
		var zero K
		o.lastK, o.lastV = zero, nil
	}
}

func (o *ordered[K, V]) del(k K) {
	if _, ok := o.m[k]; !ok {
		return
	}
	o.forget(k)
	delete(o.m, k)
	if i := slices.IndexFunc(o.order, func(e orderedEntry[K, V]) bool { return e.k == k }); i >= 0 {
		o.order = slices.Delete(o.order, i, i+1)
	}
}

// each calls f for every entry in order; f may delete the entry it is
// given, and add none.
func (o *ordered[K, V]) each(f func(K, *V)) {
	for i := 0; i < len(o.order); {
		e := o.order[i]
		f(e.k, e.v)
		if i < len(o.order) && o.order[i].v == e.v {
			i++
		}
	}
}

// frameList keeps the first and the latest evidence frames (at most
// maxDiagFrames).
type frameList []int

func (l *frameList) add(f int) {
	s := *l
	if f <= 0 || (len(s) > 0 && s[len(s)-1] == f) {
		return
	}
	if len(s) == 1 { // room for one, then for all (as addrList)
		*l = append(make([]int, 0, maxDiagFrames), s[0], f)
		return
	}
	if len(s) < maxDiagFrames {
		*l = append(s, f)
		return
	}
	copy(s[maxDiagFrames/2:], s[maxDiagFrames/2+1:])
	s[len(s)-1] = f
}
