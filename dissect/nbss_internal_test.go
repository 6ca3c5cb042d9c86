package dissect

import "testing"

// NBSSUsesLongLength reads "SMB" at bytes 5 to 7 as one word: the same
// answer as byte by byte, for every first byte, direct or not, each of the
// three bytes 'S', 'M', 'B' or one off, and every length up to 9.
func TestNBSSUsesLongLengthWord(t *testing.T) {
	for n := 0; n <= 9; n++ {
		for first := 0; first < 256; first++ {
			for k := 0; k < 27; k++ {
				b := make([]byte, 9)
				b[0] = byte(first)
				for i, c := range []byte("SMB") {
					b[5+i] = c + byte((k/[]int{1, 3, 9}[i])%3) - 1 // c-1, c or c+1
				}
				for _, direct := range []bool{false, true} {
					want := direct || (n >= 8 && b[0] == 0 && b[5] == 'S' && b[6] == 'M' && b[7] == 'B')
					if got := NBSSUsesLongLength(direct, b[:n]); got != want {
						t.Fatalf("%x (direct %v): %v, want %v", b[:n], direct, got, want)
					}
				}
			}
		}
	}
}
