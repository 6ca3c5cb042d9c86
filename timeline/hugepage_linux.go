//go:build linux

package timeline

import (
	"syscall"
	"unsafe"
)

// hugePages advises huge pages (MADV_HUGEPAGE) for the 2 MiB-aligned
// part of b, which nothing has touched yet: the system's setting here is
// "madvise", and the Go runtime advises nothing for its heap (it maps a
// range of its heap once, and keeps the advice). An advice: where it is
// not taken, b gets small pages.
func hugePages(b []byte) {
	const page, madvHugePage = 2 << 20, 14
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	off := int((page - p%page) % page)
	if off >= len(b) {
		return
	}
	n := (len(b) - off) &^ (page - 1)
	if n == 0 {
		return
	}
	_ = syscall.Madvise(b[off:off+n], madvHugePage)
}
