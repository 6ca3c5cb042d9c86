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

// Region maps n bytes outside the Go heap, starting at a 2 MiB boundary
// and advised to use huge pages, and returns them with the function that
// unmaps them; nil and a no-op where the mapping fails. The collector
// does not see the memory: it must hold no pointers.
func Region(n int) (b []byte, unmap func()) {
	m, err := syscall.Mmap(-1, 0, n+Size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, func() {}
	}
	off, _ := aligned(uintptr(unsafe.Pointer(unsafe.SliceData(m))), len(m))
	b = m[off : off+n : off+n]
	Advise(b)
	return b, func() { _ = syscall.Munmap(m) }
}
