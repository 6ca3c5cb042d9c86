package dissect

// NodeFlags mark how a node was made.
type NodeFlags uint8

const (
	// NodeGenerated marks a value computed by nbtsniff, not read from the
	// wire (shown in [brackets] by -V, like Wireshark).
	NodeGenerated NodeFlags = 1 << iota
	// NodeError marks an expert note: a decode error or anomaly.
	NodeError
	// NodeWarn marks an expert warning that is not an error.
	NodeWarn
	// NodeHidden marks a node that display filters and -T fields see but
	// -V, JSON and the terminal UI do not print (Wireshark's hidden
	// items: _ws.malformed, _ws.short).
	NodeHidden
	// NodeByte marks an integer that tshark prints in hex with two digits
	// whatever its field's type: tshark registers some names twice, one
	// and two bytes wide (llc.control.ftype of U frames and of I and S
	// frames).
	NodeByte
)

// Node is one line of the protocol tree: a field with its value, or a text
// heading. Nodes are stored flat in pre-order with a depth, so a tree is one
// slice that is reused frame after frame without allocating.
type Node struct {
	Field FieldID   // 0 for a text-only heading
	Depth uint8     // 0 for a protocol layer
	Src   uint8     // data source: 0 = the frame, n = Tree.Sources[n-1]
	Flags NodeFlags // NodeGenerated, NodeError, ...
	Off   int32     // byte offset in the data source, -1 if none
	Len   int32     // byte length, 0 if none
	U     uint64    // integer, boolean, IPv4 (big-endian), time values; for FT_PROTOCOL, see ProtoSpan
	S     []byte    // string and bytes values; for a heading, an optional value
	Label string    // heading text, or a replacement for the field name
}

// ProtoSpan returns the length of the data a protocol node stands for
// as a display-filter value (Wireshark's FT_PROTOCOL value is the whole
// buffer its dissector was handed: `udp contains "X"` looks in the
// payload too), where that is longer than the node's Len, the header
// that -V highlights. A decoder records it in Node.U of its protocol
// node; 0 means Len.
func ProtoSpan(n *Node) int {
	if Field(n.Field).Type != FTProtocol || n.U > 1<<31 {
		return int(n.Len)
	}
	return max(int(n.U), int(n.Len))
}

// ProtoItemLen returns the length of a protocol node as tshark 4.0's
// slices and len() see it: its tree item. That is the header (Len) for
// most protocols, but TCP's item covers the segment, payload included
// (len(tcp) == tcp.hdr_len + tcp.len).
func ProtoItemLen(n *Node) int {
	if n.Field == FieldTCP {
		return ProtoSpan(n)
	}
	return int(n.Len)
}

// DataSource is a buffer that is not the frame itself, such as a TCP stream
// segment reassembled from several frames or a merged SMB transaction.
type DataSource struct {
	Name string // "Reassembled SMB transaction (3058 bytes)"
	Data []byte
}

// Tree collects the nodes of one frame. Decoders add nodes with offsets
// relative to their layer; Base (set by the caller) is added to them.
type Tree struct {
	Nodes   []Node
	Sources []DataSource
	Base    int   // added to every offset passed to an Add method
	Src     uint8 // data source of nodes added from now on
	// Off disables the tree: nodes are not kept (Add methods write to a
	// scratch node), for consumers that read only the typed messages.
	// The builders of the layers below NBT (AppendEthernet ... AppendTCP,
	// AppendData) then return at once. Reset keeps it.
	Off bool
	// Want, when not nil, says which fields to keep (indexed by FieldID):
	// nodes of other fields are not kept, nor text-only nodes (Text,
	// Expert, OpenText): the fields printer prints values only. Open keeps
	// a node of an unwanted field only when its protocol has no field of
	// its own name (-e may name such a protocol), OpenKeep always; a layer
	// none of whose fields is wanted may skip describing itself (see
	// WantsSet). The fields printer sets it to the -e fields. Assign a new
	// slice rather than editing it in place: WantsSet remembers answers
	// per slice.
	Want    []bool
	sink    Node
	depth   uint8
	scratch []byte
	grow    int
	// wantSets caches WantsSet per FieldSet id (0 unknown, 1 no, 2 yes)
	// for the Want slice starting at wantSetsOf.
	wantSets   []uint8
	wantSetsOf *bool
	// keepOpen caches keepsOpen per FieldID for the Want slice starting
	// at keepOpenOf.
	keepOpen   []bool
	keepOpenOf *bool
}

// FieldSet is the fields a layer's tree may hold below its protocol node:
// every field of some protocols (FieldInfo.Proto). With Tree.Want set, a
// decoder that finds no field of its set wanted adds its protocol node
// and nothing else: -T fields then pays nothing for describing a layer
// none of whose fields it prints. Make sets at package initialisation.
type FieldSet struct {
	id     int
	protos []string
}

var nFieldSets int // guarded by regMu

// NewFieldSet makes the set of all the fields of the given protocols.
func NewFieldSet(protos ...string) *FieldSet {
	regMu.Lock()
	defer regMu.Unlock()
	s := &FieldSet{id: nFieldSets, protos: protos}
	nFieldSets++
	return s
}

// wanted reports whether want holds a field of the set.
func (s *FieldSet) wanted(want []bool) bool {
	regMu.Lock()
	defer regMu.Unlock()
	for id := range fields {
		if id < len(want) && want[id] {
			for _, p := range s.protos {
				if fields[id].Proto == p {
					return true
				}
			}
		}
	}
	return false
}

// WantsSet reports whether any field of s is kept: when not, the layer
// may skip describing itself beyond its protocol node. The answer is
// worked out once per Want slice.
func (t *Tree) WantsSet(s *FieldSet) bool {
	if t.Off {
		return false
	}
	if t.Want == nil {
		return true
	}
	if len(t.Want) == 0 {
		return false
	}
	if t.wantSetsOf != &t.Want[0] {
		clear(t.wantSets)
		t.wantSetsOf = &t.Want[0]
	}
	if s.id >= len(t.wantSets) {
		t.wantSets = append(t.wantSets, make([]uint8, s.id+1-len(t.wantSets))...)
	}
	v := t.wantSets[s.id]
	if v == 0 {
		v = 1
		if s.wanted(t.Want) {
			v = 2
		}
		t.wantSets[s.id] = v
	}
	return v == 2
}

// Reset empties the tree, keeping its memory.
func (t *Tree) Reset() {
	t.Nodes = t.Nodes[:0]
	t.Sources = t.Sources[:0]
	t.Base, t.Src, t.depth = 0, 0, 0
	if t.grow > cap(t.scratch) {
		t.scratch = make([]byte, 0, t.grow)
	}
	t.scratch = t.scratch[:0]
}

// Wants reports whether nodes of field f are kept (see Want): a decoder
// may skip formatting a value nobody will see.
func (t *Tree) Wants(f FieldID) bool {
	if t.Off {
		return false
	}
	return t.Want == nil || int(f) < len(t.Want) && t.Want[f]
}

// WantsText reports whether heading texts, expert notes and the summaries
// shown after integer values are read (not with Want set: the fields
// printer prints values only).
func (t *Tree) WantsText() bool { return !t.Off && t.Want == nil }

// Depth is the current nesting depth.
func (t *Tree) Depth() int { return int(t.depth) }

func (t *Tree) add(f FieldID, off, length int) *Node {
	if t.Off || t.Want != nil && f != 0 && (int(f) >= len(t.Want) || !t.Want[f]) {
		t.sink = Node{}
		return &t.sink
	}
	// keep's body, repeated: one call less per value node.
	o := int32(-1)
	if off >= 0 {
		o = int32(off + t.Base)
	}
	i := len(t.Nodes)
	if i < cap(t.Nodes) {
		t.Nodes = t.Nodes[:i+1]
	} else {
		t.Nodes = append(t.Nodes, Node{})
	}
	n := &t.Nodes[i]
	n.Field, n.Depth, n.Src, n.Flags = f, t.depth, t.Src, 0
	n.Off, n.Len, n.U, n.S, n.Label = o, int32(length), 0, nil, ""
	return n
}

// keep adds a node whatever Want says.
func (t *Tree) keep(f FieldID, off, length int) *Node {
	if t.Off {
		t.sink = Node{}
		return &t.sink
	}
	o := int32(-1)
	if off >= 0 {
		o = int32(off + t.Base)
	}
	// Grow, then fill in place: cheaper than appending a composite.
	i := len(t.Nodes)
	if i < cap(t.Nodes) {
		t.Nodes = t.Nodes[:i+1]
	} else {
		t.Nodes = append(t.Nodes, Node{})
	}
	n := &t.Nodes[i]
	n.Field, n.Depth, n.Src, n.Flags = f, t.depth, t.Src, 0
	n.Off, n.Len, n.U, n.S, n.Label = o, int32(length), 0, nil, ""
	return n
}

// Open adds a field node and makes the next nodes its children. With
// Want set the node is kept only when its field is wanted or belongs to
// a protocol without a field of its own name (see keepsOpen); a decoder
// that keeps an index to the node opens it with OpenKeep.
func (t *Tree) Open(f FieldID, off, length int) *Node {
	var n *Node
	if t.Want != nil && !t.keepsOpen(f) {
		t.sink = Node{}
		n = &t.sink
	} else {
		n = t.keep(f, off, length)
	}
	t.depth++
	return n
}

// OpenKeep is Open for a node the caller keeps an index to (len(Nodes)
// before the call): it is kept whatever Want says.
func (t *Tree) OpenKeep(f FieldID, off, length int) *Node {
	n := t.keep(f, off, length)
	t.depth++
	return n
}

// keepsOpen reports, with Want set, whether an Open node of field f is
// kept: when f is wanted, or when its protocol has no field of its own
// name (such as "_ws" of _ws.malformed), because -T fields then prints
// that protocol's name if any node of it is present. Worked out once per
// Want slice, like WantsSet.
func (t *Tree) keepsOpen(f FieldID) bool {
	if len(t.Want) == 0 {
		return false
	}
	if t.keepOpenOf != &t.Want[0] {
		t.keepOpen = openKeptFields(t.Want, t.keepOpen[:0])
		t.keepOpenOf = &t.Want[0]
	}
	return int(f) < len(t.keepOpen) && t.keepOpen[f]
}

// openKeptFields appends to dst, per registered field, whether Open keeps
// its nodes under want (see keepsOpen).
func openKeptFields(want []bool, dst []bool) []bool {
	regMu.Lock()
	defer regMu.Unlock()
	for id := range fields {
		keep := id < len(want) && want[id]
		if !keep && id > 0 {
			_, named := byAbbrev[fields[id].Proto]
			keep = !named
		}
		dst = append(dst, keep)
	}
	return dst
}

// OpenText adds a heading and makes the next nodes its children. With
// Want set the heading itself is not kept (the depth still counts): keep
// no index to it.
func (t *Tree) OpenText(label string, off, length int) *Node {
	n := t.leaf(off, length)
	n.Label = label
	t.depth++
	return n
}

// Close ends the children of the last Open.
func (t *Tree) Close() {
	if t.depth > 0 {
		t.depth--
	}
}

// CloseTo closes subtrees until the depth is d (used to recover after an
// error in the middle of a nested decode).
func (t *Tree) CloseTo(d int) {
	if d >= 0 && d < int(t.depth) {
		t.depth = uint8(d)
	}
}

// Uint adds an unsigned integer field.
func (t *Tree) Uint(f FieldID, off, length int, v uint64) *Node {
	n := t.add(f, off, length)
	n.U = v
	return n
}

// Int adds a signed integer field.
func (t *Tree) Int(f FieldID, off, length int, v int64) *Node {
	n := t.add(f, off, length)
	n.U = uint64(v)
	return n
}

// Bool adds a boolean field.
func (t *Tree) Bool(f FieldID, off, length int, v bool) *Node {
	n := t.add(f, off, length)
	if v {
		n.U = 1
	}
	return n
}

// Bytes adds a string or byte-array field; b may alias the packet.
func (t *Tree) Bytes(f FieldID, off, length int, b []byte) *Node {
	n := t.add(f, off, length)
	n.S = b
	if n.S == nil {
		n.S = b[:0:0]
	}
	return n
}

// IPv4 adds an IPv4 address field from 4 bytes.
func (t *Tree) IPv4(f FieldID, off int, a [4]byte) *Node {
	n := t.add(f, off, 4)
	n.U = uint64(a[0])<<24 | uint64(a[1])<<16 | uint64(a[2])<<8 | uint64(a[3])
	return n
}

// Text adds a heading without children (not kept with Want set).
func (t *Tree) Text(label string, off, length int) *Node {
	n := t.leaf(off, length)
	n.Label = label
	return n
}

// Hidden adds a hidden, generated node of field f with value s (for an
// FT_PROTOCOL field, the text -T fields prints) one level below the
// current layer, with no byte range, kept only if f is wanted.
func (t *Tree) Hidden(f FieldID, s []byte) *Node {
	n := t.add(f, -1, 0)
	n.Depth = max(n.Depth, 1)
	n.S = s
	n.Flags |= NodeHidden | NodeGenerated
	return n
}

// Expert adds an error note ("[Malformed: ...]") at the current depth
// (not kept with Want set).
func (t *Tree) Expert(msg string, off, length int) *Node {
	n := t.leaf(off, length)
	n.Label = msg
	n.Flags |= NodeError
	return n
}

// Note adds an expert warning on a field that breaks the spec but was
// decoded anyway, as tshark decodes it (a length that disagrees with the
// bytes there, a reserved bit set): "[msg]" in -V, and msg as a hidden
// nbtsniff.expert value for -T fields and display filters.
func (t *Tree) Note(msg string, off, length int) {
	t.Expert("["+msg+"]", off, length).Flags = NodeWarn
	if t.Wants(FieldExpert) {
		n := t.add(FieldExpert, off, length)
		n.S = t.Keep(append(t.Buf(), msg...))
		n.Flags |= NodeHidden | NodeGenerated
	}
}

// leaf adds a text-only node: with Want set nobody reads it, and no
// decoder keeps an index to one.
func (t *Tree) leaf(off, length int) *Node {
	if t.Want != nil {
		t.sink = Node{}
		return &t.sink
	}
	return t.keep(0, off, length)
}

// Buf returns an empty slice backed by the tree's scratch space. Append to
// it and pass the result to Keep; the bytes stay valid until Reset.
func (t *Tree) Buf() []byte { return t.scratch[len(t.scratch):len(t.scratch)] }

// Keep records that b (obtained from Buf and appended to) is in use, and
// returns it. If b outgrew the scratch space, the next Reset grows it.
func (t *Tree) Keep(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	if cap(t.scratch)-len(t.scratch) >= len(b) && &t.scratch[:len(t.scratch)+1][len(t.scratch)] == &b[0] {
		t.scratch = t.scratch[:len(t.scratch)+len(b)]
		return b[:len(b):len(b)]
	}
	// b was reallocated by append: it owns its memory. Remember to grow.
	need := 2 * (len(t.scratch) + len(b))
	if need < 4096 {
		need = 4096
	}
	if need > t.grow {
		t.grow = need
	}
	return b
}

// AddSource registers a data source and returns its number for Node.Src.
func (t *Tree) AddSource(name string, data []byte) uint8 {
	if len(t.Sources) >= 254 {
		return 0
	}
	t.Sources = append(t.Sources, DataSource{Name: name, Data: data})
	return uint8(len(t.Sources))
}

// Each calls fn for every node of field f, in order.
func (t *Tree) Each(f FieldID, fn func(n *Node)) {
	for i := range t.Nodes {
		if t.Nodes[i].Field == f {
			fn(&t.Nodes[i])
		}
	}
}

// First returns the first node of field f, or nil.
func (t *Tree) First(f FieldID) *Node {
	for i := range t.Nodes {
		if t.Nodes[i].Field == f {
			return &t.Nodes[i]
		}
	}
	return nil
}
