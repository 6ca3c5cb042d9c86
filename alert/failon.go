package alert

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// ExitFailOn is the exit status of a run in which a --fail-on kind
// occurred (after all output is written).
const ExitFailOn = 3

// Any is the --fail-on word for every anomaly and diagnosis kind.
const Any = "any"

// Matcher is --fail-on KINDS: it records whether an alert of one of the
// kinds occurred. Safe for concurrent use.
type Matcher struct {
	any   bool
	kinds map[string]bool

	mu    sync.Mutex
	n     int
	first Alert
}

// ParseFailOn reads a comma-separated list of kinds, or "any" (spaces
// around a kind are ignored). known lists the kinds that exist: the
// anomaly kinds (AnomalyKinds) and the diagnosis kinds. A kind not in
// known is an error that lists them.
func ParseFailOn(spec string, known []string) (*Matcher, error) {
	m := &Matcher{kinds: make(map[string]bool)}
	for _, k := range strings.Split(spec, ",") {
		k = strings.TrimSpace(k)
		switch {
		case k == "":
			return nil, fmt.Errorf("empty kind in %q (give a comma-separated list of kinds, or %s)", spec, Any)
		case k == Any:
			m.any = true
		case slices.Contains(known, k):
			m.kinds[k] = true
		default:
			names := slices.Clone(known)
			slices.Sort(names)
			names = slices.Compact(names)
			return nil, fmt.Errorf("unknown kind %q; the kinds are %s and %s", k, Any, strings.Join(names, ", "))
		}
	}
	return m, nil
}

// Observe records a if its kind is one of the matcher's, and reports
// whether it is.
func (m *Matcher) Observe(a *Alert) bool {
	if !m.any && !m.kinds[a.Kind] {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.n == 0 {
		m.first = *a
		m.first.JSON = nil
	}
	m.n++
	return true
}

// Matched reports whether an alert of one of the kinds occurred: the run
// then exits with ExitFailOn.
func (m *Matcher) Matched() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n > 0
}

// Summary says what matched, for the message printed before exiting:
// "3 alerts of the --fail-on kinds, the first: anomaly election_storm ...".
// It is empty when nothing matched.
func (m *Matcher) Summary() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.n == 0 {
		return ""
	}
	s := "alerts"
	if m.n == 1 {
		s = "alert"
	}
	return fmt.Sprintf("%d %s of the --fail-on kinds, the first: %s", m.n, s, m.first.String())
}
