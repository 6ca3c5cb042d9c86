package dissect

// RAP's tree, built from what Decode recorded: the function code and the
// descriptors of a request, the status and converter of a response, then
// every value of the descriptor walks in the order the walk read them
// (rapRecord), so that the blocks are never walked a second time.

// rapOp says how a recorded value is shown.
type rapOp uint8

const (
	rapOpUint       rapOp = iota // field f, value u
	rapOpInt16                   // field f, value int16(u)
	rapOpSeconds                 // field f, u seconds (a time)
	rapOpBytes                   // field f, the u bytes of the block at off
	rapOpName                    // rapOpBytes, also shown on the entry's line
	rapOpEmpty                   // field f, an empty value (a null or bad pointer)
	rapOpPastEnd                 // field f, Wireshark's text for a string past the end
	rapOpServerType              // browser.server_type u and one boolean per bit
	rapOpBadType                 // a letter that does not match the item of field f
	rapOpBogusLogon              // NetWkstaUserLogon parameters that are not 54 bytes
	rapOpMalformed               // a pointer out of range: the note of errs[u]
	rapOpEntry                   // an entry of the data block starts: field f
	rapOpEntryEnd                // the entry ends, n bytes after its start
)

// rapVal is one value of a descriptor walk as the tree shows it, at off
// for n bytes in the block walked. Small on purpose: Decode records every
// value. (show sets every field one by one: a field added here goes there.)
type rapVal struct {
	op  rapOp
	f   FieldID
	off int32
	n   int32
	u   uint32
}

// rapRecord is what the descriptor walks of one message read, in order:
// vals[:split] from the parameter block, vals[split:n] from the data block.
// Its slices are reused from one Decode to the next.
type rapRecord struct {
	vals  []rapVal // len(vals) is the room; n are used
	n     int
	split int
	errs  []error // the errors of rapOpMalformed
}

// params and data are the values read from each block.
func (rec *rapRecord) params() []rapVal { return rec.vals[:rec.split] }
func (rec *rapRecord) data() []rapVal   { return rec.vals[rec.split:rec.n] }

func (rec *rapRecord) show(op rapOp, f FieldID, off, n int, u uint32) {
	if rec.n == len(rec.vals) {
		rec.grow()
	}
	// An indexed store, not an append: no slice header written back; and
	// every field one by one (a literal was built on the stack and copied
	// in a 16-byte load over its narrower stores).
	v := &rec.vals[rec.n]
	v.op, v.f, v.off, v.n, v.u = op, f, int32(off), int32(n), u
	rec.n++
}

func (rec *rapRecord) grow() {
	v := make([]rapVal, max(32, 2*len(rec.vals)))
	copy(v, rec.vals)
	rec.vals = v
}

// showBytes records a byte value s, which starts at off in the block.
func (rec *rapRecord) showBytes(op rapOp, f FieldID, off, n int, s []byte) {
	rec.show(op, f, off, n, uint32(len(s)))
}

// showErr records an error on the 4-byte pointer at off.
func (rec *rapRecord) showErr(off int, err error) {
	rec.errs = append(rec.errs, err)
	rec.show(rapOpMalformed, 0, off, 4, uint32(len(rec.errs)-1))
}

// appendTree adds vals, read from block, to t. entryNode is the node that
// the name of a structure is shown on (rapOpName) outside an entry's own
// node, -1 for none.
func (rec *rapRecord) appendTree(t *Tree, vals []rapVal, block []byte, entryNode int) {
	for i := range vals {
		v := &vals[i]
		off, n := int(v.off), int(v.n)
		switch v.op {
		case rapOpUint:
			t.Uint(v.f, off, n, uint64(v.u))
		case rapOpInt16:
			t.Int(v.f, off, n, int64(int16(v.u)))
		case rapOpSeconds:
			t.Uint(v.f, off, n, uint64(v.u)*1e9)
		case rapOpBytes:
			end := off + int(v.u)
			t.Bytes(v.f, off, n, block[off:end:end])
		case rapOpName:
			end := off + int(v.u)
			s := block[off:end:end]
			t.Bytes(v.f, off, n, s)
			if entryNode >= 0 {
				t.Nodes[entryNode].S = s
			}
		case rapOpEmpty:
			t.Bytes(v.f, off, n, rapEmpty)
		case rapOpPastEnd:
			t.Bytes(v.f, off, n, rapPastEndString)
		case rapOpServerType:
			// As Wireshark's lanman dissector calls the browser's
			// (Leach/Naik browser draft §5; [MS-RAP] §2.5.5.2.1).
			t.Open(fRAPServerType, off, 4).U = uint64(v.u)
			for _, b := range rapServerTypeBits {
				t.Bool(b.f, off, 4, v.u&b.mask != 0)
			}
			t.Close()
		case rapOpBadType:
			// Wireshark's "type is wrong" note: the value is skipped.
			t.Expert("[RAP descriptor letter does not match the expected type of "+rapFieldName(v.f, "this item")+"]", off, n).Flags = NodeWarn
		case rapOpBogusLogon:
			t.Expert("[Bogus NetWkstaUserLogon parameters: length should be 54]", off, n).Flags = NodeWarn
		case rapOpMalformed:
			appendMalformed(t, rec.errs[v.u], off, n)
		case rapOpEntry:
			entryNode = len(t.Nodes)
			t.OpenKeep(v.f, off, 0)
		case rapOpEntryEnd:
			t.Nodes[entryNode].Len = int32(n)
			t.Close()
			entryNode = -1
		}
	}
}

// rapFields is every field AppendTree may add below the protocol node:
// with none of them wanted, it adds that node only (see FieldSet).
var rapFields = NewFieldSet("lanman", "browser", "smb_pipe")

// AppendTree adds the request's nodes: the protocol node "lanman" spanning
// the parameter block, then the fields in tshark's order; nodes of the data
// block are placed with DataOffset/DataSrc. It ends with a "[Malformed:
// ...]" note when decoding failed.
func (r *RAPRequest) AppendTree(t *Tree) {
	depth := t.Depth()
	p := r.Params
	t.Open(FieldRAP, 0, len(p)).U = rapSpan(len(p), r.DataOffset, r.DataSrc, len(r.Data))
	if !t.WantsSet(rapFields) {
		t.CloseTo(depth) // -T fields prints none of its fields
		return
	}
	if len(p) >= 2 {
		t.Uint(fRAPFunctionCode, 0, 2, uint64(r.Function))
	}
	if r.HasParamDesc {
		t.Bytes(fRAPParamDesc, 2, len(r.ParamDesc)+1, r.ParamDesc)
	}
	if r.HasDataDesc {
		t.Bytes(fRAPRetDesc, 2+len(r.ParamDesc)+1, len(r.DataDesc)+1, r.DataDesc)
	}
	r.rec.appendTree(t, r.rec.params(), p, -1)
	if r.HasAuxDesc {
		t.Bytes(fRAPAuxDesc, r.auxOff, len(r.AuxDesc)+1, r.AuxDesc)
	}
	if data := r.rec.data(); len(data) > 0 {
		pb, ps := t.Base, t.Src
		r.dataBase(t)
		r.rec.appendTree(t, data, r.Data, -1)
		t.Base, t.Src = pb, ps
	}
	if r.Err != nil {
		appendMalformed(t, r.Err, 0, len(p))
	}
	t.CloseTo(depth)
}

// dataBase points t at the data block (see RAPRequest.DataOffset).
func (r *RAPRequest) dataBase(t *Tree) {
	if r.DataSrc != 0 {
		t.Src, t.Base = r.DataSrc, r.DataOffset
	} else {
		t.Base += r.DataOffset
	}
}

// rapSpan is the lanman protocol's value for display filters (ProtoSpan):
// tshark's lanman item covers the parameter and data blocks, which
// follow each other when the data block is in the same data source.
func rapSpan(plen, dataOff int, dataSrc uint8, dlen int) uint64 {
	if dataSrc != 0 || dlen == 0 || dataOff < plen {
		return uint64(plen)
	}
	return uint64(dataOff + dlen)
}

// AppendTree adds the response's nodes, like RAPRequest.AppendTree.
func (r *RAPResponse) AppendTree(t *Tree) {
	depth := t.Depth()
	if !t.WantsSet(rapFields) {
		t.Open(FieldRAP, 0, len(r.Params)).U = rapSpan(len(r.Params), r.DataOffset, r.DataSrc, len(r.Data)) // -T fields prints none of its fields
		t.CloseTo(depth)
		return
	}
	proto := len(t.Nodes)
	t.OpenKeep(FieldRAP, 0, len(r.Params)).U = rapSpan(len(r.Params), r.DataOffset, r.DataSrc, len(r.Data))
	r.appendBody(t, proto)
	if r.Err != nil && !r.errSoft {
		appendMalformed(t, r.Err, 0, len(r.Params))
	}
	t.CloseTo(depth)
}

// appendBody adds what follows the protocol node, node proto.
func (r *RAPResponse) appendBody(t *Tree, proto int) {
	p, d := r.Params, r.Data
	if !r.HasRequest {
		if !r.appendStatusConverter(t) {
			return
		}
		t.Text("[RAP request not seen: function, descriptors and level unknown; parameters and data not decoded]", 0, 0).Flags |= NodeWarn
		if len(p) > 4 {
			t.Bytes(fRAPParamNoDesc, 4, len(p)-4, p[4:])
		}
		r.appendRawData(t, fRAPDataNoDesc)
		return
	}
	t.Uint(fRAPFunctionCode, 0, 0, uint64(r.Request.Function))
	if r.Interim || !r.appendStatusConverter(t) {
		return
	}
	if !r.Request.HasParamDesc {
		t.Text("[RAP request incomplete: no parameter descriptor; parameters and data not decoded]", 0, 0).Flags |= NodeWarn
		t.Bytes(fRAPParamNoDesc, 4, len(p)-4, p[4:])
		r.appendRawData(t, fRAPDataNoDesc)
		return
	}
	r.rec.appendTree(t, r.rec.params(), p, -1)
	if !r.paramsDone {
		return
	}
	if r.ExtraParams > 0 {
		t.Text("[Extra parameter bytes after the descriptor's values (ignored)]", len(p)-r.ExtraParams, r.ExtraParams).Flags |= NodeWarn
	}
	if r.Truncated() {
		if r.Status == RAPMoreData {
			t.Text("[Partial list: more entries are available (ERROR_MORE_DATA)]", 0, 0).Flags |= NodeWarn
		} else {
			t.Text("[Truncated list: fewer entries returned than available]", 0, 0).Flags |= NodeWarn
		}
	}
	if len(d) == 0 {
		return
	}
	if !r.hasRecvBuf {
		r.appendRawData(t, fRAPDataNoRecvBuf)
		return
	}
	pb, ps := t.Base, t.Src
	r.dataBase(t)
	list := -1 // the depth the entries heading opens at, -1 if none
	if r.HasEntryCount {
		label := rapFuncFor(r.Request.Function).list
		if label == "" {
			label = "Entries"
		}
		list = t.Depth()
		t.OpenText(label, 0, len(d))
	}
	switch {
	case r.Request.HasDataDesc:
		entryNode := -1
		if !r.HasEntryCount {
			entryNode = proto // the one structure's name goes on the protocol line
		}
		r.rec.appendTree(t, r.rec.data(), d, entryNode)
	case list >= 0:
		t.Text("[No descriptor available]", 0, 0).Flags |= NodeWarn
	default:
		t.Bytes(fRAPDataNoDesc, 0, len(d), d)
	}
	if list >= 0 {
		t.CloseTo(list)
	}
	t.Base, t.Src = pb, ps
}

// appendStatusConverter adds the status and converter words, as far as the
// parameters hold them; false when they do not hold both.
func (r *RAPResponse) appendStatusConverter(t *Tree) bool {
	p := r.Params
	if len(p) >= 2 {
		t.Uint(fRAPStatus, 0, 2, uint64(r.Status))
	}
	if len(p) >= 4 {
		t.Uint(fRAPConvert, 2, 2, uint64(r.Converter))
	}
	return len(p) >= 4
}

// appendRawData adds the data block as one field f, when there is one.
func (r *RAPResponse) appendRawData(t *Tree, f FieldID) {
	if len(r.Data) == 0 {
		return
	}
	pb, ps := t.Base, t.Src
	r.dataBase(t)
	t.Bytes(f, 0, len(r.Data), r.Data)
	t.Base, t.Src = pb, ps
}

// dataBase points t at the data block.
func (r *RAPResponse) dataBase(t *Tree) {
	if r.DataSrc != 0 {
		t.Src, t.Base = r.DataSrc, r.DataOffset
	} else {
		t.Base += r.DataOffset
	}
}
