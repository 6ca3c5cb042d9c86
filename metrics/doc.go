// Package metrics exposes what nbtsniff sees as Prometheus metrics, with
// github.com/prometheus/client_golang: frames, bytes and decode errors by
// protocol, elections, role changes, anomalies and diagnoses, and from the
// timeline's snapshots the masters in office, elections in progress,
// Browse List sizes and DMB synchronisation ages; kernel drops and capture
// lag are set from outside. It is a renderer (STYLE.md): it reads frames,
// events and snapshots and changes none of them.
//
// # Metrics
//
// Every name starts with nbtsniff_ and follows Prometheus' conventions
// (counters end in _total, durations are in seconds); promlint checks them
// in the tests.
//
//	nbtsniff_frames_total{protocol}                       counter
//	nbtsniff_bytes_total{protocol}                        counter (wire length)
//	nbtsniff_decode_errors_total{protocol}                counter
//	nbtsniff_elections_total{segment,workgroup}           counter
//	nbtsniff_role_changes_total{segment,workgroup,role,change}  counter (change: begin, end)
//	nbtsniff_anomalies_total{kind,segment}                counter
//	nbtsniff_diagnoses_total{kind,segment}                counter
//	nbtsniff_alerts_total{sink,outcome}                   counter
//	nbtsniff_bound_hits_total{bound}                      counter (a connection evicted, a transaction dropped...)
//	nbtsniff_masters{segment,workgroup}                   gauge (0: none, 2+: split brain)
//	nbtsniff_master_info{segment,workgroup,master}        gauge, always 1
//	nbtsniff_elections_in_progress{segment,workgroup}     gauge
//	nbtsniff_browse_list_servers{segment,workgroup}       gauge
//	nbtsniff_browse_list_workgroups{segment}              gauge
//	nbtsniff_dmb_sync_age_seconds{segment,workgroup}      gauge
//	nbtsniff_state_time_seconds                           gauge (capture time of the snapshot)
//	nbtsniff_kernel_drops_total{interface}                counter (set from outside)
//	nbtsniff_capture_lag_seconds{source}                  gauge (set from outside)
//	nbtsniff_metrics_overflow_total{metric}               counter
//
// plus the Go runtime and process collectors (go_*, process_*), which show
// the heap of a capture that runs for weeks. protocol is one of a fixed
// set: nbns, nbdgm, nbss, smb, smb2, smbtrans, mailslot, browser, lanman,
// rap, other. The alert rules in contrib/prometheus use these names; a
// test holds the rules to them.
//
// # Label values from the wire
//
// Segment, workgroup, master and kind come from the wire or from the
// command line. Each is escaped as every text mode escapes wire bytes
// (output.AppendEscapedString: control bytes, C1 controls, bidi overrides
// and invalid UTF-8 become \xNN) and cut to Options.MaxLabelLen bytes on a
// rune boundary, ending in "...". Each metric holds at most
// Options.MaxSeries label sets (by default four times the timeline's
// MaxGroups); an increment of a new label set beyond that, or a series
// left out of a snapshot, is counted in nbtsniff_metrics_overflow_total
// with the metric's name, so cardinality stays bounded whatever the wire
// says. The snapshot metrics are rebuilt from each snapshot: a master
// that lost its role, or a group the timeline evicted, is gone from the
// next scrape.
//
// # Wiring (the CLI's --metrics ADDR)
//
//	mc := metrics.New(metrics.Options{})
//	srv, err := mc.Serve(addr)          // listens now: a bad ADDR fails before capture
//	defer srv.Close()
//	// per frame, in the frame loop (0 allocations, ~30 ns):
//	mc.Frame(f)
//	// per event, in the tracker's emit function:
//	mc.Event(&ev)
//	// per diagnosis (when the diagnosis events exist):
//	mc.Diagnosis(kind, segment)
//	// snapshots, from the frame loop, by capture time (every 5 s by
//	// default), also after tr.Advance(now) in live mode, and at the end:
//	if mc.SnapshotDue(f.Time) { mc.Snapshot(tr.Snapshot()) }
//	// from the capture's statistics ticker, live mode:
//	mc.SetKernelDrops(iface, stats.Drops)
//	mc.SetCaptureLag(sourceLabel, time.Since(f.Time))
//	// from the alert dispatchers' OnOutcome:
//	mc.AlertOutcome(sink, outcome.String())
//
// Frame, Event, Diagnosis, Snapshot, SetKernelDrops, SetCaptureLag and
// AlertOutcome are safe for concurrent use; SnapshotDue belongs to the
// frame loop. With -r, the server stays up until the capture is read; a
// caller that wants a last scrape keeps it open (for instance until
// SIGINT) before srv.Close.
//
// # The timeline's types
//
// event.go is the one place that knows timeline.Event's layout and how its
// kinds, roles and anomaly kinds are spelt (eventFields and name): when
// those types change, only that file changes.
//
// # Adding a metric
//
// Name it nbtsniff_<what>_<unit> (_total for a counter); a counter fed by
// events is a cappedCounter made in New; a value read from the snapshot
// is a Desc in stateCollector, added in update through sampler.add (which
// escapes and caps) and named in descName; document it above and, if an
// alert uses it, in contrib/prometheus; TestPedanticAndLint checks the
// conventions.
package metrics
