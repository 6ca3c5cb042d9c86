package timeline

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

// The detectors that no lab scenario shows, on constructed sequences, and
// the near-misses each must not diagnose.

// diags returns the diagnoses of a run, kinds only (in the order made).
func diagKinds(s *Snapshot) []string {
	var out []string
	for _, d := range s.Diagnoses {
		out = append(out, d.Kind.String()+" "+strings.Join(d.Hosts, ","))
	}
	return out
}

func wantDiag(t *testing.T, s *Snapshot, want ...string) {
	t.Helper()
	got := diagKinds(s)
	if !slices.Equal(got, want) {
		t.Errorf("diagnoses %q, want %q", got, want)
		for _, d := range s.Diagnoses {
			t.Logf("  %s: %s | fix: %s | %s", d.Kind, d.Text, d.Fix, d.Basis)
		}
	}
}

// ureg is a unicast registration to a name server.
func ureg(frame int, sec float64, src, server string, id uint16, name string, suffix byte, group bool, ont uint8) *NameEvent {
	return &NameEvent{Meta: Meta{Time: at(sec), Frame: frame, Segment: "lan", Src: ip(src), Dst: ip(server)},
		Op: NameRegistration, Name: name, Suffix: suffix, Group: group, Addrs: []netip.Addr{ip(src)}, ID: id, NodeType: ont}
}

// uresp is a name server's positive registration response.
func uresp(frame int, sec float64, server, dst string, id uint16, name string, suffix byte) *NameEvent {
	return &NameEvent{Meta: Meta{Time: at(sec), Frame: frame, Segment: "lan", Src: ip(server), Dst: ip(dst)},
		Op: NameRegistration, Response: true, Name: name, Suffix: suffix, Addrs: []netip.Addr{ip(dst)}, ID: id, TTL: 300}
}

func TestDiagWINSSplit(t *testing.T) {
	var obs []Observation
	for i, c := range []struct{ host, name, server string }{{"21", "A1", "5"}, {"22", "A2", "5"}, {"23", "B1", "6"}} {
		f := 10 * i
		obs = append(obs, ureg(f+1, float64(i), c.host, c.server, uint16(i), c.name, 0x00, false, 3),
			uresp(f+2, float64(i)+0.01, c.server, c.host, uint16(i), c.name, 0x00))
	}
	_, s := run(DefaultConfig(), 30, obs...)
	wantDiag(t, s, "wins_split 10.0.0.5,10.0.0.6")
	// A host registering with both: a primary and a secondary, no split.
	obs = append(obs, ureg(40, 5, "21", "6", 9, "A1", 0x20, false, 3), uresp(41, 5.01, "6", "21", 9, "A1", 0x20))
	_, s = run(DefaultConfig(), 30, obs...)
	wantDiag(t, s)
}

func TestDiagNodeTypes(t *testing.T) {
	b := reg(1, 0, "21", 1, "BNODE", 0x00, false)
	p := ureg(2, 1, "22", "5", 2, "PNODE", 0x00, false, 1)
	_, s := run(DefaultConfig(), 20, b, p, uresp(3, 1.01, "5", "22", 2, "PNODE", 0x00))
	wantDiag(t, s, "node_types_mixed PNODE,BNODE")
	// H nodes (Samba, Windows with WINS) beside B nodes: nothing.
	h := ureg(2, 1, "22", "5", 2, "HNODE", 0x00, false, 3)
	_, s = run(DefaultConfig(), 20, b, h, uresp(3, 1.01, "5", "22", 2, "HNODE", 0x00))
	wantDiag(t, s)
}

func TestDiagPNodeNoDMB(t *testing.T) {
	p := ureg(1, 0, "22", "5", 2, "OFFICE", 0x00, true, 1)
	ok := uresp(2, 0.01, "5", "22", 2, "OFFICE", 0x00)
	_, s := run(DefaultConfig(), 180, p, ok)
	wantDiag(t, s, "pnode_no_dmb 10.0.0.22")
	// A domain master browser registered: nothing.
	_, s = run(DefaultConfig(), 180, p, ok, ureg(3, 1, "11", "5", 3, "OFFICE", 0x1b, false, 3), uresp(4, 1.01, "5", "11", 3, "OFFICE", 0x1b))
	wantDiag(t, s)
}

func TestDiagNoPotentialBrowser(t *testing.T) {
	ask := func(f int, sec float64) *BackupListRequest {
		return &BackupListRequest{Meta: dgram(f, sec, "99", bcast, "CLIENT", "OFFICE", 0x1d), Count: 4, Token: uint32(f)}
	}
	_, s := run(DefaultConfig(), 60, ask(1, 0), ask(2, 20), ask(3, 40))
	wantDiag(t, s, "no_potential_browser CLIENT")
	// Two asks, or a master: nothing.
	_, s = run(DefaultConfig(), 60, ask(1, 0), ask(3, 40))
	wantDiag(t, s)
	_, s = run(DefaultConfig(), 60, lma(1, 0, "11", "SRV", "OFFICE"), ask(2, 1), ask(3, 20), ask(4, 40))
	wantDiag(t, s)
}

// Two segments (10.0.0.0/24 and 10.0.1.0/24, one capture label), each
// with a local master of OFFICE for 25 minutes.
func twoSegments(extra ...Observation) []Observation {
	var obs []Observation
	for i := 0; i <= 2; i++ {
		sec := float64(i) * 720
		obs = append(obs, lma(10*i+1, sec, "11", "LMBA", "OFFICE"))
		b := lma(10*i+2, sec+1, "10.0.1.11", "LMBB", "OFFICE")
		b.Dst = ip("10.0.1.255")
		obs = append(obs, b)
	}
	return append(obs, extra...)
}

func TestDiagNoDMB(t *testing.T) {
	_, s := run(DefaultConfig(), 1500, twoSegments()...)
	wantDiag(t, s, "no_dmb LMBA,LMBB")
	// Within the synchronisation period: not yet.
	_, s = run(DefaultConfig(), 900, twoSegments()[:4]...)
	wantDiag(t, s)
}

func TestDiagLMBNeverSyncs(t *testing.T) {
	// LMBA is also the domain master (its announcements carry
	// SV_TYPE_DOMAIN_MASTER); LMBB never synchronises with it.
	obs := twoSegments()
	for _, o := range obs {
		if a := o.(*Announcement); a.Server == "LMBA" {
			a.ServerType |= svDomainMaster
		}
	}
	_, s := run(DefaultConfig(), 1500, obs...)
	wantDiag(t, s, "lmb_never_syncs LMBB,LMBA")
	// A MasterAnnouncement within the period: synchronised.
	ma := &MasterAnnouncement{Meta: Meta{Time: at(600), Frame: 99, Segment: "lan", Src: ip("10.0.1.11"), Dst: ip("11"),
		SrcName: "LMBB", DstName: "LMBA", DstSuffix: 0x00}, Master: "LMBB"}
	_, s = run(DefaultConfig(), 1500, append(append(append([]Observation(nil), obs[:2]...), ma), obs[2:]...)...)
	wantDiag(t, s)
}

func TestDiagIsolatedWorkgroups(t *testing.T) {
	dom := func(f int, sec float64, src, dst, master, wg string) *Announcement {
		return &Announcement{Meta: Meta{Time: at(sec), Frame: f, Segment: "lan", Src: ip(src), Dst: ip(dst), SrcName: master,
			DstName: msBrowse, DstSuffix: 0x01, DstGroup: true}, Kind: DomainAnnouncement, Server: wg, ServerType: 0x80001000,
			Comment: master, Periodicity: 15 * time.Minute}
	}
	obs := []Observation{dom(1, 0, "11", bcast, "SALESM", "SALES"), dom(2, 1, "10.0.1.11", "10.0.1.255", "LABM", "LAB"),
		dom(3, 900, "11", bcast, "SALESM", "SALES"), dom(4, 901, "10.0.1.11", "10.0.1.255", "LABM", "LAB")}
	_, s := run(DefaultConfig(), 1500, obs...)
	wantDiag(t, s, "isolated_workgroups LABM,SALESM")
	// Once one segment's list has the other's workgroup: linked.
	_, s = run(DefaultConfig(), 1500, append(obs, dom(5, 1000, "11", bcast, "SALESM", "LAB"))...)
	wantDiag(t, s)
}

func TestDiagTroublemaker1B(t *testing.T) {
	// PDC announces itself domain controller of OFFICE; ROGUE registers
	// OFFICE<1b>.
	pdc := hostAnn(1, 0, "10", "PDC", "OFFICE", 0x0001100b, 12*time.Minute)
	_, s := run(DefaultConfig(), 30, pdc, reg(2, 1, "20", 2, "ROGUE", 0x00, false), reg(3, 2, "20", 3, "OFFICE", 0x1b, false))
	wantDiag(t, s, "troublemaker_1b ROGUE")
	// The PDC itself registering it: nothing.
	_, s = run(DefaultConfig(), 30, pdc, reg(2, 1, "10", 2, "PDC", 0x00, false), reg(3, 2, "10", 3, "OFFICE", 0x1b, false))
	wantDiag(t, s)
	// A master registering OFFICE<1b> as it becomes master, and never
	// announcing the domain master bit: the old Samba bug.
	obs := []Observation{lma(1, 0, "20", "OLDSMB", "OFFICE"), reg(2, 5, "20", 2, "OFFICE", 0x1b, false)}
	for i := 1; i <= 3; i++ {
		obs = append(obs, lma(2+i, float64(60*i), "20", "OLDSMB", "OFFICE"))
	}
	_, s = run(DefaultConfig(), 200, obs...)
	wantDiag(t, s, "troublemaker_1b OLDSMB")
}

func TestDiagEnumRefused(t *testing.T) {
	l := &ServerList{Meta: Meta{Time: at(1), Frame: 5, Segment: "lan", Src: ip("11"), Dst: ip("99")}, Server: ip("11"), Status: 5}
	_, s := run(DefaultConfig(), 10, hostAnn(1, 0, "11", "SRV", "OFFICE", 0x00019a03, 12*time.Minute), l)
	wantDiag(t, s, "enum_refused SRV,10.0.0.99")
	if d := s.Diagnoses[0]; d.Confidence != ConfidenceHigh || !strings.Contains(d.Fix, "anonymous") {
		t.Errorf("%s: %s", d.Confidence, d.Fix)
	}
	l.Status = statusMoreData
	_, s = run(DefaultConfig(), 10, l)
	wantDiag(t, s)
}

// What must not be diagnosed.
func TestDiagNearMisses(t *testing.T) {
	t.Run("digits", func(t *testing.T) {
		var obs []Observation
		for i, h := range []string{"A", "B", "C"} {
			obs = append(obs, hostAnn(i+1, float64(i), itoa(11+i), h, "LAB10", 0x00019a03, 12*time.Minute))
		}
		obs = append(obs, hostAnn(9, 5, "20", "D", "LAB20", 0x00019a03, 12*time.Minute))
		_, s := run(DefaultConfig(), 30, obs...)
		wantDiag(t, s)
		if d, _ := nearMiss("WORKGROUP", "WROKGROUP"); d != 1 {
			t.Errorf("WROKGROUP: distance %d", d)
		}
		if d, _ := nearMiss("SALES", "LEGAL"); d != 0 {
			t.Errorf("SALES/LEGAL: %d", d)
		}
	})
	t.Run("disjoint subnets", func(t *testing.T) {
		// Two /24s on one wire (multinetting): no mask mismatch.
		var obs []Observation
		for i, h := range []string{"11", "12", "13"} {
			obs = append(obs, hostAnn(i+1, float64(i), h, "A"+h, "WG", 0x00019a03, 12*time.Minute))
		}
		b := hostAnn(9, 5, "10.0.1.11", "B", "WG", 0x00019a03, 12*time.Minute)
		b.Dst = ip("10.0.1.255")
		_, s := run(DefaultConfig(), 30, append(obs, b)...)
		wantDiag(t, s)
	})
	t.Run("one forwarded frame", func(t *testing.T) {
		f := hostAnn(1, 0, "10.0.1.11", "FAR", "WG", 0x00019a03, 12*time.Minute)
		_, s := run(DefaultConfig(), 30, hostAnn(2, 1, "11", "NEAR", "WG", 0x00019a03, 12*time.Minute), f)
		wantDiag(t, s)
	})
	t.Run("new lease", func(t *testing.T) {
		// One change of address: a new lease, not two addresses.
		_, s := run(DefaultConfig(), 30, hostAnn(1, 0, "11", "PC", "WG", 0x00019a03, time.Minute),
			hostAnn(2, 60, "12", "PC", "WG", 0x00019a03, time.Minute), hostAnn(3, 120, "12", "PC", "WG", 0x00019a03, time.Minute))
		wantDiag(t, s)
	})
	t.Run("own names", func(t *testing.T) {
		// A host answering for its own name and its workgroup's master
		// name, registered before the capture: no spoofing.
		ans := func(f int, name string, suffix byte) *NameEvent {
			return &NameEvent{Meta: Meta{Time: at(float64(f)), Frame: f, Segment: "lan", Src: ip("11"), Dst: ip("99")},
				Op: NameQuery, Response: true, Name: name, Suffix: suffix, Addrs: []netip.Addr{ip("11")}, ID: uint16(f), TTL: 300}
		}
		_, s := run(DefaultConfig(), 30, hostAnn(1, 0, "11", "SRV", "WG", 0x00019a03, time.Minute), ans(2, "SRV", 0x00),
			ans(3, "SRV", 0x20), ans(4, "WG", 0x1d), ans(5, "WG", 0x1b))
		wantDiag(t, s)
		// Nor for its aliases, nobody else's.
		_, s = run(DefaultConfig(), 30, hostAnn(1, 0, "11", "SRV", "WG", 0x00019a03, time.Minute), ans(2, "ALIAS1", 0x20),
			ans(3, "ALIAS2", 0x20), ans(4, "ALIAS3", 0x20), ans(5, "ALIAS4", 0x20))
		wantDiag(t, s)
		// The same answers from an address with no name of its own: a
		// poisoner.
		_, s = run(DefaultConfig(), 30, ans(2, "ALIAS1", 0x20), ans(3, "ALIAS2", 0x20), ans(4, "ALIAS3", 0x20), ans(5, "ALIAS4", 0x20))
		wantDiag(t, s, "nbns_spoofing 10.0.0.11")
	})
}

// A diagnosis is emitted once, then again only when stronger, at most
// maxDiagUpdates times; the state keeps the latest evidence.
func TestDiagnoseUpdates(t *testing.T) {
	tr := New(DefaultConfig(), nil)
	var n int
	tr.emit = func(e Event) {
		if e.Kind == KindDiagnosis {
			n++
		}
	}
	mk := func(c Confidence, hosts ...string) Diagnosis {
		return Diagnosis{Time: t0, Kind: DiagMultihomed, Segment: "s", Hosts: hosts, Confidence: c, Text: "t" + itoa(len(hosts)), Frames: []int{3, 1}}
	}
	tr.diagnose(mk(ConfidenceMedium, "A"), "A")
	tr.diagnose(mk(ConfidenceMedium, "A"), "A")
	tr.diagnose(mk(ConfidenceLow, "A"), "A")
	if n != 1 {
		t.Fatalf("%d events, want 1", n)
	}
	tr.diagnose(mk(ConfidenceHigh, "A"), "A")
	tr.diagnose(mk(ConfidenceHigh, "A", "B"), "A")
	tr.diagnose(mk(ConfidenceHigh, "A", "B", "C"), "A")
	tr.diagnose(mk(ConfidenceHigh, "A", "B", "C", "D"), "A")
	if n != 1+maxDiagUpdates {
		t.Errorf("%d events, want %d", n, 1+maxDiagUpdates)
	}
	d := tr.dg.list[0]
	if d.Updates != maxDiagUpdates || d.Text != "t4" || d.Confidence != ConfidenceHigh || !slices.Equal(d.Frames, []int{1, 3}) {
		t.Errorf("state %+v", d)
	}
	if got := len(DiagnosisKinds()); got != int(DiagEnumRefused) {
		t.Errorf("DiagnosisKinds has %d kinds", got)
	}
}
