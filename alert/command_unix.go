//go:build unix

package alert

import (
	"os/exec"
	"syscall"
)

// killGroup runs cmd in a process group of its own and makes the
// context's end kill the whole group: the shell and what it started.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
