package capture

import (
	"bytes"
	"fmt"
	"io"
)

// PcapFileHeaderSize is the size of a pcap file's header.
const PcapFileHeaderSize = 24

// OpenPcapAt reads a pcap file's records from one of them on: header is
// the file's header (its first PcapFileHeaderSize bytes: the byte order,
// the resolution of the times, the link type), rest the file's bytes from
// off on, off the offset of a record's start, which the caller found (a
// pcap file says nowhere where its records start). The packets, their
// errors and their offsets (Packet.Offset) are the file's, as OpenFile's
// source gives them from that record on; name names the file in errors,
// index becomes Packet.Source, size (-1 if not known) sizes the buffer.
func OpenPcapAt(header []byte, rest io.Reader, off int64, name string, index int, size int64) (Source, error) {
	if len(header) != PcapFileHeaderSize || off < PcapFileHeaderSize {
		return nil, &FileError{File: name, Err: fmt.Errorf("%w: a pcap header of %d bytes, records from offset %d", ErrMalformed, len(header), off)}
	}
	s, err := newFileSource(io.MultiReader(bytes.NewReader(header), rest), name, name, index, size)
	if err != nil {
		return nil, err
	}
	if s.win == nil || s.gzip {
		return nil, &FileError{File: name, Err: fmt.Errorf("%w: not a pcap file", ErrUnknownFormat)}
	}
	// The stream is the header, then the file from off on: its offsets
	// past the header are the file's, shifted.
	shift := off - PcapFileHeaderSize
	s.win.off += shift
	s.recordEnd += shift
	return s, nil
}
