package capture

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Sentinels for errors.Is. File errors wrap them in a *FileError.
var (
	// ErrUnknownFormat: the input is not pcap, pcapng, or gzip of either.
	ErrUnknownFormat = errors.New("not a pcap, pcapng or gzip capture")
	// ErrMalformed: a header or record lies (impossible length, unknown
	// interface, record over MaxRecordSize, ...). Reading stops there.
	ErrMalformed = errors.New("malformed")
)

// TruncatedError reports a capture that ends in the middle of a record (or
// of the file header): the file was cut, typically by a capture still being
// written or a copy that stopped short. Every whole record before the cut
// was returned.
type TruncatedError struct {
	File    string // the file path, or the label of a reader
	Offset  int64  // where the data ends: the size of the cut stream
	Records int    // whole records read before the cut
	// Gzip is true when the file is gzip-compressed: Offset then counts
	// decompressed bytes.
	Gzip bool
}

func (e *TruncatedError) Error() string {
	of := ""
	if e.Gzip {
		of = " of the decompressed data"
	}
	return fmt.Sprintf("%s: truncated at byte %d%s after %d records", e.File, e.Offset, of, e.Records)
}

// Unwrap makes errors.Is(err, io.ErrUnexpectedEOF) true.
func (e *TruncatedError) Unwrap() error { return io.ErrUnexpectedEOF }

// FileError is any other error reading a capture file: it names the file,
// where the read that failed began and how many records came before it.
// Err wraps ErrUnknownFormat, ErrMalformed or the I/O error.
type FileError struct {
	File string
	// Offset is where the failed read began, just after the last whole
	// record (or the file header): the start of the bad record, unless
	// pcapng metadata blocks came between (they are read in the same call).
	Offset  int64
	Records int
	Err     error
}

func (e *FileError) Error() string {
	if e.Offset == 0 && e.Records == 0 {
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s: at byte %d after %d records: %v", e.File, e.Offset, e.Records, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// PermissionError reports that live capture was refused for lack of
// privilege. errors.Is(err, os.ErrPermission) is true.
type PermissionError struct {
	Iface string
	Op    string // the call that was refused: "socket", "pcap activate"
	Err   error
}

func (e *PermissionError) Error() string {
	return fmt.Sprintf("live capture on %s needs root or the CAP_NET_RAW capability (%s: %v)", e.Iface, e.Op, e.Err)
}

func (e *PermissionError) Unwrap() error { return e.Err }

// Is matches os.ErrPermission whatever the backend's own error is.
func (e *PermissionError) Is(target error) bool { return target == os.ErrPermission }

// malformed wraps a description in ErrMalformed.
func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}
