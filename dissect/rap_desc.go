package dissect

import "encoding/binary"

// The RAP descriptor interpreter: one walker that reads a parameter or data
// block as a descriptor string says, for requests, responses and every
// entry of a returned data block.
//
// Byte order: little-endian, like the rest of RAP.
//
// A RAP call names its own layout with three ASCII descriptor strings
// (Leach/Naik, "CIFS Remote Administration Protocol", draft-leach-cifs-
// rap-spec-00, "Descriptor strings"; [MS-RAP] §2.5.1 and the descriptor
// tables of §2.5.5-§2.5.11): the parameter descriptor ("WrLehDz"), the data
// descriptor of the structures in the data block ("B16BBDz") and, when
// present, an auxiliary data descriptor. Each letter may be followed by a
// decimal count (B16: 16 bytes; b21: pointer to 21 bytes). The letters that
// can appear on the wire (LanMan's RemTypes.h, which [MS-RAP] follows):
//
//	W  word (16 bits), count: array of words
//	D  doubleword (32 bits), count: array
//	B  byte, count: array of bytes (fixed-length strings such as B16)
//	C  date and time, a doubleword
//	F  pad bytes, count
//	z  ASCIIZ string: inline in a request's parameters; in a data block a
//	   32-bit pointer resolved with the converter (see below)
//	b  bytes, count: inline in parameters, through a pointer in data
//	w d  word(s) / doubleword(s) through a pointer (inline in parameters)
//	g h i  byte(s) / word / doubleword returned in the response parameters
//	O  null pointer: nothing on the wire
//	r L  receive buffer pointer (not sent) and its 16-bit length
//	s T  send buffer pointer (not sent) and its 16-bit length
//	l  send buffer whose first word is its length (not sent in parameters)
//	e  16-bit entry count returned in the response parameters
//	N  16-bit count of auxiliary structures following a data structure
//	P  16-bit parameter number (SetInfo calls)
//	K  unstructured data block: nothing to decode
//
// Every other letter (the internal-only ones such as A, Q, X, c, G, J, U) is
// an error: ErrMalformed, "unknown descriptor letter".
//
// Which letters carry bytes depends on the block: a request's parameters
// hold what the client sends (W D b z L T P F), the response parameters
// what the server returns (e h i g), and the data block the structures.
// Pointers in a data block are 32 bits; the server puts its buffer address
// in the high 16 bits and the offset in the low 16 (converter rule, [MS-RAP]
// §2.5.11 and e.g. §2.5.6.3.2 RemarkOffsetLow; Leach/Naik "Converter"):
// offset = (pointer & 0xFFFF) - converter, where the converter is the
// second word of the response parameters; the offset is into the whole
// data block.
//
// The letters say how many bytes; what a value means comes from the
// function's item table (rap.go), as in Wireshark's packet-smb-pipe.c: each
// value letter takes the next item; when the table runs out, values get the
// generic smb_pipe.* fields, so that any descriptor decodes, known function
// or not.
//
// Where this walker and tshark 4.0 differ on purpose (tshark skips the
// letter without consuming bytes or ignores the count), we follow the
// descriptor: W and D counts in data (W3 is three words), C and P (two and
// four bytes), B in parameters, and an auxiliary data descriptor is used for
// the auxiliary structures (tshark re-uses the data descriptor there). None
// of these occur in NetShareEnum, NetServerEnum2/3, NetServerGetInfo,
// NetWkstaGetInfo or NetRemoteTOD.

// MaxRAPDescriptor bounds the descriptor strings kept for a pending request
// (RAPRequestInfo). The longest in [MS-RAP] (NetServerGetInfo level 3) is
// 52 letters.
const MaxRAPDescriptor = 96

// MaxRAPEntries bounds the structures decoded from one response data block.
const MaxRAPEntries = 4096

// maxRAPCount bounds a descriptor count (B16, b21): a data block is at most
// 65535 bytes.
const maxRAPCount = 0xffff

// rapMode says which block a descriptor is walked over.
type rapMode uint8

const (
	rapModeRequest rapMode = iota // request parameters, after the descriptors
	rapModeReply                  // response parameters, after status and converter
	rapModeData                   // one structure in a data block
)

// rapKind is the kind of value an item table entry expects (Wireshark's
// param_type_t): a word (W, h), a doubleword (D, i), bytes (B, b, g) or a
// string (z). O fills either of the last two.
type rapKind uint8

const (
	rapWord rapKind = iota + 1
	rapDword
	rapBytes
	rapStringz
)

// rapHow says how a value is shown beyond "a field with this value".
type rapHow uint8

const (
	rapPlain      rapHow = iota
	rapPad               // padding: consumed, not shown
	rapNameParent        // fixed-length name, also shown on the entry line
	rapServerType        // browser.server_type and its bits
	rapAbsTime           // FT_ABSOLUTE_TIME, seconds since 1970
	rapRelTime           // FT_RELATIVE_TIME, seconds
	rapLogonArgs         // NetWkstaUserLogon's 54 bytes: user, password, workstation
)

// rapRole says where a value goes in the typed result.
type rapRole uint8

const (
	roleNone rapRole = iota
	// request parameters
	roleLevel
	roleTypeMask
	roleDomain
	roleLastEntry
	roleReqName
	// response parameters
	roleAvailable
	// server_info_0/1
	roleServerName
	roleServerMajor
	roleServerMinor
	roleServerType
	roleServerComment
	// share_info_0/1/2
	roleShareName
	roleShareType
	roleShareComment
	roleSharePerms
	roleShareMaxUses
	roleShareCurUses
	roleSharePath
	// wksta_info_10
	roleWkComputer
	roleWkUser
	roleWkDomain
	roleWkMajor
	roleWkMinor
	roleWkLogonDomain
	roleWkOtherDomains
	// time_of_day_info
	roleTODTime
	roleTODMsecs
	roleTODHour
	roleTODMinute
	roleTODSecond
	roleTODHundredths
	roleTODZone
	roleTODInterval
	roleTODDay
	roleTODMonth
	roleTODYear
	roleTODWeekday
)

// rapItem is one entry of a function's item table: the field a value is
// shown as (0: not shown, Wireshark's no_hf; rapGenericField: the generic
// smb_pipe.* field), the kind of letter it expects, how it is shown and
// where it goes in the typed result.
type rapItem struct {
	f    FieldID
	kind rapKind
	how  rapHow
	role rapRole
}

// rapGenericField marks an item shown with the generic smb_pipe.* field of
// its letter (as if the table had run out) but still typed by its role.
const rapGenericField FieldID = ^FieldID(0)

// rapLetterKnown reports whether c may appear in a descriptor on the wire.
func rapLetterKnown(c byte) bool {
	switch c {
	case 'W', 'D', 'B', 'C', 'F', 'z', 'b', 'w', 'd', 'g', 'h', 'i', 'O',
		'r', 'L', 's', 'T', 'l', 'e', 'N', 'P', 'K':
		return true
	}
	return false
}

// rapCount reads the decimal count after a letter at desc[i:]. It returns
// the count (1 when there are no digits), the index after the digits and
// whether the count is within maxRAPCount.
func rapCount(desc []byte, i int) (count, next int, ok bool) {
	if i >= len(desc) || desc[i] < '0' || desc[i] > '9' {
		return 1, i, true
	}
	n := 0
	for i < len(desc) && desc[i] >= '0' && desc[i] <= '9' {
		n = n*10 + int(desc[i]-'0')
		if n > maxRAPCount {
			return 0, i, false
		}
		i++
	}
	return n, i, true
}

// rapCheckDescriptor validates a descriptor string: known letters, counts
// in range. It returns the index of the first bad byte and a detail, or -1.
func rapCheckDescriptor(desc []byte) (int, string) {
	for i := 0; i < len(desc); {
		c := desc[i]
		if !rapLetterKnown(c) {
			if c >= '0' && c <= '9' {
				return i, "count without a letter"
			}
			return i, "unknown descriptor letter"
		}
		_, next, ok := rapCount(desc, i+1)
		if !ok {
			return i, "descriptor count too large"
		}
		i = next
	}
	return -1, ""
}

// rapCString returns b up to its first NUL (a fixed-length ASCII field as
// Wireshark shows it).
func rapCString(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i:i]
		}
	}
	return b
}

// rapASCIIZ finds the ASCIIZ string at off: the string without its NUL and
// the length including it; ok is false when there is no NUL before the end.
func rapASCIIZ(b []byte, off int) (s []byte, n int, ok bool) {
	if off < 0 || off >= len(b) {
		return nil, 0, false
	}
	for i := off; i < len(b); i++ {
		if b[i] == 0 {
			return b[off:i:i], i - off + 1, true
		}
	}
	return nil, 0, false
}

// Constant values Wireshark shows for pointers that lead nowhere.
var (
	rapPastEndString = []byte("<String goes past end of frame>")
	rapEmpty         = []byte{}
)

// rapWalker walks descriptors over one block. t is nil when only the typed
// result is wanted (Decode) and set when building the tree (AppendTree); the
// typed result is filled only when t is nil, so AppendTree never changes
// the decoded message.
type rapWalker struct {
	t    *Tree
	req  *RAPRequest  // request being decoded, or nil
	resp *RAPResponse // response being decoded, or nil
	buf  []byte       // the block walked
	conv int          // converter, for pointers in a data block
	what string       // "parameter descriptor", "data descriptor", ... for errors
	// entry is the 1-based number of the structure being walked in a data
	// block (0 outside one); entryNode is its tree node index or -1.
	entry     int
	entryNode int
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
		if w.t != nil {
			w.t.Uint(fRAPEntryCount, off, 2, uint64(v))
		}
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
		if w.t != nil {
			w.t.Uint(fRAPAuxCount, off, 2, uint64(v))
		}
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
	if w.t != nil {
		w.t.Expert("[RAP descriptor letter does not match the expected type of "+rapFieldName(it.f, "this item")+"]", off, n).Flags = NodeWarn
	}
}

// word16 reads a structural word (L, T).
func (w *rapWalker) word16(f FieldID, name string, off int) (int, error) {
	if off+2 > len(w.buf) {
		return off, Truncated("rap", name, off, off+2, len(w.buf))
	}
	v := binary.LittleEndian.Uint16(w.buf[off:])
	if w.t != nil {
		w.t.Uint(f, off, 2, uint64(v))
	} else if w.req != nil {
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
			if w.t != nil {
				w.t.Uint(fRAPWordParam, off, 2, uint64(v))
			}
		} else if it.f != 0 && w.t != nil {
			if Field(it.f).Type == FTInt16 {
				w.t.Int(it.f, off, 2, int64(int16(v)))
			} else {
				w.t.Uint(it.f, off, 2, uint64(v))
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
				w.serverType(off, v)
			} else if w.t != nil {
				w.t.Uint(fRAPDwordParam, off, 4, uint64(v))
			}
		case it.how == rapServerType:
			w.serverType(off, v)
		case it.f == 0 || w.t == nil:
		case it.how == rapAbsTime, it.how == rapRelTime:
			w.t.Uint(it.f, off, 4, uint64(v)*1e9)
		default:
			w.t.Uint(it.f, off, 4, uint64(v))
		}
		if ok {
			w.collect(it.role, uint64(v), nil)
		}
		off += 4
	}
	return off, nil
}

// serverType shows a server type bitmap as Wireshark's browser dissector
// does: browser.server_type and one boolean per known bit (Leach/Naik
// browser draft §5; [MS-RAP] §2.5.5.2.1 ServerType).
func (w *rapWalker) serverType(off int, v uint32) {
	if w.t == nil {
		return
	}
	w.t.Open(fRAPServerType, off, 4).U = uint64(v)
	for _, b := range rapServerTypeBits {
		w.t.Bool(b.f, off, 4, v&b.mask != 0)
	}
	w.t.Close()
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
		if w.t != nil {
			if count == 1 {
				w.t.Uint(fRAPByteParam, off, 1, uint64(b[0]))
			} else {
				w.t.Bytes(fRAPBytesParam, off, count, b)
			}
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
			if w.t != nil {
				w.t.Uint(it.f, off, 1, uint64(b[0]))
			}
		case FTString, FTStringz:
			s := rapCString(b)
			if w.t != nil {
				w.t.Bytes(it.f, off, count, s)
				if it.how == rapNameParent && w.entryNode >= 0 {
					w.t.Nodes[w.entryNode].S = s
				}
			}
		default:
			if w.t != nil {
				w.t.Bytes(it.f, off, count, b)
			}
		}
	}
	w.collectBytes(it.role, b)
	return off + count, nil
}

// logonArgs shows NetWkstaUserLogon's 54 bytes of parameters ([MS-RAP]
// NetWkstaUserLogon): user name (21), pad, password (15), pad, workstation (16).
func (w *rapWalker) logonArgs(off, count int) (int, error) {
	if w.t == nil {
		return off + count, nil
	}
	if count != 54 {
		w.t.Expert("[Bogus NetWkstaUserLogon parameters: length should be 54]", off, count).Flags = NodeWarn
		return off + count, nil
	}
	w.t.Bytes(fRAPUserName, off, 21, rapCString(w.buf[off:off+21]))
	w.t.Bytes(fRAPPassword, off+22, 15, rapCString(w.buf[off+22:off+37]))
	w.t.Bytes(fRAPWorkstationName, off+38, 16, rapCString(w.buf[off+38:off+54]))
	return off + count, nil
}

// nullPointer handles O: a pointer that is null, so nothing is sent.
// Wireshark shows it as an empty string "(Null pointer)" unless the item is
// a must-be-null reserved field (no_hf).
func (w *rapWalker) nullPointer(items *[]rapItem, off int) {
	it, ok := rapNextItem(items)
	if !ok || it.f == rapGenericField {
		if w.t != nil {
			w.t.Bytes(fRAPStringParam, off, 0, rapEmpty)
		}
		return
	}
	if it.f != 0 && w.t != nil {
		w.t.Bytes(it.f, off, 0, rapEmpty)
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
	if f != 0 && w.t != nil {
		w.t.Bytes(f, off, n, s)
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
		if w.t != nil && f != 0 {
			w.t.Bytes(f, off, 4, rapPastEndString)
		}
		if raw != 0 {
			w.pointerError(rapFieldName(f, "string"), off, raw, p)
		}
		return off + 4, nil
	}
	if w.t != nil && f != 0 {
		w.t.Bytes(f, p, n, s)
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
		if w.t != nil && f != 0 {
			w.t.Bytes(f, off, 4, rapEmpty)
		}
		if raw != 0 {
			w.pointerError(rapFieldName(f, "bytes"), off, raw, p)
		}
		return off + 4, nil
	}
	if w.t != nil && f != 0 {
		w.t.Bytes(f, p, size, w.buf[p:p+size:p+size])
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
	if w.t != nil {
		w.t.Expert("[Malformed: "+err.Error()+"]", off, 4)
	}
}

// padding reads F: pad bytes.
func (w *rapWalker) padding(count, off int) (int, error) {
	if off+count > len(w.buf) {
		return off, Truncated("rap", w.entryField("padding"), off, off+count, len(w.buf))
	}
	if w.t != nil {
		w.t.Bytes(fRAPPadding, off, count, w.buf[off:off+count:off+count])
	}
	return off + count, nil
}

// rapPrintable replaces non-printable bytes of a descriptor for an error
// message (error path only: allocates).
func rapPrintable(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c < 0x20 || c > 0x7e || c == '"' {
			out = append(out, '\\', 'x', hexdigits[c>>4], hexdigits[c&0xf])
		} else {
			out = append(out, c)
		}
	}
	return out
}

// itoa formats an int for error messages.
func rapItoa(n int) string {
	var b [24]byte
	return string(rapAppendInt(b[:0], n))
}

// appendInt appends the decimal form of n without allocating.
func rapAppendInt(b []byte, n int) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	var d [20]byte
	i := len(d)
	for {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(b, d[i:]...)
}

// hex32 formats v as 8 hex digits (error path).
func rapHex32(v uint32) string {
	var b [8]byte
	return string(rapAppendHex32(b[:0], v))
}

// appendHex32 appends v as 8 lower-case hex digits.
func rapAppendHex32(b []byte, v uint32) []byte {
	for s := 28; s >= 0; s -= 4 {
		b = append(b, hexdigits[(v>>uint(s))&0xf])
	}
	return b
}

// lowerASCII lower-cases a field name for an error message.
func rapLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
