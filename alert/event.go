package alert

import (
	"github.com/nbtsniff/nbtsniff/timeline"
)

// This file is the one place that knows how a timeline.Event is laid out
// and how its kinds are spelt: when the timeline's types change, only
// eventFields, name, AnomalyKinds and DiagnosisKinds change.

var (
	kindAnomaly   = timeline.KindAnomaly.String()
	kindDiagnosis = timeline.KindDiagnosis.String()
)

// eventFields returns the event's kind and, for an anomaly or a
// diagnosis, its own kind, as text.
func eventFields(ev *timeline.Event) (kind, sub string) {
	switch d := ev.Data.(type) {
	case *timeline.Anomaly:
		sub = d.Kind.String()
	case *timeline.Diagnosis:
		sub = d.Kind.String()
	}
	return ev.Kind.String(), sub
}

// diagnosisDetail is the detail of a diagnosis alert: what is wrong and
// what to change.
func diagnosisDetail(ev *timeline.Event) string {
	d, ok := ev.Data.(*timeline.Diagnosis)
	if !ok {
		return ev.Detail
	}
	return d.Text + "; fix: " + d.Fix + " (confidence " + d.Confidence.String() + ")"
}

// DiagnosisKinds lists the timeline's diagnosis kinds (timeline/README.md,
// "Diagnoses"), the names --fail-on takes besides the anomaly kinds and
// "any". TestDiagnosisKindsComplete holds it to the timeline's constants.
func DiagnosisKinds() []string {
	var out []string
	for _, k := range timeline.DiagnosisKinds() {
		out = append(out, k.String())
	}
	return out
}

// Kinds lists every kind --fail-on knows: the anomaly kinds, then the
// diagnosis kinds.
func Kinds() []string { return append(AnomalyKinds(), DiagnosisKinds()...) }

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
