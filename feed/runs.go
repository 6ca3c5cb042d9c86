package feed

import (
	"math"
	"time"
)

// Runs: the frames a loader skips over a file (AddRefAt) come in long runs
// of rows by reference whose bytes follow each other in the file, a pcap
// record header apart. A run of up to runFrames of them is one entry in
// the slab, its head (the first frame's time and offset, the pair of input
// and link type, the number of frames, where its cells start), and a
// 12-byte cell a frame (the time since the frame before, the datum Aux,
// the captured length and the kind) in a slab of cells: some 13 bytes a
// frame instead of a 24-byte row, a third of the memory written by the
// load of a capture of other traffic. A frame's offset is the one before
// it plus that one's captured length and record header; its row is made
// again when read (rowAt). The run being added to is held in the Index
// itself (open, copied with it) and written when it ends, whole: the
// slab's entries are written once, so that a copy of the Index stays valid
// while the original grows.
//
// A row is found through dir: for each dirFrames rows held, the entry of
// the first, from which the entries are walked (at most dirFrames of them).
const (
	runFrames    = 64
	dirFrames    = 64
	recordHeader = 16 // of a pcap record: its data follow the data before it by that
	kindRun      = 3  // the kind of a run's head
	maxRefKind   = 2
	runCount     = 1<<7 - 1 // the bits of a head's count (runFrames)
)

// cell is one frame of a run.
type cell struct {
	dt   uint32 // capture time since the frame before (0 for the first), ns
	aux  uint32 // Ref.Aux
	caps uint32 // Ref.CapLen, and Ref.Kind-1 in the top bit
}

// cellChunk is a chunk of the cells' slab (as many bytes as a chunk of
// rows).
type cellChunk [chunkRows * 2]cell

type cellChunkRef struct {
	cells *cellChunk
	reg   *region
}

// dirEntry is where the rows of dirFrames frames start: the entry holding
// row first (an index among the rows held).
type dirEntry struct{ entry, first int }

// openRun is the run being added to.
type openRun struct {
	n     int   // frames in it; 0: none
	first int   // the row of its first frame
	entry int   // the entry it will be
	head  row   // time and offset of its first frame, its tag
	next  int64 // the offset of the next frame of the run
	last  int64 // the time of its last frame
	tag   int
	cells [runFrames]cell
}

// AddRefAt is AddRef of a row without decode errors, captured at unixNano
// (Unix nanoseconds, UTC), length bytes long on the wire, from input
// source: the loader's way for the frames it skips, without a Row. A
// frame whose data follow the previous one's in the file (a pcap record
// header apart), of the same input and link type, goes into its run.
func (x *Index) AddRefAt(unixNano int64, length, source int, ref Ref) bool {
	t, ok := x.tagOf(tag{uint16(source), ref.Link})
	if !ok || length != ref.CapLen || ref.CapLen < 0 || ref.CapLen > maxCapLen || ref.Kind == 0 || ref.Kind > maxRefKind || ref.Offset < 0 {
		return false
	}
	x.addRun(t, unixNano, ref.Offset, cell{aux: ref.Aux, caps: uint32(ref.CapLen) | uint32(ref.Kind-1)<<31})
	return true
}

// RefFrame is a frame of AddRefs: its capture time (Unix nanoseconds,
// UTC), captured length and Kind (MakeRefFrame), and Ref.Aux.
type RefFrame struct {
	Time int64
	caps uint32
	Aux  uint32
}

// MakeRefFrame is the RefFrame of a frame of capLen bytes captured (and
// on the wire), listed by a Ref of kind kind, with the datum aux; false
// for a frame a row by reference cannot hold (a captured length over 512
// KiB, a kind not 1 or 2).
func MakeRefFrame(unixNano int64, capLen int, kind uint8, aux uint32) (RefFrame, bool) {
	if capLen < 0 || capLen > maxCapLen || kind == 0 || kind > maxRefKind {
		return RefFrame{}, false
	}
	return RefFrame{Time: unixNano, caps: uint32(capLen) | uint32(kind-1)<<31, Aux: aux}, true
}

// CapLen is the frame's captured length.
func (f *RefFrame) CapLen() int { return int(f.caps & maxCapLen) }

// Kind is the Ref.Kind of the frame.
func (f *RefFrame) Kind() uint8 { return uint8(1 + f.caps>>31) }

// AddRefs is AddRefAt of frames that follow each other in input source's
// file from offset on (each a pcap record header after the one before),
// of link type link: the frames a loader skips, a stretch at a time,
// without a Ref each. It returns how many it added: all of them, or
// none when the pair of input and link type is a 257th (then AddRefAt
// would not take them either).
func (x *Index) AddRefs(source int, link uint16, offset int64, fs []RefFrame) int {
	t, ok := x.tagOf(tag{uint16(source), link})
	if !ok || offset < 0 {
		return 0
	}
	for i := range fs {
		f := &fs[i]
		x.addRun(t, f.Time, offset, cell{aux: f.Aux, caps: f.caps})
		offset += int64(f.caps&maxCapLen) + recordHeader
	}
	return len(fs)
}

// addRun adds a frame by reference, of tag t, at offset in its file, to
// the run being added to, or a new run.
func (x *Index) addRun(t int, unixNano, offset int64, c cell) {
	o := &x.open
	dt := unixNano - o.last
	if o.n > 0 && (o.n == runFrames || t != o.tag || offset != o.next || dt < 0 || dt > math.MaxUint32) {
		x.closeRun()
	}
	if o.n == 0 {
		o.first, o.entry, o.tag, dt = x.n, x.ne, t, 0
		o.head = row{time: unixNano, loc: offset, bits: kindRun<<kindShift | uint32(t)<<tagShift}
	}
	c.dt = uint32(dt)
	o.cells[o.n] = c
	if x.n%dirFrames == 0 {
		x.dir = append(x.dir, dirEntry{entry: o.entry, first: o.first})
	}
	o.n++
	o.last, o.next = unixNano, offset+int64(c.caps&maxCapLen)+recordHeader
	x.n++
	if x.n == 1 && x.base == 0 {
		x.first = time.Unix(0, unixNano).UTC()
	}
}

// closeRun writes the run being added to, if any, to the slabs.
func (x *Index) closeRun() {
	o := &x.open
	if o.n == 0 {
		return
	}
	h := o.head
	h.aux, h.bits = uint32(x.nc), h.bits|uint32(o.n)
	for cs := o.cells[:o.n]; len(cs) > 0; { // copied a chunk's part at a time
		if x.nc%len(cellChunk{}) == 0 {
			x.cells = append(x.cells, x.newCellChunk())
		}
		k := copy(x.cells[x.nc/len(cellChunk{})].cells[x.nc%len(cellChunk{}):], cs)
		cs, x.nc = cs[k:], x.nc+k
	}
	x.pushEntry(h)
	o.n = 0
}

// cellAt is the k-th cell written.
func (x *Index) cellAt(k int) cell { return x.cells[k/len(cellChunk{})].cells[k%len(cellChunk{})] }

// rowAt is the row of the i-th frame held; that of a frame of a run made
// again from its head and cells.
func (x *Index) rowAt(i int) row {
	if o := &x.open; o.n > 0 && i >= o.first {
		return runRow(o.head, i-o.first, func(k int) cell { return o.cells[k] })
	}
	d := x.dir[i/dirFrames]
	e, first := d.entry, d.first
	for {
		w := x.entry(e)
		n := 1
		if w.kind() == kindRun {
			n = int(w.bits & runCount)
		}
		if i < first+n {
			if w.kind() != kindRun {
				return *w
			}
			c0 := int(w.aux)
			return runRow(*w, i-first, func(k int) cell { return x.cellAt(c0 + k) })
		}
		first += n
		e++
	}
}

// runRow is the row of the j-th frame of the run whose head is h, its
// cells given by cellOf.
func runRow(h row, j int, cellOf func(k int) cell) row {
	t, off := h.time, h.loc
	c := cellOf(0)
	for k := 1; k <= j; k++ {
		off += int64(c.caps&maxCapLen) + recordHeader
		c = cellOf(k)
		t += int64(c.dt)
	}
	kind := uint32(1 + c.caps>>31)
	return row{time: t, loc: off, aux: c.aux, bits: kind<<kindShift | h.bits&((maxTags-1)<<tagShift) | c.caps&maxCapLen}
}
