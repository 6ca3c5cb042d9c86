package timeline

import (
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Causes among the browsers (Hertel, Implementing CIFS, the Browse
// Service, 3.7 "It Can't Happen Here"; [MS-BRWS] §3.3): a workgroup name
// typed wrong, no browser at all, a browser that wins what it should not,
// two preferred masters, no domain master browser for a workgroup that
// spans segments, workgroups that never learn of each other, a local
// master that never synchronises, a NetServerEnum2 refused. Prolific
// bindings (the same host's browser frames over NBT and NetBEUI or IPX,
// elections run once per transport) are diagnosed where the
// multi_transport anomaly is raised (bindings.go).

type diagBrowse struct {
	newGroups []*group // made since the last check (workgroup_typo)
	idx       typoIndex
	typos     ordered[typoKey, typoPair]
	preferred ordered[typoKey, prefPair]
	noBrowser ordered[groupKey, backupAsk]
	dmbs      ordered[string, struct{}] // workgroups that had a domain master browser
}

func newDiagBrowse() diagBrowse {
	return diagBrowse{typos: newOrdered[typoKey, typoPair](), preferred: newOrdered[typoKey, prefPair](),
		noBrowser: newOrdered[groupKey, backupAsk](), dmbs: newOrdered[string, struct{}](), idx: newTypoIndex()}
}

// ---- workgroup_typo ----

// typoKey is two workgroups (or hosts) of one segment.
type typoKey struct{ seg, a, b string }

type typoPair struct {
	dist int
	how  string
	said [2]int // the sizes when it was last diagnosed
	// ga and gb are the groups of the key's a and b last found (the
	// check runs every 10 s of capture time: a group kept is not looked
	// up by two strings again until it is evicted).
	ga, gb *group
}

// liveGroup is g if it is still kept, else the group of (seg, wg), or nil.
func (t *Tracker) liveGroup(g *group, seg, wg string) *group {
	if g != nil && !g.gone {
		return g
	}
	return t.findGroup(seg, wg)
}

// noteGroup records a group just made (tables.go).
func (t *Tracker) noteGroup(g *group) {
	if g.wg == "" || g.wg == "?" || len(t.dg.brw.newGroups) >= maxDiagTable {
		return
	}
	t.dg.brw.newGroups = append(t.dg.brw.newGroups, g)
}

// checkTypos compares each new workgroup with the others of its segment
// (those the index says may be a near-miss of it: typos.go), and diagnoses a small workgroup whose name is a near-miss of a bigger
// one's (typo capture: ACCT7 and ACCT8 in WROKGROUP beside WORKGROUP).
func (t *Tracker) checkTypos(now time.Time) {
	for _, g := range t.dg.brw.newGroups {
		if g.gone {
			continue
		}
		for _, o := range t.dg.brw.idx.candidates(g, t.segGroups[g.seg]) {
			if o == g {
				continue
			}
			if d, how := nearMiss(g.wg, o.wg); d > 0 {
				a, b := min(g.wg, o.wg), max(g.wg, o.wg)
				*t.dg.brw.typos.add(typoKey{g.seg, a, b}) = typoPair{dist: d, how: how}
			}
		}
	}
	t.dg.brw.newGroups = t.dg.brw.newGroups[:0]
	t.dg.brw.typos.each(func(k typoKey, p *typoPair) {
		ga, gb := t.liveGroup(p.ga, k.seg, k.a), t.liveGroup(p.gb, k.seg, k.b)
		p.ga, p.gb = ga, gb
		if ga == nil || gb == nil {
			t.dg.brw.typos.del(k)
			return
		}
		small, big := ga, gb
		if small.browse.len() > big.browse.len() {
			small, big = gb, ga
		}
		ns, nb := small.browse.len(), big.browse.len()
		if ns == 0 || ns > 2 || nb <= ns || p.said == [2]int{ns, nb} {
			return
		}
		p.said = [2]int{ns, nb}
		hosts := make([]string, 0, ns)
		var fs []int
		var addr netip.Addr
		for _, e := range small.browse.sorted() {
			hosts = append(hosts, e.Name)
			fs = append(fs, e.FirstFrame)
			if !addr.IsValid() {
				addr = e.Addr
			}
		}
		for _, e := range big.browse.sorted() {
			fs = append(fs, e.FirstFrame)
		}
		conf := ConfidenceMedium
		if p.dist == 1 && nb >= 3 {
			conf = ConfidenceHigh
		}
		t.diagnose(Diagnosis{Time: now, Kind: DiagWorkgroupTypo, Segment: k.seg, Workgroup: small.wg, Hosts: hosts, Addr: addr,
			Confidence: conf,
			Basis:      small.wg + " and " + big.wg + " differ by " + p.how + "; " + plural(ns, "host") + " announce in " + small.wg + ", " + itoa(nb) + " in " + big.wg,
			Text: andList(hosts) + " announce themselves in " + small.wg + ", a near-miss of " + big.wg + " (" + p.how + "), the workgroup of " +
				itoa(nb) + " hosts of " + k.seg + ": they form a workgroup of their own and are missing from " + big.wg + "'s browse list",
			Fix:    "set the workgroup of " + andList(hosts) + " to " + big.wg + " (Samba `workgroup = " + big.wg + "`): they have " + small.wg + ", a near-miss of " + big.wg,
			Frames: fs}, small.wg)
	})
}

// nearMiss says whether two workgroup names are a near-miss of each other
// (edit distance 1, or 2 for names of 8 letters or more, transpositions
// counting one; never names that differ in digits only, as LAB1 and LAB2
// do on purpose) and how they differ.
func nearMiss(a, b string) (int, string) {
	if a == b || len(a) < 5 || len(b) < 5 {
		return 0, ""
	}
	d := osaDistance(a, b, 2)
	if d == 0 || d > 2 || (d == 2 && min(len(a), len(b)) < 8) {
		return 0, ""
	}
	if onlyDigitsDiffer(a, b) {
		return 0, ""
	}
	if len(a) == len(b) {
		for i := 0; i+1 < len(a); i++ {
			if a[i] != b[i] {
				if a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] {
					return 1, "two letters swapped"
				}
				break
			}
		}
	}
	switch {
	case d == 2:
		return d, "two letters"
	case len(a) != len(b):
		return d, "one letter more or less"
	}
	return d, "one letter"
}

// osaDistance is the optimal string alignment distance (Levenshtein with
// adjacent transpositions), or limit+1 once it exceeds limit.
func osaDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// onlyDigitsDiffer reports names equal once their digits are taken out.
func onlyDigitsDiffer(a, b string) bool {
	strip := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return -1
			}
			return r
		}, s)
	}
	return strip(a) == strip(b)
}

// ---- preferred_masters ----

// prefPair is the elections between two preferred masters at one OS level.
type prefPair struct {
	elections int
	first     string // the host that started the first of them
	frames    frameList
}

// rolePreferred is the criteria role bit of a preferred master ([MS-BRWS]
// §2.2.3 0x08).
const rolePreferred = 0x08

// notePreferred looks at an election won or kept: two candidates (or a
// candidate and the master in office) that are both preferred masters at
// the same OS level (twopreferred capture: ALPHA and BRAVO, 0x41010f0a,
// only the uptime deciding).
func (t *Tracker) notePreferred(g *group, run *electionRun) {
	type pb struct {
		host  string
		b     Ballot
		frame int
	}
	var prefs []pb
	for _, c := range run.e.Candidates {
		if !c.Ballot.Forced() && c.Ballot.RoleBits()&rolePreferred != 0 {
			prefs = append(prefs, pb{c.Host, c.Ballot, c.LastFrame})
		}
	}
	for _, h := range strings.Split(run.e.Incumbent, ",") {
		if hr := t.findHost(g.seg, h); h != "" && run.candidate(h) == nil && hr != nil && hr.hasBallot && hr.ballot.RoleBits()&rolePreferred != 0 {
			prefs = append(prefs, pb{h, hr.ballot, hr.ballotFrame})
		}
	}
	for i := 0; i < len(prefs); i++ {
		for j := i + 1; j < len(prefs); j++ {
			a, b := prefs[i], prefs[j]
			if a.host == b.host || a.b.OSLevel() != b.b.OSLevel() || a.b.Version != b.b.Version {
				continue
			}
			k := typoKey{g.seg + "\x00" + g.wg, min(a.host, b.host), max(a.host, b.host)}
			p := t.dg.brw.preferred.add(k)
			if p.elections == 0 {
				p.first = run.e.StartedBy
			}
			p.elections++
			p.frames.add(a.frame)
			p.frames.add(b.frame)
			t.diagPreferred(g, k, p, a.b, run.e.End)
		}
	}
}

func (t *Tracker) diagPreferred(g *group, k typoKey, p *prefPair, b Ballot, at time.Time) {
	off, keep := k.b, k.a
	if p.first == k.a {
		off, keep = k.a, k.b
	}
	conf := ConfidenceMedium
	if p.elections >= 2 {
		conf = ConfidenceHigh
	}
	t.diagnose(Diagnosis{Time: at, Kind: DiagPreferredMasters, Segment: g.seg, Workgroup: g.wg, Hosts: []string{off, keep},
		Addr: t.addrOf(g.seg, off), Confidence: conf,
		Basis: plural(p.elections, "election") + " in which both stood as preferred masters at OS level " + itoa(int(b.OSLevel())),
		Text: off + " and " + keep + " are both preferred masters of " + g.wg + " at OS level " + itoa(int(b.OSLevel())) +
			": each forces an election when it starts, and the longer uptime wins, so every restart of either hands the local master role to the other",
		Fix: "set `preferred master = no` on " + off + " (or " + keep + "): keep one preferred master per workgroup and segment " +
			"(Windows: IsDomainMaster = False in the Browser parameters)",
		Frames: []int(p.frames)}, k.a+","+k.b)
}

// ---- overenabled_browser ----

// noteOverenabled looks at a host that became local master of the subnet
// of its workgroup's domain master browser (roles.go, checkDMBDisplaced),
// with both ballots known: won on OS level, or on the preferred master
// bit, it is a browser enabled beyond what it should be (os255 capture:
// BIGOS, os level 255, over DMB at 65).
func (t *Tracker) noteOverenabled(g *group, host string, addr netip.Addr, hb Ballot, loser string, lb Ballot, at time.Time, fs []int) {
	var how, fix, basis string
	switch {
	case hb.OSLevel() > lb.OSLevel():
		how = "on OS level (" + itoa(int(hb.OSLevel())) + " > " + itoa(int(lb.OSLevel())) + ")"
		lower := 20
		if int(lb.OSLevel()) <= lower {
			lower = int(lb.OSLevel()) / 2
		}
		fix = "set " + host + "'s `os level` below " + loser + "'s " + itoa(int(lb.OSLevel())) + " (e.g. `os level = " + itoa(lower) +
			"`), or `local master = no` on " + host + ": the domain master browser should also be the local master of its own subnet"
		basis = host + "'s ballot beat " + loser + "'s on OS level alone"
	case hb.OSLevel() == lb.OSLevel() && hb.RoleBits()&rolePreferred != 0 && lb.RoleBits()&rolePreferred == 0:
		how = "as preferred master"
		fix = "set `preferred master = no` on " + host + " (or make " + loser + " the preferred master): the domain master browser should " +
			"also be the local master of its own subnet"
		basis = host + "'s ballot beat " + loser + "'s on the preferred master bit"
	default:
		return
	}
	t.diagnose(Diagnosis{Time: at, Kind: DiagOverenabledBrowser, Segment: g.seg, Workgroup: g.wg, Hosts: []string{host}, Addr: addr,
		Confidence: ConfidenceHigh, Basis: basis,
		Text: host + " won the local master role of " + g.wg + " on " + g.seg + " " + how + " against " + loser +
			", the domain master browser: the DMB no longer masters its own subnet, and " + host + " wins every election there",
		Fix: fix, Frames: fs}, host)
}

// ---- no_potential_browser ----

// backupAsk is the GetBackupListRequests for one workgroup of a segment.
type backupAsk struct {
	clients     addrList
	n           int
	answered    bool
	first, last time.Time
	frames      frameList
	said        [2]int // the evidence when it was last diagnosed
	g           *group // its group last found (typoPair.ga)
}

func (t *Tracker) noteBackupAsk(seg, wg string, m *Meta) {
	if wg == "" {
		return
	}
	r := t.dg.brw.noBrowser.add(groupKey{seg, wg})
	if r.n == 0 {
		r.first = m.Time
	}
	r.n++
	r.last = m.Time
	r.clients.add(m.Src, m.Frame)
	r.frames.add(m.Frame)
}

func (t *Tracker) noteBackupAnswer(seg, wg string) {
	if r := t.dg.brw.noBrowser.get(groupKey{seg, wg}); r != nil {
		r.answered = true
	}
}

// checkNoBrowser diagnoses a workgroup whose clients ask for backup
// browsers again and again, unanswered, on a segment where no host of it
// ever announced itself a browser or held an election: the browser
// service is disabled everywhere, and Network Neighborhood stays empty.
func (t *Tracker) checkNoBrowser(now time.Time) {
	t.dg.brw.noBrowser.each(func(k groupKey, r *backupAsk) {
		if r.answered || r.n < 3 || r.last.Before(r.first.Add(30*time.Second)) || r.said == [2]int{scale(r.n), r.clients.n} {
			return
		}
		g := t.liveGroup(r.g, k.seg, k.wg)
		r.g = g
		if g != nil && (len(g.open) > 0 || len(g.history) > 0 || len(g.elections) > 0 || len(g.runs) > 0) {
			return
		}
		r.said = [2]int{scale(r.n), r.clients.n}
		clients := t.hostNames(r.clients.addrs)
		t.diagnose(Diagnosis{Time: now, Kind: DiagNoPotentialBrowser, Segment: k.seg, Workgroup: k.wg, Hosts: clients,
			Addr: r.clients.addrs[0], Confidence: ConfidenceMedium,
			Basis: plural(r.n, "GetBackupListRequest") + " in " + fmtDur(r.last.Sub(r.first).Round(time.Second)) + ", none answered; no ballot, no master, no potential browser",
			Text: "nobody serves " + k.wg + " on " + k.seg + ": " + andList(clients) + " asked for backup browsers " + plural(r.n, "time") +
				" unanswered, and no host announced itself a browser or held an election: the browser service is off on every host",
			Fix: "enable the browser service on at least one host of " + k.wg + " on this segment, preferably a server that is always on " +
				"(Windows: the Computer Browser service, MaintainServerList = Yes; Samba: `local master = yes` with an `os level` above 0)",
			Frames: []int(r.frames)}, k.wg)
	})
}

// ---- no_dmb, lmb_never_syncs, isolated_workgroups ----

// checkDomains looks at each workgroup across segments, once a
// synchronisation period of evidence is there: a workgroup with local
// masters on several segments and no domain master browser (their lists
// never merge); a local master that never synchronised with its domain
// master browser; segments whose workgroup lists never learn of each
// other's workgroups.
func (t *Tracker) checkDomains(now time.Time) {
	type lmb struct {
		ri  *RoleInterval
		seg string
	}
	lmbs := map[string][]lmb{}
	dmbs := map[string][]lmb{}
	var wgs []string
	for _, g := range t.groupsInOrder() {
		var hs [4]*RoleInterval
		for _, ri := range g.appendHolders(hs[:0], RoleLMB) {
			if now.Sub(ri.Begin) >= syncPeriod {
				if _, ok := lmbs[g.wg]; !ok {
					wgs = append(wgs, g.wg)
				}
				lmbs[g.wg] = append(lmbs[g.wg], lmb{ri, g.seg})
			}
		}
		for _, ri := range g.appendHolders(hs[:0], RoleDMB) {
			dmbs[g.wg] = append(dmbs[g.wg], lmb{ri, g.seg})
		}
	}
	linked := map[string]bool{}
	for _, l := range t.links {
		if now.Sub(l.Last) <= syncPeriod {
			linked[l.Workgroup+"\x00"+l.LMB+"\x00"+l.LMBSegment] = true
		}
	}
	for _, wg := range wgs {
		ls := lmbs[wg]
		var segs []string
		for _, l := range ls {
			if !slices.Contains(segs, l.seg) {
				segs = append(segs, l.seg)
			}
		}
		if len(dmbs[wg]) == 0 && !t.dmbKnown(wg) {
			if len(segs) < 2 {
				continue
			}
			var hosts []string
			var fs []int
			for _, l := range ls {
				hosts = append(hosts, l.ri.Host)
				fs = append(fs, l.ri.BeginFrame, lastFrame(l.ri.Frames))
			}
			t.diagnose(Diagnosis{Time: now, Kind: DiagNoDMB, Workgroup: wg, Hosts: hosts, Addr: ls[0].ri.Addr, Confidence: ConfidenceMedium,
				Basis: "local masters on " + itoa(len(segs)) + " segments for more than " + fmtDur(syncPeriod) + ", and no " + displayName(wg, 0x1b) + ", no domain master",
				Text: wg + " spans " + andList(segs) + " (local masters " + andList(hosts) + ") and has no domain master browser: " +
					"each segment's browse list stays its own, and hosts on one do not see those on the other",
				Fix: "make one host the domain master browser of " + wg + " (Samba `domain master = yes` on the PDC or one always-on server; " +
					"Windows: the PDC), with a WINS server all segments use, so that the local masters exchange their lists",
				Frames: fs}, wg)
			continue
		}
		for _, l := range ls {
			if linked[wg+"\x00"+l.ri.Host+"\x00"+l.seg] {
				continue
			}
			var dmb *lmb
			for i := range dmbs[wg] {
				if d := &dmbs[wg][i]; d.seg != l.seg && d.ri.Host != l.ri.Host {
					dmb = d
				}
			}
			if dmb == nil || now.Sub(dmb.ri.Begin) < syncPeriod {
				continue
			}
			t.diagnose(Diagnosis{Time: now, Kind: DiagLMBNeverSyncs, Segment: l.seg, Workgroup: wg, Hosts: []string{l.ri.Host, dmb.ri.Host},
				Addr: l.ri.Addr, Confidence: ConfidenceMedium,
				Basis: "no MasterAnnouncement and no NetServerEnum2 between " + l.ri.Host + " and " + dmb.ri.Host + " for more than " + fmtDur(syncPeriod),
				Text: l.ri.Host + ", local master of " + wg + " on " + l.seg + ", never synchronised with the domain master browser " + dmb.ri.Host +
					" (" + dmb.seg + "): the lists across segments go stale, and " + l.seg + "'s hosts vanish from the others",
				Fix: "let " + l.ri.Host + " reach " + dmb.ri.Host + ": it must resolve " + displayName(wg, 0x1b) + " (a WINS server both use, " +
					"or Samba `remote browse sync`) and reach it on UDP 138 and TCP 139",
				Frames: []int{l.ri.BeginFrame, dmb.ri.BeginFrame}}, l.ri.Host)
		}
	}
	t.checkIsolated(now)
}

// checkIsolated diagnoses segments whose workgroup lists never learn of
// the workgroups announced on the others, for a synchronisation period.
func (t *Tracker) checkIsolated(now time.Time) {
	// Counted first: most ticks have fewer than two such segments, and
	// the rest at most 64, which fit in an array on the stack.
	n := 0
	for _, s := range t.segs {
		if len(s.domains) > 0 {
			n++
		}
	}
	if n < 2 || n > 64 {
		return
	}
	var buf [64]string
	segs := buf[:0]
	for k, s := range t.segs {
		if len(s.domains) > 0 {
			segs = append(segs, k)
		}
	}
	slices.Sort(segs)
	own := func(s *segState) []string {
		var out []string
		for _, d := range sortedServers(s.domains) {
			if now.Sub(d.FirstSeen) >= syncPeriod {
				out = append(out, d.Name)
			}
		}
		return out
	}
	for i, a := range segs {
		for _, b := range segs[i+1:] {
			sa, sb := t.segs[a], t.segs[b]
			wa, wb := own(sa), own(sb)
			if len(wa) == 0 || len(wb) == 0 {
				continue
			}
			disjoint := true
			for _, w := range wa {
				if sb.domains[w] != nil {
					disjoint = false
				}
			}
			for _, w := range wb {
				if sa.domains[w] != nil {
					disjoint = false
				}
			}
			if !disjoint {
				continue
			}
			var fs []int
			var hosts []string
			for _, d := range sortedServers(sa.domains) {
				fs = append(fs, d.FirstFrame)
				hosts = append(hosts, d.Comment)
			}
			for _, d := range sortedServers(sb.domains) {
				fs = append(fs, d.FirstFrame)
				hosts = append(hosts, d.Comment)
			}
			slices.Sort(hosts)
			hosts = slices.Compact(hosts)
			t.diagnose(Diagnosis{Time: now, Kind: DiagIsolatedWorkgroups, Segment: a + " " + b, Hosts: hosts, Confidence: ConfidenceLow,
				Basis: "neither segment's workgroup list has the other's workgroups after " + fmtDur(syncPeriod),
				Text: "the workgroups of " + a + " (" + strings.Join(wa, ", ") + ") and of " + b + " (" + strings.Join(wb, ", ") +
					") never learn of each other: no domain master browser or WINS server links the segments' masters",
				Fix:    "give the workgroups a domain master browser and a WINS server both segments use, so that the masters exchange their workgroup lists",
				Frames: fs}, a+" "+b)
		}
	}
}

// ---- enum_refused ----

// statusAccessDenied and statusNoBrowsers are the NetServerEnum2 statuses
// a refused or failed enumeration carries (Win32 error codes: 5
// ERROR_ACCESS_DENIED, 6118 ERROR_NO_BROWSER_SERVERS_FOUND).
const (
	statusAccessDenied = 5
	statusNoBrowsers   = 6118
)

// noteEnumStatus diagnoses a NetServerEnum2 answered with an error.
func (t *Tracker) noteEnumStatus(seg, wg, server string, snap *ServerListSnapshot) {
	if snap.Status == 0 || snap.Status == statusMoreData {
		return
	}
	client := t.hostName(snap.Client)
	var what, fix string
	conf := ConfidenceMedium
	switch snap.Status {
	case statusAccessDenied:
		conf = ConfidenceHigh
		what = "access denied (status 5)"
		fix = "let " + client + " list " + server + "'s browse list: allow anonymous (null session) access to IPC$ on " + server +
			" (Samba `restrict anonymous = 0`; Windows RestrictAnonymous = 0), or have " + client + " authenticate with an account " + server + " accepts"
	case statusNoBrowsers:
		what = "no browser servers found (status 6118)"
		fix = "make sure " + wg + " has a working local master browser on " + seg + ": " + server + " has no list to give"
	default:
		what = "status " + itoa(int(snap.Status))
		fix = "see why " + server + " refuses NetServerEnum2 (status " + itoa(int(snap.Status)) + ", a Win32 error code) to " + client
	}
	t.diagnose(Diagnosis{Time: snap.Time, Kind: DiagEnumRefused, Segment: seg, Workgroup: wg, Hosts: []string{server, client},
		Addr: snap.ServerAddr, Confidence: conf, Basis: server + " answered " + client + "'s NetServerEnum2 with " + what,
		Text: server + " refused " + client + "'s NetServerEnum2: " + what + "; " + client + " gets no browse list from it",
		Fix:  fix, Frames: []int{snap.Frame}}, server+" "+client)
}
