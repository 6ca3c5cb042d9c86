//go:build !linux

package pipeline

// hugePages does nothing where the advice is not known.
func hugePages([]byte) {}
