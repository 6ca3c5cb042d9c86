package dissect

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// appendUTF16LE takes ASCII four characters at a time: the same bytes as
// one unit at a time, on strings of every length up to 40 bytes (odd ones
// too) mixing ASCII, NUL, other BMP characters and surrogates, paired or
// not, anywhere.
func TestAppendUTF16LEWords(t *testing.T) {
	units := []uint16{'A', 'z', 0, 0x7f, 0x80, 0xe9, 0x20ac, 0xd83d, 0xde00, 0xdc00, 0xffff}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		n := rng.IntN(41)
		b := make([]byte, n)
		for i := 0; i+1 < n; i += 2 {
			u := uint16('a' + rng.IntN(26))
			if rng.IntN(4) == 0 {
				u = units[rng.IntN(len(units))]
			}
			binary.LittleEndian.PutUint16(b[i:], u)
		}
		if n%2 == 1 {
			b[n-1] = byte(rng.IntN(256))
		}
		if got, want := appendUTF16LE([]byte("x"), b), unitByUnit([]byte("x"), b); !bytes.Equal(got, want) {
			t.Fatalf("% x: %q, want %q", b, got, want)
		}
	}
}

// unitByUnit is appendUTF16LE as it was, one UTF-16 unit at a time.
func unitByUnit(dst, b []byte) []byte {
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

// ascii looks at eight bytes at a time while they are ASCII: the same
// text as byte by byte, on strings of every length up to 40 with bytes
// 0x80-0xFF anywhere.
func TestASCIIWords(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		b := make([]byte, rng.IntN(41))
		for i := range b {
			b[i] = byte('a' + rng.IntN(26))
			if rng.IntN(12) == 0 {
				b[i] = byte(0x80 + rng.IntN(128))
			}
		}
		var want []byte
		for _, c := range b {
			if c >= 0x80 {
				want = utf8.AppendRune(want, utf8.RuneError)
			} else {
				want = append(want, c)
			}
		}
		var s SMB
		if got := s.ascii(b); !bytes.Equal(got, want) {
			t.Fatalf("% x: %q, want %q", b, got, want)
		}
	}
}
