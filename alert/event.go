package alert

import (
	"github.com/nbtsniff/nbtsniff/timeline"
)

// This file is the one place that knows how a timeline.Event is laid out
// and how its kinds are spelt: when the timeline's types change, only
// eventFields, name and AnomalyKinds change.

var kindAnomaly = timeline.KindAnomaly.String()

// eventFields returns the event's kind and, for an anomaly, its kind, as
// text.
func eventFields(ev *timeline.Event) (kind, anomaly string) {
	if a, ok := ev.Data.(*timeline.Anomaly); ok {
		anomaly = a.Kind.String()
	}
	return ev.Kind.String(), anomaly
}

// AnomalyKinds lists the timeline's anomaly kinds (timeline/doc.go,
// "Anomalies"), the names --fail-on takes besides the diagnosis kinds and
// "any". TestAnomalyKindsComplete holds it to the timeline's constants.
func AnomalyKinds() []string {
	return []string{
		timeline.AnomalyElectionStorm.String(),
		timeline.AnomalyElectionTimeout.String(),
		timeline.AnomalyElectionUnending.String(),
		timeline.AnomalySplitBrain.String(),
		timeline.AnomalyRiggedElection.String(),
		timeline.AnomalyResetBrowser.String(),
		timeline.AnomalyDMBClaim.String(),
		timeline.AnomalyDMBConflict.String(),
		timeline.AnomalyNameConflict.String(),
		timeline.AnomalyNameNegative.String(),
		timeline.AnomalySessionRefused.String(),
		timeline.AnomalySessionRetarget.String(),
		timeline.AnomalyEnumTruncated.String(),
		timeline.AnomalyEnumMismatch.String(),
		timeline.AnomalyWrongName.String(),
		timeline.AnomalyBadPeriodicity.String(),
		timeline.AnomalyEntryExpired.String(),
		timeline.AnomalyDecodeError.String(),
		timeline.AnomalyLimit.String(),
		timeline.AnomalyTimeJump.String(),
		timeline.AnomalyDMBDisplaced.String(),
		timeline.AnomalyMultiTransport.String(),
	}
}
