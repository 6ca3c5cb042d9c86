package alert

import (
	"fmt"
	"time"

	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// Class says whether an alert is an anomaly or a diagnosis.
type Class uint8

// Classes.
const (
	ClassAnomaly   Class = iota + 1 // a timeline anomaly event
	ClassDiagnosis                  // a diagnosis event (a cause named from the wire)
)

func (c Class) String() string {
	switch c {
	case ClassAnomaly:
		return "anomaly"
	case ClassDiagnosis:
		return "diagnosis"
	}
	return fmt.Sprintf("Class(%d)", uint8(c))
}

// Alert is one anomaly or diagnosis handed to the sinks. Time is capture
// time; the strings are as the timeline has them (from the wire: sinks
// escape them).
type Alert struct {
	Time      time.Time
	Class     Class
	Kind      string // election_storm, split_brain, ... or a diagnosis kind
	Segment   string
	Workgroup string
	Host      string
	Detail    string
	JSON      []byte // the event as -T events writes it: one object, no newline
}

// FromEvent makes the alert of a timeline anomaly or diagnosis event;
// other events are not alerts (ok false). A diagnosis's detail is its text,
// its fix and its confidence.
func FromEvent(ev *timeline.Event) (a Alert, ok bool) {
	kind, sub := eventFields(ev)
	class, detail := ClassAnomaly, ev.Detail
	switch kind {
	case kindAnomaly:
	case kindDiagnosis:
		class, detail = ClassDiagnosis, diagnosisDetail(ev)
	default:
		return Alert{}, false
	}
	return Alert{
		Time:      ev.Time,
		Class:     class,
		Kind:      sub,
		Segment:   ev.Segment,
		Workgroup: ev.Workgroup,
		Host:      ev.Host,
		Detail:    detail,
		JSON:      output.AppendEvent(nil, ev),
	}, true
}

// String is the alert on one line, every value escaped (output's rule)
// and bounded, values with a space, quote, backslash or '=' quoted:
//
//	anomaly election_storm segment=lab/198.18.1.255 workgroup=LABWG host=DELTA time=2026-11-22T00:58:11.613Z: 6 elections in 5m0s ...
//
// It is the syslog message and the text of the CLI's reports.
func (a *Alert) String() string {
	b := make([]byte, 0, 160+len(a.Detail))
	b = append(b, a.Class.String()...)
	b = append(b, ' ')
	b = appendValue(b, a.Kind, maxValue)
	for _, kv := range [...]struct{ k, v string }{{"segment", a.Segment}, {"workgroup", a.Workgroup}, {"host", a.Host}} {
		if kv.v == "" {
			continue
		}
		b = append(b, ' ')
		b = append(b, kv.k...)
		b = append(b, '=')
		b = appendValue(b, kv.v, maxValue)
	}
	if !a.Time.IsZero() {
		b = append(b, " time="...)
		b = a.Time.UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
	}
	if a.Detail != "" {
		b = append(b, ": "...)
		b = appendBounded(b, a.Detail, maxDetail)
	}
	return string(b)
}

// Bounds of one value and of the detail in String, in bytes after
// escaping.
const (
	maxValue  = 128
	maxDetail = 512
)

// appendBounded appends s escaped (output.AppendEscapedString) and cut to
// max bytes on a rune boundary, the cut marked "...".
func appendBounded(dst []byte, s string, max int) []byte {
	start := len(dst)
	dst = output.AppendEscapedString(dst, s)
	if len(dst)-start <= max {
		return dst
	}
	n := start + max - 3
	for n > start && dst[n]&0xc0 == 0x80 {
		n--
	}
	return append(dst[:n], "..."...)
}

// appendValue appends s as a key=value value: as it is when it is
// non-empty printable ASCII without space, quote, backslash or '=';
// otherwise in double quotes, with quote and backslash preceded by a
// backslash and everything else escaped by output's rule. Bounded to max.
func appendValue(dst []byte, s string, max int) []byte {
	plain := s != ""
	for i := 0; plain && i < len(s); i++ {
		c := s[i]
		plain = c > ' ' && c < 0x7f && c != '"' && c != '\\' && c != '='
	}
	if plain {
		return appendBounded(dst, s, max)
	}
	var b []byte
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != '"' && s[i] != '\\' {
			i++
		}
		b = output.AppendEscapedString(b, s[:i])
		if i < len(s) {
			b = append(b, '\\', s[i])
			i++
		}
		s = s[i:]
	}
	if len(b) > max {
		n := max - 3
		for n > 0 && b[n]&0xc0 == 0x80 {
			n--
		}
		b = append(b[:n], "..."...)
	}
	dst = append(dst, '"')
	dst = append(dst, b...)
	return append(dst, '"')
}
