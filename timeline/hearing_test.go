package timeline

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

// to sends a constructed datagram or name request to dst instead, flagged
// a broadcast (an NBDGM group datagram, the NBNS B flag), as a /25 host
// sends to x.x.x.127.
func to[T Observation](o T, dst string) T {
	m := o.meta()
	m.Dst = ip(dst)
	m.DstGroup = true
	return o
}

func TestCanBroadcast(t *testing.T) {
	tests := []struct {
		src, dst string
		want     bool
	}{
		{"198.18.1.17", "198.18.1.127", true},   // /25 (mask25 capture: PC7)
		{"198.18.1.11", "198.18.1.255", true},   // /24
		{"198.18.1.200", "198.18.1.255", true},  // the upper /25 of the same /24
		{"198.18.1.200", "198.18.1.127", false}, // .127 is the lower /25's
		{"198.18.1.11", "198.18.2.255", false},  // another subnet's (relay capture: forwarded)
		{"172.31.112.16", "172.31.112.31", true},
		{"10.1.5.3", "10.1.255.255", true},      // /16
		{"198.18.1.254", "198.18.1.255", true},  // /24 (a /31 has no broadcast, a /30 holds both)
		{"198.18.1.17", "198.18.1.17", false},   // itself
		{"198.18.1.17", "198.18.1.19", true},    // /30: .16-.19
		{"10.0.0.1", "255.255.255.255", false},  // the limited broadcast is no subnet's
		{"10.0.0.1", "11.255.255.255", false},   // wider than /8
		{"198.18.1.17", "198.18.1.63", true},    // /26
		{"198.18.1.17", "198.18.1.31", true},    // /27
		{"198.18.1.17", "198.18.1.23", true},    // /29
		{"198.18.1.17", "198.18.1.126", false},  // not all host bits set
		{"198.18.1.130", "198.18.1.127", false}, // .130 is above .127
	}
	for _, tt := range tests {
		if got := canBroadcast(netip.MustParseAddr(tt.src), netip.MustParseAddr(tt.dst)); got != tt.want {
			t.Errorf("canBroadcast(%s, %s) = %v, want %v", tt.src, tt.dst, got, tt.want)
		}
	}
}

// A host with a /25 mask on a /24 wire: its broadcasts go to .127, which
// the others do not accept, and it does not accept their .255. Each side
// elects its own master; neither steps down (mask25 capture).
func TestHearingMaskMismatch(t *testing.T) {
	const pot = 0x00019a03 // potential browser
	evs, snap := run(DefaultConfig(), 200,
		hostAnn(1, 0, "11", "ALPHA", "LABWG", pot, time.Minute),
		hostAnn(2, 0.3, "12", "BRAVO", "LABWG", pot, time.Minute),
		to(hostAnn(3, 2, "17", "PC7", "LABWG", pot, time.Minute), "127"),
		elect(4, 7, "12", "BRAVO", "LABWG", 1, 0x14010f02, 6000),
		elect(5, 7.1, "11", "ALPHA", "LABWG", 1, 0x20010f02, 6000),
		to(elect(6, 9, "17", "PC7", "LABWG", 1, 0x21010f02, 6000), "127"),
		elect(7, 9.1, "11", "ALPHA", "LABWG", 1, 0x20010f02, 8000),
		to(elect(8, 11, "17", "PC7", "LABWG", 1, 0x21010f02, 8000), "127"),
		lma(9, 23, "11", "ALPHA", "LABWG"),
		to(lma(10, 25, "17", "PC7", "LABWG"), "127"),
		// BRAVO forces an election on the /24 side: ALPHA keeps the role,
		// PC7 hears none of it.
		elect(11, 68, "12", "BRAVO", "LABWG", 1, 0x14010f02, 68000),
		elect(12, 68.1, "11", "ALPHA", "LABWG", 1, 0x20010f07, 69000),
		elect(13, 70, "11", "ALPHA", "LABWG", 1, 0x20010f07, 71000),
		to(lma(14, 160, "17", "PC7", "LABWG"), "127"),
		lma(15, 162, "11", "ALPHA", "LABWG"),
	)
	if ends := roleEvents(evs, KindRoleEnd, RoleLMB); len(ends) != 0 {
		t.Errorf("an lmb role ended: %+v", ends)
	}
	begins := roleEvents(evs, KindRoleBegin, RoleLMB)
	if len(begins) != 2 || begins[0].Host != "ALPHA" || begins[1].Host != "PC7" {
		t.Fatalf("lmb begins = %+v", begins)
	}
	var g *Group
	for _, x := range snap.Groups {
		if x.Workgroup == "LABWG" {
			g = x
		}
	}
	if g == nil || strings.Join(g.LMB, ",") != "ALPHA,PC7" {
		t.Fatalf("masters at the end = %+v", g)
	}
	sb := anomalies(evs, AnomalySplitBrain)
	if len(sb) != 1 || sb[0].Frame != 10 || !strings.Contains(sb[0].Detail, "they cannot hear each other") ||
		!strings.Contains(sb[0].Detail, "PC7 (10.0.0.17) accepts 10.0.0.127, not 10.0.0.255") {
		t.Errorf("split_brain = %+v", sb)
	}
	// Two elections at once: the /24 side's and PC7's; ALPHA's win is
	// not flagged for PC7's better ballot, which it never heard.
	if f := anomalies(evs, AnomalyRiggedElection); len(f) != 0 {
		t.Errorf("rigged_election: %+v", f)
	}
	var ends []*ElectionEnd
	for _, e := range kinds(evs, KindElectionEnd) {
		ends = append(ends, data[*ElectionEnd](e))
	}
	if len(ends) != 3 || ends[0].Winner != "ALPHA" || ends[1].Winner != "PC7" || ends[2].Outcome != OutcomeKept {
		t.Fatalf("election ends = %+v", ends)
	}
	if want := "ALPHA beat BRAVO on criteria: OS level 32 > 20; PC7 (10.0.0.17) accepts 10.0.0.127, not 10.0.0.255: it did not hear this election"; ends[0].Why != want {
		t.Errorf("why 1 = %q, want %q", ends[0].Why, want)
	}
	if !strings.HasPrefix(ends[1].Why, "PC7 was the only candidate; ALPHA (10.0.0.11) accepts 10.0.0.255, not 10.0.0.127;") {
		t.Errorf("why 2 = %q", ends[1].Why)
	}
	if s := kinds(evs, KindElectionStart); len(s) != 3 || !strings.HasSuffix(s[2].Detail, "local master in office: ALPHA") {
		t.Errorf("the third election's master in office: %+v", s)
	}
	for _, d := range kinds(evs, KindElectionDropout) {
		if d.Host == "ALPHA" || d.Host == "PC7" {
			t.Errorf("%s dropped out of a ballot it cannot hear: %+v", d.Host, d)
		}
	}
}

// A master whose subnet broadcast address is not known (its address
// record was evicted under pressure) is taken to hear its segment's
// broadcasts: the text that takes it so says that this is uncertain.
func TestHearingUncertain(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxHosts = 3
	evs, _ := run(cfg, 0,
		hostAnn(1, 0, "11", "ALPHA", "LABWG", 0x00019a03, time.Minute),
		elect(2, 0.1, "11", "ALPHA", "LABWG", 1, 0x20010f02, 6000),
		lma(3, 8, "11", "ALPHA", "LABWG"),
		reg(4, 9, "13", 1, "CHARLIE", 0x00, false),
		reg(5, 10, "14", 2, "DELTA", 0x00, false),
		elect(6, 30, "12", "BRAVO", "LABWG", 1, 0x40010f02, 6000), // evicts ALPHA's address
		lma(7, 45, "12", "BRAVO", "LABWG"),
	)
	ends := roleEvents(evs, KindRoleEnd, RoleLMB)
	if len(ends) != 1 || ends[0].Reason != "heard BRAVO's better ballot (criteria: OS level 64 > 32); "+
		"that ALPHA heard 10.0.0.255 is uncertain: its subnet broadcast address is not known" {
		t.Errorf("lmb end = %+v", ends)
	}
	e := kinds(evs, KindElectionEnd)
	if len(e) != 2 || !strings.HasSuffix(data[*ElectionEnd](e[1]).Why,
		"; whether ALPHA heard it is uncertain: the subnet broadcast address is not known") {
		t.Errorf("election.end = %+v", e)
	}
}

// A directed broadcast from outside the subnet it addresses (a router
// forwarding UDP 138 broadcasts, relay capture): the browsers of that
// subnet hear it, but its sender holds no role there and does not drop
// out of an election whose answers it cannot hear.
func TestHearingForwarded(t *testing.T) {
	fwd := func(m *Meta) { m.Src = netip.MustParseAddr("10.0.1.11") }
	amaster := elect(3, 30, "1", "AMASTER", "LABWG", 1, 0x20010f02, 6000)
	fwd(&amaster.Meta)
	amaster2 := elect(5, 32, "1", "AMASTER", "LABWG", 1, 0x20010f02, 8000)
	fwd(&amaster2.Meta)
	alma := lma(7, 50, "1", "AMASTER", "LABWG")
	fwd(&alma.Meta)
	ahost := hostAnn(8, 51, "1", "AMASTER", "LABWG", 0x00019a03, time.Minute)
	fwd(&ahost.Meta)
	evs, snap := run(DefaultConfig(), 0,
		lma(1, 20, "11", "BMASTER", "LABWG"),
		elect(2, 21, "11", "BMASTER", "LABWG", 1, 0x40010f07, 21000),
		amaster,
		elect(4, 31, "11", "BMASTER", "LABWG", 1, 0x40010f07, 31000),
		amaster2,
		lma(6, 45, "11", "BMASTER", "LABWG"),
		alma,
		ahost,
	)
	for _, e := range kinds(evs, KindRoleBegin) {
		if e.Host == "AMASTER" {
			t.Errorf("forwarded AMASTER took a role here: %+v", e)
		}
	}
	if d := kinds(evs, KindElectionDropout); len(d) != 0 {
		t.Errorf("dropouts: %+v", d)
	}
	var g *Group
	for _, x := range snap.Groups {
		if x.Workgroup == "LABWG" {
			g = x
		}
	}
	if g == nil || strings.Join(g.LMB, ",") != "BMASTER" {
		t.Fatalf("group = %+v", g)
	}
	if len(g.Servers) != 2 {
		t.Errorf("the forwarded announcements are in the Browse List the browsers here keep: %+v", g.Servers)
	}
	e := g.Elections[len(g.Elections)-1]
	if e.Outcome != OutcomeKept || e.Winner != "BMASTER" ||
		e.Why != "BMASTER beat AMASTER on criteria: OS level 64 > 32; AMASTER (10.0.1.11) accepts 10.0.1.255, not 10.0.0.255: it did not hear this election" {
		t.Errorf("election = %+v", e)
	}
}

// A unique name registered by broadcast is taken over only from an owner
// that could have defended it: ALPHA cannot hear PC7's registration to
// .127, so both hold LABWG<1d> (mask25 capture, frames 94 and 96).
func TestHearingNameTakeover(t *testing.T) {
	_, snap := run(DefaultConfig(), 0,
		reg(1, 0, "11", 1, "LABWG", 0x1d, false),
		to(reg(2, 1, "17", 2, "LABWG", 0x1d, false), "127"),
		reg(3, 2, "12", 3, "LABWG", 0x1d, false),
	)
	var ns *NameState
	for _, n := range snap.Names {
		if n.Name == "LABWG" && n.Suffix == 0x1d {
			ns = n
		}
	}
	if ns == nil || len(ns.Owners) != 3 {
		t.Fatalf("LABWG<1d> = %+v", ns)
	}
	active := map[string]bool{}
	for _, o := range ns.Owners {
		active[o.Addr.String()] = o.Active
	}
	// BRAVO's registration to .255 takes it from ALPHA, not from PC7.
	if !active["10.0.0.17"] || active["10.0.0.11"] || !active["10.0.0.12"] {
		t.Errorf("active owners = %v", active)
	}
}

// The mask25 capture: ALPHA (/24) and PC7 (/25) are both local masters
// from their start until they stop (nmbd: neither ever steps down), two
// masters at once that cannot hear each other.
func TestHearingMask25Capture(t *testing.T) {
	obs := readObservations(t, labCapture(t, "mask25"), "mask25")
	evs, snap := replay(DefaultConfig(), obs)
	var lmb []string
	for _, e := range evs {
		if rc := data[*RoleChange](e); rc != nil && rc.Role == RoleLMB {
			lmb = append(lmb, e.Kind.String()+" "+e.Host+" "+itoa(e.Frame)+" "+e.Reason)
		}
	}
	want := []string{
		"role.begin ALPHA 103 LocalMasterAnnouncement",
		"role.begin PC7 109 LocalMasterAnnouncement",
		"role.end ALPHA 129 going away: LocalMasterAnnouncement with server type 0",
		"role.end PC7 132 going away: LocalMasterAnnouncement with server type 0",
	}
	if strings.Join(lmb, "\n") != strings.Join(want, "\n") {
		t.Errorf("lmb role events:\n%s\nwant:\n%s", strings.Join(lmb, "\n"), strings.Join(want, "\n"))
	}
	sb := anomalies(evs, AnomalySplitBrain)
	if len(sb) != 1 || !strings.Contains(sb[0].Detail, "they cannot hear each other (ALPHA (198.18.1.11) accepts 198.18.1.255, not 198.18.1.127; PC7 (198.18.1.17) accepts 198.18.1.127, not 198.18.1.255)") {
		t.Errorf("split_brain = %+v", sb)
	}
	for _, g := range snap.Groups {
		for _, e := range g.Elections {
			if e.Flagged {
				t.Errorf("election %d flagged: %s", e.ID, e.FlagDetail)
			}
		}
	}
	for _, n := range snap.Names {
		if n.Name != "LABWG" || n.Suffix != 0x1d {
			continue
		}
		for _, o := range n.Owners {
			if !o.Active {
				t.Errorf("LABWG<1d> of %s taken over although it never heard the other's registration", o.Addr)
			}
		}
	}
}

// One host with two addresses on one segment runs a browser on each: it
// is master on one and announces itself a potential browser from the
// other (multihomed capture, frames 137 and 143), which ends nothing.
func TestMultihomedMaster(t *testing.T) {
	evs, snap := run(DefaultConfig(), 0,
		hostAnn(1, 0, "21", "MULTI", "LABWG", 0x00019a03, time.Minute),
		hostAnn(2, 0.1, "22", "MULTI", "LABWG", 0x00019a03, time.Minute),
		lma(3, 20, "21", "MULTI", "LABWG"),
		hostAnn(4, 25, "22", "MULTI", "LABWG", 0x00019a03, time.Minute),
		hostAnn(5, 30, "21", "MULTI", "LABWG", 0x00019a03, time.Minute),
	)
	ends := roleEvents(evs, KindRoleEnd, RoleLMB)
	if len(ends) != 1 || ends[0].Frame != 5 {
		t.Errorf("lmb ends = %+v, want one at frame 5 (from the master's own address)", ends)
	}
	if len(snap.Groups) != 1 || len(snap.Groups[0].LMB) != 0 {
		t.Errorf("groups = %+v", snap.Groups)
	}
}

// A positive name query answer makes no segment of its own: a multihomed
// owner answering for itself lists every address it has (evilfingers
// xscan capture, frame 17: 192.168.88.1, 192.168.28.1, 192.168.1.120 from
// the last one), and an owner never seen broadcasting belongs to the
// subnet its wire's hosts broadcast on when that subnet can hold it (the
// ndpi netbios capture: 10.0.4.24 answers 10.0.4.165, whose /23 sends to
// 10.0.5.255).
func TestAnswerMakesNoPhantomSegment(t *testing.T) {
	answer := func(frame int, from, to string, addrs ...string) *NameEvent {
		n := &NameEvent{Meta: Meta{Time: at(float64(frame)), Frame: frame, Segment: "lan", Src: ip(from), Dst: ip(to)},
			Op: NameQuery, Response: true, Name: "HOST" + itoa(frame), Suffix: 0x20}
		for _, a := range addrs {
			n.Addrs = append(n.Addrs, ip(a))
		}
		return n
	}
	query := &NameEvent{Meta: Meta{Time: at(0), Frame: 1, Segment: "lan", Src: ip("10.0.4.165"), Dst: ip("10.0.5.255")},
		Op: NameQuery, Name: "GUNNAR", Bcast: true}
	_, snap := run(DefaultConfig(), 0,
		query,
		answer(2, "10.0.4.24", "10.0.4.165", "10.0.4.24"),
		answer(3, "192.168.1.120", "192.168.1.125", "192.168.88.1", "192.168.28.1", "192.168.1.120"),
	)
	want := map[string]string{"HOST2": "lan/10.0.5.255", "HOST3": "lan/192.168.1.255"}
	for _, n := range snap.Names {
		if w, ok := want[n.Name]; ok && n.Segment != w {
			t.Errorf("%s on %s, want %s", n.Name, n.Segment, w)
		}
		delete(want, n.Name)
	}
	if len(want) != 0 {
		t.Errorf("names missing: %v", want)
	}
}

// TestUnheardEachHostOnce: unheard names each host once, candidates
// first, then the holders of potential and lmb roles by name, a host
// holding both roles or also a candidate not again (it lists the holders
// with their intervals and tells repeats by their neighbour and the
// candidates, without a set of the names seen).
func TestUnheardEachHostOnce(t *testing.T) {
	tr := New(DefaultConfig(), nil)
	a := func(s string) netip.Addr { return netip.MustParseAddr(s) }
	ri := func(host, addr string, role Role) *RoleInterval {
		return &RoleInterval{Host: host, Addr: a(addr), Role: role}
	}
	g := &group{open: map[roleKey]*RoleInterval{
		{RolePotential, "CAND1"}: ri("CAND1", "10.0.0.1", RolePotential),
		{RolePotential, "HOSTB"}: ri("HOSTB", "10.0.0.3", RolePotential),
		{RoleLMB, "HOSTB"}:       ri("HOSTB", "10.0.0.3", RoleLMB),
		{RoleBackup, "HOSTC"}:    ri("HOSTC", "10.0.0.4", RoleBackup),
		{RolePotential, "HOSTA"}: ri("HOSTA", "10.0.0.2", RolePotential),
	}}
	run := &electionRun{e: &ElectionRecord{Candidates: []*Candidate{{Host: "CAND1", Addr: a("10.0.0.1")}, {Host: "CAND2", Addr: a("10.0.0.9")}}},
		aud: a("10.0.0.255")}
	want := "; whether CAND1, CAND2, HOSTA, HOSTB heard it is uncertain: the subnet broadcast address is not known"
	if got := tr.unheard(g, run); got != want {
		t.Errorf("unheard = %q, want %q", got, want)
	}
}
