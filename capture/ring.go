package capture

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// RingOptions are the conditions of a ring buffer of files, in tshark's
// -b syntax: a file is closed and the next one begun when the current one
// reaches FileSize bytes, holds Records records, or spans Duration of
// capture time; at most Files files are kept, the oldest deleted first.
// Zero means no such condition. Time is capture time, so replaying a
// capture rotates where capturing it live did.
type RingOptions struct {
	FileSize int64 // bytes (tshark's filesize:KB, 1 kB = 1000 bytes)
	Files    int
	Duration time.Duration
	Records  int // tshark's packets:N
}

// Active says whether any condition is set.
func (o RingOptions) Active() bool {
	return o.FileSize > 0 || o.Duration > 0 || o.Records > 0
}

// ParseRing parses tshark's ring buffer options: each spec is one or more
// KEY:VALUE pairs separated by commas ("filesize:1000,files:5"), and specs
// may be repeated as tshark's -b is. Keys: filesize (kB), files, duration
// (seconds), packets.
func ParseRing(specs []string) (RingOptions, error) {
	var o RingOptions
	for _, spec := range specs {
		for _, kv := range strings.Split(spec, ",") {
			key, val, ok := strings.Cut(strings.TrimSpace(kv), ":")
			n, err := strconv.ParseInt(val, 10, 64)
			if !ok || err != nil || n <= 0 {
				return o, fmt.Errorf("ring buffer: %q: want KEY:N with N > 0 (filesize:KB, files:N, duration:S, packets:N)", kv)
			}
			switch key {
			case "filesize":
				if n > 1<<40 {
					return o, fmt.Errorf("ring buffer: filesize %d kB is over 1 PB", n)
				}
				o.FileSize = n * 1000
			case "files":
				o.Files = int(min(n, 1<<20))
			case "duration":
				if n > 1<<31 {
					return o, fmt.Errorf("ring buffer: duration %d s is too long", n)
				}
				o.Duration = time.Duration(n) * time.Second
			case "packets":
				o.Records = int(min(n, 1<<40))
			default:
				return o, fmt.Errorf("ring buffer: unknown condition %q (filesize, files, duration, packets)", key)
			}
		}
	}
	if o.Files > 0 && !o.Active() {
		return o, errors.New("ring buffer: files:N needs filesize, duration or packets to rotate on")
	}
	return o, nil
}

// RingFile is a file that rotates by RingOptions. Files are named as
// tshark names them: PREFIX_NNNNN_YYYYMMDDHHMMSS.EXT for -w PREFIX.EXT,
// with the capture time (UTC) of the file's first record.
type RingFile struct {
	prefix, ext string
	opt         RingOptions
	// open is called on each new file before its first record (a pcapng
	// writer writes its section header there); closing is called before a
	// file is closed, to flush what the caller buffers.
	open    func(w *bufio.Writer) error
	closing func() error

	f       *os.File
	w       *bufio.Writer
	cw      countingWriter
	seq     int
	start   time.Time
	records int
	size    int64    // bytes of the current file, as its records' sizes add up
	kept    []string // names of the files on disk, oldest first
}

// NewRingFile returns a ring of files for path (nothing is created until
// the first record).
func NewRingFile(path string, opt RingOptions) *RingFile {
	ext := filepath.Ext(path)
	return &RingFile{prefix: strings.TrimSuffix(path, ext), ext: ext, opt: opt}
}

// Next returns the writer for a record of capture time ts and size bytes
// (0 if not known), beginning a new file when the current one is full.
func (r *RingFile) Next(ts time.Time, size int) (*bufio.Writer, error) {
	if r.f == nil || r.due(ts, size) {
		if err := r.rotate(ts); err != nil {
			return nil, err
		}
	}
	r.records++
	r.size += int64(size)
	return r.w, nil
}

// due says whether a record of capture time ts and size bytes must go to
// a new file. A file always takes its first record.
func (r *RingFile) due(ts time.Time, size int) bool {
	if r.records == 0 {
		return false
	}
	o := r.opt
	return o.Records > 0 && r.records >= o.Records ||
		o.FileSize > 0 && max(r.size, r.cw.n+int64(r.w.Buffered()))+int64(size) > o.FileSize ||
		o.Duration > 0 && ts.Sub(r.start) >= o.Duration
}

func (r *RingFile) rotate(ts time.Time) error {
	if err := r.closeFile(); err != nil {
		return err
	}
	r.seq++
	name := fmt.Sprintf("%s_%05d_%s%s", r.prefix, r.seq, ts.UTC().Format("20060102150405"), r.ext)
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	r.f, r.start, r.records, r.size = f, ts, 0, fileHeaderSize
	r.cw = countingWriter{w: f}
	r.w = bufio.NewWriterSize(&r.cw, 64<<10)
	r.kept = append(r.kept, name)
	for r.opt.Files > 0 && len(r.kept) > r.opt.Files {
		if err := os.Remove(r.kept[0]); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("ring buffer: %w", err)
		}
		r.kept = r.kept[1:]
	}
	if r.open != nil {
		return r.open(r.w)
	}
	return nil
}

func (r *RingFile) closeFile() error {
	if r.f == nil {
		return nil
	}
	var err error
	if r.closing != nil {
		err = r.closing()
	}
	err = errors.Join(err, r.w.Flush(), r.f.Close())
	r.f = nil
	return err
}

// Flush writes out what is buffered.
func (r *RingFile) Flush() error {
	if r.f == nil {
		return nil
	}
	return r.w.Flush()
}

// Close closes the current file.
func (r *RingFile) Close() error { return r.closeFile() }

// Files lists the files on disk, oldest first.
func (r *RingFile) Files() []string { return append([]string(nil), r.kept...) }

// fileHeaderSize is what a file holds before its first record, as far as
// the size condition counts: a pcapng section header and an interface
// block or two. (The records' sizes are counted as they are written, not
// as they reach the disk, because writers above buffer them.)
const fileHeaderSize = 256

type countingWriter struct {
	w interface{ Write([]byte) (int, error) }
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// RingWriter writes frames as pcapng into a ring of files (tshark's -w
// FILE -b ...): each file is a whole pcapng with its own section header and
// interfaces, named as RingFile names them.
type RingWriter struct {
	ring   *RingFile
	labels map[int]string
	cur    *Writer
}

// NewRingWriter returns a RingWriter for path.
func NewRingWriter(path string, opt RingOptions) *RingWriter {
	rw := &RingWriter{ring: NewRingFile(path, opt), labels: make(map[int]string)}
	rw.ring.open = func(w *bufio.Writer) error {
		rw.cur = NewPcapngWriter(w)
		for s, l := range rw.labels {
			rw.cur.SetLabel(s, l)
		}
		return nil
	}
	rw.ring.closing = func() error { return rw.cur.Close() }
	return rw
}

// SetLabel names input source's interfaces, in every file.
func (rw *RingWriter) SetLabel(source int, label string) {
	rw.labels[source] = label
	if rw.cur != nil {
		rw.cur.SetLabel(source, label)
	}
}

// WritePacket writes p, to a new file if the current one is full.
func (rw *RingWriter) WritePacket(p *Packet) error {
	// A record is its data plus at most 32 bytes of block header and
	// padding; a new interface block adds a little more, once.
	if _, err := rw.ring.Next(p.CI.Timestamp, len(p.Data)+32); err != nil {
		return err
	}
	return rw.cur.WritePacket(p)
}

// Flush writes out buffered frames.
func (rw *RingWriter) Flush() error {
	if rw.cur == nil {
		return nil
	}
	return errors.Join(rw.cur.Flush(), rw.ring.Flush())
}

// Close closes the current file. With no frame written, no file is made.
func (rw *RingWriter) Close() error { return rw.ring.Close() }

// Files lists the files on disk, oldest first.
func (rw *RingWriter) Files() []string { return rw.ring.Files() }
