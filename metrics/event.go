package metrics

import (
	"github.com/nbtsniff/nbtsniff/timeline"
)

// This file is the one place that knows how a timeline.Event is laid out
// and how its kinds are spelt: when the timeline's types change, only
// eventFields and name change.

var (
	kindElectionStart = timeline.KindElectionStart.String()
	kindRoleBegin     = timeline.KindRoleBegin.String()
	kindRoleEnd       = timeline.KindRoleEnd.String()
	kindAnomaly       = timeline.KindAnomaly.String()
)

// eventFields returns the event's kind, the role of a role.* event and the
// anomaly kind of an anomaly, as text ("" where the event has none).
func eventFields(ev *timeline.Event) (kind, role, anomaly string) {
	switch d := ev.Data.(type) {
	case *timeline.RoleChange:
		role = d.Role.String()
	case *timeline.Anomaly:
		anomaly = d.Kind.String()
	}
	return ev.Kind.String(), role, anomaly
}
