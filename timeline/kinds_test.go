package timeline

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// Every value of each enumeration has its own name, which MarshalText
// gives too and README.md documents; the zero value prints as "".
func TestEnumNames(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	type enum struct {
		name  string
		count int
		str   func(int) string
		text  func(int) ([]byte, error)
	}
	for _, e := range []enum{
		{"EventKind", int(KindDiagnosis), func(i int) string { return EventKind(i).String() }, func(i int) ([]byte, error) { return EventKind(i).MarshalText() }},
		{"Role", int(RolePDC), func(i int) string { return Role(i).String() }, func(i int) ([]byte, error) { return Role(i).MarshalText() }},
		{"Outcome", int(OutcomeUnfinished), func(i int) string { return Outcome(i).String() }, func(i int) ([]byte, error) { return Outcome(i).MarshalText() }},
		{"AnomalyKind", int(AnomalyMultiTransport), func(i int) string { return AnomalyKind(i).String() }, func(i int) ([]byte, error) { return AnomalyKind(i).MarshalText() }},
		{"DiagnosisKind", int(DiagEnumRefused), func(i int) string { return DiagnosisKind(i).String() }, func(i int) ([]byte, error) { return DiagnosisKind(i).MarshalText() }},
		{"Confidence", int(ConfidenceHigh), func(i int) string { return Confidence(i).String() }, func(i int) ([]byte, error) { return Confidence(i).MarshalText() }},
	} {
		if s := e.str(0); s != "" {
			t.Errorf("%s(0) = %q, want \"\"", e.name, s)
		}
		seen := map[string]bool{}
		for i := 1; i <= e.count; i++ {
			s := e.str(i)
			if s == "" || strings.HasPrefix(s, e.name+"(") || seen[s] {
				t.Errorf("%s(%d) = %q: empty, unnamed or a duplicate", e.name, i, s)
			}
			seen[s] = true
			if b, err := e.text(i); err != nil || string(b) != s {
				t.Errorf("%s(%d).MarshalText = %q, %v; want %q", e.name, i, b, err, s)
			}
			if !strings.Contains(string(readme), "`"+s+"`") {
				t.Errorf("README.md does not document %s %q", e.name, s)
			}
		}
		if s := e.str(e.count + 1); s != e.name+"("+itoa(e.count+1)+")" {
			t.Errorf("%s(%d) = %q", e.name, e.count+1, s)
		}
	}
	b, err := json.Marshal(struct {
		K EventKind
		R Role
	}{KindRoleBegin, RoleLMB})
	if err != nil || string(b) != `{"K":"role.begin","R":"lmb"}` {
		t.Errorf("json.Marshal = %s, %v", b, err)
	}
}
