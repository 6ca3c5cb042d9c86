package main

import (
	"sync/atomic"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// Reading a file, the sink's work runs on a second goroutine beside the
// decoder, so decoding and printing use two cores: the decoding goroutine
// copies what the sink needs out of each frame into a batch (the engine
// reuses its frame), the printing goroutine finishes the batches in frame
// order. Output is byte for byte what the one-goroutine loop prints. Live
// capture and standard input keep the one-goroutine loop, where a frame is
// printed as soon as it is decoded.

// splitSink is a frameSink whose work on a frame splits in two halves.
type splitSink interface {
	frameSink
	// take copies what put needs out of f, which is valid only during
	// the call, into it; it runs on the decoding goroutine and returns
	// the number of bytes it holds.
	take(f *dissect.Frame, it *pipeItem) int
	// put finishes the frame on the printing goroutine, in frame order.
	put(it *pipeItem) error
}

// pipeItem is one frame's share of a batch.
type pipeItem struct {
	frame dissect.Frame          // printers: a deep copy of the frame
	obs   []timeline.Observation // the timeline: the frame's observations
	time  time.Time
}

type pipeBatch struct {
	items []pipeItem
	n     int // items in use
	bytes int // bytes the items hold
}

const (
	pipeBatchFrames = 256
	pipeBatchBytes  = 4 << 20 // a batch closes early past this many bytes
	pipeBatches     = 4       // batches in flight: memory is bounded
)

type pipeline struct {
	sink   splitSink
	full   chan *pipeBatch
	free   chan *pipeBatch
	done   chan struct{}
	cur    *pipeBatch
	failed atomic.Bool
	err    error // the sink's first error; read after done is closed
}

// newPipeline starts the printing goroutine.
func newPipeline(s splitSink) *pipeline {
	p := &pipeline{
		sink: s,
		full: make(chan *pipeBatch, pipeBatches),
		free: make(chan *pipeBatch, pipeBatches),
		done: make(chan struct{}),
	}
	for i := 0; i < pipeBatches; i++ {
		p.free <- &pipeBatch{items: make([]pipeItem, pipeBatchFrames)}
	}
	go p.print()
	return p
}

func (p *pipeline) print() {
	defer close(p.done)
	for b := range p.full {
		for i := 0; i < b.n && p.err == nil; i++ {
			if err := p.sink.put(&b.items[i]); err != nil {
				p.err = err
				p.failed.Store(true)
			}
		}
		p.free <- b
	}
}

// Frame hands a decoded frame to the sink. It returns false once the sink
// has failed (see wait for the error): stop decoding.
func (p *pipeline) Frame(f *dissect.Frame) bool {
	if p.cur == nil {
		p.cur = <-p.free
		p.cur.n, p.cur.bytes = 0, 0
	}
	b := p.cur
	b.bytes += p.sink.take(f, &b.items[b.n])
	b.n++
	if b.n == len(b.items) || b.bytes >= pipeBatchBytes {
		p.full <- b
		p.cur = nil
	}
	return !p.failed.Load()
}

// wait sends the last batch, waits for the printing goroutine to finish
// and returns the sink's first error.
func (p *pipeline) wait() error {
	if p.cur != nil && p.cur.n > 0 {
		p.full <- p.cur
	}
	p.cur = nil
	close(p.full)
	<-p.done
	return p.err
}

// copySink splits a printer: the decoder copies the frame, the printing
// goroutine prints the copy.
type copySink struct{ frameSink }

func (s copySink) take(f *dissect.Frame, it *pipeItem) int { return f.CopyTo(&it.frame) }
func (s copySink) put(it *pipeItem) error                  { return s.Frame(&it.frame) }

// The timeline splits after the adapter: the decoder turns the frame into
// observations (which do not point into the engine), the printing
// goroutine feeds them to the tracker.

func (s *timelineSink) take(f *dissect.Frame, it *pipeItem) int {
	it.obs = append(it.obs[:0], s.adapter.FromFrame(f)...)
	it.time = f.Time
	return 64 * len(it.obs)
}

func (s *timelineSink) put(it *pipeItem) error {
	if s.tr == nil {
		s.start(it.time)
	}
	for _, o := range it.obs {
		s.tr.Observe(o)
	}
	if it.time.After(s.last) {
		s.last = it.time
	}
	clear(it.obs) // let the observations go
	return s.err
}

// asSplit returns the sink's split form.
func asSplit(s frameSink) splitSink {
	if ss, ok := s.(splitSink); ok {
		return ss
	}
	return copySink{s}
}
