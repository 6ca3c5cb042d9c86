package output

import (
	"io"
	"math"
	"strconv"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// JSONWriter prints one JSON object per frame per line (JSON Lines), in
// the schema documented in doc.go. Its buffers are reused from frame to
// frame: a frame without decode errors costs no allocation once they have
// grown.
type JSONWriter struct {
	w    io.Writer
	line []byte
	js   jsonScratch
}

// NewJSONWriter returns a JSONWriter printing to w, one Write per frame.
func NewJSONWriter(w io.Writer) *JSONWriter { return &JSONWriter{w: w} }

// WriteFrame prints one frame as one line.
func (jw *JSONWriter) WriteFrame(f *dissect.Frame) error {
	jw.line = jw.js.appendFrame(jw.line[:0], f)
	_, err := jw.w.Write(jw.line)
	return err
}

// AppendJSON appends the JSON line of a frame (with its newline). It keeps
// no state; JSONWriter is cheaper for a stream of frames.
func AppendJSON(dst []byte, f *dissect.Frame) []byte {
	var js jsonScratch
	return js.appendFrame(dst, f)
}

type jsonGroup struct {
	id         dissect.FieldID
	head, tail int32
	count      int32
}

// jsonScratch groups the occurrences of each field within a layer.
type jsonScratch struct {
	stamp  []uint32 // FieldID → generation that last saw it
	group  []int32  // FieldID → index in groups, valid when stamp matches
	gen    uint32
	groups []jsonGroup
	next   []int32 // node index → next node of the same field in the layer
}

func (js *jsonScratch) appendFrame(b []byte, f *dissect.Frame) []byte {
	b = append(b, `{"frame":{"number":`...)
	b = strconv.AppendInt(b, int64(f.Number), 10)
	b = append(b, `,"time":"`...)
	b = f.Time.UTC().AppendFormat(b, "2006-01-02T15:04:05.000000000Z")
	b = append(b, `","time_epoch":`...)
	b = appendRelTime(b, f.Time.UnixNano())
	b = append(b, `,"time_relative":`...)
	b = appendRelTime(b, int64(f.Rel))
	b = append(b, `,"source":`...)
	b = strconv.AppendInt(b, int64(f.Source), 10)
	if f.SourceLabel != "" {
		b = append(b, `,"source_label":`...)
		b = appendJSONStringS(b, f.SourceLabel)
	}
	b = append(b, `,"len":`...)
	b = strconv.AppendInt(b, int64(f.Len), 10)
	b = append(b, `,"cap_len":`...)
	b = strconv.AppendInt(b, int64(f.CapLen), 10)
	b = append(b, `,"link_type":`...)
	b = strconv.AppendInt(b, int64(f.LinkType), 10)
	b = append(b, `,"protocol":`...)
	b = appendJSONStringS(b, f.Proto)
	b = append(b, `,"info":`...)
	b = appendJSONString(b, f.Info)
	if len(f.Errs) > 0 {
		b = append(b, `,"errors":[`...)
		for i, err := range f.Errs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONStringS(b, err.Error())
		}
		b = append(b, ']')
	}
	b = append(b, `},"layers":[`...)
	nodes := f.Tree.Nodes
	if cap(js.next) < len(nodes) {
		js.next = make([]int32, len(nodes), len(nodes)+len(nodes)/2)
	}
	js.next = js.next[:len(nodes)]
	if n := dissect.NumFields(); len(js.stamp) < n {
		js.stamp = make([]uint32, n+16)
		js.group = make([]int32, n+16)
		js.gen = 0
	}
	first := true
	for start := 0; start < len(nodes); {
		end := layerEnd(nodes, start)
		if !first {
			b = append(b, ',')
		}
		first = false
		b = js.appendLayer(b, f, start, end)
		start = end
	}
	return append(b, "]}\n"...)
}

// layerProto is the protocol abbreviation a top-level node stands for.
func layerProto(nodes []dissect.Node, i int) string {
	n := &nodes[i]
	if n.Field != 0 {
		fi := dissect.Field(n.Field)
		if fi.Type == dissect.FTProtocol {
			return fi.Abbrev
		}
		return fi.Proto
	}
	// A heading: the protocol of its first field.
	for j := i + 1; j < len(nodes) && nodes[j].Depth > 0; j++ {
		if nodes[j].Field != 0 {
			return dissect.Field(nodes[j].Field).Proto
		}
	}
	return ""
}

// layerEnd returns where the layer starting at start ends: at the next
// top-level protocol or heading, or the next top-level field of another
// protocol.
func layerEnd(nodes []dissect.Node, start int) int {
	proto := layerProto(nodes, start)
	for i := start + 1; i < len(nodes); i++ {
		n := &nodes[i]
		if n.Depth != 0 {
			continue
		}
		if n.Field == 0 || dissect.Field(n.Field).Type == dissect.FTProtocol || layerProto(nodes, i) != proto {
			return i
		}
	}
	return len(nodes)
}

func (js *jsonScratch) appendLayer(b []byte, f *dissect.Frame, start, end int) []byte {
	nodes := f.Tree.Nodes
	top := &nodes[start]
	b = append(b, `{"proto":`...)
	b = appendJSONStringS(b, layerProto(nodes, start))
	b = append(b, `,"name":`...)
	switch {
	case top.Field == 0 || top.Label != "":
		b = appendJSONStringS(b, top.Label)
	default:
		b = appendJSONStringS(b, dissect.Field(top.Field).Name)
	}
	if top.Off >= 0 {
		b = append(b, `,"offset":`...)
		b = strconv.AppendInt(b, int64(top.Off), 10)
		b = append(b, `,"length":`...)
		b = strconv.AppendInt(b, int64(top.Len), 10)
		if top.Src > 0 && int(top.Src) <= len(f.Tree.Sources) {
			b = append(b, `,"data_source":`...)
			b = appendJSONStringS(b, f.Tree.Sources[top.Src-1].Name)
		}
	}
	// Group the occurrences of each field, in order of first appearance.
	js.gen++
	if js.gen == 0 {
		for i := range js.stamp {
			js.stamp[i] = 0
		}
		js.gen = 1
	}
	js.groups = js.groups[:0]
	nErr, nWarn := 0, 0
	for i := start; i < end; i++ {
		n := &nodes[i]
		if n.Flags&dissect.NodeHidden != 0 {
			continue
		}
		if n.Field == 0 {
			if n.Flags&dissect.NodeError != 0 {
				nErr++
			} else if n.Flags&dissect.NodeWarn != 0 {
				nWarn++
			}
			continue
		}
		if i == start && dissect.Field(n.Field).Type == dissect.FTProtocol {
			continue
		}
		id := n.Field
		if int(id) >= len(js.stamp) {
			continue // registered after the writer saw the registry
		}
		js.next[i] = -1
		if js.stamp[id] != js.gen {
			js.stamp[id] = js.gen
			js.group[id] = int32(len(js.groups))
			js.groups = append(js.groups, jsonGroup{id: id, head: int32(i), tail: int32(i), count: 1})
			continue
		}
		g := &js.groups[js.group[id]]
		js.next[g.tail] = int32(i)
		g.tail = int32(i)
		g.count++
	}
	b = append(b, `,"fields":{`...)
	for gi := range js.groups {
		g := &js.groups[gi]
		if gi > 0 {
			b = append(b, ',')
		}
		b = appendJSONStringS(b, dissect.Field(g.id).Abbrev)
		b = append(b, ':')
		if g.count == 1 {
			b = appendJSONValue(b, &nodes[g.head])
			continue
		}
		b = append(b, '[')
		for i, k := g.head, 0; i >= 0; i, k = js.next[i], k+1 {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendJSONValue(b, &nodes[i])
		}
		b = append(b, ']')
	}
	b = append(b, '}')
	b = appendExperts(b, nodes[start:end], dissect.NodeError, `,"errors":[`, nErr)
	b = appendExperts(b, nodes[start:end], dissect.NodeWarn, `,"warnings":[`, nWarn)
	return append(b, '}')
}

func appendExperts(b []byte, nodes []dissect.Node, flag dissect.NodeFlags, key string, n int) []byte {
	if n == 0 {
		return b
	}
	b = append(b, key...)
	k := 0
	for i := range nodes {
		nd := &nodes[i]
		if nd.Field != 0 || nd.Flags&flag == 0 || flag == dissect.NodeWarn && nd.Flags&dissect.NodeError != 0 {
			continue
		}
		if k > 0 {
			b = append(b, ',')
		}
		k++
		b = appendJSONStringS(b, nd.Label)
	}
	return append(b, ']')
}

// appendJSONValue prints one field value by its type: integers as numbers
// (whatever their display base), booleans as true/false, FT_NONE as true,
// relative times and doubles as numbers, absolute times as RFC 3339 UTC
// strings, everything else as the string -T fields prints, JSON-escaped.
func appendJSONValue(b []byte, n *dissect.Node) []byte {
	fi := dissect.Field(n.Field)
	switch fi.Type {
	case dissect.FTNone:
		return append(b, "true"...)
	case dissect.FTBoolean:
		if n.U != 0 {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case dissect.FTUint8, dissect.FTUint16, dissect.FTUint24, dissect.FTUint32, dissect.FTUint64, dissect.FTFrameNum:
		return strconv.AppendUint(b, n.U, 10)
	case dissect.FTInt8, dissect.FTInt16, dissect.FTInt32, dissect.FTInt64:
		return strconv.AppendInt(b, int64(n.U), 10)
	case dissect.FTRelTime:
		return appendRelTime(b, int64(n.U))
	case dissect.FTDouble:
		v := math.Float64frombits(n.U)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return append(b, "null"...)
		}
		return strconv.AppendFloat(b, v, 'g', -1, 64)
	case dissect.FTAbsTime:
		b = append(b, '"')
		b = time.Unix(0, int64(n.U)).UTC().AppendFormat(b, "2006-01-02T15:04:05.000000000Z")
		return append(b, '"')
	case dissect.FTString, dissect.FTStringz:
		return appendJSONString(b, n.S)
	case dissect.FTProtocol:
		if len(n.S) > 0 {
			return appendJSONString(b, n.S)
		}
		return appendJSONStringS(b, fi.Abbrev)
	}
	// IPv4, Ether, bytes: the -T fields text, which is plain ASCII.
	b = append(b, '"')
	b = AppendValue(b, n)
	return append(b, '"')
}
