//go:build linux

package hugepage

import (
	"syscall"
	"unsafe"
)

// Advise advises huge pages (MADV_HUGEPAGE) for the 2 MiB-aligned part of
// b, which nothing should have touched yet: the system's setting is often
// "madvise", and the Go runtime advises nothing for its heap. The runtime
// keeps the advice on that range (it maps a range of its heap once, and
// advises again only with GODEBUG=disablethp=1). An advice: where it is
// not taken, b gets small pages.
func Advise(b []byte) {
	off, n := aligned(uintptr(unsafe.Pointer(unsafe.SliceData(b))), len(b))
	if n == 0 {
		return
	}
	const madvHugePage = 14
	_ = syscall.Madvise(b[off:off+n], madvHugePage)
}
