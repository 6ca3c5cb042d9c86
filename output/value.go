package output

import (
	"math"
	"strconv"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// absTimeLayout is how tshark 4.0 prints an FT_ABSOLUTE_TIME in -T fields
// and -V: local time, nanoseconds, the zone's abbreviation
// ("Jun  6, 2020 06:36:40.128128000 UTC").
const absTimeLayout = "Jan _2, 2006 15:04:05.000000000 MST"

// hexWidth is the number of hex digits tshark prints for a BASE_HEX field of
// the given type: two per byte of the type, whatever the field's bitmask.
func hexWidth(t dissect.FieldType) int {
	switch t {
	case dissect.FTUint8, dissect.FTInt8:
		return 2
	case dissect.FTUint16, dissect.FTInt16:
		return 4
	case dissect.FTUint24:
		return 6
	case dissect.FTUint32, dissect.FTInt32, dissect.FTFrameNum:
		return 8
	}
	return 16
}

// typeMask keeps the bits of a signed value that belong to the type, for
// printing it in hex.
func typeMask(t dissect.FieldType) uint64 {
	switch hexWidth(t) {
	case 2:
		return 0xff
	case 4:
		return 0xffff
	case 6:
		return 0xffffff
	case 8:
		return 0xffffffff
	}
	return math.MaxUint64
}

// AppendValue appends the value of n exactly as tshark 4.0 prints it with
// -T fields -e FIELD (one occurrence):
//
//	FT_UINT*/FT_INT*   BASE_DEC, BASE_DEC_HEX, BASE_OCT (sic) and BASE_NONE
//	                   print decimal; BASE_HEX and BASE_HEX_DEC print 0x and
//	                   two lower-case hex digits per byte of the type
//	                   (FT_UINT8 0x01, FT_UINT16 0x0110, FT_UINT24 0x000001,
//	                   FT_UINT32 0x00000001), whatever the bitmask
//	FT_FRAMENUM        decimal
//	FT_BOOLEAN         1 or 0
//	FT_IPv4            dotted quad
//	FT_ETHER           aa:bb:cc:dd:ee:ff
//	FT_BYTES           hex pairs, no separator (0000000000000000)
//	FT_STRING(Z)       the text, through AppendEscaped (tshark escapes only
//	                   \t \n \r; nbtsniff also escapes other controls)
//	FT_ABSOLUTE_TIME   "Jun  6, 2020 06:36:40.128128000 UTC", local time
//	FT_RELATIVE_TIME   seconds with 9 decimals (0.109504000)
//	FT_DOUBLE          shortest %g form
//	FT_NONE            1 (tshark prints 1 so presence can be tested)
//	FT_PROTOCOL        Node.S if set (tshark prints the protocol's summary
//	                   line for frame, eth, ip, udp, tcp), else the
//	                   abbreviation (nbns, nbdgm, smb, mailslot, browser)
//
// It appends into dst and does not allocate when dst has room.
func AppendValue(dst []byte, n *dissect.Node) []byte {
	fi := dissect.Field(n.Field)
	switch fi.Type {
	case dissect.FTNone:
		return append(dst, '1')
	case dissect.FTProtocol:
		if len(n.S) > 0 {
			return AppendEscaped(dst, n.S)
		}
		return append(dst, fi.Abbrev...)
	case dissect.FTBoolean:
		if n.U != 0 {
			return append(dst, '1')
		}
		return append(dst, '0')
	case dissect.FTUint8, dissect.FTUint16, dissect.FTUint24, dissect.FTUint32, dissect.FTUint64:
		if fi.Base == dissect.BaseHex || fi.Base == dissect.BaseHexDec {
			if n.Flags&dissect.NodeByte != 0 {
				return appendHexN(dst, n.U, 2)
			}
			return appendHexN(dst, n.U, hexWidth(fi.Type))
		}
		return strconv.AppendUint(dst, n.U, 10)
	case dissect.FTInt8, dissect.FTInt16, dissect.FTInt32, dissect.FTInt64:
		if fi.Base == dissect.BaseHex || fi.Base == dissect.BaseHexDec {
			return appendHexN(dst, n.U&typeMask(fi.Type), hexWidth(fi.Type))
		}
		return strconv.AppendInt(dst, int64(n.U), 10)
	case dissect.FTFrameNum:
		return strconv.AppendUint(dst, n.U, 10)
	case dissect.FTString, dissect.FTStringz:
		return AppendEscaped(dst, n.S)
	case dissect.FTBytes:
		if len(n.S) == 0 {
			// tshark 4.0 prints a zero-length byte field so
			// (nbns.data of an empty NULL record, dmb.pcapng frame 45).
			return append(dst, "<MISSING>"...)
		}
		return appendHexBytes(dst, n.S)
	case dissect.FTIPv4:
		return appendIPv4(dst, uint32(n.U))
	case dissect.FTEther:
		return appendEther(dst, n)
	case dissect.FTAbsTime:
		return appendAbsTime(dst, n.U)
	case dissect.FTRelTime:
		return appendRelTime(dst, int64(n.U))
	case dissect.FTDouble:
		return strconv.AppendFloat(dst, math.Float64frombits(n.U), 'g', -1, 64)
	}
	if len(n.S) > 0 {
		return AppendEscaped(dst, n.S)
	}
	return strconv.AppendUint(dst, n.U, 10)
}

// appendHexN appends 0x and v in at least width lower-case hex digits.
func appendHexN(dst []byte, v uint64, width int) []byte {
	dst = append(dst, '0', 'x')
	digits := 1
	for x := v >> 4; x != 0; x >>= 4 {
		digits++
	}
	for i := digits; i < width; i++ {
		dst = append(dst, '0')
	}
	for i := digits - 1; i >= 0; i-- {
		dst = append(dst, hexDigits[v>>(4*uint(i))&0xf])
	}
	return dst
}

func appendHexBytes(dst, b []byte) []byte {
	for _, c := range b {
		dst = append(dst, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return dst
}

func appendIPv4(dst []byte, a uint32) []byte {
	dst = appendOctet(dst, byte(a>>24))
	dst = append(dst, '.')
	dst = appendOctet(dst, byte(a>>16))
	dst = append(dst, '.')
	dst = appendOctet(dst, byte(a>>8))
	dst = append(dst, '.')
	return appendOctet(dst, byte(a))
}

// appendOctet appends v in decimal (strconv.AppendUint's digits, without
// its copy call).
func appendOctet(dst []byte, v byte) []byte {
	switch {
	case v < 10:
		return append(dst, '0'+v)
	case v < 100:
		return append(dst, '0'+v/10, '0'+v%10)
	}
	return append(dst, '0'+v/100, '0'+v/10%10, '0'+v%10)
}

// appendEther prints a MAC address from Node.S (6 bytes) or, when S is not
// 6 bytes, from the low 48 bits of Node.U.
func appendEther(dst []byte, n *dissect.Node) []byte {
	var m [6]byte
	if len(n.S) == 6 {
		copy(m[:], n.S)
	} else {
		for i := 0; i < 6; i++ {
			m[i] = byte(n.U >> (8 * uint(5-i)))
		}
	}
	return appendMAC(dst, m[:])
}

func appendMAC(dst, m []byte) []byte {
	for i, c := range m {
		if i > 0 {
			dst = append(dst, ':')
		}
		dst = append(dst, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return dst
}

// appendAbsTime prints Unix nanoseconds the way tshark prints an
// FT_ABSOLUTE_TIME: in the local time zone.
func appendAbsTime(dst []byte, ns uint64) []byte {
	return time.Unix(0, int64(ns)).In(time.Local).AppendFormat(dst, absTimeLayout)
}

// appendRelTime prints nanoseconds as seconds with 9 decimals (tshark's
// FT_RELATIVE_TIME: "0.109504000", "-1.500000000", "1591425400.128128000").
func appendRelTime(dst []byte, ns int64) []byte {
	u := uint64(ns)
	if ns < 0 {
		dst = append(dst, '-')
		u = uint64(-ns)
	}
	dst = strconv.AppendUint(dst, u/1e9, 10)
	return appendFrac(dst, u%1e9, 9)
}

// appendFrac appends '.' and the top digits of a nanosecond fraction.
func appendFrac(dst []byte, frac uint64, digits int) []byte {
	dst = append(dst, '.')
	var buf [9]byte
	for i := 8; i >= 0; i-- {
		buf[i] = byte('0' + frac%10)
		frac /= 10
	}
	return append(dst, buf[:digits]...)
}

// AppendDisplay appends the value of n for a human, as the -V tree shows it:
// a named integer as "Name query (0)" or "Host Announcement (0x01)",
// BASE_DEC_HEX as "17 (0x11)", booleans as True/False (or their Values
// name), strings escaped, times with their unit, and, for a non-string field
// whose Node.S is set, ", " and that text (a decoder's summary of a bit
// field: "0x0110, Name query, Recursion desired").
func AppendDisplay(dst []byte, n *dissect.Node) []byte {
	fi := dissect.Field(n.Field)
	switch fi.Type {
	case dissect.FTNone, dissect.FTProtocol:
		return AppendEscaped(dst, n.S)
	case dissect.FTString, dissect.FTStringz:
		return AppendEscaped(dst, n.S)
	case dissect.FTBytes:
		const max = 48
		if len(n.S) > max {
			dst = appendHexBytes(dst, n.S[:max])
			return append(dst, "…"...)
		}
		return appendHexBytes(dst, n.S)
	case dissect.FTBoolean:
		if fi.Values != nil {
			dst = append(dst, fi.Values(n.U)...)
		} else if n.U != 0 {
			dst = append(dst, "True"...)
		} else {
			dst = append(dst, "False"...)
		}
	case dissect.FTAbsTime:
		dst = appendAbsTime(dst, n.U)
	case dissect.FTRelTime:
		dst = appendRelTime(dst, int64(n.U))
		dst = append(dst, " seconds"...)
	case dissect.FTUint8, dissect.FTUint16, dissect.FTUint24, dissect.FTUint32, dissect.FTUint64,
		dissect.FTInt8, dissect.FTInt16, dissect.FTInt32, dissect.FTInt64, dissect.FTFrameNum:
		if fi.Values != nil {
			dst = append(dst, fi.Values(n.U)...)
			dst = append(dst, " ("...)
			dst = appendNumber(dst, fi, n.U, true)
			dst = append(dst, ')')
		} else {
			dst = appendNumber(dst, fi, n.U, false)
			dst, _ = appendDuration(dst, fi.Abbrev, n.U)
		}
	default:
		dst = AppendValue(dst, n)
	}
	if len(n.S) > 0 && fi.Type != dissect.FTEther {
		dst = append(dst, ", "...)
		dst = AppendEscaped(dst, n.S)
	}
	return dst
}

// appendNumber prints an integer in its field's base. short drops the
// second form of BASE_DEC_HEX and BASE_HEX_DEC (inside parentheses).
func appendNumber(dst []byte, fi *dissect.FieldInfo, v uint64, short bool) []byte {
	signed := fi.Type.IsSigned()
	dec := func(dst []byte) []byte {
		if signed {
			return strconv.AppendInt(dst, int64(v), 10)
		}
		return strconv.AppendUint(dst, v, 10)
	}
	hex := func(dst []byte) []byte {
		x := v
		if signed {
			x &= typeMask(fi.Type)
		}
		return appendHexN(dst, x, hexWidth(fi.Type))
	}
	switch fi.Base {
	case dissect.BaseHex:
		return hex(dst)
	case dissect.BaseDecHex:
		dst = dec(dst)
		if !short {
			dst = append(dst, " ("...)
			dst = hex(dst)
			dst = append(dst, ')')
		}
		return dst
	case dissect.BaseHexDec:
		dst = hex(dst)
		if !short {
			dst = append(dst, " ("...)
			dst = dec(dst)
			dst = append(dst, ')')
		}
		return dst
	case dissect.BaseOct:
		dst = append(dst, '0')
		return strconv.AppendUint(dst, v, 8)
	}
	return dec(dst)
}
