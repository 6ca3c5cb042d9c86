package capture

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Magic numbers, as the first four bytes read little-endian.
const (
	magicPcapMicro   = 0xa1b2c3d4 // little-endian file, microseconds
	magicPcapMicroBE = 0xd4c3b2a1 // big-endian file, microseconds
	magicPcapNano    = 0xa1b23c4d // little-endian file, nanoseconds
	magicPcapNanoBE  = 0x4d3cb2a1 // big-endian file, nanoseconds
	magicPcapng      = 0x0a0d0d0a // section header block, either byte order
)

// stdinName labels standard input ("-").
const stdinName = "stdin"

// OpenFile opens a capture file. spec is "FILE" or "LABEL=FILE"; FILE "-"
// is standard input. The format is recognised by its magic bytes, not its
// name: pcap (either byte order, micro- or nanosecond timestamps), pcapng
// (any number of sections and interfaces, mixed link types), or gzip of
// either. index becomes Packet.Source. Errors name the file and the reason.
func OpenFile(spec string, index int) (Source, error) {
	label, path := SplitSpec(spec)
	if path == "-" {
		return OpenReader(os.Stdin, label, index)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *os.PathError names the file
	}
	src, err := newFileSource(f, path, label, index, fileSize(f))
	if err != nil {
		f.Close()
		return nil, err
	}
	src.closer = f
	return src, nil
}

// OpenReader reads a capture from r, as OpenFile does for a file; label
// names it in Label and in errors. The caller keeps ownership of r: Close
// does not close it.
func OpenReader(r io.Reader, label string, index int) (Source, error) {
	size := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok { // bytes.Reader, strings.Reader
		size = int64(l.Len())
	}
	src, err := newFileSource(r, label, label, index, size)
	if err != nil {
		return nil, err
	}
	return src, nil
}

// fileSize is the size of a regular file, or -1.
func fileSize(f *os.File) int64 {
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return -1
	}
	return fi.Size()
}

// bufferSize sizes the read buffer: readBufferSize, or less for an input
// known to be smaller, but never under 4 KiB: pcapgo wraps a smaller
// bufio.Reader in its own, and offsets would no longer add up.
func bufferSize(size int64) int {
	const least = 4096
	if size < 0 || size >= readBufferSize {
		return readBufferSize
	}
	return int(max(size+1, least))
}

// SplitSpec splits an input spec, "FILE" or "LABEL=FILE" as -r takes it,
// into its label and path. A spec whose part before "=" is empty or looks
// like a path, or that names an existing file as a whole, is a plain path
// and labels itself. Path "-" is standard input, labelled "stdin" unless
// the spec names it (LABEL=-). OpenFile reads specs through it; so does
// anything that opens the file itself.
func SplitSpec(spec string) (label, path string) {
	label, path, ok := strings.Cut(spec, "=")
	if !ok || label == "" || strings.ContainsAny(label, `/\`) || exists(spec) {
		label, path = spec, spec
	}
	if label == "-" {
		label = stdinName
	}
	return label, path
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// fileSource reads one pcap or pcapng stream.
type fileSource struct {
	name   string // in errors: the path, or the label of a reader
	label  string
	index  int
	closer io.Closer // the file OpenFile opened; nil for OpenReader

	count *countingReader
	// zcount counts the compressed bytes under a gzip reader (nil
	// otherwise). Its budget is reset with count's: a record may take many
	// compressed bytes, but a whole file must not count against one record.
	zcount *countingReader
	br     *bufio.Reader // shared with pcapgo, which reads through it
	gzip   bool

	size int64 // of the input, -1 if not known (it sizes the buffers)

	// A pcap file's records are read from win (window.go), not through
	// br: pcapgo reads the file header only.
	win        *window
	pcapBE     bool            // the pcap file is big-endian
	nanoFactor uint32          // a timestamp's fraction times this is nanoseconds
	linkType   layers.LinkType // of the pcap file
	ng         *pcapgo.NgReader
	// ngBlockStart and ngBlockLen are the offset and length of the pcapng
	// block checkNextBlock saw, when it is a packet block (else -1).
	ngBlockStart int64
	ngBlockLen   int64

	records int // whole records returned
	// received is records, for Stats from other goroutines: counted
	// with each pcapng record; a pcap file's is set before each read of
	// the input (beforeRead) and at its end, not with each record (an
	// atomic add was a tenth of reading one).
	received  atomic.Int64
	recordEnd int64 // offset just after the last whole record
	done      bool  // an error or io.EOF was returned
}

// newFileSource layers the reader: r, a byte counter, a buffer of
// readBufferSize,
// then pcapgo; if the data starts with the gzip magic, a gunzip reader and
// a second counter and buffer go between, so that offsets count
// decompressed bytes.
func newFileSource(r io.Reader, name, label string, index int, size int64) (*fileSource, error) {
	s := &fileSource{name: name, label: label, index: index, size: size}
	s.count = newCountingReader(r)
	s.br = bufio.NewReaderSize(s.count, bufferSize(size))
	if isGzip(s.br) {
		zr, err := gzip.NewReader(s.br)
		if err != nil {
			return nil, s.openError(err)
		}
		s.gzip = true
		s.zcount = s.count
		s.count = newCountingReader(zr)
		s.br = bufio.NewReaderSize(s.count, readBufferSize)
	}
	if err := s.openFormat(); err != nil {
		return nil, err
	}
	return s, nil
}

func isGzip(br *bufio.Reader) bool {
	b, _ := br.Peek(2)
	return len(b) == 2 && b[0] == 0x1f && b[1] == 0x8b
}

// openFormat recognises the magic number and reads the file header.
func (s *fileSource) openFormat() error {
	magic, err := s.br.Peek(4)
	if len(magic) == 0 && err == io.EOF {
		return &FileError{File: s.name, Err: fmt.Errorf("%w: empty file", ErrUnknownFormat)}
	}
	if len(magic) < 4 {
		return s.openError(err)
	}
	switch m := binary.LittleEndian.Uint32(magic); m {
	case magicPcapMicro, magicPcapNano, magicPcapMicroBE, magicPcapNanoBE:
		s.pcapBE, s.nanoFactor = m == magicPcapMicroBE || m == magicPcapNanoBE, 1000
		if m == magicPcapNano || m == magicPcapNanoBE {
			s.nanoFactor = 1
		}
		return s.openPcap()
	case magicPcapng:
		return s.openPcapng()
	}
	return &FileError{File: s.name, Err: fmt.Errorf("%w (starts with % x)", ErrUnknownFormat, magic)}
}

// openPcap reads the pcap file header with pcapgo, then hands what br
// holds beyond it to the window the records are read from (window.go).
func (s *fileSource) openPcap() error {
	r, err := pcapgo.NewReader(s.br)
	if err != nil {
		return s.openError(fmt.Errorf("pcap header: %w", err))
	}
	s.linkType = r.LinkType()
	s.recordEnd = s.offset()
	// The window takes over br's buffer, whose pending bytes follow the
	// header, to its end (Peek's slice): br is not read again, and a
	// second buffer is not faulted in (64 page faults of 4 KiB, about
	// 7 us each in this VM). A record is at most MaxRecordSize: the
	// budget of each read (countingReader) is a whole one.
	pending, _ := s.br.Peek(s.br.Buffered())
	buf := pending[:cap(pending)]
	if size := bufferSize(s.size); len(buf) < size/2 { // not br's buffer after all
		buf = append(make([]byte, 0, size), pending...)[:size]
	}
	s.win = newWindow(s.count, buf, len(pending), s.recordEnd, s.beforeRead)
	s.br = nil
	return nil
}

// beforeRead, before each read of a pcap file's input (which may wait for
// it), makes Stats count every record returned so far and starts a new
// record's budget.
func (s *fileSource) beforeRead() {
	s.received.Store(int64(s.records))
	s.resetBudgets()
}

// resetBudgets starts the budget of a new record (countingReader).
func (s *fileSource) resetBudgets() {
	s.count.resetBudget()
	if s.zcount != nil {
		s.zcount.resetBudget()
	}
}

func (s *fileSource) openPcapng() error {
	// WantMixedLinkType: without it pcapgo silently drops the packets of
	// every interface whose link type differs from the first one's.
	r, err := pcapgo.NewNgReader(s.br, pcapgo.NgReaderOptions{WantMixedLinkType: true})
	if err != nil {
		return s.openError(fmt.Errorf("pcapng section header: %w", err))
	}
	s.ng = r
	s.recordEnd = s.offset()
	return nil
}

// openError classifies an error met while reading the file header.
func (s *fileSource) openError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &TruncatedError{File: s.name, Offset: s.offset(), Gzip: s.gzip}
	}
	if s.count.err != nil {
		return &FileError{File: s.name, Err: s.count.err}
	}
	return &FileError{File: s.name, Err: fmt.Errorf("%w: %v", ErrMalformed, err)}
}

// offset is the number of bytes of the (decompressed) stream consumed.
func (s *fileSource) offset() int64 {
	if s.win != nil {
		return s.win.offset()
	}
	return s.count.n - int64(s.br.Buffered())
}

func (s *fileSource) Label() string { return s.label }

func (s *fileSource) Stats() Stats { return Stats{Received: uint64(s.received.Load())} }

func (s *fileSource) Close() error {
	s.done = true
	s.received.Store(int64(s.records))
	if s.closer == nil {
		return nil
	}
	c := s.closer
	s.closer = nil
	return c.Close()
}

// Next reads the next record. It does not allocate once the record buffer
// has grown to the largest record (pcap; pcapng unless blocks carry
// options that pcapgo allocates for).
func (s *fileSource) Next(p *Packet) error {
	if s.done {
		return io.EOF
	}
	if s.win != nil {
		return s.nextPcap(p)
	}
	s.resetBudgets()
	data, ci, lt, err := s.readPcapng()
	if err != nil {
		return s.fail(err)
	}
	if len(data) > MaxRecordSize {
		return s.fail(malformed("capture length %d exceeds the %d byte limit", len(data), MaxRecordSize))
	}
	s.records++
	s.received.Add(1)
	s.recordEnd = s.offset()
	ci.AncillaryData = nil
	p.Data, p.CI, p.LinkType, p.Source = data, ci, lt, s.index
	p.Offset = s.dataOffset()
	return nil
}

// dataOffset is where the data of the pcapng packet just read starts in
// the file (Packet.Offset), or 0: 28 bytes into its block, when the block
// checkNextBlock saw is the one read (no other block came first). A pcap
// record's is set by nextPcap.
func (s *fileSource) dataOffset() int64 {
	if !s.gzip && s.ngBlockStart >= 0 && s.offset()-s.ngBlockStart == s.ngBlockLen {
		return s.ngBlockStart + ngPacketHeader
	}
	return 0
}

// nextPcap reads a pcap record from the window, zero copy. A record whose
// captured length exceeds its original length is read as tshark reads
// it: all its captured bytes, with the original length as the file gives
// it (the engine adds tshark's expert note "Frame length is less than
// captured length"). A captured length over MaxRecordSize is refused
// before the record is read.
func (s *fileSource) nextPcap(p *Packet) error {
	w := s.win
	h := w.buf[w.r:w.w] // the window's bytes: fill only when a record is not whole in them
	if len(h) < pcapRecordHeader {
		if h = w.fill(pcapRecordHeader); len(h) < pcapRecordHeader {
			return s.pcapEnd(len(h))
		}
	}
	// The header's four numbers at once (u32's test of the byte order
	// once, not four times), before a fill moves the bytes.
	hdr := (*[pcapRecordHeader]byte)(h)
	var sec, frac, n, orig uint32
	if s.pcapBE {
		be := binary.BigEndian
		sec, frac, n, orig = be.Uint32(hdr[0:]), be.Uint32(hdr[4:]), be.Uint32(hdr[8:]), be.Uint32(hdr[12:])
	} else {
		le := binary.LittleEndian
		sec, frac, n, orig = le.Uint32(hdr[0:]), le.Uint32(hdr[4:]), le.Uint32(hdr[8:]), le.Uint32(hdr[12:])
	}
	if n > MaxRecordSize {
		return s.failAt(malformed("record captures %d bytes, over the %d byte limit", n, MaxRecordSize))
	}
	size := pcapRecordHeader + int(n)
	rec := h
	if len(rec) < size {
		if rec = w.fill(size); len(rec) < size {
			return s.pcapEnd(len(rec))
		}
	}
	// As pcapgo reads it: the fraction is multiplied in 32 bits.
	frac *= s.nanoFactor
	// Field by field: a whole CaptureInfo is copied with write barriers.
	p.CI.Timestamp = time.Unix(int64(sec), int64(frac)).UTC()
	p.CI.CaptureLength, p.CI.Length = int(n), int(orig)
	p.CI.InterfaceIndex = -1 // a pcap record names no interface
	if p.CI.AncillaryData != nil {
		p.CI.AncillaryData = nil
	}
	p.Data = rec[pcapRecordHeader:size:size]
	p.LinkType, p.Source = s.linkType, s.index
	at := w.offset() // the record's offset in the stream
	p.Offset = 0     // a gzip file's offsets are not the file's
	if !s.gzip {
		p.Offset = at + pcapRecordHeader
	}
	w.consume(size)
	s.records++
	s.recordEnd = at + int64(size)
	return nil
}

// pcapEnd ends a pcap file whose window holds only have bytes of the next
// record: at its end (have is 0), cut (a *TruncatedError at the end of
// the data), or failing.
func (s *fileSource) pcapEnd(have int) error {
	s.done = true
	s.received.Store(int64(s.records))
	switch err := s.win.err; {
	case err == io.EOF && have == 0:
		return io.EOF
	case err == io.EOF, errors.Is(err, io.ErrUnexpectedEOF):
		return &TruncatedError{File: s.name, Offset: s.win.end(), Records: s.records, Gzip: s.gzip}
	case err == errOverBudget:
		return s.failAt(malformed("more than %d bytes without a whole record", recordBudget))
	default:
		return s.failAt(err)
	}
}

// failAt ends the Source with err, where the last whole record ended.
func (s *fileSource) failAt(err error) error {
	s.done = true
	s.received.Store(int64(s.records))
	return &FileError{File: s.name, Offset: s.recordEnd, Records: s.records, Err: err}
}

// readPcapng reads the next packet of a pcapng file, after checking its
// block's length.
func (s *fileSource) readPcapng() ([]byte, gopacket.CaptureInfo, layers.LinkType, error) {
	if err := s.checkNextBlock(); err != nil {
		return nil, gopacket.CaptureInfo{}, 0, err
	}
	data, ci, err := s.ng.ZeroCopyReadPacketData()
	if err != nil {
		return nil, ci, 0, err
	}
	return data, ci, s.ngLinkType(ci), nil
}

// ngLinkType is the link type of the interface a pcapng packet came from.
func (s *fileSource) ngLinkType(ci gopacket.CaptureInfo) layers.LinkType {
	if len(ci.AncillaryData) > 0 {
		if lt, ok := ci.AncillaryData[0].(layers.LinkType); ok {
			return lt
		}
	}
	intf, err := s.ng.Interface(ci.InterfaceIndex)
	if err != nil {
		return layers.LinkTypeNull
	}
	return intf.LinkType
}

// Packet block types, and the offset of the captured length in the
// enhanced (6) and obsolete (2) packet blocks.
const (
	ngBlockPacket         = 2
	ngBlockSimplePacket   = 3
	ngBlockEnhancedPacket = 6
	ngCaptureLengthOffset = 20
	ngSimplePacketHeader  = 16 // type, length, original length, trailer
	ngPacketHeader        = 28 // of the enhanced and obsolete packet blocks: where the data starts
)

// checkNextBlock looks at the next pcapng block before pcapgo reads it and
// refuses a packet whose captured length exceeds MaxRecordSize, before any
// of it is read. The byte order is the one in which the block type reads
// as a packet type: the other order gives a reserved type.
func (s *fileSource) checkNextBlock() error {
	s.ngBlockStart = -1
	b, _ := s.br.Peek(ngCaptureLengthOffset + 4)
	if len(b) < 8 {
		return nil // pcapgo reports the end or the cut
	}
	var order binary.ByteOrder = binary.LittleEndian
	typ := order.Uint32(b)
	if typ > ngBlockEnhancedPacket {
		order = binary.BigEndian
		typ = order.Uint32(b)
	}
	if typ == ngBlockEnhancedPacket || typ == ngBlockPacket {
		s.ngBlockStart, s.ngBlockLen = s.offset(), int64(order.Uint32(b[4:]))
	}
	var n uint32
	switch {
	case typ == ngBlockSimplePacket:
		n = order.Uint32(b[4:]) - min(order.Uint32(b[4:]), ngSimplePacketHeader)
	case (typ == ngBlockEnhancedPacket || typ == ngBlockPacket) && len(b) >= ngCaptureLengthOffset+4:
		n = order.Uint32(b[ngCaptureLengthOffset:])
	}
	if n > MaxRecordSize {
		return malformed("packet block captures %d bytes, over the %d byte limit", n, MaxRecordSize)
	}
	return nil
}

// fail classifies an error from the pcapng reader and ends the Source.
func (s *fileSource) fail(err error) error {
	s.done = true
	at := s.recordEnd
	switch {
	case s.count.over:
		err = malformed("more than %d bytes without a whole record", recordBudget)
	case errors.Is(err, io.ErrUnexpectedEOF):
		// pcapgo's pcapng reader says io.EOF only at a block boundary,
		// and blocks other than packets move the offset without making
		// records.
		return &TruncatedError{File: s.name, Offset: s.offset(), Records: s.records, Gzip: s.gzip}
	case err == io.EOF:
		return io.EOF
	case errors.Is(err, ErrMalformed):
	case s.count.err != nil:
		err = s.count.err
	default:
		err = fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return &FileError{File: s.name, Offset: at, Records: s.records, Err: err}
}
