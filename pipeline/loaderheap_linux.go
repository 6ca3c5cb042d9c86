//go:build linux

package pipeline

import (
	"syscall"
	"unsafe"
)

// hugePages advises huge pages (MADV_HUGEPAGE) for the 2 MiB-aligned
// part of b: the system's setting here is "madvise", and the Go runtime
// advises nothing for its heap. An advice: where it is not taken, b gets
// small pages. The runtime keeps it on that range (it maps a range of its
// heap once, and advises again only with GODEBUG=disablethp=1).
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
