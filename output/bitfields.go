package output

import (
	_ "embed"
	"math/bits"
	"strconv"
	"strings"
	"sync"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Bit fields in the -V tree, as tshark writes them: the field's bits in
// the word that holds it, the other bits as dots, four to a group,
//
//	.... ..1. = Standby: Standby Browse Server
//	.010 1... .... .... = Opcode: Registration (5)
//
// The masks are tshark's (fieldmasks.tsv, from tshark -G fields), for the
// fields of the reference list; a field with no mask there is written
// without the pattern.

//go:embed fieldmasks.tsv
var fieldMasksTSV string

var fieldMasks = sync.OnceValue(func() map[string]uint64 {
	m := map[string]uint64{}
	for _, l := range strings.Split(fieldMasksTSV, "\n") {
		name, mask, ok := strings.Cut(l, "\t")
		if !ok || strings.HasPrefix(l, "#") {
			continue
		}
		v, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(mask), "0x"), 16, 64)
		if err == nil && v != 0 {
			m[name] = v
		}
	}
	return m
})

// bitWidth is the width of the word a masked field sits in: the boolean's
// declared width, else its integer type's.
func bitWidth(fi *dissect.FieldInfo) int {
	switch fi.Type {
	case dissect.FTBoolean:
		return fi.Bits
	case dissect.FTUint8, dissect.FTInt8:
		return 8
	case dissect.FTUint16, dissect.FTInt16:
		return 16
	case dissect.FTUint24:
		return 24
	case dissect.FTUint32, dissect.FTInt32:
		return 32
	}
	return 0
}

// appendBitPattern appends "..1. .... = " for a masked field of node n,
// or nothing when the field has no mask.
func appendBitPattern(dst []byte, fi *dissect.FieldInfo, n *dissect.Node) []byte {
	mask, ok := fieldMasks()[fi.Abbrev]
	w := bitWidth(fi)
	if !ok || w == 0 || mask>>uint(w) != 0 {
		return dst
	}
	var v uint64
	switch {
	case fi.Type == dissect.FTBoolean:
		if n.U != 0 {
			v = mask
		}
	case n.U&^(mask>>uint(bits.TrailingZeros64(mask))) != 0:
		v = n.U & mask // the decoder kept the word's bits in place
	default:
		v = n.U << uint(bits.TrailingZeros64(mask)) & mask
	}
	for i := w - 1; i >= 0; i-- {
		b := uint64(1) << uint(i)
		switch {
		case mask&b == 0:
			dst = append(dst, '.')
		case v&b != 0:
			dst = append(dst, '1')
		default:
			dst = append(dst, '0')
		}
		if i > 0 && i%4 == 0 {
			dst = append(dst, ' ')
		}
	}
	return append(dst, " = "...)
}
