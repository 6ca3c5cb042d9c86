//go:build !linux

package timeline

// hugePages does nothing where the advice is not known.
func hugePages([]byte) {}
