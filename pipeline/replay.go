package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/filter"
)

// SetDisplayFilter makes expr the frame list's filter ("" clears it).
// A syntax error (*filter.SyntaxError) is returned at once. Frames already
// read are filtered by replaying the capture in the background (the list
// fills as it goes); the loader filters the frames that come after, or,
// when it does not decode them all (Loader.fast), the replay follows it.
func (l *Loader) SetDisplayFilter(expr string) error {
	if strings.TrimSpace(expr) == "" {
		l.mu.Lock()
		if l.match != nil {
			l.match.cancel.Store(true)
		}
		l.match = nil
		l.mu.Unlock()
		return nil
	}
	f, err := filter.Compile(expr)
	if err != nil {
		return err
	}
	m := &matchList{expr: expr, f: f}
	l.mu.Lock()
	if l.match != nil {
		l.match.cancel.Store(true)
	}
	m.from = l.index.Len()
	l.match = m
	l.mu.Unlock()
	if m.from == 0 && !l.fast {
		l.mu.Lock()
		m.done = true
		l.mu.Unlock()
		return nil
	}
	go l.filterJob(m)
	return nil
}

func (l *Loader) filterJob(m *matchList) {
	rep, err := l.newReplayer(0)
	if err == nil {
		defer rep.close()
		var batch []int32
		flush := func(upto int) {
			l.mu.Lock()
			m.old = append(m.old, batch...)
			m.upto = upto
			l.mu.Unlock()
			batch = batch[:0]
		}
		for !m.cancel.Load() {
			f, n, e := rep.next()
			if e == nil && n > m.from && l.fast && l.follow(m, n) {
				flush(n - 1)
			}
			if e != nil || n > m.from {
				err = e
				break
			}
			if m.f.Match(f) {
				batch = append(batch, int32(n))
			}
			if n%4096 == 0 {
				flush(n)
			}
		}
		flush(m.from)
	}
	l.mu.Lock()
	m.done = true
	if err != nil && !errors.Is(err, io.EOF) {
		m.jobErr = err
	}
	l.mu.Unlock()
}

// follow waits until the load has read frame n, and then makes it the
// last frame the filter job checks (m.from): false when the load ended
// before it (-c, an error) or the filter was replaced.
func (l *Loader) follow(m *matchList, n int) bool {
	for !m.cancel.Load() {
		l.mu.Lock()
		read, done := l.index.Len(), l.done
		if n <= read {
			m.from = read
		}
		l.mu.Unlock()
		if n <= read {
			return true
		}
		if done {
			return false
		}
		select {
		case <-l.doneCh:
		case <-time.After(followWait):
		}
	}
	return false
}

// followWait is how long the filter job waits for the load to read more.
const followWait = 20 * time.Millisecond

// Detail decodes frame n again and returns a copy the caller owns.
// Decoded frames are not kept (a capture of gigabytes would not fit), and
// a frame of a TCP stream or of a fragmented datagram needs the state the
// frames before it built, so the capture is replayed through a fresh
// engine up to n. The replayer is kept between calls: the next frame after
// the last one asked for costs one decode; going back replays from the
// start. Progress is in DetailProgress. Only one Detail runs at a time.
func (l *Loader) Detail(n int) (*dissect.Frame, error) {
	l.detailMu.Lock()
	defer l.detailMu.Unlock()
	l.detailTo.Store(int64(n))
	if l.detailRep != nil && l.detailRep.pos >= n {
		l.detailRep.close()
		l.detailRep = nil
	}
	if l.detailRep == nil {
		rep, err := l.newReplayer(n)
		if err != nil {
			return nil, err
		}
		l.detailRep = rep
	}
	rep := l.detailRep
	if rep.first > n {
		// Held in the -w file, or gone.
		rep.close()
		if rep, err := l.newReplayer(n); err == nil && rep.first <= n {
			l.detailRep = rep
		} else {
			if err == nil {
				rep.close()
			}
			l.detailRep = nil
			return nil, fmt.Errorf("frame %d is no longer held: a live capture keeps its last %d MiB of frames in memory (capture with -w FILE to keep them all)", n, maxRawBytes>>20)
		}
		rep = l.detailRep
	}
	for {
		f, num, err := rep.next()
		if err != nil {
			l.detailRep.close()
			l.detailRep = nil
			if errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("frame %d not found", n)
			}
			return nil, err
		}
		l.detailAt.Store(int64(num))
		if num == n {
			c := new(dissect.Frame)
			f.CopyTo(c)
			return c, nil
		}
	}
}

// DetailProgress is the frame a running Detail has reached and the one it
// wants.
func (l *Loader) DetailProgress() (at, want int) {
	return int(l.detailAt.Load()), int(l.detailTo.Load())
}

// replayer decodes the capture again from its start, through a fresh
// engine, one frame at a time: the files opened again through a pipeline
// of their own; or, when the input cannot be read again, the frames kept
// in memory, or the -w file for frames older than those.
type replayer struct {
	in  *Opened
	pl  *Pipeline
	raw []*rawFrame
	w   capture.Source // the -w file being written
	wp  capture.Packet
	wt  time.Time // capture time of the frame before in w
	eng *engine.Engine
	t0  time.Time // capture time of the capture's first frame
	pos int       // number of the last frame decoded
	// first is the first frame it can give.
	first int
}

// newReplayer makes a replayer that can give frame n (0: any frame it
// can), if the frames are held somewhere.
func (l *Loader) newReplayer(n int) (*replayer, error) {
	r := &replayer{first: 1}
	if l.in.Replayable {
		in, err := l.in.Reopen()
		if err != nil {
			return nil, err
		}
		pl, err := New(in.Source, l.pipelineConfig(0, ""))
		if err != nil {
			in.Close()
			return nil, err
		}
		r.in, r.pl = in, pl
		return r, nil
	}
	r.eng = engine.New(l.pl.engineConfig())
	l.mu.Lock()
	r.raw = l.raw
	r.t0 = l.first
	l.mu.Unlock()
	if len(r.raw) > 0 {
		r.first = r.raw[0].number
		r.pos = r.first - 1
	}
	if n > 0 && n < r.first && l.cfg.Write != "" {
		// Older than the frames in memory: the -w file has every frame
		// read, in order (what was written of it so far).
		w, err := capture.OpenFile(l.cfg.Write, 0)
		if err != nil {
			return nil, err
		}
		r.raw, r.w, r.first, r.pos = nil, w, 1, 0
	}
	return r, nil
}

// next decodes the next frame; the frame is valid until the next call.
func (r *replayer) next() (*dissect.Frame, int, error) {
	if r.pl != nil {
		f, err := r.pl.Next(context.Background())
		if err != nil {
			return nil, r.pos, err
		}
		r.pos++
		return f, r.pos, nil
	}
	if r.w != nil {
		if err := r.w.Next(&r.wp); err != nil {
			return nil, r.pos, err
		}
		prev := r.wt
		if r.pos == 0 {
			prev = r.wp.CI.Timestamp
		}
		r.wt = r.wp.CI.Timestamp
		r.pos++
		// The interfaces of the -w file are the inputs, in the order
		// their first frames came (one each, for one link type).
		f := r.eng.DecodeNth(r.pos, r.t0, prev, r.wp.Data, r.wp.CI, r.wp.LinkType, r.wp.CI.InterfaceIndex)
		return f, r.pos, nil
	}
	i := r.pos + 1 - r.first
	if i >= len(r.raw) {
		return nil, r.pos, io.EOF
	}
	rf := r.raw[i]
	prev := rf.pkt.CI.Timestamp // the first frame held: no frame before it
	if i > 0 {
		prev = r.raw[i-1].pkt.CI.Timestamp
	}
	r.pos = rf.number
	// The capture's frame numbers and times, not the fresh engine's.
	f := r.eng.DecodeNth(rf.number, r.t0, prev, rf.pkt.Data, rf.pkt.CI, rf.pkt.LinkType, rf.pkt.Source)
	return f, r.pos, nil
}

func (r *replayer) close() {
	if r.in != nil {
		r.in.Close()
	}
	if r.w != nil {
		r.w.Close()
	}
}
