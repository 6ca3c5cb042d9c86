//go:build linux

package pipeline

import (
	"syscall"
	"unsafe"
)

// hugePages advises the kernel to back the huge pages that b covers
// whole with huge pages (MADV_HUGEPAGE: the system's setting here is
// "madvise", and the Go runtime advises nothing for its heap). An advice:
// where it is not taken, b gets small pages. The runtime keeps the advice
// on that range (it maps a range of its heap once).
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
