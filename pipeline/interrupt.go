package pipeline

import (
	"errors"
	"io"
)

// ErrInterrupted is what a read of an input that waits (standard input, a
// pipe) returns once Inputs.Done is closed: Ctrl-C is honoured at once,
// even while nothing comes down the pipe. Pipeline.Read turns it, like
// any error after its context ended, into the end of the input.
var ErrInterrupted = errors.New("interrupted")

// interruptible reads r in a goroutine of its own, one read at a time,
// so that a read blocked on an idle pipe can be abandoned when done is
// closed. The goroutine then stays blocked until the pipe gives
// something or the process ends; nothing reads what it gets.
type interruptible struct {
	r     io.Reader
	done  <-chan struct{}
	res   chan readResult
	spare []byte // a buffer no goroutine holds
	buf   []byte // read, not yet returned
	err   error  // returned after buf
	busy  bool   // a read is outstanding
}

type readResult struct {
	b   []byte
	err error
}

func newInterruptible(r io.Reader, done <-chan struct{}) *interruptible {
	return &interruptible{r: r, done: done, res: make(chan readResult, 1)}
}

func (ir *interruptible) Read(p []byte) (int, error) {
	if len(ir.buf) > 0 {
		n := copy(p, ir.buf)
		ir.buf = ir.buf[n:]
		return n, nil
	}
	if ir.err != nil {
		return 0, ir.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	select {
	case <-ir.done:
		return 0, ErrInterrupted
	default:
	}
	if !ir.busy {
		ir.busy = true
		b := ir.spare
		if cap(b) < len(p) {
			b = make([]byte, len(p))
		}
		b = b[:len(p)]
		go func() {
			n, err := ir.r.Read(b)
			ir.res <- readResult{b[:n], err}
		}()
	}
	select {
	case r := <-ir.res:
		ir.busy = false
		ir.spare = r.b[:0]
		n := copy(p, r.b)
		ir.buf, ir.err = r.b[n:], r.err
		if len(ir.buf) == 0 {
			return n, r.err
		}
		return n, nil
	case <-ir.done:
		return 0, ErrInterrupted
	}
}
