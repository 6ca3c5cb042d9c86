package timeline

import (
	"github.com/nbtsniff/nbtsniff/internal/corpus"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// <1b>: a WINS refusal of a second claimant, a claimant of another
// workgroup, and a broadcast take-over followed by a re-claim.
func TestDMBClaims(t *testing.T) {
	winsReg := func(frame int, sec float64, src string) *NameEvent {
		return &NameEvent{Meta: Meta{Time: at(sec), Frame: frame, Segment: "lan", Src: ip(src), Dst: ip("10")},
			Op: NameRegistration, Name: "CORP", Suffix: 0x1b, Addrs: []netip.Addr{ip(src)}, ID: uint16(frame)}
	}
	winsResp := func(frame int, sec float64, dst string, rcode uint8) *NameEvent {
		return &NameEvent{Meta: Meta{Time: at(sec), Frame: frame, Segment: "lan", Src: ip("10"), Dst: ip(dst)},
			Op: NameRegistration, Response: true, RCode: rcode, Name: "CORP", Suffix: 0x1b, Addrs: []netip.Addr{ip(dst)},
			ID: uint16(frame - 1)}
	}
	evs, snap := run(DefaultConfig(), 0,
		hostAnn(1, 0, "11", "DC1", "CORP", 0x00081003, time.Minute),
		winsReg(2, 1, "11"), winsResp(3, 1.01, "11", 0),
		hostAnn(4, 2, "12", "ROGUE", "OTHER", 0x1003, time.Minute),
		winsReg(5, 3, "12"), winsResp(6, 3.01, "12", 6),
	)
	if b := roleEvents(evs, KindRoleBegin, RoleDMB); len(b) != 1 || b[0].Host != "DC1" {
		t.Fatalf("dmb begins = %+v", b)
	}
	if a := anomalies(evs, AnomalyDMBConflict); len(a) != 1 || a[0].Frame != 6 || !strings.Contains(a[0].Detail, "ACT_ERR") {
		t.Errorf("dmb_conflict = %+v", a)
	}
	if a := anomalies(evs, AnomalyDMBClaim); len(a) != 1 || a[0].Host != "ROGUE" || !strings.Contains(a[0].Detail, "a member of OTHER") {
		t.Errorf("dmb_claim = %+v", a)
	}
	if g := snap.Group("lan/10.0.0.255", "CORP"); len(g.DMB) != 1 || g.DMB[0] != "DC1" {
		t.Errorf("DMB = %+v", g)
	}

	// Broadcast: B takes <1b> over without objection, then A claims it back.
	evs, _ = run(DefaultConfig(), 0,
		reg(1, 0, "11", 1, "CORP", 0x1b, false), reg(2, 2, "11", 1, "CORP", 0x1b, false), reg(3, 4, "11", 1, "CORP", 0x1b, false),
		reg(4, 10, "12", 2, "CORP", 0x1b, false),
		reg(5, 20, "11", 3, "CORP", 0x1b, false),
	)
	if b := roleEvents(evs, KindRoleBegin, RoleDMB); len(b) != 1 || b[0].Frame != 3 {
		t.Errorf("dmb begin by broadcast = %+v", b)
	}
	if a := anomalies(evs, AnomalyDMBConflict); len(a) != 1 || a[0].Frame != 5 {
		t.Errorf("dmb_conflict = %+v", a)
	}
}

// Negative registration responses and conflicts on ordinary names.
func TestNameNegative(t *testing.T) {
	resp := &NameEvent{Meta: Meta{Time: at(1), Frame: 2, Segment: "lan", Src: ip("10"), Dst: ip("12")},
		Op: NameRegistration, Response: true, RCode: 5, Name: "WS2", Suffix: 0x20, Addrs: []netip.Addr{ip("12")}}
	evs, snap := run(DefaultConfig(), 0, reg(1, 0, "12", 1, "WS2", 0x20, false), resp)
	if n := kinds(evs, KindNameNegative); len(n) != 1 || data[*NameInfo](n[0]).RCode != 5 {
		t.Errorf("name.negative = %+v", n)
	}
	if a := anomalies(evs, AnomalyNameNegative); len(a) != 1 || !strings.Contains(a[0].Detail, "RFS_ERR") {
		t.Errorf("anomaly = %+v", a)
	}
	if n := snap.Names[0]; n.Negatives != 1 || !n.Owners[0].Refused {
		t.Errorf("name state = %+v %+v", n, n.Owners[0])
	}
}

// Session refusals and retargets are anomalies.
func TestSessions(t *testing.T) {
	m := Meta{Time: at(0), Frame: 1, Segment: "lan", Src: ip("11"), Dst: ip("99")}
	evs, _ := run(DefaultConfig(), 0,
		&SessionEvent{Meta: m, Called: "FS1", Calling: "CLIENT", Negative: true, ErrorCode: 0x82},
		&SessionEvent{Meta: Meta{Time: at(1), Frame: 2, Segment: "lan", Src: ip("11"), Dst: ip("99")}, Called: "FS1",
			Calling: "CLIENT", Retarget: true, RetargetTo: netip.MustParseAddrPort("10.0.0.12:139")},
	)
	if a := anomalies(evs, AnomalySessionRefused); len(a) != 1 || !strings.Contains(a[0].Detail, "0x82 Called name not present") {
		t.Errorf("refused = %+v", a)
	}
	if a := anomalies(evs, AnomalySessionRetarget); len(a) != 1 || !strings.Contains(a[0].Detail, "10.0.0.12:139") {
		t.Errorf("retarget = %+v", a)
	}
	// The session request was not captured: no names, only addresses
	// (xscan capture of ../shared/pcaps).
	evs, _ = run(DefaultConfig(), 0, &SessionEvent{Meta: m, Negative: true, ErrorCode: 0x8f})
	if a := anomalies(evs, AnomalySessionRefused); len(a) != 1 ||
		a[0].Detail != "session request from 10.0.0.99 refused by 10.0.0.11: 0x8f Unspecified error" {
		t.Errorf("refused without names = %+v", a)
	}
}

// A master stopped quietly may release only its own names: that ends its
// roles (dmb capture: DMB releases DMB<00>, frame 502, before its
// going-away announcement).
func TestMasterReleasesOwnName(t *testing.T) {
	rel := reg(3, 30, "11", 9, "ALPHA", 0x00, false)
	rel.Op = NameRelease
	evs, _ := run(DefaultConfig(), 0,
		lma(1, 0, "11", "ALPHA", "LABWG"),
		hostAnn(2, 1, "12", "BRAVO", "LABWG", 0x00011003, time.Minute),
		rel,
	)
	ends := roleEvents(evs, KindRoleEnd, RoleLMB)
	if len(ends) != 1 || ends[0].Host != "ALPHA" || ends[0].Frame != 3 || ends[0].Reason != "released its own name ALPHA<00>: leaving" {
		t.Fatalf("role.end = %+v", ends)
	}
}

// A node defending its name answers the registration with its own
// address in the record: the refused registrant is the answer's
// destination, not the defender (Windows XP in the wanderview capture of
// ../shared/pcaps: 192.168.1.7 refuses 192.168.1.2's VMWINXP<20>).
func TestNameDefenceNamesTheRegistrant(t *testing.T) {
	p := corpus.Path(t, "nbns-winxp-registration-negative-response_wanderview.pcap")
	evs, _ := replay(DefaultConfig(), readObservations(t, p, "xp"))
	c := kinds(evs, KindNameConflict)
	if len(c) != 1 || c[0].Addr.String() != "192.168.1.2" ||
		c[0].Detail != "192.168.1.7 refused 192.168.1.2's registration of VMWINXP<20>: ACT_ERR (name owned by another node)" {
		t.Errorf("name.conflict = %+v", c)
	}
}

// A domain master that restarts announces itself before it has registered
// WORKGROUP<1b> again, its earlier registration still on record: no
// dmb_claim within DMBGrace of the restart, one after it.
func TestDMBClaimAfterRestart(t *testing.T) {
	const dmbType, plain = 0x000c9a03, 0x00019a03
	goaway := hostAnn(5, 100, "11", "DMB", "CORP", 0, 0)
	evs, _ := run(DefaultConfig(), 0,
		reg(1, 0, "11", 1, "CORP", 0x1b, false), reg(2, 2, "11", 1, "CORP", 0x1b, false), reg(3, 4, "11", 1, "CORP", 0x1b, false),
		hostAnn(4, 10, "11", "DMB", "CORP", dmbType, time.Minute),
		goaway,
		hostAnn(6, 105, "11", "DMB", "CORP", plain, time.Minute), // restarted 5 s earlier
		hostAnn(7, 140, "11", "DMB", "CORP", plain, time.Minute),
		hostAnn(8, 170, "11", "DMB", "CORP", plain, time.Minute), // still without it 65 s after
	)
	a := anomalies(evs, AnomalyDMBClaim)
	if len(a) != 1 || a[0].Frame != 8 {
		t.Errorf("dmb_claim = %+v, want one at frame 8", a)
	}
}

// A capture whose clock jumps back (two recordings concatenated): the
// same registrations again after the jump are no name conflicts, and the
// jump is one anomaly however often it happens.
func TestTimeJumpNoConflictFlood(t *testing.T) {
	round := func(base int, off float64) []Observation {
		return []Observation{
			reg(base+1, off+0, "11", uint16(base+1), "USER", 0x03, false),
			reg(base+2, off+10, "12", uint16(base+2), "USER", 0x03, false), // USER logged on at .12 as well
			reg(base+3, off+20, "21", uint16(base+3), "FS", 0x20, false),
		}
	}
	var obs []Observation
	for i := 0; i < 3; i++ {
		obs = append(obs, round(10*i, 0)...) // the same 20 s, three times
	}
	evs, _ := run(DefaultConfig(), 0, obs...)
	if a := anomalies(evs, AnomalyNameConflict); len(a) != 0 {
		t.Errorf("name_conflict = %+v", a)
	}
	if c := kinds(evs, KindNameConflict); len(c) != 0 {
		t.Errorf("name.conflict = %+v", c)
	}
	j := anomalies(evs, AnomalyTimeJump)
	if len(j) != 1 || j[0].Frame != 11 || !strings.Contains(j[0].Detail, "capture time jumps back 20s at frame 11") {
		t.Errorf("time_jump = %+v", j)
	}
	// Within one recording, taking a name back is still a conflict.
	evs, _ = run(DefaultConfig(), 0, append(round(0, 0), reg(4, 30, "11", 4, "USER", 0x03, false))...)
	if a := anomalies(evs, AnomalyNameConflict); len(a) != 1 || a[0].Frame != 4 {
		t.Errorf("name_conflict without a jump = %+v", a)
	}
}
