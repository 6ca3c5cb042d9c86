package dissect

import (
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// Helpers of the NetBEUI and IPX layer tests (llc, netbios, ipx, nbipx).

// legacyValues renders every node of a field the way tshark -T fields
// prints it, occurrences joined by ",": like nbtFieldValues, with the
// one-byte hex of NodeByte and Ethernet addresses.
func legacyValues(tb testing.TB, tr *Tree, abbrev string) string {
	tb.Helper()
	id, ok := LookupField(abbrev)
	if !ok {
		tb.Fatalf("field %s is not registered", abbrev)
	}
	var out []string
	tr.Each(id, func(n *Node) {
		fi := Field(n.Field)
		switch {
		case fi.Type == FTBoolean:
			out = append(out, map[bool]string{true: "1", false: "0"}[n.U != 0])
		case fi.Type == FTNone:
			out = append(out, "1")
		case fi.Type.IsInteger() && fi.Base == BaseHex:
			width := map[FieldType]int{FTUint8: 2, FTUint16: 4, FTUint24: 6, FTUint32: 8}[fi.Type]
			if n.Flags&NodeByte != 0 {
				width = 2
			}
			s := strconv.FormatUint(n.U, 16)
			for len(s) < width {
				s = "0" + s
			}
			out = append(out, "0x"+s)
		case fi.Type.IsInteger():
			out = append(out, strconv.FormatUint(n.U, 10))
		case fi.Type == FTEther:
			var p []string
			for _, c := range n.S {
				p = append(p, hex.EncodeToString([]byte{c}))
			}
			out = append(out, strings.Join(p, ":"))
		case fi.Type == FTBytes:
			out = append(out, hex.EncodeToString(n.S))
		default:
			out = append(out, string(n.S))
		}
	})
	return strings.Join(out, ",")
}

// legacyCheck compares every field of the protocols in tshark's list with
// want (a missing key: tshark shows no such field).
func legacyCheck(t *testing.T, tr *Tree, want map[string]string, protos ...string) {
	t.Helper()
	known := map[string]bool{}
	for _, p := range protos {
		for _, abbrev := range WiresharkAbbrevs(p) {
			known[abbrev] = true
			if got := legacyValues(t, tr, abbrev); got != want[abbrev] {
				t.Errorf("%s = %q, tshark shows %q", abbrev, got, want[abbrev])
			}
		}
	}
	for k := range want {
		if !known[k] {
			t.Errorf("want has %s, not a field of %v", k, protos)
		}
	}
}

// legacyDecodeError checks an error returned by a decoder: the sentinel,
// the protocol and the field named.
func legacyDecodeError(t *testing.T, err, sentinel error, proto, field string) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("error %v, want %v", err, sentinel)
	}
	var de *DecodeError
	if !errors.As(err, &de) || de.Proto != proto || de.Field != field {
		t.Errorf("error %#v, want %s field %q", err, proto, field)
	}
	if !strings.HasPrefix(err.Error(), proto+": ") {
		t.Errorf("message %q does not start with the protocol", err.Error())
	}
}

// legacyMalformedNote reports whether the tree ends with the decoder's
// malformed note and is back at depth 0.
func legacyMalformedNote(t *testing.T, tr *Tree, err error) {
	t.Helper()
	if len(tr.Nodes) == 0 {
		t.Fatal("no node")
	}
	last := tr.Nodes[len(tr.Nodes)-1]
	if last.Flags&NodeError == 0 || last.Label != "[Malformed: "+err.Error()+"]" {
		t.Errorf("last node %+v, want the malformed note", last)
	}
	if tr.Depth() != 0 {
		t.Errorf("tree left at depth %d", tr.Depth())
	}
}
