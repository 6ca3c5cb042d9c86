package dissect

// Strings of the SMB1 byte block ([MS-CIFS] §2.2.1.1): OEM (read as ASCII,
// as tshark does) or UTF-16LE after a pad byte that aligns them to an even
// offset from the header start, when Flags2 has SMB_FLAGS2_UNICODE.

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"
)

// SMBString is a string from an SMB byte block ([MS-CIFS] §2.2.1.1).
type SMBString struct {
	// Present is false when the byte block ended before the string.
	Present bool
	// Off and Len locate the string on the wire (from the header start),
	// terminator included, Unicode alignment pad excluded.
	Off, Len int
	// Text is the string without its terminator as UTF-8: it aliases the
	// message for plain ASCII, else the decoder's scratch space. Either
	// way it is valid until the next DecodeFromBytes. Wire bytes are kept
	// as they are (control characters included): printers escape them.
	Text []byte
}

// readString reads an SMB_STRING at off inside the byte block that ends at
// end ([MS-CIFS] §2.2.1.1). A Unicode string is first aligned to an even
// offset from the header start unless noPad. It returns the offset after
// the string; ok is false when no byte was left for it (tshark then shows
// nothing more of the command).
func (s *SMB) readString(off, end int, unicode, noPad bool, out *SMBString) (next int, ok bool) {
	return s.readStringText(off, end, unicode, noPad, true, out)
}

// readLabel is readString for a string that only the protocol tree and the
// info column show: without them (SkipText) its Text is left nil, the
// rest (Present, Off, Len and the offset after it) the same.
func (s *SMB) readLabel(off, end int, unicode, noPad bool, out *SMBString) (next int, ok bool) {
	return s.readStringText(off, end, unicode, noPad, !s.skipText, out)
}

func (s *SMB) readStringText(off, end int, unicode, noPad, text bool, out *SMBString) (next int, ok bool) {
	*out = SMBString{}
	if off >= end {
		return off, false
	}
	d := s.Contents[:end]
	if unicode {
		if !noPad && off%2 == 1 {
			off++
			if off >= end {
				return off, false
			}
		}
		n := end - off
		textEnd := off + n
		if i := indexUTF16Zero(d[off:]); i >= 0 {
			n = i + 2
			textEnd = off + i
		}
		out.Present, out.Off, out.Len = true, off, n
		if text {
			out.Text = s.appendUTF16(d[off:textEnd])
		}
		return off + n, true
	}
	n := end - off
	textEnd := end
	if i := bytes.IndexByte(d[off:], 0); i >= 0 {
		n = i + 1
		textEnd = off + i
	}
	out.Present, out.Off, out.Len = true, off, n
	if text {
		out.Text = s.ascii(d[off:textEnd])
	}
	return off + n, true
}

// readStrings reads up to four strings in a row (in the message's string
// encoding), stopping at the first the byte block has no room for. A nil
// pointer ends the list. It returns the offset after the last one read.
func (s *SMB) readStrings(off, end int, a, b, c, d *SMBString) int {
	uni := s.Unicode()
	for _, p := range [...]*SMBString{a, b, c, d} {
		if p == nil {
			break
		}
		var ok bool
		if off, ok = s.readLabel(off, end, uni, false, p); !ok {
			break
		}
	}
	return off
}

// indexUTF16Zero returns the offset of the first zero UTF-16 unit of b
// (two zero bytes at an even offset), or -1; an odd last byte is not a
// unit. It looks at four units at a time while none is zero
// (TestIndexUTF16Zero holds it to a unit at a time).
func indexUTF16Zero(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		// Not zero exactly when one of the four units is zero (a lane
		// above a zero one may show too: the loop below finds the first).
		if (w-0x0001000100010001)&^w&0x8000800080008000 != 0 {
			break
		}
	}
	for ; i+1 < len(b); i += 2 {
		if b[i] == 0 && b[i+1] == 0 {
			return i
		}
	}
	return -1
}

// ascii returns b as tshark reads an ASCII string: bytes 0x80-0xFF become
// U+FFFD. Plain ASCII is returned as is (aliasing the message).
func (s *SMB) ascii(b []byte) []byte {
	k := 0 // eight bytes at a time while plain ASCII
	for k+8 <= len(b) && binary.LittleEndian.Uint64(b[k:])&0x8080808080808080 == 0 {
		k += 8
	}
	for j, c := range b[k:] {
		i := k + j
		if c >= 0x80 {
			start := len(s.strBuf)
			s.strBuf = append(s.strBuf, b[:i]...)
			for _, c := range b[i:] {
				if c >= 0x80 {
					s.strBuf = utf8.AppendRune(s.strBuf, utf8.RuneError)
				} else {
					s.strBuf = append(s.strBuf, c)
				}
			}
			return s.strBuf[start:len(s.strBuf):len(s.strBuf)]
		}
	}
	return b
}

// appendUTF16 decodes UTF-16LE (an odd last byte is ignored) into the
// scratch space. A lone surrogate becomes '?', as tshark 4.0 shows it.
func (s *SMB) appendUTF16(b []byte) []byte {
	start := len(s.strBuf)
	s.strBuf = appendUTF16LE(s.strBuf, b)
	return s.strBuf[start:len(s.strBuf):len(s.strBuf)]
}

// appendUTF16LE appends UTF-16LE b (an odd last byte is ignored) as
// UTF-8: a run of ASCII first, four characters at a time, then the rest
// one unit at a time (appendUTF16Units).
func appendUTF16LE(dst, b []byte) []byte {
	i := 0
	// Four ASCII characters at a time while they are (most names, paths
	// and pipe names are): each is its low byte.
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		if w&0xff80ff80ff80ff80 != 0 {
			break
		}
		dst = append(dst, byte(w), byte(w>>16), byte(w>>32), byte(w>>48))
	}
	return appendUTF16Units(dst, b[i:])
}

// appendUTF16Units appends UTF-16LE b as UTF-8 one unit at a time: a
// surrogate pair is one character, a lone surrogate '?'.
func appendUTF16Units(dst, b []byte) []byte {
	for i := 0; i+1 < len(b); i += 2 {
		r := rune(binary.LittleEndian.Uint16(b[i:]))
		switch {
		case r >= 0xd800 && r < 0xdc00:
			if i+3 < len(b) {
				r2 := rune(binary.LittleEndian.Uint16(b[i+2:]))
				if r2 >= 0xdc00 && r2 < 0xe000 {
					dst = utf8.AppendRune(dst, 0x10000+(r-0xd800)<<10+(r2-0xdc00))
					i += 2
					continue
				}
			}
			dst = append(dst, '?')
		case r >= 0xdc00 && r < 0xe000:
			dst = append(dst, '?')
		case r < 0x80:
			dst = append(dst, byte(r))
		default:
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}

// take returns n bytes at off of the byte block, or what is left of it;
// ok is false if the block holds fewer than n bytes.
func take(d []byte, off, end, n int) ([]byte, bool) {
	if n <= end-off {
		return d[off : off+n], true
	}
	if off > end {
		off = end
	}
	return d[off:end], false
}

// str adds a string field if the string was present.
func str(t *Tree, f FieldID, v *SMBString) {
	if v.Present {
		t.Bytes(f, v.Off, v.Len, v.Text)
	}
}
