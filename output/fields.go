package output

import (
	"errors"
	"io"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Occurrence selects which occurrences of a field -T fields prints
// (tshark's -E occurrence=f|l|a).
type Occurrence uint8

// Occurrences.
const (
	OccurrenceAll   Occurrence = iota // a: all, joined by the aggregator (default)
	OccurrenceFirst                   // f: the first
	OccurrenceLast                    // l: the last
)

// FieldsOptions are tshark's -E options for -T fields.
type FieldsOptions struct {
	Header     bool       // header=y: a first line with the field names
	Separator  string     // between columns; "\t" by default
	Occurrence Occurrence // which occurrences to print
	Aggregator string     // between occurrences; "," by default
	Quote      byte       // 0, '"' or '\'': around each non-empty value
	BOM        bool       // bom=y: start with a UTF-8 byte order mark
	Time       TimeFormat // the format of _ws.col.Time (tshark's -t)
}

// DefaultFieldsOptions are tshark's defaults: no header, tab separator, all
// occurrences joined with ',', no quotes.
func DefaultFieldsOptions() FieldsOptions {
	return FieldsOptions{Separator: "\t", Aggregator: ","}
}

// ParseFieldsOptions parses -E values ("header=y", "separator=/s",
// "occurrence=f", "aggregator=;", "quote=d", "bom=y") over the defaults.
// Like tshark, a separator or aggregator longer than one character keeps
// its first character, and /t and /s mean tab and space.
func ParseFieldsOptions(opts []string) (FieldsOptions, error) {
	o := DefaultFieldsOptions()
	for _, s := range opts {
		k, v, ok := strings.Cut(s, "=")
		bad := errors.New("-E " + s + ": not a valid field output option=value pair " +
			"(header=y|n, separator=/t|/s|C, occurrence=f|l|a, aggregator=,|/s|C, quote=d|s|n, bom=y|n)")
		if !ok {
			return o, bad
		}
		switch k {
		case "header", "bom":
			var b bool
			switch v {
			case "y", "Y":
				b = true
			case "n", "N":
			default:
				return o, bad
			}
			if k == "header" {
				o.Header = b
			} else {
				o.BOM = b
			}
		case "separator", "aggregator":
			c, err := sepChar(v)
			if err != nil {
				return o, bad
			}
			if k == "separator" {
				o.Separator = c
			} else {
				o.Aggregator = c
			}
		case "occurrence":
			switch v {
			case "a":
				o.Occurrence = OccurrenceAll
			case "f":
				o.Occurrence = OccurrenceFirst
			case "l":
				o.Occurrence = OccurrenceLast
			default:
				return o, bad
			}
		case "quote":
			switch v {
			case "d":
				o.Quote = '"'
			case "s":
				o.Quote = '\''
			case "n":
				o.Quote = 0
			default:
				return o, bad
			}
		default:
			return o, bad
		}
	}
	return o, nil
}

func sepChar(v string) (string, error) {
	switch v {
	case "/t":
		return "\t", nil
	case "/s":
		return " ", nil
	case "":
		return "", errors.New("empty")
	}
	// tshark keeps the first character only.
	_, size := utf8.DecodeRuneInString(v)
	return v[:size], nil
}

// column kinds other than a plain field.
const (
	colField    = iota
	colProtocol // a protocol name with no registered FT_PROTOCOL field
	colNumber   // _ws.col.No.
	colTime     // _ws.col.Time
	colSource   // _ws.col.Source
	colDest     // _ws.col.Destination
	colProto    // _ws.col.Protocol
	colLength   // _ws.col.Length
	colInfo     // _ws.col.Info
)

var columnFields = map[string]int{
	"_ws.col.No.":         colNumber,
	"_ws.col.Time":        colTime,
	"_ws.col.Source":      colSource,
	"_ws.col.Destination": colDest,
	"_ws.col.Protocol":    colProto,
	"_ws.col.Length":      colLength,
	"_ws.col.Info":        colInfo,
}

type fieldCol struct {
	kind int
	name string
	id   dissect.FieldID
}

// colState is what a column holds for the frame being printed, kept apart
// from fieldCol so that the per-frame walk touches 16 bytes a column.
type colState struct {
	next  int32 // next column showing the same field, -1 if none
	first int32 // this frame's first value (index in FieldsWriter.spans), -1 if none
	last  int32 // this frame's last value
	count int32 // occurrences seen this frame
}

// span is one value of a column in FieldsWriter.vals; next chains the
// values of one column (occurrences), -1 ends the chain.
type span struct {
	start, end int32
	next       int32
}

// FieldsWriter prints one line per frame with the values of the requested
// fields, as tshark -T fields does. It is built once (the field names are
// resolved to a FieldID→column table) and then prints every frame by the
// program of its shape, the fields of its nodes in order (worked out once
// per shape: fields_shape.go), each value formatted straight into the
// line, so a line costs the values it holds, not the number of columns.
// One Write per line, no allocation per frame once the buffers have grown
// and the shapes are known.
type FieldsWriter struct {
	w       io.Writer
	opts    FieldsOptions
	timeCol Summary // formats _ws.col.Time
	cols    []fieldCol
	state   []colState // per column
	byID    []int32    // FieldID → first column, -1
	special []int      // columns that are not plain fields (_ws.col.*, protocols)
	touched []int32    // columns with a value this frame
	mask    []uint64   // the same as a bit set, to walk them in column order
	vals    []byte     // this frame's formatted values
	spans   []span
	seps    string // the separator, once per column: runs of empty columns
	line    []byte
	// numbered prints frames by number (ByNumber, fields_numbered.go).
	numbered numberedLine
	// shapes holds the programs of the frames' shapes (fields_shape.go);
	// walkOnly, set by the tests, prints every frame by the walk.
	shapes   shapes
	walkOnly bool
}

// NewFieldsWriter resolves the field names and, when asked, writes the BOM
// and the header line at once (tshark prints the header even when no frame
// follows). An unknown name is an error "unknown field: X"
// ("unknown fields: X, Y" for several).
func NewFieldsWriter(w io.Writer, fields []string, opts FieldsOptions) (*FieldsWriter, error) {
	if opts.Separator == "" {
		opts.Separator = "\t"
	}
	if opts.Aggregator == "" {
		opts.Aggregator = ","
	}
	fw := &FieldsWriter{w: w, opts: opts}
	n := dissect.NumFields()
	fw.byID = make([]int32, n)
	for i := range fw.byID {
		fw.byID[i] = -1
	}
	var unknown []string
	protoNames := knownProtocols()
	for _, name := range fields {
		c := fieldCol{name: name}
		if k, ok := columnFields[name]; ok {
			c.kind = k
		} else if id, ok := dissect.LookupField(name); ok && int(id) < n {
			c.kind, c.id = colField, id
		} else if protoNames[name] {
			c.kind = colProtocol
		} else {
			unknown = append(unknown, name)
			continue
		}
		fw.cols = append(fw.cols, c)
	}
	if len(unknown) == 1 {
		return nil, errors.New("unknown field: " + unknown[0])
	} else if len(unknown) > 1 {
		return nil, errors.New("unknown fields: " + strings.Join(unknown, ", "))
	}
	// Chain the columns of each field, in column order.
	fw.state = make([]colState, len(fw.cols))
	fw.mask = make([]uint64, (len(fw.cols)+63)/64)
	for i := len(fw.cols) - 1; i >= 0; i-- {
		c := &fw.cols[i]
		fw.state[i] = colState{next: -1, first: -1, last: -1}
		if c.kind != colField {
			fw.special = append(fw.special, i)
			continue
		}
		fw.state[i].next = fw.byID[c.id]
		fw.byID[c.id] = int32(i)
	}
	slices.Reverse(fw.special)
	fw.seps = strings.Repeat(opts.Separator, len(fw.cols))
	var head []byte
	if opts.BOM {
		head = append(head, 0xef, 0xbb, 0xbf)
	}
	if opts.Header {
		for i, c := range fw.cols {
			if i > 0 {
				head = append(head, opts.Separator...)
			}
			head = append(head, c.name...)
		}
		head = append(head, '\n')
	}
	if len(head) > 0 {
		if _, err := w.Write(head); err != nil {
			return nil, err
		}
	}
	return fw, nil
}

// knownProtocols is the set of protocol abbreviations that have fields, so
// "-e nbns" works even when no FT_PROTOCOL field "nbns" is registered.
func knownProtocols() map[string]bool {
	m := map[string]bool{}
	for _, fi := range dissect.AllFields() {
		if fi.Proto != "" {
			m[fi.Proto] = true
		}
	}
	return m
}

// WriteFrame prints the line of one frame: by the program of its shape
// (fields_shape.go), or for a frame too large to keep one for, by a walk
// over its nodes.
func (fw *FieldsWriter) WriteFrame(f *dissect.Frame) error {
	var sh *shape
	if !fw.walkOnly {
		sh = fw.shapeOf(f.Tree.Nodes)
	}
	if sh != nil {
		fw.line = fw.appendShape(fw.line[:0], f, sh)
	} else {
		fw.line = fw.appendWalk(fw.line[:0], f)
	}
	_, err := fw.w.Write(fw.line)
	return err
}

// appendWalk appends the line of f in one pass over its nodes: each value
// is formatted once into fw.vals, even when two columns show the field,
// and chained to its columns; then the columns that hold a value are
// copied out in column order.
func (fw *FieldsWriter) appendWalk(b []byte, f *dissect.Frame) []byte {
	for _, ci := range fw.touched {
		st := &fw.state[ci]
		st.first, st.last, st.count = -1, -1, 0
	}
	fw.touched = fw.touched[:0]
	fw.vals = fw.vals[:0]
	fw.spans = fw.spans[:0]
	nodes := f.Tree.Nodes
	all := fw.opts.Occurrence == OccurrenceAll
	for i := range nodes {
		nd := &nodes[i]
		id := int(nd.Field)
		if id == 0 || id >= len(fw.byID) || fw.byID[id] < 0 {
			continue
		}
		// Format once, whatever the number of columns showing the field.
		start := len(fw.vals)
		fw.vals = AppendValue(fw.vals, nd)
		v := span{start: int32(start), end: int32(len(fw.vals)), next: -1}
		if !all {
			for ci := fw.byID[id]; ci >= 0; ci = fw.state[ci].next {
				fw.addValue(ci, v)
			}
			continue
		}
		// addValue for every occurrence, inline.
		for ci := fw.byID[id]; ci >= 0; ci = fw.state[ci].next {
			c := &fw.state[ci]
			si := int32(len(fw.spans))
			fw.spans = append(fw.spans, v)
			if c.count == 0 {
				fw.touched = append(fw.touched, ci)
				fw.mask[ci>>6] |= 1 << (ci & 63)
				c.first = si
			} else {
				fw.spans[c.last].next = si
			}
			c.count++
			c.last = si
		}
	}
	for _, ci := range fw.special {
		c := &fw.cols[ci]
		start := len(fw.vals)
		if c.kind == colProtocol {
			if protoPresent(f, c.name) {
				fw.vals = append(fw.vals, c.name...)
			}
		} else {
			fw.vals = fw.appendColumn(fw.vals, f, c.kind)
		}
		if len(fw.vals) > start {
			fw.addValue(int32(ci), span{start: int32(start), end: int32(len(fw.vals))})
		}
	}
	// The touched columns in column order (from the bit set); the others
	// are runs of separators.
	sep := len(fw.opts.Separator)
	col := 0 // columns written so far
	for w, word := range fw.mask {
		fw.mask[w] = 0
		for ; word != 0; word &= word - 1 {
			ci := int32(w<<6 + bits.TrailingZeros64(word))
			// Columns col..ci each start with a separator, but the first.
			n := int(ci) - col + 1
			if col == 0 {
				n--
			}
			b = append(b, fw.seps[:n*sep]...)
			col = int(ci) + 1
			c := &fw.state[ci]
			if c.first == c.last && fw.opts.Quote == 0 { // one value, as is
				sp := fw.spans[c.first]
				b = append(b, fw.vals[sp.start:sp.end]...)
				continue
			}
			// Quotes go around a value that is not empty (one empty
			// occurrence prints nothing, as before -E quote).
			q := fw.opts.Quote != 0 && (c.first != c.last || fw.spans[c.first].end > fw.spans[c.first].start)
			if q {
				b = append(b, fw.opts.Quote)
			}
			for s := c.first; s >= 0; s = fw.spans[s].next {
				if s != c.first {
					b = append(b, fw.opts.Aggregator...)
				}
				b = append(b, fw.vals[fw.spans[s].start:fw.spans[s].end]...)
			}
			if q {
				b = append(b, fw.opts.Quote)
			}
		}
	}
	if n := len(fw.cols) - col; n > 0 {
		if col == 0 {
			n--
		}
		b = append(b, fw.seps[:n*sep]...)
	}
	return append(b, '\n')
}

// addValue records value v for column ci, as -E occurrence says.
func (fw *FieldsWriter) addValue(ci int32, v span) {
	c := &fw.state[ci]
	c.count++
	if c.count == 1 {
		fw.touched = append(fw.touched, ci)
		fw.mask[ci>>6] |= 1 << (ci & 63)
	}
	switch fw.opts.Occurrence {
	case OccurrenceFirst:
		if c.count > 1 {
			return
		}
	case OccurrenceLast:
		c.first, c.last = -1, -1
	}
	v.next = -1
	fw.spans = append(fw.spans, v)
	i := int32(len(fw.spans) - 1)
	if c.first < 0 {
		c.first = i
	} else {
		fw.spans[c.last].next = i
	}
	c.last = i
}

// protoPresent reports whether any node belongs to protocol p.
func protoPresent(f *dissect.Frame, p string) bool {
	for i := range f.Tree.Nodes {
		id := f.Tree.Nodes[i].Field
		if id != 0 && dissect.Field(id).Proto == p {
			return true
		}
	}
	return false
}

// appendColumn prints one of tshark's _ws.col.* pseudo-fields.
func (fw *FieldsWriter) appendColumn(dst []byte, f *dissect.Frame, kind int) []byte {
	switch kind {
	case colNumber:
		return strconv.AppendInt(dst, int64(f.Number), 10)
	case colTime:
		fw.timeCol.Time = fw.opts.Time
		return fw.timeCol.AppendTime(dst, f)
	case colSource:
		return appendAddr(dst, f, true)
	case colDest:
		return appendAddr(dst, f, false)
	case colProto:
		return AppendEscapedString(dst, f.Proto)
	case colLength:
		return strconv.AppendInt(dst, int64(f.Len), 10)
	case colInfo:
		return AppendEscaped(dst, f.Info)
	}
	return dst
}
