package pipeline

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/feed"
	"github.com/nbtsniff/nbtsniff/output"
)

// The frame list of files (the Loader's rows): each frame's index row is a
// fixed-size record (feed.Index); what the list shows of it (source,
// destination, protocol, info) is re-derived on demand, for the rows on
// screen, by decoding the frame alone again, read back from its file at
// its offset (capture.Packet.Offset), when that gives what decoding the
// whole capture in order gives:
//
//   - frames of other traffic (engine.Skippable): the loader does not
//     decode them at all (as --report does not); decoded alone, their
//     columns are the same, but for the relative sequence number of a TCP
//     segment, which engine.SeqIndex works out at load and the row keeps
//     (Ref.Aux, refTCP; the text of a segment of other traffic that the
//     loader decodes, one cut short say, takes its number from there too);
//   - NBNS datagrams, and whole NBT datagrams while no datagram fragment
//     was seen (engine.Classify: the datagram service keeps no other state).
//
// Every other frame (TCP sessions on 139/445, fragments, tunnels, other
// links) depends on the frames before it: its columns are kept as text
// (feed.Index.Add), as is every frame of an input that cannot be read back
// at an offset (live capture, standard input, a gzip file).
const (
	refFrame uint8 = 1 + iota // the frame decoded alone
	refTCP                    // the same, with the relative sequence number in Ref.Aux
)

// rowMaker decides how each frame of a load is listed.
type rowMaker struct {
	seq      *engine.SeqIndex
	fragSeen bool // a frame that may carry a datagram fragment was seen
	sum      *summarizer
}

// rowKind says how the frame just read is listed: by reference (a Kind),
// or as text (0), in which case the loader decodes it in full; whether it
// is a frame of other traffic the load skips (skip: engine.Skippable, its
// whole length captured); and whether it is a TCP segment of other
// traffic that engine.SeqIndex numbers (hasSeq), skipped or not, whose
// fields are then read into seg (engine.SkipSegment, one parse of its
// headers): the decoder gives it its number (SeqIndex sees them all, as
// an engine decoding every frame would: the loader's engine sees only
// those it decodes).
//
// Not the number itself, on the reader's goroutine: its table lookup
// (cache misses: the file's bytes read between two segments of a
// conversation push the table out of the cache) took the reader 65-70 ns
// a frame against 57 with the 24 bytes handed over (BenchmarkLoadReader,
// the reader thread's CPU over the 1 GB mix; bench/README.md, session
// 12), and the decoder has little else to do while the reader reads the
// other traffic. Session 9 had measured the reverse with the fields read
// in a second parse, after Skippable's. SkipSegment writes the segment in
// place, field by field: a segment built on the stack and copied cost a
// quarter of its time (its 16-byte loads stalled on the stores just made).
func (r *rowMaker) rowKind(p *capture.Packet, seg *engine.SeqSegment) (kind uint8, hasSeq, skip bool) {
	skip, hasSeq = engine.SkipSegment(p.Data, p.LinkType, seg)
	skip = skip && p.CI.Length <= len(p.Data)
	if skip {
		if hasSeq {
			return refTCP, true, true
		}
		return refFrame, false, true
	}
	c, mayFrag := engine.Classify(p.Data, p.LinkType)
	r.fragSeen = r.fragSeen || mayFrag
	if c == engine.ClassStateless || c == engine.ClassDatagram && !r.fragSeen {
		return refFrame, hasSeq, false
	}
	return 0, hasSeq, false
}

// summarizer is the feed.Summarizer of a Loader over files: it reads a
// frame back from its file and decodes it alone, through an engine of its
// own that sees only such frames. The last screens' columns are cached.
type summarizer struct {
	paths []string // of the inputs, by Packet.Source
	cfg   engine.Config

	mu    sync.Mutex
	eng   *engine.Engine
	buf   []byte
	cache map[int]*columns
	order []int // cache keys, oldest first
	reads int   // frames decoded again (misses)
}

// misses is the number of frames decoded again so far.
func (s *summarizer) misses() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reads
}

// columns are a frame's columns as the list shows them.
type columns struct{ src, dst, proto, info []byte }

const summaryCacheSize = 1024

func newSummarizer(paths []string, cfg engine.Config) *summarizer {
	cfg.Needs = engine.Needs{} // everything: what the list showed of a full decode
	return &summarizer{paths: paths, cfg: cfg, cache: map[int]*columns{}}
}

// Columns implements feed.Summarizer.
func (s *summarizer) Columns(r *feed.Row, ref feed.Ref) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.cache[r.Number]
	if !ok {
		s.reads++
		c = s.derive(r, ref)
		s.cache[r.Number] = c
		s.order = append(s.order, r.Number)
		if len(s.order) > summaryCacheSize {
			delete(s.cache, s.order[0])
			s.order = s.order[1:]
		}
	}
	r.Src, r.Dst, r.Proto, r.Info = c.src, c.dst, c.proto, c.info
}

// columnsOf is the columns of frame r, read back at ref now.
func (s *summarizer) columnsOf(r *feed.Row, ref feed.Ref) *columns {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.derive(r, ref)
}

// derive reads frame r back and decodes it. Called with mu held.
func (s *summarizer) derive(r *feed.Row, ref feed.Ref) *columns {
	data, err := s.read(r.Source, ref)
	if err != nil {
		return &columns{info: output.AppendEscapedString(nil, fmt.Sprintf("frame %d cannot be read again: %v", r.Number, err))}
	}
	return s.decode(r, data, layers.LinkType(ref.Link), ref)
}

// decode decodes a frame alone (its bytes data) and returns its columns.
// Called with mu held.
func (s *summarizer) decode(r *feed.Row, data []byte, lt layers.LinkType, ref feed.Ref) *columns {
	if s.eng == nil {
		s.eng = engine.New(s.cfg)
	}
	ci := gopacket.CaptureInfo{Timestamp: r.Time, CaptureLength: len(data), Length: r.Length, InterfaceIndex: -1}
	f := s.eng.DecodeNth(r.Number, r.Time, r.Time, data, ci, lt, r.Source)
	info := f.Info
	if ref.Kind == refTCP {
		info = withSeq(info, ref.Aux)
	}
	return frameColumns(f, info)
}

// read reads the bytes of a frame from its file.
func (s *summarizer) read(source int, ref feed.Ref) ([]byte, error) {
	if source < 0 || source >= len(s.paths) || ref.Offset <= 0 || ref.CapLen < 0 || ref.CapLen > capture.MaxRecordSize {
		return nil, errors.New("no file offset")
	}
	f, err := os.Open(s.paths[source])
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if cap(s.buf) < ref.CapLen {
		s.buf = make([]byte, ref.CapLen)
	}
	b := s.buf[:ref.CapLen]
	if _, err := f.ReadAt(b, ref.Offset); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return b, nil
}

// textOf is the columns of a frame read by reference that has no offset
// in its file (a pcapng packet block read after other blocks): decoded
// alone now, from the packet read, to be kept as text.
func (s *summarizer) textOf(r *feed.Row, p *capture.Packet, kind uint8, aux uint32) *columns {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.decode(r, p.Data, p.LinkType, feed.Ref{Kind: kind, Aux: aux})
}

// withSeq is the info column of a TCP segment that was decoded alone
// ("1025 → 443 [ACK] Seq=1 Len=0"), with the relative sequence number it
// has in the capture (engine.SeqIndex).
func withSeq(info []byte, seq uint32) []byte {
	i := bytes.Index(info, []byte("] Seq="))
	if i < 0 {
		return info
	}
	i += len("] Seq=")
	j := i
	for j < len(info) && info[j] >= '0' && info[j] <= '9' {
		j++
	}
	out := append([]byte(nil), info[:i]...)
	out = strconv.AppendUint(out, uint64(seq), 10)
	return append(out, info[j:]...)
}

// frameColumns is what the list shows of a decoded frame: the source and
// destination columns of its summary line (output.AppendSummary), its
// protocol and its info (info, f.Info or a copy), escaped, the info cut to
// maxInfoBytes.
func frameColumns(f *dissect.Frame, info []byte) *columns {
	c, _ := appendColumns(nil, f, info)
	return &c
}

// appendColumns is frameColumns in buf: the columns are slices of the
// bytes appended to it (of an earlier array when it grew: they stay as
// they are), returned with buf.
func appendColumns(buf []byte, f *dissect.Frame, info []byte) (columns, []byte) {
	at := len(buf)
	buf = output.AppendSummary(buf, f)
	src, dst := summaryAddrs(buf[at:])
	at = len(buf)
	buf = output.AppendEscapedString(buf, f.Proto)
	proto := buf[at:len(buf):len(buf)]
	at = len(buf)
	buf = output.AppendEscaped(buf, info)
	inf := buf[at:min(len(buf), at+maxInfoBytes)]
	return columns{src: src[:len(src):len(src)], dst: dst[:len(dst):len(dst)], proto: proto, info: inf[:len(inf):len(inf)]}, buf
}

// seekable reports whether every input is a file whose frames can be read
// back at their offset: a regular file, not gzip-compressed.
func seekable(paths []string) bool {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return false
		}
		var magic [2]byte
		_, err = io.ReadFull(f, magic[:])
		f.Close()
		if err != nil || binary.BigEndian.Uint16(magic[:]) == 0x1f8b {
			return false
		}
	}
	return len(paths) > 0
}
