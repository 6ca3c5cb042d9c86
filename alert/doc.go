// Package alert acts on the timeline's anomalies and diagnoses: it gates
// a batch run on them (--fail-on KINDS), runs a command for each
// (--on-alert CMD) and writes them to the syslog (--syslog). It is a
// renderer (STYLE.md): it reads events and never changes them; the wire's
// bytes are escaped by output's rule (output.AppendEscapedString) in every
// text it makes.
//
// # Alerts
//
// An Alert is one anomaly (FromEvent) or diagnosis: class, kind, segment,
// workgroup, host, detail, capture time, and the event's -T events JSON.
// Alert.String is its one-line text, escaped and bounded.
//
// # --fail-on KINDS
//
// ParseFailOn reads a comma-separated list of anomaly and diagnosis kinds
// or "any"; a kind it does not know is an error listing the kinds. The
// Matcher's Observe records each alert of those kinds; after all output
// is written the command exits with ExitFailOn (3) if Matched.
//
// # --on-alert CMD and --syslog
//
// A Dispatcher hands alerts to one Sink (Command: /bin/sh -c CMD with the
// JSON on standard input; Syslog: log/syslog) without ever blocking the
// caller:
//
//   - deduplicated: an alert with the class, kind, segment, workgroup and
//     host of one sent less than Options.Window earlier is dropped
//     (the table of those is bounded by MaxKeys);
//   - rate-limited: a token bucket (golang.org/x/time/rate), Burst alerts
//     at once and one more every Options.Every;
//   - queued: at most Options.Queue alerts wait for the sink; one more is
//     dropped (QueueFull) and reported, never queued without bound;
//   - sent by one worker goroutine, each within Options.Timeout: a command
//     still running then is killed with its process group (TimedOut); one
//     that exits non-zero is Failed, with its exit status and the first
//     KiB of its output.
//
// The window and the bucket run on capture time (the alert's Time), so a
// replayed capture is deduplicated and limited as it was live and the
// tests are deterministic; Options.Now injects another clock. Every
// outcome but Queued goes to Options.OnOutcome and is counted (Count).
//
// # Wiring (the CLI)
//
//	known := alert.Kinds() // AnomalyKinds, then DiagnosisKinds
//	var failOn *alert.Matcher
//	if o.failOn != "" {
//		failOn, err = alert.ParseFailOn(o.failOn, known) // error: "--fail-on: " + err
//	}
//	report := func(sink string) func(*alert.Alert, alert.Outcome, error) {
//		return func(a *alert.Alert, oc alert.Outcome, err error) {
//			mc.AlertOutcome(sink, oc.String()) // with --metrics
//			switch oc {
//			case alert.Failed, alert.TimedOut, alert.QueueFull:
//				fmt.Fprintf(os.Stderr, "nbtsniff: %s: %s: %s %v\n", sink, a.String(), oc, err)
//			}
//		}
//	}
//	var sinks []*alert.Dispatcher
//	if o.onAlert != "" {
//		opt := alert.DefaultOptions()
//		opt.OnOutcome = report("--on-alert")
//		sinks = append(sinks, alert.NewDispatcher(alert.NewCommand(o.onAlert), opt))
//	}
//	if o.syslog {
//		sl, err := alert.DialSyslog("", "", "nbtsniff") // error: "--syslog: " + err
//		opt := alert.DefaultOptions()
//		opt.Every = 0 // the syslog takes every alert the window lets through
//		opt.OnOutcome = report("--syslog")
//		sinks = append(sinks, alert.NewDispatcher(sl, opt)) // sl.Close() after the dispatcher's Close
//	}
//	// in the tracker's emit function, for each event (anomalies and
//	// diagnoses are alerts, of ClassAnomaly and ClassDiagnosis):
//	if a, ok := alert.FromEvent(&ev); ok {
//		if failOn != nil { failOn.Observe(&a) }
//		for _, d := range sinks { d.Submit(a) }
//	}
//	// at the end, after all output is written:
//	for _, d := range sinks { d.Close() } // runs what is queued: at most Queue x Timeout
//	if failOn != nil && failOn.Matched() {
//		fmt.Fprintln(os.Stderr, "nbtsniff: "+failOn.Summary())
//		os.Exit(alert.ExitFailOn)
//	}
//
// Submit, Observe and the outcome callbacks are safe for concurrent use.
//
// # The timeline's types
//
// event.go is the one place that knows timeline.Event's layout and how its
// kinds are spelt (eventFields, name, AnomalyKinds, DiagnosisKinds): when
// those types change, only that file changes. TestAnomalyKindsComplete and
// TestDiagnosisKindsComplete fail when the timeline gains an anomaly or a
// diagnosis kind that the lists do not have.
package alert
