package alert

import (
	"fmt"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// This file is the one place that knows how a timeline.Event is laid out
// and how its kinds are spelt: when the timeline's types change, only
// eventFields, name and AnomalyKinds change.

var kindAnomaly = name(timeline.KindAnomaly)

// eventFields returns the event's kind and, for an anomaly, its kind, as
// text.
func eventFields(ev *timeline.Event) (kind, anomaly string) {
	return name(ev.Kind), name(ev.Anomaly)
}

// AnomalyKinds lists the timeline's anomaly kinds (timeline/doc.go,
// "Anomalies"), the names --fail-on takes besides the diagnosis kinds and
// "any". TestAnomalyKindsComplete holds it to the timeline's constants.
func AnomalyKinds() []string {
	return []string{
		name(timeline.AnomalyElectionStorm),
		name(timeline.AnomalyElectionTimeout),
		name(timeline.AnomalyElectionUnending),
		name(timeline.AnomalySplitBrain),
		name(timeline.AnomalyRiggedElection),
		name(timeline.AnomalyResetBrowser),
		name(timeline.AnomalyDMBClaim),
		name(timeline.AnomalyDMBConflict),
		name(timeline.AnomalyNameConflict),
		name(timeline.AnomalyNameNegative),
		name(timeline.AnomalySessionRefused),
		name(timeline.AnomalySessionRetarget),
		name(timeline.AnomalyEnumTruncated),
		name(timeline.AnomalyEnumMismatch),
		name(timeline.AnomalyWrongName),
		name(timeline.AnomalyBadPeriodicity),
		name(timeline.AnomalyEntryExpired),
		name(timeline.AnomalyDecodeError),
		name(timeline.AnomalyLimit),
	}
}

// name is the text of a timeline kind, whether it is a string or a named
// type with String().
func name(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}
