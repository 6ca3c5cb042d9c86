//go:build !linux

package hugepage

// Advise does nothing where the advice is not known.
func Advise([]byte) {}

// Region is n bytes of the Go heap where huge pages are not advised.
func Region(n int) (b []byte, unmap func()) { return make([]byte, n), func() {} }
