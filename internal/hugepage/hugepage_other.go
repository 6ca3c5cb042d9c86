//go:build !linux

package hugepage

// Advise does nothing where the advice is not known.
func Advise([]byte) {}
