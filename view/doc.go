// Package view is nbtsniff's terminal UI (bubbletea, bubbles, lipgloss).
// It renders what package timeline and the decoders produce and decides
// nothing itself: who is master, which election was won and why, what an
// anomaly is, all come from timeline's events and snapshots; the frame
// list and the frame detail come from the engine and the printers of
// package output (the same text as -V, the same escaping).
//
// # Entry point
//
// Run(ctx, feed.Source, Options) runs the program over a data source until
// the user quits. The view opens no file and runs no engine: it reads a
// feed.Source. cmd/nbtsniff (runTUI) opens the inputs with package
// pipeline, starts a pipeline.Loader (the Source), runs the UI over it when
// standard output is a terminal and no text output mode was asked for, or
// with --tui, and stops the loader when the UI ends.
//
// # Screens
//
// A tab bar (1-7, Tab, Shift+Tab, a click) switches between Overview,
// Timeline, Elections, Browse List, Names, Frames and Anomalies; ? lists
// every key, / filters the current table, q quits (asking first when a
// live capture is being written with -w). Enter on any table row opens its
// detail (Table.OpenDetail: the row's Fields, every field whole, wrapped;
// rowdetail.go), f jumps to the frames that show it, t cycles the clock
// (clock.go: tshark's -t formats through output.AppendTime, one format
// for every time on every screen), L shows an open frame's layers
// (layers.go: the stack, each layer's bytes, the spec that defines it).
// The Timeline gives each kind of mark its row and counts marks that share
// a column (lanerows.go), so that nothing hides anything else. A screen
// that follows the time cursor says what it hides. Each screen is a bubbles-style
// component with its own Model, keys (keys.go) and styles (styles.go). The
// root Model owns the time cursor and loops over the screens (the screen
// interface, screens.go) to size them, hand them their data, route keys
// and draw the active one; the help lists each key map's FullHelp
// (bubbles' help.KeyMap). A new screen implements screen and takes its
// place in Model.screens and screenTitles.
//
// # Data flow and memory
//
// pipeline.Loader reads the capture in its own goroutines through the
// engine and the tracker. It keeps, per frame, a fixed-size record of 24
// bytes (feed.Index: time, length, input, errors, and where the frame's
// columns are), in a slab of 192 KiB chunks, never the decoded frame; the
// skipped frames that follow each other in their file go into runs of a
// 12-byte cell a frame (feed/runs.go). On a
// file, the source, destination, protocol and info columns of most frames
// are not kept: the list asks the index for the rows on screen only, and
// the loader's summarizer reads those frames back from the file at their
// offset and decodes them alone (frames of other traffic, which the load
// skips as --report does, with the relative TCP sequence number kept at
// load; NBNS; whole datagrams). Frames whose columns depend on the frames
// before them (SMB sessions, fragments), and every frame of a live
// capture, standard input or a gzip file, keep their columns as text in a
// byte arena. The UI samples it on a 150 ms tick (Source.Sample copies
// slice headers under a mutex the loader holds only to append), so a slow
// terminal never slows the capture.
//
// Frame detail is decoded again on demand: a frame of a TCP stream or a
// fragmented datagram needs the state the frames before it built, so the
// capture is replayed through a fresh engine up to that frame ("decoding
// frame N..." shows meanwhile). The replayer is kept, so stepping forward
// costs one decode; going back replays from the start; the last 16
// details are cached. That trades time on a large capture (a replay reads
// the file from the start) for memory (nothing decoded is held). Input
// that cannot be read again (standard input, live capture) keeps its last
// 64 MiB of raw frames instead and replays those, and the -w file for
// older ones. Its frame list is a window of the latest frames (64 MiB of
// index rows): the Frames screen says which frames it no longer lists and
// where they are (the -w file, or gone), and the status bar from which
// frame it lists.
//
// The display filter (the same Wireshark syntax as -Y, compiled by package
// filter, the error position shown while typing) is applied to the frames
// already read by the same kind of replay, in the background, and to the
// frames that come after by the loader (live capture, standard input) or
// by the replay following the load (files: the load does not decode every
// frame).
//
// # The time cursor
//
// The Timeline screen moves a time cursor (arrows, H/L, [ and ] to the
// previous/next event of a lane, + and - to zoom, F back to "now"). Every
// state screen then shows the state as it stood at the cursor. The loader
// takes a snapshot of the tracker's state after each frame that changed it
// (Tracker.Snapshot), at most one per interval that starts at zero and
// doubles whenever the 512 kept are thinned, and the state at T is the
// latest snapshot at or before T (feed.Sample.StateAt; the Timeline says
// which snapshot time is shown when it differs from the cursor). This
// only selects by time; nothing is recomputed here.
//
// # Terminal
//
// Every string from the wire goes through output.AppendEscaped before it
// reaches the screen. Colours are the 16 ANSI colours, degraded or dropped
// by the renderer's profile, which follows the terminal and NO_COLOR;
// nothing depends on colour alone (the row cursor is ">", the selected
// field's bytes are between [ and ] in the hex dump). Every screen fits
// 80x24 and uses the room of larger terminals; resizing re-lays out.
//
// # Tests
//
// Golden files of each screen's View() at 80x24, 120x40 and 160x48, built
// from the Samba lab captures with no colour and a fixed clock, live in
// testdata/ (go test ./view -update rewrites them: review the diff);
// details_test.go holds issue 16's (row details, the clock, segments,
// frame numbers of a million, the layers). teatest drives keyboard flows
// through the real bubbletea runtime, waiting on what is drawn.
// scripts/tui-demo.sh and scripts/tui-screens.sh drive the real binary in
// tmux and print each screen.
package view
