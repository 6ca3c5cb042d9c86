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
// live capture is being written with -w). Each screen is a bubbles-style
// component with its own Model, keys (keys.go) and styles (styles.go). The
// root Model owns the time cursor and loops over the screens (the screen
// interface, screens.go) to size them, hand them their data, route keys
// and draw the active one; the help lists each key map's FullHelp
// (bubbles' help.KeyMap). A new screen implements screen and takes its
// place in Model.screens and screenTitles.
//
// # Data flow and memory
//
// pipeline.Loader reads the capture in its own goroutine through the
// engine and the tracker. It keeps, per frame, a compact index row
// (feed.Index: number, time, length, offsets into a byte arena holding the
// source, destination, protocol and info columns): about 40 bytes plus the
// columns, never the decoded frame. The UI samples it on a 150 ms tick
// (Source.Sample copies slice headers under a mutex the loader holds only
// to append), so a slow terminal never slows the capture.
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
// already read by the same kind of replay, in the background, and by the
// loader to the frames that come after.
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
// testdata/ (go test ./view -update rewrites them: review the diff).
// teatest drives keyboard flows through the real bubbletea runtime,
// waiting on what is drawn. scripts/tui-demo.sh drives the real binary in
// tmux and prints each screen.
package view
