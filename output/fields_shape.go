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
// with its 78 fields). So the writer works out a shape's program once (the
// columns that show something, each with the separators before it and the
// indexes of its nodes) and keeps it; the line of a frame of a known shape
// is then the program run over the frame's nodes: each value formatted
// straight into the line, with no per-column state to reset and no second
// copy. A frame with more than maxShapeNodes nodes is printed the general
// way (WriteFrame's walk). The programs are bounded: when maxShapes are
// kept, the table starts over.

const (
	maxShapes     = 1024 // programs kept before the table starts over
	maxShapeNodes = 256  // a frame with more nodes is printed the general way
	shapeSlots    = 4096 // hash slots, a power of two above 2*maxShapes
	// maxShapeFields bounds the fields kept over all programs (the keys):
	// the table starts over when it would hold more.
	maxShapeFields = 64 << 10
)

// What a shapeOp prints.
const (
	opNodes   = iota // the values of nodes, joined by the aggregator
	opLiteral        // the column's name (a protocol without a field of its name, present)
	opColumn         // a _ws.col.* column of the frame
)

// shapeOp prints one column that may show something in a frame of the
// shape: the separators before it, then its value.
type shapeOp struct {
	seps     int32 // bytes of separators before the column
	col      int32 // the column (FieldsWriter.cols)
	kind     uint8 // opNodes, opLiteral or opColumn
	format   uint8 // opNodes: how the field's values print (valueFormat)
	from, to int32 // opNodes: the node indexes are shapes.idx[from:to]
}

// How AppendValue prints the values of a field, for the common types; a
// column's values are all of one field, so its op decides once.
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
// shapes.fields[fieldsFrom:fieldsTo]) in this order.
type shape struct {
	hash                 uint64
	fieldsFrom, fieldsTo int32
	opsFrom, opsTo       int32
	tail                 int32 // bytes of separators after the last op
}

// shapes is the table of programs. Shapes refer to the arenas by index, so
// that growing an arena moves nothing they hold.
type shapes struct {
	slots  []int32 // hash → index in list + 1, 0 for empty
	list   []shape
	fields []dissect.FieldID
	ops    []shapeOp
	idx    []int32
	col    [][]int32 // per column, the nodes showing it (building a program)
	max    int       // programs kept before the table starts over (maxShapes)
}

// reset forgets every program, keeping the memory.
func (s *shapes) reset() {
	clear(s.slots)
	s.list, s.fields, s.ops, s.idx = s.list[:0], s.fields[:0], s.ops[:0], s.idx[:0]
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
	if len(s.list) >= s.max || len(s.fields)+len(nodes) > maxShapeFields {
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
	sh := shape{hash: h, fieldsFrom: int32(len(s.fields)), opsFrom: int32(len(s.ops))}
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
	col := 0 // columns before the next op
	for ci := range fw.cols {
		c := &fw.cols[ci]
		op := shapeOp{col: int32(ci), kind: opColumn}
		switch c.kind {
		case colField:
			ns := s.col[ci]
			if len(ns) == 0 {
				continue
			}
			switch fw.opts.Occurrence {
			case OccurrenceFirst:
				ns = ns[:1]
			case OccurrenceLast:
				ns = ns[len(ns)-1:]
			}
			op.kind, op.format, op.from = opNodes, valueFormat(c.id), int32(len(s.idx))
			s.idx = append(s.idx, ns...)
			op.to = int32(len(s.idx))
		case colProtocol:
			if !protoIn(nodes, c.name) {
				continue
			}
			op.kind = opLiteral
		}
		// Columns col..ci each start with a separator, but the first.
		n := ci - col + 1
		if col == 0 {
			n--
		}
		op.seps = int32(n * sep)
		col = ci + 1
		s.ops = append(s.ops, op)
	}
	sh.opsTo = int32(len(s.ops))
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
	for _, op := range fw.shapes.ops[sh.opsFrom:sh.opsTo] {
		b = append(b, fw.seps[:op.seps]...)
		start := len(b)
		if q != 0 {
			b = append(b, q)
		}
		switch op.kind {
		case opNodes:
			idx := fw.shapes.idx[op.from:op.to]
			b = appendFormatted(b, op.format, &nodes[idx[0]])
			for _, ni := range idx[1:] {
				b = append(b, fw.opts.Aggregator...)
				b = appendFormatted(b, op.format, &nodes[ni])
			}
		case opLiteral:
			b = append(b, fw.cols[op.col].name...)
		default:
			b = fw.appendColumn(b, f, fw.cols[op.col].kind)
		}
		if q != 0 {
			// Quotes go around a value that is not empty: one empty
			// occurrence prints nothing (several print their
			// aggregators).
			if len(b) == start+1 {
				b = b[:start]
			} else {
				b = append(b, q)
			}
		}
	}
	b = append(b, fw.seps[:sh.tail]...)
	return append(b, '\n')
}
