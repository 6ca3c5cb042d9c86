package timeline

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The -T events line: fixed leading keys, valid JSON, wire bytes escaped.
func TestEventJSON(t *testing.T) {
	b := Ballot{Version: 1, Criteria: 0x41010f0a, Uptime: 6000, Name: "DELTA"}
	e := Event{Time: time.Date(2026, 11, 22, 0, 48, 31, 380308000, time.UTC), Frame: 138, Kind: KindElectionBallot,
		Segment: "election/198.18.1.255", Workgroup: "LABWG", Host: "DELTA", Addr: netip.MustParseAddr("198.18.1.14"),
		Frames: []int{138}, Data: &ElectionBallot{Election: 3, Round: 1, Ballot: b}}
	got := string(e.AppendJSON(nil))
	want := `{"time":"2026-11-22T00:48:31.380308000Z","frame":138,"kind":"election.ballot","segment":"election/198.18.1.255",` +
		`"workgroup":"LABWG","host":"DELTA","addr":"198.18.1.14","election":3,"round":1,"ballot":{"version":1,` +
		`"criteria":"0x41010f0a","os_level":65,"browser_version":"15.1","role_bits":"0x0a",` +
		`"roles":"potential browser, preferred master","uptime_ms":6000,"name":"DELTA"},"frames":[138]}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// A name with control bytes and a byte that is not UTF-8.
	e = Event{Time: time.Unix(0, 1).UTC(), Kind: KindNameRegister, Host: "X\xff\"\\",
		Data: &NameInfo{Name: "\x01\x02__MSBROWSE__\x02", Suffix: 0x01, Group: true}}
	j := e.AppendJSON(nil)
	if !json.Valid(j) {
		t.Fatalf("invalid JSON: %s", j)
	}
	if !bytes.Contains(j, []byte(`"host":"X\u00ff\"\\"`)) || !bytes.Contains(j, []byte(`"name":"\u0001\u0002__MSBROWSE__\u0002"`)) {
		t.Errorf("escaping: %s", j)
	}
	if !bytes.HasPrefix(j, []byte(`{"time":"1970-01-01T00:00:00.000000001Z","frame":0,"kind":"name.register","segment":"","workgroup":"","host":`)) {
		t.Errorf("leading keys: %s", j)
	}
	m, err := e.MarshalJSON()
	if err != nil || !bytes.Equal(m, j) {
		t.Errorf("MarshalJSON differs: %v", err)
	}
}

// Every event of every lab capture is valid JSON with the common keys.
func TestEventsAreJSON(t *testing.T) {
	for _, scen := range scenarios {
		obs := readObservations(t, labCapture(t, scen), scen)
		evs, snap := replay(DefaultConfig(), obs)
		for i := range evs {
			var m map[string]any
			if err := json.Unmarshal(evs[i].AppendJSON(nil), &m); err != nil {
				t.Fatalf("%s event %d: %v", scen, i, err)
			}
			for _, k := range []string{"time", "frame", "kind", "segment", "workgroup", "host"} {
				if _, ok := m[k]; !ok {
					t.Fatalf("%s event %d lacks %s", scen, i, k)
				}
			}
		}
		var buf bytes.Buffer
		if err := WriteReportJSON(&buf, snap); err != nil || !json.Valid(buf.Bytes()) {
			t.Fatalf("%s: report JSON invalid (%v)", scen, err)
		}
	}
}

// The text report of the election and storm captures, compared with
// testdata/SCENARIO.report.txt (go test -update rewrites them).
func TestReportGolden(t *testing.T) {
	for _, scen := range []string{"election", "storm", "dmb"} {
		t.Run(scen, func(t *testing.T) {
			obs := readObservations(t, labCapture(t, scen), scen)
			_, snap := replay(DefaultConfig(), obs)
			var buf bytes.Buffer
			if err := WriteReport(&buf, snap); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"== LABWG on " + scen + "/198.18.1.255", "master history:", "elections:", "browse list (",
				"== names (NBNS)", "== anomalies ("} {
				if !strings.Contains(buf.String(), want) {
					t.Errorf("report lacks %q", want)
				}
			}
			path := filepath.Join("testdata", scen+".report.txt")
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test -update creates it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("%s differs (go test -update rewrites it); got:\n%s", path, buf.String())
			}
		})
	}
}

func TestEsc(t *testing.T) {
	for in, want := range map[string]string{
		"LABWG":                    "LABWG",
		"\x01\x02__MSBROWSE__\x02": `\x01\x02__MSBROWSE__\x02`,
		"caf\xc3\xa9":              "café",
		"bad\xff\x1b[31m":          `bad\xff\x1b[31m`,
	} {
		if got := esc(in); got != want {
			t.Errorf("esc(%q) = %q, want %q", in, got, want)
		}
	}
}
