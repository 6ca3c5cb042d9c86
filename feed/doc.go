// Package feed is what the terminal UI reads while a capture loads: a
// Source hands out Samples, consistent read-only views of the frames, the
// timeline's events and state so far, and decodes single frames again on
// demand. The frame list (Index) is a slab of fixed-size records (on
// Linux outside the Go heap, on huge pages where it can: slab_linux.go); the
// columns of a row are text it holds, or re-derived on demand from a Ref by
// the Source's Summarizer (the frame read back and decoded again), for the
// rows on screen only. Runs of rows by reference whose frames follow each
// other in their file (the other traffic a loader skips) take a 12-byte
// cell a frame instead of a row (runs.go), added a frame at a time
// (AddRefAt) or a stretch at a time (AddRefs). pipeline.Loader is the Source of a capture file or interface;
// anything that can fill a Sample (a network subscriber, a test) can be
// one.
//
// The package holds data only: it imports no capture, no engine, no
// terminal library, so the UI that reads it opens no file and decodes
// nothing itself.
package feed
