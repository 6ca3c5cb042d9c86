// Package feed is what the terminal UI reads while a capture loads: a
// Source hands out Samples, consistent read-only views of the frames, the
// timeline's events and state so far, and decodes single frames again on
// demand. pipeline.Loader is the Source of a capture file or interface;
// anything that can fill a Sample (a network subscriber, a test) can be
// one.
//
// The package holds data only: it imports no capture, no engine, no
// terminal library, so the UI that reads it opens no file and decodes
// nothing itself.
package feed
