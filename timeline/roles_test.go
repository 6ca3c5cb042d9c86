package timeline

import (
	"strings"
	"testing"
	"time"
)

// A role is claimed only from evidence that proves it: criteria bit 0x80,
// which Samba sets for "domain master = yes" on a standalone server (os255
// capture: DMB's ballots 0x41010f8a, its announcements 0x000c9a03), makes
// no pdc; an announcement with SV_TYPE_DOMAIN_CTRL does, and says so.
func TestPDCFromDomainControllerBitOnly(t *testing.T) {
	evs, _ := run(DefaultConfig(), 0,
		elect(1, 0, "11", "DMB", "LABWG", 1, 0x41010f8a, 6000),
		hostAnn(2, 1, "11", "DMB", "LABWG", 0x000d9a03, time.Minute),
		elect(3, 2, "12", "DC", "LABWG", 1, 0x20010f82, 6000),
		hostAnn(4, 3, "12", "DC", "LABWG", 0x00011a0b, time.Minute),
	)
	pdc := roleEvents(evs, KindRoleBegin, RolePDC)
	if len(pdc) != 1 || pdc[0].Host != "DC" || pdc[0].Frame != 4 || pdc[0].Reason != "HostAnnouncement with SV_TYPE_DOMAIN_CTRL bit" {
		t.Errorf("pdc role.begin = %+v", pdc)
	}
}

// A host that becomes local master of the domain master browser's own
// subnet is flagged (os255 capture: BIGOS, os level 255, takes the role
// from DMB, frame 117); the DMB's own mastership is not.
func TestDMBDisplaced(t *testing.T) {
	evs, _ := run(DefaultConfig(), 0,
		reg(1, 0, "11", 1, "LABWG", 0x1b, false), reg(2, 1, "11", 1, "LABWG", 0x1b, false), reg(3, 2, "11", 1, "LABWG", 0x1b, false),
		elect(4, 5, "11", "DMB", "LABWG", 1, 0x41010f8a, 5000), // the <1b> holder, known by its address only
		lma(5, 20, "11", "DMB", "LABWG"),
		elect(6, 60, "20", "BIGOS", "LABWG", 1, 0xff010f02, 6000),
		lma(7, 80, "20", "BIGOS", "LABWG"),
		lma(8, 200, "20", "BIGOS", "LABWG"),
	)
	d := anomalies(evs, AnomalyDMBDisplaced)
	if len(d) != 1 || d[0].Host != "BIGOS" || d[0].Frame != 7 ||
		!strings.Contains(d[0].Detail, "its ballot beat DMB's on criteria (OS level 255 > 65)") {
		t.Errorf("dmb_displaced = %+v", d)
	}
	evs, _ = replay(DefaultConfig(), readObservations(t, labCapture(t, "os255"), "os255"))
	if d := anomalies(evs, AnomalyDMBDisplaced); len(d) != 1 || d[0].Host != "BIGOS" || d[0].Frame != 117 {
		t.Errorf("os255: dmb_displaced = %+v", d)
	}
}

// The why compares the winner with its strongest real rival, the master
// in office included, which loses without a ballot of its own in the
// election (Samba stops at the first better ballot: os255 capture, DMB at
// BIGOS's frame 101): never "the only candidate" for a winner that
// displaced it, never a forced ballot.
func TestWhyMasterInOffice(t *testing.T) {
	evs, _ := run(DefaultConfig(), 0,
		elect(1, 0, "11", "DMB", "LABWG", 1, 0x41010f8a, 6000),
		lma(2, 8, "11", "DMB", "LABWG"),
		elect(3, 60, "99", "CLIENT", "LABWG", 0, 0, 0),
		elect(4, 60.1, "20", "BIGOS", "LABWG", 1, 0xff010f02, 6000),
		elect(5, 62, "20", "BIGOS", "LABWG", 1, 0xff010f02, 8000),
		lma(6, 70, "20", "BIGOS", "LABWG"),
	)
	end := kinds(evs, KindElectionEnd)
	if len(end) != 2 {
		t.Fatalf("election.end = %+v", end)
	}
	ee := data[*ElectionEnd](end[1])
	if want := "BIGOS beat DMB, the master in office, on criteria: OS level 255 > 65 (its last ballot, frame 1, with the master bit); " +
		"CLIENT only forced the election (version 0 or criteria 0: such a ballot wins nothing)"; ee.Why != want || ee.RunnerUp != "DMB" {
		t.Errorf("why = %q (runner-up %q), want %q", ee.Why, ee.RunnerUp, want)
	}
}
