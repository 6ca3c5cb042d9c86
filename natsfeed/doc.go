// Package natsfeed carries captured frames from sensors on many broadcast
// segments to one central analyzer through NATS JetStream
// (github.com/nats-io/nats.go and its jetstream package; nats-server with
// JetStream enabled, tested with Debian's 2.9.10). A Publisher sits at the end of a
// sensor's frame loop; a Subscriber is a capture.Source, so the analyzer's
// frame loop, timeline, TUI, reports, metrics and alerts read segments
// from NATS as they read -r files and -i interfaces.
//
// # Subjects and the stream
//
// A segment is named SITE/NAME (ParseSegment). Its frames go to the
// subject nbtsniff.frames.SITE.NAME (Segment.Subject), every byte of SITE
// and NAME outside [A-Za-z0-9_-] written %XX, so no name, user-given or
// taken off the wire, can add a token or a wildcard to a subject.
// SegmentOfSubject parses a subject back as strictly (canonical escapes
// only, no control characters), and a message on a subject that names no
// segment is counted as a decode error, never delivered. --segments
// patterns (FilterSubject) are SITE.NAME, SITE.*, *.NAME, SITE (= SITE.*),
// > or empty (everything); a '/' may separate instead of '.'.
//
// One stream, DefaultStream, holds every subject nbtsniff.frames.>: file
// storage, limits retention, oldest discarded first. StreamOptions sets
// its age and size limits (DefaultMaxAge when not given) and its
// deduplication window; a publisher given limits creates or updates the
// stream, one given none (and every subscriber) leaves an existing stream
// as it is. Sensors without limits and analyzers started together all get
// the stream one of them made (a create that loses the race looks it up
// again).
//
// # Messages (format version 1)
//
// No JSON for frames: a fixed 32-byte header, big-endian, then the sensor
// id and the body (wire.go has the diagram):
//
//	magic "NF", version 1, kind, link type, sensor id length, flags (0),
//	sequence (8), timestamp ns (8), interface index (4), wire length (4),
//	sensor id (1-64 bytes UTF-8), frame bytes | 24 bytes of counters
//
// Kinds: a frame (KindFrame: sequence is its number within the segment,
// 1, 2, ...), a heartbeat (KindHeartbeat: the sensor's watermark, the
// last frame number, its capture.Stats) and an end marker (KindEnd: the
// sensor's input ended). A decoder accepts only version 1; another version
// is ErrVersion, so a future format gets a new version number rather
// than a reinterpretation. DecodeMessage accepts any bytes: an in-range
// Message or a *DecodeError (ErrTruncated, ErrMalformed, ErrVersion),
// never a panic (FuzzDecodeMessage), nothing allocated.
//
// # Publisher: delivery without loss or repetition
//
// Each frame carries the header Nats-Msg-Id: SENSOR:NUMBER, so the server
// drops a copy sent again within the stream's deduplication window. The
// publisher sends asynchronously, in order, keeping every message until
// the server acknowledges it; at most MaxPending are kept, beyond which
// Publish blocks or drops and counts (Overflow). The connection reconnects
// forever, with no client-side reconnect buffer: a send while disconnected
// fails at once. After any failure (disconnection, negative or missing
// acknowledgement) the publisher waits until nothing is in flight, asks
// the stream for the segment's last message, forgets what that covers
// and sends the rest again from the oldest (go-back-N), so the stream
// holds each segment's frames once and in order, even when the server
// was down longer than the deduplication window. At start it asks the
// same question: a live sensor numbers on after the last frame stored; a
// replay (Replay, for -r) numbers frames by their position in the input
// and skips those already stored, so rerunning a killed replay completes
// it. This assumes what the stream stored of a window of sends is a
// prefix of it, which holds for a server that stores a connection's
// messages in order; were a server to refuse one message and store the
// next (none of the failures tested here does), the refused frame would be
// lost, and counted: the analyzer counts skipped frame numbers as
// Missing, as it does for what a crashed server acknowledged and had not
// yet written.
// One publisher per segment at a time: numbering is per segment.
//
// # Subscriber: merging segments by capture time
//
// Segments are found by asking the stream which subjects match (at start,
// then every Discover interval) and get Packet.Source indexes in the order
// of their first retained message, so a replay of the same stream gives
// the same indexes; Labels and SegmentOf map indexes to SITE/NAME. Each
// segment is read by its own ordered consumer (in order, recreated after
// a server restart or a gap) into a bounded queue; the merge then hands
// out the earliest head frame (ties: the lower index, as capture.Merge)
// once every other segment has a later frame, a heartbeat or end marker
// past it, or has sent nothing for MaxLag (wall time, default 2 s). Such
// a segment is late (Late: how long silent, how far behind) until it
// sends again; its frames then come out as they arrive. A live sensor
// sends a heartbeat after each idle second, so a quiet segment holds the
// others back about a second and is never late unless its sensor or its
// link is down. Over retained data (a restarted analyzer replays the
// stream from its start or StartSeq) every segment's next message is
// already there: the merge waits for it (up to 10 x MaxLag, the consumer
// being slow, not the sensor silent), and an end marker that more
// messages follow (a sensor restarted) ends nothing, so the merge is
// exactly capture.Merge of the sensors' inputs, every time. Frame numbers already seen on a segment are dropped
// (Duplicates), skipped ones counted (Missing). StopAtEnd ends with
// io.EOF at the stream's end as it was at start, for batch reports and
// tests; without it the Subscriber follows the stream until Close.
//
// # Wiring into the CLI
//
// Sensor, nbtsniff -i eth0 --publish nats://HOST:4222 --segment SITE/NAME
// (or -r FILE --publish ... [--realtime]):
//
//	seg, err := natsfeed.ParseSegment(segmentFlag) // --segment is required with --publish
//	pub, err := natsfeed.NewPublisher(ctx, publishURL, natsfeed.PublisherOptions{
//		Segment:     seg,
//		Replay:      readingFiles,   // -r: numbering by position, resume by skipping
//		Heartbeat:   time.Second,    // live, or -r --realtime; 0 for -r at full speed
//		Clock:       clock,          // nil live; the replay clock with --realtime
//		SourceStats: src.Stats,      // kernel drops travel with the heartbeats
//	})
//	// in the frame loop, for each frame read (filtered or not, but the
//	// same way on every run of a replay):
//	err = pub.Publish(&pkt)
//	// at the end of input or on SIGINT/SIGTERM:
//	err = pub.Close(ctxWithTimeout) // end marker, waits for the acknowledgements
//
// pub.Stats() (Published, Dropped, Pending, Failures, ...) suits the
// sensor's metrics and its exit message. Publishing needs no decoding:
// a sensor may publish and analyze locally in the same loop.
//
// Analyzer, nbtsniff --subscribe nats://HOST:4222 [--segments 'SITE.*']:
//
//	sub, err := natsfeed.NewSubscriber(ctx, subscribeURL, natsfeed.SubscriberOptions{
//		Segments:  segmentsFlag,
//		StopAtEnd: batch,  // --report, -T ...: what the stream holds now, then EOF
//	})
//	// sub is the pipeline's capture.Source; indexes grow as segments
//	// appear, so read labels per frame: sub.Labels()[pkt.Source] or
//	// sub.SegmentOf(pkt.Source).
//
// For the TUI and metrics: sub.Late() (segment, silent, behind) for the
// "late" mark and a capture-lag gauge per segment; sub.SensorStats(i) for
// kernel drops per sensor; sub.Counters() for decode errors, duplicates
// and missing frames. Close from another goroutine ends a blocked Next
// with io.EOF.
//
// Not done here: authentication and TLS (pass nats:// URLs with user
// info, or extend ConnOptions), clustering (any JetStream cluster works;
// replicas are 1 here), and a durable consumer that resumes where the
// analyzer stopped: the analyzer always rebuilds its state by replaying.
package natsfeed
