package output_test

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// hostileState is a state whose names carry terminal control sequences, as
// a hostile host would announce them.
func hostileState() *timeline.Snapshot {
	t0 := time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)
	evil, wg := "EVIL\x1b]0;pwned\x07", "WG\x1b[2J"
	seg := "lab/10.0.0.255"
	return &timeline.Snapshot{
		Time: t0.Add(time.Minute), First: t0, Last: t0.Add(time.Minute),
		Groups: []*timeline.Group{{
			Segment: seg, Workgroup: wg, LMB: []string{evil},
			Servers: []*timeline.Server{{Name: evil, Kind: "LocalMasterAnnouncement", Type: 0x00051003, Source: timeline.SourceAnnouncement,
				Periodicity: time.Minute, FirstSeen: t0, LastSeen: t0, Expires: t0.Add(3 * time.Minute), FirstFrame: 1, LastFrame: 1}},
			Roles: []*timeline.RoleInterval{{Host: evil, Role: timeline.RoleLMB, Begin: t0, BeginFrame: 1, BeginReason: "LocalMasterAnnouncement"}},
		}},
		Hosts: []*timeline.Host{
			{Segment: seg, Name: evil, Addr: netip.MustParseAddr("10.0.0.5"), Workgroup: wg, FirstSeen: t0, LastSeen: t0,
				Ballot: &timeline.Ballot{Version: 1, Criteria: 0x20010f02, Uptime: 1000, Name: evil}, BallotAt: t0, BallotFrame: 1},
			{Segment: seg, Name: "PC\x9b2", Addr: netip.MustParseAddr("10.0.0.6"), Workgroup: wg, FirstSeen: t0, LastSeen: t0,
				Ballot: &timeline.Ballot{Version: 1, Criteria: 0x10010f02, Uptime: 1000, Name: "PC\x9b2"}, BallotAt: t0, BallotFrame: 2},
		},
	}
}

// No control byte from the wire (or from an LMHOSTS file) reaches the
// terminal through the predictions, --why or the LMHOSTS section, and the
// JSON stays valid.
func TestReportExtrasEscape(t *testing.T) {
	s := hostileState()
	// What the command copies from an LMHOSTS file with hostile names.
	labels := map[netip.Addr]string{netip.MustParseAddr("10.0.0.5"): "EVIL\x1b[31m", netip.MustParseAddr("10.0.0.9"): "X\x07"}
	lm := &output.LMHostsReport{Path: "lm\x1bhosts", Entries: 2, Labels: labels,
		Notes: []output.LMHostsNote{{Line: 3, Text: "not an IPv4 address: \"\x1b[2J\""}},
		Findings: []output.LMHostsFinding{{Kind: "other_address", Line: 1, Name: "EVIL\x1b[31m", Addr: netip.MustParseAddr("10.0.0.5"),
			WireAddr: netip.MustParseAddr("10.0.0.6"), Segment: "lab/10.0.0.255", Frames: []int{2}, Text: "EVIL\x1b[31m at 10.0.0.6"}}}
	x := output.ReportOptions{
		Predict: true,
		Why:     []*timeline.Explanation{timeline.Explain(s, "PC\x9b2", nil), timeline.Explain(s, "10.0.0.9", labels)},
		LMHosts: lm,
	}
	var buf bytes.Buffer
	if err := output.WriteReportWith(&buf, s, x); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, c := range []string{"\x1b", "\x07", "\x9b", "\xc2\x9b"} {
		if strings.Contains(out, c) {
			t.Errorf("report holds %q:\n%s", c, out)
		}
	}
	for _, want := range []string{
		`EVIL\x1b]0;pwned\x07 would win an election of WG\x1b[2J on lab/10.0.0.255 now over PC\x9b2 on OS level 32 > 16`,
		`PC\x9b2 needs OS level above 32 (EVIL\x1b]0;pwned\x07's)`,
		`10.0.0.9 (X\x07 in the LMHOSTS file) was not seen on the wire`,
		`== LMHOSTS lm\x1bhosts: 2 entries`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	buf.Reset()
	if err := output.WriteReportJSONWith(&buf, s, x); err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsAny(buf.Bytes(), "\x1b\x07") || !json.Valid(buf.Bytes()) {
		t.Errorf("JSON report: raw control bytes or invalid JSON:\n%s", buf.String())
	}
}
