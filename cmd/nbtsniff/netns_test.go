package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Tests of the process as a user runs it: the binary, signals, pipes, and
// live capture in network namespaces the test makes (internal/netnstest:
// ip netns add, a veth pair: one end inside, where nbtsniff captures; the
// other here, where the test sends frames).

var (
	builtOnce sync.Once
	builtDir  string
	builtBin  string
	builtErr  error
)

// nbtsniffBinary builds the command once per test run (the default,
// pure-Go build: live capture is AF_PACKET).
func nbtsniffBinary(t *testing.T) string {
	t.Helper()
	builtOnce.Do(func() {
		builtDir, builtErr = os.MkdirTemp("", "nbtsniff-bin-")
		if builtErr != nil {
			return
		}
		builtBin = filepath.Join(builtDir, "nbtsniff")
		cmd := exec.Command("go", "build", "-o", builtBin, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			builtErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if builtErr != nil {
		t.Fatal(builtErr)
	}
	return builtBin
}

// removeBuilt removes what nbtsniffBinary built (from TestMain).
func removeBuilt() {
	if builtDir != "" {
		os.RemoveAll(builtDir)
	}
}

// proc is nbtsniff run as a process, its standard streams pipes.
type proc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	stderr bytes.Buffer
}

// start runs argv (the binary, or ip netns exec ... binary) with its
// standard streams connected to the test.
func start(t *testing.T, argv ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(argv[0], argv[1:]...)}
	var err error
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.stdout = bufio.NewReaderSize(out, 1<<16)
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
	})
	return p
}

// signal sends sig to the process.
func (p *proc) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// finish reads the rest of standard output, waits for the process (at
// most within, else the test fails: it did not honour the signal) and
// returns that output and the exit status.
func (p *proc) finish(t *testing.T, within time.Duration) (string, int) {
	t.Helper()
	type result struct {
		out  []byte
		code int
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		out, err := io.ReadAll(p.stdout)
		werr := p.cmd.Wait()
		code := 0
		if ee, ok := werr.(*exec.ExitError); ok {
			code = ee.ExitCode()
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				code = 128 + int(ws.Signal())
			}
		} else if werr != nil && err == nil {
			err = werr
		}
		ch <- result{out, code, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatal(r.err)
		}
		return string(r.out), r.code
	case <-time.After(within):
		p.cmd.Process.Kill()
		r := <-ch
		t.Fatalf("nbtsniff did not exit within %v (killed); stderr:\n%s\nstdout:\n%s", within, p.stderr.String(), r.out)
	}
	return "", 0
}

// readLineWithin reads one line of standard output, or fails after d.
func (p *proc) readLineWithin(t *testing.T, d time.Duration) string {
	t.Helper()
	ch := make(chan string, 1)
	go func() {
		l, _ := p.stdout.ReadString('\n')
		ch <- l
	}()
	select {
	case l := <-ch:
		return l
	case <-time.After(d):
		t.Fatalf("no output within %v; stderr:\n%s", d, p.stderr.String())
	}
	return ""
}

// unixFIONREAD is the number of bytes waiting in the pipe behind f.
func unixFIONREAD(f *os.File) (int, error) {
	return unix.IoctlGetInt(int(f.Fd()), unix.TIOCINQ) // FIONREAD
}
