package dissect

// The NBNS tree and info column, as tshark 4.0 (packet-nbt.c) shows them,
// quirks included: each quirk is noted where it is reproduced.

import (
	"encoding/binary"
	"strconv"
)

// appendItem appends ", " (unless b is empty) and s: tshark's summary of a
// bit field ("Response, Opcode: Name query, Authoritative").
func appendItem(b []byte, s ...string) []byte {
	if len(b) > 0 {
		b = append(b, ", "...)
	}
	for _, x := range s {
		b = append(b, x...)
	}
	return b
}

// ontText is tshark's name of a shifted ONT in a bit-field summary (see
// the Values of nbns.nb_flags.ont).
func ontText(o NBNSONT) string {
	if o == NBNSBNode {
		return "B-node"
	}
	return "Unknown"
}

// nbnsFields is every field AppendTree may add below the protocol node:
// with none of them wanted, it adds that node only (see FieldSet).
var nbnsFields = NewFieldSet("nbns", "nbtsniff")

// AppendTree adds the "nbns" protocol and its fields in tshark 4.0's order,
// offsets relative to the message (the caller sets t.Base). A decode error
// ends the layer with a "[Malformed: ...]" note.
func (n *NBNS) AppendTree(t *Tree) {
	msg := n.Contents
	depth := t.Depth()
	t.Open(fNBNS, 0, len(msg))
	if !t.WantsSet(nbnsFields) {
		t.CloseTo(depth) // -T fields prints none of its fields
		return
	}
	if n.hdrLen >= 2 {
		t.Uint(fNBNSID, 0, 2, uint64(n.ID))
	}
	if n.hdrLen >= 4 {
		treeNBNSFlags(t, 2, n.Flags, false)
	}
	counts := [4]uint16{n.QDCount, n.ANCount, n.NSCount, n.ARCount}
	for k, f := range [4]FieldID{fNBNSQDCount, fNBNSANCount, fNBNSNSCount, fNBNSARCount} {
		if n.hdrLen >= 6+2*k {
			t.Uint(f, 4+2*k, 2, uint64(counts[k]))
		}
	}
	for sec := 0; sec < n.sections; sec++ {
		if counts[sec] == 0 {
			continue
		}
		t.OpenText(nbnsSectionHeadings[sec], n.secStart[sec], n.secEnd[sec]-n.secStart[sec])
		if sec == 0 {
			for k := range n.Questions {
				n.treeQuestion(t, &n.Questions[k])
			}
		} else {
			list := *n.section(sec)
			for k := range list {
				n.treeResource(t, &list[k])
			}
		}
		t.Close()
	}
	if n.Err != nil {
		off := n.ErrOffset
		if off < 0 {
			off = len(msg)
		}
		appendMalformed(t, n.Err, off, 0)
	}
	t.CloseTo(depth)
}

var nbnsSectionHeadings = [4]string{"Queries", "Answers", "Authoritative nameservers", "Additional records"}

// treeNBNSFlags adds the flags word and its bits as tshark does: a request
// shows R, opcode, TC, RD and B; a response adds AA, RA and, except in a
// WACK's RDATA, RCODE.
func treeNBNSFlags(t *Tree, off int, f NBNSFlags, wack bool) {
	fl := t.Open(fNBNSFlags, off, 2)
	fl.U = uint64(f)
	if t.WantsText() { // the summary after the value, for -V
		fl.S = t.Keep(nbnsFlagsSummary(t.Buf(), f, wack))
	}
	t.Bool(fNBNSFlagsResponse, off, 2, f.Response())
	t.Uint(fNBNSFlagsOpcode, off, 2, uint64(f.Opcode()))
	if f.Response() {
		t.Bool(fNBNSFlagsAA, off, 2, f.Has(NBNSFlagAA))
	}
	t.Bool(fNBNSFlagsTC, off, 2, f.Has(NBNSFlagTC))
	t.Bool(fNBNSFlagsRD, off, 2, f.Has(NBNSFlagRD))
	if f.Response() {
		t.Bool(fNBNSFlagsRA, off, 2, f.Has(NBNSFlagRA))
	}
	t.Bool(fNBNSFlagsB, off, 2, f.Has(NBNSFlagB))
	if f.Response() && !wack {
		t.Uint(fNBNSFlagsRCode, off, 2, uint64(f.RCode()))
	}
	t.Close()
}

// nbnsFlagsSummary appends what tshark shows after the flags value: the
// names of the bits set and the values of the fields, of those the
// message shows. Only the -V text reads it.
func nbnsFlagsSummary(b []byte, f NBNSFlags, wack bool) []byte {
	op := f.Opcode().name()
	if op == "" {
		op = "Unknown"
	}
	if f.Response() {
		b = appendItem(b, "Response")
	}
	b = appendItem(b, "Opcode: ", op)
	for _, x := range []struct {
		bit  NBNSFlags
		resp bool
		name string
	}{{NBNSFlagAA, true, "Authoritative"}, {NBNSFlagTC, false, "Truncated"}, {NBNSFlagRD, false, "Recursion desired"},
		{NBNSFlagRA, true, "Recursion available"}, {NBNSFlagB, false, "Broadcast"}} {
		if f.Has(x.bit) && (f.Response() || !x.resp) {
			b = appendItem(b, x.name)
		}
	}
	if f.Response() && !wack {
		rc := f.RCode().name()
		if rc == "" {
			rc = "Unknown"
		}
		b = appendItem(b, "Reply code: ", rc)
	}
	return b
}

// heading opens a record subtree titled "NAME: type NB, class IN". The
// text is built in the tree's scratch space and held in the node's S
// (Label is empty), so that nothing allocates.
func heading(t *Tree, name *Name, typ NBNSType, class uint16, off, length int) {
	if !t.WantsText() {
		t.OpenText("", off, length)
		return
	}
	b := t.Buf()
	b = name.AppendWithScope(b)
	b = append(b, ": type "...)
	b = append(b, typ.wsName()...)
	b = append(b, ", class "...)
	b = append(b, dnsClassName(class)...)
	t.OpenText("", off, length).S = t.Keep(b)
}

// treeName adds nbns.name, plus, for a name that is not a valid first-level
// encoding, a note and the raw label.
func treeName(t *Tree, f FieldID, name *Name, off, length int, meaning bool) {
	if !t.Wants(f) && !t.Wants(fNBNSSuffix) && !t.Wants(fNBNSEncodedName) {
		return // nobody reads it: skip formatting the name
	}
	nt := name.wsNameType()
	if t.Wants(f) {
		b := t.Buf()
		b = name.AppendWithScope(b)
		if meaning {
			b = append(b, " ("...)
			if nt >= 0 {
				b = append(b, NameSuffixMeaning(name.Raw[15], false)...)
			} else {
				b = append(b, "Unknown"...)
			}
			b = append(b, ')')
		}
		t.Bytes(f, off, length, t.Keep(b))
	}
	if nt >= 0 {
		t.Uint(fNBNSSuffix, off, length, uint64(name.Raw[15])).Flags |= NodeGenerated
	}
	if name.Valid() {
		return
	}
	switch {
	case len(name.Encoded) == 0:
		t.Text("[Zero-length name]", off, length).Flags |= NodeWarn
	case name.Long:
		t.Text("[Name longer than 253 characters]", off, length).Flags |= NodeWarn
	case name.BadNibble >= 0:
		t.Text("[Bad half-byte in the first-level encoding]", off, length).Flags |= NodeWarn
	default:
		t.Text("[First label is not 32 bytes long]", off, length).Flags |= NodeWarn
	}
	t.Bytes(fNBNSEncodedName, off, length, name.Encoded).Flags |= NodeGenerated
}

func (n *NBNS) treeQuestion(t *Tree, q *NBNSQuestion) {
	heading(t, &q.Name, q.Type, q.Class, q.Offset, q.NameLen+4)
	treeName(t, fNBNSName, &q.Name, q.Offset, q.NameLen, false)
	t.Uint(fNBNSType, q.Offset+q.NameLen, 2, uint64(q.Type))
	t.Uint(fNBNSClass, q.Offset+q.NameLen+2, 2, uint64(q.Class))
	t.Close()
}

func (n *NBNS) treeResource(t *Tree, r *NBNSResource) {
	msg := n.Contents
	hdr := r.Offset + r.NameLen
	heading(t, &r.Name, r.Type, r.Class, r.Offset, r.NameLen+10+int(r.RDLength))
	// tshark shows the meaning of the suffix in the value of an NB
	// record's name only, and the name without its length byte.
	// A name that is only a compression pointer (RFC 1002 §4.1, RFC 1035
	// §4.1.4: two bytes 11xxxxxx xxxxxxxx) sits at its two bytes; tshark
	// 4.0 says [off+1:1] there (election.pcapng frame 1's additional
	// record: pos 93 size 1 for the pointer c0 0c at 92), which points at
	// half of it.
	nameOff, nameLen := r.Offset+1, r.NameLen-1
	if r.NameLen == 2 && r.Offset < len(msg) && msg[r.Offset]&0xc0 == 0xc0 {
		nameOff, nameLen = r.Offset, 2
	}
	treeName(t, fNBNSName, &r.Name, nameOff, nameLen, r.Type == NBNSTypeNB)
	t.Uint(fNBNSType, hdr, 2, uint64(r.Type))
	t.Uint(fNBNSClass, hdr+2, 2, uint64(r.Class))
	t.Uint(fNBNSTTL, hdr+4, 4, uint64(r.TTL))
	t.Uint(fNBNSDataLength, hdr+8, 2, uint64(r.RDLength))
	switch {
	case r.Type == NBNSTypeNB && n.Flags.Opcode() == NBNSWACK:
		for k, f := range r.WACK {
			treeNBNSFlags(t, r.RDataOffset+2*k, f, true)
		}
		treeIncomplete(t, r)
	case r.Type == NBNSTypeNB:
		for k := range r.NB {
			e := &r.NB[k]
			fl := t.Open(fNBNSNBFlags, e.Offset, 2)
			fl.U = uint64(e.Flags)
			if t.WantsText() { // the summary after the value, for -V
				b := t.Buf()
				if e.Flags.Group() {
					b = appendItem(b, "Name type")
				}
				b = appendItem(b, "ONT: ", ontText(e.Flags.ONT()), " (", e.Flags.ONT().String())
				if e.Flags.Group() {
					b = append(b, ", group)"...)
				} else {
					b = append(b, ", unique)"...)
				}
				fl.S = t.Keep(b)
			}
			t.Bool(fNBNSNBFlagsGroup, e.Offset, 2, e.Flags.Group())
			t.Uint(fNBNSNBFlagsONT, e.Offset, 2, uint64(e.Flags.ONT()))
			t.Close()
			if !e.NoAddr {
				t.IPv4(fNBNSAddr, e.Offset+2, e.Addr)
			}
		}
		treeIncomplete(t, r)
	case r.Type == NBNSTypeNBSTAT:
		n.treeNBSTAT(t, r)
	default:
		if len(r.RData) == int(r.RDLength) {
			t.Bytes(fNBNSData, r.RDataOffset, len(r.RData), r.RData)
			switch {
			case r.Type == NBNSTypeA && len(r.RData) >= 4:
				t.IPv4(fNBNSNSDIPAddr, r.RDataOffset, r.Addr).Flags |= NodeGenerated
			case r.Type == NBNSTypeNS && r.NSDNameOffset >= 0:
				b, _ := walkDomainName(t.Buf(), msg, r.NSDNameOffset)
				t.Bytes(fNBNSNSDName, r.RDataOffset, len(r.RData), t.Keep(b)).Flags |= NodeGenerated
			}
		}
	}
	t.Close()
}

// treeIncomplete adds tshark's "incomplete entry" expert item.
func treeIncomplete(t *Tree, r *NBNSResource) {
	if r.Incomplete {
		t.add(fNBNSIncomplete, r.IncompleteOffset, r.IncompleteLen).Flags |= NodeWarn
	}
}

// treeNBSTAT walks a node status RDATA exactly as tshark 4.0 does, so that
// the same fields come out, including two of its quirks: the count of bytes
// left is not decreased for NUM_NAMES (so one byte past RDATA may be read),
// and the statistics block is its 42-byte one (see NBNSStatistics). It stops
// where tshark would throw: at the end of the message.
func (n *NBNS) treeNBSTAT(t *Tree, r *NBNSResource) {
	msg := n.Contents
	cur := r.RDataOffset
	left := int(r.RDLength)
	incomplete := func() { t.add(fNBNSIncomplete, cur, left).Flags |= NodeWarn }
	if left < 1 {
		incomplete()
		return
	}
	if cur >= len(msg) {
		return
	}
	num := int(msg[cur])
	t.Uint(fNBNSNumberOfNames, cur, 1, uint64(num))
	cur++
	for ; num > 0; num-- {
		if left < 16 {
			incomplete()
			return
		}
		if cur+16 > len(msg) {
			return
		}
		var raw [16]byte
		copy(raw[:], msg[cur:])
		// tshark gives process_netbios_name a buffer as long as the
		// record's name is on the wire (34 bytes for a full name).
		t.Bytes(fNBNSNetBIOSName, cur, 16, t.Keep(appendNetBIOSChars(t.Buf(), &raw, r.NameLen)))
		t.Uint(fNBNSSuffix, cur+15, 1, uint64(raw[15])).Flags |= NodeGenerated
		cur += 16
		left -= 16
		if left < 2 {
			incomplete()
			return
		}
		if cur+2 > len(msg) {
			return
		}
		f := NBNSNameFlags(binary.BigEndian.Uint16(msg[cur:]))
		fl := t.Open(fNBNSNameFlags, cur, 2)
		fl.U = uint64(f)
		if t.WantsText() { // the summary after the value, for -V
			b := t.Buf()
			if f.Group() {
				b = appendItem(b, "Name type")
			}
			b = appendItem(b, "ONT: ", ontText(f.ONT()))
			for _, x := range []struct {
				bit  NBNSNameFlags
				name string
			}{{NBNSNameDRG, "Name is being deregistered"}, {NBNSNameCNF, "Name is in conflict"}, {NBNSNameACT, "Name is active"}, {NBNSNamePRM, "Permanent node name"}} {
				if f.Has(x.bit) {
					b = appendItem(b, x.name)
				}
			}
			fl.S = t.Keep(b)
		}
		t.Bool(fNBNSNameFlagsGroup, cur, 2, f.Group())
		t.Uint(fNBNSNameFlagsONT, cur, 2, uint64(f.ONT()))
		t.Bool(fNBNSNameFlagsDRG, cur, 2, f.Has(NBNSNameDRG))
		t.Bool(fNBNSNameFlagsCNF, cur, 2, f.Has(NBNSNameCNF))
		t.Bool(fNBNSNameFlagsACT, cur, 2, f.Has(NBNSNameACT))
		t.Bool(fNBNSNameFlagsPRM, cur, 2, f.Has(NBNSNamePRM))
		t.Close()
		cur += 2
		left -= 2
	}
	for _, sf := range nbnsStatFields {
		if left < sf.size {
			incomplete()
			return
		}
		if cur+sf.size > len(msg) {
			return
		}
		switch sf.size {
		case 6:
			t.Bytes(sf.id, cur, 6, msg[cur:cur+6])
		case 1:
			t.Uint(sf.id, cur, 1, uint64(msg[cur]))
		case 2:
			t.Uint(sf.id, cur, 2, uint64(binary.BigEndian.Uint16(msg[cur:])))
		case 4:
			t.Uint(sf.id, cur, 4, uint64(binary.BigEndian.Uint32(msg[cur:])))
		}
		cur += sf.size
		left -= sf.size
	}
}

// wsNameType is the name type tshark uses for the suffix meaning: the 16th
// byte, or -1 when tshark shows the name as illegal.
func (n *Name) wsNameType() int {
	if n.Valid() {
		return int(n.Raw[15]) // appendDisplay's fast path: never illegal
	}
	var buf [128]byte
	b := n.appendDisplay(buf[:0], false)
	if len(b) >= len(illegalNameLen1) && string(b[:len(illegalNameLen1)]) == illegalNameLen1 {
		return -1
	}
	return int(n.Raw[15])
}

// AppendInfo appends tshark's info column: "Name query NB WORKGROUP<1d>",
// "Name query response NB 10.0.1.6", "Registration response, Name is owned
// by another node NB 192.168.1.7", "Name query response NBSTAT". A request
// lists its questions, a response its answers; an NB answer shows the
// address of its first entry (tshark reads it even past RDLENGTH, and
// stops the column where the message ends). Wire bytes are appended raw.
func (n *NBNS) AppendInfo(b []byte) []byte {
	if n.hdrLen < 4 {
		return b
	}
	op := n.Flags.Opcode()
	if s := op.name(); s != "" {
		b = append(b, s...)
	} else {
		b = append(b, "Unknown operation ("...)
		b = strconv.AppendUint(b, uint64(op), 10)
		b = append(b, ')')
	}
	resp := n.Flags.Response()
	if resp {
		b = append(b, " response"...)
		if rc := n.Flags.RCode(); rc != 0 {
			b = append(b, ", "...)
			b = append(b, rc.String()...)
		}
	}
	if !resp {
		for k := range n.Questions {
			q := &n.Questions[k]
			b = append(b, ' ')
			b = append(b, q.Type.wsName()...)
			b = append(b, ' ')
			b = q.Name.AppendWithScope(b)
		}
		return b
	}
	msg := n.Contents
	for k := range n.Answers {
		r := &n.Answers[k]
		switch r.Type {
		case NBNSTypeNB:
			if op == NBNSWACK {
				continue
			}
			a := r.RDataOffset + 2
			if a+4 > len(msg) {
				return b // tshark throws here: the column ends
			}
			b = append(b, " NB "...)
			b = appendIPv4(b, msg[a:a+4])
		default:
			b = append(b, ' ')
			b = append(b, r.Type.wsName()...)
		}
	}
	return b
}

func appendIPv4(b []byte, a []byte) []byte {
	for k := 0; k < 4; k++ {
		if k > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(a[k]), 10)
	}
	return b
}
