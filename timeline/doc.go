// Package timeline tells the story of a Network Neighborhood from passive
// traffic: who held which browser role, when and why; every election, round
// by round, and why the winner won; what each Browse List held at any
// moment; the NetBIOS names; and what went wrong. It is fed typed
// Observations (input.go; Adapter.FromFrame makes them from decoded frames)
// and gives typed Events and immutable Snapshots; it knows nothing of bytes,
// of printing or of the UI. Everything runs on capture time: replaying a
// capture gives the same events, byte for byte; nothing here calls time.Now.
//
// # Using it
//
//	tr := timeline.New(cfg, emit)       // emit gets every Event, in order
//	ad := timeline.NewAdapter()
//	for each decoded frame f:
//		for _, o := range ad.FromFrame(f) { tr.Observe(o) }
//	tr.Finish(lastFrameTime)            // or tr.Advance(now) periodically when live
//	snap := tr.Snapshot()               // immutable
//
// The output package prints them: output.AppendEvent (-T events),
// output.WriteReport (--report) and output.WriteReportJSON (--report=json);
// the view draws them. An Event is a header (time, frame, kind, segment,
// workgroup, host, address, reason, detail, evidence frames) and, in Data,
// what its kind carries: *ElectionStart, *ElectionBallot, *ElectionDropout,
// *ElectionEnd, *RoleChange, *ServerChange, *ServerListSnapshot, *NameInfo,
// *Message or *Anomaly (the Kind* constants say which). Event kinds, roles,
// election outcomes and anomaly kinds are typed enumerations (kinds.go)
// whose String is the name printed. The only text the package writes is
// the String of its own types and the sentences of Reason, Detail and Why
// (with the helpers of text.go), which the renderers print as they are.
// Events and snapshots are read only.
//
// # Files
//
//	input.go, adapter.go     the observations, and how decoded frames become them
//	arena.go                 Arena: the observations' memory, reused per batch of a parallel run
//	sessionbook.go           SessionBook: the NBSS session names, shared by the adapters of engines
//	tracker.go               Tracker: New, Observe, Advance, Finish; emitting events and anomalies
//	tables.go                addresses, segments, hosts and groups: bounded, evicted oldest first
//	aged.go                  the least-recently-seen order of each table (O(1) in capture order)
//	history.go               closed role intervals and elections bounded over all groups
//	hearing.go               where a frame was heard and which hosts could hear it
//	transport.go             NBT, NetBEUI and IPX: their segments and node addresses
//	bindings.go              a host on several transports (multi_transport)
//	dedup.go                 the same frame seen twice within DupWindow
//	browse.go, domains.go    Browse Lists and the workgroup lists
//	messages.go              the other browser frames (requests, MasterAnnouncement, reset)
//	election.go, ballot.go   elections and how ballots compare
//	why.go                   why an election was won: the winner against its strongest rival
//	predict.go               from a Snapshot: who would win an election held now (Predict), when
//	                         entries are due and expire, newcomers, backup browsers (Forecasts;
//	                         ForecastsByGroup and ForecastEntry for a writer that prints
//	                         each entry's forecast as it makes it)
//	explain.go               from a Snapshot: why HOST is or is not the master and in the Browse
//	                         List, what it would need to win (Explain: --why, and the TUI)
//	storm.go                 election storms: a count and a pattern
//	diagnosis.go             diagnoses: the Diagnosis event, emitting it once, the detectors' schedule and tables
//	diag_network.go          causes on the wire: mask mismatch, forwarded broadcasts, UDP 138 blocked, multihoming
//	diag_names.go            causes in NBNS: WINS unreachable or split, node types, spoofing, WORKGROUP<1b>
//	diag_browse.go           causes among browsers: workgroup typos, no browser, over-enabled and preferred masters, domain masters, refused lists
//	typos.go                 the index of workgroup names that finds the candidates of workgroup_typo
//	roles.go                 roles over time
//	names.go, nameanswers.go, nametable.go   NBNS requests, responses, the names
//	serverlist.go            NetServerEnum2 lists seen, compared and merged
//	sessions.go              refused and retargeted sessions, decode errors
//	timers.go                expiry and election timers on capture time
//	event.go, kinds.go, state.go   what comes out: events, enumerations, state types
//	snapshot.go              Snapshot: the deep copy
//	text.go                  the helpers of the sentences (TimeFormat, NAME<xx>)
//	config.go                bounds and thresholds
//
// The state at an earlier time T: replay with Config.At = T (observations
// after T are ignored, timers stop at T), then Finish and Snapshot.
//
// # Where things happen
//
// Elections and local masters are per broadcast segment and workgroup. A
// segment is the capture source label (-r LABEL=FILE, or the interface)
// plus the directed broadcast address a frame was sent to ("lab/10.0.0.255").
// A unicast frame belongs to the segment its source was last seen
// broadcasting on (a never-seen address gets the narrowest subnet
// broadcast its wire's hosts send to that can hold it, else its
// x.x.x.255; a name query answer is placed by the answerer when it
// answers for itself, not by the first of the addresses a multihomed
// host lists); a unicast
// HostAnnouncement (Samba's remote announce) goes into the Browse List of
// the browser it was sent to. A host is its NetBIOS name (upper case) on
// a segment, with its address.
//
// NetBIOS over NetBEUI and over IPX are segments of their own
// (transport.go): "LABEL/NetBEUI" and "LABEL/IPX", one election and one
// Browse List per transport, as Windows keeps them per binding. Their
// hosts are a NetBIOS name and a node address (MAC address, IPX network
// and node), and every host of such a segment hears its broadcasts.
//
// Hearing is not symmetric (hearing.go). A host accepts its own address,
// 255.255.255.255 and its own subnet's broadcast address, which the
// tracker learns from the directed broadcasts it sends (a /25 host sends
// to x.x.x.127: a subnet broadcast other than x.x.x.255 stays on its
// sender's segment). A frame moves the state of the hosts that can hear it
// only: a master stepping down, a candidate dropping out, a master losing
// an election, a name taken over. A directed broadcast from outside the
// subnet it addresses (forwarded by a router) is heard there, but its
// sender holds no role there. Where a host's subnet broadcast is not known
// it is taken to hear, and the text says that this is uncertain.
//
// # Elections
//
// Ballots are compared as [MS-BRWS] §3.3.5.8 (Receiving a RequestElection
// Frame), the Leach/Naik browser draft (draft-leach-cifs-browser-spec-00)
// and Hertel, Implementing CIFS (the Browse Service part) say, and as Samba's nmbd_elections.c win_election does: version,
// then criteria as an unsigned 32-bit number (OS level, browser version,
// role bits), then uptime, then the name that sorts first. A segment and
// workgroup hold one election per broadcast address at a time: hosts that
// cannot hear each other's ballots hold separate elections. An election
// starts with a RequestElection heard while none is running, or with a
// forced one (version 0 or criteria 0: a browser that cannot find its
// master, a local master shutting down, [MS-BRWS] §3.3.7), which
// restarts it on every browser; a candidate that had dropped out and sends
// again starts a new one, unless it only re-sends the ballot it started
// with (same version, criteria and name within seconds, the uptime
// unchanged as Windows sends it or advanced by the time elapsed as Samba
// does: isResend) or its earlier ballot was the forced one it used to call
// the election. Each RequestElection is a round; a candidate drops
// out at the first better ballot it can hear after its own (browsers stop
// sending then). It ends with the LocalMasterAnnouncement of the winner (won); when
// the master in office leads and announces itself again (Windows) or the
// ballots stop for ElectionSettle (Samba, which sends no new
// announcement when it wins again), it kept the role (at its last
// ballot, the frame the end cites; a leader that took office only after
// the ballots settled, announcing itself on another broadcast address of
// the segment, did not keep it: the election times out); when
// the leading candidate announces it is going away it is aborted; with no
// master announced ElectionTimeout after the last ballot it timed out (an
// anomaly); at the end of a capture it is unfinished. The why compares the
// winner with its strongest real rival (why.go): the other candidates and
// the master in office, which may lose without a ballot in the election
// (compared with the ballot it last sent, master bit set), never a forced
// ballot, which can win nothing; it uses the winner's ballot sent right
// after that rival's last one, and names the browsers that could not hear
// the election; a winner whose ballot loses to a candidate still present
// is flagged (rigged_election).
//
// # Roles
//
// lmb begins at the host's LocalMasterAnnouncement (or a HostAnnouncement
// with SV_TYPE_MASTER_BROWSER): nmbd logs "is now a local master browser"
// right before it. It ends, whichever comes first: at the first
// RequestElection it can hear with a better ballot than the master's last
// known one
// (with the master bit 0x04 set, [MS-BRWS] §2.2.3; nmbd logs "Lost
// election" within a millisecond of that frame); at its NBNS release of
// WORKGROUP<1d> (Samba sends no browser frame when it loses: the election
// capture's ALPHA, frames 91-92); at its going-away announcement (server type
// 0, period 0: what nmbd sends on SIGTERM; [MS-BRWS] §3.3.7 and §3.2.7); at a
// HostAnnouncement without the master bit; at a ResetBrowserState telling it
// to stop (flags 0x01 or 0x04, [MS-BRWS] §2.2.9); when another host wins an
// election it heard, or announces itself master while this one has been
// silent for SplitBrainWindow (if it was heard more recently, both are
// masters: a split brain; if it cannot hear the other, both are masters
// until they stop, a split brain that says why); when its uptime goes back (restart); or when its Browse List entry
// expires. dmb begins at a WINS positive answer to its registration of
// WORKGROUP<1b>, at its third broadcast transmission of that registration
// without objection (RFC 1002 §6 BCAST_REQ_RETRY_COUNT = 3), at an
// announcement with SV_TYPE_DOMAIN_MASTER, or when it receives a
// MasterAnnouncement ([MS-BRWS] §2.2.8); it ends at the release of
// WORKGROUP<1b> or when the host goes away. potential and backup follow the
// SV_TYPE_POTENTIAL_BROWSER and SV_TYPE_BACKUP_BROWSER bits of the host's
// announcements (a host listed in a GetBackupListResponse is a backup);
// pdc begins at an announcement with SV_TYPE_DOMAIN_CTRL: the ballot's
// role bit 0x80 proves nothing (Samba sets it for "domain master = yes" on
// a standalone server, os255 capture: DMB's 0x41010f8a, whose
// announcements carry no domain controller bit). Every role carries the
// frames that prove it, and its reason says which.
//
// # Browse Lists
//
// Per workgroup and segment, from HostAnnouncements to WORKGROUP<1d>,
// LocalMasterAnnouncements and LAN Manager announcements ([MS-BRWS]
// §3.3.5.3; the Leach/Naik draft), with every field of the latest one. An entry
// expires three announced periods after it was last heard ([MS-BRWS]
// §3.2.6; Microsoft's "three announcement periods"), DefaultExpiry (36
// minutes) when the periodicity is absent or implausible; server type 0
// removes it at once. Workgroups come from DomainAnnouncements and expire
// after DomainExpiry (45 minutes). Duplicates (Samba sends most broadcasts
// once per bound interface) are not new events. NetServerEnum2 responses
// ([MS-RAP] §2.5.5.2) are kept as snapshots with how they differ from the
// reconstructed list (an entry its master could not have listed yet, first
// heard less than a second before the list or not since a new master took
// office less than one announcement period ago, is no difference); a list exchanged between a local master and the
// domain master ([MS-BRWS] §3.3) is merged into the asking master's list
// (source "DMB sync", the latest word wins as in the masters' own lists,
// but never over a host's own announcement broadcast on that segment: the
// domain master's copy of it is older);
// entries a local master hands out that were never announced in the
// capture are added (source "NetServerEnum2").
//
// # Names
//
// NBNS registrations, refreshes and releases (RFC 1002 §4.2.2-§4.2.10) are
// tracked per transaction (source, NAME_TRN_ID, name, opcode): the
// retransmissions and Samba's copies are one event. A B node that registers
// a unique name without objection takes it over from an owner that could
// hear the registration; the old owner registering
// it again while the new one holds it is a conflict, as is a negative
// response (ACT_ERR, CFT_ERR). Positive query responses record which
// addresses answer for a name.
//
// # Anomalies
//
// election_storm (more than StormCount elections within StormWindow, with
// who started them; or one host starting three elections within an hour
// that leave the master in office, however far apart, and whether it goes
// on voting after a better ballot it did not answer: storm.go), election_timeout, election_unending, split_brain (two
// local masters at once; the detail says when they cannot hear each other),
// rigged_election, reset_browser_state, dmb_claim (a host holding <1b> of a
// workgroup it does not announce itself domain master of, or of another
// workgroup), dmb_conflict (two hosts claiming <1b>), dmb_displaced
// (another host became local master of the domain master's own subnet), name_conflict,
// name_negative, session_refused, session_retarget, enum_truncated,
// enum_mismatch, wrong_name (a browser frame sent to another name than
// [MS-BRWS] §2.2 says), bad_periodicity, entry_expired (a host went
// silent), decode_error, limit (a bound was hit), time_jump (the capture's
// clock jumps back more than a second, raised once: what happened before a
// jump is not ordered against what follows it, so a name registered again
// after it is no name_conflict), multi_transport (a host bound to several
// NetBIOS transports sends the same RequestElection over two of them, or
// ends the capture local master on one and not on another where it runs a
// browser: bindings.go).
//
// # Diagnoses
//
// A diagnosis (KindDiagnosis, *Diagnosis) names the cause behind the
// anomalies, with a confidence, a one-line text, the fix and the evidence
// frames (diagnosis.go says how the detectors run; README.md lists the
// kinds and what each needs). The code that handles a frame only notes
// evidence in a detector's bounded table, at a constant cost (its lists
// of addresses and frames grow from room for one to their bound, and an
// address list skips its search for an address its 64-bit filter says is
// not there: a flood of forwarded broadcasts notes a new sender each
// frame); the detectors decide every 10 s of capture time, and at Finish,
// over their tables (the ones that follow a workgroup across segments
// every five minutes, over the groups), copying a diagnosis decided again
// into the one kept. A diagnosis is emitted once per kind,
// segment, workgroup and subject, and again at most three times when it
// becomes more certain or concerns more hosts. The lab scenarios of
// testdata/lab/EXPECTED.md are the ground truth: each gets its cause, with
// its hosts and fix, and no other (diagnosis_test.go); every diagnosis made
// on any other capture is listed, reviewed, in testdata/diagnoses.expected.
//
// # Bounds
//
// Memory grows with the number of hosts, names, servers, workgroups and
// running elections, never with the length of a capture: every table has a
// bound in Config (the least recently seen item is evicted, raising one
// limit anomaly per bound and counting every eviction in
// Snapshot.LimitHits: MaxHosts bounds the hosts and the addresses, and
// counts what both forgot), histories are bounded per group and over all
// groups (history.go), the timer heap and the queue of Browse List
// expiries are compacted, and the caches and
// detectors' tables have fixed bounds (some start afresh when full). The
// README's Reliability table says what happens at each bound.
// BenchmarkLongCapture and TestMemoryFlat show it; bench/'s BenchmarkSoak
// over months.
//
// # Cost per frame
//
// Most frames change nothing: a registration retransmitted, an
// announcement restating what the last one said, a query. Those cost a few
// map lookups and no allocation. The maps are keyed by structs of strings
// (or an IPv4 address as a uint32), never by concatenated strings, and the
// slotIndexes by seeded hashes of the same parts (a key chosen on the wire
// cannot be made to collide without the seed); the
// adapter takes observations from slabs (or from an Arena its caller
// reuses once they are observed: the tracker keeps no observation, it
// copies what it keeps; a parallel file run reuses one per batch and
// engine) and wire strings from a bounded intern table; a final
// report's snapshot (FinalSnapshot) hands the Browse List entries over
// instead of copying them; a role restated by an announcement builds no reason. What
// only an event carries (its sentence, copies of records) is built even
// when nothing reads the events (--report), except the Browse List
// events, whose copies of the entry dominated a flood of new hosts:
// skipping them all saved about 40 ns per frame on the bench/ mix, but
// with that much less garbage the collector ran so rarely that the heap
// in use grew past TestMemoryFlat's margin (it measured HeapInuse then,
// which moves by 2 MiB with the collector's timing; it now measures the
// live heap, level at about 3 MiB). Build strings when something changes. A table's bound builds its limit detail once.
// BenchmarkMixTracker, BenchmarkMixTrackerReport and BenchmarkMixTimeline
// measure it on the bench/ mix (cpu-ns/frame, allocs/frame).
//
// A flood of new hosts or workgroups (bench/'s BenchmarkManyHosts and
// BenchmarkManyHostsTracker) must cost the same per frame whatever the
// number: every table finds its least recently seen item in O(1)
// (aged.go, which inserts the latest item after the tail without reading
// the cold head); the tables a new host touches (the hosts, the IPv4
// addresses, the Browse Lists, the bindings) are slotIndexes
// (slotindex.go): open-addressing tables of hashes and pointers, at most
// half full, where looking up a key that is not there reads no record and
// a record forgotten by a full table leaves by the hash it keeps, without
// hashing its key again (a map's delete read three lines of memory
// untouched since the record was last seen); the address and host tables
// keep the record last found aside (the address table its last answer,
// "not there" too, the host table the key last not found: a new host is
// looked up once); records forgotten by a full table are reused after the
// observation that forgot them; Browse List expiries whose deadlines come
// in order wait in a queue (O(1) in and out; the timer of an entry that
// goes stays there, stale, until it comes up) and the others in a heap
// whose timers stay in chunks that never move (timers.go); Snapshot
// copies Browse Lists and hosts into one block each and sorts the Browse
// Lists by the names' first 8 bytes before reading the entries; the
// adapter's intern table is direct-mapped; workgroup_typo finds its
// candidates in an index (typos.go) instead of comparing each new
// workgroup with all others. A file run of --report may end before any
// collection (cmd/nbtsniff/gc.go): every record a flood fills is then
// memory touched for the first time, which costs more than the work done
// in it, so those records are kept small (a Browse List entry 288 bytes,
// a queued expiry 16, keeping no deadline of its own, a binding without
// ballots 200; bench/README.md, session 10), and are handed out from
// chunks (records.go): once 1,024 are made, a chunk for the rest of the
// table's bound, on a huge page where the system gives one (a fault a
// 2 MiB page instead of a fault a 4 KiB page), the host, address and
// binding records of a new host side by side; a slotIndex of 1,024
// records grows four times over, and the expiry queue of 1,024 timers to
// its bound, not through every size between (bench/README.md, session
// 14).
//
// # Adding a rule
//
// Decide which observation shows it (add a field to input.go and the
// adapter if the frame carries it), handle it in the on* function of that
// observation, emit an Event of an existing kind or a new Kind*/Anomaly*
// constant (kinds.go, with its name; documented in README.md) whose Data is
// an existing type or a new one (event.go, printed by output's
// AppendEvent), keep its state in a bounded table, and add a test on a
// constructed sequence plus, when a lab capture shows it, a ground-truth
// check.
package timeline
