package pipeline

import (
	"context"
	"encoding/binary"
	"io"
	"os"
	"sync/atomic"
	"unsafe"

	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/feed"
)

// The fast load of one big pcap file reads it on two goroutines: the
// reader (readBatches) from its start, and a second reader (splitRead)
// from a record in its middle, each doing what the reader does with a
// frame (readFrame) into batches of its own. The second one's batches
// wait, a bounded number of them, until the reader comes to the record
// the second one started at; the reader then hands them on after its own,
// numbered on from its frames, and reads no more; the second one reads
// on to the end of the file, into the load's own batches from then on,
// which the reader hands on as they come. Over other traffic the reader
// alone was the load's critical path (the decoder and the loader left
// the second core mostly idle: bench/README.md, session 19). Where the
// second reader's first splitKeptAhead frames to decode come within
// splitFewFrames frames (an NBT-dense file, whose load the decoder
// holds back, not the reader), it ends there and the reader reads on.
//
// Where a record starts in the middle is not written anywhere: the
// second reader takes the first offset from which a chain of splitChain
// plausible record headers holds together (splitRead.plausible). The
// reader checks it: it must come to a record at exactly that offset. If
// it passes it instead (a false start), or the two disagree on the file's
// link type, or the kinds the second one gave frames may depend on the
// frames before them (rowMaker.fragSeen: a fragment seen before), the
// second reader is dropped and the reader reads on alone, as without it.
// A record the second reader cannot read (over capture.MaxRecordSize, or
// cut short at the end of the file) ends its part: the reader skips the
// records before it (read again, not listed again) and reads on from
// there, so that the errors and warnings are its own. The frames, their
// numbers, times, kinds and offsets are those of the reader alone: the
// same bytes, read by the same code (capture.OpenPcapAt: capture's own
// pcap reader, from that record on).
//
// The second reader's batches are held in an arena outside the Go heap
// (splitArena) and its frames kept (NBT frames, to decode) in few
// batches (splitKeptAhead): the UI's max RSS over the 1 GB mix is some
// 25 MB more, its page faults the same.

// splitMinSize: smaller files are not split (their load is short). A
// variable for the tests.
var splitMinSize int64 = 128 << 20

const (
	// splitAhead is how many batches the second reader fills before the
	// reader comes to them: a batch over other traffic holds 16,384
	// frames in some 0.75 MB (refs, segments, items).
	splitAhead = 32
	// splitKeptAhead: the second reader waits for the reader once it has
	// so many frames kept (loadPacket: copied, to decode) in its batches.
	splitKeptAhead = loadBatchFrames
	// splitFewFrames: if its first splitKeptAhead frames kept come within
	// so many frames, the second reader ends there.
	splitFewFrames = 16 * splitKeptAhead
	// splitChain records must hold together after the offset taken as a
	// record's start.
	splitChain = 24
	// splitScan is how far past the middle a record's start is looked for
	// (the chain after it in the splitReadSize bytes read there).
	splitScan = 128 << 10
	// splitReadSize is what is read at the middle to find a record's
	// start in.
	splitReadSize = 256 << 10
)

// splitRead is the second reader of a load (loadsplit.go's comment).
type splitRead struct {
	start  int64 // the offset of the record it starts at
	link   layers.LinkType
	be     bool   // big-endian
	nano   uint32 // the fraction's factor to nanoseconds
	f      *os.File
	size   int64
	read   *atomic.Int64                    // the bytes read (the progress bar's), Opened.read
	rows   rowMaker                         // its own fragSeen
	arena  *splitArena                      // its batches' arrays (nil: Go allocations)
	hdr    [capture.PcapFileHeaderSize]byte // the file's header
	exited chan struct{}                    // closed when run returns

	batches chan *loadBatch // its batches, in order; closed at its end
	pool    chan *loadBatch // its batches, back from the loader
	free    chan *loadBatch // the load's batches
	made    int
	stop    atomic.Bool   // halted: the reader dropped it, or the load ends
	quit    chan struct{} // closed when halted
	resume  chan struct{} // closed when the reader takes its batches
	taken   bool          // the reader took its batches (reader goroutine)
	ended   atomic.Bool   // it has sent its last batch

	// Set before batches is closed.
	frames   int   // frames read
	end      int64 // the offset after its last record
	complete bool  // it read to the end of the file
	waited   bool  // it waited for the reader (splitKeptAhead)
}

// newSplitRead opens the second reader of the load of the pcap file at
// path, of size bytes, or returns nil when it is not split (not a pcap
// file, too small, no record start found).
func newSplitRead(path string, size int64, read *atomic.Int64) *splitRead {
	if size < splitMinSize {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	s := &splitRead{f: f, size: size, read: read}
	if !s.header() || !s.findStart() {
		f.Close()
		return nil
	}
	s.arena = newSplitArena(splitAhead * splitBatchBytes)
	s.batches = make(chan *loadBatch, splitAhead)
	s.pool = make(chan *loadBatch, splitAhead)
	s.exited, s.resume, s.quit = make(chan struct{}), make(chan struct{}), make(chan struct{})
	return s
}

// header reads the file's header: the byte order, the resolution of its
// times, its link type.
func (s *splitRead) header() bool {
	h := s.hdr[:]
	if _, err := s.f.ReadAt(h, 0); err != nil {
		return false
	}
	switch binary.LittleEndian.Uint32(h[:]) {
	case 0xa1b2c3d4:
		s.nano = 1000
	case 0xd4c3b2a1:
		s.be, s.nano = true, 1000
	case 0xa1b23c4d:
		s.nano = 1
	case 0x4d3cb2a1:
		s.be, s.nano = true, 1
	default:
		return false
	}
	s.link = layers.LinkType(s.u32(h[20:]))
	return true
}

func (s *splitRead) u32(b []byte) uint32 {
	if s.be {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

// findStart finds the record start the second reader begins at: the
// first offset from the middle of the file on at which splitChain
// plausible record headers follow each other.
func (s *splitRead) findStart() bool {
	mid := s.size / 2
	buf := make([]byte, splitReadSize)
	n, err := s.f.ReadAt(buf, mid)
	if err != nil && err != io.EOF {
		return false
	}
	buf = buf[:n]
	for i := 0; i < splitScan && i+pcapRecordHeader <= len(buf); i++ {
		if s.chainAt(buf, i) {
			s.start = mid + int64(i)
			return true
		}
	}
	return false
}

// chainAt reports whether splitChain plausible records follow each other
// from buf[i:].
func (s *splitRead) chainAt(buf []byte, i int) bool {
	for range splitChain {
		if i+pcapRecordHeader > len(buf) {
			return false
		}
		n, ok := s.plausible(buf[i:])
		if !ok {
			return false
		}
		i += pcapRecordHeader + n
	}
	return true
}

// plausible reads a record header at h: its captured length, and whether
// it looks like one (a fraction of a second under a second, a captured
// length of at least 14 bytes and at most its length on the wire and
// capture.MaxRecordSize). Stricter than capture (which takes any length
// up to MaxRecordSize): only the start is guessed with it.
func (s *splitRead) plausible(h []byte) (int, bool) {
	frac, n, orig := s.u32(h[4:]), s.u32(h[8:]), s.u32(h[12:])
	if frac*s.nano >= 1e9 || frac >= 1e9/s.nano || n < 14 || n > orig || n > capture.MaxRecordSize {
		return 0, false
	}
	return int(n), true
}

// batch is the next empty batch of the second reader: one of its own
// (carved from its arena) until the reader comes to its batches, one of
// the load's (free) after that: the decoder grows a batch's buffers for
// the frames kept, and the load's few batches are reused (with the 40 of
// its own in turn, each grew its own: 10 MB more, 5,000 more page faults
// in the load of the 1 GB mix). Nil once halted.
func (s *splitRead) batch(resumed bool) *loadBatch {
	if resumed {
		select {
		case b := <-s.free:
			return b
		case <-s.quit:
			return nil
		}
	}
	if s.made < splitAhead {
		select {
		case b := <-s.pool:
			return b
		default:
		}
		s.made++
		return &loadBatch{pool: s.pool,
			items: carve[loadItem](s.arena, loadBatchFrames),
			refs:  carve[feed.RefFrame](s.arena, loadBatchStretched),
			segs:  carve[engine.SeqSegment](s.arena, loadBatchStretched)}
	}
	select {
	case b := <-s.pool:
		return b
	case <-s.quit:
		return nil
	}
}

// putBack returns an unsent batch where it came from: its pool, or the
// load's free batches. Never blocks: each channel can hold every batch
// that goes back to it.
func putBack(b *loadBatch, free chan *loadBatch) {
	b.reset()
	if b.pool != nil {
		b.pool <- b
	} else {
		free <- b
	}
}

// run reads the file from start on into batches (l.readFrame, with its
// own rowMaker), numbered from 1 on, until its end, a record it cannot
// read, or halt. Once it has splitKeptAhead frames kept in the batches
// sent, it waits for the reader to take them (resume).
func (s *splitRead) run(l *Loader) {
	defer close(s.exited)
	defer close(s.batches)
	defer s.ended.Store(true)
	defer s.f.Close()
	src, err := capture.OpenPcapAt(s.hdr[:], &countedSection{r: io.NewSectionReader(s.f, s.start, s.size-s.start), n: s.read},
		s.start, s.f.Name(), 0, s.size-s.start)
	if err != nil {
		s.end = s.start // the reader reads it all
		return
	}
	defer src.Close()
	at := s.start // the file offset after the last record read
	var pkt capture.Packet
	var str stretch
	b := s.batch(false)
	if b == nil {
		return
	}
	b.first = 1
	frames, kept := 0, 0 // kept: frames kept in the batches sent
	resumed := false
	for {
		// The records as capture reads them; one it cannot read (cut
		// short, over capture.MaxRecordSize) is the reader's.
		if err = src.Next(&pkt); err != nil {
			break
		}
		l.readFrame(b, &s.rows, &str, &pkt, false)
		frames++
		at = pkt.Offset + int64(pkt.CI.CaptureLength)
		// Frames kept (copied, to decode) wait in few batches: a batch
		// of them holds some 0.8 MB of the Go heap.
		paused := !resumed && kept+len(b.pkts) >= splitKeptAhead
		if b.full() || paused {
			if s.stop.Load() {
				putBack(b, s.free)
				return
			}
			kept += len(b.pkts)
			s.batches <- b
			if paused && frames < splitFewFrames {
				// Frames to decode all along (an NBT-dense capture): the
				// decoder is the load's critical path, not the reader. The
				// reader reads on from here, on its own.
				s.frames, s.end = frames, at
				return
			}
			if paused {
				s.waited = true
				select {
				case <-s.resume:
				case <-s.quit:
					return
				}
				resumed = true
			}
			if b = s.batch(resumed); b == nil {
				return
			}
			b.first = frames + 1
			str = stretch{}
		}
	}
	s.frames, s.end = frames, at
	s.complete = err == io.EOF && at == s.size
	if len(b.items) > 0 {
		s.batches <- b
	} else {
		putBack(b, s.free)
	}
}

// countedSection reads the second reader's part of the file, counting
// the bytes read in the progress bar's count (Opened.read), as the
// reader's countedFile does.
type countedSection struct {
	r *io.SectionReader
	n *atomic.Int64
}

func (c *countedSection) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// halt stops the second reader and takes back its batches, unread (the
// reader's start was false, or the load ends before they are taken).
func (s *splitRead) halt() {
	if !s.stop.CompareAndSwap(false, true) {
		return
	}
	close(s.quit)
	batches, free := s.batches, s.free // close drops them
	go func() {
		for b := range batches {
			putBack(b, free)
		}
	}()
}

// splitRead is the second reader of the load (loadsplit.go), if it has
// one: a load of the whole of one pcap file, of at least splitMinSize,
// whose frames no watch sees and that are written nowhere else (-w, a
// tap).
func (l *Loader) splitRead() *splitRead {
	if l.cfg.Count != 0 || l.cfg.Watch != nil || l.pl.pw != nil || l.pl.cfg.Tap != nil || l.in.Live ||
		len(l.rows.sum.paths) != 1 || len(l.in.srcs) != 1 {
		return nil
	}
	return newSplitRead(l.rows.sum.paths[0], l.in.Size, &l.in.read)
}

// takeSplit is called by the reader with the first packet it read at or
// past the second reader's start (pkt), its batch being b. At that start,
// the second reader's batches are handed on after b, numbered on from the
// reader's frames; if the second one read to the end of the file, that
// is the end of the load (done); else the reader reads on from the
// record where the second one ended, and pkt is that record's packet, b
// the batch it goes into. Past the start (a false one), or where the two
// would not give the same frames, the second reader is dropped, and pkt
// and b are as they were.
func (l *Loader) takeSplit(ctx context.Context, b *loadBatch, pkt *capture.Packet, full chan<- *loadBatch, free <-chan *loadBatch) (*loadBatch, bool) {
	sp := l.split
	if pkt.Offset != sp.start+pcapRecordHeader || pkt.LinkType != sp.link || pkt.Source != 0 || l.rows.fragSeen {
		sp.halt()
		sp.taken = true // dropped: not again
		return b, false
	}
	sp.taken = true
	close(sp.resume)
	base := l.pl.Packets() - 1 // the reader's frames before it
	full <- b
	var held *loadBatch // the last one, marked if it ends the load
	for sb := range sp.batches {
		sb.first += base
		if held != nil {
			full <- held
		}
		held = sb
		if ctx.Err() != nil { // checked once a batch, as the reader does
			sp.halt()
			held.err, held.last = io.EOF, true
			full <- held
			return nil, true
		}
	}
	l.rows.fragSeen = sp.rows.fragSeen
	if sp.complete {
		l.pl.n = base + sp.frames
		if held == nil {
			held = <-free
			held.first = l.pl.Packets() + 1
		}
		held.err, held.last = io.EOF, true
		full <- held
		return nil, true
	}
	if held != nil {
		full <- held
	}
	// The reader reads on from the record the second one could not read:
	// the frames before it are the second one's.
	b = <-free
	for pkt.Offset < sp.end+pcapRecordHeader {
		if err := l.pl.Read(context.Background(), pkt); err != nil {
			b.first = l.pl.Packets() + 1
			b.err, b.last = err, true
			full <- b
			return nil, true
		}
	}
	b.first = l.pl.Packets()
	return b, false
}

// splitBatchBytes is what a batch of the second reader carves from its
// arena (64-byte aligned arrays).
var splitBatchBytes = align64(int(unsafe.Sizeof(loadItem{}))*loadBatchFrames) +
	align64(int(unsafe.Sizeof(feed.RefFrame{}))*loadBatchStretched) + align64(int(unsafe.Sizeof(engine.SeqSegment{}))*loadBatchStretched)

// align64 rounds n up to a multiple of 64.
func align64(n int) int { return (n + 63) &^ 63 }

// carve is an empty slice of capacity n carved from the arena a, or
// allocated where it has no room (or is nil). T must hold no pointers.
func carve[T any](a *splitArena, n int) []T {
	size := int(unsafe.Sizeof(*new(T))) * n
	if a == nil || a.off+size > len(a.mem) {
		return make([]T, 0, n)
	}
	p := unsafe.Pointer(&a.mem[a.off])
	a.off += align64(size)
	return unsafe.Slice((*T)(p), n)[:0]
}

// close waits for the second reader to end, and frees its arena and
// batches: no batch of it may be used after.
func (s *splitRead) close() {
	<-s.exited
	s.arena.release()
	// The Loader keeps it (what it did): not the load's batches.
	s.arena, s.free, s.pool, s.batches = nil, nil, nil, nil
}
