package capture

import (
	"errors"
	"io"
	"sync"
)

// Prefetch reads src on a goroutine of its own, ahead of the caller, so
// that reading (I/O, pcap/pcapng record parsing, decompression) runs on
// another core than decoding. Records are copied into batches of up to
// 256 records or 1 MiB (at most four batches in flight, so memory stays
// bounded); Next hands them out in order, errors included, each Data valid
// until the next call to Next, as for any Source.
//
// For files only: a batch is handed on when it is full, so on a live
// source or a pipe it would hold frames back.
func Prefetch(src Source) Source {
	p := &prefetch{
		src:  src,
		full: make(chan *recBatch, prefetchBatches),
		free: make(chan *recBatch, prefetchBatches),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	for i := 0; i < prefetchBatches; i++ {
		p.free <- &recBatch{data: make([]byte, 0, prefetchBytes+MaxRecordSize)}
	}
	go p.read()
	return p
}

const (
	prefetchBatches = 4
	prefetchRecords = 256
	prefetchBytes   = 1 << 20
)

type prefetch struct {
	src       Source
	full      chan *recBatch
	free      chan *recBatch
	stop      chan struct{}
	done      chan struct{}
	cur       *recBatch
	i         int
	ended     bool // the reader is done and every batch was handed out
	closeOnce sync.Once
	closeErr  error
}

// recBatch holds records copied out of the source: Data of recs[i] is
// data[offs[i]:offs[i+1]].
type recBatch struct {
	recs []Packet
	errs []error // errs[i] != nil: entry i is that error, not a record
	offs []int
	data []byte
	tail error // returned after the last record (io.EOF: the end)
}

func (p *prefetch) read() {
	defer close(p.done)
	defer close(p.full)
	var pkt Packet
	for {
		var b *recBatch
		select {
		case b = <-p.free:
		case <-p.stop:
			return
		}
		b.recs, b.errs, b.offs, b.data, b.tail = b.recs[:0], b.errs[:0], append(b.offs[:0], 0), b.data[:0], nil
		for len(b.recs) < prefetchRecords && len(b.data) < prefetchBytes {
			err := p.src.Next(&pkt)
			var te *TruncatedError
			if err != nil && !errors.As(err, &te) {
				b.tail = err
				break
			}
			// A record, or a warning (a cut file) in its place.
			q := pkt
			if err != nil {
				q = Packet{}
			} else {
				b.data = append(b.data, pkt.Data...)
			}
			q.Data = nil
			b.recs = append(b.recs, q)
			b.errs = append(b.errs, err)
			b.offs = append(b.offs, len(b.data))
		}
		select {
		case p.full <- b:
		case <-p.stop:
			return
		}
		if b.tail != nil {
			return
		}
	}
}

func (p *prefetch) Next(out *Packet) error {
	for {
		if p.ended {
			return io.EOF
		}
		if p.cur == nil {
			b, ok := <-p.full
			if !ok {
				p.ended = true
				continue
			}
			p.cur, p.i = b, 0
		}
		b := p.cur
		if i := p.i; i < len(b.recs) {
			p.i++
			if err := b.errs[i]; err != nil {
				return err
			}
			*out = b.recs[i]
			out.Data = b.data[b.offs[i]:b.offs[i+1]:b.offs[i+1]]
			return nil
		}
		tail := b.tail
		p.cur = nil
		p.free <- b
		if tail != nil {
			p.ended = true // io.EOF from now on
			return tail
		}
	}
}

func (p *prefetch) Label() string { return p.src.Label() }
func (p *prefetch) Stats() Stats  { return p.src.Stats() }

// Close stops the reading goroutine and closes the source.
func (p *prefetch) Close() error {
	p.closeOnce.Do(func() {
		close(p.stop)
		<-p.done
		p.closeErr = p.src.Close()
	})
	return p.closeErr
}
