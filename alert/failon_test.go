package alert

import (
	"strings"
	"sync"
	"testing"
)

func TestParseFailOn(t *testing.T) {
	known := Kinds()
	for _, tc := range []struct {
		spec    string
		match   []string // kinds that match
		nomatch []string
		err     string
	}{
		{spec: "election_storm", match: []string{"election_storm"}, nomatch: []string{"split_brain", "nbns_spoofing"}},
		{spec: " election_storm , split_brain", match: []string{"election_storm", "split_brain"}, nomatch: []string{"name_conflict"}},
		{spec: "nbns_spoofing", match: []string{"nbns_spoofing"}, nomatch: []string{"name_conflict"}},
		{spec: "any", match: []string{"election_storm", "limit", "nbns_spoofing", "a_kind_added_later"}},
		{spec: "split_brain,any", match: []string{"decode_error"}},
		{spec: "election_strom", err: `unknown kind "election_strom"; the kinds are any and bad_periodicity, broadcast_forwarded, decode_error, dmb_claim, `},
		{spec: "", err: `empty kind in ""`},
		{spec: "split_brain,,limit", err: `empty kind in "split_brain,,limit"`},
		{spec: "ANY", err: `unknown kind "ANY"`},
	} {
		m, err := ParseFailOn(tc.spec, known)
		if tc.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q...", tc.spec, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.spec, err)
			continue
		}
		for _, k := range tc.nomatch {
			if m.Observe(&Alert{Class: ClassAnomaly, Kind: k}) {
				t.Errorf("%q matches %s", tc.spec, k)
			}
		}
		if m.Matched() {
			t.Errorf("%q: matched before any of its kinds", tc.spec)
		}
		for _, k := range tc.match {
			if !m.Observe(&Alert{Class: ClassAnomaly, Kind: k}) {
				t.Errorf("%q does not match %s", tc.spec, k)
			}
		}
		if !m.Matched() {
			t.Errorf("%q: not matched after its kinds", tc.spec)
		}
	}
	// The error lists every kind, once, sorted.
	_, err := ParseFailOn("x", []string{"split_brain", "election_storm", "split_brain"})
	if want := `unknown kind "x"; the kinds are any and election_storm, split_brain`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	_, err = ParseFailOn("x", known)
	for _, k := range known {
		if !strings.Contains(err.Error(), " "+k) {
			t.Errorf("the error does not list %s: %v", k, err)
		}
	}
}

// Summary names the count and the first alert; the matcher is safe for
// the frame loop and another goroutine at once.
func TestMatcherSummary(t *testing.T) {
	m, err := ParseFailOn("election_storm", AnomalyKinds())
	if err != nil {
		t.Fatal(err)
	}
	if m.Summary() != "" {
		t.Errorf("summary before a match: %q", m.Summary())
	}
	var wg sync.WaitGroup
	first := storm(0, "DELTA")
	m.Observe(&first)
	for range 4 {
		wg.Go(func() {
			for range 10 {
				a := storm(0, "OTHER")
				m.Observe(&a)
			}
		})
	}
	wg.Wait()
	want := "41 alerts of the --fail-on kinds, the first: anomaly election_storm segment=lab/198.18.1.255 workgroup=LABWG host=DELTA time=2026-11-22T00:58:11.613Z"
	if got := m.Summary(); got != want {
		t.Errorf("summary %q\nwant    %q", got, want)
	}
}
