package dissect

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// appendUTF16LE takes ASCII four characters at a time: the same bytes as
// one unit at a time (appendUTF16Units on the whole string), on strings
// of every length up to 40 bytes (odd ones too) mixing ASCII, NUL, other
// BMP characters and surrogates, paired or not, anywhere.
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
		if got, want := appendUTF16LE([]byte("x"), b), appendUTF16Units([]byte("x"), b); !bytes.Equal(got, want) {
			t.Fatalf("% x: %q, want %q", b, got, want)
		}
	}
}

// appendUTF16Units: a surrogate pair is one character, a lone surrogate
// (high or low) is '?', as tshark 4.0 shows it, and an odd last byte is
// ignored.
func TestAppendUTF16Units(t *testing.T) {
	for _, c := range []struct {
		units []uint16
		odd   bool
		want  string
	}{
		{[]uint16{'H', 'i'}, false, "Hi"},
		{[]uint16{0xe9, 0x20ac}, false, "\u00e9\u20ac"},
		{[]uint16{0xd83d, 0xde00}, false, "\U0001f600"},
		{[]uint16{'a', 0xd83d, 'b'}, false, "a?b"},
		{[]uint16{0xde00, 'c'}, false, "?c"},
		{[]uint16{'a', 0xd83d}, true, "a?"},
		{[]uint16{0}, true, "\x00"},
	} {
		var b []byte
		for _, u := range c.units {
			b = binary.LittleEndian.AppendUint16(b, u)
		}
		if c.odd {
			b = append(b, 0xff)
		}
		if got := string(appendUTF16Units(nil, b)); got != c.want {
			t.Errorf("% x: %q, want %q", b, got, c.want)
		}
		if got := string(appendUTF16LE(nil, b)); got != c.want {
			t.Errorf("appendUTF16LE % x: %q, want %q", b, got, c.want)
		}
	}
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

// indexUTF16Zero looks at four units at a time: the same answer as a
// unit at a time on strings of every length up to 40 bytes (odd ones too)
// whose units are often 0, 1, 0x100, 0x8000, 0xffff or 0x0101 (the lanes
// that a borrow or a missed bit would get wrong), anywhere.
func TestIndexUTF16Zero(t *testing.T) {
	units := []uint16{0, 1, 0x100, 0x101, 0x8000, 0x8080, 0xffff, 0x7fff, 'a'}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 50000 {
		n := rng.IntN(41)
		b := make([]byte, n)
		for i := 0; i+1 < n; i += 2 {
			u := uint16('a' + rng.IntN(26))
			if rng.IntN(3) == 0 {
				u = units[rng.IntN(len(units))]
			}
			binary.LittleEndian.PutUint16(b[i:], u)
		}
		if n%2 == 1 {
			b[n-1] = byte(rng.IntN(2))
		}
		want := -1
		for i := 0; i+1 < n; i += 2 {
			if b[i] == 0 && b[i+1] == 0 {
				want = i
				break
			}
		}
		if got := indexUTF16Zero(b); got != want {
			t.Fatalf("% x: %d, want %d", b, got, want)
		}
	}
}
