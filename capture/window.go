package capture

import "io"

// A pcap file is read through a window: the bytes read from the stream
// and not consumed yet, buf[r:w], from which each record is handed out as
// a slice, zero copy (the bare loop of bench/readloop copies every record
// once more, into pcapgo's record buffer). A record is always whole in
// the window: when the buffer's end cuts one, the bytes left of it are
// moved to the front (at most MaxRecordSize+16 bytes a buffer), and the
// buffer is then filled with one read, of whatever the input has: a frame
// of standard input or a pipe goes out as soon as its bytes arrive.
//
// Measured on 2 cores (issue 15): reading ahead on a second goroutine
// into a ring of 1 MiB (or 128 KiB) chunks made reading the realistic mix
// twice as slow as this loop (145 ns a frame against 72): the record
// headers are then read from another core's cache. mmap was slower still
// (page faults: 0.2 s of CPU for 494 MB against 0.04 s for read).

const (
	// zeroReadsLimit: so many reads in a row returning nothing end the
	// stream with io.ErrNoProgress, as bufio does.
	zeroReadsLimit = 100

	pcapRecordHeader = 16
)

// window is the read but unconsumed part of a stream: buf[r:w], whose
// first byte is at stream offset off+r.
type window struct {
	buf  []byte
	r, w int
	off  int64 // stream offset of buf[0]
	err  error // what ended the stream (io.EOF, or the reader's error)

	src    io.Reader
	before func() // called before each read of src
}

// newWindow reads src, whose first byte is at stream offset off, through
// buf, whose first pending bytes were already read from it. before is
// called before each read of src.
func newWindow(src io.Reader, buf []byte, pending int, off int64, before func()) *window {
	return &window{src: src, before: before, off: off, buf: buf, w: pending}
}

// offset is the stream offset of the first unconsumed byte.
func (w *window) offset() int64 { return w.off + int64(w.r) }

// end is the stream offset just after the last byte read.
func (w *window) end() int64 { return w.off + int64(w.w) }

// consume marks n bytes consumed.
func (w *window) consume(n int) { w.r += n }

// fill returns the unconsumed bytes, at least n of them unless the
// stream ends first (w.err then says how).
func (w *window) fill(n int) []byte {
	for w.w-w.r < n && w.err == nil {
		if len(w.buf)-w.r < n {
			w.compact(n)
		}
		w.read()
	}
	return w.buf[w.r:w.w]
}

// compact moves the unconsumed bytes to the front of the buffer, which
// it grows to hold n bytes if it cannot (a small file's buffer).
func (w *window) compact(n int) {
	buf := w.buf
	if len(buf) < n {
		buf = make([]byte, max(n, 2*len(buf)))
	}
	m := copy(buf, w.buf[w.r:w.w])
	w.off += int64(w.r)
	w.buf, w.r, w.w = buf, 0, m
}

// read reads once into the free end of the buffer.
func (w *window) read() {
	w.before()
	n, err := readSome(w.src, w.buf[w.w:])
	w.w += n
	if err != nil {
		w.err = err
	}
}

// readSome reads at least one byte into p unless the reader fails or
// ends; many empty reads in a row are io.ErrNoProgress.
func readSome(r io.Reader, p []byte) (int, error) {
	for range zeroReadsLimit {
		n, err := r.Read(p)
		if n > 0 || err != nil {
			if err == io.EOF && n > 0 {
				err = nil // io.EOF again on the next read
			}
			return n, err
		}
	}
	return 0, io.ErrNoProgress
}
