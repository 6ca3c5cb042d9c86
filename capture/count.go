package capture

import (
	"errors"
	"io"
)

// readBufferSize is the read-ahead buffer of a file Source: captures can be
// gigabytes, and the decoders want few, large reads; but not so large
// that the bytes each read copies in have left the cache when the
// records are parsed: with 1 MiB, the load of each record's header was
// half of Next's time. Reading the realistic mix (bench/mkcap -other,
// 494 MB) 11 times (BenchmarkReadFile -benchtime 10x) took 560-585 ms of
// CPU with 256 KiB, 590-630 with 128 KiB, 650-720 with 1 MiB.
const readBufferSize = 256 << 10

// recordBudget caps the bytes one call to Next may pull from the input. A
// pcapng record that lies about its capture length is read into a buffer
// that grows as bytes arrive (pcapgo does not trust the length), so without
// this bound a damaged multi-gigabyte file could make one record as large
// as the file. 64 MiB leaves room for any run of metadata blocks seen in
// real files. A variable only so that tests can exercise it with small
// inputs.
var recordBudget int64 = 64 << 20

// errOverBudget ends the input when one record needs more than recordBudget.
var errOverBudget = errors.New("capture: record budget exceeded")

// countingReader counts the bytes read from r, so a truncated or malformed
// file can be reported with a byte offset, and enforces recordBudget.
type countingReader struct {
	r      io.Reader
	n      int64 // bytes read from r so far
	budget int64 // bytes left for the current record
	over   bool  // the budget ran out
	err    error // the first error from r other than io.EOF
}

func newCountingReader(r io.Reader) *countingReader {
	return &countingReader{r: r, budget: recordBudget}
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.budget <= 0 {
		c.over = true
		return 0, errOverBudget
	}
	if int64(len(p)) > c.budget {
		p = p[:c.budget]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.budget -= int64(n)
	if err != nil && err != io.EOF && c.err == nil {
		c.err = err
	}
	return n, err
}

// resetBudget starts the budget of a new record.
func (c *countingReader) resetBudget() { c.budget = recordBudget }
