// Package pipeline is the one home of the frame loop: read a packet from a
// source, write it to the -w file, decode it through the engine, hand the
// frame to a printer or to the timeline (adapter, then tracker). The
// command line (cmd/nbtsniff), the terminal UI's loader (Loader), the
// tests of the packages that read frames (internal/testframes) and any
// future network subscriber all go through it, so a policy written here
// holds for all of them.
//
//	Source ─ Read (policy, -c, -w) ─ Decode (engine) ─┬─ Printer   (-V, -T fields, JSON)
//	                                                  └─ Timeline  (adapter → tracker → events, snapshots)
//
// # Sources
//
// Open opens the inputs of the command line (Inputs: -r files merged by
// time, "-" for standard input, or -i interfaces) into one Source, with
// their labels and, for files, their total size and the bytes read so far
// (a progress bar), or a Feed. Source is an interface: capture.Source
// satisfies it, and so can anything else that hands out capture.Packets. Opened.Reopen
// reads the same files again from the start (the first pass of -2, the
// UI's replays).
//
// # The read policy
//
// Pipeline.Read is the one place that decides what a read error means,
// for every consumer: io.EOF, Count packets (-c) or a done context end the
// input; an input cut short (*capture.TruncatedError) is a warning
// (Config.Warn: the CLI prints it, the UI shows it, tests log it), its
// whole records were read and the other inputs go on, and it is not
// counted as a packet; any other error ends the run and is returned. Each
// packet is written to the -w file before it is decoded; a write error
// ends the run (*WriteError). A live source is closed when the context
// ends, which ends a blocked read; a read waiting on standard input or a
// pipe is interrupted when Inputs.Done closes (ErrInterrupted); an error
// once the context is done is the end of the input, not a cut nor a
// failure (Ctrl-C in the middle of a record).
//
// # Running
//
// Pipeline.Next reads and decodes one frame (the UI's loader and replays,
// testframes). Pipeline.Run decodes a whole input into Sinks, the frames
// that pass the display filter in frame order: with one engine, or, for
// files, with several at once (Config.Engines; parallel.go says how frames
// are spread), whose output is byte for byte that of one.
// Pipeline.FirstPass is the first pass of a two-pass analysis (-2): it
// learns which frame completes each SMB transaction; a read error ends it
// but keeps what it learnt, and the second pass prints the frames before
// the error, then returns it.
//
// Frames that carry no NBT: when nothing the run prints or feeds reads
// more of them than their frame fields (engine.Needs.SkipOther, no
// display filter), Run classifies each frame from its raw bytes as it is
// read (engine.Needs.Skippable: no NBT, or, for -T fields of the name and
// datagram services, none the output shows), in the reading goroutine,
// and does not copy such a frame. When the printer shows nothing of such
// a frame but its number (NumberPrinter: -T fields of NBT fields and
// frame.number), no engine sees it: a run of them is printed from their
// numbers, before the next frame with one engine, by the writer goroutine
// with several (one entry of a batch a run). Else, with one engine, the
// engine makes its frame fields (engine.Engine.Skipped), or, when the
// timeline is the sink and no watch sees the frames, no engine sees it
// and only the timeline's clock moves. With several, -T fields' skipped
// frames go to an engine in blocks of 64 that take one entry of a batch;
// the timeline's are not put in the batches at all: the frames skipped in
// a row move its clock once, to the first one's time and then to the
// latest (frame by frame when a watch asks for the state by capture
// time). TestSkippingChangesNothing holds every path to a run that
// decodes every frame.
//
// The end of a capture: the engines finish (engine.Finish) on its last
// frame, before it is handed on, so that the session packets held beyond
// a TCP hole still open are decoded there and not lost. Next reads one
// packet ahead to know the last frame (not on a live source, where the
// frames come as they are captured); Run with several engines decodes the
// last frame after every other and has each engine finish on it, shard by
// shard. Pipeline.StreamLoss (and Timeline.StreamLoss, once Run ended)
// says what the TCP streams lost. The UI's Loader does not read ahead:
// there the packets of a hole still open at the end are not shown.
//
// Timeline is the timeline's end: timeline.Adapter turns each frame into
// observations, timeline.Tracker takes them in frame order and emits
// events; the tracker starts at the first frame, so that --at can be
// given relative to it. In a parallel run each engine's adapter takes the
// observations of a batch from the batch's arena for that engine
// (timeline.Arena), reused when the batch comes back to the engines: by
// then the writer has fed them all to the tracker. The timeline does not
// show tcp.stream, so its TCP frames are spread over the engines by shard
// as for -T fields: each engine numbers its own streams, and the names of
// the NBSS session requests, which a refused session's event shows, are
// kept by the writer (timeline.SessionBook, Adapter.ShareSessions), in
// frame order, as one adapter would. FinalSnapshot is the
// report's snapshot at the end of a run (the Browse Lists handed over,
// not copied).
//
// # The terminal UI
//
// Loader is the UI's feed.Source: it runs the loop in its own goroutine
// (over files, in three stages: a reader that skips other traffic as
// --report does, handing it over in stretches whose frames only move the
// timeline's clock and are listed in one call, a decoder for the NBT
// frames, and the loader's goroutine that feeds the timeline and the
// index: loadfast.go, loadskip.go; a big pcap file is read by a second
// reader as well, from a record in its middle: loadsplit.go) and keeps a frame index of 24-byte records (12 bytes a
// frame in the runs of skipped frames: feed/runs.go) whose columns are
// mostly re-derived on demand from the file (loadrows.go), the events, snapshots of the state for the time cursor
// (sized as they are taken: snapsize.go), and the frames passing
// the display filter. While its reader alone reads a big file's other
// traffic, a goroutine faults in heap memory on the idle core for the
// NBT frames' allocations that follow (loaderheap.go: page faults were
// most of a fresh load's NBT phase). Detail and
// the display filter over frames already read replay the capture through a
// fresh engine (the files read again, or the last 64 MiB of frames kept
// when the input cannot be, and before those the -w file). Its memory is
// bounded live (README, Reliability): the frame list of an input that
// cannot be read again is a window of the latest frames (64 MiB of rows),
// the snapshots take at most 32 MiB (thinned past it) and come at most
// once per 4096th of the frames read (ringFrameShare), the events 200,000.
// The UI (package view) imports feed, not this package: it reads no file
// and runs no engine.
//
// # Unattended runs: rings, taps, watches and feeds
//
// Config.Ring makes the -w file a ring of files (tshark's -b,
// capture.RingWriter). Config.Tap is handed every packet read, after the
// -w file and before decoding: a NATS publisher (--publish); its error
// ends the run as a *TapError. A Watch is what a monitor (metrics,
// alerts, an events file) is told: every frame decoded before the display
// filter (Sinks.Watch, LoaderConfig.Watch; called from every engine of a
// parallel run), and a timeline's events and its state by capture time
// (Timeline.SetWatch; the last state after Finish). When the output is a
// printer, Sinks.Monitor is a timeline fed every frame beside it, for the
// monitor (Run then decodes with one engine).
//
// A Feed (Inputs.Feed) is a Source from elsewhere that waits for frames as
// an interface does, and whose inputs may grow while it runs: a NATS
// subscriber, whose segments appear as sensors publish. Read names a new
// input from the Feed's Labels when its first packet comes (the engine
// and the -w file too); Opened.CurrentLabels, InputStats and Status read
// the Feed's names, per-input counters and what holds it back (the UI's
// status line shows it). A named pipe given to -r is read once, as
// standard input is: it makes the inputs not Replayable.
//
// # Adding a consumer
//
// A new consumer implements Source (or Feed), or opens one with Open, and
// calls New, then Next or Run: the read policy, -c, -w and the engine
// configuration come with it. It does not call the engine or the tracker
// itself.
package pipeline
