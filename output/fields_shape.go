package output

import (
	"math/bits"
	"strconv"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// The line of a frame, by the shape of its tree.
//
// Which node goes to which column, in which order, with how many
// separators before it, depends only on the fields of the frame's nodes in
// tree order: its shape. Frames of one kind (an NBNS query, an NBSS
// message, a browser announcement) have one shape, and a capture has few
// of them (13 column patterns over the 464,280 frames of the NBT-dense mix
// with its 78 fields). So the writer works out a shape's program once (a
// step per value printed, in column order: the separators or the
// aggregator before it, the node, how its field prints) and keeps it; the
// line of a frame of a known shape is then the program run over the
// frame's nodes: each value formatted straight into the line, with no
// per-column state to reset and no second copy. A frame with more than
// maxShapeNodes nodes is printed the general way (appendWalk). The
// programs are bounded: when maxShapes are kept, the table starts over.

const (
	maxShapes     = 1024 // programs kept before the table starts over
	maxShapeNodes = 256  // a frame with more nodes is printed the general way
	shapeSlots    = 4096 // hash slots, a power of two above 2*maxShapes
	// maxShapeFields bounds the fields kept over all programs (the keys),
	// and the steps: the table starts over when it would hold more (the
	// steps of one more program at most beyond it).
	maxShapeFields = 64 << 10
)

// shapeStep prints one value of a frame of the shape: the separators
// before its column (or the aggregator, for another occurrence in the
// column of the step before), then the value.
type shapeStep struct {
	seps   int32 // bytes of separators before the column; -1: the aggregator
	node   int32 // the node whose value it is; for a column that is not a field, -1-column
	format uint8 // how the node's field prints (valueFormat)
}

// How AppendValue prints the values of a field, for the common types; a
// column's values are all of one field, so its program decides once.
const (
	fmtOther  = iota // AppendValue
	fmtDec           // an unsigned integer in decimal
	fmtHex2          // BASE_HEX, two digits (FT_UINT8)
	fmtHex4          // BASE_HEX, four digits (FT_UINT16)
	fmtHex8          // BASE_HEX, eight digits (FT_UINT32)
	fmtBool          // 1 or 0
	fmtString        // the text, escaped
)

// valueFormat is how AppendValue prints the values of field id.
func valueFormat(id dissect.FieldID) uint8 {
	fi := dissect.Field(id)
	hex := fi.Base == dissect.BaseHex || fi.Base == dissect.BaseHexDec
	switch fi.Type {
	case dissect.FTBoolean:
		return fmtBool
	case dissect.FTUint8, dissect.FTUint16, dissect.FTUint24, dissect.FTUint32, dissect.FTUint64:
		if !hex {
			return fmtDec
		}
		switch hexWidth(fi.Type) {
		case 2:
			return fmtHex2
		case 4:
			return fmtHex4
		case 8:
			return fmtHex8
		}
	case dissect.FTFrameNum:
		return fmtDec
	case dissect.FTString, dissect.FTStringz:
		return fmtString
	}
	return fmtOther
}

// appendFormatted appends the value of n as AppendValue does, the
// field's format decided beforehand by valueFormat.
func appendFormatted(b []byte, format uint8, n *dissect.Node) []byte {
	switch format {
	case fmtDec:
		// Most values are counts and codes of one or two digits, which
		// strconv appends with a copy call.
		switch v := n.U; {
		case v < 10:
			return append(b, byte('0'+v))
		case v < 100:
			return append(b, byte('0'+v/10), byte('0'+v%10))
		}
		return strconv.AppendUint(b, n.U, 10)
	case fmtBool:
		if n.U != 0 {
			return append(b, '1')
		}
		return append(b, '0')
	case fmtString:
		return AppendEscaped(b, n.S)
	case fmtHex2, fmtHex4, fmtHex8:
		w := 2 << (format - fmtHex2) // 2, 4, 8
		if n.Flags&dissect.NodeByte != 0 {
			w = 2
		}
		if n.U>>(4*w) != 0 {
			return appendHexN(b, n.U, w)
		}
		b = append(b, '0', 'x')
		for i := w - 1; i >= 0; i-- {
			b = append(b, hexDigits[n.U>>(4*i)&0xf])
		}
		return b
	}
	return AppendValue(b, n)
}

// shape is the program of the frames whose nodes hold fields (in
// shapes.fields[fieldsFrom:fieldsTo]) in this order: the steps
// shapes.steps[from:to], then tail.
type shape struct {
	hash                 uint64
	fieldsFrom, fieldsTo int32
	from, to             int32
	tail                 int32 // bytes of separators after the last step
}

// shapes is the table of programs. Shapes refer to the arenas by index, so
// that growing an arena moves nothing they hold.
type shapes struct {
	slots  []int32 // hash → index in list + 1, 0 for empty
	list   []shape
	fields []dissect.FieldID
	steps  []shapeStep
	col    [][]int32 // per column, the nodes showing it (building a program)
	max    int       // programs kept before the table starts over (maxShapes)
}

// reset forgets every program, keeping the memory.
func (s *shapes) reset() {
	clear(s.slots)
	s.list, s.fields, s.steps = s.list[:0], s.fields[:0], s.steps[:0]
}

// shapeHash mixes the node count and the nodes' fields: a rotation and
// an exclusive or per node (a multiply per node would make a chain of
// multiplications), one multiply at the end.
func shapeHash(nodes []dissect.Node) uint64 {
	h := uint64(len(nodes))
	for i := range nodes {
		h = bits.RotateLeft64(h, 11) ^ uint64(nodes[i].Field)
	}
	return (h ^ h>>29) * 0x9e3779b97f4a7c15
}

// sameFields reports whether nodes hold the fields of key, in order.
func sameFields(key []dissect.FieldID, nodes []dissect.Node) bool {
	if len(key) != len(nodes) {
		return false
	}
	for i := range nodes {
		if nodes[i].Field != key[i] {
			return false
		}
	}
	return true
}

// shapeOf returns the program for nodes, worked out now if the shape is
// new, or nil for a frame too large to keep a program for.
func (fw *FieldsWriter) shapeOf(nodes []dissect.Node) *shape {
	if len(nodes) > maxShapeNodes {
		return nil
	}
	s := &fw.shapes
	if s.slots == nil {
		s.slots = make([]int32, shapeSlots)
		s.col = make([][]int32, len(fw.cols))
		if s.max <= 0 || s.max > maxShapes {
			s.max = maxShapes
		}
	}
	h := shapeHash(nodes)
	mask := uint64(len(s.slots) - 1)
	j := h & mask
	for ; s.slots[j] != 0; j = (j + 1) & mask {
		sh := &s.list[s.slots[j]-1]
		if sh.hash == h && sameFields(s.fields[sh.fieldsFrom:sh.fieldsTo], nodes) {
			return sh
		}
	}
	if len(s.list) >= s.max || len(s.fields)+len(nodes) > maxShapeFields || len(s.steps) > maxShapeFields {
		s.reset()
		for j = h & mask; s.slots[j] != 0; j = (j + 1) & mask {
		}
	}
	s.list = append(s.list, fw.buildShape(h, nodes))
	s.slots[j] = int32(len(s.list))
	return &s.list[len(s.list)-1]
}

// buildShape works out the program of the frames whose nodes hold the
// fields of nodes: the columns in order, each with the nodes that show it
// (as -E occurrence says), the protocols present, the _ws.col.* columns.
func (fw *FieldsWriter) buildShape(h uint64, nodes []dissect.Node) shape {
	s := &fw.shapes
	for ci := range s.col {
		s.col[ci] = s.col[ci][:0]
	}
	sh := shape{hash: h, fieldsFrom: int32(len(s.fields)), from: int32(len(s.steps))}
	for i := range nodes {
		id := nodes[i].Field
		s.fields = append(s.fields, id)
		if int(id) >= len(fw.byID) {
			continue
		}
		for ci := fw.byID[id]; ci >= 0; ci = fw.state[ci].next {
			s.col[ci] = append(s.col[ci], int32(i))
		}
	}
	sh.fieldsTo = int32(len(s.fields))
	sep := len(fw.opts.Separator)
	col := 0 // columns before the next step
	for ci := range fw.cols {
		c := &fw.cols[ci]
		ns := s.col[ci]
		switch c.kind {
		case colField:
			if len(ns) == 0 {
				continue
			}
			switch fw.opts.Occurrence {
			case OccurrenceFirst:
				ns = ns[:1]
			case OccurrenceLast:
				ns = ns[len(ns)-1:]
			}
		case colProtocol:
			if !protoIn(nodes, c.name) {
				continue
			}
		}
		// Columns col..ci each start with a separator, but the first.
		n := ci - col + 1
		if col == 0 {
			n--
		}
		col = ci + 1
		if c.kind != colField {
			s.steps = append(s.steps, shapeStep{seps: int32(n * sep), node: int32(-1 - ci)})
			continue
		}
		format := valueFormat(c.id)
		for k, i := range ns {
			st := shapeStep{seps: -1, node: i, format: format}
			if k == 0 {
				st.seps = int32(n * sep)
			}
			s.steps = append(s.steps, st)
		}
	}
	sh.to = int32(len(s.steps))
	if n := len(fw.cols) - col; n > 0 {
		if col == 0 {
			n--
		}
		sh.tail = int32(n * sep)
	}
	return sh
}

// protoIn reports whether any node belongs to protocol p.
func protoIn(nodes []dissect.Node, p string) bool {
	for i := range nodes {
		if id := nodes[i].Field; id != 0 && dissect.Field(id).Proto == p {
			return true
		}
	}
	return false
}

// appendShape appends the line of f, whose nodes have the shape sh.
func (fw *FieldsWriter) appendShape(b []byte, f *dissect.Frame, sh *shape) []byte {
	nodes := f.Tree.Nodes
	q := fw.opts.Quote
	open := -1 // with quotes: where the value of the column being printed starts
	for _, st := range fw.shapes.steps[sh.from:sh.to] {
		if st.seps >= 0 {
			if open >= 0 {
				b = closeQuote(b, open, q)
			}
			b = append(b, fw.seps[:st.seps]...)
			if q != 0 {
				open = len(b)
				b = append(b, q)
			}
		} else {
			b = append(b, fw.opts.Aggregator...)
		}
		if st.node < 0 {
			b = fw.appendOther(b, f, int(-1-st.node))
			continue
		}
		n := &nodes[st.node]
		// The most common values inline, the others by appendFormatted.
		switch v := n.U; {
		case st.format == fmtBool:
			b = append(b, '0'+byte(min(v, 1)))
		case st.format == fmtDec && v < 10:
			b = append(b, '0'+byte(v))
		default:
			b = appendFormatted(b, st.format, n)
		}
	}
	if open >= 0 {
		b = closeQuote(b, open, q)
	}
	b = append(b, fw.seps[:sh.tail]...)
	return append(b, '\n')
}

// closeQuote ends a quoted value that starts at open: quotes go around a
// value that is not empty, so one empty occurrence prints nothing (several
// print their aggregators).
func closeQuote(b []byte, open int, q byte) []byte {
	if len(b) == open+1 {
		return b[:open]
	}
	return append(b, q)
}

// appendOther appends the value of column ci, which is not a field: a
// protocol's name (the program has the step only when the protocol is
// present) or a _ws.col.* column.
func (fw *FieldsWriter) appendOther(b []byte, f *dissect.Frame, ci int) []byte {
	c := &fw.cols[ci]
	if c.kind == colProtocol {
		return append(b, c.name...)
	}
	return fw.appendColumn(b, f, c.kind)
}
