package output

import (
	"io"
	"strconv"
	"strings"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// WriteHex writes the hex and ASCII dump of a frame (-x), as tshark 4.0
// does:
//
//	0000  ff ff ff ff ff ff 52 54 00 4a 04 af 08 00 45 00   ......RT.J....E.
//
// When the tree has extra data sources (reassembled buffers), each dump is
// titled, the frame's first: "Frame (243 bytes):", then
// "Reassembled TCP (36 bytes):". A blank line ends the frame.
func WriteHex(w io.Writer, f *dissect.Frame) error {
	return writePooled(w, f, AppendHex)
}

// AppendHex appends the text of WriteHex.
func AppendHex(dst []byte, f *dissect.Frame) []byte {
	if len(f.Tree.Sources) == 0 {
		dst = AppendHexDump(dst, f.Data)
		return append(dst, '\n')
	}
	dst = append(dst, "Frame ("...)
	dst = strconv.AppendInt(dst, int64(len(f.Data)), 10)
	dst = append(dst, " bytes):\n"...)
	dst = AppendHexDump(dst, f.Data)
	for _, s := range f.Tree.Sources {
		dst = AppendEscapedString(dst, s.Name)
		if !strings.HasSuffix(s.Name, " bytes)") {
			dst = append(dst, " ("...)
			dst = strconv.AppendInt(dst, int64(len(s.Data)), 10)
			dst = append(dst, " bytes)"...)
		}
		dst = append(dst, ":\n"...)
		dst = AppendHexDump(dst, s.Data)
	}
	return append(dst, '\n')
}

// AppendHexDump appends the lines of a hex dump of b: offset (4 hex
// digits, 8 past 64 KiB), two spaces, 16 bytes in hex, three spaces, the
// same bytes as ASCII with '.' for anything outside 0x20-0x7e.
func AppendHexDump(dst, b []byte) []byte {
	digits := 4
	if len(b) > 0xffff {
		digits = 8
	}
	for off := 0; off < len(b); off += 16 {
		end := off + 16
		if end > len(b) {
			end = len(b)
		}
		for i := digits - 1; i >= 0; i-- {
			dst = append(dst, hexDigits[off>>(4*uint(i))&0xf])
		}
		dst = append(dst, ' ', ' ')
		for i := off; i < off+16; i++ {
			if i > off {
				dst = append(dst, ' ')
			}
			if i < end {
				dst = append(dst, hexDigits[b[i]>>4], hexDigits[b[i]&0xf])
			} else {
				dst = append(dst, ' ', ' ')
			}
		}
		dst = append(dst, ' ', ' ', ' ')
		for _, c := range b[off:end] {
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			dst = append(dst, c)
		}
		dst = append(dst, '\n')
	}
	return dst
}
