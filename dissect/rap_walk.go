package dissect

// The RAP descriptor walker: it reads a parameter or data block as a
// descriptor string says (rap_desc.go), for requests, responses and every
// entry of a returned data block, fills the typed result and records each
// value as the tree shows it (rap_tree.go). Collecting the typed result is
// in rap_decode.go.
//
// Byte order: little-endian, like the rest of RAP.

import "encoding/binary"

// rapWalker walks descriptors over one block. It fills the typed result
// (req or resp) and records, in rec, every value as the tree shows it: the
// block is walked once, at decode; AppendTree replays the record.
type rapWalker struct {
	req  *RAPRequest  // request being decoded, or nil
	resp *RAPResponse // response being decoded, or nil
	rec  *rapRecord   // where the values go
	buf  []byte       // the block walked
	conv int          // converter, for pointers in a data block
	what string       // "parameter descriptor", "data descriptor", ... for errors
	// entry is the 1-based number of the structure being walked in a data
	// block (0 outside one).
	entry int
	// Results of a parameter walk.
	hasData       bool   // r, s or l seen
	hasEntryCount bool   // e seen
	entryCount    uint16 // its value
	auxCount      uint16 // last N value in a structure
	// entryErr is the first error in the current structure that does not
	// stop the walk (a pointer out of range): reported on its entry, the
	// other entries still decoded. The entry loop collects and resets it.
	entryErr error
}

// nextItem takes the next table item, or reports that the table ran out.
func rapNextItem(items *[]rapItem) (rapItem, bool) {
	if len(*items) == 0 {
		return rapItem{}, false
	}
	it := (*items)[0]
	*items = (*items)[1:]
	return it, true
}

// walk interprets desc over w.buf from off and returns the offset after the
// last byte consumed. It stops at the first hard error (a value past the end
// of the block, an unknown letter); soft errors go to w.entryErr.
func (w *rapWalker) walk(mode rapMode, desc []byte, items []rapItem, off int) (int, error) {
	for i := 0; i < len(desc); {
		c := desc[i]
		count, next, ok := rapCount(desc, i+1)
		if !rapLetterKnown(c) || !ok {
			d := "unknown descriptor letter"
			if !ok {
				d = "descriptor count too large"
			}
			return off, Malformed("rap", w.what, -1, d+" at index "+rapItoa(i)+" of \""+string(rapPrintable(desc))+"\"")
		}
		i = next
		var err error
		switch mode {
		case rapModeRequest:
			off, err = w.requestLetter(c, count, &items, off)
		case rapModeReply:
			off, err = w.replyLetter(c, count, &items, off)
		default:
			off, err = w.dataLetter(c, count, &items, off)
		}
		if err != nil {
			return off, err
		}
	}
	return off, nil
}

// requestLetter handles one letter of a request's parameter descriptor.
func (w *rapWalker) requestLetter(c byte, count int, items *[]rapItem, off int) (int, error) {
	switch c {
	case 'W', 'P', 'w':
		return w.words(c, count, items, off)
	case 'D', 'd':
		return w.dwords(c, count, items, off)
	case 'b', 'B':
		return w.bytesInline(c, count, items, off)
	case 'O':
		w.nullPointer(items, off)
		return off, nil
	case 'z':
		return w.stringInline(items, off)
	case 'F':
		return w.padding(count, off)
	case 'L':
		return w.word16(fRAPRecvBufLen, "receive buffer length", off)
	case 'T':
		return w.word16(fRAPSendBufLen, "send buffer length", off)
	case 's', 'l':
		w.hasData = true
	}
	// r, e, g, h, i: receive pointers, not sent. C, K, N: not parameters.
	return off, nil
}

// replyLetter handles one letter of the parameter descriptor applied to the
// response parameters: only what the server returns takes bytes.
func (w *rapWalker) replyLetter(c byte, count int, items *[]rapItem, off int) (int, error) {
	switch c {
	case 'r':
		w.hasData = true
	case 'e':
		if off+2 > len(w.buf) {
			return off, Truncated("rap", "entry count", off, off+2, len(w.buf))
		}
		v := binary.LittleEndian.Uint16(w.buf[off:])
		w.hasEntryCount, w.entryCount = true, v
		w.rec.show(rapOpUint, fRAPEntryCount, off, 2, uint32(v))
		return off + 2, nil
	case 'h':
		return w.words(c, 1, items, off)
	case 'i':
		return w.dwords(c, 1, items, off)
	case 'g':
		return w.bytesInline(c, count, items, off)
	}
	return off, nil
}

// dataLetter handles one letter of a data (or auxiliary data) descriptor.
func (w *rapWalker) dataLetter(c byte, count int, items *[]rapItem, off int) (int, error) {
	switch c {
	case 'W':
		return w.words(c, count, items, off)
	case 'D', 'C':
		return w.dwords(c, count, items, off)
	case 'B':
		return w.bytesInline(c, count, items, off)
	case 'O':
		w.nullPointer(items, off)
		return off, nil
	case 'z':
		return w.stringPointer(items, off)
	case 'b', 'w', 'd', 'g', 'h', 'i':
		size := count
		switch c {
		case 'w', 'h':
			size = 2 * count
		case 'd', 'i':
			size = 4 * count
		}
		return w.bytesPointer(size, items, off)
	case 'F':
		return w.padding(count, off)
	case 'N':
		if off+2 > len(w.buf) {
			return off, Truncated("rap", w.entryField("auxiliary structure count"), off, off+2, len(w.buf))
		}
		v := binary.LittleEndian.Uint16(w.buf[off:])
		w.auxCount = v
		w.rec.show(rapOpUint, fRAPAuxCount, off, 2, uint32(v))
		return off + 2, nil
	}
	// r, L, s, T, l, e, P, K: not part of a structure.
	return off, nil
}

// entryField names a field for an error, with the entry number when inside
// a data block ("entry 3 comment"). Only called on error paths.
func (w *rapWalker) entryField(name string) string {
	if w.entry > 0 {
		return "entry " + rapItoa(w.entry) + " " + name
	}
	return name
}

// fieldName is the error name of an item's field.
func rapFieldName(f FieldID, fallback string) string {
	if f == 0 || f == rapGenericField {
		return fallback
	}
	fi := Field(f)
	if fi.Name == "" {
		return fallback
	}
	return rapLower(fi.Name)
}

// badType notes a letter that does not match the table (Wireshark's
// "type is wrong" expert note): the value is skipped, not shown.
func (w *rapWalker) badType(it rapItem, off, n int) {
	w.rec.show(rapOpBadType, it.f, off, n, 0)
}

// word16 reads a structural word (L, T).
func (w *rapWalker) word16(f FieldID, name string, off int) (int, error) {
	if off+2 > len(w.buf) {
		return off, Truncated("rap", name, off, off+2, len(w.buf))
	}
	v := binary.LittleEndian.Uint16(w.buf[off:])
	w.rec.show(rapOpUint, f, off, 2, uint32(v))
	if w.req != nil {
		if f == fRAPRecvBufLen {
			w.req.RecvBufLen, w.req.HasRecvBufLen = v, true
		} else {
			w.req.SendBufLen, w.req.HasSendBufLen = v, true
		}
	}
	return off + 2, nil
}

// words reads count 16-bit values for one item.
func (w *rapWalker) words(c byte, count int, items *[]rapItem, off int) (int, error) {
	it, ok := rapNextItem(items)
	n := 2 * count
	if off+n > len(w.buf) {
		return off, Truncated("rap", w.entryField(rapFieldName(it.f, "word "+string(c))), off, off+n, len(w.buf))
	}
	if ok && it.kind != rapWord {
		w.badType(it, off, n)
		if it.kind == rapDword {
			// A doubleword described as a word: still typed.
			w.collect(it.role, uint64(binary.LittleEndian.Uint16(w.buf[off:])), nil)
		}
		return off + n, nil
	}
	for k := 0; k < count; k++ {
		v := binary.LittleEndian.Uint16(w.buf[off:])
		if !ok || it.f == rapGenericField {
			w.rec.show(rapOpUint, fRAPWordParam, off, 2, uint32(v))
		} else if it.f != 0 {
			if Field(it.f).Type == FTInt16 {
				w.rec.show(rapOpInt16, it.f, off, 2, uint32(v))
			} else {
				w.rec.show(rapOpUint, it.f, off, 2, uint32(v))
			}
		}
		if ok {
			w.collect(it.role, uint64(v), nil)
		}
		off += 2
	}
	return off, nil
}

// dwords reads count 32-bit values for one item.
func (w *rapWalker) dwords(c byte, count int, items *[]rapItem, off int) (int, error) {
	it, ok := rapNextItem(items)
	n := 4 * count
	if off+n > len(w.buf) {
		return off, Truncated("rap", w.entryField(rapFieldName(it.f, "doubleword "+string(c))), off, off+n, len(w.buf))
	}
	if ok && it.kind != rapDword {
		w.badType(it, off, n)
		if it.kind == rapWord {
			// A word described as a doubleword (a share type with its
			// STYPE_SPECIAL/STYPE_TEMPORARY flags): still typed.
			w.collect(it.role, uint64(binary.LittleEndian.Uint32(w.buf[off:])), nil)
		}
		return off + n, nil
	}
	for k := 0; k < count; k++ {
		v := binary.LittleEndian.Uint32(w.buf[off:])
		switch {
		case !ok || it.f == rapGenericField:
			if ok && it.how == rapServerType {
				w.rec.show(rapOpServerType, fRAPServerType, off, 4, uint32(v))
			} else {
				w.rec.show(rapOpUint, fRAPDwordParam, off, 4, uint32(v))
			}
		case it.how == rapServerType:
			w.rec.show(rapOpServerType, fRAPServerType, off, 4, uint32(v))
		case it.f == 0:
		case it.how == rapAbsTime, it.how == rapRelTime:
			w.rec.show(rapOpSeconds, it.f, off, 4, v)
		default:
			w.rec.show(rapOpUint, it.f, off, 4, uint32(v))
		}
		if ok {
			w.collect(it.role, uint64(v), nil)
		}
		off += 4
	}
	return off, nil
}

// bytesInline reads count bytes in place (B in data, b in parameters, g in
// the response parameters).
func (w *rapWalker) bytesInline(c byte, count int, items *[]rapItem, off int) (int, error) {
	it, ok := rapNextItem(items)
	if off+count > len(w.buf) {
		return off, Truncated("rap", w.entryField(rapFieldName(it.f, "bytes "+string(c))), off, off+count, len(w.buf))
	}
	b := w.buf[off : off+count : off+count]
	if ok && it.kind != rapBytes {
		w.badType(it, off, count)
		return off + count, nil
	}
	if !ok || it.f == rapGenericField {
		if count == 1 {
			w.rec.show(rapOpUint, fRAPByteParam, off, 1, uint32(b[0]))
		} else {
			w.rec.showBytes(rapOpBytes, fRAPBytesParam, off, count, b)
		}
		if ok {
			w.collectBytes(it.role, b)
		}
		return off + count, nil
	}
	switch it.how {
	case rapPad:
		return off + count, nil
	case rapLogonArgs:
		return w.logonArgs(off, count)
	}
	if it.f != 0 {
		switch Field(it.f).Type {
		case FTUint8, FTInt8:
			if count != 1 {
				// Wireshark throws ReportedBoundsError: a one-byte field
				// described with a count.
				return off, Malformed("rap", w.entryField(rapFieldName(it.f, "byte")), off, "one-byte field described as "+rapItoa(count)+" bytes")
			}
			w.rec.show(rapOpUint, it.f, off, 1, uint32(b[0]))
		case FTString, FTStringz:
			op := rapOpBytes
			if it.how == rapNameParent {
				op = rapOpName
			}
			w.rec.showBytes(op, it.f, off, count, rapCString(b))
		default:
			w.rec.showBytes(rapOpBytes, it.f, off, count, b)
		}
	}
	w.collectBytes(it.role, b)
	return off + count, nil
}

// logonArgs shows NetWkstaUserLogon's 54 bytes of parameters ([MS-RAP]
// NetWkstaUserLogon): user name (21), pad, password (15), pad, workstation (16).
func (w *rapWalker) logonArgs(off, count int) (int, error) {
	if count != 54 {
		w.rec.show(rapOpBogusLogon, 0, off, count, 0)
		return off + count, nil
	}
	w.rec.showBytes(rapOpBytes, fRAPUserName, off, 21, rapCString(w.buf[off:off+21]))
	w.rec.showBytes(rapOpBytes, fRAPPassword, off+22, 15, rapCString(w.buf[off+22:off+37]))
	w.rec.showBytes(rapOpBytes, fRAPWorkstationName, off+38, 16, rapCString(w.buf[off+38:off+54]))
	return off + count, nil
}

// nullPointer handles O: a pointer that is null, so nothing is sent.
// Wireshark shows it as an empty string "(Null pointer)" unless the item is
// a must-be-null reserved field (no_hf).
func (w *rapWalker) nullPointer(items *[]rapItem, off int) {
	it, ok := rapNextItem(items)
	if !ok || it.f == rapGenericField {
		w.rec.show(rapOpEmpty, fRAPStringParam, off, 0, 0)
		return
	}
	if it.f != 0 {
		w.rec.show(rapOpEmpty, it.f, off, 0, 0)
	}
}

// stringInline reads an ASCIIZ string in the request parameters (z).
func (w *rapWalker) stringInline(items *[]rapItem, off int) (int, error) {
	it, ok := rapNextItem(items)
	s, n, found := rapASCIIZ(w.buf, off)
	if !found {
		return off, Truncated("rap", rapFieldName(it.f, "string"), off, len(w.buf)+1, len(w.buf))
	}
	if ok && it.kind != rapStringz {
		w.badType(it, off, n)
		return off + n, nil
	}
	f := fRAPStringParam
	if ok && it.f != rapGenericField {
		f = it.f
	}
	if f != 0 {
		w.rec.showBytes(rapOpBytes, f, off, n, s)
	}
	if ok {
		w.collectBytes(it.role, s)
	}
	return off + n, nil
}

// pointer reads a 32-bit data-block pointer and applies the converter.
func (w *rapWalker) pointer(off int) (raw uint32, target int) {
	raw = binary.LittleEndian.Uint32(w.buf[off:])
	return raw, int(raw&0xffff) - w.conv
}

// stringPointer reads z in a data block: a pointer to an ASCIIZ string
// elsewhere in the block. A pointer outside the block (or to a string
// without its NUL) is shown as Wireshark shows it and is an error on this
// entry only; a null pointer (0) is not an error.
func (w *rapWalker) stringPointer(items *[]rapItem, off int) (int, error) {
	it, ok := rapNextItem(items)
	if off+4 > len(w.buf) {
		return off, Truncated("rap", w.entryField(rapFieldName(it.f, "string pointer")), off, off+4, len(w.buf))
	}
	raw, p := w.pointer(off)
	s, n, found := rapASCIIZ(w.buf, p)
	if ok && it.kind != rapStringz {
		w.badType(it, off, 4)
		return off + 4, nil
	}
	f := fRAPStringParam
	if ok && it.f != rapGenericField {
		f = it.f
	}
	if !found {
		if f != 0 {
			w.rec.show(rapOpPastEnd, f, off, 4, 0)
		}
		if raw != 0 {
			w.pointerError(rapFieldName(f, "string"), off, raw, p)
		}
		return off + 4, nil
	}
	if f != 0 {
		w.rec.showBytes(rapOpBytes, f, p, n, s)
	}
	if ok {
		w.collectBytes(it.role, s)
	}
	return off + 4, nil
}

// bytesPointer reads b (and w d g h i) in a data block: a pointer to size
// bytes elsewhere in the block.
func (w *rapWalker) bytesPointer(size int, items *[]rapItem, off int) (int, error) {
	it, ok := rapNextItem(items)
	if off+4 > len(w.buf) {
		return off, Truncated("rap", w.entryField(rapFieldName(it.f, "bytes pointer")), off, off+4, len(w.buf))
	}
	raw, p := w.pointer(off)
	if ok && it.kind != rapBytes {
		w.badType(it, off, 4)
		return off + 4, nil
	}
	f := fRAPBytesParam
	if ok && it.f != rapGenericField {
		f = it.f
	}
	if p < 0 || p+size > len(w.buf) {
		if f != 0 {
			w.rec.show(rapOpEmpty, f, off, 4, 0)
		}
		if raw != 0 {
			w.pointerError(rapFieldName(f, "bytes"), off, raw, p)
		}
		return off + 4, nil
	}
	if f != 0 {
		w.rec.showBytes(rapOpBytes, f, p, size, w.buf[p:p+size:p+size])
	}
	return off + 4, nil
}

// pointerError records a data-block pointer that leads outside the block:
// an error on this entry (w.entryErr) that does not stop the walk, shown
// as an expert note on the pointer in the tree.
func (w *rapWalker) pointerError(name string, off int, raw uint32, p int) {
	err := Malformed("rap", w.entryField(name+" pointer"), off,
		"offset "+rapItoa(p)+" out of range (pointer 0x"+rapHex32(raw)+", converter "+rapItoa(w.conv)+
			", data block "+rapItoa(len(w.buf))+" bytes)")
	if w.entryErr == nil {
		w.entryErr = err
	}
	w.rec.showErr(off, err)
}

// padding reads F: pad bytes.
func (w *rapWalker) padding(count, off int) (int, error) {
	if off+count > len(w.buf) {
		return off, Truncated("rap", w.entryField("padding"), off, off+count, len(w.buf))
	}
	w.rec.showBytes(rapOpBytes, fRAPPadding, off, count, w.buf[off:off+count:off+count])
	return off + count, nil
}
