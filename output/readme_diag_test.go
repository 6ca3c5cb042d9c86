package output_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// README's "Diagnosing a storm" pastes the report's diagnosis section and
// the diagnosis line of -T events for the nofw138 lab capture: they are
// what the code prints.
func TestReadmeDiagnosis(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i := strings.Index(readme, "### Diagnosing a storm")
	if i < 0 {
		t.Fatal("README has no section Diagnosing a storm")
	}
	section := readme[i:]
	evs, snap := labTimeline(t, "nofw138")
	var buf bytes.Buffer
	if err := output.WriteReport(&buf, snap); err != nil {
		t.Fatal(err)
	}
	report := buf.String()
	start := strings.Index(report, "== diagnosis (")
	end := strings.Index(report[start:], "\n\n")
	if start < 0 || end < 0 {
		t.Fatalf("no diagnosis section in the report:\n%s", report)
	}
	diag := report[start : start+end+1]
	if !strings.Contains(section, diag) {
		t.Errorf("README's report is not what the code prints; it prints:\n%s", diag)
	}
	if !strings.Contains(section, report[:start]) {
		t.Errorf("README's report head is not what the code prints:\n%s", report[:start])
	}
	n := 0
	for i := range evs {
		if evs[i].Kind != timeline.KindDiagnosis {
			continue
		}
		n++
		line := string(output.AppendEvent(nil, &evs[i]))
		if !strings.Contains(section, line+"\n") {
			t.Errorf("README lacks the diagnosis event line:\n%s", line)
		}
	}
	if n == 0 {
		t.Error("no diagnosis event on nofw138")
	}
}
