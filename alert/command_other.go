//go:build !unix

package alert

import "os/exec"

// killGroup: without process groups, the context's end kills the shell
// only (exec's default).
func killGroup(*exec.Cmd) {}
