// Package hugepage advises the kernel to back a large buffer with huge
// pages: the tracker's record chunks in a flood of new hosts, the TUI
// loader's heap.
package hugepage

// Size is the huge page size advised for (x86-64 and arm64's usual one).
const Size = 2 << 20

// aligned is the part of the n bytes at address p made of whole huge
// pages: its offset from p and its length (0 when there is none).
func aligned(p uintptr, n int) (off, length int) {
	off = int((Size - p%Size) % Size)
	if off >= n {
		return 0, 0
	}
	return off, (n - off) &^ (Size - 1)
}
