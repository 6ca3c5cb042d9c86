package output_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/timeline/")

// labScenarios are the Samba lab captures (testdata/pcaps/README.md).
var labScenarios = []string{"election", "two-workgroups", "dmb", "enum", "storm"}

// labTimeline replays a lab capture through the adapter and the tracker,
// the segment labelled with the scenario's name as -r SCENARIO=FILE would,
// finishing at the last observation, and returns the events and the final
// state.
func labTimeline(t testing.TB, scen string) ([]timeline.Event, *timeline.Snapshot) {
	t.Helper()
	path := filepath.Join(labPcaps, scen+".pcapng")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("lab capture %s: %v", path, err)
	}
	var evs []timeline.Event
	tr := timeline.New(timeline.DefaultConfig(), func(e timeline.Event) { evs = append(evs, e) })
	ad := timeline.NewAdapter()
	src, err := capture.OpenFile(scen+"="+path, 0)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer src.Close()
	cfg := engine.DefaultConfig()
	cfg.Labels = []string{scen}
	eng := engine.New(cfg)
	var last time.Time
	var pkt capture.Packet
	for {
		err := src.Next(&pkt)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		// The adapter reads the engine's frame before the next Decode.
		f := eng.Decode(pkt.Data, pkt.CI, pkt.LinkType, pkt.Source)
		for _, o := range ad.FromFrame(f) {
			tr.Observe(o)
			last = f.Time
		}
	}
	tr.Finish(last)
	return evs, tr.Snapshot()
}

// The -T events line: fixed leading keys, the data of the kind, valid
// JSON, wire bytes escaped.
func TestEventJSON(t *testing.T) {
	b := timeline.Ballot{Version: 1, Criteria: 0x41010f0a, Uptime: 6000, Name: "DELTA"}
	e := timeline.Event{Time: time.Date(2026, 11, 22, 0, 48, 31, 380308000, time.UTC), Frame: 138, Kind: timeline.KindElectionBallot,
		Segment: "election/198.18.1.255", Workgroup: "LABWG", Host: "DELTA", Addr: netip.MustParseAddr("198.18.1.14"),
		Frames: []int{138}, Data: &timeline.ElectionBallot{Election: 3, Round: 1, Ballot: b}}
	got := string(output.AppendEvent(nil, &e))
	want := `{"time":"2026-11-22T00:48:31.380308000Z","frame":138,"kind":"election.ballot","segment":"election/198.18.1.255",` +
		`"workgroup":"LABWG","host":"DELTA","addr":"198.18.1.14","election":3,"round":1,"ballot":{"version":1,` +
		`"criteria":"0x41010f0a","os_level":65,"browser_version":"15.1","role_bits":"0x0a",` +
		`"roles":"potential browser, preferred master","uptime_ms":6000,"name":"DELTA"},"frames":[138]}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// A name with control bytes and a byte that is not UTF-8.
	e = timeline.Event{Time: time.Unix(0, 1).UTC(), Kind: timeline.KindNameRegister, Host: "X\xff\"\\",
		Data: &timeline.NameInfo{Name: "\x01\x02__MSBROWSE__\x02", Suffix: 0x01, Group: true}}
	j := output.AppendEvent(nil, &e)
	if !json.Valid(j) {
		t.Fatalf("invalid JSON: %s", j)
	}
	if !bytes.Contains(j, []byte(`"host":"X\u00ff\"\\"`)) || !bytes.Contains(j, []byte(`"name":"\u0001\u0002__MSBROWSE__\u0002"`)) {
		t.Errorf("escaping: %s", j)
	}
	if !bytes.HasPrefix(j, []byte(`{"time":"1970-01-01T00:00:00.000000001Z","frame":0,"kind":"name.register","segment":"","workgroup":"","host":`)) {
		t.Errorf("leading keys: %s", j)
	}
}

// Each kind of data writes its keys between the header and reason,
// detail and frames, in the order of README's event schema.
func TestEventJSONData(t *testing.T) {
	at := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	head := `{"time":"2026-11-22T00:00:00.000000000Z","frame":7,"kind":"%s","segment":"s","workgroup":"WG","host":"H",`
	for _, tt := range []struct {
		kind timeline.EventKind
		data timeline.EventData
		want string // after head
	}{
		{timeline.KindRoleBegin, &timeline.RoleChange{Role: timeline.RoleLMB, Election: 2},
			`"role":"lmb","election":2,"reason":"r","detail":"d","frames":[7]}`},
		{timeline.KindRoleEnd, &timeline.RoleChange{Role: timeline.RoleBackup},
			`"role":"backup","reason":"r","detail":"d","frames":[7]}`},
		{timeline.KindElectionDropout, &timeline.ElectionDropout{Election: 4, By: "B"},
			`"election":4,"by":"B","reason":"r","detail":"d","frames":[7]}`},
		{timeline.KindElectionEnd, &timeline.ElectionEnd{Election: 4, Outcome: timeline.OutcomeWon, Winner: "W", RunnerUp: "R", Why: "y"},
			`"election":4,"outcome":"won","winner":"W","runner_up":"R","why":"y","flagged":false,"reason":"r","detail":"d","frames":[7]}`},
		{timeline.KindElectionEnd, &timeline.ElectionEnd{Election: 5, Outcome: timeline.OutcomeUnfinished},
			`"election":5,"outcome":"unfinished","flagged":false,"reason":"r","detail":"d","frames":[7]}`},
		{timeline.KindMessage, &timeline.Message{Target: "T"}, `"target":"T","reason":"r","detail":"d","frames":[7]}`},
		{timeline.KindMessage, &timeline.Message{}, `"reason":"r","detail":"d","frames":[7]}`},
		{timeline.KindAnomaly, &timeline.Anomaly{Kind: timeline.AnomalySplitBrain}, `"anomaly":"split_brain","reason":"r","detail":"d","frames":[7]}`},
		{timeline.KindBrowseList, &timeline.ServerListSnapshot{Time: at, Frame: 7, Server: "S", Unchecked: true},
			`"list":{"time":"2026-11-22T00:00:00.000000000Z","frame":7,"server":"S","domain":"","type_mask":"0x00000000","level":0,` +
				`"status":0,"entry_count":0,"available":0,"truncated":false,"sync":false,"unchecked":true,"entries":[]},` +
				`"reason":"r","detail":"d","frames":[7]}`},
		{timeline.KindBrowseUpdate, &timeline.ServerChange{Server: timeline.Server{Name: "S", Kind: "HostAnnouncement", Type: 0x1003,
			OSMajor: 6, OSMinor: 1, Source: timeline.SourceAnnouncement, LastSeen: at}, Changed: []string{"type"}},
			`"server":{"name":"S","kind":"HostAnnouncement","type":"0x00001003","type_names":"` +
				`Workstation, Server, NT Workstation","os_version":"6.1","comment":"","periodicity_ms":0,"update_count":0,` +
				`"source":"announcement","first_seen":null,"last_seen":"2026-11-22T00:00:00.000000000Z","expires":null,` +
				`"first_frame":0,"last_frame":0},"changed":["type"],"reason":"r","detail":"d","frames":[7]}`},
		{timeline.KindNameConflict, &timeline.NameInfo{Name: "N", Suffix: 0x1b, Op: "registration response", Via: "10.0.0.1", RCode: 6},
			`"name":{"name":"N","suffix":"0x1b","meaning":"Domain Master Browser","group":false,"op":"registration response",` +
				`"via":"10.0.0.1","rcode":6},"reason":"r","detail":"d","frames":[7]}`},
	} {
		e := timeline.Event{Time: at, Frame: 7, Kind: tt.kind, Segment: "s", Workgroup: "WG", Host: "H", Reason: "r", Detail: "d",
			Frames: []int{7}, Data: tt.data}
		got := string(output.AppendEvent(nil, &e))
		want := strings.Replace(head, "%s", tt.kind.String(), 1) + tt.want
		if got != want {
			t.Errorf("%s:\n got  %s\n want %s", tt.kind, got, want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("%s: invalid JSON", tt.kind)
		}
	}
}

// Every event of every lab capture is valid JSON with the common keys, and
// so is the report.
func TestEventsAreJSON(t *testing.T) {
	for _, scen := range labScenarios {
		evs, snap := labTimeline(t, scen)
		for i := range evs {
			var m map[string]any
			if err := json.Unmarshal(output.AppendEvent(nil, &evs[i]), &m); err != nil {
				t.Fatalf("%s event %d: %v", scen, i, err)
			}
			for _, k := range []string{"time", "frame", "kind", "segment", "workgroup", "host"} {
				if _, ok := m[k]; !ok {
					t.Fatalf("%s event %d lacks %s", scen, i, k)
				}
			}
		}
		var buf bytes.Buffer
		if err := output.WriteReportJSON(&buf, snap); err != nil || !json.Valid(buf.Bytes()) {
			t.Fatalf("%s: report JSON invalid (%v)", scen, err)
		}
		if !bytes.Equal(buf.Bytes(), append(output.AppendReportJSON(nil, snap), '\n')) {
			t.Errorf("%s: WriteReportJSON and AppendReportJSON differ", scen)
		}
	}
}

// golden compares got with testdata/timeline/NAME (go test -update
// rewrites it: review the diff like code), showing the first line that
// differs.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "timeline", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s differs at line %d:\n got %s\nwant %s\n(go test -update rewrites it)", path, i+1, g, w)
		}
	}
}

// The -T events output of each lab capture, compared with
// testdata/timeline/SCENARIO.events.jsonl.
func TestGoldenEvents(t *testing.T) {
	for _, scen := range labScenarios {
		t.Run(scen, func(t *testing.T) {
			evs, _ := labTimeline(t, scen)
			var b []byte
			for i := range evs {
				b = output.AppendEvent(b, &evs[i])
				b = append(b, '\n')
			}
			golden(t, scen+".events.jsonl", b)
		})
	}
}

// The text report of the election, storm and dmb captures, compared with
// testdata/timeline/SCENARIO.report.txt.
func TestReportGolden(t *testing.T) {
	for _, scen := range []string{"election", "storm", "dmb"} {
		t.Run(scen, func(t *testing.T) {
			_, snap := labTimeline(t, scen)
			var buf bytes.Buffer
			if err := output.WriteReport(&buf, snap); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"== LABWG on " + scen + "/198.18.1.255", "master history:", "elections:", "browse list (",
				"== names (NBNS)", "== anomalies ("} {
				if !strings.Contains(buf.String(), want) {
					t.Errorf("report lacks %q", want)
				}
			}
			golden(t, scen+".report.txt", buf.Bytes())
		})
	}
}

// An empty state prints every section, saying there is nothing in it.
func TestReportEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := output.WriteReport(&buf, &timeline.Snapshot{}); err != nil {
		t.Fatal(err)
	}
	want := "nbtsniff timeline report\nstate at -; 0 observations from - to -\n\n" +
		"== workgroups announced per segment (DomainAnnouncement)\n  (none)\n\n== names (NBNS)\n  (none)\n\n== anomalies (0)\n  (none)\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	buf.Reset()
	if err := output.WriteReportJSON(&buf, &timeline.Snapshot{}); err != nil {
		t.Fatal(err)
	}
	if want := `{"time":null,"first":null,"last":null,"observations":0,"groups":[],"segments":[],"links":[],"names":[],"hosts":[],"anomalies":[]}` + "\n"; buf.String() != want {
		t.Errorf("got  %s\nwant %s", buf.String(), want)
	}
}

func TestReportEsc(t *testing.T) {
	for in, want := range map[string]string{
		"LABWG":                    "LABWG",
		"\x01\x02__MSBROWSE__\x02": `\x01\x02__MSBROWSE__\x02`,
		"caf\xc3\xa9":              "café",
		"bad\xff\x1b[31m":          `bad\xff\x1b[31m`,
		"tab\there":                `tab\there`, // AppendEscaped's rule, as every mode
		"c1\u0085":                 `c1\xc2\x85`,
		"evil\u202etxt.exe":        `evil\xe2\x80\xaetxt.exe`,
		"rlm\u200f alm\u061c":      `rlm\xe2\x80\x8f alm\xd8\x9c`,
	} {
		if got := output.ReportEscForTest(in); got != want {
			t.Errorf("esc(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzEventJSON: whatever the strings of an event hold, its -T events line
// is valid JSON that gives the valid UTF-8 strings back unchanged.
func FuzzEventJSON(f *testing.F) {
	f.Add("DELTA", "LABWG", "x\xff\x1b[31m\"\\", "\x01\x02__MSBROWSE__\x02", byte(0x1d), uint8(5))
	f.Add("", "", "\u2028\u0085\u202e", "", byte(0), uint8(0))
	f.Fuzz(func(t *testing.T, host, wg, detail, name string, suffix byte, kind uint8) {
		var d timeline.EventData
		switch kind % 4 {
		case 0:
			d = &timeline.NameInfo{Name: name, Suffix: suffix}
		case 1:
			d = &timeline.ServerChange{Server: timeline.Server{Name: name, Comment: detail}, Changed: []string{host}}
		case 2:
			d = &timeline.ElectionEnd{Winner: host, Why: detail}
		}
		e := timeline.Event{Kind: timeline.EventKind(kind), Segment: name, Workgroup: wg, Host: host, Detail: detail, Data: d}
		b := output.AppendEvent(nil, &e)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("invalid JSON %s: %v", b, err)
		}
		for k, v := range map[string]string{"host": host, "workgroup": wg, "segment": name} {
			if got, _ := m[k].(string); utf8Valid(v) && got != v {
				t.Errorf("%s: %q came back as %q", k, v, got)
			}
		}
	})
}

func utf8Valid(s string) bool {
	return strings.ToValidUTF8(s, "\x00") == s && !strings.Contains(s, "\x00")
}
