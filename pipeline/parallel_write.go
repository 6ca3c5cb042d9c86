package pipeline

import (
	"time"

	"github.com/gopacket/gopacket"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
)

// The engines' end of a parallel run (parallel.go): each worker decodes
// its frames of a batch, the writer writes the batches out in frame
// order, and wait decodes the capture's last frame after every other.

// wait sends the last batch, waits until everything is written and
// closes the engines; it returns the writer's first error. The capture's
// last frame is held back from the last batch and decoded after every
// other (last): there every engine finishes (engine.Finish).
func (p *parallel) wait() error {
	if p.waited {
		return p.err
	}
	p.waited = true
	var final *parFrame
	var finalData []byte
	switch b := p.cur; {
	case p.hasHeld: // the last frame only moved the clock
		final = &parFrame{}
		*final = p.held
		p.hasHeld = false
		final.clock, final.clockFirst, final.clockAt = int32(min(p.clock, 2)), p.clockFirst, p.clockAt
		p.clock = 0
	case b != nil && b.n > 0 && b.frames[b.n-1].block > 1:
		// The last of a block: the block goes on without it.
		fr := &b.frames[b.n-1]
		fr.block--
		final = &parFrame{}
		if fr.engine < 0 {
			*final = p.numberedAt(fr.number + int(fr.block))
		} else {
			*final = blockAt(b, fr, int(fr.block))
		}
	case b != nil && b.n > 0:
		b.n--
		final = &parFrame{}
		*final = b.frames[b.n]
		switch {
		case final.block == 1 && final.engine < 0:
			*final = p.numberedAt(final.number)
		case final.block == 1:
			*final = blockAt(b, final, 0)
		}
		if !final.skip { // a skipped frame's bytes were not copied
			finalData = b.data[final.off:final.end:final.end]
		}
		if e := final.engine; e >= 0 && len(b.idx[e]) > 0 && int(b.idx[e][len(b.idx[e])-1]) == b.n {
			b.idx[e] = b.idx[e][:len(b.idx[e])-1]
		}
	}
	if b := p.cur; b != nil && b.n > 0 {
		p.send()
	} else if b != nil {
		p.free <- b
		p.cur = nil
	}
	for _, w := range p.workers {
		if !w.session { // engine 0 closes the session worker's input
			close(w.in)
		}
	}
	close(p.written)
	<-p.done
	if final != nil && p.err == nil {
		p.last(final, finalData)
	}
	for _, w := range p.workers {
		w.eng.Close()
	}
	if p.unmapSlab != nil {
		// Nothing reads the batches' bytes any more: the tracker copies
		// what it keeps (the next batch overwrote them otherwise).
		p.unmapSlab()
		p.unmapSlab = nil
	}
	return p.err
}

// last decodes the capture's last frame on its engine, has every engine
// finish on it, shard by shard in shard order (the order of one engine's
// Finish), and writes it out.
func (p *parallel) last(fr *parFrame, data []byte) {
	// A frame that carries no NBT and that nothing reads (skip) has no
	// bytes here and may have no engine (-1: only the timeline's clock):
	// engine 0 takes it, as Skipped, and finishes on it all the same.
	w := p.workers[max(fr.engine, 0)]
	var f *dissect.Frame
	if fr.skip {
		f = w.eng.Skipped(fr.number, p.first, fr.prev, int(fr.end-fr.off), fr.ci, fr.linkType, int(fr.source))
	} else {
		f = w.decodeNth(fr, &p.first, data)
	}
	sw := p.sessionWorker()
	var aux parAux
	if sw != nil && fr.engine == 0 && w.eng.TakeSessions(&aux.sess) {
		f.CopyTo(&aux.copy)
		f = &aux.copy
		sw.eng.ApplySessions(f, &aux.sess)
	}
	if sw != nil && fr.engine == 0 {
		w = sw // its filter and printer show the frame it decoded
	}
	k := len(p.load)
	for i := 0; i < engine.Shards; i++ {
		e := 0
		if p.byShard && i > 0 {
			e = (i - 1) % k
		}
		if !p.workers[e].eng.FinishShard(f, i) || sw == nil || e != 0 {
			continue
		}
		// A record of its own each time: the frame keeps pointing
		// into the bytes of the records applied before.
		if rec := new(engine.SessionRecord); p.workers[0].eng.TakeSessions(rec) {
			sw.eng.ApplySessions(f, rec)
		}
	}
	w.w.buf = w.w.buf[:0]
	w.finish(fr, f)
	var out []byte
	if p.tl == nil && fr.keep {
		out = w.w.buf[fr.out[0]:fr.out[1]]
	}
	if err := p.emit(fr, out); err != nil {
		p.err = err
		p.failed.Store(true)
	}
}

// sessionWorker is the worker decoding engine 0's session packets, or nil.
func (p *parallel) sessionWorker() *parWorker {
	if w := p.workers[len(p.workers)-1]; w.session {
		return w
	}
	return nil
}

func (w *parWorker) run() {
	for b := range w.in {
		w.w.buf = b.outs[w.id][:0]
		if w.adapter != nil && b.arenas != nil {
			ar := &b.arenas[w.id]
			ar.Reuse()
			w.adapter.UseArena(ar)
		}
		if w.session {
			w.applySessions(b)
		} else {
			w.decode(b)
		}
		b.outs[w.id] = w.w.buf
		if w.next != nil {
			w.next <- b
		}
		b.wg.Done()
	}
	if w.next != nil {
		close(w.next)
	}
}

// decode decodes the worker's frames of a batch.
func (w *parWorker) decode(b *parBatch) {
	for _, i := range b.idx[w.id] {
		fr := &b.frames[i]
		if fr.block > 0 {
			w.printBlock(b, fr)
			continue
		}
		if fr.skip {
			w.finish(fr, w.eng.Skipped(fr.number, b.first, fr.prev, int(fr.end-fr.off), fr.ci, fr.linkType, int(fr.source)))
			continue
		}
		f := w.decodeNth(fr, &b.first, b.data[fr.off:fr.end:fr.end])
		if w.next != nil {
			if aux := &b.aux[i]; w.eng.TakeSessions(&aux.sess) {
				fr.deferred = true
				f.CopyTo(&aux.copy)
				continue
			}
		}
		w.finish(fr, f)
	}
}

// decodeNth decodes the frame fr, whose bytes are data (the reader
// copied them into its batch), which the reader did not skip.
func (w *parWorker) decodeNth(fr *parFrame, first *time.Time, data []byte) *dissect.Frame {
	if w.tested && fr.shard >= 0 {
		return w.eng.DecodeRouted(fr.number, first, &fr.prev, data, &fr.ci, fr.linkType, int(fr.source), int(fr.shard), int(fr.ipOff))
	}
	if w.tested {
		return w.eng.DecodeNthKept(fr.number, *first, fr.prev, data, fr.ci, fr.linkType, int(fr.source))
	}
	return w.eng.DecodeNth(fr.number, *first, fr.prev, data, fr.ci, fr.linkType, int(fr.source))
}

// printBlock makes the frame fields of a block of skipped frames and
// prints them, one after the other (there is no display filter).
func (w *parWorker) printBlock(b *parBatch, fr *parFrame) {
	start := len(w.w.buf)
	n, prev := fr.number, fr.prev
	for i := range b.skips[fr.skipAt : fr.skipAt+fr.block] {
		sk := &b.skips[int(fr.skipAt)+i]
		ci := gopacket.CaptureInfo{Timestamp: sk.at(), CaptureLength: int(sk.capLen), Length: sk.length, InterfaceIndex: int(sk.iface)}
		f := w.eng.Skipped(n, b.first, prev, int(sk.capLen), ci, sk.linkType, int(sk.source))
		if w.watch != nil {
			w.watch(f)
		}
		w.printer.Frame(f) // into w.w: cannot fail
		n, prev = n+1, ci.Timestamp
	}
	fr.keep, fr.outBy, fr.out = true, int32(w.id), [2]int32{int32(start), int32(len(w.w.buf))}
}

// applySessions, on the session worker, decodes the session packets
// engine 0 left in a batch (engine 0's frames are the only deferred).
func (w *parWorker) applySessions(b *parBatch) {
	for _, i := range b.idx[0] {
		if fr := &b.frames[i]; fr.deferred {
			aux := &b.aux[i]
			w.eng.ApplySessions(&aux.copy, &aux.sess)
			w.finish(fr, &aux.copy)
		}
	}
}

// finish filters a decoded frame and prints it (or turns it into
// observations) into the batch.
func (w *parWorker) finish(fr *parFrame, f *dissect.Frame) {
	if w.watch != nil {
		w.watch(f)
	}
	fr.keep = w.flt == nil || w.flt.Match(f)
	if !fr.keep {
		// No output: the range a reused entry kept of its last frame
		// points into another worker's buffer (last slices by it).
		fr.out = [2]int32{}
		return
	}
	fr.outBy = int32(w.id)
	if w.adapter != nil {
		// Most frames give none: then an entry that holds none (an
		// entry keeps those of its last frame, which the writer fed)
		// is not written.
		switch obs := w.adapter.FromFrame(f); {
		case len(obs) == 1:
			// One observation (most frames that give any): stored
			// as a value, not copied by typedslicecopy (a runtime
			// call, about 30 instructions a frame).
			fr.obs = append(fr.obs[:0], obs[0])
		case len(obs) > 0 || len(fr.obs) > 0:
			fr.obs = append(fr.obs[:0], obs...)
		}
		if notes := w.adapter.SessionNotes(); len(notes) > 0 || len(fr.notes) > 0 {
			fr.notes = append(fr.notes[:0], notes...)
		}
		return
	}
	start := len(w.w.buf)
	w.printer.Frame(f) // into w.w: cannot fail
	fr.out = [2]int32{int32(start), int32(len(w.w.buf))}
}

// write runs on its own goroutine: it takes the batches in order, waits
// for their engines, and writes their frames in frame order. The lines
// of frames one worker printed one after the other are written at once.
func (p *parallel) write(touch []byte) {
	defer close(p.done)
	for i := range touch {
		touch[i] = 0
	}
	for b := range p.written {
		b.wg.Wait()
		if p.tl != nil {
			// The entries keep their observations and notes: they
			// point into the batch's arenas, which hold them either
			// way, and the engine that takes the entry next writes
			// them again (parWorker.finish; the reader empties the
			// notes, setFrame). The writer, the slower stage of an
			// NBT-dense capture, has the less to do.
			for i := 0; i < b.n && p.err == nil; i++ {
				p.err = p.emit(&b.frames[i], nil)
			}
		} else {
			p.err = p.writeText(b)
		}
		if p.err != nil {
			p.failed.Store(true)
		}
		p.free <- b
	}
}

// writeText writes the printed frames of a batch in frame order.
func (p *parallel) writeText(b *parBatch) error {
	by, from, to := int32(-1), int32(0), int32(0) // the run of text not written yet
	for i := 0; i < b.n; i++ {
		fr := &b.frames[i]
		if !fr.keep {
			continue
		}
		if fr.block > 0 && fr.engine < 0 { // printed by number, here
			if by >= 0 {
				if _, err := p.out.Write(b.outs[by][from:to]); err != nil {
					return err
				}
				by = -1
			}
			if err := p.writeNumbered(fr.number, fr.number+int(fr.block)-1); err != nil {
				return err
			}
			continue
		}
		if fr.outBy == by && fr.out[0] == to {
			to = fr.out[1]
			continue
		}
		if by >= 0 {
			if _, err := p.out.Write(b.outs[by][from:to]); err != nil {
				return err
			}
		}
		by, from, to = fr.outBy, fr.out[0], fr.out[1]
	}
	if by < 0 {
		return nil
	}
	_, err := p.out.Write(b.outs[by][from:to])
	return err
}

// parNumberedChunk is how many lines of frames printed by number the
// writer formats before a write.
const parNumberedChunk = 4096

// writeNumbered writes the lines of frames from to to, printed by number.
func (p *parallel) writeNumbered(from, to int) error {
	for from <= to {
		end := min(to, from+parNumberedChunk-1)
		p.numBuf = p.numbers.AppendNumbered(p.numBuf[:0], from, end)
		if _, err := p.out.Write(p.numBuf); err != nil {
			return err
		}
		from = end + 1
	}
	return nil
}

// emit hands a frame to the timeline (first the clock frames before it),
// or writes its text out.
func (p *parallel) emit(fr *parFrame, text []byte) error {
	if p.tl == nil {
		if !fr.keep {
			return nil
		}
		_, err := p.out.Write(text)
		return err
	}
	if fr.clock > 0 {
		if err := p.tl.observe(nil, fr.clockFirst); err != nil {
			return err
		}
		if fr.clock > 1 {
			if err := p.tl.observe(nil, fr.clockAt); err != nil {
				return err
			}
		}
	}
	if !fr.keep {
		return nil
	}
	if len(fr.notes) > 0 {
		p.tl.sessions.Apply(fr.notes)
	}
	return p.tl.observe(fr.obs, fr.ci.Timestamp)
}
