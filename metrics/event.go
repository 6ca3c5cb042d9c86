package metrics

import (
	"fmt"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// This file is the one place that knows how a timeline.Event is laid out
// and how its kinds are spelt: when the timeline's types change, only
// eventFields and name change.

var (
	kindElectionStart = name(timeline.KindElectionStart)
	kindRoleBegin     = name(timeline.KindRoleBegin)
	kindRoleEnd       = name(timeline.KindRoleEnd)
	kindAnomaly       = name(timeline.KindAnomaly)
)

// eventFields returns the event's kind, the role of a role.* event and the
// anomaly kind of an anomaly, as text ("" where the event has none).
func eventFields(ev *timeline.Event) (kind, role, anomaly string) {
	return name(ev.Kind), name(ev.Role), name(ev.Anomaly)
}

// name is the text of a timeline kind, role or outcome, whether it is a
// string or a named type with String().
func name(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}
