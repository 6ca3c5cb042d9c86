package output

import (
	"math"
	"slices"
	"strconv"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// The lines of frames whose nodes are all of a few known fields (the
// frames that carry no NBT, which the engine does not decode: their own
// frame fields only): when none of those fields is printed but
// frame.number, such a frame's line is its number's alone, the same
// separators (and quotes) around it each time. A run of such frames is
// then printed from their numbers, counted up in decimal in place, with
// no frame built and no node walked: a few nanoseconds a line.

// numberedLine is a line printed by number: lit[0], the number, lit[1],
// the number, ..., lit[len(lit)-1]; one literal alone is a line that
// does not change.
type numberedLine struct {
	lit    [][]byte
	ok     bool
	digits [24]byte // scratch
}

// ByNumber reports whether the line of every frame whose nodes are all
// of fields, frame.number among them or not, is its number's alone, and
// if so sets the writer up to print such frames by number
// (AppendNumbered, WriteNumbered). A frame is assumed to hold
// frame.number, once, if and only if fields lists it. Columns of other
// listed fields, of a protocol one of them belongs to, and the _ws.col.*
// columns other than _ws.col.No. depend on more than the number.
func (fw *FieldsWriter) ByNumber(fields []dissect.FieldID) bool {
	fw.numbered = numberedLine{}
	hasNumber := slices.Contains(fields, dissect.FieldFrameNumber)
	protos := map[string]bool{}
	for _, id := range fields {
		protos[dissect.Field(id).Proto] = true
	}
	lit := []byte{}
	var lits [][]byte
	number := func() {
		if fw.opts.Quote != 0 {
			lit = append(lit, fw.opts.Quote)
		}
		lits, lit = append(lits, lit), []byte{}
		if fw.opts.Quote != 0 {
			lit = append(lit, fw.opts.Quote)
		}
	}
	for i, c := range fw.cols {
		if i > 0 {
			lit = append(lit, fw.opts.Separator...)
		}
		switch {
		case c.kind == colNumber, c.kind == colField && c.id == dissect.FieldFrameNumber && hasNumber:
			number()
		case c.kind == colField && slices.Contains(fields, c.id):
			return false
		case c.kind == colField: // empty on such a frame
		case c.kind == colProtocol && !protos[c.name]:
		default:
			return false
		}
	}
	fw.numbered = numberedLine{lit: append(lits, append(lit, '\n')), ok: true}
	return true
}

// AppendNumbered appends the lines of the frames numbered from to to
// (inclusive, from at least 1), each printed as ByNumber says; nothing if
// ByNumber did not say yes. The line is built once with from's digits in
// each of its number slots, then appended whole and counted up in place:
// the digits of the first slot are incremented and copied to the others;
// the line is built again when the number gains a digit.
func (fw *FieldsWriter) AppendNumbered(dst []byte, from, to int) []byte {
	lit := fw.numbered.lit
	if !fw.numbered.ok || from > to {
		return dst
	}
	if len(lit) == 1 {
		for range to - from + 1 {
			dst = append(dst, lit[0]...)
		}
		return dst
	}
	var line [256]byte
	var slots [8]int // where each slot's digits start in line
	for n := from; n <= to; {
		digits := strconv.AppendUint(fw.numbered.digits[:0], uint64(n), 10)
		l, k := fw.numbered.build(line[:0], slots[:0], digits)
		if l == nil { // too long or too many slots for the arrays
			for ; n <= to; n++ {
				digits = strconv.AppendUint(digits[:0], uint64(n), 10)
				dst = append(dst, lit[0]...)
				for _, s := range lit[1:] {
					dst = append(dst, digits...)
					dst = append(dst, s...)
				}
			}
			return dst
		}
		// The numbers of as many digits as n's, up to to.
		last := min(to, nextPower(n)-1)
		first, w := slots[0], len(digits)
		for ; ; n++ {
			dst = append(dst, l...)
			if n == last {
				break
			}
			j := first + w - 1
			for l[j] == '9' {
				l[j] = '0'
				j--
			}
			l[j]++
			for _, at := range k[1:] {
				copy(l[at:at+w], l[first:first+w])
			}
		}
		n++
	}
	return dst
}

// build appends the line with digits in each number slot to line, and
// the offsets of the slots to slots; nil if they do not fit their
// capacity (then the caller prints without them).
func (nl *numberedLine) build(line []byte, slots []int, digits []byte) ([]byte, []int) {
	for i, l := range nl.lit {
		if i > 0 {
			if len(slots) == cap(slots) {
				return nil, nil
			}
			slots = append(slots, len(line))
			if len(line)+len(digits) > cap(line) {
				return nil, nil
			}
			line = append(line, digits...)
		}
		if len(line)+len(l) > cap(line) {
			return nil, nil
		}
		line = append(line, l...)
	}
	return line, slots
}

// nextPower is the least power of ten above n (n ≥ 1), or the largest
// int if there is none.
func nextPower(n int) int {
	p := 10
	for p <= n {
		if p > math.MaxInt/10 {
			return math.MaxInt
		}
		p *= 10
	}
	return p
}

// numberedChunk is how many lines WriteNumbered formats before a write.
const numberedChunk = 4096

// WriteNumbered writes the lines of the frames numbered from to to
// (AppendNumbered), a few thousand lines a write.
func (fw *FieldsWriter) WriteNumbered(from, to int) error {
	for from <= to {
		end := min(to, from+numberedChunk-1)
		fw.line = fw.AppendNumbered(fw.line[:0], from, end)
		if _, err := fw.w.Write(fw.line); err != nil {
			return err
		}
		from = end + 1
	}
	return nil
}
