package dissect

import (
	"bytes"
	"math/rand"
	"testing"
)

// The fast paths of name display (appendDisplay on a Valid name,
// wsNameType, decodeFirstLevel's 32-byte case, appendNetBIOSChars without
// a budget) must give what tshark's byte-by-byte walk gives: compare them
// with appendDotted and the plain loops on random names, valid or not.
func TestNameFastPathsMatchDottedWalk(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	alphabet := []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZ@[a.\x00 \x80\xc1\xd0\xff")
	for iter := 0; iter < 200000; iter++ {
		var raw [16]byte
		for i := range raw {
			switch rng.Intn(4) {
			case 0:
				raw[i] = ' '
			case 1:
				raw[i] = byte(rng.Intn(256))
			default:
				raw[i] = byte('A' + rng.Intn(26))
			}
		}
		msg := []byte{32}
		msg = EncodeName(msg, raw)
		if rng.Intn(4) == 0 { // a bad half-byte, or a short or long label
			switch rng.Intn(3) {
			case 0:
				msg[1+rng.Intn(32)] = alphabet[rng.Intn(len(alphabet))]
			case 1:
				l := rng.Intn(34)
				msg = msg[:1+min(l, 32)]
				msg[0] = byte(l)
				for len(msg) < 1+l {
					msg = append(msg, 'A')
				}
			case 2:
				msg[0] = 33
				msg = append(msg, alphabet[rng.Intn(len(alphabet))])
			}
		}
		for k := rng.Intn(3); k > 0; k-- { // scope labels
			l := 1 + rng.Intn(8)
			msg = append(msg, byte(l))
			for j := 0; j < l; j++ {
				msg = append(msg, alphabet[rng.Intn(len(alphabet))])
			}
		}
		msg = append(msg, 0)
		var n Name
		if _, err := DecodeName("nbns", msg, 0, &n); err != nil {
			t.Fatalf("%q: %v", msg, err)
		}
		for _, scope := range []bool{false, true} {
			got, want := n.appendDisplay(nil, scope), n.appendDotted(nil, scope)
			if !bytes.Equal(got, want) {
				t.Fatalf("%q scope %v: appendDisplay %q, appendDotted %q", msg, scope, got, want)
			}
		}
		wantType := int(n.Raw[15])
		if bytes.HasPrefix(n.appendDotted(nil, false), []byte(illegalNameLen1)) {
			wantType = -1
		}
		if got := n.wsNameType(); got != wantType {
			t.Fatalf("%q: wsNameType %d, want %d", msg, got, wantType)
		}
		label := n.Encoded
		var wantRaw [16]byte
		for i := 0; i+1 < len(label) && i < 32; i += 2 {
			wantRaw[i/2] = (label[i]-'A')<<4 | (label[i+1] - 'A')
		}
		wantBad := -1
		for i, c := range label {
			if c < 'A' || c > 'P' {
				wantBad = i
				break
			}
		}
		if n.Raw != wantRaw || n.BadNibble != wantBad || n.Short != (len(label) != 32) {
			t.Fatalf("%q: Raw %q BadNibble %d Short %v, want %q %d %v", msg, n.Raw, n.BadNibble, n.Short, wantRaw, wantBad, len(label) != 32)
		}
		for _, limit := range []int{16, 34, 60, 61, 62, 1 << 30} {
			if got, want := appendNetBIOSChars(nil, &raw, limit), budgetNetBIOSChars(&raw, limit); !bytes.Equal(got, want) {
				t.Fatalf("%q limit %d: %q, want %q", raw, limit, got, want)
			}
		}
	}
}

// budgetNetBIOSChars is tshark's process_netbios_name as first written
// here: every byte counted against the budget, then trailing spaces off.
func budgetNetBIOSChars(raw *[16]byte, limit int) []byte {
	var b []byte
	for _, c := range raw[:15] {
		if c >= ' ' && c <= '~' {
			b = putLimited(b, &limit, c)
		} else {
			b = putLimited(b, &limit, '<')
			b = putLimited(b, &limit, hexdigits[c>>4])
			b = putLimited(b, &limit, hexdigits[c&0xf])
			b = putLimited(b, &limit, '>')
		}
	}
	for k := 0; k < 15; k++ {
		p := len(b) - 1 - k
		if p < 0 {
			return b[:0]
		}
		if b[p] != ' ' {
			return b[:p+1]
		}
	}
	return b
}

// printable15 and decodeFirstLevel32 against the plain byte tests, for
// every byte value at every position.
func TestWordChecksEveryByte(t *testing.T) {
	for pos := 0; pos < 16; pos++ {
		for c := 0; c < 256; c++ {
			raw := MakeName("ABCDEFGHIJKLMNO", 'Z')
			raw[pos] = byte(c)
			want := pos == 15 || c >= ' ' && c <= '~'
			if got := printable15(&raw); got != want {
				t.Fatalf("printable15 with %#x at %d = %v", c, pos, got)
			}
		}
	}
	for pos := 0; pos < 32; pos++ {
		for c := 0; c < 256; c++ {
			var label [32]byte
			EncodeName(label[:0], MakeName("WORKGROUP", 0x1d))
			label[pos] = byte(c)
			var raw [16]byte
			want := c >= 'A' && c <= 'P'
			if got := decodeFirstLevel32(&label, &raw); got != want {
				t.Fatalf("decodeFirstLevel32 with %#x at %d = %v", c, pos, got)
			}
			if want {
				for i := 0; i < 16; i++ {
					if r := (label[2*i]-'A')<<4 | (label[2*i+1] - 'A'); raw[i] != r {
						t.Fatalf("decodeFirstLevel32 with %#x at %d: byte %d = %#x, want %#x", c, pos, i, raw[i], r)
					}
				}
			}
		}
	}
}

// Base trims the trailing spaces eight characters at a time: the same as
// one at a time, for every pattern of spaces and other characters in the
// 15 (the suffix never counts).
func TestNameBaseTrims(t *testing.T) {
	for bits := 0; bits < 1<<15; bits++ {
		var n Name
		for i := range 15 {
			n.Raw[i] = ' '
			if bits&(1<<i) != 0 {
				n.Raw[i] = 'A' + byte(i)
			}
		}
		n.Raw[15] = byte(bits) // any suffix
		end := 15
		for end > 0 && n.Raw[end-1] == ' ' {
			end--
		}
		if got := n.Base(); string(got) != string(n.Raw[:end]) {
			t.Fatalf("Raw %q: Base %q, want %q", n.Raw, got, n.Raw[:end])
		}
	}
}
